// Attack: escape through the constructor of values the harness hands over (the Call function, the persister, an error the Persister throws, a filled-in reply): the host realm's Function("return process") would reach everything.
// Expected: every such constructor is the sandbox's own Function, whose process is the unavailable one: the run fails with one sentence.
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { Persister } from "../../src/persister/index.ts";
import type { ApplyMsg, Raft } from "../../src/raft/api.ts";
import { Make as makeReference } from "../../src/raft/index.ts";
import { go, sleep, type Channel } from "../../src/sim/index.ts";

export function Make(peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  const rf = makeReference(peers, me, persister, applyCh);
  go(`attack-${me}`, async () => {
    await sleep(100);
    const candidates: unknown[] = [peers[0]!.Call, persister, applyCh];
    try {
      persister.Save("not bytes" as unknown as Uint8Array, null);
    } catch (e) {
      candidates.push(e);
    }
    const reply = {};
    await peers[(me + 1) % peers.length]!.Call("Raft.RequestVote", { Term: 0, CandidateId: me, LastLogIndex: 0, LastLogTerm: 0 }, reply);
    candidates.push(reply);
    for (const c of candidates) {
      const F = (c as { constructor: { constructor: (src: string) => () => { exit(code: number): void } } }).constructor.constructor;
      F("return process")().exit(0);
    }
  });
  return rf;
}
