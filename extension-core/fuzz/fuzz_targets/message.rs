//! Messages into the worker, and state it reads back from storage: message routing for every
//! kind of sender, the sign-in hand-off, the stored cache index, the settings under a policy.
#![no_main]

use chrono::{DateTime, Utc};
use deal_health_client::auth::{accept_hand_off, PendingSignIn};
use deal_health_client::cache::CacheIndex;
use deal_health_client::protocol::{route, Action, Sender};
use deal_health_client::settings::effective;
use libfuzzer_sys::fuzz_target;

const OURS: &str = "abcdefghijklmnopabcdefghijklmnop";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let senders = [
        Sender {
            id: Some(OURS.into()),
            tab_id: Some(7),
            url: Some(
                "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view"
                    .into(),
            ),
            tab_url: Some(
                "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000QwErTAAV/view"
                    .into(),
            ),
            frame_id: Some(0),
            document_lifecycle: Some("active".into()),
        },
        Sender {
            id: Some(OURS.into()),
            url: Some(format!("chrome-extension://{OURS}/sidepanel/index.html")),
            ..Sender::default()
        },
        Sender {
            id: Some("pppppppppppppppppppppppppppppppp".into()),
            tab_id: Some(7),
            url: Some("https://evil.example/".into()),
            frame_id: Some(0),
            ..Sender::default()
        },
        Sender::default(),
    ];
    for (number, sender) in senders.iter().enumerate() {
        let action = route(OURS, sender, &text);
        if number >= 2 {
            assert!(
                matches!(action, Action::Ignore { .. }),
                "a foreign sender is ignored"
            );
        }
    }
    let now: DateTime<Utc> = "2026-11-24T12:00:00Z".parse().expect("an instant");
    let pending = PendingSignIn::start(&[7; 64], now);
    let _ = accept_hand_off(
        &text,
        Some("https://app.customercity.com"),
        "https://app.customercity.com",
        Some(&pending),
        now,
    );
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let (mut index, _) = CacheIndex::load(Some(&value));
        // The stored keys: whatever strings the input's entries name, and the input itself.
        let stored: Vec<String> = value["entries"]
            .as_object()
            .map(|entries| entries.keys().cloned().collect())
            .unwrap_or_default();
        let swept = index.sweep(now, &stored);
        assert!(swept
            .iter()
            .all(|key| deal_health_client::cache::is_entry_key(key) || stored.contains(key)));
        assert!(index.entries.keys().all(|key| !swept.contains(key)));
        let settings = effective(Some(&value), &value, "https://api.customercity.com");
        assert!(settings.api_origin.starts_with("https://"));
    }
});
