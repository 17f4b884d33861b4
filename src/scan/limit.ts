// Bounded concurrency for file-system work: a scan of 36,000 files must not start them all at once.

/** Starts callback-style operations with at most `size` in flight; the rest wait in arrival order. */
export class Limiter {
  private active = 0;
  // A queue read from `head`: tens of thousands of operations wait at once, and Array#shift is O(n).
  private queue: Array<() => void> = [];
  private head = 0;

  constructor(private readonly size: number) {}

  /** Start `operation` once a slot is free; it must call `done` exactly once, with its result. */
  schedule<T>(operation: (done: (value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve) => {
      const start = (): void =>
        operation((value) => {
          this.release();
          resolve(value);
        });
      if (this.active < this.size) {
        this.active++;
        start();
      } else this.queue.push(start);
    });
  }

  /** Hand a finished operation's slot to the next waiting one, or free it. */
  private release(): void {
    const next = this.queue[this.head];
    if (next === undefined) {
      this.active--;
      return;
    }
    this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    next();
  }
}
