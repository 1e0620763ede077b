//! What the badge shows for a report: the decision, not the drawing. The content script draws
//! exactly this (text as text) and nothing else.

use serde::Serialize;

use crate::report::Report;
use crate::score::Band;

/// How many reasons the badge's hover card lists.
pub const TOP_REASONS: usize = 3;

/// The badge's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BadgeState {
    /// No field of the record is on the page yet (still rendering): draw nothing, keep waiting.
    Waiting,
    /// An open deal with a score.
    Score,
    /// Closed won.
    Won,
    /// Closed lost.
    Lost,
    /// Fields are there but too few to score: "incomplete data".
    Incomplete,
}

/// Everything the content script needs to draw the badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeView {
    pub state: BadgeState,
    /// The record the view belongs to; the content script checks it against the URL.
    pub record_id: String,
    /// The short text on the badge: the score, "Won", "Lost" or "?".
    pub text: String,
    /// The colour family (`healthy`, `at_risk`, `critical`, `won`, `lost`, `unknown`).
    pub tone: Band,
    /// The accessible name, exactly `Deal health 72 of 100, healthy` and so on.
    pub accessible_name: String,
    /// One line under the title of the hover card.
    pub summary: String,
    /// The top reasons, most harmful first.
    pub reasons: Vec<String>,
    /// A key that changes whenever anything drawn changes (to skip redundant redraws).
    pub key: String,
}

/// Decides the badge for a report.
pub fn badge_view(report: &Report) -> BadgeView {
    let nothing_found = report.warnings.iter().any(|w| w.code == "no_record_fields");
    let score = &report.score;
    let (state, text, accessible_name, summary) = match (score.band, score.value) {
        _ if nothing_found => (
            BadgeState::Waiting,
            String::new(),
            String::new(),
            String::new(),
        ),
        (Band::Won, _) => (
            BadgeState::Won,
            "Won".to_string(),
            "Deal health: closed won".to_string(),
            "Closed won".to_string(),
        ),
        (Band::Lost, _) => (
            BadgeState::Lost,
            "Lost".to_string(),
            "Deal health: closed lost".to_string(),
            "Closed lost".to_string(),
        ),
        (Band::Healthy | Band::AtRisk | Band::Critical, Some(value)) => {
            let band = match score.band {
                Band::Healthy => "healthy",
                Band::AtRisk => "at risk",
                _ => "critical",
            };
            (
                BadgeState::Score,
                value.to_string(),
                format!("Deal health {value} of 100, {band}"),
                format!("{value} of 100 · {band}"),
            )
        }
        _ => (
            BadgeState::Incomplete,
            "?".to_string(),
            "Deal health: not enough data".to_string(),
            "Incomplete data: the stage and close date could not be read".to_string(),
        ),
    };
    let reasons: Vec<String> = score
        .reasons
        .iter()
        .filter(|reason| reason.points != 0 || state != BadgeState::Score)
        .take(TOP_REASONS)
        .map(|reason| reason.message.clone())
        .collect();
    let key = format!(
        "{}|{:?}|{}|{}|{}",
        report.opportunity_id,
        state,
        text,
        summary,
        reasons.join("|")
    );
    BadgeView {
        state,
        record_id: report.opportunity_id.clone(),
        text,
        tone: if state == BadgeState::Waiting {
            Band::Unknown
        } else {
            score.band
        },
        accessible_name,
        summary,
        reasons,
        key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Fields, Warning};
    use crate::page::Ui;
    use crate::score::{Reason, Score};

    fn report(band: Band, value: Option<u8>, warnings: Vec<Warning>) -> Report {
        Report {
            opportunity_id: "0065g00000AbCdEAAV".into(),
            ui: Ui::Lightning,
            fields: Fields::default(),
            score: Score {
                value,
                band,
                reasons: vec![
                    Reason {
                        code: "a",
                        points: -15,
                        message: "first".into(),
                    },
                    Reason {
                        code: "b",
                        points: -5,
                        message: "second".into(),
                    },
                    Reason {
                        code: "c",
                        points: 5,
                        message: "third".into(),
                    },
                    Reason {
                        code: "d",
                        points: 5,
                        message: "fourth".into(),
                    },
                ],
            },
            warnings,
        }
    }

    #[test]
    fn accessible_names_have_the_exact_form() {
        assert_eq!(
            badge_view(&report(Band::Healthy, Some(72), vec![])).accessible_name,
            "Deal health 72 of 100, healthy"
        );
        assert_eq!(
            badge_view(&report(Band::AtRisk, Some(55), vec![])).accessible_name,
            "Deal health 55 of 100, at risk"
        );
        assert_eq!(
            badge_view(&report(Band::Critical, Some(5), vec![])).accessible_name,
            "Deal health 5 of 100, critical"
        );
        assert_eq!(
            badge_view(&report(Band::Won, None, vec![])).accessible_name,
            "Deal health: closed won"
        );
        assert_eq!(
            badge_view(&report(Band::Lost, None, vec![])).accessible_name,
            "Deal health: closed lost"
        );
        assert_eq!(
            badge_view(&report(Band::Unknown, None, vec![])).accessible_name,
            "Deal health: not enough data"
        );
    }

    #[test]
    fn states_and_reasons() {
        let view = badge_view(&report(Band::AtRisk, Some(55), vec![]));
        assert_eq!((view.state, view.text.as_str()), (BadgeState::Score, "55"));
        assert_eq!(view.reasons, ["first", "second", "third"]);
        let waiting = Warning {
            code: "no_record_fields",
            field: None,
            raw: None,
            message: String::new(),
        };
        assert_eq!(
            badge_view(&report(Band::Unknown, None, vec![waiting])).state,
            BadgeState::Waiting
        );
        assert_eq!(badge_view(&report(Band::Unknown, None, vec![])).text, "?");
        assert_ne!(
            badge_view(&report(Band::AtRisk, Some(55), vec![])).key,
            badge_view(&report(Band::AtRisk, Some(56), vec![])).key
        );
    }
}
