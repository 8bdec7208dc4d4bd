// Attack: V8's Error.prepareStackTrace hook, whose call sites can hand out the functions on the stack.
// Expected: Error is frozen: the assignment throws inside the task and the run fails with it.
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { Persister } from "../../src/persister/index.ts";
import type { ApplyMsg, Raft } from "../../src/raft/api.ts";
import { Make as makeReference } from "../../src/raft/index.ts";
import { go, sleep, type Channel } from "../../src/sim/index.ts";

export function Make(peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  const rf = makeReference(peers, me, persister, applyCh);
  go(`attack-${me}`, async () => {
    await sleep(100);
    (Error as unknown as { prepareStackTrace: unknown }).prepareStackTrace = (_e: unknown, sites: unknown[]) => sites;
    void new Error("x").stack;
  });
  return rf;
}
