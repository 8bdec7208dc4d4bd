// MIT's Persister: holds a Raft instance's persisted state and snapshot as bytes. Save
// replaces both halves at once; every read returns a private copy, so nothing Raft keeps
// can alias what is stored, and a crashed instance writing into its old Persister (the
// tester hands the new instance a Copy) changes nothing anybody reads.

import { maybeWorld } from "../sim/index.ts";

const EMPTY = new Uint8Array(0);

export class Persister {
  private raftstate: Uint8Array = EMPTY;
  private snapshot: Uint8Array = EMPTY;
  /** Incremented on every Save; the tester uses it to tell "never saved" from "saved empty". */
  private saves = 0;
  /** The peer whose state this is, for the trace (-1 when unknown). */
  owner = -1;

  /** Replaces both the Raft state and the snapshot with private copies (null saves empty). */
  Save(raftstate: Uint8Array | null, snapshot: Uint8Array | null): void {
    this.raftstate = copyOf(raftstate, "raftstate");
    this.snapshot = copyOf(snapshot, "snapshot");
    this.saves++;
    maybeWorld()?.record(this.owner, "persist", `save: state ${this.raftstate.length} bytes, snapshot ${this.snapshot.length} bytes`);
  }

  ReadRaftState(): Uint8Array {
    return copyBytes(this.raftstate);
  }

  ReadSnapshot(): Uint8Array {
    return copyBytes(this.snapshot);
  }

  RaftStateSize(): number {
    return this.raftstate.length;
  }

  SnapshotSize(): number {
    return this.snapshot.length;
  }

  /** A new Persister with the same contents. Sharing the arrays is safe: they are never mutated. */
  Copy(): Persister {
    const p = new Persister();
    p.raftstate = this.raftstate;
    p.snapshot = this.snapshot;
    p.saves = this.saves;
    p.owner = this.owner;
    return p;
  }

  get saveCount(): number {
    return this.saves;
  }
}

export function MakePersister(): Persister {
  return new Persister();
}

function copyOf(bytes: Uint8Array | null | undefined, what: string): Uint8Array {
  if (bytes === null || bytes === undefined) return EMPTY;
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`Persister.Save: ${what} must be a Uint8Array or null (use labgob's encode), got ${describe(bytes)}`);
  }
  return bytes.length === 0 ? EMPTY : copyBytes(bytes);
}

/** A private copy. Not `bytes.slice()`: a Node Buffer's slice is a view, not a copy. */
function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return `an instance of ${(v as object).constructor?.name ?? "Object"}`;
  return typeof v;
}
