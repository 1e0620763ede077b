//! What the worker does after each API attempt: done, retry after a wait, refresh the token and
//! retry once, or give up. Pure: the caller supplies the attempt number, the outcome and a
//! jitter draw in `[0, 1)`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a Tier 2 request failed, as the stable code that crosses to the worker and the side panel
/// (`offline`, `busy`, `notEnabled`, `noAnalysis`, `sessionExpired`, `invalid`, `server`). The
/// panel explains each in the user's language (`panel::error_message`); a code it does not know
/// reads as `server`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// No answer: offline, unreachable, timed out, cut off.
    Offline,
    /// The service asked to wait (429/503), or this tab asked for too many records.
    Busy,
    /// The organisation's administrator has not enabled the analysis (403).
    NotEnabled,
    /// The service has no analysis for this record (404).
    NoAnalysis,
    /// The session could not be renewed: signed out.
    SessionExpired,
    /// The request named no valid record or locale: nothing was sent.
    Invalid,
    /// The service answered with an error or an answer that breaks the contract.
    #[serde(other)]
    Server,
}

/// Retry limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// First backoff, doubled each attempt.
    pub base_delay_ms: u64,
    /// Longest backoff.
    pub max_delay_ms: u64,
    /// A `Retry-After` longer than this is not waited for: give up and try on the next alarm.
    pub max_retry_after_ms: u64,
    /// Per-attempt timeout.
    pub timeout_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay_ms: 500,
            max_delay_ms: 30_000,
            max_retry_after_ms: 120_000,
            timeout_ms: 10_000,
        }
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An HTTP status, with `Retry-After` in milliseconds if the response had one.
    Status {
        /// The HTTP status.
        status: u16,
        /// `Retry-After`, in milliseconds.
        retry_after_ms: Option<u64>,
    },
    /// DNS, TLS or connection failure.
    NetworkError,
    /// No answer within the timeout.
    Timeout,
}

/// The next step, as the worker receives it: `{next: "done" | "retryAfter" | "refreshThenRetry"
/// | "giveUp" | "signOut", delayMs?, reason?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "next",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Next {
    /// Success (2xx or 304).
    Done,
    /// Wait, then try again.
    RetryAfter {
        /// How long to wait, in milliseconds.
        delay_ms: u64,
    },
    /// The access token expired: refresh it, then retry once.
    RefreshThenRetry,
    /// Stop; `reason` is shown as the error state.
    GiveUp {
        /// Why, as the code the panel explains.
        reason: ErrorKind,
    },
    /// The token was refused again right after it was renewed: sign out (local data goes).
    SignOut,
}

/// [`next_step`], remembering the last HTTP status an earlier attempt of the same request got.
/// A last attempt that fails without an answer after the service has answered with errors gives
/// up as that answer would have. Seen in `tests/e2e/panel.test.mjs`: the fourth attempt after
/// three 500s failed with "Failed to fetch" in 3 of 5 runs, most likely Chrome throttling an
/// extension's requests to a URL after repeated 5xx answers; the rep must then be told the
/// service failed, not that they are offline (issue 16).
pub fn next_step_remembering(
    policy: &RetryPolicy,
    attempt: u32,
    outcome: Outcome,
    refreshed: bool,
    jitter: f64,
    last_status: Option<u16>,
) -> Next {
    let next = next_step(policy, attempt, outcome, refreshed, jitter);
    match (&next, outcome, last_status) {
        (
            Next::GiveUp { .. },
            Outcome::NetworkError | Outcome::Timeout,
            Some(status @ (429 | 500..=599)),
        ) => next_step(
            policy,
            attempt.max(policy.max_attempts),
            Outcome::Status {
                status,
                retry_after_ms: None,
            },
            refreshed,
            jitter,
        ),
        _ => next,
    }
}

/// Decides after attempt number `attempt` (1-based). `refreshed` says a token refresh already
/// happened for this request (a second 401 signs the user out).
pub fn next_step(
    policy: &RetryPolicy,
    attempt: u32,
    outcome: Outcome,
    refreshed: bool,
    jitter: f64,
) -> Next {
    let backoff = || {
        // Full jitter: a uniform wait in [0, min(max, base × 2^(attempt-1))].
        let ceiling = policy
            .base_delay_ms
            .saturating_mul(1u64 << (attempt.saturating_sub(1)).min(20))
            .min(policy.max_delay_ms);
        (ceiling as f64 * jitter.clamp(0.0, 1.0)).round() as u64
    };
    let out_of_attempts = attempt >= policy.max_attempts;
    match outcome {
        Outcome::Status { status, .. } if (200..300).contains(&status) || status == 304 => {
            Next::Done
        }
        Outcome::Status { status: 401, .. } if refreshed => Next::SignOut,
        Outcome::Status { status: 401, .. } => Next::RefreshThenRetry,
        Outcome::Status {
            status: 429 | 503,
            retry_after_ms,
        } => {
            if out_of_attempts {
                return Next::GiveUp {
                    reason: ErrorKind::Busy,
                };
            }
            match retry_after_ms {
                Some(wait) if wait > policy.max_retry_after_ms => Next::GiveUp {
                    reason: ErrorKind::Busy,
                },
                Some(wait) => Next::RetryAfter {
                    delay_ms: wait.max(backoff()),
                },
                None => Next::RetryAfter {
                    delay_ms: backoff(),
                },
            }
        }
        // A server error and no answer at all are retried alike, but the rep is told apart:
        // the service failing is not the rep being offline (issue 16).
        Outcome::Status {
            status: 500 | 502 | 504,
            ..
        } => {
            if out_of_attempts {
                Next::GiveUp {
                    reason: ErrorKind::Server,
                }
            } else {
                Next::RetryAfter {
                    delay_ms: backoff(),
                }
            }
        }
        Outcome::NetworkError | Outcome::Timeout => {
            if out_of_attempts {
                Next::GiveUp {
                    reason: ErrorKind::Offline,
                }
            } else {
                Next::RetryAfter {
                    delay_ms: backoff(),
                }
            }
        }
        Outcome::Status { status: 404, .. } => Next::GiveUp {
            reason: ErrorKind::NoAnalysis,
        },
        Outcome::Status { status: 403, .. } => Next::GiveUp {
            reason: ErrorKind::NotEnabled,
        },
        Outcome::Status { .. } => Next::GiveUp {
            reason: ErrorKind::Server,
        },
    }
}

/// The longest "not before" kept from one answer: a broken `Retry-After` cannot silence the
/// extension for days.
pub const MAX_HOLD_MS: u64 = 60 * 60 * 1000;

/// After an answer: until when no request may go to the API. Only a `429` or `503` that says
/// how long to wait (`Retry-After`) sets one; without it, backoff stays within the request.
pub fn hold_until(outcome: Outcome, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match outcome {
        Outcome::Status {
            status: 429 | 503,
            retry_after_ms: Some(wait),
        } if wait > 0 => Some(now + chrono::Duration::milliseconds(wait.min(MAX_HOLD_MS) as i64)),
        _ => None,
    }
}

/// How long requests to `api_origin` must still wait (0: none), given the stored hold.
pub fn hold_remaining_ms(
    hold_origin: &str,
    until: DateTime<Utc>,
    api_origin: &str,
    now: DateTime<Utc>,
) -> u64 {
    if hold_origin != api_origin {
        return 0;
    }
    // A hold further away than the longest one we set is not ours to trust (a clock that
    // jumped back): it lapses.
    let left = (until - now).num_milliseconds();
    if left <= 0 || left as u64 > MAX_HOLD_MS {
        0
    } else {
        left as u64
    }
}

/// When to try a token refresh again after one failed for a reason other than a refusal
/// (offline, timeout, a 5xx): in one to two minutes (`jitter` in `[0, 1)`), or when the hold
/// ends if that is later.
pub fn refresh_retry_at(
    now: DateTime<Utc>,
    jitter: f64,
    hold: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    let soon =
        now + chrono::Duration::milliseconds(60_000 + (60_000.0 * jitter.clamp(0.0, 1.0)) as i64);
    hold.map_or(soon, |hold| hold.max(soon))
}

/// Per tab, at most this many different records are analysed within [`PACE_WINDOW_SECONDS`]:
/// a rep does not open ten deals a minute in one tab, a page that pushes one Id after another
/// through its history does.
pub const PACE_MAX_RECORDS: usize = 10;
/// The sliding window of [`PACE_MAX_RECORDS`].
pub const PACE_WINDOW_SECONDS: i64 = 60;

/// The records one tab asked analyses for, with when each was first asked within the window
/// (kept by the worker in session storage per tab).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TabPace {
    /// The records asked for lately, with when.
    pub recent: Vec<(String, DateTime<Utc>)>,
}

impl TabPace {
    /// Whether the tab may have `record_id` analysed now; records it when admitted. A record
    /// asked again (a re-sent request, a second view) is always admitted and counted once.
    pub fn admit(&mut self, record_id: &str, now: DateTime<Utc>) -> bool {
        let window = chrono::Duration::seconds(PACE_WINDOW_SECONDS);
        self.recent
            .retain(|(_, at)| *at <= now && now - *at < window);
        let key = record_id.get(..15).unwrap_or(record_id);
        if self.recent.iter().any(|(seen, _)| seen == key) {
            return true;
        }
        if self.recent.len() >= PACE_MAX_RECORDS {
            return false;
        }
        self.recent.push((key.to_string(), now));
        true
    }
}

/// Parses `Retry-After` (delay-seconds or an HTTP date) into milliseconds from `now`.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<u64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds.saturating_mul(1000));
    }
    let date = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((date - now).num_milliseconds().max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after_ms: None,
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + chrono::Duration::seconds(seconds)
    }

    #[test]
    fn a_retry_after_holds_every_request_to_that_origin() {
        let busy = |status, retry_after_ms| Outcome::Status {
            status,
            retry_after_ms,
        };
        assert_eq!(hold_until(busy(503, Some(300_000)), at(0)), Some(at(300)));
        assert_eq!(hold_until(busy(429, Some(5_000)), at(0)), Some(at(5)));
        assert_eq!(
            hold_until(busy(429, Some(10 * 24 * 3600 * 1000)), at(0)),
            Some(at(3600)),
            "at most an hour"
        );
        assert_eq!(hold_until(busy(503, None), at(0)), None);
        assert_eq!(hold_until(busy(500, Some(5_000)), at(0)), None);
        assert_eq!(hold_until(Outcome::NetworkError, at(0)), None);
        let api = "https://api.customercity.com";
        assert_eq!(hold_remaining_ms(api, at(300), api, at(100)), 200_000);
        assert_eq!(hold_remaining_ms(api, at(300), api, at(300)), 0);
        assert_eq!(
            hold_remaining_ms(api, at(300), "https://api.eu.example", at(0)),
            0
        );
        assert_eq!(
            hold_remaining_ms(api, at(7200), api, at(0)),
            0,
            "beyond the longest hold"
        );
    }

    #[test]
    fn a_tab_gets_ten_records_a_minute_and_repeats_are_free() {
        let mut pace = TabPace::default();
        for n in 0..PACE_MAX_RECORDS {
            assert!(pace.admit(&format!("0065g00000Rt{n:03}"), at(n as i64)));
        }
        assert!(
            !pace.admit("0065g00000Rt999", at(20)),
            "the eleventh in a minute"
        );
        assert!(
            pace.admit("0065g00000Rt003AAV", at(21)),
            "one already seen (18-character form)"
        );
        assert!(!pace.admit("0065g00000Rt999", at(59)));
        assert!(
            pace.admit("0065g00000Rt999", at(60)),
            "the first one has left the window"
        );
        assert!(!pace.admit("0065g00000Rt998", at(60)));
        let mut ahead = TabPace {
            recent: vec![("0065g00000Rt000".into(), at(3600))],
        };
        assert!(ahead.admit("0065g00000Rt001", at(0)));
        assert_eq!(
            ahead.recent.len(),
            1,
            "a time from a clock that ran ahead is dropped"
        );
    }

    #[test]
    fn a_failed_refresh_is_tried_again_soon_or_when_the_hold_ends() {
        assert_eq!(refresh_retry_at(at(0), 0.0, None), at(60));
        assert_eq!(refresh_retry_at(at(0), 0.5, None), at(90));
        assert_eq!(refresh_retry_at(at(0), 0.0, Some(at(600))), at(600));
        assert_eq!(refresh_retry_at(at(0), 0.0, Some(at(10))), at(60));
    }

    #[test]
    fn success_and_not_modified_are_done() {
        let policy = RetryPolicy::default();
        assert_eq!(next_step(&policy, 1, status(200), false, 0.5), Next::Done);
        assert_eq!(next_step(&policy, 1, status(304), false, 0.5), Next::Done);
    }

    #[test]
    fn backoff_doubles_with_full_jitter_and_is_bounded() {
        let policy = RetryPolicy::default();
        assert_eq!(
            next_step(&policy, 1, status(500), false, 1.0),
            Next::RetryAfter { delay_ms: 500 }
        );
        assert_eq!(
            next_step(&policy, 2, Outcome::Timeout, false, 1.0),
            Next::RetryAfter { delay_ms: 1000 }
        );
        assert_eq!(
            next_step(&policy, 3, Outcome::NetworkError, false, 0.5),
            Next::RetryAfter { delay_ms: 1000 }
        );
        assert_eq!(
            next_step(&policy, 2, status(502), false, 0.0),
            Next::RetryAfter { delay_ms: 0 }
        );
        assert!(
            matches!(
                next_step(&policy, 4, status(500), false, 1.0),
                Next::GiveUp { .. }
            ),
            "bounded attempts"
        );
        let long = RetryPolicy {
            max_attempts: 40,
            ..policy
        };
        assert_eq!(
            next_step(&long, 30, status(500), false, 1.0),
            Next::RetryAfter { delay_ms: 30_000 }
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_a_limit() {
        let policy = RetryPolicy::default();
        let busy = |ms| Outcome::Status {
            status: 429,
            retry_after_ms: Some(ms),
        };
        assert_eq!(
            next_step(&policy, 1, busy(7000), false, 1.0),
            Next::RetryAfter { delay_ms: 7000 }
        );
        assert_eq!(
            next_step(&policy, 1, busy(100), false, 1.0),
            Next::RetryAfter { delay_ms: 500 },
            "never sooner than backoff"
        );
        assert!(matches!(
            next_step(&policy, 1, busy(600_000), false, 1.0),
            Next::GiveUp { .. }
        ));
    }

    #[test]
    fn the_worker_reads_each_step_by_its_code() {
        let json = |next: Next| serde_json::to_value(next).unwrap();
        assert_eq!(json(Next::Done), serde_json::json!({"next": "done"}));
        assert_eq!(
            json(Next::RetryAfter { delay_ms: 250 }),
            serde_json::json!({"next": "retryAfter", "delayMs": 250})
        );
        assert_eq!(
            json(Next::RefreshThenRetry),
            serde_json::json!({"next": "refreshThenRetry"})
        );
        assert_eq!(
            json(Next::GiveUp {
                reason: ErrorKind::NotEnabled
            }),
            serde_json::json!({"next": "giveUp", "reason": "notEnabled"})
        );
        assert_eq!(json(Next::SignOut), serde_json::json!({"next": "signOut"}));
    }

    #[test]
    fn one_refresh_then_sign_out() {
        let policy = RetryPolicy::default();
        assert_eq!(
            next_step(&policy, 1, status(401), false, 0.5),
            Next::RefreshThenRetry
        );
        assert_eq!(next_step(&policy, 2, status(401), true, 0.5), Next::SignOut);
        assert!(matches!(
            next_step(&policy, 1, status(404), false, 0.5),
            Next::GiveUp { .. }
        ));
        assert!(matches!(
            next_step(&policy, 1, status(400), false, 0.5),
            Next::GiveUp { .. }
        ));
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after("120", now), Some(120_000));
        assert_eq!(
            parse_retry_after("Mon, 23 Nov 2026 12:00:30 GMT", now),
            Some(30_000)
        );
        assert_eq!(
            parse_retry_after("Mon, 23 Nov 2026 11:00:00 GMT", now),
            Some(0)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn a_last_attempt_throttled_after_server_errors_is_a_server_error_not_offline() {
        let policy = RetryPolicy::default();
        let last = policy.max_attempts;
        let reason = |last_status| match next_step_remembering(
            &policy,
            last,
            Outcome::NetworkError,
            false,
            0.5,
            last_status,
        ) {
            Next::GiveUp { reason } => reason,
            other => panic!("{other:?}"),
        };
        assert_eq!(reason(None), ErrorKind::Offline);
        assert_eq!(reason(Some(500)), ErrorKind::Server);
        assert_eq!(reason(Some(503)), ErrorKind::Busy);
        assert_eq!(reason(Some(200)), ErrorKind::Offline);
        // Before the last attempt, a network error is retried as always.
        assert!(matches!(
            next_step_remembering(&policy, 1, Outcome::NetworkError, false, 0.5, Some(500)),
            Next::RetryAfter { .. }
        ));
    }
}
