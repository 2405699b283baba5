//! The bot's operator surface on the command line: `serve` without a token, and lexicon
//! overrides checked before they are stored.

use crate::helpers::{Run, stocklens};

fn run(dir: &tempfile::TempDir, args: &[&str]) -> Run {
    let mut command = stocklens();
    command
        .env("STOCKLENS_DATA_DIR", dir.path())
        .env_remove("TELEGRAM_BOT_TOKEN")
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .args(args);
    Run::of(command, tempfile::tempdir().expect("scratch"))
}

#[test]
fn serve_without_a_token_says_what_to_set() {
    let dir = tempfile::tempdir().expect("scratch");
    run(&dir, &["serve"]).assert_fails(2, "set TELEGRAM_BOT_TOKEN");
    run(&dir, &["serve", "--roles", "bot"]).assert_fails(2, "set TELEGRAM_BOT_TOKEN");
    run(&dir, &["serve", "--roles", "bot,web"]).assert_fails(2, "set TELEGRAM_BOT_TOKEN");
    run(&dir, &["serve", "--roles", "admin"]).assert_fails(2, "unknown role \"admin\"");
}

#[test]
fn serve_says_when_the_web_address_is_taken() {
    let dir = tempfile::tempdir().expect("scratch");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = taken.local_addr().expect("its address").to_string();
    run(&dir, &["serve", "--roles", "web", "--web-listen", &address])
        .assert_fails(1, "the web role cannot listen on");
}

#[test]
fn serve_with_an_unreachable_telegram_fails_in_one_line() {
    let dir = tempfile::tempdir().expect("scratch");
    let output = stocklens()
        .env("STOCKLENS_DATA_DIR", dir.path())
        .env("TELOXIDE_TOKEN", "123:not-a-real-token")
        .env("TELEGRAM_API_URL", "http://127.0.0.1:9")
        .env("STOCKLENS_LOG", "off")
        .args(["serve", "--roles", "bot"])
        .output()
        .expect("stocklens runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("Telegram"), "{stderr}");
    assert!(
        !stderr.contains("not-a-real-token"),
        "the token never prints: {stderr}"
    );
}

#[test]
fn lexicon_overrides_are_checked_stored_and_reset() {
    let dir = tempfile::tempdir().expect("scratch");
    assert_eq!(run(&dir, &["migrate"]).code, 0);
    run(&dir, &["lexicon", "set", "en", "no.such.key", "x"]).assert_fails(3, "no text");
    run(&dir, &["lexicon", "set", "de", "flow.stale", "x"]).assert_fails(3, "not one of en, ru");
    run(
        &dir,
        &["lexicon", "set", "en", "file.received", "Reading <b>{name}"],
    )
    .assert_fails(3, "never closed");
    run(
        &dir,
        &["lexicon", "set", "en", "file.received", "Reading {file}"],
    )
    .assert_fails(3, "placeholders");
    let set = run(
        &dir,
        &["lexicon", "set", "ru", "flow.stale", "Кнопка устарела."],
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    let list = run(&dir, &["lexicon", "list"]);
    assert_eq!(list.stdout.trim(), "ru\tflow.stale\tКнопка устарела.");
    let show = run(&dir, &["lexicon", "show", "ru", "flow.stale"]);
    assert_eq!(show.stdout.trim(), "Кнопка устарела.");
    assert_eq!(run(&dir, &["lexicon", "reset", "ru", "flow.stale"]).code, 0);
    let show = run(&dir, &["lexicon", "show", "ru", "flow.stale"]);
    assert_eq!(show.stdout.trim(), "Этот вопрос уже неактуален.");
    run(&dir, &["lexicon", "reset", "ru", "flow.stale"]).assert_fails(3, "no override");
}
