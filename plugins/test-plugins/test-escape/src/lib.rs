//! `test-escape`: a parser that tries to reach outside its sandbox, for the host's test that
//! each attempt is denied. Its `feed` reads, lists and creates files, reads the environment and
//! its arguments, resolves a name, connects over TCP and sends over UDP to the addresses the file
//! names (`tcp=127.0.0.1:PORT` and `udp=127.0.0.1:PORT` lines, where the test listens), and reads
//! both clocks. It then gives up on the file with a [`ParseError`] whose message has one line per
//! attempt, `name: outcome`, which the test reads: `denied (why)` or `ALLOWED (what)` for an
//! operation, `empty` or `LEAKED (...)` for the environment and arguments, `epoch` or
//! `MOVED (...)` for the wall clock, `frozen` or `MOVED (...)` for the monotonic clock.
//!
//! Not a real parser: it detects nothing and must never be installed for contributors.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs, UdpSocket};
use std::time::{Instant, SystemTime};

use stocklens_plugin_sdk::{
    Batch, Detection, ParseError, ParseSession, ParseSummary, Parser, PluginInfo, PluginKind,
    register_parser,
};

/// Turns of a busy loop between two readings of the monotonic clock: enough for a real clock to
/// move by far more than its resolution.
const SPIN_TURNS: u64 = 10_000_000;

/// The plugin.
pub struct TestEscape;

/// A session that tries every escape in `feed`.
pub struct EscapeSession;

impl Parser for TestEscape {
    type Session = EscapeSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-escape".into(),
            name: "Test: sandbox escape".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description: "Tries files, network, environment and clocks; for sandbox tests only."
                .into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        Detection::new(0, "test plugin")
    }
}

/// `denied (why)` or `ALLOWED (what)`.
fn outcome<T>(result: std::io::Result<T>, allowed: impl FnOnce(T) -> String) -> String {
    match result {
        Ok(value) => format!("ALLOWED ({})", allowed(value)),
        Err(err) => format!("denied ({err})"),
    }
}

/// The address after `key=` on one of `text`'s lines.
fn address<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|line| line.trim().strip_prefix(key)?.strip_prefix('='))
}

/// `empty`, or `LEAKED (...)` listing what was there.
fn listing(items: Vec<String>) -> String {
    if items.is_empty() {
        "empty".into()
    } else {
        format!("LEAKED ({})", items.join(", "))
    }
}

fn attempts(input: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut note = |name: &str, outcome: String| out.push((name.to_owned(), outcome));
    let bytes = |data: Vec<u8>| format!("{} bytes", data.len());

    note(
        "fs.read /etc/hostname",
        outcome(std::fs::read("/etc/hostname"), bytes),
    );
    for path in ["/", "."] {
        let opened = std::fs::File::open(path).and_then(|mut file| {
            let mut data = Vec::new();
            file.read_to_end(&mut data).map(|_| data)
        });
        note(&format!("fs.read {path}"), outcome(opened, bytes));
        let listed = std::fs::read_dir(path).map(|entries| entries.count());
        note(
            &format!("fs.list {path}"),
            outcome(listed, |n| format!("{n} entries")),
        );
    }
    for path in ["escape.txt", "/tmp/stocklens-escape.txt"] {
        let created = std::fs::File::create(path).and_then(|mut file| file.write_all(b"out"));
        note(
            &format!("fs.create {path}"),
            outcome(created, |()| "written".into()),
        );
    }

    note(
        "env.vars",
        listing(std::env::vars().map(|(k, _)| k).collect()),
    );
    note("env.args", listing(std::env::args().collect()));

    let lookup = ("localhost", 80).to_socket_addrs();
    note(
        "net.dns localhost",
        outcome(lookup, |found| format!("{} addresses", found.count())),
    );
    match address(input, "tcp") {
        Some(to) => {
            let connected = TcpStream::connect(to)
                .and_then(|mut stream| stream.write_all(b"escaped").map(|()| stream));
            note(
                &format!("net.tcp {to}"),
                outcome(connected, |_| "connected".into()),
            );
        }
        None => note("net.tcp", "no tcp= line in the file".into()),
    }
    match address(input, "udp") {
        Some(to) => {
            let sent =
                UdpSocket::bind("0.0.0.0:0").and_then(|socket| socket.send_to(b"escaped", to));
            note(
                &format!("net.udp {to}"),
                outcome(sent, |n| format!("{n} bytes sent")),
            );
        }
        None => note("net.udp", "no udp= line in the file".into()),
    }

    let wall = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH);
    note(
        "clock.wall",
        match wall {
            Ok(since) if since.is_zero() => "epoch".into(),
            Ok(since) => format!("MOVED ({} s after the epoch)", since.as_secs()),
            Err(err) => format!("MOVED (before the epoch: {err})"),
        },
    );
    let start = Instant::now();
    let mut turns: u64 = 0;
    while turns < SPIN_TURNS {
        turns = std::hint::black_box(turns + 1);
    }
    let elapsed = start.elapsed();
    note(
        "clock.monotonic",
        if elapsed.is_zero() {
            "frozen".into()
        } else {
            format!("MOVED ({} ns)", elapsed.as_nanos())
        },
    );
    out
}

/// The report: one `name: outcome` line per attempt.
fn report(attempts: &[(String, String)]) -> String {
    let lines: Vec<String> = attempts
        .iter()
        .map(|(name, outcome)| format!("{name}: {outcome}"))
        .collect();
    lines.join("\n")
}

impl ParseSession for EscapeSession {
    fn new(_file_name: &str) -> Self {
        EscapeSession
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<Batch, ParseError> {
        let input = String::from_utf8_lossy(chunk);
        Err(ParseError::new(report(&attempts(&input))))
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        Ok((Batch::default(), ParseSummary::default()))
    }
}

register_parser!(TestEscape);
