// Inside the sandbox realm: "the world" as the course's src/sim modules (time, rand,
// channel, cond, debug), compiled into the sandbox, see it. The bundler maps their import of
// ./world.ts to this file, so the same source runs on both sides of the boundary while the
// one real World stays outside: each port reaches it only through the host's narrow
// operations (numbers and strings in, numbers out), bound to one world by the host.
import { callOut } from "./outside.ts";

/** The host's operations on one World (main-realm functions; never handed to a submission). */
export interface WorldOps {
  now(): number;
  wakeAfter(ms: number, fn: () => void): void;
  wake(): void;
  spawn(name: string, fn: () => unknown): void;
  block(what: string): number;
  unblock(token: number): void;
  draw(stream: string, how: "float" | "intn" | "between" | "int", a: number, b: number): number;
  record(peer: number, topic: string, msg: string): void;
}

/** What the sandboxed sim modules call `world()`: the subset of World they use. */
export interface Port {
  readonly now: number;
  wakeAfter(ms: number, fn: () => void): void;
  wake(): void;
  spawn(name: string, fn: () => unknown): void;
  block(what: string): number;
  unblock(token: number): void;
  rng(stream: string): PortRng;
  record(peer: number, topic: string, msg: string, data?: unknown): void;
}

/** src/sim's Rng as Raft code uses it, drawing from the real world's stream of that name. */
export interface PortRng {
  float(): number;
  intn(n: number): number;
  between(lo: number, hi: number): number;
  int(): number;
}

let currentOps: () => WorldOps | null = () => null;
const ports = new WeakMap<WorldOps, Port>();

/** Set once by the kernel: how to find the running world's operations. */
export function setWorldSource(source: () => WorldOps | null): void {
  currentOps = source;
}

export function world(): Port {
  const p = maybeWorld();
  if (p === null) throw new Error("raftlab: no simulation is running (sim functions are only usable inside a test)");
  return p;
}

let lastOps: WorldOps | null = null;
let lastPort: Port | null = null;

export function maybeWorld(): Port | null {
  const ops = callOut(currentOps);
  if (ops === null) return null;
  if (ops === lastOps) return lastPort;
  let port = ports.get(ops);
  if (port === undefined) {
    port = makePort(ops);
    ports.set(ops, port);
  }
  lastOps = ops;
  lastPort = port;
  return port;
}

function makePort(ops: WorldOps): Port {
  const streams = new Map<string, PortRng>();
  return Object.freeze({
    get now(): number {
      return callOut(ops.now);
    },
    wakeAfter: (ms: number, fn: () => void): void => callOut(ops.wakeAfter, ms, fn),
    wake: (): void => callOut(ops.wake),
    spawn: (name: string, fn: () => unknown): void => callOut(ops.spawn, String(name), fn),
    block: (what: string): number => callOut(ops.block, String(what)),
    unblock: (token: number): void => callOut(ops.unblock, token),
    record: (peer: number, topic: string, msg: string): void => callOut(ops.record, Number(peer), String(topic), String(msg)),
    rng(stream: string): PortRng {
      const name = String(stream);
      let r = streams.get(name);
      if (r === undefined) {
        r = Object.freeze({
          float: (): number => callOut(ops.draw, name, "float", 0, 0),
          intn: (n: number): number => callOut(ops.draw, name, "intn", n, 0),
          between: (lo: number, hi: number): number => callOut(ops.draw, name, "between", lo, hi),
          int: (): number => callOut(ops.draw, name, "int", 0, 0),
        });
        streams.set(name, r);
      }
      return r;
    },
  });
}
