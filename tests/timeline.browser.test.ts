// The timeline page in a real browser: Debian's headless Chromium driven by playwright-core
// (no browser download). Loads generated files from a temp dir, checks there are no errors,
// that lanes, the violation and tooltips are there, that 50,000 events render, and writes
// screenshots to test-artifacts/ for a human to look at.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderTimeline, syntheticTrace } from "../src/cli/timeline.ts";
import { loadImpl, runTest } from "../src/config/index.ts";
import type { TraceEvent } from "../src/sim/trace.ts";
import { allTests } from "./suites/index.ts";

const CHROMIUM = "/usr/bin/chromium";
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
  redraw(): { frames: number; arrows: number; marks: number; bands: number };
  locate(event: number): { x: number; y: number };
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
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: the timeline browser tests need Debian's Chromium. Install it with \`apt-get install chromium\` (as root: apt-get update && apt-get install -y chromium).`);
  }
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
