// The signed-in session once it exists: its proactive refresh (the core judges every answer)
// and its end, removing everything the core names. Signing in is signin.js.
import { refreshAlarmAt, refreshOutcome, refreshRequest, refreshRetryAt, signOutPlan } from './pkg/core.js';
import { alarms, local, session } from './browser.js';
import { tellLists, tellSignedOut } from './lists.js';
import {
  KEY, currentSettings, endGeneration, epochNow, exclusive, generationSignal, heldFor, noteHold, nowIso, sendJson, write,
} from './state.js';

// Removes everything the core names (the session, the cache with any body no index names, the
// queue) and starts the next sign-out generation, then aborts what is in flight. Inside
// exclusive(), like every index write: a fetch completing meanwhile must not write back the
// index it read before the removal. With `ifEpoch`, only if no sign-out has happened since that
// generation (a refused refresh must not sign out a newer sign-in). Returns the core's plan
// (with the revocation to send), or null when nothing was done.
export async function removeSignedInData(ifEpoch) {
  const settings = await currentSettings();
  const plan = await exclusive(async () => {
    const stored = await local.get([KEY.session, KEY.cacheIndex, KEY.signOutEpoch]);
    const epoch = stored[KEY.signOutEpoch] ?? 0;
    if (ifEpoch !== undefined && ifEpoch !== epoch) return null;
    const removal = signOutPlan(stored[KEY.session] ?? null, stored[KEY.cacheIndex] ?? null, await local.keys(), settings.apiOrigin);
    await local.remove(removal.remove);
    await local.set({ [KEY.signOutEpoch]: epoch + 1 });
    return removal;
  });
  if (!plan) return null;
  endGeneration();
  await alarms.clear(KEY.refreshAlarm);
  // The list badges go back to the estimate (before "Clear local data" empties the session
  // storage that names the tabs).
  await tellLists().catch(() => {});
  return plan;
}

// The session ended without the user signing out (the grant is gone): local data is removed
// and the side panel says why.
export async function sessionEnded(epoch) {
  if (await removeSignedInData(epoch)) {
    await session.set({ [KEY.sessionExpired]: true });
    // Told after the flag is set: what the record tabs then ask is answered as "ended".
    await tellSignedOut().catch(() => {});
  }
}

// The user's "Sign out" (or the administrator's): local data first, whatever the server says,
// then the server is asked to revoke the sign-in (every token of it), best effort.
export async function endSession() {
  await session.remove([KEY.sessionExpired, KEY.signInError]); // the user's own choice
  const plan = await removeSignedInData();
  // The record badges drop the analysis (before "Clear local data" empties the session storage
  // that names the tabs).
  if (plan) await tellSignedOut().catch(() => {});
  if (plan?.revoke) revoke(plan.revoke);
}

// [url, body] from the core (signOutPlan): sent without waiting, not tied to any generation.
export function revoke([url, body]) {
  sendJson(url, body, null).then((answer) => answer.discard(), () => {});
}

// A refresh that failed without a refusal is tried again in a minute or two (or when the
// service's hold ends), not only when a request happens to need it.
async function scheduleRefreshRetry() {
  const { [KEY.holdUntil]: hold } = await local.get(KEY.holdUntil);
  await alarms.at(KEY.refreshAlarm, refreshRetryAt(hold ?? null, nowIso(), Math.random()));
}

// Schedules the proactive token refresh (before expiry, with jitter).
export async function scheduleRefresh(stored) {
  const when = refreshAlarmAt(stored ?? null, nowIso(), Math.random());
  if (when === null) await alarms.clear(KEY.refreshAlarm);
  else await alarms.at(KEY.refreshAlarm, when);
}

// A session is stored and no refresh alarm is set (a new install, a browser start).
export async function ensureRefresh() {
  const { [KEY.session]: stored } = await local.get(KEY.session);
  if (stored && !(await alarms.exists(KEY.refreshAlarm))) await scheduleRefresh(stored);
}

// One token refresh (rotation), judged by the core: {renewed: session} (stored), {refused: true}
// (the grant is gone: local data is wiped, signed out) or {unavailable: code} (the session is
// kept; the next request or alarm tries again). Concurrent callers share one refresh: a rotated
// refresh token works only once.
let refreshing = null;
export function refreshSession() {
  const cancelled = generationSignal();
  refreshing ??= (async () => {
    const settings = await currentSettings();
    const { [KEY.session]: stored, [KEY.signOutEpoch]: epoch = 0 } = await local.get([KEY.session, KEY.signOutEpoch]);
    const planned = refreshRequest(stored ?? null, settings.apiOrigin);
    if (!planned || cancelled.aborted) return { refused: true };
    if (await heldFor(settings)) {
      await scheduleRefreshRetry();
      return { unavailable: 'busy' }; // the service asked to wait (retry::ErrorKind's code)
    }
    const answer = await sendJson(planned.url, planned.body, cancelled).catch(() => null);
    if (cancelled.aborted) return { refused: true }; // signed out meanwhile: nothing to keep or retry
    await noteHold(answer, settings);
    const body = answer ? ((await answer.text().catch(() => '')) ?? '') : '';
    const outcome = refreshOutcome(answer ? answer.status : 0, body, nowIso());
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
      await sessionEnded(epoch);
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
