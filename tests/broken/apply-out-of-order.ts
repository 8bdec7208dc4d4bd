// Bug: each ApplyMsg is handed to the service from a task of its own (Go's
// `go func() { rf.applyCh <- msg }()`), so a later index can overtake an earlier one. (The
// tasks start 0–4 ms late, standing for Go's scheduler: see goroutine() in make.ts.)
// Caught by: the tester's applier, "apply out of order", as soon as several entries commit at
// once (TestConcurrentStartsPartB).
import type { ApplyMsg } from "../../src/raft/api.ts";
import { goroutine, makeWith, Raft } from "./make.ts";

class ApplyOutOfOrder extends Raft {
  override deliver(msg: ApplyMsg): Promise<void> {
    // BUG: does not wait for the service to take the message before handing over the next one.
    goroutine(this, `deliver-${msg.CommandIndex}`, () => this.applyCh.send(msg));
    return Promise.resolve();
  }
}

export const Make = makeWith(ApplyOutOfOrder);
