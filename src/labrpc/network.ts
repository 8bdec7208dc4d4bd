// The simulated network, after MIT's labrpc.go. Every number here is MIT's (spec §1):
//   unreliable: each request waits U(0..26) ms, 10% of requests and 10% of replies are lost;
//   unreachable target: the call answers false after U(0..6999) ms with long delays on,
//     U(0..99) ms without;
//   long reordering: 2/3 of replies are held back 200 + U(0..U(0..1999)) ms;
//   dead-server watch: while a handler runs, every 100 ms the call checks whether its target
//     died (end disabled or server replaced) and, if so, answers false.
// Each request is a small chain of scheduled events rather than an async function, so a
// call costs a few heap operations and one encode/decode of its args and reply.
import { decode, encode } from "../labgob/index.ts";
import { world, type Topic, type World } from "../sim/index.ts";
import type { Server } from "./server.ts";

const SHORT_DELAY = 27; // U(0..26) ms request delay on an unreliable network
const LONG_DELAY = 7000; // U(0..6999) ms before an unreachable target answers false (long delays)
const QUICK_FAIL = 100; // U(0..99) ms before an unreachable target answers false otherwise
const DROP_PER_MILLE = 100; // request and reply loss on an unreliable network
const REORDER_OF_900 = 600; // 600/900 of replies are delayed under long reordering
const DEAD_WATCH_MS = 100; // how often a pending call checks whether its server died

export type ServerName = string | number;

export type CallOutcome = "ok" | "request lost" | "reply lost" | "unreachable" | "server died" | "network closed";

/** What the network tells an observer about a finished call (tracing, the monitor). */
export interface CallRecord {
  id: number;
  end: ClientEnd;
  svcMeth: string;
  args: unknown;
  sentArgs: Uint8Array;
  sentAt: number;
}

/** Watches what crossed the network, for the invariant monitor. */
export interface NetworkObserver {
  /** A request reached its handler; `args` is the handler's copy, before the handler runs. */
  delivered(record: CallRecord, args: unknown): void;
  /** A reply reached its caller; `reply` is what the caller's reply object receives. */
  replied(record: CallRecord, reply: unknown): void;
}

export class ClientEnd {
  /** The peer that owns this end, for traces (-1 when unknown). */
  owner = -1;
  /** The peer this end leads to, for traces (-1 when unknown). */
  target = -1;
  /** Called at every Call before anything else; the tester uses it to catch killed senders. */
  onCall: ((svcMeth: string) => void) | undefined;

  constructor(readonly name: string, private readonly net: Network) {}

  /**
   * Sends an RPC and resolves to true with `reply` filled in when the server answered, or to
   * false when the request or reply was lost, the server was unreachable or died. Like Go's
   * labrpc, there is no timeout of one's own: the network always answers in the end.
   */
  Call(svcMeth: string, args: unknown, reply: object): Promise<boolean> {
    return this.net.call(this, svcMeth, args, reply);
  }
}

export class Network {
  readonly world: World;
  private reliable = true;
  private longDelays = false;
  private longReordering = false;
  private done = false;
  private readonly ends = new Map<string, ClientEnd>();
  private readonly enabled = new Map<string, boolean>();
  private readonly connections = new Map<string, string>();
  private readonly servers = new Map<string, Server>();
  private totalCount = 0;
  private totalBytes = 0;
  private nextId = 1;
  /** Told of every request that reached a handler and every reply that reached its caller. */
  observer: NetworkObserver | undefined;
  /** When set, every finished call re-encodes its args and reports a mutation in flight. */
  onArgsMutated: ((record: CallRecord) => void) | undefined;

  constructor(w: World = world()) {
    this.world = w;
  }

  Reliable(yes: boolean): void {
    this.reliable = yes;
  }

  LongDelays(yes: boolean): void {
    this.longDelays = yes;
  }

  LongReordering(yes: boolean): void {
    this.longReordering = yes;
  }

  get isReliable(): boolean {
    return this.reliable;
  }

  /** Shuts the network down: calls not yet accepted answer false at once and are not counted. */
  Cleanup(): void {
    this.done = true;
  }

  MakeEnd(name: string): ClientEnd {
    if (this.ends.has(name)) throw new Error(`MakeEnd: ${name} already exists`);
    const end = new ClientEnd(name, this);
    this.ends.set(name, end);
    this.enabled.set(name, false);
    return end;
  }

  Connect(endName: string, serverName: ServerName): void {
    this.connections.set(endName, String(serverName));
  }

  Enable(endName: string, yes: boolean): void {
    this.enabled.set(endName, yes);
  }

  AddServer(name: ServerName, server: Server): void {
    this.servers.set(String(name), server);
  }

  DeleteServer(name: ServerName): void {
    this.servers.delete(String(name));
  }

  /** Requests that reached server `name`'s handlers (its current Server object). */
  GetCount(name: ServerName): number {
    const server = this.servers.get(String(name));
    if (server === undefined) throw new Error(`labrpc: GetCount(${name}): there is no server named ${name}`);
    return server.GetCount();
  }

  GetTotalCount(): number {
    return this.totalCount;
  }

  GetTotalBytes(): number {
    return this.totalBytes;
  }

  call(end: ClientEnd, svcMeth: string, args: unknown, reply: object): Promise<boolean> {
    const w = this.world;
    end.onCall?.(svcMeth);
    if (this.done) return Promise.resolve(false);
    if (reply === null || typeof reply !== "object") {
      w.fail(new Error(`labrpc: ${svcMeth} was called with a reply that is not an object (${reply === null ? "null" : typeof reply}); pass a fresh {} to be filled in`));
      return Promise.resolve(false);
    }

    // Accept the request: encode now (later changes by the caller cannot reach the server),
    // count it, and capture the network's state as of this instant.
    let sentArgs: Uint8Array;
    try {
      sentArgs = encode(args, `${svcMeth} args`);
    } catch (e) {
      w.fail(new Error(`${(e as Error).message} (peer ${end.owner} calling ${svcMeth})`));
      return Promise.resolve(false);
    }
    this.totalCount++;
    this.totalBytes += sentArgs.length;
    const serverName = this.connections.get(end.name);
    const call = new PendingCall(this, { id: this.nextId++, end, svcMeth, args, sentArgs, sentAt: w.now }, reply as Record<string, unknown>,
      serverName, serverName === undefined ? undefined : this.servers.get(serverName), this.reliable, this.longReordering);
    w.record(end.owner, call.topic, `send #${call.record.id} ${svcMeth} -> ${end.target} ${summarize(args)}`,
      { rpc: call.record.id, ev: "send", from: end.owner, to: end.target, method: svcMeth });

    return new Promise<boolean>((resolve) => {
      call.resolve = resolve;
      // Every step below runs as a task of its own (labrpc's goroutines): a handler never runs
      // inside its caller's synchronous code, and concurrent calls reach it in seeded order.
      if (this.enabled.get(end.name) !== true || call.server === undefined) {
        // Case B: simulate no reply and an eventual timeout.
        const rng = w.rng("net");
        const ms = this.longDelays ? rng.intn(LONG_DELAY) : rng.intn(QUICK_FAIL);
        w.readyAfter(ms, () => call.answer(false, "unreachable"));
      } else if (call.reliable) {
        w.ready(() => call.deliver());
      } else {
        w.readyAfter(w.rng("net").intn(SHORT_DELAY), () => call.deliver());
      }
    });
  }

  /** The target of a call died if its end was disabled or its slot no longer holds its server. */
  isDead(end: ClientEnd, serverName: string | undefined, server: Server | undefined): boolean {
    return this.enabled.get(end.name) !== true || serverName === undefined || this.servers.get(serverName) !== server;
  }

  /** A delivered reply counts toward the byte total. */
  countReplyBytes(n: number): void {
    this.totalBytes += n;
  }

  checkArgs(record: CallRecord): void {
    let now: Uint8Array;
    try {
      now = encode(record.args, `${record.svcMeth} args`);
    } catch {
      now = new Uint8Array(0);
    }
    if (!sameBytes(now, record.sentArgs)) this.onArgsMutated?.(record);
  }
}

/**
 * One request in flight, Case A of MIT's processReq (spec §1.3), one method per step:
 * deliver (request loss, dispatch), the dead-server watch, finish (final check, reply loss,
 * long reordering) and answer (the caller's promise). A class rather than closures: these are
 * on the hot path of every RPC.
 */
class PendingCall {
  readonly topic: Topic;
  resolve: (ok: boolean) => void = () => {};
  private settled = false;

  constructor(
    private readonly net: Network,
    readonly record: CallRecord,
    private readonly reply: Record<string, unknown>,
    private readonly serverName: string | undefined,
    readonly server: Server | undefined,
    readonly reliable: boolean,
    private readonly longReordering: boolean,
  ) {
    this.topic = topicOf(record.svcMeth);
  }

  private get w(): World {
    return this.net.world;
  }

  /** Request loss, then dispatch to the handler captured when the request was accepted. */
  deliver(): void {
    const { w, record } = this;
    const { end, svcMeth, id } = record;
    if (!this.reliable && w.rng("net").intn(1000) < DROP_PER_MILLE) {
      this.answer(false, "request lost");
      return;
    }
    let target: { receiver: object; handler: (a: unknown, r: Record<string, unknown>) => unknown };
    try {
      target = this.server!.lookup(svcMeth);
    } catch (e) {
      w.fail(e);
      this.answer(false, "unreachable");
      return;
    }
    this.server!.countRequest();
    const handlerReply: Record<string, unknown> = {};
    const handlerArgs = decode(record.sentArgs);
    this.net.observer?.delivered(record, handlerArgs);
    w.record(end.target, this.topic, `recv #${id} ${svcMeth} <- ${end.owner}`,
      { rpc: id, ev: "deliver", from: end.owner, to: end.target, method: svcMeth });
    w.wake();
    let result: unknown;
    try {
      result = target.handler.call(target.receiver, handlerArgs, handlerReply);
    } catch (e) {
      w.fail(handlerError(svcMeth, end.target, e, w.now));
      return;
    }
    if (result instanceof Promise) {
      w.at(DEAD_WATCH_MS, () => this.watch());
      result.then(
        () => {
          if (this.settled) return;
          this.settled = true;
          this.finish(handlerReply);
        },
        (e: unknown) => {
          this.settled = true;
          w.fail(handlerError(svcMeth, end.target, e, w.now));
        },
      );
    } else {
      this.finish(handlerReply);
    }
  }

  /** While an async handler runs, every 100 ms: answer false if the target died. */
  private watch(): void {
    if (this.settled) return;
    if (this.isDead()) {
      this.settled = true;
      this.answer(false, "server died");
      return;
    }
    this.w.at(DEAD_WATCH_MS, () => this.watch());
  }

  /** The handler returned: final dead check, reply loss, long reordering, delivery. */
  private finish(handlerReply: Record<string, unknown>): void {
    const { w, record } = this;
    if (this.isDead()) {
      this.answer(false, "server died");
      return;
    }
    const rng = w.rng("net");
    if (!this.reliable && rng.intn(1000) < DROP_PER_MILLE) {
      this.answer(false, "reply lost");
      return;
    }
    let replyBytes: Uint8Array;
    try {
      replyBytes = encode(handlerReply, `${record.svcMeth} reply`);
    } catch (e) {
      w.fail(new Error(`${(e as Error).message} (the ${record.svcMeth} handler of peer ${record.end.target})`));
      return;
    }
    // The reply wakes the caller's goroutine: a task of its own, like the request.
    const ms = this.longReordering && rng.intn(900) < REORDER_OF_900 ? 200 + rng.intn(1 + rng.intn(2000)) : 0;
    w.readyAfter(ms, () => this.deliverReply(replyBytes));
  }

  private deliverReply(replyBytes: Uint8Array): void {
    this.net.countReplyBytes(replyBytes.length);
    this.answer(true, "ok", replyBytes);
  }

  private isDead(): boolean {
    return this.net.isDead(this.record.end, this.serverName, this.server);
  }

  /** Resolves the caller's promise; on success the reply is decoded into the caller's object. */
  answer(ok: boolean, outcome: CallOutcome, replyBytes?: Uint8Array): void {
    const { w, record } = this;
    const { end, svcMeth, id } = record;
    w.wake();
    if (this.net.onArgsMutated !== undefined) this.net.checkArgs(record);
    if (ok && replyBytes !== undefined) {
      let decoded: unknown;
      try {
        decoded = decode(replyBytes);
      } catch (e) {
        w.fail(new Error(`ClientEnd.Call(): decode reply: ${(e as Error).message}`));
        this.resolve(false);
        return;
      }
      this.net.observer?.replied(record, decoded);
      fillReply(this.reply, decoded as Record<string, unknown>);
      w.record(end.owner, this.topic, `reply #${id} ${svcMeth} <- ${end.target} ${summarize(decoded)}`,
        { rpc: id, ev: "reply", from: end.owner, to: end.target, method: svcMeth });
    } else {
      w.record(end.owner, "drop", `fail #${id} ${svcMeth} -> ${end.target}: ${outcome}`,
        { rpc: id, ev: "fail", from: end.owner, to: end.target, method: svcMeth, reason: outcome });
    }
    this.resolve(ok);
  }
}

export function MakeNetwork(w?: World): Network {
  return new Network(w);
}

function topicOf(svcMeth: string): Topic {
  if (svcMeth.endsWith("RequestVote")) return "vote";
  if (svcMeth.endsWith("AppendEntries")) return "append";
  if (svcMeth.endsWith("InstallSnapshot")) return "snapshot";
  return "rpc";
}

/** The caller's reply object gets exactly the server's reply: stale fields are cleared first. */
function fillReply(reply: Record<string, unknown>, decoded: Record<string, unknown>): void {
  for (const key of Object.keys(reply)) delete reply[key];
  if (decoded !== null && typeof decoded === "object") Object.assign(reply, decoded);
}

function handlerError(svcMeth: string, peer: number, e: unknown, t: number): Error {
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const err = new Error(`the ${svcMeth} handler of peer ${peer} threw at ${t} ms: ${detail}`);
  if (e instanceof Error && e.stack) err.stack = `${err.message}\n${e.stack.split("\n").slice(1).join("\n")}`;
  return err;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A short one-line view of an RPC message for traces: scalars shown, arrays by length. */
export function summarize(v: unknown): string {
  if (v === null || typeof v !== "object") return String(v);
  let out = "";
  for (const key in v as Record<string, unknown>) {
    const x = (v as Record<string, unknown>)[key];
    let s: string;
    if (Array.isArray(x)) s = `[${x.length}]`;
    else if (x instanceof Uint8Array) s = `<${x.length} bytes>`;
    else if (typeof x === "string") s = x.length > 12 ? `"${x.slice(0, 12)}…"` : `"${x}"`;
    else if (x !== null && typeof x === "object") s = "{…}";
    else s = String(x);
    out += out === "" ? `${key}=${s}` : ` ${key}=${s}`;
  }
  return out;
}
