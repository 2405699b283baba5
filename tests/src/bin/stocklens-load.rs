//! `stocklens-load`: simulated contributors against a real `stocklens serve` through the fake
//! Telegram server. Prints a table, optionally writes the same as JSON, and exits 1 when any
//! upload lost its report or any interaction errored or timed out (2 on bad arguments).
//!
//! ```text
//! stocklens-load --users N --duration SECONDS [--upload-share P] [--files DIR]
//!                [--arrival SECONDS] [--messages-per-sec N] [--big-upload FILE]
//!                [--kill-redis-at SECONDS] [--json OUT] [--stocklens BIN]
//!                [--database-url URL] [--redis-url URL]
//!                [--target URL [--service-pid PID]...]
//! ```
//!
//! `--target` attaches to a running `stocklens-fake-telegram` that services were started
//! against by hand (their memory and CPU are measured for each `--service-pid`); otherwise the
//! run starts its own fake and `stocklens serve`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use stocklens_tests::load::{self, LoadConfig};

const USAGE: &str = "usage: stocklens-load --users N --duration SECONDS [--upload-share P] \
                     [--files DIR] [--arrival SECONDS] [--messages-per-sec N] \
                     [--big-upload FILE] [--kill-redis-at SECONDS] [--json OUT] \
                     [--stocklens BIN] [--database-url URL] [--redis-url URL] \
                     [--target URL [--service-pid PID]...]";

fn main() -> ExitCode {
    let (config, json) = match parse(std::env::args().skip(1).collect()) {
        Ok(parsed) => parsed,
        Err(why) => {
            eprintln!("error: {why}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(1);
        }
    };
    let report = match runtime.block_on(load::run(&config)) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::from(1);
        }
    };
    print!("{}", report.table());
    if let Some(path) = json {
        let written = serde_json::to_string_pretty(&report)
            .map_err(|e| e.to_string())
            .and_then(|text| std::fs::write(&path, text).map_err(|e| e.to_string()));
        if let Err(err) = written {
            eprintln!("error: cannot write {}: {err}", path.display());
            return ExitCode::from(1);
        }
    }
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: something was lost, errored or timed out (see the table)");
        ExitCode::from(1)
    }
}

fn parse(args: Vec<String>) -> Result<(LoadConfig, Option<PathBuf>), String> {
    let mut users = None;
    let mut duration = None;
    let mut share = None;
    let mut files_dir = None;
    let mut json = None;
    let mut stocklens = None;
    let mut database_url = None;
    let mut redis_url = None;
    let mut arrival = None;
    let mut rate = None;
    let mut big = None;
    let mut kill_redis_at = None;
    let mut target = None;
    let mut pids = Vec::new();
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--users" => users = Some(number::<usize>(&flag, &value()?)?),
            "--duration" => duration = Some(number::<f64>(&flag, &value()?)?),
            "--upload-share" => share = Some(number::<f64>(&flag, &value()?)?),
            "--files" => files_dir = Some(PathBuf::from(value()?)),
            "--json" => json = Some(PathBuf::from(value()?)),
            "--stocklens" => stocklens = Some(PathBuf::from(value()?)),
            "--database-url" => database_url = Some(value()?),
            "--redis-url" => redis_url = Some(value()?),
            "--arrival" => arrival = Some(number::<f64>(&flag, &value()?)?),
            "--messages-per-sec" => rate = Some(number::<u32>(&flag, &value()?)?),
            "--big-upload" => big = Some(PathBuf::from(value()?)),
            "--kill-redis-at" => kill_redis_at = Some(number::<f64>(&flag, &value()?)?),
            "--target" => target = Some(value()?),
            "--service-pid" => pids.push(number::<u32>(&flag, &value()?)?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let users = users
        .filter(|&n| (1..=100_000).contains(&n))
        .ok_or("--users must be from 1 to 100000")?;
    let duration = duration
        .filter(|d| d.is_finite() && *d > 0.0 && *d <= 86_400.0)
        .ok_or("--duration must be a number of seconds above 0")?;
    if target.is_some()
        && (database_url.is_some() || redis_url.is_some() || kill_redis_at.is_some())
    {
        return Err(
            "--target attaches to services started by hand: --database-url, --redis-url and \
             --kill-redis-at are theirs to set"
                .into(),
        );
    }
    if !pids.is_empty() && target.is_none() {
        return Err(
            "--service-pid needs --target (a run it starts measures its own service)".into(),
        );
    }
    if kill_redis_at.is_some() && redis_url.is_some() {
        return Err("--kill-redis-at starts a Redis of its own: leave out --redis-url".into());
    }
    let stocklens = match (stocklens, &target) {
        (Some(path), _) => path,
        (None, Some(_)) => PathBuf::new(),
        (None, None) => default_binary()?,
    };
    let mut config = LoadConfig::new(users, Duration::from_secs_f64(duration), stocklens);
    if let Some(arrival) = arrival {
        if !(arrival.is_finite() && (0.0..=duration).contains(&arrival)) {
            return Err("--arrival must be between 0 and --duration seconds".into());
        }
        config.arrival = Duration::from_secs_f64(arrival);
    }
    if let Some(rate) = rate {
        if !(1..=1000).contains(&rate) {
            return Err("--messages-per-sec must be from 1 to 1000 (Telegram's most)".into());
        }
        config.messages_per_sec = rate;
    }
    if let Some(at) = kill_redis_at {
        if !(at.is_finite() && at > 0.0 && at < duration) {
            return Err("--kill-redis-at must be a time within --duration".into());
        }
        config.kill_redis_at = Some(Duration::from_secs_f64(at));
    }
    if let Some(big) = big {
        if !big.is_file() {
            return Err(format!("--big-upload {}: no such file", big.display()));
        }
        config.big_upload = Some(big);
        // A million rows take seconds to read before the first question.
        config.report_timeout = config.report_timeout.max(Duration::from_secs(300));
    }
    config.target = target;
    config.service_pids = pids;
    if let Some(share) = share {
        if !(0.0..=1.0).contains(&share) {
            return Err("--upload-share must be between 0 and 1".into());
        }
        config.upload_share = share;
    }
    if let Some(dir) = files_dir {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("csv" | "tsv" | "txt" | "xlsx")
                    )
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!(
                "{}: no .csv, .tsv, .txt or .xlsx files",
                dir.display()
            ));
        }
        config.files = files;
    }
    config.database_url = database_url;
    config.redis_url = redis_url;
    Ok((config, json))
}

fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag} takes a number, not {text:?}"))
}

/// `stocklens` next to this binary (both are built into the same target directory).
fn default_binary() -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
    let beside = me.with_file_name("stocklens");
    if beside.is_file() {
        Ok(beside)
    } else {
        Err(format!(
            "no stocklens binary beside {}: build it (cargo build -p stocklens) or pass --stocklens",
            me.display()
        ))
    }
}
