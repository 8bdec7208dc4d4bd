// What a user types, checked at the door: every command (and `make partX`, through
// vitest.config.ts) parses seeds, counts, lists and paths with these, so that bad input gets
// one sentence and exit status 2 before any work is done, and the same input means the same
// thing everywhere. Each parser throws UsageError with a sentence that names the flag.
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Topic } from "../sim/index.ts";
import { UsageError } from "./catalog.ts";

/**
 * How many seeds one command runs. Every finished run's result stays in memory until the
 * table and the reports are written, and the job list is built up front; 10,000 seeds of all
 * 28 tests is 280,000 runs (about 40 minutes on 2 cores). For more, run consecutive --base
 * ranges, or grade in shards (--shard i/N) and merge.
 */
export const MAX_SEEDS = 10_000;

/** A seed is an integer whose every value replays: JavaScript's safe integers. */
const SEED_LIMIT = Number.MAX_SAFE_INTEGER;

/** How a value was given, for messages: `--seed 7x`, `SEED=7x`, `--peers ""`. */
function given(what: string, v: string): string {
  const shown = /^[^\s"']+$/.test(v) ? v : JSON.stringify(v);
  return what.endsWith("=") ? `${what}${shown}` : `${what} ${shown}`;
}

/**
 * A seed in canonical form: the decimal integer without leading zeros or "+", so that
 * `--seed 007`, `SEED=7` and `--seed 7` are the same run (the simulator seeds its random
 * streams from this text).
 */
export function parseSeed(v: string, what = "--seed"): string {
  const s = v.trim();
  if (!/^[+-]?\d+$/.test(s)) throw new UsageError(`${given(what, v)}: a seed is an integer, as printed by a failing run`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${given(what, v)}: a seed is at most ${SEED_LIMIT} in size`);
  return String(n === 0 ? 0 : n);
}

/** `count` consecutive seeds from `base`, every one of them a valid seed. */
export function seedRange(base: string, count: number, what = "--base"): string[] {
  const b = Number(parseSeed(base, what));
  if (!Number.isSafeInteger(b + (count - 1))) throw new UsageError(`${given(what, base)}: the last of ${count} seeds would pass ${SEED_LIMIT}`);
  return Array.from({ length: count }, (_, i) => String(b + i));
}

/** A whole number in [min, max], e.g. --seeds, --workers, --watchdog. */
export function parseCount(name: string, v: string, min = 1, max = Number.MAX_SAFE_INTEGER, why = ""): number {
  const s = v.trim();
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${name} must be a whole number of at least ${min}`);
  if (n > max) throw new UsageError(`${given(name, v)}: at most ${max}${why ? ` (${why})` : ""}`);
  return n;
}

/** A commander argParser for parseCount. */
export function countArg(name: string, min = 1, max = Number.MAX_SAFE_INTEGER, why = ""): (v: string) => number {
  return (v) => parseCount(name, v, min, max, why);
}

export const seedsArg = countArg("--seeds", 1, MAX_SEEDS, "every run's result is kept in memory; run further --base ranges, or grade in shards, for more");

/** A commander argParser for seeds. */
export function seedArg(name: string): (v: string) => string {
  return (v) => parseSeed(v, name);
}

/** The seed of `make partX`: SEED from the environment, or undefined when not given. */
export function envSeed(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.SEED;
  if (v === undefined || v.trim() === "") return undefined;
  return parseSeed(v, "SEED=");
}

/** The trace topics `replay --log` can show. */
export const TOPICS: readonly Topic[] = ["election", "vote", "append", "commit", "persist", "snapshot", "apply", "rpc", "drop", "partition", "crash", "tester", "log", "violation"];

/** --topics a,b: a set of known topics. */
export function parseTopics(s: string): Set<string> {
  const set = new Set(s.split(",").map((x) => x.trim()).filter(Boolean));
  if (set.size === 0) throw new UsageError(`${given("--topics", s)}: name some of ${TOPICS.join(", ")}`);
  for (const t of set) if (!TOPICS.includes(t as Topic)) throw new UsageError(`--topics: unknown topic "${t}"; the topics are ${TOPICS.join(", ")}`);
  return set;
}

/** --peers 0,2: peer numbers, -1 being the tester and the network. Checked against the test later (checkPeers). */
export function parsePeers(s: string): Set<number> {
  const parts = s.split(",").map((x) => x.trim()).filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !/^-?\d+$/.test(p) || Number(p) < -1)) {
    throw new UsageError(`${given("--peers", s)}: expected peer numbers such as 0,2 (-1 is the tester and the network)`);
  }
  return new Set(parts.map(Number));
}

/** Every asked-for peer exists in a run of `peers` peers. */
export function checkPeers(asked: Set<number>, peers: number, test: string): void {
  const missing = [...asked].filter((p) => p >= peers);
  if (missing.length > 0) {
    throw new UsageError(`--peers: ${test} has peers 0..${peers - 1} (and -1, the tester and the network); there is no peer ${missing.join(", ")}`);
  }
}

/** --impl PATH: an existing file ("" stays the reference). */
export function implArg(v: string): string {
  if (v === "") return v;
  const p = resolve(v);
  if (!existsSync(p)) throw new UsageError(`--impl ${v}: no such file`);
  if (!statSync(p).isFile()) throw new UsageError(`--impl ${v}: not a file (give the module that exports Make, e.g. src/raft/index.ts)`);
  return v;
}

/** An output file (--html, --json, --junit): its folder exists, and it is not itself a folder. */
export function outputFileArg(flag: string): (v: string) => string {
  return (v) => {
    const p = resolve(v);
    const dir = dirname(p);
    if (!existsSync(dir)) throw new UsageError(`${flag} ${v}: the folder ${dir} does not exist`);
    if (!statSync(dir).isDirectory()) throw new UsageError(`${flag} ${v}: ${dir} is not a folder`);
    if (existsSync(p) && statSync(p).isDirectory()) throw new UsageError(`${flag} ${v}: is a folder; give a file name`);
    return v;
  };
}

/** An output folder that is created if missing (--results): not an existing file, nor inside one. */
export function outputDirArg(flag: string): (v: string) => string {
  return (v) => {
    let p = resolve(v);
    for (;;) {
      if (existsSync(p)) {
        if (!statSync(p).isDirectory()) throw new UsageError(`${flag} ${v}: ${p} is a file, not a folder`);
        return v;
      }
      const up = dirname(p);
      if (up === p) return v;
      p = up;
    }
  };
}
