import type { DataConverter } from '@temporalio/common';
import { loadConfig } from '../../src/config';
import { dataConverterFor } from '../../src/temporal/dataConverter';

/**
 * The tests' payload key: fixed, so histories recorded by the record-*-histories scripts
 * (which run on this set-up) stay decodable by the replay test for good. A test key,
 * published here: never use it anywhere else.
 */
export const TEST_PAYLOAD_KEYS = {
  PAYLOAD_ENCRYPTION_KEYS: 'test-1:FqcLbrZs9E2TrBeeChs1ikmxKyLxAvl8gzDYb9u44gw=',
  PAYLOAD_ENCRYPTION_KEY_ID: 'test-1',
} as const;

/** What every client and worker of the tests encodes and decodes with, as the processes do. */
export function testDataConverter(): DataConverter {
  return dataConverterFor(loadConfig({ NODE_ENV: 'test', ...TEST_PAYLOAD_KEYS }));
}
