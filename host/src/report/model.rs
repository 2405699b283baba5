//! The host's own model of a report: what analyzers return, independent of the WIT version
//! they were built against, plus what the host itself knows about the run.
//!
//! The plugin runtime converts each WIT version's report types into these; the renderer only
//! ever sees these. Nothing here is formatted: numbers stay numbers until the renderer formats
//! them for the reader's locale.

use serde::Serialize;

/// The reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    /// The BCP 47 tag passed to plugins and written into `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }
}

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// An exact amount of money: millionths of the currency's main unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Money {
    pub micros: i64,
    /// ISO 4217 code, upper case.
    pub currency: String,
}

/// One value in a KPI card or a table cell.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Value {
    Empty,
    Text(String),
    Integer(i64),
    Number(f64),
    /// 12.5 means 12.5 %.
    Percent(f64),
    Money(Money),
    Date(Date),
    /// A calendar month; the day is ignored.
    Month(Date),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kpi {
    pub label: String,
    pub value: Value,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    pub title: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ChartKind {
    /// Vertical bars over a sequence.
    Columns,
    /// Horizontal bars, one per category.
    Bars,
    Line,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ChartUnit {
    Count,
    Percent,
    /// Values are micros of this ISO 4217 currency.
    Money(String),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chart {
    pub title: String,
    pub kind: ChartKind,
    pub unit: ChartUnit,
    pub labels: Vec<Value>,
    pub series: Vec<Series>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NoteLevel {
    Info,
    Good,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Note {
    pub level: NoteLevel,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Block {
    Kpis(Vec<Kpi>),
    Table(Table),
    Chart(Chart),
    Note(Note),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section {
    /// Stable anchor within the analyzer's output; the renderer prefixes it to keep anchors
    /// unique across analyzers.
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// What one analyzer returned.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnalyzerReport {
    /// `id@version` of the analyzer that made it.
    pub analyzer: String,
    pub sections: Vec<Section>,
    pub highlights: Vec<Note>,
}

/// One input file as the report's header lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceFile {
    /// File name without directories.
    pub name: String,
    /// Marketplace display name, e.g. "Adobe Stock".
    pub marketplace: String,
    /// `id@version` of the parser that read it.
    pub parser: String,
    pub rows: u64,
    pub rows_skipped: u64,
}

/// A warning about one row of one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowWarning {
    pub file: String,
    /// 1-based line, or 0 for a warning about the whole file.
    pub line: u64,
    pub message: String,
}

/// Everything the renderer needs to write one report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportDocument {
    pub lang: Lang,
    /// The selected period, first and last day, when there were sales in it.
    pub period: Option<(Date, Date)>,
    /// The content-type filter in words ("all", "photo"...), already localized by the caller.
    pub content_type: String,
    /// When the report was made (UTC date).
    pub generated_on: Date,
    pub files: Vec<SourceFile>,
    pub analyses: Vec<AnalyzerReport>,
    /// The first row warnings (the renderer shows at most what it is given).
    pub warnings: Vec<RowWarning>,
    /// Total warnings, including those not listed.
    pub warnings_total: u64,
}

impl ReportDocument {
    /// Every analyzer's highlights, most important first: taken in turns (the first of every
    /// analyzer, then the second of every analyzer...) so one talkative analyzer cannot crowd out
    /// the others, then warnings before good news before plain information, keeping that order
    /// within each level. The page's highlights and the chat summary's findings are the head of
    /// this list.
    pub fn ranked_highlights(&self) -> Vec<&Note> {
        let rounds = self
            .analyses
            .iter()
            .map(|a| a.highlights.len())
            .max()
            .unwrap_or(0);
        let mut notes: Vec<&Note> = (0..rounds)
            .flat_map(|round| {
                self.analyses
                    .iter()
                    .filter_map(move |a| a.highlights.get(round))
            })
            .collect();
        notes.sort_by_key(|note| match note.level {
            NoteLevel::Warning => 0,
            NoteLevel::Good => 1,
            NoteLevel::Info => 2,
        });
        notes
    }
}
