// The only script the extension adds to every Salesforce page. It decides nothing: where the
// URL may name an Opportunity record it imports the content script proper (content/main.js,
// bundled with content/i18n.js by build.sh; it imports the core); elsewhere it only
// listens for the URL to change. A rep's Home, list views, Setup and other records pay for
// these few lines, not for the badge's code.
(() => {
  'use strict';

  // A cheap, permissive filter, never a decision: every URL the core recognises contains an
  // Opportunity Id (prefix 006, 15 or 18 characters). extension-core/checks/tests/architecture.rs
  // checks that no URL `page::recognize` accepts fails it.
  const RECORD_ID_HINT = /006[0-9A-Za-z]{12}/;
  let imported = false;

  function importMain() {
    if (imported || document.prerendering || !RECORD_ID_HINT.test(location.href)) return;
    imported = true;
    let url;
    try {
      url = chrome.runtime.getURL('content/main.js');
    } catch {
      return; // the extension was updated or removed: this old script has nothing to load
    }
    // Not tried again: Chromium keeps a failed module import for the document. A reload is the
    // remedy (the extension was updated, or its files are damaged).
    import(url).catch((error) => console.warn('[Deal health] could not load:', error));
  }

  // Once imported, main.js listens to these itself (and to the page's mutations on a record).
  // A navigation the page intercepts commits its URL after 'navigate': 'currententrychange'.
  if (globalThis.navigation) {
    navigation.addEventListener('navigate', () => queueMicrotask(importMain));
    navigation.addEventListener('currententrychange', importMain);
  }
  addEventListener('popstate', importMain);
  addEventListener('pageshow', importMain);
  if (document.prerendering) document.addEventListener('prerenderingchange', importMain, { once: true });
  importMain();
})();
