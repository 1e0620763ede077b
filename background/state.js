// What every part of the worker shares: the core (loaded once), the storage keys it names, the
// clock, one-at-a-time storage writes, the sign-out generation, the settings in force and the
// API's "not before". No decision here: each is the core's (named at its call).
import init, { effectiveSettings, holdAfter, holdRemaining, maxResponseBytes, reclaimStorage, storageKeys } from './pkg/core.js';
import { API_ORIGIN, APP_ORIGIN } from './config.js';
import { local, managedPolicy, postJson, request } from './browser.js';

export let coreReady = false;
// Every storage key, key prefix and alarm name, as the core names them (storage::KEYS): set
// when the core has loaded, and every use runs after `ready`.
export let KEY = null;
export const ready = init({ module_or_path: new URL('./pkg/core_bg.wasm', import.meta.url) }).then(() => {
  KEY = storageKeys();
  coreReady = true;
});
// Runs `task` once the core has loaded: at once (synchronously) when it has.
export function whenReady(task) {
  try {
    return (coreReady ? Promise.resolve(task()) : ready.then(task)).catch(() => {});
  } catch {
    return Promise.resolve();
  }
}

export const nowIso = () => new Date().toISOString();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const randomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));

// Read-modify-write of the cache index and the queue happen one at a time: two tabs finishing
// their fetches together must not overwrite each other's index entries.
let chain = Promise.resolve();
export function exclusive(task) {
  const run = chain.then(task, task);
  chain = run.catch(() => {});
  return run;
}

// Every write to chrome.storage.local. A full storage area (its quota) is not a failure: the
// core names what to give up (orphaned cache entries, then the least recently used half of
// the cache, never the session, the queue or a privacy choice) and the write is tried again.
// Called inside exclusive(). Returns what was written (a cache body the core gave up is not).
export async function write(items) {
  for (let round = 0; ; round += 1) {
    try {
      await local.set(items);
      return items;
    } catch (error) {
      if (round >= 8 || !/quota/i.test(String(error?.message ?? error))) throw error;
      const everything = await local.everything();
      const reclaimed = reclaimStorage(items[KEY.cacheIndex] ?? everything[KEY.cacheIndex] ?? null, Object.keys(everything));
      if (reclaimed.remove.length === 0) throw error;
      await local.remove(reclaimed.remove);
      items = { ...items, [KEY.cacheIndex]: reclaimed.index };
      for (const key of reclaimed.remove) delete items[key];
    }
  }
}

// The sign-out generation. Every sign-out (and "Clear local data", and a refused refresh) adds
// one, in the same exclusive() section as its removals, and aborts the requests in flight.
// Work started under one generation (a refresh, a fetch, a batch) writes nothing once it has
// changed: a refresh or a fetch answered after a sign-out cannot bring a session or a cached
// analysis back.
export const epochNow = async () => (await local.get(KEY.signOutEpoch))[KEY.signOutEpoch] ?? 0;
let signOutController = new AbortController();
/** Aborted by the next sign-out: taken when a piece of work begins. */
export const generationSignal = () => signOutController.signal;
export function endGeneration() {
  signOutController.abort(new DOMException('signed out', 'AbortError'));
  signOutController = new AbortController();
}

/**
 * A request to the API, its answer capped at the core's maxResponseBytes, ended by the next
 * sign-out (`cancelled`: this generation's signal unless given; null for none).
 */
export const send = (req, cancelled = generationSignal()) => request(req, { cancelled, cap: maxResponseBytes() });
/** A JSON POST to the API, as send(). */
export const sendJson = (url, body, cancelled = generationSignal()) => postJson(url, body, { cancelled, cap: maxResponseBytes() });

// The administrator's policy (chrome.storage.managed) over the user's choices. Read once and
// kept until either changes (storage.onChanged, forgetSettings), not on every request. A
// policy that cannot be read pauses analytics (the core's analyticsPaused: nothing recorded or
// sent, the queue kept) and is read again next time.
let settingsCache = null;
export function currentSettings() {
  settingsCache ??= (async () => {
    const managed = await managedPolicy().then((policy) => ({ policy }), () => null);
    const stored = await local.get([KEY.analyticsOptOut, KEY.declineAi]);
    const settings = effectiveSettings(managed ? managed.policy : null, stored, API_ORIGIN, APP_ORIGIN, managed !== null);
    if (!managed) settingsCache = null;
    return settings;
  })().catch((error) => {
    settingsCache = null; // a failed read is not kept
    throw error;
  });
  return settingsCache;
}
export const forgetSettings = () => {
  settingsCache = null;
};

// The API's "not before" (a 429 or 503 with Retry-After): kept in storage, so that every
// request to that origin honours it, from any tab, after a worker restart too. Milliseconds
// left, 0 when none.
export async function heldFor(settings) {
  const { [KEY.holdUntil]: hold } = await local.get(KEY.holdUntil);
  return holdRemaining(hold ?? null, settings.apiOrigin, nowIso());
}
export async function noteHold(answer, settings) {
  if (!answer) return;
  const hold = holdAfter(answer.status, answer.header('retry-after') ?? undefined, settings.apiOrigin, nowIso());
  if (hold) await exclusive(() => write({ [KEY.holdUntil]: hold }));
}
