//! What the badge shows for a report: the decision, not the drawing. The content script draws
//! exactly this (text as text) and nothing else.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;
use crate::report::Report;
use crate::score::Band;

/// The little the content script needs to upgrade its badge: score, band, the top blind
/// spots' summaries and the data's age. Computed in the worker; the content script never
/// parses server JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrichedSummary {
    /// The record the analysis is of (15 or 18 characters).
    pub record_id: String,
    /// The analysis's score, 0–100; `None` when the service gave none.
    pub value: Option<u8>,
    /// The analysis's band.
    pub band: Band,
    /// The top blind spots' one-line summaries, most important first.
    pub highlights: Vec<String>,
    /// Minutes since the analysis was last confirmed by the server (fetched or revalidated).
    #[serde(default)]
    pub age_minutes: i64,
    /// The latest refresh failed: this is the last known analysis.
    #[serde(default)]
    pub stale: bool,
}

/// Where the headline score comes from (the panel's and the badge's: `badge::decide`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HeadlineSource {
    /// Signed out (or no analysis for this deal): the on-device estimate.
    Device,
    /// Signed in, the analysis is on its way: no number yet (no jump from one score to another).
    Pending,
    /// The Customer City analysis.
    Analysis,
}

impl HeadlineSource {
    /// From its serialised name (`device`, `pending`, `analysis`).
    pub fn from_code(code: &str) -> Option<HeadlineSource> {
        match code {
            "device" => Some(HeadlineSource::Device),
            "pending" => Some(HeadlineSource::Pending),
            "analysis" => Some(HeadlineSource::Analysis),
            _ => None,
        }
    }
}

/// How many reasons the badge's hover card lists.
pub const TOP_REASONS: usize = 3;

/// Signed in, how long the badge stays pending for the Customer City analysis before it shows
/// the on-device estimate after all. The worker's answer ends the wait first, whatever it says;
/// this bounds a slow one (it tries up to four times, 10 s each): a rep is not left with "…".
pub const PENDING_AT_MOST_MS: u32 = 8_000;

/// The badge's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BadgeState {
    /// No field of the record is on the page yet (still rendering): draw nothing, keep waiting.
    Waiting,
    /// An open deal with a score.
    Score,
    /// Closed won.
    Won,
    /// Closed lost.
    Lost,
    /// Fields are there but too few to score: "incomplete data".
    Incomplete,
    /// Signed in, the Customer City analysis is on its way: no number yet ("…"), so that the
    /// badge never jumps from the device's score to the analysis's.
    Pending,
}

/// Everything the content script needs to draw the badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeView {
    /// What kind of badge this is.
    pub state: BadgeState,
    /// The record the view belongs to; the content script checks it against the URL.
    pub record_id: String,
    /// The short text on the badge: the score, "Won", "Lost" or "?".
    pub text: Text,
    /// The colour family (`healthy`, `at_risk`, `critical`, `won`, `lost`, `unknown`).
    pub tone: Band,
    /// The accessible name, exactly `Deal health 72 of 100, healthy` and so on (in English).
    pub accessible_name: Text,
    /// One line under the title of the hover card.
    pub summary: Text,
    /// The top reasons, most harmful first.
    pub reasons: Vec<Text>,
    /// A key that changes whenever anything drawn changes (to skip redundant redraws).
    pub key: String,
    /// Which score the badge shows: the on-device estimate, the analysis, or none yet. The
    /// content script hands it back as `previous.source`.
    pub source: HeadlineSource,
}

/// What the content script last drew, remembered across a URL change.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviousBadge {
    /// The record the badge showed.
    pub record_id: String,
    /// The record name it showed, as read from the page.
    pub name: Option<String>,
    /// Which score it showed (`BadgeView::source`).
    #[serde(default)]
    pub source: Option<HeadlineSource>,
}

/// What the content script knows of the Customer City analysis of the record on its page, for
/// the badge's headline decision ([`decide`]).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalysisWait {
    /// Whether the user is signed in, as the worker last said (it answers the content script's
    /// first question, `getDateOrder`, with it); `None` until it has said, decided as signed
    /// out: the estimate is never held back for it.
    pub signed_in: Option<bool>,
    /// The record the clock below runs for.
    pub record_id: String,
    /// Milliseconds since that record was first evaluated in this document (the content
    /// script's monotonic clock, never the wall clock).
    pub waited_ms: f64,
    /// The record whose analysis the worker answered without one (signed out, no analysis,
    /// an error, paced): the wait for it is over.
    pub answered: Option<String>,
}

/// One property of a plain object handed over by JavaScript (`null` and `undefined` are absent).
/// The content script's two inputs are read field by field through this rather than by a
/// generic deserialiser: serde-wasm-bindgen's would be a fifth of `content/core.js`.
#[derive(Debug, Clone, PartialEq)]
pub enum JsField {
    /// A string.
    Text(String),
    /// A number.
    Number(f64),
    /// A boolean.
    Flag(bool),
    /// An array whose every item is a string.
    Texts(Vec<String>),
    /// Anything else (an object, a mixed array, a symbol).
    Other,
}

impl JsField {
    /// The text, or `Err` for anything else.
    pub(crate) fn text(self) -> Result<String, ()> {
        match self {
            JsField::Text(text) => Ok(text),
            _ => Err(()),
        }
    }

    /// An integer in `[min, max]`, as serde reads a JavaScript number into an integer type.
    pub(crate) fn integer(self, min: f64, max: f64) -> Result<f64, ()> {
        match self {
            JsField::Number(n) if n.fract() == 0.0 && (min..=max).contains(&n) => Ok(n),
            _ => Err(()),
        }
    }
}

/// A required field, an optional one, one with a default: the shapes serde's derive accepts.
pub(crate) fn required<T>(
    field: &impl Fn(&str) -> Option<JsField>,
    name: &str,
    read: impl FnOnce(JsField) -> Result<T, ()>,
) -> Result<T, ()> {
    field(name).ok_or(()).and_then(read)
}

pub(crate) fn optional<T>(
    field: &impl Fn(&str) -> Option<JsField>,
    name: &str,
    read: impl FnOnce(JsField) -> Result<T, ()>,
) -> Result<Option<T>, ()> {
    field(name).map(read).transpose()
}

impl PreviousBadge {
    /// From the object `{recordId, name}`, as strictly as its serde form; `None` if malformed.
    pub fn from_fields(field: impl Fn(&str) -> Option<JsField>) -> Option<PreviousBadge> {
        Some(PreviousBadge {
            record_id: required(&field, "recordId", JsField::text).ok()?,
            name: optional(&field, "name", JsField::text).ok()?,
            source: optional(&field, "source", |f| {
                HeadlineSource::from_code(&f.text()?).ok_or(())
            })
            .ok()?,
        })
    }
}

impl AnalysisWait {
    /// From the object `{signedIn, recordId, waitedMs, answered}`, as strictly as its serde
    /// form (and a time that is a finite number of milliseconds, at least 0); `None` if
    /// malformed.
    pub fn from_fields(field: impl Fn(&str) -> Option<JsField>) -> Option<AnalysisWait> {
        Some(AnalysisWait {
            signed_in: optional(&field, "signedIn", |f| match f {
                JsField::Flag(flag) => Ok(flag),
                _ => Err(()),
            })
            .ok()?,
            record_id: required(&field, "recordId", JsField::text).ok()?,
            waited_ms: required(&field, "waitedMs", |f| match f {
                JsField::Number(n) if n.is_finite() && n >= 0.0 => Ok(n),
                _ => Err(()),
            })
            .ok()?,
            answered: optional(&field, "answered", JsField::text).ok()?,
        })
    }
}

impl EnrichedSummary {
    /// From the object the worker sent (`{recordId, value, band, highlights, ageMinutes,
    /// stale}`), as strictly as its serde form; `None` if malformed.
    pub fn from_fields(field: impl Fn(&str) -> Option<JsField>) -> Option<EnrichedSummary> {
        Some(EnrichedSummary {
            record_id: required(&field, "recordId", JsField::text).ok()?,
            value: optional(&field, "value", |f| f.integer(0.0, 255.0).map(|n| n as u8)).ok()?,
            band: required(&field, "band", |f| {
                crate::score::Band::from_code(&f.text()?).ok_or(())
            })
            .ok()?,
            highlights: required(&field, "highlights", |f| match f {
                JsField::Texts(texts) => Ok(texts),
                _ => Err(()),
            })
            .ok()?,
            age_minutes: optional(&field, "ageMinutes", |f| {
                f.integer(-9_007_199_254_740_991.0, 9_007_199_254_740_991.0)
                    .map(|n| n as i64)
            })
            .ok()?
            .unwrap_or_default(),
            stale: optional(&field, "stale", |f| match f {
                JsField::Flag(flag) => Ok(flag),
                _ => Err(()),
            })
            .ok()?
            .unwrap_or_default(),
        })
    }
}

/// Whether the page still shows the record drawn before the URL changed: Lightning may update
/// the URL before it renders the next record, and an old page without record-Id markers would
/// otherwise be read as the new record. `same_anchor_node` says the record-name element is the
/// very node the previous badge was placed beside.
pub fn still_shows_previous_record(
    previous: Option<&PreviousBadge>,
    report: &Report,
    same_anchor_node: bool,
) -> bool {
    let Some(previous) = previous else {
        return false;
    };
    previous.record_id != report.opportunity_id
        && same_anchor_node
        && previous.name == report.fields.name
}

/// The view while the page still shows another record: nothing is drawn.
pub fn waiting_view(record_id: &str) -> BadgeView {
    BadgeView {
        state: BadgeState::Waiting,
        record_id: record_id.to_string(),
        text: Text::new("empty"),
        tone: Band::Unknown,
        accessible_name: Text::new("empty"),
        summary: Text::new("empty"),
        reasons: Vec::new(),
        key: format!("{record_id}|waiting"),
        source: HeadlineSource::Device,
    }
}

/// Signed in, while the analysis of this record is on its way: "…" in the neutral colour,
/// named as such; no number and no reason of the device's (it is not the headline).
pub fn pending_view(report: &Report) -> BadgeView {
    let text = Text::new("badge_pending");
    let summary = Text::new("badge_summary_pending");
    let key = view_key(&report.opportunity_id, "pending", &text, &summary, &[]);
    BadgeView {
        state: BadgeState::Pending,
        record_id: report.opportunity_id.clone(),
        text,
        tone: Band::Unknown,
        accessible_name: Text::new("badge_name_pending"),
        summary,
        reasons: Vec::new(),
        key,
        source: HeadlineSource::Pending,
    }
}

/// The badge's decision and when to take it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// What the badge shows now.
    pub view: BadgeView,
    /// Evaluate again after this many milliseconds even if the page does not change: the
    /// view waits for something that may not come (the worker's word on the sign-in or on the
    /// analysis), and must not wait longer than its bound.
    pub recheck_ms: Option<u32>,
}

fn same_record(a: &str, b: &str) -> bool {
    a.get(..15).is_some() && a.get(..15) == b.get(..15)
}

/// What the badge shows for a report, all things considered: nothing while the page still
/// shows the previous record; signed in, one headline (the analysis; pending while it is on
/// its way, bounded by the worker's answer and by [`PENDING_AT_MOST_MS`]); the on-device
/// estimate signed out, without an analysis for this deal, or once it was shown for this record
/// (the badge never goes back from a number to "…"). A sign-in state not known yet, or `wait`
/// `None` (a caller that knows nothing of Tier 2), decides as signed out: the estimate is never
/// held back. (The worker answers while the core loads, so it is known by the first
/// evaluation unless the worker itself was slow to start: then a signed-in badge shows the
/// estimate first and the analysis when it comes, as before pending existed.)
pub fn decide(
    report: &Report,
    previous: Option<&PreviousBadge>,
    same_anchor_node: bool,
    enriched: Option<&EnrichedSummary>,
    wait: Option<&AnalysisWait>,
) -> Decision {
    let settled = |view| Decision {
        view,
        recheck_ms: None,
    };
    if still_shows_previous_record(previous, report, same_anchor_node) {
        return settled(waiting_view(&report.opportunity_id));
    }
    let record = report.opportunity_id.as_str();
    if let Some(enriched) = enriched.filter(|e| same_record(&e.record_id, record)) {
        return settled(enriched_view(report, enriched));
    }
    let local = badge_view(report);
    let estimate_shown = previous.is_some_and(|p| {
        same_record(&p.record_id, record) && p.source == Some(HeadlineSource::Device)
    });
    let Some(wait) = wait else {
        return settled(local);
    };
    let answered = wait
        .answered
        .as_deref()
        .is_some_and(|id| same_record(id, record));
    if local.state == BadgeState::Waiting || estimate_shown || answered {
        return settled(local);
    }
    // The clock runs for one record; a new record's first evaluation starts it at zero.
    let waited = if same_record(&wait.record_id, record) {
        wait.waited_ms
    } else {
        0.0
    };
    let bound = f64::from(PENDING_AT_MOST_MS);
    if wait.signed_in != Some(true) || waited >= bound {
        return settled(local);
    }
    Decision {
        view: pending_view(report),
        // At least 1 ms: a fraction left still needs a later look.
        recheck_ms: Some(((bound - waited).ceil() as u32).max(1)),
    }
}

/// The badge once the enriched (Tier 2) analysis of the same record has arrived: its score and
/// band, its top blind spots on the hover card. Falls back to the Tier 1 view for another record
/// or while the page is still loading.
pub fn enriched_view(report: &Report, enriched: &EnrichedSummary) -> BadgeView {
    let local = badge_view(report);
    let same_record = enriched.record_id.get(..15).is_some()
        && enriched.record_id.get(..15) == report.opportunity_id.get(..15);
    if !same_record || local.state == BadgeState::Waiting {
        return local;
    }
    let (state, text, accessible_name, score) = match (enriched.band, enriched.value) {
        (Band::Won, _) => (
            BadgeState::Won,
            Text::new("badge_won"),
            Text::new("badge_name_won"),
            Text::new("badge_won"),
        ),
        (Band::Lost, _) => (
            BadgeState::Lost,
            Text::new("badge_lost"),
            Text::new("badge_name_lost"),
            Text::new("badge_lost"),
        ),
        (band @ (Band::Healthy | Band::AtRisk | Band::Critical), Some(value)) => (
            BadgeState::Score,
            Text::literal(value.to_string()),
            score_name(band, value),
            Text::new("score_of_100").arg(value.to_string()),
        ),
        _ => return local,
    };
    let summary = Text::new(if enriched.stale {
        "badge_enriched_summary_stale"
    } else {
        "badge_enriched_summary"
    })
    .arg(score)
    .arg(age(enriched.age_minutes));
    let reasons = if enriched.highlights.is_empty() {
        local.reasons.clone()
    } else {
        enriched.highlights.iter().map(Text::literal).collect()
    };
    let key = view_key(
        &report.opportunity_id,
        "enriched",
        &text,
        &summary,
        &reasons,
    );
    BadgeView {
        state,
        record_id: report.opportunity_id.clone(),
        text,
        tone: enriched.band,
        accessible_name,
        summary,
        reasons,
        key,
        source: HeadlineSource::Analysis,
    }
}

/// How old data is: "just now", "12 min ago", "3 h ago", "2 days ago".
pub fn age(minutes: i64) -> Text {
    match minutes {
        i64::MIN..=0 => Text::new("age_now"),
        1..=59 => Text::new("age_minutes").arg(minutes.to_string()),
        60..=2879 => Text::new("age_hours").arg((minutes / 60).to_string()),
        _ => Text::new("age_days").arg((minutes / 1440).to_string()),
    }
}

/// "Deal health 72 of 100, healthy" and its siblings.
pub(crate) fn score_name(band: Band, value: u8) -> Text {
    Text::new(match band {
        Band::Healthy => "badge_name_healthy",
        Band::AtRisk => "badge_name_at_risk",
        _ => "badge_name_critical",
    })
    .arg(value.to_string())
}

fn view_key(record_id: &str, tier: &str, text: &Text, summary: &Text, reasons: &[Text]) -> String {
    let reasons: Vec<String> = reasons.iter().map(Text::key).collect();
    format!(
        "{record_id}|{tier}|{}|{}|{}",
        text.key(),
        summary.key(),
        reasons.join("|")
    )
}

/// Decides the badge for a report.
pub fn badge_view(report: &Report) -> BadgeView {
    let nothing_found = report.warnings.iter().any(|w| w.code == "no_record_fields");
    let score = &report.score;
    let (state, text, accessible_name, summary) = match (score.band, score.value) {
        _ if nothing_found => (
            BadgeState::Waiting,
            Text::new("empty"),
            Text::new("empty"),
            Text::new("empty"),
        ),
        (Band::Won, _) => (
            BadgeState::Won,
            Text::new("badge_won"),
            Text::new("badge_name_won"),
            Text::new("badge_summary_won"),
        ),
        (Band::Lost, _) => (
            BadgeState::Lost,
            Text::new("badge_lost"),
            Text::new("badge_name_lost"),
            Text::new("badge_summary_lost"),
        ),
        (band @ (Band::Healthy | Band::AtRisk | Band::Critical), Some(value)) => (
            BadgeState::Score,
            Text::literal(value.to_string()),
            score_name(band, value),
            Text::new(match band {
                Band::Healthy => "badge_summary_healthy",
                Band::AtRisk => "badge_summary_at_risk",
                _ => "badge_summary_critical",
            })
            .arg(value.to_string()),
        ),
        _ => (
            BadgeState::Incomplete,
            Text::literal("?"),
            Text::new("badge_name_incomplete"),
            Text::new("badge_summary_incomplete"),
        ),
    };
    let reasons: Vec<Text> = score
        .reasons
        .iter()
        .filter(|reason| reason.points != 0 || state != BadgeState::Score)
        .take(TOP_REASONS)
        .map(|reason| reason.text.clone())
        .collect();
    let key = view_key(&report.opportunity_id, "local", &text, &summary, &reasons);
    BadgeView {
        state,
        record_id: report.opportunity_id.clone(),
        text,
        tone: if state == BadgeState::Waiting {
            Band::Unknown
        } else {
            score.band
        },
        accessible_name,
        summary,
        reasons,
        key,
        source: HeadlineSource::Device,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Fields, Warning};
    use crate::page::Ui;
    use crate::score::{Reason, Score};

    /// The fields of a JSON object as the bindings hand them over from JavaScript.
    fn fields(value: &serde_json::Value) -> impl Fn(&str) -> Option<JsField> + '_ {
        move |name| {
            Some(match value.get(name)? {
                serde_json::Value::Null => return None,
                serde_json::Value::String(text) => JsField::Text(text.clone()),
                serde_json::Value::Number(n) => JsField::Number(n.as_f64().unwrap()),
                serde_json::Value::Bool(flag) => JsField::Flag(*flag),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|item| item.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .map_or(JsField::Other, JsField::Texts),
                serde_json::Value::Object(_) => JsField::Other,
            })
        }
    }

    #[test]
    fn content_inputs_are_read_as_strictly_as_their_serde_form() {
        use serde_json::json;
        let summaries = [
            json!({"recordId": "006A", "value": 72, "band": "healthy", "highlights": ["a", "b"], "ageMinutes": 5, "stale": true}),
            json!({"recordId": "006A", "value": null, "band": "won", "highlights": []}),
            json!({"recordId": "006A", "band": "at_risk", "highlights": [], "ageMinutes": -3}),
            json!({"recordId": "006A", "value": 300, "band": "healthy", "highlights": []}),
            json!({"recordId": "006A", "value": -1, "band": "healthy", "highlights": []}),
            json!({"recordId": "006A", "value": 7.5, "band": "healthy", "highlights": []}),
            json!({"recordId": "006A", "value": "72", "band": "healthy", "highlights": []}),
            json!({"recordId": "006A", "band": "great", "highlights": []}),
            json!({"recordId": "006A", "band": "healthy"}),
            json!({"recordId": "006A", "band": "healthy", "highlights": ["a", 1]}),
            json!({"recordId": "006A", "band": "healthy", "highlights": "a"}),
            json!({"recordId": "006A", "band": "healthy", "highlights": [], "stale": "yes"}),
            json!({"recordId": 6, "band": "healthy", "highlights": []}),
            json!({"band": "healthy", "highlights": []}),
            json!({"recordId": "006A", "band": "critical", "highlights": ["<b>x</b>"], "extra": {"x": 1}}),
        ];
        for summary in &summaries {
            assert_eq!(
                EnrichedSummary::from_fields(fields(summary)),
                serde_json::from_value::<EnrichedSummary>(summary.clone()).ok(),
                "{summary}"
            );
        }
        let previous = [
            json!({"recordId": "006A", "name": "Acme"}),
            json!({"recordId": "006A", "name": null}),
            json!({"recordId": "006A"}),
            json!({"recordId": "006A", "name": 3}),
            json!({"name": "Acme"}),
            json!({"recordId": ["006A"]}),
            json!({"recordId": "006A", "name": "Acme", "source": "device"}),
            json!({"recordId": "006A", "source": "pending"}),
            json!({"recordId": "006A", "source": "analysis"}),
            json!({"recordId": "006A", "source": "Device"}),
            json!({"recordId": "006A", "source": true}),
        ];
        for badge in &previous {
            assert_eq!(
                PreviousBadge::from_fields(fields(badge)),
                serde_json::from_value::<PreviousBadge>(badge.clone()).ok(),
                "{badge}"
            );
        }
        let waits = [
            json!({"signedIn": true, "recordId": "006A", "waitedMs": 12.5, "answered": "006A"}),
            json!({"signedIn": false, "recordId": "006A", "waitedMs": 0}),
            json!({"recordId": "006A", "waitedMs": 3, "signedIn": null, "answered": null}),
            json!({"signedIn": "yes", "recordId": "006A", "waitedMs": 3}),
            json!({"signedIn": true, "waitedMs": 3}),
            json!({"signedIn": true, "recordId": "006A"}),
            json!({"signedIn": true, "recordId": "006A", "waitedMs": "3"}),
            json!({"signedIn": true, "recordId": "006A", "waitedMs": 3, "answered": 6}),
        ];
        for wait in &waits {
            assert_eq!(
                AnalysisWait::from_fields(fields(wait)),
                serde_json::from_value::<AnalysisWait>(wait.clone()).ok(),
                "{wait}"
            );
        }
        // Stricter than serde where serde cannot say it: a time is never negative.
        assert_eq!(
            AnalysisWait::from_fields(fields(&json!({"recordId": "006A", "waitedMs": -1}))),
            None
        );
        for band in [
            Band::Healthy,
            Band::AtRisk,
            Band::Critical,
            Band::Won,
            Band::Lost,
            Band::Unknown,
        ] {
            let code = serde_json::to_value(band).unwrap();
            assert_eq!(Band::from_code(code.as_str().unwrap()), Some(band));
        }
    }

    fn report(band: Band, value: Option<u8>, warnings: Vec<Warning>) -> Report {
        Report {
            opportunity_id: "0065g00000AbCdEAAV".into(),
            ui: Ui::Lightning,
            fields: Fields::default(),
            score: Score {
                value,
                band,
                reasons: vec![
                    Reason {
                        code: "a",
                        points: -15,
                        text: Text::literal("first"),
                    },
                    Reason {
                        code: "b",
                        points: -5,
                        text: Text::literal("second"),
                    },
                    Reason {
                        code: "c",
                        points: 5,
                        text: Text::literal("third"),
                    },
                    Reason {
                        code: "d",
                        points: 5,
                        text: Text::literal("fourth"),
                    },
                ],
            },
            warnings,
        }
    }

    #[test]
    fn accessible_names_have_the_exact_form() {
        assert_eq!(
            badge_view(&report(Band::Healthy, Some(72), vec![]))
                .accessible_name
                .english(),
            "Deal health 72 of 100, healthy"
        );
        assert_eq!(
            badge_view(&report(Band::AtRisk, Some(55), vec![]))
                .accessible_name
                .english(),
            "Deal health 55 of 100, at risk"
        );
        assert_eq!(
            badge_view(&report(Band::Critical, Some(5), vec![]))
                .accessible_name
                .english(),
            "Deal health 5 of 100, critical"
        );
        assert_eq!(
            badge_view(&report(Band::Won, None, vec![]))
                .accessible_name
                .english(),
            "Deal health: closed won"
        );
        assert_eq!(
            badge_view(&report(Band::Lost, None, vec![]))
                .accessible_name
                .english(),
            "Deal health: closed lost"
        );
        assert_eq!(
            badge_view(&report(Band::Unknown, None, vec![]))
                .accessible_name
                .english(),
            "Deal health: not enough data"
        );
    }

    #[test]
    fn a_record_left_on_the_page_after_the_url_changed_is_not_shown() {
        let mut current = report(Band::Healthy, Some(80), vec![]);
        current.fields.name = Some("Old deal".into());
        let previous = PreviousBadge {
            record_id: "0065g00000ZzZzZAAV".into(),
            name: Some("Old deal".into()),
            source: None,
        };
        assert!(still_shows_previous_record(Some(&previous), &current, true));
        assert!(
            !still_shows_previous_record(Some(&previous), &current, false),
            "a newly rendered header"
        );
        current.fields.name = Some("New deal".into());
        assert!(
            !still_shows_previous_record(Some(&previous), &current, true),
            "the header was re-used for the new record"
        );
        let same_record = PreviousBadge {
            record_id: current.opportunity_id.clone(),
            name: Some("New deal".into()),
            source: None,
        };
        assert!(
            !still_shows_previous_record(Some(&same_record), &current, true),
            "an inline edit"
        );
        assert!(!still_shows_previous_record(None, &current, true));
    }

    #[test]
    fn the_enriched_score_replaces_the_local_one_for_the_same_record_only() {
        let local = report(Band::AtRisk, Some(55), vec![]);
        let enriched = EnrichedSummary {
            record_id: "0065g00000AbCdE".into(),
            value: Some(81),
            band: Band::Healthy,
            highlights: vec!["Only one contact is engaged".into()],
            age_minutes: 190,
            stale: false,
        };
        let view = enriched_view(&local, &enriched);
        assert_eq!(
            (view.text.english(), view.accessible_name.english()),
            (
                "81".to_string(),
                "Deal health 81 of 100, healthy".to_string()
            )
        );
        assert_eq!(view.reasons, [Text::literal("Only one contact is engaged")]);
        assert_eq!(
            view.summary.english(),
            "Customer City analysis · 81 of 100 · updated 3 h ago"
        );
        let offline = EnrichedSummary {
            stale: true,
            ..enriched.clone()
        };
        assert!(enriched_view(&local, &offline)
            .summary
            .english()
            .ends_with("updated 3 h ago · could not refresh"));
        assert_ne!(enriched_view(&local, &offline).key, view.key);
        assert_eq!(
            [0, 12, 60, 2879, 2880].map(|m| age(m).english()),
            [
                "just now",
                "12 min ago",
                "1 h ago",
                "47 h ago",
                "2 days ago"
            ]
        );
        let other = EnrichedSummary {
            record_id: "0065g00000ZzZzZ".into(),
            ..enriched
        };
        assert_eq!(enriched_view(&local, &other), badge_view(&local));
    }

    #[test]
    fn states_and_reasons() {
        let view = badge_view(&report(Band::AtRisk, Some(55), vec![]));
        assert_eq!(
            (view.state, view.text.english().as_str()),
            (BadgeState::Score, "55")
        );
        let reasons: Vec<String> = view.reasons.iter().map(Text::english).collect();
        assert_eq!(reasons, ["first", "second", "third"]);
        let waiting = Warning {
            code: "no_record_fields",
            field: None,
            raw: None,
            message: String::new(),
        };
        assert_eq!(
            badge_view(&report(Band::Unknown, None, vec![waiting])).state,
            BadgeState::Waiting
        );
        assert_eq!(
            badge_view(&report(Band::Unknown, None, vec![]))
                .text
                .english(),
            "?"
        );
        assert_ne!(
            badge_view(&report(Band::AtRisk, Some(55), vec![])).key,
            badge_view(&report(Band::AtRisk, Some(56), vec![])).key
        );
    }

    fn wait(signed_in: Option<bool>, waited_ms: f64) -> AnalysisWait {
        AnalysisWait {
            signed_in,
            record_id: "0065g00000AbCdEAAV".into(),
            waited_ms,
            answered: None,
        }
    }

    fn analysis_of(record_id: &str) -> EnrichedSummary {
        EnrichedSummary {
            record_id: record_id.into(),
            value: Some(67),
            band: Band::AtRisk,
            highlights: vec![],
            age_minutes: 0,
            stale: false,
        }
    }

    #[test]
    fn signed_in_the_badge_is_pending_until_the_analysis_never_the_estimate_first() {
        let local = report(Band::Healthy, Some(85), vec![]);
        let pending = decide(&local, None, false, None, Some(&wait(Some(true), 0.0)));
        assert_eq!(pending.view.state, BadgeState::Pending);
        assert_eq!(pending.view.source, HeadlineSource::Pending);
        assert_eq!(pending.view.tone, Band::Unknown);
        assert_eq!(pending.view.text.english(), "…");
        assert_eq!(
            pending.view.accessible_name.english(),
            "Deal health: waiting for the Customer City analysis"
        );
        assert_eq!(
            pending.view.summary.english(),
            "Waiting for the analysis from Customer City…"
        );
        assert!(
            pending.view.reasons.is_empty(),
            "none of the device's reasons"
        );
        let drawn = format!("{:?}", pending.view);
        assert!(!drawn.contains("85"), "no number of the device's: {drawn}");
        assert_eq!(pending.recheck_ms, Some(PENDING_AT_MOST_MS));
        // Still pending a while later, and asked to look again when the bound is reached.
        let later = decide(&local, None, false, None, Some(&wait(Some(true), 2_000.4)));
        assert_eq!(later.view, pending.view);
        assert_eq!(later.recheck_ms, Some(PENDING_AT_MOST_MS - 2_000));
        // The analysis arrives: its score, its colour.
        let analysis = analysis_of("0065g00000AbCdE");
        let shown = decide(
            &local,
            None,
            false,
            Some(&analysis),
            Some(&wait(Some(true), 2_500.0)),
        );
        assert_eq!(shown.view.text.english(), "67");
        assert_eq!(shown.view.source, HeadlineSource::Analysis);
        assert_eq!(shown.view.tone, Band::AtRisk);
        assert_eq!(shown.recheck_ms, None);
        // Another record's analysis changes nothing: this one is still pending.
        let other = analysis_of("0065g00000ZzZzZ");
        let still = decide(
            &local,
            None,
            false,
            Some(&other),
            Some(&wait(Some(true), 10.0)),
        );
        assert_eq!(still.view.state, BadgeState::Pending);
    }

    #[test]
    fn the_pending_badge_ends_with_the_workers_answer_or_its_bound() {
        let local = report(Band::Healthy, Some(85), vec![]);
        let estimate = badge_view(&local);
        // The worker said there is none (or it failed): the estimate, with its explanation.
        let answered = AnalysisWait {
            answered: Some("0065g00000AbCdE".into()),
            ..wait(Some(true), 300.0)
        };
        let decision = decide(&local, None, false, None, Some(&answered));
        assert_eq!(decision.view, estimate);
        assert_eq!(decision.view.summary.english(), "85 of 100 · healthy");
        assert_eq!(decision.recheck_ms, None);
        // An answer about another record ends nothing.
        let elsewhere = AnalysisWait {
            answered: Some("0065g00000ZzZzZAAV".into()),
            ..wait(Some(true), 300.0)
        };
        assert_eq!(
            decide(&local, None, false, None, Some(&elsewhere))
                .view
                .state,
            BadgeState::Pending
        );
        // No answer in time: the estimate after all.
        let late = wait(Some(true), f64::from(PENDING_AT_MOST_MS));
        assert_eq!(
            decide(&local, None, false, None, Some(&late)),
            Decision {
                view: estimate.clone(),
                recheck_ms: None
            }
        );
        // Once the estimate is shown for this record it stays until the analysis: never back
        // from a number to "…" (the sign-in state learnt late, an inline edit).
        let previous = PreviousBadge {
            record_id: local.opportunity_id.clone(),
            name: None,
            source: Some(HeadlineSource::Device),
        };
        let kept = decide(
            &local,
            Some(&previous),
            false,
            None,
            Some(&wait(Some(true), 0.0)),
        );
        assert_eq!(kept.view, estimate);
        // ...while pending drawn before stays pending.
        let was_pending = PreviousBadge {
            source: Some(HeadlineSource::Pending),
            ..previous.clone()
        };
        assert_eq!(
            decide(
                &local,
                Some(&was_pending),
                false,
                None,
                Some(&wait(Some(true), 100.0))
            )
            .view
            .state,
            BadgeState::Pending
        );
        // A clock that runs for another record (the URL moved on): this one starts at zero.
        let stale_clock = AnalysisWait {
            record_id: "0065g00000ZzZzZAAV".into(),
            ..wait(Some(true), 60_000.0)
        };
        assert_eq!(
            decide(&local, None, false, None, Some(&stale_clock)).recheck_ms,
            Some(PENDING_AT_MOST_MS)
        );
    }

    #[test]
    fn signed_out_or_not_yet_known_the_estimate_shows_at_once() {
        let local = report(Band::Healthy, Some(85), vec![]);
        let estimate = badge_view(&local);
        let signed_out = decide(&local, None, false, None, Some(&wait(Some(false), 0.0)));
        assert_eq!(
            signed_out,
            Decision {
                view: estimate.clone(),
                recheck_ms: None
            }
        );
        assert_eq!(signed_out.view.source, HeadlineSource::Device);
        // A caller that knows nothing of Tier 2 decides as signed out.
        assert_eq!(decide(&local, None, false, None, None).view, estimate);
        // The worker has not said yet: the estimate is not held back for it.
        assert_eq!(
            decide(&local, None, false, None, Some(&wait(None, 0.0))),
            Decision {
                view: estimate.clone(),
                recheck_ms: None
            }
        );
        // A page still rendering waits for the page, with no clock of its own.
        let rendering = report(
            Band::Unknown,
            None,
            vec![Warning {
                code: "no_record_fields",
                field: None,
                raw: None,
                message: String::new(),
            }],
        );
        let waiting = decide(&rendering, None, false, None, Some(&wait(Some(true), 0.0)));
        assert_eq!(
            (waiting.view.state, waiting.recheck_ms),
            (BadgeState::Waiting, None)
        );
        // The previous record still on screen: nothing, whatever is known.
        let mut left_over = report(Band::Healthy, Some(85), vec![]);
        left_over.fields.name = Some("Old deal".into());
        let previous = PreviousBadge {
            record_id: "0065g00000ZzZzZAAV".into(),
            name: Some("Old deal".into()),
            source: Some(HeadlineSource::Analysis),
        };
        assert_eq!(
            decide(
                &left_over,
                Some(&previous),
                true,
                Some(&analysis_of("0065g00000AbCdE")),
                Some(&wait(Some(true), 0.0))
            )
            .view
            .state,
            BadgeState::Waiting
        );
    }

    #[test]
    fn won_lost_and_incomplete_deals_are_pending_too_signed_in() {
        for (band, value) in [(Band::Won, None), (Band::Lost, None), (Band::Unknown, None)] {
            let local = report(band, value, vec![]);
            assert_eq!(
                decide(&local, None, false, None, Some(&wait(Some(true), 0.0)))
                    .view
                    .state,
                BadgeState::Pending,
                "{band:?}"
            );
        }
    }
}
