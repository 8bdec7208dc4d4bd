// raftlab grade and merge, end to end (as an instructor runs them) and their report logic.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { buildReport, mergeReports, reportProblem, shardSeeds, type GradeReport, type GradeSettings, type RunRecord } from "../src/cli/report.ts";
import { resolveSubmission } from "../src/cli/submission.ts";
import { typecheckRaftFolder } from "../src/cli/typecheck.ts";
import { allTests } from "./suites/index.ts";
import { raftlab, ROOT } from "./support/cli.ts";

const FIXTURES = join(ROOT, "tests/fixtures");
/** The runner's guard for hooks that grade (vitest's default hook timeout is a minute). */
const HOOK_TIMEOUT_MS = 10 * 60_000;
const tmp = (): string => mkdtempSync(join(tmpdir(), "raftlab-grade-"));
const readJson = (p: string): GradeReport => JSON.parse(readFileSync(p, "utf8")) as GradeReport;

describe("grade and merge: shards, JSON, JUnit", () => {
  const dir = tmp();
  const impl = join(FIXTURES, "silent.ts");
  let shards: string[] = [];
  beforeAll(() => {
    shards = [0, 1].map((i) => {
      const out = join(dir, `s${i}.json`);
      const r = raftlab("grade", "--impl", impl, "--part", "A", "--seeds", "2", "--shard", `${i}/2`, "--json", out);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^0 passed, 3 failed$/m);
      expect(r.stdout).toMatch(/^PartB: not graded$/m);
      expect(r.stdout).toContain("score: 0 / 25 (of the parts and tests graded)");
      return out;
    });
  }, HOOK_TIMEOUT_MS);

  it("merges the shards into one report with JUnit", () => {
    const m = raftlab("merge", ...shards, "--json", join(dir, "all.json"), "--junit", join(dir, "all.xml"));
    expect(m.status, m.stderr).toBe(0);
    const report = readJson(join(dir, "all.json"));
    expect(report.schema).toBe("raftlab-grade/2");
    expect(report.seeds).toEqual(["1", "2"]);
    expect(report.runs).toHaveLength(6);
    expect(report.score).toBe(0);
    expect(report.maxScore).toBe(25);
    expect(report.parts.map((p) => p.graded)).toEqual([true, false, false, false]);
    // The scenario section is merged too: each shard ran its seed of every PartA scenario.
    const perShard = shards.map((f) => readJson(f).scenarios!.tests.map((t) => t.runs));
    expect(perShard.every((runs) => runs.length > 0 && runs.every((n) => n === 1))).toBe(true);
    expect(report.scenarios!.tests.map((t) => t.runs)).toEqual(perShard[0]!.map(() => 2));
    expect(report.scenarios!.maxPoints).toBe(perShard[0]!.length);
    expect(report.runs.every((r) => !r.passed && r.outcome === "failed" && /expected one leader, got none/.test(r.reason ?? ""))).toBe(true);
    const xml = readFileSync(join(dir, "all.xml"), "utf8");
    expect(xml).toContain('<testsuite name="PartA" tests="3" failures="3"');
    expect(xml).not.toContain('name="PartB"');
    expect(xml).toContain('<failure message="2 of 2 seeds failed">seed 1: expected one leader, got none');
  });

  it.each([
    ["a missing shard", (s: string[]) => [s[0]!], /shard\(s\) 1 of 2 are missing/],
    ["a shard given twice", (s: string[]) => [s[0]!, s[0]!], /shard 0 of 2 is given twice/],
  ])("refuses %s with one sentence, exit 2", (_what, pick, message) => {
    const r = raftlab("merge", ...pick(shards));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses a file holding null, or not JSON, or missing", () => {
    const nul = join(dir, "null.json");
    writeFileSync(nul, "null\n");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ not json");
    for (const [file, message] of [[nul, /is not a raftlab grade report \(it holds null\)/], [bad, /is not JSON/], [join(dir, "nope.json"), /no such file/]] as const) {
      const r = raftlab("merge", file);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it("checks output paths before any work: a missing folder is one sentence, exit 2", () => {
    for (const args of [
      ["grade", "--impl", impl, "--json", "/no/such/folder/g.json"],
      ["grade", "--impl", impl, "--junit", "/no/such/folder/g.xml"],
      ["grade", "--class", dir, "--csv", "/no/such/folder/c.csv"],
      ["merge", shards[0]!, shards[1]!, "--json", "/no/such/folder/m.json"],
    ]) {
      const r = raftlab(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/the folder \/no\/such\/folder does not exist/);
      expect(r.stdout).toBe("");
    }
  });
});

describe("a submission that does not load is said to be so once", () => {
  it.each([
    ["no Make (and --fail-under: exit 1 below the score)", "export const x = 1;\n", /does not export a function Make/, ["--fail-under", "50"], 1],
    ["a syntax error", "export function Make( {\n", /does not compile/, [], 0],
  ])("%s", (_what, source, message, flags, status) => {
    const dir = tmp();
    const file = join(dir, "raft.ts");
    writeFileSync(file, source);
    const out = join(dir, "r.json");
    const r = raftlab("grade", "--submission", file, "--part", "A", "--seeds", "2", "--json", out, ...flags);
    expect(r.status, r.stderr).toBe(status);
    if (status === 1) expect(r.stdout).toContain("score 0 is under --fail-under 50");
    expect(r.stdout.match(/did not load/g)).toHaveLength(1);
    expect(r.stdout).toMatch(message);
    const report = readJson(out);
    expect(report.loadError).toMatch(message);
    expect(report.runs).toHaveLength(6);
    expect(report.score).toBe(0);
  });
});

describe("the reference, handed in as a student would, outside the checkout", () => {
  const dir = tmp();
  const layouts: Record<string, string> = {};
  beforeAll(async () => {
    // A repository: the handout (the skeleton) with the reference solution as its src/raft.
    const repo = join(dir, "alice");
    const h = raftlab("handout", "--out", repo);
    expect(h.status, h.stderr).toBe(0);
    rmSync(join(repo, "src/raft"), { recursive: true });
    cpSync(join(ROOT, "src/raft"), join(repo, "src/raft"), { recursive: true });
    // A student's tampered simulator must never be used: this one would fail every test.
    writeFileSync(join(repo, "src/sim/index.ts"), 'throw new Error("the student\'s own simulator was loaded");\n');
    layouts.repository = repo;
    // Its src/raft folder alone.
    cpSync(join(ROOT, "src/raft"), join(dir, "bob"), { recursive: true });
    layouts.folder = join(dir, "bob");
    // One file: the whole Raft bundled into a single module that imports only the lab API.
    await build({
      entryPoints: [join(ROOT, "src/raft/index.ts")], bundle: true, format: "esm", platform: "node", outfile: join(dir, "carol.ts"),
      plugins: [{ name: "lab-api", setup: (b) => b.onResolve({ filter: /^\.\.\// }, (a) => ({ path: a.path, external: true })) }],
    });
    layouts.file = join(dir, "carol.ts");
  }, HOOK_TIMEOUT_MS);

  it("resolves the three layouts to the student's src/raft files", () => {
    expect(resolveSubmission(layouts.repository!)).toMatchObject({ layout: "repository", entry: "index.ts" });
    expect(resolveSubmission(layouts.folder!)).toMatchObject({ layout: "folder", entry: "index.ts" });
    expect(resolveSubmission(layouts.file!)).toMatchObject({ layout: "file", files: ["carol.ts"], entry: "carol.ts" });
    expect(resolveSubmission(layouts.repository!).files).not.toContain("../sim/index.ts");
  });

  it("grades 100/100 in each layout (graded as one class: alice, bob, carol)", () => {
    const outs = tmp();
    const out = join(outs, "class.json");
    const reports = join(outs, "reports");
    const r = raftlab("grade", "--class", dir, "--seeds", "1", "--json", out, "--reports", reports);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    for (const student of ["alice", "bob", "carol"]) {
      const report = readJson(join(reports, `${student}.json`));
      expect(report.loadError, student).toBeUndefined();
      expect([report.score, report.maxScore], student).toEqual([100, 100]);
      expect(report.runs, student).toHaveLength(28);
    }
  });
});

describe("type errors", () => {
  it("are recorded in the report with the student's path, and cost no points", () => {
    const dir = tmp();
    cpSync(join(ROOT, "src/raft"), join(dir, "src/raft"), { recursive: true });
    writeFileSync(join(dir, "src/raft/extra.ts"), 'export const n: number = "not a number";\n');
    const out = join(dir, "r.json");
    const r = raftlab("grade", "--submission", dir, "--test", "InitialElectionPartA", "--seeds", "1", "--json", out, "--fail-under", "8");
    expect(r.status, r.stderr).toBe(0); // 8.33 of 8.33: not under --fail-under 8
    const report = readJson(out);
    expect(report.typeErrors).toEqual([`${join(dir, "src/raft/extra.ts")}(1,14): error TS2322: Type 'string' is not assignable to type 'number'.`]);
    expect(report.score).toBe(report.maxScore);
    expect(r.stdout).toContain("1 type error(s)");
  });

  it("make partX's check finds them in a src/raft folder, and passes the reference's", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(join(dir, "bad.ts"), "export const n: number = 'x';\n");
    const bad = await typecheckRaftFolder(dir);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatch(/bad\.ts\(1,14\): error TS2322/);
    expect((await typecheckRaftFolder()).errors).toEqual([]);
  });
});

describe("grade --class", () => {
  it("grades every submission into one table, CSV and JSON, and resumes after an interruption", () => {
    const dir = tmp();
    const cls = join(dir, "class");
    mkdirSync(cls);
    cpSync(join(FIXTURES, "silent.ts"), join(cls, "dana.ts"));
    cpSync(join(ROOT, "src/raft"), join(cls, "erin/src/raft"), { recursive: true });
    writeFileSync(join(cls, "frank.ts"), "export const nothing = 1;\n");
    const csv = join(dir, "class.csv");
    const json = join(dir, "class.json");
    const args = ["grade", "--class", cls, "--test", "InitialElectionPartA", "--seeds", "1", "--csv", csv, "--json", json];
    const first = raftlab(...args);
    expect(first.status, first.stderr).toBe(0);
    const table = JSON.parse(readFileSync(json, "utf8")) as { students: Array<{ student: string; score: number; maxScore: number; error: string }> };
    expect(table.students.map((s) => [s.student, s.score])).toEqual([["dana", 0], ["erin", 8.33], ["frank", 0]]);
    expect(table.students[2]!.error).toMatch(/does not export a function Make/);
    expect(readFileSync(csv, "utf8").split("\n")[0]).toBe("student,score,maxScore,A,B,C,D,runs,passed,failed,hung,crashed,typeErrors,error");
    // An interruption after erin: frank's row is missing; the same command grades only him.
    const partial = { ...table, students: table.students.slice(0, 2) };
    writeFileSync(json, JSON.stringify(partial));
    const again = raftlab(...args);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain("3 submission(s), 2 already graded (skipped)");
    expect(again.stderr).toContain("[1/1] frank");
    expect((JSON.parse(readFileSync(json, "utf8")) as typeof table).students.map((s) => s.student)).toEqual(["dana", "erin", "frank"]);
    expect(readFileSync(csv, "utf8").trim().split("\n")).toHaveLength(4);
    // Other settings never mix into the same table.
    const other = raftlab("grade", "--class", cls, "--test", "InitialElectionPartA", "--seeds", "2", "--json", json);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/graded with other settings/);
  });
});

// ---- the report logic, without processes -------------------------------------------------

const settings = (over: Partial<GradeSettings> = {}): GradeSettings => ({
  impl: "/s/raft.ts", entry: "/s/raft.ts", harness: "0.1.0+abc", graded: ["TestInitialElectionPartA"], base: "1", seedCount: 4, race: false, ...over,
});
const run = (seed: string, passed = false, test = "TestInitialElectionPartA"): RunRecord => ({
  test, part: "A", seed, passed, outcome: passed ? "passed" : "failed", virtualMs: 1, wallMs: 1, ...(passed ? { rpcs: 1, bytes: 1 } : {}),
});
const shard = (index: number, count = 2, over: Partial<GradeSettings> = {}): GradeReport => {
  const s = settings(over);
  const seeds = shardSeeds(Array.from({ length: s.seedCount }, (_, i) => String(Number(s.base) + i)), { index, count });
  return buildReport(s, seeds, { index, count }, s.graded.flatMap((t) => seeds.map((x) => run(x, true, t))));
};

describe("scores", () => {
  it("a grade of some tests is scored out of what was graded; other parts are not graded", () => {
    const r = buildReport(settings(), ["1"], null, [run("1", true)]);
    expect(r.score).toBe(8.33);
    expect(r.maxScore).toBe(8.33);
    expect(r.parts).toEqual([
      { part: "A", graded: true, points: 8.33, maxPoints: 8.33 },
      { part: "B", graded: false, points: 0, maxPoints: 0 },
      { part: "C", graded: false, points: 0, maxPoints: 0 },
      { part: "D", graded: false, points: 0, maxPoints: 0 },
    ]);
  });

  it("all 28 tests passed is exactly 100", () => {
    const all = allTests.map((t) => t.name);
    const runs = allTests.map((t) => ({ ...run("1", true), test: t.name, part: t.part }));
    const r = buildReport(settings({ graded: all, seedCount: 1 }), ["1"], null, runs);
    expect([r.score, r.maxScore]).toEqual([100, 100]);
  });
});

describe("merge refuses what does not belong together", () => {
  it("merges two matching shards", () => {
    expect(mergeReports([shard(0), shard(1)], ["s0", "s1"]).runs).toHaveLength(4);
  });

  it.each([
    ["submissions", shard(1, 2, { impl: "/other.ts" }), /s1 and s0 are not shards of one grading run: their submissions differ/],
    ["harness versions", shard(1, 2, { harness: "0.1.0+def" }), /their harness versions differ/],
    ["parts", shard(1, 2, { graded: ["TestReElectionPartA"] }), /their graded tests \(parts\) differ/],
    ["bases", shard(1, 2, { base: "5" }), /their first seeds \(--base\) differ/],
    ["seed counts", shard(1, 2, { seedCount: 6 }), /their seed counts \(--seeds\) differ/],
    ["race modes", shard(1, 2, { race: true }), /their race modes differ/],
    ["shard counts", shard(1, 4), /their shard counts differ/],
  ])("mismatched %s", (_what, other, message) => {
    expect(() => mergeReports([shard(0), other], ["s0", "s1"])).toThrow(message);
  });

  it("a shard given twice, and a shard whose seeds are not its own", () => {
    expect(() => mergeReports([shard(0), shard(0)], ["a", "b"])).toThrow(/shard 0 of 2 is given twice \(a and b\)/);
    const liar = { ...shard(1), seeds: ["1", "2"], runs: [run("1", true), run("2", true)] };
    expect(() => mergeReports([shard(0), liar], ["s0", "s1"])).toThrow(/s1 says it is shard 1 of 2 but holds other seeds/);
  });

  it.each([
    ["an unknown test", (r: GradeReport) => ({ ...r, runs: [{ ...r.runs[0]!, test: "TestNoSuchPartA" }, ...r.runs.slice(1)] }), /run 1 is corrupt \(unknown test "TestNoSuchPartA"\)/],
    ["an unknown graded test", (r: GradeReport) => ({ ...r, graded: ["TestNoSuchPartA"] }), /grades an unknown test/],
    ["a passed run without figures", (r: GradeReport) => ({ ...r, runs: r.runs.map((x) => ({ ...x, rpcs: undefined })) }), /a passed run without the tester's Passed-line figures/],
    ["a flag that contradicts the outcome", (r: GradeReport) => ({ ...r, runs: r.runs.map((x) => ({ ...x, outcome: "hung" })) }), /passed flag and outcome disagree/],
    ["a run twice", (r: GradeReport) => ({ ...r, runs: [r.runs[0]!, r.runs[0]!] }), /appears twice/],
    ["a dropped run", (r: GradeReport) => ({ ...r, runs: r.runs.slice(1) }), /is incomplete: 1 runs for 1 tests × 2 seeds/],
    ["an old schema", (r: GradeReport) => ({ ...r, schema: "raftlab-grade/1" }), /is not a raftlab-grade\/2 report/],
  ])("corrupt: %s", (_what, corrupt, message) => {
    const bad = corrupt(shard(1)) as unknown as GradeReport;
    expect(reportProblem(bad, "s1")).toMatch(message);
    expect(() => mergeReports([shard(0), bad], ["s0", "s1"])).toThrow(message);
  });
});

describe("the catalogue of hostile submissions", () => {
  it("has one test per attack file (tests/grade-hostile*.test.ts)", () => {
    const attacks = readdirSync(join(ROOT, "tests/hostile")).filter((f) => f.startsWith("grade-") && f !== "grade-dead.ts" && f !== "grade-class.ts");
    const tests = ["grade-hostile.test.ts", "grade-hostile-memory.test.ts"].map((f) => readFileSync(join(ROOT, "tests", f), "utf8")).join("\n");
    for (const a of attacks) expect(tests, a).toContain(`"${a.replace(/^grade-|\.ts$/g, "")}"`);
    expect(existsSync(join(ROOT, "hostile-was-here.txt"))).toBe(false);
  });
});
