// The timeline generator, without a browser: the model it derives from a trace (bands, RPCs,
// shaded periods, markers), and the page it writes (self-contained, data embedded and escaped,
// script that parses, size for 50,000 events). tests/timeline.browser.test.ts drives the page.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BAND_STRIDE, MARK_STRIDE, Mark, RPC_STRIDE, Role, RpcStatus, SHADE_STRIDE, Shade,
  buildTimelineModel, renderTimeline, scriptSafeJson, syntheticTrace, type TimelineModel,
} from "../src/cli/timeline.ts";
import type { Topic, TraceEvent } from "../src/sim/trace.ts";
import { loadImpl, runTest } from "../src/config/index.ts";
import { allTests } from "./suites/index.ts";
import { ROOT } from "./support/cli.ts";

const meta = { test: "TestSynthetic", seed: "42", peers: 3 };

function rows(flat: number[], stride: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += stride) out.push(flat.slice(i, i + stride));
  return out;
}

/** The JSON embedded in the page, parsed back. */
function embedded(html: string): TimelineModel {
  const m = /<script id="timeline-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error("no embedded data");
  return JSON.parse(m[1]!) as TimelineModel;
}

/** The page script's source. */
function pageScript(html: string): string {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
  expect(scripts).toHaveLength(1);
  return scripts[0]![1]!;
}

const ev = (t: number, peer: number, topic: Topic, msg: string, data?: Record<string, unknown>): TraceEvent =>
  data === undefined ? { t, peer, topic, msg } : { t, peer, topic, msg, data };

/** A small hand-written run of 3 peers: an election, one heartbeat round, a crash, a violation. */
function handTrace(): TraceEvent[] {
  const rpc = (id: number, e: string, from: number, to: number, method: string, reason?: string) =>
    ({ rpc: id, ev: e, from, to, method, ...(reason !== undefined ? { reason } : {}) });
  return [
    ev(0, -1, "tester", "begin: Test (PartA): hand-written"),
    ev(0, 0, "crash", "start 0", { ev: "start" }),
    ev(0, 0, "partition", "connect 0", { ev: "connect" }),
    ev(0, 0, "election", "term 0 not leader", { ev: "state", term: 0, leader: false }),
    ev(0, 1, "election", "term 0 not leader", { ev: "state", term: 0, leader: false }),
    ev(0, 2, "election", "term 0 not leader", { ev: "state", term: 0, leader: false }),
    // Peer 0 times out: its RequestVotes come before the monitor records its new term.
    ev(300, 0, "vote", "send #1 Raft.RequestVote -> 1 Term=1", rpc(1, "send", 0, 1, "Raft.RequestVote")),
    ev(300, 0, "vote", "send #2 Raft.RequestVote -> 2 Term=1", rpc(2, "send", 0, 2, "Raft.RequestVote")),
    ev(300, 0, "election", "term 1 not leader", { ev: "state", term: 1, leader: false }),
    ev(305, 1, "vote", "recv #1 Raft.RequestVote <- 0", rpc(1, "deliver", 0, 1, "Raft.RequestVote")),
    ev(305, 1, "election", "term 1 not leader", { ev: "state", term: 1, leader: false }),
    ev(307, 0, "vote", "reply #1 Raft.RequestVote <- 1 VoteGranted=true", rpc(1, "reply", 0, 1, "Raft.RequestVote")),
    ev(310, 0, "drop", "fail #2 Raft.RequestVote -> 2: request lost", rpc(2, "fail", 0, 2, "Raft.RequestVote", "request lost")),
    ev(310, 0, "election", "term 1 leader", { ev: "state", term: 1, leader: true }),
    ev(320, 0, "append", "send #3 Raft.AppendEntries -> 1", rpc(3, "send", 0, 1, "Raft.AppendEntries")),
    ev(322, 1, "append", "recv #3 Raft.AppendEntries <- 0", rpc(3, "deliver", 0, 1, "Raft.AppendEntries")),
    ev(322, 1, "log", "S1 <- AE from S0 </script><script>alert(1)</script> <!-- \u2028"),
    ev(325, 0, "drop", "fail #3 Raft.AppendEntries -> 1: reply lost", rpc(3, "fail", 0, 1, "Raft.AppendEntries", "reply lost")),
    ev(330, 0, "append", "send #4 Raft.AppendEntries -> 2", rpc(4, "send", 0, 2, "Raft.AppendEntries")),
    ev(340, 0, "commit", "commitIndex 1", { ev: "commit", index: 1 }),
    ev(341, 0, "apply", "apply 1 101", { ev: "apply", index: 1 }),
    ev(345, 0, "snapshot", "tester snapshot at 1 (8 bytes)", { ev: "snapshot", index: 1 }),
    ev(350, -1, "tester", "checkOneLeader: leader 0 of term 1", { ev: "check", leader: 0 }),
    ev(400, 2, "partition", "disconnect 2", { ev: "disconnect" }),
    ev(400, 2, "crash", "crash 2", { ev: "crash" }),
    ev(500, 2, "partition", "disconnect 2", { ev: "disconnect" }),
    ev(500, 2, "crash", "start 2", { ev: "start" }),
    ev(500, 2, "election", "term 0 not leader", { ev: "state", term: 0, leader: false }),
    ev(550, 9, "persist", "an event for a peer beyond meta.peers"),
    ev(600, -1, "violation", "Election Safety violated: peers 0 and 1 were both leader in term 1"),
  ];
}

describe("buildTimelineModel", () => {
  const model = buildTimelineModel(handTrace(), { ...meta, failure: "it failed" });

  it("has a lane per peer plus the tester's, widened for peers beyond meta.peers", () => {
    expect(model.meta.lanes).toBe(11);
    expect(buildTimelineModel(handTrace().filter((e) => e.peer < 3), meta).meta.lanes).toBe(4);
    expect(model.meta.end).toBe(600);
    expect(model.meta.failure).toBe("it failed");
    expect(model.t).toHaveLength(handTrace().length);
  });

  it("derives role bands: a candidacy from RequestVotes, a leader band, and bands end at a crash", () => {
    const bands = rows(model.bands, BAND_STRIDE);
    const lane1 = bands.filter((b) => b[0] === 1); // peer 0
    expect(lane1).toEqual([
      [1, 0, 300, 0, Role.Follower],
      [1, 300, 310, 1, Role.Candidate],
      [1, 310, 600, 1, Role.Leader],
    ]);
    expect(bands.filter((b) => b[0] === 2)).toEqual([[2, 0, 305, 0, Role.Follower], [2, 305, 600, 1, Role.Follower]]);
    // Peer 2 crashed at 400 and restarted at 500.
    expect(bands.filter((b) => b[0] === 3)).toEqual([[3, 0, 400, 0, Role.Follower], [3, 500, 600, 0, Role.Follower]]);
  });

  it("gathers each RPC's send, deliver, reply or failure", () => {
    const rpcs = rows(model.rpcs, RPC_STRIDE);
    const byId = new Map(rpcs.map((r) => [r[7]!, r]));
    const i = (t: number, msgStart: string) => model.t.findIndex((x, j) => x === t && model.m[j]!.startsWith(msgStart));
    // fromLane, toLane, topic, sendEv, deliverEv, endEv, status, id
    expect(byId.get(1)).toEqual([1, 2, model.topics.indexOf("vote"), i(300, "send #1"), i(305, "recv #1"), i(307, "reply #1"), RpcStatus.Ok, 1]);
    expect(byId.get(2)).toEqual([1, 3, model.topics.indexOf("vote"), i(300, "send #2"), -1, i(310, "fail #2"), RpcStatus.Failed, 2]);
    expect(byId.get(3)).toEqual([1, 2, model.topics.indexOf("append"), i(320, "send #3"), i(322, "recv #3"), i(325, "fail #3"), RpcStatus.Failed, 3]);
    expect(byId.get(4)).toEqual([1, 3, model.topics.indexOf("append"), i(330, "send #4"), -1, -1, RpcStatus.Pending, 4]);
  });

  it("shades disconnected and crashed periods", () => {
    expect(rows(model.shades, SHADE_STRIDE)).toEqual([
      [3, 400, 500, Shade.Crashed],
      [3, 400, 600, Shade.Disconnected], // never reconnected: open until the end
    ]);
  });

  it("keeps markers for commits, applies, snapshots, checks, log lines, other events and the violation", () => {
    const marks = rows(model.marks, MARK_STRIDE).map(([e, kind, value]) => [model.t[e!], model.p[e!], kind, value]);
    expect(marks).toEqual([
      [0, -1, Mark.Other, 0],
      [322, 1, Mark.Log, 0],
      [340, 0, Mark.Commit, 1],
      [341, 0, Mark.Apply, 1],
      [345, 0, Mark.Snapshot, 1],
      [350, -1, Mark.Check, 0],
      [550, 9, Mark.Other, 0],
      [600, -1, Mark.Violation, 0],
    ]);
    expect(model.violations.map((e) => model.m[e])).toEqual(["Election Safety violated: peers 0 and 1 were both leader in term 1"]);
  });

  it("sorts events given out of order, and copes with an empty trace", () => {
    const shuffled = handTrace().reverse();
    const m2 = buildTimelineModel(shuffled, meta);
    for (let i = 1; i < m2.t.length; i++) expect(m2.t[i]).toBeGreaterThanOrEqual(m2.t[i - 1]!);
    const empty = buildTimelineModel([], meta);
    expect(empty.meta.lanes).toBe(4);
    expect(empty.t).toEqual([]);
    expect(renderTimeline([], meta)).toContain("<canvas");
  });

  it("derives every kind of item from the synthetic trace", () => {
    const events = syntheticTrace({ peers: 5, events: 4000, seed: 7, violation: true });
    expect(events.length).toBeGreaterThanOrEqual(4000);
    expect(syntheticTrace({ peers: 5, events: 4000, seed: 7, violation: true })).toEqual(events); // deterministic
    const m = buildTimelineModel(events, { ...meta, peers: 5 });
    const bands = rows(m.bands, BAND_STRIDE);
    const rpcs = rows(m.rpcs, RPC_STRIDE);
    expect(bands.some((b) => b[4] === Role.Leader)).toBe(true);
    expect(bands.some((b) => b[4] === Role.Candidate)).toBe(true);
    expect(new Set(bands.map((b) => b[3])).size).toBeGreaterThan(2);
    expect(rpcs.some((r) => r[6] === RpcStatus.Ok)).toBe(true);
    expect(rpcs.some((r) => r[6] === RpcStatus.Failed)).toBe(true);
    const ids = new Set(events.filter((e) => e.data?.ev === "send").map((e) => e.data!.rpc));
    expect(rpcs).toHaveLength(ids.size);
    const shades = rows(m.shades, SHADE_STRIDE);
    expect(shades.some((s) => s[3] === Shade.Disconnected)).toBe(true);
    expect(shades.some((s) => s[3] === Shade.Crashed)).toBe(true);
    const kinds = new Set(rows(m.marks, MARK_STRIDE).map((r) => r[1]));
    for (const k of [Mark.Commit, Mark.Apply, Mark.Snapshot, Mark.Check, Mark.Log, Mark.Violation]) expect(kinds).toContain(k);
    expect(m.violations).toHaveLength(1);
  });
});

describe("renderTimeline", () => {
  const failure = "Election Safety violated: peers 0 and 1 were both leader in term 1 (at 600 ms) <b>bold</b>";
  const html = renderTimeline(handTrace(), { test: "Test<Hand>", seed: "42", peers: 3, failure });

  it("is one self-contained HTML file", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bimport\s*\(|@import/);
    expect(html).toContain("<style>");
    expect(html).toContain("<canvas");
  });

  it("embeds the data, which reads back as the model", () => {
    const model = embedded(html);
    expect(model).toEqual(buildTimelineModel(handTrace(), { test: "Test<Hand>", seed: "42", peers: 3, failure }));
    expect(model.m).toContain("S1 <- AE from S0 </script><script>alert(1)</script> <!-- \u2028");
  });

  it("escapes </script>, <!-- and U+2028 in the embedded JSON", () => {
    // Exactly two script elements close: the data and the page script.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toContain("<!--");
    expect(html).not.toContain("\u2028");
    expect(scriptSafeJson({ s: "</script>" })).toBe('{"s":"\\u003c/script>"}');
  });

  it("escapes the header and shows the failure", () => {
    expect(html).toContain("<title>raftlab timeline — Test&lt;Hand&gt; · seed 42</title>");
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(html).toMatch(/<div id="failure" class="failure"><b>FAILED<\/b> Election Safety violated/);
    expect(html).toContain('id="goto-violation"');
  });

  it("has a page script that parses, with no template leftovers, clock or randomness", () => {
    const src = pageScript(html);
    expect(() => new Function(src)).not.toThrow();
    expect(src).not.toContain("${");
    expect(src).not.toMatch(/Math\.random|Date\b|fetch\(|XMLHttpRequest/);
  });

  it("inlines the page script from its own file, which tsc type-checks against the DOM", () => {
    const file = readFileSync(join(ROOT, "src/cli/timeline-page.js"), "utf8");
    expect(pageScript(html)).toBe(file);
    expect(file.startsWith("// @ts-check")).toBe(true);
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "src/cli/timeline-page.tsconfig.json")], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });

  it("stays under 10 MB for 50,000 events", () => {
    const events = syntheticTrace({ peers: 5, events: 50_000, seed: 3, violation: true });
    expect(events.length).toBeGreaterThanOrEqual(50_000);
    const big = renderTimeline(events, { test: "TestBig", seed: "3", peers: 5, failure: "boom" });
    expect(big.length).toBeLessThan(10 * 1024 * 1024);
    const model = embedded(big);
    expect(model.t).toHaveLength(events.length);
    expect(model.m[model.m.length - 1]).toBe(events[events.length - 1]!.msg);
  });
});

describe("renderTimeline on a real run", () => {
  it("draws TestInitialElectionPartA with the reference Raft", async () => {
    const def = allTests.find((d) => d.name === "TestInitialElectionPartA")!;
    const impl = await loadImpl("");
    const result = await runTest(def, { seed: 1, impl, keepTrace: true });
    expect(result.passed).toBe(true);
    const trace = result.trace!;
    expect(trace.length).toBeGreaterThan(100);
    const html = renderTimeline(trace, { test: def.name, seed: result.seed, peers: 3 });
    const model = embedded(html);
    expect(model.meta.lanes).toBe(4);
    expect(rows(model.bands, BAND_STRIDE).filter((b) => b[4] === Role.Leader).length).toBeGreaterThan(0);
    expect(model.rpcs.length / RPC_STRIDE).toBeGreaterThan(10);
    expect(rows(model.marks, MARK_STRIDE).some((r) => r[1] === Mark.Check)).toBe(true);
  });
});

describe("what the timeline shows of crashes and persistence", () => {
  it("marks a crash and a restart at the same instant, which has no crashed period to shade", () => {
    const model = buildTimelineModel([
      ev(0, 0, "crash", "start 0", { ev: "start" }),
      ev(50, 0, "crash", "crash 0", { ev: "crash" }),
      ev(50, 0, "crash", "start 0", { ev: "start" }),
      ev(80, 0, "crash", "crash 0", { ev: "crash" }),
      ev(90, 0, "crash", "start 0", { ev: "start" }),
    ], { ...meta, peers: 1 });
    expect(rows(model.marks, MARK_STRIDE).filter((r) => r[1] === Mark.Restart).map((r) => model.t[r[0]!])).toEqual([50]);
    expect(rows(model.shades, SHADE_STRIDE)).toEqual([[1, 80, 90, Shade.Crashed]]);
  });

  it("puts every persister Save on its peer's lane, the copy kept at a crash included", async () => {
    const def = allTests.find((d) => d.name === "TestPersist1PartC")!;
    const result = await runTest(def, { seed: 1, impl: await loadImpl(""), keepTrace: true });
    const saves = result.trace!.filter((e) => e.topic === "persist");
    expect(saves.length).toBeGreaterThan(10);
    expect(saves.filter((e) => e.peer < 0)).toEqual([]);
    // The restarts of TestPersist1 are crash-and-restart at one instant: each one is marked.
    const model = buildTimelineModel(result.trace!, { test: def.name, seed: result.seed, peers: 3 });
    expect(rows(model.marks, MARK_STRIDE).filter((r) => r[1] === Mark.Restart).length).toBeGreaterThan(0);
  });
});
