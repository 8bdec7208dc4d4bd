// Unbounded heap: keeps every array it makes. Expected: the worker's heap cap stops it ("ran
// out of memory"); the grader, in another process, goes on.
import type { MakeFn } from "../../src/raft/api.ts";

const kept: number[][] = [];

export const Make: MakeFn = () => {
  for (;;) kept.push(new Array<number>(1 << 20).fill(kept.length));
};
