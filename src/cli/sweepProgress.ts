/** Where progress goes: stderr, in production. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

const BAR = 24;

/**
 * Progress of a run on stderr: a bar redrawn in place on a TTY (streams listed / checked / changed / confirmed,
 * checks per second, ETA), plain lines otherwise (one every `plainEveryMs`, and the last).
 */
export class SweepProgress {
  readonly #out: ProgressOutput;
  readonly #started = Date.now();
  readonly #plainEveryMs: number;
  #listed = 0;
  #checked = 0;
  #changed = 0;
  #confirmed = 0;
  #lastDraw = 0;
  #drawn = false;

  public constructor(out: ProgressOutput, options: { plainEveryMs?: number } = {}) {
    this.#out = out;
    this.#plainEveryMs = options.plainEveryMs ?? 5000;
  }

  public listed(count: number): void {
    this.#listed += count;
    this.#draw();
  }

  public checked(): void {
    this.#checked += 1;
    this.#draw();
  }

  public changed(): void {
    this.#changed += 1;
    this.#draw();
  }

  public confirmed(): void {
    this.#confirmed += 1;
    this.#draw();
  }

  /** A line of its own (e.g. a fallback or an error), above the bar. */
  public note(text: string): void {
    this.#clear();
    this.#out.write(`${text}\n`);
    this.#draw(true);
  }

  /** Final line. */
  public done(): void {
    this.#clear();
    this.#out.write(`${this.line()}\n`);
  }

  /** The counts as one line. */
  public line(): string {
    const seconds = Math.max(0.001, (Date.now() - this.#started) / 1000);
    const rate = this.#checked / seconds;
    const left = this.#listed - this.#checked;
    const eta = rate > 0 && left > 0 ? `, ETA ${Math.ceil(left / rate)} s` : '';
    return `listed ${this.#listed}, checked ${this.#checked}, changed ${this.#changed}, confirmed ${this.#confirmed} (${rate.toFixed(1)}/s${eta})`;
  }

  #clear(): void {
    if (this.#out.isTTY === true && this.#drawn) this.#out.write('\r\x1b[2K');
    this.#drawn = false;
  }

  #draw(force = false): void {
    const now = Date.now();
    if (this.#out.isTTY === true) {
      if (!force && now - this.#lastDraw < 100) return;
      const filled = this.#listed === 0 ? 0 : Math.round((this.#checked / this.#listed) * BAR);
      this.#out.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${this.line()}`);
      this.#drawn = true;
    } else {
      if (force || now - this.#lastDraw < this.#plainEveryMs) return;
      this.#out.write(`${this.line()}\n`);
    }
    this.#lastDraw = now;
  }
}
