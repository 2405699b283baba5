//! The plugin author's commands: `stocklens plugin inspect` (what a component is and whether it
//! would install) and `stocklens plugin test` (its samples, in the sandbox, against their
//! expected summaries, with a readable diff). Neither needs a database.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use serde_json::{Value, json};

use super::{EXIT_INPUT, EXIT_OTHER, EXIT_PLUGIN, fail};
use crate::catalog::{self, Engine, Expected};
use crate::jobs::AnalysisRequest;
use crate::pipeline::{self, Input, Source};
use crate::plugin::{Plugin, PluginKind, Registry, SUPPORTED_WIT_VERSIONS};

/// The suffix of a sample's expected summary: `export.csv` → `export.csv.expected.json`, as in
/// `examples/`.
pub const EXPECTED_SUFFIX: &str = ".expected.json";

/// The runtime with the built-in plugins, or the exit code that says why not.
pub(super) fn engine(config: crate::plugin::RuntimeConfig) -> Result<Arc<Engine>, ExitCode> {
    let runtime = crate::plugin::Runtime::new(config).map_err(|err| {
        fail(
            EXIT_OTHER,
            format!("cannot start the plugin runtime: {err:#}"),
        )
    })?;
    Engine::new(runtime).map(Arc::new).map_err(|err| {
        fail(
            EXIT_PLUGIN,
            format!("a built-in plugin failed to load: {err}"),
        )
    })
}

fn read(file: &Path) -> Result<Vec<u8>, ExitCode> {
    std::fs::read(file).map_err(|err| fail(EXIT_INPUT, format!("{}: {err}", file.display())))
}

/// `stocklens plugin inspect FILE [--json]`.
pub fn inspect(file: &Path, json: bool, config: crate::plugin::RuntimeConfig) -> ExitCode {
    let bytes = match read(file) {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    let engine = match engine(config) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let sha256 = crate::store::sha256_hex(&bytes);
    let exports = engine.runtime.exports(&bytes);
    let loaded = engine.runtime.load(&bytes);
    let verdict = match &loaded {
        Ok(_) => engine
            .validate(&bytes, &Expected::default())
            .map(|(_, samples)| samples),
        Err(err) => Err(catalog::CatalogError::Refused(err.to_string())),
    };
    let report = json!({
        "file": file.display().to_string(),
        "size": bytes.len(),
        "sha256": sha256,
        "plugin": loaded.as_ref().ok().map(|p| json!({
            "id": p.info.id, "version": p.info.version, "kind": p.info.kind,
            "name": p.info.name, "marketplace": p.info.marketplace,
            "description": p.info.description,
        })),
        "wit": loaded.as_ref().ok().map(|p| p.wit_version.clone()),
        "supported_wit": SUPPORTED_WIT_VERSIONS,
        "exports": exports.as_ref().ok(),
        "installable": verdict.is_ok(),
        "samples_passed": verdict.as_ref().ok(),
        "problem": verdict.as_ref().err().map(ToString::to_string),
    });
    if json {
        println!("{report}");
    } else {
        println!("file:        {} ({} bytes)", file.display(), bytes.len());
        println!("sha256:      {sha256}");
        match &loaded {
            Ok(p) => {
                println!(
                    "plugin:      {} ({}): {}",
                    p.label(),
                    p.info.kind,
                    p.info.name
                );
                if let Some(market) = &p.info.marketplace {
                    println!("marketplace: {market}");
                }
                println!(
                    "interface:   stocklens:plugin@{} (this host runs {})",
                    p.wit_version,
                    SUPPORTED_WIT_VERSIONS.join(", ")
                );
            }
            Err(err) => println!("plugin:      does not load: {err}"),
        }
        if let Ok(exports) = &exports {
            println!("exports:     {}", exports.join(", "));
        }
        match &verdict {
            Ok(samples) => println!(
                "installable: yes ({samples} sample(s) passed; checked against this binary's built-ins)"
            ),
            Err(err) => println!("installable: no: {err}"),
        }
    }
    if verdict.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PLUGIN)
    }
}

/// One sample's outcome for `plugin test`.
struct Outcome {
    name: String,
    /// Empty when it matched.
    differences: Vec<String>,
    /// A short account of what it gave, for the passing line.
    gave: String,
}

/// `stocklens plugin test FILE [--samples DIR]`.
pub fn test(file: &Path, samples: Option<&Path>, config: crate::plugin::RuntimeConfig) -> ExitCode {
    let bytes = match read(file) {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    let engine = match engine(config) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let plugin = match engine.runtime.load(&bytes) {
        Ok(plugin) => plugin,
        Err(err) => return fail(EXIT_PLUGIN, err),
    };
    println!(
        "{} ({}, stocklens:plugin@{})",
        plugin.label(),
        plugin.info.kind,
        plugin.wit_version
    );
    let mut outcomes = Vec::new();
    if plugin.info.kind == PluginKind::Parser {
        match catalog::run_samples(&engine.runtime, &plugin) {
            Ok(checks) => outcomes.extend(checks.into_iter().map(|check| Outcome {
                name: format!("its own sample {:?}", check.file_name),
                gave: match &check.got {
                    Ok(t) => format!("{} rows, {} units", t.rows, t.units),
                    Err(_) => String::new(),
                },
                differences: check.differences(),
            })),
            Err(err) => return fail(EXIT_PLUGIN, err),
        }
    }
    if let Some(dir) = samples {
        let files = match sample_files(dir) {
            Ok(files) => files,
            Err(code) => return code,
        };
        if files.is_empty() {
            return fail(
                EXIT_INPUT,
                format!(
                    "{}: no sample with an expected summary (FILE and FILE{EXPECTED_SUFFIX})",
                    dir.display()
                ),
            );
        }
        for (sample, expected) in files {
            outcomes.push(run_file(&engine, &plugin, &sample, &expected));
        }
    }
    if outcomes.is_empty() {
        return fail(
            EXIT_INPUT,
            format!(
                "{} has nothing to test: it ships no samples; give some with --samples DIR",
                plugin.label()
            ),
        );
    }
    let passed = outcomes.iter().filter(|o| o.differences.is_empty()).count();
    // Indented lines detail the difference above them.
    let counted = |o: &Outcome| o.differences.iter().filter(|d| !d.starts_with(' ')).count();
    for outcome in &outcomes {
        if outcome.differences.is_empty() {
            println!("  ok    {}: {}", outcome.name, outcome.gave);
        } else {
            println!(
                "  FAIL  {}: {} difference(s)",
                outcome.name,
                counted(outcome)
            );
            for difference in &outcome.differences {
                println!("          {difference}");
            }
        }
    }
    println!("{passed} of {} sample(s) match", outcomes.len());
    if passed == outcomes.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PLUGIN)
    }
}

/// Every `FILE` in `dir` with a `FILE.expected.json` beside it, by name.
fn sample_files(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, ExitCode> {
    let entries = std::fs::read_dir(dir)
        .map_err(|err| fail(EXIT_INPUT, format!("{}: {err}", dir.display())))?;
    let mut files: Vec<(PathBuf, PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && !p.to_string_lossy().ends_with(EXPECTED_SUFFIX))
        .filter_map(|p| {
            let expected = PathBuf::from(format!("{}{EXPECTED_SUFFIX}", p.display()));
            expected.is_file().then_some((p, expected))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Analyzes one sample file the way the service would with this plugin in place, and compares
/// the summary with the expected one.
fn run_file(engine: &Engine, plugin: &Arc<Plugin>, sample: &Path, expected: &Path) -> Outcome {
    let name = sample.display().to_string();
    let problem = |why: String| Outcome {
        name: name.clone(),
        differences: vec![why],
        gave: String::new(),
    };
    let expected: Value = match std::fs::read_to_string(expected)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
    {
        Ok(value) => value,
        Err(why) => return problem(format!("{}: {why}", expected.display())),
    };
    let mut registry: Registry = (*engine.registry()).clone();
    registry.add(Arc::clone(plugin));
    let file_name = sample
        .file_name()
        .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
    let job = AnalysisRequest::default().job(
        vec![Input {
            name: file_name,
            display: name.clone(),
            source: Source::Path(sample.to_path_buf()),
        }],
        crate::jobs::analysis::today(),
    );
    let mut job = match job {
        Ok(job) => job,
        Err(why) => return problem(why),
    };
    if plugin.info.kind == PluginKind::Analyzer {
        job.analyzers = Some(vec![plugin.info.id.clone()]);
    }
    let summary = match pipeline::analyze(&engine.runtime, &registry, &job) {
        Ok(outcome) => outcome.summary,
        Err(err) => return problem(format!("the analysis failed: {err}")),
    };
    let actual = match serde_json::to_value(&summary) {
        Ok(value) => value,
        Err(err) => return problem(format!("cannot read the summary: {err}")),
    };
    let mut differences = Vec::new();
    diff(&expected, &actual, "", &mut differences);
    let gave = format!(
        "{} sales, {} row(s) read by {}",
        summary.sales,
        summary.files.iter().map(|f| f.rows).sum::<u64>(),
        summary
            .files
            .iter()
            .map(|f| f.parser.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Outcome {
        name,
        differences,
        gave,
    }
}

/// Every place where `actual` does not have what `expected` says: keys of `expected` only (a
/// summary has more than a sample needs to pin down), arrays item by item.
pub fn diff(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                match got.get(key) {
                    Some(actual) => diff(value, actual, &at(key), out),
                    None => out.push(format!("{}: expected {value}, missing", at(key))),
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            if want.len() != got.len() {
                out.push(format!(
                    "{path}: expected {} item(s), got {}",
                    want.len(),
                    got.len()
                ));
                for item in want.iter().filter(|w| !got.contains(w)) {
                    out.push(format!("  - expected, not there: {item}"));
                }
                for item in got.iter().filter(|g| !want.contains(g)) {
                    out.push(format!("  + there, not expected: {item}"));
                }
            } else {
                for (i, (w, g)) in want.iter().zip(got).enumerate() {
                    diff(w, g, &format!("{path}[{i}]"), out);
                }
            }
        }
        (want, got) if want != got => out.push(format!("{path}: expected {want}, got {got}")),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_each_difference_by_path() {
        let expected = json!({
            "files": [{"rows": 15, "warnings": [{"line": 7}]}],
            "revenue": {"USD": "12.30"},
            "sales": 15
        });
        let actual = json!({
            "files": [{"rows": 14, "warnings": [], "encoding": "UTF-8"}],
            "revenue": {"USD": "12.29", "EUR": "1.00"},
            "sales": 15,
            "assets": 3
        });
        let mut out = Vec::new();
        diff(&expected, &actual, "", &mut out);
        assert_eq!(
            out,
            [
                "files[0].rows: expected 15, got 14",
                "files[0].warnings: expected 1 item(s), got 0",
                "  - expected, not there: {\"line\":7}",
                "revenue.USD: expected \"12.30\", got \"12.29\"",
            ]
        );
        let mut none = Vec::new();
        diff(&expected, &expected, "", &mut none);
        assert!(none.is_empty());
    }
}

/// Which kind of plugin `plugin new` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    Parser,
    Analyzer,
}

/// A template file: (path in the new crate, contents with `{{placeholders}}`).
type Template = (&'static str, &'static str);

const COMMON: &[Template] = &[
    (
        "Cargo.toml",
        include_str!("scaffold/common/Cargo.toml.tmpl"),
    ),
    (
        ".cargo/config.toml",
        include_str!("scaffold/common/config.toml"),
    ),
    (".gitignore", include_str!("scaffold/common/gitignore")),
    ("README.md", include_str!("scaffold/common/README.md.tmpl")),
];

const PARSER: &[Template] = &[
    ("src/lib.rs", include_str!("scaffold/parser/lib.rs.tmpl")),
    (
        "samples/example.csv",
        include_str!("scaffold/parser/example.csv"),
    ),
    (
        "samples/example.csv.expected.json",
        include_str!("scaffold/parser/expected.json.tmpl"),
    ),
];

const ANALYZER: &[Template] = &[
    ("src/lib.rs", include_str!("scaffold/analyzer/lib.rs.tmpl")),
    (
        "samples/adobe-stock-example.csv",
        include_str!("scaffold/analyzer/example.csv"),
    ),
    (
        "samples/adobe-stock-example.csv.expected.json",
        include_str!("scaffold/analyzer/expected.json.tmpl"),
    ),
];

/// The SDK as this binary's own repository holds it, when it runs from a checkout.
fn repository_sdk() -> Option<PathBuf> {
    let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugins/sdk");
    sdk.join("Cargo.toml")
        .is_file()
        .then(|| sdk.canonicalize().unwrap_or(sdk))
}

/// `stocklens plugin new --kind K NAME [--path DIR] [--sdk PATH]`.
pub fn new(kind: NewKind, name: &str, path: Option<&Path>, sdk: Option<&Path>) -> ExitCode {
    let valid = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return fail(
            super::EXIT_USAGE,
            format!(
                "{name:?} cannot be a plugin id: use 1-64 characters of a-z, 0-9 and '-', starting with a letter, e.g. my-market"
            ),
        );
    }
    let dir = path.map_or_else(|| PathBuf::from(name), Path::to_path_buf);
    if dir.exists() && std::fs::read_dir(&dir).map_or(true, |mut entries| entries.next().is_some())
    {
        return fail(
            EXIT_INPUT,
            format!(
                "{} exists and is not empty; choose another --path",
                dir.display()
            ),
        );
    }
    let words: Vec<String> = name
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect();
    let sdk_dependency = match sdk.map(Path::to_path_buf).or_else(repository_sdk) {
        Some(sdk) => format!(
            "stocklens-plugin-sdk = {{ path = {:?} }}",
            sdk.display().to_string()
        ),
        None => "stocklens-plugin-sdk = \"1\"".to_owned(),
    };
    let (kind_name, description, samples_note, files) = match kind {
        NewKind::Parser => (
            "parser",
            format!("Reads the {} sales export.", words.join(" ")),
            "The parser's own samples (`samples()` in `src/lib.rs`) are checked by the host \
             before it installs the plugin.",
            PARSER,
        ),
        NewKind::Analyzer => (
            "report generator",
            "Sales and revenue per license type, as a report section.".to_owned(),
            "A report generator's samples are export files of any supported marketplace.",
            ANALYZER,
        ),
    };
    let fill = |text: &str| {
        text.replace("{{name}}", name)
            .replace("{{crate}}", &name.replace('-', "_"))
            .replace("{{type_name}}", &words.concat())
            .replace("{{marketplace}}", &words.join(" "))
            .replace("{{kind}}", kind_name)
            .replace("{{description}}", &description)
            .replace("{{samples_note}}", samples_note)
            .replace("{{sdk_dependency}}", &sdk_dependency)
    };
    // From a checkout, pin the dependencies the repository's plugins are built and tested with.
    let lock = match (sdk, repository_sdk()) {
        (None, Some(repo_sdk)) => std::fs::read_to_string(repo_sdk.join("../Cargo.lock")).ok(),
        _ => None,
    };
    let filled = COMMON
        .iter()
        .chain(files)
        .map(|(file, template)| (*file, fill(template)))
        .chain(lock.map(|lock| ("Cargo.lock", lock)));
    for (file, contents) in filled {
        let target = dir.join(file);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, contents));
        if let Err(err) = written {
            return fail(
                EXIT_OTHER,
                format!("cannot write {}: {err}", target.display()),
            );
        }
    }
    println!("created the {kind_name} {name} in {}", dir.display());
    println!("next:");
    println!("  cd {}", dir.display());
    println!("  cargo test");
    println!("  cargo build --release --target wasm32-wasip2");
    println!(
        "  stocklens plugin test target/wasm32-wasip2/release/{}.wasm --samples samples",
        name.replace('-', "_")
    );
    ExitCode::SUCCESS
}
