//! A private PostgreSQL cluster for the scenario that restarts Postgres under load: its own data
//! directory and port, so restarting it (gracefully or as a crash) disturbs nothing else. The
//! machine's own cluster on 5432 is never touched.
//!
//! Tests run as root on CI machines and `initdb` refuses root, so the cluster belongs to the
//! `postgres` system user there (`runuser`); as anyone else it runs as that user.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A cluster in a temporary directory, stopped (immediately) when dropped.
pub struct Cluster {
    /// Holds `data/`, the socket and `log`; owned by the cluster's user.
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

/// The newest installed PostgreSQL's binaries (`/usr/lib/postgresql/<version>/bin`).
fn bin_dir() -> PathBuf {
    let root = PathBuf::from("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e} (PostgreSQL's server binaries)", root.display()))
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("pg_ctl").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .expect("no /usr/lib/postgresql/<version>/bin/pg_ctl")
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

impl Cluster {
    /// Creates and starts a cluster on a free port (trust authentication, user `postgres`,
    /// no fsync: the machine never crashes under it, only the server does).
    pub fn start() -> Cluster {
        let as_postgres = running_as_root();
        let dir = tempfile::Builder::new()
            .prefix("stocklens-chaos-pg")
            .tempdir()
            .expect("a directory for the cluster");
        if as_postgres {
            let status = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(dir.path())
                .status()
                .expect("chown runs");
            assert!(
                status.success(),
                "chown the cluster's directory to postgres"
            );
        }
        let cluster = Cluster {
            dir,
            bin: bin_dir(),
            port: stocklens_tests::redis_server::free_port(),
            as_postgres,
        };
        let data = cluster.data().display().to_string();
        cluster.run(
            "initdb",
            &["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync"],
        );
        cluster.pg_ctl(&["start"]);
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `postgres://postgres@127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }

    /// Restarts the server: `fast` closes every connection cleanly; `immediate` is a crash
    /// (the server recovers from its WAL on start).
    pub fn restart(&self, mode: &str) {
        self.pg_ctl(&["restart", "-m", mode]);
    }

    /// Stops the server (`fast` or `immediate`).
    pub fn stop(&self, mode: &str) {
        self.pg_ctl(&["stop", "-m", mode]);
    }

    /// Starts it again after [`Cluster::stop`].
    pub fn resume(&self) {
        self.pg_ctl(&["start"]);
    }

    /// The server's log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    fn pg_ctl(&self, action: &[&str]) {
        let data = self.data().display().to_string();
        let log = self.dir.path().join("log").display().to_string();
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            self.port,
            self.dir.path().display()
        );
        let mut args = vec!["-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options];
        args.extend_from_slice(action);
        self.run("pg_ctl", &args);
        if !action.contains(&"stop") {
            self.wait_ready();
        }
    }

    /// One of the server's tools, run as the postgres user when we are root (initdb and the
    /// server refuse root).
    fn tool(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&path);
            command
        } else {
            Command::new(&path)
        }
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = self
            .tool(tool)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{tool} runs: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.log()
        );
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "the cluster did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data().display().to_string();
        let _ = self
            .tool("pg_ctl")
            .args(["-D", &data, "-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
