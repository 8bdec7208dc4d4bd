// The diagnosis below a failure and the coverage of every run (src/config/summary.ts,
// diagnosis.ts, coverage.ts), on real runs: each claim is one a broken or healthy run could
// falsify. The broken Rafts are from tests/broken/ (docs/BROKEN.md).
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadImpl, runTest } from "../src/config/index.ts";
import { TestBasicAgreePartB, TestFigure8PartC, TestReElectionPartA, TestSnapshotInstallPartD } from "./suites/index.ts";
import { TestScenarioStaleCandidatesPartB } from "./suites/scenarios.ts";

const broken = (name: string) => loadImpl(fileURLToPath(new URL(`./broken/${name}.ts`, import.meta.url)));

describe("diagnosis", () => {
  it("a healthy cluster that fails to agree says so: one leader, all connected, everyone applied", async () => {
    const r = await runTest(TestBasicAgreePartB, { seed: 1, impl: await broken("start-wrong-index") });
    expect(r.passed).toBe(false);
    const d = (r.diagnosis ?? []).join("\n");
    expect(d).toMatch(/leaders in the last 5 s: p\d T1 at \d+ ms; highest term 1/);
    expect(d).toMatch(/network: 3 of 3 peers up and connected; \d+ RPCs sent, none lost/);
    expect(d).toMatch(/p\d T1 leader, commit 1, applied 1/);
    expect(r.output.join("\n")).toContain(d.split("\n")[0]!); // printed below the failure, too
  });

  it("two leaders: the second took office while it was disconnected", async () => {
    const r = await runTest(TestReElectionPartA, { seed: 1, impl: await broken("leader-without-majority") });
    expect(r.reason).toMatch(/Election Safety violated/);
    expect((r.diagnosis ?? []).join("\n")).toMatch(/T3 leader, disconnected/);
  });

  it("a livelock: terms without a leader while a majority is connected", async () => {
    const r = await runTest(TestScenarioStaleCandidatesPartB, { seed: 2, impl: await broken("vote-denial-resets-timer") });
    expect(r.passed).toBe(false);
    const elections = (r.diagnosis ?? []).find((l) => l.startsWith("elections:"));
    expect(elections).toMatch(/[1-9]\d* without a leader/);
  });

  it("a passing run has no diagnosis", async () => {
    const r = await runTest(TestBasicAgreePartB, { seed: 1, impl: await loadImpl() });
    expect(r.passed).toBe(true);
    expect(r.diagnosis).toBeUndefined();
  });
});

describe("coverage", () => {
  it("a run records the fault it exists for when it happens", async () => {
    const r = await runTest(TestSnapshotInstallPartD, { seed: 1, impl: await loadImpl() });
    expect(r.coverage).toEqual({ exercised: ["install-snapshot"], missed: [] });
  });

  it("a pass that never met its fault says so, and is not counted as proof", async () => {
    // TestFigure8PartC's leaders never leave uncommitted entries behind on a reliable network
    // (docs/SCENARIOS.md): every seed of 1..20 passes without it.
    const r = await runTest(TestFigure8PartC, { seed: 1, impl: await loadImpl() });
    expect(r.passed).toBe(true);
    expect(r.coverage?.missed).toEqual(["uncommitted-leader-change"]);
    expect(r.output.join("\n")).toContain("passed, but no leader was replaced while it had uncommitted entries");
  });
});
