// Bug: RequestVote grants a vote without the election restriction (§5.4.1): a candidate whose
// log lacks committed entries can win, and then overwrites them.
// Caught by: TestScenarioElectionRestrictionPartB (apply error), which hands the election to
// the peers with outdated logs; MIT's tests more rarely (docs/BROKEN.md).
import type { RequestVoteArgs, RequestVoteReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class VotesIgnoreLog extends Raft {
  override RequestVote(args: RequestVoteArgs, reply: RequestVoteReply): void {
    // BUG: every candidate's log looks at least as up-to-date as ours.
    super.RequestVote({ ...args, LastLogTerm: Number.MAX_SAFE_INTEGER, LastLogIndex: Number.MAX_SAFE_INTEGER }, reply);
  }
}

export const Make = makeWith(VotesIgnoreLog);
