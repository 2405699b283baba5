//! The set of plugins a process can use, by kind and id.
//!
//! A registry never changes once built: the host builds a new one when the operator changes what
//! runs and swaps it in whole, so a job holding one sees one consistent set from start to end.

use std::sync::Arc;

use super::builtin::BUILTINS;
use super::error::PluginError;
use super::runtime::{Plugin, PluginKind, Runtime};

/// Loaded plugins, parsers and analyzers apart, each in a stable order.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    parsers: Vec<Arc<Plugin>>,
    analyzers: Vec<Arc<Plugin>>,
    /// Labels (`id@version`) of the plugins that were installed rather than built in.
    installed: Vec<String>,
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

    /// Adds an installed plugin, replacing one with the same kind and id.
    pub fn add_installed(&mut self, plugin: Arc<Plugin>) {
        self.installed.push(plugin.label());
        self.add(plugin);
    }

    /// Removes the plugin with this id, whatever its kind; returns whether there was one.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.parsers.len() + self.analyzers.len();
        self.parsers.retain(|p| p.info.id != id);
        self.analyzers.retain(|p| p.info.id != id);
        before != self.parsers.len() + self.analyzers.len()
    }

    /// Whether the plugin labelled `id@version` came from the store rather than the binary.
    pub fn is_installed(&self, label: &str) -> bool {
        self.installed.iter().any(|l| l == label)
    }

    /// The plugin with this id, whatever its kind.
    pub fn get(&self, id: &str) -> Option<&Arc<Plugin>> {
        self.parser(id).or_else(|| self.analyzer(id))
    }

    /// Every plugin, parsers first.
    pub fn all(&self) -> impl Iterator<Item = &Arc<Plugin>> {
        self.parsers.iter().chain(&self.analyzers)
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
