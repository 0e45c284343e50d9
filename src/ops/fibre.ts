import { FibreInquiryRecordSchema, FibreOrderRecordSchema } from '../db/entities';
import { deliverOrderUpdate, fibreOrderWorkflowId, rejectOrderUpdate } from '../workflows/fibre/orderContract';
import { AnswerInquiry, answerInquiryUpdate, offerInquiryWorkflowId } from '../workflows/fibre/inquiryContract';
import { actOn, forEachId, operatorName, OpsCommand, OpsContext, ParsedArgs, requireIds } from './command';

/** Fibre price API (seed 002): async inquiries waiting for ops' answer, orders waiting for delivery. */

const tenantFilter = (tenantId: string | undefined) => (tenantId ? { tenantId } : {});

async function waitingInquiries(ctx: OpsContext, tenantId?: string) {
  const em = (await ctx.orm()).em.fork();
  return em.find(FibreInquiryRecordSchema, { state: 'WAIT_ASYNC_ANSWER', ...tenantFilter(tenantId) }, { orderBy: { createdAt: 'asc' } });
}

async function waitingOrders(ctx: OpsContext, tenantId?: string) {
  const em = (await ctx.orm()).em.fork();
  return em.find(FibreOrderRecordSchema, { state: 'WAIT_DELIVERY', ...tenantFilter(tenantId) }, { orderBy: { createdAt: 'asc' } });
}

function number(args: ParsedArgs, option: string, whole: boolean): number | undefined {
  const raw = args.options.get(option);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value))) {
    throw new Error(`${option} must be a ${whole ? 'whole number' : 'number'} >= 0, not "${raw}"`);
  }
  return value;
}

/** YYYY-MM-DD naming a day that exists (Date.parse would take 2026-02-30). */
const isCalendarDate = (v: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString().slice(0, 10) === v;

const OFFER_OPTIONS = ['--one-time-fee', '--monthly-fee', '--valid-until', '--delivery-days', '--connection-id'];

/**
 * The `answer` action's payload (DESIGN.md) from the command line, checked here so a
 * mistake is named by its option before anything is sent (the workflow checks it again).
 */
export function answerFrom(args: ParsedArgs): AnswerInquiry {
  const success = args.flags.has('--success');
  const message = args.options.get('--message');
  if (success === args.flags.has('--fail')) throw new Error('answer needs exactly one of --success and --fail');
  if (!success) {
    const given = OFFER_OPTIONS.filter((o) => args.options.has(o));
    if (given.length > 0) throw new Error(`answer --fail takes no offer details (${given.join(', ')})`);
    if (!message) throw new Error('answer --fail needs --message "why the supplier cannot deliver"');
    return { success: false, message };
  }
  const validUntil = args.options.get('--valid-until');
  if (validUntil !== undefined && !isCalendarDate(validUntil)) {
    throw new Error(`--valid-until must be a date YYYY-MM-DD, not "${validUntil}"`);
  }
  const answer: AnswerInquiry = {
    success: true,
    message,
    oneTimeFee: number(args, '--one-time-fee', false),
    monthlyFee: number(args, '--monthly-fee', false),
    offerValidUntilDate: validUntil,
    deliveryDurationDays: number(args, '--delivery-days', true),
    connectionId: args.options.get('--connection-id'),
  };
  return Object.fromEntries(Object.entries(answer).filter(([, v]) => v !== undefined)) as AnswerInquiry;
}

export const fibreCommands: OpsCommand[] = [
  {
    name: 'inquiries-waiting',
    usage: 'inquiries-waiting [tenantId]        list fibre inquiries waiting for an async answer, oldest first',
    async run(args, ctx) {
      for (const r of await waitingInquiries(ctx, args.positional[0])) {
        console.log(
          `${r.inquiryId}  tenant=${r.tenantId}  number=${r.inquiryNumber}  since=${r.createdAt.toISOString()}  workflow=${offerInquiryWorkflowId(r.inquiryId)}`,
        );
      }
      return 0;
    },
  },
  {
    name: 'answer',
    usage:
      'answer <inquiryId>... --success [--one-time-fee n --monthly-fee n --valid-until YYYY-MM-DD --delivery-days n --connection-id x] [--message m]\n' +
      '                                      answer inquiries with an offer (no fees: the estimate becomes the offer)\n' +
      '  answer <inquiryId>... --fail --message m  answer inquiries: the supplier cannot deliver',
    valueOptions: ['--message', ...OFFER_OPTIONS],
    flags: ['--success', '--fail'],
    async run(args, ctx) {
      const answer = answerFrom(args);
      const ids = requireIds(args);
      const client = await ctx.client();
      const input = { ...answer, by: operatorName() };
      return forEachId(ids, async (inquiryId) =>
        actOn(client, {
          what: 'inquiry',
          workflowId: offerInquiryWorkflowId(inquiryId),
          update: answerInquiryUpdate,
          input,
          printed: (a) => `answered ${inquiryId} (${answer.success ? 'success' : 'fail'}): ${a.before} → ${a.after}`,
        }),
      );
    },
  },
  {
    name: 'orders-waiting',
    usage: 'orders-waiting [tenantId]           list fibre orders waiting for delivery, oldest first',
    async run(args, ctx) {
      for (const r of await waitingOrders(ctx, args.positional[0])) {
        console.log(
          `${r.orderId}  tenant=${r.tenantId}  inquiry=${r.inquiryId}  since=${r.createdAt.toISOString()}  workflow=${fibreOrderWorkflowId(r.orderId)}`,
        );
      }
      return 0;
    },
  },
  {
    name: 'deliver',
    usage: 'deliver <orderId>... [--connection-id x] [--message m]  mark fibre orders delivered',
    valueOptions: ['--connection-id', '--message'],
    async run(args, ctx) {
      const ids = requireIds(args);
      const connectionId = args.options.get('--connection-id');
      const message = args.options.get('--message');
      const client = await ctx.client();
      const input = { ...(connectionId ? { connectionId } : {}), ...(message ? { message } : {}), by: operatorName() };
      return forEachId(ids, async (orderId) =>
        actOn(client, { what: 'order', workflowId: fibreOrderWorkflowId(orderId), update: deliverOrderUpdate, input, printed: (a) => `delivered ${orderId}: ${a.before} → ${a.after}` }),
      );
    },
  },
  {
    name: 'reject-order',
    usage: 'reject-order <orderId>... --message m  reject fibre orders (the client sees the message)',
    valueOptions: ['--message'],
    async run(args, ctx) {
      const message = args.options.get('--message');
      if (!message) throw new Error('reject-order needs --message "why the order cannot be delivered"');
      const ids = requireIds(args);
      const client = await ctx.client();
      const input = { message, by: operatorName() };
      return forEachId(ids, async (orderId) =>
        actOn(client, { what: 'order', workflowId: fibreOrderWorkflowId(orderId), update: rejectOrderUpdate, input, printed: (a) => `rejected order ${orderId}: ${a.before} → ${a.after}` }),
      );
    },
  },
];
