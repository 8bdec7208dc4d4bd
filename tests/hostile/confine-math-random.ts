// Attack: an election timeout drawn from Math.random, which no seed decides.
// Expected: the run fails at the first use, with one sentence naming rng().
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { Persister } from "../../src/persister/index.ts";
import type { ApplyMsg, Raft } from "../../src/raft/api.ts";
import { Make as makeReference } from "../../src/raft/index.ts";
import { go, sleep, type Channel } from "../../src/sim/index.ts";

export function Make(peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  const rf = makeReference(peers, me, persister, applyCh);
  go(`attack-${me}`, async () => {
    await sleep(100);
    await sleep(Math.floor(Math.random() * 100));
  });
  return rf;
}
