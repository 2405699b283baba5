//! `stocklens submit`: queues an analysis without the bot, as the bot will: stores the uploads,
//! then creates the analysis, reserves quota and enqueues its job in one transaction, and prints
//! the analysis id. A worker (`stocklens serve`) runs it.

use std::path::PathBuf;
use std::process::ExitCode;

use super::config::ServiceConfig;
use super::facts::FactsArgs;
use super::{EXIT_INPUT, EXIT_OTHER, EXIT_USAGE, fail, open_store, store_error};
use crate::jobs::AnalysisRequest;
use crate::jobs::analysis;
use crate::store::{NewUser, StoreError};

#[derive(Debug, clap::Args)]
pub struct SubmitArgs {
    /// The contributor's Telegram id (created on first use, like a first contact with the bot)
    #[arg(long, value_name = "TELEGRAM-ID")]
    user: i64,
    /// Sales or earnings exports
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// all | YYYY-MM | YYYY-MM..YYYY-MM
    #[arg(long, default_value = "all", value_name = "SPEC")]
    period: String,
    /// all | ai | photo | illustration | vector | video | audio ("ai" keeps every media type
    /// and sets --main-content ai: exports do not mark AI work)
    #[arg(long, default_value = "all", value_name = "T")]
    content_type: String,
    /// Report language
    #[arg(long, default_value = "en", value_name = "en|ru")]
    lang: String,
    /// Use this parser instead of detection (e.g. adobe-stock)
    #[arg(long, value_name = "ID")]
    marketplace: Option<String>,
    #[command(flatten)]
    facts: FactsArgs,
}

pub fn run(args: SubmitArgs, service: &ServiceConfig) -> ExitCode {
    let mut request = AnalysisRequest {
        period: args.period,
        content_type: args.content_type,
        lang: args.lang,
        marketplace: args.marketplace,
        ..AnalysisRequest::default()
    };
    args.facts.answer(&mut request);
    if let Err(why) = request.check() {
        return fail(EXIT_USAGE, why);
    }
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        match std::fs::read(path) {
            Ok(bytes) => files.push((name, bytes)),
            Err(err) => {
                return fail(
                    EXIT_INPUT,
                    format!("{}: cannot read the file: {err}", path.display()),
                );
            }
        }
    }
    super::block_on(async move {
        let store = match open_store(service, false).await {
            Ok(store) => store,
            Err(code) => return code,
        };
        let user = match store
            .get_or_create_user(&NewUser {
                telegram_id: args.user,
                language: "en",
            })
            .await
        {
            Ok((user, _)) => user,
            Err(err) => return store_error(&err),
        };
        let submitted = analysis::submit(&store, user.id, &files, &request).await;
        let code = match submitted {
            Ok((analysis, _job)) => {
                println!("{}", analysis.id);
                ExitCode::SUCCESS
            }
            Err(StoreError::QuotaExceeded { plan, limit }) => fail(
                EXIT_INPUT,
                format!(
                    "quota exhausted: plan {plan} allows {limit} analyses per period, all used"
                ),
            ),
            Err(StoreError::Invalid(why)) => fail(EXIT_INPUT, why),
            Err(err) => fail(EXIT_OTHER, analysis::error_chain(&err)),
        };
        store.close().await;
        code
    })
}
