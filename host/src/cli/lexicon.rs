//! `stocklens lexicon ...`: the operator changes a bot text without a release. An override is
//! checked like the embedded texts (the key exists, the same placeholders, valid Telegram HTML)
//! before it is stored; running bots pick it up within their reload interval (30 s).

use std::process::ExitCode;

use clap::Subcommand;

use super::config::ServiceConfig;
use super::{EXIT_INPUT, EXIT_OTHER, fail, open_store};
use crate::bot::Lexicon;
use crate::bot::lexicon::lang_of;

#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// List the overrides in force
    List,
    /// Print a text as contributors see it now (override or embedded)
    Show { lang: String, key: String },
    /// Override a text (Telegram HTML, the same {placeholders} as the embedded text)
    Set {
        lang: String,
        key: String,
        text: String,
    },
    /// Drop an override; the embedded text applies again
    Reset { lang: String, key: String },
}

pub fn run(command: LexiconCommand, service: &ServiceConfig) -> ExitCode {
    let lexicon = match Lexicon::embedded() {
        Ok(lexicon) => lexicon,
        Err(err) => return fail(EXIT_OTHER, err),
    };
    super::block_on(async move {
        let store = match open_store(service, false).await {
            Ok(store) => store,
            Err(code) => return code,
        };
        let code = match command {
            LexiconCommand::List => match store.lexicon_overrides().await {
                Ok(rows) => {
                    for row in rows {
                        println!(
                            "{}\t{}\t{}",
                            row.lang,
                            row.key,
                            row.text.replace('\n', "\\n")
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => fail(EXIT_OTHER, err),
            },
            LexiconCommand::Show { lang, key } => {
                let Some(tag) = lang_of(&lang) else {
                    return fail(
                        EXIT_INPUT,
                        format!("language {lang:?} is not one of en, ru"),
                    );
                };
                if !lexicon.has(&key) {
                    return fail(EXIT_INPUT, format!("there is no text {key:?}"));
                }
                match store.lexicon_overrides().await {
                    Ok(rows) => {
                        let rows: Vec<_> =
                            rows.into_iter().map(|r| (r.lang, r.key, r.text)).collect();
                        lexicon.set_overrides(&rows);
                        println!("{}", lexicon.get(tag, &key));
                        ExitCode::SUCCESS
                    }
                    Err(err) => fail(EXIT_OTHER, err),
                }
            }
            LexiconCommand::Set { lang, key, text } => {
                let Some(tag) = lang_of(&lang) else {
                    return fail(
                        EXIT_INPUT,
                        format!("language {lang:?} is not one of en, ru"),
                    );
                };
                if let Err(why) = lexicon.check_text(tag, &key, &text) {
                    return fail(EXIT_INPUT, why);
                }
                match store.set_lexicon_override(&lang, &key, &text).await {
                    Ok(()) => {
                        println!(
                            "{lang} {key}: overridden; bots apply it at once with Redis, within 30 s without"
                        );
                        ExitCode::SUCCESS
                    }
                    Err(err) => fail(EXIT_OTHER, err),
                }
            }
            LexiconCommand::Reset { lang, key } => {
                match store.remove_lexicon_override(&lang, &key).await {
                    Ok(true) => {
                        println!("{lang} {key}: back to the embedded text");
                        ExitCode::SUCCESS
                    }
                    Ok(false) => fail(EXIT_INPUT, format!("{lang} {key} has no override")),
                    Err(err) => fail(EXIT_OTHER, err),
                }
            }
        };
        store.close().await;
        code
    })
}
