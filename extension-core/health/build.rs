//! Lists the fixture pages for the browser test (`tests/live_fixtures.rs`), which cannot read
//! files at run time: it includes each page, meta and expected JSON at compile time.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let mut slugs: Vec<String> = std::fs::read_dir(&fixtures)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .filter(|entry| entry.path().join("page.html").exists())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    slugs.sort();
    let mut list = String::from("&[\n");
    for slug in &slugs {
        let folder = fixtures.join(slug);
        println!("cargo:rerun-if-changed={}", folder.display());
        let _ = writeln!(
            list,
            "    ({slug:?}, include_str!({:?}), include_str!({:?}), include_str!({:?})),",
            folder.join("page.html").display().to_string(),
            folder.join("meta.json").display().to_string(),
            folder.join("expected.json").display().to_string()
        );
    }
    list.push(']');
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("fixture_list.rs");
    std::fs::write(out, list).expect("write fixture list");
}
