import { allows, Lifecycle, reachable, terminalStates } from '../../src/domain/shared/lifecycle';
import { FIBRE_ORDER_LIFECYCLE } from '../../src/domain/fibre/orderLifecycle';
import { ACTION_ALLOWED_FROM, FINAL_STATUSES, MEF_ORDER_LIFECYCLE, MEF_ORDER_STATUSES } from '../../src/domain/mefOrders/lifecycle';
import { SALES_LEAD_LIFECYCLE } from '../../src/domain/salesLeads/lifecycle';

const ALL: Lifecycle<string>[] = [MEF_ORDER_LIFECYCLE, SALES_LEAD_LIFECYCLE, FIBRE_ORDER_LIFECYCLE];

describe.each(ALL.map((l) => [l.name, l] as const))('the %s lifecycle table', (_name, lifecycle) => {
  const states = Object.keys(lifecycle.moves);

  it('names only its own states, never a move to where it is', () => {
    for (const [from, tos] of Object.entries(lifecycle.moves)) {
      for (const to of tos) expect([from, to, states.includes(to)]).toEqual([from, to, true]);
      expect(tos).not.toContain(from);
    }
    for (const s of lifecycle.initial) expect(states).toContain(s);
  });

  it('reaches every state from its start, and a terminal state from every state', () => {
    for (const s of states) {
      expect([s, reachable(lifecycle, undefined, s)]).toEqual([s, true]);
      expect([s, terminalStates(lifecycle).some((t) => reachable(lifecycle, s, t))]).toEqual([s, true]);
    }
  });

  it('lets nothing leave a terminal state', () => {
    for (const t of terminalStates(lifecycle)) for (const s of states) expect(allows(lifecycle, t, s)).toBe(false);
  });
});

describe('the MEF order tables agree', () => {
  it('its terminal states are the final statuses, and it covers every status', () => {
    expect(Object.keys(MEF_ORDER_LIFECYCLE.moves).sort()).toEqual([...MEF_ORDER_STATUSES].sort());
    expect(terminalStates(MEF_ORDER_LIFECYCLE).sort()).toEqual([...FINAL_STATUSES].sort());
  });

  it('every buyer action the action table allows leads to a move the lifecycle table allows', () => {
    for (const s of ACTION_ALLOWED_FROM.hold) expect([s, allows(MEF_ORDER_LIFECYCLE, s, 'HELD')]).toEqual([s, true]);
    for (const s of ACTION_ALLOWED_FROM.release) expect([s, ['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING'].every((to) => allows(MEF_ORDER_LIFECYCLE, s, to as never))]).toEqual([s, true]);
    for (const s of ACTION_ALLOWED_FROM.cancel) expect([s, allows(MEF_ORDER_LIFECYCLE, s, 'CANCELLED')]).toEqual([s, true]);
    for (const s of FINAL_STATUSES) for (const allowed of Object.values(ACTION_ALLOWED_FROM)) expect(allowed).not.toContain(s);
  });

  it('never reaches an outcome but from IN_PROGRESS', () => {
    for (const outcome of ['COMPLETED', 'PARTIAL', 'FAILED'] as const) {
      expect(MEF_ORDER_STATUSES.filter((s) => allows(MEF_ORDER_LIFECYCLE, s, outcome))).toEqual(['IN_PROGRESS']);
    }
  });
});
