//! The `stocklens` binary the suites run as separate processes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

/// The `stocklens` binary beside this test. Cargo builds another package's binaries only for a
/// workspace-wide run (`cargo test --workspace`, as CI does), so when the binary is missing or
/// older than the host's sources (a stale binary would test old code) it is built first.
/// (Building it on every run would not be free: `-p stocklens` alone resolves features
/// differently from a workspace build and would rebuild it.) `STOCKLENS_TEST_NO_BUILD=1` uses
/// the binary as it is.
pub fn stocklens_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test's own path");
        let dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("target/<profile>/deps");
        let path = dir.join("stocklens");
        let built = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let sources = [
            "host/src",
            "host/build.rs",
            "host/Cargo.toml",
            "host/lexicon",
            "migrations",
            "plugins",
            "wit",
        ]
        .iter()
        .filter_map(|p| newest(&root.join(p)))
        .max();
        let stale = match (built, sources) {
            (Some(built), Some(sources)) => sources > built,
            (built, _) => built.is_none(),
        };
        if stale && std::env::var_os("STOCKLENS_TEST_NO_BUILD").is_none() {
            let mut cargo = Command::new(env!("CARGO"));
            cargo
                .args(["build", "--quiet", "-p", "stocklens", "--bin", "stocklens"])
                .current_dir(&root);
            if dir.file_name().is_some_and(|name| name == "release") {
                cargo.arg("--release");
            }
            let started = Instant::now();
            let out = cargo.output().expect("run cargo build");
            eprintln!(
                "the stocklens binary was missing or stale; cargo build -p stocklens took \
                 {:.1} s",
                started.elapsed().as_secs_f64()
            );
            assert!(
                out.status.success(),
                "cargo build -p stocklens failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(
            path.is_file(),
            "the stocklens binary is not at {}: run `cargo build -p stocklens` first",
            path.display()
        );
        path
    })
}

/// The newest modification time of a file, or of any file under a directory (`target`
/// directories left out).
fn newest(path: &Path) -> Option<std::time::SystemTime> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path)
        .ok()?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name() != "target")
        .filter_map(|entry| newest(&entry.path()))
        .max()
}
