//! The local (Tier 1) health score: 0–100 with the reasons behind it.
//!
//! `value = clamp(BASE + sum of reason points, 0, 100)`. Every rule, number and rationale is in
//! `docs/scoring.md`; keep the two in step (a test checks every code appears there). The score
//! depends only on the extraction and the date given as "today": no clock is read here.

use chrono::NaiveDate;
use serde::Serialize;

use crate::i18n::{Arg, Text, Value};

use crate::extract::rules::{Field, CLOSED_LOST_STAGES, CLOSED_WON_STAGES};
use crate::extract::{Extraction, PathOutcome};

/// Where every open deal starts before its reasons.
pub const BASE: i32 = 75;
/// At or above: healthy.
pub const HEALTHY_FROM: u8 = 70;
/// At or above (and below healthy): at risk. Below: critical.
pub const AT_RISK_FROM: u8 = 40;

/// The band a score falls in, or the state of a deal that has no score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// A score at or above [`HEALTHY_FROM`].
    Healthy,
    /// A score from [`AT_RISK_FROM`] up to [`HEALTHY_FROM`].
    AtRisk,
    /// A score below [`AT_RISK_FROM`].
    Critical,
    /// Closed won.
    Won,
    /// Closed lost.
    Lost,
    /// Too little data to score.
    Unknown,
}

impl Band {
    /// The band named by its serialised code (`healthy`, `at_risk`, ...).
    pub fn from_code(code: &str) -> Option<Band> {
        Some(match code {
            "healthy" => Band::Healthy,
            "at_risk" => Band::AtRisk,
            "critical" => Band::Critical,
            "won" => Band::Won,
            "lost" => Band::Lost,
            "unknown" => Band::Unknown,
            _ => return None,
        })
    }
}

/// One reason: a stable code, signed points and a plain-language message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The stable reason code (`docs/scoring.md` explains each).
    pub code: &'static str,
    /// Points added (positive) or taken (negative).
    pub points: i32,
    /// What the reason says, as a message of `_locales` (see [`crate::i18n`]).
    pub text: Text,
}

/// `{code, points, message, text}`: natively (the CLI's JSON) the English `message` is
/// included; the extension renders `text` in the browser's language instead.
impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut reason = serializer.serialize_struct("Reason", 4)?;
        reason.serialize_field("code", self.code)?;
        reason.serialize_field("points", &self.points)?;
        #[cfg(not(target_arch = "wasm32"))]
        reason.serialize_field("message", &self.text.english())?;
        reason.serialize_field("text", &self.text)?;
        reason.end()
    }
}

/// The score of a deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    /// 0–100 for open deals; `None` for closed deals and when data is too thin.
    pub value: Option<u8>,
    /// The band the value falls in (or the deal's closed state).
    pub band: Band,
    /// Most harmful first.
    pub reasons: Vec<Reason>,
}

/// Standard stages and their default probabilities (Salesforce's defaults).
const STANDARD_STAGES: &[(&str, u8)] = &[
    ("prospecting", 10),
    ("qualification", 10),
    ("needs analysis", 20),
    ("value proposition", 50),
    ("id. decision makers", 60),
    ("perception analysis", 70),
    ("proposal/price quote", 75),
    ("negotiation/review", 90),
];

/// Every reason code the model can give, for documentation checks.
pub const REASON_CODES: &[&str] = &[
    "closed_won",
    "closed_lost",
    "insufficient_data",
    "close_date_passed",
    "close_date_too_soon",
    "close_date_far",
    "close_date_missing",
    "close_date_unreadable",
    "closing_soon_late_stage",
    "stage_missing",
    "probability_stage_mismatch",
    "probability_missing",
    "next_step_missing",
    "next_step_set",
    "amount_missing",
    "amount_not_positive",
];

/// The default probability of a standard stage.
pub fn stage_default_probability(stage: &str) -> Option<u8> {
    let key = stage.trim().to_lowercase();
    STANDARD_STAGES
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, probability)| *probability)
}

/// Whether a stage name means closed won / closed lost, in the languages Salesforce ships and in
/// common custom forms ("Closed - Won").
pub fn closed_outcome(stage: &str) -> Option<PathOutcome> {
    let key: String = stage
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '/' || !c.is_ascii() {
                c
            } else {
                ' '
            }
        })
        .collect();
    let key = crate::value::normalize_spaces(&key);
    if CLOSED_LOST_STAGES.contains(&key.as_str())
        || (key.starts_with("closed") && key.contains("lost"))
    {
        Some(PathOutcome::Lost)
    } else if CLOSED_WON_STAGES.contains(&key.as_str())
        || (key.starts_with("closed") && key.contains("won"))
    {
        Some(PathOutcome::Won)
    } else {
        None
    }
}

fn band_of(value: u8) -> Band {
    if value >= HEALTHY_FROM {
        Band::Healthy
    } else if value >= AT_RISK_FROM {
        Band::AtRisk
    } else {
        Band::Critical
    }
}

/// Scores an extraction as of `today`.
pub fn score(extraction: &Extraction, today: NaiveDate) -> Score {
    let fields = &extraction.fields;
    let outcome = extraction
        .path_outcome
        .or_else(|| fields.stage.as_deref().and_then(closed_outcome));
    match outcome {
        Some(PathOutcome::Won) => {
            return Score {
                value: None,
                band: Band::Won,
                reasons: vec![reason("closed_won", 0, Text::new("reason_closed_won"))],
            }
        }
        Some(PathOutcome::Lost) => {
            return Score {
                value: None,
                band: Band::Lost,
                reasons: vec![reason("closed_lost", 0, Text::new("reason_closed_lost"))],
            }
        }
        None => {}
    }
    if fields.stage.is_none() && fields.close_date.is_none() {
        return Score {
            value: None,
            band: Band::Unknown,
            reasons: vec![reason(
                "insufficient_data",
                0,
                Text::new("reason_insufficient_data"),
            )],
        };
    }

    let mut reasons = Vec::new();
    let stage_default = fields.stage.as_deref().and_then(stage_default_probability);
    // How far the deal has come, 0.0 to 1.0: the stage's default, else the Path, else the
    // record's own probability.
    let progress = stage_default
        .map(|p| f64::from(p) / 100.0)
        .or(extraction.path_progress)
        .or(fields.probability.map(|p| f64::from(p) / 100.0));
    let stage_label = || -> Arg {
        match &fields.stage {
            Some(stage) => Arg::Plain(stage.clone()),
            None => Arg::Text(Text::new("unknown_stage")),
        }
    };

    match fields.close_date {
        Some(close_date) => {
            let days = (close_date - today).num_days();
            if days < 0 {
                reasons.push(reason(
                    "close_date_passed",
                    -60,
                    Text::new("reason_close_date_passed").arg(Text::days(-days)),
                ));
            } else {
                let progress = progress.unwrap_or(0.5);
                if progress <= 0.2 && days < 14 {
                    reasons.push(reason(
                        "close_date_too_soon",
                        -20,
                        Text::new("reason_close_date_too_soon_early")
                            .arg(Text::days(days))
                            .arg(stage_label()),
                    ));
                } else if progress <= 0.2 && days < 30 {
                    reasons.push(reason(
                        "close_date_too_soon",
                        -10,
                        Text::new("reason_close_date_too_soon_early")
                            .arg(Text::days(days))
                            .arg(stage_label()),
                    ));
                } else if progress < 0.7 && days < 7 {
                    reasons.push(reason(
                        "close_date_too_soon",
                        -10,
                        Text::new("reason_close_date_too_soon")
                            .arg(Text::days(days))
                            .arg(stage_label()),
                    ));
                } else if progress >= 0.7 && days <= 30 {
                    reasons.push(reason(
                        "closing_soon_late_stage",
                        5,
                        Text::new("reason_closing_soon_late_stage")
                            .arg(stage_label())
                            .arg(Text::days(days)),
                    ));
                }
                if days > 365 {
                    reasons.push(reason(
                        "close_date_far",
                        -10,
                        Text::new("reason_close_date_far").arg(Value::Date {
                            date: close_date.to_string(),
                        }),
                    ));
                }
            }
        }
        None if extraction.was_found(Field::CloseDate) => reasons.push(reason(
            "close_date_unreadable",
            -10,
            Text::new("reason_close_date_unreadable"),
        )),
        None => reasons.push(reason(
            "close_date_missing",
            -15,
            Text::new("reason_close_date_missing"),
        )),
    }

    if fields.stage.is_none() {
        reasons.push(reason(
            "stage_missing",
            -15,
            Text::new("reason_stage_missing"),
        ));
    }

    match (fields.probability, stage_default) {
        (Some(probability), Some(default)) if probability.abs_diff(default) >= 30 => {
            reasons.push(reason(
                "probability_stage_mismatch",
                -15,
                Text::new("reason_probability_stage_mismatch")
                    .arg(probability.to_string())
                    .arg(default.to_string())
                    .arg(stage_label()),
            ))
        }
        (None, _) => reasons.push(reason(
            "probability_missing",
            -5,
            Text::new("reason_probability_missing"),
        )),
        _ => {}
    }

    match &fields.next_step {
        Some(_) => reasons.push(reason(
            "next_step_set",
            5,
            Text::new("reason_next_step_set"),
        )),
        None if extraction.was_found(Field::NextStep) => reasons.push(reason(
            "next_step_missing",
            -15,
            Text::new("reason_next_step_missing"),
        )),
        None => {}
    }

    match &fields.amount {
        Some(amount) if amount.value <= 0.0 => reasons.push(reason(
            "amount_not_positive",
            -10,
            Text::new("reason_amount_not_positive"),
        )),
        Some(_) => {}
        None => reasons.push(reason(
            "amount_missing",
            -10,
            Text::new("reason_amount_missing"),
        )),
    }

    reasons.sort_by_key(|r| r.points);
    let total = BASE + reasons.iter().map(|r| r.points).sum::<i32>();
    let value = total.clamp(0, 100) as u8;
    Score {
        value: Some(value),
        band: band_of(value),
        reasons,
    }
}

fn reason(code: &'static str, points: i32, text: Text) -> Reason {
    Reason { code, points, text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Fields;
    use crate::value::Amount;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn open_deal(stage: &str, close: &str, probability: u8, next_step: Option<&str>) -> Extraction {
        Extraction {
            fields: Fields {
                name: Some("Deal".into()),
                amount: Some(Amount {
                    value: 50_000.0,
                    currency: Some("USD".into()),
                }),
                stage: Some(stage.into()),
                close_date: Some(date(close)),
                probability: Some(probability),
                owner: Some("Jane".into()),
                next_step: next_step.map(str::to_string),
            },
            found: Field::ALL.to_vec(),
            ..Extraction::default()
        }
    }

    #[test]
    fn a_clean_late_stage_deal_is_healthy() {
        let score = score(
            &open_deal(
                "Negotiation/Review",
                "2026-12-10",
                90,
                Some("Send contract"),
            ),
            date("2026-11-23"),
        );
        assert_eq!(score.value, Some(85));
        assert_eq!(score.band, Band::Healthy);
    }

    #[test]
    fn an_overdue_open_deal_is_critical() {
        let score = score(
            &open_deal("Negotiation/Review", "2026-11-22", 90, Some("Call")),
            date("2026-11-23"),
        );
        assert_eq!(score.band, Band::Critical);
        assert_eq!(score.reasons[0].code, "close_date_passed");
    }

    #[test]
    fn empty_next_step_and_probability_mismatch_cost_points() {
        let with_step = score(
            &open_deal("Prospecting", "2027-02-01", 10, Some("Call")),
            date("2026-11-23"),
        );
        let without = score(
            &open_deal("Prospecting", "2027-02-01", 10, None),
            date("2026-11-23"),
        );
        assert!(without.value < with_step.value);
        assert!(without
            .reasons
            .iter()
            .any(|r| r.code == "next_step_missing" && r.points < 0));
        let mismatch = score(
            &open_deal("Prospecting", "2027-02-01", 40, Some("Call")),
            date("2026-11-23"),
        );
        assert!(mismatch
            .reasons
            .iter()
            .any(|r| r.code == "probability_stage_mismatch" && r.points < 0));
        let close = score(
            &open_deal("Prospecting", "2027-02-01", 39, Some("Call")),
            date("2026-11-23"),
        );
        assert!(!close
            .reasons
            .iter()
            .any(|r| r.code == "probability_stage_mismatch"));
    }

    #[test]
    fn closed_and_thin_deals_have_no_value() {
        let won = score(
            &open_deal("Closed Won", "2026-01-01", 100, None),
            date("2026-11-23"),
        );
        assert_eq!((won.value, won.band), (None, Band::Won));
        let lost = score(
            &open_deal("Geschlossen und verloren", "2026-01-01", 0, None),
            date("2026-11-23"),
        );
        assert_eq!((lost.value, lost.band), (None, Band::Lost));
        let mut thin = open_deal("x", "2026-01-01", 0, None);
        thin.fields.stage = None;
        thin.fields.close_date = None;
        assert_eq!(score(&thin, date("2026-11-23")).band, Band::Unknown);
    }

    #[test]
    fn closed_outcome_reads_custom_and_translated_names() {
        assert_eq!(closed_outcome("Closed - Won"), Some(PathOutcome::Won));
        assert_eq!(closed_outcome("CLOSED LOST"), Some(PathOutcome::Lost));
        assert_eq!(closed_outcome("Fermée gagnée"), Some(PathOutcome::Won));
        assert_eq!(closed_outcome("成立"), Some(PathOutcome::Won));
        assert_eq!(closed_outcome("不成立"), Some(PathOutcome::Lost));
        assert_eq!(closed_outcome("Closing soon"), None);
        assert_eq!(closed_outcome("Negotiation/Review"), None);
    }
}
