import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { AesGcmPayloadCodec } from './payloadCodec';
import { payloadKeysFor } from './payloadKeys';

/**
 * The one data converter of every client and worker (API, worker, ops CLI, tests, replay):
 * what one side encrypts, every other side must decrypt, so none builds its own.
 */
export function dataConverterFor(config: Config): DataConverter {
  return { payloadCodecs: [payloadCodecFor(config)] };
}

export function payloadCodecFor(config: Config): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(payloadKeysFor(config));
}
