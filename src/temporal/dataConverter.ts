import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { AesGcmPayloadCodec } from './payloadCodec';
import { payloadKeysFor } from './payloadKeys';

/**
 * The one data converter of every client and worker (API, worker, ops CLI, tests, replay):
 * what one side encrypts, every other side must decrypt, so none builds its own.
 */
export function dataConverterFor(config: Config): DataConverter {
  return { payloadCodecs: [payloadCodecFor(config)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** Failure messages encrypted too (failureConverter.ts); the workflow bundle is built with the same path. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failureConverter');

export function payloadCodecFor(config: Config): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(payloadKeysFor(config));
}
