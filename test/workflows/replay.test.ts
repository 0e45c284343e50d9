import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { Worker } from '@temporalio/worker';
import { writeWorkflowBundle } from '../../src/worker/workflowBundle';
import '../support/temporal';
import { testDataConverter } from '../support/payloadKeys';

/**
 * Histories recorded from earlier versions (scripts/record-histories.ts) must replay
 * against today's workflow code: a change that would break running workflows
 * without a `patched()` guard fails here. Histories recorded since payloads are encrypted
 * hold ciphertext (test key, test/support/payloadKeys.ts): the replayer decodes them with
 * the same codec, and passes the older, unencrypted ones through untouched.
 */
const dataConverter = testDataConverter();
const DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('has a recorded history for every workflow type', () => {
    const types = new Set(files.map((f) => f.split('.')[0]));
    expect([...types].sort()).toEqual(['esim-order', 'fiber-order', 'mef-order', 'offer-inquiry', 'sales-lead']);
  });

  it.each(files)('replays %s deterministically', async (file) => {
    const history = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowsPath: require.resolve('../../src/workflows'), dataConverter }, history, file),
    ).resolves.toBeUndefined();
  });

  it('replays an encrypted history only through the codec: the ciphertext is really there', async () => {
    const file = 'sales-lead.v1.encrypted-reviewed-and-approved.json';
    const text = fs.readFileSync(path.join(DIR, file), 'utf8');
    expect(text).toContain(Buffer.from('binary/encrypted').toString('base64'));
    const history = JSON.parse(text);
    await expect(Worker.runReplayHistory({ workflowsPath: require.resolve('../../src/workflows') }, history, file)).rejects.toThrow(/binary\/encrypted/);
  });

  it('replays with the prebuilt production bundle too', async () => {
    const bundle = await writeWorkflowBundle(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'workflow-bundle.js'));
    const history = JSON.parse(fs.readFileSync(path.join(DIR, 'sales-lead.v1.activated.json'), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: bundle }, dataConverter }, history)).resolves.toBeUndefined();
  });
});
