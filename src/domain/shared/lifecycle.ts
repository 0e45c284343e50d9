/**
 * A lifecycle as data: the states it may begin in and, from each state, the states it
 * may move to. Workflows change state only through `allows`, so a late event (a
 * seller's answer, a timer, an operator) cannot take an order somewhere the table does
 * not go; the model-based tests check every observed move against the same table.
 * Pure: bundled into workflow code.
 */
export interface Lifecycle<S extends string> {
  readonly name: string;
  readonly initial: readonly S[];
  /** Terminal states map to `[]`: nothing leaves them. */
  readonly moves: Readonly<Record<S, readonly S[]>>;
}

/** `from` undefined: the first state the workflow enters. */
export function allows<S extends string>(lifecycle: Lifecycle<S>, from: S | undefined, to: S): boolean {
  return from === undefined ? lifecycle.initial.includes(to) : lifecycle.moves[from].includes(to);
}

export function isTerminal<S extends string>(lifecycle: Lifecycle<S>, state: S): boolean {
  return lifecycle.moves[state].length === 0;
}

export function terminalStates<S extends string>(lifecycle: Lifecycle<S>): S[] {
  return (Object.keys(lifecycle.moves) as S[]).filter((s) => isTerminal(lifecycle, s));
}

/**
 * Whether `to` can follow `from` through zero or more allowed moves: what two reads of
 * the state (a query now, another later) may show, since moves can pass unseen between them.
 */
export function reachable<S extends string>(lifecycle: Lifecycle<S>, from: S | undefined, to: S): boolean {
  const seen = new Set<S>();
  const queue: S[] = from === undefined ? [...lifecycle.initial] : [from];
  while (queue.length > 0) {
    const s = queue.shift()!;
    if (s === to) return true;
    if (seen.has(s)) continue;
    seen.add(s);
    queue.push(...lifecycle.moves[s]);
  }
  return false;
}

/** The warning a workflow logs when it refuses a move, and an operator reads. */
export function refusedMove<S extends string>(lifecycle: Lifecycle<S>, from: S | undefined, to: S): string {
  const allowed = from === undefined ? lifecycle.initial : lifecycle.moves[from];
  return `${lifecycle.name}: ${from ?? '(start)'} → ${to} is not in the lifecycle table (allowed: ${allowed.join(', ') || 'none, it is final'}).`;
}
