// The API's resources (a deal's analysis, the portfolio, the descriptions): planned by the core
// (planFetch: from the cache, fetched, or both), each attempt judged by it (nextStep), every
// answer validated by it before it is kept (completeFetch) and again when it is read
// (readStored). Two tabs on one deal make one request.
import { admitAnalysis, completeFetch, nextStep, planFetch, readStored, sweepCache } from './pkg/core.js';
import { local, session, uiLanguage } from './browser.js';
import {
  KEY, currentSettings, exclusive, generationSignal, heldFor, noteHold, nowIso, send, sleep, write,
} from './state.js';
import { refreshSession, sessionEnded } from './session.js';
import { tellLists } from './lists.js';

// What storage holds under `key`, validated by the core as strictly as a response: the data,
// null, or {corrupt: true} for a damaged entry (never shown; the caller fetches again).
async function recalled(resource, key, stale) {
  const found = await local.get([key, KEY.cacheIndex]);
  return readStored(resource, found[key] ?? null, found[KEY.cacheIndex] ?? null, key, nowIso(), Boolean(stale));
}
async function stored(resource, key, stale) {
  const data = await recalled(resource, key, stale);
  return data?.corrupt ? null : data;
}

async function attempt(plan, cancelled) {
  try {
    const answer = await send({ url: plan.url, headers: plan.headers }, cancelled);
    return { answer, status: answer.status, retryAfter: answer.header('retry-after') ?? undefined };
  } catch (error) {
    return { answer: null, status: undefined, timedOut: Boolean(error && error.name === 'TimeoutError') };
  }
}

// Performs a planned fetch: each attempt's outcome goes to the core (nextStep), which says
// whether it is done, waits and retries, refreshes the token once, signs out, or gives up.
async function performFetch(request, plan) {
  const cancelled = generationSignal(); // this generation's: a sign-out ends the fetch
  let refreshed = false;
  const settings = await currentSettings();
  // Not done, still signed in: cached data within its time to live stays shown, marked as not
  // refreshed.
  const failed = async (error) => ({ ok: false, signedIn: true, data: plan.serveCached ? await stored(request.resource, plan.key, true) : null, error });
  // Errors are the core's codes (retry::ErrorKind), which the side panel explains.
  const signedOut = { ok: false, signedIn: false, error: 'sessionExpired' };
  if (await heldFor(settings)) return failed('busy');
  let lastStatus;
  for (let number = 1; ; number += 1) {
    if (cancelled.aborted) return signedOut; // before a retry too: its token is revoked
    const result = await attempt(plan, cancelled);
    if (cancelled.aborted) return signedOut;
    await noteHold(result.answer, settings);
    // With the status an earlier attempt got: after repeated 5xx Chrome throttles the URL and
    // fails the next attempt as a network error, which is still the service failing, not offline.
    const step = nextStep(number, result.status, Boolean(result.timedOut), result.retryAfter, refreshed, Math.random(), nowIso(), lastStatus);
    lastStatus = result.status ?? lastStatus;
    if (step.next !== 'done') result.answer?.discard(); // not read: let it go
    if (step.next === 'done') return kept(request, plan, result, cancelled, failed, signedOut);
    if (step.next === 'retryAfter') {
      await sleep(step.delayMs);
      continue;
    }
    if (step.next === 'refreshThenRetry') {
      const refresh = await refreshSession();
      if (refresh.refused) return signedOut; // the grant is gone: refreshSession wiped local data
      if (!refresh.renewed) return failed(refresh.unavailable); // offline or failing: try later
      refreshed = true;
      const replanned = await planned(request, refresh.renewed);
      if (replanned.action !== 'fetch') return answerFromCache(request, replanned);
      plan = replanned;
      continue;
    }
    if (step.next === 'giveUp') return failed(step.reason);
    if (step.next !== 'signOut') return failed('server'); // a step this worker does not know
    break; // signOut: the token was refused again right after it was renewed
  }
  await sessionEnded(plan.epoch);
  return signedOut;
}

// The final answer of a fetch: its body read (capped), judged and kept as the core says.
async function kept(request, plan, result, cancelled, failed, signedOut) {
  // A body that fails while it is read (a timeout, a dropped connection, a sign-out) is a
  // failed attempt like any other: cached data stays shown.
  let body;
  try {
    body = await result.answer.text();
  } catch {
    if (cancelled.aborted) return signedOut;
    return failed('offline'); // timed out or cut off while the body was read
  }
  const done = await exclusive(async () => {
    const state = await local.get([KEY.cacheIndex, KEY.signOutEpoch]);
    if ((state[KEY.signOutEpoch] ?? 0) !== plan.epoch) return null; // signed out since it was planned
    const index = state[KEY.cacheIndex] ?? null;
    const completed = completeFetch(request.resource, result.status, result.answer.header('etag'), body, index, plan.key, nowIso());
    const writes = { [KEY.cacheIndex]: completed.index };
    if (completed.store) writes[plan.key] = body; // validated by the core before it is kept
    const written = await write(writes);
    if (completed.evicted.length) await local.remove(completed.evicted);
    return { ...completed, index: written[KEY.cacheIndex] };
  });
  if (!done) return signedOut;
  // A portfolio stored anew: the org's list badges show its scores now (lists.js).
  if (done.store && request.resource.kind === 'portfolio') tellLists(request.host).catch(() => {});
  // A new body is answered from memory (even if a full storage could not keep it).
  const data = done.store ? readStored(request.resource, body, done.index, plan.key, nowIso(), false)
    : plan.serveCached ? await stored(request.resource, plan.key, done.error) : null;
  return { ok: !done.error, signedIn: true, data: data?.corrupt ? null : data, error: done.error ?? undefined };
}

// Asks the core for a plan; the index (with the use recorded, for LRU) is written back.
function planned(request, renewed) {
  return exclusive(async () => {
    const settings = await currentSettings();
    const state = await local.get([KEY.session, KEY.cacheIndex, KEY.signOutEpoch]);
    const result = planFetch(renewed ?? state[KEY.session] ?? null, state[KEY.cacheIndex] ?? null, request.host, request.resource, nowIso(), settings, Boolean(request.refresh), uiLanguage());
    if (result.plan.action === 'cached' || result.plan.action === 'fetch') await write({ [KEY.cacheIndex]: result.index });
    if (result.orphans.length) await local.remove(result.orphans);
    return { ...result.plan, epoch: state[KEY.signOutEpoch] ?? 0 }; // the generation it belongs to
  });
}

async function answerFromCache(request, plan) {
  if (plan.action === 'signedOut') return { ok: true, signedIn: false };
  if (plan.action === 'invalid') return { ok: false, signedIn: true, error: 'invalid' };
  const data = await recalled(request.resource, plan.key);
  // A damaged entry is replaced by a fresh fetch (which overwrites it), once.
  if (data?.corrupt && !request.refresh) return resourceFor({ ...request, refresh: true });
  return { ok: true, signedIn: true, data: data?.corrupt ? null : data };
}

// The core paces the deals fetched for one tab (admitAnalysis): a page cannot have one analysis
// after another fetched by pushing Ids through its history, with or without the side panel open.
export const paceKey = (tabId) => `${KEY.pacePrefix}${tabId}`;
function admitted(tabId, recordId) {
  return exclusive(async () => {
    const key = paceKey(tabId);
    const { [key]: pace } = await session.get(key);
    const result = admitAnalysis(pace ?? null, recordId, nowIso());
    await session.set({ [key]: result.pace });
    return result.admitted;
  });
}

// A request asked for a tab whose plan the core paces (a deal's analysis) waits its turn; a
// cached answer costs nothing.
async function pacedFetch(request, plan) {
  if (request.tabId !== undefined && plan.paced && !(await admitted(request.tabId, request.resource.recordId))) {
    const data = plan.serveCached ? await stored(request.resource, plan.key, true) : null;
    return { ok: false, signedIn: true, data, error: 'busy' }; // too many records from this tab in a minute
  }
  return performFetch(request, plan);
}

const inFlight = new Map(); // cache key → promise

// A resource for `request` ({host, resource, refresh, tabId}): from the cache, fetched, or both
// (the cached copy at once while a stale one is revalidated in the background).
export async function resourceFor(request) {
  const plan = await planned(request);
  if (plan.action !== 'fetch') return answerFromCache(request, plan);
  // Registered at once (no await between the plan and this): a second caller for the same key
  // shares the request instead of planning another after the first has finished.
  if (!inFlight.has(plan.key)) {
    inFlight.set(plan.key, pacedFetch(request, plan).finally(() => inFlight.delete(plan.key)));
  }
  const fetching = inFlight.get(plan.key);
  if (plan.serveCached && !request.refresh) {
    const data = await stored(request.resource, plan.key);
    if (data) return { ok: true, signedIn: true, data }; // damaged: wait for the fetch
  }
  return fetching;
}

// Expired entries, and cache bodies no index entry names (left by a worker stopped between an
// index write and a removal): on the hourly alarm and whenever the worker starts.
export async function sweep() {
  await exclusive(async () => {
    const index = (await local.get(KEY.cacheIndex))[KEY.cacheIndex] ?? null;
    const swept = sweepCache(index, await local.keys(), nowIso());
    if (swept.remove.length === 0) return; // nothing expired or left behind: no write
    await write({ [KEY.cacheIndex]: swept.index });
    await local.remove(swept.remove);
  });
}
