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

/// What the content script last drew, remembered across a URL change.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviousBadge {
    pub record_id: String,
    pub name: Option<String>,
}

/// Whether the page still shows the record drawn before the URL changed: Lightning may update
/// the URL before it renders the next record, and an old page without record-Id markers would
/// otherwise be read as the new record. `same_anchor_node` says the record-name element is the
/// very node the previous badge was placed beside.
pub fn still_shows_previous_record(
    previous: Option<&PreviousBadge>,
    report: &Report,
    same_anchor_node: bool,
) -> bool {
    let Some(previous) = previous else {
        return false;
    };
    previous.record_id != report.opportunity_id
        && same_anchor_node
        && previous.name == report.fields.name
}

/// The view while the page still shows another record: nothing is drawn.
pub fn waiting_view(record_id: &str) -> BadgeView {
    BadgeView {
        state: BadgeState::Waiting,
        record_id: record_id.to_string(),
        text: String::new(),
        tone: Band::Unknown,
        accessible_name: String::new(),
        summary: String::new(),
        reasons: Vec::new(),
        key: format!("{record_id}|waiting"),
    }
}

/// The badge once the enriched (Tier 2) analysis of the same record has arrived: its score and
/// band, its top blind spots on the hover card. Falls back to the Tier 1 view for another record
/// or while the page is still loading.
pub fn enriched_view(report: &Report, enriched: &crate::client::EnrichedSummary) -> BadgeView {
    let local = badge_view(report);
    let same_record = enriched.record_id.get(..15).is_some()
        && enriched.record_id.get(..15) == report.opportunity_id.get(..15);
    if !same_record || local.state == BadgeState::Waiting {
        return local;
    }
    let (state, text, accessible_name) = match (enriched.band, enriched.value) {
        (Band::Won, _) => (
            BadgeState::Won,
            "Won".to_string(),
            "Deal health: closed won".to_string(),
        ),
        (Band::Lost, _) => (
            BadgeState::Lost,
            "Lost".to_string(),
            "Deal health: closed lost".to_string(),
        ),
        (band @ (Band::Healthy | Band::AtRisk | Band::Critical), Some(value)) => {
            let words = match band {
                Band::Healthy => "healthy",
                Band::AtRisk => "at risk",
                _ => "critical",
            };
            (
                BadgeState::Score,
                value.to_string(),
                format!("Deal health {value} of 100, {words}"),
            )
        }
        _ => return local,
    };
    let score = if state == BadgeState::Score {
        format!("{text} of 100")
    } else {
        text.clone()
    };
    let mut summary = format!(
        "Customer City analysis · {score} · updated {}",
        age_words(enriched.age_minutes)
    );
    if enriched.stale {
        summary.push_str(" · could not refresh");
    }
    let reasons = if enriched.highlights.is_empty() {
        local.reasons.clone()
    } else {
        enriched.highlights.clone()
    };
    let key = format!(
        "{}|enriched|{text}|{summary}|{}",
        report.opportunity_id,
        reasons.join("|")
    );
    BadgeView {
        state,
        record_id: report.opportunity_id.clone(),
        text,
        tone: enriched.band,
        accessible_name,
        summary,
        reasons,
        key,
    }
}

/// How old data is, in words: "just now", "12 min ago", "3 h ago", "2 days ago".
pub fn age_words(minutes: i64) -> String {
    match minutes {
        i64::MIN..=0 => "just now".to_string(),
        1..=59 => format!("{minutes} min ago"),
        60..=2879 => format!("{} h ago", minutes / 60),
        _ => format!("{} days ago", minutes / 1440),
    }
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
    fn a_record_left_on_the_page_after_the_url_changed_is_not_shown() {
        let mut current = report(Band::Healthy, Some(80), vec![]);
        current.fields.name = Some("Old deal".into());
        let previous = PreviousBadge {
            record_id: "0065g00000ZzZzZAAV".into(),
            name: Some("Old deal".into()),
        };
        assert!(still_shows_previous_record(Some(&previous), &current, true));
        assert!(
            !still_shows_previous_record(Some(&previous), &current, false),
            "a newly rendered header"
        );
        current.fields.name = Some("New deal".into());
        assert!(
            !still_shows_previous_record(Some(&previous), &current, true),
            "the header was re-used for the new record"
        );
        let same_record = PreviousBadge {
            record_id: current.opportunity_id.clone(),
            name: Some("New deal".into()),
        };
        assert!(
            !still_shows_previous_record(Some(&same_record), &current, true),
            "an inline edit"
        );
        assert!(!still_shows_previous_record(None, &current, true));
    }

    #[test]
    fn the_enriched_score_replaces_the_local_one_for_the_same_record_only() {
        let local = report(Band::AtRisk, Some(55), vec![]);
        let enriched = crate::client::EnrichedSummary {
            record_id: "0065g00000AbCdE".into(),
            value: Some(81),
            band: Band::Healthy,
            highlights: vec!["Only one contact is engaged".into()],
            age_minutes: 190,
            stale: false,
        };
        let view = enriched_view(&local, &enriched);
        assert_eq!(
            (view.text.as_str(), view.accessible_name.as_str()),
            ("81", "Deal health 81 of 100, healthy")
        );
        assert_eq!(view.reasons, ["Only one contact is engaged"]);
        assert_eq!(
            view.summary,
            "Customer City analysis · 81 of 100 · updated 3 h ago"
        );
        let offline = crate::client::EnrichedSummary {
            stale: true,
            ..enriched.clone()
        };
        assert!(enriched_view(&local, &offline)
            .summary
            .ends_with("updated 3 h ago · could not refresh"));
        assert_ne!(enriched_view(&local, &offline).key, view.key);
        assert_eq!(
            [0, 12, 60, 2879, 2880].map(age_words),
            [
                "just now",
                "12 min ago",
                "1 h ago",
                "47 h ago",
                "2 days ago"
            ]
        );
        let other = crate::client::EnrichedSummary {
            record_id: "0065g00000ZzZzZ".into(),
            ..enriched
        };
        assert_eq!(enriched_view(&local, &other), badge_view(&local));
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
