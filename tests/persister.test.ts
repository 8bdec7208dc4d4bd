// Unit tests of the Persister (MIT's persister.go semantics, spec §3.1).
import { describe, expect, it } from "vitest";
import { encode, decode } from "../src/labgob/index.ts";
import { MakePersister, Persister } from "../src/persister/persister.ts";

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe("Persister", () => {
  it("starts empty", () => {
    const p = MakePersister();
    expect(p.ReadRaftState()).toEqual(new Uint8Array(0));
    expect(p.ReadSnapshot()).toEqual(new Uint8Array(0));
    expect(p.RaftStateSize()).toBe(0);
    expect(p.SnapshotSize()).toBe(0);
    expect(p.saveCount).toBe(0);
  });

  it("Save replaces both halves and reports their sizes", () => {
    const p = new Persister();
    p.Save(bytes(1, 2, 3), bytes(9, 9, 9, 9, 9));
    expect(p.RaftStateSize()).toBe(3);
    expect(p.SnapshotSize()).toBe(5);
    expect(p.ReadRaftState()).toEqual(bytes(1, 2, 3));
    expect(p.ReadSnapshot()).toEqual(bytes(9, 9, 9, 9, 9));
    // A later Save without a snapshot clears the snapshot: nothing saves just one half.
    p.Save(bytes(4), null);
    expect(p.ReadRaftState()).toEqual(bytes(4));
    expect(p.SnapshotSize()).toBe(0);
    expect(p.ReadSnapshot()).toEqual(new Uint8Array(0));
    expect(p.saveCount).toBe(2);
  });

  it("stores a private copy: mutating what was saved changes nothing stored", () => {
    const p = new Persister();
    const state = bytes(1, 2, 3);
    const snap = bytes(7, 8);
    p.Save(state, snap);
    state[0] = 100;
    snap[1] = 100;
    expect(p.ReadRaftState()).toEqual(bytes(1, 2, 3));
    expect(p.ReadSnapshot()).toEqual(bytes(7, 8));
  });

  it("hands out private copies: mutating what was read changes nothing stored", () => {
    const p = new Persister();
    p.Save(bytes(1, 2, 3), bytes(7, 8));
    const s1 = p.ReadRaftState();
    const n1 = p.ReadSnapshot();
    s1[0] = 42;
    n1[0] = 42;
    expect(p.ReadRaftState()).toEqual(bytes(1, 2, 3));
    expect(p.ReadSnapshot()).toEqual(bytes(7, 8));
    expect(p.ReadRaftState()).not.toBe(p.ReadRaftState());
  });

  it("copies a subarray view by its contents only", () => {
    const p = new Persister();
    const backing = bytes(0, 1, 2, 3, 4, 5);
    p.Save(backing.subarray(2, 4), null);
    expect(p.RaftStateSize()).toBe(2);
    expect(p.ReadRaftState()).toEqual(bytes(2, 3));
    backing[2] = 99;
    expect(p.ReadRaftState()).toEqual(bytes(2, 3));
    expect(p.ReadRaftState().buffer.byteLength).toBe(2);
  });

  it("Copy is independent of later Saves on either side", () => {
    const p = new Persister();
    p.Save(bytes(1), bytes(2));
    const c = p.Copy();
    expect(c).not.toBe(p);
    expect(c.ReadRaftState()).toEqual(bytes(1));
    expect(c.ReadSnapshot()).toEqual(bytes(2));
    expect(c.saveCount).toBe(1);
    // A crashed instance keeps writing into the old persister: the copy does not see it.
    p.Save(bytes(5, 5), bytes(6, 6, 6));
    expect(c.ReadRaftState()).toEqual(bytes(1));
    expect(c.SnapshotSize()).toBe(1);
    // And the other way round.
    c.Save(bytes(8), null);
    expect(p.ReadRaftState()).toEqual(bytes(5, 5));
    expect(p.SnapshotSize()).toBe(3);
    expect(c.saveCount).toBe(2);
    expect(p.saveCount).toBe(2);
  });

  it("null and undefined save empty", () => {
    const p = new Persister();
    p.Save(bytes(1), bytes(2));
    p.Save(null, null);
    expect(p.RaftStateSize()).toBe(0);
    expect(p.SnapshotSize()).toBe(0);
    p.Save(bytes(1), undefined as unknown as null);
    expect(p.SnapshotSize()).toBe(0);
    p.Save(new Uint8Array(0), new Uint8Array(0));
    expect(p.ReadRaftState()).toEqual(new Uint8Array(0));
    expect(p.saveCount).toBe(4);
  });

  it("a non-Uint8Array argument is a clear TypeError and stores nothing", () => {
    const p = new Persister();
    p.Save(bytes(1), bytes(2));
    expect(() => p.Save([1, 2, 3] as unknown as Uint8Array, null)).toThrow(TypeError);
    expect(() => p.Save([1, 2, 3] as unknown as Uint8Array, null)).toThrow(
      "Persister.Save: raftstate must be a Uint8Array or null (use labgob's encode), got an instance of Array");
    expect(() => p.Save(bytes(1), "snap" as unknown as Uint8Array)).toThrow(
      "Persister.Save: snapshot must be a Uint8Array or null (use labgob's encode), got string");
    expect(() => p.Save({ currentTerm: 3 } as unknown as Uint8Array, null)).toThrow("got an instance of Object");
    expect(() => p.Save(Buffer.from([1]).buffer as unknown as Uint8Array, null)).toThrow("got an instance of ArrayBuffer");
    // A failed Save leaves the stored state alone.
    expect(p.ReadRaftState()).toEqual(bytes(1));
    expect(p.ReadSnapshot()).toEqual(bytes(2));
    expect(p.saveCount).toBe(1);
  });

  // Regression: a Node Buffer is a Uint8Array whose slice() is a view, not a copy; the
  // Persister must still store and hand out private copies.
  it("a Node Buffer (a Uint8Array subclass) is copied too, or refused", () => {
    const p = new Persister();
    const saved = Buffer.from([1, 2, 3]);
    let refused = false;
    try {
      p.Save(saved, Buffer.from([4]));
    } catch (e) {
      refused = e instanceof TypeError;
      if (!refused) throw e;
    }
    if (refused) return;
    const copy = p.Copy();
    saved[0] = 99;
    expect(Array.from(p.ReadRaftState())).toEqual([1, 2, 3]);
    const read = p.ReadRaftState();
    read[1] = 77;
    const snap = p.ReadSnapshot();
    snap[0] = 77;
    expect(Array.from(p.ReadRaftState())).toEqual([1, 2, 3]);
    expect(Array.from(p.ReadSnapshot())).toEqual([4]);
    expect(Array.from(copy.ReadRaftState())).toEqual([1, 2, 3]);
  });

  it("round-trips labgob-encoded state", () => {
    const p = new Persister();
    const state = { CurrentTerm: 7, VotedFor: -1, Log: [{ Term: 0, Command: null }, { Term: 7, Command: "x" }] };
    p.Save(encode(state, "raftstate"), null);
    expect(decode(p.ReadRaftState())).toEqual(state);
  });
});
