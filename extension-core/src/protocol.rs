//! The message protocol between content script, service worker and side panel: one typed enum,
//! decoded and validated (sender and shape) before anything acts on it.
//!
//! The worker is a map from [`Request`] to an [`Action`]: [`route`] decides, the JS entry
//! performs the action with `chrome.*` and nothing else.

use serde::{Deserialize, Serialize};

use crate::page::opportunity_id;

/// Who sent a message, as `chrome.runtime.onMessage` reports it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sender {
    /// `sender.id`: the sending extension.
    pub id: Option<String>,
    /// `sender.tab.id`, when a content script sent it.
    pub tab_id: Option<i64>,
    /// `sender.url` or `sender.origin`.
    pub url: Option<String>,
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
        #[serde(rename = "recordId")]
        record_id: String,
    },
    /// The content script showed a badge: an anonymous `badge_viewed` event (band and UI only).
    BadgeViewed { band: String, ui: String },
    /// The content script's Tier 1 result for its tab, for the side panel.
    Tier1Report { summary: crate::panel::Tier1Summary },
    /// The side panel's "Sign in": start the hand-off.
    BeginSignIn,
    /// The side panel asks whether the user is signed in (never for tokens).
    GetStatus,
    /// The side panel's "Sign out": wipe tokens, cache and queue.
    SignOut,
    /// The side panel's "Clear local data": the same wipe, without contacting the server.
    ClearLocalData,
    /// The side panel asks what it shows for a tab (`enriched`: also the analysis and the
    /// portfolio, which may take a request; `refresh`: revalidate them).
    GetPanel {
        #[serde(rename = "tabId")]
        tab_id: i64,
        #[serde(default)]
        enriched: bool,
        #[serde(default)]
        refresh: bool,
    },
    /// The side panel changes a preference: `analytics` (on = not opted out) or `aiInsights`.
    SetPreference { name: String, on: bool },
    /// The side panel was opened (an anonymous event).
    PanelOpened,
}

/// What the worker does in answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum Action {
    /// `chrome.sidePanel.open({tabId})`.
    OpenSidePanel {
        #[serde(rename = "tabId")]
        tab_id: i64,
    },
    /// Answer with the enriched analysis of `record_id` in the org at `host`.
    GetAnalysis {
        #[serde(rename = "recordId")]
        record_id: String,
        host: String,
    },
    /// Record an allow-listed analytics event.
    RecordEvent {
        name: String,
        properties: std::collections::BTreeMap<String, serde_json::Value>,
    },
    /// Keep a tab's Tier 1 result (in `chrome.storage.session`, for the side panel).
    StoreTier1 {
        #[serde(rename = "tabId")]
        tab_id: i64,
        summary: crate::panel::Tier1Summary,
    },
    /// Start a sign-in: open the web app's connect page.
    BeginSignIn,
    /// Answer with the sign-in status.
    GetStatus,
    /// Sign out and clear local data.
    SignOut,
    /// Clear local data (signs out locally).
    ClearLocalData,
    /// Answer with the panel's input for a tab.
    GetPanel {
        #[serde(rename = "tabId")]
        tab_id: i64,
        enriched: bool,
        refresh: bool,
    },
    /// Write a user preference (refused when the policy forces it; the worker checks).
    SetPreference {
        key: String,
        value: bool,
        setting: String,
    },
    /// Drop the message; `reason` is for logs only.
    Ignore { reason: String },
}

/// Validates a message against its sender and decides the action. `extension_id` is
/// `chrome.runtime.id`; `message_json` is the message as JSON text.
pub fn route(extension_id: &str, sender: &Sender, message_json: &str) -> Action {
    let ignore = |reason: &str| Action::Ignore {
        reason: reason.to_string(),
    };
    if sender.id.as_deref() != Some(extension_id) {
        return ignore("message from another extension or a web page");
    }
    if message_json.len() > 64 * 1024 {
        return ignore("message too large");
    }
    let request: Request = match serde_json::from_str(message_json) {
        Ok(request) => request,
        Err(_) => return ignore("malformed message"),
    };
    match request {
        Request::OpenSidePanel { record_id } => {
            let Some(tab_id) = sender.tab_id.filter(|id| *id >= 0) else {
                return ignore("openSidePanel comes only from a content script in a tab");
            };
            if opportunity_id(&record_id).is_none() {
                return ignore("not an Opportunity Id");
            }
            if !sender.url.as_deref().is_some_and(url_is_salesforce) {
                return ignore("content scripts run only on Salesforce pages");
            }
            Action::OpenSidePanel { tab_id }
        }
        Request::GetAnalysis { record_id } => {
            if sender.tab_id.is_none_or(|id| id < 0) {
                return ignore("getAnalysis comes only from a content script in a tab");
            }
            let Some(host) = sender.url.as_deref().and_then(salesforce_host) else {
                return ignore("content scripts run only on Salesforce pages");
            };
            // The Id must be the record the sender's page shows: a page cannot ask about others.
            let Some(page) = sender.url.as_deref().and_then(crate::page::recognize) else {
                return ignore("the sender is not on an Opportunity page");
            };
            if opportunity_id(&record_id).is_none() || page.id15() != &record_id[..15] {
                return ignore("the Id is not the record on the sender's page");
            }
            Action::GetAnalysis {
                record_id: page.record_id,
                host,
            }
        }
        Request::BadgeViewed { band, ui } => {
            if sender.tab_id.is_none_or(|id| id < 0)
                || !sender.url.as_deref().is_some_and(url_is_salesforce)
            {
                return ignore("badgeViewed comes only from a content script on Salesforce");
            }
            let properties: std::collections::BTreeMap<String, serde_json::Value> = [
                ("band".to_string(), band.into()),
                ("ui".to_string(), ui.into()),
            ]
            .into_iter()
            .collect();
            if crate::analytics::validate("badge_viewed", &properties).is_err() {
                return ignore("badgeViewed with values outside the allow-list");
            }
            Action::RecordEvent {
                name: "badge_viewed".to_string(),
                properties,
            }
        }
        Request::Tier1Report { summary } => {
            let Some(tab_id) = sender.tab_id.filter(|id| *id >= 0) else {
                return ignore("tier1Report comes only from a content script in a tab");
            };
            let Some(page) = sender.url.as_deref().and_then(crate::page::recognize) else {
                return ignore("the sender is not on an Opportunity page");
            };
            if !summary.is_well_formed() || summary.record_id.get(..15) != Some(page.id15()) {
                return ignore("the report is not about the record on the sender's page");
            }
            Action::StoreTier1 { tab_id, summary }
        }
        request => {
            // Only the extension's own side panel page may ask (also when opened in a tab);
            // never a content script, whose sender URL is the web page's.
            let panel = format!("chrome-extension://{extension_id}/sidepanel/");
            if !sender
                .url
                .as_deref()
                .is_some_and(|url| url.starts_with(&panel))
            {
                return ignore("account and panel messages come only from the side panel");
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
                        key: crate::analytics::OPT_OUT_FLAG.to_string(),
                        value: !on,
                        setting: name,
                    },
                    "aiInsights" => Action::SetPreference {
                        key: crate::settings::DECLINE_AI_KEY.to_string(),
                        value: !on,
                        setting: name,
                    },
                    _ => ignore("unknown preference"),
                },
                Request::PanelOpened => Action::RecordEvent {
                    name: "side_panel_opened".to_string(),
                    properties: Default::default(),
                },
                Request::GetStatus => Action::GetStatus,
                _ => ignore("malformed panel message"),
            }
        }
    }
}

fn salesforce_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .split(':')
        .next()?
        .to_ascii_lowercase();
    crate::page::is_salesforce_host(&host).then_some(host)
}

fn url_is_salesforce(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    crate::page::is_salesforce_host(host.split(':').next().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "abcdefghijklmnopabcdefghijklmnop";

    fn tab_sender() -> Sender {
        Sender {
            id: Some(ME.into()),
            tab_id: Some(7),
            url: Some(
                "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view"
                    .into(),
            ),
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
                host: "acme.lightning.force.com".into()
            }
        );
        assert!(
            matches!(
                route(ME, &tab_sender(), &ask("0065g00000ZzZzZAAV")),
                Action::Ignore { .. }
            ),
            "another record"
        );
        let list = Sender {
            url: Some("https://acme.lightning.force.com/lightning/o/Opportunity/list".into()),
            ..tab_sender()
        };
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
            r#"{"type":"badgeViewed","band":"at_risk","ui":"lightning"}"#,
        );
        assert!(matches!(ok, Action::RecordEvent { ref name, .. } if name == "badge_viewed"));
        let leak = route(
            ME,
            &tab_sender(),
            r#"{"type":"badgeViewed","band":"Acme Corp","ui":"lightning"}"#,
        );
        assert!(matches!(leak, Action::Ignore { .. }));
        let extra = route(
            ME,
            &tab_sender(),
            r#"{"type":"badgeViewed","band":"healthy","ui":"classic","url":"x"}"#,
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
            tab_id: None,
            url: Some(format!("chrome-extension://{ME}/sidepanel/index.html")),
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
            tab_id: None,
            url: Some(format!("chrome-extension://{ME}/sidepanel/index.html")),
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
                setting: "analytics".into()
            }
        );
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
