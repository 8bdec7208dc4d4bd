// The student handout (`raftlab handout`): marker stripping, what ships, and that the real
// skeleton type-checks and fails its tests with the tester's own messages (not crashes).
// Not shipped in the handout itself.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import {
  handoutCommand, handoutRuleFor, handoutTsconfig, planHandout, REPO_ROOT, SolutionMarkerError, stripSolutions,
} from "../src/cli/handout.ts";

const repo = fileURLToPath(new URL("../", import.meta.url));

/** Every file under dir, relative, with /; does not enter node_modules. */
function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(relative(base, p).split("\\").join("/"));
  }
  return out.sort();
}

/** Runs fn with stdout and stderr captured. */
async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    return { value: await fn(), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

function write(root: string, rel: string, text: string): void {
  const p = join(root, ...rel.split("/"));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

const tmpDirs: string[] = [];
function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) {
    const nm = join(d, "node_modules");
    if (existsSync(nm)) unlinkSync(nm); // the symlink to the repository's, never its contents
    rmSync(d, { recursive: true, force: true });
  }
});

// ---- stripSolutions -----------------------------------------------------------------------

describe("stripSolutions", () => {
  test("replaces each region, markers included, by one placeholder at the BEGIN marker's indentation", () => {
    const src = [
      "export class Raft {",
      "  // SOLUTION BEGIN (PartA)",
      "  currentTerm = 0;",
      "  votedFor = -1;",
      "  // SOLUTION END",
      "  GetState(): [number, boolean] {",
      "    let term = 0;",
      "    // SOLUTION BEGIN (PartB)",
      "    term = this.currentTerm;",
      "    // SOLUTION END",
      "    return [term, false];",
      "  }",
      "}",
      "// SOLUTION BEGIN (PartD)",
      "function helper(): void {}",
      "// SOLUTION END (PartD)",
      "",
    ].join("\n");
    const { text, regions } = stripSolutions(src, "src/raft/raft.ts");
    expect(regions).toBe(3);
    expect(text).toBe([
      "export class Raft {",
      "  // Your code here (PartA)",
      "  GetState(): [number, boolean] {",
      "    let term = 0;",
      "    // Your code here (PartB)",
      "    return [term, false];",
      "  }",
      "}",
      "// Your code here (PartD)",
      "",
    ].join("\n"));
  });

  test("leaves a file without markers alone and keeps CRLF line ends", () => {
    expect(stripSolutions("a\nb\n", "x.ts")).toEqual({ text: "a\nb\n", regions: 0 });
    const crlf = "a\r\n\t// SOLUTION BEGIN (PartC)\r\nsecret\r\n\t// SOLUTION END\r\nb\r\n";
    expect(stripSolutions(crlf, "x.ts")).toEqual({ text: "a\r\n\t// Your code here (PartC)\r\nb\r\n", regions: 1 });
  });

  const fails = (src: string[], file = "src/raft/x.ts") => {
    try {
      stripSolutions(src.join("\n"), file);
    } catch (e) {
      expect(e).toBeInstanceOf(SolutionMarkerError);
      return (e as Error).message;
    }
    throw new Error("expected stripSolutions to throw");
  };

  test("a BEGIN without END names the file and the BEGIN's line", () => {
    const msg = fails(["a", "// SOLUTION BEGIN (PartA)", "b"]);
    expect(msg).toMatch(/^src\/raft\/x\.ts:2: /);
    expect(msg).toMatch(/unbalanced/);
  });

  test("a nested BEGIN names its own line and the open region's", () => {
    const msg = fails(["// SOLUTION BEGIN (PartA)", "a", "  // SOLUTION BEGIN (PartB)", "// SOLUTION END", "// SOLUTION END"]);
    expect(msg).toMatch(/^src\/raft\/x\.ts:3: nested/);
    expect(msg).toMatch(/line 1 \(PartA\)/);
  });

  test("an unknown part names file:line", () => {
    expect(fails(["x", "// SOLUTION BEGIN (PartE)", "// SOLUTION END"])).toMatch(/^src\/raft\/x\.ts:2: unknown part "PartE"/);
    expect(fails(["// SOLUTION BEGIN (partA)", "// SOLUTION END"])).toMatch(/^src\/raft\/x\.ts:1: unknown part "partA"/);
  });

  test("an END without BEGIN names file:line", () => {
    const msg = fails(["// SOLUTION BEGIN (PartA)", "// SOLUTION END", "a", "  // SOLUTION END"], "src/raft/log.ts");
    expect(msg).toMatch(/^src\/raft\/log\.ts:4: .*END without .*BEGIN/);
  });

  test("an END naming another part, and malformed markers, name file:line", () => {
    expect(fails(["// SOLUTION BEGIN (PartA)", "// SOLUTION END (PartB)"])).toMatch(/^src\/raft\/x\.ts:2: .*closes the PartA region opened at line 1/);
    expect(fails(["a", "// SOLUTION BEGIN PartA", "// SOLUTION END"])).toMatch(/^src\/raft\/x\.ts:2: malformed marker/);
    expect(fails(["x = 1; // SOLUTION BEGIN (PartA)"])).toMatch(/^src\/raft\/x\.ts:1: malformed marker/);
    expect(fails(["// SOLUTION BEGIN (PartA)", "// SOLUTION END here"])).toMatch(/^src\/raft\/x\.ts:2: malformed marker/);
  });
});

// ---- what ships ---------------------------------------------------------------------------

describe("the manifest", () => {
  test("decides each kind of file", () => {
    const action = (rel: string) => handoutRuleFor(rel)?.action;
    expect(action("src/raft/raft.ts")).toBe("strip");
    expect(action("src/raft/api.ts")).toBe("strip");
    expect(action("src/config/config.ts")).toBe("copy");
    expect(action("src/cli/handout.ts")).toBe("copy");
    expect(action("tests/partA.test.ts")).toBe("copy");
    expect(action("tests/suites/partB.ts")).toBe("copy");
    expect(action("tests/broken/noVote.ts")).toBe("omit");
    expect(action("tests/broken/sub/x.ts")).toBe("omit");
    expect(action("tests/broken.test.ts")).toBe("omit");
    expect(action("tests/brokenRafts.test.ts")).toBe("omit");
    expect(action("tests/handout.test.ts")).toBe("omit");
    expect(action("tsconfig.json")).toBe("tsconfig");
    expect(action("README.md")).toBe("generate");
    expect(action("docs/HANDOUT.md")).toBe("omit");
    expect(action(".ci/run")).toBe("omit");
    expect(action("results/latest/x.json")).toBe("omit");
    expect(action("node_modules/vitest/package.json")).toBe("omit");
    expect(action("src/raft/node_modules/x.ts")).toBe("omit");
    expect(action("random.txt")).toBeUndefined();
  });

  test("the handout's tsconfig allows unused locals and parameters, and nothing else changes", () => {
    const orig = readFileSync(join(repo, "tsconfig.json"), "utf8");
    const out = JSON.parse(handoutTsconfig(orig)) as { compilerOptions: Record<string, unknown> };
    const before = JSON.parse(orig) as { compilerOptions: Record<string, unknown> };
    expect(out.compilerOptions.noUnusedLocals).toBe(false);
    expect(out.compilerOptions.noUnusedParameters).toBe(false);
    expect({ ...out, compilerOptions: { ...out.compilerOptions, noUnusedLocals: 0, noUnusedParameters: 0 } })
      .toEqual({ ...before, compilerOptions: { ...before.compilerOptions, noUnusedLocals: 0, noUnusedParameters: 0 } });
    const missing = JSON.parse(handoutTsconfig('{ "compilerOptions": { "strict": true } }')) as { compilerOptions: Record<string, unknown> };
    expect(missing.compilerOptions).toEqual({ strict: true, noUnusedLocals: false, noUnusedParameters: false });
  });
});

describe("handoutCommand on a small fake repository", () => {
  afterEach(() => vi.restoreAllMocks());

  function fakeRepo(): string {
    const root = tmp("raftlab-fake-");
    write(root, "package.json", '{ "name": "fake", "type": "module" }\n');
    write(root, "tsconfig.json", '{ "compilerOptions": { "noUnusedLocals": true } }\n');
    write(root, "src/raft/raft.ts", "export const a = 1;\n// SOLUTION BEGIN (PartA)\nexport const secret = 42;\n// SOLUTION END\n");
    write(root, "src/config/index.ts", "export const tester = 1;\n");
    write(root, "tests/broken/noVote.ts", "export const hint = 1;\n");
    write(root, "tests/brokenRafts.test.ts", 'import { hint } from "./broken/noVote.ts";\n');
    write(root, "tests/catalog.test.ts", 'import { hint } from "./broken/noVote.ts";\n');
    write(root, "tests/support/hints.ts", 'export const dir = new URL("../broken/", import.meta.url);\n');
    write(root, "tests/uses-hints.test.ts", 'import { dir } from "./support/hints.ts";\n');
    write(root, "tests/partA.test.ts", 'import { tester } from "../src/config/index.ts";\nconst s = "invariant broken";\n');
    write(root, "tests/handout.test.ts", "// the generator's own test\n");
    write(root, "docs/HANDOUT.md", "instructor only\n");
    write(root, ".ci/run", "#!/bin/sh\n");
    write(root, "results/latest/x.json", "{}\n");
    write(root, "README.md", "the instructor's README\n");
    return root;
  }

  test("ships the right files, leaves out tests/broken and whatever refers to it", async () => {
    const root = fakeRepo();
    const out = join(tmp("raftlab-out-"), "handout");
    const { value, out: stdout } = await quietly(() => handoutCommand({ out, root }));
    expect(value).toBe(0);
    expect(stdout).toMatch(/1 solution region removed/);
    expect(listFiles(out)).toEqual([
      "README.md", "package.json", "src/config/index.ts", "src/raft/raft.ts", "tests/partA.test.ts", "tsconfig.json",
    ]);
    expect(readFileSync(join(out, "src/raft/raft.ts"), "utf8")).toBe("export const a = 1;\n// Your code here (PartA)\n");
    expect(readFileSync(join(out, "README.md"), "utf8")).toMatch(/make partA/);
    expect(JSON.parse(readFileSync(join(out, "tsconfig.json"), "utf8"))).toEqual({ compilerOptions: { noUnusedLocals: false, noUnusedParameters: false } });
    const plan = planHandout(root);
    expect(plan.omitted.map((o) => o.rel)).toEqual([
      "tests/broken/noVote.ts", "tests/brokenRafts.test.ts", "tests/catalog.test.ts", "tests/handout.test.ts",
      "tests/support/hints.ts", "tests/uses-hints.test.ts",
    ]);
  });

  test("refuses a non-empty folder unless --force, and the repository itself always", async () => {
    const root = fakeRepo();
    const out = tmp("raftlab-out-");
    write(out, "mine.txt", "keep me\n");
    const refused = await quietly(() => handoutCommand({ out, root }));
    expect(refused.value).toBe(2);
    expect(refused.err).toMatch(/is not empty.*--force/);
    expect(listFiles(out)).toEqual(["mine.txt"]);

    const forced = await quietly(() => handoutCommand({ out, root, force: true }));
    expect(forced.value).toBe(0);
    expect(listFiles(out)).toContain("src/raft/raft.ts");
    expect(listFiles(out)).toContain("mine.txt");

    const self = await quietly(() => handoutCommand({ out: root, root, force: true }));
    expect(self.value).toBe(2);
    expect(self.err).toMatch(/this repository itself/);
    const inside = await quietly(() => handoutCommand({ out: join(root, "src", "h"), root, force: true }));
    expect(inside.value).toBe(2);
    expect(readFileSync(join(root, "src/raft/raft.ts"), "utf8")).toMatch(/secret = 42/);
  });

  test("a marker error or a shipped import of a left-out file writes nothing and exits 1", async () => {
    const root = fakeRepo();
    write(root, "src/raft/log.ts", "a\n// SOLUTION BEGIN (PartB)\nb\n");
    const out = join(tmp("raftlab-out-"), "h");
    const bad = await quietly(() => handoutCommand({ out, root }));
    expect(bad.value).toBe(1);
    expect(bad.err).toMatch(/src\/raft\/log\.ts:2: unbalanced/);
    expect(existsSync(out)).toBe(false);

    write(root, "src/raft/log.ts", "a\n");
    write(root, "src/cli/selfcheck.ts", 'import { hint } from "../../tests/broken/noVote.ts";\n');
    const leak = await quietly(() => handoutCommand({ out, root }));
    expect(leak.value).toBe(1);
    expect(leak.err).toMatch(/src\/cli\/selfcheck\.ts imports tests\/broken\/noVote\.ts/);
    expect(existsSync(out)).toBe(false);
  });

  test("refuses to ship a src/raft without any solution region", async () => {
    const root = fakeRepo();
    write(root, "src/raft/raft.ts", "export const everything = 1;\n");
    const r = await quietly(() => handoutCommand({ out: join(tmp("raftlab-out-"), "h"), root }));
    expect(r.value).toBe(1);
    expect(r.err).toMatch(/no solution regions/);
  });
});

// ---- the real handout ---------------------------------------------------------------------

type ConfigModule = typeof import("../src/config/index.ts");
type SuitesModule = typeof import("./suites/index.ts");

describe("the handout of this repository", () => {
  let dir = "";
  let files: string[] = [];

  beforeAll(async () => {
    dir = join(tmp("raftlab-handout-"), "handout");
    const r = await quietly(() => handoutCommand({ out: dir }));
    if (r.value !== 0) throw new Error(`handoutCommand exited ${r.value}: ${r.err}`);
    symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"), "dir");
    files = listFiles(dir);
  }, 60_000);

  test("is generated from this repository", () => {
    expect(REPO_ROOT.replace(/\/$/, "")).toBe(repo.replace(/\/$/, ""));
    for (const f of ["README.md", "package.json", "package-lock.json", "Makefile", "tsconfig.json", "vitest.config.ts", ".gitignore", "bin/raftlab.mjs", "src/raft/index.ts", "src/raft/raft.ts", "tests/suites/index.ts", "tests/partA.test.ts"]) {
      expect(files).toContain(f);
    }
    expect(statSync(join(dir, "bin/raftlab.mjs")).mode & 0o111).not.toBe(0);
  });

  test("holds no solution marker and nothing it must not reveal", () => {
    for (const f of files) {
      expect(readFileSync(join(dir, f), "utf8"), f).not.toMatch(/SOLUTION\s+BEGIN|SOLUTION\s+END/);
    }
    expect(files.filter((f) => f.startsWith("tests/broken"))).toEqual([]);
    expect(files).not.toContain("tests/handout.test.ts");
    expect(files.filter((f) => /^(docs|\.ci|results|\.git|node_modules)\//.test(f))).toEqual([]);
    for (const f of files.filter((f) => f.startsWith("tests/") && f.endsWith(".ts"))) {
      expect(readFileSync(join(dir, f), "utf8"), f).not.toMatch(/["'`][^"'`]*\/broken\//);
    }
    expect(readFileSync(join(dir, "src/raft/raft.ts"), "utf8")).toMatch(/\/\/ Your code here \(PartA\)/);
    const tsconfig = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions.noUnusedLocals).toBe(false);
    expect(tsconfig.compilerOptions.noUnusedParameters).toBe(false);
  });

  test("type-checks", () => {
    try {
      execFileSync(join(dir, "node_modules/.bin/tsc"), ["--noEmit", "-p", dir], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string };
      console.log(`tsc --noEmit on the handout failed (exit ${err.status}):\n${err.stdout ?? ""}${err.stderr ?? ""}`);
      expect(err.status, err.stdout).toBe(0);
    }
  }, 300_000);

  test("its tests fail with the tester's own messages, not crashes", async () => {
    const config = (await import(pathToFileURL(join(dir, "src/config/index.ts")).href)) as ConfigModule;
    const suites = (await import(pathToFileURL(join(dir, "tests/suites/index.ts")).href)) as SuitesModule;
    const impl = await config.loadImpl(join(dir, "src/raft/index.ts"));

    const election = await config.runTest(suites.TestInitialElectionPartA, { seed: 1, impl });
    expect(election.passed).toBe(false);
    expect(election.reason).toMatch(/expected one leader, got none/);
    expect(election.reason).not.toMatch(/TypeError|threw|is not a function|undefined/);

    const agree = await config.runTest(suites.TestBasicAgreePartB, { seed: 1, impl });
    expect(agree.passed).toBe(false);
    expect(agree.reason).toMatch(/one\(100\) failed to reach agreement/);
    expect(agree.reason).not.toMatch(/TypeError|threw|is not a function|undefined/);
  }, 120_000);
});
