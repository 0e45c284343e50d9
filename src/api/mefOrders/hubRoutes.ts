import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../../config';
import { MefHubListener, MefHubListenerSchema } from '../../db/entities';
import type { Orm } from '../../db/orm';
import { HUB_EVENT_TYPES, parseHubQuery } from '../../domain/mefOrders/hub';
import { callbackUrlProblem } from '../../external/shared/callbackAddress';
import { newWebhookSecret } from '../../external/shared/webhookSignature';
import { HttpError } from '../shared/errors';
import { deriveId, IdempotencyKeyHeader } from '../shared/idempotency';
import type { RouteTable } from '../shared/routes';

export const HUB_PATH = '/hub';

const tag = 'MEF notification hub';
const access = { roles: ['BUYER'] } as const;
const listenerId = z.object({ id: z.string().max(64).describe('The listener id (HUB-…)') });
const notFound = { 404: { description: 'NOT_FOUND: no such listener for this buyer (another buyer\'s, or a deleted one, is answered alike)' } };

// A URL a client can check against the document: an http(s) scheme, a host name (its last
// label starts with a letter, as a URL parser requires) or a dotted IPv4 address, a port, a path.
const label = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const octet = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const port = '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
const CALLBACK_SHAPE = new RegExp(`^https?://(?:(?:${label}\\.)*[a-z](?:[a-z0-9-]*[a-z0-9])?|${octet}(?:\\.${octet}){3})(?::${port})?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?$`, 'i');
const oneType = `(?:${HUB_EVENT_TYPES.join('|')})`;
const QUERY_SHAPE = new RegExp(`^eventType=${oneType}(?:,${oneType})*$`);

/** The registration, checked as the hub will call it: the callback against the setting's policy, the query against the event types. */
function registrationSchema(config: Config) {
  return z.strictObject({
    callback: z
      .string()
      .max(2000)
      // The shape the document promises; the policy below depends on the deployment.
      .regex(CALLBACK_SHAPE, { message: 'callback must be an http(s) URL: scheme, host, optional port and path', abort: true })
      .superRefine((url, ctx) => {
        const problem = callbackUrlProblem(url, config.hubCallbacks);
        if (problem) ctx.addIssue({ code: 'custom', message: `callback ${problem}` });
      })
      .describe('Where the events are POSTed (https in production; loopback and private addresses only where MEF_HUB_ALLOW_PRIVATE_CALLBACKS allows)'),
    query: z
      .string()
      .max(1000)
      .regex(QUERY_SHAPE, { message: `query must be eventType=<type>[,<type>…] of ${HUB_EVENT_TYPES.join(', ')}`, abort: true })
      .superRefine((q, ctx) => {
        const parsed = parseHubQuery(q);
        if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: `query ${parsed.problem}` });
      })
      .optional()
      .describe(`Which events: eventType=<type>[,<type>…], of ${HUB_EVENT_TYPES.join(', ')}; without it, every event`),
  });
}

const ListenerSchema = z.object({
  id: z.string(),
  callback: z.string(),
  query: z.string().nullable(),
  createdAt: z.string(),
});
const RegisteredSchema = ListenerSchema.extend({
  signingSecret: z.string().describe('whsec_…: every delivery is signed with it (Standard Webhooks); shown in this answer only'),
});
const ListenerListSchema = z.array(ListenerSchema);

const viewOf = (l: MefHubListener) => ({ id: l.id, callback: l.callback, query: l.query, createdAt: l.createdAt.toISOString() });

/**
 * The buyer's notification hub (TMF630 / MEF LSO Sonata): listeners the buyer registers
 * and deletes itself, in its own tenant. Deliveries: src/activities/mefOrders/hub.ts.
 */
export function declareMefHubRoutes(routes: RouteTable, deps: { config: Config; orm: Orm }): void {
  const Registration = registrationSchema(deps.config);
  routes.name({ MefHubRegistration: Registration, MefHubListener: ListenerSchema, MefHubRegistered: RegisteredSchema });
  const em = () => deps.orm.em.fork();
  const live = async (tenantId: string, id: string): Promise<MefHubListener> => {
    const l = await em().findOne(MefHubListenerSchema, { id, tenantId, deletedAt: null });
    if (!l) throw new HttpError(404, 'NOT_FOUND', `Listener ${id} not found`);
    return l;
  };

  routes.declare({
    operationId: 'registerListener',
    method: 'post',
    path: HUB_PATH,
    tag,
    summary: 'Register a listener: every later event of the buyer\'s orders that its query admits is POSTed to its callback, signed',
    access,
    headers: z.object({
      'Idempotency-Key': IdempotencyKeyHeader.describe('Names the listener: a retry with the same key and body answers the same listener (and secret), never a second one'),
    }),
    body: Registration,
    responses: {
      201: { description: 'The listener, with its signing secret (shown only here)', schema: RegisteredSchema, headers: ['Location'] },
      400: { description: 'INVALID_REQUEST_PARAMS: a callback the hub does not call, or a query it does not know, named' },
      409: { description: 'IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used for another listener' },
    },
    handle: async ({ headers, body, principal }, res) => {
      const key = headers['Idempotency-Key'];
      const id = `HUB-${key ? deriveId(principal.tenantId, 'mef-hub-listener', key) : randomUUID()}`;
      const parsed = parseHubQuery(body.query);
      const eventTypes = 'eventTypes' in parsed && parsed.eventTypes ? JSON.stringify(parsed.eventTypes) : null;
      const wanted = { id, tenantId: principal.tenantId, callback: body.callback, query: body.query?.trim() || null, eventTypes };
      await em().upsert(MefHubListenerSchema, { ...wanted, signingSecret: newWebhookSecret(), createdAt: new Date(), deletedAt: null }, { onConflictFields: ['id'], onConflictAction: 'ignore' });
      const stored = await em().findOneOrFail(MefHubListenerSchema, { id });
      if (stored.tenantId !== wanted.tenantId || stored.callback !== wanted.callback || stored.query !== wanted.query || stored.deletedAt) {
        throw new HttpError(409, 'IDEMPOTENCY_KEY_REUSED', 'The Idempotency-Key was used for another listener');
      }
      res.status(201).location(`${HUB_PATH}/${id}`).json({ ...viewOf(stored), signingSecret: stored.signingSecret });
    },
  });

  routes.declare({
    operationId: 'listListeners',
    method: 'get',
    path: HUB_PATH,
    tag,
    summary: 'The buyer\'s listeners, oldest first',
    access,
    responses: { 200: { description: 'Every listener not deleted', schema: ListenerListSchema } },
    handle: async ({ principal }, res) => {
      res.json((await em().find(MefHubListenerSchema, { tenantId: principal.tenantId, deletedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' } })).map(viewOf));
    },
  });

  routes.declare({
    operationId: 'getListener',
    method: 'get',
    path: `${HUB_PATH}/{id}`,
    tag,
    summary: 'Get a listener',
    access,
    params: listenerId,
    responses: { 200: { description: 'The listener (its secret is not shown again)', schema: ListenerSchema }, ...notFound },
    handle: async ({ params, principal }, res) => {
      res.json(viewOf(await live(principal.tenantId, params.id)));
    },
  });

  routes.declare({
    operationId: 'deleteListener',
    method: 'delete',
    path: `${HUB_PATH}/{id}`,
    tag,
    summary: 'Delete a listener: no event is delivered to it from now on, retries included',
    access,
    params: listenerId,
    responses: { 204: { description: 'Deleted' }, ...notFound },
    handle: async ({ params, principal }, res) => {
      await live(principal.tenantId, params.id);
      await em().nativeUpdate(MefHubListenerSchema, { id: params.id, tenantId: principal.tenantId, deletedAt: null }, { deletedAt: new Date() });
      res.status(204).end();
    },
  });
}
