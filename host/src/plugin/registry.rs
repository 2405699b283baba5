//! The set of plugins a process can use, by kind and id.
//!
//! For now the built-in plugins only; installed plugins join through the same `Registry`.

use std::sync::Arc;

use super::builtin::BUILTINS;
use super::error::PluginError;
use super::runtime::{Plugin, PluginKind, Runtime};

/// Loaded plugins, parsers and analyzers apart, each in a stable order.
#[derive(Debug, Default)]
pub struct Registry {
    parsers: Vec<Arc<Plugin>>,
    analyzers: Vec<Arc<Plugin>>,
}

impl Registry {
    /// Loads every built-in plugin.
    pub fn builtin(runtime: &Runtime) -> Result<Registry, PluginError> {
        let mut registry = Registry::default();
        for builtin in BUILTINS {
            registry.add(runtime.load(builtin.bytes)?);
        }
        Ok(registry)
    }

    /// Adds a loaded plugin, replacing one with the same kind and id.
    pub fn add(&mut self, plugin: Arc<Plugin>) {
        let list = match plugin.info.kind {
            PluginKind::Parser => &mut self.parsers,
            PluginKind::Analyzer => &mut self.analyzers,
        };
        match list.iter_mut().find(|p| p.info.id == plugin.info.id) {
            Some(slot) => *slot = plugin,
            None => list.push(plugin),
        }
    }

    pub fn parsers(&self) -> &[Arc<Plugin>] {
        &self.parsers
    }

    pub fn analyzers(&self) -> &[Arc<Plugin>] {
        &self.analyzers
    }

    pub fn parser(&self, id: &str) -> Option<&Arc<Plugin>> {
        self.parsers.iter().find(|p| p.info.id == id)
    }

    pub fn analyzer(&self, id: &str) -> Option<&Arc<Plugin>> {
        self.analyzers.iter().find(|p| p.info.id == id)
    }
}
