// MIT's treatment of killed instances: a killed instance's RPCs go nowhere (its ends stay
// disabled) and its ApplyMsgs are still checked, so neither fails a test by itself. A Raft
// with the common loop "sleep, then broadcast if still leader" and no second look at killed()
// passes MIT's crash tests every time; it must pass here too, with the zombie warning.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadImpl, runTest } from "../src/config/index.ts";
import { allTests } from "./suites/index.ts";

const fixture = fileURLToPath(new URL("./fixtures/zombie-heartbeat.ts", import.meta.url));

describe("killed instances, as in MIT's harness", () => {
  it("a Raft that sends one more broadcast after Kill passes all 28 tests on seeds 1..20, with the zombie warning", async () => {
    const impl = await loadImpl(fixture);
    const failures: string[] = [];
    const warned = new Set<string>();
    for (const def of allTests) {
      for (let seed = 1; seed <= 20; seed++) {
        const r = await runTest(def, { seed, impl });
        if (!r.passed) failures.push(`${def.name} seed ${seed}: ${r.reason}`);
        for (const w of r.warnings) {
          expect(w.kind).toBe("zombie-rpc");
          expect(r.output).toContain(w.message);
          expect(w.message).toMatch(/^warning: \d+ RPCs? sent by killed instances \(first: peer \d+ sent Raft\.AppendEntries at \d+ ms, after it was killed at \d+ ms\); .*check killed\(\) after every await$/);
          warned.add(def.name);
        }
      }
    }
    expect(failures).toEqual([]);
    // The crash tests kill leaders in the middle of their sleep: the warning shows there.
    expect(warned.size).toBeGreaterThan(3);
    expect([...warned].every((n) => /Part[CD]$/.test(n))).toBe(true);
  });
});
