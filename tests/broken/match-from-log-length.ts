// Bug: on a successful AppendEntries reply the leader sets matchIndex to its own last log
// index at the time the reply arrives, not to what the request carried (prevLogIndex +
// len(entries)): entries appended while the call was in flight count as replicated, and an
// entry held by the leader alone can be committed (the Students' Guide: term confusion, and
// "matchIndex must come from the arguments you sent").
// Caught by: TestScenarioLateReplyPartB (apply error); docs/BROKEN.md has the rates on MIT's tests.
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { MakeFn } from "../../src/raft/api.ts";
import type { AppendEntriesArgs, AppendEntriesReply } from "../../src/raft/types.ts";
import { Raft, startRaft } from "../../src/raft/raft.ts";

/** The peer's ends, each wrapped so that a successful AppendEntries reply is acted on too early. */
function wrapEnds(peers: ClientEnd[], rf: () => Raft): ClientEnd[] {
  return peers.map((end, peer) => ({
    Call: async (svcMeth: string, args: unknown, reply: object): Promise<boolean> => {
      const ok = await end.Call(svcMeth, args, reply);
      const r = rf();
      const a = args as AppendEntriesArgs;
      if (ok && svcMeth.endsWith("AppendEntries") && (reply as AppendEntriesReply).Success && r.isLeaderOf(a.Term)) {
        r.matchIndex[peer] = Math.max(r.matchIndex[peer]!, r.log.lastIndex()); // BUG: a.PrevLogIndex + a.Entries.length
      }
      return ok;
    },
  }) as unknown as ClientEnd);
}

export const Make: MakeFn = (peers, me, persister, applyCh) => {
  let rf: Raft | undefined;
  const made = startRaft(new Raft(wrapEnds(peers, () => rf!), me, persister, applyCh));
  rf = made;
  return made;
};
