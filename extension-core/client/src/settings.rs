//! The settings in force: the user's own choices (in `chrome.storage.local`) under the
//! administrator's policy (`chrome.storage.managed`, schema in `managed_schema.json`). A policy
//! can only take choices away from the user in the privacy-preserving direction (force the
//! analytics opt-out, force AI insights off, switch sign-in off, limit the badge to listed
//! Salesforce orgs) or point the extension at another HTTPS API origin (a regional deployment,
//! whose web app origin follows it: `api.` becomes `app.`). Invalid policy values are ignored
//! and reported, never half-applied. Every key, with examples: `docs/admin.md`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::storage;
use deal_health::page::{badge_allowed_on, my_domain_name};

/// Which settings the administrator has fixed (the side panel shows them as such).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Forced {
    /// The analytics opt-out.
    pub analytics_opt_out: bool,
    /// AI insights (their switch).
    pub ai_insights: bool,
    /// The API origin.
    pub api_origin: bool,
    /// Sign-in is switched off (`disableSignIn`).
    #[serde(default)]
    pub sign_in: bool,
}

/// The settings in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Where Tier 2 requests go (always `https://`, no path).
    pub api_origin: String,
    /// Nothing is recorded or sent, and the queue is purged.
    pub analytics_opt_out: bool,
    /// The administrator's policy could not be read, so it may hold an opt-out: nothing is
    /// recorded or sent until it can be read, and the queue is kept (a transient failure must
    /// not lose what the user agreed to send; an opt-out read later purges it).
    #[serde(default)]
    pub analytics_paused: bool,
    /// Whether AI-written recommendations are asked for.
    pub include_ai: bool,
    /// The web app origin sign-in opens and accepts the hand-off from: the one built in, or,
    /// under a policy `apiOrigin`, the same origin with `api.` changed to `app.` (`None` when
    /// it cannot be derived; sign-in is then off).
    #[serde(default)]
    pub app_origin: Option<String>,
    /// Sign-in is off: the worker starts none, and a session kept from before is signed out.
    #[serde(default)]
    pub sign_in_disabled: bool,
    /// The Salesforce orgs the badge is limited to (`allowedOrgHosts`), as My Domain names;
    /// `None`: every org.
    #[serde(default)]
    pub allowed_orgs: Option<Vec<String>>,
    /// Which of these the administrator fixed.
    pub forced: Forced,
    /// Policy values that were ignored, and why (shown in the side panel's settings).
    pub policy_errors: Vec<String>,
}

impl Settings {
    /// These settings when `chrome.storage.managed` could not be read: analytics pauses.
    pub fn with_unreadable_policy(mut self) -> Settings {
        self.analytics_paused = !self.analytics_opt_out;
        self.policy_errors
            .push("the administrator's policy could not be read: analytics is paused".into());
        self
    }

    /// These settings with the web app origin the extension was built with, unless a policy
    /// `apiOrigin` moved the web app with it.
    pub fn with_built_app_origin(mut self, built_app_origin: &str) -> Settings {
        if !self.forced.api_origin {
            self.app_origin = https_origin(built_app_origin);
        }
        self
    }

    /// Whether the administrator fixed a panel setting (`analytics` or `aiInsights`); unknown
    /// settings count as fixed.
    pub fn is_forced(&self, setting: &str) -> bool {
        match setting {
            "analytics" => self.forced.analytics_opt_out,
            "aiInsights" => self.forced.ai_insights,
            _ => true,
        }
    }
}

/// Reads an origin: `https://host[:port]`, nothing else (no path, query, user or fragment).
pub fn https_origin(text: &str) -> Option<String> {
    let rest = text.strip_prefix("https://")?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.parse::<u16>().is_ok_and(|n| n > 0));
    (host_ok && port_ok).then(|| format!("https://{}", rest.to_ascii_lowercase()))
}

/// The web app origin of a Customer City API origin: `https://api.REST` is served by the web app
/// at `https://app.REST` (same port); `None` for a host that does not start with `api.`.
pub fn app_origin_for(api_origin: &str) -> Option<String> {
    let origin = https_origin(api_origin)?;
    let rest = origin.strip_prefix("https://api.")?;
    Some(format!("https://app.{rest}"))
}

/// Whether the badge may show on a page of `page_host` (`allowed`), decided by the worker for
/// the content script's first message: by `live`, the managed policy as the worker read it
/// (`chrome.storage.managed`'s whole content), when it has; until then `provisional`ly by
/// `copy`, the last policy the worker read, kept in its own storage across browser restarts
/// (after a start `chrome.storage.managed` answers only seconds later, and every record page
/// would wait for it). `None`: the answer waits for the live read, because neither is known or
/// because the copy refuses the page (only its yes counts). A policy whose `allowedOrgHosts`
/// is not a list limits nothing, as in `badge_allowed_on`.
pub fn page_allowed(
    live: Option<&Value>,
    copy: Option<&Value>,
    page_host: &str,
) -> Option<PageAllowed> {
    let (policy, provisional) = match (live, copy) {
        (Some(live), _) => (live, false),
        (None, Some(copy)) => (copy, true),
        (None, None) => return None,
    };
    let allowed = badge_allowed_on(allowed_hosts(policy), page_host);
    // Only a yes is taken from the copy: a page it refuses waits for the live policy, which
    // may list the org since.
    if provisional && !allowed {
        return None;
    }
    Some(PageAllowed {
        allowed,
        provisional,
    })
}

/// A policy's `allowedOrgHosts` entries, when it is a list (an entry that is not a string
/// matches nothing: an empty name is no org).
fn allowed_hosts(policy: &Value) -> Option<impl Iterator<Item = &str>> {
    policy
        .get("allowedOrgHosts")
        .and_then(Value::as_array)
        .map(|entries| {
            entries
                .iter()
                .map(|entry| entry.as_str().unwrap_or_default())
        })
}

/// `page_allowed`'s answer: whether the badge may show, and whether the answer came from the
/// copy (the worker checks a provisional "yes" again once the live policy arrives, and tells
/// the tab to take its badge down if the policy no longer allows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageAllowed {
    /// The badge may show on the page.
    pub allowed: bool,
    /// Decided by the copy of an earlier policy, not yet by the live one.
    pub provisional: bool,
}

/// What a change to `chrome.storage` (`storage.onChanged`: its area and the changed keys)
/// means for the worker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageChange {
    /// The settings in force may differ: read them again, then [`enforce`] them.
    pub settings: bool,
    /// The administrator's policy changed: read it again (and check the badges it allowed).
    pub policy: bool,
}

/// Classifies a `chrome.storage` change: any change to the `managed` area (the policy), or to
/// one of the user's choices in `local` (the analytics opt-out, "decline AI insights").
/// Changes to anything else (the cache, the queue, a session) mean nothing for the settings.
pub fn storage_change<'a>(area: &str, changed: impl IntoIterator<Item = &'a str>) -> StorageChange {
    match area {
        "managed" => StorageChange {
            settings: true,
            policy: true,
        },
        "local" => StorageChange {
            settings: changed
                .into_iter()
                .any(|key| key == storage::ANALYTICS_OPT_OUT || key == storage::DECLINE_AI),
            policy: false,
        },
        _ => StorageChange::default(),
    }
}

/// What the settings in force require of data kept from before they were in force: checked
/// when the worker starts and whenever they change, whoever changed them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Enforcement {
    /// Opted out (by the user or the policy): the queued analytics events are dropped at once.
    pub drop_queue: bool,
    /// Sign-in is switched off (`disableSignIn`, or an API origin whose web app is unknown):
    /// a session kept from before is signed out, as the user's "Sign out" would.
    pub sign_out: bool,
}

/// See [`Enforcement`]. `signed_in`: a session is stored.
pub fn enforce(settings: &Settings, signed_in: bool) -> Enforcement {
    Enforcement {
        drop_queue: settings.analytics_opt_out,
        sign_out: signed_in && settings.sign_in_disabled,
    }
}

/// The settings in force, from the managed policy (`None` when the platform has none), the
/// local storage values and the API origin the extension was built with.
pub fn effective(policy: Option<&Value>, local: &Value, built_api_origin: &str) -> Settings {
    let mut errors = Vec::new();
    let mut forced = Forced::default();
    let policy = policy.and_then(Value::as_object);
    // The flags only ever move towards privacy, so a value of the wrong type counts by its
    // truthiness (`"yes"`, `1`: set), and is reported.
    let policy_flag = |name: &str, errors: &mut Vec<String>| -> bool {
        match policy.and_then(|p| p.get(name)) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(value)) => *value,
            Some(other) => {
                let set = truthy(other);
                errors.push(format!("{name}: a boolean was expected (taken as {set})"));
                set
            }
        }
    };
    if policy_flag("analyticsOptOut", &mut errors) {
        forced.analytics_opt_out = true;
    }
    if policy_flag("disableAiInsights", &mut errors) {
        forced.ai_insights = true;
    }
    if policy_flag("disableSignIn", &mut errors) {
        forced.sign_in = true;
    }
    let mut api_origin = https_origin(built_api_origin).unwrap_or_default();
    match policy.and_then(|p| p.get("apiOrigin")) {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => match https_origin(text) {
            Some(origin) => {
                api_origin = origin;
                forced.api_origin = true;
            }
            None => errors.push("apiOrigin: an https:// origin without a path was expected".into()),
        },
        Some(_) => errors.push("apiOrigin: a string was expected".into()),
    }
    let app_origin = app_origin_for(&api_origin);
    if forced.api_origin && app_origin.is_none() {
        errors.push(
            "apiOrigin: its host does not start with api., so the web app is unknown: sign-in is off"
                .into(),
        );
    }
    let allowed_orgs = match policy.and_then(|p| p.get("allowedOrgHosts")) {
        None | Some(Value::Null) => None,
        Some(Value::Array(entries)) => {
            let mut names = Vec::new();
            for entry in entries {
                match entry.as_str().and_then(my_domain_name) {
                    Some(name) => names.push(name),
                    None => errors.push(format!(
                        "allowedOrgHosts: {entry} is not a host name (it matches no org)"
                    )),
                }
            }
            (!entries.is_empty()).then_some(names)
        }
        Some(_) => {
            errors.push("allowedOrgHosts: a list of host names was expected".into());
            None
        }
    };
    // `true` opts out (PRODUCT.md), and so does any other value JavaScript would call true
    // (`"true"`, `1`): a flag written by another tool must not fail open.
    let user_opt_out = local.get(storage::ANALYTICS_OPT_OUT).is_some_and(truthy);
    let user_declines_ai = local.get(storage::DECLINE_AI) == Some(&Value::Bool(true));
    Settings {
        api_origin,
        analytics_opt_out: forced.analytics_opt_out || user_opt_out,
        analytics_paused: false,
        include_ai: !(forced.ai_insights || user_declines_ai),
        sign_in_disabled: forced.sign_in || (forced.api_origin && app_origin.is_none()),
        app_origin,
        allowed_orgs,
        forced,
        policy_errors: errors,
    }
}

/// JavaScript's truthiness of a JSON value.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BUILT: &str = "https://api.customercity.com";

    #[test]
    fn a_change_to_the_policy_or_a_privacy_choice_is_read_again_and_enforced() {
        let managed = storage_change("managed", ["anything"]);
        assert!(managed.settings && managed.policy);
        for key in [storage::ANALYTICS_OPT_OUT, storage::DECLINE_AI] {
            assert_eq!(
                storage_change("local", ["cc.cacheIndex", key]),
                StorageChange {
                    settings: true,
                    policy: false
                }
            );
            // The same key in the session area is not a setting.
            assert_eq!(storage_change("session", [key]), StorageChange::default());
        }
        for key in [
            storage::SESSION,
            storage::ANALYTICS_QUEUE,
            storage::CACHE_INDEX,
            storage::POLICY_COPY,
        ] {
            assert_eq!(storage_change("local", [key]), StorageChange::default());
        }
        assert_eq!(
            storage_change("sync", [storage::ANALYTICS_OPT_OUT]),
            StorageChange::default()
        );

        let mut settings = effective(None, &json!({}), BUILT);
        assert_eq!(enforce(&settings, true), Enforcement::default());
        settings.analytics_opt_out = true;
        assert_eq!(
            enforce(&settings, false),
            Enforcement {
                drop_queue: true,
                sign_out: false
            }
        );
        let off = effective(Some(&json!({"disableSignIn": true})), &json!({}), BUILT);
        assert!(enforce(&off, true).sign_out);
        assert!(!enforce(&off, false).sign_out); // nothing to sign out
    }

    #[test]
    fn a_page_is_allowed_by_the_live_policy_else_provisionally_by_the_copy() {
        let acme = "acme.lightning.force.com";
        let only_acme = json!({"allowedOrgHosts": ["acme.my.salesforce.com"]});
        let only_globex = json!({"allowedOrgHosts": ["globex"]});
        let allowed = |allowed, provisional| {
            Some(PageAllowed {
                allowed,
                provisional,
            })
        };
        // The live policy decides whenever the worker has it, whatever the copy says.
        assert_eq!(
            page_allowed(Some(&only_globex), Some(&only_acme), acme),
            allowed(false, false)
        );
        assert_eq!(
            page_allowed(Some(&only_acme), Some(&only_globex), acme),
            allowed(true, false)
        );
        assert_eq!(
            page_allowed(Some(&json!({})), Some(&only_globex), acme),
            allowed(true, false)
        );
        // Until then the copy, marked provisional; nothing known: wait for the live read.
        assert_eq!(
            page_allowed(None, Some(&only_acme), acme),
            allowed(true, true)
        );
        // A copy that refuses the page is not taken: the live policy may list the org since.
        assert_eq!(page_allowed(None, Some(&only_globex), acme), None);
        assert_eq!(page_allowed(None, None, acme), None);
        // As badge_allowed_on: a value that is not a list limits nothing, an empty list neither,
        // an entry that is not a string matches nothing.
        for open in [
            json!({"allowedOrgHosts": "globex"}),
            json!({"allowedOrgHosts": []}),
        ] {
            assert_eq!(page_allowed(Some(&open), None, acme), allowed(true, false));
        }
        let odd = json!({"allowedOrgHosts": [7, null, "globex"]});
        assert_eq!(page_allowed(Some(&odd), None, acme), allowed(false, false));
        assert_eq!(
            page_allowed(Some(&odd), None, "globex.my.salesforce.com"),
            allowed(true, false)
        );
    }

    #[test]
    fn without_a_policy_the_users_choices_apply() {
        let settings = effective(None, &json!({}), BUILT);
        assert_eq!(settings.api_origin, BUILT);
        assert!(!settings.analytics_opt_out && settings.include_ai);
        assert_eq!(settings.forced, Forced::default());
        let settings = effective(
            None,
            &json!({"feature_analyticsOptOut": true, "cc.declineAi": true}),
            BUILT,
        );
        assert!(settings.analytics_opt_out && !settings.include_ai);
        for set in [
            json!("true"),
            json!("false"),
            json!(1),
            json!({}),
            json!([]),
        ] {
            let settings = effective(None, &json!({ "feature_analyticsOptOut": set }), BUILT);
            assert!(settings.analytics_opt_out, "{set} opts out (truthy)");
        }
        for unset in [json!(null), json!(false), json!(0), json!("")] {
            let settings = effective(None, &json!({ "feature_analyticsOptOut": unset }), BUILT);
            assert!(!settings.analytics_opt_out, "{unset} does not opt out");
        }
    }

    #[test]
    fn a_policy_forces_the_private_direction_only() {
        let policy = json!({"analyticsOptOut": true, "disableAiInsights": true});
        let settings = effective(
            Some(&policy),
            &json!({"feature_analyticsOptOut": false}),
            BUILT,
        );
        assert!(settings.analytics_opt_out && !settings.include_ai);
        assert!(settings.forced.analytics_opt_out && settings.forced.ai_insights);
        assert!(settings.is_forced("analytics") && settings.is_forced("aiInsights"));
        assert!(settings.is_forced("anything else"));
        let policy = json!({"analyticsOptOut": false});
        let settings = effective(
            Some(&policy),
            &json!({"feature_analyticsOptOut": true}),
            BUILT,
        );
        assert!(
            settings.analytics_opt_out,
            "a policy cannot turn analytics back on"
        );
        assert!(!settings.forced.analytics_opt_out);
    }

    #[test]
    fn the_api_origin_from_a_policy_must_be_a_bare_https_origin() {
        let settings = effective(
            Some(&json!({"apiOrigin": "https://API.eu.customercity.com/"})),
            &json!({}),
            BUILT,
        );
        assert_eq!(settings.api_origin, "https://api.eu.customercity.com");
        assert!(settings.forced.api_origin);
        for bad in [
            json!("http://api.example.com"),
            json!("https://api.example.com/v1"),
            json!("https://user@api.example.com"),
            json!("https://api.example.com?x=1"),
            json!("https://api.example.com:99999"),
            json!("https://"),
            json!("javascript:alert(1)"),
            json!(42),
        ] {
            let settings = effective(Some(&json!({ "apiOrigin": bad })), &json!({}), BUILT);
            assert_eq!(settings.api_origin, BUILT, "{bad} ignored");
            assert!(!settings.forced.api_origin);
            assert_eq!(settings.policy_errors.len(), 1, "{bad} reported");
        }
        let settings = effective(Some(&json!({"analyticsOptOut": "yes"})), &json!({}), BUILT);
        assert!(settings.analytics_opt_out, "a truthy policy value opts out");
        assert_eq!(
            settings.policy_errors,
            ["analyticsOptOut: a boolean was expected (taken as true)"]
        );
        let settings = effective(Some(&json!({"analyticsOptOut": 0})), &json!({}), BUILT);
        assert!(!settings.analytics_opt_out);
        assert_eq!(settings.policy_errors.len(), 1);
    }

    #[test]
    fn an_unreadable_policy_pauses_analytics_without_purging() {
        let settings = effective(None, &json!({}), BUILT).with_unreadable_policy();
        assert!(settings.analytics_paused && !settings.analytics_opt_out);
        assert_eq!(settings.policy_errors.len(), 1);
        let opted_out = effective(None, &json!({"feature_analyticsOptOut": true}), BUILT)
            .with_unreadable_policy();
        assert!(opted_out.analytics_opt_out && !opted_out.analytics_paused);
        let readable = effective(None, &json!({}), BUILT);
        assert!(!readable.analytics_opt_out && !readable.analytics_paused);
    }

    #[test]
    fn a_policy_switches_sign_in_off() {
        let settings = effective(None, &json!({}), BUILT);
        assert!(!settings.sign_in_disabled && !settings.forced.sign_in);
        let settings = effective(Some(&json!({"disableSignIn": true})), &json!({}), BUILT);
        assert!(settings.sign_in_disabled && settings.forced.sign_in);
        let settings = effective(Some(&json!({"disableSignIn": "no"})), &json!({}), BUILT);
        assert!(
            settings.sign_in_disabled,
            "a truthy value of the wrong type switches it off"
        );
        assert_eq!(settings.policy_errors.len(), 1);
        let settings = effective(Some(&json!({"disableSignIn": false})), &json!({}), BUILT);
        assert!(!settings.sign_in_disabled);
    }

    #[test]
    fn the_web_app_follows_a_policy_api_origin() {
        let built = effective(None, &json!({}), BUILT)
            .with_built_app_origin("https://app.example.test:8443");
        assert_eq!(
            built.app_origin.as_deref(),
            Some("https://app.example.test:8443"),
            "the built web app"
        );
        let regional = effective(
            Some(&json!({"apiOrigin": "https://api.eu.customercity.com"})),
            &json!({}),
            BUILT,
        )
        .with_built_app_origin("https://app.customercity.com");
        assert_eq!(
            regional.app_origin.as_deref(),
            Some("https://app.eu.customercity.com")
        );
        assert!(!regional.sign_in_disabled && regional.policy_errors.is_empty());
        assert_eq!(
            app_origin_for("https://api.customercity.com:8443").as_deref(),
            Some("https://app.customercity.com:8443")
        );
        let unknown_app = effective(
            Some(&json!({"apiOrigin": "https://deal-health.example.org"})),
            &json!({}),
            BUILT,
        )
        .with_built_app_origin("https://app.customercity.com");
        assert_eq!(
            unknown_app.app_origin, None,
            "never the built web app for another API"
        );
        assert!(unknown_app.sign_in_disabled && !unknown_app.forced.sign_in);
        assert_eq!(unknown_app.policy_errors.len(), 1);
        let ignored = effective(
            Some(&json!({"apiOrigin": "http://api.eu.customercity.com"})),
            &json!({}),
            BUILT,
        )
        .with_built_app_origin("https://app.customercity.com");
        assert_eq!(
            ignored.app_origin.as_deref(),
            Some("https://app.customercity.com"),
            "an ignored origin moves nothing"
        );
        assert!(!ignored.sign_in_disabled);
    }

    #[test]
    fn the_org_list_is_read_entry_by_entry() {
        let policy = json!({"allowedOrgHosts": ["acme.my.salesforce.com", 7, "x y"]});
        let settings = effective(Some(&policy), &json!({}), BUILT);
        assert_eq!(settings.allowed_orgs, Some(vec!["acme".to_string()]));
        assert_eq!(
            settings.policy_errors.len(),
            2,
            "{:?}",
            settings.policy_errors
        );
        let settings = effective(Some(&json!({"allowedOrgHosts": "acme"})), &json!({}), BUILT);
        assert_eq!(
            settings.allowed_orgs, None,
            "not a list: ignored and reported"
        );
        assert_eq!(settings.policy_errors.len(), 1);
        let settings = effective(Some(&json!({"allowedOrgHosts": []})), &json!({}), BUILT);
        assert_eq!(settings.allowed_orgs, None);
    }

    #[test]
    fn origins_keep_their_port() {
        assert_eq!(
            https_origin("https://localhost:8443").as_deref(),
            Some("https://localhost:8443")
        );
        assert_eq!(https_origin("https://a.b:0"), None);
    }
}
