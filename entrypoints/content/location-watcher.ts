/**
 * Route changes of single-page apps (TikTok, YouTube, Facebook and Instagram change the URL
 * without loading a page), seen without telling the page: the Navigation API's `navigate` event
 * where the browser has it (at once), and a poll of `location.href` once a second everywhere (a
 * content script's view of `navigation` does not see every page-made change in every browser).
 * A callback, not a DOM event: a page can listen for DOM events.
 */

/** How often the URL is compared. */
export const POLL_MS = 1000;

export interface LocationHost {
  href(): string;
  /** The Navigation API's `navigation`, when the browser has one. */
  navigation?: EventTarget | null;
  setTimeout(cb: () => void, ms: number): unknown;
  setInterval(cb: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  signal: AbortSignal;
}

/** Call `onChange` once per new URL until `host.signal` aborts. */
export function watchLocation(host: LocationHost, onChange: (url: string) => void): void {
  let last = host.href();
  const check = () => {
    if (host.signal.aborted) return;
    const now = host.href();
    if (now === last) return;
    last = now;
    onChange(now);
  };
  if (host.navigation) {
    // The event comes before the URL changes (pushState updates it when the event is done).
    host.navigation.addEventListener('navigate', () => host.setTimeout(check, 0), { signal: host.signal });
  }
  const timer = host.setInterval(check, POLL_MS);
  host.signal.addEventListener('abort', () => host.clearInterval(timer));
}
