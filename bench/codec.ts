// The codec micro-benchmark (issue 10): the shapes Raft code persists and sends, encoded and
// decoded by labgob before this issue (bench/codec/labgob-before.ts, the codec at 248bbc1), the
// current labgob, msgpackr (alone, and after a validation walk that gives it labgob's
// guarantees), v8.serialize and JSON.
//
//   npx tsx bench/codec.ts          (part of make bench)
//
// Every codec runs on the same values, each in a fresh process of its own; each figure is the
// fastest of BENCH_REPEAT rounds (default 5) of a timed loop, after a warm-up, in CPU µs per
// operation. Asserts nothing, except that every codec gives back what it was given (a
// benchmark of a wrong answer is no benchmark).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import v8 from "node:v8";
import { Packr } from "msgpackr";
import * as before from "./codec/labgob-before.ts";
import * as labgob from "../src/labgob/index.ts";

const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? "5"));

interface Codec {
  name: string;
  encode(v: unknown): Uint8Array;
  decode(b: Uint8Array): unknown;
}

const packr = new Packr({ useRecords: false, moreTypes: false });
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/**
 * What msgpackr would need in front of it to keep labgob's guarantees: refuse what would be
 * dropped or changed (undefined, functions, symbols, non-finite numbers, class instances,
 * cycles, accessors, non-enumerable and symbol-keyed members). No path bookkeeping: on a
 * failure labgob itself would be asked for the message, so this is a lower bound.
 */
function validate(v: unknown, depth: number, stack: unknown[]): void {
  switch (typeof v) {
    case "number":
      if (!Number.isFinite(v)) throw new Error("non-finite");
      return;
    case "string":
    case "boolean":
      return;
    case "object": {
      if (v === null) return;
      const proto = Object.getPrototypeOf(v);
      if (proto === Uint8Array.prototype) return;
      if (depth > 64 || stack.includes(v)) throw new Error("cycle or too deep");
      stack.push(v);
      if (proto === Array.prototype) {
        const a = v as unknown[];
        for (let i = 0; i < a.length; i++) {
          if (a[i] === undefined) throw new Error("undefined");
          validate(a[i], depth + 1, stack);
        }
      } else if (proto === Object.prototype || proto === null) {
        if (Object.getOwnPropertySymbols(v).length !== 0) throw new Error("symbol key");
        for (const k of Object.getOwnPropertyNames(v)) {
          const d = Reflect.getOwnPropertyDescriptor(v, k)!;
          if (d.get !== undefined || d.set !== undefined || !d.enumerable) throw new Error("accessor or hidden");
          validate(d.value, depth + 1, stack);
        }
      } else {
        throw new Error("instance");
      }
      stack.pop();
      return;
    }
    default:
      throw new Error(typeof v);
  }
}

const codecs: Codec[] = [
  { name: "labgob before (248bbc1)", encode: (v) => before.encode(v, "state"), decode: (b) => before.decode(b) },
  { name: "labgob now", encode: (v) => labgob.encode(v, "state"), decode: (b) => labgob.decode(b) },
  { name: "msgpackr", encode: (v) => packr.pack(v), decode: (b) => packr.unpack(b) },
  { name: "msgpackr + validation", encode: (v) => { validate(v, 0, []); return packr.pack(v); }, decode: (b) => packr.unpack(b) },
  { name: "v8.serialize", encode: (v) => v8.serialize(v), decode: (b) => v8.deserialize(b) },
  { name: "JSON + TextEncoder", encode: (v) => textEncoder.encode(JSON.stringify(v)), decode: (b) => JSON.parse(textDecoder.decode(b)) },
];

// ---------------------------------------------------------------------------------------------
// Workloads: what a student-style Raft persists and sends.

/** A deterministic command mix: mostly small and large integers, every third a short string. */
function command(i: number): unknown {
  if (i % 3 === 0) return `cmd-${i}`;
  return i % 3 === 1 ? i : i * 7919;
}

function log(n: number): { Term: number; Command: unknown }[] {
  const entries: { Term: number; Command: unknown }[] = [{ Term: 0, Command: null }];
  for (let i = 1; i < n; i++) entries.push({ Term: 1 + (i >> 7), Command: command(i) });
  return entries;
}

/** The whole persisted state of a student-style Raft with 4000 entries. */
function persistedState(): unknown {
  return { CurrentTerm: 32, VotedFor: 2, Log: log(4000), LastIncludedIndex: 0, LastIncludedTerm: 0 };
}

interface Workload {
  name: string;
  /** The value to encode; `fresh` makes new objects every time (nothing can be remembered). */
  value: () => unknown;
  fresh: boolean;
  iterations: number;
}

const workloads: Workload[] = [
  { name: "persisted state, 4000 {Term, Command}", value: persistedState, fresh: false, iterations: 300 },
  { name: "the same, 50 distinct copies in turn (more than the codec remembers)", value: persistedState, fresh: true, iterations: 100 },
  { name: "AppendEntries args, 50 entries", value: () => ({ Term: 7, LeaderId: 1, PrevLogIndex: 950, PrevLogTerm: 7, Entries: log(51).slice(1), LeaderCommit: 948 }), fresh: false, iterations: 20_000 },
  { name: "RequestVote args", value: () => ({ Term: 7, CandidateId: 3, LastLogIndex: 1000, LastLogTerm: 7 }), fresh: false, iterations: 200_000 },
  { name: "InstallSnapshot args, 2 KB snapshot", value: () => ({ Term: 7, LeaderId: 1, LastIncludedIndex: 1000, LastIncludedTerm: 7, Data: Uint8Array.from({ length: 2048 }, (_, i) => (i * 31) & 0xff) }), fresh: false, iterations: 100_000 },
];

interface Figure {
  workload: string;
  codec: string;
  bytes: number;
  encodeUs: number;
  decodeUs: number;
}

/**
 * CPU µs per operation of `op`: the fastest of REPEAT timed rounds of `iterations` calls (the
 * least disturbed by other processes on a shared machine).
 */
function time(iterations: number, op: (i: number) => void): number {
  for (let i = 0; i < Math.min(iterations, 200); i++) op(i); // warm-up
  const rounds: number[] = [];
  for (let r = 0; r < REPEAT; r++) {
    // CPU time of this process, not wall time: on a shared machine the wall clock also counts
    // the time spent waiting for a core.
    const c0 = process.cpuUsage();
    for (let i = 0; i < iterations; i++) op(i);
    const c = process.cpuUsage(c0);
    rounds.push((c.user + c.system) / iterations);
  }
  return Math.min(...rounds);
}

let sink = 0;

/** msgpackr and v8.deserialize give Buffers for bytes: compare them as plain Uint8Arrays. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** One codec's figures on every workload (run in a process of its own: see codecFigures). */
function figuresOf(c: Codec, scale: number): Figure[] {
  const out: Figure[] = [];
  for (const w of workloads) {
    const iterations = Math.max(3, Math.round(w.iterations * scale));
    // For `fresh`, a pool of distinct copies made before timing (so making them is not timed).
    const pool = w.fresh ? Array.from({ length: Math.min(iterations, 50) }, w.value) : [w.value()];
    const bytes = c.encode(pool[0]);
    const back = c.decode(bytes);
    if (!isDeepStrictEqual(plain(back), pool[0]) && !c.name.startsWith("JSON")) {
      throw new Error(`${c.name} does not round-trip ${w.name}`);
    }
    const encodeUs = time(iterations, (i) => {
      sink += c.encode(pool[i % pool.length]).length;
    });
    const decodeUs = time(iterations, () => {
      sink += c.decode(bytes) === null ? 1 : 0;
    });
    out.push({ workload: w.name, codec: c.name, bytes: bytes.length, encodeUs, decodeUs });
  }
  if (sink === -1) console.log(sink);
  return out;
}

/**
 * Every codec's figures, each codec in a fresh process of its own. In one process, the codec
 * measured second inherits the first one's leftovers (the timing loop's shared type feedback,
 * the heap): measured when the decoder was compiled per shape, the current labgob decoded the 4000-entry state in 190-290 µs
 * alone and in 500-700 µs right after the old labgob's decode loop. A Raft run uses one codec,
 * so each is measured as it runs there.
 */
export function codecFigures(scale = 1): Figure[] {
  const self = fileURLToPath(import.meta.url);
  const perCodec = codecs.map((c, k) => {
    const json = execFileSync(process.execPath, [...process.execArgv, self, "--codec", String(k), "--scale", String(scale)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const figures = JSON.parse(json) as Figure[];
    if (figures.length !== workloads.length || figures.some((f) => f.codec !== c.name)) throw new Error(`bench/codec.ts: the child for ${c.name} gave unexpected figures`);
    return figures;
  });
  return workloads.flatMap((_, w) => perCodec.map((figures) => figures[w]!));
}

export function codecTable(figures: Figure[]): string {
  const lines: string[] = [];
  const fmt = (us: number): string => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));
  let current = "";
  for (const f of figures) {
    if (f.workload !== current) {
      current = f.workload;
      const base = figures.find((g) => g.workload === current && g.codec.startsWith("labgob before"))!;
      lines.push("", `${current}`, `  ${"codec".padEnd(24)} ${"bytes".padStart(7)} ${"encode µs".padStart(10)} ${"vs before".padStart(9)} ${"decode µs".padStart(10)} ${"vs before".padStart(9)}`);
      void base;
    }
    const base = figures.find((g) => g.workload === current && g.codec.startsWith("labgob before"))!;
    lines.push(`  ${f.codec.padEnd(24)} ${String(f.bytes).padStart(7)} ${fmt(f.encodeUs).padStart(10)} ${(base.encodeUs / f.encodeUs).toFixed(1).padStart(8)}× ${fmt(f.decodeUs).padStart(10)} ${(base.decodeUs / f.decodeUs).toFixed(1).padStart(8)}×`);
  }
  return lines.join("\n");
}

const codecArg = process.argv.indexOf("--codec");
if (codecArg >= 0) {
  const c = codecs[Number(process.argv[codecArg + 1])]!;
  const scaleArg = process.argv.indexOf("--scale");
  process.stdout.write(JSON.stringify(figuresOf(c, scaleArg >= 0 ? Number(process.argv[scaleArg + 1]) : 1)));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`codec micro-benchmark — node ${process.version}, CPU µs per operation, fastest of ${REPEAT} rounds`);
  console.log(codecTable(codecFigures(Number(process.env.BENCH_SCALE ?? "1"))));
}
