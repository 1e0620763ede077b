//! Property tests of Tier 2's decisions: analytics record nothing off the allow-list, and
//! nothing at all when opted out. (Tier 1's parsers and score: `health/tests/properties.rs`.)
#![cfg(not(target_arch = "wasm32"))]

use chrono::NaiveDate;
use proptest::prelude::*;

proptest! {
    #[test]
    fn analytics_records_only_allow_listed_keys_and_values(
        name in prop_oneof![Just("badge_viewed".to_string()), Just("analysis_refreshed".to_string()), "[a-z_]{1,20}"],
        properties in proptest::collection::btree_map(
            prop_oneof![Just("band".to_string()), Just("ui".to_string()), Just("cached".to_string()), "[a-zA-Z]{1,12}"],
            prop_oneof![Just(serde_json::json!("healthy")), Just(serde_json::json!(true)), any::<String>().prop_map(serde_json::Value::from), any::<i64>().prop_map(serde_json::Value::from)],
            0..4,
        ),
    ) {
        use deal_health_client::analytics::{validate, Queue};
        let mut queue = Queue::default();
        let at = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_milli_opt(12, 34, 56, 789).unwrap().and_utc();
        let recorded = queue.record(&name, properties.clone(), at, false).is_ok();
        prop_assert_eq!(recorded, validate(&name, &properties).is_ok());
        for event in &queue.waiting {
            prop_assert_eq!(event.at, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc(), "recorded at the hour only");
            let allowed_keys: &[&str] = match event.name.as_str() {
                "badge_viewed" => &["ui"],
                "analysis_refreshed" => &["trigger", "cached"],
                other => panic!("recorded an event off the allow-list: {other}"),
            };
            for (key, value) in &event.properties {
                prop_assert!(allowed_keys.contains(&key.as_str()), "key {}", key);
                prop_assert!(value.is_boolean() || value.as_str().is_some_and(|v| v.len() <= 16), "value {}", value);
            }
        }
        let mut opted_out = Queue::default();
        prop_assert!(opted_out.record(&name, properties, at, true).is_err());
        prop_assert!(opted_out.waiting.is_empty());
    }
}
