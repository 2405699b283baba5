//! The full report of the bundled example portfolio (`examples/portfolio`: Adobe Stock for
//! fifteen months and Freepik for three, the same works on both), in each language, compared
//! section by section with what it must say.
//!
//! The page is reduced to what a reader sees in each section (title, KPIs with their notes,
//! notes, chart titles, table headings and rows), one line each, and compared with
//! `golden/portfolio-<lang>.txt` section by section, so a change names the section it touched
//! and shows only that section's lines. Markup, styles and SVG are not compared: the browser
//! suite checks the layout. After an intended change, rewrite the files with
//! `STOCKLENS_BLESS=1 cargo test -p stocklens --test cli golden` and review the diff like code.
//!
//! The headline figures are also asserted here as literals computed by hand from the example
//! files (a spreadsheet sum of the Q4 2025 rows), so a blessed golden file cannot carry a wrong
//! total unnoticed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::helpers::{Run, analyze, repo};

/// The analysis the golden files record: the last quarter of 2025, with every portfolio fact;
/// `extra` arguments appended.
fn portfolio_report(lang: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "examples/portfolio/adobe-stock-activity-2024-10-to-2025-12.csv",
        "examples/portfolio/assets_report_10_2025.csv",
        "examples/portfolio/assets_report_11_2025.csv",
        "examples/portfolio/assets_report_12_2025.csv",
        "--period",
        "2025-10..2025-12",
        "--portfolio-size",
        "420",
        "--upload-limit",
        "25/week",
        "--uploads",
        "180",
        "--acceptance-rate",
        "72",
        "--lang",
        lang,
    ];
    args.extend_from_slice(extra);
    analyze(&args)
}

#[test]
fn golden_english_report_says_what_it_must_section_by_section() {
    check_golden("en");
}

#[test]
fn golden_russian_report_says_what_it_must_section_by_section() {
    check_golden("ru");
}

#[test]
fn golden_headline_figures_match_the_files() {
    let run = portfolio_report("en", &["--json"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let summary = run.json();
    // Adobe Stock Q4 2025: 523 rows, $1,302.15 (143 + 175 + 205 rows; $507.60 + $359.44 +
    // $435.11). Freepik Oct-Dec 2025: 2,782 downloads, €163.1416.
    assert_eq!(summary["sales"], 523 + 2782);
    assert_eq!(summary["revenue"]["USD"], "1302.15");
    assert_eq!(summary["revenue"]["EUR"], "163.1416");
    // 59 Adobe Stock assets and 43 Freepik assets sold (40 shared works are still two assets
    // each: asset identity is per marketplace).
    assert_eq!(summary["assets"], 59 + 43);
    let analyzers: Vec<&str> = summary["analyzers"]
        .as_array()
        .expect("a list of analyzers")
        .iter()
        .filter_map(|a| a.as_str()?.split('@').next())
        .collect();
    assert_eq!(
        analyzers,
        [
            "overview",
            "trends",
            "portfolio-health",
            "concentration",
            "marketplaces"
        ]
    );
    let html = run.report();
    let sections = sections(&html);
    // The best seller by revenue: asset 591154676 earned $250.00 in the quarter.
    let top = sections
        .get("sec-overview-top-assets")
        .expect("a top-assets section");
    assert!(top.contains("$250.00"), "{top}");
    // Half the Adobe Stock revenue comes from 5 of its 59 assets; the best one makes
    // $250.00 / $1,302.15 = 19.2 %.
    let concentration = &sections["sec-concentration-concentration"];
    assert!(
        concentration.contains("kpi: Assets making half the revenue = 5 ")
            && concentration.contains("= 19.2% (1 asset)"),
        "{concentration}"
    );
    // Against Q3 2025 (363 Adobe Stock sales, $711.41; Freepik has no Q3 data and is left out):
    // 523 / 363 = +44.1 % sales, 1302.15 / 711.41 = +83.0 % revenue; against Q4 2024 (244 sales,
    // $478.90): +114.3 % and +171.9 %.
    let trends = &sections["sec-trends-trends"];
    for expected in [
        "Sales vs previous period = 44.1%",
        "Revenue vs previous period, USD = 83.0%",
        "Sales vs a year earlier = 114.3%",
        "Revenue vs a year earlier, USD = 171.9%",
    ] {
        assert!(trends.contains(expected), "{expected} in {trends}");
    }
}

fn check_golden(lang: &str) {
    let run = portfolio_report(lang, &[]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let actual = sections(&run.report());
    let path = golden_path(lang);
    if std::env::var_os("STOCKLENS_BLESS").is_some() {
        let text: String = actual
            .iter()
            .map(|(id, body)| format!("== {id}\n{body}"))
            .collect();
        std::fs::write(&path, text).expect("writing the golden file");
        return;
    }
    let golden = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("{}: {err}; write it with STOCKLENS_BLESS=1", path.display()));
    let expected = parse_golden(&golden);
    let mut problems = Vec::new();
    for (id, body) in &expected {
        match actual.get(id) {
            None => problems.push(format!("section {id} is missing")),
            Some(got) if got != body => {
                problems.push(format!("section {id} differs:\n{}", line_diff(body, got)))
            }
            Some(_) => {}
        }
    }
    for id in actual.keys().filter(|id| !expected.contains_key(*id)) {
        problems.push(format!("section {id} is new:\n{}", actual[id]));
    }
    assert!(
        problems.is_empty(),
        "the {lang} report differs from {}:\n\n{}",
        path.display(),
        problems.join("\n")
    );
}

fn golden_path(lang: &str) -> PathBuf {
    repo().join(format!("host/tests/cli/golden/portfolio-{lang}.txt"))
}

fn parse_golden(text: &str) -> BTreeMap<String, String> {
    let mut sections = BTreeMap::new();
    for chunk in text.split("== ").filter(|c| !c.is_empty()) {
        let (id, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        sections.insert(id.to_owned(), body.to_owned());
    }
    sections
}

/// Lines only in `expected` marked `-`, only in `actual` marked `+`, in order.
fn line_diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let mut out = Vec::new();
    for line in &old {
        if !new.contains(line) {
            out.push(format!("  - {line}"));
        }
    }
    for line in &new {
        if !old.contains(line) {
            out.push(format!("  + {line}"));
        }
    }
    out.join("\n")
}

/// What a reader sees in each report section, keyed by its anchor: the generator sections and
/// the highlights at the top. Works on the renderer's own markup, which these tests pin.
fn sections(html: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = html;
    while let Some(start) = rest.find("<section id=\"") {
        let after = &rest[start + "<section id=\"".len()..];
        let Some(quote) = after.find('"') else { break };
        let id = after[..quote].to_owned();
        let end = after.find("</section>").unwrap_or(after.len());
        let body = &after[..end];
        rest = &after[end..];
        if id == "sources" || id == "warnings" {
            continue;
        }
        out.insert(id, readable(body));
    }
    out
}

/// One line per thing a reader reads, with the kind of thing first.
fn readable(section: &str) -> String {
    let mut lines = Vec::new();
    // Chart pictures repeat their table (kept under "numbers"); only their titles are read here.
    let mut text = String::new();
    let mut rest = section;
    while let Some(start) = rest.find("<svg") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</svg>")
            .map_or("", |end| &rest[start + end + "</svg>".len()..]);
    }
    text.push_str(rest);

    let mut at = 0;
    while let Some((kind, open, close)) = next_item(&text[at..]) {
        let inner_start = at + open;
        let inner_end = at + close;
        let inner = &text[inner_start..inner_end];
        match kind {
            Item::Title => lines.push(format!("title: {}", plain(inner))),
            Item::KpiLabel => lines.push(format!("kpi: {}", plain(inner))),
            Item::KpiValue => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(&format!(" = {}", plain(inner)));
                }
            }
            Item::KpiNote => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(&format!(" ({})", plain(inner)));
                }
            }
            Item::Note => lines.push(format!("note: {}", plain(inner))),
            Item::Caption => lines.push(format!("table: {}", plain(inner))),
            Item::Figure => lines.push(format!("chart: {}", plain(inner))),
            Item::Head => lines.push(format!("columns: {}", cells(inner, "th"))),
            Item::Row => lines.push(format!("row: {}", cells(inner, "td"))),
        }
        at = inner_end;
    }
    lines.iter().map(|line| format!("{line}\n")).collect()
}

#[derive(Clone, Copy)]
enum Item {
    Title,
    KpiLabel,
    KpiValue,
    KpiNote,
    Note,
    Caption,
    Figure,
    Head,
    Row,
}

/// The next item in `text`: its kind, where its content starts and where it ends.
fn next_item(text: &str) -> Option<(Item, usize, usize)> {
    const OPENERS: [(&str, &str, Item); 9] = [
        ("<h2", "</h2>", Item::Title),
        ("<div class=\"kpi-label\"", "</div>", Item::KpiLabel),
        ("<div class=\"kpi-value", "</div>", Item::KpiValue),
        ("<div class=\"kpi-note\"", "</div>", Item::KpiNote),
        ("<p class=\"note", "</p>", Item::Note),
        ("<caption", "</caption>", Item::Caption),
        ("<figcaption", "</figcaption>", Item::Figure),
        ("<thead>", "</thead>", Item::Head),
        ("<tr><td", "</tr>", Item::Row),
    ];
    OPENERS
        .iter()
        .filter_map(|(open, close, kind)| {
            let start = text.find(open)?;
            let content = start + text[start..].find('>')? + 1;
            let end = content + text[content..].find(close)?;
            Some((start, *kind, content, end))
        })
        .min_by_key(|(start, ..)| *start)
        .map(|(_, kind, content, end)| (kind, content, end))
}

/// The cells of a table row, joined with " | ".
fn cells(row: &str, tag: &str) -> String {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = row;
    while let Some(start) = rest.find(&open) {
        let Some(gt) = rest[start..].find('>') else {
            break;
        };
        let content = start + gt + 1;
        let Some(end) = rest[content..].find(&close) else {
            break;
        };
        out.push(plain(&rest[content..content + end]));
        rest = &rest[content + end..];
    }
    out.join(" | ")
}

/// Text without tags and with the renderer's entities decoded; no-break spaces stay visible as
/// `~` so the Russian number format is compared too.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#34;", "\"")
        .replace("&nbsp;", "~")
        .replace('\u{a0}', "~")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
