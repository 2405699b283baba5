//! Hostile plugins: each fault fails its own job with its own kind of error, naming the plugin,
//! and the same runtime then serves a normal job and a job on another parser. Also: a plugin
//! reaches no file, network, environment or clock; a flood of output is capped while its job
//! succeeds; legal extremes add up without overflow; an unwritable cache still runs plugins.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::net::{TcpListener, UdpSocket};

use stocklens::pipeline::{self, AnalyzeError, InputProblem, format_micros};
use stocklens::plugin::analyzer_types::PortfolioFacts;
use stocklens::plugin::{
    DEFAULT_OUTPUT_LIMIT, MAX_SALE_MICROS, MAX_SALE_UNITS, PluginErrorKind, RuntimeConfig,
};

use super::logs::{self, Logged};
use super::{
    example_job, expect_plugin_error, job, misbehave, misbehave_on, registry_with, runtime,
    still_serves, test_plugin,
};

#[test]
fn unbounded_recursion_is_reported_as_a_stack_overflow() {
    let kind = misbehave("test_stack_overflow.wasm");
    assert!(matches!(kind, PluginErrorKind::StackOverflow), "{kind:?}");
}

#[test]
fn a_string_that_is_not_utf8_is_refused_as_invalid_output() {
    let kind = misbehave("test_bad_utf8.wasm");
    let PluginErrorKind::BadOutput(message) = &kind else {
        panic!("expected invalid output, got {kind:?}");
    };
    assert!(message.contains("not valid UTF-8"), "{message}");
}

#[test]
fn a_sale_in_month_13_is_refused_by_its_date() {
    let error = misbehave_on("test_bad_values.wasm", b"month-13\n");
    let PluginErrorKind::BadOutput(message) = &error.kind else {
        panic!("expected invalid output, got {error}");
    };
    assert!(
        message.contains("2025-13-01") && message.contains("not a calendar date"),
        "{message}"
    );
}

/// A parser built with the SDK never sends an absurd amount or count: the SDK leaves such a
/// sale out with a row issue naming the value, so the contributor reads why their file failed
/// instead of an invalid-output error. (A plugin not built with the SDK that sends one fails
/// its job as `bad_output` naming the value and the bound: `plugin::instance`'s unit test
/// `amounts_and_units_are_bounded_either_way`.)
#[test]
fn absurd_amounts_and_units_are_left_out_with_the_reason() {
    let cases = [
        (
            "earnings-max",
            "9223372036854.775807 USD is more than one sale can earn",
        ),
        (
            "earnings-min",
            "-9223372036854.775808 USD is more than one sale can earn",
        ),
        (
            "units-max",
            "2147483647 units is more than one sale can stand for",
        ),
        (
            "units-min",
            "-2147483648 units is more than one sale can stand for",
        ),
    ];
    let runtime = runtime(None);
    let (registry, id) = registry_with(&runtime, "test_bad_values.wasm");
    for (mode, reason) in cases {
        let bad = job(Some(&id), "input.csv", format!("{mode}\n").into_bytes());
        match pipeline::analyze(&runtime, &registry, &bad) {
            Err(AnalyzeError::Input {
                problem:
                    InputProblem::TooManyBadRows {
                        first: Some((_, message)),
                        ..
                    },
                ..
            }) => assert!(message.contains(reason), "{mode}: {message}"),
            other => panic!("{mode}: expected the sale left out, got {other:?}"),
        }
        still_serves(&runtime, &registry);
    }
    // Within the bounds, the same plugin's sales count.
    let legal = job(Some(&id), "legal.csv", legal_extremes(200));
    let outcome = pipeline::analyze(&runtime, &registry, &legal).expect("legal extremes parse");
    assert!(outcome.summary.sales > 0);
}

#[test]
fn a_parser_that_failed_one_job_reads_the_next_file() {
    // Every job gets a fresh instance: a plugin's failure does not stick to it.
    let runtime = runtime(None);
    let (registry, id) = registry_with(&runtime, "test_bad_values.wasm");
    let bad = job(Some(&id), "bad.csv", b"month-13\n".to_vec());
    expect_plugin_error(pipeline::analyze(&runtime, &registry, &bad), &id);
    let good = job(Some(&id), "good.csv", b"valid\n".to_vec());
    let outcome = pipeline::analyze(&runtime, &registry, &good).expect("the valid file parses");
    assert_eq!(outcome.summary.sales, 1);
    assert_eq!(outcome.summary.revenue["USD"], "0.99");
}

#[test]
fn a_billion_empty_sales_are_refused_at_the_first_batch() {
    let error = misbehave_on("test_bad_values.wasm", b"billion-sales\n");
    let PluginErrorKind::BadOutput(message) = &error.kind else {
        panic!("expected invalid output, got {error}");
    };
    assert!(
        message.contains("returned 100000 sales, more than the 15 bytes"),
        "{message}"
    );
}

/// A file for `test-bad-values` making `bytes` sales at both bounds, half in USD, half in EUR.
fn legal_extremes(bytes: usize) -> Vec<u8> {
    let mut input = b"legal-extremes\n".to_vec();
    input.resize(bytes, b'.');
    input
}

#[test]
fn sums_of_the_largest_legal_sales_do_not_overflow() {
    // 20 000 sales at both bounds: each currency's money is 10 000 times the bound, past what
    // `i64` holds, and the host's totals must still be exact.
    const SALES: usize = 20_000;
    let runtime = runtime(None);
    let (registry, id) = registry_with(&runtime, "test_bad_values.wasm");
    let mut totals_only = job(Some(&id), "max.csv", legal_extremes(SALES));
    totals_only.analyzers = Some(Vec::new());
    let outcome = pipeline::analyze(&runtime, &registry, &totals_only).expect("accepted");
    let per_currency = i128::from(MAX_SALE_MICROS) * (SALES as i128 / 2);
    assert!(per_currency > i128::from(i64::MAX));
    assert_eq!(outcome.summary.revenue["USD"], format_micros(per_currency));
    assert_eq!(outcome.summary.revenue["EUR"], format_micros(per_currency));
    assert_eq!(
        outcome.summary.sales,
        i64::from(MAX_SALE_UNITS) * SALES as i64
    );

    // The report generators' interface carries money as 64-bit micros: a generator whose sum no
    // longer fits declines in words (the SDK's `Value::money`) rather than crash or misstate.
    let everything = job(Some(&id), "max.csv", legal_extremes(SALES));
    match pipeline::analyze(&runtime, &registry, &everything) {
        Err(AnalyzeError::AnalyzerDeclined { message, .. }) => {
            assert!(message.contains("too large to report exactly"), "{message}")
        }
        other => panic!("expected a generator to decline, got {other:?}"),
    }

    // 9 000 such sales still fit: every built-in generator reports and the page renders.
    let fits = job(Some(&id), "max.csv", legal_extremes(9_000));
    let outcome = pipeline::analyze(&runtime, &registry, &fits).expect("every generator reports");
    assert_eq!(
        outcome.summary.revenue["USD"],
        format_micros(i128::from(MAX_SALE_MICROS) * 4_500)
    );
    stocklens::report::render_html(&outcome.document).expect("the report renders");
}

#[test]
fn output_over_the_limit_fails_the_call() {
    let kind = misbehave("test_huge_output.wasm");
    assert!(
        matches!(kind, PluginErrorKind::OutputCap(limit) if limit == DEFAULT_OUTPUT_LIMIT),
        "{kind:?}"
    );
    assert_eq!(
        kind.to_string(),
        "returned more than 16 MiB from one call and was stopped"
    );
}

/// The example job with `test-greedy` among the report generators, in the mode `portfolio_size`
/// selects; returns the error the analysis failed with, after checking the runtime still works.
fn greedy(portfolio_size: u32) -> PluginErrorKind {
    let runtime = runtime(None);
    let (registry, id) = registry_with(&runtime, "test_greedy.wasm");
    let mut bad = example_job();
    bad.facts = PortfolioFacts {
        portfolio_size: Some(portfolio_size),
        ..bad.facts
    };
    let error = expect_plugin_error(pipeline::analyze(&runtime, &registry, &bad), &id);
    // The same generator, asked normally, reports beside the built-ins.
    let outcome = pipeline::analyze(&runtime, &registry, &example_job()).expect("next job");
    assert!(
        outcome
            .summary
            .analyzers
            .contains(&"test-greedy@1.0.0".to_owned()),
        "{:?}",
        outcome.summary.analyzers
    );
    still_serves(&runtime, &registry);
    error.kind
}

#[test]
fn a_report_generator_hoarding_memory_hits_the_cap() {
    let kind = greedy(1);
    assert!(
        matches!(kind, PluginErrorKind::MemoryCap(bytes) if bytes == 64 * 1024 * 1024),
        "{kind:?}"
    );
}

#[test]
fn a_report_over_the_output_limit_fails_its_job() {
    let kind = greedy(2);
    assert!(
        matches!(kind, PluginErrorKind::OutputCap(limit) if limit == DEFAULT_OUTPUT_LIMIT),
        "{kind:?}"
    );
}

#[test]
fn a_flood_of_output_is_capped_and_its_job_succeeds() {
    // Mirrors test-log-flood: 25 MiB to each stream, stdout's 65 520-byte writes of lines first.
    const FLOOD_BYTES: u64 = 25 * 1024 * 1024;
    const LOG_LIMIT: usize = 100 * 1024;
    logs::capture();
    let runtime = stocklens::plugin::Runtime::new(RuntimeConfig {
        log_limit: LOG_LIMIT,
        memory_limit: 64 * 1024 * 1024,
        ..RuntimeConfig::default()
    })
    .expect("runtime starts");
    let (registry, id) = registry_with(&runtime, "test_log_flood.wasm");
    let outcome = pipeline::analyze(
        &runtime,
        &registry,
        &job(Some(&id), "flood.csv", b"x".into()),
    )
    .expect("a chatty plugin's job succeeds");
    assert_eq!(outcome.summary.sales, 1);

    let label = format!("{id}@1.0.0");
    let own = |event: &Logged| event.field("plugin") == Some(label.as_str());
    let (dropped, kept): (Vec<Logged>, Vec<Logged>) = logs::logged(own)
        .into_iter()
        .partition(|event| event.field("dropped").is_some());
    // Each kept line cost its bytes and its line break (an unended line costs none).
    let kept_bytes: usize = kept.iter().map(|event| event.message_bytes + 1).sum();
    assert!(kept_bytes <= LOG_LIMIT + 1, "kept {kept_bytes} bytes");
    assert!(
        kept.iter()
            .any(|e| e.level == tracing::Level::INFO && e.message.starts_with("flooding")),
        "stdout lines are logged"
    );
    assert!(
        kept.iter()
            .any(|e| e.level == tracing::Level::WARN && e.message.starts_with("yyyy")),
        "stderr's unended line is logged when the cap is reached"
    );
    let [dropped] = dropped.as_slice() else {
        panic!("one warning about dropped output: {dropped:?}");
    };
    assert_eq!(
        dropped.field("dropped"),
        Some((2 * FLOOD_BYTES - LOG_LIMIT as u64).to_string().as_str())
    );
    still_serves(&runtime, &registry);
}

#[test]
fn plugins_reach_no_file_network_environment_or_clock() {
    let runtime = runtime(None);
    let plugin = runtime
        .load(&test_plugin("test_escape.wasm"))
        .expect("test plugin loads");
    let tcp = TcpListener::bind("127.0.0.1:0").expect("a local TCP port");
    tcp.set_nonblocking(true).expect("non-blocking");
    let udp = UdpSocket::bind("127.0.0.1:0").expect("a local UDP port");
    udp.set_nonblocking(true).expect("non-blocking");
    let (tcp_at, udp_at) = (
        tcp.local_addr().expect("bound"),
        udp.local_addr().expect("bound"),
    );

    let mut parser = runtime.parser(&plugin).expect("an instance");
    parser.begin("escape.csv").expect("a session");
    let input = format!("tcp={tcp_at}\nudp={udp_at}\n");
    let report = match parser.feed(input.as_bytes()).expect("the plugin runs") {
        Err(answer) => answer.message,
        Ok(batch) => panic!("test-escape answers with its findings, got {batch:?}"),
    };
    let outcomes: BTreeMap<&str, &str> = report
        .lines()
        .filter_map(|line| line.split_once(": "))
        .collect();
    let operations = [
        "fs.read /etc/hostname".to_owned(),
        "fs.read /".to_owned(),
        "fs.list /".to_owned(),
        "fs.read .".to_owned(),
        "fs.list .".to_owned(),
        "fs.create escape.txt".to_owned(),
        "fs.create /tmp/stocklens-escape.txt".to_owned(),
        "net.dns localhost".to_owned(),
        format!("net.tcp {tcp_at}"),
        format!("net.udp {udp_at}"),
    ];
    for operation in &operations {
        let outcome = outcomes
            .get(operation.as_str())
            .copied()
            .unwrap_or("missing");
        assert!(
            outcome.starts_with("denied ("),
            "{operation}: {outcome}\n{report}"
        );
    }
    assert_eq!(outcomes.get("env.vars"), Some(&"empty"), "{report}");
    assert_eq!(outcomes.get("env.args"), Some(&"empty"), "{report}");
    assert_eq!(outcomes.get("clock.wall"), Some(&"epoch"), "{report}");
    assert_eq!(outcomes.get("clock.monotonic"), Some(&"frozen"), "{report}");
    assert_eq!(outcomes.len(), operations.len() + 4, "{report}");

    // Nothing arrived: a connection or datagram to loopback is queued before the sender's call
    // returns, so their absence after the call is proof, not a race.
    assert!(
        matches!(tcp.accept(), Err(e) if e.kind() == ErrorKind::WouldBlock),
        "no TCP connection reached the test's listener"
    );
    let mut buffer = [0u8; 64];
    assert!(
        matches!(udp.recv_from(&mut buffer), Err(e) if e.kind() == ErrorKind::WouldBlock),
        "no datagram reached the test's socket"
    );
    assert!(!std::path::Path::new("/tmp/stocklens-escape.txt").exists());
    assert!(!std::path::Path::new("escape.txt").exists());
}

#[test]
fn an_unwritable_cache_dir_compiles_in_memory_with_a_warning() {
    // Tests run as root, which permissions do not stop: a directory under a regular file cannot
    // be created by anyone.
    logs::capture();
    let file = tempfile::NamedTempFile::new().expect("a temporary file");
    let dir = file.path().join("cache");
    let runtime = runtime(Some(dir.clone()));
    let (registry, id) = registry_with(&runtime, "test_bad_values.wasm");
    let valid = job(Some(&id), "valid.csv", b"valid\n".to_vec());
    pipeline::analyze(&runtime, &registry, &valid).expect("a test plugin runs");
    still_serves(&runtime, &registry);
    assert!(!dir.exists());
    let shown = dir.display().to_string();
    let warned = logs::logged(|event| {
        event.level == tracing::Level::WARN && event.field("dir") == Some(shown.as_str())
    });
    assert!(
        warned
            .iter()
            .any(|event| event.message.contains("compiling in memory")),
        "a warning names the directory: {warned:?}"
    );
}
