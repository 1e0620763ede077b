//! What the content script is told of a list, evaluation after evaluation (`list::answer`):
//! the rows that changed in full, the others as "the same", the summary only when it changed,
//! and everything again whenever the content script may not show the last answer.
//!
//! The parsed backend numbers a node by its place in the parse, so two parses of pages that
//! differ only in a text stand for one page before and after that text changed.
#![cfg(feature = "html")]

use std::cell::RefCell;

use chrono::NaiveDate;
use deal_health::badge::HeadlineSource;
use deal_health::dom::parsed::ParsedDom;
use deal_health::dom::{Ancestor, Child, Dom};
use deal_health::list::answer::{ListAnswer, RowAnswer};
use deal_health::list::view::{enrich, RowScore};
use deal_health::list::{analyze_list_anchored, analyze_list_with_shadow_roots, ListCache};
use deal_health::report::AnalyzeOptions;

type Cache = RefCell<ListCache<<ParsedDom as deal_health::dom::Dom>::Node>>;

const IDS: [&str; 3] = [
    "0065g00000AnSwAAAQ",
    "0065g00000AnSwBAAQ",
    "0065g00000AnSwCAAQ",
];

/// A list view of three rows; `amounts` and `owners` are their cells.
fn page(amounts: [&str; 3], owners: [&str; 3]) -> String {
    let mut rows = String::new();
    for ((id, amount), owner) in IDS.iter().zip(amounts).zip(owners) {
        rows.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"/lightning/r/Opportunity/{id}/view\">Deal {id}</a></th>\
             <td data-label=\"Stage\">Negotiation</td><td data-label=\"Amount\">{amount}</td>\
             <td data-label=\"Close Date\">12/15/2026</td><td data-label=\"Opportunity Owner\">{owner}</td></tr>"
        ));
    }
    format!(
        "<html lang=\"en-US\"><body><table><thead><tr><th scope=\"col\">Opportunity Name</th>\
         <th scope=\"col\">Stage</th><th scope=\"col\">Amount</th><th scope=\"col\">Close Date</th>\
         <th scope=\"col\">Opportunity Owner</th></tr></thead><tbody>{rows}</tbody></table>\
         </body></html>"
    )
}

const AMOUNTS: [&str; 3] = ["$10,000.00", "$20,000.00", "$30,000.00"];
const OWNERS: [&str; 3] = ["Ann Lee", "Bo Chen", "Cy Diaz"];

/// Reads `html` through `cache` on 2026-11-`day` and answers a content script showing the
/// answer `drawn`.
fn answer(cache: &Cache, html: &str, day: u32, drawn: u32) -> ListAnswer {
    answer_on(
        cache,
        html,
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
        drawn,
    )
}

/// The options of a list evaluation on `today`.
fn options_on(today: NaiveDate) -> AnalyzeOptions {
    AnalyzeOptions {
        locale: None,
        today,
    }
}

fn answer_on(cache: &Cache, html: &str, today: NaiveDate, drawn: u32) -> ListAnswer {
    let options = options_on(today);
    let dom = ParsedDom::parse(html);
    let reading = analyze_list_with_shadow_roots(&dom, &options, None, Some(cache));
    // Whatever is reused, the reading is the page's as it is now.
    let (report, anchors) = analyze_list_anchored(&dom, &options, None);
    assert_eq!((&reading.report, &reading.anchors), (&report, &anchors));
    cache.borrow_mut().answer(drawn, &reading)
}

/// Each row's record, and whether it is answered in full.
fn drawn(answer: &ListAnswer) -> Vec<(String, bool)> {
    answer
        .rows
        .iter()
        .map(|row| match row {
            RowAnswer::Same(same) => (same.record_id.clone(), false),
            RowAnswer::Drawn(view) => (view.record_id.clone(), true),
        })
        .collect()
}

fn all(full: bool) -> Vec<(String, bool)> {
    IDS.iter().map(|id| (id.to_string(), full)).collect()
}

/// A summary as answered (JSON), read as the worker reads it.
fn parsed(summary: &str) -> deal_health::list::summary::ListSummary {
    serde_json::from_str(summary).expect("a summary's JSON")
}

#[test]
fn an_unchanged_list_is_answered_as_the_same_rows_and_no_summary() {
    let cache = Cache::new(ListCache::new());
    let html = page(AMOUNTS, OWNERS);
    let first = answer(&cache, &html, 23, 0);
    assert_eq!(drawn(&first), all(true));
    assert_eq!(first.summary.as_deref().map(|s| parsed(s).total), Some(3));
    assert_ne!(first.epoch, 0);

    let second = answer(&cache, &html, 23, first.epoch);
    assert_eq!(drawn(&second), all(false));
    assert_eq!(second.summary, None);
    assert_ne!(second.epoch, first.epoch);

    // A content script that shows an older answer, or none, is answered everything again.
    let stale = answer(&cache, &html, 23, first.epoch);
    assert_eq!(drawn(&stale), all(true));
    assert!(stale.summary.is_some());
    let none = answer(&cache, &html, 23, 0);
    assert_eq!(drawn(&none), all(true));
    assert!(none.summary.is_some());
    let again = answer(&cache, &html, 23, none.epoch);
    assert_eq!(drawn(&again), all(false));
}

#[test]
fn an_edited_row_alone_is_drawn_again_and_the_summary_follows() {
    let cache = Cache::new(ListCache::new());
    let first = answer(&cache, &page(AMOUNTS, OWNERS), 23, 0);
    let edited = ["$10,000.00", "$0.00", "$30,000.00"];
    let after = answer(&cache, &page(edited, OWNERS), 23, first.epoch);
    let mut expected = all(false);
    expected[1].1 = true;
    assert_eq!(drawn(&after), expected);
    let RowAnswer::Drawn(view) = &after.rows[1] else {
        unreachable!()
    };
    let before = match &first.rows[1] {
        RowAnswer::Drawn(view) => view.key.clone(),
        RowAnswer::Same(_) => unreachable!(),
    };
    assert_ne!(view.key, before, "a zero amount changes the row's score");
    let value = |summary: &str| {
        parsed(summary)
            .rows
            .iter()
            .find(|row| row.record_id == IDS[1])
            .map(|row| row.value)
    };
    let summary = after.summary.expect("the summary changed");
    assert_ne!(value(&summary), value(first.summary.as_deref().unwrap()));
}

#[test]
fn a_row_read_again_with_the_same_badge_is_drawn_but_no_summary_is_sent() {
    // The owner is read, but neither the badge nor the summary shows it.
    let cache = Cache::new(ListCache::new());
    let first = answer(&cache, &page(AMOUNTS, OWNERS), 23, 0);
    let owners = ["Ann Lee", "Bo Chen", "Cy Dìaz"];
    let after = answer(&cache, &page(AMOUNTS, owners), 23, first.epoch);
    let mut expected = all(false);
    expected[2].1 = true;
    assert_eq!(drawn(&after), expected);
    assert_eq!(after.summary, None);
}

#[test]
fn another_day_scores_every_row_again() {
    let cache = Cache::new(ListCache::new());
    let html = page(AMOUNTS, OWNERS);
    let first = answer(&cache, &html, 23, 0);
    // Past the Close Date (2026-12-15): every row's score and badge change.
    let past = NaiveDate::from_ymd_opt(2026, 12, 20).unwrap();
    let later = answer_on(&cache, &html, past, first.epoch);
    assert_eq!(drawn(&later), all(true));
    assert!(later.summary.is_some());
}

#[test]
fn a_forgotten_list_is_answered_in_full() {
    let cache = Cache::new(ListCache::new());
    let html = page(AMOUNTS, OWNERS);
    let first = answer(&cache, &html, 23, 0);
    // A record page in between: the content script's list state is gone, whatever it says.
    cache.borrow_mut().clear();
    let after = answer(&cache, &html, 23, first.epoch);
    assert_eq!(drawn(&after), all(true));
    assert!(after.summary.is_some());
}

#[test]
fn a_budget_of_fresh_readings_reads_a_list_over_several_passes() {
    let mut cache = ListCache::new();
    cache.limit_fresh_reads(1);
    let cache = Cache::new(cache);
    let html = page(AMOUNTS, OWNERS);
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let (fresh, _) = analyze_list_anchored(&ParsedDom::parse(&html), &options, None);
    let mut drawn = 0;
    let mut rows_seen = Vec::new();
    for pass in 1.. {
        let dom = ParsedDom::parse(&html);
        let reading = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
        let answer = cache.borrow_mut().answer(drawn, &reading);
        rows_seen.push(reading.report.rows.len());
        if reading.complete {
            assert_eq!(reading.report, fresh);
            assert!(
                answer.summary.is_some(),
                "the summary once every row is read"
            );
            // The header row, then one row per pass.
            assert_eq!(rows_seen, [0, 1, 2, 3]);
            // The rows drawn before are the same; the last one is new.
            assert_eq!(drawn_of(&answer), [false, false, true]);
            break;
        }
        assert_eq!(
            answer.summary, None,
            "pass {pass}: no summary of a part of the list"
        );
        assert_eq!(reading.report.date_order, None);
        drawn = answer.epoch;
        assert!(pass < 10, "the reading completes");
    }
}

fn drawn_of(answer: &ListAnswer) -> Vec<bool> {
    drawn(answer).into_iter().map(|(_, full)| full).collect()
}

/// As `answer`, with the Customer City scores the worker answered applied to the views the way
/// `evaluateList` applies them (`list::view::enrich`) before the answer is made.
fn answer_enriched(cache: &Cache, html: &str, drawn: u32, scores: &[RowScore]) -> ListAnswer {
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let dom = ParsedDom::parse(html);
    let mut reading = analyze_list_with_shadow_roots(&dom, &options, None, Some(cache));
    enrich(&reading.report.rows, &mut reading.views, scores);
    cache.borrow_mut().answer(drawn, &reading)
}

#[test]
fn a_row_whose_analysis_arrives_or_changes_or_goes_is_drawn_again_alone() {
    let cache = Cache::new(ListCache::new());
    let html = page(AMOUNTS, OWNERS);
    let first = answer_enriched(&cache, &html, 0, &[]);
    let analysed = |value| RowScore {
        record_id: IDS[1][..15].to_string(),
        value: Some(value),
        band: deal_health::score::Band::Healthy,
    };
    // The page is unchanged, the content script shows the last answer: the key alone redraws.
    let arrived = answer_enriched(&cache, &html, first.epoch, &[analysed(81)]);
    let expected = |second| {
        vec![
            (IDS[0].to_string(), false),
            (IDS[1].to_string(), second),
            (IDS[2].to_string(), false),
        ]
    };
    assert_eq!(drawn(&arrived), expected(true));
    let RowAnswer::Drawn(view) = &arrived.rows[1] else {
        unreachable!()
    };
    assert_eq!(view.source, HeadlineSource::Analysis);
    assert_eq!(view.text, deal_health::i18n::Text::literal("81"));
    // The summary is the page's own (Tier 1): unchanged, not sent again.
    assert_eq!(arrived.summary, None);
    let kept = answer_enriched(&cache, &html, arrived.epoch, &[analysed(81)]);
    assert_eq!(drawn(&kept), expected(false));
    let changed = answer_enriched(&cache, &html, kept.epoch, &[analysed(60)]);
    assert_eq!(drawn(&changed), expected(true));
    // Signed out: the estimate again.
    let gone = answer_enriched(&cache, &html, changed.epoch, &[]);
    assert_eq!(drawn(&gone), expected(true));
    let RowAnswer::Drawn(view) = &gone.rows[1] else {
        unreachable!()
    };
    assert_eq!(view.source, HeadlineSource::Device);
}

/// Regression: the budget ran out on items after the last Opportunity row (another table's
/// rows); the next pass completed the reading with every row the same, in the same order, and
/// answered no summary, so the list was never reported.
#[test]
fn a_reading_completed_after_a_partial_pass_answers_its_summary() {
    let mut cache = ListCache::new();
    cache.limit_fresh_reads(5);
    let cache = Cache::new(cache);
    let filler: String = (0..10)
        .map(|n| format!("<tr><td>Note {n}</td><td>Nothing</td></tr>"))
        .collect();
    let html = page(AMOUNTS, OWNERS).replace(
        "</body>",
        &format!("<table class=\"notes\"><tbody>{filler}</tbody></table></body>"),
    );
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let mut drawn = 0;
    let mut summaries = Vec::new();
    for pass in 1.. {
        let reading =
            analyze_list_with_shadow_roots(&ParsedDom::parse(&html), &options, None, Some(&cache));
        let answer = cache.borrow_mut().answer(drawn, &reading);
        summaries.push(
            answer
                .summary
                .as_deref()
                .map(|summary| parsed(summary).total),
        );
        drawn = answer.epoch;
        if reading.complete {
            break;
        }
        assert!(pass < 10, "the reading completes");
    }
    assert_eq!(summaries.first(), Some(&None), "the first pass is partial");
    assert_eq!(summaries.last(), Some(&Some(3)), "{summaries:?}");
}

/// A page that changes more rows between two evaluations than one may read afresh still gets
/// a complete reading: after eight partial passes in a row, one pass reads everything.
#[test]
fn a_list_that_never_stops_changing_is_read_whole_after_a_few_partial_passes() {
    let mut cache = ListCache::new();
    cache.limit_fresh_reads(1);
    let cache = Cache::new(cache);
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let mut completed_at = None;
    for pass in 1..=12 {
        // Every row's amount differs from the last pass's.
        let amounts: Vec<String> = (0..3)
            .map(|row| format!("${},000.00", pass * 10 + row))
            .collect();
        let html = page(
            [
                amounts[0].as_str(),
                amounts[1].as_str(),
                amounts[2].as_str(),
            ],
            OWNERS,
        );
        let reading =
            analyze_list_with_shadow_roots(&ParsedDom::parse(&html), &options, None, Some(&cache));
        if reading.complete {
            let (fresh, _) = analyze_list_anchored(&ParsedDom::parse(&html), &options, None);
            assert_eq!(reading.report, fresh);
            completed_at = Some(pass);
            break;
        }
    }
    assert_eq!(completed_at, Some(9));
}

/// The parsed page with a viewport: the rows whose record is in `far` are laid out far from
/// view (`Dom::far_from_view`), as the live backend tells from their boxes.
struct Scrolled<'a> {
    inner: &'a ParsedDom,
    far: RefCell<Vec<&'static str>>,
    /// What `Dom::changes_within` answers: whether the page changed only inside the rows.
    within: std::cell::Cell<bool>,
    /// Calls of `Dom::far_from_view`.
    asked: std::cell::Cell<usize>,
    /// The nodes asked about in those calls, together.
    nodes_asked: std::cell::Cell<usize>,
    /// Whether the items without a link (a header row) lie far from view.
    header_far: std::cell::Cell<bool>,
    /// How many times each row's content was edited: its fingerprint changes with each.
    edits: RefCell<Vec<(&'static str, u64)>>,
    /// The rows edited since the last evaluation (the content script's observer's records).
    edited_since: RefCell<Vec<&'static str>>,
}

impl Scrolled<'_> {
    /// The `href` of the first link in `item` (a row's names its record; a header row has none).
    fn first_href(&self, item: &Node) -> Option<String> {
        self.inner
            .query_tree(item, "a[href]")
            .first()
            .and_then(|link| self.inner.attribute(link, "href"))
    }

    /// Whether `item` is the row of record `id`.
    fn is_row_of(&self, item: &Node, id: &str) -> bool {
        self.first_href(item).is_some_and(|href| href.contains(id))
    }

    /// The row of record `id` changed inside (an inline edit, a value re-rendered).
    fn edit(&self, id: &'static str) {
        let mut edits = self.edits.borrow_mut();
        match edits.iter_mut().find(|(known, _)| *known == id) {
            Some((_, times)) => *times += 1,
            None => edits.push((id, 1)),
        }
        self.edited_since.borrow_mut().push(id);
    }
}

type Node = <ParsedDom as Dom>::Node;

impl Dom for Scrolled<'_> {
    type Node = Node;
    fn document(&self) -> Node {
        self.inner.document()
    }
    fn query_tree(&self, root: &Node, selector: &'static str) -> Vec<Node> {
        self.inner.query_tree(root, selector)
    }
    fn shadow_roots_in_tree(&self, root: &Node) -> Vec<Node> {
        self.inner.shadow_roots_in_tree(root)
    }
    fn shadow_root(&self, element: &Node) -> Option<Node> {
        self.inner.shadow_root(element)
    }
    fn is_shadow_root(&self, node: &Node) -> bool {
        self.inner.is_shadow_root(node)
    }
    fn parent(&self, node: &Node) -> Option<Node> {
        self.inner.parent(node)
    }
    fn children(&self, node: &Node) -> Vec<Child<Node>> {
        self.inner.children(node)
    }
    fn next_element_sibling(&self, node: &Node) -> Option<Node> {
        self.inner.next_element_sibling(node)
    }
    fn tag_name(&self, node: &Node) -> Option<String> {
        self.inner.tag_name(node)
    }
    fn attribute(&self, node: &Node, name: &str) -> Option<String> {
        self.inner.attribute(node, name)
    }
    fn form_value(&self, node: &Node) -> Option<String> {
        self.inner.form_value(node)
    }
    fn same_node(&self, a: &Node, b: &Node) -> bool {
        self.inner.same_node(a, b)
    }
    fn tree_root(&self, node: &Node) -> Node {
        self.inner.tree_root(node)
    }
    fn ancestry(&self, node: &Node, names: &[&'static str], limit: usize) -> Option<Vec<Ancestor>> {
        self.inner.ancestry(node, names, limit)
    }
    fn fingerprints(
        &self,
        nodes: &[Node],
        names: &[&'static str],
        numbered: &'static str,
    ) -> Option<Vec<(u64, u64)>> {
        // Asked after the reading looked at what changed: later changes are the next pass's.
        self.edited_since.borrow_mut().clear();
        let mut prints = self.inner.fingerprints(nodes, names, numbered)?;
        for (node, (_, hash)) in nodes.iter().zip(prints.iter_mut()) {
            for (id, times) in self.edits.borrow().iter() {
                if self.is_row_of(node, id) {
                    *hash = hash.wrapping_add(*times);
                }
            }
        }
        Some(prints)
    }
    fn numbers(&self, nodes: &[Node]) -> Option<Vec<u64>> {
        self.inner.numbers(nodes)
    }
    fn changes_within(&self, items: &[Node]) -> bool {
        let edited = self.edited_since.borrow();
        self.within.get()
            && !items.is_empty()
            && edited
                .iter()
                .all(|id| items.iter().any(|item| self.is_row_of(item, id)))
    }
    fn far_from_view(&self, nodes: &[Node]) -> Vec<bool> {
        self.asked.set(self.asked.get() + 1);
        self.nodes_asked.set(self.nodes_asked.get() + nodes.len());
        nodes
            .iter()
            .map(|node| match self.first_href(node) {
                Some(href) => self.far.borrow().iter().any(|id| href.contains(id)),
                None => self.header_far.get(),
            })
            .collect()
    }
}

// Issue 19 (cost): told to, a reading leaves the rows laid out far from view unread, says so,
// and reports no summary of the part it read; as the view moves it reads the rows brought near
// and keeps those read; once every row is wanted (the list is to be reported) it reads them all,
// the reading then the same as one of the whole page.
#[test]
fn rows_far_from_view_wait_until_they_come_near_or_the_whole_list_is_wanted() {
    let html = page(AMOUNTS, OWNERS);
    let parsed = ParsedDom::parse(&html);
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let (whole, _) = analyze_list_anchored(&parsed, &options, None);
    let dom = scrolled(&parsed, vec![IDS[1], IDS[2]]);
    let cache = deferring();
    let ids = |reading: &deal_health::list::ListReading<Node>| -> Vec<String> {
        reading
            .report
            .rows
            .iter()
            .map(|row| row.record_id.clone())
            .collect()
    };

    let first = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(ids(&first), [IDS[0]], "the row in view only");
    assert!(first.out_of_view && !first.read_on && !first.complete);
    assert_eq!(
        first.report.rows[0], whole.rows[0],
        "read as in the whole list"
    );
    assert_eq!(first.report.date_order, None);
    let answer = cache.borrow_mut().answer(0, &first);
    assert_eq!(answer.summary, None, "no summary of a part of the list");

    // The page changed only inside the row read, and the view did not move: the rows left
    // unread are taken to be where they were, without asking the page.
    dom.within.set(true);
    dom.far.borrow_mut().clear();
    let asked = dom.asked.get();
    let unmoved = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(ids(&unmoved), [IDS[0]]);
    assert!(unmoved.out_of_view);
    assert_eq!(dom.asked.get(), asked, "nothing asked of the layout");
    let answer = cache.borrow_mut().answer(answer.epoch, &unmoved);

    // Scrolled (the view moved): the second row comes near, the third is still far.
    *dom.far.borrow_mut() = vec![IDS[2]];
    cache.borrow_mut().view_moved();
    let second = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(ids(&second), [IDS[0], IDS[1]]);
    assert_eq!(second.kept, [true, false], "the row read before is kept");
    assert!(second.out_of_view);
    let answer = cache.borrow_mut().answer(answer.epoch, &second);
    assert_eq!(drawn_of(&answer), [false, true]);
    assert_eq!(answer.summary, None);

    // The list is to be reported: every row, far or not.
    cache.borrow_mut().defer_far_items(false);
    let third = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert!(third.complete && !third.out_of_view);
    assert_eq!(third.report, whole);
    let answer = cache.borrow_mut().answer(answer.epoch, &third);
    assert!(answer.summary.is_some(), "the whole list's summary");

    // Not told to, nothing is left whatever the layout says.
    let fresh = Cache::new(ListCache::new());
    dom.far.borrow_mut().push(IDS[0]);
    let undeferred = analyze_list_with_shadow_roots(&dom, &options, None, Some(&fresh));
    assert!(undeferred.complete && !undeferred.out_of_view);
    assert_eq!(undeferred.report, whole);
}

/// A list of three rows whose cells name no column (as Classic's do): the header row names
/// them. No page language, so a numeric date's order is what the dates settle; `dates` are the
/// rows' Close Dates.
fn headed_page(dates: [&str; 3]) -> String {
    let mut rows = String::new();
    for (id, date) in IDS.iter().zip(dates) {
        rows.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"/lightning/r/Opportunity/{id}/view\">Deal {id}</a></th>\
             <td>Negotiation</td><td>$10,000.00</td><td>{date}</td></tr>"
        ));
    }
    format!(
        "<html><body><table><thead><tr><th scope=\"col\">Opportunity Name</th>\
         <th scope=\"col\">Stage</th><th scope=\"col\">Amount</th><th scope=\"col\">Close Date</th>\
         </tr></thead><tbody>{rows}</tbody></table></body></html>"
    )
}

/// A cache whose evaluations leave the items far from view unread.
fn deferring() -> Cache {
    let mut cache = ListCache::new();
    cache.defer_far_items(true);
    Cache::new(cache)
}

/// `Scrolled` over `parsed` where the rows of `far` lie far from view.
fn scrolled<'a>(parsed: &'a ParsedDom, far: Vec<&'static str>) -> Scrolled<'a> {
    Scrolled {
        inner: parsed,
        far: RefCell::new(far),
        within: std::cell::Cell::new(false),
        asked: std::cell::Cell::new(0),
        nodes_asked: std::cell::Cell::new(0),
        header_far: std::cell::Cell::new(false),
        edits: RefCell::new(Vec::new()),
        edited_since: RefCell::new(Vec::new()),
    }
}

// Issue 19 (cost): a pass that must ask where a row lies asks about that row and a few after
// it, not every row of the list. After an edit the view may have moved (it is not watched when
// no row was left unread), so no verdict is kept, and one box per row of a 60-row list cost the
// edit more than reading the row edited.
#[test]
fn a_pass_that_reads_one_row_asks_where_a_few_rows_lie_not_all() {
    let ids: Vec<&'static str> = (0..40)
        .map(|i| &*Box::leak(format!("0065g00000L{i:04}AAA").into_boxed_str()))
        .collect();
    let mut rows = String::new();
    for id in &ids {
        rows.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"/lightning/r/Opportunity/{id}/view\">Deal {id}</a></th>\
             <td data-label=\"Stage\">Negotiation</td><td data-label=\"Amount\">$10,000.00</td>\
             <td data-label=\"Close Date\">12/15/2026</td></tr>"
        ));
    }
    let html = format!(
        "<html lang=\"en-US\"><body><table><thead><tr><th scope=\"col\">Opportunity Name</th>\
         <th scope=\"col\">Stage</th><th scope=\"col\">Amount</th><th scope=\"col\">Close Date</th>\
         </tr></thead><tbody>{rows}</tbody></table></body></html>"
    );
    let parsed = ParsedDom::parse(&html);
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let dom = scrolled(&parsed, Vec::new());
    let cache = deferring();

    let first = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(first.report.rows.len(), 40, "every row is near");
    assert!(first.complete);
    assert!(
        dom.nodes_asked.get() >= 40,
        "a first pass asks about every row"
    );

    dom.edit(ids[20]);
    cache.borrow_mut().view_moved();
    let (calls, nodes) = (dom.asked.get(), dom.nodes_asked.get());
    let second = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(second.report, first.report, "nothing read differs");
    assert_eq!(
        second.kept.iter().filter(|kept| !**kept).count(),
        1,
        "the row edited alone is read again"
    );
    assert_eq!(dom.asked.get() - calls, 1, "one question of the layout");
    let asked = dom.nodes_asked.get() - nodes;
    assert!(
        (1..=16).contains(&asked),
        "about the row edited and a few after it, not all 40: {asked}"
    );
}

// Issue 19 (cost), regression: a row read earlier and edited while far from view (the rep
// scrolled down; Salesforce re-rendered a row above) is left unread, and stays part of what
// the list is made of. A second edit inside it kept every document-wide query and the layout
// question coming at each evaluation, as if rows had been added: each edit cost a reading of
// the page's structure.
#[test]
fn a_row_edited_far_from_view_leaves_the_list_where_it_was() {
    let html = page(AMOUNTS, OWNERS);
    let parsed = ParsedDom::parse(&html);
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let (whole, _) = analyze_list_anchored(&parsed, &options, None);
    let dom = scrolled(&parsed, Vec::new());
    let cache = deferring();
    let first = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(first.report, whole, "every row near: all read");
    // Scrolled down: the first row is now far, and kept as read.
    dom.within.set(true);
    *dom.far.borrow_mut() = vec![IDS[0]];
    cache.borrow_mut().view_moved();
    let scrolled_down = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(scrolled_down.report, whole);
    // Its value edited while far, seen with the view's move: it waits, unread.
    dom.edit(IDS[0]);
    cache.borrow_mut().view_moved();
    let edited = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(
        edited.report.rows.len(),
        2,
        "the edited row waits until it comes near"
    );
    assert!(edited.out_of_view);
    // Edited again, the view still: the list's frame is kept, and where the rows lie is asked
    // once (the edit may have moved the rows after it); it waits again.
    let asked = dom.asked.get();
    dom.edit(IDS[0]);
    let again = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(again.report, edited.report);
    assert_eq!(
        dom.asked.get(),
        asked + 1,
        "one question of the layout for a change in a row left unread"
    );
    // Edited inside a row read, the view still: nothing is asked of the layout.
    dom.edit(IDS[1]);
    let near_edit = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(near_edit.report, edited.report);
    assert_eq!(dom.asked.get(), asked + 1, "nothing asked of the layout");
    // Scrolled back: read afresh, the list whole again.
    dom.far.borrow_mut().clear();
    cache.borrow_mut().view_moved();
    let back = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(back.report, whole);
    assert!(back.complete);
}

// Issue 19, regression: a row left unread far from view that changes (a placeholder filled in,
// a row re-rendered shorter) may bring the rows after it near, with no scroll: where the rows
// lie is asked again, and the row brought near is read. Its verdict of "far" was kept from the
// pass before, and it waited for the next scroll with no badge.
#[test]
fn a_change_in_a_row_left_unread_asks_where_the_rows_after_it_lie() {
    let html = page(AMOUNTS, OWNERS);
    let parsed = ParsedDom::parse(&html);
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let (whole, _) = analyze_list_anchored(&parsed, &options, None);
    let dom = scrolled(&parsed, vec![IDS[1], IDS[2]]);
    dom.within.set(true);
    let cache = deferring();
    let first = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert_eq!(first.report.rows.len(), 1, "two rows far, unread");
    // The second row shrank as it was re-rendered: the third comes near, the view still.
    dom.edit(IDS[1]);
    *dom.far.borrow_mut() = vec![IDS[1]];
    let after = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    let ids: Vec<&str> = after
        .report
        .rows
        .iter()
        .map(|row| row.record_id.as_str())
        .collect();
    assert_eq!(ids, [IDS[0], IDS[2]], "the row brought near is read");
    assert_eq!(after.report.rows[1], whole.rows[2]);
}

// Issue 19 (cost), regression: the header row that names a table's columns is read wherever it
// lies (a list scrolled down, its header above the view): the rows near the view are read with
// their columns, as in the whole list.
#[test]
fn a_header_row_far_from_view_is_read_for_the_rows_near_it() {
    let html = headed_page(["12/15/2026", "12/16/2026", "12/17/2026"]);
    let parsed = ParsedDom::parse(&html);
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let (whole, _) = analyze_list_anchored(&parsed, &options, None);
    assert!(
        whole.rows[0].fields.close_date.is_some(),
        "the header names the columns"
    );
    let dom = scrolled(&parsed, vec![IDS[2]]);
    dom.header_far.set(true);
    let header = dom.inner.query_tree(&dom.inner.document(), "thead tr");
    assert_eq!(dom.far_from_view(&header), [true], "the header row is far");
    let cache = deferring();
    let reading = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert!(reading.out_of_view);
    assert_eq!(reading.report.rows.len(), 2, "the third row is far");
    assert_eq!(
        reading.report.rows[..],
        whole.rows[..2],
        "read with the header's columns"
    );
}

// Issue 19 (cost): rows left far from view may hold the Close Date that settles the order of
// the others (`11/14/2026`): while the rows read leave it open, the next pass comes at once and
// reads every row, and the order is settled as in the whole list.
#[test]
fn rows_far_from_view_are_read_when_the_rows_near_leave_the_date_order_open() {
    let html = headed_page(["03/04/2026", "05/06/2026", "11/14/2026"]);
    let parsed = ParsedDom::parse(&html);
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let (whole, _) = analyze_list_anchored(&parsed, &options, None);
    assert!(
        whole.date_order.is_some(),
        "the third row settles the order"
    );
    assert!(whole.rows[0].fields.close_date.is_some());
    let dom = scrolled(&parsed, vec![IDS[2]]);
    let cache = deferring();
    let first = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert!(first.out_of_view && first.read_on, "the next pass, at once");
    assert!(
        first.report.rows[0].fields.close_date.is_none(),
        "left open"
    );
    let second = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert!(second.complete && !second.read_on);
    assert_eq!(second.report, whole);
    // Known (the org's, or settled), the order leaves nothing open: far rows wait again.
    let known = deferring();
    let settled = analyze_list_with_shadow_roots(&dom, &options, whole.date_order, Some(&known));
    assert!(settled.out_of_view && !settled.read_on);
}

// Issue 19 (cost): signed in, a partial summary is reported for its rows' Customer City
// scores, which the worker matches by record. A change to a row read (an inline edit, here its
// name) reports nothing again while the rows read are the same records; a row read anew does,
// with the change.
#[test]
fn a_partial_summary_is_reported_again_only_for_other_records() {
    let html = page(AMOUNTS, OWNERS);
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let cache = deferring();
    cache.borrow_mut().summarize_partial_readings(true);
    let first_page = ParsedDom::parse(&html);
    let first = scrolled(&first_page, vec![IDS[1], IDS[2]]);
    let reading = analyze_list_with_shadow_roots(&first, &options, None, Some(&cache));
    let answer = cache.borrow_mut().answer(0, &reading);
    assert!(parsed(answer.summary.as_deref().expect("the rows read")).partial);

    let renamed_html = html.replace(&format!(">Deal {}<", IDS[0]), ">Deal renamed<");
    assert_ne!(renamed_html, html);
    let renamed_page = ParsedDom::parse(&renamed_html);
    let renamed = scrolled(&renamed_page, vec![IDS[1], IDS[2]]);
    let reading = analyze_list_with_shadow_roots(&renamed, &options, None, Some(&cache));
    assert_eq!(
        reading.report.rows[0].fields.name.as_deref(),
        Some("Deal renamed")
    );
    let answer = cache.borrow_mut().answer(answer.epoch, &reading);
    assert_eq!(answer.rows.len(), 1);
    assert_eq!(
        answer.summary, None,
        "the same record read: nothing reported"
    );

    // Scrolled: another record is read, and the summary is reported, as the rows are now.
    *renamed.far.borrow_mut() = vec![IDS[2]];
    cache.borrow_mut().view_moved();
    let grown = analyze_list_with_shadow_roots(&renamed, &options, None, Some(&cache));
    let answer = cache.borrow_mut().answer(answer.epoch, &grown);
    let summary = parsed(answer.summary.as_deref().expect("another record read"));
    assert!(summary.partial);
    assert_eq!(summary.rows.len(), 2);
    assert!(summary
        .rows
        .iter()
        .any(|row| row.name.as_deref() == Some("Deal renamed")));

    // A content script that lost the answer (another `drawn`) is answered the summary again.
    let again = analyze_list_with_shadow_roots(&renamed, &options, None, Some(&cache));
    let answer = cache.borrow_mut().answer(0, &again);
    assert!(answer.summary.is_some());
}

// Issue 19 (cost): a signed-in rep's list is reported for its rows' scores without being read
// whole. Told to, the answer to a reading that left rows far from view unread summarises the
// rows read so far, marked partial (the side panel lists no such summary); once more rows are
// read, the summary grows; read whole, it is the whole list's, no longer partial.
#[test]
fn a_partial_reading_is_summarised_as_partial_when_asked() {
    let html = page(AMOUNTS, OWNERS);
    let parsed_page = ParsedDom::parse(&html);
    let options = options_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let dom = scrolled(&parsed_page, vec![IDS[1], IDS[2]]);
    let ids = |summary: &deal_health::list::summary::ListSummary| -> Vec<String> {
        let mut ids: Vec<String> = summary
            .rows
            .iter()
            .map(|row| row.record_id.clone())
            .collect();
        ids.sort();
        ids
    };

    // Not asked: no summary until the list is read whole.
    let quiet = deferring();
    let reading = analyze_list_with_shadow_roots(&dom, &options, None, Some(&quiet));
    assert!(reading.out_of_view);
    assert_eq!(quiet.borrow_mut().answer(0, &reading).summary, None);

    let cache = deferring();
    cache.borrow_mut().summarize_partial_readings(true);
    let first = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    let answer = cache.borrow_mut().answer(0, &first);
    let summary = parsed(
        answer
            .summary
            .as_deref()
            .expect("a summary of the rows read"),
    );
    assert!(summary.partial);
    assert_eq!(ids(&summary), [IDS[0]]);
    assert_eq!(summary.total, 1);

    // Nothing changed: nothing to report again.
    dom.within.set(true);
    let again = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    let answer = cache.borrow_mut().answer(answer.epoch, &again);
    assert_eq!(answer.summary, None);

    // Scrolled: the second row is read, and reported with the first.
    *dom.far.borrow_mut() = vec![IDS[2]];
    cache.borrow_mut().view_moved();
    let second = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    let answer = cache.borrow_mut().answer(answer.epoch, &second);
    let summary = parsed(answer.summary.as_deref().expect("the grown summary"));
    assert!(summary.partial);
    assert_eq!(ids(&summary), [IDS[0], IDS[1]]);

    // Wanted whole (the side panel asks): the whole list's summary, not partial.
    cache.borrow_mut().defer_far_items(false);
    let whole = analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    assert!(whole.complete);
    let answer = cache.borrow_mut().answer(answer.epoch, &whole);
    let summary = parsed(answer.summary.as_deref().expect("the whole list's summary"));
    assert!(!summary.partial);
    assert_eq!(ids(&summary), IDS.map(String::from));
    let (fresh, _) = analyze_list_anchored(&parsed_page, &options, None);
    assert_eq!(
        summary,
        deal_health::list::summary::ListSummary::from_report(&fresh)
    );
    assert!(
        !answer.summary.unwrap().contains(r#""partial":"#),
        "a whole list's summary is as before"
    );
}
