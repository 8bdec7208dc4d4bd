// Bug: an InstallSnapshot whose last included entry matches the follower's log keeps the
// entries after it (Figure 13, rule 6), but the slice is off by one: the snapshot's last entry
// is kept too, as the first entry after the snapshot, and every later entry sits one index too
// high. Only that case goes wrong: a snapshot that replaces the whole log (rule 7) is right.
// Caught by: TestScenarioSnapshotPrefixPartD (apply error), where a restarted follower holding
// a longer log than the leader's snapshot receives it.
import type { InstallSnapshotArgs, InstallSnapshotReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class SnapshotKeepsItsLastEntry extends Raft {
  override InstallSnapshot(args: InstallSnapshotArgs, reply: InstallSnapshotReply): void {
    const index = args.LastIncludedIndex;
    const prefix = args.Term >= this.currentTerm && index > this.commitIndex && this.log.term(index) === args.LastIncludedTerm;
    const last = prefix ? this.log.entry(index) : undefined;
    super.InstallSnapshot(args, reply);
    if (last === undefined || this.log.snapshotIndex !== index) return;
    // BUG: the retained suffix starts at the snapshot's last entry, not the one after it.
    const rest = this.log.lastIndex() > index ? this.log.slice(index + 1) : [];
    if (rest.length > 0) this.log.truncateFrom(index + 1);
    this.log.append([last, ...rest]);
    this.persist();
  }
}

export const Make = makeWith(SnapshotKeepsItsLastEntry);
