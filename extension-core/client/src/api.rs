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
    #[error("response larger than {MAX_RESPONSE_BYTES} bytes")]
    TooLarge,
    #[error("malformed response: {0}")]
    Malformed(String),
    #[error("response breaks the contract: {0}")]
    Invalid(&'static str),
}

/// Severity of a blind spot, or priority of a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
}

/// `GET /v1/opportunities/{id}/analysis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    pub opportunity_id: String,
    pub score: AnalysisScore,
    pub factors: Vec<Factor>,
    pub blind_spots: Vec<BlindSpot>,
    pub recommendations: Vec<Recommendation>,
    pub generated_at: DateTime<Utc>,
    pub data_as_of: DateTime<Utc>,
    /// Whether AI-written recommendations were allowed in this response.
    pub ai_included: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisScore {
    /// 0–100; `null` for closed deals.
    pub value: Option<u8>,
    pub band: Band,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// One of the seven factor codes.
    pub code: String,
    pub score: u8,
    pub weight: f64,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlindSpot {
    /// `silent_champion`, `missing_economic_buyer`, `stuck_deal`, `single_threaded`, or
    /// another kind the engine finds (clients show unknown kinds with their summary).
    pub kind: String,
    pub severity: Severity,
    pub summary: String,
    /// Dates and counts behind the finding, by kind.
    pub evidence: serde_json::Value,
    pub recommendation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecommendationSource {
    /// From the documented rules.
    Rules,
    /// Written by an AI model: the UI marks it as such.
    Ai,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub id: String,
    pub text: String,
    pub source: RecommendationSource,
    pub priority: Severity,
}

/// `GET /v1/portfolio`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Portfolio {
    pub generated_at: DateTime<Utc>,
    pub deals: Vec<PortfolioDeal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioDeal {
    pub id: String,
    pub name: String,
    pub amount: Option<Money>,
    pub stage: String,
    pub close_date: NaiveDate,
    pub score: Option<u8>,
    pub band: Band,
    pub top_blind_spot: Option<TopBlindSpot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    pub value: f64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopBlindSpot {
    pub kind: String,
    pub severity: Severity,
}

/// `GET /v1/descriptions?locale=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptions {
    pub locale: String,
    pub version: String,
    pub factors: std::collections::BTreeMap<String, Description>,
    pub blind_spots: std::collections::BTreeMap<String, Description>,
    pub reasons: std::collections::BTreeMap<String, Description>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Description {
    pub title: String,
    pub text: String,
}

/// `POST /v1/events`: an anonymous analytics batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventBatch {
    pub batch_id: String,
    pub sent_at: DateTime<Utc>,
    pub events: Vec<Event>,
}

/// One analytics event (names and properties from the allow-list in docs/api.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub name: String,
    pub at: DateTime<Utc>,
    pub properties: std::collections::BTreeMap<String, serde_json::Value>,
}

/// The answer to an events batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventAck {
    pub batch_id: String,
    pub accepted: u32,
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
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u32,
    pub token_type: String,
}

/// An error body (`application/problem+json`, RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
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
