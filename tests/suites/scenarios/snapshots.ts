// Scenarios on InstallSnapshot (Figure 13 of the extended Raft paper; the Students' Guide on
// Lab D's snapshot interleavings). Whole-peer partitions cannot place these cases: they use
// the tester's link faults (holdNextRequest, loseReplies in src/config/config.ts), which the
// MIT tests never use.
import { declareExercises } from "../../../src/config/coverage.ts";
import { defineTest, makeConfig, RaftElectionTimeout, type TestContext } from "../../../src/config/index.ts";
import { sleep } from "../../../src/sim/index.ts";

/** How long TestScenarioStaleSnapshotPartD holds the first InstallSnapshot back. */
const STALE_HOLD_MS = 3 * RaftElectionTimeout;

// A stale InstallSnapshot (Figure 13: a snapshot that covers nothing new is ignored). Three
// servers L, F, G:
//  1. F is down while L and G commit 30 entries: L's log is compacted past F's end;
//  2. F restarts, and the first InstallSnapshot L sends it is held back for 3 s; a later one
//     (L sends one a heartbeat after) brings F up to date;
//  3. G is cut off, and L and F commit 15 entries: F applies them and snapshots past the
//     held snapshot's index;
//  4. the held snapshot reaches F, and L is cut off at once; F and G must elect F (the only
//     one holding step 3's entries). A follower that installs the old snapshot rolls its log
//     back and drops step 3's entries, which L counted: G or F leads without them (the
//     monitor's Leader Completeness, or the apply checks).
export const TestScenarioStaleSnapshotPartD = defineTest("D", "TestScenarioStaleSnapshotPartD", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, true);
  cfg.begin("Test (PartD): scenario: a stale InstallSnapshot must be ignored");

  let cmd = 100;
  await cfg.one(++cmd, servers, true);
  const l = await cfg.checkOneLeader();
  const [f, g] = [1, 2].map((k) => (l + k) % servers) as [number, number];

  // 1. L and G move on without F (crashed, so that its term stays where it is).
  cfg.crash1(f);
  for (let k = 0; k < 30; k++) await cfg.one(++cmd, 2, true);

  // 2. F restarts; L's first snapshot to it is held back, a later one goes through.
  let released = false;
  cfg.holdNextRequest(l, f, "Raft.InstallSnapshot", STALE_HOLD_MS, () => {
    released = true;
    cfg.disconnect(l); // step 4: L leaves as the held snapshot's reply reaches it
  });
  cfg.start1(f);
  cfg.connect(f);
  await sleep(RaftElectionTimeout / 2);

  // 3. L and F commit what G never sees; F snapshots past the held snapshot.
  cfg.disconnect(g);
  for (let k = 0; k < 15; k++) await cfg.one(++cmd, 2, true);

  // 4. The held snapshot reaches F, and L leaves (above) before it can repair anything.
  for (let waited = 0; !released; waited += 10) {
    if (waited > 2 * STALE_HOLD_MS) cfg.fatalf(`peer ${l} sent no InstallSnapshot to peer ${f} in ${2 * STALE_HOLD_MS} ms, though ${f} lacked entries ${l} had compacted away (a leader sends its snapshot to such a follower; was ${l} still leading?)`);
    await sleep(10);
  }
  cfg.connect(g);
  await cfg.one(++cmd, 2, true);

  cfg.connect(l);
  await cfg.one(++cmd, servers, true);
  cfg.end();
});
declareExercises(TestScenarioStaleSnapshotPartD.name, ["install-snapshot", "leader-change"]);

// An InstallSnapshot that covers a prefix of the follower's log (Figure 13, rule 6: if the
// snapshot's last entry is in the log with its term, keep the entries after it). Three
// servers L, F, G:
//  1. G crashes; L's AppendEntries replies from F are lost (the requests arrive) while L
//     appends 15 entries: F holds them all, nothing commits;
//  2. F crashes (it restarts with its log and commit index 0); G restarts and, with L,
//     commits the 15 entries and one more: L snapshots at index 9;
//  3. F restarts: L never heard F acknowledge anything, so its first message to F is its
//     snapshot at 9, which F's log holds with the same term, with entries 10..16 after it.
//     F must keep them, apply the snapshot and then 10, 11, … A follower that keeps them at
//     the wrong indexes applies the wrong commands (the apply checks).
export const TestScenarioSnapshotPrefixPartD = defineTest("D", "TestScenarioSnapshotPrefixPartD", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, true);
  cfg.begin("Test (PartD): scenario: a snapshot of a prefix of the follower's log keeps the rest");

  let cmd = 100;
  await cfg.one(++cmd, servers, true);
  const l = await cfg.checkOneLeader();
  const [f, g] = [1, 2].map((k) => (l + k) % servers) as [number, number];

  // 1. F gets 15 entries; L never hears that it did.
  cfg.crash1(g);
  cfg.loseReplies(l, f, "Raft.AppendEntries", true);
  for (let k = 0; k < 15; k++) cfg.rafts[l]!.Start(++cmd);
  await sleep(RaftElectionTimeout / 2);

  // 2. F goes down with them; L and G commit them, and L snapshots.
  cfg.crash1(f);
  cfg.loseReplies(l, f, "Raft.AppendEntries", false);
  cfg.start1(g);
  cfg.connect(g);
  await cfg.one(++cmd, 2, true);

  // 3. F comes back: the snapshot covers a prefix of its log.
  cfg.start1(f);
  cfg.connect(f);
  await cfg.one(++cmd, servers, true);
  await cfg.one(++cmd, servers, true);
  cfg.end();
});
declareExercises(TestScenarioSnapshotPrefixPartD.name, ["install-snapshot", "crash-restart"]);
