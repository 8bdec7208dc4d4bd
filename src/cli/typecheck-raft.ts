// `make partX` runs this first: the student's src/raft is type-checked the way Go compiles
// before it tests. Type errors are printed and the tests do not run (exit 1), as with
// `go test` on code that does not compile.
//
// The check takes a few seconds (loading the compiler and Node's types), so a clean result
// is remembered by a hash of what it depends on (every file under src/, tsconfig.json and
// the compiler's version): running the tests again without an edit skips it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { COURSE_ROOT } from "./submission.ts";
import { envSeed } from "./args.ts";
import { UsageError } from "./catalog.ts";
import { typecheckRaftFolder } from "./typecheck.ts";

// What `make partX` reads from the environment is checked at the door, before the type check.
try {
  envSeed();
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`raftlab: ${e.message}\n`);
  process.exit(2);
}

const STAMP = join(COURSE_ROOT, "node_modules/.cache/raftlab/typecheck-raft.sha256");

function inputsHash(): string {
  const h = createHash("sha256");
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.m?ts$/.test(name)) h.update(`${p}\0`).update(readFileSync(p)).update("\0");
    }
  };
  walk(join(COURSE_ROOT, "src"));
  for (const f of ["tsconfig.json", "node_modules/typescript/package.json"]) {
    const p = join(COURSE_ROOT, f);
    if (existsSync(p)) h.update(readFileSync(p));
  }
  return h.digest("hex");
}

const hash = inputsHash();
if (!existsSync(STAMP) || readFileSync(STAMP, "utf8") !== hash) {
  const started = Date.now();
  const r = await typecheckRaftFolder();
  if (r.skipped !== undefined) {
    process.stderr.write(`raftlab: src/raft was not type-checked: ${r.skipped}\n`);
  } else if (r.errors.length > 0) {
    process.stderr.write(`${r.errors.join("\n")}\n\nsrc/raft does not type-check (${r.errors.length} error${r.errors.length === 1 ? "" : "s"}); fix ${r.errors.length === 1 ? "it" : "them"} and run the tests again.\n`);
    process.exitCode = 1;
  } else {
    mkdirSync(dirname(STAMP), { recursive: true });
    writeFileSync(STAMP, hash);
    if (process.env.RAFTLAB_TIMING === "1") process.stderr.write(`src/raft type-checks (${Date.now() - started} ms)\n`);
  }
}
