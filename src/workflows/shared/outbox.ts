import { condition } from '@temporalio/workflow';

/**
 * The transactional outbox, inside a workflow. A change and the notifications it raises
 * are written together by one loop, in order, so an older snapshot never overwrites a
 * newer one; then each notification is delivered, once stored, in the order it was
 * made. A partner endpoint that is down holds the queue (its activity retries durably)
 * without holding up the work.
 */
export interface Outbox<N extends { id: string }> {
  /** The state changed: the loop writes it (with whatever is queued). */
  changed(): void;
  /** Queues the notification `make` builds from its sequence number (1, 2, …); returns its id. */
  add(make: (seq: number) => N, deliver: boolean): string;
  /** Resolves once everything changed so far is stored. */
  stored(): Promise<void>;
  /** Starts the write and delivery loops; they wait for work for as long as the workflow runs. */
  start(): void;
  /** Resolves once nothing is left to store or deliver. */
  drained(): Promise<void>;
}

export function outbox<N extends { id: string }>(io: {
  /** Writes the state as it is now, with the notifications queued since the last write. */
  store(notifications: N[]): Promise<unknown>;
  deliver(id: string): Promise<unknown>;
  /** The delivery's retries are spent: recorded as such, and the queue moves on. */
  undeliverable(id: string, err: unknown): Promise<unknown>;
}): Outbox<N> {
  let revision = 0;
  let storedRevision = 0;
  let seq = 0;
  const unstored: N[] = [];
  const undelivered: string[] = [];

  const stored = (): Promise<void> => {
    const wanted = revision;
    return condition(() => storedRevision >= wanted);
  };

  async function storedNotification(id: string): Promise<void> {
    await condition(() => !unstored.some((n) => n.id === id));
    await stored();
  }

  async function writeLoop(): Promise<void> {
    for (;;) {
      await condition(() => revision > storedRevision);
      const target = revision;
      const notifications = unstored.splice(0);
      await io.store(notifications);
      storedRevision = target;
    }
  }

  async function deliveryLoop(): Promise<void> {
    for (;;) {
      await condition(() => undelivered.length > 0 && storedRevision > 0);
      const id = undelivered[0]!;
      await storedNotification(id);
      try {
        await io.deliver(id);
      } catch (err) {
        await io.undeliverable(id, err);
      }
      undelivered.shift();
    }
  }

  return {
    changed() {
      revision += 1;
    },
    add(make, deliver) {
      seq += 1;
      const notification = make(seq);
      unstored.push(notification);
      if (deliver) undelivered.push(notification.id);
      revision += 1;
      return notification.id;
    },
    stored,
    start() {
      void writeLoop();
      void deliveryLoop();
    },
    drained: () => condition(() => undelivered.length === 0 && revision === storedRevision && unstored.length === 0),
  };
}
