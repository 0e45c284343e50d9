import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';
import { dataConverterFor } from './dataConverter';

/** TLS and API-key options shared by the client (API) and the worker connection. */
function connectionOptions(config: Config) {
  const { env } = config;
  const tls =
    env.TEMPORAL_TLS || env.TEMPORAL_API_KEY || env.TEMPORAL_TLS_CERT
      ? env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY
        ? { clientCertPair: { crt: fs.readFileSync(env.TEMPORAL_TLS_CERT), key: fs.readFileSync(env.TEMPORAL_TLS_KEY) } }
        : true
      : undefined;
  return { address: config.temporalAddress, tls, apiKey: env.TEMPORAL_API_KEY };
}

/** One long-lived client per process; never one per request. */
export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(config) });
}

export async function connectWorkerConnection(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}
