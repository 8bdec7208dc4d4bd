// Confinement (src/sandbox): a submission given by path runs in a realm of its own and
// reaches only the lab API. Each hostile fixture in tests/hostile/confine-*.ts is loaded and
// run as a grader would; it either refuses to load with one sentence, or its run fails with
// one sentence (the tester's own, or the one naming the lab's replacement): the attack never
// changes the verdict. And a correct Raft loads from anywhere on disk, from the layouts
// students hand in, over the course's own simulator.
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { DEFAULT_IMPL, loadImpl, runTest } from "../src/config/index.ts";
import type { RaftModule } from "../src/raft/api.ts";
import { TestInitialElectionPartA } from "./suites/partA.ts";
import { TestBasicAgreePartB } from "./suites/partB.ts";
import { TestPersist1PartC } from "./suites/partC.ts";
import { TestSnapshotBasicPartD } from "./suites/partD.ts";

const hostile = (name: string): string => fileURLToPath(new URL(`./hostile/confine-${name}.ts`, import.meta.url));

async function firstLine(impl: RaftModule, seed = 1): Promise<{ passed: boolean; reason: string }> {
  const r = await runTest(TestInitialElectionPartA, { seed, impl });
  return { passed: r.passed, reason: r.reason ?? "" };
}

/** Fixtures that must not load, and the sentence saying why. */
const refused: Array<[string, RegExp]> = [
  ["import-world", /a Raft may not import \.\.\/\.\.\/src\/sim\/world\.ts: a submission may import only the lab API/],
  ["import-monitor", /a Raft may not import \.\.\/\.\.\/src\/config\/monitor\.ts: a submission may import only the lab API/],
  ["import-tester", /a Raft may not import \.\.\/\.\.\/src\/config\/config\.ts: a submission may import only the lab API/],
  ["node-fs", /a Raft may not import Node's "fs" module/],
  ["node-child-process", /a Raft may not import Node's "child_process" module/],
  ["node-net", /a Raft may not import Node's "net" module/],
  ["node-worker-threads", /a Raft may not import Node's "worker_threads" module/],
];

/** Fixtures that load and whose run must fail, and the sentence it fails with. */
const failed: Array<[string, RegExp]> = [
  // Nothing it is handed leads to the World: the tester's own verdict stands.
  ["follow-peers", /^expected one leader, got none/],
  ["patch-lab-api", /^expected one leader, got none/],
  // Platform time, timers and randomness: one sentence naming the lab's replacement.
  ["math-random", /^Math\.random is not available to a Raft: use rng\(name\)\.between\(lo, hi\), randomInt\(lo, hi\) or random\(\) from src\/sim/],
  ["date-now", /^Date\.now is not available to a Raft: use now\(\) from src\/sim/],
  ["new-date", /^Date is not available to a Raft: use now\(\) from src\/sim/],
  ["set-timeout", /^setTimeout is not available to a Raft: use await sleep\(ms\) from src\/sim/],
  ["performance-now", /^performance\.now is not available to a Raft: use now\(\) from src\/sim/],
  ["process-argv", /^process\.argv is not available to a Raft: a submission reaches only the lab API/],
  ["process-exit", /^process\.exit is not available to a Raft/],
  ["require", /^require is not available to a Raft: import the lab API/],
  // The constructors of what the harness hands over are the sandbox's own.
  ["function-constructor", /^process\.exit is not available to a Raft/],
  ["prepare-stack-trace", /attack-\d threw at 100 ms: TypeError: Cannot add property prepareStackTrace, object is not extensible/],
  ["dynamic-import", /attack-\d threw at 100 ms: TypeError.*dynamic import/],
];

describe("a submission that reaches for what is not the lab API does not load", () => {
  test.each(refused)("%s", async (name, sentence) => {
    const err = await loadImpl(hostile(name)).then(() => undefined, (e: Error) => e);
    expect(err, "it loaded").toBeInstanceOf(Error);
    expect(err!.message).toMatch(/^cannot load the Raft implementation \S+confine-[\w-]+\.ts: /);
    expect(err!.message).toMatch(sentence);
    expect(err!.message.split("\n")).toHaveLength(1);
  });
});

describe("an attack from inside a run changes nothing but its own verdict", () => {
  test.each(failed)("%s", async (name, sentence) => {
    const impl = await loadImpl(hostile(name));
    for (const seed of [1, 2]) {
      const r = await firstLine(impl, seed);
      expect(r.passed).toBe(false);
      expect(r.reason).toMatch(sentence);
    }
  });
});

describe("the lab API as a submission sees it", () => {
  test("what Make receives exposes only MIT's methods, and every object is frozen", async () => {
    let seen: Record<string, unknown> | undefined;
    const probe = join(mkdtempSync(join(tmpdir(), "raftlab-probe-")), "probe.ts");
    writeFileSync(probe, `
      const shape = (o) => ({ keys: Reflect.ownKeys(o).map(String).sort(), frozen: Object.isFrozen(o), proto: Object.getPrototypeOf(o) === Object.prototype });
      export const Make = (peers, me, persister, applyCh) => {
        globalThis.__probe = {
          peers: Array.isArray(peers) && Object.isFrozen(peers), end: shape(peers[0]), persister: shape(persister), applyCh: shape(applyCh),
          hostFunction: peers[0].Call.constructor === Function, objectProto: Object.isFrozen(Object.prototype), arrayProto: Object.isFrozen(Array.prototype),
        };
        throw new Error(JSON.stringify(globalThis.__probe));
      };`);
    const r = await firstLine(await loadImpl(probe));
    seen = JSON.parse(r.reason.slice(r.reason.indexOf("{"))) as Record<string, unknown>;
    expect(seen).toEqual({
      peers: true,
      end: { keys: ["Call"], frozen: true, proto: true },
      persister: { keys: ["Copy", "RaftStateSize", "ReadRaftState", "ReadSnapshot", "Save", "SnapshotSize"], frozen: true, proto: true },
      applyCh: { keys: ["Symbol(Symbol.asyncIterator)", "capacity", "close", "closed", "length", "name", "recv", "send"], frozen: true, proto: true },
      hostFunction: true, // the sandbox's own Function
      objectProto: true,
      arrayProto: true,
    });
    rmSync(join(probe, ".."), { recursive: true, force: true });
  });
});

describe("a correct Raft loads from wherever it lies, over the course's own simulator", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const raftSrc = fileURLToPath(new URL("../src/raft/", import.meta.url));

  function layout(make: (root: string) => string): string {
    const root = mkdtempSync(join(tmpdir(), "raftlab-layout-"));
    dirs.push(root);
    return make(root);
  }

  const layouts: Array<[string, () => string]> = [
    ["submissions/alice/ (the Raft's files, no package.json, no src/ around them)", () => layout((root) => {
      const dir = join(root, "submissions", "alice");
      cpSync(raftSrc, dir, { recursive: true });
      return join(dir, "index.ts");
    })],
    ["student/src/raft/index.ts with the student's own (broken) simulator copy beside it and a CommonJS package.json", () => layout((root) => {
      const src = join(root, "student", "src");
      cpSync(raftSrc, join(src, "raft"), { recursive: true });
      mkdirSync(join(src, "sim"), { recursive: true });
      writeFileSync(join(src, "sim", "index.ts"), `throw new Error("the student's copy of the simulator was used");\n`);
      writeFileSync(join(root, "student", "package.json"), JSON.stringify({ name: "student", type: "commonjs" }));
      return join(src, "raft", "index.ts");
    })],
  ];
  test.each(layouts)("%s", async (_what, make) => {
    const impl = await loadImpl(make());
    for (const def of [TestInitialElectionPartA, TestBasicAgreePartB, TestPersist1PartC, TestSnapshotBasicPartD]) {
      const r = await runTest(def, { seed: 1, impl });
      expect(r.reason ?? "", def.name).toBe("");
      expect(r.passed).toBe(true);
    }
  });

  test("the reference confined passes and replays exactly (same seed, same trace hash)", async () => {
    const impl = await loadImpl(DEFAULT_IMPL, { confine: true });
    const a = await runTest(TestSnapshotBasicPartD, { seed: 7, impl });
    const b = await runTest(TestSnapshotBasicPartD, { seed: 7, impl });
    expect(a.passed, a.reason).toBe(true);
    expect(b.traceHash).toBe(a.traceHash);
  });

  test("every confine-* fixture in tests/hostile is exercised above", () => {
    const files = readdirSync(fileURLToPath(new URL("./hostile/", import.meta.url)))
      .filter((f) => f.startsWith("confine-")).map((f) => f.slice("confine-".length, -".ts".length));
    expect(files.sort()).toEqual([...refused, ...failed].map(([name]) => name).sort());
  });
});
