//! The seven factors, each scored 0–100, and their weights (they sum to 1).

use chrono::{DateTime, Duration, Utc};

use super::data::{
    days_between, is_decision_maker, DealData, Direction, Facts, ENGAGEMENT_WINDOW_DAYS,
};
use super::texts::Lang;
use deal_health_client::api::Factor;

/// One factor's result before it becomes the API type.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorScore {
    /// The factor's code (docs/scoring.md, "The enriched score (Tier 2)").
    pub code: &'static str,
    /// Its weight in the score (the seven sum to 1).
    pub weight: f64,
    /// Its score, 0–100.
    pub score: u8,
    /// The evidence, one line each, in the analysis's language.
    pub evidence: Vec<String>,
}

impl FactorScore {
    /// The API's form of it.
    pub fn into_api(self) -> Factor {
        Factor {
            code: self.code.to_string(),
            score: self.score,
            weight: self.weight,
            evidence: self.evidence,
        }
    }
}

/// Factor weights, in output order. Documented in docs/scoring.md.
pub const WEIGHTS: [(&str, f64); 7] = [
    ("activity_recency", 0.15),
    ("email_engagement", 0.15),
    ("meeting_cadence", 0.10),
    ("multi_threading", 0.15),
    ("decision_maker_engagement", 0.15),
    ("stage_velocity", 0.15),
    ("close_date_integrity", 0.15),
];

/// Days in stage considered normal, per standard stage; others use [`DEFAULT_STAGE_NORM_DAYS`].
pub const STAGE_NORM_DAYS: &[(&str, i64)] = &[
    ("prospecting", 14),
    ("qualification", 14),
    ("needs analysis", 21),
    ("value proposition", 21),
    ("id. decision makers", 21),
    ("perception analysis", 21),
    ("proposal/price quote", 14),
    ("negotiation/review", 14),
];
pub const DEFAULT_STAGE_NORM_DAYS: i64 = 21;

/// Linear interpolation over `(x, y)` points sorted by x, flat beyond the ends.
fn piecewise(x: f64, points: &[(f64, f64)]) -> u8 {
    let y = if x <= points[0].0 {
        points[0].1
    } else if let Some(window) = points.windows(2).find(|w| x <= w[1].0) {
        let ((x0, y0), (x1, y1)) = (window[0], window[1]);
        y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    } else {
        points[points.len() - 1].1
    };
    y.round().clamp(0.0, 100.0) as u8
}

fn factor(code: &'static str, score: u8, evidence: Vec<String>) -> FactorScore {
    let weight = WEIGHTS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(0.0, |(_, w)| *w);
    FactorScore {
        code,
        weight,
        score,
        evidence,
    }
}

/// Computes all seven factors.
pub fn compute_factors(
    deal: &DealData,
    facts: &Facts,
    now: DateTime<Utc>,
    lang: Lang,
) -> Vec<FactorScore> {
    let since = now - Duration::days(ENGAGEMENT_WINDOW_DAYS);
    let mut out = Vec::with_capacity(7);

    // 1. Activity recency: days since the last email, meeting or task.
    out.push(match facts.last_touch {
        Some(at) => {
            let days = days_between(at, now);
            factor(
                "activity_recency",
                piecewise(
                    days as f64,
                    &[
                        (3.0, 100.0),
                        (7.0, 80.0),
                        (14.0, 50.0),
                        (30.0, 20.0),
                        (45.0, 0.0),
                    ],
                ),
                vec![lang.last_activity(days, at.date_naive())],
            )
        }
        None => factor("activity_recency", 0, vec![lang.no_activity()]),
    });

    // 2. Two-way email engagement over the window: replies per email sent, and reply volume.
    let recent = |at: &DateTime<Utc>| *at > since && *at <= now;
    let inbound = deal
        .emails
        .iter()
        .filter(|e| e.direction == Direction::Inbound && recent(&e.at))
        .count();
    let outbound = deal
        .emails
        .iter()
        .filter(|e| e.direction == Direction::Outbound && recent(&e.at))
        .count();
    let email_score = if inbound + outbound == 0 {
        0
    } else {
        let reply_ratio = (inbound as f64 / outbound.max(1) as f64).min(1.0);
        let volume = (inbound as f64 / 4.0).min(1.0);
        (60.0 * reply_ratio + 40.0 * volume).round() as u8
    };
    out.push(factor(
        "email_engagement",
        email_score,
        vec![lang.emails(inbound, outbound, ENGAGEMENT_WINDOW_DAYS)],
    ));

    // 3. Meeting cadence: meetings held in the window.
    let meetings = deal.meetings.iter().filter(|m| recent(&m.start)).count();
    out.push(factor(
        "meeting_cadence",
        piecewise(
            meetings as f64,
            &[(0.0, 0.0), (1.0, 50.0), (2.0, 80.0), (3.0, 100.0)],
        ),
        vec![lang.meetings(meetings, ENGAGEMENT_WINDOW_DAYS)],
    ));

    // 4. Multi-threading: distinct engaged contacts.
    let engaged = facts.engaged_contacts.len();
    out.push(factor(
        "multi_threading",
        piecewise(
            engaged as f64,
            &[
                (0.0, 0.0),
                (1.0, 30.0),
                (2.0, 60.0),
                (3.0, 85.0),
                (4.0, 100.0),
            ],
        ),
        vec![lang.engaged_contacts(engaged, deal.contacts.len())],
    ));

    // 5. Economic buyer / decision maker engagement.
    let decision_makers: Vec<_> = deal
        .contacts
        .iter()
        .filter(|c| is_decision_maker(c))
        .collect();
    let last_dm_touch = decision_makers
        .iter()
        .filter_map(|contact| {
            let emails = deal
                .emails
                .iter()
                .filter(|e| {
                    e.direction == Direction::Inbound && e.contact_ids.contains(&contact.contact_id)
                })
                .map(|e| e.at);
            let meetings = deal
                .meetings
                .iter()
                .filter(|m| m.contact_ids.contains(&contact.contact_id))
                .map(|m| m.start);
            emails.chain(meetings).filter(|at| *at <= now).max()
        })
        .max();
    let (dm_score, dm_evidence) = match (decision_makers.is_empty(), last_dm_touch) {
        (true, _) => (0, lang.no_decision_maker()),
        (false, Some(at)) if days_between(at, now) <= 14 => {
            (100, lang.decision_maker_engaged(at.date_naive()))
        }
        (false, Some(at)) if days_between(at, now) <= ENGAGEMENT_WINDOW_DAYS => {
            (60, lang.decision_maker_last_engaged(at.date_naive()))
        }
        (false, Some(at)) => (20, lang.decision_maker_silent(at.date_naive())),
        (false, None) => (20, lang.decision_makers_not_engaged(decision_makers.len())),
    };
    out.push(factor(
        "decision_maker_engagement",
        dm_score,
        vec![dm_evidence],
    ));

    // 6. Stage velocity: days in the current stage against the stage's norm.
    let days_in_stage = days_between(facts.stage_entered, now).max(0);
    let norm = stage_norm_days(&deal.opportunity.stage);
    let ratio = days_in_stage as f64 / norm as f64;
    out.push(factor(
        "stage_velocity",
        piecewise(ratio, &[(1.0, 100.0), (2.0, 40.0), (3.0, 0.0)]),
        vec![lang.days_in_stage(days_in_stage, &deal.opportunity.stage, norm)],
    ));

    // 7. Close-date integrity: pushes in the last 90 days; an open deal past its date scores 0.
    let pushes = deal
        .close_date_history
        .iter()
        .filter(|change| {
            change.to > change.from && change.at > now - Duration::days(90) && change.at <= now
        })
        .count();
    let overdue = !deal.opportunity.is_closed && deal.opportunity.close_date < now.date_naive();
    let (integrity, evidence) = if overdue {
        (0, lang.close_date_passed(deal.opportunity.close_date))
    } else {
        (
            piecewise(
                pushes as f64,
                &[(0.0, 100.0), (1.0, 70.0), (2.0, 40.0), (3.0, 10.0)],
            ),
            lang.close_date_pushes(pushes),
        )
    };
    out.push(factor("close_date_integrity", integrity, vec![evidence]));
    out
}

/// The normal time in `stage`, in days.
pub fn stage_norm_days(stage: &str) -> i64 {
    let key = stage.trim().to_lowercase();
    STAGE_NORM_DAYS
        .iter()
        .find(|(name, _)| *name == key)
        .map_or(DEFAULT_STAGE_NORM_DAYS, |(_, days)| *days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_one() {
        let sum: f64 = WEIGHTS.iter().map(|(_, w)| w).sum();
        assert!((sum - 1.0).abs() < 1e-9);
    }

    #[test]
    fn piecewise_interpolates_and_clamps() {
        let points = [(3.0, 100.0), (7.0, 80.0), (14.0, 50.0)];
        assert_eq!(piecewise(0.0, &points), 100);
        assert_eq!(piecewise(3.0, &points), 100);
        assert_eq!(piecewise(5.0, &points), 90);
        assert_eq!(piecewise(14.0, &points), 50);
        assert_eq!(piecewise(99.0, &points), 50);
    }
}
