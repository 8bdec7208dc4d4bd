// Platform clocks, timers and randomness in a Raft's source, found before it runs. Graded
// submissions run confined, where each of these fails the run (src/sandbox/lab/kernel.ts);
// a student's own `make partX` runs unconfined for speed, so this scan is what tells them at
// once, the way a compiler would, instead of leaving a run that no seed can replay.
import type ts from "typescript";

const USE_NOW = "use now() from src/sim (virtual time), so that a run replays exactly";
const USE_SLEEP = "use await sleep(ms) and go(name, fn) from src/sim";
const USE_RNG = "use rng(name) or randomInt(lo, hi) from src/sim (seeded, so that a run replays exactly)";

/** `object.member` uses that read the platform, and what to use instead. */
const MEMBERS: Record<string, Record<string, string>> = {
  Math: { random: USE_RNG },
  Date: { now: USE_NOW },
  performance: { now: USE_NOW },
  process: { hrtime: USE_NOW },
};
/** Calls of these globals, and what to use instead. */
const CALLS: Record<string, string> = { setTimeout: USE_SLEEP, setInterval: USE_SLEEP, setImmediate: USE_SLEEP, Date: USE_NOW };

/** One line per use: `path(line,col): raftlab: Math.random is not available to a Raft: …`. */
export function platformUses(t: typeof ts, file: ts.SourceFile, display: string): string[] {
  const out: string[] = [];
  const report = (node: ts.Node, what: string, instead: string): void => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    out.push(`${display}(${line + 1},${character + 1}): raftlab: ${what} is not available to a Raft: ${instead}`);
  };
  const visit = (node: ts.Node): void => {
    if (t.isPropertyAccessExpression(node) && t.isIdentifier(node.expression)) {
      const instead = MEMBERS[node.expression.text]?.[node.name.text];
      if (instead !== undefined) report(node, `${node.expression.text}.${node.name.text}`, instead);
    } else if ((t.isCallExpression(node) || t.isNewExpression(node)) && t.isIdentifier(node.expression)) {
      const instead = CALLS[node.expression.text];
      if (instead !== undefined) report(node, node.expression.text, instead);
    }
    t.forEachChild(node, visit);
  };
  visit(file);
  return out;
}
