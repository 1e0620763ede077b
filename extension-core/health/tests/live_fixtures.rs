//! Every fixture page through the live DOM backend, in headless Chromium
//! (`cargo test -p deal-health --target wasm32-unknown-unknown --no-default-features --features live`).
//! Pages are parsed with `Document.parseHTMLUnsafe`, which attaches declarative shadow roots
//! as real ones, so native shadow DOM is exercised for real.
#![cfg(all(target_arch = "wasm32", feature = "live"))]

mod support;

use chrono::NaiveDate;
use deal_health::dom::live::LiveDom;
use deal_health::locale::Locale;
use deal_health::page::recognize;
use deal_health::report::{analyze_learning, AnalyzeOptions};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// (slug, page.html, meta.json, expected.json)
const FIXTURES: &[(&str, &str, &str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/fixture_list.rs"));

fn parse_document(html: &str) -> web_sys::Document {
    let document_class =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Document")).expect("Document");
    let parse = js_sys::Reflect::get(&document_class, &JsValue::from_str("parseHTMLUnsafe"))
        .expect("Document.parseHTMLUnsafe")
        .dyn_into::<js_sys::Function>()
        .expect("a function");
    parse
        .call1(&document_class, &JsValue::from_str(html))
        .expect("parsed")
        .dyn_into()
        .expect("a Document")
}

#[wasm_bindgen_test]
fn every_fixture_extracts_exactly_in_the_browser() {
    assert!(FIXTURES.len() >= 20, "the fixture list was generated");
    let mut failures = Vec::new();
    for (slug, html, meta, expected) in FIXTURES
        .iter()
        .filter(|(slug, ..)| !support::is_list_fixture(slug))
    {
        let meta: Value = serde_json::from_str(meta).expect("meta.json");
        let expected: Value = serde_json::from_str(expected).expect("expected.json");
        let page = recognize(meta["url"].as_str().expect("url")).expect("an Opportunity URL");
        let options = AnalyzeOptions {
            locale: meta["locale"].as_str().and_then(Locale::parse),
            today: NaiveDate::parse_from_str(meta["today"].as_str().expect("today"), "%Y-%m-%d")
                .expect("date"),
        };
        let (report, date_order) = analyze_learning(
            &LiveDom::new(parse_document(html)),
            &page,
            &options,
            support::known_date_order(&meta),
        );
        let actual = support::comparable(&support::with_date_order(&report, date_order));
        let expected = support::comparable(&expected);
        if actual != expected {
            failures.push(support::explain(slug, &actual, &expected));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ in the browser:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every list page (`list-*`) through the live backend: the same rows, fields and scores as
/// `tests/list_fixtures.rs` reads with the parsed one.
#[wasm_bindgen_test]
fn every_list_fixture_extracts_exactly_in_the_browser() {
    let lists: Vec<_> = FIXTURES
        .iter()
        .filter(|(slug, ..)| support::is_list_fixture(slug))
        .collect();
    assert!(lists.len() >= 10, "the list fixtures are listed");
    let mut failures = Vec::new();
    for (slug, html, meta, expected) in lists {
        let meta: Value = serde_json::from_str(meta).expect("meta.json");
        let expected: Value = serde_json::from_str(expected).expect("expected.json");
        let options = AnalyzeOptions {
            locale: meta["locale"].as_str().and_then(Locale::parse),
            today: NaiveDate::parse_from_str(meta["today"].as_str().expect("today"), "%Y-%m-%d")
                .expect("date"),
        };
        let report =
            deal_health::list::analyze_list(&LiveDom::new(parse_document(html)), &options, None);
        let actual = support::list_comparable(&report);
        let expected = support::list_expected(&expected);
        if actual != expected {
            failures.push(support::explain(slug, &actual, &expected));
        }
    }
    assert!(
        failures.is_empty(),
        "{} list fixture(s) differ in the browser:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[wasm_bindgen_test]
fn native_shadow_roots_are_real_in_this_harness() {
    let html = FIXTURES
        .iter()
        .find(|(slug, ..)| slug.contains("native-shadow"))
        .expect("a native-shadow fixture")
        .1;
    let document = parse_document(html);
    let host = document
        .query_selector("records-record-layout-item")
        .ok()
        .flatten()
        .expect("a layout item");
    assert!(
        host.shadow_root().is_some(),
        "declarative shadow DOM must become a real open shadow root"
    );
    assert!(document
        .query_selector("template[shadowrootmode]")
        .ok()
        .flatten()
        .is_none());
}

/// The live backend sends each ancestor once per pass (`Dom::ancestry` then rebuilds chains
/// from what it kept): every chain must equal the one read element by element, also when two
/// passes over the same document take turns and when a chain is cut by the depth limit.
#[wasm_bindgen_test]
fn ancestry_chains_equal_a_walk_element_by_element() {
    use deal_health::dom::{Ancestor, Dom};
    const NAMES: &[&str] = &["hidden", "class", "data-recordid"];
    let walk = |dom: &LiveDom, node: &web_sys::Node| -> Vec<(String, Vec<Option<String>>)> {
        let mut chain = Vec::new();
        let mut current = Some(node.clone());
        while let Some(node) = current {
            if let Some(tag) = dom.tag_name(&node) {
                let values = NAMES
                    .iter()
                    .map(|name| dom.attribute(&node, name))
                    .collect();
                chain.push((tag, values));
            }
            current = dom.parent(&node);
        }
        chain
    };
    let flat = |chain: Vec<Ancestor>| -> Vec<(String, Vec<Option<String>>)> {
        chain.into_iter().map(|a| (a.tag, a.values)).collect()
    };
    for slug in [
        "lightning-native-shadow-en-us",
        "lightning-stale-page-de-de",
    ] {
        let html = FIXTURES.iter().find(|(s, ..)| *s == slug).expect(slug).1;
        let document = parse_document(html);
        let (one, two) = (
            LiveDom::new(document.clone()),
            LiveDom::new(document.clone()),
        );
        let reference = LiveDom::new(document);
        let mut nodes = Vec::new();
        let mut trees = vec![reference.document()];
        while let Some(tree) = trees.pop() {
            nodes.extend(reference.query_tree(&tree, "*"));
            trees.extend(reference.shadow_roots_in_tree(&tree));
        }
        assert!(nodes.len() > 100, "{slug}: the page was parsed");
        for (index, node) in nodes.iter().enumerate() {
            let dom = if index % 3 == 0 { &two } else { &one };
            let expected = walk(&reference, node);
            let actual = dom.ancestry(node, NAMES, 4096).map(flat);
            assert_eq!(actual.as_ref(), Some(&expected), "{slug}: element {index}");
            let depth = {
                let mut steps = 0;
                let mut current = Some(node.clone());
                while let Some(node) = current {
                    steps += 1;
                    current = reference.parent(&node);
                }
                steps
            };
            assert!(
                dom.ancestry(node, NAMES, depth).is_some(),
                "{slug}: {index} at its depth"
            );
            assert!(
                dom.ancestry(node, NAMES, depth - 1).is_none(),
                "{slug}: {index} past the limit"
            );
        }
    }
}

/// A list read again with the last evaluation's readings (`list::ListCache`, as the content
/// script reads it at every change) equals a fresh reading of the page as it is now, in the
/// browser: unchanged (every row reused), after a row's name changed in its text, and after a
/// row's link was replaced by an identical copy (the badge must go after the new one).
#[wasm_bindgen_test]
fn a_list_read_again_after_changes_is_read_as_it_is_now() {
    use deal_health::list::{analyze_list_anchored, analyze_list_cached, ListCache};
    use std::cell::RefCell;
    let lists: Vec<_> = FIXTURES
        .iter()
        .filter(|(slug, ..)| support::is_list_fixture(slug))
        .collect();
    for (slug, html, meta, _) in lists {
        let meta: Value = serde_json::from_str(meta).expect("meta.json");
        let options = AnalyzeOptions {
            locale: meta["locale"].as_str().and_then(Locale::parse),
            today: NaiveDate::parse_from_str(meta["today"].as_str().expect("today"), "%Y-%m-%d")
                .expect("date"),
        };
        let document = parse_document(html);
        // One pass, one `LiveDom`, as in the content script.
        let fresh = || analyze_list_anchored(&LiveDom::new(document.clone()), &options, None);
        let cache = RefCell::new(ListCache::new());
        let cached =
            || analyze_list_cached(&LiveDom::new(document.clone()), &options, None, &cache);

        let first = cached();
        assert_eq!(first, fresh(), "{slug}: the first reading");
        let again = cached();
        assert_eq!(again, first, "{slug}: read again unchanged");
        let (read, reused) = cache.borrow().last_pass();
        if !html.contains("shadowrootmode") {
            assert_eq!(reused, read, "{slug}: every item reused");
        }
        let anchors: Vec<web_sys::Node> = first.1.iter().flatten().cloned().collect();
        let (Some(first_anchor), Some(last_anchor)) = (anchors.first(), anchors.last()) else {
            continue;
        };

        last_anchor.set_text_content(Some("Renamed deal"));
        let renamed = cached();
        assert_eq!(renamed, fresh(), "{slug}: after a row's name changed");

        let copy = first_anchor.clone_node_with_deep(true).expect("a copy");
        first_anchor
            .parent_node()
            .expect("a parent")
            .replace_child(&copy, first_anchor)
            .expect("replaced");
        let replaced = cached();
        assert_eq!(replaced, fresh(), "{slug}: after a row's link was replaced");
        assert!(
            replaced
                .1
                .iter()
                .flatten()
                .all(|anchor| anchor.is_connected()),
            "{slug}: every anchor is on the page"
        );
    }
}

/// Issue 19 in the browser: each table of a Classic page built of layout tables reads (and
/// fingerprints) its own rows alone, found by `:scope` queries; a row put straight under the
/// list's `table` (no `tbody`: only a script makes one) is one of its own too.
#[wasm_bindgen_test]
fn each_table_reads_only_its_own_rows_in_the_browser() {
    use deal_health::list::{analyze_list_cached, ListCache};
    use std::cell::RefCell;
    let rows = 40;
    let document = parse_document(&support::classic_nested_list_page(rows));
    let options = AnalyzeOptions {
        locale: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
    };
    let cache = RefCell::new(ListCache::new());
    let read = || analyze_list_cached(&LiveDom::new(document.clone()), &options, None, &cache);
    assert_eq!(read().0.rows.len(), rows);
    assert_eq!(
        cache.borrow().last_pass().0,
        rows + 5,
        "each table's own rows"
    );

    let list = document
        .query_selector("table.list")
        .ok()
        .flatten()
        .expect("the list");
    let row = document.create_element("tr").expect("a row");
    row.set_inner_html("<th scope=\"row\"><a href=\"/0065g0000999999\">Added</a></th>");
    list.append_child(&row).expect("appended");
    let (report, _) = read();
    assert_eq!(report.rows.len(), rows + 1);
    assert_eq!(
        report.rows.last().map(|row| row.record_id.as_str()),
        Some("0065g0000999999")
    );
    assert_eq!(cache.borrow().last_pass().0, rows + 6);
}

/// Told what the page changed (`LiveDom::with_changes`, the targets the content script's
/// observer collects), a reading fingerprints again only the rows a change is in: a row whose
/// text changed is read again when its text node is named, and the others are kept unread. A
/// change left out is not seen until the changes are unknown again (`null`), which is why the
/// content script passes every target, or `null`.
#[wasm_bindgen_test]
fn told_what_changed_a_reading_looks_only_at_the_rows_changed() {
    use deal_health::list::{analyze_list_anchored, analyze_list_cached, ListCache};
    use std::cell::RefCell;
    let (slug, html, meta, _) = FIXTURES
        .iter()
        .find(|(slug, ..)| *slug == "list-lightning-grid-en-us")
        .expect("the grid fixture");
    let meta: Value = serde_json::from_str(meta).expect("meta.json");
    let options = AnalyzeOptions {
        locale: meta["locale"].as_str().and_then(Locale::parse),
        today: NaiveDate::parse_from_str(meta["today"].as_str().expect("today"), "%Y-%m-%d")
            .expect("date"),
    };
    let document = parse_document(html);
    let cache = RefCell::new(ListCache::new());
    let read = |changes: JsValue| {
        analyze_list_cached(
            &LiveDom::with_changes(document.clone(), changes),
            &options,
            None,
            &cache,
        )
    };
    let fresh = || analyze_list_anchored(&LiveDom::new(document.clone()), &options, None);
    // As mutation records name them: the text changed in each node.
    let changes = |nodes: &[&web_sys::Node]| -> JsValue {
        nodes
            .iter()
            .map(|node| {
                let record = js_sys::Object::new();
                js_sys::Reflect::set(&record, &"type".into(), &"characterData".into())
                    .expect("set");
                js_sys::Reflect::set(&record, &"target".into(), node).expect("set");
                JsValue::from(record)
            })
            .collect::<js_sys::Array>()
            .into()
    };
    let first = read(JsValue::NULL);
    assert_eq!(first, fresh(), "{slug}");
    assert_eq!(read(changes(&[])), first, "{slug}: nothing changed");

    let anchors: Vec<web_sys::Node> = first.1.iter().flatten().cloned().collect();
    let (first_anchor, last_anchor) = (&anchors[0], &anchors[anchors.len() - 1]);
    // The last row renamed, its text node named as the change.
    last_anchor.set_text_content(Some("Renamed deal"));
    let text = last_anchor.first_child().expect("the name's text");
    let renamed = read(changes(&[&text]));
    assert_eq!(renamed, fresh(), "{slug}: the renamed row is read again");
    let (read_items, reused) = cache.borrow().last_pass();
    assert_eq!(read_items - reused, 1, "{slug}: that row alone");

    // The first row renamed, but the change left out: its old reading stays...
    first_anchor.set_text_content(Some("Unseen rename"));
    let unseen = read(changes(&[]));
    assert_eq!(unseen, renamed, "{slug}: a change left out is not seen");
    // ...until the changes are not known.
    assert_eq!(read(JsValue::NULL), fresh(), "{slug}: read as it is now");

    // A row hidden by an attribute of its own: no change record names it (the observer watches
    // no attributes), but a row's own attributes are read at every pass.
    let hidden_row = first_anchor
        .parent_element()
        .and_then(|cell| cell.closest("tr").ok().flatten())
        .expect("the first row");
    hidden_row.set_attribute("hidden", "").expect("hidden");
    let without = read(changes(&[]));
    assert_eq!(
        without,
        fresh(),
        "{slug}: a row hidden by its own attribute"
    );
    assert_eq!(without.0.rows.len(), renamed.0.rows.len() - 1, "{slug}");
    hidden_row.remove_attribute("hidden").expect("shown");
    assert_eq!(read(changes(&[])), fresh(), "{slug}: shown again");

    // A row added: the change is its table body's, outside every row read, so the whole page is
    // asked again and the new row is read.
    let row = last_anchor
        .parent_element()
        .and_then(|cell| cell.closest("tr").ok().flatten())
        .expect("the last row");
    let copy = row.clone_node_with_deep(true).expect("a copy");
    let copy: web_sys::Element = copy.dyn_into().expect("an element");
    copy.set_attribute("data-row-key-value", "0065g00000Ad0EDAAA")
        .expect("key");
    let link = copy
        .query_selector("a[href]")
        .ok()
        .flatten()
        .expect("the name's link");
    link.set_attribute("href", "/lightning/r/Opportunity/0065g00000Ad0EDAAA/view")
        .expect("href");
    let body = row.parent_node().expect("the table body");
    body.append_child(&copy).expect("appended");
    let added = read(changes(&[&body]));
    assert_eq!(added, fresh(), "{slug}: after a row was added");
    assert_eq!(added.0.rows.len(), renamed.0.rows.len() + 1, "{slug}");
}

/// The browser's serialisation of a row or card (`Dom::item_copy`, read by
/// `Snapshot::parse_html`) reads as the page does: for every table row and Kanban card of every
/// list page without an open shadow root under it, the same visible text and the same
/// attributes, element by element, and each element of the copy leads back to the page's
/// element it copies.
#[wasm_bindgen_test]
fn copies_of_rows_read_as_the_page_in_the_browser() {
    use deal_health::dom::snapshot::SNAPSHOT_ATTRIBUTES;
    use deal_health::dom::Dom;
    use deal_health::extract::text::visible_text_plain;
    const NAMES: &[&str] = &[
        "hidden",
        "aria-hidden",
        "class",
        "style",
        "slot",
        "name",
        "href",
        "data-label",
        "data-recordid",
    ];
    assert!(SNAPSHOT_ATTRIBUTES.iter().all(|name| NAMES.contains(name)));
    // And a row made to test the serialisation's escapes: `&`, `<`, `>`, quotes and no-break
    // spaces in values and text, an escape's own text, void and SVG elements, a comment, a
    // processing instruction, text beyond the Basic Multilingual Plane.
    const ESCAPES: &str = "<!doctype html><html><body><table><tbody>\
        <tr class=\"a&amp;b &lt;c&gt;\" data-label='say \"hi\"&nbsp;there'>\
        <td data-label=\"&amp;amp;\">1 &lt; 2 &amp;&amp; 3&nbsp;&gt; 2 &amp;amp; 😀 日本</td>\
        <td><a href=\"/x?a=1&amp;b=2\">x<br>y<img alt=\"<i>\"></a><!-- <td>not</td> -->\
        <svg viewBox=\"0 0 1 1\"><use href=\"#i\"></use></svg></td></tr>\
        </tbody></table></body></html>";
    let mut copied = 0;
    for (slug, html) in FIXTURES
        .iter()
        .filter(|(slug, ..)| support::is_list_fixture(slug))
        .map(|(slug, html, ..)| (*slug, *html))
        .chain([("escapes", ESCAPES)])
    {
        let dom = LiveDom::new(parse_document(html));
        let items = dom.query_tree(&dom.document(), "tr, .forceKanbanCard, .kanban-card");
        for item in items {
            let Some(copy) = dom.item_copy(&item, NAMES, "a[href], [data-recordid]") else {
                assert!(
                    !dom.shadow_roots_in_tree(&item).is_empty(),
                    "{slug}: a flat item is copied"
                );
                continue;
            };
            copied += 1;
            let snapshot = &copy.snapshot;
            let root = snapshot.root();
            assert_eq!(
                visible_text_plain(snapshot, &root),
                visible_text_plain(&dom, &item),
                "{slug}: the same text"
            );
            let mut elements = vec![root];
            elements.extend(snapshot.query_tree(&root, "*"));
            for element in elements {
                let original = copy.original(element).expect("an element of the page");
                assert_eq!(
                    snapshot.tag_name(&element),
                    dom.tag_name(&original),
                    "{slug}"
                );
                for name in NAMES {
                    assert_eq!(
                        snapshot.attribute(&element, name),
                        dom.attribute(&original, name),
                        "{slug}: {name}"
                    );
                }
            }
            assert!(!snapshot.missed(), "{slug}");
        }
    }
    assert!(copied >= 30, "{copied} rows and cards copied");
}

/// `Dom::changes_beside` in the browser, on the page's own mutation records: rows added to or
/// removed from a table's body beside the rows read (and changes inside the rows added) leave
/// the page around the list as it was; a row holding a table, a change of the body itself or
/// one elsewhere do not. A list read again after rows were added beside reads as the page now.
#[wasm_bindgen_test]
fn rows_added_beside_the_rows_read_are_told_apart_in_the_browser() {
    use deal_health::dom::Dom;
    use deal_health::list::{analyze_list_anchored, analyze_list_cached, ListCache};
    use std::cell::RefCell;
    let (_, html, meta, _) = FIXTURES
        .iter()
        .find(|(slug, ..)| *slug == "list-lightning-grid-en-us")
        .expect("the grid fixture");
    let meta: Value = serde_json::from_str(meta).expect("meta.json");
    let options = AnalyzeOptions {
        locale: None,
        today: NaiveDate::parse_from_str(meta["today"].as_str().expect("today"), "%Y-%m-%d")
            .expect("date"),
    };
    let document = parse_document(html);
    let watch = js_sys::Function::new_with_args(
        "doc",
        "const o = new MutationObserver(() => {}); \
         o.observe(doc, { subtree: true, childList: true, attributes: true, characterData: true }); \
         return () => o.takeRecords();",
    );
    let take: js_sys::Function = watch
        .call1(&JsValue::NULL, &document)
        .expect("observing")
        .dyn_into()
        .expect("a function");
    let records = || take.call0(&JsValue::NULL).expect("records");
    let rows: Vec<web_sys::Element> = {
        let found = document
            .query_selector_all("tr[data-row-key-value^=\"0065g00000Ls\"]")
            .expect("rows");
        (0..found.length())
            .filter_map(|index| found.item(index)?.dyn_into().ok())
            .collect()
    };
    assert!(rows.len() >= 3);
    let items: Vec<web_sys::Node> = rows.iter().map(|row| row.clone().into()).collect();
    let last = rows.last().expect("a row");
    let body = last.parent_node().expect("the table's body");
    let added_row = |id: &str| -> web_sys::Element {
        let copy: web_sys::Element = last
            .clone_node_with_deep(true)
            .expect("a copy")
            .dyn_into()
            .expect("an element");
        copy.set_attribute("data-row-key-value", id).expect("set");
        let link = copy
            .query_selector("a[href*=\"0065g\"]")
            .expect("query")
            .expect("the row's link");
        link.set_attribute("href", &format!("/lightning/r/{id}/view"))
            .expect("set");
        copy
    };
    let beside = |changes: JsValue| {
        let dom = LiveDom::with_changes(document.clone(), changes);
        (
            dom.changes_within(&items),
            dom.changes_beside(&items, "table"),
        )
    };
    records();

    let cache = RefCell::new(ListCache::new());
    let first = analyze_list_cached(&LiveDom::new(document.clone()), &options, None, &cache);
    records();
    // Rows added beside, one of them changed once on the page; a row removed.
    let one = added_row("0065g00000Zz001AAA");
    body.append_child(&one).expect("added");
    body.append_child(&added_row("0065g00000Zz002AAA"))
        .expect("added");
    one.set_attribute("aria-selected", "true").expect("set");
    body.remove_child(&rows[0]).expect("removed");
    let changes = records();
    assert_eq!(
        beside(changes.clone()),
        (false, true),
        "rows added and removed beside"
    );
    let again = analyze_list_cached(
        &LiveDom::with_changes(document.clone(), changes),
        &options,
        None,
        &cache,
    );
    let fresh = analyze_list_anchored(&LiveDom::new(document.clone()), &options, None);
    assert_eq!(again, fresh, "read as the page is now");
    assert_eq!(again.0.rows.len(), first.0.rows.len() + 1);

    // A row holding a table.
    let holding = added_row("0065g00000Zz003AAA");
    holding
        .first_element_child()
        .expect("a cell")
        .append_child(&document.create_element("table").expect("a table"))
        .expect("added");
    body.append_child(&holding).expect("added");
    assert_eq!(beside(records()), (false, false), "a row holding a table");
    // The body's own attribute.
    body.dyn_ref::<web_sys::Element>()
        .expect("an element")
        .set_attribute("style", "display: none")
        .expect("set");
    assert_eq!(beside(records()), (false, false), "the body changed itself");
    // Elsewhere.
    document
        .body()
        .expect("a body")
        .append_child(&document.create_element("div").expect("a div"))
        .expect("added");
    assert_eq!(beside(records()), (false, false), "a change elsewhere");
    // Inside a row read: within.
    rows[1].set_attribute("aria-selected", "true").expect("set");
    assert_eq!(beside(records()), (true, true), "inside a row read");
}

/// Rows whose serialisation reads other than the page are not copied (they are read from the
/// page): markup written raw in a comment or a processing instruction, a void element's
/// children (left out), an element named with a namespace prefix, a link attribute in another
/// namespace (`[href]` does not match it on the page).
#[wasm_bindgen_test]
fn rows_whose_serialisation_reads_otherwise_are_not_copied_in_the_browser() {
    use deal_health::dom::Dom;
    const NAMES: &[&str] = &["class", "href", "data-recordid"];
    const LINK: &str = "a[href], [data-recordid]";
    let document = parse_document(
        "<!doctype html><html><body><table><tbody>\
         <tr id=\"plain\"><td><a href=\"/lightning/r/006000000000001AAA/view\">One</a></td></tr>\
         <tr id=\"comment\"><td></td></tr><tr id=\"pi\"><td></td></tr><tr id=\"void\"><td></td></tr>\
         <tr id=\"prefix\"><td></td></tr><tr id=\"attribute\"><td></td></tr>\
         </tbody></table></body></html>",
    );
    let build = js_sys::Function::new_with_args(
        "doc",
        "const cell = (id) => doc.getElementById(id).firstElementChild;\
         const phantom = '<a href=\"/lightning/r/006999999999999AAA/view\">Phantom</a>';\
         cell('comment').append(doc.createComment('x --> ' + phantom + ' <!--'));\
         cell('pi').append(doc.createProcessingInstruction('x', 'a > ' + phantom));\
         const img = doc.createElement('img'); img.append(doc.createElement('b')); cell('void').append(img);\
         const prefixed = doc.createElementNS('urn:x', 'x:a'); prefixed.setAttribute('href', '/x'); cell('prefix').append(prefixed);\
         const link = doc.createElement('a'); link.setAttributeNS('urn:y', 'href', '/y'); cell('attribute').append(link);",
    );
    build.call1(&JsValue::NULL, &document).expect("built");
    let dom = LiveDom::new(document.clone());
    let row =
        |id: &str| -> web_sys::Node { document.get_element_by_id(id).expect("the row").into() };
    assert!(
        dom.item_copy(&row("plain"), NAMES, LINK).is_some(),
        "a plain row is copied"
    );
    for id in ["comment", "pi", "void", "prefix", "attribute"] {
        assert!(
            dom.item_copy(&row(id), NAMES, LINK).is_none(),
            "{id}: read from the page"
        );
    }
}
