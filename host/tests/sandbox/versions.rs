//! Interface versions: plugins built against `stocklens:plugin@1.0.0`, kept as binaries that are
//! never rebuilt, run on this host beside the built-ins (1.1.0); a 1.1.0 generator that reads
//! only the selection is never fed the history.

use std::sync::Arc;

use stocklens::pipeline;
use stocklens::plugin::analyzer_types::{Filters, PortfolioFacts, Request, Scope};
use stocklens::plugin::types::{Date, SaleBatch};
use stocklens::plugin::{Registry, SUPPORTED_WIT_VERSIONS};

use super::{example_job, repo, runtime};

/// A component built against 1.0.0 before 1.1.0 existed, with the sha256 it must keep: a
/// fixture rebuilt by accident would prove nothing.
fn fixture(file: &str, sha256: &str) -> Vec<u8> {
    let bytes = std::fs::read(repo().join("host/tests/fixtures/wit-1.0.0").join(file))
        .expect("the 1.0.0 fixture is in the repository");
    let digest = sha2_hex(&bytes);
    assert_eq!(digest, sha256, "{file} is the frozen 1.0.0 build");
    bytes
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn plugins_built_against_1_0_0_run_on_this_host() {
    assert_eq!(SUPPORTED_WIT_VERSIONS, ["1.1.0", "1.0.0"]);
    let runtime = runtime(None);
    let parser = runtime
        .load(&fixture(
            "adobe_stock.wasm",
            "95b793d4045a42295b0328dbfc4961bbe94acff8623d81544f190c5e2c307de2",
        ))
        .expect("the 1.0.0 parser loads");
    let probe = runtime
        .load(&fixture(
            "test_probe_1.wasm",
            "4db2942672d7866501f46e492cdff2af2c92ba86c4e3dc890935dcaec90f1904",
        ))
        .expect("the 1.0.0 generator loads");
    assert_eq!(
        (parser.wit_version.as_str(), probe.wit_version.as_str()),
        ("1.0.0", "1.0.0")
    );

    // The 1.0.0 parser in place of the built-in, and the 1.0.0 generator beside the built-ins:
    // the same file gives the same totals as with the built-in parser, and the probe reports.
    let builtins = Registry::builtin(&runtime).expect("built-ins");
    assert!(builtins.all().all(|p| p.wit_version == "1.1.0"));
    let expected = pipeline::analyze(&runtime, &builtins, &example_job()).expect("built-ins");
    let mut registry = builtins.clone();
    registry.add(Arc::clone(&parser));
    registry.add(Arc::clone(&probe));
    let outcome = pipeline::analyze(&runtime, &registry, &example_job()).expect("1.0.0 plugins");
    assert_eq!(outcome.summary.files[0].parser, "adobe-stock@1.0.0");
    assert_eq!(outcome.summary.sales, expected.summary.sales);
    assert_eq!(outcome.summary.revenue, expected.summary.revenue);
    assert!(
        outcome
            .summary
            .analyzers
            .contains(&"test-probe@1.0.0".to_owned()),
        "{:?}",
        outcome.summary.analyzers
    );
    let probe_report = outcome
        .document
        .analyses
        .iter()
        .find(|a| a.analyzer == "test-probe@1.0.0")
        .expect("the probe's report");
    assert_eq!(probe_report.sections[0].title, "Probe 1.0.0");

    // A 1.0.0 generator declares nothing and is fed every scope.
    let instance = runtime.analyzer(&probe).expect("instance");
    assert_eq!(instance.reads(), None);
}

fn request() -> Request {
    Request {
        locale: "en".into(),
        filters: Filters {
            from: None,
            to: None,
            media: None,
        },
        facts: PortfolioFacts {
            portfolio_size: None,
            upload_limit: None,
            uploads_in_period: None,
            acceptance_rate: None,
            main_content: None,
        },
        today: Date {
            year: 2026,
            month: 1,
            day: 1,
        },
    }
}

#[test]
fn a_generator_that_reads_only_the_selection_is_never_fed_the_history() {
    let runtime = runtime(None);
    let registry = Registry::builtin(&runtime).expect("built-ins");
    let empty = SaleBatch {
        text: String::new(),
        sales: Vec::new(),
    };
    for (id, reads) in [
        ("overview", vec![Scope::Selected]),
        ("concentration", vec![Scope::Selected]),
        ("trends", vec![Scope::Selected, Scope::History]),
    ] {
        let plugin = registry.analyzer(id).expect("built-in");
        let mut instance = runtime.analyzer(plugin).expect("instance");
        assert_eq!(instance.reads(), Some(&reads[..]), "{id}");
        instance.begin(&request()).expect("begin");
        instance
            .feed("adobe-stock", Scope::History, &empty)
            .expect("feed");
        instance
            .feed("adobe-stock", Scope::Selected, &empty)
            .expect("feed");
        let skipped = u64::from(!reads.contains(&Scope::History));
        assert_eq!(instance.skipped_batches(), skipped, "{id}");
        instance.finish().expect("finish").expect("a report");
    }
}
