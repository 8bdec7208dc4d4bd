// Runs the raftlab command as a user does: a child process of bin/raftlab.mjs, without colour.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;

export function raftlab(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/raftlab.mjs"), ...args], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" }, timeout: 300_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
