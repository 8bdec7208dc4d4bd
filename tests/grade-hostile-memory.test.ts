// Memory attacks (tests/hostile/grade-heap.ts, grade-offheap.ts): the worker's heap cap and the
// resident-memory cap stop them; the grader, in another process, stays small and writes the
// report. The watchdog is long here so that the caps, not the stall limit, end the runs; the
// in-process confinement is off (RAFTLAB_CONFINE=0) so that the caps are what is tested.
import { beforeAll, describe, expect, it } from "vitest";
import { HEAP_CAP_MB, RSS_CAP_MB } from "../src/cli/contained.ts";
import { gradeHostileClass, type HostileClass } from "./hostile/grade-class.ts";

let graded: HostileClass;
beforeAll(() => {
  graded = gradeHostileClass(["heap", "offheap"], ["--test", "InitialElectionPartA", "--seeds", "1", "--watchdog", "60", "--workers", "1"], false);
}, 15 * 60_000); // the runner's guard (vitest's default hook timeout is a minute)

describe("memory-hungry submissions", () => {
  it("heap: the heap cap ends the run as one crashed run", () => {
    expect(graded.status, graded.stderr).toBe(0);
    const [run] = graded.reports.heap!.runs;
    expect(run!.outcome).toBe("crashed");
    expect(run!.reason).toMatch(new RegExp(`ran out of memory .*its JavaScript heap passed the ${HEAP_CAP_MB} MB cap`));
  });

  it("offheap: Buffers outside the heap are stopped by the resident-memory cap", () => {
    const r = graded.reports.offheap!;
    expect(r.runs[0]!.outcome).toBe("crashed");
    expect(r.runs[0]!.reason).toMatch(new RegExp(`used \\d+ MB of memory .*over the ${RSS_CAP_MB} MB cap, and was stopped`));
    // Polled every 50 ms: the worker is stopped soon after it crosses the cap.
    expect(r.peakWorkerMb).toBeGreaterThan(RSS_CAP_MB);
    expect(r.peakWorkerMb).toBeLessThan(RSS_CAP_MB * 2);
    expect(graded.table.map((row) => [row.student, row.score, row.crashed])).toEqual([["heap", 0, 1], ["offheap", 0, 1]]);
  });
});
