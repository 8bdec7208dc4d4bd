// Bug: Kill() does nothing, so a killed instance's tasks go on electing, sending and applying.
// Caught by: the tester, "… after it was killed", at the first crash (TestPersist1PartC).
import { makeWith, Raft } from "./make.ts";

class IgnoresKill extends Raft {
  override Kill(): void {
    // BUG: should set this.dead (and wake the applier)
  }
}

export const Make = makeWith(IgnoresKill);
