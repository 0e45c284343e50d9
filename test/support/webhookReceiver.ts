import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookProblem } from '../../src/external/shared/webhookSignature';

/**
 * A buyer's notification endpoint as the README tells buyers to write one: verify the
 * Standard Webhooks signature over the bytes received (401 if it does not hold), then
 * dedupe by `webhook-id` (a retry of a delivery whose answer was lost is the same
 * notification). Counts every delivery, so a test sees what arrived once and what again.
 * `secret` may be set once known (a hub listener's comes with its registration); `status`
 * other than 2xx makes it answer that to every delivery, as an endpoint that is down.
 */
export class WebhookReceiver {
  /** webhook-id → verified deliveries of it. */
  readonly deliveries = new Map<string, number>();
  /** webhook-id → the notification's body, as first received. */
  readonly bodies = new Map<string, Record<string, unknown>>();
  /** Deliveries refused, with why. */
  readonly refused: string[] = [];

  status = 204;

  private constructor(private readonly server: http.Server, readonly url: string, public secret: string) {}

  static async start(secret = ''): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => receiver!.receive(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/mef-notifications`, secret);
    return receiver;
  }

  private receive(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    if (this.status >= 300) {
      res.writeHead(this.status).end();
      return;
    }
    const headers = req.headers as Record<string, string | undefined>;
    const problem = webhookProblem(this.secret, headers, raw);
    if (problem) {
      this.refused.push(`${headers['webhook-id'] ?? '(no id)'}: ${problem}`);
      res.writeHead(401).end();
      return;
    }
    const id = headers['webhook-id']!;
    this.deliveries.set(id, (this.deliveries.get(id) ?? 0) + 1);
    if (!this.bodies.has(id)) this.bodies.set(id, JSON.parse(raw) as Record<string, unknown>);
    res.writeHead(204).end();
  }

  /** Deliveries beyond the first of each id: retries the receiver deduped. */
  get repeats(): number {
    return [...this.deliveries.values()].reduce((n, d) => n + d - 1, 0);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
