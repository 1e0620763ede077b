//! Every fixture page through the parsed-HTML backend (the browser backend runs the same pages
//! in `tests/live_fixtures.rs`). A fixture is `tests/fixtures/<slug>/` at the workspace root:
//! `page.html`, `meta.json` (`url`, `today`, optional `locale`) and `expected.json`. List pages
//! (`list-*`) are `tests/list_fixtures.rs`'s.
#![cfg(feature = "html")]

mod support;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use deal_health::dom::parsed::ParsedDom;
use deal_health::locale::Locale;
use deal_health::page::recognize;
use deal_health::report::{analyze_learning, AnalyzeOptions};
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn fixture_slugs() -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("page.html").exists())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|slug| !support::is_list_fixture(slug))
        .collect();
    slugs.sort();
    slugs
}

fn read_json(path: PathBuf) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_corpus_is_large_enough() {
    assert!(fixture_slugs().len() >= 20, "at least 20 fixture pages");
}

/// Every supported locale has a page: named by its `meta.json` locale, its `<html lang>`, or
/// its slug (`lightning-pl-pl`).
#[test]
fn every_supported_locale_has_a_page() {
    let pages: Vec<(String, Value, String)> = fixture_slugs()
        .into_iter()
        .map(|slug| {
            let folder = fixtures_dir().join(&slug);
            let meta = read_json(folder.join("meta.json"));
            let html = std::fs::read_to_string(folder.join("page.html")).expect("page.html");
            (slug, meta, html)
        })
        .collect();
    for locale in deal_health::locale::SUPPORTED_LOCALES {
        let lang = format!("<html lang=\"{locale}\"");
        let in_slug = format!("-{}", locale.to_lowercase());
        assert!(
            pages.iter().any(|(slug, meta, html)| {
                meta["locale"].as_str() == Some(locale)
                    || html.contains(&lang)
                    || slug.contains(&in_slug)
            }),
            "no fixture page in {locale}"
        );
    }
}

#[test]
fn every_fixture_extracts_exactly() {
    let mut failures = Vec::new();
    for slug in fixture_slugs() {
        let folder = fixtures_dir().join(&slug);
        let html = std::fs::read_to_string(folder.join("page.html")).expect("page.html");
        let meta = read_json(folder.join("meta.json"));
        let expected = read_json(folder.join("expected.json"));
        let options = AnalyzeOptions {
            locale: meta["locale"].as_str().and_then(Locale::parse),
            today: NaiveDate::parse_from_str(meta["today"].as_str().expect("today"), "%Y-%m-%d")
                .expect("date"),
        };
        let page = recognize(meta["url"].as_str().expect("url")).expect("an Opportunity URL");
        let (report, date_order) = analyze_learning(
            &ParsedDom::parse(&html),
            &page,
            &options,
            support::known_date_order(&meta),
        );
        let actual = support::comparable(&support::with_date_order(&report, date_order));
        let expected = support::comparable(&expected);
        if actual != expected {
            failures.push(support::explain(&slug, &actual, &expected));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
