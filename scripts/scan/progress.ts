/**
 * Progress on standard error: a bar redrawn in place on a terminal, one plain line every few
 * seconds otherwise (a batch job's log). The total is known in bytes, not pages, so the share
 * done and the time left come from the bytes of the inputs read so far.
 */
export class Progress {
  private pages = 0;
  private bytesDone = 0;
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly totalBytes: number,
    private readonly out: NodeJS.WriteStream | null,
    private readonly tty: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  page(): void {
    this.pages++;
    this.draw(false);
  }

  /** Bytes of the inputs finished so far, plus how far into the current one the reader is. */
  bytes(done: number): void {
    this.bytesDone = Math.min(done, this.totalBytes);
    this.draw(false);
  }

  line(): string {
    const elapsed = Math.max(1, this.now() - this.started) / 1000;
    const rate = (this.pages / elapsed) * 60;
    const share = this.totalBytes > 0 ? this.bytesDone / this.totalBytes : 1;
    const left = share > 0 ? (elapsed * (1 - share)) / share : NaN;
    const eta = Number.isFinite(left) ? formatSeconds(left) : '?';
    return `${this.pages} pages, ${rate.toFixed(0)} pages/min, ${(share * 100).toFixed(1)} % of input, ${eta} left`;
  }

  private draw(final: boolean): void {
    if (!this.out) return;
    const t = this.now();
    if (!final && t - this.lastDraw < (this.tty ? 200 : 5_000)) return;
    this.lastDraw = t;
    if (this.tty) {
      const width = 24;
      const share = this.totalBytes > 0 ? this.bytesDone / this.totalBytes : 1;
      const filled = Math.round(share * width);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.line()}\u001b[K`);
      if (final) this.out.write('\n');
    } else {
      this.out.write(`scan: ${this.line()}\n`);
    }
  }

  finish(): void {
    this.bytesDone = this.totalBytes;
    this.draw(true);
  }
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
