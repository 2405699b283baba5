//! `stocklens plugin ...`: what plugins this binary has.

use std::process::ExitCode;

use clap::Subcommand;

use super::{EXIT_PLUGIN, fail};
use crate::plugin::{Registry, Runtime, RuntimeConfig};

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// List every parser and report generator with id, version, kind and marketplace
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: PluginCommand, config: RuntimeConfig) -> ExitCode {
    let PluginCommand::List { json } = command;
    let runtime = match Runtime::new(config) {
        Ok(runtime) => runtime,
        Err(err) => {
            return fail(
                super::EXIT_OTHER,
                format!("cannot start the plugin runtime: {err:#}"),
            );
        }
    };
    let registry = match Registry::builtin(&runtime) {
        Ok(registry) => registry,
        Err(err) => {
            return fail(
                EXIT_PLUGIN,
                format!("a built-in plugin failed to load: {err}"),
            );
        }
    };
    let plugins: Vec<_> = registry
        .parsers()
        .iter()
        .chain(registry.analyzers())
        .collect();
    if json {
        let list: Vec<_> = plugins
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.info.id, "version": p.info.version, "kind": p.info.kind,
                    "marketplace": p.info.marketplace, "name": p.info.name,
                    "description": p.info.description, "wit": p.wit_version, "sha256": p.sha256,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(list));
    } else {
        let rows: Vec<[String; 5]> = plugins
            .iter()
            .map(|p| {
                [
                    p.info.id.clone(),
                    p.info.version.clone(),
                    p.info.kind.to_string(),
                    p.info.marketplace.clone().unwrap_or_else(|| "-".into()),
                    p.info.name.clone(),
                ]
            })
            .collect();
        let header = ["ID", "VERSION", "KIND", "MARKETPLACE", "NAME"].map(String::from);
        let mut widths = [0; 5];
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
    ExitCode::SUCCESS
}
