// A FIFO async mutex: each caller waits for the previous one to release.
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; returns its release function (idempotent). */
  async acquire(): Promise<() => void> {
    const previous = this.tail;
    let release: () => void = () => {};
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  }
}
