// Service worker entry (module). Registers every chrome.* listener synchronously at the top,
// and lets the core decide: routeMessage validates sender and shape and names the action; this
// file performs it. The worker makes no network request while signed out (Tier 1).
import init, { routeMessage } from './pkg/core.js';

let coreReady = false;
const ready = init({ module_or_path: new URL('./pkg/core_bg.wasm', import.meta.url) }).then(() => {
  coreReady = true;
});

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

function perform(action) {
  switch (action.action) {
    case 'openSidePanel':
      // Called synchronously from the message event when the core is ready, so the badge
      // click's user gesture still counts (chrome.sidePanel.open requires one).
      return chrome.sidePanel.open({ tabId: action.tabId }).then(
        () => ({ ok: true }),
        (error) => ({ ok: false, error: String(error && error.message) }),
      );
    default:
      return Promise.resolve({ ok: false, ignored: action.reason });
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const answer = coreReady
    ? perform(decide(message, sender))
    : ready.then(() => perform(decide(message, sender)));
  answer.then(sendResponse, (error) => sendResponse({ ok: false, error: String(error) }));
  return true;
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {});
});
