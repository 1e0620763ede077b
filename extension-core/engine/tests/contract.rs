//! docs/openapi.json against the code: every example validates against its schema and decodes
//! through the extension's validated decoders; the engine's output validates against the
//! Analysis schema.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use serde_json::{json, Value};

fn spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("docs/openapi.json"))
        .expect("valid JSON")
}

/// A validator for `#/components/schemas/<name>`, resolving refs inside the spec.
fn validator(spec: &Value, name: &str) -> jsonschema::Validator {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": spec["components"],
    });
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid schema")
}

/// Every (schema name, example) pair in the spec's requests and responses.
fn examples(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, operations) in spec["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let mut bodies: Vec<(String, &Value)> = Vec::new();
            if let Some(content) = operation["requestBody"]["content"].as_object() {
                bodies.extend(
                    content
                        .values()
                        .map(|c| (format!("{method} {path} request"), c)),
                );
            }
            for (status, response) in operation["responses"].as_object().unwrap() {
                if let Some(content) = response["content"].as_object() {
                    bodies.extend(
                        content
                            .values()
                            .map(|c| (format!("{method} {path} {status}"), c)),
                    );
                }
            }
            for (place, content) in bodies {
                let Some(reference) = content["schema"]["$ref"].as_str() else {
                    continue;
                };
                let name = reference.rsplit('/').next().unwrap().to_string();
                if !content["example"].is_null() {
                    out.push((name.clone(), place.clone(), content["example"].clone()));
                }
                for (label, example) in content["examples"].as_object().into_iter().flatten() {
                    out.push((
                        name.clone(),
                        format!("{place} ({label})"),
                        example["value"].clone(),
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn every_example_validates_and_decodes() {
    use deal_health_client::api::*;
    let spec = spec();
    let all = examples(&spec);
    assert!(
        all.len() >= 12,
        "the spec carries examples for every body ({})",
        all.len()
    );
    for (schema, place, example) in &all {
        let validator = validator(&spec, schema);
        let errors: Vec<String> = validator
            .iter_errors(example)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{place}: example breaks {schema}: {errors:?}"
        );
        let bytes = serde_json::to_vec(example).unwrap();
        let decoded = match schema.as_str() {
            "Analysis" => decode_analysis(&bytes).map(|_| ()),
            "Portfolio" => decode_portfolio(&bytes).map(|_| ()),
            "Descriptions" => decode_descriptions(&bytes).map(|_| ()),
            "TokenResponse" => decode_tokens(&bytes).map(|_| ()),
            "Problem" => decode_problem(&bytes).map(|_| ()),
            "EventAck" => decode_event_ack(&bytes).map(|_| ()),
            "EventBatch" => serde_json::from_slice::<EventBatch>(&bytes)
                .map(|_| ())
                .map_err(|e| ApiError::Malformed(e.to_string())),
            "CodeExchange" | "RefreshRequest" => Ok(()),
            other => panic!("{place}: no decoder for {other}"),
        };
        assert!(
            decoded.is_ok(),
            "{place}: {schema} example does not decode: {decoded:?}"
        );
    }
}

#[test]
fn the_schemas_reject_what_the_contract_forbids() {
    let spec = spec();
    let analysis = validator(&spec, "Analysis");
    let mut example = spec["paths"]["/v1/opportunities/{id}/analysis"]["get"]["responses"]["200"]
        ["content"]["application/json"]["examples"]["open"]["value"]
        .clone();
    assert!(analysis.is_valid(&example));
    example["score"]["value"] = json!(101);
    assert!(!analysis.is_valid(&example));
    example["score"]["value"] = json!(50);
    example["factors"].as_array_mut().unwrap().pop();
    assert!(!analysis.is_valid(&example), "six factors");
    let batch = validator(&spec, "EventBatch");
    let event = |properties: Value| {
        json!({"batchId": "5b1f0c7e-8f0a-4d5e-9a57-3f1e2a9b6c10", "sentAt": "2026-11-23T12:00:00Z",
        "events": [{"name": "badge_viewed", "at": "2026-11-23T12:00:00Z", "properties": properties}]})
    };
    assert!(batch.is_valid(&event(json!({"ui": "lightning"}))));
    assert!(
        !batch.is_valid(&event(json!({"deal": {"name": "Acme"}}))),
        "no nested data in analytics"
    );
}

#[test]
fn the_engine_output_validates_against_the_analysis_schema() {
    use chrono::{DateTime, Duration, NaiveDate, Utc};
    use deal_health_engine::*;
    let now = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let deal = DealData {
        opportunity: Opportunity {
            id: "0065g00000AbCdEAAV".into(),
            name: "Acme".into(),
            amount: Some(250_000.0),
            currency: Some("USD".into()),
            amount_corporate: Some(250_000.0),
            stage: "Negotiation/Review".into(),
            stage_progress: 1.0,
            close_date: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
            probability: Some(90),
            is_closed: false,
            is_won: false,
            created_at: now - Duration::days(120),
        },
        stage_history: vec![StageChange {
            stage: "Negotiation/Review".into(),
            at: now - Duration::days(40),
        }],
        close_date_history: vec![],
        contacts: vec![ContactRole {
            contact_id: "c1".into(),
            name: "Dana".into(),
            title: Some("Director".into()),
            role: Some("Champion".into()),
            is_primary: true,
        }],
        emails: vec![EmailMeta {
            at: now - Duration::days(12),
            direction: Direction::Inbound,
            contact_ids: vec!["c1".into()],
        }],
        meetings: vec![],
        tasks: vec![],
        data_as_of: now,
    };
    let analysis = analyze(&deal, now, &BlindSpotConfig::default());
    assert!(
        analysis.blind_spots.len() >= 3,
        "this deal trips several blind spots"
    );
    let value = serde_json::to_value(&analysis).unwrap();
    let errors: Vec<String> = validator(&spec(), "Analysis")
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
