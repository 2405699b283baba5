//! The load generator behind `stocklens-load`: many simulated contributors against a real
//! `stocklens serve` through the fake Telegram server, with what each waited for.
//!
//! A run starts the fake Telegram server and a `stocklens serve` (bot, worker and web roles, its
//! own data directory), or attaches to a fake that services were started against by hand
//! (`target`, driven over its control API), then lets `users` contributors loose for `duration`:
//! each arrives within `arrival`, sends `/start`, then keeps pressing menu buttons with a human
//! pause between presses; a share of them uploads an export once and answers every question.
//! Optionally one more contributor uploads a big file a quarter into the run, and the run's own
//! Redis is killed part-way. Latency is measured on the fake's clock, from the update being
//! offered to the bot to the first thing the bot did in that chat; an upload from the document to
//! its report. At the end every upload must have exactly one report and every interaction an
//! answer, or the run fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Serialize;

use crate::fake_telegram::{BotEvent, BotEventKind, FakeConfig, FakeTelegram, SimUser};
use crate::redis_server::RedisServer;

/// The menu buttons a contributor presses, with their callback data.
const MENU: &[&str] = &[
    "m:help",
    "m:markets",
    "m:howto",
    "m:plan",
    "m:reports",
    "m:home",
];

/// The answers to the upload's questions, in order (content type, period, then four skips).
const ANSWERS: &[&str] = &["a:ct:all", "a:p:all", "skip", "skip", "skip", "skip"];

/// What to run.
#[derive(Clone, Debug)]
pub struct LoadConfig {
    pub users: usize,
    pub duration: Duration,
    /// Share of users (0 to 1) that upload a file once.
    pub upload_share: f64,
    /// Export files the uploading users send, round robin.
    pub files: Vec<PathBuf>,
    /// The `stocklens` binary.
    pub stocklens: PathBuf,
    /// `DATABASE_URL` for the service; SQLite in its data directory when absent.
    pub database_url: Option<String>,
    pub redis_url: Option<String>,
    /// The URL of a running fake Telegram (`stocklens-fake-telegram`) that services were started
    /// against: attach to it instead of starting the fake and a service.
    pub target: Option<String>,
    /// Processes whose memory, CPU and sockets are measured when attached.
    pub service_pids: Vec<u32>,
    /// Messages per second the bot may send overall (its `--messages-per-sec`) and the fake's
    /// overall flood limit: Telegram's 30 for most bots, up to 1,000 with paid broadcasts.
    pub messages_per_sec: u32,
    /// Contributors arrive uniformly within this time from the start.
    pub arrival: Duration,
    /// One more contributor uploads this file a quarter into the run (reported apart).
    pub big_upload: Option<PathBuf>,
    /// Start a private Redis for the service and kill it this long into the run.
    pub kill_redis_at: Option<Duration>,
    /// Pause between one contributor's interactions, uniformly in this range.
    pub think: (Duration, Duration),
    /// Longest wait for an answer before it counts as a timeout.
    pub answer_timeout: Duration,
    /// Longest wait for a report after the last answer.
    pub report_timeout: Duration,
    pub seed: u64,
    /// The Telegram id of the first simulated contributor; the others follow.
    pub first_user_id: i64,
}

impl LoadConfig {
    /// A run of `users` for `duration` with the repository's example files.
    pub fn new(users: usize, duration: Duration, stocklens: PathBuf) -> LoadConfig {
        LoadConfig {
            users,
            duration,
            upload_share: 0.1,
            files: vec![examples().join("adobe-stock/activity-2025-q3.csv")],
            stocklens,
            database_url: None,
            redis_url: None,
            target: None,
            service_pids: Vec::new(),
            messages_per_sec: 30,
            arrival: duration / 4,
            big_upload: None,
            kill_redis_at: None,
            think: (Duration::from_millis(1000), Duration::from_millis(3000)),
            answer_timeout: Duration::from_secs(10),
            report_timeout: Duration::from_secs(120),
            seed: 42,
            first_user_id: 700_000_000,
        }
    }
}

impl LoadConfig {
    fn user_id(&self, index: usize) -> i64 {
        self.first_user_id + index as i64
    }
}

/// The repository's `examples/`.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// Latencies of one kind of interaction.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Latencies {
    pub count: usize,
    pub errors: usize,
    pub timeouts: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Latencies {
    fn of(samples: &mut [Duration], errors: usize, timeouts: usize) -> Latencies {
        samples.sort();
        let at = |q: f64| {
            if samples.is_empty() {
                return 0.0;
            }
            let index = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
            samples[index].as_secs_f64() * 1000.0
        };
        Latencies {
            count: samples.len(),
            errors,
            timeouts,
            p50_ms: at(0.50),
            p95_ms: at(0.95),
            p99_ms: at(0.99),
            max_ms: samples.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        }
    }
}

/// What the service process used.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ProcessUse {
    pub peak_rss_mb: f64,
    pub cpu_seconds: f64,
    /// Most sockets the process held open at one sampling.
    pub peak_open_sockets: usize,
}

/// What a run measured.
#[derive(Clone, Debug, Serialize)]
pub struct LoadReport {
    pub users: usize,
    pub duration_s: f64,
    /// Per interaction kind: `start`, `button`, `upload_question` (document to first question).
    pub interactions: BTreeMap<String, Latencies>,
    /// From the document to the report, per upload.
    pub upload_to_report: Latencies,
    pub uploads: usize,
    pub reports: usize,
    /// Uploads without exactly one report.
    pub lost_reports: usize,
    /// The big file's upload, from the document to its report.
    pub big_upload: Option<Latencies>,
    /// Calls the fake refused (flood limits, blocked users, bad requests): the bot's own code
    /// paths should cause none.
    pub refused_calls: usize,
    /// When the run's Redis was killed, in seconds from the start.
    pub redis_killed_at_s: Option<f64>,
    pub messages_per_sec: u32,
    /// Whether the run attached to services started by hand.
    pub attached: bool,
    /// The measured processes, summed; zeros when attached without `service_pids`.
    pub service: ProcessUse,
}

impl LoadReport {
    /// Whether nothing was lost, errored or timed out.
    pub fn ok(&self) -> bool {
        self.lost_reports == 0
            && self.refused_calls == 0
            && self
                .big_upload
                .as_ref()
                .is_none_or(|l| l.errors == 0 && l.timeouts == 0 && l.count == 1)
            && self.upload_to_report.errors == 0
            && self.upload_to_report.timeouts == 0
            && self
                .interactions
                .values()
                .all(|l| l.errors == 0 && l.timeouts == 0)
    }

    /// The same as a Markdown table.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} users for {:.0} s: {} uploads, {} reports, {} lost, {} calls refused; service \
             peak RSS {:.0} MB, {:.1} CPU s, {} sockets at most; {} messages/s allowed{}\n\n",
            self.users,
            self.duration_s,
            self.uploads,
            self.reports,
            self.lost_reports,
            self.refused_calls,
            self.service.peak_rss_mb,
            self.service.cpu_seconds,
            self.service.peak_open_sockets,
            self.messages_per_sec,
            self.redis_killed_at_s
                .map(|at| format!("; Redis killed at {at:.1} s"))
                .unwrap_or_default(),
        );
        out.push_str(
            "| what | count | p50 ms | p95 ms | p99 ms | max ms | errors | timeouts |\n\
             | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        );
        let rows = self
            .interactions
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .chain(std::iter::once((
                "upload to report",
                &self.upload_to_report,
            )))
            .chain(self.big_upload.iter().map(|l| ("big upload to report", l)));
        for (kind, l) in rows {
            out.push_str(&format!(
                "| {kind} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {} |\n",
                l.count, l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms, l.errors, l.timeouts
            ));
        }
        out
    }
}

/// Samples of one kind, with failures.
#[derive(Default)]
struct Tally {
    samples: Vec<Duration>,
    errors: usize,
    timeouts: usize,
}

#[derive(Default)]
struct Tallies {
    kinds: BTreeMap<&'static str, Tally>,
    upload: Tally,
    big: Tally,
    uploads: usize,
    /// Contributors who sent their file.
    uploaders: Vec<usize>,
}

/// The running service process (and its private Redis), killed when dropped.
struct Service {
    child: Child,
    redis: Option<RedisServer>,
    _data: tempfile::TempDir,
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the load and returns what it measured.
pub async fn run(config: &LoadConfig) -> anyhow::Result<LoadReport> {
    let mut config = config.clone();
    if config.target.is_some() {
        // A fake that outlives runs keeps every chat: new contributors for each run.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        config.first_user_id = 1_000_000_000 + (now.as_millis() % 1_000_000) as i64 * 100_000;
    }
    let config = &config;
    if config.files.is_empty() && config.upload_share > 0.0 {
        bail!("uploading users need at least one file");
    }
    let read = |path: &PathBuf| -> anyhow::Result<(String, Arc<[u8]>)> {
        let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
        let name = path
            .file_name()
            .map_or_else(|| "export.csv".into(), |n| n.to_string_lossy().into_owned());
        Ok((name, Arc::from(bytes)))
    };
    let files: Vec<(String, Arc<[u8]>)> = config
        .files
        .iter()
        .map(read)
        .collect::<anyhow::Result<_>>()?;
    let big = config.big_upload.as_ref().map(read).transpose()?;
    let (fake, mut service) = match &config.target {
        Some(url) => (Fake::remote(url).await?, None),
        None => {
            let fake = FakeTelegram::start(fake_config(config))?;
            let service = start_service(config, &fake).await?;
            (Fake::Local(fake), Some(service))
        }
    };
    let pids: Vec<u32> = match &service {
        Some(service) => vec![service.child.id()],
        None => config.service_pids.clone(),
    };
    let tallies = Arc::new(Mutex::new(Tallies::default()));
    let sampler_stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = Arc::clone(&sampler_stop);
        let pids = pids.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(pids.iter().map(|&pid| open_sockets(pid)).sum());
                std::thread::sleep(Duration::from_millis(200));
            }
            peak
        })
    };
    let started = Instant::now();
    let deadline = started + config.duration;
    let uploaders = (config.users as f64 * config.upload_share).round() as usize;
    let mut tasks = Vec::with_capacity(config.users + 1);
    for index in 0..config.users {
        let fake = fake.clone();
        let tallies = Arc::clone(&tallies);
        let config = config.clone();
        let file = (index < uploaders).then(|| files[index % files.len()].clone());
        tasks.push(tokio::spawn(async move {
            contributor(index, &fake, &config, deadline, file, &tallies).await;
        }));
    }
    if let Some((name, bytes)) = big {
        let fake = fake.clone();
        let tallies = Arc::clone(&tallies);
        let config = config.clone();
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(config.duration / 4).await;
            match Chat::join(&fake, config.user_id(config.users), "en").await {
                Ok(mut chat) => {
                    upload(&mut chat, &config, &name, &bytes, true, &tallies).await;
                }
                Err(_) => tallies.lock().unwrap_or_else(|e| e.into_inner()).big.errors += 1,
            }
        }));
    }
    let mut redis_killed_at = None;
    if let (Some(at), Some(service)) = (config.kill_redis_at, service.as_mut())
        && let Some(redis) = service.redis.as_mut()
    {
        tokio::time::sleep_until((started + at).into()).await;
        redis.kill();
        redis_killed_at = Some(started.elapsed().as_secs_f64());
    }
    for task in tasks {
        task.await.context("a simulated contributor panicked")?;
    }
    let elapsed = started.elapsed();
    sampler_stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak_open_sockets = sampler.join().unwrap_or(0);
    let service_use = ProcessUse {
        peak_rss_mb: pids.iter().map(|&pid| peak_rss_kb(pid)).sum::<u64>() as f64 / 1024.0,
        cpu_seconds: pids.iter().map(|&pid| cpu_seconds(pid)).sum(),
        peak_open_sockets,
    };

    // Every upload must have exactly one report, and nothing more may arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut reports = 0;
    let mut lost = 0;
    let mut refused = 0;
    let big_user = config.big_upload.is_some().then_some(config.users);
    let uploaded = std::mem::take(&mut tallies.lock().unwrap_or_else(|e| e.into_inner()).uploaders);
    for index in (0..config.users).chain(big_user) {
        let events = fake.events(config.user_id(index)).await?;
        refused += events.iter().filter(|e| e.is_rejected()).count();
        if uploaded.contains(&index) || Some(index) == big_user {
            let documents = events.iter().filter(|e| is_report(e)).count();
            reports += documents;
            lost += usize::from(documents != 1);
        }
    }
    drop(service);
    if let Fake::Local(fake) = &fake {
        fake.shutdown();
    }
    let mut tallies = std::mem::take(&mut *tallies.lock().unwrap_or_else(|e| e.into_inner()));
    let latencies = |t: &mut Tally| Latencies::of(&mut t.samples, t.errors, t.timeouts);
    Ok(LoadReport {
        users: config.users,
        duration_s: elapsed.as_secs_f64(),
        interactions: tallies
            .kinds
            .iter_mut()
            .map(|(k, t)| ((*k).to_owned(), latencies(t)))
            .collect(),
        upload_to_report: latencies(&mut tallies.upload),
        uploads: tallies.uploads,
        reports,
        lost_reports: lost,
        big_upload: big_user.map(|_| latencies(&mut tallies.big)),
        refused_calls: refused,
        redis_killed_at_s: redis_killed_at,
        messages_per_sec: config.messages_per_sec,
        attached: config.target.is_some(),
        service: service_use,
    })
}

/// The fake for a run: Telegram's flood limit per chat; overall, the rate the bot is allowed.
/// (The fake counts edits in its overall bucket, which Telegram's 30 messages a second do not:
/// at 1,000 contributors pressing buttons that would refuse edits Telegram accepts, so the
/// overall bucket is left off and the bot's own pacing is what keeps the rate.)
fn fake_config(config: &LoadConfig) -> FakeConfig {
    let mut fake = FakeConfig {
        global_rate: None,
        ..FakeConfig::default()
    };
    if config.big_upload.is_some() {
        fake.max_download_bytes = 2000 * 1024 * 1024;
    }
    fake
}

fn is_report(event: &BotEvent) -> bool {
    matches!(&event.kind, BotEventKind::Document { bytes, .. } if bytes.starts_with(b"<!DOCTYPE html>"))
}

/// Starts `stocklens serve` against the fake and waits until it is ready.
///
/// The web role's port is picked free (`ports`) and then taken by the service, so another
/// process may still take it first: a service that exits before it is ready is started again on
/// another port (three tries), and only readiness answered by its own process counts.
async fn start_service(config: &LoadConfig, fake: &FakeTelegram) -> anyhow::Result<Service> {
    let data = tempfile::tempdir()?;
    let redis = config.kill_redis_at.map(|_| RedisServer::start(None));
    let redis_url = match &redis {
        Some(redis) => Some(redis.url(None)),
        None => config.redis_url.clone(),
    };
    let command = |args: &[&str]| {
        let mut command = Command::new(&config.stocklens);
        command
            .args(args)
            .env("STOCKLENS_DATA_DIR", data.path())
            .env("STOCKLENS_LOG", "warn")
            .env_remove("DATABASE_URL")
            .env_remove("REDIS_URL");
        if let Some(url) = &config.database_url {
            command.env("DATABASE_URL", url);
        }
        if let Some(url) = &redis_url {
            command.env("REDIS_URL", url);
        }
        command
    };
    let migrated = command(&["migrate"]).output()?;
    if !migrated.status.success() {
        bail!(
            "stocklens migrate failed: {}",
            String::from_utf8_lossy(&migrated.stderr)
        );
    }
    // New contributors get the trial plan: enough for the one analysis each uploader makes.
    let rate = config.messages_per_sec.to_string();
    let mut args = vec![
        "serve",
        "--uploads-per-hour",
        "1000",
        "--flood-burst",
        "1000",
        "--messages-per-sec",
        &rate,
    ];
    if config.big_upload.is_some() {
        args.push("--telegram-local-api");
    }
    let mut tries = 0;
    loop {
        tries += 1;
        let web = std::net::SocketAddr::from(([127, 0, 0, 1], crate::ports::free_port()));
        let mut child = command(&args)
            .env("TELEGRAM_BOT_TOKEN", &fake.config().token)
            .env("TELEGRAM_API_URL", fake.api_url())
            .env("STOCKLENS_WEB_LISTEN", web.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("start stocklens serve")?;
        let ready = Instant::now() + Duration::from_secs(60);
        let exited = loop {
            if readiness_pid(web) == Some(child.id()) {
                return Ok(Service {
                    child,
                    redis,
                    _data: data,
                });
            }
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if Instant::now() > ready {
                let _ = child.kill();
                let _ = child.wait();
                bail!("stocklens serve was not ready within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        if tries == 3 {
            bail!("stocklens serve exited before it was ready ({exited}), {tries} times");
        }
        eprintln!(
            "stocklens serve exited before it was ready ({exited}); starting it again on another port"
        );
    }
}

/// The process id in a 200 answer of `/readyz` at `web`, if that is what answers.
fn readiness_pid(web: std::net::SocketAddr) -> Option<u32> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(web).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET /readyz HTTP/1.1\r\nHost: {web}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let (head, body) = answer.split_once("\r\n\r\n")?;
    if !head.starts_with("HTTP/1.1 200") {
        return None;
    }
    let readiness: serde_json::Value = serde_json::from_str(body).ok()?;
    readiness["pid"]
        .as_u64()
        .and_then(|pid| u32::try_from(pid).ok())
}

/// The fake Telegram the contributors talk to: in this process, or another's over its control
/// API. Both stamp what happens on the fake's clock.
#[derive(Clone)]
enum Fake {
    Local(FakeTelegram),
    Remote {
        base: Arc<str>,
        http: reqwest::Client,
    },
}

/// Something a contributor does.
enum Act<'a> {
    Text(&'a str),
    Document(&'a str, &'a Arc<[u8]>),
    Press {
        message: i32,
        data: &'a str,
    },
    /// Any data on one of the bot's messages, whether or not such a button is there now.
    Forged {
        message: i32,
        data: &'a str,
    },
}

impl Fake {
    async fn remote(url: &str) -> anyhow::Result<Fake> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(300))
            .build()?;
        let base: Arc<str> = url.trim_end_matches('/').into();
        // Any answer from the control API proves it is a fake Telegram there.
        http.get(format!("{base}/control/stats"))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .with_context(|| format!("no fake Telegram answers at {base}"))?;
        Ok(Fake::Remote { base, http })
    }

    async fn user(&self, id: i64, lang: &str) -> anyhow::Result<SimUser> {
        match self {
            Fake::Local(fake) => Ok(fake.user(id, "Load", Some(lang))),
            Fake::Remote { base, http } => {
                let mut user = SimUser::new(id, "Load");
                user.language_code = Some(lang.to_owned());
                http.post(format!("{base}/control/users"))
                    .json(&user)
                    .send()
                    .await?
                    .error_for_status()?;
                Ok(user)
            }
        }
    }

    /// Offers `act` to the bot; returns when it was offered, on the fake's clock.
    async fn act(&self, user: &SimUser, act: Act<'_>) -> anyhow::Result<Duration> {
        match self {
            Fake::Local(fake) => {
                let at = fake.clock();
                match act {
                    Act::Text(text) => {
                        fake.send_text(user, text);
                    }
                    Act::Document(name, bytes) => {
                        fake.send_document(user, name, "text/csv", bytes.to_vec());
                    }
                    Act::Press { message, data } => {
                        fake.press(user, message, data)?;
                    }
                    Act::Forged { message, data } => {
                        fake.press_forged(user, message, data)?;
                    }
                }
                Ok(at)
            }
            Fake::Remote { base, http } => {
                let request = match act {
                    Act::Text(text) => http
                        .post(format!("{base}/control/messages"))
                        .json(&serde_json::json!({ "user_id": user.id, "text": text })),
                    Act::Document(name, bytes) => http
                        .post(format!("{base}/control/documents"))
                        .query(&[
                            ("user_id", user.id.to_string().as_str()),
                            ("file_name", name),
                        ])
                        .body(bytes.to_vec()),
                    Act::Press { message, data } | Act::Forged { message, data } => http
                        .post(format!("{base}/control/callbacks"))
                        .json(&serde_json::json!({
                            "user_id": user.id,
                            "message_id": message,
                            "data": data,
                            "forged": matches!(act, Act::Forged { .. }),
                        })),
                };
                let answer: serde_json::Value =
                    request.send().await?.error_for_status()?.json().await?;
                let ms = answer["at_ms"].as_f64().context("no at_ms in the answer")?;
                Ok(Duration::from_secs_f64(ms / 1000.0))
            }
        }
    }

    /// Everything the bot did in a chat so far.
    async fn events(&self, chat: i64) -> anyhow::Result<Vec<BotEvent>> {
        match self {
            Fake::Local(fake) => Ok(fake.events(chat)),
            Fake::Remote { .. } => self.events_after(chat, 0, Duration::ZERO).await,
        }
    }

    /// Events after the first `after`, waiting up to `wait` for one (remote only).
    async fn events_after(
        &self,
        chat: i64,
        after: usize,
        wait: Duration,
    ) -> anyhow::Result<Vec<BotEvent>> {
        let (base, http) = match self {
            Fake::Local(fake) => return Ok(fake.events(chat).into_iter().skip(after).collect()),
            Fake::Remote { base, http } => (base, http),
        };
        #[derive(serde::Deserialize)]
        struct Answer {
            events: Vec<BotEvent>,
        }
        let answer: Answer = http
            .get(format!("{base}/control/events/{chat}"))
            .query(&[
                ("after", after as u64),
                ("wait_ms", wait.as_millis() as u64),
            ])
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(answer.events)
    }
}

/// One contributor's chat: the user and everything the bot did in it, as last seen.
struct Chat {
    fake: Fake,
    user: SimUser,
    events: Vec<BotEvent>,
}

impl Chat {
    async fn join(fake: &Fake, id: i64, lang: &str) -> anyhow::Result<Chat> {
        Ok(Chat {
            fake: fake.clone(),
            user: fake.user(id, lang).await?,
            events: Vec::new(),
        })
    }

    /// Offers `act` to the bot after catching up with what the bot did so far (so that the
    /// answer to it is told apart from earlier events); returns when it was offered.
    async fn act(&mut self, act: Act<'_>) -> anyhow::Result<Duration> {
        let fresh = self
            .fake
            .events_after(self.user.id, self.events.len(), Duration::ZERO)
            .await?;
        self.events.extend(fresh);
        self.fake.act(&self.user, act).await
    }

    /// Waits until `predicate` holds for the chat's events; false on timeout.
    async fn wait(&mut self, timeout: Duration, predicate: impl Fn(&[BotEvent]) -> bool) -> bool {
        match &self.fake {
            Fake::Local(fake) => match fake.wait_for(self.user.id, timeout, predicate).await {
                Ok(events) => {
                    self.events = events;
                    true
                }
                Err(_) => {
                    self.events = fake.events(self.user.id);
                    false
                }
            },
            Fake::Remote { .. } => {
                let deadline = Instant::now() + timeout;
                loop {
                    if predicate(&self.events) {
                        return true;
                    }
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return false;
                    }
                    let wait = left.min(Duration::from_secs(5));
                    match self
                        .fake
                        .events_after(self.user.id, self.events.len(), wait)
                        .await
                    {
                        Ok(fresh) => self.events.extend(fresh),
                        Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                    }
                }
            }
        }
    }
}

/// Whether an event shows a button with this callback data.
fn shows(event: &BotEvent, data: &str) -> bool {
    event
        .buttons()
        .iter()
        .flatten()
        .any(|b| b.callback_data.as_deref() == Some(data))
}

/// One simulated contributor until `deadline`.
async fn contributor(
    index: usize,
    fake: &Fake,
    config: &LoadConfig,
    deadline: Instant,
    file: Option<(String, Arc<[u8]>)>,
    tallies: &Mutex<Tallies>,
) {
    let mut rng = fastrand::Rng::with_seed(config.seed ^ index as u64);
    let record = |kind: &'static str, outcome: Outcome| count_outcome(tallies, kind, outcome);
    // Arrive within the arrival window, as a campaign's readers do.
    let arrival = config.arrival.as_millis() as u64;
    tokio::time::sleep(Duration::from_millis(rng.u64(0..=arrival))).await;
    let lang = if index.is_multiple_of(2) { "en" } else { "ru" };
    let Ok(mut chat) = Chat::join(fake, config.user_id(index), lang).await else {
        record("start", Outcome::Failed);
        return;
    };
    let (outcome, mut menu) = interact(&mut chat, config.answer_timeout, Act::Text("/start")).await;
    record("start", outcome);
    let mut showing = "m:home";
    let mut file = file;
    while Instant::now() < deadline {
        let pause = rng.u64(config.think.0.as_millis() as u64..=config.think.1.as_millis() as u64);
        tokio::time::sleep(Duration::from_millis(pause)).await;
        // A contributor who came to upload does, even if they arrived at the very end.
        if let Some((name, bytes)) = file.take() {
            tallies
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .uploaders
                .push(index);
            upload(&mut chat, config, &name, &bytes, false, tallies).await;
            continue;
        }
        if Instant::now() >= deadline {
            break;
        }
        let Some(message) = menu else {
            // Without a menu to press, ask for one again.
            let (outcome, shown) =
                interact(&mut chat, config.answer_timeout, Act::Text("/start")).await;
            record("start", outcome);
            menu = shown;
            showing = "m:home";
            continue;
        };
        // Another item than the one on screen, so that every press changes the message.
        let mut data = MENU[rng.usize(..MENU.len())];
        while data == showing {
            data = MENU[rng.usize(..MENU.len())];
        }
        showing = data;
        let (outcome, _) = interact(
            &mut chat,
            config.answer_timeout,
            Act::Forged { message, data },
        )
        .await;
        record("button", outcome);
    }
}

/// A document, its six questions answered, and the report; `big` for the run's big file.
async fn upload(
    chat: &mut Chat,
    config: &LoadConfig,
    name: &str,
    bytes: &Arc<[u8]>,
    big: bool,
    tallies: &Mutex<Tallies>,
) {
    let record = |kind: &'static str, outcome: Outcome| count_outcome(tallies, kind, outcome);
    let fail = |timed_out: bool| {
        let mut tallies = tallies.lock().unwrap_or_else(|e| e.into_inner());
        let tally = if big {
            &mut tallies.big
        } else {
            &mut tallies.upload
        };
        if timed_out {
            tally.timeouts += 1;
        } else {
            tally.errors += 1;
        }
    };
    if !big {
        tallies.lock().unwrap_or_else(|e| e.into_inner()).uploads += 1;
    }
    let Ok(sent_at) = chat.act(Act::Document(name, bytes)).await else {
        record("upload_question", Outcome::Failed);
        fail(false);
        return;
    };
    let before = chat.events.partition_point(|e| e.at < sent_at);
    // A big file is read before the first question: its wait is the file's, not the bot's.
    let question_timeout = if big {
        config.report_timeout
    } else {
        config.answer_timeout
    };
    if !chat
        .wait(question_timeout, |events| {
            events[before.min(events.len())..]
                .iter()
                .any(|e| shows(e, ANSWERS[0]))
        })
        .await
    {
        if !big {
            record("upload_question", Outcome::TimedOut);
        }
        fail(true);
        return;
    }
    if !big {
        let first = &chat.events[before];
        record(
            "upload_question",
            Outcome::Answered(first.at.saturating_sub(sent_at)),
        );
    }
    let Some(message) = chat.events[before..]
        .iter()
        .rev()
        .find(|e| shows(e, ANSWERS[0]))
        .and_then(BotEvent::message_id)
    else {
        fail(false);
        return;
    };
    for (step, data) in ANSWERS.iter().enumerate() {
        let seen = chat.events.len();
        let (outcome, _) =
            interact(chat, config.answer_timeout, Act::Press { message, data }).await;
        let failed = !matches!(outcome, Outcome::Answered(_));
        record("button", outcome);
        if failed {
            fail(false);
            return;
        }
        // The bot may answer the press before it edits the question: wait for the next one.
        if let Some(next) = ANSWERS.get(step + 1) {
            let shown = chat
                .wait(config.answer_timeout, |events| {
                    events[seen.min(events.len())..]
                        .iter()
                        .any(|e| shows(e, next))
                })
                .await;
            if !shown {
                fail(true);
                return;
            }
        }
    }
    if chat
        .wait(config.report_timeout, |events| events.iter().any(is_report))
        .await
    {
        let at = chat
            .events
            .iter()
            .find(|e| is_report(e))
            .map_or(sent_at, |e| e.at);
        let mut tallies = tallies.lock().unwrap_or_else(|e| e.into_inner());
        let tally = if big {
            &mut tallies.big
        } else {
            &mut tallies.upload
        };
        tally.samples.push(at.saturating_sub(sent_at));
    } else {
        fail(true);
    }
}

/// Counts how one interaction of `kind` went.
fn count_outcome(tallies: &Mutex<Tallies>, kind: &'static str, outcome: Outcome) {
    let mut tallies = tallies.lock().unwrap_or_else(|e| e.into_inner());
    let tally = tallies.kinds.entry(kind).or_default();
    match outcome {
        Outcome::Answered(latency) => tally.samples.push(latency),
        Outcome::TimedOut => tally.timeouts += 1,
        Outcome::Failed => tally.errors += 1,
    }
}

/// How one interaction went.
enum Outcome {
    Answered(Duration),
    TimedOut,
    Failed,
}

/// Offers one update and waits for the bot's first answer in the chat; returns how long it took
/// and the newest message with a menu, if the answer showed one.
async fn interact(chat: &mut Chat, timeout: Duration, act: Act<'_>) -> (Outcome, Option<i32>) {
    let Ok(offered) = chat.act(act).await else {
        return (Outcome::Failed, None);
    };
    // Events stamped before the offer are earlier answers that came after the last look.
    let before = chat.events.partition_point(|e| e.at < offered);
    if !chat.wait(timeout, |events| events.len() > before).await {
        return (Outcome::TimedOut, None);
    }
    let events = &chat.events;
    if events[before..].iter().any(BotEvent::is_rejected) {
        return (Outcome::Failed, None);
    }
    let menu = events
        .iter()
        .rev()
        .find(|e| {
            e.buttons().iter().flatten().any(|b| {
                b.callback_data
                    .as_deref()
                    .is_some_and(|d| d.starts_with("m:"))
            })
        })
        .and_then(BotEvent::message_id);
    (
        Outcome::Answered(events[before].at.saturating_sub(offered)),
        menu,
    )
}

/// Peak resident set of a process, in KiB (`VmHWM`); 0 when unknown.
fn peak_rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// User plus system CPU time of a process so far, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command (which may hold spaces) are space-separated; utime and stime
    // are the 14th and 15th fields, in clock ticks (100 per second on Linux).
    let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (ticks(11) + ticks(12)) as f64 / 100.0
}

/// Sockets a process holds open now.
fn open_sockets(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| {
                    std::fs::read_link(e.path())
                        .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"))
                })
                .count()
        })
        .unwrap_or(0)
}
