//! The sign-in hand-off and the token lifecycle (docs/api.md, "Authentication"). Pure: random
//! bytes and the time come from the caller.

use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// Why the last sign-in did not complete, as the stable code the worker keeps for the side panel
/// (`refused`, `cancelled`, `browser`, `offline`); the panel explains each in the user's
/// language, and a code it does not know reads as `refused`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SignInFailure {
    /// The user signed out (or cleared local data) while the sign-in was under way.
    Cancelled,
    /// The browser cannot keep local storage from content scripts: no tokens were asked for.
    Browser,
    /// The API could not be reached for the token exchange.
    Offline,
    /// The hand-off or the token exchange was refused (or sign-in is switched off).
    #[serde(other)]
    Refused,
}

use crate::api::TokenResponse;
use crate::retry::ErrorKind;
use crate::storage;

/// Refresh this long before the access token expires.
pub const REFRESH_MARGIN_SECONDS: i64 = 300;
/// A pending sign-in expires after this long.
pub const SIGN_IN_WINDOW_SECONDS: i64 = 600;

/// A sign-in in progress: kept in `chrome.storage.session` until the web app answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingSignIn {
    /// The random `state` the web app hands back.
    pub state: String,
    /// The PKCE code verifier (its challenge went to the web app).
    pub code_verifier: String,
    /// When the sign-in started (it expires after `SIGN_IN_WINDOW_SECONDS`).
    pub started_at: DateTime<Utc>,
}

impl PendingSignIn {
    /// Starts a sign-in from 64 random bytes (32 for the state, 32 for the verifier).
    pub fn start(random: &[u8; 64], now: DateTime<Utc>) -> PendingSignIn {
        let encode = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        PendingSignIn {
            state: encode(&random[..32]),
            code_verifier: encode(&random[32..]),
            started_at: now,
        }
    }

    /// The PKCE S256 challenge for the verifier.
    pub fn code_challenge(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(self.code_verifier.as_bytes()))
    }

    /// The web app page that signs the user in: `<app origin>/extension/connect?...`.
    pub fn connect_url(&self, app_origin: &str, extension_id: &str) -> String {
        format!(
            "{}/extension/connect?extensionId={}&state={}&codeChallenge={}",
            app_origin.trim_end_matches('/'),
            extension_id,
            self.state,
            self.code_challenge()
        )
    }
}

/// Why a hand-off message was refused; its code (`wrongOrigin`, `notPending`,
/// `stateMismatch`, `malformed`) is what the worker answers the web app and keeps for the side
/// panel, which reads any of them as [`SignInFailure::Refused`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum HandOffError {
    /// The message did not come from the web app's origin.
    #[error("the message did not come from the Customer City web app")]
    WrongOrigin,
    /// No sign-in is under way, or it expired.
    #[error("no sign-in is in progress, or it expired")]
    NotPending,
    /// The `state` is not the one this sign-in sent.
    #[error("the sign-in state does not match")]
    StateMismatch,
    /// Not a `{type: "connect", code, state}` message.
    #[error("the message is malformed")]
    Malformed,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
enum HandOff {
    Connect { code: String, state: String },
}

/// Checks the web app's `{type: "connect", code, state}` message (sent through
/// `externally_connectable`) and returns the one-time code to exchange.
pub fn accept_hand_off(
    message_json: &str,
    sender_origin: Option<&str>,
    app_origin: &str,
    pending: Option<&PendingSignIn>,
    now: DateTime<Utc>,
) -> Result<String, HandOffError> {
    if sender_origin != Some(app_origin.trim_end_matches('/')) {
        return Err(HandOffError::WrongOrigin);
    }
    let pending = pending
        .filter(|p| now - p.started_at <= Duration::seconds(SIGN_IN_WINDOW_SECONDS))
        .ok_or(HandOffError::NotPending)?;
    let HandOff::Connect { code, state } =
        serde_json::from_str(message_json).map_err(|_| HandOffError::Malformed)?;
    if code.is_empty() || code.len() > 512 {
        return Err(HandOffError::Malformed);
    }
    if state != pending.state {
        return Err(HandOffError::StateMismatch);
    }
    Ok(code)
}

/// The extension's own tokens, stored only in the worker's `chrome.storage.local` area that
/// content scripts cannot read (access level `TRUSTED_CONTEXTS`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// The bearer token for API requests.
    pub access_token: String,
    /// The token that renews it (rotated at every use).
    pub refresh_token: String,
    /// When the access token expires.
    pub access_expires_at: DateTime<Utc>,
}

impl Session {
    /// A session from a token response received at `now`.
    pub fn from_tokens(tokens: &TokenResponse, now: DateTime<Utc>) -> Session {
        Session {
            access_token: tokens.access_token.clone(),
            refresh_token: tokens.refresh_token.clone(),
            access_expires_at: now + Duration::seconds(i64::from(tokens.expires_in)),
        }
    }

    /// Whether the access token should be refreshed before use.
    pub fn needs_refresh(&self, now: DateTime<Utc>) -> bool {
        now >= self.access_expires_at - Duration::seconds(REFRESH_MARGIN_SECONDS)
    }

    /// When the refresh alarm fires: the margin before expiry, minus up to a minute of jitter
    /// (`jitter` in `[0, 1)`), never in the past.
    pub fn refresh_alarm_at(&self, now: DateTime<Utc>, jitter: f64) -> DateTime<Utc> {
        let jitter = Duration::milliseconds((60_000.0 * jitter.clamp(0.0, 1.0)) as i64);
        (self.access_expires_at - Duration::seconds(REFRESH_MARGIN_SECONDS) - jitter).max(now)
    }
}

/// What a token refresh came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// A new pair: store it and carry on.
    Renewed(Session),
    /// The server refused the grant (400 or 401): the session is over, sign out.
    Refused,
    /// No usable answer (offline, timeout, 429, 5xx, an unreadable body): keep the session and
    /// try again later; the reason is shown.
    Unavailable(ErrorKind),
}

/// Judges the answer to `POST /v1/auth/refresh`: `status` is `None` when no answer came. Only
/// a refusal of the grant signs the user out; a failing server or network never does.
pub fn refresh_outcome(status: Option<u16>, body: &[u8], now: DateTime<Utc>) -> RefreshOutcome {
    match status {
        None => RefreshOutcome::Unavailable(ErrorKind::Offline),
        Some(200) => match crate::api::decode_tokens(body) {
            Ok(tokens) => RefreshOutcome::Renewed(Session::from_tokens(&tokens, now)),
            Err(_) => RefreshOutcome::Unavailable(ErrorKind::Server),
        },
        Some(400 | 401) => RefreshOutcome::Refused,
        Some(429 | 503) => RefreshOutcome::Unavailable(ErrorKind::Busy),
        Some(_) => RefreshOutcome::Unavailable(ErrorKind::Server),
    }
}

/// A JSON `POST` to the API: the worker sends it as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostRequest {
    /// The URL.
    pub url: String,
    /// The JSON body.
    pub body: String,
}

/// The PKCE code exchange (`POST /v1/auth/token`) by the extension `extension_id` (its own
/// Id: the server takes a code only for the Id it handed it to); `None` unless the API origin
/// is HTTPS.
pub fn token_exchange_request(
    api_origin: &str,
    code: &str,
    pending: &PendingSignIn,
    extension_id: &str,
) -> Option<PostRequest> {
    api_post(
        api_origin,
        "/v1/auth/token",
        serde_json::json!({
            "code": code,
            "codeVerifier": pending.code_verifier,
            "extensionId": extension_id,
        }),
    )
}

/// The token refresh (`POST /v1/auth/refresh`); `None` unless the API origin is HTTPS.
pub fn refresh_request(api_origin: &str, session: &Session) -> Option<PostRequest> {
    api_post(
        api_origin,
        "/v1/auth/refresh",
        serde_json::json!({ "refreshToken": session.refresh_token }),
    )
}

fn api_post(api_origin: &str, path: &str, body: serde_json::Value) -> Option<PostRequest> {
    api_origin.starts_with("https://").then(|| PostRequest {
        url: format!("{}{path}", api_origin.trim_end_matches('/')),
        body: body.to_string(),
    })
}

/// What signing out (or "clear local data") removes and sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignOutPlan {
    /// Every key to delete from `chrome.storage.local`: the session, the cache index, every
    /// cached entry, the analytics queue.
    pub remove: Vec<String>,
    /// The best-effort revocation request (`POST` URL and JSON body), if there was a session.
    pub revoke: Option<(String, String)>,
}

/// Plans a sign-out from the stored session and cache index.
pub fn sign_out_plan(
    session: Option<&Session>,
    index: &mut crate::cache::CacheIndex,
    stored_keys: &[String],
    api_origin: &str,
) -> SignOutPlan {
    let mut remove = vec![
        storage::SESSION.to_string(),
        storage::CACHE_INDEX.to_string(),
        storage::ANALYTICS_QUEUE.to_string(),
        storage::HOLD_UNTIL.to_string(),
    ];
    // Every cache body in storage, named by the index or not (an orphan left by a stopped
    // worker holds a deal's analysis as much as a named one).
    let orphans = index.orphans(stored_keys);
    remove.extend(index.clear());
    remove.extend(orphans);
    // The date order learnt per org host names the orgs the user opened: it goes too.
    remove.extend(
        stored_keys
            .iter()
            .filter(|key| key.starts_with(storage::DATE_ORDER_PREFIX))
            .cloned(),
    );
    let revoke = session
        .and_then(|session| {
            api_post(
                api_origin,
                "/v1/auth/revoke",
                serde_json::json!({ "refreshToken": session.refresh_token }),
            )
        })
        .map(|request| (request.url, request.body));
    SignOutPlan { remove, revoke }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    const APP: &str = "https://app.customercity.com";

    #[test]
    fn a_failed_sign_in_crosses_as_a_code_the_panel_reads() {
        for (refused, code) in [
            (HandOffError::WrongOrigin, "wrongOrigin"),
            (HandOffError::NotPending, "notPending"),
            (HandOffError::StateMismatch, "stateMismatch"),
            (HandOffError::Malformed, "malformed"),
        ] {
            assert_eq!(serde_json::to_value(refused).unwrap(), code);
            // The panel knows no hand-off code by name: each is a refusal.
            assert_eq!(
                serde_json::from_value::<SignInFailure>(code.into()).unwrap(),
                SignInFailure::Refused
            );
        }
        for (failure, code) in [
            (SignInFailure::Cancelled, "cancelled"),
            (SignInFailure::Browser, "browser"),
            (SignInFailure::Offline, "offline"),
            (SignInFailure::Refused, "refused"),
        ] {
            assert_eq!(
                serde_json::from_value::<SignInFailure>(code.into()).unwrap(),
                failure
            );
            assert_eq!(serde_json::to_value(failure).unwrap(), code);
        }
    }

    #[test]
    fn pkce_challenge_is_s256_of_the_verifier() {
        let pending = PendingSignIn {
            state: "s".into(),
            code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            started_at: now(),
        };
        // RFC 7636, appendix B.
        assert_eq!(
            pending.code_challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let started = PendingSignIn::start(&[7u8; 64], now());
        assert_eq!(started.state.len(), 43);
        assert!(started
            .connect_url(APP, "abc")
            .starts_with("https://app.customercity.com/extension/connect?extensionId=abc&state="));
    }

    #[test]
    fn only_a_refused_grant_ends_the_session() {
        let pair = br#"{"accessToken":"cc_at_2","refreshToken":"cc_rt_2","expiresIn":3600,"tokenType":"Bearer"}"#;
        match refresh_outcome(Some(200), pair, now()) {
            RefreshOutcome::Renewed(session) => {
                assert_eq!(session.refresh_token, "cc_rt_2");
                assert_eq!(session.access_expires_at, now() + Duration::seconds(3600));
            }
            other => panic!("renewed expected, got {other:?}"),
        }
        assert_eq!(
            refresh_outcome(Some(401), b"{}", now()),
            RefreshOutcome::Refused
        );
        assert_eq!(
            refresh_outcome(Some(400), b"", now()),
            RefreshOutcome::Refused
        );
        for status in [None, Some(429), Some(500), Some(503), Some(302)] {
            assert!(
                matches!(
                    refresh_outcome(status, b"", now()),
                    RefreshOutcome::Unavailable(_)
                ),
                "{status:?} keeps the session"
            );
        }
        assert!(matches!(
            refresh_outcome(Some(200), b"<html>proxy</html>", now()),
            RefreshOutcome::Unavailable(_)
        ));
    }

    #[test]
    fn hand_off_checks_origin_state_and_age() {
        let pending = PendingSignIn::start(&[1u8; 64], now());
        let message = format!(
            r#"{{"type":"connect","code":"c1","state":"{}"}}"#,
            pending.state
        );
        assert_eq!(
            accept_hand_off(&message, Some(APP), APP, Some(&pending), now()),
            Ok("c1".to_string())
        );
        assert_eq!(
            accept_hand_off(
                &message,
                Some("https://evil.example"),
                APP,
                Some(&pending),
                now()
            ),
            Err(HandOffError::WrongOrigin)
        );
        assert_eq!(
            accept_hand_off(&message, None, APP, Some(&pending), now()),
            Err(HandOffError::WrongOrigin)
        );
        assert_eq!(
            accept_hand_off(&message, Some(APP), APP, None, now()),
            Err(HandOffError::NotPending)
        );
        let late = now() + Duration::seconds(SIGN_IN_WINDOW_SECONDS + 1);
        assert_eq!(
            accept_hand_off(&message, Some(APP), APP, Some(&pending), late),
            Err(HandOffError::NotPending)
        );
        let forged = r#"{"type":"connect","code":"c1","state":"guess"}"#;
        assert_eq!(
            accept_hand_off(forged, Some(APP), APP, Some(&pending), now()),
            Err(HandOffError::StateMismatch)
        );
        let extra = format!(
            r#"{{"type":"connect","code":"c1","state":"{}","accessToken":"x"}}"#,
            pending.state
        );
        assert_eq!(
            accept_hand_off(&extra, Some(APP), APP, Some(&pending), now()),
            Err(HandOffError::Malformed)
        );
    }

    #[test]
    fn api_requests_are_https_only() {
        let pending = PendingSignIn {
            state: "s".into(),
            code_verifier: "v".into(),
            started_at: now(),
        };
        let exchange =
            token_exchange_request("https://api.customercity.com/", "c1", &pending, "ext").unwrap();
        assert_eq!(exchange.url, "https://api.customercity.com/v1/auth/token");
        assert_eq!(
            exchange.body,
            r#"{"code":"c1","codeVerifier":"v","extensionId":"ext"}"#
        );
        let session = Session {
            access_token: "a".into(),
            refresh_token: "r".into(),
            access_expires_at: now(),
        };
        assert_eq!(
            refresh_request("https://api.customercity.com", &session)
                .unwrap()
                .body,
            r#"{"refreshToken":"r"}"#
        );
        assert_eq!(
            refresh_request("http://api.customercity.com", &session),
            None
        );
        assert_eq!(
            token_exchange_request("http://x", "c1", &pending, "ext"),
            None
        );
    }

    #[test]
    fn sign_out_removes_everything_and_revokes() {
        let mut index = crate::cache::CacheIndex::default();
        index.store(
            "cc.v1.deal:a:0065g00000AbCdE",
            crate::cache::Kind::Deal,
            10,
            None,
            now(),
            1000,
        );
        let session = Session {
            access_token: "a".into(),
            refresh_token: "r".into(),
            access_expires_at: now(),
        };
        let api = "https://api.customercity.com";
        let stored = [
            "session",
            "cc.v1.deal:a:0065g00000AbCdE",
            "cc.v1.deal:a:0065g00000Orphn",
            "feature_analyticsOptOut",
            "cc.dateOrder.acme.lightning.force.com",
        ]
        .map(String::from);
        let plan = sign_out_plan(Some(&session), &mut index, &stored, api);
        assert_eq!(
            plan.remove,
            [
                "session",
                "cc.cacheIndex",
                "cc.analyticsQueue",
                "cc.holdUntil",
                "cc.v1.deal:a:0065g00000AbCdE",
                "cc.v1.deal:a:0065g00000Orphn",
                "cc.dateOrder.acme.lightning.force.com"
            ]
        );
        assert_eq!(
            plan.revoke,
            Some((
                "https://api.customercity.com/v1/auth/revoke".into(),
                r#"{"refreshToken":"r"}"#.into()
            ))
        );
        assert!(index.entries.is_empty());
        assert_eq!(sign_out_plan(None, &mut index, &[], api).revoke, None);
    }

    #[test]
    fn refresh_before_expiry_with_jitter() {
        let tokens = TokenResponse {
            access_token: "a".into(),
            refresh_token: "r".into(),
            expires_in: 3600,
            token_type: "Bearer".into(),
        };
        let session = Session::from_tokens(&tokens, now());
        assert!(!session.needs_refresh(now() + Duration::seconds(3299)));
        assert!(session.needs_refresh(now() + Duration::seconds(3300)));
        assert_eq!(
            session.refresh_alarm_at(now(), 0.0),
            now() + Duration::seconds(3300)
        );
        assert_eq!(
            session.refresh_alarm_at(now(), 0.5),
            now() + Duration::seconds(3270)
        );
        assert_eq!(
            session.refresh_alarm_at(now() + Duration::hours(2), 0.5),
            now() + Duration::hours(2),
            "never in the past"
        );
    }
}
