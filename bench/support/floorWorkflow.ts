import { allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { FloorActivities } from './floorWorker';

/**
 * The floor of the intake benchmark: the least an order can be on this server. The
 * caller's Update-with-Start waits while one activity writes one row, then the workflow
 * completes. Everything an order does beyond this is what our workflows cost.
 */
export const floorSubmit = defineUpdate<string, [string]>('submit');

const { writeFloorRow } = proxyActivities<FloorActivities>({ startToCloseTimeout: '10s' });

export async function floorWorkflow(id: string): Promise<string> {
  let written = false;
  setHandler(floorSubmit, async () => {
    await condition(() => written);
    return id;
  });
  await writeFloorRow(id);
  written = true;
  await condition(allHandlersFinished);
  return id;
}
