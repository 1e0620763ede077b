//! What the side panel shows: the active tab's deal (Tier 1 always; the enriched analysis when
//! signed in), the rep's pipeline, and the settings, each in one of its states. Pure: the panel
//! page draws exactly this, as text.

use serde::{Deserialize, Serialize};

use crate::api::{Analysis, Descriptions, Portfolio, RecommendationSource, Severity};
use crate::auth::SignInFailure;
use crate::retry::ErrorKind;
use crate::settings::Settings;
use deal_health::badge::{EnrichedSummary, HeadlineSource};
use deal_health::i18n::{Text, Value};
use deal_health::list::summary::ListSummary;
use deal_health::report::Tier1Summary;
use deal_health::score::Band;

/// The active tab, as the worker saw it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TabContext {
    /// The Salesforce host of the tab, if it is on Salesforce.
    pub host: Option<String>,
    /// The Opportunity the tab shows, if any.
    pub record_id: Option<String>,
    /// The list of Opportunities the tab shows, if any ([`list_identity`]).
    #[serde(default)]
    pub list: Option<String>,
}

/// A tab's list report as the worker keeps it: which list it is of ([`list_identity`] of the
/// page that sent it) and its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredList {
    /// The list's identity.
    pub list: String,
    /// Its rows.
    pub summary: ListSummary,
}

/// A worker answer for a deal: `{ok, data: {summary, analysis}, error}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DealAnswer {
    /// The request succeeded.
    #[serde(default)]
    pub ok: bool,
    /// The analysis, if there is one to show (fresh or cached).
    pub data: Option<DealData>,
    /// Why it failed, as the worker's code.
    pub error: Option<ErrorKind>,
}

/// An analysis as the worker answers it.
#[derive(Debug, Clone, Deserialize)]
pub struct DealData {
    /// What the badge shows.
    pub summary: EnrichedSummary,
    /// The whole analysis.
    pub analysis: Analysis,
}

/// A worker answer for the portfolio: `{ok, data: {portfolio}, error}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PortfolioAnswer {
    /// The request succeeded.
    #[serde(default)]
    pub ok: bool,
    /// The portfolio, if there is one to show.
    pub data: Option<PortfolioData>,
    /// Why it failed, as the worker's code.
    pub error: Option<ErrorKind>,
}

/// A portfolio as the worker answers it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioData {
    /// The rep's open deals.
    pub portfolio: Portfolio,
    /// Minutes since the server last confirmed it.
    #[serde(default)]
    pub age_minutes: Option<i64>,
}

/// Everything the panel knows; `None` parts are still loading.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelInput {
    /// The active tab, as the worker saw it.
    #[serde(default)]
    pub tab: TabContext,
    /// The tab's Tier 1 report, if its content script sent one.
    pub tier1: Option<Tier1Summary>,
    /// The user is signed in.
    #[serde(default)]
    pub signed_in: bool,
    /// The settings in force, once the worker has read them.
    pub settings: Option<Settings>,
    /// The answer for the tab's deal, once asked.
    pub deal: Option<DealAnswer>,
    /// The answer for the portfolio, once asked.
    pub portfolio: Option<PortfolioAnswer>,
    /// The descriptions of factors and blind spots in the user's language (7-day cache).
    #[serde(default)]
    pub descriptions: Option<DescriptionsAnswer>,
    /// The session ended without the user signing out (the service refused to renew it).
    #[serde(default)]
    pub session_expired: bool,
    /// The last sign-in did not complete: why, as the worker's code.
    #[serde(default)]
    pub sign_in_error: Option<SignInFailure>,
    /// The tab's list report, as its content script last sent it (of this list or another).
    #[serde(default)]
    pub list: Option<StoredList>,
    /// `false` in a worker's failed answer (`{ok: false, error}`): read as no answer.
    #[serde(default)]
    pub ok: Option<bool>,
    /// The worker gave no answer the panel could read (it failed, or was stopped while it
    /// answered): never read from an answer, only set by [`PanelInput::unanswered`].
    #[serde(skip)]
    pub unanswered: bool,
}

impl PanelInput {
    /// The input when the worker's answer is missing or unreadable: the panel says so and
    /// offers to try again, rather than drawing a signed-out, empty panel.
    pub fn unanswered() -> PanelInput {
        PanelInput {
            unanswered: true,
            ..PanelInput::default()
        }
    }

    /// The input of a worker's answer: `None` (none, or unreadable) or a failed one
    /// (`{ok: false, ...}`, a handler that threw or a refused message) is [`unanswered`].
    ///
    /// [`unanswered`]: PanelInput::unanswered
    pub fn from_answer(answer: Option<PanelInput>) -> PanelInput {
        answer
            .filter(|input| input.ok != Some(false))
            .unwrap_or_else(PanelInput::unanswered)
    }
}

/// A worker answer for the descriptions: `{ok, data: {descriptions}}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DescriptionsAnswer {
    /// The descriptions, if any.
    pub data: Option<DescriptionsData>,
}

/// Descriptions as the worker answers them.
#[derive(Debug, Clone, Deserialize)]
pub struct DescriptionsData {
    /// The texts, by code.
    pub descriptions: Descriptions,
}

/// One section's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// Nothing to show here (not an opportunity, not Salesforce).
    Absent,
    /// Signed out: the on-device part only.
    SignedOut,
    /// Waiting for the worker.
    Loading,
    /// Shown, and fresh.
    Ready,
    /// Shown from the cache: the latest refresh failed.
    Stale,
    /// Nothing to show: the message says why.
    Error,
}

/// A score as drawn: number (or Won/Lost/?), band and a one-line label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreView {
    /// The number (or Won, Lost, ?).
    pub text: Text,
    /// The band, for its colour.
    pub band: Band,
    /// One line: what the band means.
    pub label: Text,
}

/// One factor of the analysis, as drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorView {
    /// Its name.
    pub title: Text,
    /// What the factor measures (`/v1/descriptions`, in the user's language), if known.
    pub about: Option<Text>,
    /// Its score, 0–100.
    pub score: u8,
    /// The factor's score on the one colour scale of the badge and the panel.
    pub tone: Band,
    /// "15 %": the factor's weight.
    pub weight: Text,
    /// What it was computed from, one line each.
    pub evidence: Vec<Text>,
}

/// One blind spot, as drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlindSpotView {
    /// How much it matters.
    pub severity: Severity,
    /// Its severity, in words.
    pub severity_label: Text,
    /// The kind's name (`spot_<kind>`), or the description's title for a kind the catalog
    /// does not know; `None` when neither names it (the summary stands alone).
    pub title: Option<Text>,
    /// What the kind means (`/v1/descriptions`), if known.
    pub about: Option<Text>,
    /// One line for the rep.
    pub summary: Text,
    /// The facts behind it, in words (`EVIDENCE_KEYS`).
    pub evidence: Vec<Text>,
    /// What to do about it.
    pub recommendation: Text,
}

/// One recommendation, as drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationView {
    /// Its text.
    pub text: Text,
    /// Written by AI: the panel marks it.
    pub ai: bool,
    /// How urgent.
    pub priority: Severity,
}

/// The analysis section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrichedView {
    /// Its state.
    pub status: Status,
    /// Offer the "Sign in" button here (signed out, and sign-in not switched off by policy).
    pub sign_in: bool,
    /// The analysis's score.
    pub score: Option<ScoreView>,
    /// "Updated 5 minutes ago".
    pub age: Option<Text>,
    /// What the state means, when it needs words.
    pub message: Option<Text>,
    /// The seven factors.
    pub factors: Vec<FactorView>,
    /// The blind spots.
    pub blind_spots: Vec<BlindSpotView>,
    /// The recommendations.
    pub recommendations: Vec<RecommendationView>,
}

/// The tab's deal section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DealView {
    /// Its state.
    pub status: Status,
    /// The deal's name (or the section's title).
    pub title: Text,
    /// What the state means, when it needs words.
    pub message: Option<Text>,
    /// The one score the rep reads first.
    pub headline: Option<Headline>,
    /// The on-device estimate (Tier 1); the headline too unless the analysis is.
    pub local: Option<ScoreView>,
    /// What the on-device estimate is, and how it differs from the analysis.
    pub local_note: Text,
    /// The on-device estimate's reasons, most harmful first.
    pub reasons: Vec<Text>,
    /// The analysis.
    pub enriched: EnrichedView,
}

/// The headline: one score, and a line that says what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Headline {
    /// Where the score comes from.
    pub source: HeadlineSource,
    /// `None` while pending.
    pub score: Option<ScoreView>,
    /// "Customer City analysis from activity and contacts" / "On-device estimate from 7 fields".
    pub caption: Text,
}

/// One deal of the rep's pipeline, as drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineDeal {
    /// Its name.
    pub name: Text,
    /// The record in Lightning, on the tab's own org host.
    pub url: String,
    /// Its score.
    pub score: ScoreView,
    /// The amount with its currency, formatted by the browser.
    pub amount: Option<Text>,
    /// Its stage.
    pub stage: Text,
    /// "Closes Dec 15, 2026", the date formatted by the browser.
    pub closes: Text,
    /// Its most severe blind spot, in words.
    pub top_blind_spot: Option<Text>,
}

/// The pipeline section, riskiest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineView {
    /// Its state.
    pub status: Status,
    /// What the state means, when it needs words.
    pub message: Option<Text>,
    /// "Updated 5 minutes ago".
    pub age: Option<Text>,
    /// The deals.
    pub deals: Vec<PipelineDeal>,
}

/// A setting's switch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Toggle {
    /// On.
    pub on: bool,
    /// Set by the administrator's policy: shown, not changeable.
    pub forced: bool,
}

/// The settings section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// The user is signed in.
    pub signed_in: bool,
    /// Offer the "Sign in" button: signed out, and sign-in not switched off by policy.
    pub sign_in: bool,
    /// Signed out without the user's say (sign-in switched off by the administrator, an expired
    /// session, a failed sign-in): why, in place of the plain "Signed out".
    pub notice: Option<Text>,
    /// "Send anonymous usage statistics" (on = not opted out).
    pub analytics: Toggle,
    /// "Include AI-written recommendations".
    pub ai_insights: Toggle,
    /// The administrator switched sign-in off: no sign-in control is offered, the
    /// administrator's message stands in its place.
    pub sign_in_disabled: bool,
    /// What the administrator's policy set, and what it set that could not be used.
    pub policy_notes: Vec<Text>,
}

/// The whole panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelView {
    /// The tab's deal.
    pub deal: DealView,
    /// The rep's pipeline.
    pub pipeline: PipelineView,
    /// The settings section.
    pub settings: SettingsView,
    /// The list the tab shows, riskiest first; `None` on any other page.
    pub list: Option<ListView>,
}

/// One row of the tab's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRowView {
    /// Its name as the list shows it (or "Opportunity" when the list has no name column).
    pub name: Text,
    /// The record in Lightning, on the tab's own org host.
    pub url: String,
    /// Its score: the analysis's where the rep's pipeline has the deal (signed in, from the
    /// portfolio the panel already holds), else the on-device one.
    pub score: ScoreView,
    /// The score is the analysis's.
    pub analysed: bool,
    /// Its most severe blind spot (analysed) or most harmful reason (on the device).
    pub reason: Option<Text>,
}

/// The list the tab shows, scored on the device from its columns, riskiest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListView {
    /// Its state: loading until the content script has read the list.
    pub status: Status,
    /// What the rows are: how many, scored where.
    pub message: Text,
    /// The rows, riskiest first.
    pub rows: Vec<ListRowView>,
}

fn band_label(band: Band, value: Option<u8>) -> (Text, Text) {
    match (band, value) {
        (Band::Won, _) => (Text::new("badge_won"), Text::new("badge_summary_won")),
        (Band::Lost, _) => (Text::new("badge_lost"), Text::new("badge_summary_lost")),
        (Band::Healthy | Band::AtRisk | Band::Critical, Some(v)) => (
            Text::literal(v.to_string()),
            Text::new(match band {
                Band::Healthy => "badge_summary_healthy",
                Band::AtRisk => "badge_summary_at_risk",
                _ => "badge_summary_critical",
            })
            .arg(v.to_string()),
        ),
        _ => (Text::literal("?"), Text::new("badge_summary_incomplete")),
    }
}

/// A factor's score on the scale of the deal's bands (`score.rs`): one colour scale.
fn factor_tone(score: u8) -> Band {
    if score >= deal_health::score::HEALTHY_FROM {
        Band::Healthy
    } else if score >= deal_health::score::AT_RISK_FROM {
        Band::AtRisk
    } else {
        Band::Critical
    }
}

fn score_view(band: Band, value: Option<u8>) -> ScoreView {
    let (text, label) = band_label(band, value);
    ScoreView { text, band, label }
}

fn severity_label(severity: Severity) -> Text {
    Text::new(match severity {
        Severity::High => "severity_high",
        Severity::Medium => "severity_medium",
        Severity::Low => "severity_low",
    })
}

/// The title of a code the contract names (`factor_<code>`, `spot_<kind>` in `_locales`); for
/// another code, the title the descriptions give it; else nothing (a code is never shown).
fn known_title(
    prefix: &str,
    known: &[&str],
    code: &str,
    described: Option<&crate::api::Description>,
) -> Option<Text> {
    if known.contains(&code) {
        Some(Text {
            id: format!("{prefix}{code}").into(),
            args: Vec::new(),
            count: None,
        })
    } else {
        described.map(|d| Text::literal(&d.title))
    }
}

/// How the panel shows one key of a blind spot's evidence (docs/api.md lists them).
#[derive(Clone, Copy)]
pub enum Shown {
    /// A whole number: a plural message (`<stem>_one`, `<stem>_other`) with the count.
    Count(&'static str),
    /// A date or an instant (its calendar date), `null` meaning never: `<label>: <date>`.
    Date(&'static str),
    /// `{value, currency}` (or a bare number, shown as a count): `<label>: <amount>`.
    Money(&'static str),
    /// Text from Salesforce (a name, a stage): `<label>: <text>`.
    Plain(&'static str),
}

/// Every evidence key the panel shows, in the order it shows them; any other key is not shown.
pub const EVIDENCE_KEYS: [(&str, Shown); 14] = [
    ("contactName", Shown::Plain("evidence_contact")),
    ("stage", Shown::Plain("evidence_stage")),
    ("amount", Shown::Money("evidence_amount")),
    ("since", Shown::Date("evidence_in_stage_since")),
    ("daysInStage", Shown::Count("evidence_days_in_stage")),
    ("lastReplyAt", Shown::Date("evidence_last_reply")),
    (
        "businessDaysSilent",
        Shown::Count("evidence_business_days_silent"),
    ),
    ("lastTwoWayAt", Shown::Date("evidence_last_two_way")),
    ("daysQuiet", Shown::Count("evidence_days_quiet")),
    (
        "decisionMakersOnDeal",
        Shown::Count("evidence_decision_makers"),
    ),
    ("engagedContacts", Shown::Count("evidence_engaged_contacts")),
    ("contactsOnDeal", Shown::Count("evidence_contacts_on_deal")),
    ("pushesIn90Days", Shown::Count("evidence_close_date_pushes")),
    ("closeDate", Shown::Date("evidence_close_date")),
];

/// Blind-spot evidence (`{name: value}`) as lines of text: each known key with its label from
/// `_locales` and its value formatted for the user's locale; unknown keys and values of the
/// wrong shape are left out.
fn evidence_lines(evidence: &serde_json::Value) -> Vec<Text> {
    use serde_json::Value as Json;
    let Some(map) = evidence.as_object() else {
        return Vec::new();
    };
    EVIDENCE_KEYS
        .iter()
        .filter_map(|(key, shown)| {
            let value = map.get(*key)?;
            match (*shown, value) {
                (Shown::Count(stem), Json::Number(n)) => n
                    .as_i64()
                    .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                    .map(|count| Text::plural(stem, count)),
                (Shown::Date(label), Json::Null) => {
                    Some(Text::new(label).arg(Text::new("evidence_never")))
                }
                (Shown::Date(label), Json::String(at)) => {
                    Value::date(at).map(|date| Text::new(label).arg(date))
                }
                (Shown::Money(label), Json::Object(money)) => {
                    let amount = money.get("value")?.as_f64()?;
                    let currency = money.get("currency")?.as_str()?;
                    Value::money(amount, currency).map(|m| Text::new(label).arg(m))
                }
                (Shown::Money(label), Json::Number(n)) => {
                    let amount = n.as_f64().filter(|f| f.is_finite() && f.abs() < 1e15)?;
                    Some(Text::new(label).arg(Value::Count {
                        value: amount.round() as i64,
                    }))
                }
                (Shown::Plain(label), Json::String(text))
                    if !text.trim().is_empty() && text.chars().count() <= 200 =>
                {
                    Some(Text::new(label).arg(text.as_str()))
                }
                _ => None,
            }
        })
        .collect()
}

/// How long ago the server last confirmed what is shown: "just now", else relative in the
/// user's language ("5 minutes ago", "vor 3 Stunden", "2 日前": `Intl.RelativeTimeFormat`).
fn age(minutes: i64) -> Text {
    if minutes <= 0 {
        Text::new("age_now")
    } else {
        Text::new("literal").arg(Value::Ago { minutes })
    }
}

/// The message for a failed request, by what went wrong. (The worker's code decides, not the
/// browser's `navigator.onLine`: an answer from the server, even an error, proves the network.)
fn error_message(kind: ErrorKind) -> Text {
    Text::new(match kind {
        ErrorKind::Offline => "panel_error_offline",
        ErrorKind::Busy => "panel_error_busy",
        ErrorKind::NotEnabled => "panel_error_not_enabled",
        ErrorKind::NoAnalysis => "panel_no_analysis",
        ErrorKind::SessionExpired => "panel_session_expired",
        ErrorKind::Server | ErrorKind::Invalid => "panel_error_server",
    })
}

impl EnrichedView {
    fn empty(status: Status) -> EnrichedView {
        EnrichedView {
            status,
            sign_in: false,
            score: None,
            age: None,
            message: None,
            factors: Vec::new(),
            blind_spots: Vec::new(),
            recommendations: Vec::new(),
        }
    }
}

fn enriched_view(input: &PanelInput, record_id: &str) -> EnrichedView {
    let mut view = EnrichedView::empty(Status::Loading);
    if !input.signed_in {
        view.status = Status::SignedOut;
        view.sign_in = !sign_in_disabled(input);
        view.message = Some(signed_out_message(input));
        return view;
    }
    let Some(answer) = &input.deal else {
        view.message = Some(Text::new("panel_loading"));
        return view;
    };
    let data = answer
        .data
        .as_ref()
        .filter(|d| d.analysis.opportunity_id.get(..15) == record_id.get(..15));
    let Some(data) = data else {
        view.status = Status::Error;
        view.message = Some(match &answer.error {
            Some(error) => error_message(*error),
            // Answered from the cache without a body: the server had no analysis for it.
            None if answer.ok => Text::new("panel_no_analysis"),
            None => error_message(ErrorKind::Server),
        });
        return view;
    };
    let analysis = &data.analysis;
    view.status = if answer.ok && !data.summary.stale {
        Status::Ready
    } else {
        let why = answer.error.unwrap_or(ErrorKind::Server);
        view.message = Some(Text::new("panel_stale").arg(error_message(why)));
        Status::Stale
    };
    let descriptions = input
        .descriptions
        .as_ref()
        .and_then(|d| d.data.as_ref())
        .map(|d| &d.descriptions);
    let about = |map: Option<&std::collections::BTreeMap<String, crate::api::Description>>,
                 code: &str| {
        map.and_then(|m| m.get(code))
            .filter(|d| !d.text.trim().is_empty())
            .map(|d| Text::literal(&d.text))
    };
    view.score = Some(score_view(analysis.score.band, analysis.score.value));
    view.age = Some(Text::new("panel_updated").arg(age(data.summary.age_minutes)));
    view.factors = analysis
        .factors
        .iter()
        .filter_map(|f| {
            let described = descriptions.and_then(|d| d.factors.get(&f.code));
            Some(FactorView {
                title: known_title("factor_", &crate::api::FACTOR_CODES, &f.code, described)?,
                about: about(descriptions.map(|d| &d.factors), &f.code),
                score: f.score,
                tone: factor_tone(f.score),
                weight: Text::new("percent").arg(format!("{:.0}", f.weight * 100.0)),
                evidence: f.evidence.iter().take(5).map(Text::literal).collect(),
            })
        })
        .collect();
    view.blind_spots = analysis
        .blind_spots
        .iter()
        .map(|s| {
            let described = descriptions.and_then(|d| d.blind_spots.get(&s.kind));
            BlindSpotView {
                severity: s.severity,
                severity_label: severity_label(s.severity),
                title: known_title("spot_", &crate::api::BLIND_SPOT_KINDS, &s.kind, described),
                about: about(descriptions.map(|d| &d.blind_spots), &s.kind),
                summary: Text::literal(&s.summary),
                evidence: evidence_lines(&s.evidence),
                recommendation: Text::literal(&s.recommendation),
            }
        })
        .collect();
    view.recommendations = analysis
        .recommendations
        .iter()
        // Never AI text the analysis says was not allowed (api.rs refuses it too).
        .filter(|r| analysis.ai_included || r.source != RecommendationSource::Ai)
        .map(|r| RecommendationView {
            text: Text::literal(&r.text),
            ai: r.source == RecommendationSource::Ai,
            priority: r.priority,
        })
        .collect();
    view
}

/// Whether the administrator switched sign-in off (`disableSignIn`, or an `apiOrigin` whose web
/// app is unknown): the worker refuses to begin one, so the panel offers none.
fn sign_in_disabled(input: &PanelInput) -> bool {
    input.settings.as_ref().is_some_and(|s| s.sign_in_disabled)
}

/// Signed out: why, when the user did not choose it (sign-in switched off by the
/// administrator, an expired session, a failed sign-in), else the invitation.
fn signed_out_message(input: &PanelInput) -> Text {
    if sign_in_disabled(input) {
        return Text::new("settings_policy_sign_in_off");
    }
    if let Some(failure) = input.sign_in_error {
        return Text::new("panel_sign_in_failed").arg(sign_in_error_reason(failure));
    }
    if input.session_expired {
        return Text::new("panel_session_expired");
    }
    Text::new("panel_sign_in_invitation")
}

/// Why a sign-in failed, from the worker's code for it.
fn sign_in_error_reason(failure: SignInFailure) -> Text {
    Text::new(match failure {
        SignInFailure::Browser => "sign_in_error_browser",
        SignInFailure::Cancelled => "sign_in_error_cancelled",
        SignInFailure::Offline => "panel_error_offline",
        SignInFailure::Refused => "sign_in_error_refused",
    })
}

fn deal_view(input: &PanelInput) -> DealView {
    if input.unanswered {
        return DealView {
            status: Status::Error,
            title: Text::new("panel_deal_title"),
            message: Some(Text::new("panel_unanswered")),
            headline: None,
            local: None,
            local_note: Text::new("panel_local_note"),
            reasons: Vec::new(),
            // Its retry asks again.
            enriched: EnrichedView::empty(Status::Error),
        };
    }
    let Some(record_id) = input.tab.record_id.as_deref() else {
        return DealView {
            status: Status::Absent,
            title: Text::new("panel_deal_title"),
            // A list of them is shown instead (`list_view`).
            message: input
                .tab
                .list
                .is_none()
                .then(|| Text::new("panel_not_opportunity")),
            headline: None,
            local: None,
            local_note: Text::new("panel_local_note"),
            reasons: Vec::new(),
            enriched: EnrichedView::empty(Status::Absent),
        };
    };
    // Only the report of this very record: a tab that moved on shows "reading the page".
    let tier1 = input
        .tier1
        .as_ref()
        .filter(|t| t.record_id.get(..15) == record_id.get(..15));
    let title = match tier1.and_then(|t| t.name.as_deref()) {
        Some(name) => Text::literal(name),
        None => Text::new("panel_deal_title"),
    };
    let local = tier1.map(|t| score_view(t.band, t.value));
    let enriched = enriched_view(input, record_id);
    let (headline, local_note) = headline(&enriched, local.as_ref());
    DealView {
        status: if tier1.is_some() {
            Status::Ready
        } else {
            Status::Loading
        },
        title,
        message: tier1.is_none().then(|| Text::new("panel_reading_page")),
        headline,
        local,
        local_note,
        reasons: tier1
            .map(|t| t.reasons.iter().map(dates_as_values).collect())
            .unwrap_or_default(),
        enriched,
    }
}

/// A Tier 1 reason as the panel shows it: a calendar date the score names as text
/// (`reason_close_date_far`) becomes a date value, formatted for the user's locale.
fn dates_as_values(reason: &Text) -> Text {
    let mut shown = reason.clone();
    for arg in &mut shown.args {
        match arg {
            deal_health::i18n::Arg::Plain(text) if text.len() == 10 => {
                if let Some(date) = Value::date(text) {
                    *arg = date.into();
                }
            }
            deal_health::i18n::Arg::Text(inner) => *inner = dates_as_values(inner),
            _ => {}
        }
    }
    shown
}

/// One headline score. Signed in, it is the Customer City analysis (it sees activity and
/// contacts, the device sees seven fields of the page); while the analysis is on its way the
/// headline is pending rather than the device's number, so it never jumps from one score to
/// another. Signed out, or without an analysis for this deal, it is the on-device estimate.
fn headline(enriched: &EnrichedView, local: Option<&ScoreView>) -> (Option<Headline>, Text) {
    let device = || {
        local.map(|score| Headline {
            source: HeadlineSource::Device,
            score: Some(score.clone()),
            caption: Text::new("headline_device"),
        })
    };
    match (&enriched.score, enriched.status) {
        (Some(score), _) => (
            Some(Headline {
                source: HeadlineSource::Analysis,
                score: Some(score.clone()),
                caption: Text::new("headline_analysis"),
            }),
            Text::new("panel_local_note_signed_in"),
        ),
        (None, Status::Loading) => (
            Some(Headline {
                source: HeadlineSource::Pending,
                score: None,
                caption: Text::new("headline_pending"),
            }),
            Text::new("panel_local_note_signed_in"),
        ),
        _ => (device(), Text::new("panel_local_note")),
    }
}

fn pipeline_view(input: &PanelInput) -> PipelineView {
    let mut view = PipelineView {
        status: Status::Loading,
        message: None,
        age: None,
        deals: Vec::new(),
    };
    if !input.signed_in {
        view.status = Status::SignedOut;
        // No invitation to a sign-in the administrator switched off.
        view.message = Some(Text::new(if sign_in_disabled(input) {
            "settings_policy_sign_in_off"
        } else {
            "panel_pipeline_signed_out"
        }));
        return view;
    }
    let Some(host) = input.tab.host.as_deref() else {
        view.status = Status::Absent;
        view.message = Some(Text::new("panel_pipeline_open_salesforce"));
        return view;
    };
    let Some(answer) = &input.portfolio else {
        view.message = Some(Text::new("panel_loading"));
        return view;
    };
    let why = answer.error.unwrap_or(ErrorKind::Server);
    let Some(data) = &answer.data else {
        view.status = Status::Error;
        view.message = Some(error_message(why));
        return view;
    };
    view.status = if answer.ok {
        Status::Ready
    } else {
        view.message = Some(Text::new("panel_stale").arg(error_message(why)));
        Status::Stale
    };
    view.age = data
        .age_minutes
        .map(|m| Text::new("panel_updated").arg(age(m)));
    let mut deals: Vec<&crate::api::PortfolioDeal> = data
        .portfolio
        .deals
        .iter()
        .filter(|d| deal_health::page::opportunity_id(&d.id).is_some())
        .collect();
    // Riskiest first, whatever order the server used; closed or unscored deals last.
    deals.sort_by_key(|d| (d.score.map_or(u16::MAX, u16::from), d.id.clone()));
    view.deals = deals
        .into_iter()
        .map(|d| PipelineDeal {
            name: Text::literal(&d.name),
            url: format!("https://{host}/lightning/r/Opportunity/{}/view", d.id),
            score: score_view(d.band, d.score),
            amount: d
                .amount
                .as_ref()
                .and_then(|m| Value::money(m.value, &m.currency))
                .map(|m| Text::new("literal").arg(m)),
            stage: Text::literal(&d.stage),
            closes: Text::new("panel_closes").arg(Value::Date {
                date: d.close_date.to_string(),
            }),
            top_blind_spot: d.top_blind_spot.as_ref().and_then(blind_spot_line),
        })
        .collect();
    if view.deals.is_empty() {
        view.message = Some(Text::new("panel_pipeline_empty"));
    }
    view
}

/// "High: no next step", for a blind spot of a known kind.
fn blind_spot_line(spot: &crate::api::TopBlindSpot) -> Option<Text> {
    let title = known_title("spot_", &crate::api::BLIND_SPOT_KINDS, &spot.kind, None)?;
    Some(
        Text::new("panel_top_blind_spot")
            .arg(severity_label(spot.severity))
            .arg(title),
    )
}

fn settings_view(input: &PanelInput) -> SettingsView {
    let settings = input.settings.clone().unwrap_or_else(|| {
        crate::settings::effective(None, &serde_json::Value::Null, "https://invalid")
    });
    let mut notes = Vec::new();
    // Signed out, the administrator's message is the status line itself (`notice`).
    if settings.sign_in_disabled && input.signed_in {
        notes.push(Text::new("settings_policy_sign_in_off"));
    }
    if let Some(orgs) = &settings.allowed_orgs {
        notes.push(Text::new("settings_policy_orgs").arg(orgs.join(", ").as_str()));
    }
    if settings.forced.api_origin {
        notes.push(Text::new("settings_policy_api").arg(settings.api_origin.as_str()));
    }
    notes.extend(
        settings
            .policy_errors
            .iter()
            .map(|e| Text::new("settings_policy_ignored").arg(e.as_str())),
    );
    let explained = !input.signed_in
        && (settings.sign_in_disabled || input.session_expired || input.sign_in_error.is_some());
    SettingsView {
        signed_in: input.signed_in,
        sign_in: !input.signed_in && !settings.sign_in_disabled,
        notice: explained.then(|| signed_out_message(input)),
        analytics: Toggle {
            on: !settings.analytics_opt_out,
            forced: settings.forced.analytics_opt_out,
        },
        ai_insights: Toggle {
            on: settings.include_ai,
            forced: settings.forced.ai_insights,
        },
        sign_in_disabled: settings.sign_in_disabled,
        policy_notes: notes,
    }
}

/// The side panel's colour theme, the user's choice kept in the panel's own `localStorage`
/// (`storage::THEME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the system's light or dark setting.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// A theme by its code (`system`, `light`, `dark`); `None` for anything else.
    pub fn parse(code: &str) -> Option<Theme> {
        match code {
            "system" => Some(Theme::System),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    /// The theme kept in storage: anything missing or unknown reads as [`Theme::System`].
    pub fn from_stored(stored: Option<&str>) -> Theme {
        stored.and_then(Theme::parse).unwrap_or(Theme::System)
    }

    /// Its code, as stored and as the panel's `data-theme`.
    pub fn code(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The panel for what is known.
pub fn panel_view(input: &PanelInput) -> PanelView {
    PanelView {
        deal: deal_view(input),
        pipeline: pipeline_view(input),
        settings: settings_view(input),
        list: list_view(input),
    }
}

fn list_view(input: &PanelInput) -> Option<ListView> {
    let list = input.tab.list.as_deref().filter(|_| !input.unanswered)?;
    let host = input.tab.host.as_deref()?;
    // Only the report of this very list, whole: a tab that moved on (another list, another
    // org), or whose report lists only the rows read near the view (a signed-in rep's, for
    // their scores), shows "reading the list" until its content script reports the list whole.
    let reported = input
        .list
        .as_ref()
        .filter(|stored| stored.list == list && !stored.summary.partial);
    let Some(summary) = reported.map(|stored| &stored.summary) else {
        return Some(ListView {
            status: Status::Loading,
            message: Text::new("panel_reading_list"),
            rows: Vec::new(),
        });
    };
    // Signed in, the deals of the rep's pipeline (the portfolio already asked for): no request
    // per row.
    let analysed: std::collections::BTreeMap<&str, &crate::api::PortfolioDeal> = input
        .portfolio
        .as_ref()
        .filter(|_| input.signed_in)
        .and_then(|answer| answer.data.as_ref())
        .map(|data| {
            data.portfolio
                .deals
                .iter()
                .filter_map(|deal| Some((deal.id.get(..15)?, deal)))
                .collect()
        })
        .unwrap_or_default();
    let mut rows: Vec<(u16, ListRowView)> = summary
        .riskiest_first()
        .into_iter()
        .map(|row| {
            let deal = row.record_id.get(..15).and_then(|id| analysed.get(id));
            let (value, band) = deal.map_or((row.value, row.band), |d| (d.score, d.band));
            let reason = match deal {
                Some(deal) => deal.top_blind_spot.as_ref().and_then(blind_spot_line),
                None => row.reason.clone(),
            };
            // An analysed row is named as the server knows the deal, not as the page says.
            let name = deal.map(|d| d.name.as_str()).or(row.name.as_deref());
            let view = ListRowView {
                name: name.map_or_else(|| Text::new("panel_list_unnamed"), Text::literal),
                url: format!(
                    "https://{host}/lightning/r/Opportunity/{}/view",
                    row.record_id
                ),
                score: score_view(band, value),
                analysed: deal.is_some(),
                reason,
            };
            (value.map_or(u16::MAX, u16::from), view)
        })
        .collect();
    // Riskiest first by the score shown (stable: page order among equals).
    rows.sort_by_key(|(risk, _)| *risk);
    let rows: Vec<ListRowView> = rows.into_iter().map(|(_, view)| view).collect();
    let message = if summary.total == 0 {
        Text::new("panel_list_empty")
    } else if rows.len() < summary.total {
        Text::new("panel_list_riskiest")
            .arg(Value::Count {
                value: rows.len() as i64,
            })
            .arg(Value::Count {
                value: summary.total as i64,
            })
    } else {
        Text::plural("panel_list_rows", summary.total as i64)
    };
    Some(ListView {
        status: Status::Ready,
        message,
        rows,
    })
}

/// Which list of Opportunities an HTTPS page shows (its org, UI and list), to match a list
/// report to the tab; `None` for any other page.
pub fn list_identity(url: &str) -> Option<String> {
    if !url.starts_with("https://") {
        return None;
    }
    let page = deal_health::page::recognize_list(url)?;
    let source = serde_json::to_string(&page.source).ok()?;
    Some(format!("{} {:?} {source}", page.host, page.ui))
}

/// What the panel needs to know about a tab from its URL.
pub fn tab_context(url: &str) -> (Option<String>, Option<String>) {
    if let Some(page) = deal_health::page::recognize(url) {
        return (Some(page.host), Some(page.record_id));
    }
    let host = url
        .strip_prefix("https://")
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .map(|h| h.split(':').next().unwrap_or("").to_ascii_lowercase())
        .filter(|h| deal_health::page::is_salesforce_host(h));
    (host, None)
}

/// The record whose enriched analysis the panel asks the API for: the tab's record, once the
/// content script has reported that the page shows it (a Tier 1 report of the same record).
/// The tab's URL alone is not enough: a page may push another record's URL over its own DOM,
/// and the worker must not fetch a record the page does not show.
pub fn record_to_analyse(tab_record: Option<&str>, tier1: Option<&Tier1Summary>) -> Option<String> {
    let record = tab_record?;
    let reported = tier1?.record_id.get(..15)?;
    (record.get(..15) == Some(reported)).then(|| record.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_answer_says_so_and_offers_to_try_again() {
        let view = panel_view(&PanelInput::unanswered());
        assert_eq!(view.deal.status, Status::Error);
        assert_eq!(view.deal.message, Some(Text::new("panel_unanswered")));
        assert_eq!(view.deal.enriched.status, Status::Error, "the retry shows");
        // An answer never claims to be missing.
        let read: PanelInput = serde_json::from_value(json!({"unanswered": true})).unwrap();
        assert!(!read.unanswered);
        assert_ne!(panel_view(&read).deal.status, Status::Error);
    }

    #[test]
    fn a_theme_is_one_of_three_and_anything_else_reads_as_system() {
        for theme in [Theme::System, Theme::Light, Theme::Dark] {
            assert_eq!(Theme::parse(theme.code()), Some(theme));
            assert_eq!(Theme::from_stored(Some(theme.code())), theme);
        }
        assert_eq!(Theme::parse("Dark"), None);
        assert_eq!(Theme::from_stored(Some("<script>")), Theme::System);
        assert_eq!(Theme::from_stored(None), Theme::System);
    }
    use serde_json::json;

    #[test]
    fn the_panel_analyses_only_a_record_the_page_was_seen_to_show() {
        let shown = tier1("Acme renewal");
        assert_eq!(
            record_to_analyse(Some(ID), Some(&shown)),
            Some(ID.to_string())
        );
        assert_eq!(
            record_to_analyse(Some(&ID[..15]), Some(&shown)).as_deref(),
            Some(&ID[..15])
        );
        assert_eq!(record_to_analyse(Some(ID), None), None, "not read yet");
        let other = Tier1Summary {
            record_id: "0065g00000QqQqQAAV".into(),
            ..tier1("Another deal")
        };
        assert_eq!(
            record_to_analyse(Some(ID), Some(&other)),
            None,
            "the URL names a record the page was not seen to show"
        );
        assert_eq!(record_to_analyse(None, Some(&shown)), None);
    }

    const ID: &str = "0065g00000AbCdEAAV";

    fn tier1(name: &str) -> Tier1Summary {
        Tier1Summary {
            record_id: ID.into(),
            name: Some(name.into()),
            value: Some(55),
            band: Band::AtRisk,
            reasons: vec![Text::new("reason_next_step_missing")],
        }
    }

    fn analysis(id: &str, ai: bool) -> serde_json::Value {
        let factors: Vec<serde_json::Value> = crate::api::FACTOR_CODES
            .iter()
            .enumerate()
            .map(|(i, code)| json!({"code": code, "score": 40 + i * 5, "weight": if i == 0 { 0.1 } else { 0.15 }, "evidence": ["<b>5</b> emails"]}))
            .collect();
        let mut recommendations = vec![
            json!({"id": "r1", "text": "Call the CFO", "source": "rules", "priority": "high"}),
        ];
        if ai {
            recommendations
                .push(json!({"id": "ai-1", "text": "Draft", "source": "ai", "priority": "medium"}));
        }
        json!({"opportunityId": id, "score": {"value": 48, "band": "at_risk"}, "factors": factors,
            "blindSpots": [{"kind": "stuck_deal", "severity": "high", "summary": "<img src=x onerror=alert(1)>", "evidence": {"daysInStage": 61}, "recommendation": "Book a review"}],
            "recommendations": recommendations, "generatedAt": "2026-11-23T12:00:00Z", "dataAsOf": "2026-11-23T11:00:00Z", "aiIncluded": ai})
    }

    fn deal_answer(id: &str, ai: bool, ok: bool, stale: bool) -> DealAnswer {
        let analysis: Analysis = serde_json::from_value(analysis(id, ai)).unwrap();
        let summary = crate::client::summarize(&analysis, None, analysis.generated_at, stale);
        DealAnswer {
            ok,
            data: Some(DealData { summary, analysis }),
            error: (!ok).then_some(ErrorKind::Busy),
        }
    }

    fn input() -> PanelInput {
        PanelInput {
            tab: TabContext {
                host: Some("acme.lightning.force.com".into()),
                record_id: Some(ID.into()),
                list: None,
            },
            tier1: Some(tier1("Acme renewal")),
            ..PanelInput::default()
        }
    }

    #[test]
    fn a_list_page_shows_its_rows_riskiest_first_and_no_deal() {
        use deal_health::list::summary::{ListSummary, RowSummary};
        const LIST: &str =
            "https://acme.lightning.force.com/lightning/o/Opportunity/list?filterName=Mine";
        let this_list = list_identity(LIST).unwrap();
        let on_list = |list: Option<ListSummary>| PanelInput {
            tab: TabContext {
                host: Some("acme.lightning.force.com".into()),
                record_id: None,
                list: Some(this_list.clone()),
            },
            list: list.map(|summary| StoredList {
                list: this_list.clone(),
                summary,
            }),
            ..PanelInput::default()
        };
        let reading = panel_view(&on_list(None));
        assert_eq!(reading.deal.status, Status::Absent);
        assert_eq!(reading.deal.message, None, "the list is shown instead");
        let list = reading.list.expect("a list section");
        assert_eq!(list.status, Status::Loading);
        assert_eq!(list.message, Text::new("panel_reading_list"));

        let row = |id: &str, name: Option<&str>, value: Option<u8>, band: Band| RowSummary {
            record_id: id.into(),
            name: name.map(str::to_string),
            value,
            band,
            reason: Some(Text::new("reason_close_date_passed")),
        };
        let summary = ListSummary {
            rows: vec![
                row("0065g00000AB1CD", Some("Won deal"), None, Band::Won),
                row(
                    "0065g00000AB2CD",
                    Some("<b>Globex</b>"),
                    Some(30),
                    Band::Critical,
                ),
                row("0065g00000AB3CD", None, Some(55), Band::AtRisk),
            ],
            total: 40,
            partial: false,
            others: Vec::new(),
        };
        let view = panel_view(&on_list(Some(summary))).list.unwrap();
        assert_eq!(view.status, Status::Ready);
        let names: Vec<&Text> = view.rows.iter().map(|r| &r.name).collect();
        assert_eq!(
            names,
            [
                &Text::literal("<b>Globex</b>"), // text, never markup
                &Text::new("panel_list_unnamed"),
                &Text::literal("Won deal"),
            ]
        );
        assert_eq!(
            view.rows[0].url,
            "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000AB2CD/view"
        );
        assert_eq!(view.rows[0].score.band, Band::Critical);
        assert_eq!(view.message.id, "panel_list_riskiest", "3 of 40 rows");
        // Every row of the page reported: a plural count; none at all: said so.
        let all = ListSummary {
            rows: vec![row("0065g00000AB2CD", None, Some(30), Band::Critical)],
            total: 1,
            partial: false,
            others: Vec::new(),
        };
        assert_eq!(
            panel_view(&on_list(Some(all))).list.unwrap().message,
            Text::plural("panel_list_rows", 1)
        );
        let none = ListSummary::default();
        assert_eq!(
            panel_view(&on_list(Some(none))).list.unwrap().message,
            Text::new("panel_list_empty")
        );
        // A record page has no list section, whatever was reported before.
        let mut record = input();
        record.list = Some(StoredList::default());
        assert!(panel_view(&record).list.is_none());
        // Another list's report (another filter, another org): still reading this one.
        for other in [
            "https://acme.lightning.force.com/lightning/o/Opportunity/list?filterName=All",
            "https://globex.lightning.force.com/lightning/o/Opportunity/list?filterName=Mine",
        ] {
            let mut moved = on_list(Some(ListSummary::default()));
            moved.list.as_mut().unwrap().list = list_identity(other).unwrap();
            assert_ne!(moved.list.as_ref().unwrap().list, this_list);
            assert_eq!(panel_view(&moved).list.unwrap().status, Status::Loading);
        }
        // This list's report of the rows near the view only: still reading it.
        let partial = on_list(Some(ListSummary {
            rows: vec![RowSummary {
                record_id: "0065g00000AB1CDAAA".into(),
                name: Some("Acme".into()),
                value: Some(40),
                band: deal_health::score::Band::AtRisk,
                reason: None,
            }],
            total: 1,
            partial: true,
            others: Vec::new(),
        }));
        assert_eq!(panel_view(&partial).list.unwrap().status, Status::Loading);
        assert_eq!(
            list_identity("http://acme.lightning.force.com/lightning/o/Opportunity/list"),
            None
        );
        assert_eq!(
            list_identity("https://acme.lightning.force.com/lightning/o/Account/list"),
            None
        );
    }

    #[test]
    fn a_failed_answer_reads_as_no_answer() {
        assert!(PanelInput::from_answer(None).unanswered);
        let failed: PanelInput =
            serde_json::from_value(json!({"ok": false, "error": "Error: storage"})).unwrap();
        assert!(PanelInput::from_answer(Some(failed)).unanswered);
        let refused: PanelInput =
            serde_json::from_value(json!({"ok": false, "ignored": "malformed"})).unwrap();
        assert!(PanelInput::from_answer(Some(refused)).unanswered);
        let answered: PanelInput = serde_json::from_value(json!({"signedIn": true})).unwrap();
        assert!(!PanelInput::from_answer(Some(answered)).unanswered);
    }

    #[test]
    fn not_on_an_opportunity() {
        let view = panel_view(&PanelInput::default());
        assert_eq!(view.deal.status, Status::Absent);
        assert_eq!(view.deal.message, Some(Text::new("panel_not_opportunity")));
        assert_eq!(view.pipeline.status, Status::SignedOut);
    }

    #[test]
    fn signed_out_shows_tier1_and_an_invitation() {
        let view = panel_view(&input());
        assert_eq!(view.deal.status, Status::Ready);
        assert_eq!(view.deal.title, Text::literal("Acme renewal"));
        assert_eq!(view.deal.local.as_ref().unwrap().text, Text::literal("55"));
        assert_eq!(view.deal.reasons.len(), 1);
        assert_eq!(view.deal.enriched.status, Status::SignedOut);
        assert!(view.deal.enriched.sign_in, "the deal offers sign-in");
        assert_eq!(
            view.deal.enriched.message,
            Some(Text::new("panel_sign_in_invitation"))
        );
        assert!(view.settings.sign_in, "and so do the settings");
        assert_eq!(view.settings.notice, None);
    }

    #[test]
    fn a_date_in_a_reason_is_shown_as_a_date() {
        let mut state = input();
        state.tier1.as_mut().unwrap().reasons =
            vec![Text::new("reason_close_date_far").arg("2028-01-31")];
        let view = panel_view(&state);
        assert_eq!(
            view.deal.reasons[0].english(),
            "The close date is more than a year away (Jan 31, 2028); it may be a placeholder."
        );
    }

    #[test]
    fn a_report_of_another_record_is_not_shown() {
        let mut moved = input();
        moved.tier1 = Some(Tier1Summary {
            record_id: "0065g00000ZzZzZAAV".into(),
            ..tier1("Old deal")
        });
        let view = panel_view(&moved);
        assert_eq!(view.deal.status, Status::Loading);
        assert_eq!(view.deal.title, Text::new("panel_deal_title"));
    }

    #[test]
    fn signed_in_loading_ready_stale_and_error() {
        let mut state = input();
        state.signed_in = true;
        assert_eq!(panel_view(&state).deal.enriched.status, Status::Loading);
        state.deal = Some(deal_answer(ID, true, true, false));
        let view = panel_view(&state).deal.enriched;
        assert_eq!(view.status, Status::Ready);
        assert_eq!(view.factors.len(), 7);
        assert_eq!(view.factors[0].weight.english(), "10%");
        assert_eq!(view.factors[0].title.english(), "Activity recency");
        assert_eq!(
            view.blind_spots[0].summary,
            Text::literal("<img src=x onerror=alert(1)>"),
            "data stays text"
        );
        assert_eq!(
            view.blind_spots[0].evidence[0].english(),
            "61 days in this stage"
        );
        assert_eq!(
            view.blind_spots[0].title.as_ref().unwrap().english(),
            "Stuck deal"
        );
        assert_eq!(view.recommendations.iter().filter(|r| r.ai).count(), 1);
        assert_eq!(view.age.unwrap().english(), "Updated 1 hour ago");
        state.deal = Some(deal_answer(ID, false, false, true));
        let stale = panel_view(&state).deal.enriched;
        assert_eq!(stale.status, Status::Stale);
        assert!(stale.recommendations.iter().all(|r| !r.ai));
        state.deal = Some(DealAnswer {
            ok: false,
            data: None,
            error: Some(ErrorKind::Server),
        });
        assert_eq!(panel_view(&state).deal.enriched.status, Status::Error);
        state.deal = Some(deal_answer("0065g00000ZzZzZAAV", false, true, false));
        assert_eq!(
            panel_view(&state).deal.enriched.status,
            Status::Error,
            "another record's analysis is never shown"
        );
    }

    #[test]
    fn the_pipeline_is_riskiest_first_and_links_to_the_org() {
        let mut state = input();
        state.signed_in = true;
        let portfolio: Portfolio = serde_json::from_value(json!({"generatedAt": "2026-11-23T12:00:00Z", "deals": [
            {"id": "0065g00000AAAAAAAA", "name": "Safe", "amount": {"value": 1000.0, "currency": "EUR"}, "stage": "Proposal", "closeDate": "2026-12-01", "score": 90, "band": "healthy", "topBlindSpot": null},
            {"id": "0065g00000BBBBBBBB", "name": "Risky", "amount": null, "stage": "Prospecting", "closeDate": "2026-12-01", "score": 20, "band": "critical", "topBlindSpot": {"kind": "going_dark", "severity": "high"}},
            {"id": "javascript:alert(1)", "name": "Bad", "amount": null, "stage": "x", "closeDate": "2026-12-01", "score": 1, "band": "critical", "topBlindSpot": null}
        ]})).unwrap();
        state.portfolio = Some(PortfolioAnswer {
            ok: true,
            data: Some(PortfolioData {
                portfolio,
                age_minutes: Some(20),
            }),
            error: None,
        });
        let view = panel_view(&state).pipeline;
        let names: Vec<String> = view.deals.iter().map(|d| d.name.english()).collect();
        assert_eq!(
            names,
            ["Risky", "Safe"],
            "riskiest first; an invalid Id is dropped"
        );
        assert_eq!(
            view.deals[0].url,
            "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000BBBBBBBB/view"
        );
        assert_eq!(
            view.deals[0].top_blind_spot.as_ref().unwrap().english(),
            "High: Going dark"
        );
        assert_eq!(view.age.unwrap().english(), "Updated 20 minutes ago");
    }

    #[test]
    fn signed_in_a_list_row_in_the_pipeline_shows_the_analysis_and_sorts_by_it() {
        use deal_health::list::summary::{ListSummary, RowSummary};
        const LIST: &str = "https://acme.lightning.force.com/lightning/o/Opportunity/list";
        let list = list_identity(LIST).unwrap();
        let row = |id: &str, name: &str, value: u8| RowSummary {
            record_id: id.into(),
            name: Some(name.into()),
            value: Some(value),
            band: Band::Healthy,
            reason: Some(Text::new("reason_close_date_passed")),
        };
        let portfolio: Portfolio = serde_json::from_value(json!({"generatedAt": "2026-11-23T12:00:00Z", "deals": [
            {"id": "0065g00000BBBBBBBB", "name": "Risky", "amount": null, "stage": "Prospecting", "closeDate": "2026-12-01", "score": 20, "band": "critical", "topBlindSpot": {"kind": "going_dark", "severity": "high"}}
        ]})).unwrap();
        let mut state = PanelInput {
            tab: TabContext {
                host: Some("acme.lightning.force.com".into()),
                record_id: None,
                list: Some(list.clone()),
            },
            list: Some(StoredList {
                list,
                summary: ListSummary {
                    // The device scores B highest; the analysis says it is the riskiest.
                    rows: vec![
                        row("0065g00000AAAAA", "A", 60),
                        row("0065g00000BBBBB", "B", 90),
                    ],
                    total: 2,
                    partial: false,
                    others: Vec::new(),
                },
            }),
            signed_in: true,
            portfolio: Some(PortfolioAnswer {
                ok: true,
                data: Some(PortfolioData {
                    portfolio,
                    age_minutes: Some(5),
                }),
                error: None,
            }),
            ..PanelInput::default()
        };
        let view = panel_view(&state).list.unwrap();
        let shown: Vec<(String, String, bool)> = view
            .rows
            .iter()
            .map(|r| (r.name.english(), r.score.text.english(), r.analysed))
            .collect();
        assert_eq!(
            shown,
            [
                ("Risky".to_string(), "20".to_string(), true),
                ("A".to_string(), "60".to_string(), false)
            ],
            "the analysis under the deal's own name (not the page's 'B')"
        );
        assert_eq!(
            view.rows[0].reason.as_ref().unwrap().english(),
            "High: Going dark"
        );
        // Signed out, the portfolio (were it still there) is not used.
        state.signed_in = false;
        let view = panel_view(&state).list.unwrap();
        assert!(view.rows.iter().all(|r| !r.analysed));
        assert_eq!(view.rows[0].name.english(), "A");
    }

    #[test]
    fn forced_settings_show_as_forced() {
        let mut state = input();
        state.settings = Some(crate::settings::effective(
            Some(&json!({"analyticsOptOut": true, "apiOrigin": "ftp://x"})),
            &json!({}),
            "https://api.customercity.com",
        ));
        let view = panel_view(&state).settings;
        assert_eq!(
            view.analytics,
            Toggle {
                on: false,
                forced: true
            }
        );
        assert_eq!(
            view.ai_insights,
            Toggle {
                on: true,
                forced: false
            }
        );
        assert_eq!(view.policy_notes.len(), 1);
        assert!(!view.sign_in_disabled);
    }

    #[test]
    fn sign_in_switched_off_by_policy_says_so() {
        let mut state = input();
        let policy = json!({"disableSignIn": true});
        state.settings = Some(crate::settings::effective(
            Some(&policy),
            &json!({}),
            "https://api.customercity.com",
        ));
        // A failed sign-in from before the policy: the policy is the reason now.
        state.sign_in_error = Some(SignInFailure::Refused);
        let view = panel_view(&state);
        assert!(view.settings.sign_in_disabled);
        // No sign-in is offered anywhere: the administrator's message stands in its place.
        assert!(!view.settings.sign_in);
        assert!(!view.deal.enriched.sign_in);
        assert_eq!(view.deal.enriched.status, Status::SignedOut);
        assert_eq!(
            view.deal.enriched.message,
            Some(Text::new("settings_policy_sign_in_off"))
        );
        assert_eq!(
            view.settings.notice,
            Some(Text::new("settings_policy_sign_in_off"))
        );
        assert_eq!(
            view.settings.notice.unwrap().english(),
            "Sign-in is turned off by your administrator."
        );
        assert_eq!(
            view.settings.policy_notes,
            [],
            "said once, in the status line"
        );
        assert_eq!(
            view.pipeline.message,
            Some(Text::new("settings_policy_sign_in_off")),
            "no invitation to sign in for the pipeline either"
        );
        assert_eq!(
            view.deal.headline.map(|h| h.source),
            Some(HeadlineSource::Device),
            "the on-device estimate is the headline"
        );
        // An apiOrigin whose web app is unknown switches sign-in off the same way.
        let policy = json!({"apiOrigin": "https://eu.customercity.example"});
        state.settings = Some(crate::settings::effective(
            Some(&policy),
            &json!({}),
            "https://api.customercity.com",
        ));
        let view = panel_view(&state);
        assert!(!view.settings.sign_in && !view.deal.enriched.sign_in);
        // A session kept from before the policy (the worker signs it out): no sign-in button
        // either way, and the note says why it is about to end.
        state.settings = Some(crate::settings::effective(
            Some(&json!({"disableSignIn": true})),
            &json!({}),
            "https://api.customercity.com",
        ));
        state.signed_in = true;
        let view = panel_view(&state).settings;
        assert!(!view.sign_in);
        assert_eq!(
            view.policy_notes,
            [Text::new("settings_policy_sign_in_off")]
        );
        state.signed_in = false;
        let policy = json!({"allowedOrgHosts": ["acme.my.salesforce.com", "globex"]});
        state.settings = Some(crate::settings::effective(
            Some(&policy),
            &json!({}),
            "https://api.customercity.com",
        ));
        let view = panel_view(&state).settings;
        assert_eq!(
            view.policy_notes,
            [Text::new("settings_policy_orgs").arg("acme, globex")]
        );
    }

    #[test]
    fn reports_are_bounded() {
        assert!(tier1("ok").is_well_formed());
        let mut bad = tier1(&"x".repeat(1001));
        assert!(!bad.is_well_formed());
        bad = tier1("ok");
        bad.reasons = vec![Text {
            id: "<script>".into(),
            args: vec![],
            count: None,
        }];
        assert!(!bad.is_well_formed());
        bad.reasons = vec![Text::new("literal"); 21];
        assert!(!bad.is_well_formed());
        assert_eq!(
            tab_context("https://acme.my.salesforce.com/lightning/o/Account/list"),
            (Some("acme.my.salesforce.com".into()), None)
        );
        assert_eq!(tab_context("https://example.com/"), (None, None));
    }
}
