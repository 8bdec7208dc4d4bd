// Bug: the AppendEntries handler saves its log only when it appends past the end of it: when
// it replaces a conflicting suffix (an uncommitted entry of a deposed leader) with the
// leader's entries, it acknowledges them while the disk still holds the old ones, until the
// next save for another reason (a new term, a vote, an append at the end). A crash in that
// window brings the follower back with the replaced entry, and an entry the leader counted
// towards a commit is gone.
// Caught by: TestScenarioAckedEntrySurvivesCrashPartC (Leader Completeness), whose second
// part has the follower replace an entry and crash; MIT's tests rarely (docs/BROKEN.md).
import type { AppendEntriesArgs, AppendEntriesReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class ReplacedEntriesNotPersisted extends Raft {
  /** While a request that replaces our entry at `index` (of term `term`) is handled. */
  private replacing: { index: number; term: number } | null = null;

  override AppendEntries(args: AppendEntriesArgs, reply: AppendEntriesReply): void {
    this.replacing = this.firstConflict(args);
    try {
      super.AppendEntries(args, reply);
    } finally {
      this.replacing = null;
    }
  }

  override persist(): void {
    // BUG: once the conflicting entry is replaced, the save of the new entries is skipped (a
    // save before that, for a new term, still happens).
    if (this.replacing !== null && this.log.term(this.replacing.index) !== this.replacing.term) return;
    super.persist();
  }

  /** Where the request, if accepted, overwrites an entry of ours; null if it only appends. */
  private firstConflict(args: AppendEntriesArgs): { index: number; term: number } | null {
    if (this.killed() || args.Term < this.currentTerm) return null;
    let prev = args.PrevLogIndex;
    let entries = args.Entries;
    if (prev < this.log.snapshotIndex) {
      entries = entries.slice(this.log.snapshotIndex - prev);
      prev = this.log.snapshotIndex;
    } else if (prev > this.log.lastIndex() || this.log.term(prev) !== args.PrevLogTerm) {
      return null;
    }
    for (let k = 0; k < entries.length; k++) {
      const index = prev + 1 + k;
      if (index > this.log.lastIndex()) return null;
      if (this.log.term(index) !== entries[k]!.Term) return { index, term: this.log.term(index) };
    }
    return null;
  }
}

export const Make = makeWith(ReplacedEntriesNotPersisted);
