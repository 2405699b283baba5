//! One plugin instance serving one job: every call runs under a deadline, and every failure is
//! classified and named after the plugin.
//!
//! Outputs that break the interface's contract (an impossible date, an empty asset id, a
//! confidence over 100, an absurd amount, more than the output limit) are refused here, so
//! nothing above the runtime has to trust a plugin.

use std::time::Duration;

use wasmtime::component::ResourceAny;
use wasmtime::{Store, Trap};

use super::bindings::analyzer_v1::AnalyzerPlugin;
use super::bindings::analyzer_v1::exports::stocklens::plugin::analyzer::{
    Block, Chart, ChartUnit, Kpi, Note, Report, Request, Scope, Section, Series, Table, Value,
};
use super::bindings::parser_v1::ParserPlugin;
use super::bindings::parser_v1::exports::stocklens::plugin::parser::{
    Batch, Detection, ParseError, ParseSummary, Sample,
};
use super::bindings::types::{Date, Money, PackedSale, RowIssue, SaleBatch, TextRef};
use super::error::{PluginError, PluginErrorKind};
use super::runtime::EPOCH_TICK;
use super::sandbox::Sandbox;

/// Longest asset id accepted from a parser; real marketplaces use at most a few dozen characters.
const MAX_ASSET_ID_BYTES: usize = 256;

/// Longest free-text field (title, file name, license, country) accepted from a parser.
const MAX_TEXT_BYTES: usize = 4096;

/// Largest earnings of one sale, either sign, in micros: a billion units of its currency. The
/// dearest stock licence costs a few thousand dollars, which stays below this even in the
/// currencies with tens of thousands of units to the dollar (dong, rial), so only a misread cell
/// (a date, an id or a total taken for the amount) goes past it. The host sums money in `i128`,
/// which no number of these sales can overflow; an analyzer summing in `i64` (the SDK's tallies
/// use `i128`) would need over nine thousand of them.
pub const MAX_SALE_MICROS: i64 = 1_000_000_000 * 1_000_000;

/// Most units one sale may stand for, either sign: a row is one sale, or at most one asset's
/// downloads over a period, never a million. With at most one sale per byte fed, a sum of units
/// in `i64` cannot overflow on any input the host accepts.
pub const MAX_SALE_UNITS: i32 = 1_000_000;

/// A store with its deadline and failure classification. Once a call has failed the instance
/// is poisoned: wasmtime would refuse to enter it again, and we say so clearly instead.
pub(crate) struct Guard {
    store: Store<Sandbox>,
    label: String,
    deadline: Duration,
    deadline_ticks: u64,
    /// [`super::RuntimeConfig::output_limit`]: most bytes one call may return.
    output_limit: usize,
    poisoned: bool,
    /// Time per call, labelled with the plugin's id and version.
    call_seconds: metrics::Histogram,
}

impl Guard {
    pub(super) fn new(
        store: Store<Sandbox>,
        label: String,
        deadline: Duration,
        output_limit: usize,
    ) -> Guard {
        let deadline_ticks = (deadline.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64;
        // A plugin not yet identified (its info() being read at load) is not worth a series.
        let call_seconds = match label.split_once('@') {
            Some((id, version)) => metrics::histogram!(
                "stocklens_plugin_call_seconds", "plugin" => id.to_owned(), "version" => version.to_owned()
            ),
            None => metrics::Histogram::noop(),
        };
        Guard {
            store,
            label,
            deadline,
            deadline_ticks,
            output_limit,
            poisoned: false,
            call_seconds,
        }
    }

    /// Runs one call into the plugin under the deadline.
    pub(super) fn call<T>(
        &mut self,
        f: impl FnOnce(&mut Store<Sandbox>) -> wasmtime::Result<T>,
    ) -> Result<T, PluginError> {
        if self.poisoned {
            return Err(self.error(PluginErrorKind::Trap(
                "called again after an earlier failure".into(),
            )));
        }
        self.store.set_epoch_deadline(self.deadline_ticks);
        let started = std::time::Instant::now();
        let result = f(&mut self.store);
        self.call_seconds.record(started.elapsed().as_secs_f64());
        result.map_err(|err| {
            let kind = self.classify(&err);
            self.fail(kind, Some(&err))
        })
    }

    /// [`Guard::call`] for a call whose result counts against the output limit: a result over it
    /// fails the call as [`PluginErrorKind::OutputCap`] before anything uses it.
    pub(super) fn call_output<T: OutputSize>(
        &mut self,
        f: impl FnOnce(&mut Store<Sandbox>) -> wasmtime::Result<T>,
    ) -> Result<T, PluginError> {
        let value = self.call(f)?;
        let size = value.output_size();
        if size > self.output_limit {
            tracing::debug!(plugin = %self.label, size, "plugin output over the limit");
            return Err(self.fail(PluginErrorKind::OutputCap(self.output_limit), None));
        }
        Ok(value)
    }

    /// Poisons the instance and reports the failure as `kind`: to the log (with wasmtime's whole
    /// error chain when a call failed) and to the failure counter.
    fn fail(&mut self, kind: PluginErrorKind, cause: Option<&wasmtime::Error>) -> PluginError {
        self.poisoned = true;
        let error = self.error(kind);
        match cause {
            Some(err) => tracing::warn!(
                plugin = %self.label, kind = error.kind.name(), "plugin call failed: {err:?}"
            ),
            None => tracing::warn!(plugin = %self.label, kind = error.kind.name(), "{error}"),
        }
        if let Some((id, version)) = self.label.split_once('@') {
            metrics::counter!(
                "stocklens_plugin_call_failures_total",
                "plugin" => id.to_owned(), "version" => version.to_owned(), "kind" => error.kind.name()
            )
            .increment(1);
        }
        error
    }

    fn classify(&self, err: &wasmtime::Error) -> PluginErrorKind {
        match err.downcast_ref::<Trap>() {
            Some(Trap::Interrupt) => PluginErrorKind::Deadline(self.deadline),
            _ if self.store.data().limiter.hit => {
                PluginErrorKind::MemoryCap(self.store.data().limiter.max_bytes())
            }
            Some(Trap::StackOverflow) => PluginErrorKind::StackOverflow,
            Some(trap) => PluginErrorKind::Trap(self.explain(&trap.to_string())),
            // Lifting a returned string checks its UTF-8 and fails the call with this error (not
            // a trap); the host only ever passes valid strings in, so the plugin is to blame.
            None => match err.downcast_ref::<std::str::Utf8Error>() {
                Some(utf8) => {
                    PluginErrorKind::BadOutput(format!("a string that is not valid UTF-8 ({utf8})"))
                }
                None => PluginErrorKind::Trap(self.explain(&format!("{err:#}"))),
            },
        }
    }

    /// Adds the plugin's own last words (a Rust panic message arrives on stderr just before the
    /// `unreachable` trap) to the trap's description.
    fn explain(&self, trap: &str) -> String {
        let lines = self.store.data().output.last_lines();
        let said: Vec<&str> = lines
            .iter()
            .map(|line| line.trim())
            .filter(|line| !line.is_empty() && !line.starts_with("note: run with"))
            .collect();
        if said.is_empty() {
            trap.to_owned()
        } else {
            format!("{} ({trap})", said.join(" "))
        }
    }

    fn error(&self, kind: PluginErrorKind) -> PluginError {
        PluginError::new(&self.label, kind)
    }

    fn bad_output(&mut self, message: String) -> PluginError {
        self.fail(PluginErrorKind::BadOutput(message), None)
    }
}

/// What a value a plugin returned costs the host, the measure of
/// [`super::RuntimeConfig::output_limit`]: every string's bytes plus the in-memory size of every
/// list element (a record's fixed part is counted where it sits in its list).
pub(super) trait OutputSize {
    fn output_size(&self) -> usize;
}

impl OutputSize for String {
    fn output_size(&self) -> usize {
        self.len()
    }
}

impl<T: OutputSize, E: OutputSize> OutputSize for Result<T, E> {
    fn output_size(&self) -> usize {
        match self {
            Ok(value) => value.output_size(),
            Err(error) => error.output_size(),
        }
    }
}

/// A list: each element's fixed size plus what it owns.
impl<T: OutputSize> OutputSize for Vec<T> {
    fn output_size(&self) -> usize {
        self.iter()
            .map(|item| size_of::<T>() + item.output_size())
            .sum()
    }
}

impl<T: OutputSize> OutputSize for Option<T> {
    fn output_size(&self) -> usize {
        self.as_ref().map_or(0, T::output_size)
    }
}

impl OutputSize for Detection {
    fn output_size(&self) -> usize {
        self.reason.len()
    }
}

impl OutputSize for Sample {
    fn output_size(&self) -> usize {
        self.file_name.len() + self.content.len() + self.expected_earnings.output_size()
    }
}

impl OutputSize for Money {
    fn output_size(&self) -> usize {
        self.currency.len()
    }
}

impl OutputSize for ParseError {
    fn output_size(&self) -> usize {
        self.message.len()
    }
}

impl OutputSize for Batch {
    fn output_size(&self) -> usize {
        let sales = &self.sales;
        sales.text.len() + sales.sales.len() * size_of::<PackedSale>() + self.issues.output_size()
    }
}

impl OutputSize for RowIssue {
    fn output_size(&self) -> usize {
        self.message.len()
    }
}

impl OutputSize for (Batch, ParseSummary) {
    fn output_size(&self) -> usize {
        self.0.output_size()
    }
}

impl OutputSize for Report {
    fn output_size(&self) -> usize {
        self.sections.output_size() + self.highlights.output_size()
    }
}

impl OutputSize for Section {
    fn output_size(&self) -> usize {
        self.id.len() + self.title.len() + self.blocks.output_size()
    }
}

impl OutputSize for Block {
    fn output_size(&self) -> usize {
        match self {
            Block::Kpis(kpis) => kpis.output_size(),
            Block::Table(table) => table.output_size(),
            Block::Chart(chart) => chart.output_size(),
            Block::Note(note) => note.output_size(),
        }
    }
}

impl OutputSize for Kpi {
    fn output_size(&self) -> usize {
        self.label.len() + self.value.output_size() + self.note.output_size()
    }
}

impl OutputSize for Table {
    fn output_size(&self) -> usize {
        self.title.output_size() + self.columns.output_size() + self.rows.output_size()
    }
}

impl OutputSize for Chart {
    fn output_size(&self) -> usize {
        let unit = match &self.unit {
            ChartUnit::Money(currency) => currency.len(),
            ChartUnit::Count | ChartUnit::Percent => 0,
        };
        self.title.len() + unit + self.labels.output_size() + self.series.output_size()
    }
}

impl OutputSize for Series {
    fn output_size(&self) -> usize {
        self.name.len() + self.values.len() * size_of::<f64>()
    }
}

impl OutputSize for Note {
    fn output_size(&self) -> usize {
        self.text.len()
    }
}

impl OutputSize for Value {
    fn output_size(&self) -> usize {
        match self {
            Value::Text(text) => text.len(),
            Value::Money(money) => money.output_size(),
            Value::Empty
            | Value::Integer(_)
            | Value::Number(_)
            | Value::Percent(_)
            | Value::Date(_)
            | Value::Month(_) => 0,
        }
    }
}

/// A parser instance, able to detect and to run one parse session at a time.
pub struct ParserInstance {
    guard: Guard,
    bindings: ParserPlugin,
    session: Option<ResourceAny>,
    /// Sales the session may still return: a row needs at least one byte, so a session never
    /// honestly returns more sales than the bytes it was fed (plus one for a last row).
    sales_allowed: u64,
}

impl ParserInstance {
    pub(super) fn new(guard: Guard, bindings: ParserPlugin) -> ParserInstance {
        ParserInstance {
            guard,
            bindings,
            session: None,
            sales_allowed: 0,
        }
    }

    /// Scores a file for this parser.
    pub fn detect(&mut self, file_name: &str, head: &[u8]) -> Result<Detection, PluginError> {
        let parser = self.bindings.stocklens_plugin_parser();
        let detection = self
            .guard
            .call_output(|store| parser.call_detect(store, file_name, head))?;
        if detection.confidence > 100 {
            return Err(self.guard.bad_output(format!(
                "detect() returned confidence {}, over 100",
                detection.confidence
            )));
        }
        Ok(detection)
    }

    /// The plugin's bundled sample files.
    pub fn samples(&mut self) -> Result<Vec<Sample>, PluginError> {
        let parser = self.bindings.stocklens_plugin_parser();
        self.guard.call_output(|store| parser.call_samples(store))
    }

    /// Starts a parse session for `file_name`, ending any earlier one.
    pub fn begin(&mut self, file_name: &str) -> Result<(), PluginError> {
        self.end_session();
        let session = self.bindings.stocklens_plugin_parser().session();
        let handle = self
            .guard
            .call(|store| session.call_constructor(store, file_name))?;
        self.session = Some(handle);
        self.sales_allowed = 1;
        Ok(())
    }

    /// Feeds the next chunk; the outer error is the plugin failing, the inner one the plugin
    /// rejecting the file.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Result<Batch, ParseError>, PluginError> {
        let handle = self.session_handle()?;
        let session = self.bindings.stocklens_plugin_parser().session();
        let result = self
            .guard
            .call_output(|store| session.call_feed(store, handle, chunk))?;
        self.sales_allowed += chunk.len() as u64;
        if let Ok(batch) = &result {
            self.take_sales(batch.sales.sales.len())?;
            self.validate(batch)?;
        }
        Ok(result)
    }

    /// Ends the input and returns the last sales with the totals.
    pub fn finish(&mut self) -> Result<Result<(Batch, ParseSummary), ParseError>, PluginError> {
        let handle = self.session_handle()?;
        let session = self.bindings.stocklens_plugin_parser().session();
        let result = self
            .guard
            .call_output(|store| session.call_finish(store, handle))?;
        if let Ok((batch, _)) = &result {
            self.take_sales(batch.sales.sales.len())?;
            self.validate(batch)?;
        }
        self.end_session();
        Ok(result)
    }

    /// Counts `sales` against what the bytes fed so far allow; this stops "a billion empty
    /// sales" before they are used, whether they come from `feed` or from `finish` (a parser may
    /// hold rows back until the file shows how to read them).
    fn take_sales(&mut self, sales: usize) -> Result<(), PluginError> {
        let sales = sales as u64;
        if sales > self.sales_allowed {
            return Err(self.guard.bad_output(format!(
                "returned {sales} sales, more than the {} bytes it was given allow",
                self.sales_allowed
            )));
        }
        self.sales_allowed -= sales;
        Ok(())
    }

    fn session_handle(&mut self) -> Result<ResourceAny, PluginError> {
        self.session.ok_or_else(|| {
            self.guard.error(PluginErrorKind::BadOutput(
                "no parse session was started".into(),
            ))
        })
    }

    fn end_session(&mut self) {
        if let Some(handle) = self.session.take()
            && !self.guard.poisoned
        {
            let _ = handle.resource_drop(&mut self.guard.store);
        }
    }

    fn validate(&mut self, batch: &Batch) -> Result<(), PluginError> {
        check_batch(&batch.sales).map_err(|problem| self.guard.bad_output(problem))
    }
}

/// The string a range of a checked batch refers to.
pub fn text_of(batch: &SaleBatch, range: TextRef) -> &str {
    let start = range.start as usize;
    batch
        .text
        .get(start..start + range.len as usize)
        .unwrap_or("")
}

/// Checks a batch against the interface's contract: every range inside the text on character
/// boundaries, and every sale well-formed. After this, [`text_of`] never falls back.
pub fn check_batch(batch: &SaleBatch) -> Result<(), String> {
    let range_ok = |range: TextRef| {
        let start = range.start as usize;
        start
            .checked_add(range.len as usize)
            .is_some_and(|end| batch.text.get(start..end).is_some())
    };
    for sale in &batch.sales {
        let ranges = [
            Some(sale.asset_id),
            sale.title,
            sale.file_name,
            sale.license,
            Some(sale.currency),
            sale.country,
        ];
        if !ranges.into_iter().flatten().all(range_ok) {
            return Err(
                "a sale whose text lies outside its batch or inside a UTF-8 character".into(),
            );
        }
        check_sale(sale, batch)?;
    }
    Ok(())
}

/// Checks one sale (whose ranges are valid) against the interface's contract.
fn check_sale(sale: &PackedSale, batch: &SaleBatch) -> Result<(), String> {
    if !is_calendar_date(&sale.date) {
        let Date { year, month, day } = sale.date;
        return Err(format!(
            "a sale dated {year:04}-{month:02}-{day:02}, which is not a calendar date"
        ));
    }
    if let Some(time) = &sale.time
        && (time.hour > 23 || time.minute > 59 || time.second > 60)
    {
        return Err(format!(
            "a sale at {}:{}:{}, which is not a time of day",
            time.hour, time.minute, time.second
        ));
    }
    let asset_id = text_of(batch, sale.asset_id);
    if asset_id.trim().is_empty() || asset_id.len() > MAX_ASSET_ID_BYTES {
        return Err(format!(
            "a sale with asset id {asset_id:?}; ids must be 1-{MAX_ASSET_ID_BYTES} bytes"
        ));
    }
    let currency = text_of(batch, sale.currency);
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "a sale in currency {currency:?}; currencies must be ISO 4217 codes like USD"
        ));
    }
    if sale.earnings_micros.unsigned_abs() > MAX_SALE_MICROS.unsigned_abs() {
        return Err(format!(
            "a sale earning {} micros; one sale earns at most {MAX_SALE_MICROS} micros (a billion \
             currency units) either way",
            sale.earnings_micros
        ));
    }
    if sale.units.unsigned_abs() > MAX_SALE_UNITS.unsigned_abs() {
        return Err(format!(
            "a sale of {} units; one sale stands for at most {MAX_SALE_UNITS} units either way",
            sale.units
        ));
    }
    let texts = [sale.title, sale.file_name, sale.license, sale.country];
    if texts
        .into_iter()
        .flatten()
        .any(|range| range.len as usize > MAX_TEXT_BYTES)
    {
        return Err(format!(
            "a sale with a text field over {MAX_TEXT_BYTES} bytes"
        ));
    }
    Ok(())
}

/// Whether a date exists in the Gregorian calendar (years 1..=9999).
pub fn is_calendar_date(date: &Date) -> bool {
    (1..=9999).contains(&date.year)
        && date.day >= 1
        && date.day <= days_in_month(date.year, date.month)
}

/// Days in a month of the Gregorian calendar; 0 for a month that does not exist.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// An analyzer instance running one analysis.
pub struct AnalyzerInstance {
    guard: Guard,
    bindings: AnalyzerPlugin,
    analysis: Option<ResourceAny>,
    /// The scopes it reads (`analyzer.reads`, 1.1.0); `None` for every scope.
    reads: Option<Vec<Scope>>,
    /// Batches not fed because the generator does not read their scope.
    skipped: u64,
}

impl AnalyzerInstance {
    pub(super) fn new(
        guard: Guard,
        bindings: AnalyzerPlugin,
        reads: Option<Vec<Scope>>,
    ) -> AnalyzerInstance {
        AnalyzerInstance {
            guard,
            bindings,
            analysis: None,
            reads,
            skipped: 0,
        }
    }

    /// The scopes this generator reads, as it declared them (1.1.0); `None` for a 1.0.0
    /// generator, which is fed every scope.
    pub fn reads(&self) -> Option<&[Scope]> {
        self.reads.as_deref()
    }

    /// Batches left unfed so far because the generator does not read their scope.
    pub fn skipped_batches(&self) -> u64 {
        self.skipped
    }

    /// Starts the analysis.
    pub fn begin(&mut self, request: &Request) -> Result<(), PluginError> {
        let analysis = self.bindings.stocklens_plugin_analyzer().analysis();
        let handle = self
            .guard
            .call(|store| analysis.call_constructor(store, request))?;
        self.analysis = Some(handle);
        Ok(())
    }

    /// Feeds one batch of sales from `source` (a parser id).
    pub fn feed(
        &mut self,
        source: &str,
        scope: Scope,
        sales: &SaleBatch,
    ) -> Result<(), PluginError> {
        let handle = self.handle()?;
        if let Some(reads) = &self.reads
            && !reads.contains(&scope)
        {
            self.skipped += 1;
            return Ok(());
        }
        let analysis = self.bindings.stocklens_plugin_analyzer().analysis();
        self.guard
            .call(|store| analysis.call_feed(store, handle, source, scope, sales))
    }

    /// Ends the analysis; the inner error is the analyzer declining, in its own words.
    pub fn finish(&mut self) -> Result<Result<Report, String>, PluginError> {
        let handle = self.handle()?;
        let analysis = self.bindings.stocklens_plugin_analyzer().analysis();
        let report = self
            .guard
            .call_output(|store| analysis.call_finish(store, handle))?;
        self.analysis = None;
        let _ = handle.resource_drop(&mut self.guard.store);
        Ok(report)
    }

    fn handle(&mut self) -> Result<ResourceAny, PluginError> {
        self.analysis.ok_or_else(|| {
            self.guard
                .error(PluginErrorKind::BadOutput("no analysis was started".into()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::bindings::types::MediaType;
    use super::*;

    /// A batch of one sale of asset "A1" in USD.
    fn one_sale(units: i32, earnings_micros: i64) -> SaleBatch {
        SaleBatch {
            text: "A1USD".into(),
            sales: vec![PackedSale {
                date: Date {
                    year: 2025,
                    month: 7,
                    day: 1,
                },
                time: None,
                asset_id: TextRef { start: 0, len: 2 },
                title: None,
                file_name: None,
                media: MediaType::Photo,
                license: None,
                units,
                earnings_micros,
                currency: TextRef { start: 2, len: 3 },
                country: None,
            }],
        }
    }

    #[test]
    fn amounts_and_units_are_bounded_either_way() {
        for (units, micros) in [
            (MAX_SALE_UNITS, MAX_SALE_MICROS),
            (-MAX_SALE_UNITS, -MAX_SALE_MICROS),
            (0, 0),
        ] {
            assert_eq!(check_batch(&one_sale(units, micros)), Ok(()));
        }
        for (units, micros) in [
            (MAX_SALE_UNITS + 1, 0),
            (-MAX_SALE_UNITS - 1, 0),
            (i32::MIN, 0),
            (i32::MAX, 0),
            (1, MAX_SALE_MICROS + 1),
            (1, -MAX_SALE_MICROS - 1),
            (1, i64::MIN),
            (1, i64::MAX),
        ] {
            let refused = check_batch(&one_sale(units, micros));
            assert!(refused.is_err(), "{units} units, {micros} micros");
        }
    }

    #[test]
    fn output_size_counts_strings_and_list_elements() {
        let batch = Batch {
            sales: one_sale(1, 1),
            issues: vec![RowIssue {
                line: 2,
                message: "bad".into(),
            }],
        };
        assert_eq!(
            batch.output_size(),
            5 + size_of::<PackedSale>() + size_of::<RowIssue>() + 3
        );
        let report = Report {
            sections: vec![Section {
                id: "s".into(),
                title: "Title".into(),
                blocks: vec![Block::Table(Table {
                    title: None,
                    columns: vec!["ab".into()],
                    rows: vec![vec![Value::Text("cell".into())]],
                })],
            }],
            highlights: Vec::new(),
        };
        let expected = size_of::<Section>()
            + 1
            + 5
            + size_of::<Block>()
            + (size_of::<String>() + 2)
            + (size_of::<Vec<Value>>() + size_of::<Value>() + 4);
        assert_eq!(report.output_size(), expected);
        let refused: Result<Report, String> = Err("declined".into());
        assert_eq!(refused.output_size(), 8);
    }

    #[test]
    fn calendar_dates_are_checked() {
        let d = |year, month, day| Date { year, month, day };
        assert!(is_calendar_date(&d(2024, 2, 29)));
        assert!(!is_calendar_date(&d(2023, 2, 29)));
        assert!(!is_calendar_date(&d(1900, 2, 29)));
        assert!(is_calendar_date(&d(2000, 2, 29)));
        assert!(!is_calendar_date(&d(2025, 13, 1)));
        assert!(!is_calendar_date(&d(2025, 4, 31)));
        assert!(!is_calendar_date(&d(2025, 1, 0)));
    }
}
