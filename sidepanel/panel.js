// Side panel: asks the worker for the sign-in status and starts a sign-in. It never sees tokens.
const status = document.getElementById('status');
const signIn = document.getElementById('sign-in');
const signOut = document.getElementById('sign-out');

async function refresh() {
  const answer = await chrome.runtime.sendMessage({ type: 'getStatus' });
  const signedIn = Boolean(answer && answer.signedIn);
  status.textContent = signedIn ? 'Signed in.' : 'Signed out: sign in for the detailed analysis.';
  signIn.hidden = signedIn;
  signOut.hidden = !signedIn;
}

signIn.addEventListener('click', () => {
  chrome.runtime.sendMessage({ type: 'beginSignIn' });
});
signOut.addEventListener('click', async () => {
  await chrome.runtime.sendMessage({ type: 'signOut' });
  refresh();
});
chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === 'local') refresh();
});
refresh();
