//! Random bytes and mutated real exports fed to every built-in parser through the host, both
//! through detection and forced (`--marketplace`): the host never panics, every call returns
//! (each plugin call is bounded by the suite's 2 s sandbox deadline), and the answer is a result
//! or a specific one-line message. A built-in parser that traps, overruns its deadline or its
//! memory, or returns output the host refuses, on any input, fails the test: garbage is the
//! contributor's problem to be told about, never a plugin crash.
//!
//! The inputs come from proptest with a fixed seed and [`DEFAULT_CASES`] cases, so CI runs the
//! same few seconds of cases every time; `STOCKLENS_FUZZ_CASES=5000` runs that many with a fresh
//! seed (`cargo test -p stocklens --test sandbox fuzz -- --nocapture`). A failure is shrunk to a
//! small input and printed as the mutations that make it from its sample.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, TestCaseError, TestRng, TestRunner};
use stocklens::pipeline::{self, AnalyzeError, Input, InputProblem, Source, Warning};
use stocklens::plugin::types::Date;
use stocklens::plugin::{Registry, Runtime};

use super::{job, repo, runtime};

/// Cases per run in CI: each input read once through detection and once by every built-in parser
/// forced, this is about ten seconds of a debug build.
const DEFAULT_CASES: u32 = 96;

/// Set to a number of cases to fuzz longer locally, with a new seed each run.
const CASES_VAR: &str = "STOCKLENS_FUZZ_CASES";

/// Longest error message accepted as "one line": a contributor reads it in a terminal or a chat
/// message. Cell excerpts are capped by the SDK (40 characters), so only a list of candidates
/// with their reasons comes near this.
const MAX_MESSAGE_CHARS: usize = 1000;

const TODAY: Date = Date {
    year: 2026,
    month: 1,
    day: 1,
};

/// A real or example export: what the mutations start from.
struct Sample {
    /// Path from the repository root, for messages.
    path: String,
    /// The file's own name, passed to parsers (Freepik's carries the month).
    name: String,
    bytes: Vec<u8>,
}

/// Every example export in `examples/*/` and every real sample in `../shared/samples/`.
fn samples() -> Vec<Sample> {
    let mut paths = Vec::new();
    for dir in std::fs::read_dir(repo().join("examples")).expect("examples/") {
        for entry in std::fs::read_dir(dir.expect("an entry").path()).expect("a folder") {
            paths.push(entry.expect("an entry").path());
        }
    }
    let shared = repo().join("../shared/samples");
    assert!(
        shared.is_dir(),
        "the shared samples are at {}",
        shared.display()
    );
    for entry in std::fs::read_dir(&shared).expect("shared samples") {
        paths.push(entry.expect("an entry").path());
    }
    let mut samples: Vec<Sample> = paths
        .into_iter()
        .filter(|path| is_export(path))
        .map(|path| Sample {
            path: path
                .strip_prefix(repo())
                .unwrap_or(&path)
                .display()
                .to_string(),
            name: path
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned(),
            bytes: std::fs::read(&path).expect("sample reads"),
        })
        .collect();
    samples.sort_by(|a, b| a.path.cmp(&b.path));
    samples
}

fn is_export(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.is_file() && !name.ends_with(".json") && !name.ends_with(".md")
}

/// Largest input a case grows to: a huge cell repeated by a duplicated line would otherwise
/// ask for gigabytes. Four times the SDK's record limit is room enough.
const MAX_INPUT_BYTES: usize = 4 << 20;

/// Bytes an export is made of, so random text reaches the parsers' row code rather than only
/// the host's "not text" check.
const TEXT_BYTES: &[u8] = b"\"\",,,;;\t\t||\n\n\n\r--..$$ 0123456789abcdefAZ:T+/\xe2\x82\xac";

/// Names a random input is given: neutral ones, and ones that carry a period or look like a
/// marketplace's own export.
const NAMES: &[&str] = &[
    "fuzz.csv",
    "sales.txt",
    "activity.csv",
    "assets_report_05_2026.csv",
    "202601-123456-all.txt",
];

/// What the mutations insert: the characters that steer a CSV reader, encodings' marks, and
/// numbers and dates at the edges of what the parsers accept.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b",",
    b";",
    b"\t",
    b"|",
    b"\n",
    b"\r",
    b"\r\n",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"-",
    b"$",
    b"\xe2\x82\xac",
    b"99999999999999999999999",
    b"-0.0000001",
    b"1e308",
    b"NaN",
    b"0000-00-00T99:99:99+99:99",
    b"31-feb-2026",
    b"\xd0\xb4\xd0\xb5\xd0\xba",
];

/// Bytes a huge cell is made of: plain text, digits, delimiters (a million columns) or quotes.
const FILLS: &[u8] = b"x9,\"\t ";

/// One change to a sample. Positions are [`Index`]es, so a change shrinks and applies to any
/// length.
#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: Index, mask: u8 },
    Truncate { at: Index },
    Insert { at: Index, token: Token },
    Delete { at: Index, len: usize },
    DuplicateLine { line: Index, times: usize },
    HugeCell { at: Index, len: usize, fill: u8 },
}

/// A byte string printed as escaped ASCII, so a failing case reads as text.
#[derive(Clone)]
struct Token(&'static [u8]);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<Index>;
    prop_oneof![
        3 => (at(), 1..=255u8).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        1 => at().prop_map(|at| Mutation::Truncate { at }),
        4 => (at(), select(TOKENS)).prop_map(|(at, token)| Mutation::Insert {
            at,
            token: Token(token)
        }),
        2 => (at(), 1..256usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        2 => (at(), 1..200usize).prop_map(|(line, times)| Mutation::DuplicateLine { line, times }),
        // Mostly cells a few KiB long; sometimes past the SDK's 1 MiB record limit.
        1 => (
            at(),
            prop_oneof![4 => 1..8192usize, 1 => (1 << 20) - 64..(1 << 20) + 4096usize],
            select(FILLS),
        )
            .prop_map(|(at, len, fill)| Mutation::HugeCell { at, len, fill }),
    ]
}

impl Mutation {
    fn apply(&self, bytes: &mut Vec<u8>) {
        let position = |at: &Index, bytes: &Vec<u8>| at.index(bytes.len() + 1);
        match self {
            Mutation::Flip { at, mask } => {
                if !bytes.is_empty() {
                    let i = at.index(bytes.len());
                    bytes[i] ^= mask;
                }
            }
            Mutation::Truncate { at } => bytes.truncate(position(at, bytes)),
            Mutation::Insert { at, token } => {
                let i = position(at, bytes);
                bytes.splice(i..i, token.0.iter().copied());
            }
            Mutation::Delete { at, len } => {
                let i = position(at, bytes);
                let end = (i + len).min(bytes.len());
                bytes.drain(i..end);
            }
            Mutation::DuplicateLine { line, times } => {
                let starts: Vec<usize> = std::iter::once(0)
                    .chain(
                        bytes
                            .iter()
                            .enumerate()
                            .filter(|(_, b)| **b == b'\n')
                            .map(|(i, _)| i + 1),
                    )
                    .filter(|&start| start < bytes.len())
                    .collect();
                if starts.is_empty() {
                    return;
                }
                let start = starts[line.index(starts.len())];
                let end = bytes[start..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |i| start + i + 1);
                let copy = bytes[start..end].to_vec();
                let room = MAX_INPUT_BYTES.saturating_sub(bytes.len()) / copy.len().max(1);
                let copies = copy.repeat((*times).min(room));
                bytes.splice(end..end, copies);
            }
            Mutation::HugeCell { at, len, fill } => {
                let i = position(at, bytes);
                let len = (*len).min(MAX_INPUT_BYTES.saturating_sub(bytes.len()));
                bytes.splice(i..i, std::iter::repeat_n(*fill, len));
            }
        }
    }
}

/// One input to every parser.
#[derive(Clone)]
enum Case {
    Random { name: String, bytes: Vec<u8> },
    Mutated { sample: usize, edits: Vec<Mutation> },
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Case::Random { name, bytes } => {
                write!(f, "{name:?} = b\"{}\"", bytes.escape_ascii())
            }
            Case::Mutated { sample, edits } => {
                write!(f, "sample #{sample} with {edits:?}")
            }
        }
    }
}

fn case(samples: usize) -> impl Strategy<Value = Case> {
    let name = || select(NAMES).prop_map(str::to_owned);
    prop_oneof![
        1 => (name(), vec(any::<u8>(), 0..2048))
            .prop_map(|(name, bytes)| Case::Random { name, bytes }),
        1 => (name(), vec(select(TEXT_BYTES), 0..2048))
            .prop_map(|(name, bytes)| Case::Random { name, bytes }),
        4 => (0..samples, vec(mutation(), 1..8))
            .prop_map(|(sample, edits)| Case::Mutated { sample, edits }),
    ]
}

impl Case {
    /// The file name and bytes the parsers get.
    fn input(&self, samples: &[Sample]) -> (String, Vec<u8>) {
        match self {
            Case::Random { name, bytes } => (name.clone(), bytes.clone()),
            Case::Mutated { sample, edits } => {
                let sample = &samples[*sample];
                let mut bytes = sample.bytes.clone();
                for edit in edits {
                    edit.apply(&mut bytes);
                }
                (sample.name.clone(), bytes)
            }
        }
    }
}

/// How the answers went, over a run: printed with `--nocapture`, to see that the inputs reach
/// the parsers' row code rather than all stopping at "not text" or "not recognised".
#[derive(Default)]
struct Tally {
    read: AtomicU64,
    refused: AtomicU64,
    warnings: AtomicU64,
}

impl Tally {
    fn count(&self, counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        write!(
            f,
            "{} files read ({} row warnings), {} refused with a message",
            get(&self.read),
            get(&self.warnings),
            get(&self.refused)
        )
    }
}

/// Whether a message is fit to show a contributor: something, on one line, of a readable length.
fn one_line(what: &str, message: &str) -> Result<(), TestCaseError> {
    prop_assert!(!message.trim().is_empty(), "{what}: an empty message");
    prop_assert!(
        !message.contains(['\n', '\r']),
        "{what}: the message is more than one line: {message:?}"
    );
    prop_assert!(
        message.chars().count() <= MAX_MESSAGE_CHARS,
        "{what}: the message is {} characters long: {message:?}",
        message.chars().count()
    );
    Ok(())
}

/// Whether an answer is acceptable: a result whose row warnings are one-line messages, or an
/// error that tells the contributor what is wrong with the file in one line. Anything a plugin
/// or the host got wrong fails.
fn judge<T>(
    what: &str,
    result: Result<T, AnalyzeError>,
    warnings: impl Fn(&T) -> Vec<String>,
    tally: &Tally,
) -> Result<(), TestCaseError> {
    let error = match result {
        Ok(value) => {
            let warnings = warnings(&value);
            tally.count(&tally.read, 1);
            tally.count(&tally.warnings, warnings.len() as u64);
            for warning in warnings {
                one_line(&format!("{what}, a row warning"), &warning)?;
            }
            return Ok(());
        }
        Err(error) => error,
    };
    tally.count(&tally.refused, 1);
    match &error {
        AnalyzeError::Plugin(failure) => {
            return Err(TestCaseError::fail(format!(
                "{what}: a built-in plugin failed instead of explaining the input: {failure} ({:?})",
                failure.kind
            )));
        }
        AnalyzeError::Internal(_)
        | AnalyzeError::Cancelled
        | AnalyzeError::UnknownMarketplace { .. }
        | AnalyzeError::UnknownAnalyzer { .. } => {
            return Err(TestCaseError::fail(format!(
                "{what}: not an answer about the input: {error:?}"
            )));
        }
        AnalyzeError::Input {
            problem: InputProblem::Rejected { message, .. },
            ..
        } => prop_assert!(
            !message.trim().is_empty(),
            "{what}: a parser rejected the file without saying why: {error:?}"
        ),
        _ => {}
    }
    one_line(what, &error.to_string())
}

/// Runs one input through detection, then through every built-in parser forced.
fn run_case(
    runtime: &Runtime,
    registry: &Registry,
    name: &str,
    bytes: Vec<u8>,
    tally: &Tally,
) -> Result<(), TestCaseError> {
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let input = Input {
        name: name.to_owned(),
        display: name.to_owned(),
        source: Source::Bytes(bytes.clone()),
    };
    // As the bot describes an upload: detection, then the chosen parser.
    let detected = pipeline::inspect(runtime, registry, &input, None, TODAY);
    if let Ok(inspection) = &detected {
        prop_assert!(
            inspection.skipped_rows <= inspection.rows,
            "more rows skipped than read: {inspection:?}"
        );
    }
    let messages = |warnings: &[Warning]| warnings.iter().map(|w| w.message.clone()).collect();
    judge(
        "detected",
        detected,
        |inspection| messages(&inspection.warnings),
        tally,
    )?;
    // As `stocklens analyze --marketplace ID` runs it: the report generators see whatever each
    // parser made of the input.
    for parser in registry.parsers() {
        let id = &parser.info.id;
        let mut forced = job(Some(id), name, Vec::new());
        forced.inputs[0].source = Source::Bytes(bytes.clone());
        judge(
            &format!("--marketplace {id}"),
            pipeline::analyze(runtime, registry, &forced),
            |outcome| {
                let files = &outcome.summary.files;
                files.iter().flat_map(|f| messages(&f.warnings)).collect()
            },
            tally,
        )?;
    }
    Ok(())
}

/// The input of a failing case as escaped text, cut to a readable length.
fn shown(bytes: &[u8]) -> String {
    const SHOWN: usize = 600;
    let cut = &bytes[..bytes.len().min(SHOWN)];
    let more = bytes.len().saturating_sub(SHOWN);
    let tail = if more > 0 {
        format!("... ({more} more bytes)")
    } else {
        String::new()
    };
    format!("b\"{}\"{tail} ({} bytes)", cut.escape_ascii(), bytes.len())
}

fn cases_to_run() -> (u32, bool) {
    match std::env::var(CASES_VAR) {
        Ok(text) => (
            text.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{CASES_VAR} must be a number, got {text:?}")),
            true,
        ),
        Err(_) => (DEFAULT_CASES, false),
    }
}

#[test]
fn random_and_mutated_files_get_an_answer_from_every_parser() {
    let samples = samples();
    assert!(samples.len() >= 13, "samples found: {}", samples.len());
    let runtime = runtime(None);
    let registry = Registry::builtin(&runtime).expect("built-ins load");
    assert!(registry.parsers().len() >= 5, "every built-in parser");

    let (cases, fresh_seed) = cases_to_run();
    let config = Config {
        cases,
        // Failures are reported with their shrunk input; no regression files in the tree.
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = if fresh_seed {
        TestRunner::new(config)
    } else {
        let rng = TestRng::deterministic_rng(config.rng_algorithm);
        TestRunner::new_with_rng(config, rng)
    };
    let tally = Tally::default();
    let result = runner.run(&case(samples.len()), |case| {
        let (name, bytes) = case.input(&samples);
        let shown = shown(&bytes);
        run_case(&runtime, &registry, &name, bytes, &tally)
            .map_err(|error| TestCaseError::fail(format!("{error}\n{name:?} = {shown}")))
    });
    eprintln!("fuzz: {cases} cases: {tally}");
    if let Err(failure) = result {
        let listing: Vec<String> = samples
            .iter()
            .enumerate()
            .map(|(i, s)| format!("#{i} {}", s.path))
            .collect();
        panic!("{failure}\nsamples: {}", listing.join(", "));
    }
}

/// Inputs fuzzing found a built-in parser failing on, kept as plain cases so they run whatever
/// the seed.
#[test]
fn inputs_that_once_broke_a_parser_get_an_answer() {
    let runtime = runtime(None);
    let registry = Registry::builtin(&runtime).expect("built-ins load");
    let freepik = "Asset type,File name,Description,Asset public URL,Freepik Asset ID,Freepik Downloads,Freepik Earnings EUR\n";
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    // A description over the host's 4 KiB limit for a sale's text: the whole parse was refused
    // as the plugin's invalid output.
    cases.push((
        "assets_report_05_2026.csv",
        format!("{freepik}photo,a.jpg,\"{}\",u,1,1,0.5\n", "x".repeat(5000)).into_bytes(),
    ));
    // An asset id over the host's 256-byte limit.
    cases.push((
        "assets_report_05_2026.csv",
        format!(
            "{freepik}photo,a.jpg,d,u,{},1,0.5\nphoto,b.jpg,d,u,2,1,0.5\n",
            "9".repeat(300)
        )
        .into_bytes(),
    ));
    // A quoted amount with a line break in it: its row warning, and the refusal quoting it,
    // were two lines.
    cases.push((
        "assets_report_05_2026.csv",
        format!("{freepik}photo,a.jpg,d,u,1,1,\"oops\nmore\"\nphoto,b.jpg,d,u,2,1,0.5\n")
            .into_bytes(),
    ));
    // A line break inside a quoted amount: the SDK's "it contains" named the character raw, so
    // the row warning was two lines.
    cases.push((
        "statement.csv",
        b"Date,Order ID,Type,Detail,Item ID,Price,Amount\n2019-03-02,1,Sale,x,5,6.00,\"5\n9.00\"\n"
            .to_vec(),
    ));
    // Three thousand short rows in less than the generic parser's 64 KiB head: every sale came
    // from finish(), which the host allows 1,024.
    let mut compact = String::from("Date,ID,Amount\n");
    for i in 0..3000 {
        compact.push_str(&format!("2025-01-{:02},{i},1.00\n", i % 28 + 1));
    }
    cases.push(("sales.csv", compact.into_bytes()));
    // Two thousand rows whose dates never tell day from month: the same, from the rows that
    // waited for the order.
    let mut undecided = String::from("Date,ID,Amount\n");
    for i in 0..2000 {
        undecided.push_str(&format!("01/02/2025,{i},1.00\n"));
    }
    cases.push(("sales.csv", undecided.into_bytes()));
    // A header cell that names the earnings with a long, two-line unit: the generic parser's
    // reason (shown when no parser is sure) quoted it whole.
    cases.push((
        "sales.csv",
        format!(
            "Date,ID,\"Amount (USD\n{})\"\n2025-01-01,1,1.00\n",
            "y".repeat(3000)
        )
        .into_bytes(),
    ));
    // A megabyte of quotes before a header: one cell, normalized for every alias of every
    // column, took the generic parser past its deadline.
    let mut quotes = vec![b'"'; 1 << 20];
    quotes.extend_from_slice(b"Date,ID,Amount\n2025-01-01,1,1.00\n");
    cases.push(("sales.csv", quotes));
    let tally = Tally::default();
    for (name, bytes) in cases {
        let shown = shown(&bytes);
        if let Err(error) = run_case(&runtime, &registry, name, bytes, &tally) {
            panic!("{error}\n{name:?} = {shown}");
        }
    }
}
