// MIT's Persister: holds a Raft instance's persisted state and snapshot as bytes. Save
// replaces both halves at once; every read returns a private copy, so nothing Raft keeps
// can alias what is stored, and a crashed instance writing into its old Persister (the
// tester hands the new instance a Copy) changes nothing anybody reads.
//
// Raft code that persists its whole state on every change saves tens of kilobytes thousands of
// times a test, so each half is copied into storage of its own that is reused from Save to Save
// (it grows, never shrinks), instead of into a new array every time.

import { maybeWorld } from "../sim/index.ts";

const EMPTY = new Uint8Array(0);

/** Bytes kept in a reusable buffer: what Save copies in and every read copies out. */
class Stored {
  private buf: Uint8Array = EMPTY;
  length = 0;

  set(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n > this.buf.length) this.buf = new Uint8Array(Math.max(n, Math.min(2 * this.buf.length, n + (1 << 20))));
    this.buf.set(bytes);
    this.length = n;
  }

  clear(): void {
    this.length = 0;
  }

  /** A private copy of the stored bytes. */
  read(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** Another Stored with the same bytes (its own buffer: this one will be written again). */
  copy(): Stored {
    const c = new Stored();
    c.buf = this.read();
    c.length = this.length;
    return c;
  }
}

export class Persister {
  private raftstate = new Stored();
  private snapshot = new Stored();
  /** Incremented on every Save; the tester uses it to tell "never saved" from "saved empty". */
  private saves = 0;
  /** The peer whose state this is, for the trace (-1 when unknown). */
  owner = -1;

  /** Replaces both the Raft state and the snapshot with private copies (null saves empty). */
  Save(raftstate: Uint8Array | null, snapshot: Uint8Array | null): void {
    checkBytes(raftstate, "raftstate");
    checkBytes(snapshot, "snapshot");
    store(this.raftstate, raftstate);
    store(this.snapshot, snapshot);
    this.saves++;
    maybeWorld()?.record(this.owner, "persist", `save: state ${this.raftstate.length} bytes, snapshot ${this.snapshot.length} bytes`);
  }

  ReadRaftState(): Uint8Array {
    return this.raftstate.read();
  }

  ReadSnapshot(): Uint8Array {
    return this.snapshot.read();
  }

  RaftStateSize(): number {
    return this.raftstate.length;
  }

  SnapshotSize(): number {
    return this.snapshot.length;
  }

  /** A new Persister with the same contents, in storage of its own. */
  Copy(): Persister {
    const p = new Persister();
    p.raftstate = this.raftstate.copy();
    p.snapshot = this.snapshot.copy();
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

function checkBytes(bytes: Uint8Array | null | undefined, what: string): void {
  if (bytes === null || bytes === undefined || bytes instanceof Uint8Array) return;
  throw new TypeError(`Persister.Save: ${what} must be a Uint8Array or null (use labgob's encode), got ${describe(bytes)}`);
}

/** Copies bytes (null saves empty) into the half's own storage. */
function store(half: Stored, bytes: Uint8Array | null | undefined): void {
  if (bytes === null || bytes === undefined) half.clear();
  else half.set(bytes);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return `an instance of ${(v as object).constructor?.name ?? "Object"}`;
  return typeof v;
}
