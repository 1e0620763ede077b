//! The Customer City API's types (docs/api.md, docs/openapi.json) and validated decoding.
//!
//! The worker decodes every response through these functions: a response that is too large,
//! malformed, or breaks the contract's invariants is an [`ApiError`], never a panic and never a
//! half-trusted value.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use deal_health::score::Band;

/// Responses larger than this are refused unread.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Why a response was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// Over [`MAX_RESPONSE_BYTES`].
    #[error("response larger than {MAX_RESPONSE_BYTES} bytes")]
    TooLarge,
    /// Not JSON of the expected shape.
    #[error("malformed response: {0}")]
    Malformed(String),
    /// JSON of the right shape that breaks a rule of the contract.
    #[error("response breaks the contract: {0}")]
    Invalid(&'static str),
}

/// Severity of a blind spot, or priority of a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// `GET /v1/opportunities/{id}/analysis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// The Opportunity Id.
    pub opportunity_id: String,
    /// The score and its band.
    pub score: AnalysisScore,
    /// The seven factors.
    pub factors: Vec<Factor>,
    /// The risks the rep may not see.
    pub blind_spots: Vec<BlindSpot>,
    /// What to do next.
    pub recommendations: Vec<Recommendation>,
    /// When the server computed it.
    pub generated_at: DateTime<Utc>,
    /// When the Salesforce data it was computed from was read.
    pub data_as_of: DateTime<Utc>,
    /// Whether AI-written recommendations were allowed in this response.
    pub ai_included: bool,
}

/// The enriched score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisScore {
    /// 0–100; `null` for closed deals.
    pub value: Option<u8>,
    /// Its band (or the deal's closed state).
    pub band: Band,
}

/// One of the seven factors of the enriched score (docs/scoring.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// One of the seven factor codes.
    pub code: String,
    /// Its score, 0–100.
    pub score: u8,
    /// Its weight (the seven sum to 1).
    pub weight: f64,
    /// What it was computed from, one line each.
    pub evidence: Vec<String>,
}

/// A risk the rep may not see (docs/scoring.md, "Blind spots").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlindSpot {
    /// `silent_champion`, `missing_economic_buyer`, `stuck_deal`, `single_threaded`, or
    /// another kind the engine finds (clients show unknown kinds with their summary).
    pub kind: String,
    /// How much it matters.
    pub severity: Severity,
    /// One line for the rep.
    pub summary: String,
    /// Dates and counts behind the finding, by kind.
    pub evidence: serde_json::Value,
    /// What to do about it.
    pub recommendation: String,
}

/// Who wrote a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecommendationSource {
    /// From the documented rules.
    Rules,
    /// Written by an AI model: the UI marks it as such.
    Ai,
}

/// One recommended next step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Its stable Id.
    pub id: String,
    /// The text, in the analysis's language.
    pub text: String,
    /// Rules or AI.
    pub source: RecommendationSource,
    /// How urgent.
    pub priority: Severity,
}

/// `GET /v1/portfolio`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Portfolio {
    /// When the server computed it.
    pub generated_at: DateTime<Utc>,
    /// The rep's open deals.
    pub deals: Vec<PortfolioDeal>,
}

/// One open deal of the rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioDeal {
    /// The Opportunity Id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its amount, if any.
    pub amount: Option<Money>,
    /// Its stage.
    pub stage: String,
    /// Its close date.
    pub close_date: NaiveDate,
    /// Its enriched score, 0–100.
    pub score: Option<u8>,
    /// The score's band.
    pub band: Band,
    /// Its most severe blind spot, if any.
    pub top_blind_spot: Option<TopBlindSpot>,
}

/// An amount in a currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    /// The amount, in units of the currency.
    pub value: f64,
    /// ISO 4217 code.
    pub currency: String,
}

/// A portfolio deal's most severe blind spot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopBlindSpot {
    /// Its kind.
    pub kind: String,
    /// Its severity.
    pub severity: Severity,
}

/// `GET /v1/descriptions?locale=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptions {
    /// The language of the texts.
    pub locale: String,
    /// Their version (a changed version replaces the cached copy).
    pub version: String,
    /// Per factor code.
    pub factors: std::collections::BTreeMap<String, Description>,
    /// Per blind spot kind.
    pub blind_spots: std::collections::BTreeMap<String, Description>,
    /// Per Tier 1 reason code.
    pub reasons: std::collections::BTreeMap<String, Description>,
}

/// One explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Description {
    /// Its title.
    pub title: String,
    /// Its text.
    pub text: String,
}

/// `POST /v1/events`: an anonymous analytics batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventBatch {
    /// The batch's Id (a resend keeps it: the server drops duplicates).
    pub batch_id: String,
    /// When it was sent (whole UTC hour).
    pub sent_at: DateTime<Utc>,
    /// The events.
    pub events: Vec<Event>,
}

/// One analytics event (names and properties from the allow-list in docs/api.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The event's name.
    pub name: String,
    /// When (whole UTC hour).
    pub at: DateTime<Utc>,
    /// Its properties, from the allow-list.
    pub properties: std::collections::BTreeMap<String, serde_json::Value>,
}

/// The answer to an events batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventAck {
    /// The batch acknowledged.
    pub batch_id: String,
    /// How many events were accepted.
    pub accepted: u32,
    /// The server had this batch already.
    pub duplicate: bool,
}

/// Decodes the answer to an events batch.
pub fn decode_event_ack(body: &[u8]) -> Result<EventAck, ApiError> {
    decode(body)
}

/// `POST /v1/auth/token` and `POST /v1/auth/refresh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    /// The bearer token.
    pub access_token: String,
    /// The token that renews it (rotated at every use).
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u32,
    /// The token type (`Bearer`).
    pub token_type: String,
}

/// An error body (`application/problem+json`, RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The problem type (a URI).
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short title.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

fn decode<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ApiError> {
    if body.len() > MAX_RESPONSE_BYTES {
        return Err(ApiError::TooLarge);
    }
    serde_json::from_slice(body).map_err(|error| ApiError::Malformed(error.to_string()))
}

/// The languages the API writes its text in (factor evidence, blind-spot summaries,
/// recommendations, descriptions): the extension's own catalogs. The extension asks for its
/// catalog language with `Accept-Language` (and `?locale=` for the descriptions); a server
/// answers another language in English.
pub const LANGUAGES: [&str; 4] = ["en", "de", "fr", "ja"];

/// The seven factor codes, in the contract's order.
pub const FACTOR_CODES: [&str; 7] = [
    "activity_recency",
    "email_engagement",
    "meeting_cadence",
    "multi_threading",
    "decision_maker_engagement",
    "stage_velocity",
    "close_date_integrity",
];

/// The blind-spot kinds the contract names (docs/api.md); a server may send others, which
/// clients show by their summary.
pub const BLIND_SPOT_KINDS: [&str; 6] = [
    "silent_champion",
    "missing_economic_buyer",
    "stuck_deal",
    "single_threaded",
    "going_dark",
    "close_date_slipping",
];

/// Decodes and validates an analysis.
pub fn decode_analysis(body: &[u8]) -> Result<Analysis, ApiError> {
    let analysis: Analysis = decode(body)?;
    if deal_health::page::opportunity_id(&analysis.opportunity_id).is_none() {
        return Err(ApiError::Invalid("opportunityId is not an Opportunity Id"));
    }
    if analysis.score.value.is_some_and(|v| v > 100) {
        return Err(ApiError::Invalid("score above 100"));
    }
    let codes: Vec<&str> = analysis.factors.iter().map(|f| f.code.as_str()).collect();
    if codes != FACTOR_CODES {
        return Err(ApiError::Invalid(
            "factors are not the seven factors in order",
        ));
    }
    if analysis
        .factors
        .iter()
        .any(|f| f.score > 100 || !(0.0..=1.0).contains(&f.weight))
    {
        return Err(ApiError::Invalid("factor score or weight out of range"));
    }
    let weights: f64 = analysis.factors.iter().map(|f| f.weight).sum();
    if (weights - 1.0).abs() > 0.001 {
        return Err(ApiError::Invalid("factor weights do not sum to 1"));
    }
    if !analysis.ai_included
        && analysis
            .recommendations
            .iter()
            .any(|r| r.source == RecommendationSource::Ai)
    {
        return Err(ApiError::Invalid(
            "AI recommendations in a response that excluded them",
        ));
    }
    Ok(analysis)
}

/// Decodes and validates a portfolio.
pub fn decode_portfolio(body: &[u8]) -> Result<Portfolio, ApiError> {
    let portfolio: Portfolio = decode(body)?;
    if portfolio.deals.iter().any(|d| {
        deal_health::page::opportunity_id(&d.id).is_none() || d.score.is_some_and(|s| s > 100)
    }) {
        return Err(ApiError::Invalid("a portfolio deal has a bad Id or score"));
    }
    Ok(portfolio)
}

/// Decodes descriptions.
pub fn decode_descriptions(body: &[u8]) -> Result<Descriptions, ApiError> {
    decode(body)
}

/// Decodes a token response.
pub fn decode_tokens(body: &[u8]) -> Result<TokenResponse, ApiError> {
    let tokens: TokenResponse = decode(body)?;
    if tokens.access_token.is_empty()
        || tokens.refresh_token.is_empty()
        || !tokens.token_type.eq_ignore_ascii_case("bearer")
    {
        return Err(ApiError::Invalid("token response without bearer tokens"));
    }
    Ok(tokens)
}

/// Decodes a problem body.
pub fn decode_problem(body: &[u8]) -> Result<Problem, ApiError> {
    decode(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_and_malformed_bodies_are_refused() {
        assert_eq!(
            decode_analysis(&vec![b' '; MAX_RESPONSE_BYTES + 1]),
            Err(ApiError::TooLarge)
        );
        assert!(matches!(decode_analysis(b"{"), Err(ApiError::Malformed(_))));
        assert!(matches!(
            decode_analysis(b"[]"),
            Err(ApiError::Malformed(_))
        ));
        assert!(matches!(
            decode_tokens(
                br#"{"accessToken":"","refreshToken":"r","expiresIn":1,"tokenType":"Bearer"}"#
            ),
            Err(ApiError::Invalid(_))
        ));
    }
}
