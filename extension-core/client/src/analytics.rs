//! Usage analytics: an allow-list of anonymous events, a bounded persistent queue, and batches
//! that keep their Id until the server acknowledges them, so that a worker killed mid-send
//! neither loses nor duplicates anything. `feature_analyticsOptOut` stops everything.
//!
//! An event must not be joinable to a deal. Batches go with the same bearer token as analysis
//! requests, so an event carries nothing derived from the deal on screen (no score band, no
//! field) and only the hour it happened in ([`record_hour`]): the server cannot line a
//! `badge_viewed` up with the analysis request made in the same second. `docs/api.md`, "What
//! one event holds", lists every field.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use crate::api::{Event, EventBatch};

/// Queue bound: past it, the oldest events are dropped.
pub const MAX_QUEUED: usize = 1000;
/// A batch is sent once this many events wait...
pub const BATCH_SIZE: usize = 50;
/// ...or, on the alarm, once the oldest waiting event is this old (a light user's events still
/// arrive the same day; a busy user's go in full batches, at most one request per 50 events).
pub const MAX_WAIT_HOURS: i64 = 4;

/// The time an event is recorded with: the start of its hour (UTC). An hour holds many page
/// views and requests, so an event's time points at none of them.
pub fn record_hour(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::hours(1)).unwrap_or(at)
}

/// A property's allowed values.
enum Allowed {
    OneOf(&'static [&'static str]),
    Boolean,
}

/// The allow-list: event names and, for each, its properties. Nothing else is ever recorded,
/// and nothing here is computed from a deal's fields (`badge_viewed` once carried the score's
/// band: with the time of the analysis request beside it, that named the deal).
const ALLOW_LIST: &[(&str, &[(&str, Allowed)])] = &[
    (
        "badge_viewed",
        &[("ui", Allowed::OneOf(&["lightning", "classic"]))],
    ),
    (
        "side_panel_opened",
        &[("from", Allowed::OneOf(&["badge", "toolbar"]))],
    ),
    (
        "analysis_refreshed",
        &[
            (
                "trigger",
                Allowed::OneOf(&["manual", "background", "first_view"]),
            ),
            ("cached", Allowed::Boolean),
        ],
    ),
    ("signed_in", &[]),
    ("signed_out", &[]),
    ("portfolio_opened", &[]),
    (
        "settings_changed",
        &[(
            "setting",
            Allowed::OneOf(&["ai_insights", "theme", "clear_data"]),
        )],
    ),
];

/// Why an event was not recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Rejected {
    /// The user (or the administrator) opted out: nothing is recorded.
    #[error("analytics are turned off")]
    OptedOut,
    /// An event off the allow-list.
    #[error("event {0:?} is not on the allow-list")]
    UnknownEvent(String),
    /// A property off the event's allow-list.
    #[error("property {0:?} is not allowed for this event")]
    UnknownProperty(String),
    /// A value the allow-list does not take for that property.
    #[error("property {0:?} has a value outside the allow-list")]
    BadValue(String),
}

/// Validates an event against the allow-list.
pub fn validate(name: &str, properties: &BTreeMap<String, Value>) -> Result<(), Rejected> {
    let (_, allowed) = ALLOW_LIST
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| Rejected::UnknownEvent(name.to_string()))?;
    for (key, value) in properties {
        let (_, rule) = allowed
            .iter()
            .find(|(k, _)| k == key)
            .ok_or_else(|| Rejected::UnknownProperty(key.clone()))?;
        let ok = match rule {
            Allowed::OneOf(values) => value.as_str().is_some_and(|v| values.contains(&v)),
            Allowed::Boolean => value.is_boolean(),
        };
        if !ok {
            return Err(Rejected::BadValue(key.clone()));
        }
    }
    Ok(())
}

/// The persisted queue: waiting events plus at most one batch in flight.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Queue {
    /// The events waiting to be sent, oldest first.
    pub waiting: VecDeque<Event>,
    /// A batch handed to the network and not yet acknowledged: resent with the same Id.
    pub in_flight: Option<EventBatch>,
    /// Events dropped because the queue was full (for diagnostics).
    pub dropped: u64,
}

impl Queue {
    /// Records an event unless opted out or not allowed, at the start of the hour of `at`
    /// ([`record_hour`]): the queue never holds a finer time.
    pub fn record(
        &mut self,
        name: &str,
        properties: BTreeMap<String, Value>,
        at: DateTime<Utc>,
        opted_out: bool,
    ) -> Result<(), Rejected> {
        if opted_out {
            return Err(Rejected::OptedOut);
        }
        validate(name, &properties)?;
        self.waiting.push_back(Event {
            name: name.to_string(),
            at: record_hour(at),
            properties,
        });
        while self.waiting.len() > MAX_QUEUED {
            self.waiting.pop_front();
            self.dropped += 1;
        }
        Ok(())
    }

    /// Whether to send now: signed in, not opted out, and a batch is in flight (to resend), a
    /// full batch waits, or (on the alarm) the oldest event has waited [`MAX_WAIT_HOURS`]
    /// (counted from the start of its hour: it may go up to an hour sooner).
    pub fn should_send(
        &self,
        signed_in: bool,
        opted_out: bool,
        on_alarm: bool,
        now: DateTime<Utc>,
    ) -> bool {
        let overdue = self
            .waiting
            .front()
            .is_some_and(|oldest| now - oldest.at >= chrono::Duration::hours(MAX_WAIT_HOURS));
        signed_in
            && !opted_out
            && (self.in_flight.is_some()
                || self.waiting.len() >= BATCH_SIZE
                || (on_alarm && overdue))
    }

    /// The batch to send: the one in flight (same Id: the server drops duplicates), else a new
    /// one of up to [`BATCH_SIZE`] events with Id `batch_id` (a UUID from the caller's random
    /// source), its `sentAt` the start of the hour of `now`. Events go as stored. Persist the
    /// queue before sending.
    pub fn next_batch(
        &mut self,
        batch_id: impl FnOnce() -> String,
        now: DateTime<Utc>,
    ) -> Option<EventBatch> {
        if let Some(batch) = &self.in_flight {
            return Some(batch.clone());
        }
        if self.waiting.is_empty() {
            return None;
        }
        let count = self.waiting.len().min(BATCH_SIZE);
        let events: Vec<Event> = self.waiting.drain(..count).collect();
        let batch = EventBatch {
            batch_id: batch_id(),
            sent_at: record_hour(now),
            events,
        };
        self.in_flight = Some(batch.clone());
        Some(batch)
    }

    /// The server acknowledged `batch_id` (accepted or duplicate): it is done.
    pub fn acknowledged(&mut self, batch_id: &str) {
        if self
            .in_flight
            .as_ref()
            .is_some_and(|b| b.batch_id == batch_id)
        {
            self.in_flight = None;
        }
    }

    /// Opt-out or sign-out: everything queued is dropped at once.
    pub fn purge(&mut self) {
        self.waiting.clear();
        self.in_flight = None;
    }
}

/// A batch ready to `POST`: the worker sends exactly this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchRequest {
    /// The batch's Id: the server acknowledges it, a resend keeps it.
    pub batch_id: String,
    /// Where it goes (`POST`).
    pub url: String,
    /// The request's headers.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: String,
}

/// Whether a response to `POST /v1/events` acknowledges the batch `batch_id`: a 200 or 202
/// whose body is an acknowledgement of that very batch. Anything else (an error, a proxy's
/// page, a truncated body) leaves the batch in flight, to be resent with the same Id; the
/// server drops the duplicate if it had recorded it.
pub fn acknowledges(status: u16, body: &[u8], batch_id: &str) -> bool {
    matches!(status, 200 | 202)
        && crate::api::decode_event_ack(body).is_ok_and(|ack| ack.batch_id == batch_id)
}

/// What to do after an answer to `POST /v1/events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum BatchOutcome {
    /// Acknowledged: the batch is done.
    Acknowledged,
    /// The access token expired or was revoked: refresh it once, then resend the same batch.
    RefreshThenResend,
    /// Anything else: the batch stays in flight and is resent with its Id on a later flush.
    Keep,
}

/// Judges an answer (`status` is `None` when none came) to the batch `batch_id`; `refreshed`
/// says the token was already refreshed for this flush (a second 401 waits for a later one).
pub fn batch_outcome(
    status: Option<u16>,
    body: &[u8],
    batch_id: &str,
    refreshed: bool,
) -> BatchOutcome {
    match status {
        Some(401) if !refreshed => BatchOutcome::RefreshThenResend,
        Some(status) if acknowledges(status, body, batch_id) => BatchOutcome::Acknowledged,
        _ => BatchOutcome::Keep,
    }
}

/// Records an event for the worker: only signed in (`session`), never while the administrator's
/// policy cannot be read (`analytics_paused`: it may hold an opt-out), never opted out, and only
/// what the allow-list takes. Returns whether the queue changed (the worker stores it then).
pub fn record_for_worker(
    queue: &mut Queue,
    name: &str,
    properties: BTreeMap<String, Value>,
    at: DateTime<Utc>,
    session: Option<&crate::auth::Session>,
    settings: &crate::settings::Settings,
) -> bool {
    session.is_some()
        && !settings.analytics_paused
        && queue
            .record(name, properties, at, settings.analytics_opt_out)
            .is_ok()
}

/// What the worker does with the stored queue after [`take_batch_for_worker`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum QueueStore {
    /// Leave it as stored.
    Keep,
    /// Store the queue returned (a batch was taken: it is persisted as in flight).
    Write,
    /// Remove it (opted out: nothing queued stays).
    Remove,
}

/// [`take_batch`] for the worker, which also learns what to do with the stored queue: nothing is
/// sent and the queue is kept while the policy cannot be read (`analytics_paused`); opted out,
/// the queue is removed.
pub fn take_batch_for_worker(
    queue: &mut Queue,
    session: Option<&crate::auth::Session>,
    settings: &crate::settings::Settings,
    on_alarm: bool,
    batch_id: impl FnOnce() -> String,
    now: DateTime<Utc>,
) -> (Option<BatchRequest>, QueueStore) {
    if settings.analytics_paused {
        return (None, QueueStore::Keep);
    }
    let batch = take_batch(queue, session, settings, on_alarm, batch_id, now);
    let store = if settings.analytics_opt_out {
        QueueStore::Remove
    } else if batch.is_some() {
        QueueStore::Write
    } else {
        QueueStore::Keep
    };
    (batch, store)
}

/// The batch to send now, if any. Opted out, the queue is purged and nothing is sent; signed
/// out (or with a non-HTTPS origin) nothing is sent; a batch in flight is resent with its Id.
/// Persist the queue before sending.
pub fn take_batch(
    queue: &mut Queue,
    session: Option<&crate::auth::Session>,
    settings: &crate::settings::Settings,
    on_alarm: bool,
    batch_id: impl FnOnce() -> String,
    now: DateTime<Utc>,
) -> Option<BatchRequest> {
    if settings.analytics_opt_out {
        queue.purge();
        return None;
    }
    let session = session.filter(|_| settings.api_origin.starts_with("https://"))?;
    if !queue.should_send(true, false, on_alarm, now) {
        return None;
    }
    let batch = queue.next_batch(batch_id, now)?;
    Some(BatchRequest {
        batch_id: batch.batch_id.clone(),
        url: format!("{}/v1/events", settings.api_origin.trim_end_matches('/')),
        headers: vec![
            (
                "Authorization".to_string(),
                format!("Bearer {}", session.access_token),
            ),
            ("Content-Type".to_string(), "application/json".to_string()),
        ],
        body: serde_json::to_string(&batch).unwrap_or_default(),
    })
}

/// A version-4 UUID from 16 random bytes.
pub fn uuid_v4(random: [u8; 16]) -> String {
    let mut bytes = random;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn props(value: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_worker_records_and_sends_only_signed_in_with_a_readable_policy() {
        let t = at();
        let session = crate::auth::Session {
            access_token: "at".into(),
            refresh_token: "rt".into(),
            access_expires_at: t,
        };
        let settings = |local: serde_json::Value| {
            crate::settings::effective(None, &local, "https://api.customercity.com")
        };
        let on = settings(serde_json::json!({}));
        let paused = settings(serde_json::json!({})).with_unreadable_policy();
        let off = settings(serde_json::json!({"feature_analyticsOptOut": true}));
        let mut queue = Queue::default();
        let record = |queue: &mut Queue, session, settings| {
            record_for_worker(queue, "signed_in", BTreeMap::new(), t, session, settings)
        };
        assert!(
            !record(&mut queue, None, &on),
            "signed out: nothing recorded"
        );
        assert!(!record(&mut queue, Some(&session), &paused), "paused");
        assert!(!record(&mut queue, Some(&session), &off), "opted out");
        assert!(queue.waiting.is_empty());
        assert!(record(&mut queue, Some(&session), &on));
        assert_eq!(queue.waiting.len(), 1);
        let later = t + chrono::Duration::hours(MAX_WAIT_HOURS);
        let take = |queue: &mut Queue, settings| {
            take_batch_for_worker(queue, Some(&session), settings, true, || "b".into(), later)
        };
        assert_eq!(take(&mut queue, &paused), (None, QueueStore::Keep));
        assert_eq!(queue.waiting.len(), 1, "kept while paused");
        let (batch, store) = take(&mut queue, &on);
        assert!(batch.is_some());
        assert_eq!(store, QueueStore::Write);
        assert_eq!(take(&mut queue, &off), (None, QueueStore::Remove));
    }

    #[test]
    fn only_allow_listed_names_properties_and_values() {
        assert_eq!(
            validate("badge_viewed", &props(json!({"ui": "lightning"}))),
            Ok(())
        );
        assert!(matches!(
            validate("deal_opened", &props(json!({}))),
            Err(Rejected::UnknownEvent(_))
        ));
        assert!(matches!(
            validate(
                "badge_viewed",
                &props(json!({"opportunityId": "0065g00000AbCdE"}))
            ),
            Err(Rejected::UnknownProperty(_))
        ));
        assert!(matches!(
            validate("badge_viewed", &props(json!({"ui": "Acme Corp"}))),
            Err(Rejected::BadValue(_))
        ));
        assert!(matches!(
            validate("analysis_refreshed", &props(json!({"cached": "yes"}))),
            Err(Rejected::BadValue(_))
        ));
    }

    #[test]
    fn no_event_carries_a_property_computed_from_the_deal() {
        // The badge's band is the score's: beside the analysis request's time it names the deal.
        assert!(matches!(
            validate(
                "badge_viewed",
                &props(json!({"band": "at_risk", "ui": "lightning"}))
            ),
            Err(Rejected::UnknownProperty(key)) if key == "band"
        ));
        for (_, properties) in ALLOW_LIST {
            for (key, _) in *properties {
                assert!(
                    !["band", "score", "tone", "stage", "amount", "state"].contains(key),
                    "{key} is computed from the deal"
                );
            }
        }
    }

    #[test]
    fn events_are_recorded_and_sent_at_the_hour_only() {
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc)
        };
        let mut queue = Queue::default();
        queue
            .record(
                "badge_viewed",
                props(json!({"ui": "classic"})),
                at("2026-11-23T11:58:02.417Z"),
                false,
            )
            .unwrap();
        assert_eq!(queue.waiting[0].at, at("2026-11-23T11:00:00Z"));
        let stored = serde_json::to_string(&queue).unwrap();
        assert!(
            stored.contains("\"at\":\"2026-11-23T11:00:00Z\""),
            "{stored}"
        );
        let batch = queue
            .next_batch(|| "b1".into(), at("2026-11-23T15:07:09.123Z"))
            .unwrap();
        assert_eq!(batch.sent_at, at("2026-11-23T15:00:00Z"));
        assert_eq!(batch.events[0].at, at("2026-11-23T11:00:00Z"));
    }

    #[test]
    fn opt_out_records_nothing_and_purges() {
        let mut queue = Queue::default();
        assert_eq!(
            queue.record("signed_in", BTreeMap::new(), at(), true),
            Err(Rejected::OptedOut)
        );
        assert!(queue.waiting.is_empty());
        queue
            .record("signed_in", BTreeMap::new(), at(), false)
            .unwrap();
        assert!(
            !queue.should_send(true, true, true, at()),
            "nothing is sent while opted out"
        );
        queue.purge();
        assert_eq!(queue, Queue::default());
    }

    #[test]
    fn batches_keep_their_id_until_acknowledged() {
        let mut queue = Queue::default();
        for _ in 0..(BATCH_SIZE + 3) {
            queue
                .record("portfolio_opened", BTreeMap::new(), at(), false)
                .unwrap();
        }
        assert!(queue.should_send(true, false, false, at()));
        assert!(
            !queue.should_send(false, false, true, at()),
            "only while signed in"
        );
        let first = queue.next_batch(|| "b1".into(), at()).unwrap();
        assert_eq!(first.events.len(), BATCH_SIZE);
        // The worker dies before the answer; after restart the same batch goes again.
        let restored: Queue =
            serde_json::from_str(&serde_json::to_string(&queue).unwrap()).unwrap();
        let mut queue = restored;
        let again = queue.next_batch(|| "b2".into(), at()).unwrap();
        assert_eq!(
            again.batch_id, "b1",
            "same Id: the server drops the duplicate"
        );
        queue.acknowledged("b1");
        let rest = queue.next_batch(|| "b3".into(), at()).unwrap();
        assert_eq!((rest.batch_id.as_str(), rest.events.len()), ("b3", 3));
        queue.acknowledged("b3");
        assert!(queue.next_batch(|| "b4".into(), at()).is_none());
    }

    #[test]
    fn the_queue_is_bounded_oldest_first() {
        let mut queue = Queue::default();
        for i in 0..(MAX_QUEUED + 5) {
            let trigger = if i < 5 { "manual" } else { "background" };
            queue
                .record(
                    "analysis_refreshed",
                    props(json!({"trigger": trigger})),
                    at(),
                    false,
                )
                .unwrap();
        }
        assert_eq!(queue.waiting.len(), MAX_QUEUED);
        assert_eq!(queue.dropped, 5);
        assert!(
            queue
                .waiting
                .iter()
                .all(|e| e.properties["trigger"] == "background"),
            "the oldest went first"
        );
    }

    #[test]
    fn uuids_are_version_4() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn batches_go_only_signed_in_and_not_opted_out() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let session = crate::auth::Session {
            access_token: "at".into(),
            refresh_token: "rt".into(),
            access_expires_at: t,
        };
        let settings = |local: serde_json::Value| {
            crate::settings::effective(None, &local, "https://api.customercity.com")
        };
        let mut queue = Queue::default();
        queue
            .record("signed_in", BTreeMap::new(), t, false)
            .unwrap();
        let on = settings(serde_json::json!({}));
        assert_eq!(
            take_batch(&mut queue, None, &on, true, || "b".into(), t),
            None
        );
        assert_eq!(
            take_batch(&mut queue, Some(&session), &on, false, || "b".into(), t),
            None,
            "one event waits for the alarm"
        );
        assert_eq!(
            take_batch(&mut queue, Some(&session), &on, true, || "b".into(), t),
            None,
            "one fresh event waits: not worth a request"
        );
        let later = t + chrono::Duration::hours(MAX_WAIT_HOURS);
        let sent =
            take_batch(&mut queue, Some(&session), &on, true, || "b1".into(), later).unwrap();
        assert_eq!(sent.url, "https://api.customercity.com/v1/events");
        assert!(sent.body.contains("\"batchId\":\"b1\""));
        let again =
            take_batch(&mut queue, Some(&session), &on, true, || "b2".into(), later).unwrap();
        assert_eq!(
            again.batch_id, "b1",
            "unacknowledged: resent with the same Id"
        );
        let off = settings(serde_json::json!({"feature_analyticsOptOut": true}));
        assert_eq!(
            take_batch(&mut queue, Some(&session), &off, true, || "b3".into(), t),
            None
        );
        assert_eq!(
            queue,
            Queue {
                dropped: queue.dropped,
                ..Queue::default()
            },
            "purged"
        );
    }

    #[test]
    fn only_an_acknowledgement_of_this_batch_acknowledges_it() {
        let ack = br#"{"batchId":"b1","accepted":50,"duplicate":false}"#;
        assert!(acknowledges(202, ack, "b1"));
        assert!(acknowledges(200, ack, "b1"));
        assert!(
            !acknowledges(202, ack, "b2"),
            "another batch's acknowledgement"
        );
        assert!(!acknowledges(500, ack, "b1"));
        assert!(
            !acknowledges(200, b"{\"batchId\":", "b1"),
            "a truncated body"
        );
        assert!(
            !acknowledges(200, b"<html>Maintenance</html>", "b1"),
            "a proxy's page"
        );
    }

    #[test]
    fn an_expired_token_is_refreshed_once_and_the_batch_resent() {
        let ack = br#"{"batchId":"b1","accepted":50,"duplicate":false}"#;
        assert_eq!(
            batch_outcome(Some(202), ack, "b1", false),
            BatchOutcome::Acknowledged
        );
        assert_eq!(
            batch_outcome(Some(401), b"{}", "b1", false),
            BatchOutcome::RefreshThenResend
        );
        assert_eq!(
            batch_outcome(Some(401), b"{}", "b1", true),
            BatchOutcome::Keep,
            "one refresh per flush"
        );
        assert_eq!(batch_outcome(None, b"", "b1", false), BatchOutcome::Keep);
        assert_eq!(
            batch_outcome(Some(503), b"", "b1", false),
            BatchOutcome::Keep
        );
    }
}
