// Everything the service worker asks of the browser: chrome.* (storage, alarms, tabs, the side
// panel, its events) and HTTP. The one file of the worker that names `chrome` or `fetch`
// (extension-core/checks/tests/architecture.rs holds it to that); the others call
// these and the core.

/** The extension's own Id. */
export const extensionId = chrome.runtime.id;

/** The language the extension speaks (its _locales catalog). */
export const uiLanguage = () => chrome.i18n.getMessage('locale_tag') || 'en';

/** chrome.storage.local: closed to content scripts (closeToContentScripts); tokens live there. */
export const local = {
  get: (keys) => chrome.storage.local.get(keys),
  everything: () => chrome.storage.local.get(null),
  keys: () => chrome.storage.local.getKeys(),
  set: (items) => chrome.storage.local.set(items),
  remove: (keys) => chrome.storage.local.remove(keys),
  closeToContentScripts: () => chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' }),
};

/** chrome.storage.session: this browser session only (closed to content scripts by default). */
export const session = {
  get: (keys) => chrome.storage.session.get(keys),
  everything: () => chrome.storage.session.get(null),
  set: (items) => chrome.storage.session.set(items),
  remove: (keys) => chrome.storage.session.remove(keys),
  clear: () => chrome.storage.session.clear(),
};

/** The administrator's policy: chrome.storage.managed's whole content. */
export const managedPolicy = () => chrome.storage.managed.get(null);

export const alarms = {
  exists: async (name) => Boolean(await chrome.alarms.get(name)),
  at: (name, when) => chrome.alarms.create(name, { when }),
  every: (name, delayInMinutes, periodInMinutes) => chrome.alarms.create(name, { delayInMinutes, periodInMinutes }),
  clear: (name) => chrome.alarms.clear(name),
};

export const tabs = {
  url: async (tabId) => (await chrome.tabs.get(tabId).catch(() => null))?.url ?? '',
  open: (url) => chrome.tabs.create({ url }),
  tell: (tabId, message) => chrome.tabs.sendMessage(tabId, message),
  // Every tab with its URL where the host permissions show it (Salesforce's), else none.
  all: () => chrome.tabs.query({}),
};

export const sidePanel = {
  // Needs the user gesture of the message event it is called in (the badge's click).
  open: (tabId) => chrome.sidePanel.open({ tabId }),
  // One global side panel follows the active tab. It is not disabled per tab: tab-specific
  // options give each tab its own panel document (and a new tab starts as about:blank, whose
  // URL the extension cannot see), so the panel would close on every tab switch.
  opensOnActionClick: () => chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }),
};

/** The events the worker listens to; each must be added synchronously when the worker starts. */
export const on = {
  message: (listener) => chrome.runtime.onMessage.addListener(listener),
  externalMessage: (listener) => chrome.runtime.onMessageExternal.addListener(listener),
  storageChanged: (listener) => chrome.storage.onChanged.addListener(listener),
  alarm: (listener) => chrome.alarms.onAlarm.addListener((alarm) => listener(alarm.name)),
  tabRemoved: (listener) => chrome.tabs.onRemoved.addListener(listener),
  installed: (listener) => chrome.runtime.onInstalled.addListener(listener),
  startup: (listener) => chrome.runtime.onStartup.addListener(listener),
};

/** How long any request may take, answer included. */
const TIMEOUT_MS = 10000;

/**
 * One HTTP request, never with cookies: `{url, method, headers, body}`. `cancelled` (an
 * AbortSignal) ends it early, as the timeout does. Resolves when the answer's headers are in:
 * `{status, header(name), text(), discard()}`, where text() reads the body no further than
 * `cap` bytes (null when it is larger, without reading it at all when Content-Length says so:
 * a hostile or broken server cannot make the worker buffer more) and discard() lets an unread
 * body go. Rejects on a network failure, an abort, or the timeout (an error named
 * TimeoutError).
 */
export async function request({ url, method = 'GET', headers = {}, body }, { cancelled, cap }) {
  if (!Number.isFinite(cap)) throw new TypeError('request: a byte cap is required');
  const signal = cancelled ? AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), cancelled]) : AbortSignal.timeout(TIMEOUT_MS);
  const response = await fetch(url, { method, headers, body, credentials: 'omit', signal });
  return {
    status: response.status,
    header: (name) => response.headers.get(name),
    text: () => boundedText(response, cap),
    discard: () => response.body?.cancel().catch(() => {}),
  };
}

/** A JSON POST (the body already serialised), as request(): `{cancelled, cap}` likewise. */
export const postJson = (url, body, options) => request({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body }, options);

async function boundedText(response, cap) {
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
