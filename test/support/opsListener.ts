import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpsApp } from '../../src/api/ops/app';
import { Authenticator, loadClients } from '../../src/api/shared/auth';
import type { CodecEndpointConfig, Config } from '../../src/config';
import { createLogger } from '../../src/log';
import { payloadCodecFor } from '../../src/temporal/dataConverter';

export interface OpsListener {
  /** `http://127.0.0.1:<port>/codec`, as the UI and `temporal --codec-endpoint` are given it. */
  codecEndpoint: string;
  close(): Promise<void>;
}

/** The API process's ops listener on a free loopback port, with `config`'s keys and clients. */
export async function startOpsListener(config: Config, codec: Partial<CodecEndpointConfig> = {}): Promise<OpsListener> {
  const app = createOpsApp({
    codec: payloadCodecFor(config),
    auth: new Authenticator(loadClients(config.clientsFile), config.jwtSecret, 3600),
    codecConfig: { ...config.codec, ...codec },
    logger: createLogger('ops', 'silent'),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    codecEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/codec`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
