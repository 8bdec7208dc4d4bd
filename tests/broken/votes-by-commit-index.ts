// Bug (seed 000's student Raft): RequestVote's up-to-date check compares the candidate's log
// with the voter's commit point (the entry at commitIndex) instead of the voter's last entry,
// so a voter that holds entries it has not yet seen committed (a follower, or any peer just
// restarted, whose commitIndex starts at 0) votes for a candidate lacking them.
// Caught by: TestScenarioAckedEntrySurvivesCrashPartC (Leader Completeness or apply error);
// docs/BROKEN.md has the rates on MIT's tests.
import type { RequestVoteArgs, RequestVoteReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class VotesByCommitIndex extends Raft {
  override RequestVote(args: RequestVoteArgs, reply: RequestVoteReply): void {
    // BUG: the election restriction must compare with our last log entry, not our commit point.
    const term = this.log.term(this.commitIndex);
    const upToDate = args.LastLogTerm > term || (args.LastLogTerm === term && args.LastLogIndex >= this.commitIndex);
    const verdict = upToDate ? Number.MAX_SAFE_INTEGER : -1; // what the reference's own check then sees
    super.RequestVote({ ...args, LastLogTerm: verdict, LastLogIndex: verdict }, reply);
  }
}

export const Make = makeWith(VotesByCommitIndex);
