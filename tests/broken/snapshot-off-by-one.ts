// Bug: Snapshot(index) compacts the log only up to index-1 (an off-by-one), so Raft's
// snapshot index disagrees with the snapshot's contents: after a restart or an
// InstallSnapshot, the entry at index is applied a second time.
// Caught by: MIT's PartD tests (the tester's applierSnap), docs/BROKEN.md.
import { makeWith, Raft } from "./make.ts";

class SnapshotOffByOne extends Raft {
  override Snapshot(index: number, snapshot: Uint8Array): void {
    super.Snapshot(index - 1, snapshot); // BUG: the snapshot covers index itself
  }
}

export const Make = makeWith(SnapshotOffByOne);
