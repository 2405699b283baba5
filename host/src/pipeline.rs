//! The analysis pipeline: decode → detect → parse → select → analyze, streaming.
//!
//! It knows no Telegram and no HTTP: `stocklens analyze` and a worker run this very code. A file
//! is never held whole: it is decoded and fed to its parser in chunks on one thread while the
//! sales flow through a bounded channel to the report generators on another, so parsing and
//! analysis overlap on two cores and memory stays flat.
//!
//! [`inspect`] reads one file through the same decode → detect → parse steps (`parse`) without
//! any report generator: what the bot tells a contributor about a file before asking for a
//! period.

pub mod decode;
mod detect;
mod error;
pub mod facts;
pub mod history;
mod inspect;
mod parse;
mod sections;
pub mod selection;
mod summary;
pub mod workbook;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use rustc_hash::{FxHashSet, FxHasher};
use sha2::{Digest, Sha256};

use crate::plugin::analyzer_types::{Filters, PortfolioFacts, Request, Scope};
use crate::plugin::text_of;
use crate::plugin::types::{Date, PackedSale, SaleBatch};
use crate::plugin::{AnalyzerInstance, Plugin, PluginError, Registry, Runtime};
use crate::report::model::{AnalyzerReport, Lang, ReportDocument, RowWarning, SourceFile};

pub use detect::Candidate;
pub use error::{AnalyzeError, InputProblem};
pub use history::HistoryBatch;
pub use inspect::{Inspection, MonthCount, inspect};
pub use selection::{ContentType, Period, Selection};
pub use summary::{
    FileSummary, PeriodSummary, Summary, Warning, format_micros, iso_date, parse_iso_date,
};

/// Row warnings kept per file for the summary.
pub const WARNINGS_PER_FILE: usize = 20;

/// Share of unreadable rows, in percent, above which a file is refused unless the caller sets
/// its own: the CLI's default, and what a worker and [`inspect`] use, so a file the bot
/// describes is never refused later by the worker. More than one row in five unreadable means
/// a wrong format or a damaged file, not a few odd rows.
pub const MAX_SKIPPED_PERCENT: u8 = 20;

/// Row warnings kept across all files for the report.
const WARNINGS_IN_REPORT: usize = 100;

/// Batches in flight between the parsing and the analyzing thread: enough to keep both busy,
/// few enough that memory stays bounded (a batch is the sales of one 1 MiB chunk).
const BATCHES_IN_FLIGHT: usize = 4;

/// Where an input's bytes come from.
#[derive(Clone, Debug)]
pub enum Source {
    Path(PathBuf),
    Bytes(Arc<[u8]>),
}

impl Source {
    fn open(&self) -> io::Result<Box<dyn Read + Send + '_>> {
        Ok(match self {
            Source::Path(path) => Box::new(File::open(path)?),
            Source::Bytes(bytes) => Box::new(&bytes[..]),
        })
    }

    /// For formats read by seeking (a workbook is a ZIP archive).
    /// Owned, so a thread of its own can read it.
    fn open_seekable(&self) -> io::Result<Box<dyn ReadSeek>> {
        Ok(match self {
            Source::Path(path) => Box::new(File::open(path)?),
            Source::Bytes(bytes) => Box::new(io::Cursor::new(Arc::clone(bytes))),
        })
    }

    fn len(&self) -> io::Result<u64> {
        Ok(match self {
            Source::Path(path) => std::fs::metadata(path)?.len(),
            Source::Bytes(bytes) => bytes.len() as u64,
        })
    }
}

/// A source that can also seek.
trait ReadSeek: Read + io::Seek + Send + 'static {}

impl<T: Read + io::Seek + Send + 'static> ReadSeek for T {}

/// One file to analyze.
#[derive(Clone, Debug)]
pub struct Input {
    /// How the contributor named it: shown in messages, and passed to parsers (a file name can
    /// carry the period, e.g. `assets_report_05_2026.csv`).
    pub name: String,
    /// As given on the command line (for the JSON summary).
    pub display: String,
    pub source: Source,
}

/// What to analyze and how.
#[derive(Clone, Debug)]
pub struct Job {
    pub inputs: Vec<Input>,
    /// A parser id that overrides detection.
    pub marketplace: Option<String>,
    pub selection: Selection,
    pub lang: Lang,
    pub facts: PortfolioFacts,
    /// Analyzer ids to run, in order; `None` runs every one.
    pub analyzers: Option<Vec<String>>,
    /// The date plugins are told it is.
    pub today: Date,
    /// Largest share of unreadable rows, in percent, before a file is refused.
    pub max_skipped_percent: u8,
    /// Sales from the contributor's stored history, fed to the report generators after the
    /// files, as history (see [`history`]); empty where the caller keeps none (the CLI).
    pub history: Arc<[HistoryBatch]>,
}

/// What an analysis produced.
#[derive(Debug)]
pub struct Outcome {
    pub summary: Summary,
    pub document: ReportDocument,
}

/// Runs the whole pipeline over the job's files.
pub fn analyze(runtime: &Runtime, registry: &Registry, job: &Job) -> Result<Outcome, AnalyzeError> {
    analyze_observed(runtime, registry, job, &mut |_, _, _| Ok(()))
}

/// Sees every batch of sales as it streams past, with the index of the input it came from and
/// the parser id: how a worker adds them to the contributor's history without the pipeline
/// holding them. An error stops the analysis as [`AnalyzeError::Internal`].
pub type Observer<'a> = dyn FnMut(usize, &str, &SaleBatch) -> Result<(), String> + 'a;

/// [`analyze`], showing every batch of sales (selected or not) to `observer` first.
pub fn analyze_observed(
    runtime: &Runtime,
    registry: &Registry,
    job: &Job,
    observer: &mut Observer<'_>,
) -> Result<Outcome, AnalyzeError> {
    let analyzers = select_analyzers(registry, job.analyzers.as_deref())?;
    let request = Request {
        locale: job.lang.tag().to_owned(),
        filters: Filters {
            from: job.selection.period.from,
            to: job.selection.period.to,
            media: match job.selection.content {
                ContentType::All => None,
                ContentType::Only(media) => Some(media),
            },
        },
        facts: job.facts,
        today: job.today,
    };
    let mut running = Vec::with_capacity(analyzers.len());
    for plugin in &analyzers {
        let mut instance = runtime.analyzer(plugin)?;
        instance.begin(&request)?;
        running.push((plugin.label(), instance));
    }
    let duplicates = find_duplicates(&job.inputs)?;

    let (files, consumed) = std::thread::scope(|scope| {
        let (sender, receiver) = sync_channel(BATCHES_IN_FLIGHT);
        let producer = scope.spawn(|| parse_all(runtime, registry, job, &duplicates, sender));
        let consumed = consume(
            receiver,
            &mut running,
            &job.selection,
            &job.history,
            observer,
        );
        let parsed = producer
            .join()
            .unwrap_or_else(|_| Err(AnalyzeError::Internal("the parsing thread panicked".into())));
        (parsed, consumed)
    });
    // A parse error explains an analyzer stopping early, never the other way round.
    let files = files?;
    let totals = consumed?;
    if files
        .iter()
        .all(|file| file.duplicate_of.is_some() || file.rows == 0)
    {
        return Err(AnalyzeError::Input {
            file: job
                .inputs
                .first()
                .map(|i| i.name.clone())
                .unwrap_or_default(),
            problem: InputProblem::NoRows,
        });
    }
    if totals.selected_sales == 0 {
        return Err(AnalyzeError::NoSalesInSelection {
            available: totals.all_period.map(PeriodSummary::from_range),
        });
    }

    let mut reports = Vec::with_capacity(running.len());
    for (label, mut instance) in running {
        match instance.finish()? {
            Ok(report) => reports.push(sections::convert(label, report)),
            Err(message) => {
                return Err(AnalyzeError::AnalyzerDeclined {
                    analyzer: label,
                    message,
                });
            }
        }
    }
    Ok(assemble(job, files, totals, reports))
}

fn select_analyzers(
    registry: &Registry,
    wanted: Option<&[String]>,
) -> Result<Vec<Arc<Plugin>>, AnalyzeError> {
    match wanted {
        None => Ok(registry.analyzers().to_vec()),
        Some(ids) => ids
            .iter()
            .map(|id| {
                registry
                    .analyzer(id)
                    .cloned()
                    .ok_or_else(|| AnalyzeError::UnknownAnalyzer {
                        id: id.clone(),
                        known: registry
                            .analyzers()
                            .iter()
                            .map(|p| p.info.id.clone())
                            .collect(),
                    })
            })
            .collect(),
    }
}

/// For each input, the index of an earlier input with the same content. Only inputs of equal
/// size are hashed, so the usual case costs one `stat` per file.
fn find_duplicates(inputs: &[Input]) -> Result<Vec<Option<usize>>, AnalyzeError> {
    let mut sizes = Vec::with_capacity(inputs.len());
    for input in inputs {
        let size = input
            .source
            .len()
            .map_err(|err| AnalyzeError::unreadable(input, err))?;
        sizes.push(size);
    }
    let mut hashes: Vec<Option<[u8; 32]>> = vec![None; inputs.len()];
    let mut duplicate_of = vec![None; inputs.len()];
    for later in 0..inputs.len() {
        for earlier in 0..later {
            if sizes[earlier] != sizes[later] || duplicate_of[earlier].is_some() {
                continue;
            }
            for index in [earlier, later] {
                if hashes[index].is_none() {
                    hashes[index] = Some(hash_source(&inputs[index])?);
                }
            }
            if hashes[earlier] == hashes[later] {
                duplicate_of[later] = Some(earlier);
                break;
            }
        }
    }
    Ok(duplicate_of)
}

fn hash_source(input: &Input) -> Result<[u8; 32], AnalyzeError> {
    let mut reader = input
        .source
        .open()
        .map_err(|err| AnalyzeError::unreadable(input, err))?;
    let mut hasher = Sha256::new();
    io::copy(&mut reader, &mut hasher).map_err(|err| AnalyzeError::unreadable(input, err))?;
    Ok(hasher.finalize().into())
}

/// What the parsing thread sends to the analyzing one.
enum Event {
    Sales {
        /// Index of the input file in the job.
        input: usize,
        source: Arc<str>,
        batch: SaleBatch,
    },
}

/// Parses every input in order, sending sales as they come; returns the per-file results.
fn parse_all(
    runtime: &Runtime,
    registry: &Registry,
    job: &Job,
    duplicates: &[Option<usize>],
    sender: SyncSender<Event>,
) -> Result<Vec<ParsedFile>, AnalyzeError> {
    let options = parse::ReadOptions {
        marketplace: job.marketplace.as_deref(),
        today: job.today,
        max_skipped_percent: job.max_skipped_percent,
    };
    let mut files = Vec::with_capacity(job.inputs.len());
    for (index, input) in job.inputs.iter().enumerate() {
        if let Some(original) = duplicates[index] {
            files.push(ParsedFile::duplicate(input, &job.inputs[original]));
            continue;
        }
        let mut send = |source: &Arc<str>, batch| {
            let event = Event::Sales {
                input: index,
                source: source.clone(),
                batch,
            };
            // The analyzing side stopped; its error is the one to report.
            sender.send(event).map_err(|_| AnalyzeError::Cancelled)
        };
        let read = parse::file(runtime, registry, input, &options, &mut send)?;
        files.push(ParsedFile::read(input, read));
    }
    Ok(files)
}

/// One file's outcome.
#[derive(Debug)]
struct ParsedFile {
    display: String,
    name: String,
    marketplace: String,
    parser: String,
    confidence: u8,
    reason: String,
    encoding: &'static str,
    rows: u64,
    rows_skipped: u64,
    warnings: Vec<Warning>,
    warnings_total: u64,
    duplicate_of: Option<String>,
}

impl ParsedFile {
    fn duplicate(input: &Input, original: &Input) -> ParsedFile {
        ParsedFile {
            display: input.display.clone(),
            name: input.name.clone(),
            marketplace: String::new(),
            parser: String::new(),
            confidence: 0,
            reason: String::new(),
            encoding: "",
            rows: 0,
            rows_skipped: 0,
            warnings: Vec::new(),
            warnings_total: 0,
            duplicate_of: Some(original.display.clone()),
        }
    }

    fn read(input: &Input, read: parse::FileRead) -> ParsedFile {
        ParsedFile {
            display: input.display.clone(),
            name: input.name.clone(),
            marketplace: read.marketplace(),
            parser: read.plugin.label(),
            confidence: read.confidence,
            reason: read.reason,
            encoding: read.encoding,
            rows: read.rows,
            rows_skipped: read.rows_skipped,
            warnings: read.warnings,
            warnings_total: read.warnings_total,
            duplicate_of: None,
        }
    }
}

/// Totals over the sales, computed by the host itself so the summary never depends on which
/// report generators ran.
#[derive(Debug, Default)]
struct Totals {
    selected_sales: u64,
    /// At most a million units per sale (`plugin::MAX_SALE_UNITS`) and one sale per byte read:
    /// `i64` cannot overflow on any input.
    units: i64,
    /// Exact sums in micros, at most 10^15 per sale (`plugin::MAX_SALE_MICROS`): `i128` cannot
    /// overflow on any input, where `i64` would after some nine thousand of the largest sales.
    revenue: BTreeMap<String, i128>,
    /// 64-bit hashes of (marketplace, asset id): 8 bytes per asset instead of the strings, with
    /// a collision chance below one in ten million at a million distinct assets.
    assets: FxHashSet<u64>,
    selected_period: Option<(Date, Date)>,
    all_period: Option<(Date, Date)>,
}

impl Totals {
    fn add_selected(&mut self, source: &str, sale: &PackedSale, batch: &SaleBatch) {
        use std::hash::{Hash, Hasher};
        self.selected_sales += 1;
        self.units += i64::from(sale.units);
        let currency = text_of(batch, sale.currency);
        match self.revenue.get_mut(currency) {
            Some(sum) => *sum += i128::from(sale.earnings_micros),
            None => {
                self.revenue
                    .insert(currency.to_owned(), i128::from(sale.earnings_micros));
            }
        }
        let mut hasher = FxHasher::default();
        source.hash(&mut hasher);
        text_of(batch, sale.asset_id).hash(&mut hasher);
        self.assets.insert(hasher.finish());
        widen(&mut self.selected_period, sale.date);
    }
}

fn widen(range: &mut Option<(Date, Date)>, date: Date) {
    let key = selection::date_key(&date);
    match range {
        None => *range = Some((date, date)),
        Some((first, last)) => {
            if key < selection::date_key(first) {
                *first = date;
            }
            if key > selection::date_key(last) {
                *last = date;
            }
        }
    }
}

/// Splits each batch into the selection and the rest, keeps the totals, feeds the analyzers;
/// then feeds the stored history the files do not cover.
///
/// The generators are fed on two threads: about half of them here and the rest on a helper
/// thread, which receives each part of a batch as it is made. Most of a generator's cost is the
/// component boundary (the host writing each sale into its memory, the component reading it
/// back), paid once per generator; with five generators that dominates a big file, and two
/// cores halve it. Each generator still sees every part in the same order, and its report does
/// not depend on the other thread's.
fn consume(
    receiver: Receiver<Event>,
    analyzers: &mut [(String, AnalyzerInstance)],
    selection: &Selection,
    stored_history: &[HistoryBatch],
    observer: &mut Observer<'_>,
) -> Result<Totals, AnalyzeError> {
    fan_out(analyzers, |fanout| {
        split_and_feed(receiver, fanout, selection, stored_history, observer)
    })
}

/// Runs `body` with a [`Fanout`] over `analyzers`: about half of them are fed on this thread,
/// the rest on a helper thread that lives as long as `body` runs. An error of the helper's
/// generators is returned before `body`'s own (which then only says the helper stopped).
pub fn fan_out<T>(
    analyzers: &mut [(String, AnalyzerInstance)],
    body: impl FnOnce(&mut Fanout<'_>) -> Result<T, AnalyzeError>,
) -> Result<T, AnalyzeError> {
    let helped = analyzers.len() / 2;
    let (mine, theirs) = analyzers.split_at_mut(analyzers.len() - helped);
    std::thread::scope(|scope| {
        let (parts, inbox) = sync_channel::<Arc<Part>>(BATCHES_IN_FLIGHT);
        let helper = (!theirs.is_empty()).then(|| {
            scope.spawn(move || -> Result<(), PluginError> {
                for part in inbox {
                    for (_, analyzer) in theirs.iter_mut() {
                        feed(analyzer, &part.source, part.scope, &part.batch)?;
                    }
                }
                Ok(())
            })
        });
        let mut fanout = Fanout {
            mine,
            helper: helper.is_some().then_some(parts),
        };
        let done = body(&mut fanout);
        drop(fanout);
        let helped: Result<(), AnalyzeError> = match helper.map(|handle| handle.join()) {
            None => Ok(()),
            Some(Ok(fed)) => fed.map_err(AnalyzeError::from),
            Some(Err(_)) => Err(AnalyzeError::Internal(
                "the report generators' thread panicked".into(),
            )),
        };
        // The helper's own error explains this side finding it gone, never the other way round.
        helped?;
        done
    })
}

/// One part of a batch (its selected or its other sales) on its way to the generators.
#[derive(Debug)]
pub struct Part {
    /// The parser id the sales come from.
    pub source: Arc<str>,
    pub scope: Scope,
    pub batch: SaleBatch,
}

/// The generators fed on this thread, and the way to the helper thread's (see [`fan_out`]).
pub struct Fanout<'a> {
    mine: &'a mut [(String, AnalyzerInstance)],
    helper: Option<SyncSender<Arc<Part>>>,
}

impl Fanout<'_> {
    /// Feeds a part to every generator: first handed to the helper, so both threads work on it
    /// at once.
    pub fn feed(&mut self, part: Part) -> Result<(), AnalyzeError> {
        if part.batch.sales.is_empty() {
            return Ok(());
        }
        let part = Arc::new(part);
        if let Some(helper) = &self.helper
            && helper.send(Arc::clone(&part)).is_err()
        {
            // The helper stopped on an error; `consume` reports it.
            return Err(AnalyzeError::Internal(
                "the report generators' thread stopped".into(),
            ));
        }
        for (_, analyzer) in self.mine.iter_mut() {
            feed(analyzer, &part.source, part.scope, &part.batch)?;
        }
        Ok(())
    }
}

fn split_and_feed(
    receiver: Receiver<Event>,
    fanout: &mut Fanout<'_>,
    selection: &Selection,
    stored_history: &[HistoryBatch],
    observer: &mut Observer<'_>,
) -> Result<Totals, AnalyzeError> {
    let mut totals = Totals::default();
    let mut spans = history::Spans::default();
    for event in receiver {
        let Event::Sales {
            input,
            source,
            batch,
        } = event;
        observer(input, &source, &batch).map_err(AnalyzeError::Internal)?;
        let mut selected = Vec::new();
        let mut history = Vec::new();
        for sale in &batch.sales {
            widen(&mut totals.all_period, sale.date);
            spans.widen(&source, sale.date);
            if selection.contains(sale) {
                totals.add_selected(&source, sale, &batch);
                selected.push(*sale);
            } else {
                history.push(*sale);
            }
        }
        // Each half keeps the batch's text (the sales' ranges point into it); the text is
        // copied only when a batch has both halves. The selection goes first, as it always has.
        let history_text = (!history.is_empty()).then(|| batch.text.clone());
        fanout.feed(Part {
            source: source.clone(),
            scope: Scope::Selected,
            batch: SaleBatch {
                text: batch.text,
                sales: selected,
            },
        })?;
        if let Some(text) = history_text {
            fanout.feed(Part {
                source,
                scope: Scope::History,
                batch: SaleBatch {
                    text,
                    sales: history,
                },
            })?;
        }
    }
    for stored in stored_history {
        fanout.feed(Part {
            source: Arc::from(stored.source.as_str()),
            scope: Scope::History,
            batch: history::outside(&spans, stored),
        })?;
    }
    Ok(totals)
}

fn feed(
    analyzer: &mut AnalyzerInstance,
    source: &str,
    scope: Scope,
    batch: &SaleBatch,
) -> Result<(), PluginError> {
    if batch.sales.is_empty() {
        return Ok(());
    }
    analyzer.feed(source, scope, batch)
}

fn assemble(
    job: &Job,
    files: Vec<ParsedFile>,
    totals: Totals,
    analyses: Vec<AnalyzerReport>,
) -> Outcome {
    let mut report_warnings = Vec::new();
    let mut warnings_total = 0;
    for file in &files {
        warnings_total += file.warnings_total;
        for warning in &file.warnings {
            if report_warnings.len() < WARNINGS_IN_REPORT {
                report_warnings.push(RowWarning {
                    file: file.name.clone(),
                    line: warning.line,
                    message: warning.message.clone(),
                });
            }
        }
    }
    let document = ReportDocument {
        lang: job.lang,
        period: totals
            .selected_period
            .map(|(from, to)| (sections::date(from), sections::date(to))),
        content_type: sections::content_label(job.lang, job.selection.content),
        generated_on: sections::date(job.today),
        files: files
            .iter()
            .filter(|file| file.duplicate_of.is_none())
            .map(|file| SourceFile {
                name: file.name.clone(),
                marketplace: file.marketplace.clone(),
                parser: file.parser.clone(),
                rows: file.rows,
                rows_skipped: file.rows_skipped,
            })
            .collect(),
        analyses,
        warnings: report_warnings,
        warnings_total,
    };
    let summary = Summary {
        files: files.into_iter().map(ParsedFile::into_summary).collect(),
        sales: totals.units,
        revenue: totals
            .revenue
            .iter()
            .map(|(currency, micros)| (currency.clone(), format_micros(*micros)))
            .collect(),
        assets: totals.assets.len() as u64,
        period: totals.selected_period.map(PeriodSummary::from_range),
        analyzers: document
            .analyses
            .iter()
            .map(|a| a.analyzer.clone())
            .collect(),
        highlights: document
            .ranked_highlights()
            .into_iter()
            .map(|note| note.text.clone())
            .collect(),
        report: None,
    };
    Outcome { summary, document }
}

impl ParsedFile {
    fn into_summary(self) -> FileSummary {
        FileSummary {
            path: self.display,
            marketplace: self.parser.split('@').next().unwrap_or_default().to_owned(),
            parser: self.parser,
            confidence: self.confidence,
            reason: self.reason,
            encoding: self.encoding.to_owned(),
            rows: self.rows,
            rows_skipped: self.rows_skipped,
            warnings: self.warnings,
            warnings_total: self.warnings_total,
            duplicate_of: self.duplicate_of,
        }
    }
}
