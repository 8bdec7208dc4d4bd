// Bug: Start() on a server that is not the leader throws instead of returning isLeader = false.
// Caught by: the tester's one(), which tries every server: "Start() of peer … threw".
import { makeWith, Raft } from "./make.ts";

class StartThrows extends Raft {
  override Start(command: unknown): [number, number, boolean] {
    if (this.role !== "Leader") throw new Error(`peer ${this.me} is not the leader`); // BUG
    return super.Start(command);
  }
}

export const Make = makeWith(StartThrows);
