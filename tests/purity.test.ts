// Determinism is a property of the source, too: nothing under src/ outside the CLI may read a
// platform clock, a platform timer or Math.random (DESIGN.md, principle 1). The CLI may, for
// its own wall-clock bookkeeping (progress, watchdog, wall times). Comments are ignored.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = new URL("../src", import.meta.url).pathname;
const FORBIDDEN = /\b(setTimeout|setInterval|Date\.now|new Date|performance\.now|Math\.random|hrtime|process\.uptime)\b/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/**
 * The sandbox's kernel names every one of them, to take it away from student code (each use
 * fails the run: tests/confinement.test.ts); it reads none.
 */
const REMOVES_THEM = "sandbox/lab/kernel.ts";

describe("no clocks or Math.random under src/ (the CLI aside)", () => {
  const checked = files(SRC).filter((f) => !relative(SRC, f).startsWith("cli") && relative(SRC, f) !== REMOVES_THEM);

  it("checks the simulator, codec, network, persister, Raft and tester", () => {
    expect(checked.map((f) => relative(SRC, f).split("/")[0])).toEqual(expect.arrayContaining(["sim", "labgob", "labrpc", "persister", "raft", "config"]));
  });

  it.each(checked.map((f) => [relative(SRC, f), f]))("%s", (_name, file) => {
    const offending = withoutComments(readFileSync(file, "utf8")).split("\n").map((line, i) => [i + 1, line] as const).filter(([, line]) => FORBIDDEN.test(line));
    expect(offending, `platform clock or randomness in ${file}`).toEqual([]);
  });
});
