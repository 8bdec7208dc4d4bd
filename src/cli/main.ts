// The raftlab command: run many seeds, replay one exactly, grade, merge, hand out.
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { allTests } from "../../tests/suites/index.ts";
import { scenarios } from "../../tests/suites/scenarios.ts";
import { countArg, implArg, outputDirArg, outputFileArg, seedArg, seedsArg } from "./args.ts";
import { UsageError } from "./catalog.ts";
import { pc } from "./colour.ts";
import { DEFAULT_STALL_MS } from "./contained.ts";
import { gradeCommand, mergeCommand, parseFailUnder } from "./grade.ts";
import { handoutCommand } from "./handout.ts";
import { DEFAULT_WATCHDOG_MS } from "./pool.ts";
import { replayCommand } from "./replay.ts";
import { runCommand } from "./run.ts";

// Every flag's value is checked by a parser from args.ts (one sentence, exit 2, before any work).
const positiveInt = (name: string): ((v: string) => number) => countArg(name);
const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** grade --watchdog: seconds of a still virtual clock, fractions allowed (e.g. 0.5). */
function stallSeconds(v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`--watchdog ${v}: seconds, more than 0 and at most 3600`);
  return n;
}

const raceOption = () => new Option("--race", "heavy scheduling mode: on top of the default seeded task order, every go() task starts a seeded random 0–5 virtual ms late, to hunt rarer interleavings").default(false);
const implOption = () => new Option("--impl <path>", "the Raft implementation to test: a module exporting Make").argParser(implArg).default("", "the reference in src/raft");
const watchdogOption = () => new Option("--watchdog <seconds>", "wall-clock limit per test run; a run over it is stopped and reported as hung")
  .argParser(positiveInt("--watchdog")).default(DEFAULT_WATCHDOG_MS / 1000);

// A reader that stops reading (`raftlab replay … --log | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const program = new Command();
program
  .name("raftlab")
  .description("The MIT 6.5840 Raft lab (parts A–D) on a deterministic simulator: run tests over many seeds, replay any seed exactly, grade, hand out.")
  .version(VERSION, "-V, --version", "print raftlab's version")
  .showHelpAfterError("(run with --help for usage)")
  .addHelpText("after", "\nExit status: 0 all passed, 1 a test failed, 2 bad usage, 3 a replay was not deterministic.")
  .exitOverride();

program.command("list")
  .description("list the 28 MIT tests by part, and the scripted scenarios")
  .action(() => {
    for (const t of allTests) process.stdout.write(`Part${t.part}  ${t.name}\n`);
    process.stdout.write("\nscenarios beyond MIT (run --scenarios; scored apart from MIT's 100 points in grade; docs/SCENARIOS.md):\n");
    for (const t of scenarios) process.stdout.write(`Part${t.part}  ${t.name}\n`);
  });

program.command("run")
  .description("run tests over many seeds in parallel worker threads, with live progress and a per-test table")
  .option("--part <parts>", "only these parts, e.g. A or B,C")
  .option("--test <regex>", "only tests whose name matches, e.g. Backup or 'Persist[12]'")
  .option("--scenarios", "also run the scenario bank (tests/suites/scenarios.ts, docs/SCENARIOS.md); with --test Scenario, only those", false)
  .addOption(new Option("--seeds <n>", "how many seeds per test (at most 10000)").argParser(seedsArg).default(10))
  .option("--seed <seed>", "run exactly this seed", seedArg("--seed"))
  .option("--base <seed>", "first of the consecutive seeds (default: drawn at random and printed)", seedArg("--base"))
  .addOption(new Option("--workers <k>", "worker threads (default: one per core)").argParser(positiveInt("--workers")))
  .addOption(implOption())
  .addOption(new Option("--results <dir>", "where each run's folder goes; runs with failures and the newest run are kept, others removed (results/latest links the newest)").argParser(outputDirArg("--results")).default("results"))
  .addOption(raceOption())
  .addOption(watchdogOption())
  .action(async (o) => {
    process.exitCode = await runCommand({ ...o, watchdogMs: o.watchdog * 1000 });
  });

program.command("replay")
  .description("rerun one test with one seed exactly; show its trace as per-peer columns or a timeline")
  .argument("<test>", "the test's name, e.g. TestBackupPartB")
  .requiredOption("--seed <seed>", "the seed printed by the failing run", seedArg("--seed"))
  .addOption(implOption())
  .option("--log", "print the trace as per-peer columns with coloured topics", false)
  .option("--topics <list>", "with --log: only these topics, e.g. election,vote,append")
  .option("--peers <list>", "with --log: only these peers, e.g. 0,2 (-1 is the tester/network)")
  .option("--html <file>", "write the run's timeline as one self-contained HTML file", outputFileArg("--html"))
  .option("--check", "run the seed twice and confirm identical traces, or name the first divergence", false)
  .addOption(raceOption())
  .action(async (test: string, o) => {
    process.exitCode = await replayCommand(test, o);
  });

program.command("grade")
  .description("grade a submission (or a class of them) in contained worker processes: all four parts over many seeds, points per part, JSON and JUnit reports")
  .option("--submission <path>", "the student's repository (with src/raft/), its src/raft folder, or one module file, anywhere on disk; only its src/raft files are used, over this course's harness")
  .option("--impl <path>", "a module exporting Make (a file of this checkout, e.g. tests/broken/persist-late.ts, or a student's file with its sibling files)")
  .option("--class <dir>", "grade every submission in DIR (each folder or module file is one student) into one class table; resumable")
  .addOption(new Option("--seeds <n>", "seeds per test (at most 10000)").argParser(seedsArg).default(20))
  .option("--base <seed>", "first seed (grading is reproducible: the same seeds every time)", seedArg("--base"), "1")
  .option("--shard <i/N>", "grade only slice i (from 0) of N of the seeds; combine with `raftlab merge`")
  .option("--part <parts>", "only these parts (the others are not graded; the score is out of what was graded)")
  .option("--test <regex>", "only tests whose name matches (scored out of what was graded)")
  .addOption(new Option("--workers <k>", "worker processes (default: one per core)").argParser(positiveInt("--workers")))
  .option("--json <file>", "write the machine-readable report (with --class: the class table as JSON)")
  .option("--junit <file>", "write a JUnit XML report")
  .option("--csv <file>", "with --class: the class table as CSV")
  .option("--reports <dir>", "with --class: each student's full JSON report in DIR")
  .option("--fail-under <score>", "exit 1 when the score is below SCORE (for autograding in CI)", parseFailUnder)
  .addOption(raceOption())
  .addOption(new Option("--watchdog <seconds>", "a run whose virtual clock stands still this many seconds of wall time is stopped and reported as hung")
    .argParser(stallSeconds).default(DEFAULT_STALL_MS / 1000))
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
    // --help, help and --version are answers (stdout, 0). Anything else commander rejects is
    // a usage error (stderr, 2), `raftlab` without a command included: its help goes to stderr.
    process.exitCode = err.code === "commander.helpDisplayed" || err.code === "commander.version" ? 0 : 2;
  } else if (e instanceof UsageError) {
    process.stderr.write(`raftlab: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${pc.red("raftlab: internal error:")} ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
