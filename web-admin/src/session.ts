// The login session: the tokens login and refreshToken answer, kept in
// localStorage so a reload stays logged in. Listeners (src/App.tsx) rebuild
// the GraphQL client when the session changes, so one account's cached
// answers are never shown to another (login, logout, switchAccount).
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  refreshExpiresAt: string;
}

const storageKey = 'mashang.session';
type Listener = () => void;
const listeners = new Set<Listener>();
let generation = 0;

export function loadTokens(): Tokens | null {
  try {
    const raw = localStorage.getItem(storageKey);
    if (!raw) return null;
    const t = JSON.parse(raw) as Tokens;
    if (!t.accessToken || !t.refreshToken) return null;
    if (t.refreshExpiresAt && Date.parse(t.refreshExpiresAt) < Date.now()) return null;
    return t;
  } catch {
    return null;
  }
}

/** Store fresh tokens; `rebuild` false keeps the client (a token refresh). */
export function saveTokens(t: Tokens | null, rebuild = true) {
  if (t) localStorage.setItem(storageKey, JSON.stringify(t));
  else localStorage.removeItem(storageKey);
  if (rebuild) changed();
}

/** The acting account changed on the server (switchAccount): drop every cached answer. */
export function changed() {
  generation++;
  listeners.forEach((l) => l());
}

export function sessionGeneration() {
  return generation;
}

export function onSessionChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
