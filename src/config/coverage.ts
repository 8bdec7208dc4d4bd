// Coverage: proof that a test met the fault it exists for. Every MIT test and scenario
// declares the faults it is written to exercise (EXERCISES below); every run records, from
// its summary (summary.ts), which of them happened. A run that passed without meeting its
// fault proves nothing about that fault, and `run` and `grade` say so ("passed, but no
// InstallSnapshot was ever delivered") instead of counting it as proof.
import { LONG_BACKUP, type RunSummary } from "./summary.ts";

export interface Fault {
  /** What the fault is, as a noun phrase ("an InstallSnapshot delivered to a follower"). */
  what: string;
  /** The sentence for a passing run that never met it: "passed, but …". */
  missed: string;
  happened(s: RunSummary): boolean;
}

export const FAULTS = {
  "leader-elected": {
    what: "a leader elected",
    missed: "no leader was ever elected",
    happened: (s) => s.leaders.length > 0,
  },
  "leader-change": {
    what: "a leader replaced by another in a later term",
    missed: "the first leader was never replaced",
    happened: (s) => new Set(s.leaders.map((l) => l.term)).size >= 2,
  },
  "leader-partitioned": {
    what: "a leader cut off from the others while it led",
    missed: "no leader was ever disconnected while it led",
    happened: (s) => s.leadersPartitioned > 0,
  },
  "follower-partitioned": {
    what: "a follower cut off from the leader",
    missed: "no follower was ever disconnected",
    happened: (s) => s.followersPartitioned > 0,
  },
  "majority-lost": {
    what: "fewer than a majority up and connected",
    missed: "a majority was always up and connected",
    happened: (s) => s.majorityLost > 0,
  },
  "failed-election": {
    what: "a term that never elected a leader (a split or lost vote)",
    missed: "every term elected a leader: no split vote happened",
    happened: (s) => [...s.termsSeen].some((t) => t > 0 && !s.termsLed.has(t)),
  },
  "uncommitted-leader-change": {
    what: "a leader change while the old leader had entries no peer had applied",
    missed: "no leader was replaced while it had uncommitted entries",
    happened: (s) => s.leaderChangesWithUncommitted > 0,
  },
  "long-backup": {
    what: `a leader backing up over at least ${LONG_BACKUP} entries of a follower's conflicting or missing log`,
    missed: `no leader ever had to back up over ${LONG_BACKUP} or more entries of a follower's log`,
    happened: (s) => s.longestBackup >= LONG_BACKUP,
  },
  "crash-in-flight": {
    what: "a crash with RPCs from or to the crashed peer in flight",
    missed: "no peer crashed while an RPC of its was in flight",
    happened: (s) => s.crashesWithRpcsInFlight > 0,
  },
  "crash-restart": {
    what: "a peer crashed and restarted from its persisted state",
    missed: "no peer ever crashed",
    happened: (s) => s.crashes > 0,
  },
  "all-crashed": {
    what: "every peer down at once",
    missed: "the peers were never all down at once",
    happened: (s) => s.allCrashed > 0,
  },
  "rpc-loss": {
    what: "RPC requests or replies lost",
    missed: "no RPC request or reply was lost",
    happened: (s) => (s.failed.get("request lost") ?? 0) + (s.failed.get("reply lost") ?? 0) > 0,
  },
  "stale-reply": {
    what: "a reply reaching a caller that had moved to a later term",
    missed: "no reply ever arrived after its caller's term had passed",
    happened: (s) => s.staleReplies > 0,
  },
  "reordered-reply": {
    what: "a reply delivered after the reply to a later call (long reordering)",
    missed: "no reply was ever overtaken by a later one",
    happened: (s) => s.reorderedReplies > 0,
  },
  "snapshot-taken": {
    what: "the service handing Raft a snapshot",
    missed: "the service never took a snapshot",
    happened: (s) => s.snapshotsTaken > 0,
  },
  "install-snapshot": {
    what: "an InstallSnapshot delivered to a lagging follower",
    missed: "no InstallSnapshot was ever delivered",
    happened: (s) => s.installSnapshotsDelivered > 0,
  },
  "restart-from-snapshot": {
    what: "a peer restarted from a persisted snapshot",
    missed: "no peer ever restarted with a snapshot",
    happened: (s) => s.restartsFromSnapshot > 0,
  },
} satisfies Record<string, Fault>;

export type FaultId = keyof typeof FAULTS;

/**
 * What each test exists to exercise, by name. MIT's 28 from what their comments and titles
 * say; the scenarios from their own comments (tests/suites/scenarios/). A test not listed
 * declares nothing (it checks counts or bounds rather than a fault).
 */
export const EXERCISES: Record<string, readonly FaultId[]> = {
  TestInitialElectionPartA: ["leader-elected"],
  TestReElectionPartA: ["leader-partitioned", "leader-change", "majority-lost"],
  TestManyElectionsPartA: ["leader-change", "failed-election"],
  TestBasicAgreePartB: ["leader-elected"],
  TestRPCBytesPartB: ["leader-elected"],
  TestFollowerFailurePartB: ["follower-partitioned", "majority-lost"],
  TestLeaderFailurePartB: ["leader-partitioned", "leader-change"],
  TestFailAgreePartB: ["follower-partitioned"],
  TestFailNoAgreePartB: ["majority-lost", "uncommitted-leader-change"],
  TestConcurrentStartsPartB: ["leader-elected"],
  TestRejoinPartB: ["leader-partitioned", "uncommitted-leader-change"],
  TestBackupPartB: ["uncommitted-leader-change", "long-backup"],
  TestCountPartB: ["leader-elected"],
  TestPersist1PartC: ["crash-restart"],
  TestPersist2PartC: ["crash-restart", "majority-lost"],
  TestPersist3PartC: ["crash-restart", "leader-partitioned"],
  TestFigure8PartC: ["crash-in-flight", "uncommitted-leader-change"],
  TestUnreliableAgreePartC: ["rpc-loss"],
  TestFigure8UnreliablePartC: ["rpc-loss", "reordered-reply", "stale-reply", "uncommitted-leader-change"],
  TestReliableChurnPartC: ["crash-in-flight", "leader-change"],
  TestUnreliableChurnPartC: ["crash-in-flight", "rpc-loss"],
  TestSnapshotBasicPartD: ["snapshot-taken"],
  TestSnapshotInstallPartD: ["install-snapshot"],
  TestSnapshotInstallUnreliablePartD: ["install-snapshot", "rpc-loss"],
  TestSnapshotInstallCrashPartD: ["install-snapshot", "restart-from-snapshot"],
  TestSnapshotInstallUnCrashPartD: ["install-snapshot", "rpc-loss", "restart-from-snapshot"],
  TestSnapshotAllCrashPartD: ["all-crashed", "restart-from-snapshot"],
  TestSnapshotInitPartD: ["restart-from-snapshot"],
};

/** Registers what a test outside MIT's 28 (a scenario) exists to exercise. */
export function declareExercises(test: string, faults: readonly FaultId[]): void {
  EXERCISES[test] = faults;
}

/** Per run: which of its declared faults happened. */
export interface RunCoverage {
  exercised: FaultId[];
  missed: FaultId[];
}

export function coverageOf(test: string, s: RunSummary): RunCoverage {
  const exercised: FaultId[] = [];
  const missed: FaultId[] = [];
  for (const f of EXERCISES[test] ?? []) (FAULTS[f].happened(s) ? exercised : missed).push(f);
  return { exercised, missed };
}

/** "passed, but no InstallSnapshot was ever delivered" for a passing run that missed its fault(s). */
export function missedSentence(missed: readonly FaultId[]): string {
  return `passed, but ${missed.map((f) => FAULTS[f].missed).join("; and ")}`;
}

/** One test's coverage over the seeds of a run (run and grade tables). */
export interface TestCoverage {
  test: string;
  runs: number;
  /** Per declared fault: in how many runs it happened. */
  faults: Array<{ fault: FaultId; met: number }>;
  /** Passing runs that missed at least one declared fault, with what they missed. */
  hollowPasses: Array<{ seed: string; missed: FaultId[] }>;
}

export function summarizeCoverage(
  results: ReadonlyArray<{ name: string; seed: string; passed: boolean; coverage?: RunCoverage | undefined }>,
  order: readonly string[],
): TestCoverage[] {
  return order.flatMap((test) => {
    const declared = EXERCISES[test] ?? [];
    const rs = results.filter((r) => r.name === test && r.coverage !== undefined);
    if (declared.length === 0 || rs.length === 0) return [];
    return [{
      test,
      runs: rs.length,
      faults: declared.map((fault) => ({ fault, met: rs.filter((r) => r.coverage!.exercised.includes(fault)).length })),
      hollowPasses: rs.filter((r) => r.passed && r.coverage!.missed.length > 0).map((r) => ({ seed: r.seed, missed: r.coverage!.missed })),
    }];
  });
}

/** The lines a command prints for passes that never met their fault, one per test and kind. */
export function hollowPassLines(cov: readonly TestCoverage[]): string[] {
  const lines: string[] = [];
  for (const c of cov) {
    const byMissed = new Map<string, string[]>();
    for (const h of c.hollowPasses) {
      const key = h.missed.join(",");
      byMissed.set(key, [...(byMissed.get(key) ?? []), h.seed]);
    }
    for (const [key, seeds] of byMissed) {
      const shown = seeds.length > 8 ? `${seeds.slice(0, 8).join(", ")}, …` : seeds.join(", ");
      lines.push(`${c.test}: ${seeds.length} of ${c.runs} runs ${missedSentence(key.split(",") as FaultId[])} (seed${seeds.length === 1 ? "" : "s"} ${shown}): not proof of that`);
    }
  }
  return lines;
}
