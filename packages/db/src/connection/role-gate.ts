/**
 * A readers–writer lock for PGlite's one connection: queries and transactions of the
 * application hold it shared; work with the owner's rights holds it alone. While the owner's
 * role is on the connection no application query can run, so none ever runs past row-level
 * security by accident.
 */
export class RoleGate {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: Array<{ exclusive: boolean; enter: () => void }> = [];

  /** Holds the gate shared until `release` is called. */
  async acquireShared(): Promise<() => void> {
    if (this.exclusive || this.waiting.some((w) => w.exclusive)) {
      await new Promise<void>((enter) => this.waiting.push({ exclusive: false, enter }));
    } else {
      this.shared += 1;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.shared -= 1;
      this.admit();
    };
  }

  async withShared<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquireShared();
    try {
      return await work();
    } finally {
      release();
    }
  }

  async withExclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.exclusive || this.shared > 0 || this.waiting.length > 0) {
      await new Promise<void>((enter) => this.waiting.push({ exclusive: true, enter }));
    } else {
      this.exclusive = true;
    }
    try {
      return await work();
    } finally {
      this.exclusive = false;
      this.admit();
    }
  }

  /** Lets in, in arrival order, one exclusive waiter or every shared waiter up to the next exclusive one. */
  private admit(): void {
    if (this.exclusive || this.waiting.length === 0) return;
    if (this.waiting[0]!.exclusive) {
      if (this.shared > 0) return;
      this.exclusive = true;
      this.waiting.shift()!.enter();
      return;
    }
    while (this.waiting.length > 0 && !this.waiting[0]!.exclusive) {
      this.shared += 1;
      this.waiting.shift()!.enter();
    }
  }
}
