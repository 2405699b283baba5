//! The web role over real HTTP: liveness, readiness, metrics, and report links that open the
//! contributor's report with a script-forbidding policy while every other token gets the same
//! 404.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use stocklens::store::AnalysisStatus;

use crate::helpers::{Env, small_export, wait_until};

/// Hang guard: process start, one small job, a few requests.
const LIMIT: Duration = Duration::from_secs(120);

/// A port nobody listens on right now.
fn free_address() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address")
}

/// One HTTP/1.1 GET: the status, the header block (lower-cased) and the body.
fn get(address: SocketAddr, path: &str) -> Option<(u16, String, String)> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, head.to_ascii_lowercase(), body.to_owned()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_role_answers_probes_metrics_and_report_links() {
    let env = Env::sqlite();
    env.migrate();
    env.ok(&["plan", "set", "BIG", "--analyses", "10"]);
    env.ok(&["user", "set-plan", "5003", "BIG", "--until", "2999-12-31"]);
    let address = free_address();
    let listen = address.to_string();
    let mut worker = env.worker("web", &["--roles", "web", "--web-listen", &listen], &[]);
    let analysis = env.submit(5003, &small_export());
    let store = env.store().await;
    wait_until("the report", LIMIT, || async {
        matches!(store.analysis(analysis).await, Ok(a) if a.status == AnalysisStatus::Done)
    })
    .await;
    let report = store
        .report_of_analysis(analysis)
        .await
        .expect("the report is saved");

    let (status, _, body) = get(address, "/healthz").expect("healthz answers");
    assert_eq!((status, body.as_str()), (200, "ok\n"));

    let (status, head, body) = get(address, "/readyz").expect("readyz answers");
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("application/json"), "{head}");
    let readiness: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(readiness["ready"], true);
    assert_eq!(readiness["database"], "ok");
    assert_eq!(
        readiness["redis"], "off",
        "no Redis is configured, and that is ready"
    );
    assert!(readiness["plugins"].as_u64().expect("a count") >= 11);

    let (status, head, body) = get(address, &format!("/r/{}", report.token)).expect("link");
    assert_eq!(status, 200);
    assert_eq!(body, report.html, "the stored report, byte for byte");
    assert!(
        head.contains(
            "content-security-policy: default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        ),
        "{head}"
    );
    assert!(head.contains("cache-control: private, no-store"), "{head}");
    assert!(head.contains("text/html"), "{head}");

    // A wrong token, a malformed one and a scan of random ones: all the same 404.
    let mut wrong = report.token.clone();
    let last = if wrong.ends_with('0') { "1" } else { "0" };
    wrong.replace_range(wrong.len() - 1.., last);
    let mut probes = vec![
        wrong,
        "not-a-token".to_owned(),
        "0".repeat(200),
        "%3Cscript%3E".to_owned(),
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..50 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        probes.push(format!("{seed:016x}{:016x}", seed.rotate_left(29)));
    }
    for probe in &probes {
        let (status, _, body) = get(address, &format!("/r/{probe}")).expect("an answer");
        assert_eq!(
            (status, body.as_str()),
            (404, "no such report\n"),
            "{probe}"
        );
    }

    let (status, head, body) = get(address, "/metrics").expect("metrics answer");
    assert_eq!(status, 200);
    assert!(head.contains("text/plain"), "{head}");
    assert!(
        body.contains(r#"stocklens_report_links_total{result="opened"} 1"#),
        "{body}"
    );
    assert!(
        body.contains(&format!(
            r#"stocklens_report_links_total{{result="not_found"}} {}"#,
            probes.len()
        )),
        "{body}"
    );

    assert!(
        worker.terminate(LIMIT),
        "the process stops cleanly on SIGTERM"
    );
    env.cleanup().await;
}
