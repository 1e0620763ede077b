//! What a list row's badge shows: a compact pill with the score (or the closed state, or "?"),
//! its tone, an accessible name, and the row's most harmful reason, the one the side panel
//! shows for the row ([`super::summary::RowSummary::reason`]). Decided here so that the
//! content script only draws it; where it goes is the row's anchor
//! ([`super::extract_list_anchored`]).
//!
//! Signed in, a row whose deal is in the portfolio the worker has cached shows the Customer City
//! score instead ([`RowScore`], [`enrich`]), as the record badge shows the analysis rather than
//! the estimate ([`crate::badge::decide`]); every other row shows the on-device estimate.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::RowReport;
use crate::badge::{optional, required, score_name, HeadlineSource, JsField};
use crate::i18n::Text;
use crate::score::Band;

/// One row's badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowView {
    /// The Opportunity's Id, as the row's link carries it.
    pub record_id: String,
    /// What the pill shows: the score, the closed state (`badge_won`, `badge_lost`) or "?".
    pub text: Text,
    /// The pill's colour: the score's band.
    pub tone: Band,
    /// The pill's accessible name (the record badge's: "Deal health 42, at risk").
    pub accessible_name: Text,
    /// The most harmful reason, if any: the pill's description and hover text. For the
    /// Customer City score, that it is the analysis's (`headline_analysis`).
    pub reason: Option<Text>,
    /// Which score the pill shows: the on-device estimate or the Customer City analysis.
    pub source: HeadlineSource,
    /// Changes exactly when something drawn changes (the record Id and the source included).
    pub key: String,
}

/// What a row's badge takes of the Customer City analysis: the score and its band, nothing
/// else. The worker answers a list report with one per reported row whose deal is in the
/// portfolio it has cached for the org (`deal_health_client::client::list_scores`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowScore {
    /// The Opportunity's Id, as the list report named it.
    pub record_id: String,
    /// The analysis's score, 0–100; `None` when the service gave none.
    pub value: Option<u8>,
    /// The analysis's band.
    pub band: Band,
}

impl RowScore {
    /// From the object `{recordId, value, band}` the worker sent, as strictly as its serde
    /// form; `None` if malformed (the content build has no generic deserialiser).
    pub fn from_fields(field: impl Fn(&str) -> Option<JsField>) -> Option<RowScore> {
        Some(RowScore {
            record_id: required(&field, "recordId", JsField::text).ok()?,
            value: optional(&field, "value", |f| f.integer(0.0, 255.0).map(|n| n as u8)).ok()?,
            band: required(&field, "band", |f| Band::from_code(&f.text()?).ok_or(())).ok()?,
        })
    }
}

/// The badge of one scored row: its on-device estimate.
pub fn row_view(row: &RowReport) -> RowView {
    row_view_with(row, None)
}

/// The badge of one scored row, with the Customer City score of its deal when there is one (of
/// this very record, with a score or a closed state: else the estimate, as
/// [`crate::badge::enriched_view`] falls back).
pub fn row_view_with(row: &RowReport, analysis: Option<&RowScore>) -> RowView {
    if let Some(view) = analysis
        .filter(|analysis| same_record(&analysis.record_id, &row.record_id))
        .and_then(|analysis| pill(analysis.band, analysis.value))
        .map(|(text, accessible_name, tone)| {
            view(
                row,
                text,
                tone,
                accessible_name,
                Some(Text::new("headline_analysis")),
                HeadlineSource::Analysis,
            )
        })
    {
        return view;
    }
    let score = &row.score;
    let (text, accessible_name, tone) = pill(score.band, score.value).unwrap_or_else(|| {
        (
            Text::literal("?"),
            Text::new("badge_name_incomplete"),
            Band::Unknown,
        )
    });
    let reason = score.reasons.first().map(|reason| reason.text.clone());
    view(
        row,
        text,
        tone,
        accessible_name,
        reason,
        HeadlineSource::Device,
    )
}

/// Each row's badge with the Customer City score of its deal, where `scores` has one (matched
/// on the Id's first 15 characters); the others are left as they are. `views` are `rows`'
/// badges, in the same order.
pub fn enrich(rows: &[Arc<RowReport>], views: &mut [Arc<RowView>], scores: &[RowScore]) {
    if scores.is_empty() {
        return;
    }
    let by_record: HashMap<&str, &RowScore> = scores
        .iter()
        .filter_map(|score| Some((score.record_id.get(..15)?, score)))
        .collect();
    for (row, view) in rows.iter().zip(views.iter_mut()) {
        let found = row.record_id.get(..15).and_then(|id| by_record.get(id));
        if let Some(score) = found {
            *view = Arc::new(row_view_with(row, Some(score)));
        }
    }
}

fn same_record(a: &str, b: &str) -> bool {
    a.get(..15).is_some() && a.get(..15) == b.get(..15)
}

/// The pill's text, accessible name and tone for a band and value; `None` when they say
/// nothing (an open deal without a value, an unknown band).
fn pill(band: Band, value: Option<u8>) -> Option<(Text, Text, Band)> {
    match (band, value) {
        (Band::Won, _) => Some((
            Text::new("badge_won"),
            Text::new("badge_name_won"),
            Band::Won,
        )),
        (Band::Lost, _) => Some((
            Text::new("badge_lost"),
            Text::new("badge_name_lost"),
            Band::Lost,
        )),
        (band @ (Band::Healthy | Band::AtRisk | Band::Critical), Some(value)) => Some((
            Text::literal(value.to_string()),
            score_name(band, value),
            band,
        )),
        _ => None,
    }
}

fn view(
    row: &RowReport,
    text: Text,
    tone: Band,
    accessible_name: Text,
    reason: Option<Text>,
    source: HeadlineSource,
) -> RowView {
    let source_name = match source {
        HeadlineSource::Analysis => "analysis",
        HeadlineSource::Pending => "pending",
        HeadlineSource::Device => "device",
    };
    let key = format!(
        "{}|{source_name}|{}|{}|{}",
        row.record_id,
        text.key(),
        accessible_name.key(),
        reason.as_ref().map(Text::key).unwrap_or_default()
    );
    RowView {
        record_id: row.record_id.clone(),
        text,
        tone,
        accessible_name,
        reason,
        source,
        key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Fields;
    use crate::score::{Reason, Score};

    fn row(value: Option<u8>, band: Band, reasons: Vec<Reason>) -> RowReport {
        RowReport {
            record_id: "0065g00000AbCdEAAV".to_string(),
            fields: Fields::default(),
            shown: Vec::new(),
            score: Score {
                value,
                band,
                reasons,
            },
            warnings: Vec::new(),
        }
    }

    fn reason(code: &'static str, points: i32) -> Reason {
        Reason {
            code,
            points,
            text: Text::new(code),
        }
    }

    #[test]
    fn a_scored_row_shows_its_value_band_and_most_harmful_reason() {
        let view = row_view(&row(
            Some(42),
            Band::AtRisk,
            vec![reason("close_date_passed", -30), reason("stage_early", -5)],
        ));
        assert_eq!(view.text, Text::literal("42"));
        assert_eq!(view.tone, Band::AtRisk);
        assert_eq!(view.accessible_name, score_name(Band::AtRisk, 42));
        assert_eq!(view.reason, Some(Text::new("close_date_passed")));
        assert!(view.key.starts_with("0065g00000AbCdEAAV|"));
    }

    #[test]
    fn closed_and_thin_rows_say_so_and_the_key_follows_every_change() {
        let won = row_view(&row(None, Band::Won, vec![reason("closed_won", 0)]));
        assert_eq!((won.text.id.as_ref(), won.tone), ("badge_won", Band::Won));
        let thin = row_view(&row(
            None,
            Band::Unknown,
            vec![reason("insufficient_data", 0)],
        ));
        assert_eq!((thin.text, thin.tone), (Text::literal("?"), Band::Unknown));
        assert_eq!(thin.accessible_name, Text::new("badge_name_incomplete"));
        let before = row_view(&row(Some(42), Band::AtRisk, vec![reason("a", -1)]));
        let value = row_view(&row(Some(43), Band::AtRisk, vec![reason("a", -1)]));
        let because = row_view(&row(Some(42), Band::AtRisk, vec![reason("b", -1)]));
        assert_ne!(before.key, value.key);
        assert_ne!(before.key, because.key);
    }
    fn analysis(record_id: &str, value: Option<u8>, band: Band) -> RowScore {
        RowScore {
            record_id: record_id.to_string(),
            value,
            band,
        }
    }

    #[test]
    fn a_row_whose_deal_was_analysed_shows_the_customer_city_score() {
        let row = row(
            Some(42),
            Band::AtRisk,
            vec![reason("close_date_passed", -30)],
        );
        let estimate = row_view(&row);
        assert_eq!(estimate.source, HeadlineSource::Device);
        // The portfolio names the 18-character Id's first 15: the same record.
        let view = row_view_with(
            &row,
            Some(&analysis("0065g00000AbCdE", Some(81), Band::Healthy)),
        );
        assert_eq!(view.source, HeadlineSource::Analysis);
        assert_eq!(view.text, Text::literal("81"));
        assert_eq!(view.tone, Band::Healthy);
        assert_eq!(view.accessible_name, score_name(Band::Healthy, 81));
        assert_eq!(view.reason, Some(Text::new("headline_analysis")));
        assert_eq!(view.record_id, row.record_id);
        assert_ne!(view.key, estimate.key);
        // The same number from the analysis is still another badge (its reason, its source).
        let same_number = row_view_with(
            &row,
            Some(&analysis("0065g00000AbCdEAAV", Some(42), Band::AtRisk)),
        );
        assert_eq!(same_number.text, estimate.text);
        assert_ne!(same_number.key, estimate.key);
        // The key follows the analysis: a new score redraws the row.
        let later = row_view_with(
            &row,
            Some(&analysis("0065g00000AbCdEAAV", Some(80), Band::Healthy)),
        );
        assert_ne!(later.key, view.key);
        let won = row_view_with(&row, Some(&analysis("0065g00000AbCdE", None, Band::Won)));
        assert_eq!((won.text, won.tone), (Text::new("badge_won"), Band::Won));
    }

    #[test]
    fn another_records_score_or_one_without_a_number_leaves_the_estimate() {
        let row = row(
            Some(42),
            Band::AtRisk,
            vec![reason("close_date_passed", -30)],
        );
        let estimate = row_view(&row);
        for other in [
            analysis("0065g00000ZzZzZAAV", Some(81), Band::Healthy),
            analysis("0065g", Some(81), Band::Healthy),
            analysis("0065g00000AbCdE", None, Band::Healthy),
            analysis("0065g00000AbCdE", Some(81), Band::Unknown),
        ] {
            assert_eq!(row_view_with(&row, Some(&other)), estimate, "{other:?}");
        }
    }

    #[test]
    fn enrich_changes_only_the_rows_whose_deal_has_a_score() {
        let mut first = row(Some(42), Band::AtRisk, vec![reason("a", -1)]);
        first.record_id = "006000000000001AAA".to_string();
        let mut second = row(Some(70), Band::Healthy, Vec::new());
        second.record_id = "006000000000002AAA".to_string();
        let rows = vec![Arc::new(first), Arc::new(second)];
        let mut views: Vec<Arc<RowView>> = rows.iter().map(|r| Arc::new(row_view(r))).collect();
        let estimates = views.clone();
        enrich(&rows, &mut views, &[]);
        assert_eq!(views, estimates);
        enrich(
            &rows,
            &mut views,
            &[
                analysis("006000000000002", Some(12), Band::Critical),
                analysis("006000000000009", Some(99), Band::Healthy),
            ],
        );
        assert_eq!(views[0], estimates[0]);
        assert_eq!(views[1].text, Text::literal("12"));
        assert_eq!(views[1].source, HeadlineSource::Analysis);
        assert_eq!(views[1].record_id, "006000000000002AAA");
    }

    #[test]
    fn row_scores_are_read_as_strictly_as_their_serde_form() {
        use serde_json::json;
        let fields = |value: &serde_json::Value| {
            let value = value.clone();
            move |name: &str| {
                Some(match value.get(name)? {
                    serde_json::Value::Null => return None,
                    serde_json::Value::String(text) => JsField::Text(text.clone()),
                    serde_json::Value::Number(n) => JsField::Number(n.as_f64().unwrap()),
                    serde_json::Value::Bool(flag) => JsField::Flag(*flag),
                    _ => JsField::Other,
                })
            }
        };
        for score in [
            json!({"recordId": "006A", "value": 72, "band": "healthy"}),
            json!({"recordId": "006A", "value": null, "band": "won"}),
            json!({"recordId": "006A", "band": "lost"}),
            json!({"recordId": "006A", "value": 300, "band": "healthy"}),
            json!({"recordId": "006A", "value": 7.5, "band": "healthy"}),
            json!({"recordId": "006A", "value": "72", "band": "healthy"}),
            json!({"recordId": "006A", "value": 72, "band": "great"}),
            json!({"recordId": "006A", "value": 72}),
            json!({"recordId": 6, "band": "healthy"}),
            json!({"band": "healthy"}),
            json!({"recordId": "006A", "band": "critical", "extra": {"x": 1}}),
        ] {
            assert_eq!(
                RowScore::from_fields(fields(&score)),
                serde_json::from_value::<RowScore>(score.clone()).ok(),
                "{score}"
            );
        }
    }
}
