//! The wasmtime engine and the plugins loaded into it.
//!
//! One `Engine` per process, with epoch interruption: a background thread advances the epoch
//! every [`EPOCH_TICK`], and each call into a plugin sets a deadline in ticks before it runs.
//! Each plugin version is compiled once (through the on-disk cache) and pre-linked into an
//! `InstancePre`, so a job pays only for instantiation.

use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, ComponentExportIndex, Linker, types::ComponentItem};
use wasmtime::{Config, Engine, Store};

use super::bindings::analyzer_v1::exports::stocklens::plugin::analyzer::Scope;
use super::bindings::analyzer_v1::{AnalyzerPlugin, AnalyzerPluginPre};
use super::bindings::parser_v1::ParserPluginPre;
use super::cache::ArtifactCache;
use super::error::{PluginError, PluginErrorKind};
use super::instance::{AnalyzerInstance, Guard, ParserInstance};
use super::sandbox::Sandbox;

/// How often the epoch advances. Deadlines are measured in these ticks, so this is their
/// resolution; 10 ms costs nothing measurable and stops a runaway plugin promptly.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// The interface versions this host runs, newest first. The host's bindings are generated from
/// 1.0.0; a 1.1.0 component is the same interface plus `analyzer.reads`, and wasmtime finds its
/// `...@1.1.0` exports when the bindings ask for `...@1.0.0` (semver-compatible lookup), so the
/// one set of bindings runs both and the addition is called by name.
pub const SUPPORTED_WIT_VERSIONS: &[&str] = &["1.1.0", "1.0.0"];

/// Default for [`RuntimeConfig::output_limit`]. The host feeds 1 MiB chunks, and a real export's
/// row of 30 bytes or more makes a sale of about 100 bytes on the host: some 3 MiB per batch, so
/// 16 MiB leaves five times that for the densest files; a report is a summary (figures, top-N
/// tables, monthly series), far smaller. A runaway plugin is stopped long before the host feels it.
pub const DEFAULT_OUTPUT_LIMIT: usize = 16 * 1024 * 1024;

/// Limits and locations for the runtime.
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    /// Longest a single call into a plugin may run. A parse is fed in chunks, so this bounds
    /// one chunk, not a whole file.
    pub call_deadline: Duration,
    /// Largest linear memory one plugin instance may have.
    pub memory_limit: usize,
    /// Most bytes of stdout and stderr logged per plugin instance; the rest is dropped.
    pub log_limit: usize,
    /// Most bytes one call may return (a parser's batch or error, an analyzer's report), counted
    /// as the host holds them: every string's bytes plus the in-memory size of every list
    /// element. It bounds what one plugin call makes the host keep and pass on (a batch is copied
    /// into every report generator); the memory cap already bounds what can cross at all.
    pub output_limit: usize,
    /// Where compiled plugins are cached; `None` compiles in memory every time.
    pub cache_dir: Option<std::path::PathBuf>,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            call_deadline: Duration::from_secs(30),
            memory_limit: 256 * 1024 * 1024,
            log_limit: 64 * 1024,
            output_limit: DEFAULT_OUTPUT_LIMIT,
            cache_dir: None,
        }
    }
}

/// Which world a plugin implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PluginKind {
    Parser,
    Analyzer,
}

impl std::fmt::Display for PluginKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PluginKind::Parser => "parser",
            PluginKind::Analyzer => "analyzer",
        })
    }
}

/// What a plugin says about itself, validated.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PluginInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    pub kind: PluginKind,
    pub marketplace: Option<String>,
    pub description: String,
}

pub(super) enum PluginPre {
    Parser(ParserPluginPre<Sandbox>),
    Analyzer {
        pre: AnalyzerPluginPre<Sandbox>,
        /// `analyzer.reads`, for components that have it (1.1.0 and later).
        reads: Option<ComponentExportIndex>,
    },
}

/// A compiled, linked and validated plugin, ready to be instantiated per job.
pub struct Plugin {
    pub info: PluginInfo,
    /// Hex sha256 of the component bytes.
    pub sha256: String,
    /// The WIT version it was built against, e.g. "1.0.0".
    pub wit_version: String,
    pub(super) pre: PluginPre,
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("info", &self.info)
            .field("sha256", &self.sha256)
            .finish_non_exhaustive()
    }
}

impl Plugin {
    /// `id@version`, the name every log line, error and report uses.
    pub fn label(&self) -> String {
        format!("{}@{}", self.info.id, self.info.version)
    }
}

/// The plugin runtime of one process.
pub struct Runtime {
    engine: Engine,
    linker: Linker<Sandbox>,
    cache: ArtifactCache,
    config: RuntimeConfig,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// Builds the engine, starts its epoch ticker and prepares the sandbox's imports.
    pub fn new(config: RuntimeConfig) -> anyhow::Result<Runtime> {
        let mut wasm = Config::new();
        wasm.wasm_component_model(true)
            // wasmtime 47+ validates the GC proposal's function subtypes even without the `gc`
            // feature, and a call_indirect between them then aborts the process
            // (RUSTSEC-2026-0570, fixed in 48.0.9, which our registry lacks): refuse such
            // components at load instead. No Rust-built plugin uses the proposal (decision 50).
            .wasm_gc(false)
            .epoch_interruption(true)
            .cranelift_opt_level(wasmtime::OptLevel::Speed);
        let engine = Engine::new(&wasm).map_err(|err| anyhow::anyhow!("{err:#}"))?;
        start_epoch_ticker(&engine)?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)
            .map_err(|err| anyhow::anyhow!("{err:#}"))?;
        let cache = ArtifactCache::new(&engine, config.cache_dir.clone());
        Ok(Runtime {
            engine,
            linker,
            cache,
            config,
        })
    }

    pub fn config(&self) -> &RuntimeConfig {
        &self.config
    }

    /// Compiles (or loads from cache), links and validates a component, and reads its info.
    pub fn load(&self, bytes: &[u8]) -> Result<Arc<Plugin>, PluginError> {
        let (component, sha256, provisional) = self.compile(bytes)?;
        let fail = |kind| PluginError::new(&provisional, kind);
        let (kind, wit_version) = self.interface_of(&component).map_err(fail)?;
        let instance_pre = self
            .linker
            .instantiate_pre(&component)
            .map_err(|err| fail(PluginErrorKind::Load(format!("{err:#}"))))?;
        let pre = match kind {
            PluginKind::Parser => ParserPluginPre::new(instance_pre).map(PluginPre::Parser),
            PluginKind::Analyzer => {
                let interface = format!("stocklens:plugin/analyzer@{wit_version}");
                let reads = component
                    .get_export_index(None, &interface)
                    .and_then(|at| component.get_export_index(Some(&at), "reads"));
                AnalyzerPluginPre::new(instance_pre).map(|pre| PluginPre::Analyzer { pre, reads })
            }
        }
        .map_err(|err| fail(PluginErrorKind::UnsupportedInterface(format!("{err:#}"))))?;

        let info = self.read_info(&pre, &provisional)?;
        if info.kind != kind {
            return Err(fail(PluginErrorKind::BadOutput(format!(
                "info() says it is a {}, but it implements the {kind} interface",
                info.kind
            ))));
        }
        Ok(Arc::new(Plugin {
            info,
            sha256,
            wit_version,
            pre,
        }))
    }

    /// Checks the header and compiles (or loads from the cache) a component; returns it with
    /// its sha256 and the provisional label errors use before its info is known.
    fn compile(&self, bytes: &[u8]) -> Result<(Component, String, String), PluginError> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        let provisional = format!("sha256:{}", &sha256[..12]);
        let fail = |kind| PluginError::new(&provisional, kind);
        check_header(bytes).map_err(fail)?;
        let component = self
            .cache
            .load_or_compile(&self.engine, &sha256, bytes)
            .map_err(|err| fail(PluginErrorKind::Load(format!("{err:#}"))))?;
        Ok((component, sha256, provisional))
    }

    /// The names a component exports (interfaces and functions), whether or not this host
    /// could run it: for `stocklens plugin inspect`.
    pub fn exports(&self, bytes: &[u8]) -> Result<Vec<String>, PluginError> {
        let (component, _, _) = self.compile(bytes)?;
        Ok(component
            .component_type()
            .exports(&self.engine)
            .map(|(name, _)| name.to_owned())
            .collect())
    }

    /// A fresh parser instance for one job.
    pub fn parser(&self, plugin: &Plugin) -> Result<ParserInstance, PluginError> {
        let PluginPre::Parser(pre) = &plugin.pre else {
            return Err(PluginError::new(
                plugin.label(),
                PluginErrorKind::UnsupportedInterface("not a parser".into()),
            ));
        };
        let mut guard = self.guard(&plugin.label());
        let bindings = guard.call(|store| pre.instantiate(store))?;
        Ok(ParserInstance::new(guard, bindings))
    }

    /// A fresh analyzer instance for one job.
    pub fn analyzer(&self, plugin: &Plugin) -> Result<AnalyzerInstance, PluginError> {
        let PluginPre::Analyzer { pre, reads } = &plugin.pre else {
            return Err(PluginError::new(
                plugin.label(),
                PluginErrorKind::UnsupportedInterface("not an analyzer".into()),
            ));
        };
        let mut guard = self.guard(&plugin.label());
        let instance = guard.call(|store| pre.instance_pre().instantiate(store))?;
        let bindings = guard.call(|store| AnalyzerPlugin::new(store, &instance))?;
        // 1.1.0: which scopes it reads; a 1.0.0 generator is fed every scope.
        let scopes = match reads {
            Some(reads) => Some(guard.call(|store| {
                let func = instance.get_typed_func::<(), (Vec<Scope>,)>(&mut *store, reads)?;
                func.call(store, ()).map(|(scopes,)| scopes)
            })?),
            None => None,
        };
        Ok(AnalyzerInstance::new(guard, bindings, scopes))
    }

    fn guard(&self, label: &str) -> Guard {
        let sandbox = Sandbox::new(label, self.config.memory_limit, self.config.log_limit);
        let mut store = Store::new(&self.engine, sandbox);
        store.limiter(|sandbox| &mut sandbox.limiter);
        Guard::new(
            store,
            label.to_owned(),
            self.config.call_deadline,
            self.config.output_limit,
        )
    }

    fn read_info(&self, pre: &PluginPre, provisional: &str) -> Result<PluginInfo, PluginError> {
        let mut guard = self.guard(provisional);
        let raw = match pre {
            PluginPre::Parser(pre) => {
                let bindings = guard.call(|store| pre.instantiate(store))?;
                guard.call(|store| bindings.stocklens_plugin_parser().call_info(store))?
            }
            PluginPre::Analyzer { pre, .. } => {
                let bindings = guard.call(|store| pre.instantiate(store))?;
                guard.call(|store| bindings.stocklens_plugin_analyzer().call_info(store))?
            }
        };
        validate_info(raw)
            .map_err(|msg| PluginError::new(provisional, PluginErrorKind::BadOutput(msg)))
    }

    /// Finds which `stocklens:plugin` interface, and which version of it, the component exports.
    fn interface_of(&self, component: &Component) -> Result<(PluginKind, String), PluginErrorKind> {
        let ty = component.component_type();
        let mut seen = Vec::new();
        for (name, item) in ty.exports(&self.engine) {
            if !matches!(item.ty, ComponentItem::ComponentInstance(_)) {
                continue;
            }
            seen.push(name.to_owned());
            let Some(rest) = name.strip_prefix("stocklens:plugin/") else {
                continue;
            };
            let Some((interface, version)) = rest.split_once('@') else {
                continue;
            };
            let kind = match interface {
                "parser" => PluginKind::Parser,
                "analyzer" => PluginKind::Analyzer,
                _ => continue,
            };
            if !SUPPORTED_WIT_VERSIONS.contains(&version) {
                return Err(PluginErrorKind::UnsupportedInterface(format!(
                    "it speaks stocklens:plugin@{version}; this host runs {}",
                    SUPPORTED_WIT_VERSIONS.join(", ")
                )));
            }
            return Ok((kind, version.to_owned()));
        }
        Err(PluginErrorKind::UnsupportedInterface(if seen.is_empty() {
            "it exports no interfaces".to_owned()
        } else {
            format!("it exports {}", seen.join(", "))
        }))
    }
}

/// Tells a core module or random bytes from a component before asking Cranelift.
fn check_header(bytes: &[u8]) -> Result<(), PluginErrorKind> {
    const MAGIC: &[u8; 4] = b"\0asm";
    const CORE_MODULE: [u8; 4] = [1, 0, 0, 0];
    if bytes.len() < 8 || &bytes[..4] != MAGIC {
        return Err(PluginErrorKind::NotAComponent(
            "the file does not start with the WebAssembly magic bytes".into(),
        ));
    }
    if bytes[4..8] == CORE_MODULE {
        return Err(PluginErrorKind::NotAComponent(
            "it is a core WebAssembly module; build the plugin for the wasm32-wasip2 target".into(),
        ));
    }
    Ok(())
}

fn validate_info(raw: super::bindings::types::PluginInfo) -> Result<PluginInfo, String> {
    use super::bindings::types::PluginKind as Wit;
    let id_ok = !raw.id.is_empty()
        && raw.id.len() <= 64
        && raw
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !id_ok {
        return Err(format!(
            "plugin id {:?} must be 1-64 characters of a-z, 0-9 and '-'",
            raw.id
        ));
    }
    let version_ok = raw.version.len() <= 32
        && raw.version.split('.').count() == 3
        && raw
            .version
            .split(['.', '-', '+'])
            .take(3)
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !version_ok {
        return Err(format!(
            "plugin version {:?} is not a semantic version like 1.2.3",
            raw.version
        ));
    }
    if raw.name.trim().is_empty() || raw.name.len() > 200 || raw.description.len() > 2000 {
        return Err("plugin name must be 1-200 characters and description at most 2000".into());
    }
    Ok(PluginInfo {
        id: raw.id,
        name: raw.name,
        version: raw.version,
        kind: match raw.kind {
            Wit::Parser => PluginKind::Parser,
            Wit::Analyzer => PluginKind::Analyzer,
        },
        marketplace: raw.marketplace,
        description: raw.description,
    })
}

/// Advances the engine's epoch every tick until the engine is dropped. Without this thread no
/// deadline would ever fire, so failing to start it fails the runtime.
fn start_epoch_ticker(engine: &Engine) -> std::io::Result<()> {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("stocklens-epoch".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                std::thread::sleep(EPOCH_TICK);
            }
        })
        .map(drop)
}
