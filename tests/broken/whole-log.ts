// Bug: every AppendEntries carries the whole log from its first entry, whatever nextIndex
// says ("to be safe"): correct, but every entry travels to every follower again and again.
// Caught by: TestRPCBytesPartB, "too many RPC bytes".
import type { AppendEntriesArgs } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class WholeLog extends Raft {
  override appendEntriesArgs(peer: number, term: number): AppendEntriesArgs {
    const args = super.appendEntriesArgs(peer, term);
    if (args.PrevLogIndex <= this.log.snapshotIndex) return args;
    const prev = this.log.snapshotIndex; // BUG: ignores nextIndex[peer]
    return { ...args, PrevLogIndex: prev, PrevLogTerm: this.log.term(prev), Entries: this.log.slice(prev + 1) };
  }
}

export const Make = makeWith(WholeLog);
