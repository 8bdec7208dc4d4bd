// A live progress line for long runs: done / failed / rate / ETA. On a terminal it is a
// cli-progress bar; in a log (CI) it prints a plain line every 10%.
import cliProgress from "cli-progress";
import pc from "picocolors";

export class Progress {
  private bar: cliProgress.SingleBar | undefined;
  private done = 0;
  private failed = 0;
  private lastPct = -1;
  private readonly started = Date.now();

  constructor(private readonly total: number, private readonly label: string, private readonly out = process.stderr) {
    if (out.isTTY === true) {
      this.bar = new cliProgress.SingleBar({
        format: `${label} ${pc.cyan("{bar}")} {value}/{total} | ${pc.red("failed {failed}")} | {rate}/s | ETA {eta_formatted}`,
        barsize: 30,
        hideCursor: true,
        stream: out,
        etaBuffer: 50,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(total, 0, { failed: 0, rate: "0.0" });
    } else {
      out.write(`${label}: ${total} runs\n`);
    }
  }

  tick(passed: boolean): void {
    this.done++;
    if (!passed) this.failed++;
    const rate = (this.done / Math.max(0.001, (Date.now() - this.started) / 1000)).toFixed(1);
    if (this.bar !== undefined) {
      this.bar.update(this.done, { failed: this.failed, rate });
      return;
    }
    const pct = Math.floor((this.done / this.total) * 10) * 10;
    if (pct !== this.lastPct) {
      this.lastPct = pct;
      this.out.write(`${this.label}: ${this.done}/${this.total} (${pct}%), ${this.failed} failed, ${rate}/s\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
