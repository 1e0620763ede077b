//! The server's behaviour as a pure function of state and request: routes, tokens, ETags,
//! analytics recording and fault injection. `main.rs` only moves bytes.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;

use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use deal_health_client::api::{
    Analysis, Description, Descriptions, EventAck, EventBatch, Money, Portfolio, PortfolioDeal,
    Problem, Recommendation, RecommendationSource, Severity, TokenResponse, TopBlindSpot,
};
use deal_health_engine::{analyze, analyze_in, BlindSpotConfig, DealData, Lang};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::dataset::demo_dataset;

/// A request, already read.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    pub host: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A request to the API host from its path and query (tests drive `App::handle` with it).
    #[cfg(test)]
    pub fn to_api(
        method: &str,
        path_and_query: &str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Request {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        Request {
            method: method.into(),
            host: "api.customercity.com".into(),
            path: path.into(),
            query: query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (n, v) = p.split_once('=').unwrap_or((p, ""));
                    (n.to_string(), v.to_string())
                })
                .collect(),
            headers: headers
                .into_iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), v))
                .collect(),
            body,
        }
    }
}

/// A response to write.
#[derive(Debug, Clone, Default)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Injected latency before answering.
    pub delay_ms: u64,
}

impl Response {
    fn json<T: Serialize>(status: u16, value: &T) -> Response {
        Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(value).unwrap_or_default(),
            delay_ms: 0,
        }
    }
    fn problem(status: u16, kind: &str, title: &str) -> Response {
        let problem = Problem {
            problem_type: format!("https://api.customercity.com/problems/{kind}"),
            title: title.to_string(),
            status,
            detail: None,
        };
        let mut response = Response::json(status, &problem);
        response.headers = vec![("content-type".into(), "application/problem+json".into())];
        response
    }
    fn html(body: String) -> Response {
        Response {
            status: 200,
            headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
            body: body.into_bytes(),
            delay_ms: 0,
        }
    }
    fn with_header(mut self, name: &str, value: String) -> Response {
        self.headers.push((name.to_string(), value));
        self
    }
}

/// A fault to inject into the next `count` matching API requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// `500`, `503`, `429`, `latency`, `malformed`, `oversized`, `endless` (a body that never
    /// ends), `wrong-content-type`, `expired-token`, `unreachable` (the connection drops).
    pub kind: String,
    #[serde(default = "one")]
    pub count: u32,
    /// Only requests whose path starts with this.
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// For `latency`, and `Retry-After` seconds for 429/503.
    #[serde(default)]
    pub amount: Option<u64>,
}

fn one() -> u32 {
    1
}

/// The header by which a fault asks `main.rs` to follow the body with `x` bytes without end
/// (a server that never stops sending); it is not sent to the client.
pub const ENDLESS_BODY_HEADER: &str = "x-reference-endless-body";
/// Marks a response whose connection `main.rs` drops instead of answering (`unreachable`).
pub const DROP_CONNECTION_HEADER: &str = "x-reference-drop-connection";

/// Bytes sent so far in endless bodies (`GET /__admin/endless-bytes`): what a client read
/// before it stopped.
pub static ENDLESS_BYTES_SENT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Access tokens live this long.
pub const ACCESS_TOKEN_SECONDS: i64 = 3600;

#[derive(Default)]
struct State {
    /// One-time codes, each bound to the extension it was handed to and its PKCE challenge.
    codes: HashMap<String, HandOffGrant>,
    /// Connect pages shown and not yet confirmed by the user, by their confirmation token.
    confirmations: HashMap<String, HandOffGrant>,
    /// Every access token issued: when it expires and the sign-in (token family) it belongs to.
    access: HashMap<String, (DateTime<Utc>, u64)>,
    /// Every refresh token issued and not yet void.
    refresh: HashMap<String, RefreshToken>,
    families: u64,
    batches: Vec<EventBatch>,
    batch_ids: HashSet<String>,
    faults: VecDeque<Fault>,
    requests: Vec<serde_json::Value>,
    counter: u64,
}

/// A refresh token: the sign-in it descends from, the token it was issued for, the access token
/// issued with it, and whether it is spent (one of its successors has been used) or void (a
/// sibling was used instead). Presenting a spent or void token is a replay; both stay known
/// until the family is revoked, so that a replay or a revocation with one still finds the
/// family.
struct RefreshToken {
    family: u64,
    parent: Option<String>,
    access: String,
    spent: bool,
    void: bool,
}

impl State {
    /// Sign-out or a replay: every token of one sign-in, refresh and access, is void at once
    /// (a refresh answered after the revocation cannot bring the session back).
    fn revoke_family(&mut self, family: u64) {
        self.refresh.retain(|_, token| token.family != family);
        self.access.retain(|_, (_, owner)| *owner != family);
    }
}

/// The Chrome Web Store Id(s) of the published extension: the only extensions the connect page
/// hands a sign-in code to, unless the server is given others (`--extension-id`,
/// `CC_EXTENSION_IDS`). None is assigned yet, so an unconfigured server connects no extension.
pub const PUBLISHED_EXTENSION_IDS: &[&str] = &[];
/// The name the connect page shows for a configured extension (`extensionName`, `_locales/en`).
pub const EXTENSION_NAME: &str = "Customer City Deal Health";
/// How long the user has to confirm on the connect page.
pub const CONFIRMATION_SECONDS: i64 = 600;
/// How long a one-time code lives.
pub const CODE_SECONDS: i64 = 60;

/// Whether `id` has the form of a Chrome extension Id: 32 letters `a` to `p`.
pub fn is_extension_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| (b'a'..=b'p').contains(&b))
}

/// One sign-in hand-off: the extension it is for, the state it returns, the PKCE challenge.
struct HandOffGrant {
    extension_id: String,
    state: String,
    challenge: String,
    expires: DateTime<Utc>,
}

/// The reference server.
pub struct App {
    deals: Vec<DealData>,
    /// The extensions the connect page hands codes to (issue 15: never the query's Id as such).
    extension_ids: Vec<String>,
    clock: Box<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    state: Mutex<State>,
}

impl App {
    /// A server whose clock is `clock` and whose dataset is anchored at the clock's first reading.
    pub fn new(clock: Box<dyn Fn() -> DateTime<Utc> + Send + Sync>) -> App {
        let deals = demo_dataset(clock());
        App {
            deals,
            extension_ids: PUBLISHED_EXTENSION_IDS
                .iter()
                .map(|id| id.to_string())
                .collect(),
            clock,
            state: Mutex::new(State::default()),
        }
    }

    /// The same server handing sign-in codes to `extension_ids` instead of the published Ids.
    pub fn with_extension_ids(mut self, extension_ids: Vec<String>) -> App {
        self.extension_ids = extension_ids;
        self
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// A code, confirmation or token: 128 bits from the system's random source (unguessable;
    /// the contract asks the same of the real service), with the counter mixed in so that two
    /// are never alike even if that source failed.
    fn fresh_token(&self, state: &mut State, prefix: &str) -> String {
        use ring::rand::SecureRandom as _;
        state.counter += 1;
        let mut random = [0u8; 16];
        let drawn = ring::rand::SystemRandom::new().fill(&mut random).is_ok();
        assert!(drawn, "the system's random source is unavailable");
        let digest =
            Sha256::digest([prefix.as_bytes(), &random, &state.counter.to_le_bytes()].concat());
        format!("{prefix}_{}", hex(&digest[..16]))
    }

    /// Answers one request.
    pub fn handle(&self, request: &Request) -> Response {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.requests.push(json!({
            "method": request.method, "host": request.host, "path": request.path,
            "query": request.query, "authorization": request.header("authorization").is_some(),
            "bodyBytes": request.body.len(),
            "ifNoneMatch": request.header("if-none-match"),
            "acceptLanguage": request.header("accept-language"),
        }));
        let segments: Vec<&str> = request.path.split('/').filter(|s| !s.is_empty()).collect();
        match (request.method.as_str(), segments.as_slice()) {
            ("GET", ["extension", "connect"]) => self.connect_page(&mut state, request),
            ("POST", ["extension", "connect"]) => self.confirm_connect(&mut state, request),
            ("GET", ["__admin", "events"]) => Response::json(200, &state.batches),
            ("GET", ["__admin", "requests"]) => Response::json(200, &state.requests),
            ("GET", ["__admin", "endless-bytes"]) => Response::json(
                200,
                &ENDLESS_BYTES_SENT.load(std::sync::atomic::Ordering::Relaxed),
            ),
            ("POST", ["__admin", "faults"]) => {
                match serde_json::from_slice::<Vec<Fault>>(&request.body) {
                    Ok(faults) => {
                        state.faults.extend(faults);
                        Response {
                            status: 204,
                            ..Response::default()
                        }
                    }
                    Err(_) => {
                        Response::problem(400, "bad-request", "A list of faults was expected")
                    }
                }
            }
            ("DELETE", ["__admin", "faults"]) => {
                state.faults.clear();
                Response {
                    status: 204,
                    ..Response::default()
                }
            }
            ("POST", ["__admin", "expire-tokens"]) => {
                state.access.clear();
                Response {
                    status: 204,
                    ..Response::default()
                }
            }
            ("POST", ["v1", "auth", "token"]) => self
                .injected_fault(&mut state, request)
                .unwrap_or_else(|| self.exchange_code(&mut state, request)),
            ("POST", ["v1", "auth", "refresh"]) => self
                .injected_fault(&mut state, request)
                .unwrap_or_else(|| self.refresh(&mut state, request)),
            ("POST", ["v1", "auth", "revoke"]) => {
                if let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) {
                    let family = body["refreshToken"]
                        .as_str()
                        .and_then(|token| state.refresh.get(token))
                        .map(|token| token.family);
                    if let Some(family) = family {
                        state.revoke_family(family);
                    }
                }
                Response {
                    status: 204,
                    ..Response::default()
                }
            }
            (_, ["v1", ..]) => {
                if let Some(response) = self.injected_fault(&mut state, request) {
                    return response;
                }
                if segments[1] != "descriptions" {
                    if let Err(response) = self.authorize(&state, request) {
                        return response;
                    }
                }
                match (request.method.as_str(), &segments[1..]) {
                    ("GET", ["opportunities", id, "analysis"]) => self.analysis(request, id),
                    ("GET", ["portfolio"]) => self.portfolio(request),
                    ("GET", ["descriptions"]) => with_etag(
                        request,
                        Response::json(
                            200,
                            &descriptions(
                                request
                                    .query("locale")
                                    .or_else(|| request.header("accept-language")),
                            ),
                        ),
                    ),
                    ("POST", ["events"]) => self.events(&mut state, request),
                    _ => Response::problem(404, "not-found", "Not found"),
                }
            }
            _ => Response::problem(404, "not-found", "Not found"),
        }
    }

    fn injected_fault(&self, state: &mut State, request: &Request) -> Option<Response> {
        let index = state.faults.iter().position(|fault| {
            fault.count > 0
                && fault
                    .path_prefix
                    .as_deref()
                    .is_none_or(|prefix| request.path.starts_with(prefix))
        })?;
        let fault = &mut state.faults[index];
        fault.count -= 1;
        let fault = fault.clone();
        if fault.count == 0 {
            state.faults.remove(index);
        }
        let retry_after = fault.amount.unwrap_or(2).to_string();
        Some(match fault.kind.as_str() {
            "500" => Response::problem(500, "internal", "Internal error"),
            "503" => Response::problem(503, "unavailable", "Temporarily unavailable")
                .with_header("retry-after", retry_after),
            "429" => Response::problem(429, "rate-limited", "Too many requests")
                .with_header("retry-after", retry_after),
            "expired-token" => Response::problem(401, "token-expired", "Access token expired"),
            "malformed" => Response {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: b"{\"opportunityId\": \"006".to_vec(),
                delay_ms: 0,
            },
            "endless" => Response {
                status: 200,
                headers: vec![
                    ("content-type".into(), "application/json".into()),
                    (ENDLESS_BODY_HEADER.into(), "1".into()),
                ],
                body: b"{\"padding\":\"".to_vec(),
                delay_ms: 0,
            },
            "oversized" => {
                let mut body = b"{\"padding\":\"".to_vec();
                body.extend(std::iter::repeat_n(b'x', 1_100_000));
                body.extend(b"\"}");
                Response {
                    status: 200,
                    headers: vec![("content-type".into(), "application/json".into())],
                    body,
                    delay_ms: 0,
                }
            }
            "wrong-content-type" => Response::html("<html><body>Maintenance</body></html>".into()),
            "unreachable" => Response {
                status: 200,
                headers: vec![(DROP_CONNECTION_HEADER.into(), "1".into())],
                body: Vec::new(),
                delay_ms: 0,
            },
            "latency" => {
                // Delay, then answer normally.
                let mut normal = self.handle_without_faults(state, request);
                normal.delay_ms = fault.amount.unwrap_or(2000);
                normal
            }
            _ => Response::problem(500, "internal", "Unknown fault"),
        })
    }

    fn handle_without_faults(&self, state: &mut State, request: &Request) -> Response {
        let segments: Vec<&str> = request.path.split('/').filter(|s| !s.is_empty()).collect();
        if request.method == "POST" && segments == ["v1", "auth", "refresh"] {
            return self.refresh(state, request); // a slow refresh still rotates
        }
        if let Err(response) = self.authorize(state, request) {
            return response;
        }
        match (request.method.as_str(), &segments[1..]) {
            ("GET", ["opportunities", id, "analysis"]) => self.analysis(request, id),
            ("GET", ["portfolio"]) => self.portfolio(request),
            ("POST", ["events"]) => self.events(state, request),
            _ => Response::problem(404, "not-found", "Not found"),
        }
    }

    fn authorize(&self, state: &State, request: &Request) -> Result<(), Response> {
        let token = request
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .unwrap_or("");
        match state.access.get(token) {
            Some((expires, _)) if *expires > self.now() => Ok(()),
            _ => Err(Response::problem(
                401,
                "token-expired",
                "Access token expired or unknown",
            )),
        }
    }

    fn deal(&self, id: &str) -> Option<&DealData> {
        let id15 = id.get(..15)?;
        self.deals
            .iter()
            .find(|deal| deal.opportunity.id.get(..15) == Some(id15))
    }

    fn analysis(&self, request: &Request, id: &str) -> Response {
        if deal_health::page::opportunity_id(id).is_none() {
            return Response::problem(400, "bad-id", "Not an Opportunity Id");
        }
        // Unknown, another org's or hidden: the same answer.
        let Some(deal) = self.deal(id) else {
            return Response::problem(404, "not-found", "Not found");
        };
        let include_ai = request.query("ai") != Some("exclude");
        // The text in the user's language (docs/api.md, "Language"); English for any other.
        let lang = Lang::from_tag(request.header("accept-language").unwrap_or("en"));
        let mut analysis: Analysis =
            analyze_in(deal, self.now(), &BlindSpotConfig::default(), lang);
        if include_ai {
            analysis.ai_included = true;
            if let Some(spot) = analysis.blind_spots.first() {
                analysis.recommendations.push(Recommendation {
                    id: "ai-1".into(),
                    text: lang.ai_draft(&spot.summary),
                    source: RecommendationSource::Ai,
                    priority: Severity::Medium,
                });
            }
        }
        with_etag(request, Response::json(200, &analysis))
    }

    fn portfolio(&self, request: &Request) -> Response {
        let now = self.now();
        let mut deals: Vec<PortfolioDeal> = self
            .deals
            .iter()
            .filter(|deal| !deal.opportunity.is_closed)
            .map(|deal| {
                let analysis = analyze(deal, now, &BlindSpotConfig::default());
                PortfolioDeal {
                    id: deal.opportunity.id.clone(),
                    name: deal.opportunity.name.clone(),
                    amount: deal.opportunity.amount.map(|value| Money {
                        value,
                        currency: deal
                            .opportunity
                            .currency
                            .clone()
                            .unwrap_or_else(|| "USD".into()),
                    }),
                    stage: deal.opportunity.stage.clone(),
                    close_date: deal.opportunity.close_date,
                    score: analysis.score.value,
                    band: analysis.score.band,
                    top_blind_spot: analysis.blind_spots.first().map(|s| TopBlindSpot {
                        kind: s.kind.clone(),
                        severity: s.severity,
                    }),
                }
            })
            .collect();
        deals.sort_by_key(|deal| (deal.score.unwrap_or(0), deal.id.clone()));
        with_etag(
            request,
            Response::json(
                200,
                &Portfolio {
                    generated_at: now,
                    deals,
                },
            ),
        )
    }

    fn events(&self, state: &mut State, request: &Request) -> Response {
        if request.body.len() > 256 * 1024 {
            return Response::problem(413, "too-large", "Batch too large");
        }
        let Ok(batch) = serde_json::from_slice::<EventBatch>(&request.body) else {
            return Response::problem(400, "bad-batch", "Malformed batch");
        };
        if batch.events.is_empty() || batch.events.len() > 500 {
            return Response::problem(400, "bad-batch", "A batch holds 1 to 500 events");
        }
        if !state.batch_ids.insert(batch.batch_id.clone()) {
            return Response::json(
                200,
                &EventAck {
                    batch_id: batch.batch_id,
                    accepted: 0,
                    duplicate: true,
                },
            );
        }
        let accepted = batch.events.len() as u32;
        let batch_id = batch.batch_id.clone();
        state.batches.push(batch);
        Response::json(
            202,
            &EventAck {
                batch_id,
                accepted,
                duplicate: false,
            },
        )
    }

    /// A token pair of `family` (a new sign-in's when `None`); `parent` is the refresh token it
    /// was issued for.
    fn issue_tokens(
        &self,
        state: &mut State,
        family: Option<u64>,
        parent: Option<String>,
    ) -> TokenResponse {
        let family = family.unwrap_or_else(|| {
            state.families += 1;
            state.families
        });
        let access = self.fresh_token(state, "cc_at");
        let refresh = self.fresh_token(state, "cc_rt");
        state.access.insert(
            access.clone(),
            (self.now() + Duration::seconds(ACCESS_TOKEN_SECONDS), family),
        );
        state.refresh.insert(
            refresh.clone(),
            RefreshToken {
                family,
                parent,
                access: access.clone(),
                spent: false,
                void: false,
            },
        );
        TokenResponse {
            access_token: access,
            refresh_token: refresh,
            expires_in: ACCESS_TOKEN_SECONDS as u32,
            token_type: "Bearer".into(),
        }
    }

    fn exchange_code(&self, state: &mut State, request: &Request) -> Response {
        let invalid = || Response::problem(401, "invalid-grant", "Invalid grant");
        let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) else {
            return invalid();
        };
        let (Some(code), Some(verifier), Some(extension_id)) = (
            body["code"].as_str(),
            body["codeVerifier"].as_str(),
            body["extensionId"].as_str(),
        ) else {
            return invalid();
        };
        let Some(grant) = state.codes.remove(code) else {
            return invalid();
        };
        let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier.as_bytes()));
        // The code is good only for the extension it was handed to (docs/api.md, step 6).
        if computed != grant.challenge
            || extension_id != grant.extension_id
            || grant.expires < self.now()
        {
            return invalid();
        }
        let tokens = self.issue_tokens(state, None, None);
        Response::json(200, &tokens)
    }

    fn refresh(&self, state: &mut State, request: &Request) -> Response {
        let invalid = || Response::problem(401, "invalid-grant", "Invalid grant");
        let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) else {
            return invalid();
        };
        let Some(token) = body["refreshToken"].as_str() else {
            return invalid();
        };
        // Rotation (docs/api.md). A token keeps working until one of its successors is used,
        // since Chrome may stop the worker between this answer and the write of the new pair,
        // and a stopped worker's request may even arrive after its replacement's: each answer
        // is a new successor, and all of them stay valid until the client uses one. Using a
        // successor spends its parent and voids its unused siblings; presenting a spent token
        // is a replay and revokes the whole sign-in.
        let (family, parent) = match state.refresh.get(token) {
            None => return invalid(),
            Some(found) if found.spent || found.void => {
                let family = found.family;
                state.revoke_family(family);
                return invalid();
            }
            Some(found) => (found.family, found.parent.clone()),
        };
        if let Some(parent) = parent {
            if let Some(spent) = state.refresh.get_mut(&parent) {
                spent.spent = true;
            }
            let mut voided_access = Vec::new();
            for (other, sibling) in state.refresh.iter_mut() {
                if other != token && sibling.parent.as_deref() == Some(parent.as_str()) {
                    sibling.void = true;
                    voided_access.push(sibling.access.clone());
                }
            }
            for access in voided_access {
                state.access.remove(&access);
            }
        }
        let tokens = self.issue_tokens(state, Some(family), Some(token.to_string()));
        Response::json(200, &tokens)
    }

    /// The web app's sign-in hand-off, first step (demo: the user is already signed in). For a
    /// configured extension Id only, a page that names the extension and asks the user to
    /// confirm; no code yet. Any other Id is refused outright: the page used to hand a code to
    /// whatever Id the query named (issue 15).
    fn connect_page(&self, state: &mut State, request: &Request) -> Response {
        let (Some(extension_id), Some(state_param), Some(challenge)) = (
            request.query("extensionId"),
            request.query("state"),
            request.query("codeChallenge"),
        ) else {
            return Response::problem(
                400,
                "bad-request",
                "extensionId, state and codeChallenge are required",
            );
        };
        let valid = |text: &str, max: usize| {
            !text.is_empty()
                && text.len() <= max
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if !valid(extension_id, 64) || !valid(state_param, 128) || !valid(challenge, 128) {
            return Response::problem(400, "bad-request", "Malformed parameters");
        }
        if !self.extension_ids.iter().any(|id| id == extension_id) {
            return hand_off_page(
                403,
                "This extension cannot be connected",
                &format!(
                    "<p id=\"status\">No sign-in code was issued: the extension \
                     <code id=\"extension-id\">{extension_id}</code> is not the Customer City extension.</p>\
                     <p>Sign in from the side panel of {EXTENSION_NAME}, installed from the Chrome Web Store.</p>"
                ),
            );
        }
        let now = self.now();
        state.confirmations.retain(|_, grant| grant.expires >= now);
        let confirmation = self.fresh_token(state, "cc_confirm");
        state.confirmations.insert(
            confirmation.clone(),
            HandOffGrant {
                extension_id: extension_id.to_string(),
                state: state_param.to_string(),
                challenge: challenge.to_string(),
                expires: now + Duration::seconds(CONFIRMATION_SECONDS),
            },
        );
        hand_off_page(
            200,
            "Connect a browser extension?",
            &format!(
                "<p id=\"status\">Signed in as {owner}.</p>\
                 <p>A browser extension asks to connect to your Customer City account:</p>\
                 <p><strong id=\"extension-name\">{EXTENSION_NAME}</strong>, extension Id \
                 <code id=\"extension-id\">{extension_id}</code></p>\
                 <p>Connect it only if you just pressed \u{201c}Sign in\u{201d} in this extension\u{2019}s side panel.</p>\
                 <form method=\"post\" action=\"/extension/connect\">\
                 <input type=\"hidden\" name=\"confirmation\" value=\"{confirmation}\">\
                 <button id=\"confirm\" type=\"submit\">Connect this extension</button></form>",
                owner = crate::dataset::DEMO_OWNER,
            ),
        )
    }

    /// The hand-off's second step, the user's click on the connect page: issues a one-time code
    /// bound to the confirmed extension Id and PKCE challenge, and a page that sends it to that
    /// extension only. An unknown, used or expired confirmation issues nothing.
    fn confirm_connect(&self, state: &mut State, request: &Request) -> Response {
        let now = self.now();
        let grant = form_value(&request.body, "confirmation")
            .and_then(|confirmation| state.confirmations.remove(confirmation))
            .filter(|grant| grant.expires >= now);
        let Some(grant) = grant else {
            return hand_off_page(
                400,
                "This sign-in has expired",
                "<p id=\"status\">No sign-in code was issued: this confirmation expired or was already used. \
                 Press \u{201c}Sign in\u{201d} in the extension\u{2019}s side panel again.</p>",
            );
        };
        let code = self.fresh_token(state, "cc_code");
        let message = json!({"type": "connect", "code": code, "state": grant.state});
        let extension = grant.extension_id.clone();
        state.codes.insert(
            code,
            HandOffGrant {
                expires: now + Duration::seconds(CODE_SECONDS),
                ..grant
            },
        );
        hand_off_page(
            200,
            "Connecting the extension\u{2026}",
            &format!(
                "<p id=\"status\">Connecting {EXTENSION_NAME}\u{2026}</p><script>\
                 chrome.runtime.sendMessage({extension:?}, {message}).then(\
                 (answer) => {{ document.getElementById('status').textContent = answer && answer.ok\
                   ? 'Connected. You can close this tab.' : 'The extension refused: ' + (answer && answer.error); }},\
                 (error) => {{ document.getElementById('status').textContent = 'Could not reach the extension: ' + error.message; }});\
                 </script>"
            ),
        )
    }
}

/// Adds an `ETag` and answers 304 when `If-None-Match` matches.
fn with_etag(request: &Request, response: Response) -> Response {
    if response.status != 200 {
        return response;
    }
    let tag = format!("\"{}\"", hex(&Sha256::digest(&response.body)[..12]));
    if request.header("if-none-match") == Some(tag.as_str()) {
        return Response {
            status: 304,
            headers: vec![("etag".into(), tag)],
            body: Vec::new(),
            delay_ms: 0,
        };
    }
    response.with_header("etag", tag)
}

/// A page of the web app's sign-in hand-off: never framed (no other page can put its button
/// under the user's click), never cached.
fn hand_off_page(status: u16, heading: &str, body: &str) -> Response {
    let mut response = Response::html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Connect Customer City</title></head>\
         <body><h1>{heading}</h1>{body}</body></html>"
    ));
    response.status = status;
    response
        .with_header("x-frame-options", "DENY".into())
        .with_header("content-security-policy", "frame-ancestors 'none'".into())
        .with_header("cache-control", "no-store".into())
}

/// One field of an `application/x-www-form-urlencoded` body, as sent (its values here need no
/// decoding: tokens are letters, digits and `_`).
fn form_value<'a>(body: &'a [u8], name: &str) -> Option<&'a str> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(field, _)| *field == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// (code, [title, text] in en, de, fr, ja): the factors'.
const FACTOR_DESCRIPTIONS: [(&str, [(&str, &str); 4]); 7] = [
    (
        "activity_recency",
        [
            (
                "Activity recency",
                "How recently anyone touched the deal: emails, meetings, calls.",
            ),
            (
                "Aktualität der Aktivitäten",
                "Wie kürzlich jemand am Deal gearbeitet hat: E-Mails, Meetings, Anrufe.",
            ),
            (
                "Récence des activités",
                "À quand remonte la dernière action sur l'affaire : e-mails, réunions, appels.",
            ),
            (
                "活動の新しさ",
                "メール、会議、電話など、最後に商談が動いた時期。",
            ),
        ],
    ),
    (
        "email_engagement",
        [
            (
                "Email engagement",
                "Whether the customer writes back, not just whether you write.",
            ),
            (
                "E-Mail-Engagement",
                "Ob der Kunde antwortet, nicht nur, ob Sie schreiben.",
            ),
            (
                "Engagement par e-mail",
                "Si le client répond, pas seulement si vous écrivez.",
            ),
            (
                "メールでの反応",
                "こちらが送るだけでなく、顧客から返信があるか。",
            ),
        ],
    ),
    (
        "meeting_cadence",
        [
            ("Meeting cadence", "How often you meet the customer."),
            ("Meeting-Rhythmus", "Wie oft Sie den Kunden treffen."),
            (
                "Rythme des réunions",
                "La fréquence de vos réunions avec le client.",
            ),
            ("ミーティングの頻度", "顧客と会う頻度。"),
        ],
    ),
    (
        "multi_threading",
        [
            (
                "Multi-threading",
                "How many of the customer's people are engaged.",
            ),
            (
                "Mehrere Kontakte",
                "Wie viele Personen beim Kunden beteiligt sind.",
            ),
            (
                "Contacts multiples",
                "Combien de personnes du client sont impliquées.",
            ),
            ("複数の窓口", "顧客側で何人が関与しているか。"),
        ],
    ),
    (
        "decision_maker_engagement",
        [
            (
                "Decision-maker engagement",
                "Whether the economic buyer or a VP-level contact is engaged.",
            ),
            (
                "Engagement der Entscheider",
                "Ob der wirtschaftliche Entscheider oder ein Kontakt auf VP-Ebene beteiligt ist.",
            ),
            (
                "Engagement des décideurs",
                "Si le décideur économique ou un contact de niveau VP est impliqué.",
            ),
            (
                "意思決定者の関与",
                "予算決裁者や VP クラスの担当者が関与しているか。",
            ),
        ],
    ),
    (
        "stage_velocity",
        [
            (
                "Stage velocity",
                "Time in the current stage against the norm for that stage.",
            ),
            (
                "Phasentempo",
                "Zeit in der aktuellen Phase im Vergleich zum Üblichen.",
            ),
            (
                "Vitesse des étapes",
                "Le temps passé à l'étape actuelle par rapport à l'habitude.",
            ),
            (
                "フェーズの進み具合",
                "現在のフェーズの滞在期間と、そのフェーズの標準との比較。",
            ),
        ],
    ),
    (
        "close_date_integrity",
        [
            (
                "Close date integrity",
                "Whether the close date holds or keeps moving.",
            ),
            (
                "Verlässlichkeit des Abschlussdatums",
                "Ob das Abschlussdatum hält oder sich immer wieder verschiebt.",
            ),
            (
                "Fiabilité de la date de clôture",
                "Si la date de clôture tient ou ne cesse de bouger.",
            ),
            (
                "完了予定日の信頼性",
                "完了予定日が守られているか、何度も動いているか。",
            ),
        ],
    ),
];

/// (kind, [title, text] in en, de, fr, ja): the blind spots'.
const BLIND_SPOT_DESCRIPTIONS: [(&str, [(&str, &str); 4]); 6] = [
    (
        "silent_champion",
        [
            (
                "Silent champion",
                "Your champion has gone quiet late in the deal.",
            ),
            (
                "Stiller Champion",
                "Ihr Champion ist spät im Deal verstummt.",
            ),
            (
                "Champion silencieux",
                "Votre champion ne répond plus en fin d'affaire.",
            ),
            (
                "沈黙したチャンピオン",
                "商談の終盤でチャンピオンからの反応が途絶えています。",
            ),
        ],
    ),
    (
        "missing_economic_buyer",
        [
            (
                "Missing economic buyer",
                "A large, late deal without the person who signs.",
            ),
            (
                "Fehlender wirtschaftlicher Entscheider",
                "Ein großer, weit fortgeschrittener Deal ohne die Person, die unterschreibt.",
            ),
            (
                "Décideur économique absent",
                "Une grosse affaire avancée sans la personne qui signe.",
            ),
            (
                "予算決裁者の不在",
                "終盤の大型商談に、署名する人が関わっていません。",
            ),
        ],
    ),
    (
        "stuck_deal",
        [
            ("Stuck deal", "A month or more in the same stage."),
            (
                "Festgefahrener Deal",
                "Einen Monat oder länger in derselben Phase.",
            ),
            ("Affaire bloquée", "Un mois ou plus à la même étape."),
            (
                "停滞した商談",
                "同じフェーズに 1 か月以上とどまっています。",
            ),
        ],
    ),
    (
        "single_threaded",
        [
            ("Single-threaded", "The deal depends on one contact."),
            (
                "Nur ein Kontakt",
                "Der Deal hängt an einem einzigen Kontakt.",
            ),
            ("Contact unique", "L'affaire dépend d'un seul contact."),
            ("窓口が 1 人だけ", "商談が 1 人の担当者に依存しています。"),
        ],
    ),
    (
        "going_dark",
        [
            ("Going dark", "No reply or meeting for two weeks."),
            (
                "Funkstille",
                "Seit zwei Wochen keine Antwort und kein Meeting.",
            ),
            (
                "Silence radio",
                "Aucune réponse ni réunion depuis deux semaines.",
            ),
            ("連絡途絶", "2 週間、返信も会議もありません。"),
        ],
    ),
    (
        "close_date_slipping",
        [
            (
                "Close date slipping",
                "The close date has moved out repeatedly.",
            ),
            (
                "Abschlussdatum verschiebt sich",
                "Das Abschlussdatum wurde mehrfach nach hinten verschoben.",
            ),
            (
                "Date de clôture qui glisse",
                "La date de clôture a été repoussée plusieurs fois.",
            ),
            (
                "完了予定日の後ろ倒し",
                "完了予定日が繰り返し先送りされています。",
            ),
        ],
    ),
];

/// The descriptions in the asked locale's language (`?locale=` or `Accept-Language`): English,
/// German, French or Japanese; any other locale gets English (and says so in `locale`).
pub fn descriptions(locale: Option<&str>) -> Descriptions {
    let lang = Lang::from_tag(locale.unwrap_or("en"));
    let column = match lang {
        Lang::En => 0,
        Lang::De => 1,
        Lang::Fr => 2,
        Lang::Ja => 3,
    };
    let table = |rows: &[(&str, [(&str, &str); 4])]| {
        rows.iter()
            .map(|(code, texts)| {
                let (title, text) = texts[column];
                (
                    code.to_string(),
                    Description {
                        title: title.into(),
                        text: text.into(),
                    },
                )
            })
            .collect()
    };
    Descriptions {
        locale: lang.tag().into(),
        version: "2026-11-30".into(),
        factors: table(&FACTOR_DESCRIPTIONS),
        blind_spots: table(&BLIND_SPOT_DESCRIPTIONS),
        // Tier 1 reasons are explained by the extension's own catalogs; the server names them.
        reasons: deal_health::score::REASON_CODES
            .iter()
            .map(|code| {
                (
                    code.to_string(),
                    Description {
                        title: String::new(),
                        text: "docs/scoring.md".into(),
                    },
                )
            })
            .collect(),
    }
}
