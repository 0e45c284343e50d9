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

/** A lead's history with its first activity renamed: the workflow schedules recordLeadStatus, the history says otherwise. */
const BROKEN = 'sales-lead.activity-renamed (made here)';
function brokenHistory() {
  const history = JSON.parse(fs.readFileSync(path.join(DIR, 'sales-lead.v1.activated.json'), 'utf8'));
  const scheduled = history.events.find((e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes);
  scheduled.activityTaskScheduledEventAttributes.activityType.name = 'somethingElse';
  return history;
}

describe('replay of recorded histories', () => {
  it('has a recorded history for every workflow type', () => {
    const types = new Set(files.map((f) => f.split('.')[0]));
    expect([...types].sort()).toEqual(['esim-order', 'fiber-order', 'mef-order', 'offer-inquiry', 'sales-lead']);
  });

  // One bundle and one replay worker for every history (bundling per history took most of
  // this file's time); each history's own outcome is still its own test below.
  const outcomes = new Map<string, string | undefined>();
  let bundle!: string;
  beforeAll(async () => {
    bundle = await writeWorkflowBundle(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'workflow-bundle.js'));
    const histories = files.map((file) => ({ workflowId: file, history: JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) }));
    histories.push({ workflowId: BROKEN, history: brokenHistory() });
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundle }, dataConverter }, histories)) {
      outcomes.set(result.workflowId, result.error ? String(result.error) : undefined);
    }
  }, 120_000);

  it.each(files)('replays %s deterministically', (file) => {
    expect(outcomes.has(file)).toBe(true);
    expect(outcomes.get(file)).toBeUndefined();
  });

  it('fails a history the code cannot replay, in the same batch: a changed command is caught', () => {
    expect(outcomes.get(BROKEN)).toMatch(/[Nn]ondetermin/);
  });

  it('replays an encrypted history only through the codec: the ciphertext is really there', async () => {
    const file = 'sales-lead.v1.encrypted-reviewed-and-approved.json';
    const text = fs.readFileSync(path.join(DIR, file), 'utf8');
    expect(text).toContain(Buffer.from('binary/encrypted').toString('base64'));
    const history = JSON.parse(text);
    await expect(Worker.runReplayHistory({ workflowsPath: require.resolve('../../src/workflows') }, history, file)).rejects.toThrow(/binary\/encrypted/);
  });

  it('replays from source too, as a worker without a prebuilt bundle runs', async () => {
    const history = JSON.parse(fs.readFileSync(path.join(DIR, 'sales-lead.v1.activated.json'), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowsPath: require.resolve('../../src/workflows'), dataConverter }, history)).resolves.toBeUndefined();
  });
});
