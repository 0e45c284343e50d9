import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { testDataConverter } from './payloadKeys';

/** One payload of a history, decrypted: which event holds it, and its text. */
export interface HistoryPayload {
  eventId: number;
  /** The event's attributes' name, and the activity or child workflow type where there is one. */
  where: string;
  text: string;
  /** Its size as stored (encrypted), what counts against the history's bytes. */
  storedBytes: number;
}

const isPayload = (v: unknown): v is Payload =>
  typeof v === 'object' && v !== null && (v as Payload).data instanceof Uint8Array && typeof (v as Payload).metadata === 'object';

function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (isPayload(value)) found.push(value);
  else if (Array.isArray(value)) for (const v of value) payloadsIn(v, found);
  else if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) for (const v of Object.values(value)) payloadsIn(v, found);
  return found;
}

/**
 * Every payload of a fetched history, decrypted with the tests' codec: histories hold
 * ciphertext, so a search of the raw bytes for a value would find nothing, whatever
 * the workflow put there.
 */
export async function historyPayloads(history: temporal.api.history.v1.IHistory): Promise<HistoryPayload[]> {
  const codecs = testDataConverter().payloadCodecs ?? [];
  const out: HistoryPayload[] = [];
  for (const event of history.events ?? []) {
    const attributesKey = Object.keys(event).find((k) => k.endsWith('EventAttributes') && (event as Record<string, unknown>)[k]);
    if (!attributesKey) continue;
    const attributes = (event as Record<string, unknown>)[attributesKey] as { activityType?: { name?: string }; workflowType?: { name?: string } };
    const type = attributes.activityType?.name ?? attributes.workflowType?.name;
    for (const payload of payloadsIn(attributes)) {
      let decoded = [payload];
      for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
      out.push({
        eventId: Number(event.eventId),
        where: type ? `${attributesKey}:${type}` : attributesKey,
        text: Buffer.from(decoded[0]!.data ?? new Uint8Array()).toString('utf8'),
        storedBytes: temporal.api.common.v1.Payload.encode(payload).finish().length,
      });
    }
  }
  return out;
}

/** The history as the server stores and sends it (protobuf): what a client's gRPC receive limit applies to. */
export const encodedBytes = (history: temporal.api.history.v1.IHistory): number => temporal.api.history.v1.History.encode(history).finish().length;
