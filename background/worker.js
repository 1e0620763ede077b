// Service worker entry (module): adds every listener synchronously as the worker starts and
// hands each event to the part that performs it. Every decision is the core's (./pkg/core.js);
// every browser call is in browser.js. The parts, one concern each:
//   state.js      the core, storage keys, clock, one-at-a-time writes, sign-out generation,
//                 settings in force, the API's "not before"
//   policy.js     the administrator's org allow-list for the badge
//   session.js    the session's refresh and end
//   signin.js     signing in (the web app's hand-off) and out, enforcing the settings
//   resources.js  the API's resources: plan, fetch, retry, cache, pace, sweep
//   lists.js      the list badges' scores from the cached portfolio, told to the tabs
//   analytics.js  the anonymous analytics queue
//   handlers.js   one handler per protocol action, for the content script and side panel
import { storageChange } from './pkg/core.js';
import { alarms, extensionId, on, session, sidePanel } from './browser.js';
import { KEY, coreReady, forgetSettings, ready, whenReady } from './state.js';
import { policyChanged, readManaged } from './policy.js';
import { ensureRefresh, refreshSession } from './session.js';
import { closeStorage, completeSignIn, enforce } from './signin.js';
import { paceKey, sweep } from './resources.js';
import { flush } from './analytics.js';
import { decide, listKey, perform, tabKey } from './handlers.js';

closeStorage().catch(() => {});

// The badge's click, while the worker was asleep: chrome.sidePanel.open needs the click's user
// gesture, which does not outlive loading the core. The panel opens at once for the tab the
// browser says sent it (from this extension's content script); the panel itself then asks the
// core what to show, as always. Nothing else is done before the core decides.
const opensPanelNow = (message, sender) => !coreReady && sender.id === extensionId && Boolean(sender.tab)
  && typeof sender.tab.id === 'number' && message !== null && typeof message === 'object' && message.type === 'openSidePanel';

on.message((message, sender, sendResponse) => {
  const answer = opensPanelNow(message, sender)
    ? perform({ action: 'openSidePanel', tabId: sender.tab.id })
    : coreReady ? perform(decide(message, sender)) : ready.then(() => perform(decide(message, sender)));
  answer.then(sendResponse, (error) => sendResponse({ ok: false, error: String(error) }));
  return true;
});

on.externalMessage((message, sender, sendResponse) => {
  completeSignIn(message, sender.origin).then(sendResponse);
  return true;
});

on.alarm((name) => whenReady(() => {
  const run = { [KEY.flushAlarm]: () => flush(true), [KEY.sweepAlarm]: sweep, [KEY.refreshAlarm]: refreshSession }[name];
  return run?.();
}));

// The policy or a privacy choice changed, whoever changed it: the core says what to read again;
// the settings are then enforced at once (an opt-out drops what was queued).
on.storageChanged((changes, area) => whenReady(() => {
  const change = storageChange(area, Object.keys(changes));
  if (change.settings) forgetSettings();
  if (change.policy) policyChanged().catch(() => {});
  if (change.settings) return enforce();
}));

// A closed tab's reports and pace go with it.
on.tabRemoved((tabId) => whenReady(() => session.remove([tabKey(tabId), listKey(tabId), paceKey(tabId)])));

// Periodic alarms start at a random point so that installs do not act in step.
const ensureAlarms = () => whenReady(async () => {
  if (!(await alarms.exists(KEY.flushAlarm))) await alarms.every(KEY.flushAlarm, 1 + Math.random() * 4, 5);
  if (!(await alarms.exists(KEY.sweepAlarm))) await alarms.every(KEY.sweepAlarm, 5 + Math.random() * 55, 60);
  await ensureRefresh();
});

on.installed(() => {
  sidePanel.opensOnActionClick().catch(() => {});
  ensureAlarms();
});
on.startup(ensureAlarms);

whenReady(sweep);
whenReady(enforce); // a session the policy no longer allows, a queue an opt-out forbids
whenReady(readManaged); // started now: the first record page may not have to wait
