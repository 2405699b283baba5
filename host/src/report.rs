//! The report renderer: turns a [`ReportDocument`] into one self-contained HTML file.
//!
//! The file carries its own CSS and inline SVG charts, has no scripts and refers to nothing
//! outside itself (its Content-Security-Policy forbids loading anything), so it can be sent as
//! a Telegram document and opened offline on a phone, in a desktop browser, or printed.
//! The renderer knows nothing of Telegram, HTTP or plugins: it only reads the model.
//!
//! Layout: `model` is the input; `locale` holds the fixed texts and number, money and date
//! formats for each language; `page` builds the view model the askama template
//! `templates/report.html` prints; `chart` draws the SVG charts; `escape` escapes the text in
//! markup built in Rust.

pub mod model;

mod chart;
mod escape;
pub(crate) mod locale;
mod page;

use askama::Template;

use model::ReportDocument;

/// Rendering failed. With the model's plain data this does not happen in practice; it exists
/// because the template engine reports formatting failures rather than panicking.
#[derive(Debug, thiserror::Error)]
#[error("could not render the HTML report")]
pub struct RenderError(#[from] askama::Error);

impl From<std::fmt::Error> for RenderError {
    fn from(error: std::fmt::Error) -> Self {
        RenderError(askama::Error::from(error))
    }
}

/// Renders the whole report as one HTML page in the document's language.
pub fn render_html(doc: &ReportDocument) -> Result<String, RenderError> {
    let page = page::Page::new(doc)?;
    let mut html = String::with_capacity(page.size_hint());
    page.render_into(&mut html)?;
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::model::*;
    use super::*;

    fn date(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    fn usd(micros: i64) -> Value {
        Value::Money(Money {
            micros,
            currency: "USD".into(),
        })
    }

    const EVIL: &str = r#"<script>alert(1)</script> "quoted" & 'single' <b>bold</b>"#;

    /// A small document touching every block kind, with hostile strings in every plugin field.
    fn sample(lang: Lang) -> ReportDocument {
        let months: Vec<Value> = (1..=12).map(|m| Value::Month(date(2025, m, 1))).collect();
        ReportDocument {
            lang,
            period: Some((date(2025, 1, 1), date(2025, 12, 31))),
            content_type: EVIL.into(),
            generated_on: date(2026, 1, 2),
            files: vec![SourceFile {
                name: format!("{EVIL}.csv"),
                marketplace: "Adobe Stock".into(),
                parser: "adobe-stock@1.2.0".into(),
                rows: 12_345,
                rows_skipped: 2,
            }],
            analyses: vec![
                AnalyzerReport {
                    analyzer: "overview@1.0.0".into(),
                    sections: vec![
                        Section {
                            id: "totals".into(),
                            title: EVIL.into(),
                            blocks: vec![
                                Block::Kpis(vec![
                                    Kpi {
                                        label: EVIL.into(),
                                        value: usd(1_234_500_000),
                                        note: Some(EVIL.into()),
                                    },
                                    Kpi {
                                        label: "Sales".into(),
                                        value: Value::Integer(4_321),
                                        note: None,
                                    },
                                ]),
                                Block::Note(Note {
                                    level: NoteLevel::Warning,
                                    text: EVIL.into(),
                                }),
                                Block::Chart(Chart {
                                    title: EVIL.into(),
                                    kind: ChartKind::Columns,
                                    unit: ChartUnit::Money("USD".into()),
                                    labels: months.clone(),
                                    series: vec![Series {
                                        name: EVIL.into(),
                                        values: (1..=12).map(|m| f64::from(m) * 1.5e6).collect(),
                                    }],
                                }),
                                Block::Chart(Chart {
                                    title: "Nothing yet".into(),
                                    kind: ChartKind::Line,
                                    unit: ChartUnit::Count,
                                    labels: vec![],
                                    series: vec![],
                                }),
                            ],
                        },
                        // Same id twice: anchors must still be unique.
                        Section {
                            id: "totals".into(),
                            title: "Totals again".into(),
                            blocks: vec![Block::Table(Table {
                                title: Some(EVIL.into()),
                                columns: vec![EVIL.into(), "Earnings".into()],
                                rows: vec![
                                    vec![Value::Text(EVIL.into()), usd(900)],
                                    vec![Value::Date(date(2025, 7, 31)), usd(-3_000_000)],
                                ],
                            })],
                        },
                    ],
                    highlights: vec![Note {
                        level: NoteLevel::Good,
                        text: EVIL.into(),
                    }],
                },
                AnalyzerReport {
                    analyzer: "top-assets@2.1.0".into(),
                    sections: vec![Section {
                        id: "totals".into(),
                        title: "Top assets".into(),
                        blocks: vec![Block::Chart(Chart {
                            title: "Top".into(),
                            kind: ChartKind::Bars,
                            unit: ChartUnit::Percent,
                            labels: vec![Value::Text(EVIL.into()), Value::Text("b".into())],
                            series: vec![
                                Series {
                                    name: "2024".into(),
                                    values: vec![12.5, 3.0],
                                },
                                Series {
                                    name: "2025".into(),
                                    values: vec![20.0, 1.0],
                                },
                            ],
                        })],
                    }],
                    highlights: vec![],
                },
            ],
            warnings: vec![RowWarning {
                file: "sales.csv".into(),
                line: 17,
                message: EVIL.into(),
            }],
            warnings_total: 40,
        }
    }

    fn render(lang: Lang) -> String {
        render_html(&sample(lang)).unwrap()
    }

    /// The values of every `name="..."` attribute in the page.
    fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
        let needle = format!(" {name}=\"");
        html.match_indices(&needle)
            .filter_map(|(at, _)| {
                let rest = &html[at + needle.len()..];
                rest.find('"').map(|end| &rest[..end])
            })
            .collect()
    }

    #[test]
    fn both_languages_render_a_complete_page() {
        for (lang, contents, title) in [
            (Lang::En, "Contents", "Stocklens report"),
            (Lang::Ru, "Содержание", "Отчёт Stocklens"),
        ] {
            let html = render(lang);
            assert!(html.starts_with("<!DOCTYPE html>"));
            assert!(html.contains(&format!(r#"<html lang="{}">"#, lang.tag())));
            assert!(html.contains(contents));
            assert!(html.contains(title));
            assert!(html.trim_end().ends_with("</html>"));
        }
        let ru = render(Lang::Ru);
        assert!(ru.contains("1\u{a0}234,50\u{a0}$"));
        assert!(ru.contains("и ещё 39"));
        let en = render(Lang::En);
        assert!(en.contains("$1,234.50"));
        assert!(en.contains("€") || en.contains("$0.0009"));
        assert!(en.contains("-$3.00"));
        assert!(en.contains("and 39 more"));
    }

    #[test]
    fn the_page_is_self_contained_and_script_free() {
        for lang in [Lang::En, Lang::Ru] {
            let html = render(lang);
            let lower = html.to_lowercase();
            assert!(!lower.contains("<script"), "a script tag slipped through");
            assert!(!lower.contains("javascript:"));
            assert!(!html.contains("://"), "no URL of any kind");
            assert!(attribute_values(&html, "src").is_empty());
            for href in attribute_values(&html, "href") {
                assert!(
                    href.starts_with('#') && !href.starts_with("#/"),
                    "off-page link {href}"
                );
            }
            assert!(
                !lower.contains("<link") && !lower.contains("<img") && !lower.contains("@import")
            );
            assert!(html.contains(
                r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#
            ));
            assert!(html.contains(
                r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
            ));
            assert!(html.contains(r#"<meta charset="utf-8">"#));
        }
    }

    #[test]
    fn every_contents_link_has_exactly_one_target() {
        let html = render(Lang::En);
        let ids = attribute_values(&html, "id");
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
        let hrefs = attribute_values(&html, "href");
        // 4 sections, sources, warnings, and the way back to the contents.
        assert!(hrefs.len() >= 6, "{hrefs:?}");
        for href in hrefs {
            let target = &href[1..];
            assert!(ids.contains(&target), "no element with id {target}");
        }
        assert!(ids.contains(&"sec-overview-totals"));
        assert!(ids.contains(&"sec-overview-totals-2"));
        assert!(ids.contains(&"sec-top-assets-totals"));
    }

    #[test]
    fn plugin_strings_are_escaped_in_html_and_svg() {
        let html = render(Lang::En);
        assert!(!html.contains("<b>"));
        assert!(!html.contains("'single'"));
        assert!(!html.contains("\"quoted\""));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let svg_start = html.find("<svg").unwrap();
        let svg = &html[svg_start..html[svg_start..].find("</svg>").unwrap() + svg_start];
        assert!(svg.contains(
            "<title>&lt;script&gt;alert(1)&lt;/script&gt; &#34;quoted&#34; &amp; &#39;single&#39; &lt;b&gt;bold&lt;/b&gt;</title>"
        ));
    }

    #[test]
    fn charts_come_with_their_numbers_and_empty_ones_say_so() {
        let html = render(Lang::En);
        assert_eq!(
            html.matches("<svg ").count(),
            4,
            "two layouts for each non-empty chart"
        );
        assert_eq!(html.matches("<details").count(), 2);
        assert!(html.contains("No data for this chart."));
        assert!(html.contains(r#"class="legend""#));
        assert!(
            html.contains("$18.00"),
            "the numbers table has exact values"
        );
    }

    #[test]
    fn sources_warnings_and_plugin_versions_are_listed() {
        let html = render(Lang::En);
        assert!(html.contains("adobe-stock@1.2.0"));
        assert!(html.contains("overview@1.0.0"));
        assert!(html.contains("top-assets@2.1.0"));
        assert!(html.contains("12,345"));
        assert!(html.contains("sales.csv"));
        let no_warnings = ReportDocument {
            warnings: vec![],
            warnings_total: 0,
            analyses: vec![],
            ..sample(Lang::En)
        };
        let html = render_html(&no_warnings).unwrap();
        assert!(html.contains("No row warnings."));
        assert!(html.contains("The analyzers found nothing to report"));
    }

    #[test]
    fn a_large_report_renders_in_milliseconds() {
        let mut doc = sample(Lang::Ru);
        let rows: Vec<Vec<Value>> = (0..500)
            .map(|i| {
                vec![
                    Value::Text(format!("asset {i}")),
                    Value::Integer(i),
                    usd(i * 1_234_567),
                    Value::Percent(i as f64 / 7.0),
                ]
            })
            .collect();
        let section = Section {
            id: "big".into(),
            title: "Big".into(),
            blocks: vec![Block::Table(Table {
                title: None,
                columns: vec!["a".into(), "b".into(), "c".into(), "d".into()],
                rows,
            })],
        };
        doc.analyses[0].sections.push(section);
        let started = std::time::Instant::now();
        let html = render_html(&doc).unwrap();
        let took = started.elapsed();
        assert!(html.len() > 50_000);
        // Generous for unoptimized test builds on a busy machine; release takes about 1 ms.
        assert!(took.as_millis() < 200, "took {took:?}");
    }
}
