//! What plugins run in this process, and how operators change that while the service runs.
//!
//! The [`Engine`] holds the plugin runtime, the built-in plugins and the current [`Registry`],
//! which is never changed in place: a change builds a new registry and swaps it in whole
//! (`arc-swap`), so a job that took the registry when it started finishes with exactly the
//! versions it started with, however many swaps happen meanwhile.
//!
//! The store says what runs (see `store::plugins`): installing validates a component before
//! anything changes, and every change is a row in the store's history. The process that makes a
//! change reloads at once and announces it over Redis; every process also compares the store's
//! generation with its own every [`POLL`], so without Redis a change arrives within that.
//!
//! A version that fails more than [`RollbackPolicy::failure_share`] of its jobs (after
//! [`RollbackPolicy::min_jobs`]) is rolled back automatically; its failed jobs are retried by the
//! queue and meet the previous version.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arc_swap::ArcSwap;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::cache::Event;
use crate::plugin::types::SaleBatch;
use crate::plugin::{Plugin, PluginError, PluginKind, Registry, Runtime, text_of};
use crate::store::{
    ChangedBy, ChoiceState, NewPlugin, PluginChange, PluginChoice, PluginRecord, Store, StoreError,
};

/// How often a process compares the store's plugin generation with its own: a change made in
/// another process without Redis arrives within this.
pub const POLL: Duration = Duration::from_secs(1);

/// Largest component accepted for installation: the built-ins are 0.2-1 MB; a plugin a hundred
/// times that is a mistake, not a parser.
pub const MAX_PLUGIN_BYTES: usize = 32 * 1024 * 1024;

/// When a failing version is rolled back by the host.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RollbackPolicy {
    pub enabled: bool,
    /// Failed jobs over all its jobs above which a version is rolled back, 0 to 1.
    pub failure_share: f64,
    /// Jobs a version must have run before its share counts: one bad file is not a bad version.
    pub min_jobs: i64,
}

impl Default for RollbackPolicy {
    fn default() -> Self {
        RollbackPolicy {
            enabled: true,
            failure_share: 0.5,
            min_jobs: 3,
        }
    }
}

/// Why a plugin operation was refused or failed. Every message names the plugin and says what to
/// do; none is a panic.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The component failed validation; nothing changed.
    #[error("refused: {0}")]
    Refused(String),
    #[error("{0}")]
    NotFound(String),
    /// The request contradicts the state (a rollback with nothing before it, a version that
    /// exists with other bytes).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

/// What an installation expects of the component, from the operator's command or the file name.
#[derive(Clone, Debug, Default)]
pub struct Expected {
    pub id: Option<String>,
    pub version: Option<String>,
    pub kind: Option<PluginKind>,
}

/// The outcome of an installation.
#[derive(Debug, serde::Serialize)]
pub struct Installed {
    pub plugin: PluginRecord,
    /// False when these very bytes were installed already.
    pub new: bool,
    /// Sample files the component shipped and passed.
    pub samples_passed: usize,
    /// The new choice, when the installation also activated it (and it was not running yet).
    pub activated: Option<PluginChoice>,
}

/// One plugin id as an operator sees it: what runs, and every version there is.
#[derive(Debug, serde::Serialize)]
pub struct PluginStatus {
    pub id: String,
    pub kind: PluginKind,
    /// The marketplace a parser reads, as the running (or built-in) version says.
    pub marketplace: Option<String>,
    pub name: String,
    /// What runs: `active` (an installed version), `builtin` or `disabled`.
    pub state: ChoiceState,
    /// The version that runs, if any.
    pub version: Option<String>,
    /// The interface version the running version speaks.
    pub wit: Option<String>,
    pub description: Option<String>,
    /// The built-in version, if the binary has one.
    pub builtin: Option<String>,
    pub installed: Vec<PluginRecord>,
    /// The newest change, if there was any.
    pub last_change: Option<PluginChoice>,
}

/// The runtime and the plugins of one process.
pub struct Engine {
    pub runtime: Runtime,
    builtins: Registry,
    /// The registry and the store generation it reflects (-1 before the first look), swapped
    /// together so a job reads a consistent pair.
    current: ArcSwap<(Arc<Registry>, i64)>,
    /// Installed versions compiled in this process, by (id, version): swapping back and forth
    /// costs no compilation.
    compiled: Mutex<HashMap<(String, String), Arc<Plugin>>>,
    /// One reload at a time.
    reloading: tokio::sync::Mutex<()>,
    pub policy: RollbackPolicy,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("generation", &self.generation())
            .field("registry", &self.registry())
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Loads the built-in plugins; installed ones join on the first [`Engine::refresh`].
    pub fn new(runtime: Runtime) -> Result<Engine, PluginError> {
        let builtins = Registry::builtin(&runtime)?;
        Ok(Engine {
            runtime,
            current: ArcSwap::from_pointee((Arc::new(builtins.clone()), -1)),
            builtins,
            compiled: Mutex::new(HashMap::new()),
            reloading: tokio::sync::Mutex::new(()),
            policy: RollbackPolicy::default(),
        })
    }

    /// The plugins that run now.
    pub fn registry(&self) -> Arc<Registry> {
        Arc::clone(&self.current.load().0)
    }

    /// The plugins that run now with the store generation they reflect, as one consistent pair:
    /// a job takes this when it starts and keeps it to its end.
    pub fn snapshot(&self) -> (Arc<Registry>, i64) {
        let current = self.current.load();
        (Arc::clone(&current.0), current.1)
    }

    /// The store generation this process runs; -1 before it first looked.
    pub fn generation(&self) -> i64 {
        self.current.load().1
    }

    /// Brings this process's plugins up to the store's choices; returns whether anything was
    /// looked at anew. A chosen version that no longer loads keeps what ran before for its id,
    /// with an error in the log.
    pub async fn refresh(self: &Arc<Self>, store: &Store) -> Result<bool, CatalogError> {
        let _one = self.reloading.lock().await;
        let generation = store.plugin_generation().await?;
        if generation == self.generation() {
            return Ok(false);
        }
        let choices = store.plugin_choices().await?;
        let current = self.registry();
        let mut next = self.builtins.clone();
        for choice in &choices {
            match (choice.state, &choice.version) {
                (ChoiceState::Active, Some(version)) => {
                    match self.compiled_version(store, &choice.id, version).await {
                        Ok(plugin) => next.add_installed(plugin),
                        Err(err) => {
                            tracing::error!(plugin = %format!("{}@{version}", choice.id), %err, "the chosen plugin version does not load; keeping what ran before");
                            next.remove(&choice.id);
                            if let Some(kept) = current.get(&choice.id) {
                                if current.is_installed(&kept.label()) {
                                    next.add_installed(Arc::clone(kept));
                                } else {
                                    next.add(Arc::clone(kept));
                                }
                            }
                        }
                    }
                }
                (ChoiceState::Disabled, _) => {
                    next.remove(&choice.id);
                }
                _ => {}
            }
        }
        let before: Vec<String> = current.all().map(|p| p.label()).collect();
        let after: Vec<String> = next.all().map(|p| p.label()).collect();
        if before != after {
            tracing::info!(generation, plugins = %after.join(" "), "plugins swapped");
            metrics::counter!("stocklens_plugin_swaps_total").increment(1);
        }
        self.current.store(Arc::new((Arc::new(next), generation)));
        metrics::gauge!("stocklens_plugin_generation").set(generation as f64);
        Ok(true)
    }

    async fn compiled_version(
        self: &Arc<Self>,
        store: &Store,
        id: &str,
        version: &str,
    ) -> Result<Arc<Plugin>, CatalogError> {
        let key = (id.to_owned(), version.to_owned());
        if let Some(plugin) = self.lock_compiled().get(&key) {
            return Ok(Arc::clone(plugin));
        }
        let bytes = store.plugin_bytes(id, version).await?;
        let engine = Arc::clone(self);
        let plugin = tokio::task::spawn_blocking(move || engine.runtime.load(&bytes))
            .await
            .map_err(|e| CatalogError::Internal(format!("loading a plugin stopped: {e}")))?
            .map_err(|e| CatalogError::Internal(e.to_string()))?;
        if plugin.info.id != id || plugin.info.version != version {
            return Err(CatalogError::Internal(format!(
                "the stored {id}@{version} says it is {}",
                plugin.label()
            )));
        }
        self.lock_compiled().insert(key, Arc::clone(&plugin));
        Ok(plugin)
    }

    fn lock_compiled(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Arc<Plugin>>> {
        // A panic while holding it cannot leave the map half-changed: every use is one call.
        self.compiled.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps this process's plugins current until `stop`: at once when `wake` is notified (a
    /// Redis message), and every [`POLL`] otherwise.
    pub async fn follow(self: Arc<Self>, store: Store, wake: Arc<Notify>, stop: CancellationToken) {
        let mut failing = false;
        loop {
            match self.refresh(&store).await {
                Ok(_) if failing => {
                    failing = false;
                    tracing::info!("plugin changes are followed again");
                }
                Ok(_) => {}
                Err(err) if !failing => {
                    failing = true;
                    tracing::warn!(%err, "cannot look for plugin changes; retrying");
                }
                Err(_) => {}
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// Checks a component as an installation would, without storing it: it compiles, speaks a
    /// supported interface, says what `expected` says, fits what is installed under its id, and
    /// passes its own samples (parsers) or reports on a sample file (analyzers). Blocking: it
    /// compiles and runs the plugin.
    pub fn validate(
        &self,
        bytes: &[u8],
        expected: &Expected,
    ) -> Result<(Arc<Plugin>, usize), CatalogError> {
        if bytes.len() > MAX_PLUGIN_BYTES {
            return Err(CatalogError::Refused(format!(
                "the component is {} MB; the largest accepted is {} MB",
                bytes.len() / (1024 * 1024),
                MAX_PLUGIN_BYTES / (1024 * 1024)
            )));
        }
        let plugin = self
            .runtime
            .load(bytes)
            .map_err(|e| CatalogError::Refused(e.to_string()))?;
        let info = &plugin.info;
        let mismatch = |what: &str, says: &str, expected: &str| {
            CatalogError::Refused(format!(
                "{} says its {what} is {says:?}, but it is being installed as {expected:?}",
                plugin.label()
            ))
        };
        if let Some(id) = &expected.id
            && id != &info.id
        {
            return Err(mismatch("id", &info.id, id));
        }
        if let Some(version) = &expected.version
            && version != &info.version
        {
            return Err(mismatch("version", &info.version, version));
        }
        if let Some(kind) = expected.kind
            && kind != info.kind
        {
            return Err(mismatch("kind", &info.kind.to_string(), &kind.to_string()));
        }
        if let Some(builtin) = self.builtins.get(&info.id)
            && builtin.info.kind != info.kind
        {
            return Err(CatalogError::Refused(format!(
                "{} is a {}, but the built-in {} is a {}",
                plugin.label(),
                info.kind,
                info.id,
                builtin.info.kind
            )));
        }
        if self.builtins.get(&info.id).map(|b| &b.info.version) == Some(&info.version) {
            return Err(CatalogError::Conflict(format!(
                "{} is the built-in version; to run it, activate {}@{}",
                plugin.label(),
                info.id,
                info.version
            )));
        }
        let samples = match info.kind {
            PluginKind::Parser => check_samples(&self.runtime, &plugin)?,
            PluginKind::Analyzer => check_report(&self.runtime, &self.builtins, &plugin)?,
        };
        Ok((plugin, samples))
    }

    /// Validates a component and stores it; with `activate`, also makes it the version that
    /// runs. Installing the same bytes again changes nothing (and activates if asked); another
    /// component under an installed id and version is refused.
    pub async fn install(
        self: &Arc<Self>,
        store: &Store,
        bytes: Vec<u8>,
        expected: Expected,
        activate: bool,
        by: Option<&str>,
    ) -> Result<Installed, CatalogError> {
        let engine = Arc::clone(self);
        let bytes = Arc::new(bytes);
        let checked = Arc::clone(&bytes);
        let (plugin, samples_passed) =
            tokio::task::spawn_blocking(move || engine.validate(&checked, &expected))
                .await
                .map_err(|e| CatalogError::Internal(format!("validation stopped: {e}")))??;
        let (id, version) = (plugin.info.id.clone(), plugin.info.version.clone());
        let installed = store.plugins().await?;
        if let Some(other) = installed
            .iter()
            .find(|p| p.id == id && p.kind != plugin.info.kind.to_string())
        {
            return Err(CatalogError::Refused(format!(
                "{} is a {}, but {}@{} is a {}",
                plugin.label(),
                plugin.info.kind,
                other.id,
                other.version,
                other.kind
            )));
        }
        let (record, new) = match installed
            .iter()
            .find(|p| p.id == id && p.version == version)
        {
            Some(same) if same.sha256 == plugin.sha256 => (same.clone(), false),
            Some(_) => {
                return Err(CatalogError::Conflict(format!(
                    "{} is already installed with different bytes; give the new build a new version",
                    plugin.label()
                )));
            }
            None => {
                let record = store
                    .install_plugin(&NewPlugin {
                        id: &id,
                        version: &version,
                        kind: &plugin.info.kind.to_string(),
                        wit_version: &plugin.wit_version,
                        bytes: &bytes,
                        installed_by: by,
                    })
                    .await?;
                self.lock_compiled()
                    .insert((id.clone(), version.clone()), Arc::clone(&plugin));
                metrics::counter!("stocklens_plugin_installs_total").increment(1);
                tracing::info!(plugin = %plugin.label(), sha256 = %plugin.sha256, by = by.unwrap_or("-"), "plugin installed");
                (record, true)
            }
        };
        let activated = if activate {
            self.change(
                store,
                &id,
                &PluginChange::Activate(&version),
                ChangedBy {
                    who: by,
                    reason: None,
                },
            )
            .await?
        } else {
            None
        };
        Ok(Installed {
            plugin: record,
            new,
            samples_passed,
            activated,
        })
    }

    /// Changes what runs for `id`, reloads this process at once and tells the others. `Ok(None)`
    /// when it already was so.
    pub async fn change(
        self: &Arc<Self>,
        store: &Store,
        id: &str,
        change: &PluginChange<'_>,
        by: ChangedBy<'_>,
    ) -> Result<Option<PluginChoice>, CatalogError> {
        let installed = store.plugins().await?;
        let known = self.builtins.get(id).is_some() || installed.iter().any(|p| p.id == id);
        if !known {
            return Err(CatalogError::NotFound(format!(
                "no plugin {id:?} is built in or installed"
            )));
        }
        let change = match change {
            // Activating the built-in version by number is choosing the built-in.
            PluginChange::Activate(version)
                if self.builtins.get(id).map(|b| b.info.version.as_str()) == Some(*version)
                    && !installed
                        .iter()
                        .any(|p| p.id == id && p.version == *version) =>
            {
                &PluginChange::Builtin
            }
            PluginChange::Activate(version)
                if !installed
                    .iter()
                    .any(|p| p.id == id && p.version == *version) =>
            {
                return Err(CatalogError::NotFound(format!(
                    "{id}@{version} is not installed{}",
                    match self.builtins.get(id) {
                        Some(b) => format!(" (the built-in version is {})", b.info.version),
                        None => String::new(),
                    }
                )));
            }
            PluginChange::Builtin if self.builtins.get(id).is_none() => {
                return Err(CatalogError::NotFound(format!(
                    "{id} has no built-in version"
                )));
            }
            other => other,
        };
        // Two changes of one id at the same instant: the loser asks again, on the new state.
        let mut attempt = 0;
        let choice = loop {
            match store.change_plugin(id, change, by).await {
                Err(StoreError::Conflict { what })
                    if what.starts_with("another") && attempt < 3 =>
                {
                    attempt += 1;
                }
                Err(StoreError::Conflict { what }) => {
                    return Err(CatalogError::Conflict(format!("{id}: {what}")));
                }
                other => break other?,
            }
        };
        if let Some(choice) = &choice {
            tracing::info!(
                plugin = %id, state = choice.state.as_str(), version = choice.version.as_deref().unwrap_or("-"),
                action = choice.action.as_str(), by = by.who.unwrap_or("-"), "plugin choice changed"
            );
            self.refresh(store).await?;
            store.cache().announce(Event::PluginsChanged).await;
        }
        Ok(choice)
    }

    /// Every plugin id, built in or installed, with what runs and every version.
    pub async fn statuses(&self, store: &Store) -> Result<Vec<PluginStatus>, CatalogError> {
        let installed = store.plugins().await?;
        let choices = store.plugin_choices().await?;
        let current = self.registry();
        let mut ids: Vec<(String, PluginKind)> = self
            .builtins
            .all()
            .map(|p| (p.info.id.clone(), p.info.kind))
            .collect();
        for record in &installed {
            if !ids.iter().any(|(id, _)| id == &record.id) {
                let kind = if record.kind == "parser" {
                    PluginKind::Parser
                } else {
                    PluginKind::Analyzer
                };
                ids.push((record.id.clone(), kind));
            }
        }
        Ok(ids
            .into_iter()
            .map(|(id, kind)| {
                let last_change = choices.iter().find(|c| c.id == id).cloned();
                let builtin = self.builtins.get(&id).map(|p| p.info.version.clone());
                let state = last_change.as_ref().map_or(
                    if builtin.is_some() {
                        ChoiceState::Builtin
                    } else {
                        ChoiceState::Disabled
                    },
                    |c| c.state,
                );
                let shown = current.get(&id).or_else(|| self.builtins.get(&id));
                PluginStatus {
                    marketplace: shown.and_then(|p| p.info.marketplace.clone()),
                    name: shown.map_or_else(|| id.clone(), |p| p.info.name.clone()),
                    version: current.get(&id).map(|p| p.info.version.clone()),
                    wit: current.get(&id).map(|p| p.wit_version.clone()),
                    description: shown.map(|p| p.info.description.clone()),
                    installed: installed.iter().filter(|p| p.id == id).cloned().collect(),
                    id,
                    kind,
                    state,
                    builtin,
                    last_change,
                }
            })
            .collect())
    }

    /// Counts one finished job for every installed plugin it ran with, failed by `failed` (a
    /// label) or not, and rolls back a version whose failures passed the policy. Returns the
    /// rollback made, if any. Built-in plugins are not counted: there is nothing before them.
    pub async fn count_job(
        self: &Arc<Self>,
        store: &Store,
        registry: &Registry,
        failed: Option<&str>,
    ) -> Result<Option<PluginChoice>, CatalogError> {
        let mut rolled_back = None;
        for plugin in registry.all() {
            let label = plugin.label();
            if !registry.is_installed(&label) {
                continue;
            }
            let this_failed = failed == Some(label.as_str());
            let Some((jobs, failures)) = store
                .count_plugin_job(&plugin.info.id, &plugin.info.version, this_failed)
                .await?
            else {
                continue;
            };
            let policy = self.policy;
            let over =
                jobs >= policy.min_jobs && failures as f64 > policy.failure_share * jobs as f64;
            if !(this_failed && policy.enabled && over) {
                continue;
            }
            let reason = format!(
                "failed {failures} of its {jobs} jobs (threshold {:.0} %)",
                policy.failure_share * 100.0
            );
            let change = PluginChange::AutoRollback {
                version: &plugin.info.version,
                reason: &reason,
            };
            let done = self
                .change(store, &plugin.info.id, &change, ChangedBy::default())
                .await;
            match done {
                Ok(Some(choice)) => {
                    tracing::warn!(
                        plugin = %label, %reason,
                        now = choice.version.as_deref().unwrap_or(choice.state.as_str()),
                        "plugin version rolled back automatically"
                    );
                    metrics::counter!(
                        "stocklens_plugin_auto_rollbacks_total",
                        "plugin" => plugin.info.id.clone(), "version" => plugin.info.version.clone()
                    )
                    .increment(1);
                    rolled_back = Some(choice);
                }
                // Another process rolled it back first, or the operator moved on.
                Ok(None) => {}
                Err(err) => {
                    tracing::warn!(plugin = %label, %err, "cannot roll back a failing plugin version")
                }
            }
        }
        Ok(rolled_back)
    }
}

/// Bytes of a sample fed per call, as the pipeline feeds files.
const SAMPLE_CHUNK: usize = 64 * 1024;

/// What a parse of a sample gave, or what it promises.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub rows: u64,
    pub units: i64,
    /// Earnings per currency in millionths, by currency, zero sums left out.
    pub earnings: Vec<(String, i64)>,
}

/// One of a parser's own samples, checked.
#[derive(Debug)]
pub struct SampleCheck {
    pub file_name: String,
    pub expected: Totals,
    /// What the parse gave, or why it gave nothing (the parser rejected its own sample).
    pub got: Result<Totals, String>,
}

impl SampleCheck {
    pub fn passed(&self) -> bool {
        self.got.as_ref() == Ok(&self.expected)
    }

    /// What differs, one phrase per difference ("parses to 3 rows, but it expects 5").
    pub fn differences(&self) -> Vec<String> {
        let got = match &self.got {
            Ok(got) => got,
            Err(why) => return vec![format!("is rejected by its own parser: {why}")],
        };
        let mut out = Vec::new();
        if got.rows != self.expected.rows {
            out.push(format!(
                "parses to {} rows, but it expects {}",
                got.rows, self.expected.rows
            ));
        }
        if got.units != self.expected.units {
            out.push(format!(
                "parses to {} units, but it expects {}",
                got.units, self.expected.units
            ));
        }
        if got.earnings != self.expected.earnings {
            out.push(format!(
                "parses to earnings {}, but it expects {}",
                show_money(&got.earnings),
                show_money(&self.expected.earnings)
            ));
        }
        out
    }
}

/// Parses each of a parser's own samples in the sandbox and compares rows, units and earnings
/// with what it promises. The error is the plugin failing (a trap, a deadline), not a mismatch.
pub fn run_samples(runtime: &Runtime, plugin: &Plugin) -> Result<Vec<SampleCheck>, PluginError> {
    let samples = runtime.parser(plugin)?.samples()?;
    let mut checks = Vec::with_capacity(samples.len());
    for sample in samples {
        let mut expected = Totals {
            rows: sample.expected_rows,
            units: sample.expected_units,
            earnings: sample
                .expected_earnings
                .iter()
                .map(|m| (m.currency.clone(), m.micros))
                .filter(|(_, micros)| *micros != 0)
                .collect(),
        };
        expected.earnings.sort();
        let got = parse_sample(runtime, plugin, &sample.file_name, &sample.content)?;
        checks.push(SampleCheck {
            file_name: sample.file_name,
            expected,
            got,
        });
    }
    Ok(checks)
}

/// One parse of `content` with `plugin` alone; the inner error is the parser rejecting it.
fn parse_sample(
    runtime: &Runtime,
    plugin: &Plugin,
    file_name: &str,
    content: &[u8],
) -> Result<Result<Totals, String>, PluginError> {
    let mut instance = runtime.parser(plugin)?;
    instance.begin(file_name)?;
    let mut totals = Totals::default();
    let mut add = |batch: &SaleBatch| {
        for sale in &batch.sales {
            totals.units += i64::from(sale.units);
            let currency = text_of(batch, sale.currency);
            match totals.earnings.iter_mut().find(|(c, _)| c == currency) {
                Some((_, sum)) => *sum = sum.saturating_add(sale.earnings_micros),
                None => totals
                    .earnings
                    .push((currency.to_owned(), sale.earnings_micros)),
            }
        }
    };
    for chunk in content.chunks(SAMPLE_CHUNK) {
        match instance.feed(chunk)? {
            Ok(batch) => add(&batch.sales),
            Err(e) => return Ok(Err(e.message)),
        }
    }
    let (batch, summary) = match instance.finish()? {
        Ok(done) => done,
        Err(e) => return Ok(Err(e.message)),
    };
    add(&batch.sales);
    totals.rows = summary.rows;
    totals.earnings.retain(|(_, sum)| *sum != 0);
    totals.earnings.sort();
    Ok(Ok(totals))
}

/// The samples check of an installation: every sample must pass. Returns how many there were.
fn check_samples(runtime: &Runtime, plugin: &Plugin) -> Result<usize, CatalogError> {
    let checks = run_samples(runtime, plugin).map_err(|e| CatalogError::Refused(e.to_string()))?;
    if let Some(failed) = checks.iter().find(|c| !c.passed()) {
        return Err(CatalogError::Refused(format!(
            "{}: its sample {:?} {}",
            plugin.label(),
            failed.file_name,
            failed.differences().join("; ")
        )));
    }
    Ok(checks.len())
}

fn show_money(sums: &[(String, i64)]) -> String {
    if sums.is_empty() {
        return "none".into();
    }
    sums.iter()
        .map(|(currency, micros)| format!("{:.2} {currency}", *micros as f64 / 1e6))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Runs a report generator over the first built-in parser's first sample, the way a job would:
/// it must make a valid report. Returns 1 (the sample it passed).
fn check_report(
    runtime: &Runtime,
    builtins: &Registry,
    plugin: &Arc<Plugin>,
) -> Result<usize, CatalogError> {
    let sample = builtins
        .parsers()
        .iter()
        .find_map(|parser| {
            let samples = runtime.parser(parser).and_then(|mut p| p.samples()).ok()?;
            samples
                .into_iter()
                .next()
                .map(|s| (parser.info.id.clone(), s))
        })
        .ok_or_else(|| CatalogError::Internal("no built-in parser has a sample file".into()))?;
    let (marketplace, sample) = sample;
    let mut registry = builtins.clone();
    registry.add(Arc::clone(plugin));
    let job = crate::jobs::AnalysisRequest {
        marketplace: Some(marketplace),
        ..crate::jobs::AnalysisRequest::default()
    }
    .job(
        vec![crate::pipeline::Input {
            display: sample.file_name.clone(),
            name: sample.file_name.clone(),
            source: crate::pipeline::Source::Bytes(Arc::from(sample.content)),
        }],
        crate::jobs::analysis::today(),
    )
    .map_err(CatalogError::Internal)?;
    let job = crate::pipeline::Job {
        analyzers: Some(vec![plugin.info.id.clone()]),
        ..job
    };
    crate::pipeline::analyze(runtime, &registry, &job).map_err(|e| {
        CatalogError::Refused(format!(
            "{} fails on the sample file {:?}: {e}",
            plugin.label(),
            sample.file_name
        ))
    })?;
    Ok(1)
}

/// How often the plugin directory is looked at.
pub const DIR_POLL: Duration = Duration::from_secs(2);

/// Installs and activates every new `.wasm` dropped into `dir` until `stop`. A file named
/// `ID@VERSION.wasm` must be that plugin and version. A refused file gets a `.refused` file
/// beside it with the reason; a file whose bytes are installed already is left alone (so a
/// restart does not undo a rollback the operator made since).
pub async fn watch_dir(
    engine: Arc<Engine>,
    store: Store,
    dir: std::path::PathBuf,
    stop: CancellationToken,
) {
    tracing::info!(dir = %dir.display(), "watching for plugins");
    let mut seen: HashMap<std::path::PathBuf, (u64, Option<std::time::SystemTime>)> =
        HashMap::new();
    let mut unreadable = false;
    loop {
        match std::fs::read_dir(&dir) {
            Ok(entries) => {
                unreadable = false;
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.extension().and_then(|e| e.to_str()) != Some("wasm") {
                        continue;
                    }
                    let Ok(meta) = entry.metadata() else { continue };
                    let stamp = (meta.len(), meta.modified().ok());
                    if seen.get(&path) == Some(&stamp) {
                        continue;
                    }
                    seen.insert(path.clone(), stamp);
                    install_from_dir(&engine, &store, &path).await;
                }
            }
            Err(err) if !unreadable => {
                unreadable = true;
                tracing::warn!(dir = %dir.display(), %err, "cannot read the plugin directory");
            }
            Err(_) => {}
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(DIR_POLL) => {}
        }
    }
}

async fn install_from_dir(engine: &Arc<Engine>, store: &Store, path: &std::path::Path) {
    let refused_note = path.with_extension("wasm.refused");
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(file = %path.display(), %err, "cannot read a plugin file");
            return;
        }
    };
    let expected = path
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|stem| stem.split_once('@'))
        .map(|(id, version)| Expected {
            id: Some(id.to_owned()),
            version: Some(version.to_owned()),
            kind: None,
        })
        .unwrap_or_default();
    let sha256 = crate::store::sha256_hex(&bytes);
    match store.plugins().await {
        Ok(installed) if installed.iter().any(|p| p.sha256 == sha256) => {
            tracing::debug!(file = %path.display(), "plugin file already installed");
            return;
        }
        Ok(_) => {}
        Err(err) => {
            tracing::warn!(file = %path.display(), %err, "cannot check a plugin file against the store");
            return;
        }
    }
    match engine
        .install(store, bytes, expected, true, Some("plugin-dir"))
        .await
    {
        Ok(installed) => {
            let _ = std::fs::remove_file(&refused_note);
            tracing::info!(
                file = %path.display(), plugin = %format!("{}@{}", installed.plugin.id, installed.plugin.version),
                "plugin from the directory installed and activated"
            );
        }
        Err(err) => {
            tracing::warn!(file = %path.display(), %err, "plugin file refused");
            if let Err(write) = std::fs::write(&refused_note, format!("{err}\n")) {
                tracing::warn!(file = %refused_note.display(), %write, "cannot write the refusal note");
            }
        }
    }
}
