import { isIP } from 'node:net';
import express, { Request, RequestHandler, Response, Router } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { CodecEndpointConfig } from '../../config';
import type { Logger } from '../../log';
import type { Authenticator, Principal } from '../shared/auth';
import { HttpError } from '../shared/errors';

/**
 * Temporal's codec server protocol, so the Web UI and `temporal --codec-endpoint` show
 * decoded payloads: `POST <base>/decode` and `<base>/encode` take and return
 * `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`; the UI adds
 * `X-Namespace` and, when it can, `Authorization`.
 *
 * Decoding hands out personal data, so every call is an operator's: an OPS client's
 * token as a bearer header (CLI, scripts) or as the session cookie `<base>/login` sets
 * (a Temporal UI configured to include cross-origin credentials). CODEC_AUTH=loopback-ui
 * (the embedded dev server only) also lets the dev UI in, which can send neither.
 */
export const SESSION_COOKIE = 'ordering_codec_session';
const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';
// The UI decodes a whole history page at once; Temporal's own limit per payload is 2 MB.
const BODY_LIMIT = '16mb';

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
// protojson leaves out an empty list: the CLI's `workflow metadata` (a query without
// arguments) sends `{}` to /encode, which is no payloads, not a malformed body.
const PayloadsBody = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), base64).nullish(),
      data: base64.nullish(),
    }),
  ).default([]),
});

export interface CodecEndpointDeps {
  codec: PayloadCodec;
  auth: Authenticator;
  config: CodecEndpointConfig;
  logger: Logger;
}

export function codecEndpoint({ codec, auth, config, logger }: CodecEndpointDeps): Router {
  const router = Router();
  router.use(cors(config.corsOrigins));
  router.get('/login', login(auth));
  const convert = (direction: 'encode' | 'decode'): RequestHandler => async (req, res) => {
    const principal = authorise(req, auth, config);
    const parsed = PayloadsBody.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, `Invalid payloads: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const payloads = parsed.data.payloads.map(fromJson);
    let converted: Payload[];
    try {
      converted = await codec[direction](payloads);
    } catch (err) {
      // A key missing from PAYLOAD_ENCRYPTION_KEYS or an altered payload: say which, not 500.
      throw new HttpError(422, (err as Error).message);
    }
    // Who read what: decoded payloads are personal data.
    logger.info({ direction, payloads: payloads.length, namespace: req.get('x-namespace'), by: principal?.clientId ?? 'loopback-ui' }, 'codec');
    res.json({ payloads: converted.map(toJson) });
  };
  router.post('/decode', express.json({ limit: BODY_LIMIT }), convert('decode'));
  router.post('/encode', express.json({ limit: BODY_LIMIT }), convert('encode'));
  return router;
}

/**
 * CORS for the UI's origin, enforced here as well as by the browser: a request that
 * names any other origin is refused, so a page elsewhere cannot use an operator's
 * session cookie or the loopback exception.
 */
function cors(origins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined) return next();
    res.vary('Origin');
    if (!origins.includes(origin)) throw new HttpError(403, `Origin ${origin} is not allowed (CODEC_CORS_ORIGINS)`);
    res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' });
    if (req.method !== 'OPTIONS') return next();
    res.set({ 'Access-Control-Allow-Methods': 'POST, GET, OPTIONS', 'Access-Control-Allow-Headers': ALLOWED_HEADERS, 'Access-Control-Max-Age': '600' });
    // Chrome asks before a page of a public origin (Temporal Cloud's UI) calls a private or loopback address.
    if (req.get('access-control-request-private-network') === 'true') res.set('Access-Control-Allow-Private-Network', 'true');
    res.status(204).end();
  };
}

/** An operator, or (loopback-ui) the dev UI on this machine; throws 401/403 otherwise. */
function authorise(req: Request, auth: Authenticator, config: CodecEndpointConfig): Principal | undefined {
  const header = req.get('authorization');
  const cookie = sessionCookie(req);
  if (!header && !cookie && config.auth === 'loopback-ui' && req.get('origin') !== undefined && isLoopback(req.socket.remoteAddress)) {
    return undefined;
  }
  const principal = auth.verify(header ?? (cookie ? `Bearer ${cookie}` : undefined));
  if (!principal.roles.includes('OPS')) throw new HttpError(403, 'Forbidden: decoding payloads needs the role OPS');
  return principal;
}

/**
 * GET <base>/login with an OPS client's HTTP Basic credentials (the browser asks for
 * them) sets the session cookie the Temporal UI then sends along. SameSite=None needs
 * HTTPS and lets a UI on another site (Temporal Cloud) send it; over plain HTTP only a
 * UI on the same site (the same host, any port) can, which is Strict's rule.
 */
function login(auth: Authenticator): RequestHandler {
  // Express 5 passes a rejected promise to the error handler.
  return async (req, res) => {
    const { accessToken, expiresIn } = await auth.issue(req.get('authorization'));
    const principal = auth.verify(`Bearer ${accessToken}`);
    if (!principal.roles.includes('OPS')) throw new HttpError(403, 'Forbidden: decoding payloads needs the role OPS');
    res.cookie(SESSION_COOKIE, accessToken, {
      httpOnly: true,
      secure: req.secure,
      sameSite: req.secure ? 'none' : 'strict',
      maxAge: expiresIn * 1000,
      path: req.baseUrl || '/',
    });
    res.set('Cache-Control', 'no-store');
    res.json({ signedIn: principal.clientId, expiresIn });
  };
}

function sessionCookie(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
}

function fromJson(p: z.infer<typeof PayloadsBody>['payloads'][number]): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

function toJson(p: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  };
}

/** Errors as `{ message }`: the UI only needs to see that decoding failed, the operator why. */
export function codecErrorBody(err: HttpError, res: Response): void {
  res.set(err.headers).status(err.status).json({ message: err.message });
}
