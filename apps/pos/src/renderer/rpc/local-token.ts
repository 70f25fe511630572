// The local token reaches the page in the URL fragment (`/#token=...`): a fragment never goes
// to a server or a log. It is moved to sessionStorage and wiped from the address bar at once.
const KEY = 'pos.localToken';

/** The token from the fragment (then forgotten there) or from this tab's storage. */
export function takeLocalToken(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(KEY, fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem(KEY);
}

/** Keeps a token typed on the token page. */
export function saveLocalToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}
