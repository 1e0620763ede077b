//! One colour scale (issue 16, item 2): each band has one colour wherever a score is drawn, on
//! the badge (`content/main.js`, its closed shadow root's `.tone-*` rules) and in the side panel
//! (`sidepanel/panel.css`, the score pills and the factor bars). "Won" was blue on the badge and
//! green in the panel; now the panel draws the badge's colours, in both themes.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::PathBuf;

fn read(path: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(path)).unwrap()
}

/// `.tone-<band> { background: #xxxxxx; ... }` rules, band → background colour (rules whose
/// selector goes on, such as `.bar.tone-x > span`, are not band rules).
fn tones(css: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for part in css.split(".tone-").skip(1) {
        let band: String = part
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        let Some(body) = part[band.len()..].trim_start().strip_prefix('{') else {
            continue;
        };
        let body = body.split('}').next().unwrap_or("");
        if let Some(colour) = body.split("background:").nth(1) {
            let colour = colour.trim().split([';', ' ']).next().unwrap_or("");
            found.entry(band).or_insert(colour.to_lowercase());
        }
    }
    found
}

#[test]
fn the_badge_and_the_panel_draw_each_band_in_one_colour() {
    let badge = tones(&read("content/main.js"));
    let panel = tones(&read("sidepanel/panel.css"));
    for band in ["healthy", "at_risk", "critical", "won", "lost", "unknown"] {
        let on_badge = badge
            .get(band)
            .unwrap_or_else(|| panic!("badge: no .tone-{band}"));
        let in_panel = panel
            .get(band)
            .unwrap_or_else(|| panic!("panel: no .tone-{band}"));
        assert_eq!(on_badge, in_panel, "{band}: the badge and the panel differ");
    }
    assert_ne!(badge["won"], badge["healthy"], "won is not a health band");
    // The factor bars use the same three colours.
    let css = read("sidepanel/panel.css");
    for band in ["healthy", "at_risk", "critical"] {
        let bar = css
            .split(&format!(".bar.tone-{band} > span {{ background: "))
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .unwrap_or_else(|| panic!("no bar rule for {band}"));
        assert_eq!(bar.to_lowercase(), panel[band], "{band} factor bar");
    }
    // The dark theme does not redefine them.
    assert!(
        !css.contains("--healthy") && !css.contains("--won"),
        "one scale, not per theme"
    );
}
