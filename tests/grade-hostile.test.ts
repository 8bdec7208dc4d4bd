// The catalogue of hostile submissions (tests/hostile/grade-*.ts), graded as a class from a
// folder outside the checkout, as an instructor would: each attack is refused or ends as one
// failed run with one clear reason, 0 points, the grader alive, every report complete.
// Twice: as grading runs (the in-process confinement in front: most attacks are refused as the
// submission loads), and with the confinement off (RAFTLAB_CONFINE=0), to prove that the
// process containment alone holds them. Memory attacks: grade-hostile-memory.test.ts.
// Lean: two tests, one seed, a 2 s watchdog.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GradeReport } from "../src/cli/report.ts";
import { TARGET as DETACHED_TARGET } from "./hostile/grade-detached-child.ts";
import { OUTSIDE } from "./hostile/grade-write-outside.ts";
import { SOCKET_PORT } from "./hostile/grade-socket.ts";
import { gradeHostileClass, type HostileClass } from "./hostile/grade-class.ts";
import { ROOT } from "./support/cli.ts";

const ATTACKS = [
  "forge-report", "forge-ipc", "detached-child", "write-inside", "write-outside", "socket",
  "sigkill", "sigterm", "exit", "spin-make", "spin-start", "spin-getstate", "spin-kill", "spin-handler",
];
const FORGED_TARGETS = [join(tmpdir(), "raftlab-hostile-report.json"), DETACHED_TARGET, OUTSIDE, join(homedir(), "raftlab-hostile-outside.txt"), join(ROOT, "hostile-was-here.txt")];

/** The attacks that do not spin (spinning is the same with or without confinement). */
const NOT_SPINNING = ATTACKS.filter((a) => !a.startsWith("spin-"));
const FLAGS = ["--test", "InitialElectionPartA|BasicAgreePartB", "--seeds", "1", "--watchdog", "2"];

/** The runner's guard for the two gradings (vitest's default hook timeout is a minute). */
const HOOK_TIMEOUT_MS = 15 * 60_000;

let graded: HostileClass;
let confined: HostileClass;
let socketHeardConfined = "";
let server: Server;
let socketHeard = "";
let socketEnded: Promise<void>;

beforeAll(async () => {
  for (const f of FORGED_TARGETS) rmSync(f, { force: true });
  let ended: () => void = () => {};
  socketEnded = new Promise((r) => (ended = r));
  server = createServer((s) => s.on("data", (d) => (socketHeard += String(d))).on("end", ended));
  await new Promise<void>((r) => server.listen(SOCKET_PORT, "127.0.0.1", r));
  confined = gradeHostileClass(NOT_SPINNING, FLAGS);
  // Let the listener see whatever connection the confined grading made (none is expected).
  await new Promise((r) => setTimeout(r, 200));
  socketHeardConfined = socketHeard;
  graded = gradeHostileClass(ATTACKS, FLAGS, false);
}, HOOK_TIMEOUT_MS);

afterAll(() => {
  server?.close();
});

const report = (name: string): GradeReport => graded.reports[name]!;
const reasons = (name: string): string[] => report(name).runs.map((r) => r.reason ?? "");

describe("hostile submissions, graded as grading runs (confined in-process, contained in processes)", () => {
  it("every attack scores 0 with a reason; the grader writes every report", () => {
    expect(confined.status, confined.stderr).toBe(0);
    expect(confined.table.map((r) => r.student).sort()).toEqual([...NOT_SPINNING].sort());
    for (const a of NOT_SPINNING) {
      const r = confined.reports[a]!;
      expect(r.score, a).toBe(0);
      expect(r.runs, a).toHaveLength(2);
      expect(r.loadError !== undefined || r.runs.every((x) => !x.passed && (x.reason ?? "") !== ""), a).toBe(true);
    }
  });

  it.each(["forge-report", "detached-child", "write-inside", "write-outside", "socket"])("%s: refused as it loads: Node's modules are not the lab API", (a) => {
    expect(confined.reports[a]!.loadError).toMatch(/may not import Node's "(fs|child_process|net)" module/);
  });

  it.each(["sigkill", "sigterm", "exit", "forge-ipc"])("%s: `process` is out of reach", (a) => {
    for (const r of confined.reports[a]!.runs) expect(r.reason).toMatch(/^process\.\w+ is not available to a Raft/);
  });

  it("no connection was made", () => {
    expect(socketHeardConfined).toBe("");
  });
});

describe("hostile submissions, with the in-process confinement off: the process containment alone", () => {
  it("the grader stays alive and writes a complete table and report for every attack", () => {
    expect(graded.status, graded.stderr).toBe(0);
    expect(graded.table.map((r) => r.student).sort()).toEqual([...ATTACKS].sort());
    for (const a of ATTACKS) {
      expect(report(a).runs, a).toHaveLength(2);
      expect(report(a).score, a).toBe(0);
      expect(report(a).runs.every((r) => !r.passed && (r.reason ?? "").length > 0), a).toBe(true);
    }
  });

  it.each(["forge-report", "detached-child", "write-inside", "write-outside"])("%s: no file is written anywhere", (a) => {
    for (const f of FORGED_TARGETS) expect(existsSync(f), `${a} wrote ${f}`).toBe(false);
    expect(report(a).score).toBe(0);
  });

  it("forge-report: the forged lines on stdout count for nothing; the tester's verdict stands", () => {
    expect(reasons("forge-report")[0]).toMatch(/expected one leader, got none/);
  });

  it("forge-ipc: the channel to the grader is out of reach; no forged result is taken", () => {
    expect(reasons("forge-ipc")[0]).toMatch(/expected one leader, got none/);
    expect(report("forge-ipc").counts.passed).toBe(0);
  });

  it("detached-child: child processes are refused, in one sentence", () => {
    for (const r of reasons("detached-child")) expect(r).toMatch(/^Make\(\) of peer 0 threw at 0 ms: Error: Access to this API has been restricted/);
  });

  it("socket: NOT refused on Node 20 (no network permission), and it changes nothing in the verdict", async () => {
    // Documented in docs/GRADING.md: a contained worker can open connections. The grade ran
    // in a spawnSync, so the connection waits in the listen queue until this loop turns; the
    // timer only bounds the wait if none came.
    await Promise.race([socketEnded, new Promise((r) => setTimeout(r, 2000))]);
    expect(socketHeard).toContain("hostile was here");
    expect(reasons("socket")[0]).toMatch(/expected one leader, got none/);
  });

  it.each([
    ["sigkill", /the worker process was killed by SIGKILL/],
    ["sigterm", /the worker process was killed by SIGTERM/],
    ["exit", /the worker process exited with code 0 .*before the test ended \(process\.exit in the implementation\?\)/],
  ])("%s: the dead worker is one failed run with a sentence saying so", (a, message) => {
    for (const r of report(a).runs) {
      expect(r.outcome).toBe("crashed");
      expect(r.reason).toMatch(message);
    }
  });

  it.each([
    ["spin-make", 2, /^hung before its first event: nothing moved for 2 s/],
    ["spin-start", 1, /^hung before its first event/],
    ["spin-getstate", 2, /^hung: its virtual clock stopped moving \(last reported at \d+ ms\) and stood still for 2 s/],
    ["spin-kill", 2, /^hung: its virtual clock stopped moving \(last reported at \d+ ms\)/],
    ["spin-handler", 2, /^hung: its virtual clock stopped moving \(last reported at \d+ ms\)/],
  ])("%s: hung, found by the stall watchdog", (a, hung, message) => {
    const runs = report(a).runs.filter((r) => r.outcome === "hung");
    expect(runs).toHaveLength(hung);
    for (const r of runs) expect(r.reason).toMatch(message);
    const row = graded.table.find((r) => r.student === a)!;
    expect(row.hung).toBe(hung);
  });

  it("spin-kill: the tester's checks had all passed, but a run that never ends is not passed", () => {
    expect(report("spin-kill").counts).toMatchObject({ passed: 0, hung: 2 });
  });

  it("the table's CSV has a row per attack", () => {
    const csv = readFileSync(graded.csv, "utf8").trim().split("\n");
    expect(csv).toHaveLength(ATTACKS.length + 1);
  });
});
