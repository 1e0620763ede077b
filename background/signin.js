// Signing in and out. The sign-in starts here (the core makes the PKCE pair and the web app's
// URL) and completes when the web app hands the code back (externally_connectable allows only
// the web app's origin; the core checks the origin again, the pending state and its age, and
// judges the token answer). Signed out the worker makes no network request: every fetch needs
// a session, except the code exchange that follows a hand-off the user started.
import { acceptHandOff, beginSignIn, sessionFromTokenResponse, signOutPlan } from './pkg/core.js';
import { extensionId, local, session, tabs } from './browser.js';
import {
  KEY, currentSettings, epochNow, exclusive, generationSignal, nowIso, randomBytes, ready, sendJson, write,
} from './state.js';
import { endSession, revoke, scheduleRefresh } from './session.js';
import { enforceOnQueue, record } from './analytics.js';

// The extension's own storage is closed to content scripts: tokens live there. Set when the
// worker starts and again before every sign-in, which is refused when the browser will not.
export const closeStorage = () => local.closeToContentScripts();

// Opens the web app of the API in force (a policy's regional apiOrigin moves it); none when the
// administrator switched sign-in off.
export async function startSignIn() {
  const settings = await currentSettings();
  if (settings.signInDisabled || !settings.appOrigin) return { ok: false, signInDisabled: true };
  const started = beginSignIn(randomBytes(64), nowIso(), settings.appOrigin, extensionId);
  await session.set({ [KEY.pendingSignIn]: started.pending });
  await session.remove(KEY.signInError);
  await tabs.open(started.url);
  return { ok: true };
}

// "Sign out" (and "Clear local data", and the administrator switching sign-in off).
export async function signOut() {
  await record('signed_out', {});
  await endSession();
}

// The settings in force, applied to what is kept from before them: the queue of an opted-out
// user goes, a session the administrator no longer allows is signed out. When the worker
// starts and whenever the settings change (the core's enforceSettings decides).
export async function enforce() {
  const enforced = await enforceOnQueue(await currentSettings());
  if (enforced.signOut) await signOut();
}

// Why a sign-in did not complete, as the core's code (auth::SignInFailure), for the side panel.
class SignInFailed extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

async function handOff(message, origin, cancelled) {
  const settings = await currentSettings();
  // The pending sign-in is taken once (read and removed in one step): two hand-offs with the
  // same state cannot both be exchanged. A hand-off the core refuses leaves it pending.
  const { exchange, epoch } = await exclusive(async () => {
    const { [KEY.pendingSignIn]: pendingSignIn } = await session.get(KEY.pendingSignIn);
    if (settings.signInDisabled) throw new SignInFailed('refused'); // turned off by the administrator
    // Our own Id goes with the code: the server takes a code only for the Id it handed it to.
    const accepted = acceptHandOff(JSON.stringify(message ?? null), origin, settings.appOrigin ?? '', settings.apiOrigin, pendingSignIn ?? null, nowIso(), extensionId);
    await session.remove(KEY.pendingSignIn);
    return { exchange: accepted, epoch: await epochNow() };
  });
  // Fails closed: where the browser refuses to close local storage to content scripts, the
  // tokens would be readable by them, so no tokens are asked for (the code stays unused).
  await closeStorage().catch(() => {
    throw new SignInFailed('browser'); // it cannot keep the sign-in away from web pages
  });
  const lost = () => new SignInFailed(cancelled.aborted ? 'cancelled' : 'offline');
  const answer = await sendJson(exchange.url, exchange.body, cancelled).catch(() => {
    throw lost();
  });
  const body = await answer.text().catch(() => {
    throw lost(); // timed out or cut off
  });
  const signedIn = sessionFromTokenResponse(answer.status, body ?? '', nowIso());
  // Kept only if the user has not signed out (or cleared local data) meanwhile.
  const kept = await exclusive(async () => {
    if ((await epochNow()) !== epoch) return false;
    await write({ [KEY.session]: signedIn });
    return true;
  });
  if (!kept) {
    const { revoke: revocation } = signOutPlan(signedIn, null, [], settings.apiOrigin);
    if (revocation) revoke(revocation);
    throw new SignInFailed('cancelled'); // signed out while signing in
  }
  await scheduleRefresh(signedIn);
  await session.remove([KEY.sessionExpired, KEY.signInError]);
  await record('signed_in', {});
  return { ok: true };
}

// The web app's hand-off (runtime.onMessageExternal), answered with {ok} or {ok: false, error:
// code}. A failed sign-in is kept (session storage) for the side panel to explain.
export async function completeSignIn(message, origin) {
  const cancelled = generationSignal(); // a sign-out during the exchange wins
  try {
    await ready;
    return await handOff(message, origin, cancelled);
  } catch (error) {
    // The core's bindings throw their code as a string (one camelCase word); anything else
    // unforeseen reads as refused.
    const thrownCode = typeof error === 'string' && /^[a-z][A-Za-z]{0,40}$/.test(error) ? error : null;
    const code = error instanceof SignInFailed ? error.code : thrownCode ?? 'refused';
    if (!(error instanceof SignInFailed) && !thrownCode) console.warn('[Deal health] sign-in failed:', error);
    // (Without the core, which failed to load, there is no key to keep it under: answered only.)
    if (KEY) await session.set({ [KEY.signInError]: code }).catch(() => {});
    return { ok: false, error: code };
  }
}
