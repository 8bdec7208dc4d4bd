// Bug: the leader commits an entry of an earlier term by counting its replicas (the situation
// of the paper's Figure 8); such an entry can still be overwritten by a later leader.
// Caught by: the monitor's Leader Completeness (or State Machine Safety), but only rarely: in
// about 1 of 40 runs of TestFigure8UnreliablePartC, never in 350 of TestFigure8PartC
// (docs/BROKEN.md).
import { makeWith, Raft } from "./make.ts";

class Figure8Commit extends Raft {
  override mayCommitByCounting(_index: number): boolean {
    return true; // BUG: only an entry of the current term may be committed by counting
  }
}

export const Make = makeWith(Figure8Commit);
