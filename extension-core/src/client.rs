//! The worker's Tier 2 client decisions: for a record, whether to answer from the cache, fetch,
//! or revalidate; and what to do with the answer. Pure: the worker performs the request and the
//! storage writes these functions name. Only the Opportunity Id (in the path) and the org's
//! host (a header) go up.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::{decode_analysis, Analysis};
use crate::auth::Session;
use crate::cache::{key, CacheIndex, Kind, Lookup, DEFAULT_BUDGET_BYTES};
use crate::score::Band;

/// What to do for one analysis request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum AnalysisPlan {
    /// Not signed in: answer at once, no request of any kind.
    SignedOut,
    /// Fresh in the cache: answer from it, no request.
    Cached { key: String },
    /// Request it; when `serve_cached` the cached copy is shown meanwhile (and `If-None-Match`
    /// makes an unchanged analysis cost a 304).
    #[serde(rename_all = "camelCase")]
    Fetch {
        key: String,
        url: String,
        headers: Vec<(String, String)>,
        serve_cached: bool,
    },
}

/// Plans the request for `record_id` in the org at `host`.
pub fn plan_analysis(
    session: Option<&Session>,
    index: &mut CacheIndex,
    host: &str,
    record_id: &str,
    now: DateTime<Utc>,
    api_origin: &str,
    include_ai: bool,
) -> AnalysisPlan {
    let Some(session) = session else {
        return AnalysisPlan::SignedOut;
    };
    if !api_origin.starts_with("https://") || crate::page::opportunity_id(record_id).is_none() {
        return AnalysisPlan::SignedOut;
    }
    let cache_key = key(Kind::Deal, host, record_id);
    let (serve_cached, etag) = match index.lookup(&cache_key, now) {
        Lookup::Fresh => return AnalysisPlan::Cached { key: cache_key },
        Lookup::Stale { etag } => (true, etag),
        Lookup::Miss => (false, None),
    };
    let mut headers = vec![
        (
            "Authorization".to_string(),
            format!("Bearer {}", session.access_token),
        ),
        ("X-Salesforce-Host".to_string(), host.to_string()),
        ("Accept".to_string(), "application/json".to_string()),
    ];
    if let Some(etag) = etag {
        headers.push(("If-None-Match".to_string(), etag));
    }
    let url = format!(
        "{}/v1/opportunities/{}/analysis?ai={}",
        api_origin.trim_end_matches('/'),
        record_id,
        if include_ai { "include" } else { "exclude" }
    );
    AnalysisPlan::Fetch {
        key: cache_key,
        url,
        headers,
        serve_cached,
    }
}

/// What the answer means.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalysisOutcome {
    /// A new analysis to store under the key and show.
    pub analysis: Option<Analysis>,
    /// Keys to delete (evicted to stay within the budget).
    pub evicted: Vec<String>,
    /// The access token was refused: refresh, or sign out.
    pub unauthorized: bool,
    /// What went wrong, for the error state (cached data, if any, stays shown).
    pub error: Option<String>,
}

/// Interprets the response to a planned fetch and updates the index.
pub fn complete_analysis(
    status: u16,
    etag: Option<&str>,
    body: &[u8],
    index: &mut CacheIndex,
    cache_key: &str,
    now: DateTime<Utc>,
) -> AnalysisOutcome {
    let mut outcome = AnalysisOutcome {
        analysis: None,
        evicted: Vec::new(),
        unauthorized: false,
        error: None,
    };
    match status {
        200 => match decode_analysis(body) {
            Ok(analysis) => {
                outcome.evicted = index.store(
                    cache_key,
                    Kind::Deal,
                    body.len() as u64,
                    etag.map(str::to_string),
                    now,
                    DEFAULT_BUDGET_BYTES,
                );
                outcome.analysis = Some(analysis);
            }
            Err(error) => outcome.error = Some(error.to_string()),
        },
        304 => index.revalidated(cache_key, now),
        401 => {
            outcome.unauthorized = true;
            outcome.error = Some("the session expired".to_string());
        }
        404 => outcome.error = Some("no analysis is available for this opportunity".to_string()),
        other => outcome.error = Some(format!("the service answered {other}")),
    }
    outcome
}

/// The little the content script needs to upgrade its badge: score, band and the top blind
/// spots' summaries. Computed in the worker; the content script never parses server JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrichedSummary {
    pub record_id: String,
    pub value: Option<u8>,
    pub band: Band,
    pub highlights: Vec<String>,
}

/// Summarises an analysis for the badge.
pub fn summarize(analysis: &Analysis) -> EnrichedSummary {
    EnrichedSummary {
        record_id: analysis.opportunity_id.clone(),
        value: analysis.score.value,
        band: analysis.score.band,
        highlights: analysis
            .blind_spots
            .iter()
            .take(crate::badge::TOP_REASONS)
            .map(|s| s.summary.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn session() -> Session {
        Session {
            access_token: "at".into(),
            refresh_token: "rt".into(),
            access_expires_at: now() + Duration::hours(1),
        }
    }

    const API: &str = "https://api.customercity.com";
    const BODY: &str = r#"{"opportunityId":"0065g00000AbCdEAAV","score":{"value":58,"band":"at_risk"},
        "factors":[{"code":"activity_recency","score":80,"weight":0.15,"evidence":[]},{"code":"email_engagement","score":70,"weight":0.15,"evidence":[]},
        {"code":"meeting_cadence","score":50,"weight":0.1,"evidence":[]},{"code":"multi_threading","score":30,"weight":0.15,"evidence":[]},
        {"code":"decision_maker_engagement","score":20,"weight":0.15,"evidence":[]},{"code":"stage_velocity","score":70,"weight":0.15,"evidence":[]},
        {"code":"close_date_integrity","score":70,"weight":0.15,"evidence":[]}],
        "blindSpots":[{"kind":"stuck_deal","severity":"medium","summary":"45 days in Value Proposition","evidence":{},"recommendation":"Plan."}],
        "recommendations":[],"generatedAt":"2026-11-23T12:00:00Z","dataAsOf":"2026-11-23T11:55:00Z","aiIncluded":false}"#;

    #[test]
    fn signed_out_never_plans_a_request() {
        let mut index = CacheIndex::default();
        assert_eq!(
            plan_analysis(
                None,
                &mut index,
                "acme.my.salesforce.com",
                "0065g00000AbCdEAAV",
                now(),
                API,
                true
            ),
            AnalysisPlan::SignedOut
        );
        assert_eq!(
            plan_analysis(
                Some(&session()),
                &mut index,
                "a",
                "0065g00000AbCdEAAV",
                now(),
                "http://plain",
                true
            ),
            AnalysisPlan::SignedOut,
            "HTTPS only"
        );
    }

    #[test]
    fn fetch_then_cache_then_revalidate() {
        let mut index = CacheIndex::default();
        let plan = plan_analysis(
            Some(&session()),
            &mut index,
            "acme.my.salesforce.com",
            "0065g00000AbCdEAAV",
            now(),
            API,
            false,
        );
        let AnalysisPlan::Fetch {
            key,
            url,
            headers,
            serve_cached,
        } = plan
        else {
            panic!("{plan:?}")
        };
        assert_eq!(
            url,
            "https://api.customercity.com/v1/opportunities/0065g00000AbCdEAAV/analysis?ai=exclude"
        );
        assert!(!serve_cached);
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["Authorization", "X-Salesforce-Host", "Accept"],
            "the Id goes in the path; nothing else from the page"
        );
        let outcome = complete_analysis(
            200,
            Some("\"e1\""),
            BODY.as_bytes(),
            &mut index,
            &key,
            now(),
        );
        assert_eq!(
            outcome.analysis.as_ref().map(|a| a.score.value),
            Some(Some(58))
        );
        assert_eq!(
            summarize(outcome.analysis.as_ref().unwrap()).highlights,
            ["45 days in Value Proposition"]
        );
        // A second view: from the cache, no request.
        let again = plan_analysis(
            Some(&session()),
            &mut index,
            "acme.my.salesforce.com",
            "0065g00000AbCdE",
            now() + Duration::minutes(5),
            API,
            false,
        );
        assert_eq!(again, AnalysisPlan::Cached { key: key.clone() });
        // Hours later: shown from the cache and revalidated with the ETag.
        let later = plan_analysis(
            Some(&session()),
            &mut index,
            "acme.my.salesforce.com",
            "0065g00000AbCdEAAV",
            now() + Duration::hours(5),
            API,
            false,
        );
        let AnalysisPlan::Fetch {
            headers,
            serve_cached,
            ..
        } = later
        else {
            panic!()
        };
        assert!(serve_cached);
        assert!(headers.contains(&("If-None-Match".to_string(), "\"e1\"".to_string())));
        let not_modified =
            complete_analysis(304, None, b"", &mut index, &key, now() + Duration::hours(5));
        assert_eq!((not_modified.analysis, not_modified.error), (None, None));
    }

    #[test]
    fn failures_are_reported_not_stored() {
        let mut index = CacheIndex::default();
        let bad = complete_analysis(200, None, b"{\"opportunityId\":", &mut index, "k", now());
        assert!(bad.analysis.is_none() && bad.error.is_some());
        assert!(index.entries.is_empty());
        assert!(complete_analysis(401, None, b"", &mut index, "k", now()).unauthorized);
        assert!(complete_analysis(503, None, b"", &mut index, "k", now())
            .error
            .is_some());
    }
}
