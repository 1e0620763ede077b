// The list badges' Customer City scores: what the worker already has, never a request. A list
// report is answered with the scores of its reported rows from the portfolio cached for the
// org (fetched only when the side panel asks for it, resources.js); a tab showing a list it
// reported is told its scores again when that portfolio is stored anew and when the user signs
// out. The core decides which rows get one (client::list_scores) and what crosses: the record
// Id, score and band.
import { cachedPortfolioKey, listScores, tabContext } from './pkg/core.js';
import { local, session, tabs, uiLanguage } from './browser.js';
import { KEY, currentSettings, nowIso } from './state.js';

/** The session storage key of a tab's list report. */
export const listKey = (tabId) => `${KEY.listPrefix}${tabId}`;

// The scores of a list report's rows for the org at `host`: [] signed out, or while no
// portfolio of that org is cached within its time to live.
export async function scoresFor(host, summary) {
  const { [KEY.session]: stored } = await local.get(KEY.session);
  const key = cachedPortfolioKey(stored ?? null, host, await currentSettings(), uiLanguage());
  if (!key) return [];
  const found = await local.get([key, KEY.cacheIndex]);
  return listScores(found[key] ?? null, found[KEY.cacheIndex] ?? null, key, nowIso(), summary);
}

// Tells the tab `tabId`, showing a list of the org at `host`, that its list reports are wanted
// (listWanted): a content script reports its list only once told so, by this or by the answer
// to its getDateOrder (listsWanted), or while the user is signed in. Not waited for.
export function wantList(tabId, host) {
  try {
    tabs.tell(tabId, { type: 'listWanted', host }).catch(() => {});
  } catch {
    // The tab went meanwhile.
  }
}

// Whether lists are wanted though the user is signed out: the side panel has asked for a tab's
// view in this browser session (markListsWanted).
export async function listsWanted() {
  return Boolean((await session.get(KEY.listsWanted))[KEY.listsWanted]);
}
export async function markListsWanted() {
  if (!(await listsWanted())) await session.set({ [KEY.listsWanted]: true }).catch(() => {});
}

// Tells every tab that still shows the list it reported (of the org at `host`; every org when
// none is named) its rows' scores as they are now, and, with `host`, every other tab showing a
// list of that org that its list is wanted (a list opened while signed out reports nothing
// until then: the scores it answers come with its report). Not waited for by the tabs' answers.
export async function tellLists(host) {
  const everything = await session.everything();
  for (const [name, stored] of Object.entries(everything)) {
    if (!name.startsWith(KEY.listPrefix) || !stored || !stored.summary) continue;
    const tabId = Number(name.slice(KEY.listPrefix.length));
    const context = tabContext(await tabs.url(tabId), null);
    if (!context.host || (host && context.host !== host) || context.list !== stored.list) continue;
    const scores = await scoresFor(context.host, stored.summary);
    try {
      tabs.tell(tabId, { type: 'listScores', host: context.host, scores }).catch(() => {});
    } catch {
      // The tab went meanwhile.
    }
  }
  if (!host) return;
  for (const tab of await tabs.all().catch(() => [])) {
    if (typeof tab.id !== 'number' || !tab.url || everything[listKey(tab.id)]) continue;
    const context = tabContext(tab.url, null);
    if (context.list && context.host === host) wantList(tab.id, host);
  }
}

// Tells every tab that reported a record page or a list (its Tier 1 or list report is kept)
// that the user signed out, for the org the tab shows: a record badge drops the Customer City
// analysis it holds and shows the on-device score, without waiting for the next navigation; a
// list stops reporting the rows it reads for their scores. Not waited for by the tabs.
export async function tellSignedOut() {
  const everything = await session.everything();
  const told = new Set();
  for (const name of Object.keys(everything)) {
    const prefix = [KEY.tabPrefix, KEY.listPrefix].find((known) => name.startsWith(known));
    if (!prefix) continue;
    const tabId = Number(name.slice(prefix.length));
    if (told.has(tabId)) continue;
    told.add(tabId);
    const context = tabContext(await tabs.url(tabId), null);
    if (!context.host) continue;
    try {
      tabs.tell(tabId, { type: 'signedOut', host: context.host }).catch(() => {});
    } catch {
      // The tab went meanwhile.
    }
  }
}
