//! Extraction plus scoring on the largest fixture page, against the bare HTML parse of the same
//! page (the floor: no extraction can be cheaper than parsing). Run with `cargo bench`; the
//! ratio of the two medians is what docs/performance.md reports. A second group parses the list
//! view fixture's rows as the content script receives them (each row's serialisation, the
//! row copies of `dom::snapshot`), the per-row work of reading a list before any selector runs.

use std::path::Path;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use deal_health::dom::parsed::ParsedDom;
use deal_health::dom::snapshot::Snapshot;
use deal_health::dom::Dom;
use deal_health::list::{analyze_list, COPIED_ATTRIBUTES};
use deal_health::page::recognize;
use deal_health::report::{analyze, AnalyzeOptions};

const SLUG: &str = "lightning-large-page-en-us";

fn bench(criterion: &mut Criterion) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(SLUG);
    let html = std::fs::read_to_string(folder.join("page.html")).expect("the largest fixture");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("meta.json")).expect("meta"))
            .expect("json");
    let page = recognize(meta["url"].as_str().expect("url")).expect("an Opportunity URL");
    let options = AnalyzeOptions {
        locale: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
    };

    let mut group = criterion.benchmark_group(SLUG);
    group.bench_function("parse only (floor)", |b| {
        b.iter(|| std::hint::black_box(scraper::Html::parse_document(&html)))
    });
    group.bench_function("parse + extract + score", |b| {
        b.iter(|| {
            let dom = ParsedDom::parse(&html);
            std::hint::black_box(analyze(&dom, &page, &options))
        })
    });
    group.finish();

    let grid = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/list-lightning-grid-en-us/page.html"),
    )
    .expect("the list view fixture");
    let dom = ParsedDom::parse(&grid);
    let rows: Vec<String> = dom
        .query_tree(&dom.document(), "tr[data-row-key-value]")
        .into_iter()
        .map(|row| format!("0{}", dom.outer_html(row).expect("a row element")))
        .collect();
    assert!(rows.len() >= 5, "the list view fixture's rows");
    for row in &rows {
        assert!(
            Snapshot::parse_html(row, COPIED_ATTRIBUTES).is_some(),
            "a row that parses"
        );
    }
    let mut group = criterion.benchmark_group("list-lightning-grid-en-us");
    group.bench_function("read + score the list (parsed DOM)", |b| {
        b.iter(|| std::hint::black_box(analyze_list(&dom, &options, None)))
    });
    group.bench_function(format!("parse {} row copies", rows.len()), |b| {
        b.iter(|| {
            for row in &rows {
                std::hint::black_box(Snapshot::parse_html(row, COPIED_ATTRIBUTES));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
