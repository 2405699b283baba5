//! The machine-readable summary of an analysis: what `stocklens analyze --json` prints and what
//! a worker stores beside the report. Field names are a contract; keep them stable.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::plugin::types::Date;

/// The JSON summary.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub files: Vec<FileSummary>,
    /// Sum of units over the selected sales.
    pub sales: i64,
    /// Exact revenue per ISO 4217 currency, as decimal strings.
    pub revenue: BTreeMap<String, String>,
    /// Distinct assets among the selected sales.
    pub assets: u64,
    /// First and last day with a selected sale.
    pub period: Option<PeriodSummary>,
    /// `id@version` of every report generator, in report order.
    pub analyzers: Vec<String>,
    /// The report generators' findings, in the report's language, most important first (see
    /// `ReportDocument::ranked_highlights`); the bot's summary message lists the first three.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<String>,
    /// Where the report was written.
    pub report: Option<String>,
}

/// One input file.
#[derive(Clone, Debug, Serialize)]
pub struct FileSummary {
    pub path: String,
    /// The parser id.
    pub marketplace: String,
    /// `id@version`.
    pub parser: String,
    pub confidence: u8,
    /// The parser's reason for its confidence.
    pub reason: String,
    /// The text encoding the file was read in.
    pub encoding: String,
    pub rows: u64,
    pub rows_skipped: u64,
    /// The first row warnings.
    pub warnings: Vec<Warning>,
    pub warnings_total: u64,
    /// Set when the file's content equals an earlier input's: it is not counted again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
}

/// A row the parser skipped or repaired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub line: u64,
    pub message: String,
}

/// A range of days, as YYYY-MM-DD.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodSummary {
    pub from: String,
    pub to: String,
}

impl PeriodSummary {
    pub fn from_range((from, to): (Date, Date)) -> PeriodSummary {
        PeriodSummary {
            from: iso_date(from),
            to: iso_date(to),
        }
    }
}

/// `2025-07-31`.
pub fn iso_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
}

/// Reads what [`iso_date`] writes; `None` for anything else or a day the month lacks.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    let date: jiff::civil::Date = text.parse().ok()?;
    Some(Date {
        year: u16::try_from(date.year()).ok()?,
        month: u8::try_from(date.month()).ok()?,
        day: u8::try_from(date.day()).ok()?,
    })
}

/// Exact decimal text of an amount in micros: at least two decimals, more only when they are
/// not zero (`1234.5` → `"1234.50"`, `0.0009` stays `"0.0009"`).
pub fn format_micros(micros: i128) -> String {
    let mut text = String::new();
    if micros < 0 {
        text.push('-');
    }
    let abs = micros.unsigned_abs();
    let whole = abs / 1_000_000;
    let mut fraction = format!("{:06}", abs % 1_000_000);
    while fraction.len() > 2 && fraction.ends_with('0') {
        fraction.pop();
    }
    let _ = write!(text, "{whole}.{fraction}");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micros_print_exactly() {
        assert_eq!(format_micros(123_450_000), "123.45");
        assert_eq!(format_micros(900), "0.0009");
        assert_eq!(format_micros(-300_000), "-0.30");
        assert_eq!(format_micros(0), "0.00");
        assert_eq!(format_micros(1), "0.000001");
        assert_eq!(
            format_micros(i128::from(i64::MAX) * 4),
            "36893488147419.103228"
        );
    }
}
