// `make partX` runs this first: the student's src/raft is type-checked the way Go compiles
// before it tests. Type errors are printed and the tests do not run (exit 1), as with
// `go test` on code that does not compile.
import { typecheckRaftFolder } from "./typecheck.ts";

const started = Date.now();
const r = await typecheckRaftFolder();
if (r.skipped !== undefined) {
  process.stderr.write(`raftlab: src/raft was not type-checked: ${r.skipped}\n`);
} else if (r.errors.length > 0) {
  process.stderr.write(`${r.errors.join("\n")}\n\nsrc/raft does not type-check (${r.errors.length} error${r.errors.length === 1 ? "" : "s"}); fix ${r.errors.length === 1 ? "it" : "them"} and run the tests again.\n`);
  process.exitCode = 1;
} else if (process.env.RAFTLAB_TIMING === "1") {
  process.stderr.write(`src/raft type-checks (${Date.now() - started} ms)\n`);
}
