//! Every name the extension keeps data under, in one place: the keys of `chrome.storage`
//! (`local`: closed to content scripts; `session`: this browser session), the key prefixes,
//! the alarms, and the side panel's own `localStorage` key. The worker and the side panel read
//! them through the worker wasm's `storageKeys` ([`KEYS`]), so no key is spelt twice.
//! docs/admin.md lists what each holds and for how long.

use serde::Serialize;

/// `local`: the signed-in session (tokens). Removed by a sign-out.
pub const SESSION: &str = "session";
/// `session`: the sign-in under way (its PKCE verifier and state), taken once by the hand-off.
pub const PENDING_SIGN_IN: &str = "pendingSignIn";
/// `local`: the cache index ([`crate::cache::CacheIndex`]); the entries are under
/// [`CACHE_PREFIX`].
pub const CACHE_INDEX: &str = "cc.cacheIndex";
/// `local`: the prefix of cached API answers (`cc.v<schema>.<kind>:<org>:<id>`,
/// [`crate::cache::key`]).
pub const CACHE_PREFIX: &str = "cc.v";
/// `local`: the persistent analytics queue.
pub const ANALYTICS_QUEUE: &str = "cc.analyticsQueue";
/// `local`: the user's analytics opt-out (PRODUCT.md's `feature_analyticsOptOut`).
pub const ANALYTICS_OPT_OUT: &str = "feature_analyticsOptOut";
/// `local`: "decline AI insights" (`true` when declined).
pub const DECLINE_AI: &str = "cc.declineAi";
/// `local`: when the API asked to wait (`{origin, until}`, [`crate::retry::hold_until`]).
pub const HOLD_UNTIL: &str = "cc.holdUntil";
/// `local`: the sign-out generation (one more at every sign-out).
pub const SIGN_OUT_EPOCH: &str = "cc.signOutEpoch";
/// `local`: the last administrator policy read, used in the seconds after a browser start.
pub const POLICY_COPY: &str = "cc.policyCopy";
/// `local`: the prefix of an org host's numeric date order (`cc.dateOrder.<host>`): named by
/// `protocol::route`, removed by `auth::sign_out_plan`.
pub const DATE_ORDER_PREFIX: &str = "cc.dateOrder.";
/// `session`: the session ended without the user signing out.
pub const SESSION_EXPIRED: &str = "cc.sessionExpired";
/// `session`: why the last sign-in failed (`auth::SignInFailure`'s code, or a hand-off's).
pub const SIGN_IN_ERROR: &str = "cc.signInError";
/// `session`: the tabs allowed only by the policy copy, for a worker started later to check.
pub const PROVISIONAL_TABS: &str = "cc.provisionalTabs";
/// `session`: the prefix of a tab's Tier 1 report (`cc.tab.<tabId>`).
pub const TAB_PREFIX: &str = "cc.tab.";
/// `session`: the prefix of a tab's list report (`cc.list.<tabId>`,
/// `deal_health::list::summary::ListSummary`).
pub const LIST_PREFIX: &str = "cc.list.";
/// `session`: the side panel has asked for a tab's view in this browser session, so content
/// scripts report their lists (`listReport`) though signed out; until then only a signed-in
/// user's lists are reported (for their rows' scores).
pub const LISTS_WANTED: &str = "cc.listsWanted";
/// `session`: the prefix of a tab's analysis pace (`cc.pace.<tabId>`, [`crate::retry::TabPace`]).
pub const PACE_PREFIX: &str = "cc.pace.";
/// Alarm: send the analytics queue.
pub const FLUSH_ALARM: &str = "cc.flushAnalytics";
/// Alarm: sweep expired and orphaned cache entries.
pub const SWEEP_ALARM: &str = "cc.sweepCache";
/// Alarm: renew the access token before it expires.
pub const REFRESH_ALARM: &str = "cc.refreshToken";
/// The side panel page's `localStorage`: its theme.
pub const THEME: &str = "cc.theme";

/// Every name above, as the JavaScript reads them (`storageKeys()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // each field is the constant of the same name above
pub struct Keys {
    pub session: &'static str,
    pub pending_sign_in: &'static str,
    pub cache_index: &'static str,
    pub cache_prefix: &'static str,
    pub analytics_queue: &'static str,
    pub analytics_opt_out: &'static str,
    pub decline_ai: &'static str,
    pub hold_until: &'static str,
    pub sign_out_epoch: &'static str,
    pub policy_copy: &'static str,
    pub date_order_prefix: &'static str,
    pub session_expired: &'static str,
    pub sign_in_error: &'static str,
    pub provisional_tabs: &'static str,
    pub tab_prefix: &'static str,
    pub list_prefix: &'static str,
    pub lists_wanted: &'static str,
    pub pace_prefix: &'static str,
    pub flush_alarm: &'static str,
    pub sweep_alarm: &'static str,
    pub refresh_alarm: &'static str,
    pub theme: &'static str,
}

/// Every name, for the JavaScript.
pub const KEYS: Keys = Keys {
    session: SESSION,
    pending_sign_in: PENDING_SIGN_IN,
    cache_index: CACHE_INDEX,
    cache_prefix: CACHE_PREFIX,
    analytics_queue: ANALYTICS_QUEUE,
    analytics_opt_out: ANALYTICS_OPT_OUT,
    decline_ai: DECLINE_AI,
    hold_until: HOLD_UNTIL,
    sign_out_epoch: SIGN_OUT_EPOCH,
    policy_copy: POLICY_COPY,
    date_order_prefix: DATE_ORDER_PREFIX,
    session_expired: SESSION_EXPIRED,
    sign_in_error: SIGN_IN_ERROR,
    provisional_tabs: PROVISIONAL_TABS,
    tab_prefix: TAB_PREFIX,
    list_prefix: LIST_PREFIX,
    lists_wanted: LISTS_WANTED,
    pace_prefix: PACE_PREFIX,
    flush_alarm: FLUSH_ALARM,
    sweep_alarm: SWEEP_ALARM,
    refresh_alarm: REFRESH_ALARM,
    theme: THEME,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_names_collide_and_none_is_a_prefix_of_another_by_accident() {
        let json = serde_json::to_value(KEYS).unwrap();
        let names: Vec<&str> = json
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 22);
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // Every plain key is outside every prefix (a prefix sweep never takes one of them).
        let prefixes = [
            CACHE_PREFIX,
            DATE_ORDER_PREFIX,
            TAB_PREFIX,
            LIST_PREFIX,
            PACE_PREFIX,
        ];
        for key in [
            SESSION,
            CACHE_INDEX,
            ANALYTICS_QUEUE,
            ANALYTICS_OPT_OUT,
            DECLINE_AI,
            HOLD_UNTIL,
            SIGN_OUT_EPOCH,
            POLICY_COPY,
            LISTS_WANTED,
        ] {
            assert!(
                prefixes.iter().all(|prefix| !key.starts_with(prefix)),
                "{key}"
            );
        }
        assert_eq!(json["analyticsOptOut"], "feature_analyticsOptOut");
    }
}
