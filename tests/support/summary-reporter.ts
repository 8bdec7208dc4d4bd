// Prints one closing line, `N passed, N failed[, N skipped]`, alone on its line, so a reader
// of a CI log (human or machine) sees the count at a glance. The line never contradicts
// vitest's exit status: a file that fails to load, a hook that throws, a worker that was
// killed (out of memory, say) and an error thrown outside any test all count as failed, and
// the tests such a failure kept from running count as failed, not skipped. Only tests that
// were meant to be skipped (test.skip, a -t filter, ctx.skip(note)) count as skipped; the
// notes of ctx.skip() are printed after the count, once each.
import type { Reporter, SerializedError, TestModule, TestRunEndReason, TestSuite } from "vitest/node";

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** Of the failed: failures outside any test (a file that did not load, a hook, an unhandled error, a dead worker). */
  outside: number;
  /** Why tests were skipped, as given to ctx.skip(note). */
  notes: string[];
}

function hookErrors(entity: TestModule | TestSuite): number {
  let n = entity.errors().length;
  for (const s of entity.children.allSuites()) n += s.errors().length;
  return n;
}

export function count(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): Counts {
  const c: Counts = { passed: 0, failed: 0, skipped: 0, outside: 0, notes: [] };
  for (const mod of testModules) {
    let failedHere = 0;
    for (const t of mod.children.allTests()) {
      const r = t.result();
      if (r.state === "passed") c.passed++;
      else if (r.state === "failed") failedHere++;
      else if (r.state === "skipped" && (t.options.mode === "skip" || t.options.mode === "todo" || r.note !== undefined)) {
        c.skipped++;
        if (r.note !== undefined && !c.notes.includes(r.note)) c.notes.push(r.note);
      } else failedHere++; // kept from running by a failure of its file, a hook or the worker
    }
    c.failed += failedHere;
    // A file that failed with no failing test of its own (load error, throwing afterAll) is one failure.
    if ((mod.state() === "failed" || hookErrors(mod) > 0) && failedHere === 0) c.outside++;
  }
  c.outside += unhandledErrors.length;
  // Whatever else vitest counts as a failure (it exits non-zero): never report 0 failed then.
  if (reason === "failed" && c.failed + c.outside === 0) c.outside = 1;
  c.failed += c.outside;
  return c;
}

export function closingLine(c: Counts): string {
  const skipped = c.skipped > 0 ? `, ${c.skipped} skipped${c.notes.length > 0 ? ` (${c.notes.join("; ")})` : ""}` : "";
  const outside = c.outside > 0 ? ` (${c.failed - c.outside} test${c.failed - c.outside === 1 ? "" : "s"}, ${c.outside} error${c.outside === 1 ? "" : "s"} outside tests)` : "";
  return `${c.passed} passed, ${c.failed} failed${outside}${skipped}`;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    process.stdout.write(`\n${closingLine(count(testModules, unhandledErrors, reason))}\n`);
  }
}
