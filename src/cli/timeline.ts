// The timeline viewer: one self-contained HTML file (inline CSS and JS, no network) that draws a
// replayed run on a <canvas>: a lane per peer plus one for the tester and the network, role
// bands coloured by term, RPC arrows (send → deliver → reply, failed legs dashed red with an
// ×), disconnected and crashed periods, commits, applies, snapshots, tester checks, the
// implementation's own log lines, and the violation that failed the run.
//
// The work is split in two:
//   - buildTimelineModel() (here, in TypeScript) turns the trace into compact columnar arrays
//     once: event columns (time, peer, topic, message) plus derived bands, RPCs, shaded
//     periods and markers that refer to events by index;
//   - the page script (timeline-page.js, browser JavaScript type-checked through JSDoc)
//     indexes those arrays by time, draws only what is in view, and hit-tests the mouse for
//     tooltips; renderTimeline() inlines it into the page.
// The trace's `data` fields are the schema written by the harness: labrpc (rpc/send/deliver/
// reply/fail), the monitor (election state, commit) and the tester (partition, crash, apply,
// snapshot, check). Events without data are shown as plain markers.
import { readFileSync } from "node:fs";
import type { Topic, TraceEvent } from "../sim/trace.ts";

export interface TimelineMeta {
  test: string;
  seed: string;
  peers: number;
  /** The failure's text, shown in the header. */
  failure?: string;
}

/** Role of a band: what the peer believed it was during [t0, t1). */
export const Role = { Follower: 0, Candidate: 1, Leader: 2 } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** RPC outcome; Pending = no reply or failure before the trace ends. */
export const RpcStatus = { Ok: 0, Failed: 1, Pending: 2 } as const;
export type RpcStatus = (typeof RpcStatus)[keyof typeof RpcStatus];

/** Shaded period kind. */
export const Shade = { Disconnected: 0, Crashed: 1 } as const;
export type Shade = (typeof Shade)[keyof typeof Shade];

/** Marker kinds (the page draws each its own way). */
export const Mark = {
  Other: 0, Commit: 1, Apply: 2, Snapshot: 3, ApplySnapshot: 4, Check: 5, Log: 6, Violation: 7,
  /** A crash and a restart at the same instant: no crashed period to shade. */
  Restart: 8,
} as const;
export type Mark = (typeof Mark)[keyof typeof Mark];

/** Strides of the flat arrays in TimelineModel. */
export const BAND_STRIDE = 5; // lane, t0, t1, term, role
export const RPC_STRIDE = 8; // fromLane, toLane, topic, sendEv, deliverEv, endEv, status, id
export const SHADE_STRIDE = 4; // lane, t0, t1, kind
export const MARK_STRIDE = 3; // event, kind, value

/**
 * What the page embeds: flat number arrays rather than objects, so 50,000 events stay a few
 * megabytes. Lane 0 is the tester and the network; lane i + 1 is peer i. Event indices refer
 * to the columns t/p/k/m, which are sorted by time.
 */
export interface TimelineModel {
  v: 1;
  meta: { test: string; seed: string; peers: number; failure: string; lanes: number; start: number; end: number };
  topics: string[];
  /** Per event: virtual time (ms), peer (-1 = tester), topic index, message. */
  t: number[];
  p: number[];
  k: number[];
  m: string[];
  bands: number[];
  rpcs: number[];
  shades: number[];
  marks: number[];
  /** Indices of the "violation" events. */
  violations: number[];
}

const KNOWN_TOPICS: readonly Topic[] = [
  "election", "vote", "append", "commit", "persist", "snapshot", "apply",
  "rpc", "drop", "partition", "crash", "tester", "log", "violation",
];

interface OpenBand { t0: number; term: number; role: Role }
interface RpcAcc { from: number; to: number; topic: number; send: number; deliver: number; end: number; status: RpcStatus; id: number }

const num = (x: unknown, fallback = 0): number => (typeof x === "number" && Number.isFinite(x) ? x : fallback);

/** Turns a trace into the columnar model the page draws. Pure; exported for tests. */
export function buildTimelineModel(events: readonly TraceEvent[], meta: TimelineMeta): TimelineModel {
  // Sort by time (stable), in case a caller hands events out of order; the trace itself is ordered.
  let evs = events;
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.t < events[i - 1]!.t) {
      evs = events.map((e, j) => [e, j] as const).sort((a, b) => a[0].t - b[0].t || a[1] - b[1]).map((x) => x[0]);
      break;
    }
  }

  let maxPeer = Math.max(0, Math.floor(meta.peers)) - 1;
  let start = evs.length > 0 ? Math.min(0, evs[0]!.t) : 0;
  let end = 0;
  for (const e of evs) {
    if (e.peer > maxPeer) maxPeer = e.peer;
    if (e.t > end) end = e.t;
    if (e.t < start) start = e.t;
  }
  const lanes = maxPeer + 2;

  const topics: string[] = [...KNOWN_TOPICS];
  const topicIndex = new Map<string, number>(topics.map((t, i) => [t, i]));
  const t: number[] = [];
  const p: number[] = [];
  const k: number[] = [];
  const m: string[] = [];
  const bands: number[] = [];
  const rpcs: number[] = [];
  const shades: number[] = [];
  const marks: number[] = [];
  const violations: number[] = [];

  const band: (OpenBand | undefined)[] = new Array(lanes).fill(undefined);
  const disconnectedSince: (number | undefined)[] = new Array(lanes).fill(undefined);
  const crashedSince: (number | undefined)[] = new Array(lanes).fill(undefined);
  /** Last time the lane sent a RequestVote: a state change at that instant is a candidacy. */
  const votedAt: number[] = new Array(lanes).fill(-Infinity);
  const calls = new Map<number, RpcAcc>();

  const closeBand = (lane: number, at: number): void => {
    const b = band[lane];
    if (b === undefined) return;
    if (at > b.t0) bands.push(lane, b.t0, at, b.term, b.role);
    band[lane] = undefined;
  };
  const mark = (i: number, kind: Mark, value = 0): void => {
    marks.push(i, kind, value);
  };

  for (let i = 0; i < evs.length; i++) {
    const e = evs[i]!;
    let ti = topicIndex.get(e.topic);
    if (ti === undefined) {
      ti = topics.length;
      topics.push(e.topic);
      topicIndex.set(e.topic, ti);
    }
    t.push(e.t);
    p.push(e.peer);
    k.push(ti);
    m.push(e.msg);
    const lane = e.peer + 1;
    const d = e.data;
    const ev = typeof d?.ev === "string" ? d.ev : "";

    // RPCs: one record per call id, gathered from its send, deliver, reply or fail.
    if (d !== undefined && typeof d.rpc === "number" && (ev === "send" || ev === "deliver" || ev === "reply" || ev === "fail")) {
      let c = calls.get(d.rpc);
      if (c === undefined) {
        if (ev !== "send") {
          mark(i, Mark.Other); // its send is not in the trace (a ring buffer's tail)
          continue;
        }
        c = { from: num(d.from, e.peer), to: num(d.to, -1), topic: ti, send: i, deliver: -1, end: -1, status: RpcStatus.Pending, id: d.rpc };
        calls.set(d.rpc, c);
        const method = typeof d.method === "string" ? d.method : "";
        if (method.endsWith("RequestVote")) {
          votedAt[lane] = e.t;
          const b = band[lane];
          // The monitor records a state change after the step that made it, so a candidate's
          // RequestVotes usually come just before its new term's state event (handled there);
          // a state event at this same instant already opened the band: it is a candidacy.
          if (b !== undefined && b.role === Role.Follower) {
            if (b.t0 === e.t) b.role = Role.Candidate;
            else {
              closeBand(lane, e.t);
              band[lane] = { t0: e.t, term: b.term, role: Role.Candidate };
            }
          }
        }
      } else if (ev === "deliver") c.deliver = i;
      else if (ev === "reply") {
        c.end = i;
        c.status = RpcStatus.Ok;
      } else if (ev === "fail") {
        c.end = i;
        c.status = RpcStatus.Failed;
      }
      continue;
    }

    // The implementation's own debug lines (Debug/DPrintf), whatever their topic.
    if (ev === "debug") {
      mark(i, Mark.Log);
      continue;
    }
    switch (e.topic) {
      case "election":
        if (ev === "state") {
          const leader = d?.leader === true;
          const role = leader ? Role.Leader : votedAt[lane] === e.t ? Role.Candidate : Role.Follower;
          closeBand(lane, e.t);
          band[lane] = { t0: e.t, term: num(d?.term), role };
          continue;
        }
        break;
      case "partition":
        if (ev === "disconnect") {
          if (disconnectedSince[lane] === undefined) disconnectedSince[lane] = e.t;
          continue;
        }
        if (ev === "connect") {
          const since = disconnectedSince[lane];
          if (since !== undefined && e.t > since) shades.push(lane, since, e.t, Shade.Disconnected);
          disconnectedSince[lane] = undefined;
          continue;
        }
        break;
      case "crash":
        if (ev === "crash") {
          closeBand(lane, e.t);
          if (crashedSince[lane] === undefined) crashedSince[lane] = e.t;
          continue;
        }
        if (ev === "start") {
          const since = crashedSince[lane];
          if (since !== undefined && e.t > since) shades.push(lane, since, e.t, Shade.Crashed);
          else if (since !== undefined) mark(i, Mark.Restart);
          crashedSince[lane] = undefined;
          continue;
        }
        break;
      case "commit":
        if (ev === "commit") {
          mark(i, Mark.Commit, num(d?.index));
          continue;
        }
        break;
      case "apply":
        if (ev === "apply") {
          mark(i, Mark.Apply, num(d?.index));
          continue;
        }
        break;
      case "snapshot":
        if (ev === "snapshot" || ev === "apply-snapshot") {
          mark(i, ev === "snapshot" ? Mark.Snapshot : Mark.ApplySnapshot, num(d?.index));
          continue;
        }
        break;
      case "tester":
        if (ev === "check") {
          mark(i, Mark.Check, num(d?.leader, -1));
          continue;
        }
        break;
      case "log":
        mark(i, Mark.Log);
        continue;
      case "violation":
        mark(i, Mark.Violation);
        violations.push(i);
        continue;
    }
    mark(i, Mark.Other);
  }

  // Close whatever is still open at the end of the trace.
  for (let lane = 0; lane < lanes; lane++) {
    closeBand(lane, end);
    const ds = disconnectedSince[lane];
    if (ds !== undefined && end > ds) shades.push(lane, ds, end, Shade.Disconnected);
    const cs = crashedSince[lane];
    if (cs !== undefined && end > cs) shades.push(lane, cs, end, Shade.Crashed);
  }
  for (const c of calls.values()) {
    const to = Math.min(Math.max(c.to, -1), lanes - 2);
    rpcs.push(c.from + 1, to + 1, c.topic, c.send, c.deliver, c.end, c.status, c.id);
  }

  return {
    v: 1,
    meta: { test: meta.test, seed: meta.seed, peers: meta.peers, failure: meta.failure ?? "", lanes, start, end },
    topics, t, p, k, m, bands, rpcs, shades, marks, violations,
  };
}

/** JSON that is safe inside a <script> element: no "<" (so no "</script>" or "<!--"), no U+2028/9. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 100_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

/** The whole page: header, legend and toolbar, the canvases, the data and the script. */
export function renderTimeline(events: TraceEvent[], meta: { test: string; seed: string; peers: number; failure?: string }): string {
  const model = buildTimelineModel(events, meta);
  const title = `${meta.test} · seed ${meta.seed}`;
  const failure = meta.failure !== undefined && meta.failure !== ""
    ? `<div id="failure" class="failure"><b>FAILED</b> ${escapeHtml(meta.failure)}</div>`
    : model.violations.length > 0
      ? `<div id="failure" class="failure"><b>VIOLATION</b> ${escapeHtml(model.m[model.violations[0]!]!)}</div>`
      : "";
  const facts = [
    `seed <b>${escapeHtml(meta.seed)}</b>`,
    `${model.meta.lanes - 1} peers`,
    `${events.length.toLocaleString("en-US")} events`,
    `${(model.rpcs.length / RPC_STRIDE).toLocaleString("en-US")} RPCs`,
    `${fmtMs(model.meta.end - model.meta.start)} virtual`,
  ].join(" · ");

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>raftlab timeline — ${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
  <h1><span class="brand">raftlab timeline</span> ${escapeHtml(meta.test)}</h1>
  <div class="facts">${facts}</div>
  ${failure}
</header>
<nav id="toolbar">
  <button id="fit" title="Show the whole run (F)">Fit</button>
  <button id="zoom-in" title="Zoom in (+)">+</button>
  <button id="zoom-out" title="Zoom out (−)">−</button>
  ${model.violations.length > 0 ? `<button id="goto-violation" class="danger" title="Zoom to the violation (V)">Go to violation</button>` : ""}
  <span class="sep"></span>
  <label><input type="checkbox" data-filter="vote" checked> RequestVote</label>
  <label><input type="checkbox" data-filter="append" checked> AppendEntries</label>
  <label><input type="checkbox" data-filter="snapshot" checked> InstallSnapshot / other</label>
  <label><input type="checkbox" data-filter="replies" checked> replies</label>
  <label><input type="checkbox" data-filter="log" checked> log lines</label>
  <span id="range" class="range"></span>
</nav>
<div id="legend">
  <span><i class="sw band-leader"></i>leader (colour = term)</span>
  <span><i class="sw band-cand"></i>candidate</span>
  <span><i class="sw band-follower"></i>follower</span>
  <span><i class="ln ln-vote"></i>RequestVote</span>
  <span><i class="ln ln-append"></i>AppendEntries</span>
  <span><i class="ln ln-snap"></i>InstallSnapshot</span>
  <span><i class="ln ln-reply"></i>reply</span>
  <span><i class="ln ln-fail"></i><b class="x">×</b> lost / failed</span>
  <span><i class="sw sh-disc"></i>disconnected</span>
  <span><i class="sw sh-crash"></i>crashed</span>
  <span><b class="g commit">▲</b>commit</span>
  <span><b class="g apply">●</b>apply</span>
  <span><b class="g snap">◆</b>snapshot</span>
  <span><b class="g check">✓</b>tester check</span>
  <span><b class="g log">|</b>log line</span>
  <span><i class="sw viol"></i>violation</span>
</div>
<main id="view">
  <canvas id="plot"></canvas>
  <canvas id="overlay"></canvas>
  <div id="lane-labels"></div>
  <div id="tooltip" role="tooltip" hidden></div>
</main>
<footer>Drag to pan · wheel to zoom (shift+wheel pans) · double-click zooms in · keys: F fit, + / − zoom, ← → pan${model.violations.length > 0 ? ", V violation" : ""} · times are virtual</footer>
<script id="timeline-data" type="application/json">${scriptSafeJson(model)}</script>
<script>${timelinePageScript()}</script>
</body>
</html>
`;
}

const PAGE_CSS = `
:root { --fg: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f7f8fa; --red: #d92d20; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 10px 16px 6px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { margin: 0; font-size: 17px; font-weight: 600; }
h1 .brand { color: var(--muted); font-weight: 500; margin-right: 6px; }
.facts { color: var(--muted); margin-top: 2px; }
.facts b { color: var(--fg); font-weight: 600; }
.failure { margin-top: 6px; padding: 6px 10px; border: 1px solid #fda29b; background: #fef3f2; color: #912018; border-radius: 6px; white-space: pre-wrap; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.failure b { font-family: system-ui, sans-serif; margin-right: 6px; }
nav { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; padding: 6px 16px; background: #fff; border-bottom: 1px solid var(--line); }
nav label { color: var(--fg); user-select: none; white-space: nowrap; }
button { font: inherit; padding: 2px 10px; border: 1px solid #d0d5dd; background: #fff; border-radius: 6px; cursor: pointer; }
button:hover { background: #f2f4f7; }
button.danger { color: var(--red); border-color: #fda29b; }
.sep { width: 1px; height: 18px; background: var(--line); }
.range { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
#legend { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 6px 16px; color: var(--muted); font-size: 12px; border-bottom: 1px solid var(--line); background: #fcfcfd; }
#legend span { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }
.sw { display: inline-block; width: 18px; height: 10px; border-radius: 2px; }
.band-leader { background: hsl(200, 62%, 42%); }
.band-cand { background: hsla(200, 62%, 52%, 0.45); outline: 1px dashed hsl(200, 62%, 42%); }
.band-follower { background: hsla(200, 55%, 55%, 0.2); }
.sh-disc { background: repeating-linear-gradient(135deg, rgba(247,144,9,.45) 0 3px, rgba(247,144,9,.08) 3px 6px); }
.sh-crash { background: repeating-linear-gradient(135deg, rgba(52,64,84,.55) 0 3px, rgba(52,64,84,.15) 3px 6px); }
.viol { width: 3px; height: 14px; background: var(--red); }
.ln { display: inline-block; width: 22px; border-top: 2px solid; }
.ln-vote { border-color: #8e44ad; } .ln-append { border-color: #2e7dd1; } .ln-snap { border-color: #e07b00; }
.ln-reply { border-color: rgba(46,125,209,.45); border-top-width: 1.5px; }
.ln-fail { border-color: var(--red); border-top-style: dashed; }
.x { color: var(--red); }
.g { font-size: 11px; }
.g.commit { color: #12a150; } .g.apply { color: #2e7dd1; } .g.snap { color: #9b51e0; } .g.check { color: #12a150; } .g.log { color: #98a2b3; }
main { position: relative; margin: 0; background: #fff; border-bottom: 1px solid var(--line); }
canvas { display: block; }
#overlay { position: absolute; left: 0; top: 0; pointer-events: none; }
#plot { cursor: grab; }
#plot.dragging { cursor: grabbing; }
#lane-labels { position: absolute; left: 0; top: 0; pointer-events: none; }
.lane-label { position: absolute; left: 12px; font-weight: 600; font-size: 12px; color: #344054; white-space: nowrap; }
.lane-label small { display: block; font-weight: 400; color: var(--muted); font-size: 11px; }
#tooltip { position: absolute; z-index: 5; max-width: 560px; padding: 7px 9px; background: rgba(16, 24, 40, 0.94); color: #f2f4f7; border-radius: 6px; font-size: 12px; pointer-events: none; box-shadow: 0 4px 14px rgba(0,0,0,.25); }
#tooltip .tt-title { font-weight: 600; margin-bottom: 2px; color: #fff; }
#tooltip .tt-line { white-space: pre-wrap; word-break: break-word; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 11.5px; }
#tooltip .tt-dim { color: #98a2b3; }
footer { padding: 6px 16px 14px; color: var(--muted); font-size: 12px; }
`;

/**
 * The page script (timeline-page.js: browser JavaScript, type-checked with JSDoc types by
 * timeline-page.tsconfig.json), inlined into every page. Read once, when the first page is
 * written.
 */
let pageScript: string | undefined;
export function timelinePageScript(): string {
  if (pageScript === undefined) {
    const text = readFileSync(new URL("./timeline-page.js", import.meta.url), "utf8");
    // Inside <script>, only "</script" (any case) or "<!--" could end or confuse the element.
    if (/<\/script|<!--/i.test(text)) throw new Error("timeline-page.js must not contain </script or <!--");
    pageScript = text;
  }
  return pageScript;
}

/**
 * A plausible synthetic trace (deterministic for a seed; no real Raft involved): elections with
 * RequestVote rounds, heartbeats and log replication, commits and applies, tester snapshots,
 * a leader partitioned away and healed, a follower crashed and restarted, lossy RPCs when
 * `unreliable`, tester checks, DPrintf lines, and optionally a final violation. For demos of
 * the timeline and for its tests; `events` is a target, reached to within one round.
 */
export function syntheticTrace(options: { peers?: number; events?: number; seed?: number; unreliable?: boolean; violation?: boolean } = {}): TraceEvent[] {
  const n = options.peers ?? 5;
  const target = options.events ?? 3000;
  const unreliable = options.unreliable ?? true;
  let s = (options.seed ?? 1) >>> 0 || 1;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const out: TraceEvent[] = [];
  const rec = (t: number, peer: number, topic: Topic, msg: string, data?: Record<string, unknown>): void => {
    out.push(data === undefined ? { t, peer, topic, msg } : { t, peer, topic, msg, data });
  };

  const term = new Array<number>(n).fill(0);
  const leader = new Array<boolean>(n).fill(false);
  const votedFor = new Array<number>(n).fill(-1);
  const up = new Array<boolean>(n).fill(true);
  const connected = new Array<boolean>(n).fill(true);
  const match = new Array<number>(n).fill(0);
  const commit = new Array<number>(n).fill(0);
  const applied = new Array<number>(n).fill(0);
  let logLen = 0;
  let rpcId = 0;
  let lastLeaderSeen = 0;
  const state = (t: number, i: number): void =>
    rec(t, i, "election", `term ${term[i]} ${leader[i] ? "leader" : "not leader"}`, { ev: "state", term: term[i], leader: leader[i] });
  const reach = (a: number, b: number): boolean => up[a]! && up[b]! && connected[a]! && connected[b]!;
  const topicOf = (method: string): Topic => (method.endsWith("RequestVote") ? "vote" : method.endsWith("AppendEntries") ? "append" : "rpc");
  const stepDown = (t: number, i: number, newTerm: number): void => {
    if (newTerm > term[i]! || leader[i]) {
      if (newTerm > term[i]!) votedFor[i] = -1;
      term[i] = Math.max(term[i]!, newTerm);
      leader[i] = false;
      state(t, i);
    }
  };
  const applyUpTo = (t: number, i: number): void => {
    while (applied[i]! < commit[i]!) {
      applied[i]!++;
      rec(t, i, "apply", `apply ${applied[i]} ${1000 + applied[i]!}`, { ev: "apply", index: applied[i] });
      if (applied[i]! % 10 === 0) rec(t, i, "snapshot", `tester snapshot at ${applied[i]} (${40 + applied[i]!} bytes)`, { ev: "snapshot", index: applied[i] });
    }
  };
  /** One call: send, then deliver + reply, or a failure. Returns the reply time, or -1. */
  const call = (t: number, from: number, to: number, method: string, args: string, handle: (td: number) => string): number => {
    const id = ++rpcId;
    const topic = topicOf(method);
    const base = { rpc: id, from, to, method };
    rec(t, from, topic, `send #${id} ${method} -> ${to} ${args}`, { ...base, ev: "send" });
    const fail = (at: number, reason: string): number => {
      rec(at, from, "drop", `fail #${id} ${method} -> ${to}: ${reason}`, { ...base, ev: "fail", reason });
      return -1;
    };
    if (!reach(from, to)) return fail(t + int(5, 600), "unreachable");
    const td = t + (unreliable ? int(0, 26) : int(0, 2));
    if (unreliable && rnd() < 0.06) return fail(td, "request lost");
    rec(td, to, topic, `recv #${id} ${method} <- ${from}`, { ...base, ev: "deliver" });
    const reply = handle(td);
    const tr = td + int(0, 3);
    if (unreliable && rnd() < 0.06) return fail(tr, "reply lost");
    rec(tr, from, topic, `reply #${id} ${method} <- ${to} ${reply}`, { ...base, ev: "reply" });
    return tr;
  };

  rec(0, -1, "tester", "begin: Test (synthetic): elections, replication, partitions and a crash");
  if (unreliable) rec(0, -1, "tester", "network unreliable");
  for (let i = 0; i < n; i++) {
    rec(0, i, "partition", `disconnect ${i}`, { ev: "disconnect" });
    rec(0, i, "crash", `start ${i}`, { ev: "start" });
    state(0, i);
  }
  for (let i = 0; i < n; i++) rec(0, i, "partition", `connect ${i}`, { ev: "connect" });

  let t = int(150, 300);
  let stage = 0; // scripted faults: 0 isolate the leader, 1 heal, 2 crash a follower, 3 restart it, 4 done
  let isolated = -1;
  let crashed = -1;
  let round = 0;
  const phase = (): number => out.length / target;
  while (out.length < target) {
    round++;
    const live = (i: number): boolean => up[i]! && connected[i]!;
    // Scripted faults, by progress through the event budget.
    const current = leader.findIndex((l, i) => l && live(i));
    if (stage === 0 && phase() > 0.3 && current >= 0) {
      isolated = current;
      connected[current] = false;
      rec(t, -1, "tester", `disconnect leader ${current}`);
      rec(t, current, "partition", `disconnect ${current}`, { ev: "disconnect" });
      stage = 1;
    } else if (stage === 1 && phase() > 0.45) {
      connected[isolated] = true;
      rec(t, -1, "tester", `reconnect ${isolated}`);
      rec(t, isolated, "partition", `connect ${isolated}`, { ev: "connect" });
      stage = 2;
    } else if (stage === 2 && phase() > 0.6 && current >= 0) {
      crashed = (current + 1 + int(0, n - 2)) % n;
      rec(t, -1, "tester", `crash ${crashed}`);
      rec(t, crashed, "partition", `disconnect ${crashed}`, { ev: "disconnect" });
      rec(t, crashed, "crash", `crash ${crashed}`, { ev: "crash" });
      up[crashed] = false;
      leader[crashed] = false;
      stage = 3;
    } else if (stage === 3 && phase() > 0.72) {
      up[crashed] = true;
      applied[crashed] = 0;
      commit[crashed] = 0;
      rec(t, crashed, "partition", `disconnect ${crashed}`, { ev: "disconnect" });
      rec(t, crashed, "crash", `start ${crashed}`, { ev: "start" });
      state(t, crashed);
      rec(t + 1, crashed, "partition", `connect ${crashed}`, { ev: "connect" });
      rec(t + 1, -1, "tester", `restart ${crashed}`);
      stage = 4;
    }

    // Leaders send heartbeats (with new entries half the time); others may start an election.
    const leaders = leader.map((l, i) => (l && up[i] ? i : -1)).filter((i) => i >= 0);
    for (const l of leaders) {
      if (leader[l] !== true) continue;
      if (live(l)) lastLeaderSeen = t;
      if (rnd() < 0.5) {
        logLen++;
        if (rnd() < 0.3) rec(t, l, "log", `S${l} Start(${1000 + logLen}) at index ${logLen} term ${term[l]}`);
      }
      match[l] = logLen;
      const T = term[l]!;
      let acks = 1;
      let lastReply = t;
      for (let j = 0; j < n; j++) {
        if (j === l) continue;
        const prev = match[j]!;
        const entries = logLen - prev;
        let ok = false;
        const tr = call(t, l, j, "Raft.AppendEntries", `Term=${T} LeaderId=${l} PrevLogIndex=${prev} Entries=[${entries}] LeaderCommit=${commit[l]}`, (td) => {
          if (term[j]! > T) return `Term=${term[j]} Success=false`;
          if (term[j]! < T || leader[j]) stepDown(td, j, T);
          if (rnd() < 0.15) rec(td, j, "log", `S${j} <- AE from S${l} T${T} prev=${prev} n=${entries} commit=${commit[l]}`);
          match[j] = logLen;
          if (commit[l]! > commit[j]!) {
            commit[j] = commit[l]!;
            rec(td, j, "commit", `commitIndex ${commit[j]}`, { ev: "commit", index: commit[j] });
            applyUpTo(td + 1, j);
          }
          ok = true;
          return `Term=${T} Success=true`;
        });
        if (tr >= 0) {
          if (!ok) {
            stepDown(tr, l, term[j]!);
            break;
          }
          acks++;
          lastReply = Math.max(lastReply, tr);
        }
      }
      if (leader[l] && acks * 2 > n && logLen > commit[l]!) {
        commit[l] = logLen;
        rec(lastReply, l, "commit", `commitIndex ${commit[l]}`, { ev: "commit", index: commit[l] });
        applyUpTo(lastReply + 1, l);
      }
    }

    // Election: when no reachable leader has been heard from for an election timeout.
    if (t - lastLeaderSeen > int(300, 500)) {
      const candidates = [...Array(n).keys()].filter((i) => up[i] && !leader[i]);
      if (candidates.length > 0) {
        const c = candidates[int(0, candidates.length - 1)]!;
        term[c]!++;
        votedFor[c] = c;
        const T = term[c]!;
        rec(t, c, "log", `S${c} election timeout, candidate for term ${T}`);
        let votes = 1;
        let lastReply = t;
        for (let j = 0; j < n; j++) {
          if (j === c) continue;
          let granted = false;
          const tr = call(t, c, j, "Raft.RequestVote", `Term=${T} CandidateId=${c} LastLogIndex=${logLen} LastLogTerm=${Math.max(0, T - 1)}`, (td) => {
            if (term[j]! < T) stepDown(td, j, T);
            granted = term[j] === T && (votedFor[j] === -1 || votedFor[j] === c);
            if (granted) votedFor[j] = c;
            return `Term=${term[j]} VoteGranted=${granted}`;
          });
          if (tr >= 0 && granted) {
            votes++;
            lastReply = Math.max(lastReply, tr);
          }
        }
        state(t, c); // the monitor notices the new term after the step that sent the votes
        if (votes * 2 > n && term[c] === T) {
          leader[c] = true;
          state(lastReply, c);
          rec(lastReply, c, "log", `S${c} won the election for term ${T} with ${votes} votes`);
          if (connected[c]) lastLeaderSeen = lastReply;
        }
      }
    }

    if (round % 25 === 0) {
      const l = leader.findIndex((x, i) => x && live(i));
      if (l >= 0) rec(t, -1, "tester", `checkOneLeader: leader ${l} of term ${term[l]}`, { ev: "check", leader: l });
    }
    t += int(45, 55);
  }
  if (options.violation ?? false) {
    const a = leader.findIndex((x) => x);
    rec(t, -1, "violation", `Election Safety violated: peers ${a} and ${(a + 1) % n} were both leader in term ${term[a] ?? 0}`);
  } else {
    rec(t, -1, "tester", "end: Test (synthetic)");
  }
  // Replies and deliveries were recorded when their call was made; put everything in time order.
  return out.map((e, i) => [e, i] as const).sort((a, b) => a[0].t - b[0].t || a[1] - b[1]).map((x) => x[0]);
}
