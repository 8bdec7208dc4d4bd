// Bug: each ApplyMsg is handed to the service from a task of its own (Go's
// `go func() { rf.applyCh <- msg }()`), so a later index can overtake an earlier one once
// the tasks start in no particular order, as goroutines do: in race mode (`--race`,
// RAFTLAB_RACE=1), where every go() task starts a seeded random 0–3 ms late.
// Caught by: the tester's applier, "apply out of order", in race mode, as soon as several
// entries commit at once (TestConcurrentStartsPartB). Without race mode it passes.
import type { ApplyMsg } from "../../src/raft/api.ts";
import { go } from "../../src/sim/index.ts";
import { makeWith, Raft } from "./make.ts";

class ApplyOutOfOrder extends Raft {
  override deliver(msg: ApplyMsg): Promise<void> {
    // BUG: does not wait for the service to take the message before handing over the next one.
    go(`raft-${this.me}-deliver-${msg.CommandIndex}`, () => this.applyCh.send(msg));
    return Promise.resolve();
  }
}

export const Make = makeWith(ApplyOutOfOrder);
