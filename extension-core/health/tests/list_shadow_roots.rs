//! Which open shadow roots a list was read in (`list::analyze_list_with_shadow_roots`): the
//! content script watches them, since its observer on the document sees nothing inside one.
//! A list in native shadow DOM names the trees its rows are in and read through; a list of the
//! document's own tree (synthetic shadow DOM) names none; the reading itself is unchanged, and a
//! cached reading names the same roots as a fresh one.
#![cfg(feature = "html")]

mod support;

use std::cell::RefCell;
use std::path::Path;

use chrono::NaiveDate;
use deal_health::dom::parsed::ParsedDom;
use deal_health::dom::Dom;
use deal_health::list::{
    analyze_list_anchored, analyze_list_cached, analyze_list_with_shadow_roots, ListCache,
    ListReading,
};
use deal_health::report::AnalyzeOptions;

type Node = <ParsedDom as Dom>::Node;

const NATIVE: &str = "list-recently-viewed-native-shadow-en-us";

fn options() -> AnalyzeOptions {
    AnalyzeOptions {
        locale: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
    }
}

fn fixture(slug: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(slug)
        .join("page.html");
    std::fs::read_to_string(path).expect("page.html")
}

fn list_slugs() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut slugs: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/fixtures")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|slug| support::is_list_fixture(slug))
        .collect();
    slugs.sort();
    slugs
}

/// Each root's host, as its tag and `data-id` attribute (the test pages name their hosts).
fn hosts(dom: &ParsedDom, roots: &[Node]) -> Vec<String> {
    roots
        .iter()
        .map(|root| {
            assert!(dom.is_shadow_root(root), "a shadow root");
            let host = dom.parent(root).expect("a host");
            let tag = dom.tag_name(&host).unwrap_or_default();
            match dom.attribute(&host, "data-id") {
                Some(id) => format!("{tag}#{id}"),
                None => tag,
            }
        })
        .collect()
}

/// What a reading gives the content script, whatever it reused: the report, the anchors, the
/// roots and the badges (not which items it kept).
fn seen(reading: &ListReading<Node>) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &reading.report,
        &reading.anchors,
        &reading.shadow_roots,
        &reading.views,
    )
}

/// Fresh, then cached twice (the second reusing what it can): the same reading as
/// `analyze_list_anchored` each time, and the same roots.
fn read_three_ways(dom: &ParsedDom) -> (ListReading<Node>, (usize, usize)) {
    let options = options();
    let fresh = analyze_list_with_shadow_roots(dom, &options, None, None);
    let (report, anchors) = analyze_list_anchored(dom, &options, None);
    assert_eq!((&fresh.report, &fresh.anchors), (&report, &anchors));
    let cache = RefCell::new(ListCache::new());
    let first = analyze_list_with_shadow_roots(dom, &options, None, Some(&cache));
    let again = analyze_list_with_shadow_roots(dom, &options, None, Some(&cache));
    let pass = cache.borrow().last_pass();
    assert_eq!(seen(&first), seen(&fresh), "the first cached reading");
    assert_eq!(
        seen(&again),
        seen(&fresh),
        "the cached reading of an unchanged page"
    );
    // The cache filled without naming roots serves a reading that names them alike.
    let plain = RefCell::new(ListCache::new());
    analyze_list_cached(dom, &options, None, &plain);
    assert_eq!(
        seen(&analyze_list_with_shadow_roots(
            dom,
            &options,
            None,
            Some(&plain)
        )),
        seen(&fresh)
    );
    (fresh, pass)
}

#[test]
fn a_native_shadow_list_names_the_datatables_root() {
    let html = fixture(NATIVE);
    let dom = ParsedDom::parse(&html);
    let (reading, (read, reused)) = read_three_ways(&dom);
    assert_eq!(reading.report.rows.len(), 3);
    assert_eq!(hosts(&dom, &reading.shadow_roots), ["lightning-datatable"]);
    // The rows hold no shadow root of their own: all reused, the root named all the same.
    assert_eq!(reused, read);
}

#[test]
fn lists_of_the_documents_own_tree_name_no_root() {
    let slugs = list_slugs();
    assert!(slugs.len() >= 10, "the list fixtures are found");
    for slug in slugs {
        let html = fixture(&slug);
        if html.contains("shadowrootmode") {
            continue;
        }
        let dom = ParsedDom::parse(&html);
        let (reading, _) = read_three_ways(&dom);
        assert!(!reading.report.rows.is_empty(), "{slug}: rows");
        assert!(reading.shadow_roots.is_empty(), "{slug}: no shadow root");
    }
}

/// A list view drawn in native shadow DOM throughout, as Salesforce's base components render
/// it: the datatable inside the list view's component, each cell's value in a component of its
/// own inside the cell's. Every root a change could happen in is named, each once: the
/// datatable's, the one around it, the cells', the values' (two levels down, read through only
/// by the text walk).
#[test]
fn nested_shadow_roots_around_and_under_the_rows_are_named() {
    let cell = |label: &str, value: &str, id: &str| {
        format!(
            "<td data-label=\"{label}\"><lightning-primitive-cell-factory data-id=\"cell-{id}\">\
             <template shadowrootmode=\"open\"><div class=\"slds-truncate\">\
             <lightning-formatted-number data-id=\"value-{id}\"><template shadowrootmode=\"open\">{value}</template>\
             </lightning-formatted-number></div></template></lightning-primitive-cell-factory></td>"
        )
    };
    let row = |id: &str, name: &str, amount: &str| {
        format!(
            "<tr data-row-key-value=\"0065g00000Ns00{id}AAA\">\
             <th scope=\"row\" data-label=\"Opportunity Name\"><a href=\"/lightning/r/0065g00000Ns00{id}AAA/view\">{name}</a></th>\
             {}{}</tr>",
            cell("Amount", amount, &format!("{id}a")),
            cell("Stage", "Prospecting", &format!("{id}s")),
        )
    };
    let page = |amount: &str| {
        format!(
            "<html><body><div class=\"oneContent active lafPageHost\">\
             <lst-list-view-manager data-id=\"manager\"><template shadowrootmode=\"open\">\
             <lightning-datatable><template shadowrootmode=\"open\"><table><thead><tr>\
             <th scope=\"col\">Opportunity Name</th><th scope=\"col\">Amount</th><th scope=\"col\">Stage</th>\
             </tr></thead><tbody>{}{}</tbody></table></template></lightning-datatable>\
             </template></lst-list-view-manager></div></body></html>",
            row("1", "Acme", amount),
            row("2", "Globex", "$2,000.00"),
        )
    };
    let dom = ParsedDom::parse(&page("$1,000.00"));
    let (reading, _) = read_three_ways(&dom);
    assert_eq!(reading.report.rows.len(), 2);
    assert_eq!(
        hosts(&dom, &reading.shadow_roots),
        [
            "lightning-datatable",
            "lst-list-view-manager#manager",
            "lightning-primitive-cell-factory#cell-1a",
            "lightning-formatted-number#value-1a",
            "lightning-primitive-cell-factory#cell-1s",
            "lightning-formatted-number#value-1s",
            "lightning-primitive-cell-factory#cell-2a",
            "lightning-formatted-number#value-2a",
            "lightning-primitive-cell-factory#cell-2s",
            "lightning-formatted-number#value-2s",
        ]
    );
    // A value changed inside its root: read again (never reused), the roots the same.
    let options = options();
    let cache = RefCell::new(ListCache::new());
    analyze_list_with_shadow_roots(&dom, &options, None, Some(&cache));
    let changed = ParsedDom::parse(&page("$9,000.00"));
    let after = analyze_list_with_shadow_roots(&changed, &options, None, Some(&cache));
    assert_eq!(
        after.report.rows[0].fields.amount.as_ref().map(|a| a.value),
        Some(9000.0)
    );
    assert_eq!(after.shadow_roots.len(), reading.shadow_roots.len());
}

/// Items found in a shadow root one by one (a split view drawn in native shadow DOM): each is
/// reused unchanged, and the tree it was found in comes with its kept reading.
#[test]
fn reused_items_still_name_the_root_they_were_found_in() {
    let html = fixture("list-split-view-en-us");
    let start = html
        .find("<ul class=\"slds-split-view__list\"")
        .expect("the split view's list");
    let end = html[start..].find("</ul>").expect("its end") + start + "</ul>".len();
    let mut shadowed = html.clone();
    shadowed.replace_range(
        start..end,
        &format!(
            "<lst-split-view data-id=\"split\"><template shadowrootmode=\"open\">{}</template></lst-split-view>",
            &html[start..end]
        ),
    );
    let dom = ParsedDom::parse(&shadowed);
    let (reading, (read, reused)) = read_three_ways(&dom);
    assert_eq!(
        reading.report,
        analyze_list_anchored(&ParsedDom::parse(&html), &options(), None).0,
        "the same rows in a shadow root as in the document"
    );
    assert_eq!(hosts(&dom, &reading.shadow_roots), ["lst-split-view#split"]);
    assert!(read > 0);
    assert_eq!(reused, read, "every item reused");
}
