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
//   - the page script (PAGE_SCRIPT, plain browser JS) indexes those arrays by time, draws only
//     what is in view, and hit-tests the mouse for tooltips.
// The trace's `data` fields are the schema written by the harness: labrpc (rpc/send/deliver/
// reply/fail), the monitor (election state, commit) and the tester (partition, crash, apply,
// snapshot, check). Events without data are shown as plain markers.
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
<script>${PAGE_SCRIPT}</script>
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

// The page script. Plain browser JavaScript in String.raw (so backslashes reach the page as
// written); it must contain no backtick and no dollar-brace. Layout, top to bottom: the time
// axis, the tester/network lane, then one lane per peer, each with a role band, the RPC
// anchor line, a marker row (commit, apply, snapshot) and a row of log ticks.
const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("timeline-data").textContent);
  var T = D.t, P = D.p, K = D.k, M = D.m, TOPICS = D.topics, META = D.meta;
  var NL = META.lanes;
  var TOPIC = {};
  TOPICS.forEach(function (name, i) { TOPIC[name] = i; });

  // ---- layout --------------------------------------------------------------------------
  var AXIS_H = 26, TESTER_H = 54, LANE_H = 74, GUTTER = 86, RIGHT = 12;
  var BAND_Y = 5, BAND_H = 17, ANCHOR_Y = 36, COMMIT_Y = 50, APPLY_Y = 59, LOG_Y0 = 65, LOG_Y1 = 71;
  var HEIGHT = AXIS_H + TESTER_H + (NL - 1) * LANE_H + 6;
  function laneTop(l) { return l === 0 ? AXIS_H : AXIS_H + TESTER_H + (l - 1) * LANE_H; }
  function laneH(l) { return l === 0 ? TESTER_H : LANE_H; }
  function anchorY(l) { return l === 0 ? AXIS_H + TESTER_H / 2 : laneTop(l) + ANCHOR_Y; }
  function laneAt(y) {
    if (y < AXIS_H) return -1;
    if (y < AXIS_H + TESTER_H) return 0;
    var l = 1 + Math.floor((y - AXIS_H - TESTER_H) / LANE_H);
    return l < NL ? l : -1;
  }
  var laneNames = [];
  for (var l = 0; l < NL; l++) laneNames.push(l === 0 ? "tester" : "peer " + (l - 1));

  // ---- derived arrays, built once ------------------------------------------------------
  var NB = D.bands.length / 5, NR = D.rpcs.length / 8, NS = D.shades.length / 4, NM = D.marks.length / 3;
  // RPCs: times of each leg, the span used by the time index.
  var rFrom = new Int16Array(NR), rTo = new Int16Array(NR), rTopic = new Int16Array(NR), rStatus = new Int8Array(NR);
  var rSend = new Int32Array(NR), rDeliver = new Int32Array(NR), rEnd = new Int32Array(NR), rId = new Float64Array(NR);
  var rT0 = new Float64Array(NR), rT1 = new Float64Array(NR);
  for (var i = 0; i < NR; i++) {
    var o = i * 8;
    rFrom[i] = D.rpcs[o]; rTo[i] = D.rpcs[o + 1]; rTopic[i] = D.rpcs[o + 2];
    rSend[i] = D.rpcs[o + 3]; rDeliver[i] = D.rpcs[o + 4]; rEnd[i] = D.rpcs[o + 5];
    rStatus[i] = D.rpcs[o + 6]; rId[i] = D.rpcs[o + 7];
    rT0[i] = T[rSend[i]];
    rT1[i] = rEnd[i] >= 0 ? T[rEnd[i]] : rDeliver[i] >= 0 ? T[rDeliver[i]] : META.end;
  }
  var mEv = new Int32Array(NM), mKind = new Int8Array(NM), mVal = new Float64Array(NM), mT = new Float64Array(NM), mLane = new Int16Array(NM);
  for (var j = 0; j < NM; j++) {
    mEv[j] = D.marks[j * 3]; mKind[j] = D.marks[j * 3 + 1]; mVal[j] = D.marks[j * 3 + 2];
    mT[j] = T[mEv[j]]; mLane[j] = P[mEv[j]] + 1;
  }
  var MK = { other: 0, commit: 1, apply: 2, snapshot: 3, applySnapshot: 4, check: 5, log: 6, violation: 7 };
  // Bands per lane, in time order.
  var bandsByLane = [];
  for (var l2 = 0; l2 < NL; l2++) bandsByLane.push([]);
  for (var b = 0; b < NB; b++) bandsByLane[D.bands[b * 5]].push(b);

  // A time index over [t0, t1] spans: fixed-width buckets hold the items that overlap them;
  // items spanning too many buckets go to a short list that is always scanned.
  function TimeIndex(n, t0s, t1s, lo, hi) {
    var nb = Math.max(1, Math.min(8192, Math.ceil(n / 8)));
    var width = Math.max((hi - lo) / nb, 1e-6), MAXSPAN = 32;
    var counts = new Int32Array(nb + 1), longItems = [];
    function bucket(t) { var x = Math.floor((t - lo) / width); return x < 0 ? 0 : x >= nb ? nb - 1 : x; }
    for (var i = 0; i < n; i++) {
      var a = bucket(t0s[i]), z = bucket(t1s[i]);
      if (z - a > MAXSPAN) continue;
      for (var q = a; q <= z; q++) counts[q + 1]++;
    }
    for (var q2 = 0; q2 < nb; q2++) counts[q2 + 1] += counts[q2];
    var fill = counts.slice(0, nb), items = new Int32Array(counts[nb]);
    for (var i2 = 0; i2 < n; i2++) {
      var a2 = bucket(t0s[i2]), z2 = bucket(t1s[i2]);
      if (z2 - a2 > MAXSPAN) { longItems.push(i2); continue; }
      for (var q3 = a2; q3 <= z2; q3++) items[fill[q3]++] = i2;
    }
    var seen = new Uint32Array(n), stamp = 0;
    // Calls fn(i) once for every item that may overlap [from, to] (callers check exactly).
    this.query = function (from, to, fn) {
      stamp++;
      var a = bucket(from), z = bucket(to);
      for (var q = a; q <= z; q++) {
        for (var k = counts[q], e = counts[q + 1]; k < e; k++) {
          var it = items[k];
          if (seen[it] !== stamp) { seen[it] = stamp; fn(it); }
        }
      }
      for (var k2 = 0; k2 < longItems.length; k2++) {
        var it2 = longItems[k2];
        if (t1s[it2] >= from && t0s[it2] <= to) fn(it2);
      }
    };
  }
  var rpcIndex = new TimeIndex(NR, rT0, rT1, META.start, META.end);

  // First index in a sorted Float64Array with value >= x.
  function lowerBound(arr, x) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // ---- colours -------------------------------------------------------------------------
  function termHue(term) { return (200 + term * 137.508) % 360; }
  var RPC_COLOUR = {};
  RPC_COLOUR[TOPIC.vote] = "#8e44ad";
  RPC_COLOUR[TOPIC.append] = "#2e7dd1";
  RPC_COLOUR[TOPIC.snapshot] = "#e07b00";
  function rpcColour(topic) { return RPC_COLOUR[topic] || "#667085"; }
  var RED = "#d92d20";

  // ---- view state ----------------------------------------------------------------------
  var plot = document.getElementById("plot"), overlay = document.getElementById("overlay");
  var ctx = plot.getContext("2d"), octx = overlay.getContext("2d");
  var tooltip = document.getElementById("tooltip"), view = document.getElementById("view");
  var rangeLabel = document.getElementById("range");
  var W = 800, DPR = 1;
  var v = { t0: META.start, scale: 1 };
  var filters = { vote: true, append: true, snapshot: true, replies: true, log: true };
  var hover = null, drawPending = false;
  var stats = { frames: 0, arrows: 0, marks: 0, bands: 0 };

  function plotW() { return Math.max(50, W - GUTTER - RIGHT); }
  function x(t) { return GUTTER + (t - v.t0) * v.scale; }
  function tAt(px) { return v.t0 + (px - GUTTER) / v.scale; }
  function viewEnd() { return tAt(GUTTER + plotW()); }
  function span() { return Math.max(META.end - META.start, 1); }
  function clampView() {
    var minScale = plotW() / (span() * 4), maxScale = 400;
    if (v.scale < minScale) v.scale = minScale;
    if (v.scale > maxScale) v.scale = maxScale;
    var w = plotW() / v.scale, pad = span() * 0.5;
    if (v.t0 < META.start - pad - w / 2) v.t0 = META.start - pad - w / 2;
    if (v.t0 > META.end + pad - w / 2) v.t0 = META.end + pad - w / 2;
  }
  function zoomTo(t0, t1) {
    if (!(t1 > t0)) { t1 = t0 + 1; }
    v.scale = plotW() / (t1 - t0);
    v.t0 = t0;
    clampView();
    requestDraw();
  }
  function fit() {
    var pad = span() * 0.015;
    zoomTo(META.start - pad, META.end + pad);
  }
  function zoomAt(px, factor) {
    var t = tAt(px);
    v.scale *= factor;
    clampView();
    v.t0 = t - (px - GUTTER) / v.scale;
    clampView();
    requestDraw();
  }
  function pan(dpx) { v.t0 -= dpx / v.scale; clampView(); requestDraw(); }

  function resize() {
    DPR = window.devicePixelRatio || 1;
    W = Math.max(320, view.clientWidth);
    var keep = hasSized ? [v.t0, viewEnd()] : null;
    [plot, overlay].forEach(function (c) {
      c.width = Math.round(W * DPR); c.height = Math.round(HEIGHT * DPR);
      c.style.width = W + "px"; c.style.height = HEIGHT + "px";
    });
    if (keep) zoomTo(keep[0], keep[1]); else fit();
    hasSized = true;
    placeLaneLabels();
  }
  var hasSized = false;

  function placeLaneLabels() {
    var box = document.getElementById("lane-labels");
    box.textContent = "";
    for (var l = 0; l < NL; l++) {
      var div = document.createElement("div");
      div.className = "lane-label";
      div.setAttribute("data-lane", String(l));
      div.style.top = (l === 0 ? laneTop(0) + 8 : laneTop(l) + ANCHOR_Y - 9) + "px";
      div.textContent = laneNames[l];
      var small = document.createElement("small");
      small.textContent = l === 0 ? "& network" : "";
      if (l === 0) div.appendChild(small);
      box.appendChild(div);
    }
  }

  function requestDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(function () { drawPending = false; draw(); drawOverlay(); updateRange(); });
  }

  // ---- time formatting -----------------------------------------------------------------
  function niceStep(minMs) {
    var p = Math.pow(10, Math.floor(Math.log10(minMs)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= minMs) return steps[i] * p;
    return 10 * p;
  }
  function fmtTick(t, step) {
    if (step >= 1000) return trimZeros((t / 1000).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1000) + 1e-9)))) + " s";
    if (Math.abs(t) < 1000) return trimZeros(t.toFixed(Math.max(0, -Math.floor(Math.log10(step) + 1e-9)))) + " ms";
    return trimZeros((t / 1000).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1000) + 1e-9)))) + " s";
  }
  function trimZeros(s) { return s.indexOf(".") >= 0 ? s.replace(/0+$/, "").replace(/\.$/, "") : s; }
  function fmtT(t) { return (Math.round(t * 1000) / 1000) + " ms"; }
  function fmtDur(d) { return d >= 1000 ? trimZeros((d / 1000).toFixed(3)) + " s" : (Math.round(d * 1000) / 1000) + " ms"; }
  function updateRange() {
    rangeLabel.textContent = "view " + fmtDur(Math.max(0, v.t0)) + " – " + fmtDur(Math.max(0, viewEnd())) + "  (" + fmtDur(viewEnd() - v.t0) + " wide)";
  }

  // ---- patterns ------------------------------------------------------------------------
  function hatch(colour, bg) {
    var c = document.createElement("canvas"); c.width = 8; c.height = 8;
    var g = c.getContext("2d");
    g.fillStyle = bg; g.fillRect(0, 0, 8, 8);
    g.strokeStyle = colour; g.lineWidth = 2;
    g.beginPath(); g.moveTo(-2, 10); g.lineTo(10, -2); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(6, 10); g.lineTo(10, 6); g.stroke();
    return ctx.createPattern(c, "repeat");
  }
  var DISC_PATTERN = null, CRASH_PATTERN = null;

  // ---- drawing -------------------------------------------------------------------------
  function rpcVisible(i) {
    var tp = rTopic[i];
    if (tp === TOPIC.vote) return filters.vote;
    if (tp === TOPIC.append) return filters.append;
    return filters.snapshot;
  }
  // The geometry of an RPC: up to two legs, each [x0, y0, x1, y1, kind] where kind is
  // 0 request, 1 reply, 2 failed (ends halfway with an ×), 3 pending. A request that never
  // arrived is a short stub a third of the way towards its target: an unreachable peer makes
  // the caller wait up to 7 s, and lines that long would hide everything else (the tooltip
  // gives the time of the failure).
  function stubX(x0, t1) { return Math.min(x(t1), x0 + 16); }
  function legs(i) {
    var out = [], a = rFrom[i], bl = rTo[i], ya = anchorY(a), yb = anchorY(bl), ymid = (ya + yb) / 2;
    var ts = T[rSend[i]], st = rStatus[i];
    if (rDeliver[i] >= 0) {
      var td = T[rDeliver[i]];
      out.push([x(ts), ya, x(td), yb, 0]);
      if (st === 0) { if (filters.replies) out.push([x(td), yb, x(T[rEnd[i]]), ya, 1]); }
      else if (st === 1) out.push([x(td), yb, x(T[rEnd[i]]), ymid, 2]);
    } else {
      var xs = x(ts), ystub = ya + (yb - ya) / 3;
      if (st === 1) out.push([xs, ya, stubX(xs, T[rEnd[i]]), ystub, 2]);
      else out.push([xs, ya, xs + 16, ystub, 3]);
    }
    return out;
  }

  function draw() {
    stats.frames++;
    if (!DISC_PATTERN) { DISC_PATTERN = hatch("rgba(247,144,9,0.42)", "rgba(247,144,9,0.07)"); CRASH_PATTERN = hatch("rgba(52,64,84,0.5)", "rgba(52,64,84,0.12)"); }
    ctx.setTransform(DPR, 0, 0, DPR, 0, 0);
    ctx.clearRect(0, 0, W, HEIGHT);
    var t0 = v.t0, t1 = viewEnd(), pw = plotW();

    // Lane backgrounds and separators.
    for (var l = 0; l < NL; l++) {
      ctx.fillStyle = l === 0 ? "#fafbfc" : (l % 2 ? "#ffffff" : "#fbfcfe");
      ctx.fillRect(0, laneTop(l), W, laneH(l));
      ctx.fillStyle = "#eaecf0";
      ctx.fillRect(0, laneTop(l) + laneH(l) - 1, W, 1);
    }
    ctx.fillStyle = "#eaecf0"; ctx.fillRect(GUTTER - 1, AXIS_H, 1, HEIGHT - AXIS_H);

    ctx.save();
    ctx.beginPath(); ctx.rect(GUTTER, 0, pw, HEIGHT); ctx.clip();

    // Grid lines and axis ticks.
    var step = niceStep(90 / v.scale);
    ctx.fillStyle = "#f0f1f4";
    for (var gt = Math.ceil(t0 / step) * step; gt <= t1; gt += step) ctx.fillRect(Math.round(x(gt)), AXIS_H, 1, HEIGHT - AXIS_H);
    // Anchor lines.
    ctx.fillStyle = "#e4e7ec";
    for (var la = 1; la < NL; la++) ctx.fillRect(GUTTER, anchorY(la), pw, 1);

    // Shaded periods: disconnected, then crashed on top.
    for (var pass = 0; pass < 2; pass++) {
      for (var s = 0; s < NS; s++) {
        var so = s * 4;
        if (D.shades[so + 3] !== pass) continue;
        var s0 = D.shades[so + 1], s1 = D.shades[so + 2];
        if (s1 < t0 || s0 > t1) continue;
        var sl = D.shades[so], sx0 = Math.max(x(s0), GUTTER - 2), sx1 = Math.min(x(s1), W);
        ctx.fillStyle = pass === 0 ? DISC_PATTERN : CRASH_PATTERN;
        ctx.fillRect(sx0, laneTop(sl) + 1, Math.max(1, sx1 - sx0), laneH(sl) - 2);
        if (sx1 - sx0 > 90) {
          ctx.font = "600 11px system-ui, sans-serif";
          ctx.fillStyle = pass === 0 ? "#b54708" : "#1d2939";
          ctx.fillText(pass === 0 ? "disconnected" : "crashed", Math.max(sx0, GUTTER) + 5, laneTop(sl) + (pass === 0 ? LANE_H - 16 : BAND_Y + BAND_H + 9));
        }
      }
    }

    // Role bands (their labels are drawn after the arrows, to stay readable).
    stats.bands = 0;
    var bandLabels = [];
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    for (var lb = 1; lb < NL; lb++) {
      var list = bandsByLane[lb], y = laneTop(lb) + BAND_Y;
      for (var q = 0; q < list.length; q++) {
        var bo = list[q] * 5, b0 = D.bands[bo + 1], b1 = D.bands[bo + 2];
        if (b1 < t0 || b0 > t1) continue;
        stats.bands++;
        var term = D.bands[bo + 3], role = D.bands[bo + 4], h = termHue(term);
        var bx0 = x(b0), bx1 = x(b1), bw = Math.max(1, bx1 - bx0);
        if (role === 2) ctx.fillStyle = "hsl(" + h + ",62%,42%)";
        else if (role === 1) ctx.fillStyle = "hsla(" + h + ",62%,52%,0.45)";
        else ctx.fillStyle = "hsla(" + h + ",55%,55%,0.2)";
        ctx.fillRect(bx0, y, bw, BAND_H);
        if (role === 1 && bw > 3) { ctx.strokeStyle = "hsl(" + h + ",62%,40%)"; ctx.setLineDash([3, 2]); ctx.lineWidth = 1; ctx.strokeRect(bx0 + 0.5, y + 0.5, bw - 1, BAND_H - 1); ctx.setLineDash([]); }
        if (role !== 2 && bw > 2) { ctx.fillStyle = "hsla(" + h + ",55%,40%,0.55)"; ctx.fillRect(bx0, y, 1, BAND_H); }
        var label = role === 2 ? "T" + term + " leader" : role === 1 ? "T" + term + " candidate" : "T" + term;
        var tw = ctx.measureText(label).width;
        if (bw < tw + 8) { label = "T" + term; tw = ctx.measureText(label).width; }
        if (bw >= tw + 8) {
          var lx = Math.max(bx0, GUTTER) + 4;
          if (lx + tw > bx1 - 3) lx = bx1 - 3 - tw;
          bandLabels.push([label, lx, y + BAND_H / 2 + 0.5, role === 2 ? "#fff" : "hsl(" + h + ",50%,28%)"]);
        }
      }
    }

    drawArrows(t0, t1);
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    bandLabels.forEach(function (b) { ctx.fillStyle = b[3]; ctx.fillText(b[0], b[1], b[2]); });
    drawMarks(t0, t1);
    drawViolations(t0, t1);
    ctx.restore();
    drawAxis(t0, t1, step);
  }

  function drawArrows(t0, t1) {
    // Gather segments per style, then stroke each style once.
    var styles = {};
    function seg(key, colour, width, dash, alpha) {
      var st = styles[key];
      if (!st) st = styles[key] = { colour: colour, width: width, dash: dash, alpha: alpha, lines: [], curves: [], heads: [], crosses: [] };
      return st;
    }
    var count = 0, lastX0 = new Float64Array(NL * NL * 8).fill(-1e9), lastX1 = new Float64Array(NL * NL * 8);
    var visible = [];
    rpcIndex.query(t0, t1, function (i) { if (rT1[i] >= t0 && rT0[i] <= t1 && rpcVisible(i)) visible.push(i); });
    // Level of detail by density (arrows per pixel of width): sparse views get everything;
    // dense ones fade the requests and drop replies, arrowheads and crosses.
    var density = visible.length / plotW(), dense = density > 0.6;
    var fade = dense ? Math.max(0.07, Math.min(0.6, 0.35 / density)) : 0.85;
    var heads = density < 3;
    for (var n = 0; n < visible.length; n++) {
      var i = visible[n], L = legs(i);
      // Level of detail: skip a request leg that would land on the same pixels as the last one
      // drawn for the same lanes and topic.
      var dedupe = (rFrom[i] * NL + rTo[i]) * 8 + (rStatus[i] === 1 ? 4 : 0) + (rTopic[i] === TOPIC.vote ? 1 : rTopic[i] === TOPIC.append ? 2 : 3);
      var px0 = Math.round(L[0][0]), px1 = Math.round(L[0][2]);
      if (lastX0[dedupe] === px0 && lastX1[dedupe] === px1) continue;
      lastX0[dedupe] = px0; lastX1[dedupe] = px1;
      count++;
      var colour = rpcColour(rTopic[i]);
      for (var g = 0; g < L.length; g++) {
        var lg = L[g], kind = lg[4], st;
        if (dense && kind === 1) continue;
        if (kind === 0) st = seg("q" + rTopic[i], colour, dense ? 1 : 1.3, null, fade);
        else if (kind === 1) st = seg("r" + rTopic[i], colour, 1, null, 0.4);
        else if (kind === 2) st = seg("fail", RED, 1.2, dense ? null : [4, 3], dense ? Math.min(1, fade * 2) : 0.85);
        else st = seg("pending", "#98a2b3", 1, [2, 3], 0.8);
        if (kind === 1) st.curves.push(lg); else st.lines.push(lg);
        if (kind === 2 && !dense) st.crosses.push(lg[2], lg[3]);
        else if (heads && (kind === 0 || kind === 1) && Math.abs(lg[3] - lg[1]) + Math.abs(lg[2] - lg[0]) > 14) st.heads.push(lg);
      }
    }
    stats.arrows = count;
    Object.keys(styles).forEach(function (key) {
      var st = styles[key];
      ctx.globalAlpha = st.alpha;
      ctx.strokeStyle = st.colour; ctx.fillStyle = st.colour; ctx.lineWidth = st.width;
      ctx.setLineDash(st.dash || []);
      ctx.beginPath();
      for (var a = 0; a < st.lines.length; a++) { var s = st.lines[a]; ctx.moveTo(s[0], s[1]); ctx.lineTo(s[2], s[3]); }
      for (var c = 0; c < st.curves.length; c++) { var cv = st.curves[c], cp = curveControl(cv); ctx.moveTo(cv[0], cv[1]); ctx.quadraticCurveTo(cp[0], cp[1], cv[2], cv[3]); }
      ctx.stroke();
      ctx.setLineDash([]);
      if (st.heads.length) {
        ctx.beginPath();
        for (var hI = 0; hI < st.heads.length; hI++) arrowHead(st.heads[hI]);
        ctx.fill();
      }
      if (st.crosses.length) {
        ctx.globalAlpha = 1; ctx.lineWidth = 1.8; ctx.beginPath();
        for (var cI = 0; cI < st.crosses.length; cI += 2) { var cx = st.crosses[cI], cy = st.crosses[cI + 1]; ctx.moveTo(cx - 3.5, cy - 3.5); ctx.lineTo(cx + 3.5, cy + 3.5); ctx.moveTo(cx + 3.5, cy - 3.5); ctx.lineTo(cx - 3.5, cy + 3.5); }
        ctx.stroke();
      }
    });
    ctx.globalAlpha = 1;
  }
  // Replies bow to the right so that a reply at the same instant as its request stays visible.
  function curveControl(s) {
    var mx = (s[0] + s[2]) / 2, my = (s[1] + s[3]) / 2, dx = s[2] - s[0], dy = s[3] - s[1];
    var len = Math.sqrt(dx * dx + dy * dy) || 1, bow = Math.min(14, 4 + len * 0.12);
    var nx = -dy / len, ny = dx / len;
    if (nx < 0) { nx = -nx; ny = -ny; }
    return [mx + nx * bow, my + ny * bow];
  }
  function arrowHead(s) {
    var ex = s[2], ey = s[3], sx = s[0], sy = s[1];
    if (s[4] === 1) { var cp = curveControl(s); sx = cp[0]; sy = cp[1]; }
    var dx = ex - sx, dy = ey - sy, len = Math.sqrt(dx * dx + dy * dy) || 1, ux = dx / len, uy = dy / len;
    ctx.moveTo(ex, ey);
    ctx.lineTo(ex - ux * 7 - uy * 3, ey - uy * 7 + ux * 3);
    ctx.lineTo(ex - ux * 7 + uy * 3, ey - uy * 7 - ux * 3);
    ctx.closePath();
  }

  // Where a marker is drawn.
  function markY(j) {
    var l = mLane[j], kind = mKind[j];
    if (l === 0) return kind === MK.check ? laneTop(0) + 15 : kind === MK.log ? laneTop(0) + TESTER_H - 7 : laneTop(0) + 36;
    if (kind === MK.commit) return laneTop(l) + COMMIT_Y;
    if (kind === MK.log) return laneTop(l) + (LOG_Y0 + LOG_Y1) / 2;
    if (kind === MK.violation) return laneTop(l) + ANCHOR_Y;
    return laneTop(l) + APPLY_Y;
  }

  function drawMarks(t0, t1) {
    var pad = 2 / v.scale, a = lowerBound(mT, t0 - pad), z = lowerBound(mT, t1 + pad);
    var lastPx = new Float64Array(NL * 8).fill(-1e9), lastLabel = new Float64Array(NL * 8).fill(-1e9);
    var count = 0, compact = (z - a) / plotW() > 1.5 * (NL - 1);
    ctx.textBaseline = "middle";
    ctx.font = "10px system-ui, sans-serif";
    for (var j = a; j < z; j++) {
      var kind = mKind[j];
      if (kind === MK.violation) continue; // drawn by drawViolations
      if (kind === MK.log && !filters.log) continue;
      var l = mLane[j], px = x(mT[j]), key = l * 8 + kind, rx = Math.round(px);
      if (lastPx[key] === rx && kind !== MK.check) continue;
      lastPx[key] = rx;
      count++;
      var y = markY(j);
      if (compact && l > 0) {
        // Many markers per pixel: short ticks in the marker's colour.
        ctx.fillStyle = kind === MK.commit ? "#12a150" : kind === MK.apply ? "#2e7dd1" : kind === MK.log ? "#b8c0cc" : kind === MK.other ? "#667085" : "#9b51e0";
        ctx.fillRect(rx, y - 3, 1, 6);
        continue;
      }
      switch (kind) {
        case MK.commit:
          ctx.fillStyle = "#12a150";
          ctx.beginPath(); ctx.moveTo(px, y - 4.5); ctx.lineTo(px + 4.5, y + 3.5); ctx.lineTo(px - 4.5, y + 3.5); ctx.closePath(); ctx.fill();
          if (px - lastLabel[key] > 6) {
            // Label the index only where the next commit on the lane leaves room for it.
            var txt = String(mVal[j]), tw = ctx.measureText(txt).width, room = true;
            for (var j2 = j + 1; j2 < z; j2++) {
              if (x(mT[j2]) > px + tw + 12) break;
              if (mLane[j2] === l && mKind[j2] === MK.commit) { room = false; break; }
            }
            if (room) { ctx.fillStyle = "#0b7a3b"; ctx.fillText(txt, px + 6, y); lastLabel[key] = px + 6 + tw; }
          }
          break;
        case MK.apply:
          ctx.fillStyle = "#2e7dd1";
          ctx.beginPath(); ctx.arc(px, y, 3, 0, 6.2832); ctx.fill();
          break;
        case MK.snapshot: case MK.applySnapshot:
          ctx.fillStyle = "#9b51e0"; ctx.strokeStyle = "#9b51e0"; ctx.lineWidth = 1.3;
          ctx.beginPath(); ctx.moveTo(px, y - 5); ctx.lineTo(px + 5, y); ctx.lineTo(px, y + 5); ctx.lineTo(px - 5, y); ctx.closePath();
          if (kind === MK.snapshot) ctx.fill(); else { ctx.fillStyle = "#fff"; ctx.fill(); ctx.stroke(); }
          break;
        case MK.check:
          ctx.fillStyle = "#12a150"; ctx.fillRect(px, y - 8, 1.2, 26);
          if (px > lastLabel[key]) {
            var lbl = mVal[j] >= 0 ? "leader " + mVal[j] : "check";
            ctx.font = "600 12px system-ui, sans-serif"; ctx.fillText("✓", px - 3.5, y - 1);
            ctx.font = "10px system-ui, sans-serif"; ctx.fillStyle = "#0b7a3b"; ctx.fillText(lbl, px + 6, y);
            lastLabel[key] = px + 14 + ctx.measureText(lbl).width;
          }
          break;
        case MK.log:
          ctx.fillStyle = "#98a2b3"; ctx.fillRect(px - 0.5, y - 3, 1, 7);
          break;
        default:
          if (l === 0) {
            ctx.fillStyle = "#667085"; ctx.fillRect(px - 0.5, y - 7, 1, 14);
            if (px - lastLabel[key] > 8) {
              var text = M[mEv[j]]; if (text.length > 48) text = text.slice(0, 47) + "…";
              ctx.fillText(text, px + 4, y);
              lastLabel[key] = px + 12 + ctx.measureText(text).width;
            }
          } else { ctx.fillStyle = "#667085"; ctx.fillRect(px - 2, y - 2, 4, 4); }
      }
    }
    stats.marks = count;
  }

  function drawViolations(t0, t1) {
    for (var n = 0; n < D.violations.length; n++) {
      var e = D.violations[n], t = T[e];
      if (t < t0 - 1e3 / v.scale || t > t1 + 1e3 / v.scale) continue;
      var px = Math.round(x(t)) + 0.5;
      ctx.strokeStyle = RED; ctx.lineWidth = 2; ctx.setLineDash([]);
      ctx.beginPath(); ctx.moveTo(px, AXIS_H); ctx.lineTo(px, HEIGHT); ctx.stroke();
      ctx.font = "600 11px system-ui, sans-serif"; ctx.textBaseline = "middle";
      var text = "✖ " + M[e]; if (text.length > 90) text = text.slice(0, 89) + "…";
      var tw = ctx.measureText(text).width, bx = px + 6;
      if (bx + tw + 10 > GUTTER + plotW()) bx = Math.max(GUTTER + 2, px - 6 - tw - 10);
      ctx.fillStyle = RED; roundRect(bx, laneTop(0) + 24, tw + 10, 18, 4); ctx.fill();
      ctx.fillStyle = "#fff"; ctx.fillText(text, bx + 5, laneTop(0) + 33);
    }
  }
  function roundRect(x0, y0, w, h, r) {
    ctx.beginPath(); ctx.moveTo(x0 + r, y0); ctx.lineTo(x0 + w - r, y0); ctx.quadraticCurveTo(x0 + w, y0, x0 + w, y0 + r);
    ctx.lineTo(x0 + w, y0 + h - r); ctx.quadraticCurveTo(x0 + w, y0 + h, x0 + w - r, y0 + h); ctx.lineTo(x0 + r, y0 + h);
    ctx.quadraticCurveTo(x0, y0 + h, x0, y0 + h - r); ctx.lineTo(x0, y0 + r); ctx.quadraticCurveTo(x0, y0, x0 + r, y0); ctx.closePath();
  }

  function drawAxis(t0, t1, step) {
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, AXIS_H);
    ctx.fillStyle = "#d0d5dd"; ctx.fillRect(0, AXIS_H - 1, W, 1);
    ctx.save(); ctx.beginPath(); ctx.rect(GUTTER - 30, 0, plotW() + 30 + RIGHT, AXIS_H); ctx.clip();
    ctx.font = "11px system-ui, sans-serif"; ctx.textBaseline = "middle"; ctx.fillStyle = "#475467";
    for (var t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
      var px = Math.round(x(t));
      ctx.fillRect(px, AXIS_H - 6, 1, 5);
      var label = fmtTick(t, step), tw = ctx.measureText(label).width;
      ctx.fillText(label, px - tw / 2, AXIS_H / 2 - 2);
    }
    ctx.restore();
    ctx.fillStyle = "#98a2b3"; ctx.font = "10px system-ui, sans-serif";
    ctx.fillText("virtual time", 8, AXIS_H / 2 - 2);
  }

  // ---- hit-testing and the tooltip -------------------------------------------------------
  function distToSeg(px, py, x0, y0, x1, y1) {
    var dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    var u = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
    var ex = x0 + u * dx - px, ey = y0 + u * dy - py;
    return Math.sqrt(ex * ex + ey * ey);
  }
  function distToLeg(px, py, s) {
    if (s[4] !== 1) return distToSeg(px, py, s[0], s[1], s[2], s[3]);
    var cp = curveControl(s), mx = (s[0] + 2 * cp[0] + s[2]) / 4, my = (s[1] + 2 * cp[1] + s[3]) / 4;
    return Math.min(distToSeg(px, py, s[0], s[1], mx, my), distToSeg(px, py, mx, my, s[2], s[3]));
  }

  // The item under (px, py) in canvas coordinates, or null: markers first, then violations,
  // RPC arrows, shaded periods and bands.
  function hitTest(px, py) {
    if (px < GUTTER || px > GUTTER + plotW()) return null;
    var lane = laneAt(py), tol = 7 / v.scale, t = tAt(px);
    var best = null, bestD = 7;
    if (lane >= 0) {
      var a = lowerBound(mT, t - tol), z = lowerBound(mT, t + tol);
      for (var j = a; j < z; j++) {
        if (mLane[j] !== lane || mKind[j] === MK.violation) continue;
        if (mKind[j] === MK.log && !filters.log) continue;
        var dx = x(mT[j]) - px, dy = markY(j) - py, d = Math.sqrt(dx * dx + dy * dy);
        if (mKind[j] === MK.check && Math.abs(dx) < 4 && Math.abs(dy) < 14) d = Math.min(d, 3);
        if (lane === 0 && mKind[j] === MK.other && Math.abs(dx) < 4 && Math.abs(dy) < 8) d = Math.min(d, 3);
        if (d < bestD) { bestD = d; best = { type: "mark", i: j }; }
      }
      if (best) return best;
    }
    for (var n = 0; n < D.violations.length; n++) {
      if (Math.abs(x(T[D.violations[n]]) - px) <= 4 && py >= AXIS_H) return { type: "violation", i: n };
    }
    bestD = 5;
    var wide = 20 / v.scale; // reply curves bow up to 14 px sideways
    rpcIndex.query(t - wide, t + wide, function (i) {
      if (!rpcVisible(i)) return;
      var L = legs(i);
      for (var g = 0; g < L.length; g++) {
        var d = distToLeg(px, py, L[g]);
        if (d < bestD) { bestD = d; best = { type: "rpc", i: i, leg: g }; }
      }
    });
    if (best) return best;
    if (lane < 0) return null;
    for (var s = 0; s < NS; s++) {
      var so = s * 4;
      if (D.shades[so] === lane && D.shades[so + 1] <= t && t <= D.shades[so + 2]) {
        // Crashed wins over disconnected when both cover the point.
        if (!best || D.shades[so + 3] === 1) best = { type: "shade", i: s };
      }
    }
    var y0 = laneTop(lane) + BAND_Y;
    if (lane > 0 && py >= y0 - 1 && py <= y0 + BAND_H + 1) {
      var list = bandsByLane[lane];
      for (var q = 0; q < list.length; q++) {
        var bo = list[q] * 5;
        if (D.bands[bo + 1] <= t && t <= D.bands[bo + 2]) return { type: "band", i: list[q] };
      }
    }
    return best;
  }

  var MARK_NAMES = ["event", "commit", "apply", "tester snapshot", "apply snapshot", "tester check", "log", "violation"];
  function who(peer) { return peer < 0 ? "tester" : "peer " + peer; }
  function describe(h) {
    var lines = [], title = "";
    if (h.type === "mark") {
      var e = mEv[h.i];
      title = MARK_NAMES[mKind[h.i]] + (mKind[h.i] === MK.commit || mKind[h.i] === MK.apply ? " " + mVal[h.i] : "") + " · " + who(P[e]);
      lines.push(["t = " + fmtT(T[e]) + "   [" + TOPICS[K[e]] + "]", true]);
      lines.push([M[e], false]);
    } else if (h.type === "violation") {
      var ev = D.violations[h.i];
      title = "VIOLATION at " + fmtT(T[ev]);
      lines.push([M[ev], false]);
      if (META.failure && META.failure !== M[ev]) lines.push([META.failure, true]);
    } else if (h.type === "rpc") {
      var i = h.i, method = M[rSend[i]].split(" ")[2] || TOPICS[rTopic[i]];
      title = "RPC #" + rId[i] + " " + method + "   " + who(rFrom[i] - 1) + " → " + who(rTo[i] - 1);
      var ts = T[rSend[i]];
      lines.push(["sent       " + fmtT(ts), true]);
      if (rDeliver[i] >= 0) lines.push(["delivered  " + fmtT(T[rDeliver[i]]) + "  (+" + fmtDur(T[rDeliver[i]] - ts) + ")", true]);
      if (rStatus[i] === 0) lines.push(["replied    " + fmtT(T[rEnd[i]]) + "  (round trip " + fmtDur(T[rEnd[i]] - ts) + ")", true]);
      else if (rStatus[i] === 1) lines.push(["FAILED     " + fmtT(T[rEnd[i]]) + "  after " + fmtDur(T[rEnd[i]] - ts), true]);
      else lines.push(["no answer before the run ended", true]);
      lines.push([M[rSend[i]], false]);
      if (rDeliver[i] >= 0) lines.push([M[rDeliver[i]], false]);
      if (rEnd[i] >= 0) lines.push([M[rEnd[i]], false]);
    } else if (h.type === "shade") {
      var so = h.i * 4;
      title = (D.shades[so + 3] === 1 ? "crashed" : "disconnected") + " · " + laneNames[D.shades[so]];
      lines.push([fmtT(D.shades[so + 1]) + " – " + fmtT(D.shades[so + 2]) + "  (" + fmtDur(D.shades[so + 2] - D.shades[so + 1]) + ")", true]);
    } else if (h.type === "band") {
      var bo = h.i * 5, role = ["follower", "candidate", "leader"][D.bands[bo + 4]];
      title = laneNames[D.bands[bo]] + " · term " + D.bands[bo + 3] + " · " + role;
      lines.push([fmtT(D.bands[bo + 1]) + " – " + fmtT(D.bands[bo + 2]) + "  (" + fmtDur(D.bands[bo + 2] - D.bands[bo + 1]) + ")", true]);
    }
    return { title: title, lines: lines };
  }

  function showTooltip(h, clientX, clientY) {
    var d = describe(h);
    tooltip.textContent = "";
    var tt = document.createElement("div"); tt.className = "tt-title"; tt.textContent = d.title; tooltip.appendChild(tt);
    d.lines.forEach(function (ln) {
      var div = document.createElement("div");
      div.className = ln[1] ? "tt-line tt-dim" : "tt-line";
      div.textContent = ln[0];
      tooltip.appendChild(div);
    });
    tooltip.hidden = false;
    var r = view.getBoundingClientRect();
    var left = clientX - r.left + 14, top = clientY - r.top + 16;
    var tw = tooltip.offsetWidth, th = tooltip.offsetHeight;
    if (left + tw > r.width - 4) left = Math.max(4, clientX - r.left - tw - 14);
    if (top + th > HEIGHT + 120) top = Math.max(4, clientY - r.top - th - 12);
    tooltip.style.left = left + "px"; tooltip.style.top = top + "px";
  }
  function hideTooltip() { tooltip.hidden = true; }

  function drawOverlay() {
    octx.setTransform(DPR, 0, 0, DPR, 0, 0);
    octx.clearRect(0, 0, W, HEIGHT);
    if (!hover) return;
    octx.save(); octx.beginPath(); octx.rect(GUTTER, 0, plotW(), HEIGHT); octx.clip();
    octx.strokeStyle = "#101828"; octx.lineWidth = 2.5;
    if (hover.type === "mark") {
      octx.beginPath(); octx.arc(x(mT[hover.i]), markY(hover.i), 7, 0, 6.2832); octx.stroke();
    } else if (hover.type === "rpc") {
      var L = legs(hover.i);
      octx.strokeStyle = rStatus[hover.i] === 1 ? RED : rpcColour(rTopic[hover.i]);
      octx.lineWidth = 3;
      octx.beginPath();
      L.forEach(function (s) {
        octx.moveTo(s[0], s[1]);
        if (s[4] === 1) { var cp = curveControl(s); octx.quadraticCurveTo(cp[0], cp[1], s[2], s[3]); } else octx.lineTo(s[2], s[3]);
      });
      octx.stroke();
      octx.fillStyle = "#101828";
      L.forEach(function (s) { octx.beginPath(); octx.arc(s[0], s[1], 3, 0, 6.2832); octx.fill(); });
    } else if (hover.type === "band") {
      var bo = hover.i * 5, l = D.bands[bo];
      octx.strokeRect(x(D.bands[bo + 1]), laneTop(l) + BAND_Y - 1, x(D.bands[bo + 2]) - x(D.bands[bo + 1]), BAND_H + 2);
    } else if (hover.type === "shade") {
      var so = hover.i * 4, sl = D.shades[so];
      octx.strokeRect(x(D.shades[so + 1]), laneTop(sl) + 1, x(D.shades[so + 2]) - x(D.shades[so + 1]), laneH(sl) - 2);
    } else if (hover.type === "violation") {
      octx.strokeStyle = RED; octx.lineWidth = 4;
      var vx = x(T[D.violations[hover.i]]);
      octx.beginPath(); octx.moveTo(vx, AXIS_H); octx.lineTo(vx, HEIGHT); octx.stroke();
    }
    octx.restore();
  }

  // ---- input ---------------------------------------------------------------------------
  var drag = null;
  function localXY(e) { var r = plot.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
  function updateHover(e) {
    var p = localXY(e), h = hitTest(p[0], p[1]);
    var same = h && hover && h.type === hover.type && h.i === hover.i;
    hover = h;
    if (h) showTooltip(h, e.clientX, e.clientY); else hideTooltip();
    if (!same) drawOverlay();
  }
  plot.addEventListener("mousedown", function (e) {
    if (e.button !== 0) return;
    drag = { x: e.clientX, t0: v.t0, moved: false };
    plot.classList.add("dragging");
    e.preventDefault();
  });
  window.addEventListener("mousemove", function (e) {
    if (drag) {
      var dx = e.clientX - drag.x;
      if (Math.abs(dx) > 2) drag.moved = true;
      v.t0 = drag.t0 - dx / v.scale; clampView(); requestDraw();
      hover = null; hideTooltip();
      return;
    }
    if (e.target === plot) updateHover(e);
    else if (hover) { hover = null; hideTooltip(); drawOverlay(); }
  });
  window.addEventListener("mouseup", function () { drag = null; plot.classList.remove("dragging"); });
  plot.addEventListener("mouseleave", function () { if (!drag) { hover = null; hideTooltip(); drawOverlay(); } });
  plot.addEventListener("wheel", function (e) {
    e.preventDefault();
    var unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    var dx = e.deltaX * unit, dy = e.deltaY * unit;
    if (e.shiftKey && dx === 0) { dx = dy; dy = 0; }
    if (Math.abs(dx) > Math.abs(dy)) pan(-dx);
    else zoomAt(localXY(e)[0], Math.exp(-dy * 0.0015));
    hover = null; hideTooltip();
  }, { passive: false });
  plot.addEventListener("dblclick", function (e) { zoomAt(localXY(e)[0], e.shiftKey ? 0.5 : 2); });
  function centreX() { return GUTTER + plotW() / 2; }
  document.getElementById("fit").addEventListener("click", fit);
  document.getElementById("zoom-in").addEventListener("click", function () { zoomAt(centreX(), 2); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomAt(centreX(), 0.5); });
  function gotoViolation() {
    if (!D.violations.length) return;
    var t = T[D.violations[0]], w = Math.min(span(), 2000);
    zoomTo(t - w * 0.8, t + w * 0.2);
  }
  var gv = document.getElementById("goto-violation");
  if (gv) gv.addEventListener("click", gotoViolation);
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (box) {
    box.addEventListener("change", function () { filters[box.getAttribute("data-filter")] = box.checked; hover = null; hideTooltip(); requestDraw(); });
  });
  window.addEventListener("keydown", function (e) {
    if (e.target && e.target.tagName === "INPUT" && e.target.type !== "checkbox") return;
    if (e.key === "f" || e.key === "F" || e.key === "0") fit();
    else if (e.key === "+" || e.key === "=") zoomAt(centreX(), 1.5);
    else if (e.key === "-" || e.key === "_") zoomAt(centreX(), 1 / 1.5);
    else if (e.key === "ArrowLeft") pan(plotW() / 4);
    else if (e.key === "ArrowRight") pan(-plotW() / 4);
    else if (e.key === "v" || e.key === "V") gotoViolation();
    else return;
    e.preventDefault();
  });
  window.addEventListener("resize", resize);

  resize();
  draw(); drawOverlay(); updateRange();

  // ---- for tests and the curious -------------------------------------------------------
  // Locates an event on screen (client coordinates): the marker, RPC endpoint or lane anchor.
  function locate(e) {
    var r = plot.getBoundingClientRect(), px = x(T[e]), py = anchorY(P[e] + 1);
    var j = lowerBound(mT, T[e]);
    for (; j < NM && mT[j] === T[e]; j++) if (mEv[j] === e) { py = markY(j); break; }
    return { x: r.left + px, y: r.top + py };
  }
  window.__timeline = {
    ready: true,
    lanes: laneNames.slice(),
    events: T.length,
    rpcs: NR,
    marks: NM,
    bands: NB,
    violations: D.violations.map(function (e) { return { t: T[e], peer: P[e], msg: M[e] }; }),
    failure: META.failure,
    stats: stats,
    view: function () { return { t0: v.t0, t1: viewEnd() }; },
    fit: fit,
    zoomTo: zoomTo,
    redraw: function () { draw(); drawOverlay(); return { frames: stats.frames, arrows: stats.arrows, marks: stats.marks, bands: stats.bands }; },
    locate: locate,
    hitTest: function (clientX, clientY) { var r = plot.getBoundingClientRect(); var h = hitTest(clientX - r.left, clientY - r.top); return h ? describe(h) : null; },
  };
})();
`;

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
