//! The message protocol between content script, service worker and side panel: one typed enum,
//! decoded and validated (sender and shape) before anything acts on it.
//!
//! The worker is a map from [`Request`] to an [`Action`]: [`route`] decides, the JS entry
//! performs the action with `chrome.*` and nothing else.

use serde::{Deserialize, Serialize};

use deal_health::page::opportunity_id;

/// Who sent a message, as `chrome.runtime.onMessage` reports it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sender {
    /// `sender.id`: the sending extension.
    pub id: Option<String>,
    /// `sender.tab.id`, when a content script sent it.
    pub tab_id: Option<i64>,
    /// `sender.url` or `sender.origin`: the URL the sending document was *loaded* with.
    /// Chromium does not update it after `history.pushState`, so it says which site the
    /// content script runs on, never which record it shows now.
    pub url: Option<String>,
    /// `sender.tab.url`: the tab's current URL, which follows same-document navigation
    /// (Lightning moves between records with `pushState`).
    pub tab_url: Option<String>,
    /// `sender.frameId`: 0 for the top frame (the only frame content scripts run in).
    pub frame_id: Option<i64>,
    /// `sender.documentLifecycle`: `active`, or `prerender` / `cached` / `pending_deletion`.
    pub document_lifecycle: Option<String>,
}

impl Sender {
    /// The URL a content script may speak for: the tab's current URL, when the sender is the
    /// top frame of a tab, its document is live, and both the document and the tab are on the
    /// same Salesforce origin (same-document navigation never changes the origin; a tab that
    /// has since loaded another site or org refuses what its old document says).
    fn content_page(&self) -> Result<&str, Refusal> {
        if self.tab_id.is_none_or(|id| id < 0) {
            return Err(Refusal::NotFromTab);
        }
        if self.frame_id != Some(0) {
            return Err(Refusal::NotTopFrame);
        }
        if self
            .document_lifecycle
            .as_deref()
            .is_some_and(|state| state != "active")
        {
            return Err(Refusal::NotLivePage);
        }
        let document = self.url.as_deref().and_then(salesforce_origin);
        let Some(document) = document else {
            return Err(Refusal::NotSalesforce);
        };
        let tab_url = self.tab_url.as_deref().unwrap_or("");
        if salesforce_origin(tab_url).as_deref() != Some(document.as_str()) {
            return Err(Refusal::SiteChanged);
        }
        Ok(tab_url)
    }
}

/// Messages the worker accepts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Request {
    /// The badge was clicked: open the side panel for the sender's tab.
    OpenSidePanel {
        /// The record the badge showed (checked for form only).
        #[serde(rename = "recordId")]
        record_id: String,
    },
    /// A content script asks for the enriched analysis of the record its page shows.
    GetAnalysis {
        /// The record its page shows.
        #[serde(rename = "recordId")]
        record_id: String,
    },
    /// The content script showed a badge: an anonymous `badge_viewed` event (the UI kind only:
    /// nothing computed from the deal, see `analytics`).
    BadgeViewed {
        /// The UI kind (`lightning`, `classic`).
        ui: String,
    },
    /// The content script's Tier 1 result for its tab, for the side panel.
    Tier1Report {
        /// The summary (`report::Tier1Summary`), bounded by `is_well_formed`.
        summary: deal_health::report::Tier1Summary,
    },
    /// The content script's list report for its tab (a page listing Opportunities), for the
    /// side panel.
    ListReport {
        /// The summary (`list::summary::ListSummary`) as JSON text, as the core answers it to
        /// the content script (which hands one string on instead of building an object of a
        /// hundred rows on the page's thread); bounded by `is_well_formed`.
        #[serde(deserialize_with = "list_summary_from_json")]
        summary: deal_health::list::summary::ListSummary,
    },
    /// A record page settled the user's numeric date order (`evaluatePage`'s `dateOrder`): kept
    /// for the tab's org host, the one fact remembered across pages (never deal data).
    DateOrder {
        /// The order the page settled.
        order: deal_health::locale::DateOrder,
    },
    /// A content script on a record page asks for the date order its org's pages settled before.
    /// (A struct variant: serde refuses unknown fields only there, so no `host` can ride along.)
    GetDateOrder {},
    /// The side panel's "Sign in": start the hand-off.
    BeginSignIn,
    /// The side panel asks whether the user is signed in (never for tokens).
    GetStatus,
    /// The side panel's "Sign out": wipe tokens, cache and queue.
    SignOut,
    /// The side panel's "Clear local data": a sign-out (revoked on the server, best effort) that
    /// also forgets the tabs' Tier 1 reports.
    ClearLocalData,
    /// The side panel asks what it shows for a tab (`enriched`: also the analysis and the
    /// portfolio, which may take a request; `refresh`: revalidate them).
    GetPanel {
        /// The tab whose state to show.
        #[serde(rename = "tabId")]
        tab_id: i64,
        /// Also the analysis and the portfolio.
        #[serde(default)]
        enriched: bool,
        /// Revalidate them.
        #[serde(default)]
        refresh: bool,
    },
    /// The side panel changes a preference: `analytics` (on = not opted out) or `aiInsights`.
    SetPreference {
        /// `analytics` or `aiInsights`.
        name: String,
        /// On (for analytics: not opted out).
        on: bool,
    },
    /// The side panel was opened (an anonymous event).
    PanelOpened,
}

/// An anonymous analytics event the worker records as part of an action
/// (`analytics::validate` checks it against the allow-list again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// The event's name.
    pub name: String,
    /// Its properties.
    pub properties: std::collections::BTreeMap<String, serde_json::Value>,
}

/// What the worker does in answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum Action {
    /// `chrome.sidePanel.open({tabId})`.
    OpenSidePanel {
        /// The tab the badge is in.
        #[serde(rename = "tabId")]
        tab_id: i64,
    },
    /// Answer with the enriched analysis of `record_id` in the org at `host`.
    GetAnalysis {
        /// The record.
        #[serde(rename = "recordId")]
        record_id: String,
        /// The org's Salesforce host.
        host: String,
        /// The asking tab (requests are paced per tab, `retry::TabPace`).
        #[serde(rename = "tabId")]
        tab_id: i64,
    },
    /// Record an allow-listed analytics event.
    RecordEvent {
        /// The event's name.
        name: String,
        /// Its properties (the allow-list checks them again).
        properties: std::collections::BTreeMap<String, serde_json::Value>,
    },
    /// Keep a tab's Tier 1 result (in `chrome.storage.session`, for the side panel), when the
    /// administrator's policy lists the org at `host`.
    StoreTier1 {
        /// The tab.
        #[serde(rename = "tabId")]
        tab_id: i64,
        /// The org's host.
        host: String,
        /// The summary.
        summary: deal_health::report::Tier1Summary,
    },
    /// Keep a tab's list report (in `chrome.storage.session`, for the side panel), when the
    /// administrator's policy lists the org at `host`.
    StoreList {
        /// The tab.
        #[serde(rename = "tabId")]
        tab_id: i64,
        /// The org's host.
        host: String,
        /// The report, with which list it is of (`panel::list_identity` of the sender's page).
        stored: crate::panel::StoredList,
    },
    /// Keep `order` (`monthDayYear` or `dayMonthYear`) under `key` in `chrome.storage.local`.
    StoreDateOrder {
        /// The storage key (`storage::DATE_ORDER_PREFIX` and the host).
        key: String,
        /// The order.
        order: deal_health::locale::DateOrder,
    },
    /// Answer with the order stored under `key` (`{order}`, `null` when none is), whether the
    /// user is signed in, and whether the administrator's policy lets the badge show on a page
    /// of `host` (`settings::page_allowed`; `tab_id` is told again if a provisional answer
    /// turns out wrong).
    GetDateOrder {
        /// The storage key.
        key: String,
        /// The org's host.
        host: String,
        /// The asking tab.
        #[serde(rename = "tabId")]
        tab_id: i64,
    },
    /// Start a sign-in: open the web app's connect page.
    BeginSignIn,
    /// Answer with the sign-in status.
    GetStatus,
    /// Sign out and clear local data.
    SignOut,
    /// Sign out and also clear the tabs' session data.
    ClearLocalData,
    /// Answer with the panel's input for a tab.
    GetPanel {
        /// The tab.
        #[serde(rename = "tabId")]
        tab_id: i64,
        /// Also the analysis and the portfolio.
        enriched: bool,
        /// Revalidate them.
        refresh: bool,
    },
    /// Write a user preference (refused when the policy forces it; the worker checks).
    SetPreference {
        /// The storage key (`storage::ANALYTICS_OPT_OUT` or `storage::DECLINE_AI`).
        key: String,
        /// The value to store (`true`: opted out, or AI declined).
        value: bool,
        /// The preference it is (`analytics`, `aiInsights`), for the policy check.
        setting: String,
        /// The anonymous event to record once it is stored (`settings_changed` for AI
        /// insights; none for analytics, whose change is the user's to make silently).
        #[serde(skip_serializing_if = "Option::is_none")]
        event: Option<Event>,
    },
    /// Drop the message; `reason` is for logs only.
    Ignore {
        /// Why, as a code (for logs and tests).
        reason: Refusal,
    },
}

/// Why a message is dropped ([`Action::Ignore`]), as the code the worker answers with
/// (`ignored`): for logs and tests, never shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Refusal {
    /// From another extension or a web page.
    ForeignSender,
    /// Over 64 KiB.
    TooLarge,
    /// Not a message of the protocol (or with a field it does not take).
    Malformed,
    /// A content-script message not from a tab.
    NotFromTab,
    /// From a frame other than the top one.
    NotTopFrame,
    /// From a document that is not the tab's live page (prerendered, cached).
    NotLivePage,
    /// From a page that is not on a Salesforce host.
    NotSalesforce,
    /// The tab has since loaded another site or org.
    SiteChanged,
    /// The tab is not on an Opportunity record page.
    NotOpportunityPage,
    /// The tab is not on a page that lists Opportunities.
    NotListPage,
    /// A report outside its bounds (ill-formed Ids, a row twice, too many rows).
    BadReport,
    /// Not an Opportunity Id.
    NotOpportunityId,
    /// About another record than the one the tab shows.
    OtherRecord,
    /// An analytics event with values off the allow-list.
    OffAllowList,
    /// A date order a page cannot settle (only day or month first are kept).
    OrderNotLearnable,
    /// An account or panel message not from the side panel.
    NotFromPanel,
    /// A preference the panel does not have.
    UnknownPreference,
}

/// A `ListSummary` sent as JSON text: the text must be a string, the JSON in it a summary.
fn list_summary_from_json<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<deal_health::list::summary::ListSummary, D::Error> {
    let text = String::deserialize(deserializer)?;
    serde_json::from_str(&text).map_err(serde::de::Error::custom)
}

/// Validates a message against its sender and decides the action. `extension_id` is
/// `chrome.runtime.id`; `message_json` is the message as JSON text.
pub fn route(extension_id: &str, sender: &Sender, message_json: &str) -> Action {
    let ignore = |reason: Refusal| Action::Ignore { reason };
    if sender.id.as_deref() != Some(extension_id) {
        return ignore(Refusal::ForeignSender);
    }
    if message_json.len() > 64 * 1024 {
        return ignore(Refusal::TooLarge);
    }
    let request: Request = match serde_json::from_str(message_json) {
        Ok(request) => request,
        Err(_) => return ignore(Refusal::Malformed),
    };
    match request {
        // The content-script messages: checked against the tab's current URL (see
        // `Sender::content_page`), so they follow Lightning's in-app navigation.
        Request::OpenSidePanel { record_id } => {
            if let Err(reason) = sender.content_page() {
                return ignore(reason);
            }
            if opportunity_id(&record_id).is_none() {
                return ignore(Refusal::NotOpportunityId);
            }
            Action::OpenSidePanel {
                tab_id: sender.tab_id.unwrap_or_default(),
            }
        }
        Request::GetAnalysis { record_id } => {
            let current = match sender.content_page() {
                Ok(url) => url,
                Err(reason) => return ignore(reason),
            };
            let Some(host) = salesforce_host(current) else {
                return ignore(Refusal::NotSalesforce);
            };
            // The Id must be the record the tab shows now: a page cannot ask about others.
            let Some(page) = deal_health::page::recognize(current) else {
                return ignore(Refusal::NotOpportunityPage);
            };
            if opportunity_id(&record_id).is_none() || page.id15() != &record_id[..15] {
                return ignore(Refusal::OtherRecord);
            }
            Action::GetAnalysis {
                record_id: page.record_id,
                host,
                tab_id: sender.tab_id.unwrap_or_default(),
            }
        }
        Request::BadgeViewed { ui } => {
            if let Err(reason) = sender.content_page() {
                return ignore(reason);
            }
            let properties: std::collections::BTreeMap<String, serde_json::Value> =
                [("ui".to_string(), ui.into())].into_iter().collect();
            if crate::analytics::validate("badge_viewed", &properties).is_err() {
                return ignore(Refusal::OffAllowList);
            }
            Action::RecordEvent {
                name: "badge_viewed".to_string(),
                properties,
            }
        }
        Request::Tier1Report { summary } => {
            let current = match sender.content_page() {
                Ok(url) => url,
                Err(reason) => return ignore(reason),
            };
            let Some(page) = deal_health::page::recognize(current) else {
                return ignore(Refusal::NotOpportunityPage);
            };
            if !summary.is_well_formed() || summary.record_id.get(..15) != Some(page.id15()) {
                return ignore(Refusal::OtherRecord);
            }
            let Some(host) = salesforce_host(current) else {
                return ignore(Refusal::NotSalesforce);
            };
            Action::StoreTier1 {
                tab_id: sender.tab_id.unwrap_or_default(),
                host,
                summary,
            }
        }
        Request::ListReport { summary } => {
            let current = match sender.content_page() {
                Ok(url) => url,
                Err(reason) => return ignore(reason),
            };
            let Some(list) = crate::panel::list_identity(current) else {
                return ignore(Refusal::NotListPage);
            };
            if !summary.is_well_formed() {
                return ignore(Refusal::BadReport);
            }
            let Some(host) = salesforce_host(current) else {
                return ignore(Refusal::NotSalesforce);
            };
            Action::StoreList {
                tab_id: sender.tab_id.unwrap_or_default(),
                host,
                stored: crate::panel::StoredList { list, summary },
            }
        }
        Request::DateOrder { order } => match date_order_key(sender) {
            Ok(_) if !order.is_learnable() => ignore(Refusal::OrderNotLearnable),
            Ok((key, _)) => Action::StoreDateOrder { key, order },
            Err(reason) => ignore(reason),
        },
        Request::GetDateOrder {} => match date_order_key(sender) {
            Ok((key, host)) => Action::GetDateOrder {
                key,
                host,
                tab_id: sender.tab_id.unwrap_or_default(),
            },
            Err(reason) => ignore(reason),
        },
        request => {
            // Only the extension's own side panel page may ask (also when opened in a tab);
            // never a content script, whose sender URL is the web page's.
            let panel = format!("chrome-extension://{extension_id}/sidepanel/");
            if !sender
                .url
                .as_deref()
                .is_some_and(|url| url.starts_with(&panel))
            {
                return ignore(Refusal::NotFromPanel);
            }
            match request {
                Request::BeginSignIn => Action::BeginSignIn,
                Request::SignOut => Action::SignOut,
                Request::ClearLocalData => Action::ClearLocalData,
                Request::GetPanel {
                    tab_id,
                    enriched,
                    refresh,
                } if tab_id >= 0 => Action::GetPanel {
                    tab_id,
                    enriched,
                    refresh,
                },
                Request::SetPreference { name, on } => match name.as_str() {
                    "analytics" => Action::SetPreference {
                        key: crate::storage::ANALYTICS_OPT_OUT.to_string(),
                        value: !on,
                        setting: name,
                        event: None,
                    },
                    "aiInsights" => Action::SetPreference {
                        key: crate::storage::DECLINE_AI.to_string(),
                        value: !on,
                        setting: name,
                        event: Some(Event {
                            name: "settings_changed".to_string(),
                            properties: [("setting".to_string(), "ai_insights".into())].into(),
                        }),
                    },
                    _ => ignore(Refusal::UnknownPreference),
                },
                Request::PanelOpened => Action::RecordEvent {
                    name: "side_panel_opened".to_string(),
                    properties: Default::default(),
                },
                Request::GetStatus => Action::GetStatus,
                _ => ignore(Refusal::Malformed),
            }
        }
    }
}

/// Where the date order of the sender's org is kept: one key per org host, named only from the
/// tab's current URL, which must be an Opportunity record page (the only pages that read dates).
/// The storage key of the date order for the org of the tab's current page, and that page's
/// host.
fn date_order_key(sender: &Sender) -> Result<(String, String), Refusal> {
    let current = sender.content_page()?;
    let host = salesforce_host(current).ok_or(Refusal::NotSalesforce)?;
    // A record page, or a list of them: both read the org's dates.
    if deal_health::page::recognize(current).is_none()
        && deal_health::page::recognize_list(current).is_none()
    {
        return Err(Refusal::NotOpportunityPage);
    }
    Ok((format!("{}{host}", crate::storage::DATE_ORDER_PREFIX), host))
}

fn salesforce_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .split(':')
        .next()?
        .to_ascii_lowercase();
    deal_health::page::is_salesforce_host(&host).then_some(host)
}

/// `https://host[:port]` of a Salesforce URL, lower-cased; `None` for anything else.
fn salesforce_origin(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    if authority.contains('@') {
        return None; // credentials in a URL: never a Salesforce page the browser reports
    }
    let host = authority.split(':').next()?;
    deal_health::page::is_salesforce_host(host).then(|| format!("https://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "abcdefghijklmnopabcdefghijklmnop";

    const PAGE: &str =
        "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view";

    fn tab_sender() -> Sender {
        Sender {
            id: Some(ME.into()),
            tab_id: Some(7),
            url: Some(PAGE.into()),
            tab_url: Some(PAGE.into()),
            frame_id: Some(0),
            document_lifecycle: Some("active".into()),
        }
    }

    /// Lightning loaded record A, then moved to B with `pushState`: `sender.url` stays at A.
    fn moved_sender(to: &str) -> Sender {
        Sender {
            tab_url: Some(to.into()),
            ..tab_sender()
        }
    }

    const OTHER: &str =
        "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000QwErTAAV/view?ws=x";

    #[test]
    fn a_list_report_is_kept_only_from_a_page_that_lists_opportunities() {
        const LIST: &str =
            "https://acme.lightning.force.com/lightning/o/Opportunity/list?filterName=Recent";
        // The summary as JSON text, as the content script sends it.
        let summary = |rows: &str| format!(r#"{{"total":2,"rows":[{rows}]}}"#);
        let report = |rows: &str| {
            serde_json::json!({"type": "listReport", "summary": summary(rows)}).to_string()
        };
        let row = |id: &str| {
            format!(
                r#"{{"recordId":"{id}","name":"Acme","value":35,"band":"critical","reason":{{"id":"reason_close_date_passed","args":[]}}}}"#
            )
        };
        let good = report(&row("0065g00000AbCdEAAV"));
        let Action::StoreList {
            tab_id,
            host,
            stored,
        } = route(ME, &moved_sender(LIST), &good)
        else {
            panic!("kept");
        };
        assert_eq!((tab_id, host.as_str()), (7, "acme.lightning.force.com"));
        assert_eq!(stored.summary.rows[0].value, Some(35));
        assert_eq!(
            Some(stored.list),
            crate::panel::list_identity(LIST),
            "of the sender's list"
        );
        // From a record page (the tab moved on), or a page that lists no Opportunities.
        assert_eq!(
            route(ME, &tab_sender(), &good),
            Action::Ignore {
                reason: Refusal::NotListPage
            }
        );
        let accounts = moved_sender("https://acme.lightning.force.com/lightning/o/Account/list");
        assert_eq!(
            route(ME, &accounts, &good),
            Action::Ignore {
                reason: Refusal::NotListPage
            }
        );
        // A report out of bounds: an Account's Id, a record twice, a field it does not have.
        for bad in [
            report(&row("0015g00000AbCdEAAV")),
            report(&format!(
                "{},{}",
                row("0065g00000AbCdE"),
                row("0065g00000AbCdEAAV")
            )),
        ] {
            assert_eq!(
                route(ME, &moved_sender(LIST), &bad),
                Action::Ignore {
                    reason: Refusal::BadReport
                }
            );
        }
        // The summary as an object, or JSON text that is no summary: malformed.
        let row_json = row("0065g00000AbCdEAAV");
        for malformed in [
            format!(
                r#"{{"type":"listReport","summary":{}}}"#,
                summary(&row_json)
            ),
            serde_json::json!({"type": "listReport", "summary": "[1, 2]"}).to_string(),
            serde_json::json!({"type": "listReport", "summary": summary(&row_json) + "x"})
                .to_string(),
        ] {
            assert_eq!(
                route(ME, &moved_sender(LIST), &malformed),
                Action::Ignore {
                    reason: Refusal::Malformed
                },
                "{malformed}"
            );
        }
        let extra = good.replace(
            r#""type":"listReport""#,
            r#""type":"listReport","host":"evil""#,
        );
        assert!(matches!(
            route(ME, &moved_sender(LIST), &extra),
            Action::Ignore { .. }
        ));
        // A list page reads the org's dates too: it may ask for their order.
        assert!(matches!(
            route(ME, &moved_sender(LIST), r#"{"type":"getDateOrder"}"#),
            Action::GetDateOrder { .. }
        ));
    }

    #[test]
    fn a_dropped_message_says_why_as_a_code() {
        let sender = Sender {
            id: Some(ME.to_string()),
            ..Sender::default()
        };
        let answer = route(ME, &sender, "{\"type\":\"openSidePanel\",\"token\":\"x\"}");
        assert_eq!(
            serde_json::to_value(answer).unwrap(),
            serde_json::json!({"action": "ignore", "reason": "malformed"})
        );
        assert_eq!(
            serde_json::to_value(Refusal::OrderNotLearnable).unwrap(),
            "orderNotLearnable"
        );
    }

    #[test]
    fn after_in_app_navigation_messages_speak_for_the_tabs_current_record() {
        let ask = |id: &str| format!(r#"{{"type":"getAnalysis","recordId":"{id}"}}"#);
        assert_eq!(
            route(ME, &moved_sender(OTHER), &ask("0065g00000QwErTAAV")),
            Action::GetAnalysis {
                record_id: "0065g00000QwErTAAV".into(),
                host: "acme.lightning.force.com".into(),
                tab_id: 7
            }
        );
        assert!(
            matches!(
                route(ME, &moved_sender(OTHER), &ask("0065g00000AbCdEAAV")),
                Action::Ignore { .. }
            ),
            "the record the document was loaded with is no longer on screen"
        );
        let report = |id: &str| {
            serde_json::json!({"type": "tier1Report", "summary": {"recordId": id, "name": "B",
                "value": 55, "band": "at_risk", "reasons": []}})
            .to_string()
        };
        assert!(matches!(
            route(ME, &moved_sender(OTHER), &report("0065g00000QwErTAAV")),
            Action::StoreTier1 { tab_id: 7, .. }
        ));
        assert!(matches!(
            route(ME, &moved_sender(OTHER), &report("0065g00000AbCdEAAV")),
            Action::Ignore { .. }
        ));
        // Moved on to a list view: no record to speak for.
        let list = "https://acme.lightning.force.com/lightning/o/Opportunity/list";
        assert!(matches!(
            route(ME, &moved_sender(list), &ask("0065g00000AbCdEAAV")),
            Action::Ignore { .. }
        ));
    }

    #[test]
    fn a_settled_date_order_is_kept_per_org_host_and_read_back_there() {
        let tell = |order: &str| format!(r#"{{"type":"dateOrder","order":"{order}"}}"#);
        assert_eq!(
            route(ME, &tab_sender(), &tell("dayMonthYear")),
            Action::StoreDateOrder {
                key: "cc.dateOrder.acme.lightning.force.com".into(),
                order: deal_health::locale::DateOrder::DayMonthYear
            }
        );
        // The key follows the tab's current URL (host only), never the message.
        let other_org =
            "https://globex.my.salesforce.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view";
        let moved = Sender {
            url: Some(other_org.into()),
            ..moved_sender(other_org)
        };
        assert_eq!(
            route(ME, &moved, r#"{"type":"getDateOrder"}"#),
            Action::GetDateOrder {
                key: "cc.dateOrder.globex.my.salesforce.com".into(),
                host: "globex.my.salesforce.com".into(),
                tab_id: 7
            }
        );
        let refused = [
            (tab_sender(), tell("yearMonthDay")),
            (tab_sender(), tell("monthFirst")),
            (tab_sender(), r#"{"type":"dateOrder"}"#.to_string()),
            (
                tab_sender(),
                r#"{"type":"dateOrder","order":"dayMonthYear","host":"evil.force.com"}"#
                    .to_string(),
            ),
            (
                tab_sender(),
                r#"{"type":"getDateOrder","host":"evil.force.com"}"#.to_string(),
            ),
            (
                // A page that shows no Opportunity dates (a list of Opportunities does).
                moved_sender("https://acme.lightning.force.com/lightning/o/Account/list"),
                tell("dayMonthYear"),
            ),
            (
                Sender {
                    frame_id: Some(2),
                    ..tab_sender()
                },
                tell("dayMonthYear"),
            ),
            (
                Sender {
                    id: Some(ME.into()),
                    url: Some(format!("chrome-extension://{ME}/sidepanel/index.html")),
                    ..Sender::default()
                },
                r#"{"type":"getDateOrder"}"#.to_string(),
            ),
        ];
        for (sender, message) in refused {
            assert!(
                matches!(route(ME, &sender, &message), Action::Ignore { .. }),
                "{message} from {sender:?}"
            );
        }
    }

    #[test]
    fn content_messages_need_the_live_top_frame_of_a_tab_still_on_the_same_org() {
        let ask = r#"{"type":"getAnalysis","recordId":"0065g00000AbCdEAAV"}"#;
        let refused = [
            (
                "a subframe",
                Sender {
                    frame_id: Some(3),
                    ..tab_sender()
                },
            ),
            (
                "no frame reported",
                Sender {
                    frame_id: None,
                    ..tab_sender()
                },
            ),
            (
                "a prerendered document",
                Sender {
                    document_lifecycle: Some("prerender".into()),
                    ..tab_sender()
                },
            ),
            (
                "a document kept in the back-forward cache",
                Sender {
                    document_lifecycle: Some("cached".into()),
                    ..tab_sender()
                },
            ),
            ("no tab URL", moved_sender("")),
            (
                "the tab has loaded another org",
                moved_sender(
                    "https://other.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view",
                ),
            ),
            (
                "the tab has left Salesforce",
                moved_sender("https://evil.example/lightning/r/Opportunity/0065g00000AbCdEAAV/view"),
            ),
            (
                "credentials in the document URL",
                Sender {
                    url: Some("https://evil.example@acme.lightning.force.com/".into()),
                    ..tab_sender()
                },
            ),
            (
                "a web page's own URL",
                Sender {
                    url: Some("https://evil.example/".into()),
                    ..tab_sender()
                },
            ),
        ];
        for (case, sender) in refused {
            for message in [
                ask,
                r#"{"type":"openSidePanel","recordId":"0065g00000AbCdEAAV"}"#,
                r#"{"type":"badgeViewed","ui":"lightning"}"#,
            ] {
                assert!(
                    matches!(route(ME, &sender, message), Action::Ignore { .. }),
                    "{case}: {message}"
                );
            }
        }
    }

    #[test]
    fn a_badge_click_opens_the_panel_for_its_tab() {
        let message = r#"{"type":"openSidePanel","recordId":"0065g00000AbCdEAAV"}"#;
        assert_eq!(
            route(ME, &tab_sender(), message),
            Action::OpenSidePanel { tab_id: 7 }
        );
    }

    #[test]
    fn analysis_requests_name_only_the_senders_own_record() {
        let ask = |id: &str| format!(r#"{{"type":"getAnalysis","recordId":"{id}"}}"#);
        assert_eq!(
            route(ME, &tab_sender(), &ask("0065g00000AbCdE")),
            Action::GetAnalysis {
                record_id: "0065g00000AbCdEAAV".into(),
                host: "acme.lightning.force.com".into(),
                tab_id: 7
            }
        );
        assert!(
            matches!(
                route(ME, &tab_sender(), &ask("0065g00000ZzZzZAAV")),
                Action::Ignore { .. }
            ),
            "another record"
        );
        let list = moved_sender("https://acme.lightning.force.com/lightning/o/Opportunity/list");
        assert!(matches!(
            route(ME, &list, &ask("0065g00000AbCdE")),
            Action::Ignore { .. }
        ));
        let panel = Sender {
            tab_id: None,
            ..tab_sender()
        };
        assert!(matches!(
            route(ME, &panel, &ask("0065g00000AbCdE")),
            Action::Ignore { .. }
        ));
    }

    #[test]
    fn badge_views_become_allow_listed_events_only() {
        let ok = route(
            ME,
            &tab_sender(),
            r#"{"type":"badgeViewed","ui":"lightning"}"#,
        );
        assert!(matches!(ok, Action::RecordEvent { ref name, .. } if name == "badge_viewed"));
        let leak = route(
            ME,
            &tab_sender(),
            r#"{"type":"badgeViewed","ui":"Acme Corp"}"#,
        );
        assert!(matches!(leak, Action::Ignore { .. }));
        let band = route(
            ME,
            &tab_sender(),
            r#"{"type":"badgeViewed","band":"healthy","ui":"lightning"}"#,
        );
        assert!(
            matches!(band, Action::Ignore { .. }),
            "the score's band is the deal's: refused"
        );
        let extra = route(
            ME,
            &tab_sender(),
            r#"{"type":"badgeViewed","ui":"classic","url":"x"}"#,
        );
        assert!(
            matches!(extra, Action::Ignore { .. }),
            "unknown fields are refused"
        );
    }

    #[test]
    fn sign_in_messages_come_only_from_the_side_panel() {
        let panel = Sender {
            id: Some(ME.into()),
            url: Some(format!("chrome-extension://{ME}/sidepanel/index.html")),
            ..Sender::default()
        };
        assert_eq!(
            route(ME, &panel, r#"{"type":"beginSignIn"}"#),
            Action::BeginSignIn
        );
        assert_eq!(
            route(ME, &panel, r#"{"type":"getStatus"}"#),
            Action::GetStatus
        );
        assert_eq!(route(ME, &panel, r#"{"type":"signOut"}"#), Action::SignOut);
        assert!(
            matches!(
                route(ME, &tab_sender(), r#"{"type":"signOut"}"#),
                Action::Ignore { .. }
            ),
            "a page cannot sign the user out"
        );
        assert!(
            matches!(
                route(ME, &tab_sender(), r#"{"type":"beginSignIn"}"#),
                Action::Ignore { .. }
            ),
            "not from a content script"
        );
        let other = Sender {
            url: Some("chrome-extension://someoneelse/sidepanel/index.html".into()),
            ..panel.clone()
        };
        assert!(matches!(
            route(ME, &other, r#"{"type":"getStatus"}"#),
            Action::Ignore { .. }
        ));
    }

    #[test]
    fn foreign_or_malformed_messages_are_ignored() {
        let message = r#"{"type":"openSidePanel","recordId":"0065g00000AbCdEAAV"}"#;
        let other = Sender {
            id: Some("another".into()),
            ..tab_sender()
        };
        let no_tab = Sender {
            tab_id: None,
            ..tab_sender()
        };
        let elsewhere = Sender {
            url: Some("https://evil.example/".into()),
            ..tab_sender()
        };
        for (sender, message) in [
            (&other, message),
            (&no_tab, message),
            (&elsewhere, message),
            (&tab_sender(), r#"{"type":"openSidePanel"}"#),
            (
                &tab_sender(),
                r#"{"type":"openSidePanel","recordId":"001000000000001"}"#,
            ),
            (
                &tab_sender(),
                r#"{"type":"openSidePanel","recordId":"0065g00000AbCdEAAV","token":"x"}"#,
            ),
            (&tab_sender(), r#"{"type":"deleteEverything"}"#),
            (&tab_sender(), "not json"),
        ] {
            assert!(
                matches!(route(ME, sender, message), Action::Ignore { .. }),
                "{message}"
            );
        }
    }

    fn panel_sender() -> Sender {
        Sender {
            id: Some(ME.into()),
            url: Some(format!("chrome-extension://{ME}/sidepanel/index.html")),
            ..Sender::default()
        }
    }

    #[test]
    fn tier1_reports_are_about_the_senders_own_record() {
        let report = |id: &str, name: &str| {
            serde_json::json!({"type": "tier1Report", "summary": {"recordId": id, "name": name,
                "value": 55, "band": "at_risk", "reasons": [{"id": "reason_next_step_missing"}]}})
            .to_string()
        };
        assert!(matches!(
            route(ME, &tab_sender(), &report("0065g00000AbCdEAAV", "Acme")),
            Action::StoreTier1 { tab_id: 7, .. }
        ));
        for bad in [
            report("0065g00000ZzZzZAAV", "Another deal"),
            report("0065g00000AbCdEAAV", &"x".repeat(5000)),
        ] {
            assert!(matches!(
                route(ME, &tab_sender(), &bad),
                Action::Ignore { .. }
            ));
        }
        assert!(matches!(
            route(ME, &panel_sender(), &report("0065g00000AbCdEAAV", "Acme")),
            Action::Ignore { .. }
        ));
    }

    #[test]
    fn panel_messages_come_only_from_the_panel() {
        let get = r#"{"type":"getPanel","tabId":3,"enriched":true}"#;
        assert_eq!(
            route(ME, &panel_sender(), get),
            Action::GetPanel {
                tab_id: 3,
                enriched: true,
                refresh: false
            }
        );
        assert!(matches!(
            route(ME, &tab_sender(), get),
            Action::Ignore { .. }
        ));
        let set = r#"{"type":"setPreference","name":"analytics","on":false}"#;
        assert_eq!(
            route(ME, &panel_sender(), set),
            Action::SetPreference {
                key: "feature_analyticsOptOut".into(),
                value: true,
                setting: "analytics".into(),
                event: None,
            }
        );
        let ai = r#"{"type":"setPreference","name":"aiInsights","on":false}"#;
        let Action::SetPreference {
            key, value, event, ..
        } = route(ME, &panel_sender(), ai)
        else {
            panic!("a preference");
        };
        assert_eq!((key.as_str(), value), ("cc.declineAi", true));
        let event = event.expect("the change of AI insights is recorded");
        assert_eq!(event.name, "settings_changed");
        assert_eq!(event.properties["setting"], "ai_insights");
        let other = r#"{"type":"setPreference","name":"session","on":false}"#;
        assert!(matches!(
            route(ME, &panel_sender(), other),
            Action::Ignore { .. }
        ));
        assert!(matches!(
            route(ME, &tab_sender(), r#"{"type":"clearLocalData"}"#),
            Action::Ignore { .. }
        ));
    }
}
