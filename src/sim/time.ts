// Time and tasks for code running inside the simulation (Raft, the tester). These replace
// setTimeout, Date.now and `go f()`: they read and advance only virtual time.
import { world } from "./world.ts";

/** Resolves after `ms` virtual milliseconds (Go's time.Sleep). */
export function sleep(ms: number): Promise<void> {
  const w = world();
  if (!(ms >= 0) || !Number.isFinite(ms)) {
    return Promise.reject(new RangeError(`sleep(${ms}): the duration must be a finite number >= 0`));
  }
  return new Promise<void>((resolve) => w.wakeAfter(ms, resolve));
}

/** Virtual milliseconds since the run began (Go's time.Now, as a number). */
export function now(): number {
  return world().now;
}

/** Starts an async task (Go's `go f()`); an exception in it fails the test with the task's name. */
export function go(name: string, fn: () => unknown): void {
  world().spawn(name, fn);
}
