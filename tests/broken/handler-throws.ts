// Bug: the AppendEntries handler reads the entry at PrevLogIndex (for a debug print) without
// checking that the log holds one there; index 0, the sentinel, is not an entry.
// Caught by: the network, "the Raft.AppendEntries handler of peer … threw", at the first heartbeat.
import type { AppendEntriesArgs, AppendEntriesReply } from "../../src/raft/types.ts";
import { DPrintf } from "../../src/sim/index.ts";
import { makeWith, Raft } from "./make.ts";

class HandlerThrows extends Raft {
  override AppendEntries(args: AppendEntriesArgs, reply: AppendEntriesReply): void {
    DPrintf(this.me, "AE after %v", this.log.entry(args.PrevLogIndex)); // BUG: RangeError
    super.AppendEntries(args, reply);
  }
}

export const Make = makeWith(HandlerThrows);
