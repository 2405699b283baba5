//! The library's pipeline in a real wasmtime. Here: the sandbox holds against purpose-built
//! misbehaving plugins, each failing its own job with the right kind of error while the next
//! jobs on the same runtime succeed. In the modules: more hostile plugins (`hostile`: escapes,
//! stack overflow, invalid UTF-8, absurd values, oversized output, log floods), what `inspect`
//! finds in each example, portfolio facts travelling from an analysis request to the report, and
//! random and mutated files fed to every built-in parser (`fuzz`).

mod facts;
mod fuzz;
mod hostile;
mod inspect;
mod logs;
mod versions;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use stocklens::pipeline::{self, AnalyzeError, Input, Job, Selection, Source};
use stocklens::plugin::analyzer_types::PortfolioFacts;
use stocklens::plugin::builtin::BUILD_ARTIFACT_DIR;
use stocklens::plugin::types::Date;
use stocklens::plugin::{PluginError, PluginErrorKind, Registry, Runtime, RuntimeConfig};
use stocklens::report::model::Lang;

const EXAMPLE: &str = "examples/adobe-stock/activity-2025-q3.csv";

/// A file of another format, read by another built-in parser than [`EXAMPLE`].
const OTHER_EXAMPLE: &str = "examples/generic/sales-2025-11.csv";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("inside the repo")
        .to_path_buf()
}

fn runtime(cache: Option<PathBuf>) -> Runtime {
    Runtime::new(RuntimeConfig {
        call_deadline: Duration::from_secs(2),
        memory_limit: 64 * 1024 * 1024,
        cache_dir: cache,
        ..RuntimeConfig::default()
    })
    .expect("runtime starts")
}

fn test_plugin(file: &str) -> Vec<u8> {
    let path = Path::new(BUILD_ARTIFACT_DIR).join(file);
    std::fs::read(&path)
        .unwrap_or_else(|err| panic!("test plugin {} was built: {err}", path.display()))
}

/// Built-ins plus one test plugin.
fn registry_with(runtime: &Runtime, file: &str) -> (Registry, String) {
    let mut registry = Registry::builtin(runtime).expect("built-ins load");
    let plugin = runtime.load(&test_plugin(file)).expect("test plugin loads");
    let id = plugin.info.id.clone();
    registry.add(plugin);
    (registry, id)
}

fn job(marketplace: Option<&str>, name: &str, bytes: Vec<u8>) -> Job {
    Job {
        inputs: vec![Input {
            name: name.to_owned(),
            display: name.to_owned(),
            source: Source::Bytes(Arc::from(bytes)),
        }],
        marketplace: marketplace.map(str::to_owned),
        selection: Selection::default(),
        lang: Lang::En,
        facts: PortfolioFacts {
            portfolio_size: None,
            upload_limit: None,
            uploads_in_period: None,
            acceptance_rate: None,
            main_content: None,
        },
        analyzers: None,
        today: Date {
            year: 2026,
            month: 1,
            day: 1,
        },
        max_skipped_percent: 20,
        history: Default::default(),
    }
}

fn example_job() -> Job {
    job(
        None,
        "activity.csv",
        std::fs::read(repo().join(EXAMPLE)).expect("example exists"),
    )
}

/// A job on a file [`EXAMPLE`]'s parser does not read, forced to the generic parser.
fn other_plugin_job() -> Job {
    job(
        Some("generic"),
        "sales.csv",
        std::fs::read(repo().join(OTHER_EXAMPLE)).expect("example exists"),
    )
}

/// Proves `runtime` still serves a normal job and a job on another parser.
fn still_serves(runtime: &Runtime, registry: &Registry) {
    let good = pipeline::analyze(runtime, registry, &example_job()).expect("the next job succeeds");
    assert!(good.summary.sales > 0);
    let other =
        pipeline::analyze(runtime, registry, &other_plugin_job()).expect("another parser works");
    assert_eq!(other.summary.files[0].marketplace, "generic");
    assert!(other.summary.sales > 0);
}

/// Runs a job through the misbehaving parser, returns its error kind, then proves the runtime
/// still serves other jobs.
fn misbehave(file: &str) -> PluginErrorKind {
    misbehave_on(file, &b"a,b,c\n1,2,3\n".repeat(100)).kind
}

/// [`misbehave`] on `input`, returning the whole error after checking that it names the plugin.
fn misbehave_on(file: &str, input: &[u8]) -> PluginError {
    let runtime = runtime(None);
    let (registry, id) = registry_with(&runtime, file);
    let bad = job(Some(&id), "input.csv", input.to_vec());
    let error = expect_plugin_error(pipeline::analyze(&runtime, &registry, &bad), &id);
    still_serves(&runtime, &registry);
    error
}

/// The plugin error an analysis failed with, after checking that it names plugin `id` (with its
/// version) in both its field and its text.
fn expect_plugin_error(result: Result<pipeline::Outcome, AnalyzeError>, id: &str) -> PluginError {
    let error = match result {
        Err(AnalyzeError::Plugin(error)) => error,
        other => panic!("{id}: expected a plugin error, got {other:?}"),
    };
    assert_eq!(
        error.plugin,
        format!("{id}@1.0.0"),
        "the error names the plugin"
    );
    assert!(
        error
            .to_string()
            .starts_with(&format!("plugin {id}@1.0.0: ")),
        "the message names the plugin: {error}"
    );
    error
}

#[test]
fn an_infinite_loop_is_stopped_at_the_deadline() {
    let kind = misbehave("test_spin.wasm");
    assert!(
        matches!(kind, PluginErrorKind::Deadline(d) if d == Duration::from_secs(2)),
        "{kind:?}"
    );
}

#[test]
fn a_memory_bomb_hits_the_cap() {
    let kind = misbehave("test_membomb.wasm");
    assert!(
        matches!(kind, PluginErrorKind::MemoryCap(bytes) if bytes == 64 * 1024 * 1024),
        "{kind:?}"
    );
}

#[test]
fn a_panic_is_reported_with_the_plugins_own_message() {
    let kind = misbehave("test_panic.wasm");
    let PluginErrorKind::Trap(message) = &kind else {
        panic!("expected a trap, got {kind:?}");
    };
    assert!(
        message.contains("panicked"),
        "the panic message is kept: {message}"
    );
}

#[test]
fn output_that_breaks_the_contract_is_refused() {
    let kind = misbehave("test_bad_output.wasm");
    assert!(matches!(kind, PluginErrorKind::BadOutput(_)), "{kind:?}");
}

#[test]
fn a_misbehaving_parser_does_not_stop_detection_for_the_others() {
    // test-bad-output answers detect() with confidence 250: it is left out, adobe-stock wins.
    let runtime = runtime(None);
    let (registry, _) = registry_with(&runtime, "test_bad_output.wasm");
    let outcome =
        pipeline::analyze(&runtime, &registry, &example_job()).expect("detection still works");
    assert_eq!(outcome.summary.files[0].marketplace, "adobe-stock");
}

#[test]
fn things_that_are_not_components_are_refused_by_name() {
    let runtime = runtime(None);
    let not_wasm = runtime
        .load(b"hello, I am a CSV file")
        .expect_err("not wasm");
    assert!(
        matches!(not_wasm.kind, PluginErrorKind::NotAComponent(_)),
        "{not_wasm}"
    );
    let core_module = runtime.load(b"\0asm\x01\0\0\0").expect_err("a core module");
    assert!(
        matches!(&core_module.kind, PluginErrorKind::NotAComponent(m) if m.contains("wasm32-wasip2")),
        "{core_module}"
    );
    let truncated = test_plugin("test_panic.wasm");
    let truncated = runtime
        .load(&truncated[..truncated.len() / 2])
        .expect_err("truncated");
    assert!(
        matches!(truncated.kind, PluginErrorKind::Load(_)),
        "{truncated}"
    );
    assert!(
        truncated.plugin.starts_with("sha256:"),
        "names the component before its info is known"
    );
}

/// A component holding one core module whose only type is `ty` (its encoding in a type section).
fn component_with_type(ty: &[u8]) -> Vec<u8> {
    let mut types = vec![0x01]; // one type
    types.extend_from_slice(ty);
    let mut module = b"\0asm\x01\0\0\0".to_vec();
    module.push(0x01); // the type section
    module.push(u8::try_from(types.len()).expect("a short section"));
    module.extend_from_slice(&types);
    let mut component = b"\0asm\x0d\0\x01\0".to_vec();
    component.push(0x01); // a core module section
    component.push(u8::try_from(module.len()).expect("a short section"));
    component.extend_from_slice(&module);
    component
}

/// The GC proposal's non-final function types let a `call_indirect` reach a wasmtime libcall
/// that aborts the whole process in builds without the `gc` feature, such as ours
/// (RUSTSEC-2026-0570, decision 50). The engine refuses the proposal, so a component declaring
/// such a type never compiles; the same component with an ordinary type gets as far as the
/// interface check.
#[test]
fn a_component_using_gc_subtypes_is_refused_at_load() {
    let runtime = runtime(None);
    // `(type (sub (func)))`: 0x50 "sub" with no supertypes, around 0x60 "func" [] -> [].
    let subtype = runtime
        .load(&component_with_type(&[0x50, 0x00, 0x60, 0x00, 0x00]))
        .expect_err("a GC subtype");
    assert!(
        matches!(&subtype.kind, PluginErrorKind::Load(m) if m.contains("gc proposal")),
        "{subtype}"
    );
    // `(type (func))`: valid without the proposal, refused only for what it does not export.
    let plain = runtime
        .load(&component_with_type(&[0x60, 0x00, 0x00]))
        .expect_err("implements nothing");
    assert!(
        matches!(plain.kind, PluginErrorKind::UnsupportedInterface(_)),
        "{plain}"
    );
}

#[test]
fn compiled_plugins_are_cached_on_disk_and_reused() {
    let cache = tempfile::tempdir().expect("cache dir");
    let first = runtime(Some(cache.path().to_owned()));
    let loaded = Registry::builtin(&first).expect("built-ins load");
    let artifacts: Vec<_> = std::fs::read_dir(cache.path())
        .expect("cache dir readable")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for plugin in loaded.parsers().iter().chain(loaded.analyzers()) {
        assert!(
            artifacts
                .iter()
                .any(|name| name.starts_with(&plugin.sha256) && name.ends_with(".cwasm")),
            "{} cached as <sha256>-<engine>.cwasm: {artifacts:?}",
            plugin.label()
        );
    }
    // A second runtime (a restarted process) loads from the cache and works the same.
    let second = runtime(Some(cache.path().to_owned()));
    let registry = Registry::builtin(&second).expect("built-ins load from cache");
    let outcome = pipeline::analyze(&second, &registry, &example_job())
        .expect("analysis from cached plugins");
    assert!(outcome.summary.sales > 0);
}

#[test]
fn a_corrupt_cache_entry_is_recompiled() {
    let cache = tempfile::tempdir().expect("cache dir");
    drop(Registry::builtin(&runtime(Some(cache.path().to_owned()))).expect("built-ins load"));
    for entry in std::fs::read_dir(cache.path()).expect("cache dir readable") {
        std::fs::write(entry.expect("entry").path(), b"garbage").expect("overwrite artifact");
    }
    let registry = Registry::builtin(&runtime(Some(cache.path().to_owned()))).expect("recompiled");
    assert!(!registry.parsers().is_empty());
}
