//! The load generator behind `stocklens-load`: many simulated contributors against a real
//! `stocklens serve` through the fake Telegram server, with what each waited for.
//!
//! A run starts the fake Telegram server and a `stocklens serve` (bot, worker and web roles, its
//! own data directory), then lets `users` contributors loose for `duration`: each sends `/start`,
//! then keeps pressing menu buttons with a human pause between presses; a share of them uploads
//! an export once and answers every question. Latency is measured on the fake's clock, from the
//! update being offered to the bot to the first thing the bot did in that chat; an upload from the
//! document to its report. At the end every upload must have exactly one report and every
//! interaction an answer, or the run fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Serialize;

use crate::fake_telegram::{BotEvent, BotEventKind, FakeConfig, FakeTelegram, SimUser};

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
    /// Pause between one contributor's interactions, uniformly in this range.
    pub think: (Duration, Duration),
    /// Longest wait for an answer before it counts as a timeout.
    pub answer_timeout: Duration,
    /// Longest wait for a report after the last answer.
    pub report_timeout: Duration,
    pub seed: u64,
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
            think: (Duration::from_millis(1000), Duration::from_millis(3000)),
            answer_timeout: Duration::from_secs(10),
            report_timeout: Duration::from_secs(120),
            seed: 42,
        }
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
    pub service: ProcessUse,
}

impl LoadReport {
    /// Whether nothing was lost, errored or timed out.
    pub fn ok(&self) -> bool {
        self.lost_reports == 0
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
            "{} users for {:.0} s: {} uploads, {} reports, {} lost; service peak RSS {:.0} MB, \
             {:.1} CPU s, {} sockets at most\n\n",
            self.users,
            self.duration_s,
            self.uploads,
            self.reports,
            self.lost_reports,
            self.service.peak_rss_mb,
            self.service.cpu_seconds,
            self.service.peak_open_sockets
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
            )));
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
    uploads: usize,
}

/// The running service process, killed when dropped.
struct Service {
    child: Child,
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
    if config.files.is_empty() && config.upload_share > 0.0 {
        bail!("uploading users need at least one file");
    }
    let files: Vec<(String, Arc<[u8]>)> = config
        .files
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
            let name = path
                .file_name()
                .map_or_else(|| "export.csv".into(), |n| n.to_string_lossy().into_owned());
            Ok((name, Arc::from(bytes)))
        })
        .collect::<anyhow::Result<_>>()?;
    let fake = Arc::new(FakeTelegram::start(FakeConfig::unlimited())?);
    let service = start_service(config, &fake).await?;
    let pid = service.child.id();
    let tallies = Arc::new(Mutex::new(Tallies::default()));
    let sampler_stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = Arc::clone(&sampler_stop);
        std::thread::spawn(move || {
            let mut peak = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(open_sockets(pid));
                std::thread::sleep(Duration::from_millis(200));
            }
            peak
        })
    };
    let started = Instant::now();
    let deadline = started + config.duration;
    let uploaders = (config.users as f64 * config.upload_share).round() as usize;
    let mut tasks = Vec::with_capacity(config.users);
    for index in 0..config.users {
        let fake = Arc::clone(&fake);
        let tallies = Arc::clone(&tallies);
        let config = config.clone();
        let file = (index < uploaders).then(|| files[index % files.len()].clone());
        tasks.push(tokio::spawn(async move {
            contributor(index, &fake, &config, deadline, file, &tallies).await;
        }));
    }
    for task in tasks {
        task.await.context("a simulated contributor panicked")?;
    }
    let elapsed = started.elapsed();
    sampler_stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak_open_sockets = sampler.join().unwrap_or(0);
    let service_use = ProcessUse {
        peak_rss_mb: peak_rss_kb(pid) as f64 / 1024.0,
        cpu_seconds: cpu_seconds(pid),
        peak_open_sockets,
    };

    // Every upload must have exactly one report, and nothing more may arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut reports = 0;
    let mut lost = 0;
    for index in 0..uploaders {
        let documents = fake
            .events(user_id(index))
            .iter()
            .filter(|e| is_report(e))
            .count();
        reports += documents;
        lost += usize::from(documents != 1);
    }
    drop(service);
    fake.shutdown();
    let mut tallies = std::mem::take(&mut *tallies.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(LoadReport {
        users: config.users,
        duration_s: elapsed.as_secs_f64(),
        interactions: tallies
            .kinds
            .iter_mut()
            .map(|(k, t)| {
                (
                    (*k).to_owned(),
                    Latencies::of(&mut t.samples, t.errors, t.timeouts),
                )
            })
            .collect(),
        upload_to_report: Latencies::of(
            &mut tallies.upload.samples,
            tallies.upload.errors,
            tallies.upload.timeouts,
        ),
        uploads: tallies.uploads,
        reports,
        lost_reports: lost,
        service: service_use,
    })
}

fn user_id(index: usize) -> i64 {
    700_000_000 + index as i64
}

fn is_report(event: &BotEvent) -> bool {
    matches!(&event.kind, BotEventKind::Document { bytes, .. } if bytes.starts_with(b"<!DOCTYPE html>"))
}

/// Starts `stocklens serve` against the fake and waits until it is ready.
async fn start_service(config: &LoadConfig, fake: &FakeTelegram) -> anyhow::Result<Service> {
    let data = tempfile::tempdir()?;
    let web = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
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
        if let Some(url) = &config.redis_url {
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
    let child = command(&[
        "serve",
        "--uploads-per-hour",
        "1000",
        "--flood-burst",
        "1000",
    ])
    .env("TELEGRAM_BOT_TOKEN", &fake.config().token)
    .env("TELEGRAM_API_URL", fake.api_url())
    .env("STOCKLENS_WEB_LISTEN", web.to_string())
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::inherit())
    .spawn()
    .context("start stocklens serve")?;
    let service = Service { child, _data: data };
    let ready = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(web) {
            use std::io::{Read, Write};
            let _ = write!(
                stream,
                "GET /readyz HTTP/1.1\r\nHost: {web}\r\nConnection: close\r\n\r\n"
            );
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") {
                return Ok(service);
            }
        }
        if Instant::now() > ready {
            bail!("stocklens serve was not ready within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One simulated contributor until `deadline`.
async fn contributor(
    index: usize,
    fake: &FakeTelegram,
    config: &LoadConfig,
    deadline: Instant,
    file: Option<(String, Arc<[u8]>)>,
    tallies: &Mutex<Tallies>,
) {
    let mut rng = fastrand::Rng::with_seed(config.seed ^ index as u64);
    let user = fake.user(
        user_id(index),
        "Load",
        Some(if index.is_multiple_of(2) { "en" } else { "ru" }),
    );
    // Arrive over the first quarter of the run, as a campaign's readers do.
    let quarter = config.duration.as_millis() as u64 / 4;
    tokio::time::sleep(Duration::from_millis(rng.u64(0..=quarter.max(1)))).await;
    let record = |kind: &'static str, outcome: Outcome| {
        let mut tallies = tallies.lock().unwrap_or_else(|e| e.into_inner());
        let tally = tallies.kinds.entry(kind).or_default();
        match outcome {
            Outcome::Answered(latency) => tally.samples.push(latency),
            Outcome::TimedOut => tally.timeouts += 1,
            Outcome::Failed => tally.errors += 1,
        }
    };
    let (outcome, mut menu) = interact(fake, &user, config.answer_timeout, |fake| {
        fake.send_text(&user, "/start");
        Ok(())
    })
    .await;
    record("start", outcome);
    let mut showing = "m:home";
    let mut file = file;
    while Instant::now() < deadline {
        let pause = rng.u64(config.think.0.as_millis() as u64..=config.think.1.as_millis() as u64);
        tokio::time::sleep(Duration::from_millis(pause)).await;
        if Instant::now() >= deadline {
            break;
        }
        if let Some((name, bytes)) = file.take() {
            upload(fake, &user, config, &name, &bytes, tallies, &record).await;
            continue;
        }
        let Some(message) = menu else {
            // Without a menu to press, ask for one again.
            let (outcome, shown) = interact(fake, &user, config.answer_timeout, |fake| {
                fake.send_text(&user, "/start");
                Ok(())
            })
            .await;
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
        let (outcome, _) = interact(fake, &user, config.answer_timeout, |fake| {
            fake.press_forged(&user, message, data).map(drop)
        })
        .await;
        record("button", outcome);
    }
}

/// A document, its six questions answered, and the report.
async fn upload(
    fake: &FakeTelegram,
    user: &SimUser,
    config: &LoadConfig,
    name: &str,
    bytes: &Arc<[u8]>,
    tallies: &Mutex<Tallies>,
    record: &impl Fn(&'static str, Outcome),
) {
    tallies.lock().unwrap_or_else(|e| e.into_inner()).uploads += 1;
    let sent_at = fake.clock();
    let before = fake.events(user.id).len();
    fake.send_document(user, name, "text/csv", bytes.to_vec());
    let question = fake
        .wait_for(user.id, config.answer_timeout, |events| {
            events[before..].iter().any(|e| {
                e.buttons()
                    .iter()
                    .flatten()
                    .any(|b| b.callback_data.as_deref() == Some(ANSWERS[0]))
            })
        })
        .await;
    let fail = |timed_out: bool| {
        let mut tallies = tallies.lock().unwrap_or_else(|e| e.into_inner());
        if timed_out {
            tallies.upload.timeouts += 1;
        } else {
            tallies.upload.errors += 1;
        }
    };
    let Ok(events) = question else {
        record("upload_question", Outcome::TimedOut);
        fail(true);
        return;
    };
    let first = &events[before];
    record(
        "upload_question",
        Outcome::Answered(first.at.saturating_sub(sent_at)),
    );
    let Some(message) = events[before..]
        .iter()
        .rev()
        .find(|e| {
            e.buttons()
                .iter()
                .flatten()
                .any(|b| b.callback_data.as_deref() == Some(ANSWERS[0]))
        })
        .and_then(BotEvent::message_id)
    else {
        fail(false);
        return;
    };
    for (step, data) in ANSWERS.iter().enumerate() {
        let seen = fake.events(user.id).len();
        let (outcome, _) = interact(fake, user, config.answer_timeout, |fake| {
            fake.press(user, message, data).map(drop)
        })
        .await;
        let failed = !matches!(outcome, Outcome::Answered(_));
        record("button", outcome);
        if failed {
            fail(false);
            return;
        }
        // The bot may answer the press before it edits the question: wait for the next one.
        if let Some(next) = ANSWERS.get(step + 1) {
            let shown = fake
                .wait_for(user.id, config.answer_timeout, |events| {
                    events[seen..].iter().any(|e| {
                        e.buttons()
                            .iter()
                            .flatten()
                            .any(|b| b.callback_data.as_deref() == Some(*next))
                    })
                })
                .await;
            if shown.is_err() {
                fail(true);
                return;
            }
        }
    }
    let report = fake
        .wait_for(user.id, config.report_timeout, |events| {
            events.iter().any(is_report)
        })
        .await;
    match report {
        Ok(events) => {
            let at = events
                .iter()
                .find(|e| is_report(e))
                .map_or(sent_at, |e| e.at);
            tallies
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .upload
                .samples
                .push(at.saturating_sub(sent_at));
        }
        Err(_) => fail(true),
    }
}

/// How one interaction went.
enum Outcome {
    Answered(Duration),
    TimedOut,
    Failed,
}

/// Offers one update (`act`) and waits for the bot's first answer in the chat; returns how long
/// it took and the newest message with a menu, if the answer showed one.
async fn interact(
    fake: &FakeTelegram,
    user: &SimUser,
    timeout: Duration,
    act: impl FnOnce(&FakeTelegram) -> anyhow::Result<()>,
) -> (Outcome, Option<i32>) {
    let before = fake.events(user.id).len();
    let offered = fake.clock();
    if act(fake).is_err() {
        return (Outcome::Failed, None);
    }
    match fake
        .wait_for(user.id, timeout, |events| events.len() > before)
        .await
    {
        Ok(events) if events[before..].iter().any(BotEvent::is_rejected) => (Outcome::Failed, None),
        Ok(events) => {
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
        Err(_) => (Outcome::TimedOut, None),
    }
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
