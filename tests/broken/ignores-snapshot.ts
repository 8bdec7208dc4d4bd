// Bug: Snapshot() does nothing, so the log is never trimmed and the persisted state grows.
// Caught by: TestSnapshotBasicPartD, "Log size too large".
import { makeWith, Raft } from "./make.ts";

class IgnoresSnapshot extends Raft {
  override Snapshot(_index: number, _snapshot: Uint8Array): void {
    // BUG: should trim the log through index and keep the snapshot
  }
}

export const Make = makeWith(IgnoresSnapshot);
