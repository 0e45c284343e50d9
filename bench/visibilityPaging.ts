import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { FIBRE_ORDER_WORKFLOW_TYPE, fibreOrderWorkflowId } from '../src/workflows/fibre/orderContract';
import { API_FAMILIES, startSearchAttributes } from '../src/workflows/shared/searchAttributes';
import { startDevServer } from '../test/support/temporal';
import { Latencies, summary } from './latencies';

/**
 * The naive orders feed: ask Temporal visibility for the tenant's closed fibre-order
 * workflows, page by page. The workflows are real executions on a real dev server with
 * the search attributes our API sets (ApiFamily, TenantId, OrderStatus), one tenth of
 * another tenant; they are started on a queue no worker polls and terminated, which
 * closes them exactly as completion would for visibility's purposes, without a worker
 * to run them. A page is timed from the request until the executions are JavaScript
 * objects in hand (the SQL side's equivalent); a real feed would still have to render
 * them and, as the message is not a search attribute, ask each workflow for it: this
 * is visibility's floor.
 */
export interface VisibilityFigures {
  workflows: number;
  pageSize: number;
  pages: Latencies;
}

const TASK_QUEUE = 'bench-visibility-no-worker';
const CONCURRENCY = 32;
const MIN_PAGES = 20;
export const VISIBILITY_QUERY = `WorkflowType = '${FIBRE_ORDER_WORKFLOW_TYPE}' AND ApiFamily = '${API_FAMILIES.fibre}' AND TenantId = 'demo' AND OrderStatus IN ('DELIVERED', 'REJECTED') AND ExecutionStatus != 'Running'`;

async function closeOrders(client: Client, from: number, to: number): Promise<void> {
  let next = from;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < to; i = next++) {
        const orderId = `bench-visibility-${String(i).padStart(7, '0')}`;
        const handle = await client.workflow.start(FIBRE_ORDER_WORKFLOW_TYPE, {
          workflowId: fibreOrderWorkflowId(orderId),
          taskQueue: TASK_QUEUE,
          args: [{}],
          typedSearchAttributes: startSearchAttributes(API_FAMILIES.fibre, i % 4 ? 'DELIVERED' : 'REJECTED', { tenantId: i % 11 ? 'demo' : 'other', correlationId: orderId, businessReference: `SP-${i}` }),
        });
        await handle.terminate('benchmark fixture: closed for visibility');
      }
    }),
  );
}

async function visibleCount(client: Client, expected: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { count } = await client.workflow.count(VISIBILITY_QUERY);
    if (count === expected) return;
    if (Date.now() > deadline) throw new Error(`visibility shows ${count} of ${expected} closed orders`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function pageThrough(client: Client, pageSize: number, expected: number): Promise<number[]> {
  const ms: number[] = [];
  let seen = 0;
  let nextPageToken: Uint8Array | undefined;
  do {
    const t0 = performance.now();
    const page = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query: VISIBILITY_QUERY, pageSize, nextPageToken });
    ms.push(performance.now() - t0);
    seen += page.executions.length;
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  if (seen !== expected) throw new Error(`visibility listed ${seen} of ${expected} closed orders`);
  return ms;
}

export async function measureVisibility(sizes: number[], pageSizes: number[]): Promise<VisibilityFigures[]> {
  const env = await startDevServer({ logLevel: 'error' });
  const figures: VisibilityFigures[] = [];
  try {
    let made = 0;
    for (const size of sizes) {
      const t0 = performance.now();
      await closeOrders(env.client, made, size);
      made = size;
      const demo = Array.from({ length: size }, (_, i) => i).filter((i) => i % 11).length;
      await visibleCount(env.client, demo);
      console.log(`  ${size} closed order workflows (${demo} of tenant demo) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      for (const pageSize of pageSizes) {
        const ms: number[] = [];
        while (ms.length < MIN_PAGES) ms.push(...(await pageThrough(env.client, pageSize, demo)));
        figures.push({ workflows: size, pageSize, pages: summary(ms, Math.min(pageSize, demo)) });
      }
    }
  } finally {
    await env.teardown();
  }
  return figures;
}
