// The diagnosis: a few factual lines printed below a failure, computed from the run's
// summary (summary.ts), so that "one(…) failed to reach agreement" comes with what the
// cluster was doing: who led in which term over the last seconds, how many elections a
// connected majority held, replies that arrived after their term had passed, per-peer
// terms, commit and applied indices, partitions and crashes in force, RPC losses. The
// timeline and `replay --log` remain the place for detail.
import { RECENT_MS, type FailReason, type RunSummary } from "./summary.ts";

/** How many leader changes the diagnosis lists before summarising the rest. */
const MAX_LEADERS_LISTED = 6;
/** Elections by a connected majority in RECENT_MS from which the diagnosis calls it churn (one per 0.6 s and more). */
const CHURN_ELECTIONS = 8;

type FailureKind = "agreement" | "leader" | "apply" | "log size" | "other";

export function failureKind(reason: string): FailureKind {
  if (/failed to reach agreement|decided for index|wanted \d+/.test(reason)) return "agreement";
  if (/leader|Election Safety|disagree on term/.test(reason)) return "leader";
  if (/apply error|committed values do not match|apply out of order|State Machine Safety|Log Matching|Leader Completeness/.test(reason)) return "apply";
  if (/Log size too large|snapshot/i.test(reason)) return "log size";
  return "other";
}

/** The lines below the tester's sentence for a failed run. */
export function diagnose(s: RunSummary, reason: string): string[] {
  const kind = failureKind(reason);
  const lines = [leadersLine(s), electionsLine(s), peersLine(s), networkLine(s)];
  if (s.staleReplies > 0) lines.push(`late replies: ${s.staleReplies} RPC replies reached a caller that had moved to a later term since sending (a reply acted on must be checked against the term it was sent in)`);
  if (kind === "apply" && s.leaderChangesWithUncommitted > 0) lines.push(`${s.leaderChangesWithUncommitted} leader change(s) happened while the old leader had sent entries that no peer had applied`);
  if (kind === "log size" || s.snapshotsTaken > 0) lines.push(`snapshots: the service took ${s.snapshotsTaken}, ${s.installSnapshotsDelivered} InstallSnapshot(s) reached a follower, ${s.snapshotsApplied} snapshot(s) were applied`);
  return lines.filter((l) => l !== "");
}

function leadersLine(s: RunSummary): string {
  const since = s.now - RECENT_MS;
  const recent = s.leaders.filter((l) => l.t >= since);
  if (recent.length === 0) {
    const last = s.leaders.at(-1);
    const before = last === undefined ? "no leader was ever elected" : `the last leader was p${last.peer} of term ${last.term}, elected at ${last.t} ms`;
    return `leaders: none elected in the last ${RECENT_MS / 1000} s; ${before}; highest term ${s.maxTerm}`;
  }
  const shown = recent.slice(-MAX_LEADERS_LISTED).map((l) => `p${l.peer} T${l.term} at ${l.t} ms`);
  const more = recent.length > MAX_LEADERS_LISTED ? `${recent.length - MAX_LEADERS_LISTED} more, then ` : "";
  return `leaders in the last ${RECENT_MS / 1000} s: ${more}${shown.join(", ")}; highest term ${s.maxTerm}`;
}

function electionsLine(s: RunSummary): string {
  const since = s.now - RECENT_MS;
  const rises = s.termRises.filter((r) => r.t >= since);
  if (rises.length === 0) return "";
  const withMajority = rises.filter((r) => r.majorityConnected).length;
  const failed = rises.filter((r) => !s.termsLed.has(r.term)).length;
  const churn = withMajority >= CHURN_ELECTIONS ? " (election churn: a connected majority should elect once and keep its leader; look at what resets the election timer and what starts an election)" : "";
  return `elections: ${rises.length} new term(s) began in the last ${RECENT_MS / 1000} s, ${withMajority} of them by a connected peer while a majority was up and connected, ${failed} without a leader${churn}`;
}

function peersLine(s: RunSummary): string {
  const parts: string[] = [];
  const knowsCommit = s.commit.some((c) => c > 0);
  for (let i = 0; i < s.n; i++) {
    if (!s.live[i]) {
      parts.push(`p${i} crashed (applied ${s.applied[i]})`);
      continue;
    }
    const role = s.leader[i] ? "leader" : "follower";
    const net = s.connected[i] ? "" : ", disconnected";
    const commit = knowsCommit ? `commit ${s.commit[i]}, ` : "";
    parts.push(`p${i} T${s.term[i]} ${role}${net}, ${commit}applied ${s.applied[i]}`);
  }
  return `peers at ${s.now} ms${knowsCommit ? " (commit as the monitor last sampled it)" : ""}: ${parts.join("; ")}`;
}

function networkLine(s: RunSummary): string {
  const up = s.live.filter((l, i) => l && s.connected[i]).length;
  const lost = (reason: FailReason): string => {
    const k = s.failed.get(reason) ?? 0;
    return k === 0 ? "" : `${pct(k, s.rpcsSent)} ${reason}`;
  };
  const losses = (["request lost", "reply lost", "unreachable", "server died"] as FailReason[]).map(lost).filter((x) => x !== "");
  return `network: ${up} of ${s.n} peers up and connected${s.longReordering ? ", long reordering on" : ""}; ${s.rpcsSent} RPCs sent${losses.length > 0 ? `, ${losses.join(", ")}` : ", none lost"}`;
}

function pct(k: number, of: number): string {
  if (of === 0) return "0%";
  const p = (100 * k) / of;
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}
