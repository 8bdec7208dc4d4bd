// Exact replay of whole MIT tests: the same seed gives the same trace, byte for byte (the
// same hash, event count and Passed figures); another seed gives another run. These are the
// tests with the most randomness: unreliable network, long reordering, crashes, churn.
import { describe, expect, it } from "vitest";
import { loadImpl, runTest } from "../src/config/index.ts";
import { findTests } from "./suites/index.ts";

const NAMES = ["TestFigure8UnreliablePartC", "TestUnreliableChurnPartC", "TestSnapshotInstallUnCrashPartD"];

describe.each(NAMES)("%s", (name) => {
  const def = findTests(new RegExp(`^${name}$`))[0]!;

  it("replays exactly with the same seed and differs with another", async () => {
    const impl = await loadImpl();
    const a = await runTest(def, { seed: 11, impl, keepTrace: true });
    const b = await runTest(def, { seed: 11, impl, keepTrace: true });
    const c = await runTest(def, { seed: 12, impl });
    expect(a.passed, a.error).toBe(true);
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.traceLength).toBe(a.traceLength);
    expect(b.figures).toEqual(a.figures);
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    expect(c.traceHash).not.toBe(a.traceHash);
  });
});
