// Side panel: follows the active tab, asks the worker for what it knows (never tokens), lets the
// core decide the view (panelView) and draws it as text. Preferences go to the worker, which
// checks the administrator's policy; the theme is a panel-local preference kept by the core.
import init, { panelView, setThemePreference, themePreference } from '../background/pkg/core.js';

const text = globalThis.CustomerCityText;
const $ = (id) => document.getElementById(id);
const send = (message) => chrome.runtime.sendMessage(message).catch(() => null);

await init({ module_or_path: new URL('../background/pkg/core_bg.wasm', import.meta.url) });

// Static strings, in the browser's language.
// The language of the catalog the browser chose from _locales.
const locale = chrome.i18n.getMessage('locale_tag') || 'en';
document.documentElement.lang = locale;
for (const element of document.querySelectorAll('[data-i18n]')) {
  element.textContent = chrome.i18n.getMessage(element.dataset.i18n);
}

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

function show(element, message) {
  element.textContent = message ? text(message) : '';
  element.hidden = !message;
}

function drawDeal(deal) {
  $('deal').setAttribute('aria-busy', String(deal.status === 'loading' || deal.enriched.status === 'loading'));
  $('deal-title').textContent = text(deal.title);
  show($('deal-message'), deal.message);
  $('local').hidden = !deal.local;
  if (deal.local) {
    drawScore($('local-score'), $('local-label'), deal.local);
    $('local-reasons').replaceChildren(...deal.reasons.map((reason) => item('li', text(reason))));
  }
  const enriched = deal.enriched;
  $('enriched').hidden = enriched.status === 'absent';
  show($('enriched-message'), enriched.message);
  $('sign-in-deal').hidden = enriched.status !== 'signedOut';
  $('retry').hidden = enriched.status !== 'error' && enriched.status !== 'stale';
  $('enriched-body').hidden = !enriched.score;
  if (!enriched.score) return;
  drawScore($('enriched-score'), $('enriched-label'), enriched.score);
  $('enriched-age').textContent = text(enriched.age);
  $('blind-spots').replaceChildren(...enriched.blindSpots.map((spot) => {
    const li = item('li', undefined, `spot severity-${spot.severity}`);
    li.append(item('span', text(spot.severityLabel), 'tag'), ' ', item('strong', text(spot.summary)));
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
    head.append(item('span', text(factor.title)), item('span', `${factor.score}`, 'factor-score'));
    const meter = item('meter');
    Object.assign(meter, { min: 0, max: 100, low: 40, high: 70, optimum: 100, value: factor.score });
    meter.setAttribute('aria-label', text(factor.title));
    li.append(head, meter, item('div', chrome.i18n.getMessage('panel_weight', [text(factor.weight)]), 'note'));
    for (const line of factor.evidence) li.append(item('div', text(line), 'note'));
    return li;
  }));
}

function drawPipeline(pipeline) {
  show($('pipeline-message'), pipeline.message);
  $('pipeline-age').textContent = pipeline.age ? text(pipeline.age) : '';
  const amount = (value) => {
    if (!value) return null;
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency: value[1], maximumFractionDigits: 0 }).format(value[0]);
    } catch {
      return `${value[0]} ${value[1]}`;
    }
  };
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
    const meta = [text(deal.stage), amount(deal.amount), chrome.i18n.getMessage('panel_closes', [deal.closeDate])].filter(Boolean).join(' · ');
    li.append(score, ' ', link, item('div', meta, 'note'));
    if (deal.topBlindSpot) li.append(item('div', text(deal.topBlindSpot), 'spot-line'));
    return li;
  }));
}

function drawSettings(settings) {
  $('status').textContent = chrome.i18n.getMessage(settings.signedIn ? 'panel_signed_in' : 'panel_signed_out');
  $('sign-in').hidden = settings.signedIn;
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
  draw(quick ?? {});
  if (!quick || !quick.signedIn) return;
  const full = await send({ type: 'getPanel', tabId, enriched: true, refresh });
  if (mine === generation && full) draw(full);
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
  if (tabId !== null && changes[`cc.tab.${tabId}`]) update();
});
chrome.storage.local.onChanged.addListener((changes) => {
  if (changes.session || changes.feature_analyticsOptOut || changes['cc.declineAi']) update();
});
send({ type: 'panelOpened' });
update();
