// Attack: process.exit(0) in the middle of a run, so that the grader never writes the verdict.
// Expected: the run fails with one sentence saying process is not available; the grader lives on.
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { Persister } from "../../src/persister/index.ts";
import type { ApplyMsg, Raft } from "../../src/raft/api.ts";
import { Make as makeReference } from "../../src/raft/index.ts";
import { go, sleep, type Channel } from "../../src/sim/index.ts";

export function Make(peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  const rf = makeReference(peers, me, persister, applyCh);
  go(`attack-${me}`, async () => {
    await sleep(100);
    process.exit(0);
  });
  return rf;
}
