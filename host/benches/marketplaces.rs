//! What one contributor's file costs, per marketplace (issue 10): each repository example (a
//! real-sized export of every built-in marketplace) read as the bot reads an upload (detection
//! and parsing, `pipeline::inspect`), analyzed by all five report generators
//! (`pipeline::analyze`: parsing again, then the generators), and the report rendered to HTML.
//!
//! Run with `cargo bench -p stocklens --bench marketplaces`; figures go to docs/performance.md.
//! The same steps on a million rows are the `formats` and `generators` benches.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use stocklens::pipeline::{self, Input, Job, Selection, Source};
use stocklens::plugin::analyzer_types::PortfolioFacts;
use stocklens::plugin::types::Date;
use stocklens::plugin::{Registry, Runtime, RuntimeConfig};
use stocklens::report::{self, model::Lang};

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 27,
};

/// The first example of each marketplace directory, sorted.
fn examples() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("examples/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .filter_map(|dir| {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .ok()?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "json"))
                .collect();
            files.sort();
            let name = dir.file_name()?.to_string_lossy().into_owned();
            files.into_iter().next().map(|file| (name, file))
        })
        .collect()
}

fn job(file: &Path) -> Job {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(file).expect("example readable");
    Job {
        inputs: vec![Input {
            display: name.clone(),
            name,
            source: Source::Bytes(Arc::from(bytes)),
        }],
        marketplace: None,
        selection: Selection::default(),
        lang: Lang::En,
        facts: PortfolioFacts {
            portfolio_size: Some(1200),
            upload_limit: None,
            uploads_in_period: None,
            acceptance_rate: None,
            main_content: None,
        },
        analyzers: None,
        today: TODAY,
        max_skipped_percent: 20,
        history: Arc::from([]),
    }
}

fn per_marketplace(c: &mut Criterion) {
    let cache = tempfile::tempdir().expect("cache dir");
    let runtime = Runtime::new(RuntimeConfig {
        cache_dir: Some(cache.path().to_owned()),
        ..RuntimeConfig::default()
    })
    .expect("runtime");
    let registry = Registry::builtin(&runtime).expect("built-ins");
    for (marketplace, file) in examples() {
        let job = job(&file);
        let outcome = pipeline::analyze(&runtime, &registry, &job)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut group = c.benchmark_group(format!(
            "{marketplace} ({} rows)",
            outcome.summary.files[0].rows
        ));
        group.bench_function("parse", |b| {
            b.iter(|| {
                black_box(
                    pipeline::inspect(&runtime, &registry, &job.inputs[0], None, TODAY)
                        .expect("inspects"),
                )
            })
        });
        group.bench_function("parse + analyze", |b| {
            b.iter(|| black_box(pipeline::analyze(&runtime, &registry, &job).expect("analyzes")))
        });
        group.bench_function("render", |b| {
            b.iter(|| black_box(report::render_html(&outcome.document).expect("renders")))
        });
        group.finish();
    }
}

criterion_group!(benches, per_marketplace);
criterion_main!(benches);
