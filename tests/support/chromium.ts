// Where the timeline's browser test finds Chromium, and what it does without one. The
// browser is the one thing `make test` needs beyond Node and make: Debian's package, driven
// by playwright-core (no browser download). Without it the browser tests are skipped with one
// loud line naming the install command; under CI=true they fail instead, so a CI machine
// without a browser cannot pass unnoticed.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { isCI } from "../../src/cli/colour.ts";

export const INSTALL_CHROMIUM = "apt-get install chromium";

/** CHROMIUM=<path> if set, else `chromium` or `chromium-browser` on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.CHROMIUM ? [env.CHROMIUM] : (env.PATH ?? "").split(delimiter).filter(Boolean).flatMap((d) => [join(d, "chromium"), join(d, "chromium-browser")]);
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Under CI (CI=true) the browser test is required. */
export function chromiumRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return isCI(env);
}

export const NO_CHROMIUM = `no Chromium on PATH: the timeline's browser test needs it; install it with \`${INSTALL_CHROMIUM}\``;
