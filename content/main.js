// The content script proper: watches the page, asks the core what to show, draws the badge.
//
// Every decision (is this an Opportunity record page, which record, which fields, what score,
// what the badge says and where it goes) is made by the core in content/core.mjs (Rust compiled
// to JavaScript, see ARCHITECTURE.md). This file wires browser events to it and draws what it
// returns, as text, inside a closed shadow root.
//
// content/gate.js, the only script on every Salesforce page, imports this module once the URL
// may name an Opportunity record or list (PAGE_HINT); from then on it stays for the document.
// The core is imported at that point too, and the mutation observer runs only while the core
// says the URL is an Opportunity record page or a page that lists Opportunities. Elsewhere only
// the URL's changes are listened to.
import { makeText } from './i18n.js';

(() => {
  'use strict';

  const text = makeText(chrome.i18n);
  // A module: evaluated once per document however often the gate imports it.

  // A cheap, permissive filter, never a decision (content/gate.js has the same): every URL the
  // core recognises contains an Opportunity Id (prefix 006, 15 or 18 characters), an Account Id
  // (001: its Opportunities related list), `/Opportunity/` (Lightning's list views) or the
  // segment `/006` (Classic's list views and tab). extension-core/checks/tests/architecture.rs
  // checks that no URL `page::recognize` or `page::recognize_list` accepts fails it.
  const PAGE_HINT = /00[16][0-9A-Za-z]{12}|\/Opportunity\/|\/006(?:[/?#]|$)/;
  let core = null; // the module, once imported
  let importing = null;
  const HOST_TAG = 'cc-deal-health';
  const ROW_TAG = 'cc-deal-health-row'; // a list row's badge
  const QUIET_MS = 60; // re-evaluate once the page has been quiet this long...
  const MAX_WAIT_MS = 250; // ...or at the latest this long after the first change
  const VIEW_MS = 120; // a list with rows far from view: evaluated this long after the view moves
  let lastCostMs = 0; // how long the last evaluation took (the next waits in proportion)

  let badge = null;
  let shown = null; // {recordId, name, anchor} of the badge drawn last; survives URL changes
  let reported = ''; // the Tier 1 summary last reported to the worker (JSON)
  let listEpoch = 0; // the core's number of the list answer drawn (0: none drawn)
  // The page's changes since the last list evaluation (its mutation records, the extension's
  // own insertions left out), for the core to read again only the rows they are in, and to
  // tell rows added beside the others from a page changed elsewhere; null when some change may
  // have gone unseen (not observing, too many to keep).
  let changedSince = null;
  const MAX_CHANGES = 2000;
  const rowBadges = new Map(); // record Id → a list row's badge ({host, pill, reason, key})
  // The rows drawn for the list the URL left ({url, recordIds, anchors}), kept until a list is
  // drawn again or a page that is no list is evaluated: the page may still show them after the
  // URL changed, and the core must not read them as the new URL's list (evaluateList).
  let leftList = null;
  let enrichment = null; // the worker's Tier 2 summary for a record (the core checks which)
  // Signed in, the worker's Customer City scores for the rows of the list reported last
  // ([{recordId, value, band}], from the portfolio it has cached: the core matches them to rows
  // and decides each badge); [] signed out or while none is cached.
  let rowScores = [];
  let rowScoresJson = '[]';
  let askedFor = null; // the record whose analysis was last asked for
  // For the badge's headline (badge::decide): whether the user is signed in, as the worker said
  // (null until it has); the record the worker answered without an analysis; since when this
  // record has been evaluated; and the core's "evaluate again then" while its view waits.
  let signedIn = null;
  let listsWanted = false; // the worker wants this tab's list reports though signed out (reportList)
  let unreported = null; // the list's latest summary (JSON text), not reported yet (reportList)
  let noAnalysisFor = null;
  let clock = { recordId: '', at: 0 };
  let recheckTimer = 0;
  let viewedFor = null; // the record whose badge view was last counted (analytics)
  // The org's numeric date order as the worker keeps it (one word per org host: the core decides
  // what a page settles, evaluatePage's dateOrder, and reads with it a date a page leaves open).
  let dateOrder = null;
  let dateOrderAnswer = null; // the worker's answer to getDateOrder (a promise), once asked
  let dateOrderWanted = false; // the last evaluation left a date open that an order would read
  let lastUrl = location.href;
  let timer = 0;
  let firstChangeAt = 0;

  // After the extension is updated or reloaded, this old content script's messaging throws
  // synchronously ("Extension context invalidated"): the badge stays, the message is dropped.
  const send = (message) => {
    try {
      return chrome.runtime.sendMessage(message).catch(() => undefined);
    } catch {
      return Promise.resolve(undefined);
    }
  };

  // False once the extension was updated, reloaded or removed under this page.
  const extensionAlive = () => {
    try {
      return Boolean(chrome.runtime && chrome.runtime.id);
    } catch {
      return false;
    }
  };

  const pad = (n) => String(n).padStart(2, '0');
  const localToday = () => {
    const now = new Date();
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  };

  // User Timing entries for the benchmark (tests/bench/time-to-badge.mjs) and DevTools'
  // Performance panel: `cc-evaluate` per evaluation, `cc-badge-painted` in the frame a new
  // badge state is positioned. They carry no data, and are cleared from the timeline at once
  // (observers still see them), so a tab open all day does not collect them.
  let paintPending = false;

  function evaluate() {
    const started = performance.now();
    try {
      evaluateNow();
    } finally {
      lastCostMs = performance.now() - started;
      performance.measure('cc-evaluate', { start: started });
      performance.clearMeasures('cc-evaluate');
    }
  }

  function evaluateNow() {
    clearTimeout(timer);
    timer = 0;
    firstChangeAt = 0;
    // Changes made before this point are in the DOM this evaluation reads: their records, still
    // queued (Lightning swaps the DOM, then pushes the URL, which evaluates at once), must not
    // schedule a second evaluation of the same page.
    if (observer) noteChanges(observer.takeRecords());
    const url = location.href;
    if (url !== lastUrl) {
      leaveRows(lastUrl);
      lastUrl = url;
      urlChangedAt = performance.now();
      removeBadge();
    }
    if (!core) return;
    clearTimeout(recheckTimer);
    recheckTimer = 0;
    let result = null;
    let failed = false;
    const now = performance.now();
    try {
      result = core.evaluatePage(
        document, url, localToday(),
        shown ? { recordId: shown.recordId, name: shown.name, source: shown.source } : null,
        shown ? shown.anchor : undefined,
        enrichment,
        dateOrder,
        { signedIn, recordId: clock.recordId, waitedMs: now - clock.at, answered: noAnalysisFor },
      );
    } catch (error) {
      failed = true;
      console.warn('[Deal health] could not evaluate this page:', error);
    }
    // Not a record page: perhaps a page that lists Opportunities (the core's answer again).
    let list = null;
    if (!result && !failed) {
      try {
        const changes = changedSince;
        changedSince = null;
        list = core.evaluateList(
          document, url, localToday(), dateOrder,
          leftList && { url: leftList.url, recordIds: leftList.recordIds, waitedMs: now - urlChangedAt },
          leftList ? leftList.anchors : undefined,
          // Not watched since the last answer (none left rows far from view, or the list
          // waited): the view may have moved unseen, so where rows lie is asked again.
          listEpoch, changes, rowScores, wholeListWanted(), viewMovedSince || !viewWatched,
          partialSummaries(),
        );
        viewMovedSince = false;
      } catch (error) {
        failed = true;
        console.warn('[Deal health] could not evaluate this list:', error);
      }
    }
    // The list the URL left is not on the page any more once the core draws a list (not
    // waiting: a waiting answer is numbered 0), or the page is no list.
    if (!failed && !(list && list.recheckMs != null && !list.epoch)) leftList = null;
    // Neither (the core's answer): nothing to watch until the URL changes. A failed evaluation
    // keeps watching: the next change is tried again.
    observe(Boolean(result) || Boolean(list) || failed);
    if (list) changedSince = []; // observed from here on: every later change is noted
    if (!result) {
      removeBadge();
      if (list) drawList(list);
      else if (!failed) removeRows();
      return;
    }
    removeRows();
    if (result.report.opportunityId !== clock.recordId) clock = { recordId: result.report.opportunityId, at: now };
    if (result.recheckMs != null) recheckTimer = setTimeout(evaluate, result.recheckMs);
    dateOrderWanted = result.dateOrderWanted;
    askDateOrder();
    if (result.dateOrder && result.dateOrder !== dateOrder) {
      dateOrder = result.dateOrder; // this page settled it: kept for the org's later pages
      send({ type: 'dateOrder', order: dateOrder });
    }
    const view = result.view;
    watchVisibility(view.state === 'waiting');
    if (view.state === 'waiting') {
      // Nothing of this record is rendered yet; a badge of this same record may stay.
      if (badge && badge.recordId !== view.recordId) removeBadge();
      return;
    }
    shown = { recordId: view.recordId, name: result.report.fields.name, anchor: result.anchor, source: view.source };
    draw(view, result.anchor);
    // Not counted while only the worker's copy of an earlier policy allows the page: nothing
    // leaves for an org the live policy may refuse.
    if (viewedFor !== view.recordId && !provisionalAllowed) {
      viewedFor = view.recordId;
      // Anonymous: the UI kind only, nothing computed from the deal (the core's allow-list
      // refuses anything else; docs/api.md, "What one event holds").
      send({ type: 'badgeViewed', ui: result.report.ui });
    }
    askForAnalysis(view.recordId);
    // The side panel shows this tab's Tier 1 result: reported when it changes (it stays in the
    // extension; the worker keeps it in session storage for this tab).
    const tier1 = JSON.stringify(result.tier1);
    if (tier1 !== reported) {
      reported = tier1;
      // Refused (the worker checks it against the tab's URL at that moment, which may have
      // moved on and back): sent again at the next evaluation.
      send({ type: 'tier1Report', summary: result.tier1 }).then((answer) => {
        if (answer && answer.ignored && reported === tier1) reported = '';
      });
    }
  }

  // A page that lists Opportunities: a badge per row the core read, where the core says (after
  // the row's name), and the list reported to the worker when it changed (the side panel's
  // "this list"). Same date order and policy as a record page.
  function drawList(list) {
    watchVisibility(false);
    watchRoots(list.watch || []);
    dateOrderWanted = list.dateOrderWanted;
    askDateOrder();
    if (list.dateOrder && list.dateOrder !== dateOrder) {
      dateOrder = list.dateOrder;
      send({ type: 'dateOrder', order: dateOrder });
    }
    if (list.recheckMs != null) recheckTimer = setTimeout(evaluate, list.recheckMs);
    watchView(list.outOfView === true);
    drawRows(list.rows);
    listEpoch = list.epoch;
    // The core answers the summary only when it changed since the answer drawn last.
    if (list.summary) {
      unreported = list.summary;
      reportList();
    }
  }

  // The list's summary goes to the worker only once something there wants it: the side panel
  // (asked in this browser session, the worker's listsWanted or listWanted) or, signed in, the
  // rows' Customer City scores it answers with. Until then the latest summary waits here, and
  // a list page sends nothing at all (each message costs the page's thread about a
  // millisecond). Dropped with the list's badges (removeRows): a summary is only ever reported
  // for the list it was read from.
  function reportList() {
    if (!unreported || !(listsWanted || signedIn === true)) return;
    const summary = unreported;
    unreported = null;
    send({ type: 'listReport', summary }).then((answer) => {
      // Refused, or not answered (the worker failed to): the next evaluation answers everything
      // again, the summary with it (also when evaluations answered since: the core takes this
      // summary as reported).
      if (!answer || answer.ignored) listEpoch = 0;
      else if (answer && answer.ok) takeRowScores(answer.scores);
    });
  }
  // The worker asks for the list while it lacks the whole list's report (its side panel shows
  // this tab): answered in full again, the whole list's summary with it, whatever was reported
  // before (a partial summary, one refused, one that arrived out of order).
  function wantLists() {
    listsWanted = true;
    reportList();
    listEpoch = 0;
    if (core && !refused) evaluate();
  }

  // Every row is read once the side panel wants the list (the whole list's summary); until
  // then the core leaves the rows laid out far from view unread (its answer's `outOfView`), and
  // reads them as the view comes near them: a 200-card board costs the page a screenful of
  // cards, not 200. Signed in, the rows read so far are reported (a summary marked partial)
  // for their Customer City scores, which only the rows drawn need.
  const wholeListWanted = () => listsWanted;
  const partialSummaries = () => signedIn === true && !listsWanted;
  // Evaluated again when rows were left unread and the answer now wants more of them: all
  // (the list is wanted) or a summary of those read (signed in).
  function readWhole() {
    if (viewWatched && (wholeListWanted() || partialSummaries()) && core && !refused) evaluate();
  }

  // While the answer drawn left rows far from view unread: a scroll anywhere on the page (the
  // list's own scroller too: scroll events are caught at the document as they go down to it,
  // and at each watched shadow root, which a scroll inside does not leave) or a resize
  // evaluates again, VIEW_MS after the view first moved (longer after a costly evaluation, as
  // schedule() waits), so that a long scroll is followed every VIEW_MS. Rows the view comes
  // near are read; those read stay as they were. Only the browser's own events count: a page
  // dispatching `scroll` events of its own does not make the list evaluated again.
  let viewWatched = false;
  let viewTimer = 0;
  let viewTargets = [];
  let viewMovedSince = false; // since the last evaluateList: the core asks where rows lie again
  function viewMoved(event) {
    if (!event.isTrusted) return;
    viewMovedSince = true;
    if (viewTimer) return;
    viewTimer = setTimeout(() => {
      viewTimer = 0;
      if (viewWatched && core && !refused) evaluate();
    }, Math.max(VIEW_MS, 2 * lastCostMs));
  }
  function watchView(on) {
    if (on === viewWatched) return;
    viewWatched = on;
    listenForScrolls();
    if (on) {
      window.addEventListener('resize', viewMoved, { passive: true });
    } else {
      window.removeEventListener('resize', viewMoved);
      clearTimeout(viewTimer);
      viewTimer = 0;
    }
  }
  function listenForScrolls() {
    const wanted = viewWatched ? [document, ...watchedRoots] : [];
    for (const target of viewTargets) {
      if (!wanted.includes(target)) target.removeEventListener('scroll', viewMoved, { capture: true });
    }
    for (const target of wanted) target.addEventListener('scroll', viewMoved, { capture: true, passive: true });
    viewTargets = wanted;
  }

  // The user signed out: the record badge drops the analysis it holds (the core then shows the
  // on-device score), and asks again should the user sign in.
  function signedOut() {
    signedIn = false;
    enrichment = null;
    askedFor = null;
    noAnalysisFor = null;
    if (core && !refused) evaluate();
  }

  // The worker's scores for the list's rows (its answer to listReport, or its word after the
  // portfolio was stored or the user signed out): when they changed, the list is evaluated
  // again. A row whose score changed has another badge key, so the core answers it anew; the
  // others stay as drawn, and the summary (of the on-device scores) is not sent again.
  function takeRowScores(scores) {
    const json = JSON.stringify(Array.isArray(scores) ? scores : []);
    if (json === rowScoresJson) return;
    rowScoresJson = json;
    rowScores = JSON.parse(json);
    if (core && !refused) evaluate();
  }

  // Once per document, on a record page: what an earlier page of this org settled. Evaluated
  // again only if the answer can read a date the last evaluation left open. Returns the answer.
  function askDateOrder() {
    dateOrderAnswer ??= send({ type: 'getDateOrder' }).then((answer) => {
      if (!answer || answer.ignored) dateOrderAnswer = null; // asked again at the next evaluation
      // The same answer says whether the user is signed in (used from the next evaluation on)
      // and whether the administrator's policy lets the badge show on this org (start()).
      if (answer && typeof answer.signedIn === 'boolean') signedIn = answer.signedIn;
      if (answer && answer.listsWanted === true) listsWanted = true;
      reportList(); // a summary that waited for this answer
      readWhole(); // or rows left far from view, now wanted
      if (answer && answer.order && !dateOrder) {
        dateOrder = answer.order;
        if (core && dateOrderWanted) evaluate();
      }
      return answer;
    });
    return dateOrderAnswer;
  }

  // Signed in, the worker answers with the enriched analysis (only the Id goes to it); signed
  // out it answers at once without any request.
  function askForAnalysis(recordId) {
    if (askedFor === recordId) return;
    askedFor = recordId;
    send({ type: 'getAnalysis', recordId }).then((answer) => {
      if (answer && answer.ignored && askedFor === recordId) askedFor = null; // asked again later
      if (answer && typeof answer.signedIn === 'boolean') signedIn = answer.signedIn;
      if (answer && answer.summary && askedFor === recordId) {
        enrichment = answer.summary;
        evaluate();
      } else if (answer && !answer.ignored && askedFor === recordId) {
        noAnalysisFor = recordId; // none, or it failed: a pending badge shows the estimate now
        if (recheckTimer) evaluate();
      }
    });
  }

  let observer = null;
  const CHANGES = { childList: true, subtree: true, characterData: true };
  // While the URL's record is not on screen yet, changes of what is shown count too: a console
  // app switches to an open record subtab by moving the `active` class, and may do so after it
  // pushed the URL. Watched only then: class changes are constant on a Lightning page.
  const VISIBILITY = { ...CHANGES, attributes: true, attributeFilter: ['class', 'hidden'] };
  // Only for a while after a URL change: a record page that never becomes readable (no access,
  // an unknown layout) must not be re-read at every class change for as long as it is open.
  const VISIBILITY_MS = 10000;
  let watchingVisibility = false;
  let urlChangedAt = performance.now();
  let visibilityTimer = 0;
  function watchVisibility(on) {
    const wanted = on && performance.now() - urlChangedAt < VISIBILITY_MS;
    if (!observing || wanted === watchingVisibility) return;
    watchingVisibility = wanted;
    observer.observe(document, wanted ? VISIBILITY : CHANGES); // replaces the options in force
    clearTimeout(visibilityTimer);
    if (wanted) visibilityTimer = setTimeout(() => watchVisibility(false), VISIBILITY_MS);
  }

  function schedule() {
    const now = performance.now();
    if (!firstChangeAt) firstChangeAt = now;
    clearTimeout(timer);
    // A page that is costly to evaluate (a long list) waits in proportion, so that a page that
    // never stops changing leaves the tab at least two thirds of its time.
    const quiet = Math.max(QUIET_MS, 2 * lastCostMs);
    const maxWait = Math.max(MAX_WAIT_MS, 2 * lastCostMs);
    const wait = Math.max(0, Math.min(quiet, firstChangeAt + maxWait - now));
    timer = setTimeout(evaluate, wait);
  }

  // Returns whether the URL changed (and so the page was evaluated).
  function onUrlMaybeChanged() {
    if (location.href === lastUrl) return false;
    // Never leave one record's badge up while another record's URL is showing.
    leaveRows(lastUrl);
    lastUrl = location.href;
    urlChangedAt = performance.now();
    removeBadge();
    if (!core) {
      start();
      return true;
    }
    // At once: when the record is already rendered (Lightning often swaps the DOM first), the
    // badge follows within the frame, and later changes to it arrive through the observer.
    // When it is not, the core answers "waiting" and the debounced evaluation catches the
    // record as it renders.
    evaluate();
    if (!badge && !rowBadges.size && observing) schedule();
    return true;
  }

  // The extension's own badges coming or going are not changes to the page. Recognised as the
  // elements this script created (never by tag name: a page may make an element of the same
  // name), and only while each is where this script put it: after the element it was placed
  // beside, or gone because this script removed it. A host the page moved or removed is a
  // change like any other (the next evaluation puts it back).
  const ownHosts = new WeakSet();
  const placedAfter = new WeakMap(); // a host this script inserted → its previous sibling then
  function inserted(host) {
    ownHosts.add(host);
    placedAfter.set(host, host.previousSibling);
  }
  function removed(host) {
    placedAfter.delete(host);
    host.remove();
  }
  const asPlaced = (node) => ownHosts.has(node)
    && (node.isConnected ? placedAfter.get(node) === node.previousSibling : !placedAfter.has(node));
  const isOwn = (record) => (record.type === 'childList'
    ? [...record.addedNodes, ...record.removedNodes].every(asPlaced)
    : ownHosts.has(record.target));

  // ---- drawing -------------------------------------------------------------------------------
  //
  // The badge holds no text node. Every string it shows is CSS generated content (`::before`,
  // from a `data-t` attribute inside the closed root): the page's `window.find`, selections
  // (select-all, `selectAllChildren(document.body)`, whose `toString()` crosses shadow roots) and
  // `innerText` see only text nodes, so none of them reads the score. Assistive technology reads
  // the button: its `aria-label` (the name) and `aria-description` (the card's text, which a
  // hidden card's generated content could not give: display: none generates no content).

  const STYLE = `
    :host { all: initial; }
    .badge {
      all: unset; box-sizing: border-box; display: inline-flex; align-items: center; gap: 6px;
      height: 24px; padding: 0 10px 0 8px; border-radius: 12px; cursor: pointer;
      font: 700 13px/1 -apple-system, "Salesforce Sans", "Segoe UI", Roboto, Arial, sans-serif;
      color: #fff; background: #706e6b; box-shadow: 0 1px 2px rgba(0,0,0,.2); white-space: nowrap;
    }
    .badge:focus-visible { outline: 2px solid #0176d3; outline-offset: 2px; }
    .dot { width: 8px; height: 8px; border-radius: 50%; background: currentColor; opacity: .85; }
    /* A list row's badge: a pill after the row's name, its reason in a card while hovered.
       Before the tones, which colour it. */
    .pill {
      display: inline-flex; align-items: center; box-sizing: border-box; height: 18px;
      min-width: 24px; padding: 0 6px; border-radius: 9px; justify-content: center;
      font: 700 11px/1 -apple-system, "Salesforce Sans", "Segoe UI", Roboto, Arial, sans-serif;
      color: #fff; background: #706e6b; white-space: nowrap; cursor: default;
    }
    .tone-healthy { background: #2e844a; }
    .tone-at_risk { background: #fe9339; color: #181818; }
    .tone-critical { background: #ba0517; }
    .tone-won { background: #0176d3; }
    .tone-lost { background: #747474; }
    .tone-unknown { background: #706e6b; }
    /* Directly under the badge: its transparent top border is the 6 px gap, so the pointer can
       move from the badge onto the card without the card closing (WCAG 1.4.13, hoverable). */
    .card {
      display: none; position: absolute; top: 24px; left: 0; width: 280px; padding: 12px;
      background: #fff padding-box; color: #181818; border: 1px solid #c9c9c9;
      border-top: 6px solid transparent; border-radius: 4px;
      box-shadow: 0 2px 8px rgba(0,0,0,.16);
      font: 400 13px/1.4 -apple-system, "Salesforce Sans", "Segoe UI", Roboto, Arial, sans-serif;
    }
    .badge:hover + .card, .card:hover, .badge:focus-visible + .card { display: block; }
    .stale .card { display: block; } /* after an update: the reload notice stays up */
    .dismissed .card { display: none !important; } /* Esc (dismissible) */
    .title { margin: 0 0 2px; font-weight: 700; }
    .summary { margin: 0 0 8px; color: #444; }
    ul { margin: 0; padding-left: 18px; }
    li { margin: 0 0 4px; overflow-wrap: anywhere; }
    .hint { margin: 8px 0 0; color: #747474; font-size: 12px; }
    @media (prefers-color-scheme: dark) {
      .card { background: #242424 padding-box; color: #f3f3f3; border-color: #5c5c5c; border-top-color: transparent; }
      .summary { color: #c9c9c9; }
      .hint { color: #aeaeae; }
    }
    [data-t]::before { content: attr(data-t); }
    .pill + .card { top: 18px; width: 240px; padding: 8px; }
    .pill:hover + .card { display: block; }
    .pill + .card:not([data-t]) { display: none !important; }
  `;

  // Shows `value` as generated content of `element` (see above), never as a text node.
  const show = (element, value) => element.setAttribute('data-t', value);

  // One stylesheet for every badge of the document, parsed once (a <style> per badge was parsed
  // again for each record of an in-app navigation).
  let sheet = null;
  function badgeSheet() {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
    }
    return sheet;
  }

  function createBadge() {
    const host = document.createElement(HOST_TAG);
    // Out of the page's flow from the start: it is inserted beside the name before position()
    // places it in the next frame, and must not move the page's layout meanwhile.
    for (const [name, value] of [['position', 'fixed'], ['top', '0'], ['left', '0'], ['margin', '0'], ['z-index', '99'], ['visibility', 'hidden']]) {
      host.style.setProperty(name, value, 'important');
    }
    const root = host.attachShadow({ mode: 'closed' });
    root.adoptedStyleSheets = [badgeSheet()];
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'badge';
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.setAttribute('aria-hidden', 'true');
    const value = document.createElement('span');
    value.setAttribute('aria-hidden', 'true');
    button.append(dot, value);
    const card = document.createElement('div');
    card.className = 'card';
    card.setAttribute('aria-hidden', 'true'); // the button's description says it all
    const title = document.createElement('p');
    title.className = 'title';
    show(title, chrome.i18n.getMessage('badge_title'));
    const summary = document.createElement('p');
    summary.className = 'summary';
    const list = document.createElement('ul');
    const hint = document.createElement('p');
    hint.className = 'hint';
    show(hint, chrome.i18n.getMessage('badge_hint'));
    card.append(title, summary, list, hint);
    // One element holds both, so that Esc can close the card while the pointer stays on it.
    const frame = document.createElement('div');
    frame.append(button, card);
    root.append(frame);
    const undismiss = () => frame.classList.remove('dismissed');
    frame.addEventListener('pointerleave', undismiss);
    button.addEventListener('blur', undismiss);
    // Read now: once the extension is updated or reloaded under this page, this script can no
    // longer reach it (chrome.i18n included) and a click would do nothing.
    const reload = { text: chrome.i18n.getMessage('badge_reload_after_update'), name: chrome.i18n.getMessage('badge_name_reload') };
    button.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      if (!badge || !event.isTrusted) return; // only the user's own click, never a script's
      if (!extensionAlive()) {
        button.setAttribute('aria-label', reload.name);
        button.setAttribute('aria-description', reload.text);
        show(summary, reload.text);
        list.replaceChildren();
        frame.classList.add('stale');
        return;
      }
      send({ type: 'openSidePanel', recordId: badge.recordId });
    });
    return { host, frame, button, value, title, summary, list, hint, key: '', recordId: '', offset: [0, 0], spotKey: '', spotIndex: 0 };
  }

  // The badge goes right after the record's name in the page's own tree, so that it comes next
  // in focus order and to assistive technology; it is fixed-positioned, so it takes no place in
  // the page's layout. Without a name on the page, at the end of the body.
  function place(anchor) {
    const host = badge.host;
    if (anchor && anchor.isConnected && anchor.parentNode) {
      if (anchor.nextSibling !== host) {
        anchor.after(host);
        inserted(host);
      }
    } else if (!host.isConnected) {
      (document.body || document.documentElement).append(host);
      inserted(host);
    }
  }

  function draw(view, anchor) {
    if (!badge) badge = createBadge();
    place(anchor);
    if (badge.key !== view.key) {
      paintPending = true;
      badge.key = view.key;
      badge.recordId = view.recordId;
      badge.button.className = `badge tone-${view.tone}`;
      badge.button.setAttribute('aria-label', text(view.accessibleName));
      show(badge.value, text(view.text));
      show(badge.summary, text(view.summary));
      const reasons = view.reasons.map(text);
      badge.list.replaceChildren(
        ...reasons.map((reason) => {
          const item = document.createElement('li');
          show(item, reason);
          return item;
        }),
      );
      const card = [badge.title, badge.summary, ...badge.list.children, badge.hint];
      badge.button.setAttribute('aria-description', card.map((element) => element.getAttribute('data-t')).join(' '));
    }
    position();
  }

  function removeBadge() {
    if (badge) removed(badge.host);
    badge = null;
  }

  // A list row's badge: a closed shadow root with the pill (the score, or the closed state) and
  // a card with the row's most harmful reason, both drawn as generated content (see above).
  // The host goes into the page's tree right after the row's name (next in reading order) and
  // is absolutely positioned, so it takes no room: no cell widens, no row moves, and it scrolls
  // with its row. Where it is drawn is decided by `fitRows` below. Not focusable (a list of fifty
  // would be fifty tab stops): assistive technology reads its name and reason from the pill
  // (role img).
  const ROW_HOST_STYLE = [['position', 'absolute'], ['display', 'inline-block'], ['margin', '0'],
    ['padding', '0'], ['z-index', '1'], ['width', 'auto'], ['height', 'auto'], ['line-height', '0']]
    .map(([name, value]) => `${name}: ${value} !important;`).join(' ');

  function createRowBadge() {
    const host = document.createElement(ROW_TAG);
    // One declaration block, parsed once (eight setProperty calls cost more per badge).
    host.style.cssText = ROW_HOST_STYLE;
    const root = host.attachShadow({ mode: 'closed' });
    root.adoptedStyleSheets = [badgeSheet()];
    const pill = document.createElement('span');
    pill.className = 'pill';
    pill.setAttribute('role', 'img');
    const reason = document.createElement('div');
    reason.className = 'card';
    reason.setAttribute('aria-hidden', 'true');
    root.append(pill, reason);
    const rowBadge = { host, pill, reason, key: '', anchor: null, name: '', shift: [0, 0], bounds: [], near: false };
    badgeOfHost.set(host, rowBadge);
    if (near) near.observe(host);
    return rowBadge;
  }

  // Where a row's badge is drawn: right after the row's name, unless the room there ends first
  // (the name's cell ends, the name is cut short by its truncating wrapper, or something of the
  // page follows it: an edit button, the next value of a split view's item, a card's menu); then
  // at the end of that room, over the end of the name's own text. A static position alone
  // (the host with no offsets) put the badge where the full name ends, over the next column
  // when the name fills its cell.
  //
  // Geometry is read only where layout is already done: in a ResizeObserver's callback, which
  // runs after the browser laid the page out for the next frame and before it paints. It comes
  // for a badge when it is inserted or moved, when its pill changes size, when the row's name
  // text changes, and when the box that bounds it (the name's cell) is resized (a column
  // resized, the window). An evaluation itself reads no layout. All reads come before all
  // writes, and a write is a transform, which lays nothing out.
  const GAP = 4; // between the name and the badge, and the badge and what ends the room
  const fitted = new WeakMap(); // an observed element (a host, a name's cell) → its row badges
  const fitter = typeof ResizeObserver === 'function' ? new ResizeObserver(fitRows) : null;

  function watch(element, rowBadge) {
    let badges = fitted.get(element);
    if (!badges) fitted.set(element, badges = new Set());
    if (!badges.size) fitter.observe(element);
    badges.add(rowBadge);
  }

  function unwatch(element, rowBadge) {
    const badges = fitted.get(element);
    if (badges) badges.delete(rowBadge);
    if (!badges || !badges.size) fitter.unobserve(element);
  }

  function watchFit(rowBadge) {
    if (!fitter) return;
    // Observed anew: a first observation comes at the next layout.
    fitted.set(rowBadge.host, new Set([rowBadge]));
    fitter.unobserve(rowBadge.host);
    fitter.observe(rowBadge.host);
  }

  function unwatchFit(rowBadge) {
    if (!fitter) return;
    unwatch(rowBadge.host, rowBadge);
    for (const element of rowBadge.bounds) unwatch(element, rowBadge);
    rowBadge.bounds = [];
  }

  // Only badges on or near the screen are fitted: a board has 200 cards and a screen shows a
  // tenth of them, and fitting reads each one's layout. A badge is watched from when it comes
  // within a screen's height of the viewport (not clipped away by a scrolled list) and fitted
  // then, at its next layout; it stops being watched when it leaves.
  const badgeOfHost = new WeakMap(); // a row badge's host → the row badge
  const near = fitter && typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const rowBadge = badgeOfHost.get(entry.target);
        if (!rowBadge || rowBadges.get(rowBadge.recordId) !== rowBadge) continue;
        rowBadge.near = entry.isIntersecting;
        if (entry.isIntersecting) watchFit(rowBadge);
        else unwatchFit(rowBadge);
      }
    }, { rootMargin: '100% 0px' })
    : null;

  // Placed again at its next layout, or when it comes near the screen.
  function refit(rowBadge) {
    if (!near || rowBadge.near) watchFit(rowBadge);
  }

  function forget(rowBadge) {
    unwatchFit(rowBadge);
    if (near) near.unobserve(rowBadge.host);
  }

  // The composed parent: the slot an element is assigned to, its parent, or its shadow root's host.
  // Only a child of a host with an open shadow root can have an assigned slot the page sees
  // (`assignedSlot` answers null for a closed one), so only there is it asked: asking it of
  // every element costs a slot assignment check each time.
  const composedParent = (element) => {
    const parent = element.parentElement;
    if (parent) return (parent.shadowRoot && element.assignedSlot) || parent;
    return (element.parentNode && element.parentNode.host) || null;
  };

  // Reads only: where the badge of `rowBadge` goes, as a shift from its static position.
  function measureRow(rowBadge) {
    const { host, anchor } = rowBadge;
    if (!host.isConnected || !anchor || !anchor.isConnected) return null;
    const badgeBox = host.getBoundingClientRect();
    if (badgeBox.width === 0 && badgeBox.height === 0) return null; // not rendered (a hidden list)
    // The name's text as laid out: the end of its last line (a wrapped name goes on), its
    // vertical middle, its start. Text cut off by a wrapper still counts here: its end is where
    // the static position was.
    const range = document.createRange();
    range.selectNodeContents(anchor);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
    if (!rects.length) return null;
    const lastTop = Math.max(...rects.map((r) => r.top));
    const lastLine = rects.filter((r) => r.bottom > lastTop + 1);
    const nameLeft = Math.min(...rects.map((r) => r.left));
    const nameRight = Math.max(...lastLine.map((r) => r.right));
    const lineTop = Math.min(...lastLine.map((r) => r.top));
    const lineBottom = Math.max(...lastLine.map((r) => r.bottom));
    // The room: up to the name's cell (a table cell), or the first thing that ends it before.
    // Watched for size changes: the name's own box (the first one around it that is not inline:
    // it changes with the name's text, also where the page's changes are out of the mutation
    // observer's sight, in a native shadow root) and the last box looked at (the cell).
    let limit = Infinity;
    let box = null;
    let bound = null;
    for (let element = anchor, depth = 0; element && depth < 8; element = composedParent(element), depth += 1) {
      const style = getComputedStyle(element);
      const { display, overflowX } = style;
      if (!box && display !== 'inline' && display !== 'contents') box = element;
      // Its box only where it bounds the room (most wrappers neither end nor clip it).
      if (display === 'table-cell') {
        limit = Math.min(limit, element.getBoundingClientRect().right - (parseFloat(style.paddingRight) || 0));
        bound = element;
        break;
      }
      if (overflowX !== 'visible') {
        const { right } = element.getBoundingClientRect();
        // A wrapper that clips the name (ellipsis): the badge stays within what it shows.
        if (element !== anchor && nameRight > right + 0.5) limit = Math.min(limit, right);
        if (element === anchor) limit = Math.min(limit, Math.max(right, nameLeft + 1));
      }
      // Whatever follows the name on its line at this level: the room ends where it begins.
      let count = 0;
      for (let next = element.nextElementSibling; next && count < 6; next = next.nextElementSibling) {
        if (ownHosts.has(next)) continue;
        count += 1;
        const r = next.getBoundingClientRect();
        if ((r.width || r.height) && r.left > nameLeft && r.top < lineBottom && r.bottom > lineTop) limit = Math.min(limit, r.left);
      }
      bound = element;
    }
    const [shiftX, shiftY] = rowBadge.shift;
    const staticLeft = badgeBox.left - shiftX;
    const staticTop = badgeBox.top - shiftY;
    let left = nameRight + GAP;
    if (left + badgeBox.width > limit - GAP) left = Math.max(nameLeft, Math.floor(limit - GAP - badgeBox.width));
    const top = (lineTop + lineBottom) / 2 - badgeBox.height / 2;
    return { shift: [Math.round(left - staticLeft), Math.round(top - staticTop)], bounds: [...new Set([box, bound])].filter(Boolean) };
  }

  function fitRows(entries) {
    const rows = new Set();
    for (const entry of entries) {
      for (const rowBadge of fitted.get(entry.target) || []) {
        if (rowBadges.get(rowBadge.recordId) === rowBadge) rows.add(rowBadge);
      }
    }
    const places = [...rows].map((rowBadge) => [rowBadge, measureRow(rowBadge)]);
    for (const [rowBadge, place] of places) {
      if (!place) continue;
      const [x, y] = place.shift;
      if (x !== rowBadge.shift[0] || y !== rowBadge.shift[1]) {
        rowBadge.shift = [x, y];
        rowBadge.host.style.setProperty('transform', `translate(${x}px, ${y}px)`, 'important');
      }
      // Compared element by element: a re-rendered cell is another element to watch.
      const same = place.bounds.length === rowBadge.bounds.length
        && place.bounds.every((element, index) => element === rowBadge.bounds[index]);
      if (fitter && !same) {
        for (const element of rowBadge.bounds) unwatch(element, rowBadge);
        rowBadge.bounds = place.bounds;
        for (const element of place.bounds) watch(element, rowBadge);
      }
    }
  }

  function drawRows(rows) {
    const drawn = new Set();
    for (const row of rows) {
      if (row.same) {
        // As drawn last: put back only if the page took the badge from beside its anchor.
        const rowBadge = rowBadges.get(row.recordId);
        if (!rowBadge) continue; // it had no anchor then either
        const { host, anchor } = rowBadge;
        if (anchor && anchor.isConnected && anchor.parentNode && anchor.nextSibling !== host) {
          anchor.after(host);
          inserted(host);
        }
        drawn.add(row.recordId);
        continue;
      }
      const anchor = row.anchor;
      if (!anchor || !anchor.isConnected || !anchor.parentNode) continue;
      let rowBadge = rowBadges.get(row.recordId);
      if (!rowBadge) {
        rowBadge = createRowBadge();
        rowBadge.recordId = row.recordId;
        rowBadges.set(row.recordId, rowBadge);
      }
      if (anchor.nextSibling !== rowBadge.host) {
        anchor.after(rowBadge.host);
        inserted(rowBadge.host);
      }
      // Moved, or its name edited in place: placed again at the next layout.
      const name = anchor.textContent;
      if (rowBadge.anchor !== anchor || rowBadge.name !== name) {
        rowBadge.anchor = anchor;
        rowBadge.name = name;
        refit(rowBadge);
      }
      if (rowBadge.key !== row.key) {
        paintPending = true;
        rowBadge.key = row.key;
        rowBadge.pill.className = `pill tone-${row.tone}`;
        show(rowBadge.pill, text(row.text));
        const reason = row.reason ? text(row.reason) : '';
        if (reason) show(rowBadge.reason, reason);
        else rowBadge.reason.removeAttribute('data-t');
        const accessibleName = text(row.accessibleName);
        rowBadge.pill.setAttribute('aria-label', reason ? `${accessibleName}. ${reason}` : accessibleName);
      }
      drawn.add(row.recordId);
    }
    for (const [recordId, rowBadge] of rowBadges) {
      if (!drawn.has(recordId)) {
        forget(rowBadge);
        removed(rowBadge.host);
        rowBadges.delete(recordId);
      }
    }
    if (paintPending) {
      requestAnimationFrame(() => {
        if (!paintPending) return;
        paintPending = false;
        performance.mark('cc-badge-painted');
        performance.clearMarks('cc-badge-painted');
      });
    }
  }

  // The URL moved on from `url`: the rows' badges go, and what they stood beside is kept for the
  // core (leftList). Nothing drawn (the list waited): the list left before is still the one shown.
  function leaveRows(url) {
    if (rowBadges.size) {
      leftList = { url, recordIds: [...rowBadges.keys()], anchors: [...rowBadges.values()].map((b) => b.anchor) };
    }
    removeRows();
  }

  function removeRows() {
    unreported = null;
    watchRoots([]);
    watchView(false);
    for (const rowBadge of rowBadges.values()) {
      forget(rowBadge);
      removed(rowBadge.host);
    }
    rowBadges.clear();
    listEpoch = 0;
  }

  const CONTROL = 'a[href], button, input, select, textarea, summary, [role="button"], [role="link"], [role="tab"], [role="menuitem"], [contenteditable="true"]';

  // What the badge lies over at a point of the viewport: the page's topmost element there, found
  // through open shadow roots (where Lightning keeps its buttons), and its composed ancestors;
  // null where something of the page is drawn over the badge. One hit test per tree crossed.
  function underBadge(x, y) {
    const host = badge.host;
    let stack = document.elementsFromPoint(x, y);
    if (stack[0] !== host) return null;
    let element = stack[1];
    for (let depth = 0; element && element.shadowRoot && depth < 8; depth += 1) {
      const root = element.shadowRoot;
      stack = root.elementsFromPoint(x, y).filter((e) => e !== host && root.contains(e));
      if (!stack.length) break;
      element = stack[0];
    }
    const chain = [];
    for (let node = element; node; node = node.parentNode || node.host) if (node.nodeType === 1) chain.push(node);
    return chain;
  }

  // Moves the badge to (left, top) in the viewport, less the offset the last check learned
  // (beside the name, the badge may sit under an ancestor that makes `fixed` relative to itself:
  // a transform, a filter). Writes only: nothing here makes the page lay out.
  function setSpot([left, top]) {
    const style = badge.host.style;
    const [dx, dy] = badge.offset;
    style.setProperty('top', `${Math.round(top + dy)}px`, 'important');
    style.setProperty('left', `${Math.round(left + dx)}px`, 'important');
  }

  // Whether the badge can be seen at a spot and covers no control of the page there (hit-tested
  // at its corners and middle). Moves it there, and corrects the offset by where it landed.
  function spotFree(spot) {
    const host = badge.host;
    setSpot(spot);
    let box = host.getBoundingClientRect();
    const [left, top] = spot.map(Math.round);
    if (Math.abs(box.top - top) > 1 || Math.abs(box.left - left) > 1) {
      badge.offset = [badge.offset[0] + left - box.left, badge.offset[1] + top - box.top];
      setSpot(spot);
      box = host.getBoundingClientRect();
    }
    if (box.width === 0 || box.left < 0 || box.top < 0 || box.right > innerWidth || box.bottom > innerHeight) return false;
    const points = [[box.left + 1, box.top + 1], [box.right - 1, box.top + 1], [box.left + 1, box.bottom - 1],
      [box.right - 1, box.bottom - 1], [box.left + box.width / 2, box.top + box.height / 2]];
    // The badge's own ancestors (it sits in the name's container) are no control it covers.
    const mine = new Set();
    for (let node = host; node; node = node.parentNode || node.host) mine.add(node);
    for (const [x, y] of points) {
      const under = underBadge(x, y);
      if (!under) return false; // something of the page is drawn over the badge here
      if (under.some((element) => !mine.has(element) && element.matches(CONTROL))) return false;
    }
    return true;
  }

  // The name's box (its text's, where narrower), or null without a name on the page.
  function nameRect() {
    // The anchor found at the last evaluation: scrolling must not re-query the document.
    let anchor = shown && shown.anchor && shown.anchor.isConnected ? shown.anchor : core.badgeAnchor(document, location.href);
    let rect = anchor && anchor.getBoundingClientRect();
    while (anchor && rect && rect.width === 0 && rect.height === 0 && anchor.parentElement) {
      anchor = anchor.parentElement; // a <slot> with display: contents has no box of its own
      rect = anchor.getBoundingClientRect();
    }
    if (anchor) {
      // Beside the name's text, not at the far end of a full-width heading (Classic's h2).
      const range = document.createRange();
      range.selectNodeContents(anchor);
      const textRect = range.getBoundingClientRect();
      if (textRect.width > 0 && textRect.width < rect.width) rect = textRect;
    }
    return rect || null;
  }

  // Where the badge may go, best first: right after the name, else just under it (a long name or
  // a zoomed window ends the name's column at the record's actions); with no name on the page,
  // the top right corner, below whatever the page keeps fixed there (Lightning's global header).
  function spots(rect) {
    if (rect) {
      return [[Math.min(rect.right + 8, innerWidth - 80), rect.top + rect.height / 2 - 12], [rect.left, rect.bottom + 4]];
    }
    const corner = [];
    for (let top = 8; top <= Math.min(300, innerHeight / 2); top += 4) corner.push([innerWidth - 96, top]);
    return corner;
  }

  // Which spot is free is checked when the page is idle, after it has drawn its frames
  // (hit-testing before would make the page lay out and paint inside our task), and again only
  // when the name's box or the window's size changes: scrolling keeps the choice.
  let checkTimer = 0;
  function checkSpots() {
    checkTimer = 0;
    if (!badge) return;
    const rect = nameRect();
    if (rect && !(rect.bottom > 0 && rect.top < innerHeight)) return;
    const candidates = spots(rect);
    const free = candidates.findIndex((spot) => spotFree(spot));
    badge.spotIndex = Math.max(0, free);
    setSpot(candidates[badge.spotIndex]);
  }

  let positionFrame = 0;
  function position() {
    if (!badge || positionFrame) return;
    positionFrame = requestAnimationFrame(() => {
      positionFrame = 0;
      if (!badge) return;
      const rect = nameRect();
      const style = badge.host.style;
      style.setProperty('position', 'fixed', 'important');
      style.setProperty('z-index', '99', 'important');
      style.setProperty('display', 'block', 'important');
      style.setProperty('margin', '0', 'important');
      if (rect && !(rect.bottom > 0 && rect.top < innerHeight)) {
        style.setProperty('visibility', 'hidden', 'important'); // the header scrolled away
      } else {
        style.setProperty('visibility', 'visible', 'important');
        const candidates = spots(rect);
        const key = rect ? `${Math.round(rect.left)},${Math.round(rect.right)},${Math.round(rect.height)},${innerWidth},${innerHeight}` : `corner,${innerWidth},${innerHeight}`;
        if (badge.spotKey !== key) {
          badge.spotKey = key;
          badge.spotIndex = 0;
          if (checkTimer) cancelIdleCallback(checkTimer);
          checkTimer = requestIdleCallback(checkSpots, { timeout: 500 });
        }
        setSpot(candidates[Math.min(badge.spotIndex, candidates.length - 1)]);
      }
      if (paintPending) {
        paintPending = false;
        performance.mark('cc-badge-painted');
        performance.clearMarks('cc-badge-painted');
      }
    });
  }

  // ---- wiring --------------------------------------------------------------------------------

  // The worker allowed this page from its copy of an earlier policy, and the policy it has read
  // since does not: the badge goes and nothing more is read or reported (until a reload). For
  // this org only: the tab may have moved on to another since it asked.
  let refused = false;
  let provisionalAllowed = false; // allowed by the worker's copy, not yet by the live policy
  function refuse() {
    refused = true;
    core = null;
    clearTimeout(recheckTimer);
    observe(false);
    removeBadge();
    removeRows();
  }
  // Only the extension itself (not a content script, not a page) can send these; each is for
  // this org only: the tab may have moved on to another since.
  chrome.runtime.onMessage.addListener((message, sender) => {
    if (sender.id !== chrome.runtime.id || sender.tab || !message || message.host !== location.hostname) return;
    if (message.type === 'policyRefused') refuse();
    else if (message.type === 'listScores') takeRowScores(message.scores);
    else if (message.type === 'signedOut') signedOut();
    else if (message.type === 'listWanted') wantLists();
  });

  // Notes the page's changes for the next list evaluation (changedSince).
  function noteChanges(records) {
    if (!changedSince) return;
    for (const record of records) {
      if (isOwn(record)) continue;
      if (changedSince.length >= MAX_CHANGES) {
        changedSince = null; // the core fingerprints every row instead
        return;
      }
      changedSince.push(record);
    }
  }

  observer = new MutationObserver((records) => {
    noteChanges(records);
    // A new URL is evaluated at once, after every change in this batch: nothing left to do.
    if (onUrlMaybeChanged()) return;
    if (records.some((record) => !isOwn(record))) schedule();
  });

  // The observer runs only while the URL is an Opportunity record page (the core's answer);
  // URL changes arrive through the Navigation API (and popstate) on every page.
  let observing = false;
  function observe(on) {
    if (on === observing) return;
    observing = on;
    changedSince = null; // changes before now were not seen
    if (on) {
      watchingVisibility = false;
      observer.observe(document, CHANGES);
      for (const root of watchedRoots) observer.observe(root, CHANGES);
    } else {
      watchedRoots = new Set();
      observer.disconnect();
      clearTimeout(timer);
      clearTimeout(visibilityTimer);
      timer = 0;
      firstChangeAt = 0;
      shown = null; // nor keep the record page's detached elements alive
    }
  }

  // The open shadow roots observed besides the document, with the same options: where a list
  // drawn in native shadow DOM keeps its rows and their values (the core's answer, evaluateList's
  // `watch`), since an observer of the document sees nothing inside a shadow root. Kept while
  // the list is shown. An observer cannot stop observing one target alone: a changed set
  // disconnects it and observes the document and the new set again; the same set costs nothing.
  let watchedRoots = new Set();
  function watchRoots(roots) {
    if (roots.length === watchedRoots.size && roots.every((root) => watchedRoots.has(root))) return;
    watchedRoots = new Set(roots);
    listenForScrolls();
    if (!observing) return;
    // Disconnecting drops the changes not yet delivered: those of the page still count.
    const pending = observer.takeRecords();
    noteChanges(pending);
    observer.disconnect();
    observer.observe(document, watchingVisibility ? VISIBILITY : CHANGES);
    for (const root of watchedRoots) observer.observe(root, CHANGES);
    if (pending.some((record) => !isOwn(record))) schedule();
  }

  // An empty module: compiling it tells whether the page's CSP lets this world compile
  // WebAssembly ('unsafe-eval' or 'wasm-unsafe-eval'; Lightning's allows it).
  const EMPTY_MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  function wasmAllowed() {
    try {
      return new WebAssembly.Module(EMPTY_MODULE) instanceof WebAssembly.Module;
    } catch {
      return false;
    }
  }

  // The core as real WebAssembly, compiled off the main thread while its bytes arrive; as its
  // JavaScript translation where the page refuses WebAssembly. Both are the same build.
  async function loadCore(url) {
    if (wasmAllowed()) {
      try {
        const module = await import(url('content/core-wasm.mjs'));
        await module.default({ module_or_path: fetch(url('content/core.wasm')) });
        return module;
      } catch (error) {
        // A page that lets this world compile but not fetch, or a browser that refuses the
        // module for another reason: the translation needs neither.
        console.warn('[Deal health] WebAssembly core unavailable here, using the JavaScript build:', error);
      }
    }
    return import(url('content/core.mjs'));
  }

  // Imports the core the first time the URL may name a record or list, then evaluates.
  function start() {
    if (!PAGE_HINT.test(location.href)) return;
    let url;
    try {
      url = chrome.runtime.getURL.bind(chrome.runtime);
      url('');
    } catch {
      return; // the extension was updated or removed: this old script has nothing to load
    }
    // The administrator may limit the extension to listed Salesforce orgs (allowedOrgHosts,
    // docs/admin.md): asked beside the import, once per document (the host never changes). The
    // worker answers it with the date order (its core decides, from the policy or, in the
    // seconds after the browser starts, its copy of the last one); without that answer (the
    // worker refused the question) this script reads the policy itself and its core decides.
    // On another org the core stays unused: nothing is read or reported.
    importing ??= Promise.all([loadCore(url), askDateOrder()]).then(
      async ([module, answer]) => {
        const allowed = answer && typeof answer.allowed === 'boolean'
          ? answer.allowed
          : module.badgeAllowedOn((await chrome.storage.managed.get('allowedOrgHosts').catch(() => ({}))).allowedOrgHosts, location.hostname);
        if (!allowed || refused) return;
        provisionalAllowed = Boolean(answer && answer.provisional);
        core = module;
        evaluate();
        if (!badge && !rowBadges.size && observing) schedule();
      },
      (error) => {
        importing = null; // tried again at the next URL change
        console.warn('[Deal health] could not load:', error);
      },
    );
  }

  if (globalThis.navigation) {
    navigation.addEventListener('navigate', () => queueMicrotask(onUrlMaybeChanged));
    navigation.addEventListener('currententrychange', onUrlMaybeChanged);
  }
  addEventListener('popstate', onUrlMaybeChanged);
  addEventListener('scroll', position, { capture: true, passive: true });
  // Esc closes the hover card where it shows, without moving the pointer or the focus.
  addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && badge) badge.frame.classList.add('dismissed');
  }, { capture: true });
  addEventListener('resize', position, { passive: true });
  // The worker refuses a prerendered or back-forward-cached document's messages, and may keep
  // another record's report for this tab meanwhile: once shown, report and ask again.
  function resume() {
    reported = '';
    listEpoch = 0; // the next list answer is whole, its summary reported again
    askedFor = null;
    if (!core) {
      start();
      return;
    }
    // The worker's word that the live policy refuses this org (policyRefused: an administrator
    // narrowed it, or a tab allowed only by the worker's copy) cannot reach a cached page: asked
    // again. A page the live policy allowed is drawn meanwhile; one allowed only by the copy
    // waits for the answer.
    const allowedLive = !provisionalAllowed;
    if (allowedLive) evaluate();
    dateOrderAnswer = null;
    askDateOrder().then((answer) => {
      if (answer && answer.allowed === false) {
        refuse();
        return;
      }
      if (allowedLive) return;
      // Unanswered (the worker refused or missed the question): still provisional.
      if (answer && typeof answer.allowed === 'boolean') provisionalAllowed = Boolean(answer.provisional);
      if (core) evaluate();
    });
  }
  addEventListener('pageshow', (event) => { if (event.persisted) resume(); });
  if (document.prerendering) document.addEventListener('prerenderingchange', resume, { once: true });
  else start();
})();
