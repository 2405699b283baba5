//! Runs the real `stocklens` binary in a scratch directory and reads what it printed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("host/ is inside the repository")
        .to_path_buf()
}

/// What one run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The scratch directory the run wrote into (kept alive with the run).
    pub dir: tempfile::TempDir,
}

impl Run {
    /// Runs `command` to its end; `dir` is the scratch directory kept alive with the run.
    pub fn of(mut command: Command, dir: tempfile::TempDir) -> Run {
        let output = command.output().expect("stocklens runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            dir,
        }
    }

    /// The JSON summary printed with `--json`.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|err| {
            panic!(
                "stdout is not one JSON object ({err}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// The report written to `report.html` in the scratch directory.
    pub fn report(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("report.html"))
            .expect("the report was written")
    }

    /// Asserts a failure with `code` and exactly one `error:` line on stderr containing `fragment`.
    pub fn assert_fails(&self, code: i32, fragment: &str) {
        assert_eq!(self.code, code, "exit code; stderr: {}", self.stderr);
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "exactly one line on stderr, got: {:?}",
            self.stderr
        );
        assert!(
            lines[0].starts_with("error: "),
            "stderr starts with 'error: ': {:?}",
            lines[0]
        );
        assert!(
            lines[0].to_lowercase().contains(&fragment.to_lowercase()),
            "stderr {:?} should mention {fragment:?}",
            lines[0]
        );
    }
}

/// A `stocklens` command with a cache shared by all tests and logging left at its default.
pub fn stocklens() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stocklens"));
    command
        .env(
            "STOCKLENS_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("plugin-cache"),
        )
        .env_remove("STOCKLENS_LOG")
        .env_remove("RUST_LOG");
    command
}

/// Runs `stocklens analyze ARGS... -o <scratch>/report.html`; relative paths are from the repo.
pub fn analyze(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("scratch directory");
    let mut command = stocklens();
    command
        .current_dir(repo())
        .arg("analyze")
        .args(args)
        .arg("-o")
        .arg(dir.path().join("report.html"));
    Run::of(command, dir)
}

/// Writes `content` to a file called `name` in a new scratch directory.
pub fn scratch_file(name: &str, content: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("scratch directory");
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("write scratch file");
    (dir, path)
}
