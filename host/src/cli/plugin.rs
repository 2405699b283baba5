//! `stocklens plugin ...`: what plugins run, and the operator's changes to that: install,
//! activate, roll back, disable. Each works on the database directly, or, with `--server`, through
//! a running Stocklens's admin API. Either way every process of the deployment follows within
//! seconds (see `catalog`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use serde_json::Value;

use super::config::{Secret, ServiceConfig};
use super::{EXIT_INPUT, EXIT_OTHER, EXIT_PLUGIN, EXIT_USAGE, fail, open_store};
use crate::catalog::{CatalogError, Engine, Expected, PluginStatus};
use crate::plugin::{PluginKind, RuntimeConfig};
use crate::store::{ChangedBy, PluginChange, Store};

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// List every plugin with what runs: built-in and installed versions
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        remote: Remote,
    },
    /// Validate a plugin (.wasm component) and install it
    Install {
        /// The component, built for wasm32-wasip2
        file: PathBuf,
        /// Also make it the version that runs
        #[arg(long)]
        activate: bool,
        /// Refuse it unless its info() says this id
        #[arg(long)]
        id: Option<String>,
        /// Refuse it unless its info() says this version
        #[arg(long = "expect-version", value_name = "VERSION")]
        version: Option<String>,
        /// Refuse it unless it is this kind (parser or analyzer)
        #[arg(long)]
        kind: Option<String>,
        #[command(flatten)]
        remote: Remote,
    },
    /// Make an installed (or the built-in) version the one that runs
    Activate {
        /// ID@VERSION
        plugin: String,
        #[command(flatten)]
        remote: Remote,
    },
    /// Return to the version that ran before the last change
    Rollback {
        id: String,
        #[command(flatten)]
        remote: Remote,
    },
    /// Stop offering a plugin at all (roll back to undo)
    Disable {
        id: String,
        #[command(flatten)]
        remote: Remote,
    },
    /// Every change of one plugin, newest first
    History {
        id: String,
        #[command(flatten)]
        remote: Remote,
    },
    /// What a component is (info, interface, exports, size, sha256) and whether it would install
    Inspect {
        /// The component
        file: PathBuf,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Make a new plugin crate that works on the sample file it ships with
    New {
        /// parser (reads a marketplace's export) or analyzer (a report section)
        #[arg(long, value_enum)]
        kind: super::plugin_dev::NewKind,
        /// The plugin id, e.g. my-market
        name: String,
        /// Where to create it [default: ./NAME]
        #[arg(long)]
        path: Option<PathBuf>,
        /// The SDK crate to depend on by path [default: this repository's plugins/sdk when run
        /// from a checkout, else the published version]
        #[arg(long, value_name = "DIR")]
        sdk: Option<PathBuf>,
    },
    /// Run a plugin on its samples in the sandbox and compare with the expected summaries
    Test {
        /// The component
        file: PathBuf,
        /// Also every FILE in DIR that has a FILE.expected.json beside it
        #[arg(long, value_name = "DIR")]
        samples: Option<PathBuf>,
    },
}

/// Where the command acts: the database (default) or a server's admin API.
#[derive(Debug, Args)]
pub struct Remote {
    /// A running Stocklens's web address, e.g. http://127.0.0.1:8080: act through its admin API
    #[arg(long, env = "STOCKLENS_SERVER", value_name = "URL")]
    server: Option<url::Url>,
    /// The admin API's bearer token
    #[arg(
        long,
        env = "STOCKLENS_ADMIN_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    admin_token: Option<Secret>,
}

pub fn run(command: PluginCommand, config: RuntimeConfig, service: &ServiceConfig) -> ExitCode {
    let remote = match &command {
        PluginCommand::Inspect { file, json } => {
            return super::plugin_dev::inspect(file, *json, config);
        }
        PluginCommand::Test { file, samples } => {
            return super::plugin_dev::test(file, samples.as_deref(), config);
        }
        PluginCommand::New {
            kind,
            name,
            path,
            sdk,
        } => {
            return super::plugin_dev::new(*kind, name, path.as_deref(), sdk.as_deref());
        }
        PluginCommand::List { remote, .. }
        | PluginCommand::Install { remote, .. }
        | PluginCommand::Activate { remote, .. }
        | PluginCommand::Rollback { remote, .. }
        | PluginCommand::Disable { remote, .. }
        | PluginCommand::History { remote, .. } => remote,
    };
    if let Some(server) = remote.server.clone() {
        let Some(token) = remote.admin_token.as_ref().map(|t| t.expose().to_owned()) else {
            return fail(
                EXIT_USAGE,
                "--server needs the admin token: set STOCKLENS_ADMIN_TOKEN",
            );
        };
        return super::block_on(run_remote(command, server, token));
    }
    let engine = match super::plugin_dev::engine(config) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    // Listing needs no database: without one configured (or created yet), the built-ins are
    // all there is, and a list must not create an empty database as a side effect.
    if let PluginCommand::List { json, .. } = &command
        && service.database_url.is_none()
        && !service
            .data_dir
            .join(crate::store::SQLITE_FILE_NAME)
            .exists()
    {
        return super::block_on(async move {
            print_list(&builtin_statuses(&engine), *json);
            ExitCode::SUCCESS
        });
    }
    super::block_on(async move {
        let store = match open_store(service, false).await {
            Ok(store) => store,
            Err(code) => return code,
        };
        let code = run_local(command, &engine, &store).await;
        store.close().await;
        code
    })
}

async fn run_local(command: PluginCommand, engine: &Arc<Engine>, store: &Store) -> ExitCode {
    if let Err(err) = engine.refresh(store).await {
        return catalog_fail(err);
    }
    let by = operator();
    let by = ChangedBy {
        who: Some(&by),
        reason: None,
    };
    match command {
        PluginCommand::List { json, .. } => match engine.statuses(store).await {
            Ok(statuses) => {
                print_list(&statuses, json);
                ExitCode::SUCCESS
            }
            Err(err) => catalog_fail(err),
        },
        PluginCommand::Install {
            file,
            activate,
            id,
            version,
            kind,
            ..
        } => {
            let expected = match expected(id, version, kind.as_deref()) {
                Ok(expected) => expected,
                Err(code) => return code,
            };
            let bytes = match read_component(&file) {
                Ok(bytes) => bytes,
                Err(code) => return code,
            };
            match engine
                .install(store, bytes, expected, activate, by.who)
                .await
            {
                Ok(installed) => {
                    let value = serde_json::to_value(&installed).unwrap_or_default();
                    println!("{}", installed_line(&value));
                    ExitCode::SUCCESS
                }
                Err(err) => catalog_fail(err),
            }
        }
        PluginCommand::Activate { plugin, .. } => {
            let Some((id, version)) = plugin.split_once('@') else {
                return fail(EXIT_USAGE, format!("{plugin:?} is not ID@VERSION"));
            };
            changed(
                id,
                engine
                    .change(store, id, &PluginChange::Activate(version), by)
                    .await,
            )
        }
        PluginCommand::Rollback { id, .. } => changed(
            &id,
            engine.change(store, &id, &PluginChange::Rollback, by).await,
        ),
        PluginCommand::Disable { id, .. } => changed(
            &id,
            engine.change(store, &id, &PluginChange::Disable, by).await,
        ),
        PluginCommand::Inspect { .. } | PluginCommand::Test { .. } | PluginCommand::New { .. } => {
            unreachable!("handled before the store is opened")
        }
        PluginCommand::History { id, .. } => match store.plugin_changes(&id).await {
            Ok(changes) => {
                let value = serde_json::to_value(&changes).unwrap_or_default();
                print_history(&id, &value);
                ExitCode::SUCCESS
            }
            Err(err) => super::store_error(&err),
        },
    }
}

/// Who the history records for a change made from this shell.
fn operator() -> String {
    let user = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    format!("cli:{user}")
}

fn expected(
    id: Option<String>,
    version: Option<String>,
    kind: Option<&str>,
) -> Result<Expected, ExitCode> {
    let kind = match kind {
        None => None,
        Some("parser") => Some(PluginKind::Parser),
        Some("analyzer") => Some(PluginKind::Analyzer),
        Some(other) => {
            return Err(fail(
                EXIT_USAGE,
                format!("--kind {other:?} is not parser or analyzer"),
            ));
        }
    };
    Ok(Expected { id, version, kind })
}

fn read_component(file: &std::path::Path) -> Result<Vec<u8>, ExitCode> {
    match std::fs::metadata(file) {
        Ok(meta) if meta.len() > crate::catalog::MAX_PLUGIN_BYTES as u64 => {
            return Err(fail(
                EXIT_INPUT,
                format!(
                    "{}: {} MB is more than a plugin may be ({} MB)",
                    file.display(),
                    meta.len() / (1024 * 1024),
                    crate::catalog::MAX_PLUGIN_BYTES / (1024 * 1024)
                ),
            ));
        }
        _ => {}
    }
    std::fs::read(file).map_err(|err| fail(EXIT_INPUT, format!("{}: {err}", file.display())))
}

fn catalog_fail(err: CatalogError) -> ExitCode {
    match err {
        CatalogError::Refused(_) => fail(EXIT_PLUGIN, err),
        CatalogError::NotFound(_) | CatalogError::Conflict(_) => fail(EXIT_INPUT, err),
        CatalogError::Store(err) => super::store_error(&err),
        CatalogError::Internal(_) => fail(EXIT_OTHER, err),
    }
}

fn changed(id: &str, result: Result<Option<crate::store::PluginChoice>, CatalogError>) -> ExitCode {
    match result {
        Ok(Some(choice)) => {
            let value = serde_json::to_value(&choice).unwrap_or_default();
            println!("{}", choice_line(id, &value));
            ExitCode::SUCCESS
        }
        Ok(None) => {
            println!("{id}: nothing to change");
            ExitCode::SUCCESS
        }
        Err(err) => catalog_fail(err),
    }
}

fn choice_line(id: &str, choice: &Value) -> String {
    let what = match (choice["state"].as_str(), choice["version"].as_str()) {
        (Some("active"), Some(version)) => format!("{id}@{version} runs now"),
        (Some("builtin"), _) => format!("{id}: the built-in version runs now"),
        (Some("disabled"), _) => format!("{id} is disabled"),
        _ => format!("{id}: changed"),
    };
    format!(
        "{what} ({}); every process follows within 2 s",
        choice["action"].as_str().unwrap_or("change")
    )
}

fn installed_line(installed: &Value) -> String {
    let plugin = &installed["plugin"];
    let label = format!(
        "{}@{}",
        plugin["id"].as_str().unwrap_or("?"),
        plugin["version"].as_str().unwrap_or("?")
    );
    let mut line = if installed["new"].as_bool() == Some(true) {
        format!(
            "installed {label} ({}, sha256 {}, {} sample(s) passed)",
            plugin["kind"].as_str().unwrap_or("?"),
            &plugin["sha256"].as_str().unwrap_or("")
                [..12.min(plugin["sha256"].as_str().unwrap_or("").len())],
            installed["samples_passed"]
        )
    } else {
        format!("{label} is already installed with these bytes")
    };
    if installed["activated"].is_object() {
        line.push_str("; it runs now, every process follows within 2 s");
    }
    line
}

fn builtin_statuses(engine: &Engine) -> Vec<PluginStatus> {
    engine
        .registry()
        .all()
        .map(|p| PluginStatus {
            id: p.info.id.clone(),
            kind: p.info.kind,
            state: crate::store::ChoiceState::Builtin,
            version: Some(p.info.version.clone()),
            wit: Some(p.wit_version.clone()),
            description: Some(p.info.description.clone()),
            builtin: Some(p.info.version.clone()),
            installed: Vec::new(),
            last_change: None,
            marketplace: p.info.marketplace.clone(),
            name: p.info.name.clone(),
        })
        .collect()
}

fn print_list(statuses: &[PluginStatus], json: bool) {
    let value = serde_json::to_value(statuses).unwrap_or_default();
    print_list_value(&value, json);
}

fn print_list_value(value: &Value, json: bool) {
    if json {
        println!("{value}");
        return;
    }
    let empty = Vec::new();
    let rows: Vec<[String; 7]> = value
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|p| {
            let text = |v: &Value| v.as_str().unwrap_or("-").to_owned();
            let installed: Vec<String> = p["installed"]
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .map(|r| text(&r["version"]))
                .collect();
            [
                text(&p["id"]),
                text(&p["kind"]),
                text(&p["version"]),
                text(&p["state"]),
                if installed.is_empty() {
                    "-".into()
                } else {
                    installed.join(",")
                },
                text(&p["marketplace"]),
                text(&p["name"]),
            ]
        })
        .collect();
    let header = [
        "ID",
        "KIND",
        "VERSION",
        "STATE",
        "INSTALLED",
        "MARKETPLACE",
        "NAME",
    ]
    .map(String::from);
    let mut widths = [0; 7];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
}

fn print_history(id: &str, changes: &Value) {
    let empty = Vec::new();
    let list = changes.as_array().unwrap_or(&empty);
    if list.is_empty() {
        println!("{id}: never changed; the built-in version runs");
    }
    for change in list {
        let at = change["changed_at"]
            .as_i64()
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
            .map_or_else(
                || "?".into(),
                |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            );
        println!(
            "{at}  {:<13}  {:<8}  {:<9}  {}{}",
            change["action"].as_str().unwrap_or("?"),
            change["state"].as_str().unwrap_or("?"),
            change["version"].as_str().unwrap_or("-"),
            change["changed_by"].as_str().unwrap_or("-"),
            change["reason"]
                .as_str()
                .map(|r| format!("  ({r})"))
                .unwrap_or_default()
        );
    }
}

/// The same commands through a server's admin API.
async fn run_remote(command: PluginCommand, server: url::Url, token: String) -> ExitCode {
    let client = match reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(300))
        .build()
    {
        Ok(client) => client,
        Err(err) => return fail(EXIT_OTHER, format!("cannot make an HTTP client: {err}")),
    };
    let url = |path: &str| {
        let mut url = server.clone();
        url.set_path(path);
        url
    };
    let request = match &command {
        PluginCommand::List { .. } => client.get(url("/admin/plugins")),
        PluginCommand::Install {
            file,
            activate,
            id,
            version,
            kind,
            ..
        } => {
            let bytes = match read_component(file) {
                Ok(bytes) => bytes,
                Err(code) => return code,
            };
            let mut query = vec![("activate", activate.to_string()), ("by", operator())];
            for (name, value) in [("id", id), ("version", version), ("kind", kind)] {
                if let Some(value) = value {
                    query.push((name, value.clone()));
                }
            }
            client
                .post(url("/admin/plugins"))
                .query(&query)
                .header(reqwest::header::CONTENT_TYPE, "application/wasm")
                .body(bytes)
        }
        PluginCommand::Activate { plugin, .. } => {
            let Some((id, version)) = plugin.split_once('@') else {
                return fail(EXIT_USAGE, format!("{plugin:?} is not ID@VERSION"));
            };
            client.post(url(&format!("/admin/plugins/{id}/activate/{version}")))
        }
        PluginCommand::Rollback { id, .. } => {
            client.post(url(&format!("/admin/plugins/{id}/rollback")))
        }
        PluginCommand::Disable { id, .. } => {
            client.post(url(&format!("/admin/plugins/{id}/disable")))
        }
        PluginCommand::History { id, .. } => {
            client.get(url(&format!("/admin/plugins/{id}/history")))
        }
        PluginCommand::Inspect { .. } | PluginCommand::Test { .. } | PluginCommand::New { .. } => {
            unreachable!("handled before the server is asked")
        }
    };
    let response = match request.bearer_auth(&token).send().await {
        Ok(response) => response,
        Err(err) => {
            return fail(
                EXIT_OTHER,
                format!("cannot reach {server}: {}", without_url(&err)),
            );
        }
    };
    let status = response.status();
    let body: Value = match response.json().await {
        Ok(body) => body,
        Err(err) => {
            return fail(
                EXIT_OTHER,
                format!(
                    "{server} answered {status} without JSON: {}",
                    without_url(&err)
                ),
            );
        }
    };
    if !status.is_success() {
        let message = body["error"]
            .as_str()
            .unwrap_or("no reason given")
            .to_owned();
        let code = match status.as_u16() {
            401 => EXIT_USAGE,
            422 => EXIT_PLUGIN,
            400 | 404 | 409 | 413 => EXIT_INPUT,
            _ => EXIT_OTHER,
        };
        return fail(code, format!("{server} refused ({status}): {message}"));
    }
    match command {
        PluginCommand::List { json, .. } => print_list_value(&body["plugins"], json),
        PluginCommand::Install { .. } => println!("{}", installed_line(&body)),
        PluginCommand::Activate { plugin, .. } => {
            let id = plugin.split_once('@').map_or(plugin.as_str(), |(id, _)| id);
            print_remote_change(id, &body);
        }
        PluginCommand::Rollback { id, .. } | PluginCommand::Disable { id, .. } => {
            print_remote_change(&id, &body);
        }
        PluginCommand::History { id, .. } => print_history(&id, &body["changes"]),
        PluginCommand::Inspect { .. } | PluginCommand::Test { .. } | PluginCommand::New { .. } => {}
    }
    ExitCode::SUCCESS
}

fn print_remote_change(id: &str, body: &Value) {
    if body["changed"].as_bool() == Some(true) {
        println!("{}", choice_line(id, &body["choice"]));
    } else {
        println!("{id}: nothing to change");
    }
}

/// An HTTP error's text without the URL reqwest puts in it (it may carry a token in a query).
fn without_url(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    if let Some(url) = err.url() {
        text = text.replace(url.as_str(), "the server");
    }
    text
}
