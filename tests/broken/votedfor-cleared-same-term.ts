// Bug: stepping down to follower clears votedFor even when the term stays the same (on every
// AppendEntries of the current leader), so a peer can vote a second time in a term.
// Caught by: the monitor's one-vote-per-term check in MIT's PartA tests (docs/BROKEN.md).
import { makeWith, Raft } from "./make.ts";

class VotedForClearedSameTerm extends Raft {
  override becomeFollower(term: number): void {
    if (term === this.currentTerm) this.votedFor = -1; // BUG: only a new term clears the vote
    super.becomeFollower(term);
  }
}

export const Make = makeWith(VotedForClearedSameTerm);
