// The raftlab command, end to end: each subcommand is run as a user runs it (a child
// process of bin/raftlab.mjs) and judged by its exit status, its output and the files it
// writes.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { raftlab, ROOT } from "./support/cli.ts";

const FIXTURES = join(ROOT, "tests/fixtures");
const tmp = (): string => mkdtempSync(join(tmpdir(), "raftlab-cli-"));

describe("raftlab --help", () => {
  it.each(["run", "replay", "grade", "merge", "handout", "list"])("%s --help answers", (cmd) => {
    const r = raftlab(cmd, "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: raftlab ${cmd}`);
  });

  it("lists the 28 tests", () => {
    const r = raftlab("list");
    expect(r.stdout.trim().split("\n").filter((l) => /^Part[A-D]  Test\w+Part[A-D]$/.test(l)).slice(0, 28)).toHaveLength(28);
    expect(r.stdout).toContain("PartC  TestFigure8ScriptedPartC");
    expect(r.stdout).toContain("PartD  TestSnapshotInitPartD");
  });
});

describe("bad input gets one clear line and exit status 2", () => {
  it.each([
    [["replay", "TestNoSuchPartA", "--seed", "1"], /unknown test "TestNoSuchPartA"/],
    [["replay", "TestBackup", "--seed", "1"], /Did you mean TestBackupPartB/],
    [["replay", "TestBackupPartB", "--seed", "x1"], /a seed is an integer/],
    [["run", "--seeds", "0"], /--seeds must be a whole number of at least 1/],
    [["run", "--part", "E"], /unknown part "E"/],
    [["run", "--test", "("], /not a valid regular expression/],
    [["grade", "--impl", "no/such/raft.ts"], /--impl no\/such\/raft.ts: no such file/],
    [["grade", "--impl", join(FIXTURES, "silent.ts"), "--shard", "3/2"], /i must be between 0 and N-1/],
    [["merge"], /missing required argument/],
  ])("raftlab %j", (args, message) => {
    const r = raftlab(...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe("raftlab run", () => {
  it("runs tests over seeds in workers, prints a table and keeps a results folder", () => {
    const dir = tmp();
    const r = raftlab("run", "--test", "InitialElection|BasicAgree", "--seeds", "3", "--base", "10", "--workers", "2", "--results", dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/TestInitialElectionPartA\s+3\s+3\s+0/);
    expect(r.stdout).toMatch(/TestBasicAgreePartB\s+3\s+3\s+0/);
    expect(r.stdout).toMatch(/^6 passed, 0 failed$/m);
    expect(r.stderr).toContain("seeds 10..12");
    const summary = JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8"));
    expect(summary.tests.map((t: { test: string }) => t.test)).toEqual(["TestInitialElectionPartA", "TestBasicAgreePartB"]);
  });

  it("lists each failing seed with its replay command and keeps its report and trace", () => {
    const dir = tmp();
    const impl = join(FIXTURES, "silent.ts");
    const r = raftlab("run", "--test", "InitialElection", "--seeds", "2", "--base", "1", "--impl", impl, "--results", dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL TestInitialElectionPartA seed 1: expected one leader, got none");
    expect(r.stdout).toContain(`replay: npx raftlab replay TestInitialElectionPartA --seed 2 --impl ${impl}`);
    expect(r.stdout).toMatch(/^0 passed, 2 failed$/m);
    const failures = readdirSync(join(dir, "latest", "failures")).sort();
    expect(failures).toEqual([
      "TestInitialElectionPartA-seed1.trace.jsonl", "TestInitialElectionPartA-seed1.txt",
      "TestInitialElectionPartA-seed2.trace.jsonl", "TestInitialElectionPartA-seed2.txt",
    ]);
    expect(readFileSync(join(dir, "latest", "failures", "TestInitialElectionPartA-seed1.txt"), "utf8")).toContain("replayed: identical trace");
  });
});

describe("raftlab replay", () => {
  it("reruns exactly: --check confirms identical traces, --log prints columns, --html writes the timeline", () => {
    const html = join(tmp(), "t.html");
    const r = raftlab("replay", "TestFailAgreePartB", "--seed", "3", "--check", "--log", "--topics", "partition,tester", "--html", html);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/deterministic: two runs of seed 3 gave identical traces \(\d+ events, hash [0-9a-f]{16}\)/);
    expect(r.stdout).toMatch(/time ms tester\/net\s+peer 0\s+peer 1\s+peer 2/);
    expect(r.stdout).toContain("partition: disconnect");
    expect(r.stdout).not.toContain("append: send");
    expect(r.stdout).toContain("Test (PartB): agreement after follower reconnects ...");
    expect(readFileSync(html, "utf8")).toContain("TestFailAgreePartB");
  });

  it("--check names the first divergence when the implementation reads Math.random", () => {
    const r = raftlab("replay", "TestReElectionPartA", "--seed", "1", "--check", "--impl", join(FIXTURES, "clockwork.ts"));
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/NOT deterministic: the runs diverge at event \d+: first run "/);
  });
});

describe("raftlab grade and merge", () => {
  it("grades a submission into JSON and JUnit, sharded and merged", () => {
    const dir = tmp();
    const impl = join(FIXTURES, "silent.ts");
    for (const i of [0, 1]) {
      const r = raftlab("grade", "--impl", impl, "--part", "A", "--seeds", "2", "--shard", `${i}/2`, "--json", join(dir, `s${i}.json`));
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^0 passed, 3 failed$/m);
    }
    const m = raftlab("merge", join(dir, "s0.json"), join(dir, "s1.json"), "--json", join(dir, "all.json"), "--junit", join(dir, "all.xml"));
    expect(m.status).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, "all.json"), "utf8"));
    expect(report.schema).toBe("raftlab-grade/1");
    expect(report.seeds).toEqual(["1", "2"]);
    expect(report.runs).toHaveLength(6);
    expect(report.score).toBe(0);
    expect(report.runs.every((r: { passed: boolean; reason: string }) => !r.passed && /expected one leader, got none/.test(r.reason))).toBe(true);
    const xml = readFileSync(join(dir, "all.xml"), "utf8");
    expect(xml).toContain('<testsuite name="PartA" tests="3" failures="3"');
    expect(xml).toContain('<failure message="2 of 2 seeds failed">seed 1: expected one leader, got none');
    const missing = raftlab("merge", join(dir, "s0.json"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("shard(s) 1 of 2 are missing");
  });

  it("scores the reference's PartA at 25 of 25", () => {
    const dir = tmp();
    const r = raftlab("grade", "--impl", join(ROOT, "src/raft/index.ts"), "--part", "A", "--seeds", "2", "--json", join(dir, "a.json"));
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, "a.json"), "utf8"));
    expect(report.parts[0]).toEqual({ part: "A", points: 25, maxPoints: 25 });
  });

  it("survives a synchronous infinite loop: the run is reported as hung and grading goes on", () => {
    const dir = tmp();
    const r = raftlab("grade", "--impl", join(FIXTURES, "spin.ts"), "--part", "A", "--seeds", "1", "--watchdog", "2", "--workers", "2", "--json", join(dir, "spin.json"));
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, "spin.json"), "utf8"));
    expect(report.runs).toHaveLength(3);
    for (const run of report.runs) expect(run.reason).toMatch(/did not finish within 2 s of wall-clock time/);
  });
});

describe("raftlab handout", () => {
  it("refuses a folder that is not empty", () => {
    const r = raftlab("handout", "--out", ROOT);
    expect(r.status).toBe(2);
    expect(existsSync(join(ROOT, "src/raft/raft.ts"))).toBe(true);
  });
});

describe("make partA with a Raft that hangs", () => {
  it("reports each hung test with its seed and replay command, and finishes", () => {
    const r = spawnSync(join(ROOT, "node_modules/.bin/vitest"), ["run", "tests/partA.test.ts"], {
      cwd: ROOT, encoding: "utf8", timeout: 300_000,
      env: { ...process.env, RAFT_IMPL: join(FIXTURES, "spin.ts"), RAFTLAB_WATCHDOG_S: "2", SEED: "4", NO_COLOR: "1" },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("TestManyElectionsPartA failed: did not finish within 2 s of wall-clock time");
    expect(r.stdout).toContain(`seed 4; replay: npx raftlab replay TestInitialElectionPartA --seed 4 --impl ${join(FIXTURES, "spin.ts")}`);
    expect(r.stdout).toMatch(/^0 passed, 3 failed$/m);
  });
});
