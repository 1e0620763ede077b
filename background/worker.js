// Service worker entry (module). Registers every chrome.* listener synchronously at the top and
// lets the core decide: routeMessage validates sender and shape and names the action; the
// core's client, retry, auth and analytics functions plan every request and interpret every
// answer. This file performs what they name. Signed out it makes no network request: every
// fetch needs a session, except the code exchange that follows a hand-off the user started.
import init, {
  acceptHandOff, acknowledgeBatch, beginSignIn, completeAnalysis, nextStep, planAnalysis, recordEvent, refreshRequest,
  routeMessage, sessionFromTokenResponse, signOutPlan, summarizeStored, takeBatch,
} from './pkg/core.js';
import { API_ORIGIN, APP_ORIGIN } from './config.js';

let coreReady = false;
const ready = init({ module_or_path: new URL('./pkg/core_bg.wasm', import.meta.url) }).then(() => {
  coreReady = true;
});

// The extension's own storage is closed to content scripts: tokens live there.
chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => {});

const nowIso = () => new Date().toISOString();
const INDEX_KEY = 'cc.cacheIndex';
const inFlight = new Map(); // cache key → promise: two tabs on one deal make one request

async function cachedSummary(key) {
  const stored = (await chrome.storage.local.get(key))[key];
  return stored ? summarizeStored(stored) : null;
}

const QUEUE_KEY = 'cc.analyticsQueue';
const OPT_OUT = 'feature_analyticsOptOut';
const FLUSH_ALARM = 'cc.flushAnalytics';

// Analytics: recorded only while signed in; the core applies the allow-list and the opt-out.
async function record(name, properties) {
  const stored = await chrome.storage.local.get([QUEUE_KEY, OPT_OUT, 'session']);
  if (!stored.session || stored[OPT_OUT] === true) return;
  const queue = recordEvent(stored[QUEUE_KEY] ?? null, name, properties, nowIso(), stored[OPT_OUT] ?? null);
  await chrome.storage.local.set({ [QUEUE_KEY]: queue });
}

// Sends one batch if the core says so; the batch is persisted as in flight before it is sent
// and acknowledged after, so a worker stopped in between resends the same batch Id.
async function flush(onAlarm) {
  const stored = await chrome.storage.local.get([QUEUE_KEY, OPT_OUT, 'session']);
  const random = crypto.getRandomValues(new Uint8Array(16));
  const taken = takeBatch(stored[QUEUE_KEY] ?? null, random, nowIso(), stored.session ?? null, stored[OPT_OUT] ?? null, onAlarm, API_ORIGIN);
  if (!taken.batch) {
    if (stored[OPT_OUT] === true) await chrome.storage.local.remove(QUEUE_KEY);
    return;
  }
  await chrome.storage.local.set({ [QUEUE_KEY]: taken.queue });
  const { batch } = taken;
  const response = await fetch(batch.url, {
    method: 'POST', headers: Object.fromEntries(batch.headers), body: batch.body, credentials: 'omit',
  }).catch(() => null);
  if (response && (response.status === 200 || response.status === 202)) {
    const latest = (await chrome.storage.local.get(QUEUE_KEY))[QUEUE_KEY];
    await chrome.storage.local.set({ [QUEUE_KEY]: acknowledgeBatch(latest ?? null, batch.batchId) });
  }
}

const TIMEOUT_MS = 10000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function attempt(plan) {
  try {
    const response = await fetch(plan.url, {
      headers: Object.fromEntries(plan.headers), credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { response, status: response.status, retryAfter: response.headers.get('retry-after') ?? undefined };
  } catch (error) {
    return { response: null, status: undefined, timedOut: Boolean(error && error.name === 'TimeoutError') };
  }
}

// Removes everything the core names for a sign-out (without contacting the server).
async function clearLocalData() {
  const stored = await chrome.storage.local.get(['session', INDEX_KEY]);
  await chrome.storage.local.remove(signOutPlan(stored.session ?? null, stored[INDEX_KEY] ?? null, API_ORIGIN).remove);
}

// One token refresh (rotation); the new session is stored. Null if it failed.
async function refreshSession() {
  const { session } = await chrome.storage.local.get('session');
  const request = refreshRequest(session ?? null, API_ORIGIN);
  if (!request) return null;
  try {
    const response = await fetch(request.url, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: request.body,
      credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const fresh = sessionFromTokenResponse(response.status, await response.text(), nowIso());
    await chrome.storage.local.set({ session: fresh });
    return fresh;
  } catch {
    return null;
  }
}

// Performs a planned fetch: each attempt's outcome goes to the core (nextStep), which says
// whether it is done, waits and retries, refreshes the token once, or gives up.
async function fetchAnalysis(plan, index, action) {
  let refreshed = false;
  for (let number = 1; ; number += 1) {
    const result = await attempt(plan);
    const step = nextStep(number, result.status, Boolean(result.timedOut), result.retryAfter, refreshed, Math.random(), nowIso());
    if (step.next === 'done') {
      const body = await result.response.text();
      const done = completeAnalysis(result.status, result.response.headers.get('etag'), body, index, plan.key, nowIso());
      const writes = { [INDEX_KEY]: done.index };
      if (done.analysis) writes[plan.key] = body; // validated by the core before it is kept
      await chrome.storage.local.set(writes);
      if (done.evicted.length) await chrome.storage.local.remove(done.evicted);
      const summary = done.summary ?? (await cachedSummary(plan.key));
      return { ok: !done.error, signedIn: true, summary, error: done.error ?? undefined };
    }
    if (step.next === 'retryAfter') {
      await sleep(step.delayMs);
      continue;
    }
    if (step.next === 'refreshThenRetry') {
      const session = await refreshSession();
      if (!session) break; // could not renew: signed out below
      refreshed = true;
      const replanned = planAnalysis(session, index, action.host, action.recordId, nowIso(), API_ORIGIN);
      if (replanned.plan.action !== 'fetch') return { ok: true, signedIn: true, summary: await cachedSummary(plan.key) };
      plan = replanned.plan;
      continue;
    }
    if (result.status !== 401) {
      return { ok: false, signedIn: true, summary: await cachedSummary(plan.key), error: step.reason };
    }
    break;
  }
  await clearLocalData();
  return { ok: false, signedIn: false, error: 'signed out: the session could not be renewed' };
}

async function analysisFor(action) {
  const stored = await chrome.storage.local.get(['session', INDEX_KEY]);
  const { plan, index } = planAnalysis(stored.session ?? null, stored[INDEX_KEY] ?? null, action.host, action.recordId, nowIso(), API_ORIGIN);
  if (plan.action === 'signedOut') return { ok: true, signedIn: false };
  if (plan.action === 'cached') {
    await chrome.storage.local.set({ [INDEX_KEY]: index }); // records the use (LRU)
    return { ok: true, signedIn: true, summary: await cachedSummary(plan.key) };
  }
  if (!inFlight.has(plan.key)) {
    inFlight.set(plan.key, fetchAnalysis(plan, index, action).finally(() => inFlight.delete(plan.key)));
  }
  const fetching = inFlight.get(plan.key);
  if (plan.serveCached) {
    const summary = await cachedSummary(plan.key); // shown at once; the revalidation runs on
    if (summary) return { ok: true, signedIn: true, summary };
  }
  return fetching;
}

function decide(message, sender) {
  const from = { id: sender.id, tabId: sender.tab ? sender.tab.id : undefined, url: sender.url };
  let json = 'null';
  try {
    json = JSON.stringify(message ?? null) ?? 'null';
  } catch {
    // Not serialisable: the core treats it as malformed.
  }
  return routeMessage(chrome.runtime.id, from, json);
}

async function perform(action) {
  switch (action.action) {
    case 'openSidePanel':
      // Called synchronously from the message event when the core is ready, so the badge
      // click's user gesture still counts (chrome.sidePanel.open requires one).
      return chrome.sidePanel.open({ tabId: action.tabId }).then(
        () => ({ ok: true }),
        (error) => ({ ok: false, error: String(error && error.message) }),
      );
    case 'beginSignIn': {
      const started = beginSignIn(crypto.getRandomValues(new Uint8Array(64)), nowIso(), APP_ORIGIN, chrome.runtime.id);
      await chrome.storage.session.set({ pendingSignIn: started.pending });
      await chrome.tabs.create({ url: started.url });
      return { ok: true };
    }
    case 'getAnalysis':
      return analysisFor(action);
    case 'recordEvent':
      await record(action.name, action.properties);
      return { ok: true };
    case 'signOut': {
      const stored = await chrome.storage.local.get(['session', INDEX_KEY]);
      const plan = signOutPlan(stored.session ?? null, stored[INDEX_KEY] ?? null, API_ORIGIN);
      await chrome.storage.local.remove(plan.remove); // local data first, whatever the server says
      if (plan.revoke) {
        const [url, body] = plan.revoke;
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: 'omit' }).catch(() => {});
      }
      return { ok: true };
    }
    case 'getStatus': {
      const { session } = await chrome.storage.local.get('session');
      return { ok: true, signedIn: Boolean(session) };
    }
    default:
      return { ok: false, ignored: action.reason };
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const answer = coreReady ? perform(decide(message, sender)) : ready.then(() => perform(decide(message, sender)));
  answer.then(sendResponse, (error) => sendResponse({ ok: false, error: String(error) }));
  return true;
});

// The web app's sign-in hand-off (externally_connectable allows only the web app's origin;
// the core checks the origin again, the pending state and its age).
chrome.runtime.onMessageExternal.addListener((message, sender, sendResponse) => {
  const handOff = async () => {
    await ready;
    const { pendingSignIn } = await chrome.storage.session.get('pendingSignIn');
    const exchange = acceptHandOff(JSON.stringify(message ?? null), sender.origin, APP_ORIGIN, API_ORIGIN, pendingSignIn ?? null, nowIso());
    await chrome.storage.session.remove('pendingSignIn');
    const response = await fetch(exchange.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: exchange.body,
      credentials: 'omit',
    });
    const session = sessionFromTokenResponse(response.status, await response.text(), nowIso());
    await chrome.storage.local.set({ session });
    return { ok: true };
  };
  handOff().then(sendResponse, (error) => sendResponse({ ok: false, error: String(error) }));
  return true;
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === FLUSH_ALARM) ready.then(() => flush(true)).catch(() => {});
});

// The opt-out takes effect at once: what was queued is dropped.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes[OPT_OUT] && changes[OPT_OUT].newValue === true) {
    chrome.storage.local.remove(QUEUE_KEY).catch(() => {});
  }
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {});
  // Every five minutes, starting at a random point so installs do not flush in step.
  chrome.alarms.create(FLUSH_ALARM, { delayInMinutes: 1 + Math.random() * 4, periodInMinutes: 5 });
});
