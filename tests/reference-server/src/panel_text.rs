//! Issue 16, item 1, natively: every deal of the demo dataset (every factor, every blind-spot
//! kind, every evidence key), asked for in en, de, fr and ja through the server's own routes,
//! drawn by the side panel's view (`panel::panel_view`) and rendered with that language's
//! `_locales` catalog, shows no internal key, no ISO date or time and no unformatted number.
//! The browser formats the values (`i18n::Value`) with `Intl`: `tests/e2e/panel.test.mjs`
//! checks the real panel; here a value must reach the renderer as a value, never as text.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use deal_health::i18n::{substitute, Arg, Text};
use deal_health_client::api::{decode_analysis, decode_descriptions, decode_portfolio};
use deal_health_client::client::summarize;
use deal_health_client::panel::{
    panel_view, DealAnswer, DealData, DescriptionsAnswer, DescriptionsData, PanelInput,
    PortfolioAnswer, PortfolioData, TabContext,
};

use crate::app::{App, Request};
use crate::dataset::demo_dataset;
use crate::handoff_tests::OURS;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn catalog(lang: &str) -> BTreeMap<String, String> {
    let path = format!(
        "{}/../../_locales/{lang}/messages.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let raw: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    raw.into_iter()
        .map(|(id, entry)| (id, entry["message"].as_str().unwrap().to_string()))
        .collect()
}

/// What the panel shows for `text` in the catalog's language. Values stand for what `Intl`
/// will make of them (a marker with no digits), plural messages take `_other` unless the
/// catalog's `_one` applies to one: enough to see every word the catalog and the server write.
fn render(text: &Text, catalog: &BTreeMap<String, String>, problems: &mut Vec<String>) -> String {
    let args: Vec<String> = text
        .args
        .iter()
        .map(|arg| match arg {
            Arg::Plain(plain) => plain.clone(),
            Arg::Text(inner) => render(inner, catalog, problems),
            Arg::Value(_) => "⟨value⟩".to_string(),
        })
        .collect();
    let id = match text.count {
        Some(1) => format!("{}_one", text.id),
        Some(_) => format!("{}_other", text.id),
        None => text.id.to_string(),
    };
    match catalog.get(&id) {
        Some(template) => substitute(template, &args),
        None => {
            problems.push(format!("no message {id}"));
            String::new()
        }
    }
}

/// The raw tokens in `shown`: the same rules as the end-to-end test (`rawTokens`).
fn raw_tokens(shown: &str) -> Vec<String> {
    let mut found = Vec::new();
    for word in shown.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        let camel = word.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && word.chars().any(|c| c.is_ascii_uppercase());
        let snake = word.contains('_') && word.chars().any(|c| c.is_ascii_alphanumeric());
        if camel || snake {
            found.push(format!("a code: {word}"));
        }
    }
    let bytes = shown.as_bytes();
    let mut run = 0;
    for (index, byte) in bytes.iter().enumerate() {
        run = if byte.is_ascii_digit() { run + 1 } else { 0 };
        if run == 5 {
            found.push(format!("a number without grouping near {index}"));
        }
        // 2026-11-23 or 12:00:00: an ISO date or time.
        if index >= 9 {
            let window = &bytes[index - 9..=index];
            let iso_date = window.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
            if iso_date {
                found.push(format!("an ISO date: {}", String::from_utf8_lossy(window)));
            }
        }
    }
    found
}

fn signed_in(app: &App) -> String {
    crate::tests::sign_in(app)["accessToken"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn every_deal_in_every_language_shows_no_key_no_iso_date_no_raw_number() {
    let app = App::new(Box::new(now)).with_extension_ids(vec![OURS.to_string()]);
    let token = signed_in(&app);
    let mut kinds_seen = BTreeSet::new();
    let mut evidence_keys_seen = BTreeSet::new();
    for lang in deal_health_client::api::LANGUAGES {
        let catalog = catalog(lang);
        let get = |path: &str| {
            let headers = vec![
                (
                    "x-salesforce-host".to_string(),
                    "acme.my.salesforce.com".to_string(),
                ),
                ("authorization".to_string(), format!("Bearer {token}")),
                ("accept-language".to_string(), lang.to_string()),
            ];
            let response = app.handle(&Request::to_api("GET", path, headers, Vec::new()));
            assert_eq!(response.status, 200, "{path}");
            response.body
        };
        let descriptions =
            decode_descriptions(&get(&format!("/v1/descriptions?locale={lang}"))).unwrap();
        assert_eq!(descriptions.locale, lang);
        let portfolio = decode_portfolio(&get("/v1/portfolio")).unwrap();
        for deal in demo_dataset(now()) {
            let id = &deal.opportunity.id;
            let analysis =
                decode_analysis(&get(&format!("/v1/opportunities/{id}/analysis"))).unwrap();
            for spot in &analysis.blind_spots {
                kinds_seen.insert(spot.kind.clone());
                if let Some(map) = spot.evidence.as_object() {
                    evidence_keys_seen.extend(map.keys().cloned());
                }
            }
            let summary = summarize(&analysis, None, now(), false);
            let input = PanelInput {
                tab: TabContext {
                    host: Some("acme.lightning.force.com".into()),
                    record_id: Some(id.clone()),
                    list: None,
                },
                signed_in: true,
                deal: Some(DealAnswer {
                    ok: true,
                    data: Some(DealData { summary, analysis }),
                    error: None,
                }),
                portfolio: Some(PortfolioAnswer {
                    ok: true,
                    data: Some(PortfolioData {
                        portfolio: portfolio.clone(),
                        age_minutes: Some(5),
                    }),
                    error: None,
                }),
                descriptions: Some(DescriptionsAnswer {
                    data: Some(DescriptionsData {
                        descriptions: descriptions.clone(),
                    }),
                }),
                ..PanelInput::default()
            };
            let view = panel_view(&input);
            let enriched = &view.deal.enriched;
            let mut texts: Vec<&Text> = Vec::new();
            for factor in &enriched.factors {
                texts.push(&factor.title);
                texts.push(&factor.weight);
                texts.extend(factor.about.iter());
                texts.extend(factor.evidence.iter());
            }
            for spot in &enriched.blind_spots {
                texts.push(&spot.severity_label);
                texts.extend(spot.title.iter());
                texts.extend(spot.about.iter());
                texts.push(&spot.summary);
                texts.extend(spot.evidence.iter());
                texts.push(&spot.recommendation);
            }
            texts.extend(enriched.recommendations.iter().map(|r| &r.text));
            texts.extend(enriched.age.iter());
            for row in &view.pipeline.deals {
                texts.push(&row.stage);
                texts.push(&row.closes);
                texts.extend(row.amount.iter());
                texts.extend(row.top_blind_spot.iter());
            }
            texts.extend(view.deal.headline.iter().map(|h| &h.caption));
            assert_eq!(enriched.factors.len(), 7, "{lang} {id}");
            let mut problems = Vec::new();
            for text in texts {
                let shown = render(text, &catalog, &mut problems);
                for raw in raw_tokens(&shown) {
                    problems.push(format!("{raw} in {shown:?}"));
                }
            }
            assert!(problems.is_empty(), "{lang} {id}: {problems:#?}");
        }
    }
    assert_eq!(
        kinds_seen.len(),
        deal_health_client::api::BLIND_SPOT_KINDS.len(),
        "the dataset trips every blind spot: {kinds_seen:?}"
    );
    let shown_keys: BTreeSet<String> = deal_health_client::panel::EVIDENCE_KEYS
        .iter()
        .map(|(key, _)| key.to_string())
        .collect();
    assert_eq!(
        evidence_keys_seen, shown_keys,
        "every evidence key the engine writes is one the panel shows, and each is exercised"
    );
}

#[test]
fn the_raw_token_rules_can_fail() {
    for raw in [
        "decisionMakersOnDeal: 1",
        "lastReplyAt: 2026-11-21T23:43:51Z",
        "amount: 1250000",
        "going_dark",
        "Closes 2026-12-15",
        "weight 0.15000000000000002",
    ] {
        assert!(!raw_tokens(raw).is_empty(), "{raw}");
    }
    for fine in [
        "Letzte Antwort: 13.11.2026",
        "完了予定日 2026年12月15日",
        "Amount: ⟨value⟩",
    ] {
        assert!(raw_tokens(fine).is_empty(), "{fine}");
    }
}
