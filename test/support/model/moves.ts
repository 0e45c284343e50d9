import { allows, Lifecycle, reachable } from '../../../src/domain/shared/lifecycle';

export interface Move<S extends string> {
  from: S | undefined;
  to: S;
}

/**
 * What a model-based test saw a workflow do, per workflow: the moves it recorded (from its
 * activities, so none passes unseen) and the states its queries showed between commands.
 */
export class Observed<S extends string> {
  private readonly moves = new Map<string, Move<S>[]>();
  private readonly lastSeen = new Map<string, S>();

  constructor(readonly lifecycle: Lifecycle<S>) {}

  /** A move the workflow recorded; `from` undefined for its first state. */
  move(id: string, to: S, from?: S): void {
    const list = this.moves.get(id) ?? [];
    list.push({ from: arguments.length > 2 ? from : list.at(-1)?.to, to });
    this.moves.set(id, list);
  }

  movesOf(id: string): Move<S>[] {
    return this.moves.get(id) ?? [];
  }

  /** A state read between commands: it must follow the previous read by allowed moves. */
  seen(id: string, state: S): void {
    const before = this.lastSeen.get(id);
    if (before !== state && !reachable(this.lifecycle, before, state)) {
      throw new Error(`${this.lifecycle.name} ${id}: read ${before ?? '(start)'} and then ${state}, which no allowed moves lead to`);
    }
    this.lastSeen.set(id, state);
  }

  /** Every recorded move is in the table and starts where the previous one ended. */
  check(id: string): void {
    let at: S | undefined;
    for (const [i, m] of this.movesOf(id).entries()) {
      const where = `${this.lifecycle.name} ${id}, move ${i + 1} (${this.movesOf(id).map((x) => x.to).join(' → ')})`;
      if (m.from !== at) throw new Error(`${where}: recorded as from ${m.from ?? '(start)'}, but the order was ${at ?? '(start)'}`);
      if (!allows(this.lifecycle, m.from, m.to)) throw new Error(`${where}: ${m.from ?? '(start)'} → ${m.to} is not in the table`);
      at = m.to;
    }
  }
}
