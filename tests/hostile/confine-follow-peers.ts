// Attack: follow peers[0] (and the persister, and applyCh) to the simulation's World and
// replace its failure recording with a no-op, then do nothing at all. Unconfined, a
// ClientEnd's private `net` led to Network → world → fail(), and this Raft scored 100/100.
// Expected: nothing leads anywhere; the tester fails the run with its own message.
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { Persister } from "../../src/persister/index.ts";
import type { ApplyMsg, Raft } from "../../src/raft/api.ts";
import type { Channel } from "../../src/sim/index.ts";

/** Every object reachable from `roots` through properties, prototypes and getters. */
function reachable(roots: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const stack = [...roots];
  while (stack.length > 0) {
    const o = stack.pop();
    if ((typeof o !== "object" && typeof o !== "function") || o === null || seen.has(o)) continue;
    seen.add(o);
    stack.push(Object.getPrototypeOf(o));
    for (const k of Reflect.ownKeys(o)) {
      const d: PropertyDescriptor = Reflect.getOwnPropertyDescriptor(o, k)!;
      if ("value" in d) stack.push(d.value);
      else {
        try {
          stack.push(d.get?.call(o));
        } catch {
          // a getter that refuses
        }
      }
    }
  }
  return [...seen];
}

export function Make(peers: ClientEnd[], _me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  for (const o of reachable([peers, persister, applyCh])) {
    const x = o as Record<string, unknown>;
    for (const key of ["net", "world", "w", "monitor", "cfg"]) {
      try {
        const inner = x[key] as Record<string, unknown> | undefined;
        if (inner !== undefined && inner !== null) {
          inner.fail = () => {};
          (inner as { world?: { fail?: unknown } }).world!.fail = () => {};
        }
      } catch {
        // not there, or frozen
      }
    }
    try {
      if (typeof x.fail === "function") x.fail = () => {};
    } catch {
      // frozen
    }
  }
  return { Start: () => [-1, 0, false], GetState: () => [0, false], Snapshot: () => {}, Kill: () => {} };
}
