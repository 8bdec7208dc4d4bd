// The host's side of the realm boundary. Everything the tester and the network hand a
// confined submission becomes an object of the sandbox realm first (kernel.intoRealm, the
// kernel's facades), and everything the submission hands back becomes plain data of this
// realm (toMain) before the harness's own checks see it: those use identity checks
// (`instanceof Uint8Array`, `instanceof Promise`, prototype === Object.prototype) that do
// not hold across realms. A host object never reaches submission code: its constructor
// would lead to this realm's Function, and from there to everything.
import { TextDecoder, TextEncoder, types } from "node:util";
import type { ClientEnd } from "../labrpc/index.ts";
import type { Persister } from "../persister/index.ts";
import type { ApplyMsg, MakeFn, Raft, RaftModule } from "../raft/api.ts";
import { maybeWorld, SimFailure, type Channel, type World } from "../sim/index.ts";
import type { CallOut, ChannelOps, Host, KernelApi, PersisterOps } from "./lab/kernel.ts";
import type { WorldOps } from "./lab/port.ts";

/** The lab API's own methods: wrapped one by one, and never offered as RPC handlers. */
const LAB_API = new Set(["Start", "GetState", "Snapshot", "Kill", "Make"]);
/** As deep as labgob goes (MAX_DEPTH), and one more level so that it reports the excess itself. */
const MAX_COPY_DEPTH = 65;

/**
 * The host functions a kernel is booted with: the only way out of its sandbox. `kernel`
 * answers the kernel once it has booted (tasks it starts need it to adopt their promises).
 */
export function makeHost(kernel: () => KernelApi): Host {
  const ops = new WeakMap<World, WorldOps>();
  let last: [World, WorldOps] | undefined; // the running world's, most of the time
  const encoder = new TextEncoder();
  const decoders = new Map<string, TextDecoder>();
  return {
    text: {
      encodeInto(input, dest) {
        const r = encoder.encodeInto(input, dest);
        return [r.read, r.written];
      },
      encode: (input) => encoder.encode(input),
      decode(input, fatal, ignoreBOM) {
        const key = `${fatal}/${ignoreBOM}`;
        let d = decoders.get(key);
        if (d === undefined) {
          d = new TextDecoder("utf-8", { fatal, ignoreBOM });
          decoders.set(key, d);
        }
        return d.decode(input as Uint8Array);
      },
    },
    world(): WorldOps | null {
      const w = maybeWorld();
      if (w === null) return null;
      if (last !== undefined && last[0] === w) return last[1];
      let o = ops.get(w);
      if (o === undefined) {
        o = worldOps(w, kernel());
        ops.set(w, o);
      }
      last = [w, o];
      return o;
    },
    fail(sentence: string): void {
      const w = maybeWorld();
      if (w === null) return; // at load time: the exception thrown in the sandbox fails the load
      w.record(-1, "violation", sentence);
      w.fail(new SimFailure(sentence, w.now, w.seed));
    },
    print(level: string, line: string): void {
      if (level === "error" || level === "warn") console.error(line);
      else console.log(line);
    },
  };
}

function worldOps(w: World, api: KernelApi): WorldOps {
  return {
    now: () => w.now,
    wakeAfter: (ms, fn) => w.wakeAfter(ms, fn),
    wake: () => w.wake(),
    spawn: (name, fn) => w.spawn(name, () => callIn(api, () => fn())),
    block: (what) => w.block(what),
    unblock: (token) => w.unblock(token),
    draw(stream, how, a, b) {
      const rng = w.rng(stream);
      switch (how) {
        case "float": return rng.float();
        case "intn": return rng.intn(a);
        case "between": return rng.between(a, b);
        case "int": return rng.int();
        default: throw new TypeError(`raftlab: unknown draw ${String(how)}`);
      }
    },
    record: (peer, topic, msg) => w.record(peer, studentTopic(topic), msg, { ev: "debug" }),
  };
}

/** The topics a submission's Debug lines may use: not the tester's own, nor "violation". */
function studentTopic(topic: string): Parameters<World["record"]>[1] {
  const allowed = ["election", "vote", "append", "commit", "persist", "snapshot", "apply", "rpc", "log"];
  return (allowed.includes(topic) ? topic : "log") as Parameters<World["record"]>[1];
}

/**
 * The module as the tester sees it: Make builds the sandbox's facades of its arguments and
 * wraps what the submission returns, so that every call in and out crosses the boundary.
 */
export function confine(api: KernelApi, make: unknown): RaftModule {
  if (typeof make !== "function") return { Make: make as MakeFn };
  const Make: MakeFn = (ends, me, persister, applyCh) => {
    const peers = api.makeEnds(ends.map((end) => endCall(api, end)));
    const rf = callIn(api, () => (make as (...a: unknown[]) => unknown)(peers, me, api.makePersister(persisterOps(persister)), api.makeChannel(channelOps(api, applyCh))));
    const r = rf as Partial<Raft> | null;
    if (r === null || typeof r !== "object" || typeof r.Start !== "function" || typeof r.GetState !== "function") return rf as Raft;
    return wrapRaft(api, r as Raft);
  };
  return { Make };
}

/** Calls into the sandbox: a promise of its realm becomes one of ours, an error of its realm one of ours. */
function callIn<T>(api: KernelApi, fn: () => T): T {
  let r: T;
  try {
    r = fn();
  } catch (e) {
    throw hostError(e);
  }
  if (types.isPromise(r) && !(r instanceof Promise)) {
    return new Promise<void>((resolve, reject) => api.adopt(r, () => resolve(), (e) => reject(hostError(e)))) as T;
  }
  return r;
}

/** An Error of the sandbox realm as one of ours (same name, message and stack), so the harness's `instanceof Error` holds. */
function hostError(e: unknown): unknown {
  if (!types.isNativeError(e) || e instanceof Error) return e;
  const foreign = e as { name: unknown; message: unknown; stack: unknown };
  const err = new Error(String(foreign.message));
  err.name = String(foreign.name);
  err.stack = String(foreign.stack);
  return err;
}

/** The Raft as the tester and the network see it: every method crosses the boundary. */
function wrapRaft(api: KernelApi, rf: Raft): Raft {
  const wrapped: Record<string, unknown> = {};
  for (const name of methodNames(api, rf)) {
    const method = (rf as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
    if (name === "Start") wrapped[name] = (command: unknown) => callIn(api, () => Reflect.apply(method, rf, [api.intoRealm(command)]));
    else if (name === "Snapshot") wrapped[name] = (index: unknown, snapshot: unknown) => callIn(api, () => Reflect.apply(method, rf, [index, api.intoRealm(snapshot)]));
    else if (LAB_API.has(name) || name === "inspect") wrapped[name] = () => callIn(api, () => Reflect.apply(method, rf, []));
    else wrapped[name] = handler(api, rf, method);
  }
  return wrapped as unknown as Raft;
}

/** The lab API methods and the RPC handlers (upper-case methods) of a submission's Raft, found as labrpc's Service finds them. */
function methodNames(api: KernelApi, rf: object): string[] {
  const names: string[] = [];
  for (let proto: object | null = rf; proto !== null && proto !== api.protos.object; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (names.includes(key) || !(/^[A-Z]/.test(key) || key === "inspect")) continue;
      const desc = Object.getOwnPropertyDescriptor(proto, key);
      if (desc !== undefined && typeof desc.value === "function") names.push(key);
    }
  }
  return names;
}

/** An RPC handler: args into the sandbox, the sandbox's reply back out once the handler is done. */
function handler(api: KernelApi, rf: object, method: (...a: unknown[]) => unknown) {
  return (args: unknown, reply: Record<string, unknown>): unknown => {
    const sReply = api.newReply();
    let r: unknown;
    try {
      r = Reflect.apply(method, rf, [api.intoRealm(args), sReply]);
    } catch (e) {
      throw hostError(e);
    }
    if (types.isPromise(r)) {
      return new Promise<void>((resolve, reject) => api.adopt(r, () => {
        copyInto(api, reply, sReply, 0);
        resolve();
      }, (e) => reject(hostError(e))));
    }
    copyInto(api, reply, sReply, 0);
    return r;
  };
}

function endCall(api: KernelApi, end: ClientEnd): CallOut {
  return (svcMeth, args, reply, done, fail) => {
    const sent = toMain(api, args, 0);
    const isObject = reply !== null && typeof reply === "object";
    const hostReply: Record<string, unknown> = {};
    const sentAt = maybeWorld()?.now ?? 0;
    end.Call(svcMeth, sent, isObject ? hostReply : (reply as object)).then((ok) => {
      if (!sameData(api, args, sent, 0)) argsMutated(end, svcMeth, sentAt);
      if (ok && isObject) api.fillReply(reply, hostReply);
      done(ok);
    }, (e: unknown) => fail(e instanceof Error ? e.message : String(e)));
  };
}

/**
 * The network checks that a call's args did not change in flight by re-encoding them; it
 * only ever sees our copy, so the same check is made here on the submission's own object.
 */
function argsMutated(end: ClientEnd, svcMeth: string, sentAt: number): void {
  const w = maybeWorld();
  if (w === null) return;
  const msg = `peer ${end.owner} changed the arguments of ${svcMeth} (sent at ${sentAt} ms) while the call was in flight: build a fresh args object for every call`;
  w.record(-1, "violation", msg);
  w.fail(new SimFailure(`${msg} (at ${w.now} ms)`, w.now, w.seed));
}

function persisterOps(p: Persister): PersisterOps {
  return {
    save: (raftstate, snapshot) => p.Save(hostBytes(raftstate) as Uint8Array, hostBytes(snapshot) as Uint8Array),
    readRaftState: () => p.ReadRaftState(),
    readSnapshot: () => p.ReadSnapshot(),
    raftStateSize: () => p.RaftStateSize(),
    snapshotSize: () => p.SnapshotSize(),
    copy: () => persisterOps(p.Copy()),
  };
}

function channelOps(api: KernelApi, ch: Channel<ApplyMsg>): ChannelOps {
  return {
    send(value, done, fail) {
      ch.send(toMain(api, value, 0) as ApplyMsg).then(() => done(), (e: unknown) => fail(e instanceof Error ? e.message : String(e)));
    },
    recv(done) {
      void ch.recv().then((r) => done(r.ok, r.value));
    },
    close: () => ch.close(),
    closed: () => ch.closed,
    length: () => ch.length,
    capacity: ch.capacity,
    name: ch.name,
  };
}

/**
 * A Uint8Array of the sandbox as one of ours: a view of the same memory (whoever keeps it
 * copies it: the Persister, labgob); anything else unchanged (the Persister names what is wrong).
 */
function hostBytes(v: unknown): unknown {
  if (!types.isUint8Array(v) || v instanceof Uint8Array) return v;
  const bytes = v as Uint8Array;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The submission's plain data (objects, arrays, Uint8Arrays of its realm) as ours, as labgob
 * reads it: own enumerable string keys, array elements by index. Anything else (functions,
 * class instances, Maps, symbols as values) is carried over unchanged, so that labgob reports
 * it in its own words. Cycles stay cycles (labgob names them).
 */
function toMain(api: KernelApi, v: unknown, depth: number, ancestors: unknown[] = [], copies: unknown[] = []): unknown {
  if (typeof v !== "object" || v === null || depth > MAX_COPY_DEPTH) return v;
  const proto = Object.getPrototypeOf(v);
  if (proto === api.protos.bytes) return hostBytes(v); // labgob copies it; a change in flight still shows in the network's own check
  const array = proto === api.protos.array;
  if (!array && proto !== api.protos.object && proto !== null) return v;
  const seenAt = ancestors.indexOf(v);
  if (seenAt >= 0) return copies[seenAt];
  ancestors.push(v);
  let out: unknown;
  if (array) {
    const a = v as unknown[];
    const copy: unknown[] = [];
    copies.push(copy);
    for (let i = 0; i < a.length; i++) copy.push(toMain(api, a[i], depth + 1, ancestors, copies));
    out = copy;
  } else {
    const kept = flatCopies.get(v);
    if (kept !== undefined && sameFlat(v as Record<string, unknown>, kept)) {
      out = kept;
    } else {
      const copy: Record<string, unknown> = proto === null ? Object.create(null) : {};
      copies.push(copy);
      if (copyInto(api, copy, v as Record<string, unknown>, depth, ancestors, copies)) flatCopies.set(v, copy);
      out = copy;
    }
  }
  ancestors.pop();
  copies.pop();
  return out;
}

/** Copies v's members into out; true when every one was a primitive (a copy worth keeping). */
function copyInto(api: KernelApi, out: Record<string, unknown>, v: Record<string, unknown>, depth: number, ancestors: unknown[] = [], copies: unknown[] = []): boolean {
  let flat = true;
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (typeof x === "object" && x !== null) flat = false;
    const value = toMain(api, x, depth + 1, ancestors, copies);
    if (k === "__proto__") Object.defineProperty(out, k, { value, writable: true, enumerable: true, configurable: true });
    else out[k] = value;
  }
  return flat;
}

/**
 * The copy last made of each flat object (primitives only: a log entry, say), handed out
 * again while the object still holds the same members. The same entry then reaches labgob as
 * the same object in every AppendEntries and persist, as it does unconfined, and labgob's
 * memo of encoded log prefixes keeps working.
 */
const flatCopies = new WeakMap<object, Record<string, unknown>>();

function sameFlat(v: Record<string, unknown>, kept: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  if (keys.length !== Object.keys(kept).length) return false;
  for (const k of keys) if (!Object.is(v[k], kept[k])) return false;
  return true;
}

/** Whether the submission's value still holds what was copied from it (for the in-flight check). */
function sameData(api: KernelApi, s: unknown, m: unknown, depth: number): boolean {
  if (typeof s !== "object" || s === null || depth > MAX_COPY_DEPTH) return Object.is(s, m) || (typeof s === "object" && s === m);
  if (typeof m !== "object" || m === null) return false;
  const proto = Object.getPrototypeOf(s);
  if (proto === api.protos.bytes) {
    const a = s as Uint8Array;
    const b = m as Uint8Array;
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (proto === api.protos.array) {
    const a = s as unknown[];
    const b = m as unknown[];
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(api, a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (proto !== api.protos.object && proto !== null) return s === m;
  const keys = Object.keys(s);
  if (keys.length !== Object.keys(m).length) return false;
  for (const k of keys) if (!sameData(api, (s as Record<string, unknown>)[k], (m as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}
