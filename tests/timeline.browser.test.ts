// The timeline page in a real browser: Debian's headless Chromium driven by playwright-core
// (no browser download). Loads generated files from a temp dir, checks there are no errors,
// that lanes, the violation and tooltips are there, that 50,000 events render, and writes
// screenshots to test-artifacts/ for a human to look at. Without Chromium the tests are
// skipped with one loud line (tests/support/chromium.ts); under CI=true they fail.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it as vitestIt } from "vitest";
import { renderTimeline, syntheticTrace } from "../src/cli/timeline.ts";
import { loadImpl, runTest } from "../src/config/index.ts";
import type { TraceEvent } from "../src/sim/trace.ts";
import { allTests } from "./suites/index.ts";
import { chromiumRequired, findChromium, NO_CHROMIUM } from "./support/chromium.ts";

const CHROMIUM = findChromium();
const SKIP = CHROMIUM === undefined && !chromiumRequired();
if (SKIP) process.stderr.write(`\n*** timeline browser tests SKIPPED: ${NO_CHROMIUM} (CI=true makes them required) ***\n\n`);

/** A browser test: skipped, with the reason as its note, when there is no Chromium and CI is not set. */
function it(name: string, fn: () => Promise<void>, timeout: number): void {
  vitestIt(name, async (ctx) => {
    if (SKIP) ctx.skip(NO_CHROMIUM);
    await fn();
  }, timeout);
}
const ARTIFACTS = resolve(import.meta.dirname, "..", "test-artifacts");

interface TimelineApi {
  ready: boolean;
  lanes: string[];
  events: number;
  rpcs: number;
  violations: Array<{ t: number; peer: number; msg: string }>;
  failure: string;
  view(): { t0: number; t1: number };
  fit(): void;
  zoomTo(t0: number, t1: number): void;
  redraw(): { frames: number; arrows: number; marks: number; bands: number; labels: Array<[kind: string, text: string, x0: number, x1: number, y: number]> };
  locate(event: number): { x: number; y: number };
  plot(): { left: number; right: number };
  termColour(term: number): { h: number; l: number };
}
/**
 * What page.evaluate callbacks see, typed here: the project's tsconfig has no DOM lib (and a
 * lib reference would leak DOM types into src). Callbacks run in the page, so each one casts
 * globalThis itself rather than calling a helper.
 */
interface PageGlobals {
  __timeline?: TimelineApi;
  devicePixelRatio: number;
  document: {
    getElementById(id: string): {
      getBoundingClientRect(): { left: number; top: number };
      getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
    };
  };
}

let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (SKIP) return;
  if (CHROMIUM === undefined) throw new Error(`${NO_CHROMIUM}; CI=true requires it`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  dir = mkdtempSync(join(tmpdir(), "raftlab-timeline-"));
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Writes the page, opens it, collects errors and waits for the script to finish its setup. */
async function open(name: string, events: TraceEvent[], meta: { test: string; seed: string; peers: number; failure?: string }) {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderTimeline(events, meta));
  const page = await browser.newPage({ viewport: { width: 1440, height: 720 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__timeline?.ready === true, undefined, { timeout: 60_000 });
  return { page, errors, requests };
}

/** Moves the mouse to an event's marker and returns the tooltip's text ("" when hidden). */
async function hoverEvent(page: Page, index: number): Promise<string> {
  const p = await page.evaluate((i) => (globalThis as unknown as PageGlobals).__timeline!.locate(i), index);
  await page.mouse.move(p.x, p.y);
  const tooltip = page.locator("#tooltip");
  if (!(await tooltip.isVisible())) return "";
  return (await tooltip.textContent()) ?? "";
}

describe("timeline page in Chromium", () => {
  const peers = 5;
  const events = syntheticTrace({ peers, events: 4000, seed: 7, unreliable: true, violation: true });
  const failure = events[events.length - 1]!.msg + " (at " + events[events.length - 1]!.t + " ms)";

  it("draws a lane per peer, the violation, and tooltips, without errors", async () => {
    const { page, errors, requests } = await open("synthetic", events, { test: "TestSyntheticPartX", seed: "7", peers, failure });
    try {
      const api = await page.evaluate(() => ({
        lanes: (globalThis as unknown as PageGlobals).__timeline!.lanes,
        events: (globalThis as unknown as PageGlobals).__timeline!.events,
        violations: (globalThis as unknown as PageGlobals).__timeline!.violations,
        stats: (globalThis as unknown as PageGlobals).__timeline!.redraw(),
      }));
      expect(api.lanes).toEqual(["tester", "peer 0", "peer 1", "peer 2", "peer 3", "peer 4"]);
      expect(await page.locator(".lane-label").allTextContents()).toEqual(["tester& network", "peer 0", "peer 1", "peer 2", "peer 3", "peer 4"]);
      expect(api.events).toBe(events.length);
      expect(api.violations).toHaveLength(1);
      expect(api.violations[0]!.msg).toMatch(/^Election Safety violated/);
      expect(api.stats.arrows).toBeGreaterThan(0);
      expect(api.stats.bands).toBeGreaterThan(0);
      expect(await page.locator("#failure").textContent()).toContain(failure);
      await page.screenshot({ path: join(ARTIFACTS, "timeline-full.png"), fullPage: true });

      // A commit marker: zoom in around it and hover it.
      const commit = events.findIndex((e, i) => e.topic === "commit" && e.peer === 2 && i > events.length / 4);
      const tc = events[commit]!.t;
      await page.evaluate(([a, b]) => (globalThis as unknown as PageGlobals).__timeline!.zoomTo(a, b), [tc - 400, tc + 400]);
            const tip = await hoverEvent(page, commit);
      expect(tip).toContain("commit");
      expect(tip).toContain("peer 2");
      expect(tip).toContain(events[commit]!.msg);

      // An RPC arrow: hover a point a third of the way along a request leg that takes some time.
      const send = events.findIndex((e, i) => e.data?.ev === "send" && i > events.length / 4 &&
        events.some((d) => d.data?.ev === "deliver" && d.data.rpc === e.data!.rpc && d.t - e.t >= 10));
      const deliver = events.findIndex((d) => d.data?.ev === "deliver" && d.data.rpc === events[send]!.data!.rpc);
      await page.evaluate(([a, b]) => (globalThis as unknown as PageGlobals).__timeline!.zoomTo(a, b), [events[send]!.t - 40, events[deliver]!.t + 40]);
      const [a, b] = await page.evaluate(([s, d]) => [(globalThis as unknown as PageGlobals).__timeline!.locate(s), (globalThis as unknown as PageGlobals).__timeline!.locate(d)], [send, deliver]);
      await page.mouse.move(a!.x + (b!.x - a!.x) / 3, a!.y + (b!.y - a!.y) / 3);
      await expect.poll(() => page.locator("#tooltip").isVisible()).toBe(true);
      const rpcTip = (await page.locator("#tooltip").textContent()) ?? "";
      expect(rpcTip).toContain(`RPC #${events[send]!.data!.rpc as number}`);
      expect(rpcTip).toContain(events[send]!.msg);

      // The violation: a red line across the lanes, with its own tooltip.
      const v = events.length - 1;
      await page.click("#goto-violation");
      await page.evaluate(() => (globalThis as unknown as PageGlobals).__timeline!.redraw());
      const vp = await page.evaluate((i) => (globalThis as unknown as PageGlobals).__timeline!.locate(i), v);
      const box = (await page.locator("#plot").boundingBox())!;
      await page.mouse.move(vp.x, box.y + box.height - 20);
      await expect.poll(() => page.locator("#tooltip").textContent()).toContain("VIOLATION");
      const red = await page.evaluate(([x, y]) => {
        const g = globalThis as unknown as PageGlobals;
        const c = g.document.getElementById("plot");
        const r = c.getBoundingClientRect();
        const d = c.getContext("2d").getImageData(Math.round((x! - r.left) * g.devicePixelRatio), Math.round((y! - r.top) * g.devicePixelRatio), 1, 1).data;
        return [d[0], d[1], d[2]];
      }, [vp.x, box.y + box.height - 20]);
      expect(red[0]).toBeGreaterThan(180);
      expect(red[1]).toBeLessThan(110);

      // Moving away hides the tooltip; wheel zoom and drag pan change the view.
      await page.mouse.move(box.x + 2, box.y + 2);
      await expect.poll(() => page.locator("#tooltip").isVisible()).toBe(false);
      const before = await page.evaluate(() => (globalThis as unknown as PageGlobals).__timeline!.view());
      await page.mouse.move(box.x + box.width / 2, box.y + 120);
      await page.mouse.wheel(0, -400);
      await expect.poll(async () => (await page.evaluate(() => (globalThis as unknown as PageGlobals).__timeline!.view())).t1 - (await page.evaluate(() => (globalThis as unknown as PageGlobals).__timeline!.view())).t0).toBeLessThan(before.t1 - before.t0);
      const zoomed = await page.evaluate(() => (globalThis as unknown as PageGlobals).__timeline!.view());
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 200, box.y + 120, { steps: 4 });
      await page.mouse.up();
      await expect.poll(async () => (await page.evaluate(() => (globalThis as unknown as PageGlobals).__timeline!.view())).t0).toBeLessThan(zoomed.t0);
      await page.click("#fit");
      await expect.poll(async () => (await page.evaluate(() => (globalThis as unknown as PageGlobals).__timeline!.view())).t0).toBeLessThanOrEqual(0);

      // A readable picture: the leader partitioned away, the new election, and the heal.
      const cut = events.find((e) => e.topic === "partition" && e.data?.ev === "disconnect" && e.t > 0)!.t;
      await page.evaluate(([a0, b0]) => (globalThis as unknown as PageGlobals).__timeline!.zoomTo(a0, b0), [cut - 250, cut + 600]);
      await page.evaluate(() => (globalThis as unknown as PageGlobals).__timeline!.redraw());
      await page.screenshot({ path: join(ARTIFACTS, "timeline.png"), fullPage: true });

      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it("renders 50,000 events, zoomed out and in", async () => {
    const big = syntheticTrace({ peers, events: 50_000, seed: 3, unreliable: true, violation: true });
    const { page, errors } = await open("big", big, { test: "TestBig", seed: "3", peers, failure: "boom" });
    try {
      const result = await page.evaluate(() => {
        const tl = (globalThis as unknown as PageGlobals).__timeline!;
        tl.fit();
        const all = tl.redraw();
        const v = tl.view();
        const mid = (v.t0 + v.t1) / 2;
        tl.zoomTo(mid - 500, mid + 500);
        const some = tl.redraw();
        tl.fit();
        return { events: tl.events, rpcs: tl.rpcs, all, some };
      });
      expect(result.events).toBe(big.length);
      expect(result.all.arrows).toBeGreaterThan(0);
      expect(result.all.marks).toBeGreaterThan(0);
      expect(result.some.arrows).toBeGreaterThan(0);
      expect(result.some.arrows).toBeLessThan(result.rpcs);
      // Hovering still answers.
      const box = (await page.locator("#plot").boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + 130);
      await page.mouse.move(box.x + box.width / 2 + 3, box.y + 140);
      await page.screenshot({ path: join(ARTIFACTS, "timeline-50k.png") });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);

  it("draws a real run: TestReElectionPartA with the reference Raft", async () => {
    const def = allTests.find((d) => d.name === "TestReElectionPartA")!;
    const result = await runTest(def, { seed: 1, impl: await loadImpl(""), keepTrace: true });
    expect(result.passed).toBe(true);
    const { page, errors } = await open("real", result.trace!, { test: def.name, seed: result.seed, peers: 3 });
    try {
      const api = await page.evaluate(() => {
        const tl = (globalThis as unknown as PageGlobals).__timeline!;
        return { lanes: tl.lanes, violations: tl.violations.length, stats: tl.redraw() };
      });
      expect(api.lanes).toEqual(["tester", "peer 0", "peer 1", "peer 2"]);
      expect(api.violations).toBe(0);
      expect(api.stats.bands).toBeGreaterThan(3);
      expect(api.stats.arrows).toBeGreaterThan(0);
      expect(await page.locator("#failure").count()).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, "timeline-real.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});

/**
 * A failing run drawn where labels used to collide: a leader band running past both edges, a
 * peer disconnected and crashed together and still disconnected after its restart, a crash and
 * restart at the same instant, a lost RPC from below, and a long violation message.
 */
function crowdedTrace(): TraceEvent[] {
  const ev = (t: number, peer: number, topic: TraceEvent["topic"], msg: string, data?: Record<string, unknown>): TraceEvent =>
    data === undefined ? { t, peer, topic, msg } : { t, peer, topic, msg, data };
  const rpc = (id: number, e: string, from: number, to: number) => ({ rpc: id, ev: e, from, to, method: "Raft.AppendEntries" });
  const out: TraceEvent[] = [ev(0, -1, "tester", "begin: Test (PartC): crowded")];
  for (const p of [0, 1, 2]) out.push(ev(0, p, "crash", `start ${p}`, { ev: "start" }), ev(0, p, "election", `term 1 ${p === 0 ? "leader" : "not leader"}`, { ev: "state", term: 1, leader: p === 0 }));
  out.push(
    ev(100, 1, "partition", "disconnect 1", { ev: "disconnect" }),
    ev(100, 1, "crash", "crash 1", { ev: "crash" }),
    ev(300, 2, "crash", "crash 2", { ev: "crash" }),
    ev(300, 2, "crash", "start 2", { ev: "start" }),
    ev(300, 2, "election", "term 1 not leader", { ev: "state", term: 1, leader: false }),
    ev(310, 2, "append", "send #1 Raft.AppendEntries -> 1", rpc(1, "send", 2, 1)),
    ev(320, 2, "drop", "fail #1 Raft.AppendEntries -> 1: unreachable", rpc(1, "fail", 2, 1)),
    ev(400, 1, "crash", "start 1", { ev: "start" }),
    ev(400, 1, "election", "term 1 not leader", { ev: "state", term: 1, leader: false }),
    ev(700, 1, "partition", "connect 1", { ev: "connect" }),
    ev(1000, -1, "violation", "term went backwards on peer 2 across a restart: before the crash it had told other peers term 6, and it restarted with term 5 (persist currentTerm before sending or replying with it)"),
  );
  return out;
}

describe("timeline labels in Chromium", () => {
  it("keeps every label on the plot, apart from the others, and marks a crash-and-restart", async () => {
    const events = crowdedTrace();
    const { page, errors } = await open("crowded", events, { test: "TestCrowdedPartC", seed: "1", peers: 3, failure: events.at(-1)!.msg });
    try {
      const views: Array<[number, number]> = [[-20, 1020], [200, 450], [900, 1010]];
      for (const [a, b] of views) {
        const frame = await page.evaluate(([t0, t1]) => {
          const tl = (globalThis as unknown as PageGlobals).__timeline!;
          tl.zoomTo(t0!, t1!);
          return { stats: tl.redraw(), plot: tl.plot() };
        }, [a, b]);
        const labels = frame.stats.labels;
        for (const [kind, text, x0, x1] of labels) {
          expect(x0, `${kind} "${text}" in view ${a}..${b}`).toBeGreaterThanOrEqual(frame.plot.left);
          expect(x1, `${kind} "${text}" in view ${a}..${b}`).toBeLessThanOrEqual(frame.plot.right);
        }
        for (let i = 0; i < labels.length; i++) {
          for (let j = i + 1; j < labels.length; j++) {
            const [ka, ta, a0, a1, ya] = labels[i]!;
            const [kb, tb, b0, b1, yb] = labels[j]!;
            const overlap = Math.abs(ya - yb) < 12 && a0 < b1 && b0 < a1;
            expect(overlap, `${ka} "${ta}" overlaps ${kb} "${tb}" in view ${a}..${b}`).toBe(false);
          }
        }
        if (a === -20) {
          const texts = labels.map((l) => l[1]);
          expect(texts).toContain("crashed");
          expect(texts).toContain("disconnected");
          expect(texts).toContain("↻ restart");
          expect(texts).toContain(`✖ ${events.at(-1)!.msg}`);
        }
        if (a === 200) expect(labels.filter((l) => l[0] === "band").map((l) => l[1])).toContain("T1 leader");
      }
      await page.evaluate(() => (globalThis as unknown as PageGlobals).__timeline!.fit());
      await page.screenshot({ path: join(ARTIFACTS, "timeline-crowded.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it("gives terms within 20 of each other distinguishable colours", async () => {
    const { page } = await open("colours", crowdedTrace(), { test: "TestColoursPartC", seed: "1", peers: 3 });
    try {
      const colours = await page.evaluate(() => Array.from({ length: 40 }, (_, t) => (globalThis as unknown as PageGlobals).__timeline!.termColour(t)));
      for (let a = 0; a < colours.length; a++) {
        for (let b = a + 1; b < colours.length && b - a <= 20; b++) {
          const dh = Math.min(Math.abs(colours[a]!.h - colours[b]!.h), 360 - Math.abs(colours[a]!.h - colours[b]!.h));
          const dl = Math.abs(colours[a]!.l - colours[b]!.l);
          expect(dh >= 25 || dl >= 10, `T${a} and T${b}: hue ${dh.toFixed(0)}° apart, lightness ${dl}`).toBe(true);
        }
      }
    } finally {
      await page.close();
    }
  }, 60_000);
});
