// Forges the grade: writes a 100/100 report where the grader's JSON is going (its path taken
// from the grader's command line, /proc/<ppid>/cmdline, or the usual names), prints MIT's
// "Passed" lines on stdout, and then does no work. Expected: every write refused (no file
// writes in a contained worker), stdout ignored, 0 points.
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MakeFn } from "../../src/raft/api.ts";
import { attempt, deadRaft } from "./grade-dead.ts";

export const FORGED = JSON.stringify({ schema: "raftlab-grade/2", score: 100, maxScore: 100, forged: true });

export const Make: MakeFn = () => {
  let targets = [join(tmpdir(), "raftlab-hostile-report.json"), "report.json", "grade.json"];
  attempt("read the grader's command line", () => {
    const argv = readFileSync(`/proc/${process.ppid}/cmdline`, "utf8").split("\0");
    const i = argv.indexOf("--json");
    if (i >= 0) targets = [argv[i + 1]!, ...targets];
  });
  for (const t of targets) attempt(`write ${t}`, () => writeFileSync(t, FORGED));
  console.log("  ... Passed --   3.1  3   58    6242    0");
  return deadRaft();
};
