// Bug: the leader keeps one AppendEntries args object and refills it for every call, while
// earlier calls with it are still in flight.
// Caught by: the network's check of in-flight arguments, "changed the arguments of".
import type { AppendEntriesArgs } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class MutatesArgs extends Raft {
  private readonly args = {} as AppendEntriesArgs;

  override appendEntriesArgs(peer: number, term: number): AppendEntriesArgs {
    return Object.assign(this.args, super.appendEntriesArgs(peer, term)); // BUG: not a fresh object
  }
}

export const Make = makeWith(MutatesArgs);
