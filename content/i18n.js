// Renders a message the core names ({id, args}) in the browser's language through
// chrome.i18n (_locales/<lang>/messages.json). An argument is plain text or a message of its
// own. The result is always used as text (textContent, attributes), never as markup. Loaded
// before content/main.js and by the side panel.
globalThis.CustomerCityText = function text(message) {
  if (!message) return '';
  const args = (message.args || []).map((arg) => (typeof arg === 'string' ? arg : text(arg)));
  return chrome.i18n.getMessage(message.id, args);
};
