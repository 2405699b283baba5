//! `stocklens plugin list`: every built-in parser and report generator, as a table and as JSON.

use super::helpers::stocklens;

const PARSERS: [&str; 6] = [
    "adobe-stock",
    "istock-getty",
    "freepik",
    "envato-market",
    "shutterstock",
    "generic",
];

/// The report generators, in report order.
const ANALYZERS: &[&str] = &[
    "overview",
    "trends",
    "portfolio-health",
    "concentration",
    "marketplaces",
];

#[test]
fn plugin_list_shows_every_built_in() {
    let output = stocklens()
        .args(["plugin", "list", "--json"])
        .output()
        .expect("stocklens runs");
    assert!(output.status.success(), "{output:?}");
    let list: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).expect("a JSON array");
    let ids: Vec<&str> = list.iter().filter_map(|p| p["id"].as_str()).collect();
    for id in PARSERS.iter().chain(ANALYZERS.iter()) {
        assert!(ids.contains(id), "{id} in {ids:?}");
    }
    let analyzers: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| ANALYZERS.contains(id))
        .collect();
    assert_eq!(analyzers, ANALYZERS, "report order");
    for plugin in &list {
        let version = if plugin["id"] == "overview" {
            "1.1.0"
        } else {
            "1.0.0"
        };
        assert_eq!(plugin["version"], version, "{plugin}");
        // Built-ins are built with the SDK, which speaks the newest interface.
        assert_eq!(plugin["wit"], "1.1.0", "{plugin}");
        let parser = PARSERS.contains(&plugin["id"].as_str().unwrap_or_default());
        assert_eq!(plugin["kind"], if parser { "parser" } else { "analyzer" });
        assert_eq!(plugin["marketplace"].is_string(), parser, "{plugin}");
    }

    let output = stocklens()
        .args(["plugin", "list"])
        .output()
        .expect("stocklens runs");
    assert!(output.status.success(), "{output:?}");
    let table = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), list.len() + 1, "{table}");
    // Columns line up: every row's name starts where the NAME heading does.
    let name_at = lines[0].find("NAME").expect("a NAME column");
    for (line, plugin) in lines[1..].iter().zip(&list) {
        let name = plugin["name"].as_str().expect("a name");
        assert_eq!(line.find(name), Some(name_at), "{table}");
        assert!(
            line.starts_with(plugin["id"].as_str().expect("id")),
            "{table}"
        );
    }
}
