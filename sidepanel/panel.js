// Side panel: follows the active tab, asks the worker for what it knows (never tokens), lets the
// core decide the view (panelView) and draws it as text. Preferences go to the worker, which
// checks the administrator's policy; the theme is a panel-local preference kept by the core.
const $ = (id) => document.getElementById(id);
const send = (message) => chrome.runtime.sendMessage(message).catch(() => null);

// Static strings first, in the browser's language: they need no core, so a panel whose core
// fails to load still speaks (below).
// The language of the catalog the browser chose from _locales.
const locale = chrome.i18n.getMessage('locale_tag') || 'en';
document.documentElement.lang = locale;
for (const element of document.querySelectorAll('[data-i18n]')) {
  element.textContent = chrome.i18n.getMessage(element.dataset.i18n);
}

// The user's formatting locale: the browser's UI language when it is the catalog's language
// (en-GB, de-CH), else the catalog's own, so that formats never contradict the words.
const uiLanguage = chrome.i18n.getUILanguage();
const formatLocale = uiLanguage.split('-')[0] === locale ? uiLanguage : locale;
const plurals = new Intl.PluralRules(formatLocale);
const formats = {
  count: (value) => new Intl.NumberFormat(formatLocale).format(value.value),
  money: (value) => {
    try {
      return new Intl.NumberFormat(formatLocale, { style: 'currency', currency: value.currency, maximumFractionDigits: value.cents % 100 === 0 ? 0 : 2 }).format(value.cents / 100);
    } catch {
      return `${new Intl.NumberFormat(formatLocale).format(value.cents / 100)} ${value.currency}`;
    }
  },
  // A calendar date as written (UTC midnight, shown in UTC: never a day off).
  date: (value) => new Intl.DateTimeFormat(formatLocale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${value.date}T00:00:00Z`)),
  ago: (value) => {
    const [count, unit] = value.minutes < 60 ? [value.minutes, 'minute'] : value.minutes < 2880 ? [Math.floor(value.minutes / 60), 'hour'] : [Math.floor(value.minutes / 1440), 'day'];
    return new Intl.RelativeTimeFormat(formatLocale, { numeric: 'always' }).format(-count, unit);
  },
};

// Renders a message the core names: {id, args, count}. An argument is plain text, a message of
// its own, or a value ({format}) formatted for the user's locale with Intl. A plural message
// picks <id>_<category> by the language's plural rules. Always used as text, never as markup.
function text(message) {
  if (!message) return '';
  const args = (message.args || []).map((arg) => {
    if (typeof arg === 'string') return arg;
    if (arg && arg.format) return formats[arg.format] ? formats[arg.format](arg) : '';
    return text(arg);
  });
  let id = message.id;
  if (typeof message.count === 'number') {
    const form = `${id}_${plurals.select(message.count)}`;
    id = chrome.i18n.getMessage(form) ? form : `${id}_other`;
  }
  return chrome.i18n.getMessage(id, args);
}

// The core: the worker's wasm module. If it cannot load (a damaged or half-updated install),
// say so instead of a blank panel.
let core;
try {
  core = await import('../background/pkg/core.js');
  await core.default({ module_or_path: new URL('../background/pkg/core_bg.wasm', import.meta.url) });
} catch (error) {
  $('core-failed').hidden = false;
  document.querySelector('main').hidden = true;
  throw error;
}
const { panelView, setThemePreference, storageKeys, themePreference } = core;
const KEY = storageKeys(); // the names the core keeps data under (storage::KEYS)

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  $('theme').value = theme;
}
applyTheme(themePreference());

let tabId = null;
let generation = 0; // a newer request makes older answers moot

function item(tag, content, className) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (content !== undefined) element.textContent = content;
  return element;
}

function drawScore(scoreElement, labelElement, score) {
  scoreElement.textContent = text(score.text);
  scoreElement.className = `score tone-${score.band}`;
  labelElement.textContent = text(score.label);
}

// The one headline score: the analysis signed in (pending while it loads), else the estimate.
function drawHeadline(headline) {
  $('headline').hidden = !headline;
  if (!headline) return;
  $('headline').dataset.source = headline.source;
  if (headline.score) {
    drawScore($('headline-score'), $('headline-label'), headline.score);
  } else {
    $('headline-score').textContent = '…';
    $('headline-score').className = 'score tone-pending';
    $('headline-label').textContent = '';
  }
  $('headline-caption').textContent = text(headline.caption);
}

// A control the core offers or not: not offered, it is neither shown nor clickable.
function offer(button, offered) {
  button.hidden = !offered;
  button.disabled = !offered;
}

function show(element, message) {
  element.textContent = message ? text(message) : '';
  element.hidden = !message;
}

function drawDeal(deal) {
  // Nothing to say about a deal (a list is shown instead): the section goes.
  $('deal').hidden = deal.status === 'absent' && !deal.message;
  $('deal').setAttribute('aria-busy', String(deal.status === 'loading' || deal.enriched.status === 'loading'));
  $('deal-title').textContent = text(deal.title);
  show($('deal-message'), deal.message);
  drawHeadline(deal.headline);
  $('local').hidden = !deal.local;
  if (deal.local) {
    drawScore($('local-score'), $('local-label'), deal.local);
    $('local-score').classList.add('small');
    // The estimate's number is drawn once: here only when the headline is another score.
    $('local-score').parentElement.hidden = deal.headline?.source === 'device';
    $('local-reasons').replaceChildren(...deal.reasons.map((reason) => item('li', text(reason))));
    $('local-note').textContent = text(deal.localNote);
  }
  const enriched = deal.enriched;
  $('enriched').hidden = enriched.status === 'absent';
  show($('enriched-message'), enriched.message);
  // Offered only when the core says so (never under the administrator's disableSignIn: its
  // message is shown instead).
  offer($('sign-in-deal'), enriched.signIn);
  $('retry').hidden = enriched.status !== 'error' && enriched.status !== 'stale';
  $('enriched-body').hidden = !enriched.score;
  if (!enriched.score) return;
  $('enriched-age').textContent = text(enriched.age);
  $('blind-spots').replaceChildren(...enriched.blindSpots.map((spot) => {
    const li = item('li', undefined, `spot severity-${spot.severity}`);
    li.append(item('span', text(spot.severityLabel), 'tag'), ' ');
    if (spot.title) {
      const title = item('strong', text(spot.title));
      if (spot.about) title.title = text(spot.about);
      li.append(title, item('div', text(spot.summary)));
    } else {
      li.append(item('strong', text(spot.summary)));
    }
    if (spot.evidence.length) li.append(item('ul', undefined, 'evidence'));
    for (const line of spot.evidence) li.lastChild.append(item('li', text(line)));
    const advice = item('p', undefined, 'advice');
    advice.append(item('span', chrome.i18n.getMessage('panel_recommendation_label'), 'label'), ' ', text(spot.recommendation));
    li.append(advice);
    return li;
  }));
  if (!enriched.blindSpots.length) $('blind-spots').append(item('li', chrome.i18n.getMessage('panel_no_blind_spots'), 'note'));
  $('recommendations').replaceChildren(...enriched.recommendations.map((recommendation) => {
    const li = item('li', undefined, `recommendation priority-${recommendation.priority}`);
    if (recommendation.ai) {
      const tag = item('span', chrome.i18n.getMessage('panel_ai_tag'), 'tag ai');
      tag.title = chrome.i18n.getMessage('panel_ai_tag_label');
      tag.setAttribute('aria-label', chrome.i18n.getMessage('panel_ai_tag_label'));
      li.append(tag, ' ');
    }
    li.append(text(recommendation.text));
    return li;
  }));
  $('factors').replaceChildren(...enriched.factors.map((factor) => {
    const li = item('li', undefined, 'factor');
    const head = item('div', undefined, 'factor-head');
    head.append(item('span', text(factor.title)), item('span', new Intl.NumberFormat(formatLocale).format(factor.score), 'factor-score'));
    // The factor's bar in the deal's colour scale (tone from the core), not the browser's meter.
    const meter = item('div', undefined, `bar tone-${factor.tone}`);
    meter.setAttribute('role', 'meter');
    Object.assign(meter.dataset, { value: factor.score });
    meter.setAttribute('aria-valuemin', '0');
    meter.setAttribute('aria-valuemax', '100');
    meter.setAttribute('aria-valuenow', String(factor.score));
    meter.setAttribute('aria-label', text(factor.title));
    meter.append(item('span'));
    meter.firstChild.style.width = `${factor.score}%`;
    li.append(head);
    if (factor.about) li.append(item('div', text(factor.about), 'note'));
    li.append(meter, item('div', chrome.i18n.getMessage('panel_weight', [text(factor.weight)]), 'note'));
    for (const line of factor.evidence) li.append(item('div', text(line), 'note'));
    return li;
  }));
}

function drawPipeline(pipeline) {
  show($('pipeline-message'), pipeline.message);
  $('pipeline-age').textContent = pipeline.age ? text(pipeline.age) : '';
  $('pipeline-deals').replaceChildren(...pipeline.deals.map((deal) => {
    const li = item('li', undefined, 'pipeline-deal');
    const score = item('span', text(deal.score.text), `score small tone-${deal.score.band}`);
    score.setAttribute('aria-label', text(deal.score.label));
    const link = item('a', text(deal.name));
    if (deal.url.startsWith('https://')) link.href = deal.url;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      if (tabId !== null) chrome.tabs.update(tabId, { url: deal.url });
    });
    const meta = [text(deal.stage), deal.amount ? text(deal.amount) : null, text(deal.closes)].filter(Boolean).join(' · ');
    li.append(score, ' ', link, item('div', meta, 'note'));
    if (deal.topBlindSpot) li.append(item('div', text(deal.topBlindSpot), 'spot-line'));
    return li;
  }));
}

// The list the tab shows (none on other pages): its rows riskiest first, each a link to its
// record, with its on-device score and most harmful reason.
function drawList(list) {
  $('list').hidden = !list;
  if (!list) return;
  $('list').setAttribute('aria-busy', String(list.status === 'loading'));
  show($('list-message'), list.message);
  $('list-rows').replaceChildren(...list.rows.map((row) => {
    const li = item('li', undefined, 'pipeline-deal');
    const score = item('span', text(row.score.text), `score small tone-${row.score.band}`);
    score.setAttribute('aria-label', text(row.score.label));
    const link = item('a', text(row.name));
    if (row.url.startsWith('https://')) {
      link.href = row.url;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        if (tabId !== null) chrome.tabs.update(tabId, { url: row.url });
      });
    }
    li.append(score, ' ', link);
    if (row.analysed) {
      const tag = item('span', chrome.i18n.getMessage('panel_list_analysed_tag'), 'tag');
      tag.title = chrome.i18n.getMessage('panel_list_analysed_label');
      li.append(' ', tag);
    }
    if (row.reason) li.append(item('div', text(row.reason), 'note'));
    return li;
  }));
}

function drawSettings(settings) {
  $('status').textContent = settings.notice ? text(settings.notice) : chrome.i18n.getMessage(settings.signedIn ? 'panel_signed_in' : 'panel_signed_out');
  offer($('sign-in'), settings.signIn);
  $('sign-out').hidden = !settings.signedIn;
  for (const [id, toggle] of [['analytics', settings.analytics], ['ai', settings.aiInsights]]) {
    $(`setting-${id}`).checked = toggle.on;
    $(`setting-${id}`).disabled = toggle.forced;
    $(`${id}-forced`).hidden = !toggle.forced;
  }
  $('policy-notes').replaceChildren(...settings.policyNotes.map((note) => item('li', text(note))));
}

function draw(input) {
  const view = panelView(input);
  drawDeal(view.deal);
  drawList(view.list);
  drawPipeline(view.pipeline);
  drawSettings(view.settings);
}

// Two steps: what is known at once (the tab's Tier 1, the account), then the enriched analysis
// and the pipeline, which may take a request.
async function update({ refresh = false } = {}) {
  const mine = ++generation;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  tabId = tab ? tab.id : null;
  if (tabId === null) return draw({});
  const quick = await send({ type: 'getPanel', tabId });
  if (mine !== generation) return;
  draw(quick); // no answer (null): the core's view says so
  if (!quick || !quick.signedIn) return;
  const full = await send({ type: 'getPanel', tabId, enriched: true, refresh });
  if (mine === generation) draw(full);
}

$('sign-in').addEventListener('click', () => send({ type: 'beginSignIn' }));
$('sign-in-deal').addEventListener('click', () => send({ type: 'beginSignIn' }));
$('sign-out').addEventListener('click', async () => {
  await send({ type: 'signOut' });
  update();
});
$('clear').addEventListener('click', async () => {
  await send({ type: 'clearLocalData' });
  $('clear-status').textContent = chrome.i18n.getMessage('panel_cleared');
  update();
});
$('refresh').addEventListener('click', () => update({ refresh: true }));
$('retry').addEventListener('click', () => update({ refresh: true }));
// A user's toggle outdates every answer already on its way: one computed before the change
// would flip the switch back under the user's finger.
async function setPreference(name, on) {
  generation += 1;
  await send({ type: 'setPreference', name, on });
  update();
}
$('setting-analytics').addEventListener('change', (event) => setPreference('analytics', event.target.checked));
$('setting-ai').addEventListener('change', (event) => setPreference('aiInsights', event.target.checked));
$('theme').addEventListener('change', (event) => {
  setThemePreference(event.target.value);
  applyTheme(themePreference());
});

// Follow the active tab: switching tabs, navigating, the tab's Tier 1 result, the account and
// the user's settings. (Cache writes do not redraw: the panel asked for what it shows.)
chrome.tabs.onActivated.addListener(() => update());
chrome.tabs.onUpdated.addListener((id, change) => {
  if (id === tabId && (change.url || change.status === 'complete')) update();
});
chrome.storage.session.onChanged.addListener((changes) => {
  const mine = tabId !== null && (changes[`${KEY.tabPrefix}${tabId}`] || changes[`${KEY.listPrefix}${tabId}`]);
  // Why a session ended is written just after its data is removed: the redraw the removal
  // caused may have asked before the reason was there.
  if (mine || changes[KEY.signInError] || changes[KEY.sessionExpired]) update();
});
chrome.storage.local.onChanged.addListener((changes) => {
  if (changes[KEY.session] || changes[KEY.analyticsOptOut] || changes[KEY.declineAi]) update();
});
// Back online: ask again (an analysis that could not be fetched may come now).
addEventListener('online', () => update());
send({ type: 'panelOpened' });
update();
