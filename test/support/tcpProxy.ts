import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL), so a test can cut
 * the app off from it the way a network partition does: `cut()` destroys every live
 * connection and from then on accepts new ones but never forwards a byte (a
 * black hole: the client's connect timeout must fire, nothing fails fast on its own);
 * `restore()` forwards again.
 */
export interface TcpProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const live = new Set<net.Socket>();
  let isCut = false;
  const track = (s: net.Socket) => {
    live.add(s);
    s.on('close', () => live.delete(s));
    // A reset from either side is expected here; it must not crash the test process.
    s.on('error', () => s.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (isCut) return;
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const destroyAll = () => {
    for (const s of live) s.destroy();
    live.clear();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      isCut = true;
      destroyAll();
    },
    restore() {
      // Black-holed sockets are dropped too: their clients gave up on them long ago.
      destroyAll();
      isCut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        destroyAll();
        server.close(() => resolve());
      }),
  };
}

/** The same URL, through the proxy. */
export function viaProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}
