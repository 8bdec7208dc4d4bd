// The scenario bank: tests beyond MIT's 28, each a deterministic adversarial schedule
// (partitions, crashes, restarts at exact moments) written for one bug class of the Raft paper
// or the Students' Guide to Raft, so that a bug MIT's random tests meet only on rare seeds, or
// never, is met on every seed. They use the same tester and checks as the MIT tests and run
// against any implementation (`make scenarios`, `raftlab run --scenarios`, a section of
// `raftlab grade` scored apart from MIT's 100 points). docs/SCENARIOS.md says which bug each
// one hunts and which broken Raft proves it.
import type { TestDef } from "../../src/config/index.ts";
import { TestFigure8ScriptedPartC, TestScenarioStaleLeaderCommitPartB } from "./scenarios/commit.ts";
import { TestScenarioElectionRestrictionPartB, TestScenarioStableLeaderPartA, TestScenarioStaleCandidatesPartB } from "./scenarios/elections.ts";
import { TestScenarioAckedEntrySurvivesCrashPartC, TestVoteSurvivesCrashScriptedPartC } from "./scenarios/persistence.ts";
import { TestScenarioDeposedLeaderPartB, TestScenarioFastBackupPartB, TestScenarioLateReplyPartB } from "./scenarios/replication.ts";
import { TestScenarioSnapshotPrefixPartD, TestScenarioStaleSnapshotPartD } from "./scenarios/snapshots.ts";

export * from "./scenarios/commit.ts";
export * from "./scenarios/elections.ts";
export * from "./scenarios/persistence.ts";
export * from "./scenarios/replication.ts";
export * from "./scenarios/snapshots.ts";

/** Every scenario, by part. */
export const scenarios: readonly TestDef[] = [
  TestScenarioStableLeaderPartA,
  TestScenarioStaleLeaderCommitPartB,
  TestScenarioElectionRestrictionPartB,
  TestScenarioStaleCandidatesPartB,
  TestScenarioDeposedLeaderPartB,
  TestScenarioFastBackupPartB,
  TestScenarioLateReplyPartB,
  TestFigure8ScriptedPartC,
  TestVoteSurvivesCrashScriptedPartC,
  TestScenarioAckedEntrySurvivesCrashPartC,
  TestScenarioStaleSnapshotPartD,
  TestScenarioSnapshotPrefixPartD,
];
