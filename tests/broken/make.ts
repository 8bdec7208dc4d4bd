// Make() for the broken Rafts: each one is a subclass of the reference Raft (src/raft/raft.ts)
// that overrides one method, started exactly as the reference's Make starts a Raft.
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { Persister } from "../../src/persister/index.ts";
import type { ApplyMsg, MakeFn } from "../../src/raft/api.ts";
import { Raft, startRaft } from "../../src/raft/raft.ts";
import type { Channel } from "../../src/sim/index.ts";

export type RaftClass = new (peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>) => Raft;

/** The Make(peers, me, persister, applyCh) of a Raft subclass. */
export function makeWith(RaftClass: RaftClass): MakeFn {
  return (peers, me, persister, applyCh) => startRaft(new RaftClass(peers, me, persister, applyCh));
}

export { Raft };
