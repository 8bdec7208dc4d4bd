// The raftlab command: run many seeds, replay one exactly, grade, merge, hand out.
import { Command, InvalidArgumentError, Option } from "commander";
import pc from "picocolors";
import { allTests } from "../../tests/suites/index.ts";
import { scenarios } from "../../tests/suites/scenarios.ts";
import { UsageError } from "./catalog.ts";
import { gradeCommand, mergeCommand } from "./grade.ts";
import { handoutCommand } from "./handout.ts";
import { DEFAULT_WATCHDOG_MS } from "./pool.ts";
import { replayCommand } from "./replay.ts";
import { runCommand } from "./run.ts";

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number of at least 1`);
    return n;
  };
}

function seedArg(v: string): string {
  if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError("a seed is an integer, as printed by a failing run");
  return v;
}

const raceOption = () => new Option("--race", "race mode: every go() task starts a seeded random 0–3 virtual ms late, as goroutines start in no particular order (this lab's -race)").default(false);
const implOption = () => new Option("--impl <path>", "the Raft implementation to test: a module exporting Make (default: the reference in src/raft)").default("");
const watchdogOption = () => new Option("--watchdog <seconds>", "wall-clock limit per test run; a run over it is stopped and reported as hung")
  .argParser(positiveInt("--watchdog")).default(DEFAULT_WATCHDOG_MS / 1000);

const program = new Command();
program
  .name("raftlab")
  .description("The MIT 6.5840 Raft lab (parts A–D) on a deterministic simulator: run tests over many seeds, replay any seed exactly, grade, hand out.")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

program.command("list")
  .description("list the 28 MIT tests by part, and the scripted scenarios")
  .action(() => {
    for (const t of allTests) process.stdout.write(`Part${t.part}  ${t.name}\n`);
    process.stdout.write("\nscripted scenarios (replayable, not graded; tests/suites/scenarios.ts):\n");
    for (const t of scenarios) process.stdout.write(`Part${t.part}  ${t.name}\n`);
  });

program.command("run")
  .description("run tests over many seeds in parallel worker threads, with live progress and a per-test table")
  .option("--part <parts>", "only these parts, e.g. A or B,C")
  .option("--test <regex>", "only tests whose name matches, e.g. Backup or 'Persist[12]'")
  .addOption(new Option("--seeds <n>", "how many seeds per test").argParser(positiveInt("--seeds")).default(10))
  .option("--seed <seed>", "run exactly this seed", seedArg)
  .option("--base <seed>", "first of the consecutive seeds (default: drawn at random and printed)", seedArg)
  .addOption(new Option("--workers <k>", "worker threads (default: one per core)").argParser(positiveInt("--workers")))
  .addOption(implOption())
  .option("--results <dir>", "where each run's folder of failing traces goes (results/latest links the newest)", "results")
  .addOption(raceOption())
  .addOption(watchdogOption())
  .action(async (o) => {
    process.exitCode = await runCommand({ ...o, watchdogMs: o.watchdog * 1000 });
  });

program.command("replay")
  .description("rerun one test with one seed exactly; show its trace as per-peer columns or a timeline")
  .argument("<test>", "the test's name, e.g. TestBackupPartB")
  .requiredOption("--seed <seed>", "the seed printed by the failing run", seedArg)
  .addOption(implOption())
  .option("--log", "print the trace as per-peer columns with coloured topics", false)
  .option("--topics <list>", "with --log: only these topics, e.g. election,vote,append")
  .option("--peers <list>", "with --log: only these peers, e.g. 0,2 (-1 is the tester/network)")
  .option("--html <file>", "write the run's timeline as one self-contained HTML file")
  .option("--check", "run the seed twice and confirm identical traces, or name the first divergence", false)
  .addOption(raceOption())
  .action(async (test: string, o) => {
    process.exitCode = await replayCommand(test, o);
  });

program.command("grade")
  .description("grade a submission: all four parts over many seeds, points per part, JSON and JUnit reports")
  .requiredOption("--impl <path>", "the submission: a module exporting Make")
  .addOption(new Option("--seeds <n>", "seeds per test").argParser(positiveInt("--seeds")).default(20))
  .option("--base <seed>", "first seed (grading is reproducible: the same seeds every time)", seedArg, "1")
  .option("--shard <i/N>", "grade only slice i (from 0) of N of the seeds; combine with `raftlab merge`")
  .option("--part <parts>", "only these parts")
  .addOption(new Option("--workers <k>", "worker threads (default: one per core)").argParser(positiveInt("--workers")))
  .option("--json <file>", "write the machine-readable report")
  .option("--junit <file>", "write a JUnit XML report")
  .addOption(raceOption())
  .addOption(watchdogOption())
  .action(async (o) => {
    process.exitCode = await gradeCommand({ ...o, watchdogMs: o.watchdog * 1000 });
  });

program.command("merge")
  .description("combine the JSON reports of a sharded grading run into one report")
  .argument("<reports...>", "the shards' JSON reports")
  .option("--json <file>", "write the merged JSON report")
  .option("--junit <file>", "write the merged JUnit XML report")
  .action((files: string[], o) => {
    process.exitCode = mergeCommand(files, o);
  });

program.command("handout")
  .description("write the student skeleton: the harness and tests, with the reference solution's marked code removed")
  .requiredOption("--out <dir>", "an empty or new folder")
  .option("--force", "write into a folder that is not empty", false)
  .action(async (o) => {
    process.exitCode = await handoutCommand(o);
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as { code?: string; exitCode?: number; message?: string };
  if (typeof err.code === "string" && err.code.startsWith("commander.")) {
    // Help and version are answers; anything else commander rejects is a usage error.
    process.exitCode = err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? 0 : 2;
  } else if (e instanceof UsageError) {
    process.stderr.write(`raftlab: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${pc.red("raftlab: internal error:")} ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
