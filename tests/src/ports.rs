//! Ports for the servers a test starts (a `redis-server`, a `stocklens serve`'s web role, a
//! webhook), which take the port after the test has picked it.
//!
//! A port from `bind(127.0.0.1:0)` is one of the kernel's ephemeral ports, the same range every
//! outgoing connection's source port comes from: between the pick and the server's own bind,
//! any of the thousands of connections a bot or load test makes can take it (seen in CI: the
//! web role of a load test's service found its port in use). So ports are picked below the
//! ephemeral range, where outgoing connections never land, starting at a random place and never
//! handing out the same port twice in one process; a port something already holds is skipped.
//!
//! Standard library only: the host's jobs suite includes this file as its own module.

use std::net::TcpListener;
use std::sync::Mutex;

/// Ports handed out by this process so far, and where the next search starts.
static NEXT: Mutex<Option<u16>> = Mutex::new(None);

/// The lowest port of the kernel's ephemeral range (Linux's default where it cannot be read).
fn ephemeral_start() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|range| range.split_whitespace().next()?.parse().ok())
        .unwrap_or(32768)
}

/// A port on 127.0.0.1 that nothing listens on now and that outgoing connections will not
/// take; this process never returns it twice.
pub fn free_port() -> u16 {
    const LOWEST: u16 = 10_000;
    let top = ephemeral_start().max(LOWEST + 1_000);
    let span = top - LOWEST;
    let mut next = NEXT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut port = next.unwrap_or_else(|| {
        // A random start, from the standard library's randomly keyed hasher.
        let random = std::hash::BuildHasher::hash_one(&std::hash::RandomState::new(), 0u8);
        LOWEST + (random % u64::from(span)) as u16
    });
    for _ in 0..span {
        let candidate = port;
        port = if port + 1 >= top { LOWEST } else { port + 1 };
        if TcpListener::bind(("127.0.0.1", candidate)).is_ok() {
            *next = Some(port);
            return candidate;
        }
    }
    // Every port below the ephemeral range is taken: fall back to the kernel's pick.
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many picks, from several threads at once: never the same port twice, never one from the
    /// ephemeral range, each one free when it is handed out.
    #[test]
    fn ports_are_distinct_free_and_below_the_ephemeral_range() {
        let picks: Vec<u16> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| (0..100).map(|_| free_port()).collect::<Vec<u16>>()))
                .collect();
            threads
                .into_iter()
                .flat_map(|t| t.join().expect("a picking thread"))
                .collect()
        });
        let distinct: std::collections::HashSet<u16> = picks.iter().copied().collect();
        assert_eq!(distinct.len(), picks.len(), "a port handed out twice");
        let start = ephemeral_start();
        assert!(
            picks.iter().all(|&p| p < start && p >= 10_000),
            "a port outside 10000..{start}"
        );
        // A port held by a listener is not handed out.
        let next = free_port();
        let held = TcpListener::bind(("127.0.0.1", next + 1)).ok();
        let after = free_port();
        if held.is_some() {
            assert_ne!(after, next + 1, "a port something listens on");
        }
    }
}
