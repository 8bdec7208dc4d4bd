// Bug: the AppendEntries args get a toString() for nicer debug output; labgob encodes plain
// data only, and a function is not data.
// Caught by: labgob at the first heartbeat, "labgob: cannot encode Raft.AppendEntries args.toString: function".
import type { AppendEntriesArgs } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class UnencodableArgs extends Raft {
  override appendEntriesArgs(peer: number, term: number): AppendEntriesArgs {
    const args = super.appendEntriesArgs(peer, term);
    args.toString = () => `AE(T${args.Term}, prev ${args.PrevLogIndex}, ${args.Entries.length} entries)`; // BUG
    return args;
  }
}

export const Make = makeWith(UnencodableArgs);
