// A live progress line for long runs: done / failed / rate / ETA. On a terminal it is a
// cli-progress bar; in a log (CI, a pipe) it prints a plain line at every tenth of the way,
// with the exact percentage.
import cliProgress from "cli-progress";
import { pc } from "./colour.ts";

/** "failed N", red only when N > 0. */
export function failedText(n: number, colours: { red(s: string): string } = pc): string {
  return n > 0 ? colours.red(`failed ${n}`) : `failed ${n}`;
}

/** The percentage done, floored to a whole percent (100% only when all is done). */
export function percent(done: number, total: number): number {
  return total <= 0 ? 100 : Math.floor((done * 100) / total);
}

export class Progress {
  private bar: cliProgress.SingleBar | undefined;
  private done = 0;
  private failed = 0;
  private lastTenth = 0;
  private readonly started = Date.now();

  constructor(private readonly total: number, private readonly label: string, private readonly out: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown } = process.stderr) {
    if (out.isTTY === true) {
      this.bar = new cliProgress.SingleBar({
        format: `${label} ${pc.cyan("{bar}")} {value}/{total} | {failedText} | {rate}/s | ETA {eta_formatted}`,
        barsize: 30,
        hideCursor: true,
        stream: out as NodeJS.WriteStream,
        etaBuffer: 50,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(total, 0, { failedText: failedText(0), rate: "0.0" });
    } else {
      out.write(`${label}: ${total} runs\n`);
    }
  }

  tick(passed: boolean): void {
    this.done++;
    if (!passed) this.failed++;
    const rate = (this.done / Math.max(0.001, (Date.now() - this.started) / 1000)).toFixed(1);
    if (this.bar !== undefined) {
      this.bar.update(this.done, { failedText: failedText(this.failed), rate });
      return;
    }
    // A line at the first run, then each time another tenth is done, and at the end.
    const tenth = Math.floor((this.done * 10) / this.total);
    if (this.done === 1 || tenth > this.lastTenth || this.done === this.total) {
      this.lastTenth = tenth;
      this.out.write(`${this.label}: ${this.done}/${this.total} (${percent(this.done, this.total)}%), ${this.failed} failed, ${rate}/s\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
