// The tester's snapshot: the applied index followed by the list of commands at 0..index
// (null where the slot recorded nothing, including position 0), as MIT's applierSnap
// builds it. Raft treats these bytes as opaque; only their size is visible to it.
import { decode, encode } from "../labgob/index.ts";

export function encodeTesterSnapshot(index: number, log: Map<number, unknown>): Uint8Array {
  const xlog: unknown[] = [];
  for (let j = 0; j <= index; j++) xlog.push(log.has(j) ? log.get(j) : null);
  return encode([index, xlog], "tester snapshot");
}

/** Decodes a tester snapshot, or returns undefined when the bytes are not one. */
export function decodeTesterSnapshot(bytes: Uint8Array): { index: number; xlog: unknown[] } | undefined {
  let v: unknown;
  try {
    v = decode(bytes);
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [index, xlog] = v as [unknown, unknown];
  if (typeof index !== "number" || !Number.isInteger(index) || !Array.isArray(xlog)) return undefined;
  return { index, xlog };
}
