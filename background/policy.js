// Whether the administrator's policy lets the badge show on a page (allowedOrgHosts), answered
// to a record page's first message. After the browser starts, chrome.storage.managed answers
// only seconds later (docs/performance.md), and every record page would wait for it: until it
// has, the worker says yes where a copy of the policy it read last does (kept in its own
// storage, closed to content scripts), and checks those answers again once the live policy is
// in: a tab it does not allow is told to take its badge down. Everything that leaves the page's
// tab (a Tier 1 or list report, a request about the org) waits for the live policy
// (liveAllows).
// The core decides (pageAllowed); this keeps the reads and the tabs to check.
// The tabs a copy allowed are also in session storage (KEY.provisionalTabs): a worker stopped
// before the live policy arrived leaves them to the next one to check.
import { pageAllowed, tabContext } from './pkg/core.js';
import { local, managedPolicy, session, tabs } from './browser.js';
import { KEY, exclusive, write } from './state.js';

let managedLive; // chrome.storage.managed's content once read in this worker's life
let managedReading = null;
let managedGeneration = 0; // a read started before the policy changed does not count
const provisional = new Map(); // tab Id → page host, allowed by the copy
let openTabsToCheck = false; // the policy changed: every open tab is checked, not only those

function noteProvisional(tabId, host) {
  provisional.set(tabId, host);
  session.set({ [KEY.provisionalTabs]: Object.fromEntries(provisional) }).catch(() => {});
}

// The live policy, or null when Chromium could not give it (read again at the next question).
export function readManaged() {
  const generation = managedGeneration;
  managedReading ??= managedPolicy().then(async (policy) => {
    if (generation !== managedGeneration) return readManaged(); // changed meanwhile: read again
    managedLive = policy ?? {};
    const { [KEY.provisionalTabs]: earlier } = await session.get(KEY.provisionalTabs).catch(() => ({}));
    // After a change, every open tab too: an administrator may have narrowed allowedOrgHosts
    // while reps worked.
    const open = openTabsToCheck ? await openTabHosts() : [];
    openTabsToCheck = false;
    const checked = new Map([...Object.entries(earlier ?? {}).map(([tabId, host]) => [Number(tabId), host]), ...provisional, ...open]);
    provisional.clear();
    for (const [tabId, host] of checked) {
      if (typeof host !== 'string' || pageAllowed(managedLive, undefined, host).allowed) continue;
      tabs.tell(tabId, { type: 'policyRefused', host }).catch(() => {});
    }
    // Removed once told (a stop before this leaves them to the next worker); written only when
    // there were any, so an ordinary start costs one read.
    if (checked.size) await session.remove(KEY.provisionalTabs).catch(() => {});
    // The copy is kept best effort, and only from the newest read: a full or failing storage
    // must not stand in the way of the live answer.
    try {
      await exclusive(async () => {
        const { [KEY.policyCopy]: copy } = await local.get(KEY.policyCopy);
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

// The policy changed: read it again now; the copy follows, and every open tab of an org the new
// policy refuses is told to take its badge down, as a tab a copy allowed is.
export function policyChanged() {
  managedLive = undefined;
  managedReading = null;
  managedGeneration += 1;
  openTabsToCheck = true;
  return readManaged();
}

// [tab Id, page host] of every open tab on a Salesforce page.
async function openTabHosts() {
  const open = [];
  for (const tab of await tabs.all().catch(() => [])) {
    if (typeof tab.id !== 'number' || !tab.url) continue;
    const { host } = tabContext(tab.url, null);
    if (host) open.push([tab.id, host]);
  }
  return open;
}

// The live policy's answer, whatever the copy says. A policy that cannot be read allows nothing
// to leave the tab (the badge, on the device, stays: badgeAllowedFor).
export async function liveAllows(host) {
  const policy = await readManaged();
  return policy !== null && pageAllowed(policy, undefined, host).allowed;
}

// {allowed, provisional} for a record page of `host` in `tabId`.
export async function badgeAllowedFor(host, tabId) {
  const live = readManaged();
  if (managedLive === undefined) {
    const { [KEY.policyCopy]: copy } = await local.get(KEY.policyCopy);
    // The live policy may be in by now; the copy's answer is a yes or none (the core takes
    // no refusal from it).
    const early = pageAllowed(managedLive, copy, host);
    if (early) {
      if (early.provisional) noteProvisional(tabId, host);
      return early;
    }
  }
  const policy = await live;
  if (policy === null) {
    // Unreadable: the badge shows as it did before any policy, and is checked at the next read.
    noteProvisional(tabId, host);
    return { allowed: true, provisional: true };
  }
  return pageAllowed(policy, undefined, host);
}
