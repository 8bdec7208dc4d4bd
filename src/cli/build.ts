// The contained worker runs plain JavaScript: under Node 20's permission model no TypeScript
// loader works in it (module.register() needs a worker thread, and tsx's esbuild needs a
// child process; both are denied, as they must be). So the parent compiles, before any worker
// starts, the course's harness and the submission's files into one throw-away tree that
// mirrors the checkout (src/…, tests/…, with the student's files in src/raft/), rewrites the
// relative `.ts` imports to `.js`, and links the course's node_modules. The worker may read
// that tree and node_modules, nothing else.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createHash } from "node:crypto";
import { transform } from "esbuild";
import { COURSE_ROOT, courseEntry, placeInCourse, studentPath, type Submission } from "./submission.ts";

export interface Build {
  /** The tree's root (a fresh folder under the system's temp folder). */
  dir: string;
  /** The worker's entry script in the tree. */
  worker: string;
  /** The submission's module exporting Make, in the tree. */
  impl: string;
  /** Folders the worker may read. */
  readable: string[];
  /** Rewrites paths of the tree in messages to the student's own. */
  mapMessage(s: string): string;
  remove(): void;
}

/** Course folders compiled into every tree (tests/*.test.ts are left out: vitest's, never run here). */
const COURSE_FOLDERS = ["src", "tests"];

function courseFiles(withReference: boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(COURSE_ROOT, rel)).sort()) {
      const p = `${rel}/${name}`;
      if (name === "node_modules" || name.startsWith(".")) continue;
      const st = statSync(join(COURSE_ROOT, p));
      if (st.isDirectory()) walk(p);
      else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith(".d.ts") && !name.endsWith(".test.ts")) {
        // Without the reference: the student's files take src/raft; api.ts (types) stays the course's.
        if (!withReference && p.startsWith("src/raft/") && p !== "src/raft/api.ts") continue;
        out.push(p);
      }
    }
  };
  for (const f of COURSE_FOLDERS) walk(f);
  return out;
}

/**
 * The harness that grades: raftlab's version and a hash of every course file that can decide
 * a verdict (the simulator, codec, network, persister, tester, lab API types and the test
 * suites; not the CLI, not the reference Raft). Shards graded by different harnesses do not
 * merge.
 */
export function harnessVersion(): string {
  const version = (JSON.parse(readFileSync(join(COURSE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  const h = createHash("sha256");
  for (const rel of courseFiles(false)) {
    if (rel.startsWith("src/cli/") || !(rel.startsWith("src/") || rel.startsWith("tests/suites/"))) continue;
    h.update(`${rel}\0`).update(readFileSync(join(COURSE_ROOT, rel))).update("\0");
  }
  return `${version}+${h.digest("hex").slice(0, 16)}`;
}

/** `./x.ts` → `./x.js` in import and export specifiers (relative ones only). */
export function rewriteSpecifiers(code: string): string {
  return code.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"'\n]*?)\.(m?)ts\2/g, (_m, pre: string, q: string, path: string, m: string) => `${pre}${q}${path}.${m}js${q}`);
}

const jsName = (p: string): string => p.replace(/\.ts$/, ".js").replace(/\.mts$/, ".mjs");

async function compile(source: string, file: string): Promise<string> {
  if (/\.m?js$/.test(file)) return rewriteSpecifiers(source);
  const r = await transform(source, {
    loader: "ts", format: "esm", target: "node20", sourcefile: file,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  return rewriteSpecifiers(r.code);
}

/** Compiled course files, shared by every build of this process (a class grades many submissions). */
const courseCache = new Map<string, Promise<string>>();

function courseCode(rel: string): Promise<string> {
  let p = courseCache.get(rel);
  if (p === undefined) {
    p = compile(readFileSync(join(COURSE_ROOT, rel), "utf8"), rel);
    courseCache.set(rel, p);
  }
  return p;
}

/** A file of the submission that does not compile (a syntax error): reported as its load failure. */
export class BuildError extends Error {
  override name = "BuildError";
}

/** Rewrites paths of the build tree in messages to the student's own. */
function messageMapper(dir: string, sub: Submission): (s: string) => string {
  const prefix = `${dir}/`;
  const original = new Map<string, string>();
  for (const f of sub.files) {
    const at = sub.layout === "checkout" ? f : `src/raft/${f}`;
    original.set(at.replace(/\.ts$/, ".js").replace(/\.mts$/, ".mjs"), at);
  }
  return (s) => s.split(prefix).map((part, i) => {
    if (i === 0) return part;
    const m = /^[^\s:'"()]+/.exec(part);
    const rel = m?.[0] ?? "";
    const src = original.get(rel) ?? rel.replace(/\.js$/, ".ts");
    return `${studentPath(sub, src)}${part.slice(rel.length)}`;
  }).join("");
}

export async function buildTree(sub: Submission): Promise<Build> {
  const dir = mkdtempSync(join(tmpdir(), "raftlab-build-"));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const write = (rel: string, code: string): void => {
      const p = join(dir, jsName(rel));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, code);
    };
    const course = courseFiles(sub.layout === "checkout");
    await Promise.all(course.map(async (rel) => write(rel, await courseCode(rel))));
    for (const f of sub.files) {
      const at = placeInCourse(sub, f);
      if (at === "src/raft/api.ts") continue; // the lab API's types are the course's
      let code: string;
      try {
        code = await compile(readFileSync(join(sub.dir!, f), "utf8"), f);
      } catch (e) {
        const first = ((e as { errors?: Array<{ text: string; location?: { line: number; column: number } }> }).errors ?? [])[0];
        const where = first?.location ? `${f}:${first.location.line}:${first.location.column}` : f;
        throw new BuildError(`${where}: ${first?.text ?? (e as Error).message} (the file does not compile)`);
      }
      write(at, code);
    }
    writeFileSync(join(dir, "package.json"), '{ "type": "module", "private": true }\n');
    symlinkSync(join(COURSE_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    return {
      dir,
      worker: join(dir, "src/cli/worker-process.js"),
      impl: join(dir, jsName(courseEntry(sub))),
      readable: [dir, join(COURSE_ROOT, "node_modules")],
      mapMessage: messageMapper(dir, sub),
      remove,
    };
  } catch (e) {
    remove();
    throw e;
  }
}
