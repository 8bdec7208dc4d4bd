// Attack: a dynamic import() of node:fs with a specifier the bundler cannot see.
// Expected: there is no module loader in the sandbox: the import rejects and the run fails.
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { Persister } from "../../src/persister/index.ts";
import type { ApplyMsg, Raft } from "../../src/raft/api.ts";
import { Make as makeReference } from "../../src/raft/index.ts";
import { go, sleep, type Channel } from "../../src/sim/index.ts";

export function Make(peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  const rf = makeReference(peers, me, persister, applyCh);
  go(`attack-${me}`, async () => {
    await sleep(100);
    const spec = ["node", "fs"].join(":");
    await import(spec);
  });
  return rf;
}
