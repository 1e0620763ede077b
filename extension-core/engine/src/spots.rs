//! Blind spots: named risks with their evidence and a recommendation. Thresholds are
//! configurable; the defaults are the product's (docs/scoring.md, "Blind spots").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::data::{
    business_days_between, days_between, is_decision_maker, DealData, Direction, Facts,
};
use super::texts::Lang;
use deal_health_client::api::{BlindSpot, Severity};

/// Thresholds for the blind spots. Amounts are in the org's corporate currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BlindSpotConfig {
    /// Silent champion: business days without a reply from the champion.
    pub silent_champion_business_days: i64,
    /// Silent champion applies from this stage progress on (Negotiation/Review and later).
    pub silent_champion_from_progress: f64,
    /// Missing economic buyer: deals above this amount...
    pub missing_economic_buyer_min_amount: f64,
    /// ...from this stage progress on (Proposal/Price Quote and later).
    pub missing_economic_buyer_from_progress: f64,
    /// Stuck deal: days in the current stage.
    pub stuck_deal_days: i64,
    /// Single-threaded: deals above this amount with one engaged contact.
    pub single_threaded_min_amount: f64,
    /// Going dark: days without any two-way touch.
    pub going_dark_days: i64,
    /// Close date slipping: pushes within 90 days.
    pub slipping_pushes: usize,
}

impl Default for BlindSpotConfig {
    fn default() -> Self {
        BlindSpotConfig {
            silent_champion_business_days: 5,
            silent_champion_from_progress: 0.875,
            missing_economic_buyer_min_amount: 100_000.0,
            missing_economic_buyer_from_progress: 0.75,
            stuck_deal_days: 30,
            single_threaded_min_amount: 50_000.0,
            going_dark_days: 14,
            slipping_pushes: 2,
        }
    }
}

fn spot(
    kind: &str,
    severity: Severity,
    evidence: serde_json::Value,
    summary: String,
    lang: Lang,
) -> BlindSpot {
    BlindSpot {
        kind: kind.to_string(),
        severity,
        summary,
        evidence,
        recommendation: lang.recommendation(kind),
    }
}

/// The deal's amount for the evidence: in its own currency (`{value, currency}`, what the rep
/// knows), else the corporate amount the thresholds compared.
fn amount_evidence(deal: &DealData, corporate: f64) -> serde_json::Value {
    match (deal.opportunity.amount, &deal.opportunity.currency) {
        (Some(value), Some(currency)) => serde_json::json!({"value": value, "currency": currency}),
        _ => serde_json::json!(corporate),
    }
}

/// Finds the blind spots of an open deal, most severe first.
pub fn find_blind_spots(
    deal: &DealData,
    facts: &Facts,
    now: DateTime<Utc>,
    config: &BlindSpotConfig,
    lang: Lang,
) -> Vec<BlindSpot> {
    let opportunity = &deal.opportunity;
    let amount = opportunity.amount_corporate.unwrap_or(0.0);
    let mut spots = Vec::new();

    // Silent champion: the champion (role "Champion", else the primary contact) has not replied
    // for N business days, at Negotiation or later.
    let champion = deal
        .contacts
        .iter()
        .find(|c| {
            c.role
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case("champion"))
        })
        .or_else(|| deal.contacts.iter().find(|c| c.is_primary));
    if let Some(champion) = champion {
        if opportunity.stage_progress >= config.silent_champion_from_progress {
            let last_reply = deal
                .emails
                .iter()
                .filter(|e| {
                    e.direction == Direction::Inbound
                        && e.contact_ids.contains(&champion.contact_id)
                        && e.at <= now
                })
                .map(|e| e.at)
                .max();
            let silent_since = last_reply.unwrap_or(facts.stage_entered);
            let business_days = business_days_between(silent_since, now);
            if business_days >= config.silent_champion_business_days {
                spots.push(spot(
                    "silent_champion",
                    if business_days >= 2 * config.silent_champion_business_days {
                        Severity::High
                    } else {
                        Severity::Medium
                    },
                    serde_json::json!({
                        "contactName": champion.name,
                        "lastReplyAt": last_reply,
                        "businessDaysSilent": business_days,
                    }),
                    lang.silent_champion(&champion.name, business_days),
                    lang,
                ));
            }
        }
    }

    // Missing economic buyer: big deal, late stage, no engaged decision maker.
    if amount > config.missing_economic_buyer_min_amount
        && opportunity.stage_progress >= config.missing_economic_buyer_from_progress
    {
        let engaged_decision_makers = deal
            .contacts
            .iter()
            .filter(|c| is_decision_maker(c) && facts.engaged_contacts.contains(&c.contact_id))
            .count();
        if engaged_decision_makers == 0 {
            spots.push(spot(
                "missing_economic_buyer",
                Severity::High,
                serde_json::json!({
                    "amount": amount_evidence(deal, amount),
                    "stage": opportunity.stage,
                    "decisionMakersOnDeal": deal.contacts.iter().filter(|c| is_decision_maker(c)).count(),
                }),
                lang.missing_economic_buyer(),
                lang,
            ));
        }
    }

    // Stuck deal: too long in the current stage.
    let days_in_stage = days_between(facts.stage_entered, now);
    if days_in_stage >= config.stuck_deal_days {
        spots.push(spot(
            "stuck_deal",
            if days_in_stage >= 2 * config.stuck_deal_days { Severity::High } else { Severity::Medium },
            serde_json::json!({ "stage": opportunity.stage, "since": facts.stage_entered, "daysInStage": days_in_stage }),
            lang.stuck_deal(days_in_stage, &opportunity.stage),
            lang,
        ));
    }

    // Single-threaded: one engaged contact on a deal worth protecting.
    if amount > config.single_threaded_min_amount && facts.engaged_contacts.len() == 1 {
        spots.push(spot(
            "single_threaded",
            Severity::Medium,
            serde_json::json!({ "engagedContacts": 1, "contactsOnDeal": deal.contacts.len(), "amount": amount_evidence(deal, amount) }),
            lang.single_threaded(),
            lang,
        ));
    }

    // Going dark: no two-way touch (inbound email or meeting) recently.
    let last_two_way = deal
        .emails
        .iter()
        .filter(|e| e.direction == Direction::Inbound && e.at <= now)
        .map(|e| e.at)
        .chain(
            deal.meetings
                .iter()
                .map(|m| m.start)
                .filter(|at| *at <= now),
        )
        .max();
    let quiet_days = days_between(last_two_way.unwrap_or(opportunity.created_at), now);
    if quiet_days >= config.going_dark_days {
        spots.push(spot(
            "going_dark",
            Severity::Medium,
            serde_json::json!({ "lastTwoWayAt": last_two_way, "daysQuiet": quiet_days }),
            lang.going_dark(quiet_days),
            lang,
        ));
    }

    // Close date slipping.
    let pushes = deal
        .close_date_history
        .iter()
        .filter(|c| c.to > c.from && c.at <= now && days_between(c.at, now) <= 90)
        .count();
    if pushes >= config.slipping_pushes {
        spots.push(spot(
            "close_date_slipping",
            Severity::Medium,
            serde_json::json!({ "pushesIn90Days": pushes, "closeDate": opportunity.close_date }),
            lang.close_date_pushes(pushes),
            lang,
        ));
    }

    spots.sort_by_key(|s| std::cmp::Reverse(s.severity));
    spots
}
