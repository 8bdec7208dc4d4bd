// Attack: a CommonJS require of node:fs, reached through the global object so that the bundler cannot see it.
// Expected: the run fails with one sentence saying require is not available.
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { Persister } from "../../src/persister/index.ts";
import type { ApplyMsg, Raft } from "../../src/raft/api.ts";
import { Make as makeReference } from "../../src/raft/index.ts";
import { go, sleep, type Channel } from "../../src/sim/index.ts";

export function Make(peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  const rf = makeReference(peers, me, persister, applyCh);
  go(`attack-${me}`, async () => {
    await sleep(100);
    const g = globalThis as unknown as Record<string, (m: string) => unknown>;
    g["req" + "uire"]!("node:fs");
  });
  return rf;
}
