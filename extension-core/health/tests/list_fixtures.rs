//! Every list fixture (`tests/fixtures/list-*`) through the parsed-HTML backend: rows, fields,
//! shown columns, scores (the browser backend runs the same pages in `tests/live_fixtures.rs`);
//! and the promise that a row showing every field the record score reads scores exactly as
//! the record page does.
#![cfg(feature = "html")]

mod support;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use deal_health::dom::parsed::ParsedDom;
use deal_health::extract::rules::Field;
use deal_health::list::score::score_row;
use deal_health::list::{analyze_list, ListRow};
use deal_health::locale::Locale;
use deal_health::page::{recognize, recognize_list};
use deal_health::report::{analyze_learning, AnalyzeOptions};
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn slugs(list: bool) -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("page.html").exists())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|slug| support::is_list_fixture(slug) == list)
        .collect();
    slugs.sort();
    slugs
}

fn read_json(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("JSON")
}

fn options(meta: &Value) -> AnalyzeOptions {
    AnalyzeOptions {
        locale: meta["locale"].as_str().and_then(Locale::parse),
        today: NaiveDate::parse_from_str(meta["today"].as_str().expect("today"), "%Y-%m-%d")
            .expect("date"),
    }
}

#[test]
fn the_list_corpus_covers_every_variant() {
    let slugs = slugs(true);
    assert!(slugs.len() >= 10, "{slugs:?}");
    let layouts: Vec<String> = slugs
        .iter()
        .map(|slug| {
            read_json(fixtures_dir().join(slug).join("expected.json"))["layout"].to_string()
        })
        .collect();
    for layout in ["grid", "classicGrid", "kanban", "splitView"] {
        assert!(
            layouts.iter().any(|l| l.contains(layout)),
            "no {layout} page"
        );
    }
    // The pages of the list review's two defects: a row named by its first link (an action
    // column, a lookup before the name), other objects' related lists read as Opportunities.
    for regression in [
        "list-classic-action-column-en-us",
        "list-lightning-lookup-first-en-us",
        "list-account-related-other-objects-en-us",
    ] {
        assert!(slugs.iter().any(|slug| slug == regression), "{regression}");
    }
}

#[test]
fn every_list_fixture_extracts_exactly() {
    let mut failures = Vec::new();
    for slug in slugs(true) {
        let folder = fixtures_dir().join(&slug);
        let html = std::fs::read_to_string(folder.join("page.html")).expect("page.html");
        let meta = read_json(folder.join("meta.json"));
        let url = meta["url"].as_str().expect("url");
        assert!(
            recognize_list(url).is_some(),
            "{slug}: {url} is a list page"
        );
        assert!(recognize(url).is_none(), "{slug}: {url} is no record page");
        let report = analyze_list(&ParsedDom::parse(&html), &options(&meta), None);
        let actual = support::list_comparable(&report);
        let expected = support::list_expected(&read_json(folder.join("expected.json")));
        if actual != expected {
            failures.push(support::explain(&slug, &actual, &expected));
        }
    }
    assert!(
        failures.is_empty(),
        "{} list fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A row built from each record fixture's extracted fields, every column shown, scores as the
/// record page (pages whose Path decides the stage's progress or outcome are left out: a list
/// shows no Path).
#[test]
fn a_row_with_every_scored_column_scores_as_its_record_page() {
    let mut compared = 0;
    for slug in slugs(false) {
        let folder = fixtures_dir().join(&slug);
        let html = std::fs::read_to_string(folder.join("page.html")).expect("page.html");
        let meta = read_json(folder.join("meta.json"));
        let page = recognize(meta["url"].as_str().expect("url")).expect("a record page");
        let options = options(&meta);
        let (report, _) = analyze_learning(
            &ParsedDom::parse(&html),
            &page,
            &options,
            support::known_date_order(&meta),
        );
        let extraction = deal_health::extract::extract(
            &ParsedDom::parse(&html),
            Some(page.id15()),
            &deal_health::extract::ExtractOptions {
                locale: options.locale.clone(),
                known_date_order: support::known_date_order(&meta),
            },
        );
        if extraction.path_outcome.is_some() || extraction.path_progress.is_some() {
            continue;
        }
        let row = ListRow {
            record_id: page.record_id.clone(),
            fields: report.fields.clone(),
            shown: Field::ALL.to_vec(),
            warnings: Vec::new(),
        };
        assert_eq!(
            score_row(&row, options.today),
            report.score,
            "{slug}: the row and the record page disagree"
        );
        compared += 1;
    }
    assert!(compared >= 30, "{compared} record fixtures compared");
}

/// A list longer than `MAX_ROWS` is read up to it, with a warning; hostile cell text stays
/// text and is cut at `MAX_CELL_CHARS`.
#[test]
fn long_lists_and_long_cells_are_bounded() {
    use deal_health::list::{MAX_CELL_CHARS, MAX_ROWS};
    let mut html = String::from(
        "<html lang=\"en-US\"><body><table><thead><tr><th>Opportunity Name</th><th>Next Step</th></tr></thead><tbody>",
    );
    let long_step = format!("<b>{}</b>", "x".repeat(MAX_CELL_CHARS * 3));
    for index in 0..MAX_ROWS + 100 {
        html.push_str(&format!(
            "<tr><th><a href=\"/lightning/r/0065g0000{index:06}AAA/view\">Deal {index}</a></th><td>{long_step}</td></tr>"
        ));
    }
    html.push_str("</tbody></table></body></html>");
    let options = AnalyzeOptions {
        locale: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
    };
    let report = analyze_list(&ParsedDom::parse(&html), &options, None);
    assert_eq!(report.rows.len(), MAX_ROWS);
    assert_eq!(report.warnings[0].code, "list_truncated");
    let step = report.rows[0]
        .fields
        .next_step
        .as_deref()
        .expect("a next step");
    assert_eq!(step.chars().count(), MAX_CELL_CHARS);
}

/// Where each row's badge goes (`list::extract_list_anchored`, the content script's
/// `evaluateList`): one anchor per row, the row's name, a link to the row's own record (never
/// an action on it such as Classic's "Edit", never a lookup to another record before the name:
/// `list-classic-action-column-en-us`, `list-lightning-lookup-first-en-us`), except in a split
/// view, whose link wraps the item: there the name's own element.
#[test]
fn every_row_is_anchored_at_its_name() {
    use deal_health::dom::Dom;
    use deal_health::extract::text::visible_text;
    use deal_health::extract::ExtractOptions;
    use deal_health::list::{extract_list_anchored, opportunity_id_in_href, Layout};
    for slug in slugs(true) {
        let dir = fixtures_dir().join(&slug);
        let meta = read_json(dir.join("meta.json"));
        let html = std::fs::read_to_string(dir.join("page.html")).expect("page");
        let dom = ParsedDom::parse(&html);
        let (extraction, anchors) = extract_list_anchored(
            &dom,
            &ExtractOptions {
                locale: meta["locale"].as_str().and_then(Locale::parse),
                known_date_order: None,
            },
        );
        assert_eq!(anchors.len(), extraction.rows.len(), "{slug}");
        for (row, anchor) in extraction.rows.iter().zip(&anchors) {
            let anchor = anchor
                .as_ref()
                .unwrap_or_else(|| panic!("{slug}: {} has no anchor", row.record_id));
            let text = visible_text(&dom, anchor, &|_| false);
            if extraction.layout == Some(Layout::SplitView) {
                assert_eq!(Some(&text), row.fields.name.as_ref(), "{slug}");
            } else {
                assert_eq!(dom.tag_name(anchor).as_deref(), Some("a"), "{slug}");
                let href = dom.attribute(anchor, "href").unwrap_or_default();
                let id = opportunity_id_in_href(&href)
                    .or_else(|| dom.attribute(anchor, "data-recordid").map(|_| ""))
                    .unwrap_or_else(|| panic!("{slug}: {href} is no link to a record's page"));
                assert!(
                    id.is_empty() || id[..15] == row.record_id[..15],
                    "{slug}: {href} for {}",
                    row.record_id
                );
                assert!(
                    !text.is_empty(),
                    "{slug}: {} has an empty name",
                    row.record_id
                );
                assert_eq!(
                    Some(&text),
                    row.fields.name.as_ref(),
                    "{slug}: {} is anchored at another link than its name",
                    row.record_id
                );
            }
        }
    }
}

/// One record named by its 18- and its 15-character Id (found by the `list` fuzz target) is
/// one row: one badge, one line in the report.
#[test]
fn a_record_named_by_both_its_ids_is_one_row() {
    let html = r#"<table role="grid"><thead><tr><th scope="col" aria-label="Opportunity Name">Opportunity Name</th><th scope="col" aria-label="Stage">Stage</th></tr></thead><tbody>
<tr><th scope="row"><a href="/lightning/r/0065g00000QqQqQAAV/view">Acme</a></th><td data-label="Stage">Prospecting</td></tr>
<tr><th scope="row"><a href="/lightning/r/0065g00000QqQqQ/view">Acme again</a></th><td data-label="Stage">Prospecting</td></tr>
</tbody></table>"#;
    let options = AnalyzeOptions {
        locale: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
    };
    let report = analyze_list(&ParsedDom::parse(html), &options, None);
    let ids: Vec<&str> = report.rows.iter().map(|r| r.record_id.as_str()).collect();
    assert_eq!(ids, ["0065g00000QqQqQAAV"]);
}
