// The tester, after MIT's config.go (spec §3–§4): it builds the network and the peers,
// crashes and restarts them, watches what they apply, and offers the helpers the tests use
// (checkOneLeader, one, wait, …) with MIT's semantics, limits and failure texts.
import { ClientEnd, Network, Server, Service } from "../labrpc/index.ts";
import { Persister } from "../persister/index.ts";
import type { ApplyMsg, Raft } from "../raft/api.ts";
import { Channel, SimFailure, sleep, world, type Rng, type World } from "../sim/index.ts";
import { fmtV, goV } from "./format.ts";
import { Monitor } from "./monitor.ts";
import { decodeTesterSnapshot, encodeTesterSnapshot } from "./snapshot.ts";
import type { TestContext } from "./testdef.ts";

/** "The tester generously allows solutions to complete elections in one second." */
export const RaftElectionTimeout = 1000;
/** applierSnap snapshots every SnapShotInterval applied commands. */
export const SnapShotInterval = 10;
/** PartD: the persisted Raft state must stay below this many bytes. */
export const MAXLOGSIZE = 2000;
/** MIT's per-test limit, in virtual ms. */
export const TEST_TIME_LIMIT_MS = 120_000;

/** The port's "is a Go int" (spec §7.3): integer commands are safe-range JavaScript numbers. */
export function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v);
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

interface Incarnation {
  killed: boolean;
  killedAt: number;
}

/** A fault on one link for one RPC kind: the next request held for holdMs, or every reply lost. */
interface LinkFault {
  svcMeth: string;
  loseReplies: boolean;
  holdMs: number;
  returned: () => void;
}

function linkKey(from: number, to: number, svcMeth: string): string {
  return `${from}>${to} ${svcMeth}`;
}

export class Config {
  readonly n: number;
  readonly net: Network;
  readonly rafts: (Raft | null)[];
  readonly connected: boolean[];
  readonly monitor: Monitor;
  private readonly w: World;
  private readonly rng: Rng;
  private readonly saved: (Persister | null)[];
  private readonly endnames: string[][];
  private readonly incarnations: (Incarnation | null)[];
  /** Faults armed on one link for one RPC kind (holdNextRequest, loseReplies), by linkKey. */
  private readonly linkFaults = new Map<string, LinkFault>();
  /** logs[i]: index → command, as recorded by slot i's applier; survives crashes. */
  readonly logs: Map<number, unknown>[];
  private readonly lastApplied: number[];
  private readonly snapshot: boolean;
  private maxIndex = 0;
  private maxIndex0 = 0;
  private t0 = 0;
  private rpcs0 = 0;
  private bytes0 = 0;
  private title = "";
  private finished = false;

  constructor(private readonly t: TestContext, n: number, unreliable: boolean, snapshot: boolean) {
    this.w = world();
    this.rng = this.w.rng("tester");
    this.n = n;
    this.snapshot = snapshot;
    this.net = new Network(this.w);
    this.rafts = new Array<Raft | null>(n).fill(null);
    this.connected = new Array<boolean>(n).fill(false);
    this.saved = new Array<Persister | null>(n).fill(null);
    this.endnames = Array.from({ length: n }, () => []);
    this.incarnations = new Array<Incarnation | null>(n).fill(null);
    this.logs = Array.from({ length: n }, () => new Map<number, unknown>());
    this.lastApplied = new Array<number>(n).fill(0);
    this.monitor = new Monitor(this.w, this);
    this.net.onArgsMutated = (r) => this.monitor.argsMutated(r.end.owner, r.svcMeth, r.id, r.sentAt);
    this.net.observer = this.monitor;

    this.setUnreliable(unreliable);
    this.net.LongDelays(true);
    t.defer(() => this.cleanup());
    for (let i = 0; i < n; i++) this.start1(i);
    for (let i = 0; i < n; i++) this.connect(i);
    this.w.afterStep(() => this.monitor.step());
  }

  // ---- failures -------------------------------------------------------------------------

  /** Go's t.Fatalf: fails the test and stops its body. */
  fatalf(msg: string): never {
    this.w.record(-1, "violation", msg);
    throw new SimFailure(msg, this.w.now, this.w.seed);
  }

  /** Go's log.Fatalf from inside the tester's own tasks (appliers): fails the test at once. */
  private abort(msg: string): void {
    this.w.record(-1, "violation", msg);
    this.w.fail(new SimFailure(msg, this.w.now, this.w.seed));
  }

  /** A printed, non-failing warning. */
  warn(msg: string): void {
    this.w.record(-1, "tester", msg);
    this.t.print(msg);
  }

  // ---- randomness (the tester's own stream) ---------------------------------------------

  /** Go's rand.Int(), as a uniform integer below 2^53 (spec §7.3). */
  rnd(): number {
    return this.rng.int();
  }

  /** Go's rand.Intn(n) and rand.Int() % n. */
  intn(n: number): number {
    return this.rng.intn(n);
  }

  /** Go's rand.Int31(). */
  int31(): number {
    return this.rng.intn(2 ** 31);
  }

  randstring(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += BASE64URL[this.rng.intn(64)];
    return s;
  }

  // ---- connectivity ---------------------------------------------------------------------

  connect(i: number): void {
    this.connected[i] = true;
    this.w.record(i, "partition", `connect ${i}`, { ev: "connect" });
    for (let j = 0; j < this.n; j++) {
      if (this.connected[j]) {
        const out = this.endnames[i]![j];
        if (out !== undefined) this.net.Enable(out, true);
        const back = this.endnames[j]![i];
        if (back !== undefined) this.net.Enable(back, true);
      }
    }
  }

  disconnect(i: number): void {
    this.connected[i] = false;
    this.w.record(i, "partition", `disconnect ${i}`, { ev: "disconnect" });
    for (let j = 0; j < this.n; j++) {
      const out = this.endnames[i]![j];
      if (out !== undefined) this.net.Enable(out, false);
      const back = this.endnames[j]![i];
      if (back !== undefined) this.net.Enable(back, false);
    }
  }

  // ---- link faults (beyond MIT: used only by the scenario bank) --------------------------
  // MIT's tester cuts whole peers off. A few Lab D interleavings (a stale InstallSnapshot, a
  // snapshot that covers a prefix of the follower's log) need one request or one reply of
  // one link to go astray while the rest of the network works. These two faults do that, on
  // one kind of RPC from one peer to another; they stay armed across the sender's restarts.

  /**
   * The next request of `svcMeth` from peer `from` to peer `to` leaves `ms` virtual ms late (as
   * if held up in the network), and then goes out as any call would at that moment; later
   * requests are not held. When that call has returned, and before its caller sees the
   * outcome, `returned` runs (a scenario can cut a peer off at that very instant).
   */
  holdNextRequest(from: number, to: number, svcMeth: string, ms: number, returned: () => void = () => {}): void {
    this.linkFaults.set(linkKey(from, to, svcMeth), { svcMeth, loseReplies: false, holdMs: ms, returned });
  }

  /** While `yes`, requests of `svcMeth` from `from` to `to` reach their handler, but every reply is lost. */
  loseReplies(from: number, to: number, svcMeth: string, yes: boolean): void {
    const key = linkKey(from, to, svcMeth);
    if (yes) this.linkFaults.set(key, { svcMeth, loseReplies: true, holdMs: 0, returned: () => {} });
    else this.linkFaults.delete(key);
  }

  /**
   * Routes the calls of peer i's ends through the link faults in force when each call is made.
   * A call with no fault armed is the end's own Call, returned as is (no extra await), so the
   * MIT tests run exactly as without this.
   */
  private withLinkFaults(i: number, ends: ClientEnd[], inc: Incarnation): void {
    ends.forEach((end, j) => {
      const call = end.Call.bind(end);
      end.Call = (svcMeth, args, reply) => {
        const fault = this.linkFaults.get(linkKey(i, j, svcMeth));
        return fault === undefined ? call(svcMeth, args, reply) : this.faultyCall(i, j, fault, inc, () => call(svcMeth, args, reply), () => call(svcMeth, args, {}));
      };
    });
  }

  private async faultyCall(i: number, j: number, fault: LinkFault, inc: Incarnation, call: () => Promise<boolean>, callLosingReply: () => Promise<boolean>): Promise<boolean> {
    if (fault.loseReplies) {
      await callLosingReply();
      return false;
    }
    this.linkFaults.delete(linkKey(i, j, fault.svcMeth));
    this.w.record(i, "partition", `hold ${fault.svcMeth} -> ${j} for ${fault.holdMs} ms`);
    await sleep(fault.holdMs);
    const ok = inc.killed ? false : await call();
    fault.returned();
    return ok;
  }

  // ---- crash and restart (spec §3.4, §3.5) ---------------------------------------------

  crash1(i: number): void {
    this.disconnect(i);
    this.net.DeleteServer(i);
    // The crash instant for persistent state: the old instance now writes into a copy nobody reads.
    if (this.saved[i] !== null) this.saved[i] = this.saved[i]!.Copy();
    const rf = this.rafts[i];
    if (rf !== null) {
      this.w.record(i, "crash", `crash ${i}`, { ev: "crash" });
      const inc = this.incarnations[i]!;
      inc.killed = true;
      inc.killedAt = this.w.now;
      rf.Kill();
      this.rafts[i] = null;
    }
    if (this.saved[i] !== null) {
      const fresh = new Persister();
      // The tester's copy of what survives the crash; its Save is traced on the peer's lane,
      // right after the crash, where a reader of the timeline or --log looks for it.
      fresh.owner = i;
      fresh.Save(this.saved[i]!.ReadRaftState(), this.saved[i]!.ReadSnapshot());
      this.saved[i] = fresh;
    }
  }

  start1(i: number): void {
    this.crash1(i);
    const ends: ClientEnd[] = [];
    for (let j = 0; j < this.n; j++) {
      const name = this.randstring(20);
      this.endnames[i]![j] = name;
      const end = this.net.MakeEnd(name);
      end.owner = i;
      end.target = j;
      this.net.Connect(name, j);
      ends.push(end);
    }
    this.lastApplied[i] = 0;
    if (this.saved[i] !== null) {
      this.saved[i] = this.saved[i]!.Copy();
      const snap = this.saved[i]!.ReadSnapshot();
      if (snap.length > 0) {
        // Mimic the KV server: process the snapshot now.
        const err = this.ingestSnap(i, snap, -1);
        if (err !== "") this.fatalf(err);
      }
    } else {
      this.saved[i] = new Persister();
    }
    this.saved[i]!.owner = i;

    const inc: Incarnation = { killed: false, killedAt: 0 };
    this.incarnations[i] = inc;
    // A killed instance's RPCs go nowhere (its ends stay disabled, as in MIT) and its
    // ApplyMsgs are still checked by its old applier; neither fails the test by itself, but
    // the runner reports them (a Raft should stop: check killed() after every await).
    for (const end of ends) {
      end.onCall = (svcMeth) => {
        if (inc.killed && !this.finished) this.zombie(i, "rpc", `sent ${svcMeth}`, inc.killedAt);
      };
    }
    this.withLinkFaults(i, ends, inc);
    const applyCh = new Channel<ApplyMsg>(0, `applyCh of peer ${i}`);
    applyCh.onSend = () => {
      if (inc.killed && !this.finished) this.zombie(i, "apply", "sent on applyCh", inc.killedAt);
    };
    this.w.record(i, "crash", `start ${i}`, { ev: "start" });
    const rf = this.callRaft(i, "Make", () => this.t.impl.Make(ends, i, this.saved[i]!, applyCh));
    if (rf === null || typeof rf !== "object" || typeof rf.Start !== "function" || typeof rf.GetState !== "function") {
      const got = rf === null || rf === undefined ? String(rf) : rf instanceof Promise ? "a Promise (Make must not be async: return the Raft at once and start tasks with go())" : typeof rf;
      this.fatalf(`Make() for peer ${i} returned ${got}, not a Raft object with Start and GetState`);
    }
    this.rafts[i] = this.guarded(i, rf);
    this.monitor.started(i);
    if (this.snapshot) void this.applierSnap(i, applyCh);
    else void this.applier(i, applyCh);
    const srv = new Server();
    srv.AddService(new Service(rf, "Raft"));
    this.net.AddServer(i, srv);
  }

  /**
   * The instance as tests and the monitor see it: every call goes through callRaft, so an
   * exception in Start, GetState, … becomes one sentence naming the method and the peer.
   */
  private guarded(i: number, rf: Raft): Raft {
    const facade: Raft = {
      Start: (command) => this.callRaft(i, "Start", () => rf.Start(command)),
      GetState: () => this.callRaft(i, "GetState", () => rf.GetState()),
      Snapshot: (index, snapshot) => this.callRaft(i, "Snapshot", () => rf.Snapshot(index, snapshot)),
      Kill: () => this.callRaft(i, "Kill", () => rf.Kill()),
    };
    if (typeof rf.inspect === "function") facade.inspect = () => this.callRaft(i, "inspect", () => rf.inspect!());
    return facade;
  }

  /** A killed instance sent an RPC or an ApplyMsg: a warning, counted per kind. */
  private zombie(i: number, kind: "rpc" | "apply", what: string, killedAt: number): void {
    const first = `peer ${i} ${what} at ${this.w.now} ms, after it was killed at ${killedAt} ms`;
    this.w.record(i, "crash", `zombie: ${first}`);
    this.t.warning(kind === "rpc" ? "zombie-rpc" : "zombie-apply", first);
  }

  /** Calls into the implementation; an exception there fails the test with one sentence. */
  callRaft<T>(i: number, what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof SimFailure) throw e;
      const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      const err = new SimFailure(`${what}() of peer ${i} threw at ${this.w.now} ms: ${detail}`, this.w.now, this.w.seed);
      if (e instanceof Error && e.stack) err.stack = `${err.message}\n${e.stack.split("\n").slice(1).join("\n")}`;
      this.w.fail(err);
      throw err;
    }
  }

  private cleanup(): void {
    this.finished = true;
    for (let i = 0; i < this.n; i++) {
      const rf = this.rafts[i];
      if (rf !== null) {
        this.incarnations[i]!.killed = true;
        this.incarnations[i]!.killedAt = this.w.now;
        try {
          rf.Kill();
        } catch {
          // The test is over; a Kill that throws changes nothing now.
        }
      }
    }
    this.net.Cleanup();
  }

  // ---- appliers (spec §4.5) ------------------------------------------------------------

  /** Records an applied command; returns MIT's error text (or "") and whether index-1 was there. */
  private checkLogs(i: number, m: ApplyMsg): [string, boolean] {
    let err = "";
    const v = m.Command;
    for (let j = 0; j < this.n; j++) {
      const log = this.logs[j]!;
      if (log.has(m.CommandIndex) && log.get(m.CommandIndex) !== v) {
        err = `commit index=${m.CommandIndex} server=${i} ${goV(v)} != server=${j} ${goV(log.get(m.CommandIndex))}`;
      }
    }
    const prevok = this.logs[i]!.has(m.CommandIndex - 1);
    this.logs[i]!.set(m.CommandIndex, v);
    if (m.CommandIndex > this.maxIndex) this.maxIndex = m.CommandIndex;
    this.w.record(i, "apply", `apply ${m.CommandIndex} ${short(v)}`, { ev: "apply", index: m.CommandIndex });
    return [err, prevok];
  }

  private async applier(i: number, applyCh: Channel<ApplyMsg>): Promise<void> {
    for (;;) {
      const r = await applyCh.recv();
      if (!r.ok) return;
      const m = r.value;
      if (!this.wellFormed(i, m)) return;
      if (!m.CommandValid) continue; // snapshots and other messages are ignored here
      const [err0, prevok] = this.checkLogs(i, m);
      let err = err0;
      if (m.CommandIndex > 1 && !prevok) err = `server ${i} apply out of order ${m.CommandIndex}`;
      if (err !== "") {
        this.abort(`apply error: ${err}`);
        // Keep reading, so that Raft doesn't block (as MIT's applier does).
      }
    }
  }

  private async applierSnap(i: number, applyCh: Channel<ApplyMsg>): Promise<void> {
    const rf = this.rafts[i];
    if (rf === null) return;
    for (;;) {
      const r = await applyCh.recv();
      if (!r.ok) return;
      const m = r.value;
      if (!this.wellFormed(i, m)) return;
      let err = "";
      if (m.SnapshotValid) {
        this.w.record(i, "snapshot", `apply snapshot ${m.SnapshotIndex}`, { ev: "apply-snapshot", index: m.SnapshotIndex });
        err = this.ingestSnap(i, m.Snapshot, m.SnapshotIndex);
      } else if (m.CommandValid) {
        if (m.CommandIndex !== this.lastApplied[i]! + 1) {
          err = `server ${i} apply out of order, expected index ${this.lastApplied[i]! + 1}, got ${m.CommandIndex}`;
        }
        if (err === "") {
          const [err1, prevok] = this.checkLogs(i, m);
          err = err1;
          if (m.CommandIndex > 1 && !prevok) err = `server ${i} apply out of order ${m.CommandIndex}`;
        }
        this.lastApplied[i] = m.CommandIndex;
        if ((m.CommandIndex + 1) % SnapShotInterval === 0 && err === "") {
          const snap = encodeTesterSnapshot(m.CommandIndex, this.logs[i]!);
          this.w.record(i, "snapshot", `tester snapshot at ${m.CommandIndex} (${snap.length} bytes)`, { ev: "snapshot", index: m.CommandIndex });
          try {
            rf.Snapshot(m.CommandIndex, snap);
          } catch {
            return;
          }
        }
      }
      if (err !== "") this.abort(`apply error: ${err}`);
    }
  }

  /** Rejects an ApplyMsg that is not one, with a sentence naming the field. */
  private wellFormed(i: number, m: unknown): m is ApplyMsg {
    const msg = m as Partial<ApplyMsg> | null;
    let problem = "";
    if (msg === null || typeof msg !== "object") problem = `it is ${msg === null ? "null" : typeof msg}, not an ApplyMsg object`;
    else if (msg.CommandValid && !Number.isSafeInteger(msg.CommandIndex)) problem = `CommandIndex is ${fmtV(msg.CommandIndex)}, not an integer`;
    else if (msg.SnapshotValid && !Number.isSafeInteger(msg.SnapshotIndex)) problem = `SnapshotIndex is ${fmtV(msg.SnapshotIndex)}, not an integer`;
    if (problem === "") return true;
    this.abort(`apply error: peer ${i} sent a malformed message on applyCh: ${problem}`);
    return false;
  }

  private ingestSnap(i: number, snapshot: Uint8Array | null | undefined, index: number): string {
    if (snapshot === null || snapshot === undefined) {
      this.abort("nil snapshot");
      return "nil snapshot";
    }
    const decoded = snapshot instanceof Uint8Array ? decodeTesterSnapshot(snapshot) : undefined;
    if (decoded === undefined) {
      this.abort("snapshot decode error");
      return "snapshot decode error";
    }
    if (index !== -1 && index !== decoded.index) return `server ${i} snapshot doesn't match m.SnapshotIndex`;
    const log = new Map<number, unknown>();
    decoded.xlog.forEach((v, j) => log.set(j, v));
    this.logs[i] = log;
    this.lastApplied[i] = decoded.index;
    return "";
  }

  // ---- leader and term checks (spec §4.3) ----------------------------------------------

  private state(i: number): [number, boolean] {
    const rf = this.rafts[i]!;
    const s = this.callRaft(i, "GetState", () => rf.GetState());
    if (!Array.isArray(s) || typeof s[0] !== "number" || typeof s[1] !== "boolean") {
      this.fatalf(`GetState() of peer ${i} returned ${fmtV(s)}, not [term: number, isLeader: boolean]`);
    }
    return [s[0], s[1]];
  }

  async checkOneLeader(): Promise<number> {
    for (let iters = 0; iters < 10; iters++) {
      await sleep(450 + this.rng.intn(100));
      const leaders = new Map<number, number[]>();
      for (let i = 0; i < this.n; i++) {
        if (this.connected[i] && this.rafts[i] !== null) {
          const [term, leader] = this.state(i);
          if (leader) leaders.set(term, [...(leaders.get(term) ?? []), i]);
        }
      }
      let lastTermWithLeader = -1;
      for (const [term, ls] of leaders) {
        if (ls.length > 1) this.fatalf(`term ${term} has ${ls.length} (>1) leaders`);
        if (term > lastTermWithLeader) lastTermWithLeader = term;
      }
      if (leaders.size !== 0) {
        const l = leaders.get(lastTermWithLeader)![0]!;
        this.w.record(-1, "tester", `checkOneLeader: leader ${l} of term ${lastTermWithLeader}`, { ev: "check", leader: l });
        return l;
      }
    }
    this.fatalf("expected one leader, got none");
  }

  checkTerms(): number {
    let term = -1;
    for (let i = 0; i < this.n; i++) {
      if (this.connected[i] && this.rafts[i] !== null) {
        const [xterm] = this.state(i);
        if (term === -1) term = xterm;
        else if (term !== xterm) this.fatalf("servers disagree on term");
      }
    }
    return term;
  }

  checkNoLeader(): void {
    for (let i = 0; i < this.n; i++) {
      if (this.connected[i] && this.rafts[i] !== null) {
        const [, isLeader] = this.state(i);
        if (isLeader) this.fatalf(`expected no leader among connected servers, but ${i} claims to be leader`);
      }
    }
  }

  // ---- commit checks (spec §4.4) -------------------------------------------------------

  nCommitted(index: number): [number, unknown] {
    let count = 0;
    let cmd: unknown = null;
    for (let i = 0; i < this.n; i++) {
      const log = this.logs[i]!;
      if (log.has(index)) {
        const cmd1 = log.get(index);
        if (count > 0 && cmd !== cmd1) this.fatalf(`committed values do not match: index ${index}, ${goV(cmd)}, ${goV(cmd1)}`);
        count++;
        cmd = cmd1;
      }
    }
    return [count, cmd];
  }

  async wait(index: number, n: number, startTerm: number): Promise<unknown> {
    let to = 10;
    for (let iters = 0; iters < 30; iters++) {
      const [nd] = this.nCommitted(index);
      if (nd >= n) break;
      await sleep(to);
      if (to < 1000) to *= 2;
      if (startTerm > -1) {
        for (let i = 0; i < this.n; i++) {
          if (this.rafts[i] !== null && this.state(i)[0] > startTerm) return -1; // someone has moved on
        }
      }
    }
    const [nd, cmd] = this.nCommitted(index);
    if (nd < n) this.fatalf(`only ${nd} decided for index ${index}; wanted ${n}`);
    return cmd;
  }

  async one(cmd: unknown, expectedServers: number, retry: boolean): Promise<number> {
    const t0 = this.w.now;
    let starts = 0;
    while (this.w.now - t0 < 10_000 && !this.finished) {
      // Try all the servers, maybe one is the leader.
      let index = -1;
      for (let si = 0; si < this.n; si++) {
        starts = (starts + 1) % this.n;
        const rf = this.connected[starts] ? this.rafts[starts] : null;
        if (rf !== null) {
          const r = this.callRaft(starts, "Start", () => rf.Start(cmd));
          if (!Array.isArray(r) || typeof r[0] !== "number" || typeof r[2] !== "boolean") {
            this.fatalf(`Start() of peer ${starts} returned ${fmtV(r)}, not [index, term, isLeader]`);
          }
          if (r[2]) {
            index = r[0];
            break;
          }
        }
      }
      if (index !== -1) {
        // Somebody claimed to be the leader and to have submitted our command; wait a while for agreement.
        const t1 = this.w.now;
        while (this.w.now - t1 < 2_000) {
          const [nd, cmd1] = this.nCommitted(index);
          if (nd > 0 && nd >= expectedServers && cmd1 === cmd) return index; // committed
          await sleep(20);
        }
        if (!retry) this.fatalf(`one(${goV(cmd)}) failed to reach agreement`);
      } else {
        await sleep(50);
      }
    }
    if (!this.finished) this.fatalf(`one(${goV(cmd)}) failed to reach agreement`);
    return -1;
  }

  // ---- counters and knobs (spec §4.8) --------------------------------------------------

  rpcCount(i: number): number {
    return this.net.GetCount(i);
  }

  rpcTotal(): number {
    return this.net.GetTotalCount();
  }

  bytesTotal(): number {
    return this.net.GetTotalBytes();
  }

  setUnreliable(unrel: boolean): void {
    this.w.record(-1, "tester", `network ${unrel ? "unreliable" : "reliable"}`);
    this.net.Reliable(!unrel);
  }

  setLongReordering(longrel: boolean): void {
    this.w.record(-1, "tester", `long reordering ${longrel ? "on" : "off"}`);
    this.net.LongReordering(longrel);
  }

  /** The largest persisted Raft state over all slots, crashed ones included. */
  logSize(): number {
    let logsize = 0;
    for (const p of this.saved) if (p !== null && p.RaftStateSize() > logsize) logsize = p.RaftStateSize();
    return logsize;
  }

  // ---- begin / end (spec §4.6) ---------------------------------------------------------

  begin(description: string): void {
    this.title = description;
    this.t.print(`${description} ...`);
    this.w.record(-1, "tester", `begin: ${description}`);
    this.t0 = this.w.now;
    this.rpcs0 = this.rpcTotal();
    this.bytes0 = this.bytesTotal();
    this.maxIndex0 = this.maxIndex;
  }

  /** Ends the test: checks the time limit and reports the figures of the Passed line. */
  end(): void {
    this.checkTimeout();
    const figures: PassedFigures = {
      seconds: (this.w.now - this.t0) / 1000,
      peers: this.n,
      rpcs: this.rpcTotal() - this.rpcs0,
      bytes: this.bytesTotal() - this.bytes0,
      cmds: this.maxIndex - this.maxIndex0,
    };
    this.w.record(-1, "tester", `end: ${this.title}`);
    passedFigures.set(this.t, figures);
  }

  private checkTimeout(): void {
    if (this.w.now > TEST_TIME_LIMIT_MS) this.fatalf("test took longer than 120 seconds");
  }

  /** True when the slot's incarnation has been killed (for the monitor). */
  isLive(i: number): boolean {
    return this.rafts[i] !== null;
  }
}

/** The figures of MIT's Passed line. */
export interface PassedFigures {
  seconds: number;
  peers: number;
  rpcs: number;
  bytes: number;
  cmds: number;
}

/** end() leaves its figures here for the runner, keyed by the test's context. */
export const passedFigures = new WeakMap<TestContext, PassedFigures>();

export function makeConfig(t: TestContext, n: number, unreliable: boolean, snapshot: boolean): Config {
  return new Config(t, n, unreliable, snapshot);
}

function short(v: unknown): string {
  const s = fmtV(v);
  return s.length > 24 ? `${s.slice(0, 24)}…` : s;
}
