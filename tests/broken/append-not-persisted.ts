// Bug: a follower acknowledges AppendEntries before the new entries are on disk (they are
// saved with the next persist for another reason: a vote, a new term); a crash right after
// the reply loses entries the leader counted towards a commit.
// Caught by: TestScenarioAckedEntrySurvivesCrashPartC (apply error); MIT's crash tests more
// rarely (docs/BROKEN.md).
import type { AppendEntriesArgs, AppendEntriesReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class AppendNotPersisted extends Raft {
  private inAppendEntries = false;

  override AppendEntries(args: AppendEntriesArgs, reply: AppendEntriesReply): void {
    const term = this.currentTerm;
    this.inAppendEntries = true;
    try {
      super.AppendEntries(args, reply);
    } finally {
      this.inAppendEntries = false;
    }
    if (this.currentTerm !== term) this.persist(); // a new term is saved (and the log with it)
  }

  override persist(): void {
    if (this.inAppendEntries) return; // BUG: appended entries must be saved before the reply
    super.persist();
  }
}

export const Make = makeWith(AppendNotPersisted);
