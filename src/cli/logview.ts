// The trace as per-peer columns (the layout of MIT students' pretty-printer scripts): one
// row per event, time on the left, the event in its peer's column, the tester and the
// network in the first column, each topic in its own colour.
import pc from "picocolors";
import type { Topic, TraceEvent } from "../sim/index.ts";

export const TOPICS: readonly Topic[] = ["election", "vote", "append", "commit", "persist", "snapshot", "apply", "rpc", "drop", "partition", "crash", "tester", "log", "violation"];

const COLOURS: Record<Topic, (s: string) => string> = {
  election: pc.magenta,
  vote: pc.cyan,
  append: pc.blue,
  commit: pc.green,
  persist: pc.gray,
  snapshot: pc.yellow,
  apply: pc.green,
  rpc: pc.white,
  drop: pc.dim,
  partition: pc.red,
  crash: pc.red,
  tester: pc.bold,
  log: pc.white,
  violation: (s) => pc.bgRed(pc.white(s)),
};

export interface LogFilter {
  topics?: Set<string>;
  peers?: Set<number>;
}

export function parseTopics(s: string | undefined): Set<string> | undefined {
  if (s === undefined) return undefined;
  const set = new Set(s.split(",").map((x) => x.trim()).filter(Boolean));
  for (const t of set) if (!TOPICS.includes(t as Topic)) throw new Error(`unknown topic "${t}": expected some of ${TOPICS.join(", ")}`);
  return set;
}

export function parsePeers(s: string | undefined): Set<number> | undefined {
  if (s === undefined) return undefined;
  const set = new Set(s.split(",").map((x) => Number(x.trim())));
  for (const p of set) if (!Number.isInteger(p) || p < -1) throw new Error(`--peers ${s}: expected peer numbers such as 0,2`);
  return set;
}

export function renderColumns(events: TraceEvent[], peers: number, filter: LogFilter = {}, width = process.stdout.columns ?? (Number(process.env.COLUMNS) || 160), colour = pc.isColorSupported): string[] {
  // One column per lane shown: the tester/network (-1) and each peer, or only the filtered ones.
  const lanes = [-1, ...Array.from({ length: peers }, (_, i) => i)].filter((p) => filter.peers === undefined || filter.peers.has(p));
  const column = new Map(lanes.map((p, k) => [p, k]));
  const timeW = 9;
  const colW = Math.max(24, Math.floor((width - timeW - 1) / lanes.length) - 1);
  const paint = (topic: Topic, s: string): string => (colour ? COLOURS[topic](s) : s);
  const lines: string[] = [];
  const header = ["time ms".padStart(timeW), ...lanes.map((p) => (p < 0 ? "tester/net" : `peer ${p}`).padEnd(colW))];
  lines.push(header.join(" ").trimEnd());
  lines.push(header.map((h) => "-".repeat(h.length)).join(" "));
  for (const e of events) {
    if (filter.topics !== undefined && !filter.topics.has(e.topic)) continue;
    const col = column.get(e.peer < 0 ? -1 : e.peer);
    if (col === undefined) continue;
    const text = `${e.topic}: ${e.msg}`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += colW) chunks.push(text.slice(i, i + colW));
    chunks.forEach((chunk, k) => {
      const time = k === 0 ? String(e.t).padStart(timeW) : " ".repeat(timeW);
      const pad = " ".repeat((colW + 1) * col);
      lines.push(`${time} ${pad}${paint(e.topic, chunk)}`.trimEnd());
    });
  }
  return lines;
}
