//! The content script's entry points (wasm32): the bindings `content/main.js` calls. Thin by
//! design: they convert arguments, call the Tier 1 core (`deal-health`, its live DOM backend)
//! and convert the answer; no decision is made here. Nothing of Tier 2 is linked: this crate
//! depends on `deal-health` alone (`extension-core/checks/tests/architecture.rs`).
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use deal_health::badge::{AnalysisWait, BadgeView, EnrichedSummary, JsField, PreviousBadge};
use deal_health::dom::live::LiveDom;
use deal_health::extract::header_anchor;
use deal_health::list::answer::{ListAnswer, RowAnswer};
use deal_health::list::previous::{decide as decide_list, ListDecision, PreviousList};
use deal_health::list::view::{enrich, RowScore};
use deal_health::list::{analyze_list_with_shadow_roots, Layout, ListCache, ListReading, MAX_ROWS};
use deal_health::locale::DateOrder;
use deal_health::page::{recognize, recognize_list};
use deal_health::report::{analyze_learning, AnalyzeOptions, Report, Tier1Summary};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Node};

/// The most rows or cards one `evaluateList` reads afresh: a first view of a 200-card board read
/// whole is read in several evaluations of a few milliseconds each (the answer's `recheckMs` is
/// 0 until every item near enough is read), not in one long task of the page's main thread.
const FRESH_READS_PER_EVALUATION: usize = 40;

thread_local! {
    /// What the last `evaluateList` read of each row, so that the next one reads again only
    /// the rows that changed (`list::cache`); emptied when the page is no list.
    static LIST_CACHE: RefCell<ListCache<Node>> = RefCell::new({
        let mut cache = ListCache::new();
        cache.limit_fresh_reads(FRESH_READS_PER_EVALUATION);
        cache
    });
}

/// Forgets the last list's rows (and lets their nodes go).
fn forget_list() {
    LIST_CACHE.with(|cache| cache.borrow_mut().clear());
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| JsValue::from_str(&error.to_string()))
}

fn parse_today(today: &str) -> Result<NaiveDate, JsValue> {
    deal_health::value::parse_iso_date(today)
        .ok_or_else(|| JsValue::from_str("today must be YYYY-MM-DD"))
}

/// What the content script draws: `{view, report, tier1, dateOrder, recheckMs, anchor}` for an
/// Opportunity page (`anchor`: the element the badge goes beside, or `null`), `null` elsewhere.
/// `previous` (`{recordId, name, source}`) and `previous_anchor` describe the badge drawn last,
/// so that a record left on the page after the URL changed is never shown as the new one.
/// `date_order` (`monthDayYear` or `dayMonthYear`) is the order an earlier page of this org
/// settled, which the worker keeps; `dateOrder` in the answer is the order this page settles
/// (or `null`), for the worker to keep; `dateOrderWanted`, whether a known order would read a
/// date this page left open. `analysis_wait` (`{signedIn, recordId, waitedMs, answered}`,
/// `badge::AnalysisWait`) is what the content script knows of the analysis; `recheckMs` in the
/// answer, when to evaluate again though nothing changed (`badge::decide`).
#[wasm_bindgen(js_name = evaluatePage)]
#[allow(clippy::too_many_arguments)]
pub fn evaluate_page(
    document: Document,
    url: &str,
    today: &str,
    previous: JsValue,
    previous_anchor: Option<Element>,
    enriched: JsValue,
    date_order: Option<String>,
    analysis_wait: JsValue,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Evaluation {
        view: BadgeView,
        report: Report,
        tier1: Tier1Summary,
        #[serde(rename = "dateOrder")]
        date_order: Option<DateOrder>,
        #[serde(rename = "dateOrderWanted")]
        date_order_wanted: bool,
        #[serde(rename = "recheckMs")]
        recheck_ms: Option<u32>,
    }
    let Some(page) = recognize(url) else {
        return Ok(JsValue::NULL);
    };
    forget_list();
    let dom = LiveDom::new(document);
    let known_date_order = date_order
        .as_deref()
        .and_then(DateOrder::from_name)
        .filter(|order| order.is_learnable());
    let (report, date_order) = analyze_learning(
        &dom,
        &page,
        &AnalyzeOptions {
            locale: None,
            today: parse_today(today)?,
        },
        known_date_order,
    );
    let previous = PreviousBadge::from_fields(|name| js_field(&previous, name));
    let anchor = header_anchor(&dom, Some(page.id15()));
    let same_anchor = match (&previous_anchor, &anchor) {
        (Some(before), Some(now)) => before.is_same_node(Some(now)),
        _ => false,
    };
    let enriched = EnrichedSummary::from_fields(|name| js_field(&enriched, name));
    let wait = AnalysisWait::from_fields(|name| js_field(&analysis_wait, name));
    let decision = deal_health::badge::decide(
        &report,
        previous.as_ref(),
        same_anchor,
        enriched.as_ref(),
        wait.as_ref(),
    );
    let tier1 = Tier1Summary::from_report(&report);
    let date_order_wanted = report.close_date_left_open();
    let evaluation = to_js(&Evaluation {
        view: decision.view,
        report,
        tier1,
        date_order,
        date_order_wanted,
        recheck_ms: decision.recheck_ms,
    })?;
    // The element the badge goes beside, found in this same pass (a second pass would cost a
    // quarter of an evaluation again on a large page).
    let anchor = anchor
        .and_then(|node| node.dyn_into::<Element>().ok())
        .map_or(JsValue::NULL, JsValue::from);
    js_sys::Reflect::set(&evaluation, &JsValue::from_str("anchor"), &anchor)?;
    Ok(evaluation)
}

/// What the content script draws on a page that lists Opportunities (`page::recognize_list`):
/// `{layout, epoch, rows, summary, dateOrder, dateOrderWanted, recheckMs, outOfView, watch}`, `null`
/// elsewhere.
///
/// - `previous` (`{url, recordIds, waitedMs}`) and `previous_anchors` (in the order of
///   `recordIds`) describe the rows drawn for the list shown before the URL changed, and the
///   time since it changed (`list::previous::PreviousList`); while the page still shows that
///   list (`list::previous::decide`) the answer has no rows, `summary` `null`, `epoch` 0 and
///   `recheckMs`: when to evaluate again though nothing changed.
/// - Past [`FRESH_READS_PER_EVALUATION`] rows read afresh, the others wait for the next
///   evaluation (`list::ListReading::read_on`): the answer has the rows read so far, no
///   `summary` (but see `partial_summaries`) and no `dateOrder` yet, and `recheckMs` 0.
/// - Unless `whole` (every row wanted: the side panel wants the list), rows laid out far from
///   the viewport are left unread (`list::ListCache::defer_far_items`): the answer has no
///   `summary` (but see `partial_summaries`) nor `dateOrder` then either, and `outOfView`
///   true: evaluate again once the view has moved (a scroll, a resize), with `view_moved` true
///   (the rows left unread are asked again where they lie; without it, while the page changed
///   only inside the rows, they are taken to be where they were), or with `whole` when the list
///   is wanted.
/// - `partial_summaries` (signed in, the list not wanted whole): a reading that left rows
///   unread still answers a `summary`, of the rows read so far and marked `partial`
///   (`list::ListCache::summarize_partial_readings`), for the worker to answer their scores.
/// - `drawn` is the `epoch` of the answer the content script shows (0: none); the answer says
///   only what changed since (`list::answer`).
/// - `changes`: the page's mutation records since the last `evaluateList`, every one, or
///   `null` when not known (`LiveDom::with_changes`: rows none of their targets is in are not
///   fingerprinted again).
/// - `row_scores`: the Customer City scores the worker answered for this list's reported rows
///   (`[{recordId, value, band}]`, `list::view::RowScore`; `null` or `[]` signed out): a row
///   whose record has one shows it instead of the estimate (`list::view::enrich`). Read up to
///   `list::MAX_ROWS` entries; a malformed entry is skipped.
///
/// In the answer, `rows`: per row in page order, either `{recordId, same: true}` (its badge
/// stays as drawn) or `{recordId, text, tone, accessibleName, reason, source, key, anchor}`
/// (`list::view::RowView`, and `anchor`: the element its badge goes right after, or `null` for
/// none); a row not listed is gone. `summary`: the `ListSummary` to report to the worker, as
/// JSON text (`listReport` carries it so: one string for the page to hand on, not an object of
/// a hundred rows to build and copy), or `null` when it is the one answered last; `dateOrder` and
/// `dateOrderWanted` as for `evaluatePage`; `watch`: the open shadow roots the list was found in
/// or read through (`list::ListReading::shadow_roots`, each once, at most
/// `list::MAX_WATCHED_SHADOW_ROOTS`), which the content script observes besides the document.
#[wasm_bindgen(js_name = evaluateList)]
#[allow(clippy::too_many_arguments)]
pub fn evaluate_list(
    document: Document,
    url: &str,
    today: &str,
    date_order: Option<String>,
    previous: JsValue,
    previous_anchors: Option<Vec<Element>>,
    drawn: u32,
    changes: JsValue,
    row_scores: JsValue,
    whole: bool,
    view_moved: bool,
    partial_summaries: bool,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Evaluation {
        layout: Option<Layout>,
        epoch: u32,
        rows: Vec<RowAnswer>,
        summary: Option<String>,
        date_order: Option<DateOrder>,
        date_order_wanted: bool,
        recheck_ms: Option<u32>,
        out_of_view: bool,
    }
    let Some(page) = recognize_list(url) else {
        forget_list();
        return Ok(JsValue::NULL);
    };
    let dom = LiveDom::with_changes(document, changes);
    let known_date_order = date_order
        .as_deref()
        .and_then(DateOrder::from_name)
        .filter(|order| order.is_learnable());
    let options = AnalyzeOptions {
        locale: None,
        today: parse_today(today)?,
    };
    let mut reading = LIST_CACHE.with(|cache| {
        cache.borrow_mut().defer_far_items(!whole);
        cache
            .borrow_mut()
            .summarize_partial_readings(partial_summaries);
        if view_moved {
            cache.borrow_mut().view_moved();
        }
        analyze_list_with_shadow_roots(&dom, &options, known_date_order, Some(cache))
    });
    // Before the answer: a row whose score changed has another key, and is answered anew.
    let scores = row_scores_from(&row_scores);
    enrich(&reading.report.rows, &mut reading.views, &scores);
    let report = &reading.report;
    let date_order_wanted = known_date_order.is_none() && report.close_dates_left_open();
    let previous_anchors = previous_anchors.unwrap_or_default();
    let previous = PreviousList::from_fields(
        |name| js_field(&previous, name),
        previous_anchors.into_iter().map(Node::from).collect(),
    );
    let read = report.rows.iter().map(|row| row.record_id.as_str());
    let wait = match decide_list(
        previous.as_ref(),
        &page,
        read.zip(reading.anchors.iter().map(Option::as_ref)),
    ) {
        ListDecision::Show => None,
        ListDecision::Wait { recheck_ms } => Some(recheck_ms),
    };
    // Items left for the next evaluation: it comes in a task of its own, at once.
    let recheck_ms = wait.or(reading.read_on.then_some(0));
    // Waiting, nothing is answered (the content script draws nothing, and its next answer is
    // whole).
    let ListAnswer {
        epoch,
        rows,
        summary,
    } = match wait {
        None => LIST_CACHE.with(|cache| cache.borrow_mut().answer(drawn, &reading)),
        Some(_) => ListAnswer {
            epoch: 0,
            rows: Vec::new(),
            summary: None,
        },
    };
    let drawn_anew: Vec<bool> = rows
        .iter()
        .map(|row| matches!(row, RowAnswer::Drawn(_)))
        .collect();
    // As JSON, parsed by the browser: one crossing, where building the objects from here takes
    // a few per value (thousands for a 50-row list).
    let json = serde_json::to_string(&Evaluation {
        layout: report.layout,
        epoch,
        rows,
        summary,
        date_order: report.date_order,
        date_order_wanted,
        recheck_ms,
        out_of_view: wait.is_none() && reading.out_of_view,
    })
    .map_err(|error| JsValue::from_str(&error.to_string()))?;
    let evaluation = js_sys::JSON::parse(&json)?;
    let rows = js_sys::Reflect::get(&evaluation, &JsValue::from_str("rows"))?;
    let rows = js_sys::Array::from(&rows);
    let key = JsValue::from_str("anchor");
    let ListReading {
        anchors,
        shadow_roots,
        ..
    } = reading;
    for (index, anchor) in anchors.into_iter().enumerate() {
        if !drawn_anew.get(index).copied().unwrap_or(false) {
            continue;
        }
        let anchor = anchor
            .and_then(|node| node.dyn_into::<Element>().ok())
            .map_or(JsValue::NULL, JsValue::from);
        js_sys::Reflect::set(&rows.get(index as u32), &key, &anchor)?;
    }
    // Shadow roots only (a document fragment's node type): the core's roots are, by making.
    let watch: js_sys::Array = shadow_roots
        .into_iter()
        .filter(|node| node.node_type() == Node::DOCUMENT_FRAGMENT_NODE)
        .map(JsValue::from)
        .collect();
    js_sys::Reflect::set(&evaluation, &JsValue::from_str("watch"), &watch)?;
    Ok(evaluation)
}

/// The Customer City scores handed to `evaluateList`: each well-formed `{recordId, value, band}`
/// of an array, at most `list::MAX_ROWS`.
fn row_scores_from(scores: &JsValue) -> Vec<RowScore> {
    if !js_sys::Array::is_array(scores) {
        return Vec::new();
    }
    js_sys::Array::from(scores)
        .iter()
        .take(MAX_ROWS)
        .filter_map(|item| RowScore::from_fields(|name| js_field(&item, name)))
        .collect()
}

/// The element the badge is placed beside, or `null` (`evaluatePage` returns it too, as
/// `anchor`).
#[wasm_bindgen(js_name = badgeAnchor)]
pub fn badge_anchor(document: Document, url: &str) -> Option<Element> {
    let page = recognize(url)?;
    header_anchor(&LiveDom::new(document), Some(page.id15()))?
        .dyn_into::<Element>()
        .ok()
}

/// The property `name` of `object` for the core's field readers (`badge::JsField`); absent for
/// `null`, `undefined` or when `object` is not an object.
fn js_field(object: &JsValue, name: &str) -> Option<JsField> {
    if !object.is_object() {
        return None;
    }
    let value = js_sys::Reflect::get(object, &JsValue::from_str(name)).ok()?;
    if value.is_undefined() || value.is_null() {
        return None;
    }
    Some(if let Some(text) = value.as_string() {
        JsField::Text(text)
    } else if let Some(number) = value.as_f64() {
        JsField::Number(number)
    } else if let Some(flag) = value.as_bool() {
        JsField::Flag(flag)
    } else if js_sys::Array::is_array(&value) {
        js_sys::Array::from(&value)
            .iter()
            .map(|item| item.as_string())
            .collect::<Option<Vec<_>>>()
            .map_or(JsField::Other, JsField::Texts)
    } else {
        JsField::Other
    })
}

/// Whether the badge may show on a page of `page_host` under the administrator's
/// `allowedOrgHosts` (`listed`: the policy's value as `chrome.storage.managed` gives it, or
/// `undefined`; see `page::badge_allowed_on`). A value that is not a list limits nothing
/// (the worker reports it in the side panel); an entry that is not a string matches nothing.
#[wasm_bindgen(js_name = badgeAllowedOn)]
pub fn badge_allowed_on(listed: JsValue, page_host: &str) -> bool {
    if !js_sys::Array::is_array(&listed) {
        return deal_health::page::badge_allowed_on(None::<[&str; 0]>, page_host);
    }
    let entries: Vec<String> = js_sys::Array::from(&listed)
        .iter()
        .map(|entry| entry.as_string().unwrap_or_default())
        .collect();
    deal_health::page::badge_allowed_on(Some(entries.iter().map(String::as_str)), page_host)
}
