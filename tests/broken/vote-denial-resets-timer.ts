// Bug: the election timer is reset by every RequestVote, granted or not (Figure 2 resets it
// only for a granted vote, an AppendEntries from the current leader, or a new election).
// Candidates with outdated logs, which can never win, then keep the up-to-date peers from
// ever standing: the Students' Guide's livelock.
// Caught by: TestScenarioStaleCandidatesPartB (no agreement; the diagnosis shows the elections
// a connected majority kept holding); MIT's tests rarely (docs/BROKEN.md).
import type { RequestVoteArgs, RequestVoteReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class VoteDenialResetsTimer extends Raft {
  override RequestVote(args: RequestVoteArgs, reply: RequestVoteReply): void {
    super.RequestVote(args, reply);
    if (!this.killed()) this.resetElectionTimer(); // BUG: only a granted vote defers our candidacy
  }
}

export const Make = makeWith(VoteDenialResetsTimer);
