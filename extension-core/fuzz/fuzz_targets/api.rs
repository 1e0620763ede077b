//! Decoding every API response body the worker accepts.
#![no_main]

use deal_health_client::api;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(analysis) = api::decode_analysis(data) {
        assert!(data.len() <= 1024 * 1024, "bodies over 1 MB are refused");
        let _ = serde_json::to_string(&analysis);
    }
    let _ = api::decode_portfolio(data);
    let _ = api::decode_descriptions(data);
    let _ = api::decode_tokens(data);
    let _ = api::decode_problem(data);
    let _ = api::decode_event_ack(data);
});
