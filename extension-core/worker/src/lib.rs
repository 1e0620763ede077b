//! # deal-health-worker
//!
//! JavaScript entry points of the service worker's and the side panel's wasm. Thin by design:
//! they convert arguments, call the Tier 2 decisions (`deal-health-client`) and convert the
//! answer. The content script's entry points are another crate (`extension-core/content/`).
#![cfg(target_arch = "wasm32")]

use serde::Serialize;
use wasm_bindgen::prelude::*;

use deal_health_client::panel::Theme;
use deal_health_client::protocol::{route, Sender};

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| JsValue::from_str(&error.to_string()))
}

/// Every name the extension keeps data under (`storage::KEYS`): the worker and the side panel
/// read their keys from here, never spell them.
#[wasm_bindgen(js_name = storageKeys)]
pub fn storage_keys() -> Result<JsValue, JsValue> {
    to_js(&deal_health_client::storage::KEYS)
}

/// Validates a runtime message and decides the worker's action: `{action: ...}`.
#[wasm_bindgen(js_name = routeMessage)]
pub fn route_message(
    extension_id: &str,
    sender: JsValue,
    message_json: &str,
) -> Result<JsValue, JsValue> {
    let sender: Sender = serde_wasm_bindgen::from_value(sender).unwrap_or_default();
    to_js(&route(extension_id, &sender, message_json))
}

/// Starts a sign-in from 64 random bytes: `{pending, url}` (the pending state goes to
/// `chrome.storage.session`; the URL opens in a new tab).
#[wasm_bindgen(js_name = beginSignIn)]
pub fn begin_sign_in(
    random: &[u8],
    now: &str,
    app_origin: &str,
    extension_id: &str,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Started {
        pending: deal_health_client::auth::PendingSignIn,
        url: String,
    }
    let random: &[u8; 64] = random
        .try_into()
        .map_err(|_| JsValue::from_str("64 random bytes expected"))?;
    let pending = deal_health_client::auth::PendingSignIn::start(random, parse_instant(now)?);
    let url = pending.connect_url(app_origin, extension_id);
    to_js(&Started { pending, url })
}

/// Checks the web app's hand-off message and returns the token-exchange request
/// `{url, body}` (an HTTPS POST to the API, naming `extension_id`, the extension's own Id), or
/// throws why as a code (`auth::HandOffError`'s, or `refused` for an API origin that is not
/// HTTPS).
#[wasm_bindgen(js_name = acceptHandOff)]
pub fn accept_hand_off(
    message_json: &str,
    sender_origin: Option<String>,
    app_origin: &str,
    api_origin: &str,
    pending: JsValue,
    now: &str,
    extension_id: &str,
) -> Result<JsValue, JsValue> {
    let pending: Option<deal_health_client::auth::PendingSignIn> =
        serde_wasm_bindgen::from_value(pending).ok().flatten();
    let code = deal_health_client::auth::accept_hand_off(
        message_json,
        sender_origin.as_deref(),
        app_origin,
        pending.as_ref(),
        parse_instant(now)?,
    )
    .map_err(|refused| to_js(&refused).unwrap_or_else(|_| sign_in_failed()))?;
    let request = pending
        .and_then(|pending| {
            deal_health_client::auth::token_exchange_request(
                api_origin,
                &code,
                &pending,
                extension_id,
            )
        })
        .ok_or_else(sign_in_failed)?;
    to_js(&request)
}

/// What a refused hand-off or token exchange throws: the side panel's code for it
/// (`auth::SignInFailure::Refused`).
fn sign_in_failed() -> JsValue {
    to_js(&deal_health_client::auth::SignInFailure::Refused).unwrap_or(JsValue::NULL)
}

/// The session to store from the token endpoint's answer, or throws the code `refused`.
#[wasm_bindgen(js_name = sessionFromTokenResponse)]
pub fn session_from_token_response(status: u16, body: &str, now: &str) -> Result<JsValue, JsValue> {
    if status != 200 {
        return Err(sign_in_failed());
    }
    let tokens =
        deal_health_client::api::decode_tokens(body.as_bytes()).map_err(|_| sign_in_failed())?;
    to_js(&deal_health_client::auth::Session::from_tokens(
        &tokens,
        parse_instant(now)?,
    ))
}

/// Judges the answer to a token refresh (`auth::refresh_outcome`; `status` 0 when none came):
/// `{renewed: session}`, `{refused: true}` (sign out) or `{unavailable: code}` (keep it; the
/// code is a `retry::ErrorKind`'s).
#[wasm_bindgen(js_name = refreshOutcome)]
pub fn refresh_outcome(status: u16, body: &str, now: &str) -> Result<JsValue, JsValue> {
    use deal_health_client::auth::RefreshOutcome;
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum Outcome {
        Renewed(deal_health_client::auth::Session),
        Refused(bool),
        Unavailable(deal_health_client::retry::ErrorKind),
    }
    let status = (status != 0).then_some(status);
    to_js(&match deal_health_client::auth::refresh_outcome(
        status,
        body.as_bytes(),
        parse_instant(now)?,
    ) {
        RefreshOutcome::Renewed(session) => Outcome::Renewed(session),
        RefreshOutcome::Refused => Outcome::Refused(true),
        RefreshOutcome::Unavailable(reason) => Outcome::Unavailable(reason),
    })
}

fn parse_instant(text: &str) -> Result<chrono::DateTime<chrono::Utc>, JsValue> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| JsValue::from_str("an RFC 3339 time was expected"))
}

/// The worker's answer to a record page's first message: may the badge show on a page of
/// `page_host`? `live` is `chrome.storage.managed`'s content once the worker has read it
/// (`undefined` before), `copy` the last policy it read in an earlier browser session (or
/// `undefined`). `{allowed, provisional}`, or `undefined` when neither is known (the worker
/// waits for the live read). See `settings::page_allowed`.
#[wasm_bindgen(js_name = pageAllowed)]
pub fn page_allowed(live: JsValue, copy: JsValue, page_host: &str) -> Result<JsValue, JsValue> {
    let read = |value: JsValue| -> Option<serde_json::Value> {
        if value.is_undefined() || value.is_null() {
            None
        } else {
            // A policy that is not an object still counts as read: it limits nothing.
            Some(from_js(value).unwrap_or(serde_json::Value::Null))
        }
    };
    let (live, copy) = (read(live), read(copy));
    match deal_health_client::settings::page_allowed(live.as_ref(), copy.as_ref(), page_host) {
        Some(answer) => to_js(&answer),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// What a `chrome.storage` change (its area and changed keys) means for the worker:
/// `{settings, policy}` (`settings::storage_change`).
#[wasm_bindgen(js_name = storageChange)]
pub fn storage_change(area: &str, changed: Vec<String>) -> Result<JsValue, JsValue> {
    to_js(&deal_health_client::settings::storage_change(
        area,
        changed.iter().map(String::as_str),
    ))
}

/// What the settings in force require of data kept from before: `{dropQueue, signOut}`
/// (`settings::enforce`).
#[wasm_bindgen(js_name = enforceSettings)]
pub fn enforce_settings(settings: JsValue, signed_in: bool) -> Result<JsValue, JsValue> {
    to_js(&deal_health_client::settings::enforce(
        &settings_from(settings)?,
        signed_in,
    ))
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Option<T> {
    serde_wasm_bindgen::from_value(value).ok().flatten()
}

fn settings_from(value: JsValue) -> Result<deal_health_client::settings::Settings, JsValue> {
    from_js(value).ok_or_else(|| JsValue::from_str("settings expected (from effectiveSettings)"))
}

fn load_index(value: JsValue) -> (deal_health_client::cache::CacheIndex, Vec<String>) {
    let stored: Option<serde_json::Value> = from_js(value);
    deal_health_client::cache::CacheIndex::load(stored.as_ref())
}

/// The settings in force: `managed` is `chrome.storage.managed`'s content (or `null`),
/// `local` the user's values from `chrome.storage.local` (see `settings::effective`), with the
/// origins the extension was built with; `managed_readable` false when reading the managed
/// area failed (analytics then pauses).
#[wasm_bindgen(js_name = effectiveSettings)]
pub fn effective_settings(
    managed: JsValue,
    local: JsValue,
    built_api_origin: &str,
    built_app_origin: &str,
    managed_readable: bool,
) -> Result<JsValue, JsValue> {
    let managed: Option<serde_json::Value> = from_js(managed);
    let local: serde_json::Value = from_js(local).unwrap_or_default();
    let settings =
        deal_health_client::settings::effective(managed.as_ref(), &local, built_api_origin)
            .with_built_app_origin(built_app_origin);
    to_js(&if managed_readable {
        settings
    } else {
        settings.with_unreadable_policy()
    })
}

/// Plans a request for a resource (`{kind: "deal", recordId}`, `{kind: "portfolio"}`,
/// `{kind: "descriptions", locale}`): `{plan, index, orphans}` (see `client::plan_fetch`);
/// `orphans` are keys of a discarded index, to delete. `language`: the extension's catalog
/// language (`locale_tag`), English when absent.
#[wasm_bindgen(js_name = planFetch)]
#[allow(clippy::too_many_arguments)]
pub fn plan_fetch(
    session: JsValue,
    index: JsValue,
    host: &str,
    resource: JsValue,
    now: &str,
    settings: JsValue,
    refresh: bool,
    language: Option<String>,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Planned {
        plan: deal_health_client::client::FetchPlan,
        index: deal_health_client::cache::CacheIndex,
        orphans: Vec<String>,
    }
    let session: Option<deal_health_client::auth::Session> = from_js(session);
    let (mut index, orphans) = load_index(index);
    let plan = match from_js::<deal_health_client::client::Resource>(resource) {
        Some(resource) => deal_health_client::client::plan_fetch(
            session.as_ref(),
            &mut index,
            host,
            &resource,
            parse_instant(now)?,
            &settings_from(settings)?,
            refresh,
            language.as_deref().unwrap_or("en"),
        ),
        None => deal_health_client::client::FetchPlan::Invalid,
    };
    to_js(&Planned {
        plan,
        index,
        orphans,
    })
}

/// Interprets a response: `{store, evicted, unauthorized, error, index}`; when `store` the
/// worker keeps the body under the key. `body` is `null` when it was larger than
/// `maxResponseBytes()` (the worker stopped reading it).
#[wasm_bindgen(js_name = completeFetch)]
#[allow(clippy::too_many_arguments)]
pub fn complete_fetch(
    resource: JsValue,
    status: u16,
    etag: Option<String>,
    body: Option<String>,
    index: JsValue,
    key: &str,
    now: &str,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Completed {
        #[serde(flatten)]
        outcome: deal_health_client::client::FetchOutcome,
        index: deal_health_client::cache::CacheIndex,
    }
    let resource: deal_health_client::client::Resource =
        from_js(resource).ok_or_else(|| JsValue::from_str("a resource was expected"))?;
    let (mut index, _orphans) = load_index(index);
    let outcome = match body {
        Some(body) => deal_health_client::client::complete_fetch(
            &resource,
            status,
            etag.as_deref(),
            body.as_bytes(),
            &mut index,
            key,
            parse_instant(now)?,
        ),
        None => deal_health_client::client::oversized_response(),
    };
    to_js(&Completed { outcome, index })
}

/// Where the portfolio of the org at `host` is cached, for the list badges, or `null` signed
/// out (`session` `null`) or when none could be planned (`client::cached_portfolio_key`). No
/// request follows from it.
#[wasm_bindgen(js_name = cachedPortfolioKey)]
pub fn cached_portfolio_key(
    session: JsValue,
    host: &str,
    settings: JsValue,
    language: Option<String>,
) -> Result<Option<String>, JsValue> {
    let session: Option<deal_health_client::auth::Session> = from_js(session);
    Ok(deal_health_client::client::cached_portfolio_key(
        session.as_ref(),
        host,
        &settings_from(settings)?,
        language.as_deref().unwrap_or("en"),
    ))
}

/// The Customer City scores of a list report's rows (`summary`, a `ListSummary`) from the
/// portfolio stored under `key` (`body`, `null` when nothing is): `[{recordId, value, band}]`,
/// only for reported rows whose deal it holds (`client::list_scores`); `[]` for anything
/// malformed.
#[wasm_bindgen(js_name = listScores)]
pub fn list_scores(
    body: Option<String>,
    index: JsValue,
    key: &str,
    now: &str,
    summary: JsValue,
) -> Result<JsValue, JsValue> {
    let Some(summary) = from_js::<deal_health::list::summary::ListSummary>(summary) else {
        return to_js(&Vec::<deal_health::list::view::RowScore>::new());
    };
    let index = load_index(index).0;
    to_js(&deal_health_client::client::list_scores(
        body.as_deref().map(str::as_bytes),
        &index,
        key,
        parse_instant(now)?,
        &summary,
    ))
}

/// How many bytes of a response body the worker reads at most: one more means too large
/// (`completeFetch` is then given `null`).
#[wasm_bindgen(js_name = maxResponseBytes)]
pub fn max_response_bytes() -> u32 {
    deal_health_client::api::MAX_RESPONSE_BYTES as u32
}

/// A stored body (under `key`), decoded and validated again for use: `{summary, analysis,
/// ageMinutes}` for a deal (the summary is what the badge needs), `{portfolio}` or
/// `{descriptions}`; `null` when nothing is stored; `{corrupt: true}` when the entry is damaged
/// (the worker discards it and fetches again).
#[wasm_bindgen(js_name = readStored)]
pub fn read_stored(
    resource: JsValue,
    body: Option<String>,
    index: JsValue,
    key: &str,
    now: &str,
    stale: bool,
) -> Result<JsValue, JsValue> {
    use deal_health_client::client::{recall, Recall, Resource, StoredRead};
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Stored {
        #[serde(flatten)]
        read: StoredRead,
        age_minutes: Option<i64>,
    }
    #[derive(Serialize)]
    struct Corrupt {
        corrupt: bool,
    }
    let Some(resource) = from_js::<Resource>(resource) else {
        return Ok(JsValue::NULL);
    };
    let now = parse_instant(now)?;
    let index = load_index(index).0;
    match recall(
        &resource,
        body.as_deref().map(str::as_bytes),
        &index,
        key,
        now,
        stale,
    ) {
        Recall::Found { read, age_minutes } => to_js(&Stored {
            read: *read,
            age_minutes,
        }),
        Recall::Nothing => Ok(JsValue::NULL),
        Recall::Corrupt => to_js(&Corrupt { corrupt: true }),
    }
}

/// Storage is full: `{index, remove}`, what to delete so that a write can succeed (orphaned
/// entries, then the least recently used half; see `CacheIndex::reclaim`). `storedKeys` are
/// every key in the storage area.
#[wasm_bindgen(js_name = reclaimStorage)]
pub fn reclaim_storage(index: JsValue, stored_keys: JsValue) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Reclaimed {
        index: deal_health_client::cache::CacheIndex,
        remove: Vec<String>,
    }
    let (mut index, mut remove) = load_index(index);
    let stored_keys: Vec<String> = from_js(stored_keys).unwrap_or_default();
    remove.extend(index.reclaim(&stored_keys));
    to_js(&Reclaimed { index, remove })
}

/// The alarm's sweep: `{index, remove}` (expired entries, cache bodies no entry names, and those
/// of a discarded index). `stored_keys`: every key in storage.
#[wasm_bindgen(js_name = sweepCache)]
pub fn sweep_cache(index: JsValue, stored_keys: JsValue, now: &str) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Swept {
        index: deal_health_client::cache::CacheIndex,
        remove: Vec<String>,
    }
    let (mut index, mut remove) = load_index(index);
    let stored_keys: Vec<String> = from_js(stored_keys).unwrap_or_default();
    remove.extend(index.sweep(parse_instant(now)?, &stored_keys));
    to_js(&Swept { index, remove })
}

/// When to refresh the access token (milliseconds since the epoch), or `null` signed out.
#[wasm_bindgen(js_name = refreshAlarmAt)]
pub fn refresh_alarm_at(session: JsValue, now: &str, jitter: f64) -> Result<JsValue, JsValue> {
    let session: Option<deal_health_client::auth::Session> = from_js(session);
    let now = parse_instant(now)?;
    Ok(session
        .map(|s| JsValue::from_f64(s.refresh_alarm_at(now, jitter).timestamp_millis() as f64))
        .unwrap_or(JsValue::NULL))
}

/// What signing out removes and the revocation to send: `{remove, revoke: [url, body] | null}`.
/// `stored_keys`: every key in storage (cache bodies no index names go too).
#[wasm_bindgen(js_name = signOutPlan)]
pub fn sign_out_plan(
    session: JsValue,
    index: JsValue,
    stored_keys: JsValue,
    api_origin: &str,
) -> Result<JsValue, JsValue> {
    let stored_keys: Vec<String> = from_js(stored_keys).unwrap_or_default();
    let session: Option<deal_health_client::auth::Session> =
        serde_wasm_bindgen::from_value(session).ok().flatten();
    let stored: Option<serde_json::Value> = serde_wasm_bindgen::from_value(index).ok().flatten();
    let (mut index, orphans) = deal_health_client::cache::CacheIndex::load(stored.as_ref());
    let mut plan = deal_health_client::auth::sign_out_plan(
        session.as_ref(),
        &mut index,
        &stored_keys,
        api_origin,
    );
    plan.remove.extend(orphans);
    to_js(&plan)
}

/// After an answer with `status` and `Retry-After` (`retry_after`): the hold to store under
/// `retry::HOLD_KEY` (`{origin, until}` for `api_origin`), or `null`.
#[wasm_bindgen(js_name = holdAfter)]
pub fn hold_after(
    status: u16,
    retry_after: Option<String>,
    api_origin: &str,
    now: &str,
) -> Result<JsValue, JsValue> {
    use deal_health_client::retry::{hold_until, parse_retry_after, Outcome};
    let now = parse_instant(now)?;
    let outcome = Outcome::Status {
        status,
        retry_after_ms: retry_after
            .as_deref()
            .and_then(|v| parse_retry_after(v, now)),
    };
    Ok(match hold_until(outcome, now) {
        Some(until) => to_js(&serde_json::json!({ "origin": api_origin, "until": until }))?,
        None => JsValue::NULL,
    })
}

#[derive(serde::Deserialize)]
struct Hold {
    origin: String,
    until: chrono::DateTime<chrono::Utc>,
}

/// Milliseconds that requests to `api_origin` must still wait under the stored hold (0: none).
#[wasm_bindgen(js_name = holdRemaining)]
pub fn hold_remaining(stored: JsValue, api_origin: &str, now: &str) -> Result<f64, JsValue> {
    let now = parse_instant(now)?;
    Ok(from_js::<Hold>(stored).map_or(0, |hold| {
        deal_health_client::retry::hold_remaining_ms(&hold.origin, hold.until, api_origin, now)
    }) as f64)
}

/// Whether a tab may have `record_id` analysed now: `{admitted, pace}`, `pace` (the tab's
/// record of recent requests, `retry::TabPace`) to store again for the tab.
#[wasm_bindgen(js_name = admitAnalysis)]
pub fn admit_analysis(pace: JsValue, record_id: &str, now: &str) -> Result<JsValue, JsValue> {
    let mut pace: deal_health_client::retry::TabPace = from_js(pace).unwrap_or_default();
    let admitted = pace.admit(record_id, parse_instant(now)?);
    to_js(&serde_json::json!({ "admitted": admitted, "pace": pace }))
}

/// When to try a failed (not refused) token refresh again, in milliseconds since the epoch:
/// one to two minutes from now, or when the stored hold ends.
#[wasm_bindgen(js_name = refreshRetryAt)]
pub fn refresh_retry_at(stored_hold: JsValue, now: &str, jitter: f64) -> Result<f64, JsValue> {
    let now = parse_instant(now)?;
    let hold = from_js::<Hold>(stored_hold).map(|hold| hold.until);
    Ok(deal_health_client::retry::refresh_retry_at(now, jitter, hold).timestamp_millis() as f64)
}

/// After an attempt: what to do next (`retry::Next`, serialised as `{next, delayMs?,
/// reason?}`). `status` is `null` for a network error or, with `timed_out`, a timeout;
/// `last_status` the last status an earlier attempt of the same request got (see
/// `retry::next_step_remembering`).
#[wasm_bindgen(js_name = nextStep)]
#[allow(clippy::too_many_arguments)]
pub fn next_step(
    attempt: u32,
    status: Option<u16>,
    timed_out: bool,
    retry_after: Option<String>,
    refreshed: bool,
    jitter: f64,
    now: &str,
    last_status: Option<u16>,
) -> Result<JsValue, JsValue> {
    use deal_health_client::retry::{
        next_step_remembering, parse_retry_after, Outcome, RetryPolicy,
    };
    let now = parse_instant(now)?;
    let outcome = match status {
        Some(status) => Outcome::Status {
            status,
            retry_after_ms: retry_after
                .as_deref()
                .and_then(|v| parse_retry_after(v, now)),
        },
        None if timed_out => Outcome::Timeout,
        None => Outcome::NetworkError,
    };
    to_js(&next_step_remembering(
        &RetryPolicy::default(),
        attempt,
        outcome,
        refreshed,
        jitter,
        last_status,
    ))
}

/// The token refresh request `{url, body}` for a stored session, or `null` without one.
#[wasm_bindgen(js_name = refreshRequest)]
pub fn refresh_request(session: JsValue, api_origin: &str) -> Result<JsValue, JsValue> {
    let session: Option<deal_health_client::auth::Session> =
        serde_wasm_bindgen::from_value(session).ok().flatten();
    match session
        .and_then(|session| deal_health_client::auth::refresh_request(api_origin, &session))
    {
        Some(request) => to_js(&request),
        None => Ok(JsValue::NULL),
    }
}

/// Records an event (`analytics::record_for_worker`: signed in, policy readable, not opted
/// out, on the allow-list): `{queue, store}`, `store` saying whether to write the queue.
#[wasm_bindgen(js_name = recordEvent)]
pub fn record_event(
    queue: JsValue,
    name: &str,
    properties: JsValue,
    now: &str,
    session: JsValue,
    settings: JsValue,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Recorded {
        queue: deal_health_client::analytics::Queue,
        store: bool,
    }
    let mut queue: deal_health_client::analytics::Queue = from_js(queue).unwrap_or_default();
    let properties: std::collections::BTreeMap<String, serde_json::Value> =
        from_js(properties).unwrap_or_default();
    let session: Option<deal_health_client::auth::Session> = from_js(session);
    let store = deal_health_client::analytics::record_for_worker(
        &mut queue,
        name,
        properties,
        parse_instant(now)?,
        session.as_ref(),
        &settings_from(settings)?,
    );
    to_js(&Recorded { queue, store })
}

/// The batch to send now, if any, and what to do with the stored queue:
/// `{queue, batch: {batchId, url, headers, body} | null, store: "keep" | "write" | "remove"}`
/// (`analytics::take_batch_for_worker`).
#[wasm_bindgen(js_name = takeBatch)]
pub fn take_batch(
    queue: JsValue,
    random: &[u8],
    now: &str,
    session: JsValue,
    settings: JsValue,
    on_alarm: bool,
) -> Result<JsValue, JsValue> {
    use deal_health_client::analytics::{BatchRequest, Queue, QueueStore};
    #[derive(Serialize)]
    struct Taken {
        queue: Queue,
        batch: Option<BatchRequest>,
        store: QueueStore,
    }
    let mut queue: Queue = from_js(queue).unwrap_or_default();
    let session: Option<deal_health_client::auth::Session> = from_js(session);
    let random: [u8; 16] = random
        .get(..16)
        .and_then(|r| r.try_into().ok())
        .ok_or_else(|| JsValue::from_str("16 random bytes expected"))?;
    let (batch, store) = deal_health_client::analytics::take_batch_for_worker(
        &mut queue,
        session.as_ref(),
        &settings_from(settings)?,
        on_alarm,
        || deal_health_client::analytics::uuid_v4(random),
        parse_instant(now)?,
    );
    to_js(&Taken {
        queue,
        batch,
        store,
    })
}

/// After an answer to a batch (`status` 0 when none came): `"acknowledged"`,
/// `"refreshThenResend"` or `"keep"` (`analytics::batch_outcome`).
#[wasm_bindgen(js_name = batchOutcome)]
pub fn batch_outcome(
    status: u16,
    body: &str,
    batch_id: &str,
    refreshed: bool,
) -> Result<JsValue, JsValue> {
    let status = (status != 0).then_some(status);
    to_js(&deal_health_client::analytics::batch_outcome(
        status,
        body.as_bytes(),
        batch_id,
        refreshed,
    ))
}

/// The queue after the server acknowledged `batch_id`.
#[wasm_bindgen(js_name = acknowledgeBatch)]
pub fn acknowledge_batch(queue: JsValue, batch_id: &str) -> Result<JsValue, JsValue> {
    let mut queue: deal_health_client::analytics::Queue = serde_wasm_bindgen::from_value(queue)
        .ok()
        .flatten()
        .unwrap_or_default();
    queue.acknowledged(batch_id);
    to_js(&queue)
}

/// The language the API is asked to answer in for the extension's catalog language (see
/// `client::api_language`).
#[wasm_bindgen(js_name = apiLanguage)]
pub fn api_language(catalog_language: &str) -> String {
    deal_health_client::client::api_language(catalog_language).to_string()
}

/// Whether the administrator's policy fixes a panel setting (`analytics`, `aiInsights`).
#[wasm_bindgen(js_name = isForced)]
pub fn is_forced(settings: JsValue, setting: &str) -> Result<bool, JsValue> {
    Ok(settings_from(settings)?.is_forced(setting))
}

/// What the side panel needs to know of a tab from its URL and the content script's Tier 1
/// report for it: `{host, recordId, analyse, list}` (each `null` when not Salesforce / not an
/// Opportunity / not yet seen on the page, see `panel::record_to_analyse`; `list`: which list
/// of Opportunities the tab shows, `panel::list_identity`).
#[wasm_bindgen(js_name = tabContext)]
pub fn tab_context(url: &str, tier1: JsValue) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Context {
        host: Option<String>,
        record_id: Option<String>,
        analyse: Option<String>,
        list: Option<String>,
    }
    let (host, record_id) = deal_health_client::panel::tab_context(url);
    let list = deal_health_client::panel::list_identity(url);
    let tier1: Option<deal_health::report::Tier1Summary> = from_js(tier1);
    let analyse =
        deal_health_client::panel::record_to_analyse(record_id.as_deref(), tier1.as_ref());
    to_js(&Context {
        host,
        record_id,
        analyse,
        list,
    })
}

/// The side panel's view of what the worker answered (see `panel::panel_view`).
#[wasm_bindgen(js_name = panelView)]
pub fn panel_view(input: JsValue) -> Result<JsValue, JsValue> {
    use deal_health_client::panel::PanelInput;
    // No answer (null), a failed one, or one that does not read as the panel's input: said
    // as such.
    let input = PanelInput::from_answer(from_js(input));
    to_js(&deal_health_client::panel::panel_view(&input))
}

/// The panel's theme: `system`, `light` or `dark` (`panel::Theme`, kept in the panel's
/// `localStorage` through gloo-storage).
#[wasm_bindgen(js_name = themePreference)]
pub fn theme_preference() -> String {
    use gloo_storage::Storage;
    let stored: Option<String> =
        gloo_storage::LocalStorage::get(deal_health_client::storage::THEME).ok();
    Theme::from_stored(stored.as_deref()).code().to_string()
}

/// Stores the panel's theme; throws for anything `panel::Theme` does not know.
#[wasm_bindgen(js_name = setThemePreference)]
pub fn set_theme_preference(theme: &str) -> Result<(), JsValue> {
    use gloo_storage::Storage;
    let theme = Theme::parse(theme).ok_or_else(|| JsValue::from_str("unknown theme"))?;
    gloo_storage::LocalStorage::set(deal_health_client::storage::THEME, theme.code())
        .map_err(|error| JsValue::from_str(&error.to_string()))
}
