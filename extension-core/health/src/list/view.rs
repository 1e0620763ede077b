//! What a list row's badge shows: a compact pill with the score (or the closed state, or "?"),
//! its tone, an accessible name, and the row's most harmful reason, the one the side panel
//! shows for the row ([`super::summary::RowSummary::reason`]). Decided here so that the
//! content script only draws it; where it goes is the row's anchor
//! ([`super::extract_list_anchored`]).

use serde::Serialize;

use super::RowReport;
use crate::badge::score_name;
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
    /// The most harmful reason, if any: the pill's description and hover text.
    pub reason: Option<Text>,
    /// Changes exactly when something drawn changes (the record Id included).
    pub key: String,
}

/// The badge of one scored row.
pub fn row_view(row: &RowReport) -> RowView {
    let score = &row.score;
    let (text, accessible_name, tone) = match (score.band, score.value) {
        (Band::Won, _) => (
            Text::new("badge_won"),
            Text::new("badge_name_won"),
            Band::Won,
        ),
        (Band::Lost, _) => (
            Text::new("badge_lost"),
            Text::new("badge_name_lost"),
            Band::Lost,
        ),
        (band @ (Band::Healthy | Band::AtRisk | Band::Critical), Some(value)) => (
            Text::literal(value.to_string()),
            score_name(band, value),
            band,
        ),
        _ => (
            Text::literal("?"),
            Text::new("badge_name_incomplete"),
            Band::Unknown,
        ),
    };
    let reason = score.reasons.first().map(|reason| reason.text.clone());
    let key = format!(
        "{}|{}|{}|{}",
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
}
