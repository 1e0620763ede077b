// Renders a message the core names ({id, args, count}) in the browser's language through
// chrome.i18n (_locales/<lang>/messages.json), which content/main.js passes in: the browser's
// API is named in main.js alone (and in the gate that loads it). An argument is plain text, a message of its own,
// or a value ({format}) formatted for the browser's language with Intl; a plural message picks
// `<id>_one` or `<id>_other` by the language's rules. The result is always used as text
// (attributes, generated content), never as markup. Imported by content/main.js. The side
// panel renders with the same rules (sidepanel/panel.js `text`): keep the two alike; the panel
// page asserts it runs no script but its own, so it does not load this file.
export function makeText(i18n) {
  // The browser's UI language when it is the catalog's language (en-GB, de-CH), else the
  // catalog's own, so that formats never contradict the words.
  const catalog = i18n.getMessage('locale_tag') || 'en';
  const ui = i18n.getUILanguage();
  const language = ui.split('-')[0] === catalog ? ui : catalog;
  const plurals = new Intl.PluralRules(language);
  // Intl's formatters are costly to make: each made once, when first needed (main.js loads
  // on pages that may never draw a badge), the currencies' as met.
  const once = (make) => {
    let made = null;
    return () => (made ??= make());
  };
  const numbers = once(() => new Intl.NumberFormat(language));
  const currencies = new Map();
  const currency = (code, whole) => {
    const key = `${code} ${whole}`;
    let format = currencies.get(key);
    if (!format) {
      format = new Intl.NumberFormat(language, { style: 'currency', currency: code, maximumFractionDigits: whole ? 0 : 2 });
      if (currencies.size < 16) currencies.set(key, format);
    }
    return format;
  };
  const dates = once(() => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }));
  const relative = once(() => new Intl.RelativeTimeFormat(language, { numeric: 'always' }));
  const formats = {
    count: (value) => numbers().format(value.value),
    money: (value) => {
      try {
        return currency(value.currency, value.cents % 100 === 0).format(value.cents / 100);
      } catch {
        return `${numbers().format(value.cents / 100)} ${value.currency}`;
      }
    },
    date: (value) => dates().format(new Date(`${value.date}T00:00:00Z`)),
    ago: (value) => {
      const [count, unit] = value.minutes < 60 ? [value.minutes, 'minute'] : value.minutes < 2880 ? [Math.floor(value.minutes / 60), 'hour'] : [Math.floor(value.minutes / 1440), 'day'];
      return relative().format(-count, unit);
    },
  };
  // The browser's getMessage goes through the extension bindings' argument checks at every
  // call, and a list draws three messages per row: each message once per id and arguments,
  // for the page's life (the language cannot change under it), at most MAX_KEPT.
  const MAX_KEPT = 1000;
  const kept = new Map();
  const getMessage = (id, args) => {
    const key = args.length ? JSON.stringify([id, args]) : id; // unambiguous, whatever the args hold
    let found = kept.get(key);
    if (found === undefined) {
      if (kept.size >= MAX_KEPT) kept.clear();
      found = i18n.getMessage(id, args);
      kept.set(key, found);
    }
    return found;
  };
  return function text(message) {
    if (!message) return '';
    const args = (message.args || []).map((arg) => {
      if (typeof arg === 'string') return arg;
      if (arg && arg.format) return formats[arg.format] ? formats[arg.format](arg) : '';
      return text(arg);
    });
    let id = message.id;
    if (typeof message.count === 'number') {
      const form = `${id}_${plurals.select(message.count)}`;
      id = getMessage(form, []) ? form : `${id}_other`;
    }
    return getMessage(id, args);
  };
}
