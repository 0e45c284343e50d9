import { ActivationRow, bulkOutput } from '../../src/domain/esimOrders/bulkOutput';
import { bulkPhases } from '../../src/workflows/esimOrders/bulkBatches';
import type { EsimSubscription, ResolvedPlan } from '../../src/workflows/esimOrders/contract';

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

});

describe('a bulk order\'s output, built from its activation rows', () => {
  const row = (iccid: string, position: number, planIndex: number, status: ActivationRow['status'], extra: Partial<ActivationRow> = {}): ActivationRow => ({
    iccid, position, planIndex, batch: 0, status, matchingId: null, smdpUrl: null, reason: null, ...extra,
  });
  const active = (iccid: string, position: number, planIndex: number, batch = 0) =>
    row(iccid, position, planIndex, 'ACTIVATED', { batch, matchingId: `M-${iccid}-${planIndex}`, smdpUrl: 'smdp' });
  // a: both plans active; b: one of two (the other due in a later batch); c failed; d never tried; e lost with its batch.
  const rows = [
    row('d', 3, 0, 'NOT_ATTEMPTED'),
    active('a', 0, 1, 1),
    active('b', 1, 0),
    row('c', 2, 0, 'FAILED', { reason: 'refused' }),
    active('a', 0, 0),
    row('b', 1, 1, 'NOT_ATTEMPTED', { batch: 1 }),
    row('e', 4, 0, 'UNKNOWN', { reason: 'its batch ended without an answer' }),
  ];

  it('lists every ICCID once, in the order named; ACTIVATED (with the last activation\'s profile) once all its plans are', () => {
    expect(bulkOutput(rows, false)).toEqual([
      { iccid: 'a', matchingId: 'M-a-1', smdpUrl: 'smdp', status: 'ACTIVATED' },
      { iccid: 'b', status: 'NOT_ATTEMPTED' },
      { iccid: 'c', status: 'FAILED', reason: 'refused' },
      { iccid: 'd', status: 'NOT_ATTEMPTED' },
      { iccid: 'e', status: 'FAILED', reason: 'its batch ended without an answer' },
    ]);
  });

  it('after an undo, ROLLED_BACK whatever was activated, wholly (keeping its profile) or in part; FAILED stays FAILED', () => {
    expect(bulkOutput(rows, true).map((r) => [r.iccid, r.status, r.matchingId])).toEqual([
      ['a', 'ROLLED_BACK', 'M-a-1'],
      ['b', 'ROLLED_BACK', undefined],
      ['c', 'FAILED', undefined],
      ['d', 'NOT_ATTEMPTED', undefined],
      ['e', 'FAILED', undefined],
    ]);
  });
});
