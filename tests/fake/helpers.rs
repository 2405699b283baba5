//! Starting a fake and a teloxide client pointed at it.

use std::time::Duration;

use stocklens_tests::fake_telegram::{FakeConfig, FakeTelegram};
use teloxide::Bot;

/// Upper bound for anything a test waits for; generous, as it only matters when a test fails.
pub const WAIT: Duration = Duration::from_secs(10);

pub fn start(config: FakeConfig) -> FakeTelegram {
    FakeTelegram::start(config).expect("the fake Telegram server starts")
}

/// A fake without flood limits, for tests about something else.
pub fn start_unlimited() -> FakeTelegram {
    start(FakeConfig::unlimited())
}

/// A teloxide bot talking to `fake`, with a client timeout long enough for the 25 MB transfers
/// and long polls of these tests (teloxide's default is 17 s).
pub fn bot(fake: &FakeTelegram) -> Bot {
    bot_with_token(fake, &fake.config().token)
}

pub fn bot_with_token(fake: &FakeTelegram, token: &str) -> Bot {
    let client = teloxide::net::default_reqwest_settings()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("building the HTTP client");
    Bot::with_client(token, client)
        .set_api_url(fake.api_url().parse().expect("the fake's URL parses"))
}

/// A plain HTTP client for the control API.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("building the HTTP client")
}
