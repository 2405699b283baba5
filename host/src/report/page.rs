//! The page's view model: the report document turned into display strings and anchors, ready
//! for the askama template `templates/report.html`.
//!
//! All formatting for the reader's locale happens here (through `locale`), so the template only
//! places text; askama escapes every string it prints. The only markup built in Rust is the
//! chart SVG from `chart`, which escapes its own text. This module must not know how the page
//! looks: classes name what a thing is, the stylesheet decides how it looks.

use std::collections::HashSet;
use std::fmt;

use askama::Template;

use super::chart::{self, NARROW, SERIES_COLOURS, WIDE};
use super::locale::{self, Texts};
use super::model::{Block, Chart, Lang, Note, NoteLevel, ReportDocument, Table, Value};

/// The page shows this many highlights at most, the most important first.
const MAX_HIGHLIGHTS: usize = 6;

/// A text column whose longest cell has more characters than this wraps its text in a wider
/// column; shorter text columns stay on one line. About a short phrase: "Icon set 12", "photo".
const LONG_TEXT_CHARS: usize = 24;

/// KPI values longer than these many characters get smaller fonts (`long`, `longer`,
/// `longest`), so an amount like "12 345 678,90 $" still fits a half-width card on a phone.
const KPI_VALUE_STEPS: [(usize, &str); 3] = [(14, "longest"), (12, "longer"), (9, "long")];

/// Prefix of every section anchor, keeping them apart from the page's own (`contents`,
/// `sources`...).
const SECTION_ANCHOR_PREFIX: &str = "sec-";

#[derive(Template)]
#[template(path = "report.html")]
pub(super) struct Page<'a> {
    pub lang: &'static str,
    pub t: &'static Texts,
    pub period: String,
    pub content_type: &'a str,
    pub generated_on: String,
    pub highlights: Vec<NoteView<'a>>,
    pub sections: Vec<SectionView<'a>>,
    pub files: Vec<FileView<'a>>,
    pub warnings: Vec<WarningView<'a>>,
    /// "and 12 more", when the document lists fewer warnings than there were.
    pub more_warnings: Option<String>,
    pub parsers: Vec<&'a str>,
    pub analyzers: Vec<&'a str>,
}

pub(super) struct NoteView<'a> {
    /// CSS class for the level: `info`, `good`, `warning`.
    pub class: &'static str,
    /// The level in words, for screen readers (sighted readers see the colour).
    pub level: &'static str,
    pub text: &'a str,
}

pub(super) struct SectionView<'a> {
    /// Unique on the page, even when two analyzers use the same section id.
    pub anchor: String,
    pub title: &'a str,
    pub blocks: Vec<BlockView<'a>>,
}

pub(super) enum BlockView<'a> {
    Kpis(Vec<KpiView<'a>>),
    Table(TableView<'a>),
    Chart(ChartView<'a>),
    Note(NoteView<'a>),
}

pub(super) struct KpiView<'a> {
    pub label: &'a str,
    pub value: String,
    /// CSS class sizing the value by its length: empty, `long`, `longer` or `longest`.
    pub size: &'static str,
    pub note: Option<&'a str>,
}

pub(super) struct TableView<'a> {
    pub title: Option<&'a str>,
    pub columns: Vec<ColumnView<'a>>,
    pub rows: Vec<Vec<CellView>>,
}

pub(super) struct ColumnView<'a> {
    pub name: &'a str,
    /// Right-aligned: every non-empty cell in the column is a number.
    pub numeric: bool,
}

impl ColumnView<'_> {
    /// CSS class of the heading: `num` to align with its numbers, `long` when one word of the
    /// name is too long to leave unbroken, else none.
    pub fn class(&self) -> &'static str {
        if self.numeric {
            "num"
        } else if has_long_word(self.name) {
            "long"
        } else {
            ""
        }
    }
}

fn has_long_word(text: &str) -> bool {
    text.split_whitespace()
        .any(|word| word.chars().count() > LONG_TEXT_CHARS)
}

pub(super) struct CellView {
    pub text: String,
    /// CSS class: `num` (right-aligned, one line), `text` (one line) or `long` (wraps).
    pub class: &'static str,
}

pub(super) struct ChartView<'a> {
    pub title: &'a str,
    /// Nothing to draw: the page says so instead of showing an empty picture.
    pub empty: bool,
    /// Shown only for charts with more than one series.
    pub legend: Vec<LegendView<'a>>,
    /// SVG markup, already escaped.
    pub narrow: String,
    pub wide: String,
    /// The same numbers as the picture, for reading exact values and for screen readers.
    pub numbers: TableView<'a>,
}

pub(super) struct LegendView<'a> {
    pub name: &'a str,
    pub colour: usize,
}

pub(super) struct FileView<'a> {
    pub name: &'a str,
    pub marketplace: &'a str,
    pub parser: &'a str,
    pub rows: String,
    pub rows_skipped: String,
}

pub(super) struct WarningView<'a> {
    pub file: &'a str,
    /// Empty for a warning about the whole file (line 0 in the model).
    pub line: String,
    pub message: &'a str,
}

impl<'a> Page<'a> {
    pub(super) fn new(doc: &'a ReportDocument) -> Result<Self, fmt::Error> {
        let lang = doc.lang;
        let t = locale::texts(lang);
        let period = match doc.period {
            Some((first, last)) => format!(
                "{} – {}",
                locale::date(lang, first),
                locale::date(lang, last)
            ),
            None => t.no_period.to_owned(),
        };

        let mut used_anchors = HashSet::new();
        let mut sections = Vec::new();
        for analysis in &doc.analyses {
            let analyzer_id = analysis
                .analyzer
                .split_once('@')
                .map_or(analysis.analyzer.as_str(), |(id, _)| id);
            for section in &analysis.sections {
                let blocks = section
                    .blocks
                    .iter()
                    .map(|block| block_view(lang, t, block))
                    .collect::<Result<_, _>>()?;
                let title = if section.title.trim().is_empty() {
                    section.id.as_str()
                } else {
                    section.title.as_str()
                };
                sections.push(SectionView {
                    anchor: anchor(analyzer_id, &section.id, &mut used_anchors),
                    title,
                    blocks,
                });
            }
        }

        let files = doc
            .files
            .iter()
            .map(|file| FileView {
                name: &file.name,
                marketplace: &file.marketplace,
                parser: &file.parser,
                rows: locale::integer(lang, saturating_i64(file.rows)),
                rows_skipped: locale::integer(lang, saturating_i64(file.rows_skipped)),
            })
            .collect();
        let warnings = doc
            .warnings
            .iter()
            .map(|warning| WarningView {
                file: &warning.file,
                // Line numbers are read like names ("line 1037"), not amounts: no grouping.
                line: match warning.line {
                    0 => String::new(),
                    line => line.to_string(),
                },
                message: &warning.message,
            })
            .collect();
        let listed = u64::try_from(doc.warnings.len()).unwrap_or(u64::MAX);
        let more_warnings = (doc.warnings_total > listed).then(|| {
            let more = locale::integer(lang, saturating_i64(doc.warnings_total - listed));
            format!("{}{more}{}", t.more_before, t.more_after)
        });

        Ok(Page {
            lang: lang.tag(),
            t,
            period,
            content_type: &doc.content_type,
            generated_on: locale::date(lang, doc.generated_on),
            highlights: highlights(doc, t),
            sections,
            files,
            warnings,
            more_warnings,
            parsers: distinct(doc.files.iter().map(|file| file.parser.as_str())),
            analyzers: distinct(doc.analyses.iter().map(|a| a.analyzer.as_str())),
        })
    }

    /// A guess at the page size, so it is written into one allocation.
    pub(super) fn size_hint(&self) -> usize {
        const BASE: usize = 24 * 1024;
        const PER_CELL: usize = 48;
        let blocks: usize = self
            .sections
            .iter()
            .flat_map(|section| &section.blocks)
            .map(|block| match block {
                BlockView::Kpis(kpis) => kpis.len() * 200,
                BlockView::Table(table) => table_size(table, PER_CELL),
                BlockView::Chart(chart) => {
                    chart.narrow.len() + chart.wide.len() + table_size(&chart.numbers, PER_CELL)
                }
                BlockView::Note(note) => note.text.len() + 100,
            })
            .sum();
        BASE + blocks + (self.files.len() + self.warnings.len()) * 200
    }
}

fn table_size(table: &TableView<'_>, per_cell: usize) -> usize {
    table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| cell.text.len() + per_cell)
                .sum::<usize>()
        })
        .sum()
}

fn saturating_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Keeps the first occurrence of each string, in order.
fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    items.filter(|item| seen.insert(*item)).collect()
}

/// The head of the ranked highlights (see [`ReportDocument::ranked_highlights`]).
fn highlights<'a>(doc: &'a ReportDocument, t: &'static Texts) -> Vec<NoteView<'a>> {
    doc.ranked_highlights()
        .into_iter()
        .take(MAX_HIGHLIGHTS)
        .map(|note| note_view(t, note))
        .collect()
}

fn note_view<'a>(t: &'static Texts, note: &'a Note) -> NoteView<'a> {
    let (class, level) = match note.level {
        NoteLevel::Info => ("info", t.note_info),
        NoteLevel::Good => ("good", t.note_good),
        NoteLevel::Warning => ("warning", t.note_warning),
    };
    NoteView {
        class,
        level,
        text: &note.text,
    }
}

/// `sec-{analyzer}-{section}` with anything but ASCII letters, digits, `-` and `_` replaced,
/// made unique with a `-2`, `-3`... suffix.
fn anchor(analyzer: &str, section: &str, used: &mut HashSet<String>) -> String {
    let mut base =
        String::with_capacity(SECTION_ANCHOR_PREFIX.len() + analyzer.len() + section.len() + 1);
    base.push_str(SECTION_ANCHOR_PREFIX);
    push_slug(&mut base, analyzer);
    base.push('-');
    push_slug(&mut base, section);
    let mut candidate = base.clone();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    candidate
}

fn push_slug(out: &mut String, text: &str) {
    let start = out.len();
    for c in text.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' {
            c.to_ascii_lowercase()
        } else {
            '-'
        };
        if c != '-' || (out.len() > start && !out.ends_with('-')) {
            out.push(c);
        }
    }
    while out.len() > start && out.ends_with('-') {
        out.pop();
    }
    if out.len() == start {
        out.push('x');
    }
}

fn block_view<'a>(
    lang: Lang,
    t: &'static Texts,
    block: &'a Block,
) -> Result<BlockView<'a>, fmt::Error> {
    Ok(match block {
        Block::Kpis(kpis) => BlockView::Kpis(
            kpis.iter()
                .map(|kpi| {
                    let value = locale::value(lang, &kpi.value);
                    let chars = value.chars().count();
                    let size = KPI_VALUE_STEPS
                        .iter()
                        .find(|(above, _)| chars > *above)
                        .map_or("", |(_, class)| class);
                    KpiView {
                        label: &kpi.label,
                        value,
                        size,
                        note: kpi.note.as_deref(),
                    }
                })
                .collect(),
        ),
        Block::Table(table) => BlockView::Table(table_view(lang, table)),
        Block::Chart(chart) => BlockView::Chart(chart_view(lang, chart)?),
        Block::Note(note) => BlockView::Note(note_view(t, note)),
    })
}

fn table_view<'a>(lang: Lang, table: &'a Table) -> TableView<'a> {
    // Rows longer than the header still get a column each, under an empty heading.
    let width = table
        .rows
        .iter()
        .map(Vec::len)
        .chain([table.columns.len()])
        .max()
        .unwrap_or(0);
    let mut columns: Vec<ColumnView<'a>> = (0..width)
        .map(|i| ColumnView {
            name: table.columns.get(i).map_or("", String::as_str),
            numeric: false,
        })
        .collect();
    for (i, column) in columns.iter_mut().enumerate() {
        let mut cells = table.rows.iter().filter_map(|row| row.get(i));
        let mut any = false;
        column.numeric = cells.all(|cell| {
            any |= locale::is_numeric(cell);
            locale::is_numeric(cell) || *cell == Value::Empty
        }) && any;
    }
    let rows: Vec<Vec<(String, bool)>> = table
        .rows
        .iter()
        .map(|row| {
            (0..width)
                .map(|i| match row.get(i) {
                    Some(value) => (
                        locale::value(lang, value),
                        locale::is_numeric(value) || (*value == Value::Empty && columns[i].numeric),
                    ),
                    None => (String::new(), columns[i].numeric),
                })
                .collect()
        })
        .collect();
    let long: Vec<bool> = (0..width)
        .map(|i| {
            rows.iter()
                .filter_map(|row| row.get(i))
                .any(|(text, _)| text.chars().count() > LONG_TEXT_CHARS)
        })
        .collect();
    let rows = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .zip(&long)
                .map(|((text, numeric), &long)| CellView {
                    text,
                    class: cell_class(numeric, long),
                })
                .collect()
        })
        .collect();
    TableView {
        title: table.title.as_deref(),
        columns,
        rows,
    }
}

fn cell_class(numeric: bool, long_column: bool) -> &'static str {
    match (numeric, long_column) {
        (true, _) => "num",
        (false, false) => "text",
        (false, true) => "long",
    }
}

fn chart_view<'a>(lang: Lang, chart: &'a Chart) -> Result<ChartView<'a>, fmt::Error> {
    let empty = chart::is_empty(chart);
    let (narrow, wide) = if empty {
        (String::new(), String::new())
    } else {
        (
            chart::svg(chart, lang, &NARROW)?,
            chart::svg(chart, lang, &WIDE)?,
        )
    };
    let legend = if chart.series.len() > 1 {
        chart
            .series
            .iter()
            .enumerate()
            .map(|(i, series)| LegendView {
                name: &series.name,
                colour: i % SERIES_COLOURS,
            })
            .collect()
    } else {
        Vec::new()
    };

    let columns = std::iter::once(ColumnView {
        name: "",
        numeric: false,
    })
    .chain(chart.series.iter().map(|series| ColumnView {
        name: &series.name,
        numeric: true,
    }))
    .collect();
    let labels: Vec<String> = chart
        .labels
        .iter()
        .map(|label| locale::value(lang, label))
        .collect();
    let long = labels
        .iter()
        .any(|label| label.chars().count() > LONG_TEXT_CHARS);
    let rows = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let values = chart.series.iter().map(|series| CellView {
                text: series
                    .values
                    .get(i)
                    .filter(|v| v.is_finite())
                    .map_or_else(String::new, |v| chart::format_value(lang, &chart.unit, *v)),
                class: "num",
            });
            std::iter::once(CellView {
                text: label,
                class: cell_class(false, long),
            })
            .chain(values)
            .collect()
        })
        .collect();
    Ok(ChartView {
        title: &chart.title,
        empty,
        legend,
        narrow,
        wide,
        numbers: TableView {
            title: None,
            columns,
            rows,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_slugs_unique_across_analyzers() {
        let mut used = HashSet::new();
        assert_eq!(
            anchor("overview", "totals", &mut used),
            "sec-overview-totals"
        );
        assert_eq!(
            anchor("overview", "totals", &mut used),
            "sec-overview-totals-2"
        );
        assert_eq!(
            anchor("overview", "totals", &mut used),
            "sec-overview-totals-3"
        );
        assert_eq!(
            anchor("Top Assets!", "by <country>", &mut used),
            "sec-top-assets-by-country"
        );
        assert_eq!(anchor("", "\"'", &mut used), "sec-x-x");
        assert_eq!(anchor("a", "Продажи", &mut used), "sec-a-x");
    }

    #[test]
    fn highlights_take_turns_between_analyzers_warnings_first() {
        use crate::report::model::{AnalyzerReport, Date};
        let note = |text: &str| Note {
            level: match text {
                "c2" => NoteLevel::Warning,
                "b1" | "a3" => NoteLevel::Good,
                _ => NoteLevel::Info,
            },
            text: text.into(),
        };
        let analysis = |name: &str, notes: Vec<Note>| AnalyzerReport {
            analyzer: format!("{name}@1.0.0"),
            sections: vec![],
            highlights: notes,
        };
        let doc = ReportDocument {
            lang: Lang::En,
            period: None,
            content_type: "all".into(),
            generated_on: Date {
                year: 2025,
                month: 8,
                day: 1,
            },
            files: vec![],
            analyses: vec![
                analysis("a", (1..=9).map(|i| note(&format!("a{i}"))).collect()),
                analysis("b", vec![note("b1")]),
                analysis("c", vec![note("c1"), note("c2")]),
            ],
            warnings: vec![],
            warnings_total: 0,
        };
        let texts: Vec<&str> = highlights(&doc, locale::texts(Lang::En))
            .iter()
            .map(|n| n.text)
            .collect();
        // In turns: a1 b1 c1 a2 c2 a3 a4...; then by level, keeping that order within a level.
        assert_eq!(texts, ["c2", "b1", "a3", "a1", "c1", "a2"]);
    }

    #[test]
    fn table_columns_of_numbers_are_numeric_and_short_rows_are_padded() {
        let table = Table {
            title: None,
            columns: vec!["Asset".into(), "Sales".into()],
            rows: vec![
                vec![Value::Text("a".into()), Value::Integer(3)],
                vec![
                    Value::Text("b".into()),
                    Value::Empty,
                    Value::Text("extra".into()),
                ],
                vec![Value::Text("c".into())],
            ],
        };
        let view = table_view(Lang::En, &table);
        let numeric: Vec<bool> = view.columns.iter().map(|c| c.numeric).collect();
        assert_eq!(numeric, [false, true, false]);
        let classes: Vec<&str> = view.rows[1].iter().map(|c| c.class).collect();
        assert_eq!(classes, ["text", "num", "text"]);
        assert_eq!(view.columns[1].class(), "num");
        assert_eq!(view.columns[0].class(), "");
        let long = ColumnView {
            name: "a_file_name_without_any_spaces_in_it.csv",
            numeric: false,
        };
        assert_eq!(long.class(), "long");
        assert!(view.rows.iter().all(|row| row.len() == 3));
        assert_eq!(view.columns[2].name, "");
    }
}
