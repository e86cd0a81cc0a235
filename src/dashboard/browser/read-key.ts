/**
 * The read key the page sends. `npm start` prints a link with the key in the URL fragment
 * (`http://localhost:4000/#key=...`): browsers never send the fragment to a server, and the page moves
 * it at once into sessionStorage (kept for this tab's session, gone when it closes) and out of the
 * address bar, so that it is neither bookmarked nor shared with the view's link.
 */

const STORAGE_KEY = 'taxi-pulse.readKey';

/** Moves a `#key=...` fragment into the session and removes it from the address bar. */
export function takeKeyFromFragment(): void {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const key = fragment.get('key');
  if (key === null) return;
  if (key.trim() !== '') storeKey(key.trim());
  fragment.delete('key');
  const rest = fragment.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`);
}

/** The key of this session, if one was given. */
export function storedKey(): string | undefined {
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
