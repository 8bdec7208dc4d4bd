// Bug: persist() only schedules the save, a few milliseconds later in a task of its own (to
// batch writes), so replies and RPCs leave before what they promise is on disk; a crash in
// between loses terms, votes and acknowledged entries.
// Caught by: the crash tests of PartC: the monitor ("term went backwards", "voted twice",
// State Machine Safety, Leader Completeness) or the tester (apply mismatch, no agreement).
import { go, sleep } from "../../src/sim/index.ts";
import { makeWith, Raft } from "./make.ts";

/** How long a save waits (virtual ms). */
const PERSIST_DELAY_MS = 20;

class PersistLate extends Raft {
  private savePending = false;

  override persist(): void {
    if (this.savePending) return;
    this.savePending = true;
    go(`raft-${this.me}-persist`, async () => {
      await sleep(PERSIST_DELAY_MS); // BUG: the state is not saved before persist() returns
      this.savePending = false;
      super.persist();
    });
  }
}

export const Make = makeWith(PersistLate);
