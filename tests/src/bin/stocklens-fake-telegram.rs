//! `stocklens-fake-telegram`: the fake Telegram Bot API server on its own, for load runs against
//! services started by hand (`stocklens-load --target URL`). Prints the API URL and the token,
//! then serves until killed.
//!
//! ```text
//! stocklens-fake-telegram [--listen ADDR] [--messages-per-sec N] [--local-api]
//! ```
//!
//! The per-chat flood limit is Telegram's. The overall one is off unless `--messages-per-sec N`
//! sets it: the fake counts edits in it, which Telegram's 30 messages a second do not, so with
//! many contributors pressing buttons it would refuse edits Telegram accepts. `--local-api` lets the bot
//! download files up to 2,000 MB, as a local Bot API server does.

use std::net::SocketAddr;
use std::process::ExitCode;

use stocklens_tests::fake_telegram::{FakeConfig, FakeTelegram, RateLimit};

const USAGE: &str =
    "usage: stocklens-fake-telegram [--listen ADDR] [--messages-per-sec N] [--local-api]";

fn main() -> ExitCode {
    let mut listen = SocketAddr::from(([127, 0, 0, 1], 8081));
    let mut config = FakeConfig {
        global_rate: None,
        ..FakeConfig::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let parsed = match flag.as_str() {
            "--listen" => args
                .next()
                .and_then(|v| v.parse().ok())
                .map(|addr| listen = addr)
                .ok_or("--listen takes an address like 127.0.0.1:8081"),
            "--messages-per-sec" => args
                .next()
                .and_then(|v| v.parse::<u32>().ok())
                .map(|rate| {
                    config.global_rate = (rate > 0).then(|| RateLimit {
                        burst: rate,
                        per_second: f64::from(rate),
                    });
                })
                .ok_or("--messages-per-sec takes a whole number (0: no limit)"),
            "--local-api" => {
                config.max_download_bytes = 2000 * 1024 * 1024;
                Ok(())
            }
            _ => Err("unknown argument"),
        };
        if let Err(why) = parsed {
            eprintln!("error: {why} ({flag})\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let token = config.token.clone();
    let fake = match FakeTelegram::start_on(config, listen) {
        Ok(fake) => fake,
        Err(err) => {
            eprintln!("error: cannot start the fake Telegram server: {err:#}");
            return ExitCode::from(1);
        }
    };
    println!("TELEGRAM_API_URL={}", fake.api_url());
    println!("TELEGRAM_BOT_TOKEN={token}");
    loop {
        std::thread::park();
    }
}
