//! The sign-in hand-off (docs/api.md, "Sign-in hand-off"), issue 15 item 2: the connect page
//! hands codes only to the configured extension Ids, only after the user confirms which
//! extension is being connected, and the token endpoint takes a code only for the Id it was
//! issued to. Also the hand-off helper the other server tests sign in with.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use deal_health_client::auth::{token_exchange_request, PendingSignIn};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::app::{App, Request, Response, EXTENSION_NAME};
use crate::tests::header;

/// The extension the test servers are configured for (an Id of Chrome's form).
pub(crate) const OURS: &str = "abcdefghijklmnopabcdefghijklmnop";
/// Another extension: installed beside ours, not configured.
const HOSTILE: &str = "ponmlkjihgfedcbaponmlkjihgfedcba";

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A server configured for `OURS` whose clock the test moves.
fn app_with_clock() -> (App, Arc<Mutex<DateTime<Utc>>>) {
    let clock = Arc::new(Mutex::new(start()));
    let reading = clock.clone();
    let app = App::new(Box::new(move || *reading.lock().unwrap()))
        .with_extension_ids(vec![OURS.to_string()]);
    (app, clock)
}

fn app() -> App {
    app_with_clock().0
}

pub(crate) fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn text(response: &Response) -> String {
    String::from_utf8(response.body.clone()).unwrap()
}

/// The text between `before` and the next `"` in `html`.
fn between(html: &str, before: &str) -> Option<String> {
    Some(html.split(before).nth(1)?.split('"').next()?.to_string())
}

fn connect_page(app: &App, extension_id: &str, state: &str, code_challenge: &str) -> Response {
    app.handle(&Request::to_api(
        "GET",
        &format!(
            "/extension/connect?extensionId={extension_id}&state={state}&codeChallenge={code_challenge}"
        ),
        vec![],
        vec![],
    ))
}

/// The user's click: the form post of the confirmation page.
fn confirm(app: &App, confirmation: &str) -> Response {
    app.handle(&Request::to_api(
        "POST",
        "/extension/connect",
        vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        format!("confirmation={confirmation}").into_bytes(),
    ))
}

fn exchange(app: &App, body: Value) -> Response {
    app.handle(&Request::to_api(
        "POST",
        "/v1/auth/token",
        vec![("content-type".into(), "application/json".into())],
        serde_json::to_vec(&body).unwrap(),
    ))
}

/// The whole hand-off as the web app runs it: the connect page, the user's confirmation, the
/// page that hands the code over. Returns the code sent to `extension_id`.
pub(crate) fn issue_code(
    app: &App,
    extension_id: &str,
    state: &str,
    code_challenge: &str,
) -> String {
    let page = connect_page(app, extension_id, state, code_challenge);
    assert_eq!(page.status, 200, "{}", text(&page));
    let confirmation = between(&text(&page), "name=\"confirmation\" value=\"").unwrap();
    let handed = confirm(app, &confirmation);
    assert_eq!(handed.status, 200, "{}", text(&handed));
    let html = text(&handed);
    assert!(
        html.contains(&format!("chrome.runtime.sendMessage(\"{extension_id}\"")),
        "{html}"
    );
    between(&html, "\"code\":\"").unwrap()
}

#[test]
fn issue_15_an_extension_that_is_not_configured_gets_no_code() {
    // The interception: another extension opens the connect page with its own Id and its own
    // PKCE pair. The page refuses it, says why, and issues nothing to confirm or to send.
    let app = app();
    let verifier = "h".repeat(43);
    let page = connect_page(&app, HOSTILE, "theirs", &challenge(&verifier));
    assert_eq!(page.status, 403);
    let html = text(&page);
    assert!(html.contains("No sign-in code was issued"), "{html}");
    assert!(
        html.contains(&format!(
            "{HOSTILE}</code> is not the Customer City extension"
        )),
        "{html}"
    );
    for issued in ["<form", "confirmation", "cc_code", "sendMessage"] {
        assert!(!html.contains(issued), "{issued} in {html}");
    }
    // Nothing it could exchange: no code was made, so guessing one fails.
    let guessed = exchange(
        &app,
        json!({"code": "cc_code_1", "codeVerifier": verifier, "extensionId": HOSTILE}),
    );
    assert_eq!(guessed.status, 401);
    // A server given no Ids (the published Id is not assigned yet) connects no extension.
    let unconfigured = App::new(Box::new(start));
    assert_eq!(
        connect_page(&unconfigured, OURS, "s", &challenge(&verifier)).status,
        403
    );
}

#[test]
fn the_page_names_the_extension_and_issues_a_code_only_after_the_user_confirms() {
    let app = app();
    let code_challenge = challenge(&"v".repeat(43));
    let page = connect_page(&app, OURS, "s1", &code_challenge);
    assert_eq!(page.status, 200);
    let html = text(&page);
    assert!(
        html.contains(&format!(
            "<strong id=\"extension-name\">{EXTENSION_NAME}</strong>"
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!("<code id=\"extension-id\">{OURS}</code>")),
        "{html}"
    );
    assert!(html.contains("<button id=\"confirm\""), "{html}");
    assert!(!html.contains("cc_code"), "no code before the click");
    assert!(
        !html.contains("sendMessage"),
        "nothing sent before the click"
    );
    // Not frameable: no page of another origin can put the button under the user's click.
    assert_eq!(header(&page, "x-frame-options"), Some("DENY"));
    assert_eq!(
        header(&page, "content-security-policy"),
        Some("frame-ancestors 'none'")
    );
    let confirmation = between(&html, "name=\"confirmation\" value=\"").unwrap();
    let handed = confirm(&app, &confirmation);
    assert_eq!(handed.status, 200);
    let sent = text(&handed);
    assert!(
        sent.contains(&format!(
            "chrome.runtime.sendMessage(\"{OURS}\", {{\"code\":\"cc_code_"
        )),
        "{sent}"
    );
    assert!(sent.contains("\"state\":\"s1\""), "{sent}");
    // The confirmation is single-use; an unknown one issues nothing.
    for used in [confirmation.as_str(), "cc_confirm_guess", ""] {
        let again = confirm(&app, used);
        assert_eq!(again.status, 400, "{used}");
        assert!(!text(&again).contains("cc_code"), "{used}");
    }
}

#[test]
fn a_confirmation_lasts_ten_minutes_and_a_code_sixty_seconds() {
    let (app, clock) = app_with_clock();
    let verifier = "v".repeat(43);
    let page = connect_page(&app, OURS, "s1", &challenge(&verifier));
    let confirmation = between(&text(&page), "name=\"confirmation\" value=\"").unwrap();
    *clock.lock().unwrap() = start() + Duration::seconds(601);
    assert_eq!(confirm(&app, &confirmation).status, 400, "expired");

    let code = issue_code(&app, OURS, "s2", &challenge(&verifier));
    *clock.lock().unwrap() = start() + Duration::seconds(601 + 61);
    let late = exchange(
        &app,
        json!({"code": code, "codeVerifier": verifier, "extensionId": OURS}),
    );
    assert_eq!(late.status, 401);
}

#[test]
fn the_token_endpoint_takes_a_code_only_for_the_extension_it_was_issued_to() {
    let app = app();
    let verifier = "v".repeat(43);
    // Presented for another Id: refused, and the code is spent.
    let code = issue_code(&app, OURS, "s1", &challenge(&verifier));
    let other = exchange(
        &app,
        json!({"code": code, "codeVerifier": verifier, "extensionId": HOSTILE}),
    );
    assert_eq!(other.status, 401);
    assert_eq!(
        serde_json::from_slice::<Value>(&other.body).unwrap()["type"],
        "https://api.customercity.com/problems/invalid-grant"
    );
    let after = exchange(
        &app,
        json!({"code": code, "codeVerifier": verifier, "extensionId": OURS}),
    );
    assert_eq!(after.status, 401, "spent");
    // Without an Id: refused.
    let code = issue_code(&app, OURS, "s2", &challenge(&verifier));
    assert_eq!(
        exchange(&app, json!({"code": code, "codeVerifier": verifier})).status,
        401
    );
    // Its own Id and verifier: tokens.
    let code = issue_code(&app, OURS, "s3", &challenge(&verifier));
    let tokens = exchange(
        &app,
        json!({"code": code, "codeVerifier": verifier, "extensionId": OURS}),
    );
    assert_eq!(tokens.status, 200);
}

#[test]
fn the_extensions_own_exchange_request_is_the_contracts_and_is_accepted() {
    // The request the worker sends (extension-core's auth functions) against the schema in
    // docs/openapi.json and this server.
    let app = app();
    let pending = PendingSignIn::start(&[3u8; 64], start());
    let url = pending.connect_url("https://app.customercity.com", OURS);
    assert!(url.contains(&format!("extensionId={OURS}&")), "{url}");
    let code = issue_code(&app, OURS, &pending.state, &pending.code_challenge());
    let request =
        token_exchange_request("https://api.customercity.com", &code, &pending, OURS).unwrap();
    let body: Value = serde_json::from_str(&request.body).unwrap();
    let spec: Value = serde_json::from_str(include_str!("../../../docs/openapi.json")).unwrap();
    let schema = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#/components/schemas/CodeExchange", "components": spec["components"]});
    let validator = jsonschema::options().build(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?} in {body}");
    assert!(!validator.is_valid(&json!({"code": code, "codeVerifier": pending.code_verifier})));
    let answer = exchange(&app, body);
    assert_eq!(answer.status, 200);
}
