//! The on-disk cache of compiled plugins.
//!
//! Compiling a component with Cranelift takes tens to hundreds of milliseconds; loading a
//! precompiled artifact takes about one. Artifacts are keyed by the component's sha256 and by
//! the engine's compatibility hash (wasmtime version and every setting that affects code), so a
//! changed plugin or a new host never loads a stale artifact.
//!
//! Loading an artifact is `unsafe` in wasmtime because it is native code: this cache only ever
//! loads files it wrote itself, into a directory it creates private to the user (0700). When the
//! directory cannot be written, plugins are compiled in memory and the service carries on.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Compiled-artifact cache in one directory.
#[derive(Debug)]
pub struct ArtifactCache {
    dir: Option<PathBuf>,
    /// Hex digest of the engine's compatibility hash: part of every file name.
    engine_key: String,
}

impl ArtifactCache {
    /// A cache in `dir`, or an in-memory-only one when `dir` is `None` or cannot be created.
    pub fn new(engine: &Engine, dir: Option<PathBuf>) -> ArtifactCache {
        let dir = dir.and_then(|dir| match create_private_dir(&dir) {
            Ok(()) => Some(dir),
            Err(err) => {
                tracing::warn!(dir = %dir.display(), "plugin cache directory unusable, compiling in memory: {err}");
                None
            }
        });
        ArtifactCache {
            dir,
            engine_key: engine_key(engine),
        }
    }

    /// The compiled component for `bytes`, whose sha256 is `sha256`: from disk when cached,
    /// otherwise compiled now and stored for next time.
    pub fn load_or_compile(
        &self,
        engine: &Engine,
        sha256: &str,
        bytes: &[u8],
    ) -> wasmtime::Result<Component> {
        let path = self.artifact_path(sha256);
        if let Some(path) = &path
            && path.is_file()
        {
            // SAFETY: the file is in a directory this process created with 0700 permissions and
            // was written by `store` below from `Engine::precompile_component`, under a name
            // that includes the engine's compatibility hash.
            #[allow(unsafe_code)]
            let loaded = unsafe { Component::deserialize_file(engine, path) };
            match loaded {
                Ok(component) => return Ok(component),
                Err(err) => {
                    tracing::warn!(path = %path.display(), "cached plugin artifact unreadable, recompiling: {err:#}")
                }
            }
        }
        let artifact = engine.precompile_component(bytes)?;
        // SAFETY: `artifact` was produced just now by this engine's `precompile_component`.
        #[allow(unsafe_code)]
        let component = unsafe { Component::deserialize(engine, &artifact)? };
        if let Some(path) = &path
            && let Err(err) = store(path, &artifact)
        {
            tracing::warn!(path = %path.display(), "could not cache compiled plugin: {err}");
        }
        Ok(component)
    }

    fn artifact_path(&self, sha256: &str) -> Option<PathBuf> {
        self.dir
            .as_ref()
            .map(|dir| dir.join(format!("{sha256}-{}.cwasm", self.engine_key)))
    }
}

/// Writes atomically: a reader sees the whole artifact or none of it.
fn store(path: &Path, artifact: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(artifact)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map(drop).map_err(|err| err.error)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    // Probe once: an unwritable directory is found now, not on every compile.
    let probe = dir.join(format!(".probe-{}", std::process::id()));
    fs::write(&probe, b"")?;
    fs::remove_file(&probe)
}

fn engine_key(engine: &Engine) -> String {
    let mut hasher = ShaHasher(Sha256::new());
    engine.precompile_compatibility_hash().hash(&mut hasher);
    hex::encode(&hasher.0.finalize()[..8])
}

/// Feeds `Hash` output into sha256, which is stable across Rust releases (unlike `DefaultHasher`).
struct ShaHasher(Sha256);

impl Hasher for ShaHasher {
    fn finish(&self) -> u64 {
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwritable_directory_falls_back_to_memory() {
        let engine = Engine::default();
        let cache =
            ArtifactCache::new(&engine, Some(PathBuf::from("/proc/stocklens-cannot-exist")));
        assert!(cache.artifact_path("abc").is_none());
    }

    #[test]
    fn engine_key_is_stable_for_one_engine() {
        let engine = Engine::default();
        assert_eq!(engine_key(&engine), engine_key(&engine));
        assert_eq!(engine_key(&engine).len(), 16);
    }
}
