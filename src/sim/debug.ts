// A DPrintf-style logger for Raft code: lines go into the run's trace at the current virtual
// time, under topic "log", so `raftlab replay --log` shows them interleaved with the
// network's and the tester's events. Silent unless a viewer asks for the trace; cheap
// enough to leave in. Also hashed, so the determinism check covers the implementation's own
// view of events.
import { maybeWorld } from "./world.ts";

export function DPrintf(peer: number, format: string, ...args: unknown[]): void {
  const w = maybeWorld();
  if (w === null) return;
  w.record(peer, "log", args.length === 0 ? format : formatGo(format, args));
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
