// A condition variable for async code (Go's sync.Cond without the lock: JavaScript code
// between two awaits already runs atomically). Typical use, an applier:
//   while (!killed) { while (lastApplied >= commitIndex) await cond.wait(); ... }
import { world } from "./world.ts";

export class Cond {
  private waiters: Array<{ resolve: () => void; token: number }> = [];

  constructor(readonly name = "cond") {}

  wait(): Promise<void> {
    const w = world();
    return new Promise<void>((resolve) => {
      this.waiters.push({ resolve, token: w.block(`wait on ${this.name}`) });
    });
  }

  /** Wakes the longest waiter, if any. */
  signal(): void {
    const waiter = this.waiters.shift();
    if (waiter === undefined) return;
    const w = world();
    w.unblock(waiter.token);
    w.wake();
    waiter.resolve();
  }

  /** Wakes every waiter. */
  broadcast(): void {
    if (this.waiters.length === 0) return;
    const w = world();
    for (const waiter of this.waiters.splice(0)) {
      w.unblock(waiter.token);
      waiter.resolve();
    }
    w.wake();
  }
}
