//! Every string the extension shows comes from `_locales/<lang>/messages.json` (en, de, fr, ja):
//! the catalogs agree on ids and placeholders, every id the code names exists, and every badge
//! and reason the fixture pages produce renders completely.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use deal_health::badge::badge_view;
use deal_health::i18n::Text;
use deal_health::report::{analyze_html, AnalyzeOptions};
use serde_json::Value;

const LANGS: [&str; 4] = ["en", "de", "fr", "ja"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn catalog(lang: &str) -> BTreeMap<String, String> {
    let path = root().join("_locales").join(lang).join("messages.json");
    let raw: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    raw.into_iter()
        .map(|(id, entry)| (id, entry["message"].as_str().unwrap().to_string()))
        .collect()
}

/// `$1`…`$9` used by a message (a `$$` is a literal dollar sign).
fn placeholders(message: &str) -> BTreeSet<char> {
    let mut found = BTreeSet::new();
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            match chars.next() {
                Some('$') => {}
                Some(d @ '1'..='9') => {
                    found.insert(d);
                }
                other => panic!("{message:?}: a lone $ before {other:?}"),
            }
        }
    }
    found
}

#[test]
fn the_catalogs_agree_on_ids_and_placeholders() {
    let en = catalog("en");
    assert!(en.len() > 50);
    for lang in LANGS {
        let other = catalog(lang);
        assert_eq!(
            other.keys().collect::<Vec<_>>(),
            en.keys().collect::<Vec<_>>(),
            "{lang}: the same ids as en"
        );
        for (id, message) in &other {
            assert_eq!(
                placeholders(message),
                placeholders(&en[id]),
                "{lang}/{id}: the same placeholders as en"
            );
            assert!(!message.is_empty() || id == "empty", "{lang}/{id} is empty");
        }
    }
}

/// Quoted identifiers in `text` that look like message ids of the catalog's families.
fn id_literals(text: &str) -> Vec<String> {
    const FAMILIES: [&str; 14] = [
        "badge_",
        "reason_",
        "panel_",
        "settings_",
        "severity_",
        "age_",
        "days_",
        "score_",
        "theme_",
        "evidence_",
        "percent",
        "literal",
        "empty",
        "unknown_stage",
    ];
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
                && FAMILIES.iter().any(|f| s.starts_with(f))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn every_id_the_code_names_exists() {
    let en = catalog("en");
    let mut checked = 0;
    for file in [
        "health/src/badge.rs",
        "health/src/score.rs",
        "client/src/panel.rs",
        "health/src/i18n.rs",
    ] {
        let source = std::fs::read_to_string(root().join("extension-core").join(file)).unwrap();
        for id in id_literals(&source) {
            // A plural message's stem (`Text::plural`) names its `_one` and `_other` forms.
            let plural =
                en.contains_key(&format!("{id}_one")) && en.contains_key(&format!("{id}_other"));
            assert!(
                en.contains_key(&id) || plural,
                "{file}: {id} is not in _locales/en"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "the scan found the ids ({checked})");
    for code in deal_health_client::api::FACTOR_CODES {
        assert!(en.contains_key(&format!("factor_{code}")), "factor_{code}");
    }
    for kind in deal_health_client::api::BLIND_SPOT_KINDS {
        assert!(en.contains_key(&format!("spot_{kind}")), "spot_{kind}");
    }
    // The pages: chrome.i18n.getMessage('id') and data-i18n="id".
    for file in [
        "content/main.js",
        "sidepanel/panel.js",
        "sidepanel/index.html",
    ] {
        let source = std::fs::read_to_string(root().join(file)).unwrap();
        let mut ids = Vec::new();
        for marker in ["getMessage('", "data-i18n=\"", "data-i18n-label=\""] {
            for part in source.split(marker).skip(1) {
                ids.push(part.split(['\'', '"']).next().unwrap().to_string());
            }
        }
        for id in ids {
            assert!(en.contains_key(&id), "{file}: {id} is not in _locales/en");
        }
    }
}

fn assert_renders(text: &Text, en: &BTreeMap<String, String>, context: &str) {
    for id in text.ids() {
        assert!(en.contains_key(&id), "{context}: {id} missing");
    }
    let english = text.english();
    assert!(
        !english.contains('$'),
        "{context}: {english:?} left a placeholder"
    );
}

#[test]
fn every_fixture_badge_renders_completely() {
    let en = catalog("en");
    let fixtures = root().join("tests/fixtures");
    let mut pages = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap().flatten() {
        let dir = entry.path();
        // List pages (`list-*`) draw no record badge; their rows' reasons are checked below.
        if entry.file_name().to_string_lossy().starts_with("list-") {
            continue;
        }
        let Ok(html) = std::fs::read_to_string(dir.join("page.html")) else {
            continue;
        };
        let meta: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
        let options = AnalyzeOptions {
            locale: None,
            today: meta["today"].as_str().unwrap().parse().unwrap(),
        };
        let report = analyze_html(&html, meta["url"].as_str().unwrap(), &options).unwrap();
        let view = badge_view(&report);
        let context = dir.display().to_string();
        for text in [&view.text, &view.accessible_name, &view.summary]
            .into_iter()
            .chain(&view.reasons)
        {
            assert_renders(text, &en, &context);
        }
        for reason in &report.score.reasons {
            assert_renders(&reason.text, &en, &context);
        }
        pages += 1;
    }
    assert!(pages >= 20);
}

#[test]
fn the_panel_formats_every_kind_of_value() {
    use deal_health::i18n::Value as Shown;
    let panel = std::fs::read_to_string(root().join("sidepanel/panel.js")).unwrap();
    for value in [
        Shown::Count { value: 1 },
        Shown::Money {
            cents: 100,
            currency: "EUR".into(),
        },
        Shown::Date {
            date: "2026-12-15".into(),
        },
        Shown::Ago { minutes: 5 },
    ] {
        let json = serde_json::to_value(&value).unwrap();
        let format = json["format"].as_str().unwrap();
        assert!(
            panel.contains(&format!("  {format}: (value) =>")),
            "sidepanel/panel.js has no formatter for {format}"
        );
        assert!(!value.english().is_empty());
    }
}

/// Every row of every list page renders completely in English: its reasons (the partial-data
/// reason's field name among them).
#[test]
fn every_list_row_renders_completely() {
    let en = catalog("en");
    let fixtures = root().join("tests/fixtures");
    let mut rows = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap().flatten() {
        let dir = entry.path();
        if !entry.file_name().to_string_lossy().starts_with("list-") {
            continue;
        }
        let html = std::fs::read_to_string(dir.join("page.html")).unwrap();
        let meta: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
        let options = AnalyzeOptions {
            locale: None,
            today: meta["today"].as_str().unwrap().parse().unwrap(),
        };
        let report =
            deal_health::list::analyze_list_html(&html, meta["url"].as_str().unwrap(), &options)
                .unwrap();
        for row in &report.rows {
            for reason in &row.score.reasons {
                assert_renders(&reason.text, &en, &dir.display().to_string());
            }
            rows += 1;
        }
    }
    assert!(rows >= 20, "{rows} rows");
}
