//! Why an analysis did not produce a report, in the three classes callers act on: the input
//! (the contributor can fix it), a plugin (an operator must), or the host itself.

use super::Input;
use super::decode::NotText;
use super::detect::Candidate;
use super::summary::PeriodSummary;
use super::workbook::WorkbookProblem;
use crate::plugin::PluginError;

/// An analysis that failed.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    #[error("{file}: {problem}")]
    Input { file: String, problem: InputProblem },
    #[error("{}", no_sales_message(.available))]
    NoSalesInSelection { available: Option<PeriodSummary> },
    #[error("unknown marketplace {id:?}; known: {}", .known.join(", "))]
    UnknownMarketplace { id: String, known: Vec<String> },
    #[error("unknown report generator {id:?}; known: {}", .known.join(", "))]
    UnknownAnalyzer { id: String, known: Vec<String> },
    #[error(transparent)]
    Plugin(#[from] PluginError),
    #[error("report generator {analyzer} could not make its report: {message}")]
    AnalyzerDeclined { analyzer: String, message: String },
    /// The other side of the pipeline stopped first; never the error reported.
    #[error("cancelled")]
    Cancelled,
    #[error("internal error: {0}")]
    Internal(String),
}

fn no_sales_message(available: &Option<PeriodSummary>) -> String {
    match available {
        Some(period) => format!(
            "no sales in the selected period and content type (the files have sales from {} to {})",
            period.from, period.to
        ),
        None => "no sales in the selected period and content type".to_owned(),
    }
}

impl AnalyzeError {
    pub(super) fn unreadable(input: &Input, err: std::io::Error) -> AnalyzeError {
        AnalyzeError::Input {
            file: input.display.clone(),
            problem: InputProblem::Unreadable(err),
        }
    }

    /// Whether the contributor's input (rather than a plugin or the host) is at fault.
    pub fn is_input_problem(&self) -> bool {
        matches!(
            self,
            AnalyzeError::Input { .. }
                | AnalyzeError::NoSalesInSelection { .. }
                | AnalyzeError::UnknownMarketplace { .. }
                | AnalyzeError::UnknownAnalyzer { .. }
        )
    }
}

/// What is wrong with one input file.
#[derive(Debug, thiserror::Error)]
pub enum InputProblem {
    #[error("cannot read the file: {0}")]
    Unreadable(std::io::Error),
    #[error("{0}")]
    NotText(NotText),
    #[error("{0}")]
    Workbook(WorkbookProblem),
    #[error("the file has no sales rows")]
    NoRows,
    #[error("{}", unknown_format_message(.candidates))]
    UnknownFormat { candidates: Vec<Candidate> },
    #[error("the format is ambiguous ({}); choose one with --marketplace", candidate_list(.candidates))]
    Ambiguous { candidates: Vec<Candidate> },
    #[error("{parser} cannot read it{}: {message}", .line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Rejected {
        parser: String,
        line: Option<u64>,
        message: String,
    },
    #[error(
        "{skipped} of {rows} rows could not be read (more than {limit_percent}%){}",
        .first.as_ref().map(|(line, msg)| format!("; first, line {line}: {msg}")).unwrap_or_default()
    )]
    TooManyBadRows {
        skipped: u64,
        rows: u64,
        limit_percent: u8,
        first: Option<(u64, String)>,
    },
}

fn candidate_list(candidates: &[Candidate]) -> String {
    candidates
        .iter()
        .map(|c| format!("{} {}%: {}", c.parser, c.confidence, c.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

fn unknown_format_message(candidates: &[Candidate]) -> String {
    match candidates.first() {
        Some(best) if best.confidence > 0 => format!(
            "the format is not recognised (closest: {}); if you know the marketplace, pass --marketplace",
            candidate_list(&candidates[..candidates.len().min(3)])
        ),
        _ => "the format is not recognised as any supported marketplace export".to_owned(),
    }
}
