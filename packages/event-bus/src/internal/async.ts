/**
 * A wake-up call for one background loop: `wait(ms)` resolves when `notify()` is called or after
 * `ms`, whichever comes first (and says which). A notify that arrives while nobody waits is
 * remembered, so a NOTIFY received while the loop was busy is never lost.
 */
export class Wakeup {
  private waiter: (() => void) | undefined;
  private pending = false;

  notify(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter();
    else this.pending = true;
  }

  /** Resolves true when notified (now or before), false when `ms` passed first. */
  wait(ms: number): Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(false);
      }, ms);
      this.waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}

/**
 * Group commit: items added while a flush is running are flushed together by the next one. Under
 * light load every item is flushed at once (no added latency); under heavy load one statement
 * carries many items (acks, for instance).
 */
export class Batcher<T> {
  private queue: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private running = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxBatch = 1_000,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.queue.splice(0, this.maxBatch);
    this.flush(batch.map((b) => b.item))
      .then(
        () => batch.forEach((b) => b.resolve()),
        (error: unknown) => batch.forEach((b) => b.reject(error)),
      )
      .finally(() => {
        this.running = false;
        this.kick();
      });
  }
}

/** The pause before retry number `failures` (1-based): the schedule's entries, then its last one forever. */
export const backoffDelay = (failures: number, schedule: readonly number[]): number => {
  if (schedule.length === 0) return 0;
  return schedule[Math.min(Math.max(failures, 1), schedule.length) - 1] ?? 0;
};

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
