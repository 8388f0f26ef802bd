/**
 * The one scheduler of the content script: it runs a slice of work on the next animation frame,
 * or in an ordinary task when asked (long walks), with a timeout backstop, and never while the
 * tab is hidden. Each request is numbered, so a frame, task or backstop left over from an earlier
 * request cannot run an extra slice.
 */

/** Backstop: rAF can be throttled or skipped; a visible page is flushed at least this often. */
export const BACKSTOP_MS = 200;

export interface FrameHost {
  isHidden(): boolean;
  requestFrame(cb: () => void): unknown;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class SliceScheduler {
  #scheduled = false;
  #round = 0;
  #backstop: unknown = null;

  readonly #host: FrameHost;
  /** One slice of work; called at most once per request. */
  readonly #runSlice: () => void;

  constructor(host: FrameHost, runSlice: () => void) {
    this.#host = host;
    this.#runSlice = runSlice;
  }

  /**
   * Ask for one slice. With `inTask`, an ordinary task is asked for as well, and usually comes
   * first: such tasks take turns with the page's own, where work in every animation frame made
   * the frames long and starved the page's tasks (a million-node flood). Whichever comes first
   * runs the slice.
   */
  request(inTask: boolean): void {
    if (this.#scheduled || this.#host.isHidden()) return; // a hidden tab is resumed by the caller
    this.#scheduled = true;
    const round = ++this.#round;
    this.#host.requestFrame(() => this.#fire(round));
    if (inTask) this.#host.setTimeout(() => this.#fire(round), 0);
    // One backstop stays armed across slices (arming and clearing a timer per frame showed up in
    // the bench profile); when it fires it runs a slice only if a frame has not come since.
    if (this.#backstop === null) {
      this.#backstop = this.#host.setTimeout(() => {
        this.#backstop = null;
        this.#fire(this.#round);
      }, BACKSTOP_MS);
    }
  }

  cancel(): void {
    this.#scheduled = false;
    this.#round++;
    if (this.#backstop !== null) this.#host.clearTimeout(this.#backstop);
    this.#backstop = null;
  }

  #fire(round: number): void {
    if (!this.#scheduled || round !== this.#round) return;
    this.#scheduled = false;
    if (this.#host.isHidden()) return;
    this.#runSlice();
  }
}
