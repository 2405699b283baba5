//! Detection plus parsing of a large file of each format (issue 6), as the host runs it: decode,
//! every built-in parser scoring the head, then the chosen parser's component fed the whole file
//! in chunks (`pipeline::inspect`, no report generators).
//!
//! The files come from `gen-export --format all` (plugins/bench); the command is in
//! docs/performance.md. Run with
//! `cargo bench -p stocklens --bench formats -- [DIR] [--runs N]` (DIR defaults to
//! `target/bench/formats`). Prints a Markdown table per run set: time (best and median of the
//! runs), throughput in MB/s and rows/s, time per MB against the Adobe Stock file (the issue's
//! target is at most 2x), and the process's peak resident memory during that file's runs.
//! Asserts nothing but that each file is detected and read.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use stocklens::pipeline::{self, Input, Inspection, Source};
use stocklens::plugin::types::Date;
use stocklens::plugin::{Registry, Runtime, RuntimeConfig};

/// Runs per file unless `--runs` says otherwise: the best of three is stable enough on a quiet
/// machine, and the median shows how noisy it was.
const DEFAULT_RUNS: usize = 3;

/// The parser whose throughput the others are held against.
const BASELINE: &str = "adobe-stock";

const TODAY: Date = Date {
    year: 2026,
    month: 1,
    day: 1,
};

/// One file's figures.
struct Measured {
    file: String,
    parser: String,
    bytes: u64,
    inspection: Inspection,
    times: Vec<Duration>,
    /// Peak resident set during this file's runs, in bytes, where Linux tells.
    peak_rss: Option<u64>,
}

impl Measured {
    fn best(&self) -> Duration {
        self.times.iter().min().copied().unwrap_or_default()
    }

    fn median(&self) -> Duration {
        let mut sorted = self.times.clone();
        sorted.sort();
        sorted.get(sorted.len() / 2).copied().unwrap_or_default()
    }

    /// Megabytes (10^6 bytes) per second, over the best run.
    fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.best().as_secs_f64()
    }

    /// Seconds per megabyte, over the best run.
    fn s_per_mb(&self) -> f64 {
        self.best().as_secs_f64() / (self.bytes as f64 / 1e6)
    }
}

fn main() {
    let (dir, runs) = arguments();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| {
            panic!(
                "{}: {err}; generate the files first (docs/performance.md, issue 6)",
                dir.display()
            )
        })
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no files in {}", dir.display());

    let cache = tempfile::tempdir().expect("cache dir");
    let runtime = Runtime::new(RuntimeConfig {
        cache_dir: Some(cache.path().to_owned()),
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let registry = Registry::builtin(&runtime).expect("built-ins");

    let mut measured: Vec<Measured> = files
        .iter()
        .map(|path| measure(&runtime, &registry, path, runs))
        .collect();
    // Baseline first, then as the parsers are registered.
    let order = |m: &Measured| {
        (
            m.parser != BASELINE,
            registry
                .parsers()
                .iter()
                .position(|p| p.info.id == m.parser),
            m.file.clone(),
        )
    };
    measured.sort_by_key(order);
    print_table(&measured, runs);
}

/// `[DIR] [--runs N]`, ignoring the `--bench` cargo passes to every bench binary.
fn arguments() -> (PathBuf, usize) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("host/ is inside the repository")
        .to_path_buf();
    let mut dir = repo.join("target/bench/formats");
    let mut runs = DEFAULT_RUNS;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .expect("--runs takes a positive number");
            }
            other => dir = PathBuf::from(other),
        }
    }
    (dir, runs)
}

fn measure(runtime: &Runtime, registry: &Registry, path: &Path, runs: usize) -> Measured {
    let name = path
        .file_name()
        .expect("a file")
        .to_string_lossy()
        .into_owned();
    let input = Input {
        name: name.clone(),
        display: path.display().to_string(),
        source: Source::Path(path.to_owned()),
    };
    let bytes = std::fs::metadata(path).expect("file size").len();
    let peak_reset = reset_peak_rss();
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let inspection = pipeline::inspect(runtime, registry, &input, None, TODAY)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        times.push(started.elapsed());
        last = Some(inspection);
    }
    let inspection = last.expect("at least one run");
    let measured = Measured {
        file: name,
        parser: inspection.parser.clone(),
        bytes,
        inspection,
        times,
        peak_rss: peak_reset.then(peak_rss).flatten(),
    };
    eprintln!(
        "{}: {} in {:?} (runs {:?})",
        measured.file,
        measured.parser,
        measured.best(),
        measured.times
    );
    measured
}

fn print_table(measured: &[Measured], runs: usize) {
    let baseline = measured
        .iter()
        .find(|m| m.parser == BASELINE)
        .map(Measured::s_per_mb);
    println!(
        "\n{} CPUs, best and median of {runs} runs, release build\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "| format | file | size | rows | skipped | time (best / median) | MB/s | rows/s | time per MB vs {BASELINE} | peak RSS |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for m in measured {
        let ratio = baseline.map_or("n/a".to_owned(), |b| format!("{:.2}x", m.s_per_mb() / b));
        let peak = m.peak_rss.map_or("n/a".to_owned(), |bytes| {
            format!("{} MB", bytes / 1_000_000)
        });
        println!(
            "| {} | {} | {:.1} MB | {} | {} | {:.3} s / {:.3} s | {:.0} | {:.0} | {ratio} | {peak} |",
            m.parser,
            m.file,
            m.bytes as f64 / 1e6,
            m.inspection.rows,
            m.inspection.skipped_rows,
            m.best().as_secs_f64(),
            m.median().as_secs_f64(),
            m.mb_per_s(),
            m.inspection.rows as f64 / m.best().as_secs_f64(),
        );
    }
}

/// Resets the kernel's record of this process's peak resident set (Linux: writing 5 to
/// `clear_refs`), so the next reading is the peak of what runs after. False where that fails.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The process's peak resident set since the last reset (`VmHWM`), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
