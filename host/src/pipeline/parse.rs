//! One file through decode → detect → parse, its sales handed to a sink batch by batch: the part
//! of the pipeline that [`analyze`](super::analyze) and [`inspect`](super::inspect) share.
//!
//! It keeps nothing per sale: what happens to the sales is the sink's business (a channel to the
//! report generators, or a few counters), so memory stays flat whatever the file size. It
//! refuses a file the same way for every caller: unreadable, not text, unknown or ambiguous
//! format, rejected by its parser, or too many unreadable rows.

use std::sync::Arc;

use std::io::Read;

use super::decode::{HEAD_BYTES, Opened, TextReader};
use super::detect::{self, Candidate, Chosen};
use super::summary::{self, Warning};
use super::workbook;
use super::{AnalyzeError, Input, InputProblem, WARNINGS_PER_FILE, selection};
use crate::plugin::parser_types::ParseError;
use crate::plugin::types::{Date, RowIssue, SaleBatch};
use crate::plugin::{Plugin, Registry, Runtime};

/// How one file is to be read.
#[derive(Clone, Copy, Debug)]
pub(super) struct ReadOptions<'a> {
    /// A parser id that overrides detection.
    pub marketplace: Option<&'a str>,
    /// The date sales are checked against for implausible dates.
    pub today: Date,
    /// Largest share of unreadable rows, in percent, before the file is refused.
    pub max_skipped_percent: u8,
}

/// Takes each batch of sales as it is parsed, with the id of the parser that read it. An error
/// stops the parse and is returned as it is.
pub(super) type Sink<'a> = dyn FnMut(&Arc<str>, SaleBatch) -> Result<(), AnalyzeError> + 'a;

/// What reading one file gave, besides the sales the sink saw.
#[derive(Debug)]
pub(super) struct FileRead {
    pub plugin: Arc<Plugin>,
    pub confidence: u8,
    pub reason: String,
    /// Other parsers that claimed the file too, best first; empty when the parser was forced.
    pub alternatives: Vec<Candidate>,
    /// The text encoding it was read in, or `XLSX` for a workbook.
    pub encoding: &'static str,
    pub rows: u64,
    pub rows_skipped: u64,
    /// The first [`WARNINGS_PER_FILE`] row warnings, then the implausible-date ones if room.
    pub warnings: Vec<Warning>,
    pub warnings_total: u64,
}

impl FileRead {
    /// The marketplace's display name, e.g. "Adobe Stock".
    pub fn marketplace(&self) -> String {
        self.plugin
            .info
            .marketplace
            .clone()
            .unwrap_or_else(|| self.plugin.info.name.clone())
    }
}

/// Decodes `input`, picks its parser and parses it, handing every batch of sales to `sink`.
pub(super) fn file(
    runtime: &Runtime,
    registry: &Registry,
    input: &Input,
    options: &ReadOptions<'_>,
    sink: &mut Sink<'_>,
) -> Result<FileRead, AnalyzeError> {
    let opened = TextReader::open(
        input
            .source
            .open()
            .map_err(|err| AnalyzeError::unreadable(input, err))?,
    )
    .map_err(|err| AnalyzeError::unreadable(input, err))?;
    let (mut reader, chosen, format) = match opened {
        Ok(Opened::Text(reader, head)) => {
            let chosen = detect::choose(
                runtime,
                registry,
                input,
                &[head.as_bytes()],
                options.marketplace,
            )?;
            let format = reader.encoding().name();
            (reader, chosen, format)
        }
        Ok(Opened::Workbook) => read_workbook(runtime, registry, input, options)?,
        Err(not_text) => {
            return Err(AnalyzeError::Input {
                file: input.name.clone(),
                problem: InputProblem::NotText(not_text),
            });
        }
    };
    let plugin = chosen.plugin;
    let mut parser = chosen.instance;
    let source: Arc<str> = Arc::from(plugin.info.id.as_str());
    let input_problem = |problem| AnalyzeError::Input {
        file: input.name.clone(),
        problem,
    };
    let rejected = |error: ParseError| {
        input_problem(InputProblem::Rejected {
            parser: plugin.label(),
            line: error.line,
            message: error.message,
        })
    };

    parser.begin(&input.name)?;
    let mut chunk = String::new();
    let mut warnings = Vec::new();
    let mut warnings_total = 0u64;
    let mut odd_dates = OddDates::new(options.today);
    let mut keep_issues = |issues: Vec<RowIssue>| {
        warnings_total += issues.len() as u64;
        for issue in issues {
            if warnings.len() < WARNINGS_PER_FILE {
                warnings.push(Warning {
                    line: issue.line,
                    message: issue.message,
                });
            }
        }
    };
    while reader
        .next_chunk(&mut chunk)
        .map_err(|err| read_failed(input, err))?
    {
        let batch = parser.feed(chunk.as_bytes())?.map_err(rejected)?;
        keep_issues(batch.issues);
        odd_dates.check(&batch.sales);
        if !batch.sales.sales.is_empty() {
            sink(&source, batch.sales)?;
        }
    }
    let (batch, totals) = parser.finish()?.map_err(rejected)?;
    keep_issues(batch.issues);
    odd_dates.check(&batch.sales);
    if !batch.sales.sales.is_empty() {
        sink(&source, batch.sales)?;
    }

    for warning in odd_dates.warnings() {
        warnings_total += 1;
        if warnings.len() < WARNINGS_PER_FILE {
            warnings.push(warning);
        }
    }
    if totals.rows > 0
        && totals.rows_skipped * 100 > totals.rows * u64::from(options.max_skipped_percent)
    {
        return Err(input_problem(InputProblem::TooManyBadRows {
            skipped: totals.rows_skipped,
            rows: totals.rows,
            limit_percent: options.max_skipped_percent,
            first: warnings.first().map(|w| (w.line, w.message.clone())),
        }));
    }
    Ok(FileRead {
        plugin,
        confidence: chosen.confidence,
        reason: chosen.reason,
        alternatives: chosen.alternatives,
        encoding: format,
        rows: totals.rows,
        rows_skipped: totals.rows_skipped,
        warnings,
        warnings_total,
    })
}

/// A read that failed: the file's, or a workbook's problem found further down its sheet.
fn read_failed(input: &Input, err: std::io::Error) -> AnalyzeError {
    match workbook::problem_of(&err) {
        Some(problem) => AnalyzeError::Input {
            file: input.name.clone(),
            problem: InputProblem::Workbook(problem.clone()),
        },
        None => AnalyzeError::unreadable(input, err),
    }
}

/// What a parse reads from: text decoded in chunks.
type Text<'a> = TextReader<Box<dyn Read + Send + 'a>>;

/// The delimiters a workbook's sheet is offered to parsers with, in order of preference.
const WORKBOOK_DELIMITERS: [u8; 2] = [b',', b'\t'];

/// Reads the first sheet of a workbook, lets the parsers choose how it is delimited, and
/// returns it as text in that form.
fn read_workbook<'a>(
    runtime: &Runtime,
    registry: &Registry,
    input: &'a Input,
    options: &ReadOptions<'_>,
) -> Result<(Text<'a>, Chosen, &'static str), AnalyzeError> {
    let source = input
        .source
        .open_seekable()
        .map_err(|err| AnalyzeError::unreadable(input, err))?;
    let sheet =
        workbook::open(source, workbook::Limits::DEFAULT, HEAD_BYTES).map_err(|problem| {
            AnalyzeError::Input {
                file: input.name.clone(),
                problem: InputProblem::Workbook(problem),
            }
        })?;
    let heads = WORKBOOK_DELIMITERS.map(|delimiter| sheet.head(delimiter, HEAD_BYTES));
    let chosen = detect::choose(
        runtime,
        registry,
        input,
        &[&heads[0], &heads[1]],
        options.marketplace,
    )?;
    let text: Box<dyn Read + Send> = Box::new(sheet.render(WORKBOOK_DELIMITERS[chosen.view]));
    match TextReader::open(text).map_err(|err| read_failed(input, err))? {
        Ok(Opened::Text(reader, _)) => Ok((reader, chosen, "XLSX")),
        // Rendered cells are UTF-8 without NULs (XML cannot carry them): always text.
        _ => Err(AnalyzeError::Internal(format!(
            "{}: the workbook's sheet did not render as text",
            input.name
        ))),
    }
}

/// Sales dated before stock marketplaces existed as they do now, or well after today, are kept
/// but reported: they usually mean a date format was misread (day and month swapped, a
/// two-digit year).
struct OddDates {
    earliest_plausible: u32,
    latest_plausible: u32,
    too_old: (u64, Option<Date>),
    too_new: (u64, Option<Date>),
}

/// Sales before this year are warned about: the stock marketplaces whose exports we read
/// did not sell this way before it.
const EARLIEST_PLAUSIBLE_YEAR: u16 = 2000;

impl OddDates {
    fn new(today: Date) -> OddDates {
        // A year ahead of today: marketplaces date sales in their own time zone, and a
        // contributor's clock may be off, but never by a year.
        let next_year = Date {
            year: today.year.saturating_add(1),
            ..today
        };
        OddDates {
            earliest_plausible: u32::from(EARLIEST_PLAUSIBLE_YEAR) * 10_000 + 101,
            latest_plausible: selection::date_key(&next_year),
            too_old: (0, None),
            too_new: (0, None),
        }
    }

    fn check(&mut self, batch: &SaleBatch) {
        for sale in &batch.sales {
            let key = selection::date_key(&sale.date);
            let slot = if key < self.earliest_plausible {
                &mut self.too_old
            } else if key > self.latest_plausible {
                &mut self.too_new
            } else {
                continue;
            };
            slot.0 += 1;
            slot.1.get_or_insert(sale.date);
        }
    }

    /// One warning per kind (line 0: it concerns the whole file).
    fn warnings(&self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        if let (count, Some(first)) = self.too_old {
            warnings.push(Warning {
                line: 0,
                message: format!(
                    "{count} sale(s) dated before {EARLIEST_PLAUSIBLE_YEAR} (first {}); check that the dates were read right",
                    summary::iso_date(first)
                ),
            });
        }
        if let (count, Some(first)) = self.too_new {
            warnings.push(Warning {
                line: 0,
                message: format!(
                    "{count} sale(s) dated more than a year from today (first {}); check that the dates were read right",
                    summary::iso_date(first)
                ),
            });
        }
        warnings
    }
}
