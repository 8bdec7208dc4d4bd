// Colour for the raftlab command, decided once per process. ANSI codes go only to a terminal:
// never into a pipe, a file or a CI log (picocolors, like vitest's tinyrainbow, colours
// whenever CI is set; CI logs are often read as plain text or grepped). NO_COLOR turns colour
// off; FORCE_COLOR (not "0") turns it on anywhere.
import picocolors from "picocolors";

/** Whether CI is set to anything but "", "false" or "0" (as CI systems set it: CI=true). */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
}

export function colourWanted(env: NodeJS.ProcessEnv = process.env, isTTY = process.stdout.isTTY === true): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "") return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (isCI(env)) return false;
  return isTTY && env.TERM !== "dumb";
}

/** picocolors' functions, on or off by colourWanted(). */
export const pc = picocolors.createColors(colourWanted());
