#![deny(missing_docs)]
//! # deal-health-engine
//!
//! The enriched (Tier 2) analysis engine: seven factors, blind spots and recommendations from
//! the Salesforce data the server reads for one opportunity.
//!
//! Pure and deterministic for a given `now`: no clock, no I/O. It runs on the server (and in
//! the reference server under `tests/`), never in the extension: neither wasm crate depends on
//! it (`extension-core/checks/tests/architecture.rs` proves it with `cargo tree`). The numbers are
//! specified in `docs/scoring.md`, "The enriched score".

mod data;
mod factors;
mod spots;
mod texts;

pub use data::*;
pub use factors::{compute_factors, FactorScore};
pub use spots::{find_blind_spots, BlindSpotConfig};
pub use texts::Lang;

use chrono::{DateTime, Utc};

use deal_health::score::{Band, AT_RISK_FROM, HEALTHY_FROM};
use deal_health_client::api::{Analysis, AnalysisScore, Recommendation, RecommendationSource};

/// Analyses one opportunity as of `now`, in English. Recommendations come from the rules only; a
/// server that adds AI-written ones marks them `source: ai`.
pub fn analyze(deal: &DealData, now: DateTime<Utc>, config: &BlindSpotConfig) -> Analysis {
    analyze_in(deal, now, config, Lang::En)
}

/// [`analyze`], with the text (factor evidence, summaries, recommendations) in `lang`: the
/// numbers are the same in every language.
pub fn analyze_in(
    deal: &DealData,
    now: DateTime<Utc>,
    config: &BlindSpotConfig,
    lang: Lang,
) -> Analysis {
    let facts = Facts::gather(deal, now);
    let factors = compute_factors(deal, &facts, now, lang);
    let weighted: f64 = factors.iter().map(|f| f.weight * f64::from(f.score)).sum();
    let value = weighted.round().clamp(0.0, 100.0) as u8;
    let band = if deal.opportunity.is_closed {
        if deal.opportunity.is_won {
            Band::Won
        } else {
            Band::Lost
        }
    } else if value >= HEALTHY_FROM {
        Band::Healthy
    } else if value >= AT_RISK_FROM {
        Band::AtRisk
    } else {
        Band::Critical
    };
    let blind_spots = if deal.opportunity.is_closed {
        Vec::new()
    } else {
        find_blind_spots(deal, &facts, now, config, lang)
    };
    let recommendations = blind_spots
        .iter()
        .enumerate()
        .map(|(index, spot)| Recommendation {
            id: format!("rule-{}-{}", spot.kind, index + 1),
            text: spot.recommendation.clone(),
            source: RecommendationSource::Rules,
            priority: spot.severity,
        })
        .collect();
    Analysis {
        opportunity_id: deal.opportunity.id.clone(),
        score: AnalysisScore {
            value: (!deal.opportunity.is_closed).then_some(value),
            band,
        },
        factors: factors.into_iter().map(FactorScore::into_api).collect(),
        blind_spots,
        recommendations,
        generated_at: now,
        data_as_of: deal.data_as_of,
        ai_included: false,
    }
}
