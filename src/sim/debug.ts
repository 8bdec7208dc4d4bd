// Debug logging for Raft code: lines go into the run's trace at the current virtual time, so
// `raftlab replay --log` shows them interleaved with the network's and the tester's events
// (and filters them by topic), and the timeline shows them on the peer's lane. Silent unless
// a viewer asks for the trace; cheap enough to leave in. The lines are hashed with the rest
// of the trace, so the determinism check covers the implementation's own view of events.
//
//   Debug(me, "vote", "T%d: granted vote to S%d", term, candidate);  // topic "vote"
//   DPrintf(me, "anything %v", x);                                     // topic "log"
import type { Topic } from "./trace.ts";
import { maybeWorld } from "./world.ts";

/** MIT's DPrintf: a debug line under the topic "log". */
export function DPrintf(peer: number, format: string, ...args: unknown[]): void {
  Debug(peer, "log", format, ...args);
}

/** A debug line under one of the trace's topics (election, vote, append, commit, persist, snapshot, apply, …). */
export function Debug(peer: number, topic: Topic, format: string, ...args: unknown[]): void {
  const w = maybeWorld();
  if (w === null) return;
  w.record(peer, topic, args.length === 0 ? format : formatGo(format, args), { ev: "debug" });
}

/** Go's %v / %d / %s / %t formatting, enough for debug lines. */
export function formatGo(format: string, args: unknown[]): string {
  let i = 0;
  const out = format.replace(/%[vdst%]/g, (verb) => {
    if (verb === "%%") return "%";
    const a = args[i++];
    return typeof a === "object" && a !== null ? JSON.stringify(a) : String(a);
  });
  const rest = args.slice(i);
  return rest.length === 0 ? out : `${out} ${rest.map(String).join(" ")}`;
}
