// Unbounded memory off the heap: Buffers, which --max-old-space-size does not count, filled so
// that the pages are really used. Expected: the resident-memory cap stops the worker.
import type { MakeFn } from "../../src/raft/api.ts";

const kept: Buffer[] = [];

export const Make: MakeFn = () => {
  for (;;) kept.push(Buffer.alloc(64 << 20, 1));
};
