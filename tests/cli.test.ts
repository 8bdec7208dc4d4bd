// The raftlab command, end to end: each subcommand is run as a user runs it (a child
// process of bin/raftlab.mjs) and judged by its exit status, its output and the files it
// writes.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
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

  it("--check names the first divergence when an unconfined implementation reads Math.random", () => {
    // A module given by --impl runs confined, where Math.random fails the run at once (below);
    // --check is for code run as it is (RAFTLAB_CONFINE=0).
    process.env.RAFTLAB_CONFINE = "0";
    let r: ReturnType<typeof raftlab>;
    try {
      r = raftlab("replay", "TestReElectionPartA", "--seed", "1", "--check", "--impl", join(FIXTURES, "clockwork.ts"));
    } finally {
      delete process.env.RAFTLAB_CONFINE;
    }
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/NOT deterministic: the runs diverge at event \d+: first run "/);
    const confined = raftlab("replay", "TestReElectionPartA", "--seed", "1", "--impl", join(FIXTURES, "clockwork.ts"));
    expect(confined.stdout + confined.stderr).toContain("Math.random is not available to a Raft: use rng(name)");
  });
});

// grade and merge: tests/grade.test.ts and tests/grade-hostile*.test.ts.

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

describe("raftlab with no command, --version, and --help's defaults", () => {
  it("without a command prints its help to stderr and exits 2, as any usage error", () => {
    const r = raftlab();
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Usage: raftlab [options] [command]");
  });

  it("--version prints the package's version", () => {
    const r = raftlab("--version");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`);
  });

  it("--impl's help names its default once", () => {
    const help = raftlab("replay", "--help").stdout.replace(/\s+/g, " ");
    expect(help.match(/default: the reference in src\/raft/g)).toHaveLength(1);
    expect(help).not.toContain('(default: "")');
  });
});

describe("bad input: one sentence on stderr, exit status 2, before any work", () => {
  const file = join(ROOT, "package.json");
  it.each([
    [["replay", "TestBackupPartB", "--seed", "1", "--topics", "vote"], /^raftlab: --topics filters the columns of --log; add --log$/],
    [["replay", "TestBackupPartB", "--seed", "1", "--log", "--topics", "bogus"], /^raftlab: --topics: unknown topic "bogus"; the topics are election, vote, /],
    [["replay", "TestBackupPartB", "--seed", "1", "--log", "--peers", "x"], /^raftlab: --peers x: expected peer numbers such as 0,2/],
    [["replay", "TestBackupPartB", "--seed", "1", "--log", "--peers", "0,9"], /^raftlab: --peers: TestBackupPartB has peers 0\.\.4 \(and -1, the tester and the network\); there is no peer 9$/],
    [["replay", "TestBackupPartB", "--seed", "1", "--html", "/no/such/folder/t.html"], /^raftlab: --html \/no\/such\/folder\/t\.html: the folder \/no\/such\/folder does not exist$/],
    [["replay", "TestBackupPartB", "--seed", "1", "--impl", "no/such/raft.ts"], /^raftlab: --impl no\/such\/raft\.ts: no such file$/],
    [["replay", "TestBackupPartB", "--seed", "1.5"], /^raftlab: --seed 1\.5: a seed is an integer, as printed by a failing run$/],
    [["run", "--base", "99999999999999999999"], /^raftlab: --base 99999999999999999999: a seed is at most 9007199254740991 in size$/],
    [["run", "--base", "9007199254740990", "--seeds", "5"], /^raftlab: --base 9007199254740990: the last of 5 seeds would pass 9007199254740991$/],
    [["run", "--seeds", "1000000000"], /^raftlab: --seeds 1000000000: at most 10000 \(every run's result is kept in memory/],
    [["run", "--results", file], /^raftlab: --results .*package\.json: .*package\.json is a file, not a folder$/],
    [["run", "--workers", "two"], /^raftlab: --workers must be a whole number of at least 1$/],
  ])("raftlab %j", (args, message) => {
    const r = raftlab(...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message as RegExp);
  });

  it("SEED=abc make partA is refused at once, in one sentence", () => {
    const r = spawnSync("make", ["-s", "partA"], { cwd: ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, SEED: "abc", NO_COLOR: "1" } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("raftlab: SEED=abc: a seed is an integer, as printed by a failing run");
    expect(r.stdout).not.toContain("Test (PartA)");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("a seed is an integer everywhere", () => {
  it("--seed 007 is the same run as --seed 7, and is printed as 7", () => {
    const a = raftlab("replay", "TestInitialElectionPartA", "--seed", "007");
    const b = raftlab("replay", "TestInitialElectionPartA", "--seed", "7");
    expect(a.status).toBe(0);
    const hash = (s: string): string => /trace hash ([0-9a-f]{16})/.exec(s)![1]!;
    expect(hash(a.stdout)).toBe(hash(b.stdout));
    expect(a.stdout).toContain("TestInitialElectionPartA seed 7: passed");
  });

  it("parseSeed and seedRange normalise and bound", async () => {
    const { parseSeed, seedRange } = await import("../src/cli/args.ts");
    expect(parseSeed("007")).toBe("7");
    expect(parseSeed("+3")).toBe("3");
    expect(parseSeed("-0")).toBe("0");
    expect(parseSeed(" -12 ")).toBe("-12");
    expect(() => parseSeed("abc", "SEED=")).toThrow("SEED=abc: a seed is an integer");
    expect(seedRange("0098", 3)).toEqual(["98", "99", "100"]);
  });
});

describe("raftlab replay with an implementation that cannot load", () => {
  const dir = tmp();
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(dir, "syntax.ts"), "export const broken = ;\n");
  writeFileSync(join(dir, "nomake.ts"), "export const Mak = 1;\n");
  writeFileSync(join(dir, "empty.ts"), "");
  it.each([
    ["syntax.ts", /cannot load the Raft implementation .*syntax\.ts/],
    ["nomake.ts", /nomake\.ts does not export a function Make/],
    ["empty.ts", /empty\.ts does not export a function Make/],
  ])("%s: says why, exits non-zero, and writes no timeline", (name, reason) => {
    const html = join(dir, `${name}.html`);
    for (const extra of [[], ["--check"], ["--html", html]]) {
      const r = raftlab("replay", "TestInitialElectionPartA", "--seed", "1", "--impl", join(dir, name), ...extra);
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(reason);
      expect(r.stdout).not.toContain("0 events");
      expect(r.stdout).not.toContain("deterministic");
    }
    expect(existsSync(html)).toBe(false);
  });
});

describe("output polish", () => {
  it("progress in a log: the exact percentage at each tenth, and failed 0 not red", async () => {
    const { Progress, failedText, percent } = await import("../src/cli/progress.ts");
    const lines: string[] = [];
    const p = new Progress(3, "running", { isTTY: false, write: (s: string) => lines.push(s) });
    p.tick(true);
    p.tick(false);
    p.tick(true);
    expect(lines.map((l) => l.replace(/, [\d.]+\/s\n$/, ""))).toEqual(["running: 3 runs\n", "running: 1/3 (33%), 0 failed", "running: 2/3 (66%), 1 failed", "running: 3/3 (100%), 1 failed"]);
    expect(percent(1, 84)).toBe(1);
    expect(percent(83, 84)).toBe(98);
    const pcOn = (await import("picocolors")).default.createColors(true);
    expect(failedText(0, pcOn)).toBe("failed 0");
    expect(failedText(2, pcOn)).toBe(pcOn.red("failed 2"));
  });

  it("colour only for a terminal outside CI, unless NO_COLOR or FORCE_COLOR say otherwise", async () => {
    const { colourWanted } = await import("../src/cli/colour.ts");
    expect(colourWanted({ TERM: "xterm" }, true)).toBe(true);
    expect(colourWanted({ TERM: "xterm" }, false)).toBe(false);
    expect(colourWanted({ TERM: "xterm", CI: "true" }, true)).toBe(false);
    expect(colourWanted({ TERM: "xterm", NO_COLOR: "1", FORCE_COLOR: "1" }, true)).toBe(false);
    expect(colourWanted({ FORCE_COLOR: "1", CI: "true" }, false)).toBe(true);
    expect(colourWanted({ FORCE_COLOR: "0" }, true)).toBe(false);
  });

  it("the run table shows — for RPCs and bytes of a test that failed every run", () => {
    const r = raftlab("run", "--test", "InitialElection", "--seeds", "1", "--base", "1", "--impl", join(FIXTURES, "silent.ts"), "--results", tmp());
    const header = r.stdout.split("\n").find((l) => l.startsWith("test "))!.split(/\s{2,}/);
    const row = r.stdout.split("\n").find((l) => l.startsWith("TestInitialElectionPartA"))!.split(/\s+/);
    expect(row[header.indexOf("RPCs")]).toBe("—");
    expect(row[header.indexOf("bytes")]).toBe("—");
  });

  it("--log columns fit the terminal's width (120 for a pipe), wrapping at spaces", async () => {
    const { renderColumns, terminalWidth, wrap } = await import("../src/cli/logview.ts");
    expect(terminalWidth({ isTTY: false }, {})).toBe(120);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: "100" })).toBe(100);
    expect(terminalWidth({ isTTY: true, columns: 90 }, { COLUMNS: "100" })).toBe(90);
    expect(wrap("election: T5: election timeout, becoming Candidate", 24)).toEqual(["election: T5: election", "timeout, becoming", "Candidate"]);
    const events = [-1, 0, 1, 2].map((peer, i) => ({ t: i, peer, topic: "election" as const, msg: "T5: election timeout, becoming Candidate ".repeat(3) }));
    for (const width of [80, 120, 200]) {
      const lines = renderColumns(events, 3, {}, width, false);
      expect(Math.max(...lines.map((l) => l.length)), `width ${width}`).toBeLessThanOrEqual(width);
    }
    const r = raftlab("replay", "TestFailAgreePartB", "--seed", "3", "--log");
    expect(Math.max(...r.stdout.split("\n").map((l) => l.length))).toBeLessThanOrEqual(120);
  });

  it("results/ keeps runs with failures and the newest run, and removes older runs that all passed", () => {
    const root = tmp();
    const pass = (): void => {
      expect(raftlab("run", "--test", "InitialElection", "--seeds", "1", "--base", "1", "--results", root).status).toBe(0);
    };
    expect(raftlab("run", "--test", "InitialElection", "--seeds", "1", "--base", "1", "--impl", join(FIXTURES, "silent.ts"), "--results", root).status).toBe(1);
    pass();
    pass();
    const runs = readdirSync(root).filter((n) => n.startsWith("run-")).sort();
    expect(runs).toHaveLength(2);
    const kept = runs.map((n) => JSON.parse(readFileSync(join(root, n, "summary.json"), "utf8")).tests[0].failed);
    expect(kept.sort()).toEqual([0, 1]);
    expect(readFileSync(join(root, "latest", "summary.json"), "utf8")).toContain('"failed": 0');
  });
});
