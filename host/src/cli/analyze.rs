//! `stocklens analyze`: the whole pipeline offline, from export files to an HTML report and a
//! JSON summary. No services needed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::facts::FactsArgs;
use super::{EXIT_INPUT, EXIT_OTHER, EXIT_PLUGIN, EXIT_USAGE, fail};
use crate::pipeline::facts::ContentChoice;
use crate::pipeline::{self, AnalyzeError, Input, Job, Period, Selection, Source};
use crate::plugin::types::Date;
use crate::plugin::{Registry, Runtime, RuntimeConfig};
use crate::report::model::Lang;

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Sales or earnings exports (CSV, TSV, TXT, or an Excel .xlsx workbook), from one or more
    /// marketplaces
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Use this parser instead of detection (e.g. adobe-stock)
    #[arg(long, value_name = "ID")]
    marketplace: Option<String>,
    /// all | YYYY-MM | YYYY-MM..YYYY-MM
    #[arg(long, default_value = "all", value_name = "SPEC")]
    period: Period,
    /// all | ai | photo | illustration | vector | video | audio ("ai" keeps every media type
    /// and sets --main-content ai: exports do not mark AI work)
    #[arg(long, default_value = "all", value_name = "T")]
    content_type: ContentChoice,
    /// Report language
    #[arg(long, default_value = "en", value_name = "en|ru", value_parser = parse_lang)]
    lang: Lang,
    /// Report file
    #[arg(short, long, default_value = "report.html", value_name = "PATH")]
    out: PathBuf,
    /// Print the summary as one JSON object on stdout
    #[arg(long)]
    json: bool,
    /// Report generators to run, comma-separated [default: all]
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    analyzers: Option<Vec<String>>,
    #[command(flatten)]
    facts: FactsArgs,
    /// Refuse a file when more than this share of its rows cannot be read, in percent
    #[arg(long, default_value_t = pipeline::MAX_SKIPPED_PERCENT, value_name = "P", value_parser = clap::value_parser!(u8).range(0..=100))]
    max_skipped_percent: u8,
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    match text.to_ascii_lowercase().as_str() {
        "en" => Ok(Lang::En),
        "ru" => Ok(Lang::Ru),
        _ => Err(format!("language {text:?} is not available; use en or ru")),
    }
}

pub fn run(args: AnalyzeArgs, config: RuntimeConfig) -> ExitCode {
    let facts = match args.facts.facts(args.content_type) {
        Ok(facts) => facts,
        Err(why) => return fail(EXIT_USAGE, why),
    };
    let job = Job {
        inputs: args.files.iter().map(|path| input(path)).collect(),
        marketplace: args.marketplace,
        selection: Selection {
            period: args.period,
            content: args.content_type.filter,
        },
        lang: args.lang,
        facts,
        analyzers: args.analyzers,
        today: today(),
        max_skipped_percent: args.max_skipped_percent,
        history: Arc::from([]),
    };
    let runtime = match Runtime::new(config) {
        Ok(runtime) => runtime,
        Err(err) => {
            return fail(
                EXIT_OTHER,
                format!("cannot start the plugin runtime: {err:#}"),
            );
        }
    };
    let registry = match Registry::builtin(&runtime) {
        Ok(registry) => registry,
        Err(err) => {
            return fail(
                EXIT_PLUGIN,
                format!("a built-in plugin failed to load: {err}"),
            );
        }
    };
    let mut outcome = match pipeline::analyze(&runtime, &registry, &job) {
        Ok(outcome) => outcome,
        Err(err) => return report_error(&err),
    };

    let html = match crate::report::render_html(&outcome.document) {
        Ok(html) => html,
        Err(err) => return fail(EXIT_OTHER, format!("cannot render the report: {err}")),
    };
    if let Err(err) = write_atomically(&args.out, html.as_bytes()) {
        return fail(
            EXIT_OTHER,
            format!("cannot write the report to {}: {err}", args.out.display()),
        );
    }
    outcome.summary.report = Some(args.out.display().to_string());

    let printed = if args.json {
        serde_json::to_string(&outcome.summary).map(|json| println!("{json}"))
    } else {
        print_human(&outcome.summary);
        Ok(())
    };
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(EXIT_OTHER, format!("cannot print the summary: {err}")),
    }
}

fn input(path: &Path) -> Input {
    Input {
        name: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        display: path.display().to_string(),
        source: Source::Path(path.to_owned()),
    }
}

fn today() -> Date {
    let date = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    Date {
        year: u16::try_from(date.year()).unwrap_or(1970),
        month: date.month().unsigned_abs(),
        day: date.day().unsigned_abs(),
    }
}

fn report_error(err: &AnalyzeError) -> ExitCode {
    match err {
        AnalyzeError::Plugin(_) | AnalyzeError::AnalyzerDeclined { .. } => fail(EXIT_PLUGIN, err),
        err if err.is_input_problem() => fail(EXIT_INPUT, err),
        err => fail(EXIT_OTHER, err),
    }
}

/// Writes through a temporary file in the same directory, so a reader never sees half a report
/// and a failed run leaves any earlier report intact.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are created private; a report is an ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map(drop).map_err(|err| err.error)
}

fn print_human(summary: &pipeline::Summary) {
    for file in &summary.files {
        match &file.duplicate_of {
            Some(original) => println!("{}: same content as {}, counted once", file.path, original),
            None => println!(
                "{}: {} ({}%), {} rows, {} skipped",
                file.path, file.parser, file.confidence, file.rows, file.rows_skipped
            ),
        }
    }
    let revenue: Vec<String> = summary
        .revenue
        .iter()
        .map(|(c, v)| format!("{v} {c}"))
        .collect();
    let period = summary
        .period
        .as_ref()
        .map(|p| format!(", {} to {}", p.from, p.to))
        .unwrap_or_default();
    println!(
        "{} sales, {} assets, revenue {}{}",
        summary.sales,
        summary.assets,
        revenue.join(" + "),
        period
    );
    if let Some(report) = &summary.report {
        println!("report: {report}");
    }
}
