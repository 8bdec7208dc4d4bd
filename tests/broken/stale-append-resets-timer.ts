// Bug: the AppendEntries handler resets the election timer before Figure 2's first rule
// ("reply false if term < currentTerm"): a deposed leader's requests are refused, but they
// still count as word from a live leader. While a deposed leader keeps sending (its replies,
// which would depose it, do not reach it), its old followers never stand, and a majority that
// has lost its real leader elects nobody (the Students' Guide: reset the election timer only
// on an AppendEntries from the current leader; "if the term in the AppendEntries arguments is
// outdated, you should not reset your timer").
// Caught by: TestScenarioDeposedLeaderPartB (no leader within the election allowance, 20/20);
// every MIT test 0/20 (kill matrix, seeds 1..20).
import type { AppendEntriesArgs, AppendEntriesReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class StaleAppendResetsTimer extends Raft {
  override AppendEntries(args: AppendEntriesArgs, reply: AppendEntriesReply): void {
    if (!this.killed()) this.resetElectionTimer(); // BUG: before the term check, so for any sender
    super.AppendEntries(args, reply);
  }
}

export const Make = makeWith(StaleAppendResetsTimer);
