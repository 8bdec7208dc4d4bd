// The trace as per-peer columns (the layout of MIT students' pretty-printer scripts): one
// row per event, time on the left, the event in its peer's column, the tester and the
// network in the first column, each topic in its own colour. The columns share the
// terminal's width (a pipe or a file gets COLUMNS, or 120), and text wraps at spaces.
import type { Topic, TraceEvent } from "../sim/index.ts";
import { pc } from "./colour.ts";

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

/** Width of the time column. */
const TIME_W = 9;
/** No column gets narrower than this, however many lanes: past it the lines run wider. */
const MIN_COLUMN = 12;
/** Width when the output is not a terminal and COLUMNS is not set. */
export const DEFAULT_WIDTH = 120;

export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY === true && typeof stream.columns === "number" && stream.columns > 0) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_WIDTH;
}

/** Splits text into lines of at most `w` characters, at spaces where it can. */
export function wrap(text: string, w: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > w) {
    let cut = rest.lastIndexOf(" ", w);
    if (cut < w / 3) cut = w; // no space in a sensible place: break the word
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

export function renderColumns(events: TraceEvent[], peers: number, filter: LogFilter = {}, width = terminalWidth(), colour = pc.isColorSupported): string[] {
  // One column per lane shown: the tester/network (-1) and each peer, or only the filtered ones.
  const lanes = [-1, ...Array.from({ length: peers }, (_, i) => i)].filter((p) => filter.peers === undefined || filter.peers.has(p));
  const column = new Map(lanes.map((p, k) => [p, k]));
  const colW = Math.max(MIN_COLUMN, Math.floor((width - TIME_W) / lanes.length) - 1);
  const paint = (topic: Topic, s: string): string => (colour ? COLOURS[topic](s) : s);
  const lines: string[] = [];
  const header = ["time ms".padStart(TIME_W), ...lanes.map((p) => (p < 0 ? "tester/net" : `peer ${p}`).padEnd(colW))];
  lines.push(header.join(" ").trimEnd());
  lines.push(header.map((h) => "-".repeat(h.length)).join(" "));
  for (const e of events) {
    if (filter.topics !== undefined && !filter.topics.has(e.topic)) continue;
    const col = column.get(e.peer < 0 ? -1 : e.peer);
    if (col === undefined) continue;
    wrap(`${e.topic}: ${e.msg}`, colW).forEach((chunk, k) => {
      const time = k === 0 ? String(e.t).padStart(TIME_W) : " ".repeat(TIME_W);
      const pad = " ".repeat((colW + 1) * col);
      lines.push(`${time} ${pad}${paint(e.topic, chunk)}`.trimEnd());
    });
  }
  return lines;
}
