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
  const formats = {
    count: (value) => new Intl.NumberFormat(language).format(value.value),
    money: (value) => {
      try {
        return new Intl.NumberFormat(language, { style: 'currency', currency: value.currency, maximumFractionDigits: value.cents % 100 === 0 ? 0 : 2 }).format(value.cents / 100);
      } catch {
        return `${new Intl.NumberFormat(language).format(value.cents / 100)} ${value.currency}`;
      }
    },
    date: (value) => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${value.date}T00:00:00Z`)),
    ago: (value) => {
      const [count, unit] = value.minutes < 60 ? [value.minutes, 'minute'] : value.minutes < 2880 ? [Math.floor(value.minutes / 60), 'hour'] : [Math.floor(value.minutes / 1440), 'day'];
      return new Intl.RelativeTimeFormat(language, { numeric: 'always' }).format(-count, unit);
    },
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
      id = i18n.getMessage(form) ? form : `${id}_other`;
    }
    return i18n.getMessage(id, args);
  };
}
