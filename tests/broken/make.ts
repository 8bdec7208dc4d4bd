// Make() for the broken Rafts: each one is a subclass of the reference Raft (src/raft/raft.ts)
// that overrides one method, started exactly as the reference's Make starts a Raft.
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { Persister } from "../../src/persister/index.ts";
import type { ApplyMsg, MakeFn } from "../../src/raft/api.ts";
import { Raft, startRaft } from "../../src/raft/raft.ts";
import { type Channel, go, rng, sleep } from "../../src/sim/index.ts";

export type RaftClass = new (peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>) => Raft;

/** The Make(peers, me, persister, applyCh) of a Raft subclass. */
export function makeWith(RaftClass: RaftClass): MakeFn {
  return (peers, me, persister, applyCh) => startRaft(new RaftClass(peers, me, persister, applyCh));
}

export { Raft };

/**
 * Go's `go f()` as the broken Rafts that race their own tasks use it: starts `fn` as a task
 * that begins after a random 0–4 ms. The simulator runs tasks started at the same instant in
 * the order they were started, which would hide the race; Go's scheduler promises no order.
 */
export function goroutine(rf: Raft, name: string, fn: () => Promise<unknown>): void {
  const scheduler = rng(`broken-scheduler-${rf.me}`);
  go(`raft-${rf.me}-${name}`, async () => {
    await sleep(scheduler.intn(5));
    await fn();
  });
}
