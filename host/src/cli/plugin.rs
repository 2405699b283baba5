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
        println!(
            "{:<16} {:<9} {:<9} {:<16} NAME",
            "ID", "VERSION", "KIND", "MARKETPLACE"
        );
        for p in plugins {
            println!(
                "{:<16} {:<9} {:<9} {:<24} {}",
                p.info.id,
                p.info.version,
                p.info.kind.to_string(),
                p.info.marketplace.as_deref().unwrap_or("-"),
                p.info.name
            );
        }
    }
    ExitCode::SUCCESS
}
