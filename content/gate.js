// The only script the extension adds to every Salesforce page. It decides nothing: where the
// URL may name an Opportunity record or a page that lists Opportunities it imports the content
// script proper (content/main.js, bundled with content/i18n.js by build.sh; it imports the
// core); elsewhere it only listens for the URL to change. A rep's Home, other objects' list
// views, Setup and other records pay for these few lines, not for the badge's code.
(() => {
  'use strict';

  // A cheap, permissive filter, never a decision (content/main.js has the same): every URL the
  // core recognises contains an Opportunity Id (006…), an Account Id (001…: its related list),
  // `/Opportunity/` or the segment `/006` (list views). extension-core/checks/tests/architecture.rs
  // checks that no URL `page::recognize` or `page::recognize_list` accepts fails it.
  const PAGE_HINT = /00[16][0-9A-Za-z]{12}|\/Opportunity\/|\/006(?:[/?#]|$)/;
  let imported = false;

  function importMain() {
    if (imported || document.prerendering || !PAGE_HINT.test(location.href)) return;
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

  // Once imported, main.js listens to these itself (and to the page's mutations on a record or list).
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
