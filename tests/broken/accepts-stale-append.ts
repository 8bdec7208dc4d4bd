// Bug: AppendEntries skips Figure 2's first rule ("reply false if term < currentTerm"): a
// deposed leader's requests are processed as the current leader's, so it overwrites entries
// a later leader committed (the reply still carries our term, and the deposed leader steps
// down, but the damage is done).
// Caught by: TestScenarioDeposedLeaderPartB (Leader Completeness or apply error); MIT's tests
// more rarely (docs/BROKEN.md).
import type { AppendEntriesArgs, AppendEntriesReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class AcceptsStaleAppend extends Raft {
  override AppendEntries(args: AppendEntriesArgs, reply: AppendEntriesReply): void {
    // BUG: a request of an older term is handled as if it were of ours.
    super.AppendEntries(args.Term < this.currentTerm ? { ...args, Term: this.currentTerm } : args, reply);
  }
}

export const Make = makeWith(AcceptsStaleAppend);
