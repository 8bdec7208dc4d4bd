// Leaves a detached child process that rewrites the report after the grader has exited.
// Expected: child processes are refused in a contained worker; Make throws; 0 points, and the
// target file is never written.
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MakeFn } from "../../src/raft/api.ts";
import { deadRaft } from "./grade-dead.ts";

export const TARGET = join(tmpdir(), "raftlab-hostile-detached.json");

export const Make: MakeFn = () => {
  const script = `require("fs").writeFileSync(${JSON.stringify(TARGET)}, '{"score":100}')`;
  spawn(process.execPath, ["-e", script], { detached: true, stdio: "ignore" }).unref();
  return deadRaft();
};
