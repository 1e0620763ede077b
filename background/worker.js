// Service worker entry (module). Registers every chrome.* listener synchronously at the top and
// lets the core decide: routeMessage validates sender and shape and names the action; the
// core's client, retry, auth, settings and analytics functions plan every request and
// interpret every answer. This file performs what they name. Signed out it makes no network
// request: every fetch needs a session, except the code exchange that follows a hand-off the
// user started.
import init, {
  acceptHandOff, acknowledgeBatch, admitAnalysis, apiLanguage, pageAllowed, holdAfter, holdRemaining, maxResponseBytes, refreshRetryAt, batchOutcome, beginSignIn, completeFetch, effectiveSettings, isForced, nextStep, planFetch, readStored,
  reclaimStorage, recordEvent, refreshAlarmAt, refreshOutcome, refreshRequest, routeMessage, sessionFromTokenResponse, signOutPlan, storageKeys, sweepCache,
  tabContext, takeBatch,
} from './pkg/core.js';
import { API_ORIGIN, APP_ORIGIN } from './config.js';

let coreReady = false;
// Every storage key, key prefix and alarm name, as the core names them (storage::KEYS): set
// when the core has loaded, and every use below runs after `ready`.
let KEY = null;
const ready = init({ module_or_path: new URL('./pkg/core_bg.wasm', import.meta.url) }).then(() => {
  KEY = storageKeys();
  coreReady = true;
});

// The extension's own storage is closed to content scripts: tokens live there. Set again before
// every sign-in, which is refused when the browser will not (see the hand-off below).
const closeStorage = () => chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
closeStorage().catch(() => {});

const nowIso = () => new Date().toISOString();
// The language the extension speaks (its _locales catalog): the API answers in it.
const LANGUAGE = chrome.i18n.getMessage('locale_tag') || 'en';
const TIMEOUT_MS = 10000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The sign-out generation. Every sign-out (and "Clear local data", and a refused refresh) adds
// one, in the same exclusive() section as its removals, and aborts the requests in flight.
// Work started under one generation (a refresh, a fetch, a batch) writes nothing once it has
// changed: a refresh or a fetch answered after a sign-out cannot bring a session or a cached
// analysis back.
const epochNow = async () => (await chrome.storage.local.get(KEY.signOutEpoch))[KEY.signOutEpoch] ?? 0;
let signOutController = new AbortController();
// Every request's signal: its timeout, or the sign-out that ends the generation it started in
// (`cancelled`: signOutController.signal, taken when the work began).
const requestSignal = (cancelled = signOutController.signal) => AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), cancelled]);

// Read-modify-write of the cache index and the queue happen one at a time: two tabs finishing
// their fetches together must not overwrite each other's index entries.
let chain = Promise.resolve();
function exclusive(task) {
  const run = chain.then(task, task);
  chain = run.catch(() => {});
  return run;
}

// The administrator's policy (chrome.storage.managed) over the user's choices. Read once and
// kept until either changes (storage.onChanged below), not on every request. A policy that
// cannot be read pauses analytics (the core's analyticsPaused: nothing recorded or sent, the
// queue kept) and is read again next time.
let settingsCache = null;
function currentSettings() {
  settingsCache ??= (async () => {
    const managed = await chrome.storage.managed.get(null).then((policy) => ({ policy }), () => null);
    const local = await chrome.storage.local.get([KEY.analyticsOptOut, KEY.declineAi]);
    const settings = effectiveSettings(managed ? managed.policy : null, local, API_ORIGIN, APP_ORIGIN, managed !== null);
    if (!managed) settingsCache = null;
    return settings;
  })().catch((error) => {
    settingsCache = null; // a failed read is not kept
    throw error;
  });
  return settingsCache;
}

// Whether the administrator's policy lets the badge show on a page (allowedOrgHosts), answered
// to a record page's first message. After the browser starts, chrome.storage.managed answers
// only seconds later (docs/performance.md), and every record page would wait for it: until it
// has, the worker says yes where a copy of the policy it read last does (kept in its own
// storage, closed to content scripts), and checks those answers again once the live policy is
// in: a tab it does not allow is told to take its badge down. Everything that leaves the page's
// tab (the Tier 1 report, a request about the org) waits for the live policy (liveAllows).
// The core decides (pageAllowed); this keeps the reads and the tabs to check.
// The tabs a copy allowed are also in session storage (KEY.provisionalTabs): a worker stopped
// before the live policy arrived leaves them to the next one to check.
let managedLive; // chrome.storage.managed's content once read in this worker's life
let managedReading = null;
let managedGeneration = 0; // a read started before the policy changed does not count
const provisional = new Map(); // tab Id → page host, allowed by the copy
function noteProvisional(tabId, host) {
  provisional.set(tabId, host);
  chrome.storage.session.set({ [KEY.provisionalTabs]: Object.fromEntries(provisional) }).catch(() => {});
}
// The live policy, or null when Chromium could not give it (read again at the next question).
function readManaged() {
  const generation = managedGeneration;
  managedReading ??= chrome.storage.managed.get(null).then(async (policy) => {
    if (generation !== managedGeneration) return readManaged(); // changed meanwhile: read again
    managedLive = policy ?? {};
    const { [KEY.provisionalTabs]: earlier } = await chrome.storage.session.get(KEY.provisionalTabs).catch(() => ({}));
    const checked = [...Object.entries(earlier ?? {}).map(([tabId, host]) => [Number(tabId), host]), ...provisional];
    provisional.clear();
    for (const [tabId, host] of checked) {
      if (typeof host !== 'string' || pageAllowed(managedLive, undefined, host).allowed) continue;
      chrome.tabs.sendMessage(tabId, { type: 'policyRefused', host }).catch(() => {});
    }
    // Removed once told (a stop before this leaves them to the next worker); written only when
    // there were any, so an ordinary start costs one read.
    if (checked.length) await chrome.storage.session.remove(KEY.provisionalTabs).catch(() => {});
    // The copy is kept best effort, and only from the newest read: a full or failing storage
    // must not stand in the way of the live answer.
    try {
      await exclusive(async () => {
        const { [KEY.policyCopy]: copy } = await chrome.storage.local.get(KEY.policyCopy);
        if (generation === managedGeneration && JSON.stringify(copy ?? null) !== JSON.stringify(managedLive)) {
          await write({ [KEY.policyCopy]: managedLive });
        }
      });
    } catch {
      // kept at the next read
    }
    return managedLive;
  }, () => {
    if (generation === managedGeneration) managedReading = null;
    return null;
  });
  return managedReading;
}
// The live policy's answer, whatever the copy says. A policy that cannot be read allows nothing
// to leave the tab (the badge, on the device, stays: badgeAllowedFor).
const liveAllows = async (host) => {
  const policy = await readManaged();
  return policy !== null && pageAllowed(policy, undefined, host).allowed;
};
async function badgeAllowedFor(host, tabId) {
  const live = readManaged();
  if (managedLive === undefined) {
    const { [KEY.policyCopy]: copy } = await chrome.storage.local.get(KEY.policyCopy);
    const early = pageAllowed(managedLive, copy, host); // the live policy may be in by now
    // Only a yes is taken from the copy: a page it refuses waits for the live policy, which
    // may list the org since.
    if (early && early.provisional && early.allowed) {
      noteProvisional(tabId, host);
      return { allowed: true, provisional: true };
    }
    if (early && !early.provisional) return early;
  }
  const policy = await live;
  if (policy === null) {
    // Unreadable: the badge shows as it did before any policy, and is checked at the next read.
    noteProvisional(tabId, host);
    return { allowed: true, provisional: true };
  }
  return { allowed: pageAllowed(policy, undefined, host).allowed, provisional: false };
}

// Every write to chrome.storage.local. A full storage area (its quota) is not a failure: the
// core names what to give up (orphaned cache entries, then the least recently used half of
// the cache, never the session, the queue or a privacy choice) and the write is tried again.
// Called inside exclusive(). Returns what was written (a cache body the core gave up is not).
async function write(items) {
  for (let round = 0; ; round += 1) {
    try {
      await chrome.storage.local.set(items);
      return items;
    } catch (error) {
      if (round >= 8 || !/quota/i.test(String(error?.message ?? error))) throw error;
      const everything = await chrome.storage.local.get(null);
      const reclaimed = reclaimStorage(items[KEY.cacheIndex] ?? everything[KEY.cacheIndex] ?? null, Object.keys(everything));
      if (reclaimed.remove.length === 0) throw error;
      await chrome.storage.local.remove(reclaimed.remove);
      items = { ...items, [KEY.cacheIndex]: reclaimed.index };
      for (const key of reclaimed.remove) delete items[key];
    }
  }
}

// The API's "not before" (a 429 or 503 with Retry-After): kept in storage, so that every
// request to that origin honours it, from any tab, after a worker restart too.
async function heldFor(settings) {
  const { [KEY.holdUntil]: hold } = await chrome.storage.local.get(KEY.holdUntil);
  return holdRemaining(hold ?? null, settings.apiOrigin, nowIso());
}
async function noteHold(response, settings) {
  if (!response) return;
  const hold = holdAfter(response.status, response.headers.get('retry-after') ?? undefined, settings.apiOrigin, nowIso());
  if (hold) await exclusive(() => write({ [KEY.holdUntil]: hold }));
}

// Analytics: the core decides whether an event is recorded (signed in, the policy readable,
// not opted out, on the allow-list) and whether the queue is written.
function record(name, properties) {
  return exclusive(async () => {
    const settings = await currentSettings();
    const stored = await chrome.storage.local.get([KEY.analyticsQueue, KEY.session]);
    const recorded = recordEvent(stored[KEY.analyticsQueue] ?? null, name, properties ?? {}, nowIso(), stored[KEY.session] ?? null, settings);
    if (recorded.store) await write({ [KEY.analyticsQueue]: recorded.queue });
  });
}

// Sends one batch if the core says so; the batch is persisted as in flight before it is sent
// and acknowledged after, so a worker stopped in between resends the same batch Id. An expired
// access token is refreshed once and the same batch resent.
async function flush(onAlarm, refreshed = false) {
  const taken = await exclusive(async () => {
    const settings = await currentSettings();
    if (await heldFor(settings)) return { batch: null }; // the service asked to wait
    const stored = await chrome.storage.local.get([KEY.analyticsQueue, KEY.session, KEY.signOutEpoch]);
    const random = crypto.getRandomValues(new Uint8Array(16));
    const result = takeBatch(stored[KEY.analyticsQueue] ?? null, random, nowIso(), stored[KEY.session] ?? null, settings, onAlarm);
    // The core says what becomes of the stored queue: kept, written (a batch is now in
    // flight), or removed (opted out).
    if (result.store === 'remove') await chrome.storage.local.remove(KEY.analyticsQueue);
    else if (result.store === 'write') await write({ [KEY.analyticsQueue]: result.queue });
    return { ...result, epoch: stored[KEY.signOutEpoch] ?? 0 };
  });
  const { batch } = taken;
  if (!batch) return;
  const response = await fetch(batch.url, {
    method: 'POST', headers: Object.fromEntries(batch.headers), body: batch.body, credentials: 'omit',
    signal: requestSignal(),
  }).catch(() => null);
  await noteHold(response, await currentSettings());
  const body = response ? ((await boundedText(response).catch(() => '')) ?? '') : '';
  const outcome = batchOutcome(response?.status ?? 0, body, batch.batchId, refreshed);
  if (outcome === 'acknowledged') {
    await exclusive(async () => {
      const latest = await chrome.storage.local.get([KEY.analyticsQueue, KEY.signOutEpoch]);
      if ((latest[KEY.signOutEpoch] ?? 0) !== taken.epoch) return; // signed out meanwhile: the queue is gone
      await write({ [KEY.analyticsQueue]: acknowledgeBatch(latest[KEY.analyticsQueue] ?? null, batch.batchId) });
    });
  } else if (outcome === 'refreshThenResend') {
    const refresh = await refreshSession();
    if (refresh.renewed) await flush(onAlarm, true);
  }
}

// A response's body as text, read no further than the core's cap (maxResponseBytes): null when
// it is larger, without reading it at all when its Content-Length says so (a hostile or broken
// server cannot make the worker buffer more than the cap).
async function boundedText(response) {
  const cap = maxResponseBytes();
  const cancel = () => response.body?.cancel().catch(() => {});
  if (Number(response.headers.get('content-length')) > cap) {
    cancel();
    return null;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(whole);
}

async function attempt(plan, cancelled) {
  try {
    const response = await fetch(plan.url, {
      headers: Object.fromEntries(plan.headers), credentials: 'omit', signal: requestSignal(cancelled),
    });
    return { response, status: response.status, retryAfter: response.headers.get('retry-after') ?? undefined };
  } catch (error) {
    return { response: null, status: undefined, timedOut: Boolean(error && error.name === 'TimeoutError') };
  }
}

// Signs out locally: removes everything the core names (the session, the cache with any body
// no index names, the queue) and starts the next sign-out generation, then aborts what is in
// flight. Inside exclusive(), like every index write: a fetch completing meanwhile must not
// write back the index it read before the removal. With `ifEpoch`, only if no sign-out has
// happened since that generation (a refused refresh must not sign out a newer sign-in).
// Returns the core's plan (with the revocation to send), or null when nothing was done.
async function clearLocalData(ifEpoch) {
  const settings = await currentSettings();
  const plan = await exclusive(async () => {
    const stored = await chrome.storage.local.get([KEY.session, KEY.cacheIndex, KEY.signOutEpoch]);
    const epoch = stored[KEY.signOutEpoch] ?? 0;
    if (ifEpoch !== undefined && ifEpoch !== epoch) return null;
    const keys = await chrome.storage.local.getKeys();
    const removal = signOutPlan(stored[KEY.session] ?? null, stored[KEY.cacheIndex] ?? null, keys, settings.apiOrigin);
    await chrome.storage.local.remove(removal.remove);
    await chrome.storage.local.set({ [KEY.signOutEpoch]: epoch + 1 });
    return removal;
  });
  if (!plan) return null;
  signOutController.abort(new DOMException('signed out', 'AbortError'));
  signOutController = new AbortController();
  await chrome.alarms.clear(KEY.refreshAlarm);
  return plan;
}

// A refresh that failed without a refusal is tried again in a minute or two (or when the
// service's hold ends), not only when a request happens to need it.
async function scheduleRefreshRetry() {
  const { [KEY.holdUntil]: hold } = await chrome.storage.local.get(KEY.holdUntil);
  await chrome.alarms.create(KEY.refreshAlarm, { when: refreshRetryAt(hold ?? null, nowIso(), Math.random()) });
}

// Schedules the proactive token refresh (before expiry, with jitter).
async function scheduleRefresh(session) {
  const when = refreshAlarmAt(session ?? null, nowIso(), Math.random());
  if (when === null) await chrome.alarms.clear(KEY.refreshAlarm);
  else await chrome.alarms.create(KEY.refreshAlarm, { when });
}

// One token refresh (rotation), judged by the core: {renewed: session} (stored), {refused: true}
// (the grant is gone: local data is wiped, signed out) or {unavailable: code} (the session is
// kept; the next request or alarm tries again). Concurrent callers share one refresh: a rotated
// refresh token works only once.
let refreshing = null;
function refreshSession() {
  const cancelled = signOutController.signal;
  refreshing ??= (async () => {
    const settings = await currentSettings();
    const { [KEY.session]: session, [KEY.signOutEpoch]: epoch = 0 } = await chrome.storage.local.get([KEY.session, KEY.signOutEpoch]);
    const request = refreshRequest(session ?? null, settings.apiOrigin);
    if (!request || cancelled.aborted) return { refused: true };
    if (await heldFor(settings)) {
      await scheduleRefreshRetry();
      return { unavailable: 'busy' }; // the service asked to wait (retry::ErrorKind's code)
    }
    const response = await fetch(request.url, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: request.body,
      credentials: 'omit', signal: requestSignal(cancelled),
    }).catch(() => null);
    if (cancelled.aborted) return { refused: true }; // signed out meanwhile: nothing to keep or retry
    await noteHold(response, settings);
    const body = response ? ((await boundedText(response).catch(() => '')) ?? '') : '';
    const outcome = refreshOutcome(response ? response.status : 0, body, nowIso());
    if (outcome.renewed) {
      // Kept only if no sign-out happened while the request was out (the server has voided
      // the pair with the sign-in it belonged to).
      const kept = await exclusive(async () => {
        if ((await epochNow()) !== epoch) return false;
        await write({ [KEY.session]: outcome.renewed });
        return true;
      });
      if (!kept) return { refused: true };
      await scheduleRefresh(outcome.renewed);
    } else if (outcome.refused) {
      if (await clearLocalData(epoch)) await chrome.storage.session.set({ [KEY.sessionExpired]: true });
    } else {
      await scheduleRefreshRetry(); // offline, timed out or failing: the alarm is not lost
    }
    return outcome;
  })().catch((error) => {
    console.warn('[Deal health] token refresh failed:', error);
    return { unavailable: 'server' }; // an unforeseen failure here (storage): retry::ErrorKind's code
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

// What is stored for a resource, decoded again by the core (null if absent or no longer valid).
// What storage holds under `key`, validated by the core as strictly as a response: the data,
// null, or {corrupt: true} for a damaged entry (never shown; the caller fetches again).
async function recalled(resource, key, stale) {
  const found = await chrome.storage.local.get([key, KEY.cacheIndex]);
  return readStored(resource, found[key] ?? null, found[KEY.cacheIndex] ?? null, key, nowIso(), Boolean(stale));
}
async function stored(resource, key, stale) {
  const data = await recalled(resource, key, stale);
  return data?.corrupt ? null : data;
}

// Performs a planned fetch: each attempt's outcome goes to the core (nextStep), which says
// whether it is done, waits and retries, refreshes the token once, or gives up.
function performFetch(request, plan) {
  return performFetchIn(signOutController.signal, request, plan); // this generation's signal
}
async function performFetchIn(cancelled, request, plan) {
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
    await noteHold(result.response, settings);
    // With the status an earlier attempt got: after repeated 5xx Chrome throttles the URL and
    // fails the next attempt as a network error, which is still the service failing, not offline.
    const step = nextStep(number, result.status, Boolean(result.timedOut), result.retryAfter, refreshed, Math.random(), nowIso(), lastStatus);
    lastStatus = result.status ?? lastStatus;
    if (step.next !== 'done') result.response?.body?.cancel().catch(() => {}); // not read: let it go
    if (step.next === 'done') {
      // A body that fails while it is read (a timeout, a dropped connection, a sign-out) is a
      // failed attempt like any other: cached data stays shown.
      let body;
      try {
        body = await boundedText(result.response);
      } catch (error) {
        if (cancelled.aborted) return signedOut;
        return failed('offline'); // timed out or cut off while the body was read
      }
      const done = await exclusive(async () => {
        const state = await chrome.storage.local.get([KEY.cacheIndex, KEY.signOutEpoch]);
        if ((state[KEY.signOutEpoch] ?? 0) !== plan.epoch) return null; // signed out since it was planned
        const index = state[KEY.cacheIndex] ?? null;
        const completed = completeFetch(request.resource, result.status, result.response.headers.get('etag'), body, index, plan.key, nowIso());
        const writes = { [KEY.cacheIndex]: completed.index };
        if (completed.store) writes[plan.key] = body; // validated by the core before it is kept
        const written = await write(writes);
        if (completed.evicted.length) await chrome.storage.local.remove(completed.evicted);
        return { ...completed, index: written[KEY.cacheIndex] };
      });
      if (!done) return signedOut;
      // A new body is answered from memory (even if a full storage could not keep it).
      const data = done.store ? readStored(request.resource, body, done.index, plan.key, nowIso(), false)
        : plan.serveCached ? await stored(request.resource, plan.key, done.error) : null;
      return { ok: !done.error, signedIn: true, data: data?.corrupt ? null : data, error: done.error ?? undefined };
    }
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
  if (await clearLocalData(plan.epoch)) await chrome.storage.session.set({ [KEY.sessionExpired]: true });
  return signedOut;
}

// Asks the core for a plan; the index (with the use recorded, for LRU) is written back.
function planned(request, session) {
  return exclusive(async () => {
    const settings = await currentSettings();
    const state = await chrome.storage.local.get([KEY.session, KEY.cacheIndex, KEY.signOutEpoch]);
    const result = planFetch(session ?? state[KEY.session] ?? null, state[KEY.cacheIndex] ?? null, request.host, request.resource, nowIso(), settings, Boolean(request.refresh), LANGUAGE);
    if (result.plan.action === 'cached' || result.plan.action === 'fetch') await write({ [KEY.cacheIndex]: result.index });
    if (result.orphans.length) await chrome.storage.local.remove(result.orphans);
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

const inFlight = new Map(); // cache key → promise: two tabs on one deal make one request

// A resource for `request` ({host, resource, refresh}): from the cache, fetched, or both (the
// cached copy at once while a stale one is revalidated in the background).
// A deal asked for a tab (by its content script or its side panel) that needs the network is
// paced per tab; a cached answer costs nothing.
async function pacedFetch(request, plan) {
  if (request.tabId !== undefined && request.resource.kind === 'deal' && !(await admitted(request.tabId, request.resource.recordId))) {
    const data = plan.serveCached ? await stored(request.resource, plan.key, true) : null;
    return { ok: false, signedIn: true, data, error: 'busy' }; // too many records from this tab in a minute
  }
  return performFetch(request, plan);
}

async function resourceFor(request) {
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

const tabKey = (tabId) => `${KEY.tabPrefix}${tabId}`;

// Everything the side panel shows for a tab: the core turns it into the panel's view.
async function panelInput(action) {
  const tab = await chrome.tabs.get(action.tabId).catch(() => null);
  const tier1 = (await chrome.storage.session.get(tabKey(action.tabId)))[tabKey(action.tabId)] ?? null;
  // The analysis only of a record the content script has seen on the page (not the URL alone).
  const context = tabContext(tab && tab.url ? tab.url : '', tier1);
  const { [KEY.session]: session } = await chrome.storage.local.get(KEY.session);
  const ended = await chrome.storage.session.get([KEY.sessionExpired, KEY.signInError]);
  const input = {
    tab: context, tier1, signedIn: Boolean(session), settings: await currentSettings(),
    sessionExpired: !session && Boolean(ended[KEY.sessionExpired]), signInError: session ? null : (ended[KEY.signInError] ?? null),
  };
  // Nothing is asked about an org the administrator's live policy does not list.
  if (action.enriched && session && (!context.host || await liveAllows(context.host))) {
    const [deal, portfolio, descriptions] = await Promise.all([
      context.analyse ? resourceFor({ host: context.host, resource: { kind: 'deal', recordId: context.analyse }, refresh: action.refresh, tabId: action.tabId }) : null,
      context.host ? resourceFor({ host: context.host, resource: { kind: 'portfolio' }, refresh: action.refresh }) : null,
      // What factors and blind spots mean, in the user's language (cached 7 days).
      context.analyse ? resourceFor({ host: context.host, resource: { kind: 'descriptions', locale: apiLanguage(LANGUAGE) } }) : null,
    ]);
    Object.assign(input, { deal, portfolio, descriptions, signedIn: deal ? deal.signedIn !== false : input.signedIn });
    if (action.refresh) await record('analysis_refreshed', { trigger: 'manual', cached: false });
  }
  return input;
}

// "Sign out" and "Clear local data": local data first, whatever the server says, then the
// server is asked to revoke the sign-in (every token of it), best effort.
async function signOut() {
  await chrome.storage.session.remove([KEY.sessionExpired, KEY.signInError]); // the user's own choice
  await record('signed_out', {});
  const plan = await clearLocalData();
  if (plan?.revoke) {
    const [url, body] = plan.revoke;
    fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS),
    }).catch(() => {});
  }
}

// The core paces the deals fetched for one tab (admitAnalysis): a page cannot have one analysis
// after another fetched by pushing Ids through its history, with or without the side panel open.
const paceKey = (tabId) => `${KEY.pacePrefix}${tabId}`;
function admitted(tabId, recordId) {
  return exclusive(async () => {
    const key = paceKey(tabId);
    const { [key]: pace } = await chrome.storage.session.get(key);
    const result = admitAnalysis(pace ?? null, recordId, nowIso());
    await chrome.storage.session.set({ [key]: result.pace });
    return result.admitted;
  });
}

async function analysisFor(action) {
  // Nothing is asked about an org the administrator's live policy does not list.
  if (!(await liveAllows(action.host))) return { ok: true, signedIn: Boolean((await chrome.storage.local.get(KEY.session))[KEY.session]) };
  const answer = await resourceFor({ host: action.host, resource: { kind: 'deal', recordId: action.recordId }, tabId: action.tabId });
  return { ok: answer.ok, signedIn: answer.signedIn, summary: answer.data ? answer.data.summary : undefined, error: answer.error };
}

function decide(message, sender) {
  // sender.url stays at the URL the document was loaded with after history.pushState; the
  // tab's URL follows Lightning's in-app navigation. The core checks both (protocol.rs).
  const from = {
    id: sender.id, tabId: sender.tab ? sender.tab.id : undefined, url: sender.url,
    tabUrl: sender.tab ? sender.tab.url : undefined, frameId: sender.frameId, documentLifecycle: sender.documentLifecycle,
  };
  let json = 'null';
  try {
    json = JSON.stringify(message ?? null) ?? 'null';
  } catch {
    // Not serialisable: the core treats it as malformed.
  }
  return routeMessage(chrome.runtime.id, from, json);
}

// What the worker does for each of the core's actions (protocol::Action, by its `action`).
// Each handler is called synchronously from perform(): openSidePanel runs inside the message
// event, so the badge click's user gesture still counts (chrome.sidePanel.open requires one).
const HANDLERS = {
  openSidePanel: (action) => chrome.sidePanel.open({ tabId: action.tabId }).then(
    () => ({ ok: true }),
    (error) => ({ ok: false, error: String(error && error.message) }),
  ),
  // The web app of the API in force (a policy's regional apiOrigin moves it); none when the
  // administrator switched sign-in off.
  beginSignIn: async () => {
    const settings = await currentSettings();
    if (settings.signInDisabled || !settings.appOrigin) return { ok: false, signInDisabled: true };
    const started = beginSignIn(crypto.getRandomValues(new Uint8Array(64)), nowIso(), settings.appOrigin, chrome.runtime.id);
    await chrome.storage.session.set({ [KEY.pendingSignIn]: started.pending });
    await chrome.storage.session.remove(KEY.signInError);
    await chrome.tabs.create({ url: started.url });
    return { ok: true };
  },
  getAnalysis: analysisFor,
  // The org's numeric date order, one key per org host (protocol.rs names it): a fact about the
  // user's locale, never deal data, kept on the device for later pages.
  storeDateOrder: async (action) => {
    await exclusive(() => write({ [action.key]: action.order }));
    return { ok: true };
  },
  // The content script's first question on a record page, so the answer also says whether the
  // user is signed in (a flag, nothing of the session): signed in, the badge waits for the
  // analysis instead of showing the device's score first (badge::decide). It also says whether
  // the badge may show on this org at all (allowedOrgHosts).
  getDateOrder: async (action) => {
    const [{ [action.key]: order, [KEY.session]: session }, { allowed, provisional }] = await Promise.all([
      chrome.storage.local.get([action.key, KEY.session]), badgeAllowedFor(action.host, action.tabId)]);
    return { ok: true, order: order ?? null, signedIn: Boolean(session), allowed, provisional }; // the core checks the order again
  },
  recordEvent: async (action) => {
    await record(action.name, action.properties);
    return { ok: true };
  },
  signOut: async () => {
    await signOut();
    return { ok: true };
  },
  clearLocalData: async () => {
    await signOut(); // signs out (revoked on the server), cache, portfolio, queue
    await chrome.storage.session.clear(); // the tabs' Tier 1 reports, a pending sign-in
    return { ok: true };
  },
  storeTier1: async (action) => {
    if (!(await liveAllows(action.host))) return { ok: false, ignored: 'orgNotListed' }; // the worker's own code: the policy does not list the org
    await chrome.storage.session.set({ [tabKey(action.tabId)]: action.summary });
    return { ok: true };
  },
  getPanel: panelInput,
  setPreference: async (action) => {
    if (isForced(await currentSettings(), action.setting)) return { ok: false, forced: true };
    await exclusive(() => write({ [action.key]: action.value }));
    settingsCache = null; // before the panel's next question, whenever onChanged arrives
    if (action.setting === 'aiInsights') await record('settings_changed', { setting: 'ai_insights' });
    return { ok: true };
  },
  getStatus: async () => {
    const { [KEY.session]: session } = await chrome.storage.local.get(KEY.session);
    return { ok: true, signedIn: Boolean(session), settings: await currentSettings() };
  },
};

// Performs the core's action; `ignore` (and any action this worker does not know) is dropped.
function perform(action) {
  const handler = Object.hasOwn(HANDLERS, action.action) ? HANDLERS[action.action] : null;
  // `ignore` carries protocol::Refusal's code; an action this worker does not know, its own.
  if (!handler) return Promise.resolve({ ok: false, ignored: action.reason ?? 'unknownAction' });
  try {
    return Promise.resolve(handler(action));
  } catch (error) {
    return Promise.reject(error); // answered like a failed promise
  }
}

// The badge's click, while the worker was asleep: chrome.sidePanel.open needs the click's user
// gesture, which does not outlive loading the core. The panel opens at once for the tab the
// browser says sent it (from this extension's content script); the panel itself then asks the
// core what to show, as always. Nothing else is done before the core decides.
const opensPanelNow = (message, sender) => !coreReady && sender.id === chrome.runtime.id && Boolean(sender.tab)
  && typeof sender.tab.id === 'number' && message !== null && typeof message === 'object' && message.type === 'openSidePanel';

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const answer = opensPanelNow(message, sender)
    ? perform({ action: 'openSidePanel', tabId: sender.tab.id })
    : coreReady ? perform(decide(message, sender)) : ready.then(() => perform(decide(message, sender)));
  answer.then(sendResponse, (error) => sendResponse({ ok: false, error: String(error) }));
  return true;
});

// The web app's sign-in hand-off (externally_connectable allows only the web app's origin;
// the core checks the origin again, the pending state and its age).
// Why a sign-in did not complete, as the core's code (auth::SignInFailure), for the side panel.
class SignInFailed extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

chrome.runtime.onMessageExternal.addListener((message, sender, sendResponse) => {
  const cancelled = signOutController.signal; // a sign-out during the exchange wins
  const handOff = async () => {
    await ready;
    const settings = await currentSettings();
    // The pending sign-in is taken once (read and removed in one step): two hand-offs with the
    // same state cannot both be exchanged.
    // A hand-off the core refuses leaves it pending.
    const { exchange, epoch } = await exclusive(async () => {
      const { [KEY.pendingSignIn]: pendingSignIn } = await chrome.storage.session.get(KEY.pendingSignIn);
      // Our own Id goes with the code: the server takes a code only for the Id it handed it to.
      if (settings.signInDisabled) throw new SignInFailed('refused'); // turned off by the administrator
      const accepted = acceptHandOff(JSON.stringify(message ?? null), sender.origin, settings.appOrigin ?? '', settings.apiOrigin, pendingSignIn ?? null, nowIso(), chrome.runtime.id);
      await chrome.storage.session.remove(KEY.pendingSignIn);
      return { exchange: accepted, epoch: await epochNow() };
    });
    // Fails closed: where the browser refuses to close local storage to content scripts, the
    // tokens would be readable by them, so no tokens are asked for (the code stays unused).
    await closeStorage().catch(() => {
      throw new SignInFailed('browser'); // it cannot keep the sign-in away from web pages
    });
    const response = await fetch(exchange.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: exchange.body,
      credentials: 'omit',
      signal: requestSignal(cancelled),
    }).catch(() => {
      throw new SignInFailed(cancelled.aborted ? 'cancelled' : 'offline');
    });
    const body = await boundedText(response).catch(() => {
      throw new SignInFailed(cancelled.aborted ? 'cancelled' : 'offline'); // timed out or cut off
    });
    const session = sessionFromTokenResponse(response.status, body ?? '', nowIso());
    // Kept only if the user has not signed out (or cleared local data) meanwhile.
    const kept = await exclusive(async () => {
      if ((await epochNow()) !== epoch) return false;
      await write({ [KEY.session]: session });
      return true;
    });
    if (!kept) {
      const revoke = signOutPlan(session, null, [], settings.apiOrigin).revoke;
      if (revoke) fetch(revoke[0], { method: 'POST', headers: { 'content-type': 'application/json' }, body: revoke[1], credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS) }).catch(() => {});
      throw new SignInFailed('cancelled'); // signed out while signing in
    }
    await scheduleRefresh(session);
    await chrome.storage.session.remove([KEY.sessionExpired, KEY.signInError]);
    await record('signed_in', {});
    return { ok: true };
  };
  // A failed sign-in is kept (session storage) for the side panel to explain.
  // The core's bindings throw their code as a string (one camelCase word); anything else
  // unforeseen reads as refused.
  handOff().then(sendResponse, async (error) => {
    const thrownCode = typeof error === 'string' && /^[a-z][A-Za-z]{0,40}$/.test(error) ? error : null;
    const code = error instanceof SignInFailed ? error.code : thrownCode ?? 'refused';
    if (!(error instanceof SignInFailed) && !thrownCode) console.warn('[Deal health] sign-in failed:', error);
    // (Without the core, which failed to load, there is no key to keep it under: answered only.)
    if (KEY) await chrome.storage.session.set({ [KEY.signInError]: code }).catch(() => {});
    sendResponse({ ok: false, error: code });
  });
  return true;
});

// Expired entries, and cache bodies no index entry names (left by a worker stopped between an
// index write and a removal): on the hourly alarm and whenever the worker starts.
async function sweep() {
  await exclusive(async () => {
    const index = (await chrome.storage.local.get(KEY.cacheIndex))[KEY.cacheIndex] ?? null;
    const swept = sweepCache(index, await chrome.storage.local.getKeys(), nowIso());
    if (swept.remove.length === 0) return; // nothing expired or left behind: no write
    await write({ [KEY.cacheIndex]: swept.index });
    await chrome.storage.local.remove(swept.remove);
  });
}

chrome.alarms.onAlarm.addListener((alarm) => {
  ready.then(() => {
    const run = { [KEY.flushAlarm]: () => flush(true), [KEY.sweepAlarm]: sweep, [KEY.refreshAlarm]: refreshSession }[alarm.name];
    return run?.();
  }).catch(() => {});
});

// The opt-out takes effect at once, whether the user or the administrator set it: what was
// queued is dropped.
// (Before the core has loaded nothing has read the settings: there is nothing to forget yet.)
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed' || (KEY && area === 'local' && (changes[KEY.analyticsOptOut] || changes[KEY.declineAi]))) settingsCache = null;
  if (area === 'managed') {
    managedLive = undefined; // read again now; the copy follows
    managedReading = null;
    managedGeneration += 1;
    ready.then(readManaged).catch(() => {});
  }
  if (area === 'managed') ready.then(signOutIfSignInOff).catch(() => {});
  if (area === 'managed' || (area === 'local' && (!KEY || changes[KEY.analyticsOptOut]))) {
    ready.then(() => exclusive(async () => {
      if ((await currentSettings()).analyticsOptOut) await chrome.storage.local.remove(KEY.analyticsQueue);
    })).catch(() => {});
  }
});

// The administrator switched sign-in off (disableSignIn, or an apiOrigin whose web app is
// unknown): a session kept from before is signed out, as the user's "Sign out" would, when the
// worker starts and when the policy changes.
async function signOutIfSignInOff() {
  if (!(await currentSettings()).signInDisabled) return;
  const { [KEY.session]: session } = await chrome.storage.local.get(KEY.session);
  if (session) await signOut();
}

// Periodic alarms start at a random point so that installs do not act in step.
function ensureAlarms() {
  ready.then(async () => {
    if (!(await chrome.alarms.get(KEY.flushAlarm))) chrome.alarms.create(KEY.flushAlarm, { delayInMinutes: 1 + Math.random() * 4, periodInMinutes: 5 });
    if (!(await chrome.alarms.get(KEY.sweepAlarm))) chrome.alarms.create(KEY.sweepAlarm, { delayInMinutes: 5 + Math.random() * 55, periodInMinutes: 60 });
    const [{ [KEY.session]: session }, alarm] = await Promise.all([chrome.storage.local.get(KEY.session), chrome.alarms.get(KEY.refreshAlarm)]);
    if (session && !alarm) await scheduleRefresh(session);
  }).catch(() => {});
}

// One global side panel follows the active tab. It is not disabled per tab: tab-specific
// options give each tab its own panel document (and a new tab starts as about:blank, whose URL
// the extension cannot see), so the panel would close on every tab switch. On a tab that is not
// a Salesforce Opportunity the panel reads nothing and says so.
chrome.tabs.onRemoved.addListener((tabId) => {
  ready.then(() => chrome.storage.session.remove([tabKey(tabId), paceKey(tabId)])).catch(() => {});
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {});
  ensureAlarms();
});
chrome.runtime.onStartup.addListener(ensureAlarms);
ready.then(sweep).catch(() => {});
ready.then(signOutIfSignInOff).catch(() => {});
ready.then(readManaged).catch(() => {}); // started now: the first record page may not have to wait

