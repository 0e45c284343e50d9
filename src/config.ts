import path from 'node:path';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { PROJECT_ROOT } from './projectFiles';

/**
 * Every setting the processes read, parsed once at start-up so a typo fails fast
 * with the variable's name instead of surfacing later as odd behaviour.
 */
const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  DATA_DIR: z.string().default('./.data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  // PostgreSQL: the schema's owner, for migrations only (src/db/appRole.ts); DATABASE_URL is then the application's role.
  DATABASE_OWNER_URL: z.string().optional().transform((v) => v || undefined),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('ordering'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: boolish.default(false),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_DEV_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  // Payload encryption (src/temporal/payloadCodec.ts): `keyId:base64` pairs, comma separated.
  // Empty counts as unset, as compose's ${VAR:-} passes it.
  PAYLOAD_ENCRYPTION_KEYS: z.string().optional().transform((v) => v || undefined),
  PAYLOAD_ENCRYPTION_KEY_ID: z.string().optional().transform((v) => v || undefined),
  // The ops listener: the codec endpoint the Temporal Web UI decodes payloads through.
  OPS_HOST: z.string().default('127.0.0.1'),
  OPS_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  CODEC_CORS_ORIGINS: z.string().optional().transform((v) => (v === undefined ? undefined : list(v))),
  CODEC_AUTH: z.enum(['ops-token', 'loopback-ui']).optional(),
  JWT_SECRET: z.string().min(16).optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
  // The token's iss and aud, checked on every request (src/api/shared/auth.ts has the defaults).
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  CLIENTS_FILE: z.string().optional(),
  LOAD_DEMO_DATA: boolish.optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  // The worker's Prometheus metrics (the Temporal runtime's), host:port; `off` serves none.
  WORKER_METRICS_ADDRESS: z
    .string()
    .default('127.0.0.1:9464')
    .refine((v) => v === 'off' || /^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(v), 'host:port, or off')
    .transform((v) => (v === 'off' ? undefined : v)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LEAD_REVIEW_DEADLINE: z
    .string()
    .default('3 days')
    .refine(isDuration, 'must be a duration such as "3 days", "12h" or "90s"')
    .transform((v) => v as Duration),
  LEAD_ANSWER_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PROVISIONING_ADAPTER: z.enum(['simulated', 'http']).default('simulated'),
  PROVISIONING_URL: z.string().url().optional(),
  // Must stay under the provisioning activity's 30 s startToCloseTimeout.
  PROVISIONING_TIMEOUT_MS: z.coerce.number().int().positive().max(25_000).default(10_000),
  SIM_PROVISIONING_LATENCY_MS: z.coerce.number().int().min(0).default(50),
  SIM_PROVISIONING_TRANSIENT_FAILURES: z.coerce.number().int().min(0).default(0),
  // Fibre offer inquiries and orders (seed 002 §4, §5).
  FIBRE_ANSWER_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  FIBRE_ASYNC_ANSWER_DELAY: z
    .string()
    .default('2 minutes')
    .refine(isDuration, 'must be a duration such as "2 minutes", "4h" or "3 days"'),
  FIBRE_OFFER_VALIDITY_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  FIBRE_DELIVERY_SPEEDUP: z.coerce.number().positive().default(1),
  FIBRE_SUPPLIER_ADAPTER: z.enum(['simulated', 'http']).default('simulated'),
  FIBRE_SUPPLIER_URL: z.string().url().optional(),
  // Must stay under the supplier activities' 30 s startToCloseTimeout.
  FIBRE_SUPPLIER_TIMEOUT_MS: z.coerce.number().int().positive().max(25_000).default(10_000),
  SIM_FIBRE_SUPPLIER_LATENCY_MS: z.coerce.number().int().min(0).default(50),
  SIM_FIBRE_SUPPLIER_TRANSIENT_FAILURES: z.coerce.number().int().min(0).default(0),
  // Unset: sized from WORKER_MEMORY_BUDGET_MB (src/worker/cacheSize.ts).
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  WORKER_MEMORY_BUDGET_MB: z.coerce.number().int().min(256).default(300),
  // eSIM orders (seed 001)
  ESIM_PLATFORM_ADAPTER: z.enum(['simulated', 'http']).default('simulated'),
  ESIM_PLATFORM_URL: z.string().url().optional(),
  // Must stay under the eSIM platform activities' 30 s startToCloseTimeout.
  ESIM_PLATFORM_TIMEOUT_MS: z.coerce.number().int().positive().max(25_000).default(10_000),
  ESIM_ANSWER_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  ESIM_POLL_INITIAL_INTERVAL: z.string().default('2s').refine(isDuration, 'must be a duration such as "5s" or "1m"').transform((v) => v as Duration),
  ESIM_POLL_MAX_INTERVAL: z.string().default('5m').refine(isDuration, 'must be a duration such as "5m"').transform((v) => v as Duration),
  ESIM_PROFILE_READY_LIMIT: z.string().default('1 day').refine(isDuration, 'must be a duration such as "1 day" or "6h"').transform((v) => v as Duration),
  ESIM_BULK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  // A batch's child workflow records four to six events per activation: 800 keeps it under ~5k of Temporal's 50k.
  ESIM_BULK_BATCH_SIZE: z.coerce.number().int().min(1).max(800).default(500),
  ESIM_DEFAULT_CURRENCIES: z.string().regex(/^[A-Z]{3}(,[A-Z]{3})*$/, 'must be ISO 4217 codes separated by commas').default('EUR,USD,GBP'),
  SIM_ESIM_LATENCY_MS: z.coerce.number().int().min(0).default(50),
  SIM_ESIM_POLLS_UNTIL_READY: z.coerce.number().int().min(0).default(3),
  SIM_ESIM_READY_AFTER_MS: z.coerce.number().int().min(0).default(0),
  SIM_ESIM_TRANSIENT_FAILURES: z.coerce.number().int().min(0).default(0),
  SIM_ESIM_REJECT_ICCIDS: z.string().default('8944474600000999990'),
  // MEF wholesale orders (seed 003): simulated seller step durations, windows, adapters.
  MEF_STEP_DESIGN: duration('20s'),
  MEF_STEP_INSTALL: duration('40s'),
  MEF_STEP_ACTIVATE: duration('20s'),
  MEF_SELLER_STEP_ALLOWANCE: duration('1m'),
  MEF_CANCELLATION_ASSESSMENT: duration('30s'),
  MEF_CLOSED_ORDER_WINDOW: duration('30 days'),
  MEF_ANSWER_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  MEF_PUBLIC_BASE_URL: z.string().default(''),
  // Must stay under the delivery activity's 30 s startToCloseTimeout.
  MEF_NOTIFICATION_TIMEOUT_MS: z.coerce.number().int().positive().max(25_000).default(10_000),
  MEF_SELLER_ADAPTER: z.enum(['simulated', 'http']).default('simulated'),
  MEF_SELLER_URL: z.string().url().optional(),
  // Must stay under the seller activity's 30 s startToCloseTimeout.
  MEF_SELLER_TIMEOUT_MS: z.coerce.number().int().positive().max(25_000).default(10_000),
  SIM_MEF_SELLER_LATENCY_MS: z.coerce.number().int().min(0).default(50),
  SIM_MEF_TRANSIENT_FAILURES: z.coerce.number().int().min(0).default(0),
  SIM_MEF_FAIL_INSTALL_IDS: z.string().default('UNI-FAIL').transform(list),
  SIM_MEF_SITE_ACCESS_IDS: z.string().default('UNI-ACCESS').transform(list),
  // The notification hub (POST /hub): how long an event is retried per listener before it goes to the dead-letter list.
  MEF_HUB_RETRY_FOR: duration('1 day'),
  // Must stay under the delivery activity's 30 s startToCloseTimeout.
  MEF_HUB_TIMEOUT_MS: z.coerce.number().int().positive().max(25_000).default(10_000),
  // Callbacks to loopback and private addresses: refused in production unless set, allowed elsewhere unless set false.
  MEF_HUB_ALLOW_PRIVATE_CALLBACKS: boolish.optional(),
});

function duration(fallback: string) {
  return z
    .string()
    .default(fallback)
    .refine(isDuration, 'must be a duration such as "3 days", "12h" or "90s"')
    .transform((v) => msToNumber(v as Duration));
}

function list(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function isDuration(v: string): boolean {
  try {
    return msToNumber(v as Duration) > 0;
  } catch {
    return false;
  }
}

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  env: Env;
  dataDir: string;
  /** What the API, worker and ops CLI connect with. */
  databaseUrl: string;
  /** What migrations run with, when not databaseUrl (PostgreSQL: the tables' owner). */
  databaseOwnerUrl?: string;
  /** True when we run the embedded Temporal dev server ourselves. */
  embeddedTemporal: boolean;
  temporalAddress: string;
  jwtSecret: string;
  clientsFile: string;
  loadDemoData: boolean;
  /** Unset: the embedded default keeps a generated key under `dataDir` (src/temporal/payloadKeys.ts). */
  payloadKeys?: PayloadKeys;
  codec: CodecEndpointConfig;
  /** Which listener callbacks the hub calls (src/external/shared/callbackAddress.ts). */
  hubCallbacks: { httpsOnly: boolean; allowPrivate: boolean };
}

/** AES-256 keys by id; `currentKeyId` encrypts, every key decrypts (so old histories survive a rotation). */
export interface PayloadKeys {
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export interface CodecEndpointConfig {
  /** Browser origins (the Temporal Web UI's) allowed to call the endpoint. */
  corsOrigins: string[];
  /**
   * `ops-token`: every call carries an OPS client's token (bearer header or the session
   * cookie of `<base>/login`). `loopback-ui`: besides, a call from a loopback peer with an
   * allowed Origin needs none, because the dev server's UI can send no credentials.
   */
  auth: 'ops-token' | 'loopback-ui';
}

const DEV_JWT_SECRET = 'embedded-demo-secret-not-for-production';

/** Words that mark a secret copied from an example (ours, compose's, .env.example's). */
const PLACEHOLDER = /change-?me|not-for-production|replace-?me|example|placeholder/i;
/** RFC 7518 §3.2: an HS256 key of at least the hash's size, 256 bits. */
const MIN_JWT_SECRET_BYTES = 32;

/** Anyone who knows the JWT secret mints a token for any tenant: production refuses one that is short or copied from an example. */
function refuseWeakJwtSecret(secret: string): void {
  if (PLACEHOLDER.test(secret)) {
    throw new Error('JWT_SECRET is a placeholder from an example: with NODE_ENV=production set a random one (openssl rand -base64 48)');
  }
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_JWT_SECRET_BYTES) {
    throw new Error(`JWT_SECRET is ${bytes} bytes: with NODE_ENV=production it must be at least ${MIN_JWT_SECRET_BYTES} (openssl rand -base64 48)`);
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const production = env.NODE_ENV === 'production';
  if (production && !env.JWT_SECRET) throw new Error('JWT_SECRET must be set when NODE_ENV=production');
  if (production) refuseWeakJwtSecret(env.JWT_SECRET!);
  if (production && !env.CLIENTS_FILE) throw new Error('CLIENTS_FILE must be set when NODE_ENV=production');
  if (env.PROVISIONING_ADAPTER === 'http' && !env.PROVISIONING_URL) {
    throw new Error('PROVISIONING_URL must be set when PROVISIONING_ADAPTER=http');
  }
  if (env.ESIM_PLATFORM_ADAPTER === 'http' && !env.ESIM_PLATFORM_URL) {
    throw new Error('ESIM_PLATFORM_URL must be set when ESIM_PLATFORM_ADAPTER=http');
  }
  if (env.FIBRE_SUPPLIER_ADAPTER === 'http' && !env.FIBRE_SUPPLIER_URL) {
    throw new Error('FIBRE_SUPPLIER_URL must be set when FIBRE_SUPPLIER_ADAPTER=http');
  }
  if (env.MEF_SELLER_ADAPTER === 'http' && !env.MEF_SELLER_URL) throw new Error('MEF_SELLER_URL must be set when MEF_SELLER_ADAPTER=http');
  if (production && !env.PAYLOAD_ENCRYPTION_KEYS) throw new Error('PAYLOAD_ENCRYPTION_KEYS must be set when NODE_ENV=production');
  const embeddedTemporal = !env.TEMPORAL_ADDRESS;
  // A key generated on each machine would leave API, workers and CLI of one cluster unable to read each other.
  if (!embeddedTemporal && !env.PAYLOAD_ENCRYPTION_KEYS) {
    throw new Error('PAYLOAD_ENCRYPTION_KEYS must be set when TEMPORAL_ADDRESS is: only the embedded dev server uses a generated key');
  }
  return {
    env,
    dataDir,
    databaseUrl: env.DATABASE_URL ?? `file:${path.join(dataDir, 'app.db')}`,
    databaseOwnerUrl: env.DATABASE_OWNER_URL,
    embeddedTemporal,
    temporalAddress: env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_DEV_PORT}`,
    jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
    clientsFile: env.CLIENTS_FILE ?? path.join(PROJECT_ROOT, 'config', 'demo-clients.json'),
    loadDemoData: env.LOAD_DEMO_DATA ?? !production,
    payloadKeys: env.PAYLOAD_ENCRYPTION_KEYS === undefined ? undefined : parsePayloadKeys(env.PAYLOAD_ENCRYPTION_KEYS, env.PAYLOAD_ENCRYPTION_KEY_ID),
    codec: codecEndpointConfig(env, production, embeddedTemporal),
    // A local setup's listener is on this machine; a production seller never calls into its own network unless told to.
    hubCallbacks: { httpsOnly: production, allowPrivate: env.MEF_HUB_ALLOW_PRIVATE_CALLBACKS ?? !production },
  };
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `id1:base64,id2:base64`; each key exactly 32 bytes (AES-256). The current id must name one of them. */
export function parsePayloadKeys(spec: string, currentKeyId: string | undefined): PayloadKeys {
  const keys = new Map<string, Buffer>();
  for (const entry of list(spec)) {
    const sep = entry.indexOf(':');
    const id = entry.slice(0, sep);
    if (sep < 0 || !KEY_ID.test(id)) {
      throw new Error('PAYLOAD_ENCRYPTION_KEYS: each entry must be keyId:base64Key, the id 1-64 of A-Z a-z 0-9 . _ -');
    }
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (key.length !== 32) throw new Error(`PAYLOAD_ENCRYPTION_KEYS: key ${id} must be 32 bytes (base64 of 32 random bytes), not ${key.length}`);
    if (keys.has(id)) throw new Error(`PAYLOAD_ENCRYPTION_KEYS: key id ${id} appears twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('PAYLOAD_ENCRYPTION_KEYS is empty');
  const current = currentKeyId ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (current === undefined) throw new Error('PAYLOAD_ENCRYPTION_KEY_ID must name the current key when PAYLOAD_ENCRYPTION_KEYS holds several');
  if (!keys.has(current)) throw new Error(`PAYLOAD_ENCRYPTION_KEY_ID ${current} is not among PAYLOAD_ENCRYPTION_KEYS (${[...keys.keys()].join(', ')})`);
  return { currentKeyId: current, keys };
}

const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function codecEndpointConfig(env: Env, production: boolean, embeddedTemporal: boolean): CodecEndpointConfig {
  // The dev server's UI is opened as 127.0.0.1 or as localhost: two origins to the browser.
  const corsOrigins = env.CODEC_CORS_ORIGINS ?? (embeddedTemporal ? [`http://127.0.0.1:${env.TEMPORAL_UI_PORT}`, `http://localhost:${env.TEMPORAL_UI_PORT}`] : []);
  const auth = env.CODEC_AUTH ?? (embeddedTemporal && !production && LOOPBACK_HOST.test(env.OPS_HOST) ? 'loopback-ui' : 'ops-token');
  if (auth === 'loopback-ui' && production) throw new Error('CODEC_AUTH=loopback-ui is for the embedded dev server; NODE_ENV=production needs ops-token');
  // Behind a proxy on the same host every caller would look like loopback.
  if (auth === 'loopback-ui' && !LOOPBACK_HOST.test(env.OPS_HOST)) throw new Error(`CODEC_AUTH=loopback-ui needs OPS_HOST on loopback, not ${env.OPS_HOST}`);
  return { corsOrigins, auth };
}
