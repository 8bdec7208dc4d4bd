// Bug: Start() returns the index of the entry before the new one (an off-by-one in the log's
// length), so the tester waits for agreement at the wrong index.
// Caught by: TestBasicAgreePartB (docs/BROKEN.md).
import { makeWith, Raft } from "./make.ts";

class StartWrongIndex extends Raft {
  override Start(command: unknown): [number, number, boolean] {
    const [index, term, isLeader] = super.Start(command);
    return [isLeader ? index - 1 : index, term, isLeader]; // BUG: the new entry is at `index`
  }
}

export const Make = makeWith(StartWrongIndex);
