//! The reference server's behaviour, request by request, with every JSON body validated
//! against docs/openapi.json.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::app::{App, Request, Response};
use crate::handoff_tests::{issue_code, OURS};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn app() -> App {
    App::new(Box::new(now)).with_extension_ids(vec![OURS.to_string()])
}

fn request(method: &str, path_and_query: &str, token: Option<&str>, body: Value) -> Request {
    let mut headers = vec![(
        "x-salesforce-host".to_string(),
        "acme.my.salesforce.com".to_string(),
    )];
    if let Some(token) = token {
        headers.push(("authorization".into(), format!("Bearer {token}")));
    }
    let body = if body.is_null() {
        Vec::new()
    } else {
        serde_json::to_vec(&body).unwrap()
    };
    Request::to_api(method, path_and_query, headers, body)
}

fn body(response: &Response) -> Value {
    serde_json::from_slice(&response.body).unwrap_or(Value::Null)
}

pub(crate) fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response
        .headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Validates a body against `#/components/schemas/<name>` of docs/openapi.json.
fn assert_schema(name: &str, value: &Value) {
    let spec: Value = serde_json::from_str(include_str!("../../../docs/openapi.json")).unwrap();
    let schema = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": format!("#/components/schemas/{name}"), "components": spec["components"]});
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}\n{value}");
}

/// Signs in through the hand-off page and the PKCE exchange; returns the token response.
pub(crate) fn sign_in(app: &App) -> Value {
    let verifier = "v".repeat(43);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let code = issue_code(app, OURS, "s1", &challenge);
    let wrong = app.handle(&request(
        "POST",
        "/v1/auth/token",
        None,
        json!({"code": code, "codeVerifier": "w".repeat(43), "extensionId": OURS}),
    ));
    assert_eq!(
        wrong.status, 401,
        "a wrong verifier fails (and burns the code)"
    );
    // A fresh code, the right verifier.
    let code = issue_code(app, OURS, "s2", &challenge);
    let tokens = app.handle(&request(
        "POST",
        "/v1/auth/token",
        None,
        json!({"code": code, "codeVerifier": verifier, "extensionId": OURS}),
    ));
    assert_eq!(tokens.status, 200);
    assert_schema("TokenResponse", &body(&tokens));
    let reused = app.handle(&request(
        "POST",
        "/v1/auth/token",
        None,
        json!({"code": code, "codeVerifier": verifier, "extensionId": OURS}),
    ));
    assert_eq!(reused.status, 401, "codes are single-use");
    body(&tokens)
}

#[test]
fn analysis_requires_a_token_and_revalidates_with_etag() {
    let app = app();
    let path = "/v1/opportunities/0065g00000AbCdEAAV/analysis";
    assert_eq!(
        app.handle(&request("GET", path, None, Value::Null)).status,
        401
    );
    let tokens = sign_in(&app);
    let token = tokens["accessToken"].as_str().unwrap();
    let first = app.handle(&request("GET", path, Some(token), Value::Null));
    assert_eq!(first.status, 200);
    assert_schema("Analysis", &body(&first));
    assert!(deal_health_client::api::decode_analysis(&first.body).is_ok());
    assert!(body(&first)["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["source"] == "ai"));
    let etag = header(&first, "etag").unwrap().to_string();
    let mut again = request("GET", path, Some(token), Value::Null);
    again.headers.push(("if-none-match".into(), etag));
    let not_modified = app.handle(&again);
    assert_eq!((not_modified.status, not_modified.body.len()), (304, 0));
    let no_ai = app.handle(&request(
        "GET",
        &format!("{path}?ai=exclude"),
        Some(token),
        Value::Null,
    ));
    assert_eq!(body(&no_ai)["aiIncluded"], false);
    assert!(body(&no_ai)["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["source"] == "rules"));
    let fifteen = app.handle(&request(
        "GET",
        "/v1/opportunities/0065g00000AbCdE/analysis",
        Some(token),
        Value::Null,
    ));
    assert_eq!(fifteen.status, 200, "15-character Ids work");
}

#[test]
fn unknown_ids_are_404_without_revealing_anything_and_bad_ids_are_400() {
    let app = app();
    let token = sign_in(&app)["accessToken"].as_str().unwrap().to_string();
    let unknown = app.handle(&request(
        "GET",
        "/v1/opportunities/0065g00000NoNoNAAV/analysis",
        Some(&token),
        Value::Null,
    ));
    let other = app.handle(&request(
        "GET",
        "/v1/opportunities/006000000000001/analysis",
        Some(&token),
        Value::Null,
    ));
    assert_eq!((unknown.status, other.status), (404, 404));
    assert_eq!(
        unknown.body, other.body,
        "the same answer whatever the reason"
    );
    assert_schema("Problem", &body(&unknown));
    assert_eq!(
        header(&unknown, "content-type"),
        Some("application/problem+json")
    );
    assert_eq!(
        app.handle(&request(
            "GET",
            "/v1/opportunities/001xx/analysis",
            Some(&token),
            Value::Null
        ))
        .status,
        400
    );
}

#[test]
fn portfolio_descriptions_and_refresh_rotation() {
    let app = app();
    let tokens = sign_in(&app);
    let token = tokens["accessToken"].as_str().unwrap();
    let portfolio = app.handle(&request("GET", "/v1/portfolio", Some(token), Value::Null));
    assert_schema("Portfolio", &body(&portfolio));
    let deals = body(&portfolio)["deals"].as_array().unwrap().clone();
    assert!(deals.len() >= 25);
    let scores: Vec<i64> = deals.iter().map(|d| d["score"].as_i64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] <= w[1]), "riskiest first");
    let descriptions = app.handle(&request(
        "GET",
        "/v1/descriptions?locale=de",
        None,
        Value::Null,
    ));
    assert_schema("Descriptions", &body(&descriptions));
    let refresh = tokens["refreshToken"].as_str().unwrap();
    let rotated = app.handle(&request(
        "POST",
        "/v1/auth/refresh",
        None,
        json!({"refreshToken": refresh}),
    ));
    assert_eq!(rotated.status, 200);
    assert_schema("TokenResponse", &body(&rotated));
    app.handle(&request(
        "POST",
        "/__admin/expire-tokens",
        None,
        Value::Null,
    ));
    let expired = app.handle(&request("GET", "/v1/portfolio", Some(token), Value::Null));
    assert_eq!(
        (
            expired.status,
            body(&expired)["type"]
                .as_str()
                .unwrap()
                .ends_with("token-expired")
        ),
        (401, true)
    );
}

fn refresh_with(app: &App, token: &str) -> (u16, Option<String>, Option<String>) {
    let answer = app.handle(&request(
        "POST",
        "/v1/auth/refresh",
        None,
        json!({ "refreshToken": token }),
    ));
    let tokens = body(&answer);
    let field = |name: &str| tokens[name].as_str().map(str::to_string);
    (answer.status, field("refreshToken"), field("accessToken"))
}

fn portfolio_status(app: &App, access: &str) -> u16 {
    app.handle(&request("GET", "/v1/portfolio", Some(access), json!(null)))
        .status
}

#[test]
fn a_rotated_refresh_token_works_until_its_successor_is_used_then_revokes_the_family() {
    let app = app();
    let first = sign_in(&app)["refreshToken"].as_str().unwrap().to_string();
    let (status, lost, _) = refresh_with(&app, &first);
    assert_eq!(status, 200);
    assert_ne!(lost.as_deref(), Some(first.as_str()), "rotated");
    // The answer never reached storage (the worker was stopped): the old token still works,
    // however long after, and both answers stay valid until the client uses one of them (a
    // stopped worker's request may arrive after the one that replaced it).
    let (status, kept, _) = refresh_with(&app, &first);
    assert_eq!(status, 200, "the successor was never used");
    let kept = kept.unwrap();
    // The client uses one: its parent is spent and the other answer is void.
    let (status, newest, _) = refresh_with(&app, &kept);
    assert_eq!(status, 200);
    assert_eq!(
        refresh_with(&app, lost.as_deref().unwrap()).0,
        401,
        "the unused sibling is void"
    );
    let (status, _, _) = refresh_with(&app, &first);
    assert_eq!(status, 401, "a spent token is a replay");
    assert_eq!(
        refresh_with(&app, &newest.unwrap()).0,
        401,
        "the family is revoked"
    );
    assert_eq!(refresh_with(&app, "cc_rt_unknown").0, 401);
}

#[test]
fn answers_arriving_out_of_order_keep_the_session() {
    // A stopped worker's refresh reaches the server after its replacement's: the replacement's
    // pair (the one stored) must keep working.
    let app = app();
    let first = sign_in(&app)["refreshToken"].as_str().unwrap().to_string();
    let (_, stored, _) = refresh_with(&app, &first);
    let (status, _late, _) = refresh_with(&app, &first);
    assert_eq!(status, 200);
    let (status, next, _) = refresh_with(&app, &stored.unwrap());
    assert_eq!(status, 200, "the stored pair still refreshes");
    assert_eq!(refresh_with(&app, &next.unwrap()).0, 200);
}

#[test]
fn a_thief_racing_the_user_cannot_keep_the_session() {
    // The thief holds the current refresh token and refreshes with it; so does the user. The
    // thief uses its successor first: the user's is void, and presenting it (to refresh, or to
    // revoke on sign-out) revokes the whole family, the thief's tokens included.
    let app = app();
    let stolen = sign_in(&app)["refreshToken"].as_str().unwrap().to_string();
    let (_, thiefs, _) = refresh_with(&app, &stolen);
    let (_, users, users_access) = refresh_with(&app, &stolen);
    let (status, thiefs_next, thiefs_access) = refresh_with(&app, &thiefs.unwrap());
    assert_eq!(status, 200);
    assert_eq!(
        portfolio_status(&app, &users_access.unwrap()),
        401,
        "the void sibling's access token is void too"
    );
    assert_eq!(
        refresh_with(&app, users.as_deref().unwrap()).0,
        401,
        "the user's refresh is refused…"
    );
    assert_eq!(
        refresh_with(&app, &thiefs_next.unwrap()).0,
        401,
        "…and revokes the family"
    );
    assert_eq!(portfolio_status(&app, &thiefs_access.unwrap()), 401);

    // The same race, then the user signs out with the void token: the revocation still finds
    // the family.
    let stolen = sign_in(&app)["refreshToken"].as_str().unwrap().to_string();
    let (_, thiefs, _) = refresh_with(&app, &stolen);
    let (_, users, _) = refresh_with(&app, &stolen);
    let (_, thiefs_next, _) = refresh_with(&app, &thiefs.unwrap());
    let revoke = app.handle(&request(
        "POST",
        "/v1/auth/revoke",
        None,
        json!({ "refreshToken": users.unwrap() }),
    ));
    assert_eq!(revoke.status, 204);
    assert_eq!(refresh_with(&app, &thiefs_next.unwrap()).0, 401);
}

#[test]
fn revoking_any_token_of_a_sign_in_voids_the_whole_family() {
    let app = app();
    let tokens = sign_in(&app);
    let first = tokens["refreshToken"].as_str().unwrap().to_string();
    // A refresh in flight at sign-out: rotated by the server, then the user signs out with the
    // token the worker had stored (the parent).
    let (_, successor, access) = refresh_with(&app, &first);
    let other = sign_in(&app);
    let revoke = app.handle(&request(
        "POST",
        "/v1/auth/revoke",
        None,
        json!({ "refreshToken": first }),
    ));
    assert_eq!(revoke.status, 204);
    assert_eq!(refresh_with(&app, &successor.unwrap()).0, 401);
    assert_eq!(portfolio_status(&app, &access.unwrap()), 401);
    assert_eq!(
        portfolio_status(&app, tokens["accessToken"].as_str().unwrap()),
        401
    );
    // Another sign-in is not touched.
    assert_eq!(
        portfolio_status(&app, other["accessToken"].as_str().unwrap()),
        200
    );
    assert_eq!(
        refresh_with(&app, other["refreshToken"].as_str().unwrap()).0,
        200
    );
}

#[test]
fn events_are_recorded_once_per_batch_id() {
    let app = app();
    let token = sign_in(&app)["accessToken"].as_str().unwrap().to_string();
    let batch = json!({"batchId": "5b1f0c7e-8f0a-4d5e-9a57-3f1e2a9b6c10", "sentAt": "2026-11-23T12:00:00Z",
        "events": [{"name": "badge_viewed", "at": "2026-11-23T11:58:02Z", "properties": {"band": "at_risk"}}]});
    assert_schema("EventBatch", &batch);
    let first = app.handle(&request("POST", "/v1/events", Some(&token), batch.clone()));
    assert_eq!(first.status, 202);
    assert_schema("EventAck", &body(&first));
    let second = app.handle(&request("POST", "/v1/events", Some(&token), batch));
    assert_eq!(
        (second.status, body(&second)["duplicate"].as_bool()),
        (200, Some(true))
    );
    let recorded = body(&app.handle(&request("GET", "/__admin/events", None, Value::Null)));
    assert_eq!(recorded.as_array().unwrap().len(), 1);
    assert_eq!(
        app.handle(&request("POST", "/v1/events", None, json!({})))
            .status,
        401,
        "only while signed in"
    );
}

#[test]
fn faults_are_injected_on_request_and_then_stop() {
    let app = app();
    let token = sign_in(&app)["accessToken"].as_str().unwrap().to_string();
    let path = "/v1/opportunities/0065g00000AbCdEAAV/analysis";
    let faults = json!([
        {"kind": "429", "amount": 7}, {"kind": "503"}, {"kind": "500"}, {"kind": "malformed"},
        {"kind": "oversized"}, {"kind": "wrong-content-type"}, {"kind": "expired-token"}, {"kind": "latency", "amount": 1500}
    ]);
    assert_eq!(
        app.handle(&request("POST", "/__admin/faults", None, faults))
            .status,
        204
    );
    let get = || app.handle(&request("GET", path, Some(&token), Value::Null));
    let limited = get();
    assert_eq!(
        (limited.status, header(&limited, "retry-after")),
        (429, Some("7"))
    );
    assert_eq!(get().status, 503);
    assert_eq!(get().status, 500);
    assert!(
        deal_health_client::api::decode_analysis(&get().body).is_err(),
        "malformed JSON"
    );
    assert_eq!(
        deal_health_client::api::decode_analysis(&get().body),
        Err(deal_health_client::api::ApiError::TooLarge)
    );
    assert_eq!(
        header(&get(), "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(get().status, 401);
    let slow = get();
    assert_eq!((slow.status, slow.delay_ms), (200, 1500));
    assert_eq!(get().status, 200, "faults are used up");
}
