// Bug: a follower rejects a mismatched AppendEntries without a hint (no XTerm/XIndex/XLen),
// so the leader backs up one entry per round trip: a follower whose log conflicts over many
// entries costs as many RPCs (the Students' Guide's accelerated log backtracking).
// Caught by: TestScenarioFastBackupPartB (its RPC bound); MIT's tests never (their round
// trips cost no virtual time here, docs/BROKEN.md).
import type { AppendEntriesArgs, AppendEntriesReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class OneEntryBackup extends Raft {
  override AppendEntries(args: AppendEntriesArgs, reply: AppendEntriesReply): void {
    super.AppendEntries(args, reply);
    if (!reply.Success && reply.Term <= args.Term) {
      reply.XTerm = -1; // BUG: no hint; the leader can only try the index before
      reply.XIndex = -1;
      reply.XLen = args.PrevLogIndex;
    }
  }
}

export const Make = makeWith(OneEntryBackup);
