// What the worker does for each of the core's actions (protocol::Action, by its `action`):
// routeMessage has already checked the sender and the message's shape and named the action.
import { apiLanguage, isForced, routeMessage, tabContext } from './pkg/core.js';
import { extensionId, local, session, sidePanel, tabs, uiLanguage } from './browser.js';
import { KEY, currentSettings, exclusive, forgetSettings, write } from './state.js';
import { badgeAllowedFor, liveAllows } from './policy.js';
import { resourceFor } from './resources.js';
import { record } from './analytics.js';
import { signOut, startSignIn } from './signin.js';
import { listKey, listsWanted, markListsWanted, scoresFor, wantList } from './lists.js';

export { listKey };

/** The session storage key of a tab's Tier 1 report. */
export const tabKey = (tabId) => `${KEY.tabPrefix}${tabId}`;

const signedIn = async () => Boolean((await local.get(KEY.session))[KEY.session]);

// The enriched analysis of a record the content script is showing.
async function analysisFor(action) {
  // Nothing is asked about an org the administrator's live policy does not list.
  if (!(await liveAllows(action.host))) return { ok: true, signedIn: await signedIn() };
  const answer = await resourceFor({ host: action.host, resource: { kind: 'deal', recordId: action.recordId }, tabId: action.tabId });
  return { ok: answer.ok, signedIn: answer.signedIn, summary: answer.data ? answer.data.summary : undefined, error: answer.error };
}

// Everything the side panel shows for a tab: the core turns it into the panel's view.
async function panelInput(action) {
  const tier1 = (await session.get(tabKey(action.tabId)))[tabKey(action.tabId)] ?? null;
  // The analysis only of a record the content script has seen on the page (not the URL alone).
  const context = tabContext(await tabs.url(action.tabId), tier1);
  const { [KEY.session]: stored } = await local.get(KEY.session);
  const ended = await session.get([KEY.sessionExpired, KEY.signInError]);
  // The list report its content script last sent (of this list or an earlier one: the core
  // shows only this list's).
  const list = context.list ? (await session.get(listKey(action.tabId)))[listKey(action.tabId)] ?? null : null;
  // The panel is in use: from now on in this browser session lists are reported though signed
  // out, and a tab showing a list it has not reported (its content script started before, or
  // reported another list) is asked for it; the panel follows the report (storage.onChanged).
  await markListsWanted();
  // A report of the rows near the view only (partial: a signed-in rep's, for their scores)
  // is not the list the panel shows: the whole list is asked for.
  if (context.list && (!list || list.list !== context.list || list.summary?.partial)) wantList(action.tabId, context.host);
  const input = {
    tab: context, tier1, list, signedIn: Boolean(stored), settings: await currentSettings(),
    sessionExpired: !stored && Boolean(ended[KEY.sessionExpired]), signInError: stored ? null : (ended[KEY.signInError] ?? null),
  };
  // Nothing is asked about an org the administrator's live policy does not list.
  if (action.enriched && stored && (!context.host || await liveAllows(context.host))) {
    const [deal, portfolio, descriptions] = await Promise.all([
      context.analyse ? resourceFor({ host: context.host, resource: { kind: 'deal', recordId: context.analyse }, refresh: action.refresh, tabId: action.tabId }) : null,
      context.host ? resourceFor({ host: context.host, resource: { kind: 'portfolio' }, refresh: action.refresh }) : null,
      // What factors and blind spots mean, in the user's language (cached 7 days).
      context.analyse ? resourceFor({ host: context.host, resource: { kind: 'descriptions', locale: apiLanguage(uiLanguage()) } }) : null,
    ]);
    Object.assign(input, { deal, portfolio, descriptions, signedIn: deal ? deal.signedIn !== false : input.signedIn });
    if (action.refresh) await record('analysis_refreshed', { trigger: 'manual', cached: false });
  }
  return input;
}

// Each handler is called synchronously from perform(): openSidePanel runs inside the message
// event, so the badge click's user gesture still counts (chrome.sidePanel.open requires one).
const HANDLERS = {
  openSidePanel: (action) => sidePanel.open(action.tabId).then(
    () => ({ ok: true }),
    (error) => ({ ok: false, error: String(error && error.message) }),
  ),
  beginSignIn: startSignIn,
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
    const [{ [action.key]: order, [KEY.session]: stored }, { allowed, provisional }] = await Promise.all([
      local.get([action.key, KEY.session]), badgeAllowedFor(action.host, action.tabId)]);
    // listsWanted: whether a list page reports its list though signed out (lists.js).
    return { ok: true, order: order ?? null, signedIn: Boolean(stored), allowed, provisional, listsWanted: await listsWanted() }; // the core checks the order again
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
    await session.clear(); // the tabs' reports and paces, a pending sign-in, the tabs to check
    return { ok: true };
  },
  storeTier1: async (action) => {
    if (!(await liveAllows(action.host))) return { ok: false, ignored: 'orgNotListed' }; // the worker's own code: the policy does not list the org
    await session.set({ [tabKey(action.tabId)]: action.summary });
    return { ok: true };
  },
  storeList: async (action) => {
    if (!(await liveAllows(action.host))) {
      await session.remove(listKey(action.tabId)); // nothing of an earlier list stays shown
      return { ok: false, ignored: 'orgNotListed' };
    }
    await session.set({ [listKey(action.tabId)]: action.stored });
    // Signed in, the Customer City scores of the reported rows the cached portfolio holds
    // (lists.js): no request of any kind.
    return { ok: true, scores: await scoresFor(action.host, action.stored.summary) };
  },
  getPanel: panelInput,
  setPreference: async (action) => {
    if (isForced(await currentSettings(), action.setting)) return { ok: false, forced: true };
    await exclusive(() => write({ [action.key]: action.value }));
    forgetSettings(); // before the panel's next question, whenever onChanged arrives
    if (action.event) await record(action.event.name, action.event.properties);
    return { ok: true };
  },
  getStatus: async () => ({ ok: true, signedIn: await signedIn(), settings: await currentSettings() }),
};

// The core's action for a message. sender.url stays at the URL the document was loaded with
// after history.pushState; the tab's URL follows Lightning's in-app navigation. The core
// checks both (protocol.rs).
export function decide(message, sender) {
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
  return routeMessage(extensionId, from, json);
}

// Performs the core's action; `ignore` (and any action this worker does not know) is dropped.
export function perform(action) {
  const handler = Object.hasOwn(HANDLERS, action.action) ? HANDLERS[action.action] : null;
  // `ignore` carries protocol::Refusal's code; an action this worker does not know, its own.
  if (!handler) return Promise.resolve({ ok: false, ignored: action.reason ?? 'unknownAction' });
  try {
    return Promise.resolve(handler(action));
  } catch (error) {
    return Promise.reject(error); // answered like a failed promise
  }
}
