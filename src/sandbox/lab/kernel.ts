// Inside the sandbox realm: the first code that runs there, before any submission code. It
// takes the platform's clocks, timers and randomness away (each use fails the run with one
// sentence naming the lab's replacement), freezes every intrinsic of the realm, and builds
// the objects a submission is handed: the lab API modules and the facades of Make's
// arguments. The host's functions it is given live only in closures here; what it returns
// to the host and what it hands a submission are objects of this realm, frozen.
import "./text.ts"; // first: labgob makes its TextEncoder when it loads
import * as labgob from "../../labgob/index.ts";
import { callOut } from "./outside.ts";
import { setWorldSource, type WorldOps } from "./port.ts";
import * as sim from "./sim.ts";
import { setTextHost, type TextHost } from "./text.ts";

/** What the host gives the kernel (host-realm functions). */
export interface Host {
  /** The running world's operations, or null between runs. */
  world(): WorldOps | null;
  /** Fails the running run (if any) with this sentence. */
  fail(sentence: string): void;
  /** One line of the submission's console output. */
  print(level: string, line: string): void;
  /** UTF-8 for the sandbox's TextEncoder and TextDecoder. */
  text: TextHost;
}

/** ClientEnd.Call, as the host carries it out; `done` and `fail` are this realm's. */
export type CallOut = (svcMeth: string, args: unknown, reply: unknown, done: (ok: boolean) => void, fail: (msg: string) => void) => void;

export interface PersisterOps {
  save(raftstate: unknown, snapshot: unknown): void;
  readRaftState(): Uint8Array;
  readSnapshot(): Uint8Array;
  raftStateSize(): number;
  snapshotSize(): number;
  copy(): PersisterOps;
}

export interface ChannelOps {
  send(value: unknown, done: () => void, fail: (msg: string) => void): void;
  recv(done: (ok: boolean, value: unknown) => void): void;
  close(): void;
  closed(): boolean;
  length(): number;
  capacity: number;
  name: string;
}

/** What the kernel gives the host. */
export interface KernelApi {
  require(specifier: string): unknown;
  newModule(): { exports: Record<string, unknown> };
  makeEnds(calls: readonly CallOut[]): unknown[];
  makePersister(ops: PersisterOps): unknown;
  makeChannel(ops: ChannelOps): unknown;
  /** A copy, made of this realm's objects, of plain data from the host (decoded args, commands, snapshots). */
  intoRealm(value: unknown): unknown;
  newReply(): Record<string, unknown>;
  /** Network's fillReply on this side: the caller's reply object gets exactly the server's reply. */
  fillReply(reply: unknown, decoded: Record<string, unknown>): void;
  /** Calls ok() or err(reason) when this realm's promise settles (with the realm's own then). */
  adopt(promise: unknown, ok: () => void, err: (reason: unknown) => void): void;
  readonly protos: { object: object; array: object; bytes: object };
}

// Intrinsics, captured before anything else can run here.
const { freeze, defineProperty, getPrototypeOf, getOwnPropertyDescriptor, keys } = Object;
const { ownKeys, apply } = Reflect;
const promiseThen = Promise.prototype.then;
const isArray = Array.isArray;
const LocalPromise = Promise;
const LocalError = Error;
const LocalUint8Array = Uint8Array;
const LocalProxy = Proxy;
const isView = ArrayBuffer.isView;
const typedArrayTag = getOwnPropertyDescriptor(getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag)!.get!;

const MAX_COPY_DEPTH = 100;

function isBytes(v: object): boolean {
  return isView(v) && apply(typedArrayTag, v, []) === "Uint8Array";
}

function intoRealm(v: unknown, depth = 0): unknown {
  if (typeof v === "function") throw new TypeError("raftlab: a function cannot be handed to a submission");
  if (typeof v !== "object" || v === null) return v;
  if (depth > MAX_COPY_DEPTH) throw new TypeError(`raftlab: a value nested deeper than ${MAX_COPY_DEPTH} levels cannot be handed to a submission`);
  if (isBytes(v)) return new LocalUint8Array(v as Uint8Array);
  if (isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) if (i in v) out[i] = intoRealm(v[i], depth + 1);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys(v)) setKey(out, k, intoRealm((v as Record<string, unknown>)[k], depth + 1));
  return out;
}

/** out[k] = value, except that a key "__proto__" is an own property, not the prototype. */
function setKey(out: Record<string, unknown>, k: string, value: unknown): void {
  if (k === "__proto__") defineProperty(out, k, { value, writable: true, enumerable: true, configurable: true });
  else out[k] = value;
}

function fillReply(reply: unknown, decoded: Record<string, unknown>): void {
  const target = reply as Record<string, unknown>;
  for (const k of keys(target)) delete target[k];
  for (const k of keys(decoded)) setKey(target, k, intoRealm(decoded[k]));
}

/** Freezes everything reachable from `roots`: values, accessors and prototypes. */
function harden<T>(...roots: unknown[]): T {
  const stack = [...roots];
  // Left unfrozen: the global (see lockGlobals), and RegExp.prototype, whose freezing takes
  // every regular expression off V8's fast path (measured: 4x on formatGo). Patching it
  // changes only what this realm's own code computes.
  const seen = new Set<unknown>([globalThis, RegExp.prototype]);
  while (stack.length > 0) {
    const o = stack.pop();
    if ((typeof o !== "object" && typeof o !== "function") || o === null || seen.has(o)) continue;
    seen.add(o);
    freeze(o);
    stack.push(getPrototypeOf(o));
    for (const k of ownKeys(o)) {
      const d = getOwnPropertyDescriptor(o, k);
      if (d === undefined) continue;
      if ("value" in d) stack.push(d.value);
      else stack.push(d.get, d.set);
    }
  }
  return roots[0] as T;
}

/**
 * Assigning a property that an object inherits read-only fails ("the override mistake"): with
 * Object.prototype frozen, `args.toString = f` would throw. These properties, the ones code
 * commonly overrides by assignment, become accessors whose setter defines the property on
 * the object assigned to, as assignment did before the freeze (SES's "moderate" taming).
 */
function enableOverrides(): void {
  const errorProtos = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError].map((E) => E.prototype);
  const targets: Array<[object, readonly string[]]> = [
    [Object.prototype, ["constructor", "toString", "toLocaleString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"]],
    [Function.prototype, ["constructor", "toString", "call", "apply", "bind"]],
    [Array.prototype, ["toString"]],
    ...errorProtos.map((p): [object, readonly string[]] => [p, ["constructor", "name", "message", "toString"]]),
  ];
  for (const [proto, names] of targets) {
    for (const name of names) {
      const d = getOwnPropertyDescriptor(proto, name);
      if (d === undefined || !("value" in d) || !d.writable) continue;
      const value: unknown = d.value;
      defineProperty(proto, name, {
        get: () => value,
        set(this: object, v: unknown) {
          if (this === proto) throw new TypeError(`Cannot assign to read only property '${name}' of a frozen prototype`);
          defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
        },
        enumerable: d.enumerable ?? false,
        configurable: false,
      });
    }
  }
}

/**
 * Makes every global binding read-only and returns their values. (A vm global cannot itself
 * be frozen or made non-extensible: a submission may add globals, never replace one.)
 */
function lockGlobals(): unknown[] {
  const values: unknown[] = [];
  for (const k of ownKeys(globalThis)) {
    const d = getOwnPropertyDescriptor(globalThis, k);
    if (d === undefined) continue;
    if ("value" in d) {
      values.push(d.value);
      defineProperty(globalThis, k, { value: d.value, writable: false, enumerable: d.enumerable ?? false, configurable: false });
    } else {
      values.push(d.get, d.set);
      defineProperty(globalThis, k, { get: d.get, set: d.set, enumerable: d.enumerable ?? false, configurable: false });
    }
  }
  return values;
}

/** Intrinsics that no global names: reached only through instances. */
function hiddenIntrinsics(): unknown[] {
  const asyncFn = async function () {};
  const genFn = function* () {};
  const asyncGenFn = async function* () {};
  return [
    asyncFn, genFn, asyncGenFn, genFn.prototype, asyncGenFn.prototype,
    getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(new Map().entries()), getPrototypeOf(new Set().values()),
    getPrototypeOf(""[Symbol.iterator]()), getPrototypeOf(/a/[Symbol.matchAll]("")),
  ];
}

export function boot(host: Host): KernelApi {
  setWorldSource(() => host.world());
  setTextHost(host.text);

  /** Fails the run with one sentence and throws it here, whatever catches it. */
  const unavailable = (what: string, instead: string) => (): never => {
    const sentence = `${what} is not available to a Raft: ${instead}`;
    callOut(host.fail, sentence);
    throw new LocalError(sentence);
  };
  /** An object every property of which is `unavailable` (typeof still says "object"). */
  const unavailableObject = (what: string, instead: (key: string) => string): object =>
    new LocalProxy(freeze({}), {
      get: (_t, key) => unavailable(typeof key === "string" ? `${what}.${key}` : what, instead(String(key)))(),
      has: () => unavailable(what, instead(""))(),
    });
  const useNow = "use now() from src/sim (virtual milliseconds since the run began), so that a run replays exactly";
  const useSleep = "use await sleep(ms) from src/sim, and go(name, fn) to start a task";
  const useRng = "use rng(name).between(lo, hi), randomInt(lo, hi) or random() from src/sim (seeded, so that a run replays exactly)";
  const useLabApi = "a submission reaches only the lab API (src/sim, src/labgob and the types of src/raft/api.ts)";
  const gcTiming = "garbage-collection timing would make runs unrepeatable";

  const g = globalThis as unknown as Record<string, unknown>;
  const RealDate = Date;
  const noDate = unavailable("Date", useNow);
  const NoDate = function Date(): never {
    return noDate(); // a function, not an arrow: `new Date()` must reach the sentence too
  };
  defineProperty(NoDate, "now", { value: unavailable("Date.now", useNow) });
  defineProperty(NoDate, "prototype", { value: RealDate.prototype });
  defineProperty(RealDate.prototype, "constructor", { value: NoDate });
  defineProperty(RealDate, "now", { value: unavailable("Date.now", useNow) });
  g.Date = NoDate;
  defineProperty(Math, "random", { value: unavailable("Math.random", useRng) });
  for (const name of ["setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval", "clearImmediate", "queueMicrotask"]) {
    g[name] = unavailable(name, useSleep);
  }
  g.performance = unavailableObject("performance", () => useNow);
  g.process = unavailableObject("process", (key) => (key === "hrtime" ? useNow : key === "nextTick" ? useSleep : useLabApi));
  g.require = unavailable("require", `import the lab API (../sim/index.ts, ../labgob/index.ts) instead; ${useLabApi}`);
  g.Intl = unavailableObject("Intl", () => `its dates read the platform clock; ${useNow}`);
  g.FinalizationRegistry = unavailable("FinalizationRegistry", gcTiming);
  g.WeakRef = unavailable("WeakRef", gcTiming);
  defineProperty(Atomics, "waitAsync", { value: unavailable("Atomics.waitAsync", useSleep) });
  const print = (level: string) => (...args: unknown[]): void => {
    callOut(host.print, level, args.map((a) => (typeof a === "string" ? a : sim.formatGo("%v", [a]))).join(" "));
  };
  g.console = { log: print("log"), info: print("info"), warn: print("warn"), error: print("error"), debug: print("debug") };

  const modules: Record<string, unknown> = {
    "raftlab:sim": sim,
    "raftlab:labgob": labgob,
    "raftlab:types": {},
  };

  function makeEnd(call: CallOut): unknown {
    return {
      Call(svcMeth: unknown, args: unknown, reply: unknown): Promise<boolean> {
        return new LocalPromise<boolean>((resolve, reject) => {
          callOut(call, typeof svcMeth === "string" ? svcMeth : String(svcMeth), args, reply,
            (ok: boolean) => resolve(ok), (msg: string) => reject(new LocalError(msg)));
        });
      },
    };
  }

  function makePersister(ops: PersisterOps): unknown {
    return harden({
      Save(raftstate: unknown, snapshot: unknown): void {
        callOut(ops.save, raftstate, snapshot);
      },
      ReadRaftState: (): Uint8Array => new LocalUint8Array(callOut(ops.readRaftState)),
      ReadSnapshot: (): Uint8Array => new LocalUint8Array(callOut(ops.readSnapshot)),
      RaftStateSize: (): number => callOut(ops.raftStateSize),
      SnapshotSize: (): number => callOut(ops.snapshotSize),
      Copy: (): unknown => makePersister(callOut(ops.copy)),
    });
  }

  function makeChannel(ops: ChannelOps): unknown {
    const ch = {
      send(value: unknown): Promise<void> {
        return new LocalPromise<void>((resolve, reject) => callOut(ops.send, value, () => resolve(), (msg: string) => reject(new LocalError(msg))));
      },
      recv(): Promise<{ value: unknown; ok: boolean }> {
        return new LocalPromise((resolve) => callOut(ops.recv, (ok: boolean, value: unknown) => resolve({ value: intoRealm(value), ok })));
      },
      close(): void {
        callOut(ops.close);
      },
      get closed(): boolean {
        return callOut(ops.closed);
      },
      get length(): number {
        return callOut(ops.length);
      },
      capacity: ops.capacity,
      name: ops.name,
      async *[Symbol.asyncIterator](): AsyncGenerator<unknown> {
        for (;;) {
          const r = await ch.recv();
          if (!r.ok) return;
          yield r.value;
        }
      },
    };
    return harden(ch);
  }

  const api: KernelApi = {
    require(specifier: string): unknown {
      if (Object.hasOwn(modules, specifier)) return modules[specifier];
      throw new LocalError(`a Raft may not import ${specifier}: ${useLabApi}`);
    },
    newModule: () => ({ exports: {} }),
    makeEnds(calls): unknown[] {
      const peers: unknown[] = []; // built here: an array of the host's realm would lead to its Function
      for (let i = 0; i < calls.length; i++) peers.push(makeEnd(calls[i]!));
      return harden(peers);
    },
    makePersister,
    makeChannel,
    intoRealm: (v) => intoRealm(v),
    newReply: () => ({}),
    fillReply,
    adopt(promise, ok, err): void {
      apply(promiseThen, promise, [() => ok(), (e: unknown) => err(e)]);
    },
    protos: { object: Object.prototype, array: Array.prototype, bytes: Uint8Array.prototype },
  };
  enableOverrides();
  harden(...lockGlobals(), ...hiddenIntrinsics(), modules);
  return freeze(api);
}
