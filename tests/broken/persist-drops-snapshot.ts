// Bug: persist() saves the Raft state with a null snapshot, Save(raftstate, null), which
// erases the snapshot saved before.
// Caught by: TestSnapshotInitPartD: at restart the service has no snapshot while Raft resumes
// after it, "apply out of order".
import { makeWith, Raft } from "./make.ts";

class PersistDropsSnapshot extends Raft {
  override persist(): void {
    super.persist();
    this.persister.Save(this.persister.ReadRaftState(), null); // BUG: the snapshot half is dropped
  }
}

export const Make = makeWith(PersistDropsSnapshot);
