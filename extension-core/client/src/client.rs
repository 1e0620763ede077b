//! The worker's Tier 2 client decisions: for a record, whether to answer from the cache, fetch,
//! or revalidate; and what to do with the answer. Pure: the worker performs the request and the
//! storage writes these functions name. Only the Opportunity Id (in the path) and the org's
//! host (a header) go up.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::{decode_analysis, decode_descriptions, decode_portfolio, Analysis};
use crate::auth::Session;
use crate::cache::{key, CacheIndex, Kind, Lookup, DEFAULT_BUDGET_BYTES};
use crate::retry::ErrorKind;
use crate::settings::Settings;
use deal_health::badge::EnrichedSummary;
use deal_health::list::summary::ListSummary;
use deal_health::list::view::RowScore;

/// What the worker may fetch and cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Resource {
    /// The analysis of one opportunity.
    #[serde(rename_all = "camelCase")]
    Deal {
        /// The Opportunity Id.
        record_id: String,
    },
    /// The signed-in rep's open deals.
    Portfolio,
    /// The texts that explain factors, blind spots and reasons, in one locale.
    Descriptions {
        /// The language (`en`, `de`, `pt-BR`).
        locale: String,
    },
}

impl Resource {
    /// The cache kind (and so the TTL) of the resource.
    pub fn kind(&self) -> Kind {
        match self {
            Resource::Deal { .. } => Kind::Deal,
            Resource::Portfolio => Kind::Portfolio,
            Resource::Descriptions { .. } => Kind::Descriptions,
        }
    }

    /// The request path and query, or `None` for an invalid Id or locale (never sent).
    fn path(&self, include_ai: bool) -> Option<String> {
        match self {
            Resource::Deal { record_id } => {
                deal_health::page::opportunity_id(record_id)?;
                Some(format!(
                    "/v1/opportunities/{record_id}/analysis?ai={}",
                    if include_ai { "include" } else { "exclude" }
                ))
            }
            Resource::Portfolio => Some("/v1/portfolio".to_string()),
            Resource::Descriptions { locale } => {
                valid_locale(locale).then(|| format!("/v1/descriptions?locale={locale}"))
            }
        }
    }

    fn cache_key(&self, host: &str, include_ai: bool, language: &str) -> String {
        // Analyses and the portfolio hold text in the user's language: another language is
        // another entry (English keeps the plain key).
        let in_language = |key: String| match language {
            "en" => key,
            other => format!("{key}:{other}"),
        };
        match self {
            // An analysis without AI content is another entry than one with it, so that
            // declining AI never shows AI text cached before.
            Resource::Deal { record_id } if include_ai => {
                in_language(key(Kind::Deal, host, record_id))
            }
            Resource::Deal { record_id } => {
                in_language(format!("{}:noai", key(Kind::Deal, host, record_id)))
            }
            Resource::Portfolio => in_language(key(Kind::Portfolio, host, "me")),
            Resource::Descriptions { locale } => key(Kind::Descriptions, "all", locale),
        }
    }
}

/// The language the API answers in: the extension's own catalog language (`locale_tag` in
/// `_locales`), when it is one the contract names, else English. Sent as `Accept-Language` on
/// every request, and as `?locale=` for the descriptions.
pub fn api_language(catalog_language: &str) -> &'static str {
    let primary = catalog_language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    crate::api::LANGUAGES
        .iter()
        .find(|language| **language == primary)
        .copied()
        .unwrap_or("en")
}

/// `en`, `de`, `pt-BR`: a language and an optional region, nothing else.
fn valid_locale(locale: &str) -> bool {
    let mut parts = locale.split(['-', '_']);
    let language = parts.next().unwrap_or("");
    let region = parts.next();
    (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_lowercase())
        && region.is_none_or(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()))
        && parts.next().is_none()
}

/// What to do for one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum FetchPlan {
    /// Not signed in: answer at once, no request of any kind.
    SignedOut,
    /// The Id or locale is not valid: no request.
    Invalid,
    /// Fresh in the cache: answer from it, no request.
    Cached {
        /// The cache key.
        key: String,
    },
    /// Request it; when `serve_cached` the cached copy is shown meanwhile (and `If-None-Match`
    /// makes an unchanged answer cost a 304).
    #[serde(rename_all = "camelCase")]
    Fetch {
        /// The cache key the answer goes under.
        key: String,
        /// The API URL.
        url: String,
        /// The request's headers (the bearer token, the org, the language, `If-None-Match`).
        headers: Vec<(String, String)>,
        /// Show the cached copy while the request is out.
        serve_cached: bool,
        /// Asked for a tab, it counts against the tab's pace (`retry::TabPace`): a deal's
        /// analysis, which a page could otherwise ask for Id after Id.
        paced: bool,
    },
}

/// Plans the request for `resource` in the org at `host`. `refresh` (the side panel's button)
/// revalidates even a fresh entry. `language` is the extension's catalog language
/// ([`api_language`] makes it one the API speaks).
#[allow(clippy::too_many_arguments)]
pub fn plan_fetch(
    session: Option<&Session>,
    index: &mut CacheIndex,
    host: &str,
    resource: &Resource,
    now: DateTime<Utc>,
    settings: &Settings,
    refresh: bool,
    language: &str,
) -> FetchPlan {
    let language = api_language(language);
    let Some(session) = session else {
        return FetchPlan::SignedOut;
    };
    if !settings.api_origin.starts_with("https://") {
        return FetchPlan::SignedOut;
    }
    let Some(path) = resource.path(settings.include_ai) else {
        return FetchPlan::Invalid;
    };
    if !org_host_ok(host) && !matches!(resource, Resource::Descriptions { .. }) {
        return FetchPlan::Invalid;
    }
    let cache_key = resource.cache_key(host, settings.include_ai, language);
    let (serve_cached, etag) = match index.lookup(&cache_key, now) {
        Lookup::Fresh if !refresh => return FetchPlan::Cached { key: cache_key },
        Lookup::Fresh => (
            true,
            index.entries.get(&cache_key).and_then(|m| m.etag.clone()),
        ),
        Lookup::Stale { etag } => (true, etag),
        Lookup::Miss => (false, None),
    };
    let mut headers = vec![(
        "Authorization".to_string(),
        format!("Bearer {}", session.access_token),
    )];
    if !matches!(resource, Resource::Descriptions { .. }) {
        headers.push(("X-Salesforce-Host".to_string(), host.to_string()));
    }
    headers.push(("Accept".to_string(), "application/json".to_string()));
    headers.push(("Accept-Language".to_string(), language.to_string()));
    if let Some(etag) = etag {
        headers.push(("If-None-Match".to_string(), etag));
    }
    FetchPlan::Fetch {
        key: cache_key,
        url: format!("{}{path}", settings.api_origin.trim_end_matches('/')),
        headers,
        serve_cached,
        paced: matches!(resource, Resource::Deal { .. }),
    }
}

/// A Salesforce org's host, as a header value may carry it.
fn org_host_ok(host: &str) -> bool {
    deal_health::page::is_salesforce_host(host)
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// Where the portfolio of the org at `host` is cached, for the list badges
/// ([`list_scores`]): the key [`plan_fetch`] stores it under. `None` signed out, or when no
/// request for it could be planned (an API origin that is not HTTPS, a host that is not an
/// org's): then the rows show the estimate. Planning nothing, this never causes a request.
pub fn cached_portfolio_key(
    session: Option<&Session>,
    host: &str,
    settings: &Settings,
    language: &str,
) -> Option<String> {
    session?;
    if !settings.api_origin.starts_with("https://") || !org_host_ok(host) {
        return None;
    }
    Some(Resource::Portfolio.cache_key(host, settings.include_ai, api_language(language)))
}

/// The Customer City scores of a list report's rows, from the portfolio cached under `key`
/// ([`cached_portfolio_key`]; `body` is what storage holds there): one per reported row (those
/// listed and those named by Id alone, `ListSummary::others`) whose deal the portfolio holds
/// (matched on the Id's first 15 characters, named as the report names it), with its score and
/// band and nothing else. None when the entry is not within its
/// time to live, or its body is missing or damaged: the worker never fetches for a list.
pub fn list_scores(
    body: Option<&[u8]>,
    index: &CacheIndex,
    key: &str,
    now: DateTime<Utc>,
    summary: &ListSummary,
) -> Vec<RowScore> {
    let within_ttl = index.entries.get(key).is_some_and(|meta| {
        let age = now - meta.stored_at;
        meta.kind == Kind::Portfolio && age >= chrono::Duration::zero() && age < meta.kind.ttl()
    });
    if !within_ttl {
        return Vec::new();
    }
    let Recall::Found { read, .. } = recall(&Resource::Portfolio, body, index, key, now, false)
    else {
        return Vec::new();
    };
    let StoredRead::Portfolio { portfolio } = *read else {
        return Vec::new();
    };
    let deals: std::collections::BTreeMap<&str, &crate::api::PortfolioDeal> = portfolio
        .deals
        .iter()
        .filter_map(|deal| Some((deal.id.get(..15)?, deal)))
        .collect();
    let listed = summary
        .rows
        .iter()
        .take(deal_health::list::summary::MAX_SUMMARY_ROWS)
        .map(|row| &row.record_id);
    let others = summary
        .others
        .iter()
        .take(deal_health::list::summary::MAX_OTHER_IDS);
    listed
        .chain(others)
        .filter_map(|record_id| {
            let deal = deals.get(record_id.get(..15)?)?;
            Some(RowScore {
                record_id: record_id.clone(),
                value: deal.score,
                band: deal.band,
            })
        })
        .collect()
}

/// What the answer means.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchOutcome {
    /// The body was valid: store it under the key.
    pub store: bool,
    /// Keys to delete (evicted to stay within the budget).
    pub evicted: Vec<String>,
    /// The access token was refused: refresh, or sign out.
    pub unauthorized: bool,
    /// What went wrong, for the error state (cached data, if any, stays shown).
    pub error: Option<ErrorKind>,
}

/// A response whose body the worker stopped reading at [`crate::api::MAX_RESPONSE_BYTES`] (or
/// did not read: its `Content-Length` said more): refused like any invalid answer, nothing
/// stored, cached data stays shown.
pub fn oversized_response() -> FetchOutcome {
    FetchOutcome {
        store: false,
        evicted: Vec::new(),
        unauthorized: false,
        error: Some(ErrorKind::Server),
    }
}

/// Interprets the response to a planned fetch of `resource` and updates the index.
pub fn complete_fetch(
    resource: &Resource,
    status: u16,
    etag: Option<&str>,
    body: &[u8],
    index: &mut CacheIndex,
    cache_key: &str,
    now: DateTime<Utc>,
) -> FetchOutcome {
    let mut outcome = FetchOutcome {
        store: false,
        evicted: Vec::new(),
        unauthorized: false,
        error: None,
    };
    match status {
        200 if valid(resource, body) => {
            outcome.evicted = index.store(
                cache_key,
                resource.kind(),
                body.len() as u64,
                etag.map(str::to_string),
                now,
                DEFAULT_BUDGET_BYTES,
            );
            outcome.store = !outcome.evicted.iter().any(|k| k == cache_key);
        }
        // An answer that breaks the contract (docs/openapi.json) or names another deal.
        200 => outcome.error = Some(ErrorKind::Server),
        304 if index.entries.contains_key(cache_key) => index.revalidated(cache_key, now),
        304 => outcome.error = Some(ErrorKind::Server), // "not modified" for nothing cached
        401 => {
            outcome.unauthorized = true;
            outcome.error = Some(ErrorKind::SessionExpired);
        }
        404 => {
            // Remembered like an answer (an empty entry), so that a deal the server cannot
            // analyse costs one request a day, not one per view; any older body goes.
            outcome.evicted = index.store(
                cache_key,
                resource.kind(),
                0,
                None,
                now,
                DEFAULT_BUDGET_BYTES,
            );
            outcome.evicted.push(cache_key.to_string());
            outcome.error = Some(ErrorKind::NoAnalysis);
        }
        _ => outcome.error = Some(ErrorKind::Server),
    }
    outcome
}

/// Whether a body is a valid answer for the resource: for a deal, an analysis of that very
/// record (a server answering for another deal is refused, never shown).
fn valid(resource: &Resource, body: &[u8]) -> bool {
    match resource {
        Resource::Deal { record_id } => decode_analysis(body)
            .is_ok_and(|analysis| analysis.opportunity_id.get(..15) == record_id.get(..15)),
        Resource::Portfolio => decode_portfolio(body).is_ok(),
        Resource::Descriptions { .. } => decode_descriptions(body).is_ok(),
    }
}

/// Summarises an analysis for the badge, at `now`; `confirmed_at` is when the server last
/// confirmed it (the cache entry's time), else the analysis's own `dataAsOf` counts.
pub fn summarize(
    analysis: &Analysis,
    confirmed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    stale: bool,
) -> EnrichedSummary {
    EnrichedSummary {
        record_id: analysis.opportunity_id.clone(),
        value: analysis.score.value,
        band: analysis.score.band,
        highlights: analysis
            .blind_spots
            .iter()
            .take(deal_health::badge::TOP_REASONS)
            .map(|s| s.summary.clone())
            .collect(),
        age_minutes: (now - confirmed_at.unwrap_or(analysis.data_as_of))
            .num_minutes()
            .max(0),
        stale,
    }
}

/// A stored entry, read back for use.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StoredRead {
    /// A deal: the summary the badge needs, and the whole analysis for the panel.
    Deal {
        /// What the badge shows.
        summary: EnrichedSummary,
        /// The whole analysis, for the panel.
        analysis: Analysis,
    },
    /// The rep's open deals.
    Portfolio {
        /// As the API sent it.
        portfolio: crate::api::Portfolio,
    },
    /// The explanations of factors, blind spots and reasons.
    Descriptions {
        /// As the API sent them.
        descriptions: crate::api::Descriptions,
    },
}

/// What storage holds for a planned resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Recall {
    /// A valid entry, with minutes since the server last confirmed it.
    Found {
        /// What it holds.
        read: Box<StoredRead>,
        /// Minutes since the server last confirmed it, if known.
        age_minutes: Option<i64>,
    },
    /// Nothing to show: never fetched, or remembered as unavailable (a 404).
    Nothing,
    /// The index promises a body that is missing, or the body no longer decodes as this very
    /// resource (damaged storage, an older format, another deal's analysis): discard and fetch.
    Corrupt,
}

/// Reads the body stored under `cache_key` (`None` when storage has no such key) for
/// `resource`. Validated exactly like a fresh response: storage is never trusted more than the
/// network.
pub fn recall(
    resource: &Resource,
    body: Option<&[u8]>,
    index: &CacheIndex,
    cache_key: &str,
    now: DateTime<Utc>,
    stale: bool,
) -> Recall {
    let meta = index.entries.get(cache_key);
    let Some(body) = body else {
        return match meta {
            Some(meta) if meta.bytes > 0 => Recall::Corrupt,
            _ => Recall::Nothing,
        };
    };
    if !valid(resource, body) {
        return Recall::Corrupt;
    }
    let confirmed_at = meta.map(|meta| meta.stored_at);
    let read = match resource {
        Resource::Deal { .. } => decode_analysis(body).ok().map(|analysis| StoredRead::Deal {
            summary: summarize(&analysis, confirmed_at, now, stale),
            analysis,
        }),
        Resource::Portfolio => decode_portfolio(body)
            .ok()
            .map(|portfolio| StoredRead::Portfolio { portfolio }),
        Resource::Descriptions { .. } => decode_descriptions(body)
            .ok()
            .map(|descriptions| StoredRead::Descriptions { descriptions }),
    };
    match read {
        Some(read) => Recall::Found {
            read: Box::new(read),
            age_minutes: confirmed_at.map(|at| (now - at).num_minutes().max(0)),
        },
        None => Recall::Corrupt,
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

    fn settings(include_ai: bool) -> Settings {
        let local = if include_ai {
            serde_json::json!({})
        } else {
            serde_json::json!({"cc.declineAi": true})
        };
        crate::settings::effective(None, &local, API)
    }

    fn deal(id: &str) -> Resource {
        Resource::Deal {
            record_id: id.to_string(),
        }
    }

    const HOST: &str = "acme.my.salesforce.com";

    #[test]
    fn signed_out_or_invalid_never_plans_a_request() {
        let mut index = CacheIndex::default();
        let id = deal("0065g00000AbCdEAAV");
        assert_eq!(
            plan_fetch(
                None,
                &mut index,
                HOST,
                &id,
                now(),
                &settings(true),
                false,
                "en"
            ),
            FetchPlan::SignedOut
        );
        let mut plain = settings(true);
        plain.api_origin = "http://plain".into();
        assert_eq!(
            plan_fetch(
                Some(&session()),
                &mut index,
                HOST,
                &id,
                now(),
                &plain,
                false,
                "en"
            ),
            FetchPlan::SignedOut,
            "HTTPS only"
        );
        for (host, resource) in [
            (HOST, deal("0015g00000AbCdEAAV")),
            (HOST, deal("006/../../v1/events")),
            ("evil.example.com", deal("0065g00000AbCdEAAV")),
            ("acme.my.salesforce.com\r\nX: y", Resource::Portfolio),
            (
                HOST,
                Resource::Descriptions {
                    locale: "en&x=1".into(),
                },
            ),
        ] {
            assert_eq!(
                plan_fetch(
                    Some(&session()),
                    &mut index,
                    host,
                    &resource,
                    now(),
                    &settings(true),
                    false,
                    "en"
                ),
                FetchPlan::Invalid,
                "{host} {resource:?}"
            );
        }
    }

    #[test]
    fn fetch_then_cache_then_revalidate() {
        let mut index = CacheIndex::default();
        let id = deal("0065g00000AbCdEAAV");
        let plan = plan_fetch(
            Some(&session()),
            &mut index,
            HOST,
            &id,
            now(),
            &settings(false),
            false,
            "en",
        );
        let FetchPlan::Fetch {
            key,
            url,
            headers,
            serve_cached,
            paced,
        } = plan
        else {
            panic!("{plan:?}")
        };
        assert_eq!(
            url,
            "https://api.customercity.com/v1/opportunities/0065g00000AbCdEAAV/analysis?ai=exclude"
        );
        assert!(!serve_cached);
        assert!(
            paced,
            "a deal's analysis counts against the asking tab's pace"
        );
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Authorization",
                "X-Salesforce-Host",
                "Accept",
                "Accept-Language"
            ],
            "the Id goes in the path; nothing else from the page"
        );
        let outcome = complete_fetch(
            &id,
            200,
            Some("\"e1\""),
            BODY.as_bytes(),
            &mut index,
            &key,
            now(),
        );
        assert!(outcome.store && outcome.error.is_none());
        let analysis = decode_analysis(BODY.as_bytes()).unwrap();
        let summary = summarize(&analysis, None, now(), false);
        assert_eq!(summary.highlights, ["45 days in Value Proposition"]);
        assert_eq!(summary.age_minutes, 5, "the data's own time");
        let confirmed = summarize(&analysis, Some(now() - Duration::hours(3)), now(), false);
        assert_eq!(confirmed.age_minutes, 180, "the cache entry's time");
        // A second view, by the other Id form: from the cache, no request.
        let again = plan_fetch(
            Some(&session()),
            &mut index,
            HOST,
            &deal("0065g00000AbCdE"),
            now() + Duration::minutes(5),
            &settings(false),
            false,
            "en",
        );
        assert_eq!(again, FetchPlan::Cached { key: key.clone() });
        // The refresh button revalidates even a fresh entry, with its ETag.
        let refresh = plan_fetch(
            Some(&session()),
            &mut index,
            HOST,
            &id,
            now() + Duration::minutes(6),
            &settings(false),
            true,
            "en",
        );
        assert!(
            matches!(&refresh, FetchPlan::Fetch { serve_cached: true, headers, .. }
            if headers.contains(&("If-None-Match".to_string(), "\"e1\"".to_string())))
        );
        // The next day: shown from the cache and revalidated with the ETag.
        let later = plan_fetch(
            Some(&session()),
            &mut index,
            HOST,
            &id,
            now() + Duration::hours(13),
            &settings(false),
            false,
            "en",
        );
        let FetchPlan::Fetch {
            headers,
            serve_cached,
            ..
        } = later
        else {
            panic!()
        };
        assert!(serve_cached);
        assert!(headers.contains(&("If-None-Match".to_string(), "\"e1\"".to_string())));
        let not_modified = complete_fetch(
            &id,
            304,
            None,
            b"",
            &mut index,
            &key,
            now() + Duration::hours(13),
        );
        assert_eq!((not_modified.store, not_modified.error), (false, None));
        // Declining AI is another entry: AI text cached before is never shown.
        let with_ai = plan_fetch(
            Some(&session()),
            &mut index,
            HOST,
            &id,
            now(),
            &settings(true),
            false,
            "en",
        );
        assert!(matches!(
            with_ai,
            FetchPlan::Fetch {
                serve_cached: false,
                paced: true,
                ..
            }
        ));
    }

    #[test]
    fn portfolio_and_descriptions_have_their_own_entries_and_ttls() {
        let mut index = CacheIndex::default();
        let plan = plan_fetch(
            Some(&session()),
            &mut index,
            HOST,
            &Resource::Portfolio,
            now(),
            &settings(true),
            false,
            "en",
        );
        let FetchPlan::Fetch {
            key, url, paced, ..
        } = plan
        else {
            panic!()
        };
        assert_eq!(url, "https://api.customercity.com/v1/portfolio");
        assert!(
            !paced,
            "the portfolio is one request per org, not one per page"
        );
        let body = br#"{"generatedAt":"2026-11-23T12:00:00Z","deals":[]}"#;
        assert!(
            complete_fetch(
                &Resource::Portfolio,
                200,
                None,
                body,
                &mut index,
                &key,
                now()
            )
            .store
        );
        assert_eq!(index.entries[&key].kind, Kind::Portfolio);
        let descriptions = Resource::Descriptions {
            locale: "pt-BR".into(),
        };
        let plan = plan_fetch(
            Some(&session()),
            &mut index,
            "",
            &descriptions,
            now(),
            &settings(true),
            false,
            "en",
        );
        let FetchPlan::Fetch {
            url,
            headers,
            paced,
            ..
        } = plan
        else {
            panic!("{plan:?}")
        };
        assert!(!paced);
        assert_eq!(
            url,
            "https://api.customercity.com/v1/descriptions?locale=pt-BR"
        );
        assert!(headers.iter().all(|(name, _)| name != "X-Salesforce-Host"));
    }

    #[test]
    fn failures_are_reported_not_stored() {
        let mut index = CacheIndex::default();
        let id = deal("0065g00000AbCdEAAV");
        let bad = complete_fetch(
            &id,
            200,
            None,
            b"{\"opportunityId\":",
            &mut index,
            "k",
            now(),
        );
        assert!(!bad.store && bad.error.is_some());
        let other = complete_fetch(
            &deal("0065g00000ZZZZZAAV"),
            200,
            None,
            BODY.as_bytes(),
            &mut index,
            "k",
            now(),
        );
        assert_eq!(
            other.error,
            Some(ErrorKind::Server),
            "an answer for another deal"
        );
        assert!(index.entries.is_empty());
        assert!(complete_fetch(&id, 401, None, b"", &mut index, "k", now()).unauthorized);
        assert!(complete_fetch(&id, 503, None, b"", &mut index, "k", now())
            .error
            .is_some());
        assert!(
            complete_fetch(&id, 304, None, b"", &mut index, "k", now())
                .error
                .is_some(),
            "304 for nothing cached"
        );
    }

    #[test]
    fn storage_is_validated_like_the_network() {
        let mut index = CacheIndex::default();
        let id = deal("0065g00000AbCdEAAV");
        let stored = complete_fetch(&id, 200, None, BODY.as_bytes(), &mut index, "k", now());
        assert!(stored.store);
        let later = now() + Duration::minutes(30);
        match recall(&id, Some(BODY.as_bytes()), &index, "k", later, false) {
            Recall::Found { read, age_minutes } => {
                let StoredRead::Deal { summary, .. } = *read else {
                    panic!("expected the deal");
                };
                assert_eq!(summary.value, Some(58));
                assert_eq!(age_minutes, Some(30));
            }
            other => panic!("expected the deal, got {other:?}"),
        }
        assert_eq!(
            recall(&id, None, &index, "k", later, false),
            Recall::Corrupt,
            "the index promises a body that is gone"
        );
        assert_eq!(
            recall(&id, Some(b"{\"opportunityId\":"), &index, "k", later, false),
            Recall::Corrupt,
            "a damaged body"
        );
        assert_eq!(
            recall(
                &deal("0065g00000ZZZZZAAV"),
                Some(BODY.as_bytes()),
                &index,
                "k",
                later,
                false
            ),
            Recall::Corrupt,
            "another deal's analysis under this deal's key is never shown"
        );
        assert_eq!(
            recall(
                &Resource::Portfolio,
                Some(BODY.as_bytes()),
                &index,
                "k",
                later,
                false
            ),
            Recall::Corrupt
        );
        let mut gone = CacheIndex::default();
        complete_fetch(&id, 404, None, b"", &mut gone, "k", now());
        assert_eq!(
            recall(&id, None, &gone, "k", later, false),
            Recall::Nothing,
            "a remembered 404 is nothing to show, not damage"
        );
        assert_eq!(
            recall(&id, None, &CacheIndex::default(), "k", later, false),
            Recall::Nothing
        );
    }

    #[test]
    fn requests_carry_the_language_and_each_language_has_its_own_entry() {
        assert_eq!(api_language("de"), "de");
        assert_eq!(api_language("ja-JP"), "ja");
        assert_eq!(
            api_language("pt_BR"),
            "en",
            "a language the API does not speak"
        );
        assert_eq!(api_language("de\r\nX: y"), "en");
        let mut index = CacheIndex::default();
        let id = deal("0065g00000AbCdEAAV");
        let plan = |index: &mut CacheIndex, language: &str| {
            plan_fetch(
                Some(&session()),
                index,
                HOST,
                &id,
                now(),
                &settings(true),
                false,
                language,
            )
        };
        let FetchPlan::Fetch { key, headers, .. } = plan(&mut index, "de") else {
            panic!()
        };
        assert!(headers.contains(&("Accept-Language".to_string(), "de".to_string())));
        assert!(key.ends_with(":de"), "{key}");
        complete_fetch(&id, 200, None, BODY.as_bytes(), &mut index, &key, now());
        assert!(matches!(plan(&mut index, "de"), FetchPlan::Cached { .. }));
        let FetchPlan::Fetch { key: english, .. } = plan(&mut index, "en") else {
            panic!("German text is never shown to an English user")
        };
        assert_eq!(
            english,
            key.trim_end_matches(":de"),
            "English keeps the plain key"
        );
    }

    #[test]
    fn every_way_a_request_fails_is_a_kind_with_a_stable_code() {
        use crate::retry::{next_step, Next, Outcome, RetryPolicy};
        let policy = RetryPolicy::default();
        let status = |status, retry_after_ms| Outcome::Status {
            status,
            retry_after_ms,
        };
        for (outcome, expected) in [
            (Outcome::NetworkError, ErrorKind::Offline),
            (Outcome::Timeout, ErrorKind::Offline),
            (status(500, None), ErrorKind::Server),
            (status(418, None), ErrorKind::Server),
            (status(503, Some(600_000)), ErrorKind::Busy),
            (status(429, None), ErrorKind::Busy),
            (status(404, None), ErrorKind::NoAnalysis),
            (status(403, None), ErrorKind::NotEnabled),
        ] {
            assert_eq!(
                next_step(&policy, policy.max_attempts, outcome, false, 0.5),
                Next::GiveUp { reason: expected },
                "{outcome:?}"
            );
        }
        // The codes that cross to the worker and the panel, and back.
        for (kind, code) in [
            (ErrorKind::Offline, "offline"),
            (ErrorKind::Busy, "busy"),
            (ErrorKind::NotEnabled, "notEnabled"),
            (ErrorKind::NoAnalysis, "noAnalysis"),
            (ErrorKind::SessionExpired, "sessionExpired"),
            (ErrorKind::Invalid, "invalid"),
            (ErrorKind::Server, "server"),
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), code);
            assert_eq!(
                serde_json::from_value::<ErrorKind>(code.into()).unwrap(),
                kind
            );
        }
        // A code this version does not know (a newer worker's, a damaged store) is a server error.
        assert_eq!(
            serde_json::from_value::<ErrorKind>("the service is down".into()).unwrap(),
            ErrorKind::Server
        );
        assert_eq!(oversized_response().error, Some(ErrorKind::Server));
    }
    const PORTFOLIO: &[u8] = br#"{"generatedAt":"2026-11-23T12:00:00Z","deals":[
        {"id":"0065g00000AbCdEAAV","name":"Acme","amount":null,"stage":"Negotiation/Review","closeDate":"2026-12-15","score":41,"band":"at_risk","topBlindSpot":{"kind":"missing_economic_buyer","severity":"high"}},
        {"id":"0065g00000XyZwVAAV","name":"Globex","amount":null,"stage":"Prospecting","closeDate":"2027-02-01","score":77,"band":"healthy","topBlindSpot":null}]}"#;

    /// A list report of these rows (Tier 1 values that are not the portfolio's).
    fn reported(ids: &[&str]) -> ListSummary {
        ListSummary {
            rows: ids
                .iter()
                .map(|id| deal_health::list::summary::RowSummary {
                    record_id: id.to_string(),
                    name: Some("Page name".into()),
                    value: Some(90),
                    band: deal_health::score::Band::Healthy,
                    reason: None,
                })
                .collect(),
            total: ids.len(),
            partial: false,
            others: Vec::new(),
        }
    }

    /// The portfolio of `host` fetched and cached at `now()`, as the worker keeps it.
    fn cached_portfolio(host: &str) -> (CacheIndex, String) {
        let mut index = CacheIndex::default();
        let key = cached_portfolio_key(Some(&session()), host, &settings(true), "en").unwrap();
        let FetchPlan::Fetch { key: planned, .. } = plan_fetch(
            Some(&session()),
            &mut index,
            host,
            &Resource::Portfolio,
            now(),
            &settings(true),
            false,
            "en",
        ) else {
            panic!("nothing cached yet")
        };
        assert_eq!(key, planned, "the list badges read where the fetch stored");
        let outcome = complete_fetch(
            &Resource::Portfolio,
            200,
            None,
            PORTFOLIO,
            &mut index,
            &key,
            now(),
        );
        assert!(outcome.store);
        (index, key)
    }

    #[test]
    fn a_list_gets_the_cached_portfolio_scores_of_its_reported_rows_only() {
        let (index, key) = cached_portfolio(HOST);
        // The 18-character Id of the first deal, a 15-character one of the second, a row the
        // portfolio does not hold.
        let summary = reported(&[
            "0065g00000AbCdEAAV",
            "0065g00000XyZwV",
            "0065g00000QqQqQAAV",
        ]);
        let scores = list_scores(Some(PORTFOLIO), &index, &key, now(), &summary);
        assert_eq!(
            scores,
            vec![
                RowScore {
                    record_id: "0065g00000AbCdEAAV".into(),
                    value: Some(41),
                    band: deal_health::score::Band::AtRisk,
                },
                RowScore {
                    record_id: "0065g00000XyZwV".into(),
                    value: Some(77),
                    band: deal_health::score::Band::Healthy,
                },
            ]
        );
        // Nothing for a deal of the portfolio the report does not name.
        let one = list_scores(
            Some(PORTFOLIO),
            &index,
            &key,
            now(),
            &reported(&["0065g00000XyZwVAAV"]),
        );
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].record_id, "0065g00000XyZwVAAV");
        assert!(list_scores(Some(PORTFOLIO), &index, &key, now(), &reported(&[])).is_empty());
        // Only what the badge needs crosses: the Id as reported, the score and the band.
        assert_eq!(
            serde_json::to_value(&scores[0]).unwrap(),
            serde_json::json!({"recordId": "0065g00000AbCdEAAV", "value": 41, "band": "at_risk"})
        );
    }

    // Issue 19: a long list reports its riskiest hundred rows in full and the rest by Id
    // alone; every one of them gets its Customer City score, not only the riskiest.
    #[test]
    fn rows_named_by_id_alone_get_their_scores_too() {
        let (index, key) = cached_portfolio(HOST);
        let mut summary = reported(&["0065g00000QqQqQAAV"]);
        summary.others = vec!["0065g00000XyZwVAAV".into()];
        summary.total = 2;
        assert!(summary.is_well_formed());
        let scores = list_scores(Some(PORTFOLIO), &index, &key, now(), &summary);
        assert_eq!(
            scores,
            vec![RowScore {
                record_id: "0065g00000XyZwVAAV".into(),
                value: Some(77),
                band: deal_health::score::Band::Healthy,
            }]
        );
    }

    #[test]
    fn no_list_scores_signed_out_past_the_ttl_for_another_org_or_a_damaged_body() {
        let summary = reported(&["0065g00000AbCdEAAV"]);
        assert_eq!(
            cached_portfolio_key(None, HOST, &settings(true), "en"),
            None,
            "signed out: no key, no scores"
        );
        assert_eq!(
            cached_portfolio_key(Some(&session()), "example.com", &settings(true), "en"),
            None
        );
        let plain = crate::settings::effective(None, &serde_json::json!({}), "http://api.test");
        assert_eq!(
            cached_portfolio_key(Some(&session()), HOST, &plain, "en"),
            None
        );
        // Another org's portfolio is under another key: never read for this org's list.
        let (index, key) = cached_portfolio(HOST);
        let other = cached_portfolio_key(
            Some(&session()),
            "globex.my.salesforce.com",
            &settings(true),
            "en",
        )
        .unwrap();
        assert_ne!(other, key);
        assert!(list_scores(Some(PORTFOLIO), &index, &other, now(), &summary).is_empty());
        // Within its hour, stale or not; not after, nor "from the future".
        let at = |minutes| now() + Duration::minutes(minutes);
        assert_eq!(
            list_scores(Some(PORTFOLIO), &index, &key, at(59), &summary).len(),
            1
        );
        assert!(list_scores(Some(PORTFOLIO), &index, &key, at(60), &summary).is_empty());
        assert!(list_scores(Some(PORTFOLIO), &index, &key, at(-1), &summary).is_empty());
        // Nothing stored, or a body that is not a portfolio.
        assert!(list_scores(None, &index, &key, now(), &summary).is_empty());
        assert!(list_scores(Some(b"{}"), &index, &key, now(), &summary).is_empty());
        assert!(list_scores(
            Some(PORTFOLIO),
            &CacheIndex::default(),
            &key,
            now(),
            &summary
        )
        .is_empty());
    }
}
