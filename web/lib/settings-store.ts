/** What the browser remembers: terms accepted (per terms version) and the optional API key. */
export interface Settings {
  readonly termsAccepted: boolean;
  readonly apiKey: string;
}

/** Bump when the terms change: everyone accepts the new text once. */
export const TERMS_VERSION = '2025-01';
const TERMS_KEY = 'restain.termsAccepted';
const API_KEY_KEY = 'restain.apiKey';
const CHANGE_EVENT = 'restain:settings';

/** The minimal Storage surface (localStorage in the browser, a Map-backed fake in tests). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function storage(): KeyValueStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    // Storage disabled (privacy settings): settings last for this page only.
    return null;
  }
}

const memory = new Map<string, string>();

function read(store: KeyValueStorage | null, key: string): string | null {
  try {
    return store ? store.getItem(key) : (memory.get(key) ?? null);
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(store: KeyValueStorage | null, key: string, value: string | null): void {
  if (value === null) memory.delete(key);
  else memory.set(key, value);
  try {
    if (value === null) store?.removeItem(key);
    else store?.setItem(key, value);
  } catch {
    // Quota or disabled storage: the in-memory copy still serves this page.
  }
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(CHANGE_EVENT));
}

export function readSettings(store: KeyValueStorage | null = storage()): Settings {
  return { termsAccepted: read(store, TERMS_KEY) === TERMS_VERSION, apiKey: read(store, API_KEY_KEY) ?? '' };
}

export function acceptTerms(store: KeyValueStorage | null = storage()): void {
  write(store, TERMS_KEY, TERMS_VERSION);
}

/** Stores the key (trimmed); an empty key removes it. */
export function saveApiKey(key: string, store: KeyValueStorage | null = storage()): void {
  const trimmed = key.trim();
  write(store, API_KEY_KEY, trimmed === '' ? null : trimmed);
}

/** Calls `listener` when settings change in this tab or another one. */
export function subscribeSettings(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === TERMS_KEY || event.key === API_KEY_KEY) listener();
  };
  window.addEventListener(CHANGE_EVENT, listener);
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener(CHANGE_EVENT, listener);
    window.removeEventListener('storage', onStorage);
  };
}
