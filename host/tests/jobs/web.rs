//! The web role over real HTTP: liveness, readiness, metrics, and report links that open the
//! contributor's report with a script-forbidding policy while every other token gets the same
//! 404.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use stocklens::store::AnalysisStatus;

use crate::helpers::{Env, small_export, wait_until};

/// Hang guard: process start, one small job, a few requests.
const LIMIT: Duration = Duration::from_secs(120);

/// A port nobody listens on right now (see `ports`).
pub fn free_address() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], crate::ports::free_port()))
}

/// One HTTP/1.1 GET: the status, the header block (lower-cased) and the body.
pub fn get(address: SocketAddr, path: &str) -> Option<(u16, String, String)> {
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
    let mut worker = env.worker(
        "web",
        &["--roles", "worker,web", "--web-listen", &listen],
        &[],
    );
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

    // The link opens for 30 days by default.
    let expires = report.expires_at.expect("a report link expires");
    let days = (expires - report.created_at) as f64 / 86_400_000.0;
    assert!((days - 30.0).abs() < 0.01, "{days} days");

    let (status, _, body) = get(address, "/healthz").expect("healthz answers");
    assert_eq!((status, body.as_str()), (200, "ok\n"));

    let (status, head, body) = get(address, "/readyz").expect("readyz answers");
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("application/json"), "{head}");
    let readiness: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(readiness["ready"], true);
    assert_eq!(readiness["database"], "ok");
    assert_eq!(
        readiness["pid"].as_u64(),
        worker.pid().map(u64::from),
        "{body}"
    );
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

    // Once expired, the very same link gets the very same 404.
    {
        use sqlx::Connection;
        let db = env.data_dir().join("stocklens.db");
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.display()))
            .await
            .expect("open the database");
        sqlx::query("UPDATE reports SET expires_at = 1 WHERE id = $1")
            .bind(report.id)
            .execute(&mut conn)
            .await
            .expect("expire the report");
    }
    let (status, _, body) = get(address, &format!("/r/{}", report.token)).expect("an answer");
    assert_eq!(
        (status, body.as_str()),
        (404, "no such report\n"),
        "expired"
    );
    probes.push(report.token.clone());

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

/// How many bits in which two tokens differ.
fn bits_apart(a: &str, b: &str) -> u32 {
    let a = u128::from_str_radix(a, 16).expect("hex");
    let b = u128::from_str_radix(b, 16).expect("hex");
    (a ^ b).count_ones()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_link_opens_only_with_its_exact_token() {
    let env = Env::sqlite();
    env.migrate();
    env.ok(&["plan", "set", "BIG", "--analyses", "10"]);
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut analyses = Vec::new();
    for (user, file) in [
        ("5101", small_export()),
        ("5102", examples.join("freepik/assets_report_05_2026.csv")),
        ("5103", small_export()),
    ] {
        env.ok(&["user", "set-plan", user, "BIG", "--until", "2999-12-31"]);
        analyses.push(env.submit(user.parse().expect("id"), &file));
    }
    let address = free_address();
    let listen = address.to_string();
    let mut worker = env.worker(
        "links",
        &["--roles", "worker,web", "--web-listen", &listen],
        &[],
    );
    let store = env.store().await;
    let mut reports = Vec::new();
    for analysis in analyses {
        wait_until("the report", LIMIT, || async {
            matches!(store.analysis(analysis).await, Ok(a) if a.status == AnalysisStatus::Done)
        })
        .await;
        reports.push(store.report_of_analysis(analysis).await.expect("report"));
    }

    // Tokens are 128 random bits: 32 lower-case hex digits, unrelated to each other even for
    // the same file (any two differ in about half their bits; under 32 of 128 is a 1 in 10^8
    // event for random tokens), and unrelated to the report's or the analysis' id.
    for report in &reports {
        let token = &report.token;
        assert_eq!(token.len(), 32, "{token}");
        assert!(
            token
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
            "{token}"
        );
        let digits: std::collections::BTreeSet<char> = token.chars().collect();
        assert!(digits.len() >= 8, "{token} looks anything but random");
    }
    for (i, a) in reports.iter().enumerate() {
        for b in &reports[i + 1..] {
            let apart = bits_apart(&a.token, &b.token);
            assert!(
                apart >= 32,
                "{} and {} differ in {apart} bits",
                a.token,
                b.token
            );
        }
    }

    // Each token opens its own report, and only that one.
    for report in &reports {
        let (status, _, body) = get(address, &format!("/r/{}", report.token)).expect("link");
        assert_eq!(status, 200);
        assert_eq!(body, report.html);
    }
    assert_ne!(
        reports[0].html, reports[1].html,
        "two contributors, two reports"
    );

    // Near misses of the first token: each the same 404 as a token of nothing.
    let token = reports[0].token.clone();
    let mut flipped_first = token.clone();
    let first = if token.starts_with('0') { "1" } else { "0" };
    flipped_first.replace_range(..1, first);
    let near_misses = [
        token.to_ascii_uppercase(),
        token[..31].to_owned(),
        token[..16].to_owned(),
        token[..1].to_owned(),
        format!("{token}0"),
        format!("0{token}"),
        format!("{token}{token}"),
        flipped_first,
        format!("{}%00", token),
        format!("{}%20", token),
        format!("%20{}", token),
        format!("{}.html", token),
        reports[1].token.to_ascii_uppercase(),
        reports[1].token[..31].to_owned(),
    ];
    for probe in &near_misses {
        let (status, head, body) = get(address, &format!("/r/{probe}")).expect("an answer");
        assert_eq!(
            (status, body.as_str()),
            (404, "no such report\n"),
            "{probe}"
        );
        assert!(head.contains("cache-control: private, no-store"), "{head}");
    }
    assert!(worker.terminate(LIMIT));
    env.cleanup().await;
}

/// The admin token the admin test configures; it must never show up in a log.
const ADMIN_TOKEN: &str = "s3cret-admin-token-for-tests";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_api_needs_its_token_caps_bodies_and_changes_plugins() {
    let env = Env::sqlite();
    env.migrate();
    let client = reqwest::Client::new();

    // Without a token configured there is no admin API at all.
    let address = free_address();
    let listen = address.to_string();
    let mut off = env.worker(
        "admin-off",
        &["--roles", "web", "--web-listen", &listen],
        &[],
    );
    let base = format!("http://{address}");
    wait_until("the web role", LIMIT, || async {
        client.get(format!("{base}/healthz")).send().await.is_ok()
    })
    .await;
    let response = client
        .get(format!("{base}/admin/plugins"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 404, "no admin API without a token");
    for (method, path) in [
        (reqwest::Method::POST, "/admin/plugins"),
        (reqwest::Method::PUT, "/admin/users/777/plan"),
        (reqwest::Method::POST, "/admin/jobs/1/retry"),
        (reqwest::Method::GET, "/admin/stats"),
    ] {
        let response = client
            .request(method.clone(), format!("{base}{path}"))
            .bearer_auth(ADMIN_TOKEN)
            .body("{}")
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), 404, "{method} {path} without a token");
    }
    assert!(off.terminate(LIMIT));

    let address = free_address();
    let listen = address.to_string();
    let mut server = env.worker(
        "admin",
        &["--roles", "web", "--web-listen", &listen],
        &[("STOCKLENS_ADMIN_TOKEN", ADMIN_TOKEN)],
    );
    let base = format!("http://{address}");
    wait_until("the web role", LIMIT, || async {
        client.get(format!("{base}/healthz")).send().await.is_ok()
    })
    .await;
    let plugins = format!("{base}/admin/plugins");

    // No token, a wrong one (shorter, longer, same length), a wrong scheme: 401, same body.
    let mut refusals = vec![client.get(&plugins)];
    for wrong in [
        "s3cret",
        "s3cret-admin-token-for-tests-and-more",
        "s3cret-admin-token-for-testz",
    ] {
        refusals.push(client.get(&plugins).bearer_auth(wrong));
    }
    refusals.push(client.get(&plugins).basic_auth("admin", Some(ADMIN_TOKEN)));
    for request in refusals {
        let response = request.send().await.expect("an answer");
        assert_eq!(response.status(), 401);
        assert_eq!(
            response
                .headers()
                .get("www-authenticate")
                .map(|v| v.as_bytes()),
            Some(&b"Bearer"[..])
        );
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(body["error"], "a valid admin token is required");
    }

    // The right token lists every built-in plugin.
    let response = client
        .get(&plugins)
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("list");
    assert_eq!(response.status(), 200);
    let listed: serde_json::Value = response.json().await.expect("JSON");
    let ids: Vec<&str> = listed["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"adobe-stock") && ids.contains(&"overview"),
        "{ids:?}"
    );

    // A body over the cap is refused: 33 MB as a plugin, 100 KB as JSON. Without the token
    // the huge upload is refused before it is read.
    let huge = vec![0u8; 33 * 1024 * 1024];
    let response = client
        .post(&plugins)
        .bearer_auth(ADMIN_TOKEN)
        .body(huge.clone())
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 413);
    let response = client.post(&plugins).body(huge).send().await;
    if let Ok(response) = response {
        assert_eq!(response.status(), 401);
    }
    let response = client
        .put(format!("{base}/admin/lexicon/en/help.text"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&serde_json::json!({"text": "x".repeat(100 * 1024)}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 413);

    // Every other admin request is held to the JSON cap, whether or not its handler reads a
    // body; the public routes take no bodies at all.
    let big = vec![b'x'; 100 * 1024];
    for (method, path) in [
        (reqwest::Method::POST, "/admin/jobs/1/retry"),
        (reqwest::Method::POST, "/admin/plugins/adobe-stock/rollback"),
        (reqwest::Method::PUT, "/admin/users/777/plan"),
        (reqwest::Method::GET, "/admin/stats"),
    ] {
        let response = client
            .request(method.clone(), format!("{base}{path}"))
            .bearer_auth(ADMIN_TOKEN)
            .body(big.clone())
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), 413, "{method} {path}");
    }
    for path in [
        "/healthz",
        "/metrics",
        "/r/00000000000000000000000000000000",
    ] {
        let response = client
            .post(format!("{base}{path}"))
            .body(big.clone())
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), 405, "POST {path}");
    }

    // Refused before their bodies are read, requests of a few MB still get their answer, not a
    // reset connection: the server reads on what it refused (the linger layer).
    let large = vec![b'x'; 3 * 1024 * 1024];
    for _ in 0..5 {
        for (method, path, token, status) in [
            (reqwest::Method::POST, "/healthz", true, 405),
            (reqwest::Method::PUT, "/admin/users/777/plan", true, 413),
            (reqwest::Method::POST, "/admin/jobs/1/retry", false, 401),
        ] {
            let mut request = client
                .request(method.clone(), format!("{base}{path}"))
                .body(large.clone());
            if token {
                request = request.bearer_auth(ADMIN_TOKEN);
            }
            let response = request.send().await.expect("an answer, not a reset");
            assert_eq!(response.status(), status, "{method} {path} with 3 MB");
        }
    }

    // Upload a plugin and activate it, then roll back, all over HTTP.
    let probe = std::fs::read(crate::plugins::fixture("test_probe_1.wasm")).expect("fixture");
    let response = client
        .post(format!("{plugins}?activate=true&by=ops"))
        .bearer_auth(ADMIN_TOKEN)
        .body(probe)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), 201);
    let installed: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(installed["plugin"]["version"], "1.0.0");
    assert_eq!(installed["activated"]["state"], "active");
    let bad = client
        .post(&plugins)
        .bearer_auth(ADMIN_TOKEN)
        .body(&b"\0asm\x01\0\0\0"[..])
        .send()
        .await
        .expect("upload");
    assert_eq!(bad.status(), 422);
    let why: serde_json::Value = bad.json().await.expect("JSON");
    assert!(
        why["error"]
            .as_str()
            .unwrap_or_default()
            .contains("core WebAssembly module"),
        "{why}"
    );

    // The CLI drives the same API with --server; a wrong token is a usage error.
    let out = env
        .command(&["plugin", "list", "--server", &base])
        .env("STOCKLENS_ADMIN_TOKEN", ADMIN_TOKEN)
        .output()
        .expect("plugin list");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("test-probe") && l.contains("1.0.0") && l.contains("active")),
        "{listed}"
    );
    let out = env
        .command(&["plugin", "rollback", "test-probe", "--server", &base])
        .env("STOCKLENS_ADMIN_TOKEN", ADMIN_TOKEN)
        .output()
        .expect("plugin rollback");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env
        .command(&["plugin", "activate", "test-probe@1.0.0", "--server", &base])
        .env("STOCKLENS_ADMIN_TOKEN", "wrong")
        .output()
        .expect("plugin activate");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("a valid admin token is required"),
        "{stderr}"
    );
    let history = client
        .get(format!("{plugins}/test-probe/history"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("history")
        .json::<serde_json::Value>()
        .await
        .expect("JSON");
    let actions: Vec<&str> = history["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["action"].as_str())
        .collect();
    assert_eq!(actions, ["rollback", "activate"]);

    // Users, lexicon, jobs and stats.
    let response = client
        .put(format!("{base}/admin/users/777/plan"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&serde_json::json!({"plan": "NOPE"}))
        .send()
        .await
        .expect("set plan");
    assert_eq!(response.status(), 404);
    env.ok(&["plan", "set", "BIG", "--analyses", "10"]);
    let response = client
        .put(format!("{base}/admin/users/777/plan"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&serde_json::json!({"plan": "BIG"}))
        .send()
        .await
        .expect("set plan");
    assert_eq!(response.status(), 200);
    let user: serde_json::Value = client
        .get(format!("{base}/admin/users/777"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("user")
        .json()
        .await
        .expect("JSON");
    assert_eq!(user["plan"], "BIG");
    assert_eq!(user["quota"]["limit"], 10);

    let key = format!("{base}/admin/lexicon/en/menu.help");
    let response = client
        .put(&key)
        .bearer_auth(ADMIN_TOKEN)
        .json(&serde_json::json!({"text": "Help me"}))
        .send()
        .await
        .expect("set text");
    assert_eq!(response.status(), 200);
    let texts: serde_json::Value = client
        .get(format!("{base}/admin/lexicon"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("texts")
        .json()
        .await
        .expect("JSON");
    assert_eq!(texts[0]["text"], "Help me");
    let bad_text = client
        .put(format!("{base}/admin/lexicon/en/no.such.key"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&serde_json::json!({"text": "x"}))
        .send()
        .await
        .expect("set text");
    assert_eq!(bad_text.status(), 422);
    for expected in [200, 404] {
        let response = client
            .delete(&key)
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .expect("delete");
        assert_eq!(response.status(), expected);
    }

    env.ok(&["user", "set-plan", "778", "BIG", "--until", "2999-12-31"]);
    let analysis = env.submit(778, &small_export());
    let jobs: serde_json::Value = client
        .get(format!("{base}/admin/jobs?state=queued"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("jobs")
        .json()
        .await
        .expect("JSON");
    assert_eq!(jobs.as_array().map(Vec::len), Some(1), "{jobs}");
    let retry = client
        .post(format!("{base}/admin/jobs/{}/retry", jobs[0]["id"]))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("retry");
    assert_eq!(retry.status(), 409, "a queued job is not retried");
    let stats: serde_json::Value = client
        .get(format!("{base}/admin/stats?days=7"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("stats")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        stats["days"][0]["analyses"], 1,
        "{stats} (analysis {analysis})"
    );

    let metrics = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics");
    let metrics = metrics.text().await.expect("text");
    assert!(
        metrics.contains("stocklens_admin_refused_total"),
        "{metrics}"
    );
    assert!(server.terminate(LIMIT));
    for log in [server.log_text(), off.log_text()] {
        assert!(
            !log.contains(ADMIN_TOKEN),
            "the admin token is never logged:\n{log}"
        );
    }
}
