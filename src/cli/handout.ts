// `raftlab handout --out DIR` (and `make handout`): writes the student skeleton. That is this
// repository's harness and tests as they are, with the reference Raft's marked solution code
// removed. What ships is decided by one table, HANDOUT_MANIFEST, below.
//
// Marker convention in src/raft/*.ts: a line holding only `// SOLUTION` + ` BEGIN (PartX)`
// (PartA..PartD) opens a region and a line holding only `// SOLUTION` + ` END` closes it.
// Regions do not nest. Each region, markers included, becomes one line
// `// Your code here (PartX)` at the indentation of its BEGIN marker.
//
// Note: this file ships in the handout too (the CLI imports it), so it never spells a marker
// out in one piece. A grep for the markers over a handout finds nothing.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import pc from "picocolors";

/** The repository this module belongs to (the one a handout is generated from by default). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

// ---- what ships -------------------------------------------------------------------------

export type HandoutAction =
  /** Copied with every solution region replaced by a `// Your code here (PartX)` line. */
  | "strip"
  /** Copied as it is. */
  | "copy"
  /** The repository's tsconfig.json with noUnusedLocals and noUnusedParameters off. */
  | "tsconfig"
  /** Written by the generator, not copied (the repository's own file, if any, stays home). */
  | "generate"
  /** Not shipped. */
  | "omit";

export interface HandoutRule {
  /** A path relative to the repository root; `*` stays within a folder, `**` spans folders. */
  path: string;
  action: HandoutAction;
  why: string;
}

/**
 * Everything the handout is made of. The first rule matching a file decides; a file no rule
 * matches is not shipped. Only the folders and files named by shipping rules are looked at,
 * so node_modules/, .git/, results/, docs/ and .ci/ are never even read; the omit rules for
 * them are there to say so.
 *
 * One rule is not a path: a file under tests/ that refers to a left-out file (an import, or a
 * relative path such as `new URL("./broken/x.ts", import.meta.url)`) is left out as well, and
 * so, in turn, is any file under tests/ that imports it.
 */
export const HANDOUT_MANIFEST: readonly HandoutRule[] = [
  // Junk that may sit inside a shipped folder.
  { path: "**/node_modules/**", action: "omit", why: "installed packages" },
  { path: "**/.DS_Store", action: "omit", why: "editor and OS litter" },
  { path: "**/*.log", action: "omit", why: "logs (as in .gitignore)" },
  // The reference Raft, minus its solution.
  { path: "src/raft/**/*.ts", action: "strip", why: "the reference Raft with its solution regions removed: the student's starting point" },
  { path: "src/**", action: "copy", why: "simulator, labgob, labrpc, persister, tester and the raftlab CLI" },
  // Tests: everything but what gives the solution away or tests this generator.
  { path: "tests/broken/**", action: "omit", why: "buggy Rafts: each one is a hint at the solution" },
  { path: "tests/broken*.test.ts", action: "omit", why: "the tests that run the buggy Rafts" },
  { path: "tests/handout.test.ts", action: "omit", why: "tests this generator (needs the reference solution)" },
  { path: "tests/grade*.test.ts", action: "omit", why: "tests the grader (grades the reference solution and hostile submissions)" },
  { path: "tests/hostile/**", action: "omit", why: "hostile submissions for the grader's and the sandbox's tests" },
  { path: "tests/confinement.test.ts", action: "omit", why: "tests the sandbox with the reference solution in other layouts" },
  { path: "tests/monitor.test.ts", action: "omit", why: "tests the monitor with variants of the reference solution" },
  { path: "tests/zombie.test.ts", action: "omit", why: "tests the zombie warnings with a variant of the reference solution" },
  { path: "tests/fixtures/zombie-heartbeat.ts", action: "omit", why: "a variant of the reference solution" },
  { path: "tests/**", action: "copy", why: "the PartA–PartD suites (tests/suites), their vitest wrappers and the unit tests" },
  { path: "bench/**", action: "copy", why: "simulator and network benchmarks (make bench)" },
  { path: "bin/**", action: "copy", why: "the raftlab command" },
  { path: "package.json", action: "copy", why: "dependencies and the raftlab bin" },
  { path: "package-lock.json", action: "copy", why: "the exact dependency versions (npm ci)" },
  { path: "Makefile", action: "copy", why: "make partA … make partD, make test, make run, make replay" },
  { path: "vitest.config.ts", action: "copy", why: "the test runner's configuration" },
  { path: ".gitignore", action: "copy", why: "keeps node_modules/ and results/ out of the student's repository" },
  { path: "tsconfig.json", action: "tsconfig", why: "the repository's, with noUnusedLocals/noUnusedParameters off: the skeleton has unused fields and imports until it is filled in" },
  { path: "README.md", action: "generate", why: "the student README: the lab API, the commands, where to write code" },
  // Never shipped (listed for the reader; these are never read).
  { path: "docs/**", action: "omit", why: "instructor-only documentation" },
  { path: ".ci/**", action: "omit", why: "this repository's CI" },
  { path: "results/**", action: "omit", why: "failing traces of local runs" },
  { path: ".git/**", action: "omit", why: "this repository's history (holds the solution)" },
  { path: "node_modules/**", action: "omit", why: "installed packages (the student runs npm ci)" },
];

const ruleRegexps = new Map<string, RegExp>();

function globRegExp(glob: string): RegExp {
  let re = ruleRegexps.get(glob);
  if (re === undefined) {
    let src = "";
    for (let i = 0; i < glob.length; i++) {
      const c = glob[i]!;
      if (c === "*" && glob[i + 1] === "*") {
        if (glob[i + 2] === "/") {
          src += "(?:.*/)?"; // `**/`: any number of folders, including none
          i += 2;
        } else {
          src += ".*";
          i += 1;
        }
      } else if (c === "*") {
        src += "[^/]*";
      } else {
        src += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
      }
    }
    re = new RegExp(`^${src}$`);
    ruleRegexps.set(glob, re);
  }
  return re;
}

/** The rule of HANDOUT_MANIFEST that decides the file `rel` (a path from the repository root, with /). */
export function handoutRuleFor(rel: string): HandoutRule | undefined {
  return HANDOUT_MANIFEST.find((r) => globRegExp(r.path).test(rel));
}

// ---- stripping the solution ---------------------------------------------------------------

const PARTS = ["PartA", "PartB", "PartC", "PartD"] as const;
// Spelled in pieces: see the note at the top of the file.
const MARK = "SOLUTION";
const BEGIN = `${MARK} BEGIN`;
const END = `${MARK} END`;
/** Any line that mentions a marker at all: it must then be a well-formed marker line. */
const MENTION = new RegExp(`${MARK}\\s+(BEGIN|END)\\b`);
const BEGIN_LINE = new RegExp(`^([ \\t]*)//\\s*${MARK}\\s+BEGIN\\s*\\(\\s*([^)]*?)\\s*\\)\\s*$`);
const END_LINE = new RegExp(`^[ \\t]*//\\s*${MARK}\\s+END(?:\\s*\\(\\s*([^)]*?)\\s*\\))?\\s*$`);

/** A solution marker out of place; the message starts with `file:line:`. */
export class SolutionMarkerError extends Error {
  override name = "SolutionMarkerError";
  constructor(readonly file: string, readonly line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
  }
}

function checkPart(part: string, file: string, line: number, marker: string): void {
  if (!(PARTS as readonly string[]).includes(part)) {
    throw new SolutionMarkerError(file, line, `unknown part "${part}" in ${marker} (expected ${PARTS.join(", ")})`);
  }
}

/**
 * Replaces every solution region of `source` (markers included) by one line
 * `// Your code here (PartX)` at the BEGIN marker's indentation. `file` names the source in
 * errors, which say file:line: a malformed marker, an unknown part, a BEGIN inside a region,
 * an END without BEGIN, an END naming another part than its BEGIN, a BEGIN never closed.
 */
export function stripSolutions(source: string, file: string): { text: string; regions: number } {
  const lines = source.split("\n");
  const out: string[] = [];
  let open: { line: number; part: string } | undefined;
  let regions = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const cr = raw.endsWith("\r") ? "\r" : "";
    const line = cr ? raw.slice(0, -1) : raw;
    const n = i + 1;
    const mention = MENTION.exec(line);
    if (mention === null) {
      if (open === undefined) out.push(raw);
      continue;
    }
    if (mention[1] === "BEGIN") {
      const m = BEGIN_LINE.exec(line);
      if (m === null) {
        throw new SolutionMarkerError(file, n, `malformed marker: expected a line holding only "// ${BEGIN} (PartX)"`);
      }
      const part = m[2]!;
      checkPart(part, file, n, `// ${BEGIN} (${part})`);
      if (open !== undefined) {
        throw new SolutionMarkerError(file, n,
          `nested ${BEGIN} (${part}): the region opened at line ${open.line} (${open.part}) has no ${END} yet; regions do not nest`);
      }
      open = { line: n, part };
      out.push(`${m[1]!}// Your code here (${part})${cr}`);
      continue;
    }
    const m = END_LINE.exec(line);
    if (m === null) {
      throw new SolutionMarkerError(file, n, `malformed marker: expected a line holding only "// ${END}"`);
    }
    if (open === undefined) throw new SolutionMarkerError(file, n, `${END} without ${BEGIN}`);
    const part = m[1];
    if (part !== undefined) {
      checkPart(part, file, n, `// ${END} (${part})`);
      if (part !== open.part) {
        throw new SolutionMarkerError(file, n, `${END} (${part}) closes the ${open.part} region opened at line ${open.line}`);
      }
    }
    open = undefined;
    regions++;
  }
  if (open !== undefined) {
    throw new SolutionMarkerError(file, open.line, `unbalanced markers: ${BEGIN} (${open.part}) has no ${END}`);
  }
  return { text: out.join("\n"), regions };
}

// ---- planning ------------------------------------------------------------------------------

/** A problem with the repository that stops the handout (nothing has been written). */
export class HandoutError extends Error {
  override name = "HandoutError";
}

export interface HandoutFile {
  /** Path inside the handout (and the repository), with /. */
  rel: string;
  action: Exclude<HandoutAction, "omit">;
  /** The file to copy (action "copy"). */
  from?: string;
  /** The content to write (every other action). */
  text?: string;
  /** Permission bits to give the written file. */
  mode: number;
  /** Solution regions removed (action "strip"). */
  regions?: number;
}

export interface HandoutPlan {
  root: string;
  files: HandoutFile[];
  /** Files inside the shipped folders that are left out, and why. */
  omitted: Array<{ rel: string; why: string }>;
  /** Solution regions removed, over all stripped files. */
  regions: number;
}

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join("/");
}

/** Every file under `dir` (following no symlinked folders), as absolute paths, sorted. */
function walk(dir: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...walk(p));
    else if (e.isFile()) files.push(p);
    else if (e.isSymbolicLink()) {
      try {
        if (statSync(p).isFile()) files.push(p);
      } catch {
        // a dangling link: nothing to ship
      }
    }
  }
  return files;
}

/** The first path segment of every rule that ships something: where to look for files. */
function shippedTops(): string[] {
  const tops = new Set<string>();
  for (const r of HANDOUT_MANIFEST) {
    if (r.action === "omit" || r.action === "generate") continue;
    tops.add(r.path.split("/")[0]!);
  }
  return [...tops];
}

const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(["'])([^"'\n]+)\1/g;
const RELATIVE_STRING = /(["'`])(\.{1,2}\/[^"'`\n]*)\1/g;
const SCRIPT = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

/** Files (relative to root) that `rel` imports statically or dynamically by a relative path. */
function importsOf(rel: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(IMPORT_SPECIFIER)) {
    const spec = m[2]!;
    if (spec.startsWith("./") || spec.startsWith("../")) found.push(resolveRel(rel, spec));
  }
  return found;
}

/** Every relative path string in `text` (imports, `new URL("./x", import.meta.url)`, template prefixes). */
function pathsMentionedBy(rel: string, text: string): string[] {
  return [...text.matchAll(RELATIVE_STRING)].map((m) => resolveRel(rel, m[2]!));
}

function resolveRel(fromRel: string, spec: string): string {
  const parts = fromRel.split("/").slice(0, -1);
  for (const seg of spec.split("/")) {
    if (seg === "." || seg === "") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return parts.join("/");
}

function isOmittedPath(target: string, omittedSet: Set<string>): boolean {
  if (omittedSet.has(target)) return true;
  // The path itself, or anything in it if it names a folder ("./broken/" → tests/broken).
  if (handoutRuleFor(target)?.action === "omit" || handoutRuleFor(`${target}/x`)?.action === "omit") return true;
  // A folder holding left-out files (e.g. "tests/broken" from "./broken/").
  const prefix = target.endsWith("/") ? target : `${target}/`;
  for (const o of omittedSet) if (o.startsWith(prefix)) return true;
  return false;
}

/** Turns the repository's tsconfig into the handout's: unused locals and parameters allowed. */
export function handoutTsconfig(text: string): string {
  let config: { compilerOptions?: Record<string, unknown> };
  try {
    config = JSON.parse(text) as typeof config;
  } catch (e) {
    throw new HandoutError(`tsconfig.json: cannot parse it as JSON (${(e as Error).message})`);
  }
  config.compilerOptions = { ...(config.compilerOptions ?? {}), noUnusedLocals: false, noUnusedParameters: false };
  // Keep the file as written where possible: flip the two flags in place.
  let edited = text;
  for (const key of ["noUnusedLocals", "noUnusedParameters"]) {
    const re = new RegExp(`("${key}"\\s*:\\s*)(true|false)`);
    if (re.test(edited)) edited = edited.replace(re, "$1false");
    else edited = edited.replace(/("compilerOptions"\s*:\s*\{)(\s*)/, `$1$2"${key}": false,$2`);
  }
  try {
    const back = JSON.parse(edited) as typeof config;
    if (back.compilerOptions?.noUnusedLocals === false && back.compilerOptions.noUnusedParameters === false) return edited;
  } catch {
    // fall through to a clean rewrite
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Decides every file of the handout and computes the stripped ones, touching nothing.
 * Throws SolutionMarkerError or HandoutError.
 */
export function planHandout(root: string = REPO_ROOT): HandoutPlan {
  root = resolve(root);
  const candidates: Array<{ rel: string; abs: string; rule: HandoutRule }> = [];
  const omitted: Array<{ rel: string; why: string }> = [];
  for (const top of shippedTops()) {
    const abs = join(root, top);
    if (!existsSync(abs)) {
      if (top === "src" || top === "tests" || top === "package.json" || top === "tsconfig.json") {
        throw new HandoutError(`${top} is missing from ${root}: is this the raftlab repository?`);
      }
      continue; // an optional folder or file (bench/, .gitignore …) that does not exist yet
    }
    const files = statSync(abs).isDirectory() ? walk(abs) : [abs];
    for (const f of files) {
      const rel = toRel(root, f);
      const rule = handoutRuleFor(rel);
      if (rule === undefined) continue; // no rule: not shipped, and not worth mentioning
      if (rule.action === "omit") omitted.push({ rel, why: rule.why });
      else candidates.push({ rel, abs: f, rule });
    }
  }

  // Tests that refer to left-out files go too, and then the tests importing those, and so on.
  const texts = new Map<string, string>();
  const textOf = (c: { rel: string; abs: string }): string => {
    let t = texts.get(c.rel);
    if (t === undefined) {
      t = readFileSync(c.abs, "utf8");
      texts.set(c.rel, t);
    }
    return t;
  };
  const omittedSet = new Set(omitted.map((o) => o.rel));
  let kept = candidates;
  for (let changed = true; changed;) {
    changed = false;
    const next: typeof kept = [];
    for (const c of kept) {
      if (c.rel.startsWith("tests/") && SCRIPT.test(c.rel)) {
        const text = textOf(c);
        const bad = [...importsOf(c.rel, text), ...pathsMentionedBy(c.rel, text)].find((t) => isOmittedPath(t, omittedSet));
        if (bad !== undefined) {
          omitted.push({ rel: c.rel, why: `refers to ${bad}, which is left out` });
          omittedSet.add(c.rel);
          changed = true;
          continue;
        }
      }
      next.push(c);
    }
    kept = next;
  }

  // Anything else that imports a left-out file would not even compile in the handout.
  for (const c of kept) {
    if (!SCRIPT.test(c.rel) || c.rel.startsWith("tests/")) continue;
    const bad = importsOf(c.rel, textOf(c)).find((t) => isOmittedPath(t, omittedSet));
    if (bad !== undefined) {
      throw new HandoutError(`${c.rel} imports ${bad}, which the handout leaves out; the handout would not compile`);
    }
  }

  const files: HandoutFile[] = [];
  let regions = 0;
  for (const c of kept) {
    const mode = statSync(c.abs).mode & 0o777;
    switch (c.rule.action) {
      case "strip": {
        const r = stripSolutions(textOf(c), c.rel);
        regions += r.regions;
        files.push({ rel: c.rel, action: "strip", text: r.text, mode, regions: r.regions });
        break;
      }
      case "tsconfig":
        files.push({ rel: c.rel, action: "tsconfig", text: handoutTsconfig(textOf(c)), mode });
        break;
      default:
        files.push({ rel: c.rel, action: "copy", from: c.abs, mode });
    }
  }

  // A marker anywhere else would ship a solution region as it is.
  const markerLine = new RegExp(`^[ \\t]*//\\s*${MARK}\\s+(?:BEGIN|END)\\b`, "m");
  for (const f of files) {
    if (f.action !== "copy" || !SCRIPT.test(f.rel)) continue;
    const text = textOf({ rel: f.rel, abs: f.from! });
    if (markerLine.test(text)) {
      const line = text.slice(0, text.search(markerLine)).split("\n").length;
      throw new HandoutError(`${f.rel}:${line}: a solution marker outside src/raft; only src/raft/**/*.ts is stripped, so this region would ship as it is`);
    }
  }
  if (regions === 0) {
    throw new HandoutError(`src/raft has no solution regions (no "// ${BEGIN} (PartX)" lines): the handout would give the whole solution away`);
  }

  files.push({ rel: "README.md", action: "generate", text: studentReadme(files), mode: 0o644 });
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  omitted.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { root, files, omitted, regions };
}

// ---- the student README --------------------------------------------------------------------

function studentReadme(files: readonly HandoutFile[]): string {
  const placeholders = files
    .filter((f) => f.action === "strip")
    .map((f) => {
      const parts = [...new Set([...f.text!.matchAll(/\/\/ Your code here \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(/\s*,\s*/)))]
        .filter((p) => (PARTS as readonly string[]).includes(p))
        .sort();
      return { rel: f.rel, parts };
    });
  const table = placeholders
    .filter((p) => p.parts.length > 0)
    .map((p) => `| \`${p.rel}\` | ${p.parts.join(", ")} |`)
    .join("\n");
  return `# The Raft lab (MIT 6.5840, parts A–D) in TypeScript

You implement Raft in \`src/raft/\`. Everything else — a deterministic simulator with
virtual time, a simulated network (\`labrpc\`) that delays, drops, reorders and partitions,
a \`Persister\`, and the tester with MIT's 28 tests — is given. Every run is a pure function
of (your code, the test, the seed), so any failure replays exactly.

## Getting started

Node 20 or newer (with its \`npm\`) and GNU \`make\`. \`make test\` also drives Chromium for
the timeline's browser test (\`apt-get install chromium\`); without it those tests are skipped
with one loud line.

\`\`\`sh
npm ci          # once (every make target also does it when needed)
make partA      # PartA's tests; fail until you fill in src/raft
\`\`\`

## The lab API

It mirrors MIT's names on purpose, so the MIT handout and the course notes read verbatim.

\`\`\`ts
interface ApplyMsg {
  CommandValid: boolean; Command: unknown; CommandIndex: number;
  SnapshotValid: boolean; Snapshot: Uint8Array; SnapshotTerm: number; SnapshotIndex: number;
}
function Make(peers: ClientEnd[], me: number, persister: Persister,
              applyCh: Channel<ApplyMsg>): Raft;
interface Raft {
  Start(command: unknown): [index: number, term: number, isLeader: boolean];
  GetState(): [term: number, isLeader: boolean];
  Snapshot(index: number, snapshot: Uint8Array): void;
  Kill(): void;
}
\`\`\`

- RPC handlers are methods of the Raft object (\`RequestVote(args, reply)\`,
  \`AppendEntries\`, \`InstallSnapshot\`), sync or async. A peer calls
  \`await peers[i].Call("Raft.RequestVote", args, reply)\`, which resolves to \`true\` with
  \`reply\` filled in, or \`false\` after a loss or timeout, exactly as in Go.
- Take time and randomness from \`src/sim\`, never from the platform (no \`setTimeout\`,
  \`Date\`, \`performance.now\` or \`Math.random\`): \`sleep(ms)\` and \`now()\` (virtual ms),
  \`randomInt(lo, hi)\` (both ends included), \`random()\` in [0, 1), or a stream of your own,
  \`rng(name).between(lo, hi)\`, \`go(name, fn)\` to start a background task, \`Cond\` (a condition variable), \`DPrintf(me, format, ...)\` for the trace.
- \`applyCh\` is unbuffered, like Go's: a send completes when the tester takes the message.
- JavaScript runs one task at a time and switches only at \`await\`: code between two awaits
  needs no lock, but after an \`await\` anything may have changed (term, role, log, whether
  you were killed). Re-check before acting on a reply.
- RPC arguments and replies are plain objects (numbers, strings, booleans, arrays,
  \`Uint8Array\`, plain objects), copied by \`labgob\` like Go's gob.
- Optional: \`inspect()\` (see \`src/raft/api.ts\`) lets the tester's invariant monitor also
  check Log Matching and Leader Completeness on your logs.

## Where to write code

In \`src/raft/\`. \`src/raft/index.ts\` must export \`Make\`; \`src/raft/api.ts\` holds the
lab API's types. Look for \`// Your code here (PartX)\`:

| file | placeholders for |
|---|---|
${table}

You may reorganise \`src/raft/\` as you like, as long as \`src/raft/index.ts\` exports
\`Make\`. Leave the rest of the repository as it is: grading runs your \`src/raft\` against
the course's own copy of the tester.

## Running the tests

\`\`\`sh
make partA          # … make partB, make partC, make partD: one part's MIT tests
make partB SEED=42  # a fixed seed (otherwise one is drawn and printed)
make test           # type-check, unit tests and all 28 tests
\`\`\`

A failure names the test, what went wrong, the virtual time, the seed, and the command that
replays it exactly.

\`\`\`sh
npx raftlab list                                   # the 28 tests
npx raftlab run --part A --seeds 50                # many seeds in parallel, a per-test table
npx raftlab run --test Backup --seeds 200          # tests whose name matches
npx raftlab replay TestBackupPartB --seed 42 --log           # per-peer log columns (DPrintf)
npx raftlab replay TestBackupPartB --seed 42 --html run.html # a timeline in your browser
npx raftlab replay TestBackupPartB --seed 42 --check         # is your code deterministic?
\`\`\`

Each command has \`--help\`. Failing traces of \`raftlab run\` go to \`results/\`.
`;
}

// ---- writing ---------------------------------------------------------------------------------

/** Writes a plan into `out` (created if needed). Existing files of the same names are replaced. */
export function writeHandout(plan: HandoutPlan, out: string): void {
  mkdirSync(out, { recursive: true });
  for (const f of plan.files) {
    const dest = join(out, ...f.rel.split("/"));
    mkdirSync(dirname(dest), { recursive: true });
    if (f.action === "copy") copyFileSync(f.from!, dest);
    else writeFileSync(dest, f.text!);
    chmodSync(dest, f.mode);
  }
}

function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    // Not there yet: resolve the nearest existing ancestor, so symlinks above it count.
    const parent = dirname(p);
    return parent === p ? p : join(realOrResolved(parent), p.slice(parent.length + 1));
  }
}

function isInside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === "" || (!r.startsWith("..") && !r.startsWith(sep) && !/^[a-zA-Z]:/.test(r));
}

/** Why the handout cannot go to `out`, or undefined if it can. */
function outProblem(root: string, out: string, force: boolean): string | undefined {
  const realRoot = realOrResolved(root);
  const realOut = realOrResolved(out);
  if (realOut === realRoot) return `--out ${out} is this repository itself: the handout would overwrite the reference solution`;
  for (const top of shippedTops()) {
    if (isInside(realOut, join(realRoot, top))) return `--out ${out} is inside ${top}, which the handout copies from; choose a folder elsewhere`;
  }
  if (!existsSync(out)) return undefined;
  if (!statSync(out).isDirectory()) return `--out ${out} exists and is not a folder`;
  if (readdirSync(out).length > 0 && !force) {
    return `--out ${out} is not empty; choose a new folder, or pass --force to write into it (files of the same names are replaced, nothing is deleted)`;
  }
  return undefined;
}

function countBy(omitted: HandoutPlan["omitted"]): string[] {
  // Group left-out files by their folder when a whole folder goes, e.g. "tests/broken/ (12 files)".
  const groups = new Map<string, number>();
  for (const o of omitted) {
    const rule = handoutRuleFor(o.rel);
    const key = rule?.action === "omit" && rule.path.endsWith("/**") ? `${rule.path.slice(0, -2)}` : o.rel;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([k, n]) => (k.endsWith("/") ? `${k} (${n} file${n === 1 ? "" : "s"})` : k));
}

export interface HandoutOptions {
  out: string;
  force?: boolean;
  /** The repository to generate from (default: the one this module belongs to). */
  root?: string;
}

/**
 * `raftlab handout --out DIR [--force]`. Returns the exit status: 0 written, 1 a problem in the
 * repository (a misplaced marker, a shipped file importing a left-out one), 2 a problem with
 * DIR. Nothing is written unless the whole handout could be prepared.
 */
export async function handoutCommand(opts: HandoutOptions): Promise<number> {
  const root = resolve(opts.root ?? REPO_ROOT);
  const out = resolve(opts.out);
  const say = (s: string) => process.stderr.write(`raftlab handout: ${s}\n`);
  const problem = outProblem(root, out, opts.force ?? false);
  if (problem !== undefined) {
    say(problem);
    return 2;
  }
  let plan: HandoutPlan;
  try {
    plan = planHandout(root);
  } catch (e) {
    if (e instanceof SolutionMarkerError || e instanceof HandoutError) {
      say(`${e.message}\nnothing was written.`);
      return 1;
    }
    throw e;
  }
  try {
    writeHandout(plan, out);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code === "string") {
      say(`cannot write to ${out}: ${err.message}`);
      return 1;
    }
    throw e;
  }

  const stripped = plan.files.filter((f) => f.action === "strip");
  const fromCwd = relative(process.cwd(), out);
  const shown = fromCwd === "" ? "." : fromCwd.startsWith("..") ? out : fromCwd;
  const lines = [
    `${pc.green("handout written")} to ${shown}/: ${plan.files.length} files`,
    `  src/raft: ${plan.regions} solution region${plan.regions === 1 ? "" : "s"} removed from ${stripped.filter((f) => f.regions! > 0).length} of ${stripped.length} files`,
  ];
  if (plan.omitted.length > 0) lines.push(`  left out: ${countBy(plan.omitted).join(", ")}`);
  lines.push(`  not shipped: docs/, .ci/, results/, .git/, node_modules/`);
  lines.push(`next: cd ${shown} && npm ci && make partA   (its tests fail until src/raft is filled in)`);
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
