//! URL recognition: which page is an Opportunity record, and of which org.
#![no_main]

use deal_health::page::{is_salesforce_host, opportunity_id, recognize};
use deal_health_client::panel::tab_context;
use deal_health_client::settings::https_origin;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(page) = recognize(&text) {
        let id = &page.record_id;
        assert!(
            id.len() == 15 || id.len() == 18,
            "an Id of 15 or 18 characters"
        );
        assert!(id.starts_with("006"), "an Opportunity's key prefix");
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert!(
            is_salesforce_host(&page.host),
            "only Salesforce hosts are recognized"
        );
        let _ = page.id15();
    }
    let _ = is_salesforce_host(&text);
    if let Some(id) = opportunity_id(&text) {
        assert!(id.starts_with("006"));
    }
    if let Some(origin) = https_origin(&text) {
        assert!(origin.starts_with("https://"), "never a plain-HTTP origin");
    }
    let _ = tab_context(&text);
});
