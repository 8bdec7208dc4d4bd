// Bug (seed 000's student Raft): a new leader announces as LeaderCommit the last index it held
// when it was elected (the student's "commitIndex" of a follower was its log's end), until it
// has committed an entry of its own term; followers then apply entries of earlier terms that
// were never committed (§5.4.2: such entries may still be overwritten by a later leader).
// Caught by: TestScenarioStaleLeaderCommitPartB on every seed (apply error); MIT's tests pass
// it (the entries they apply this way happen to survive), docs/BROKEN.md.
import type { AppendEntriesArgs } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class StaleLeaderCommit extends Raft {
  /** The last log index when this peer last became leader. */
  private lastIndexAtElection = 0;

  override becomeLeader(): void {
    if (this.role === "Candidate") this.lastIndexAtElection = this.log.lastIndex();
    super.becomeLeader();
  }

  override appendEntriesArgs(peer: number, term: number): AppendEntriesArgs {
    const args = super.appendEntriesArgs(peer, term);
    // BUG: LeaderCommit must be the leader's commitIndex, nothing more.
    if (this.log.term(this.commitIndex) !== this.currentTerm) args.LeaderCommit = Math.max(args.LeaderCommit, this.lastIndexAtElection);
    return args;
  }
}

export const Make = makeWith(StaleLeaderCommit);
