import { bulkPhases, bulkResults } from '../../src/workflows/esimOrder/bulkBatches';
import type { EsimSubscription, ResolvedPlan } from '../../src/workflows/esimOrder/contract';

const NOW = '2030-01-01T00:00:00.000Z';
const LATER = '2030-01-08T00:00:00.000Z';
const plan = (productId: string, activationDate: string): ResolvedPlan => ({
  planId: `order:${productId}`, productId, type: 'REGULAR', activationDate, autoRenew: false, dataValue: 1, dataUnit: 'GB', price: 1, currency: 'EUR',
});
const sub = (id: string, iccid: string[]): EsimSubscription => ({ id, type: 'REGULAR', autoRenew: false, iccid });

describe('a bulk order cut into phases and batches', () => {
  it('makes one phase per activationDate, earliest first, whatever the subscriptions\' order', () => {
    const phases = bulkPhases([sub('late', ['a', 'b']), sub('now', ['b', 'c'])], [plan('late', LATER), plan('now', NOW)], 10);
    expect(phases.map((p) => [p.dueAt, p.productIds, p.batches])).toEqual([
      [NOW, ['now'], [[{ iccid: 'b', plans: [1] }, { iccid: 'c', plans: [1] }]]],
      [LATER, ['late'], [[{ iccid: 'a', plans: [0] }, { iccid: 'b', plans: [0] }]]],
    ]);
  });

  it('fills batches up to the batch size in activations and never splits an ICCID\'s plans', () => {
    const iccids = ['a', 'b', 'c', 'd', 'e'];
    const phases = bulkPhases([sub('x', iccids), sub('y', ['a', 'b'])], [plan('x', NOW), plan('y', NOW)], 3);
    expect(phases).toHaveLength(1);
    expect(phases[0]!.batches.map((b) => b.map((i) => `${i.iccid}${i.plans.length}`))).toEqual([['a2'], ['b2', 'c1'], ['d1', 'e1']]);
  });

  it('reports ACTIVATED once all of an ICCID\'s plans are, and after an undo ROLLED_BACK whatever was activated, wholly or in part', () => {
    const results = bulkResults([sub('x', ['a', 'b', 'c', 'd']), sub('y', ['a', 'b'])]);
    const profile = (iccid: string) => ({ iccid, matchingId: `M-${iccid}`, smdpUrl: 'smdp' });
    results.activated({ planId: 'x:a', ...profile('a') });
    results.activated({ planId: 'y:a', ...profile('a') });
    results.activated({ planId: 'x:b', ...profile('b') });
    results.failed('c', 'refused');
    expect(results.list().map((r) => r.status)).toEqual(['ACTIVATED', 'NOT_ATTEMPTED', 'FAILED', 'NOT_ATTEMPTED']);
    results.rolledBack();
    expect(results.list()).toEqual([
      { ...profile('a'), status: 'ROLLED_BACK' },
      { iccid: 'b', status: 'ROLLED_BACK' },
      { iccid: 'c', status: 'FAILED', reason: 'refused' },
      { iccid: 'd', status: 'NOT_ATTEMPTED' },
    ]);
  });
});
