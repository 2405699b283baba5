//! Updates in, answers out. Every handler answers the contributor in their language whatever
//! happens: an error of ours becomes `error.internal` with a reference that is also in the log,
//! never an error's text. Updates of one chat are handled one at a time (teloxide's default
//! distribution by chat), different chats concurrently.

use std::sync::Arc;

use futures_util::StreamExt;
use teloxide::dispatching::UpdateHandler;
use teloxide::net::Download as _;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, ChatAction, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId,
    ParseMode, User as TgUser,
};

use super::callback::{Action, Answer, MenuItem};
use super::flow::{self, Flow, Found, Step};
use super::lexicon::{self, Arg, LANGS};
use super::limits::Flood;
use super::{App, SendError, Tg, call, html, words};
use crate::jobs::analysis;
use crate::pipeline::decode::{Kind, NotText};
use crate::pipeline::workbook::WorkbookProblem;
use crate::pipeline::{self, AnalyzeError, Input, InputProblem, Source};
use crate::report::model::Lang;
use crate::store::{NewUser, StoreError, User};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Reports listed per page of "My reports".
const REPORTS_PER_PAGE: i64 = 5;

/// The dispatcher's handler tree.
pub fn schema() -> UpdateHandler<BoxError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback))
}

/// One update's context: who, in which language, where.
struct Ctx {
    app: Arc<App>,
    tg: Tg,
    user: User,
    lang: Lang,
    chat: ChatId,
    /// Created by this update.
    new_user: bool,
}

/// Why a handler could not finish; the contributor gets `error.internal`.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("telegram: {0}")]
    Send(#[from] SendError),
    #[error("{0}")]
    Other(String),
}

type Result<T, E = Failure> = std::result::Result<T, E>;

impl Ctx {
    /// Loads (or creates) the contributor; `None` for someone the bot ignores.
    async fn load(app: &Arc<App>, tg: &Tg, from: &TgUser) -> Result<Option<Ctx>> {
        if from.is_bot {
            return Ok(None);
        }
        let telegram_id = i64::try_from(from.id.0).map_err(|_| Failure::Other("user id".into()))?;
        let lang = lexicon::lang_for_code(from.language_code.as_deref());
        let (mut user, new_user) = app
            .store
            .get_or_create_user(&NewUser {
                telegram_id,
                language: lang.tag(),
            })
            .await?;
        if user.blocked {
            return Ok(None);
        }
        if !user.active {
            user = app.store.set_user_active(user.id, true).await?;
        }
        let lang = lexicon::lang_of(&user.language).unwrap_or(lang);
        Ok(Some(Ctx {
            app: Arc::clone(app),
            tg: tg.clone(),
            user,
            lang,
            chat: ChatId(telegram_id),
            new_user,
        }))
    }

    fn text(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.app.lexicon.render(self.lang, key, args)
    }

    fn button(&self, key: &str, action: Action) -> InlineKeyboardButton {
        InlineKeyboardButton::callback(self.text(key, &[]), action.to_string())
    }

    async fn send(&self, text: String, keyboard: Option<InlineKeyboardMarkup>) -> Result<Message> {
        let mut request = self
            .tg
            .send_message(self.chat, text)
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview());
        if let Some(keyboard) = keyboard {
            request = request.reply_markup(keyboard);
        }
        Ok(call(&self.tg, &self.app.store, self.chat, request).await?)
    }

    async fn say(&self, key: &str, args: &[(&str, Arg<'_>)]) -> Result<Message> {
        self.send(self.text(key, args), None).await
    }

    /// Edits a message of the bot; "not modified" is fine (a double press).
    async fn edit(
        &self,
        message: MessageId,
        text: String,
        keyboard: Option<InlineKeyboardMarkup>,
    ) -> Result<()> {
        let mut request = self
            .tg
            .edit_message_text(self.chat, message, text)
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview());
        if let Some(keyboard) = keyboard {
            request = request.reply_markup(keyboard);
        }
        match call(&self.tg, &self.app.store, self.chat, request).await {
            Ok(_) => Ok(()),
            Err(SendError::Telegram(teloxide::RequestError::Api(
                teloxide::ApiError::MessageNotModified,
            ))) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }

    /// Shows `text` in `message` if given (a button was pressed under it), else sends it.
    async fn show(
        &self,
        message: Option<MessageId>,
        text: String,
        keyboard: Option<InlineKeyboardMarkup>,
    ) -> Result<()> {
        match message {
            Some(id) => self.edit(id, text, keyboard).await,
            None => self.send(text, keyboard).await.map(drop),
        }
    }

    async fn typing(&self) {
        let request = self.tg.send_chat_action(self.chat, ChatAction::Typing);
        let _ = call(&self.tg, &self.app.store, self.chat, request).await;
    }

    /// Tells the contributor something of ours failed, with a reference the log shares.
    async fn internal_error(&self, err: &Failure) {
        if matches!(err, Failure::Send(SendError::Blocked)) {
            return;
        }
        let reference = reference();
        tracing::error!(reference = %reference, user_id = self.user.id, error = %err, "bot handler failed");
        let text = self.text("error.internal", &[("reference", Arg::Text(&reference))]);
        if let Err(err) = self.send(text, Some(self.menu_button())).await {
            tracing::warn!(reference = %reference, error = %err, "cannot tell the contributor about the failure");
        }
    }

    fn menu_button(&self) -> InlineKeyboardMarkup {
        InlineKeyboardMarkup::new([[self.button("button.menu", Action::Menu(MenuItem::Home))]])
    }

    fn main_menu(&self) -> InlineKeyboardMarkup {
        let entry = |key: &str, item| self.button(key, Action::Menu(item));
        InlineKeyboardMarkup::new([
            vec![entry("menu.analytics", MenuItem::Analytics)],
            vec![
                entry("menu.reports", MenuItem::Reports),
                entry("menu.plan", MenuItem::Plan),
            ],
            vec![entry("menu.markets", MenuItem::Marketplaces)],
            vec![
                entry("menu.howto", MenuItem::HowTo),
                entry("menu.help", MenuItem::Help),
            ],
        ])
    }

    async fn flow(&self) -> Result<Option<Flow>> {
        let state = self.app.store.dialogue(self.chat.0).await?;
        Ok(state.and_then(|s| Flow::from_json(&s.state)))
    }

    async fn save_flow(&self, flow: &Flow) -> Result<()> {
        let ttl = Some(self.app.config.flow_ttl);
        self.app
            .store
            .set_dialogue(self.chat.0, &flow.to_json(), ttl)
            .await?;
        Ok(())
    }

    /// Ends the open request: forgets it and discards its file.
    async fn drop_flow(&self, flow: &Flow) -> Result<()> {
        self.app.store.clear_dialogue(self.chat.0).await?;
        self.app.store.delete_upload(flow.upload_id).await?;
        Ok(())
    }
}

fn no_preview() -> teloxide::types::LinkPreviewOptions {
    teloxide::types::LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// The contributor could not be loaded (the store is down): the update cannot be handled, but
/// they are told so, in the language Telegram gives for them, rather than left waiting. Nothing
/// was stored or counted, so "try again later" is the whole truth.
async fn unavailable(app: &App, tg: &Tg, from: &TgUser, err: &Failure) {
    let reference = reference();
    tracing::error!(reference = %reference, error = %err, "cannot load the contributor");
    let Ok(chat) = i64::try_from(from.id.0).map(ChatId) else {
        return;
    };
    let lang = lexicon::lang_for_code(from.language_code.as_deref());
    let text = app.lexicon.render(
        lang,
        "error.internal",
        &[("reference", Arg::Text(&reference))],
    );
    let request = tg
        .send_message(chat, text)
        .parse_mode(ParseMode::Html)
        .link_preview_options(no_preview());
    if let Err(err) = call(tg, &app.store, chat, request).await {
        tracing::warn!(reference = %reference, error = %err, "cannot tell the contributor about the failure");
    }
}

/// A short random reference for an error, e.g. `E3F9A01C`.
fn reference() -> String {
    let mut bytes = [0u8; 4];
    let _ = getrandom::fill(&mut bytes);
    format!("E{}", hex::encode_upper(bytes))
}

/// Counts an update and records how long its handling took when dropped, however the handler
/// returned.
struct UpdateTimer {
    kind: &'static str,
    started: std::time::Instant,
}

impl UpdateTimer {
    fn start(kind: &'static str) -> UpdateTimer {
        UpdateTimer {
            kind,
            started: std::time::Instant::now(),
        }
    }
}

impl Drop for UpdateTimer {
    fn drop(&mut self) {
        metrics::counter!("stocklens_updates_total", "kind" => self.kind).increment(1);
        metrics::histogram!("stocklens_update_seconds", "kind" => self.kind)
            .record(self.started.elapsed().as_secs_f64());
    }
}

async fn on_message(tg: Tg, msg: Message, app: Arc<App>) -> Result<(), BoxError> {
    let handled = handle_message(&tg, &msg, &app).await;
    // However it ended, a file's update is finished with: out of the inbox (see `inbox`).
    super::inbox::done(&app.store, &msg).await;
    handled
}

async fn handle_message(tg: &Tg, msg: &Message, app: &Arc<App>) -> Result<(), BoxError> {
    let _timer = UpdateTimer::start("message");
    let Some(from) = msg.from.as_ref() else {
        return Ok(());
    };
    if !msg.chat.is_private() {
        return Ok(());
    }
    let ctx = match Ctx::load(app, tg, from).await {
        Ok(Some(ctx)) => ctx,
        Ok(None) => return Ok(()),
        Err(err) => {
            unavailable(app, tg, from, &err).await;
            return Ok(());
        }
    };
    let sent_at = msg.date.timestamp() as f64;
    match app.limits.message(ctx.user.id, sent_at).await {
        Flood::Allowed => {}
        Flood::Warn => {
            let _ = ctx.say("limit.flood", &[]).await;
            return Ok(());
        }
        Flood::Ignore => return Ok(()),
    }
    tracing::debug!(user_id = ctx.user.id, message_id = msg.id.0, "message");
    if let Err(err) = message(&ctx, msg).await {
        ctx.internal_error(&err).await;
    }
    Ok(())
}

async fn message(ctx: &Ctx, msg: &Message) -> Result<()> {
    if let Some(document) = msg.document() {
        return on_document(ctx, document).await;
    }
    if msg.photo().is_some()
        || msg.sticker().is_some()
        || msg.video().is_some()
        || msg.animation().is_some()
    {
        ctx.say("file.not_document", &[]).await?;
        return Ok(());
    }
    let Some(text) = msg.text() else {
        ctx.send(ctx.text("misc.unknown_text", &[]), Some(ctx.main_menu()))
            .await?;
        return Ok(());
    };
    if let Some(command) = text.strip_prefix('/') {
        let command = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .split('@')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        return on_command(ctx, &command).await;
    }
    match ctx.flow().await? {
        Some(flow) if flow.step.takes_text() => typed_answer(ctx, flow, text).await,
        Some(flow) => {
            let hint = ctx.text("hint.use_buttons", &[]);
            reask(ctx, flow, Some(&hint)).await
        }
        None => {
            ctx.send(ctx.text("misc.unknown_text", &[]), Some(ctx.main_menu()))
                .await?;
            Ok(())
        }
    }
}

async fn on_command(ctx: &Ctx, command: &str) -> Result<()> {
    match command {
        "start" | "menu" => {
            let usage = ctx.app.store.quota_usage(ctx.user.id).await?;
            let left = usage.remaining().to_string();
            let key = if ctx.new_user {
                "start.welcome"
            } else {
                "start.welcome_back"
            };
            let text = ctx.text(
                key,
                &[("plan", Arg::Text(&usage.plan)), ("left", Arg::Text(&left))],
            );
            ctx.send(text, Some(ctx.main_menu())).await?;
        }
        "reports" => show_reports(ctx, None, 0).await?,
        "plan" => show_plan(ctx, None).await?,
        "language" => show_languages(ctx, None).await?,
        "help" => menu(ctx, None, MenuItem::Help).await?,
        "cancel" => match ctx.flow().await? {
            Some(flow) => cancel(ctx, flow).await?,
            None => {
                ctx.send(
                    ctx.text("flow.nothing_to_cancel", &[]),
                    Some(ctx.main_menu()),
                )
                .await?;
            }
        },
        _ => {
            ctx.send(ctx.text("misc.unknown_text", &[]), Some(ctx.main_menu()))
                .await?;
        }
    }
    Ok(())
}

async fn menu(ctx: &Ctx, message: Option<MessageId>, item: MenuItem) -> Result<()> {
    let back = Some(ctx.menu_button());
    match item {
        MenuItem::Home => {
            let text = ctx.text("menu.title", &[]);
            ctx.show(message, text, Some(ctx.main_menu())).await
        }
        MenuItem::Analytics => {
            let howto = howto_list(ctx);
            let text = ctx.text("analytics.ask_file", &[("howto_html", Arg::Html(&howto))]);
            ctx.show(message, text, back).await
        }
        MenuItem::HowTo => {
            let text = format!("{}\n\n{}", ctx.text("howto.title", &[]), howto_list(ctx));
            ctx.show(message, text, back).await
        }
        MenuItem::Marketplaces => {
            let list: Vec<String> = ctx
                .app
                .parsers()
                .iter()
                .map(|(_, name)| format!("• {}", html::escape(name)))
                .collect();
            let text = ctx.text(
                "markets.text",
                &[
                    ("list_html", Arg::Html(&list.join("\n"))),
                    ("guide_url", Arg::Text(&ctx.app.config.guide_url)),
                ],
            );
            ctx.show(message, text, back).await
        }
        MenuItem::Help => ctx.show(message, ctx.text("help.text", &[]), back).await,
        MenuItem::Reports => show_reports(ctx, message, 0).await,
        MenuItem::Plan => show_plan(ctx, message).await,
    }
}

/// Where to download each supported marketplace's export.
fn howto_list(ctx: &Ctx) -> String {
    ctx.app
        .parsers()
        .iter()
        .map(|(id, _)| format!("howto.{id}"))
        .filter(|key| ctx.app.lexicon.has(key))
        .map(|key| ctx.text(&key, &[]))
        .collect::<Vec<_>>()
        .join("\n\n")
}

async fn show_plan(ctx: &Ctx, message: Option<MessageId>) -> Result<()> {
    let usage = ctx.app.store.quota_usage(ctx.user.id).await?;
    let until = match ctx.user.plan_until {
        Some(until) if usage.plan == ctx.user.plan => {
            let date = words::day(until, ctx.lang);
            ctx.text("plan.until", &[("date", Arg::Text(&date))])
        }
        _ => ctx.text("plan.forever", &[]),
    };
    let left = usage.remaining().to_string();
    let limit = usage.limit.to_string();
    let days = usage.period_days.to_string();
    let text = ctx.text(
        "plan.text",
        &[
            ("plan", Arg::Text(&usage.plan)),
            ("until", Arg::Html(&until)),
            ("left", Arg::Text(&left)),
            ("limit", Arg::Text(&limit)),
            ("days", Arg::Text(&days)),
        ],
    );
    ctx.show(message, text, Some(ctx.menu_button())).await
}

async fn show_languages(ctx: &Ctx, message: Option<MessageId>) -> Result<()> {
    let buttons: Vec<InlineKeyboardButton> = LANGS
        .iter()
        .map(|&lang| {
            InlineKeyboardButton::callback(
                ctx.app.lexicon.get(lang, "language.name"),
                Action::Language(lang.tag().into()).to_string(),
            )
        })
        .collect();
    let text = ctx.text("language.choose", &[]);
    ctx.show(message, text, Some(InlineKeyboardMarkup::new([buttons])))
        .await
}

/// Tells the contributor they have no analyses left.
async fn quota_exhausted(ctx: &Ctx, message: Option<MessageId>) -> Result<()> {
    let usage = ctx.app.store.quota_usage(ctx.user.id).await?;
    let limit = usage.limit.to_string();
    let days = usage.period_days.to_string();
    let text = ctx.text(
        "plan.exhausted",
        &[
            ("plan", Arg::Text(&usage.plan)),
            ("limit", Arg::Text(&limit)),
            ("days", Arg::Text(&days)),
        ],
    );
    ctx.show(message, text, Some(ctx.menu_button())).await
}

async fn on_document(ctx: &Ctx, document: &teloxide::types::Document) -> Result<()> {
    let app = &ctx.app;
    if let Err(wait) = app.limits.upload(ctx.user.id).await {
        let limit = app.config.uploads_per_hour.to_string();
        let minutes = wait.as_secs().div_ceil(60).max(1).to_string();
        ctx.say(
            "limit.uploads",
            &[
                ("limit", Arg::Text(&limit)),
                ("minutes", Arg::Text(&minutes)),
            ],
        )
        .await?;
        return Ok(());
    }
    // A new file replaces the request in progress.
    if let Some(previous) = ctx.flow().await? {
        ctx.drop_flow(&previous).await?;
        let _ = ctx
            .edit(
                MessageId(previous.message_id),
                ctx.text("flow.cancelled", &[]),
                None,
            )
            .await;
    }
    if ctx.app.store.quota_usage(ctx.user.id).await?.remaining() == 0 {
        return quota_exhausted(ctx, None).await;
    }
    let limit = upload_limit(app);
    let size = u64::from(document.file.size);
    if size > limit {
        return too_big(ctx, None, size).await;
    }
    let name = document
        .file_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "export.csv".into());
    let message = ctx
        .say("file.received", &[("name", Arg::Text(&name))])
        .await?;
    ctx.typing().await;
    // Held from the download to the end of the reading, so files waiting their turn are not
    // held in memory (never closed: acquiring fails only after `close`).
    let _reading = app.reading.acquire().await;
    let bytes = match download(ctx, &document.file.id, limit).await {
        Ok(bytes) => bytes,
        Err(Fetch::TooBig(size)) => return too_big(ctx, Some(message.id), size).await,
        Err(Fetch::Failed(err)) => {
            tracing::warn!(user_id = ctx.user.id, error = %err, "cannot download the contributor's file");
            let text = ctx.text("file.download_failed", &[]);
            return ctx.edit(message.id, text, None).await;
        }
    };
    if bytes.is_empty() {
        return ctx
            .edit(message.id, ctx.text("file.empty", &[]), None)
            .await;
    }
    let upload = app.store.save_upload(ctx.user.id, &name, &bytes).await?;
    metrics::counter!("stocklens_uploads_total").increment(1);
    metrics::histogram!("stocklens_upload_bytes").record(bytes.len() as f64);
    let mut flow = Flow {
        message_id: message.id.0,
        upload_id: upload.id,
        file_name: name,
        found: None,
        step: Step::Content,
        answers: flow::Answers::default(),
    };
    let inspected = inspect(ctx, Arc::from(bytes), &flow.file_name, None).await;
    match inspected {
        Ok(found) => {
            flow.found = Some(found);
            ask(ctx, &flow, None).await
        }
        Err(problem) => {
            let text = problem_text(ctx, &problem);
            match problem {
                Inspected::Unknown => {
                    flow.step = Step::Marketplace;
                    ask(ctx, &flow, Some(&text)).await
                }
                Inspected::Failed(err) => {
                    app.store.delete_upload(flow.upload_id).await?;
                    Err(err)
                }
                _ => {
                    app.store.delete_upload(flow.upload_id).await?;
                    ctx.edit(message.id, text, Some(ctx.menu_button())).await
                }
            }
        }
    }
}

/// The largest file the bot takes: what Telegram lets it download, and what the store keeps.
fn upload_limit(app: &App) -> u64 {
    app.config.telegram.max_download.min(store_limit())
}

fn store_limit() -> u64 {
    u64::try_from(crate::store::uploads::MAX_UPLOAD_BYTES).unwrap_or(u64::MAX)
}

async fn too_big(ctx: &Ctx, message: Option<MessageId>, size: u64) -> Result<()> {
    // Whose limit it is: Telegram's (the public Bot API's 20 MB) or ours (a local Bot API
    // server downloads up to 2,000 MB, more than the store keeps).
    let key = if ctx.app.config.telegram.max_download > store_limit() {
        "file.too_big_to_keep"
    } else {
        "file.too_big"
    };
    let text = ctx.text(
        key,
        &[
            ("size", Arg::Text(&html::format_size(size))),
            (
                "limit",
                Arg::Text(&html::format_size(upload_limit(&ctx.app))),
            ),
        ],
    );
    ctx.show(message, text, None).await
}

enum Fetch {
    TooBig(u64),
    Failed(String),
}

/// Downloads a file from Telegram into memory, refusing to read past `limit` bytes.
async fn download(
    ctx: &Ctx,
    file_id: &teloxide::types::FileId,
    limit: u64,
) -> Result<Vec<u8>, Fetch> {
    let file = call(
        &ctx.tg,
        &ctx.app.store,
        ctx.chat,
        ctx.tg.get_file(file_id.clone()),
    )
    .await
    .map_err(|err| match err {
        SendError::Telegram(teloxide::RequestError::Api(teloxide::ApiError::Unknown(text)))
            if text.contains("file is too big") =>
        {
            Fetch::TooBig(limit.saturating_add(1))
        }
        err => Fetch::Failed(err.to_string()),
    })?;
    let mut bytes = Vec::with_capacity(usize::try_from(file.size).unwrap_or(0).min(64 << 20));
    let mut stream = ctx.tg.download_file_stream(&file.path);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Fetch::Failed(e.to_string()))?;
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > limit {
            return Err(Fetch::TooBig(bytes.len() as u64));
        }
    }
    Ok(bytes)
}

/// Why a file could not be read.
enum Inspected {
    Unknown,
    NotText(Kind),
    Workbook(WorkbookProblem),
    Empty,
    NoRows,
    TooManyBadRows { skipped: u64, rows: u64 },
    Rejected { parser: String, reason: String },
    Failed(Failure),
}

/// Detects and counts a file off the async threads. Callers hold a permit of `App::reading`.
async fn inspect(
    ctx: &Ctx,
    bytes: Arc<[u8]>,
    name: &str,
    marketplace: Option<String>,
) -> Result<Found, Inspected> {
    let engine = Arc::clone(&ctx.app.engine);
    let input = Input {
        name: name.to_owned(),
        display: name.to_owned(),
        source: Source::Bytes(bytes),
    };
    let today = crate::jobs::analysis::today();
    let app = Arc::clone(&ctx.app);
    let joined = tokio::task::spawn_blocking(move || {
        pipeline::inspect(
            &engine.runtime,
            &engine.registry(),
            &input,
            marketplace.as_deref(),
            today,
        )
    })
    .await;
    let result = joined.map_err(|e| Inspected::Failed(Failure::Other(e.to_string())))?;
    match result {
        Ok(inspection) => Ok(Found {
            marketplace: app.marketplace_name(&inspection.parser),
            parser: inspection.parser,
            sales: u64::try_from(inspection.sales).unwrap_or(0),
            first: inspection.first.map(pipeline::iso_date),
            last: inspection.last.map(pipeline::iso_date),
            months: inspection
                .months
                .iter()
                .map(|m| (m.year, m.month))
                .collect(),
        }),
        Err(AnalyzeError::Input { problem, .. }) => Err(match problem {
            InputProblem::UnknownFormat { .. } | InputProblem::Ambiguous { .. } => {
                Inspected::Unknown
            }
            InputProblem::NotText(NotText::Empty) => Inspected::Empty,
            InputProblem::NotText(NotText::Looks(kind)) => Inspected::NotText(kind),
            InputProblem::Workbook(problem) => Inspected::Workbook(problem),
            InputProblem::NoRows => Inspected::NoRows,
            InputProblem::TooManyBadRows { skipped, rows, .. } => {
                Inspected::TooManyBadRows { skipped, rows }
            }
            InputProblem::Rejected {
                parser, message, ..
            } => Inspected::Rejected {
                parser,
                reason: message,
            },
            InputProblem::Unreadable(err) => Inspected::Failed(Failure::Other(err.to_string())),
        }),
        Err(err) => Err(Inspected::Failed(Failure::Other(err.to_string()))),
    }
}

/// The contributor's message for a file that could not be read.
fn problem_text(ctx: &Ctx, problem: &Inspected) -> String {
    match problem {
        Inspected::Unknown => ctx.text(
            "file.unknown",
            &[("guide_url", Arg::Text(&ctx.app.config.guide_url))],
        ),
        Inspected::NotText(kind) => {
            let what = ctx.text(&format!("file.looks.{}", kind.key()), &[]);
            ctx.text("file.not_table", &[("what", Arg::Text(&what))])
        }
        Inspected::Workbook(
            WorkbookProblem::TooLarge { limit } | WorkbookProblem::SheetTooLarge { limit },
        ) => {
            let limit = html::format_size(*limit);
            ctx.text("file.workbook_too_large", &[("limit", Arg::Text(&limit))])
        }
        Inspected::Workbook(WorkbookProblem::Damaged(_)) => ctx.text("file.workbook_damaged", &[]),
        Inspected::Workbook(WorkbookProblem::NoSheets | WorkbookProblem::EmptySheet(_)) => {
            ctx.text("file.workbook_empty", &[])
        }
        Inspected::Empty => ctx.text("file.empty", &[]),
        Inspected::NoRows => ctx.text("file.no_rows", &[]),
        Inspected::TooManyBadRows { skipped, rows } => {
            let skipped = words::count(i128::from(*skipped), ctx.lang);
            let rows = words::count(i128::from(*rows), ctx.lang);
            ctx.text(
                "file.too_many_bad_rows",
                &[("skipped", Arg::Text(&skipped)), ("rows", Arg::Text(&rows))],
            )
        }
        Inspected::Rejected { parser, reason } => {
            // The pipeline names the parser as `id@version`; the contributor reads its
            // marketplace's name.
            let id = parser.split_once('@').map_or(parser.as_str(), |(id, _)| id);
            let marketplace = ctx.app.marketplace_name(id);
            let reason = sentence(reason);
            ctx.text(
                "file.rejected",
                &[
                    ("marketplace", Arg::Text(&marketplace)),
                    ("reason", Arg::Text(&reason)),
                ],
            )
        }
        Inspected::Failed(_) => String::new(),
    }
}

/// A plugin's reason as the end of a sentence: its own `?` or `!` kept, a full stop added where
/// it has none.
fn sentence(reason: &str) -> String {
    let reason = reason.trim_end();
    if reason.ends_with(['.', '?', '!']) {
        reason.to_owned()
    } else {
        format!("{reason}.")
    }
}

/// Stores the request and shows its question in its message.
async fn ask(ctx: &Ctx, flow: &Flow, hint: Option<&str>) -> Result<()> {
    ctx.save_flow(flow).await?;
    let (text, keyboard) = flow.render(&ctx.app.lexicon, ctx.lang, &ctx.app.parsers(), hint);
    ctx.edit(MessageId(flow.message_id), text, Some(keyboard))
        .await
}

/// Asks the question again in a new message at the bottom of the chat, with a hint about what
/// the contributor typed, removing the old one.
async fn reask(ctx: &Ctx, mut flow: Flow, hint: Option<&str>) -> Result<()> {
    let old = MessageId(flow.message_id);
    let (text, keyboard) = flow.render(&ctx.app.lexicon, ctx.lang, &ctx.app.parsers(), hint);
    let sent = ctx.send(text, Some(keyboard)).await?;
    flow.message_id = sent.id.0;
    ctx.save_flow(&flow).await?;
    let request = ctx.tg.delete_message(ctx.chat, old);
    if let Err(err) = call(&ctx.tg, &ctx.app.store, ctx.chat, request).await {
        tracing::debug!(error = %err, "cannot delete the previous question");
    }
    Ok(())
}

async fn typed_answer(ctx: &Ctx, mut flow: Flow, text: &str) -> Result<()> {
    let shown: String = text.chars().take(40).collect();
    let max = words::count(i128::from(words::MAX_COUNT), ctx.lang);
    let count_hint = |err| match err {
        words::CountError::NotWhole => ctx.text("hint.number", &[("text", Arg::Text(&shown))]),
        words::CountError::TooBig => ctx.text(
            "hint.number_too_big",
            &[("text", Arg::Text(&shown)), ("max", Arg::Text(&max))],
        ),
    };
    let hint = match flow.step {
        Step::PortfolioSize => match words::parse_count(text) {
            Ok(n) => {
                flow.answers.portfolio_size = Some(n);
                None
            }
            Err(err) => Some(count_hint(err)),
        },
        Step::UploadLimitCount => match words::parse_count(text) {
            Ok(n) => {
                flow.answers.limit_count = Some(n);
                None
            }
            Err(err) => Some(count_hint(err)),
        },
        Step::Uploads => match words::parse_count(text) {
            Ok(n) => {
                flow.answers.uploads = Some(n);
                None
            }
            Err(err) => Some(count_hint(err)),
        },
        Step::Acceptance => match words::parse_percent(text) {
            Ok(rate) => {
                flow.answers.acceptance = Some(rate);
                None
            }
            Err(words::PercentError::NotPercent) => {
                Some(ctx.text("hint.percent", &[("text", Arg::Text(&shown))]))
            }
            Err(words::PercentError::OutOfRange) => {
                Some(ctx.text("hint.percent_range", &[("text", Arg::Text(&shown))]))
            }
        },
        _ => Some(ctx.text("hint.use_buttons", &[])),
    };
    // A wrong answer is answered where the contributor looks, at the bottom; a right one moves
    // the question message on in place, like a button does.
    if hint.is_some() {
        return reask(ctx, flow, hint.as_deref()).await;
    }
    match flow.next_step() {
        Some(step) => {
            flow.step = step;
            ask(ctx, &flow, None).await
        }
        None => submit(ctx, flow).await,
    }
}

/// Queues the analysis: the upload is stored, the quota reserved, the job queued and the open
/// request closed in one transaction before "processing started" is said. A second press of
/// the last button (a double tap, or again because the screen was not updated) finds the
/// request closed and only says "processing started" again: one request, one analysis.
async fn submit(ctx: &Ctx, flow: Flow) -> Result<()> {
    let message = MessageId(flow.message_id);
    let request = flow.request(ctx.lang);
    let submitted = analysis::submit_uploads(
        &ctx.app.store,
        ctx.user.id,
        &[flow.upload_id],
        &request,
        Some(ctx.chat.0),
    )
    .await;
    match submitted {
        Ok((analysis, job)) => {
            if let Some(worker) = &ctx.app.local_worker {
                worker.notify_one();
            }
            tracing::info!(
                user_id = ctx.user.id,
                analysis_id = analysis.id,
                job_id = job.id,
                "analysis queued"
            );
        }
        Err(StoreError::Conflict { .. }) => {
            tracing::info!(
                user_id = ctx.user.id,
                "request already submitted; showing that it is processing"
            );
        }
        Err(StoreError::QuotaExceeded { .. }) => {
            ctx.drop_flow(&flow).await?;
            return quota_exhausted(ctx, Some(message)).await;
        }
        Err(err) => return Err(err.into()),
    }
    let found = flow.found.as_ref();
    let marketplace = found.map_or("?", |f| f.marketplace.as_str());
    let period = flow::period_label(&ctx.app.lexicon, ctx.lang, &request.period);
    let content = ctx.text(&format!("content.{}", request.content_type), &[]);
    let text = ctx.text(
        "processing.started",
        &[
            ("marketplace", Arg::Text(marketplace)),
            ("period", Arg::Text(&period)),
            ("content", Arg::Html(&content)),
        ],
    );
    ctx.edit(message, text, None).await?;
    ctx.typing().await;
    Ok(())
}

/// Ends the open request; the question's message says so and offers the menu.
async fn cancel(ctx: &Ctx, flow: Flow) -> Result<()> {
    ctx.drop_flow(&flow).await?;
    let text = ctx.text("flow.cancelled", &[]);
    ctx.edit(MessageId(flow.message_id), text, Some(ctx.main_menu()))
        .await
}

async fn on_callback(tg: Tg, query: CallbackQuery, app: Arc<App>) -> Result<(), BoxError> {
    let _timer = UpdateTimer::start("button");
    let ctx = match Ctx::load(&app, &tg, &query.from).await {
        Ok(Some(ctx)) => ctx,
        Ok(None) => {
            let _ = tg.answer_callback_query(query.id.clone()).await;
            return Ok(());
        }
        Err(err) => {
            let _ = tg.answer_callback_query(query.id.clone()).await;
            unavailable(&app, &tg, &query.from, &err).await;
            return Ok(());
        }
    };
    tracing::debug!(user_id = ctx.user.id, data = ?query.data, "button");
    // Buttons are outside the flood guard: a press edits one message and is always answered,
    // and a contributor going through the questions presses many in a row.
    let toast = match button(&ctx, &query).await {
        Ok(toast) => toast,
        Err(err) => {
            ctx.internal_error(&err).await;
            None
        }
    };
    // Always answered, or the button keeps spinning.
    let mut answer = tg.answer_callback_query(query.id.clone());
    if let Some(toast) = toast {
        answer = answer.text(strip_tags(&toast));
    }
    if let Err(err) = call(&tg, &app.store, ctx.chat, answer).await {
        tracing::debug!(error = %err, "cannot answer the callback query");
    }
    Ok(())
}

/// Callback answers are plain text.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Acts on a pressed button; returns a short notice to show, if any.
async fn button(ctx: &Ctx, query: &CallbackQuery) -> Result<Option<String>> {
    let stale = || Some(ctx.text("flow.stale", &[]));
    let Some(action) = query.data.as_deref().and_then(|d| d.parse::<Action>().ok()) else {
        return Ok(stale());
    };
    let message = query.message.as_ref().map(|m| m.id());
    match action {
        Action::Menu(item) => menu(ctx, message, item).await?,
        Action::Language(tag) => {
            let Some(lang) = lexicon::lang_of(&tag) else {
                return Ok(stale());
            };
            ctx.app
                .store
                .set_user_language(ctx.user.id, lang.tag())
                .await?;
            let ctx = Ctx {
                lang,
                app: Arc::clone(&ctx.app),
                tg: ctx.tg.clone(),
                user: ctx.user.clone(),
                chat: ctx.chat,
                new_user: false,
            };
            let text = format!(
                "{}\n\n{}",
                ctx.text("language.set", &[]),
                ctx.text("menu.title", &[])
            );
            ctx.show(message, text, Some(ctx.main_menu())).await?;
        }
        Action::OpenReport(analysis_id) => return open_report(ctx, analysis_id).await,
        Action::ReportsPage(page) => show_reports(ctx, message, page).await?,
        Action::Answer(_) | Action::Skip | Action::Cancel => {
            let flow = ctx.flow().await?;
            let Some(flow) = flow.filter(|f| Some(MessageId(f.message_id)) == message) else {
                // An old question: take its buttons away, if it still has any (removing none
                // is a 400 "message is not modified", e.g. on a repeated forged press).
                let has_buttons = query
                    .regular_message()
                    .and_then(|m| m.reply_markup())
                    .is_some_and(|k| !k.inline_keyboard.is_empty());
                if let Some(message) = message.filter(|_| has_buttons) {
                    let _ = ctx.tg.edit_message_reply_markup(ctx.chat, message).await;
                }
                return Ok(stale());
            };
            return answer(ctx, flow, action).await;
        }
    }
    Ok(None)
}

/// An answer given with a button to the open question.
async fn answer(ctx: &Ctx, mut flow: Flow, action: Action) -> Result<Option<String>> {
    let stale = || Some(ctx.text("flow.stale", &[]));
    match (flow.step, action) {
        (_, Action::Cancel) => {
            cancel(ctx, flow).await?;
            return Ok(None);
        }
        (Step::Content, Action::Answer(Answer::OtherMarketplace)) => {
            flow.step = Step::Marketplace;
            ask(ctx, &flow, None).await?;
            return Ok(None);
        }
        (Step::Marketplace, Action::Answer(Answer::Marketplace(id))) => {
            if !ctx.app.parsers().iter().any(|(known, _)| *known == id) {
                return Ok(stale());
            }
            return choose_marketplace(ctx, flow, id).await.map(|()| None);
        }
        (Step::Content, Action::Answer(Answer::Content(kind)))
            if flow::CONTENT_TYPES.contains(&kind.as_str()) =>
        {
            flow.answers.content = Some(kind);
        }
        (Step::Period, Action::Answer(Answer::Period(period)))
            if period.parse::<crate::pipeline::Period>().is_ok() =>
        {
            flow.answers.period = Some(period);
        }
        (Step::UploadLimit, Action::Answer(Answer::LimitPer(per))) => {
            flow.answers.limit_per = Some(per);
        }
        (Step::UploadLimit | Step::UploadLimitCount, Action::Skip) => {
            flow.answers.limit_per = None;
            flow.answers.limit_count = None;
            flow.step = Step::UploadLimitCount;
        }
        (Step::PortfolioSize | Step::Uploads | Step::Acceptance, Action::Skip) => {}
        _ => {
            // A button of another step pressed on the request's own message: the message shows
            // an older question than the one saved (its edit failed after the step was saved:
            // Telegram down, the bot killed in between). Show the saved question again, or the
            // contributor would press stale buttons forever.
            ask(ctx, &flow, None).await?;
            return Ok(stale());
        }
    }
    match flow.next_step() {
        Some(step) => {
            flow.step = step;
            ask(ctx, &flow, None).await?;
        }
        None => submit(ctx, flow).await?,
    }
    Ok(None)
}

/// Reads the file again as the chosen marketplace's export.
async fn choose_marketplace(ctx: &Ctx, mut flow: Flow, parser: String) -> Result<()> {
    ctx.typing().await;
    let _reading = ctx.app.reading.acquire().await;
    let upload = ctx.app.store.upload(flow.upload_id).await?;
    let bytes: Arc<[u8]> = Arc::from(upload.bytes);
    match inspect(ctx, bytes, &flow.file_name, Some(parser)).await {
        Ok(found) => {
            flow.found = Some(found);
            flow.step = Step::Content;
            ask(ctx, &flow, None).await
        }
        Err(Inspected::Failed(err)) => Err(err),
        Err(problem) => {
            let hint = problem_text(ctx, &problem);
            flow.step = Step::Marketplace;
            ask(ctx, &flow, Some(&hint)).await
        }
    }
}

async fn show_reports(ctx: &Ctx, message: Option<MessageId>, page: u32) -> Result<()> {
    let store = &ctx.app.store;
    let total = store.count_analyses(ctx.user.id).await?;
    if total == 0 {
        let text = ctx.text("reports.empty", &[]);
        let keyboard = InlineKeyboardMarkup::new([[
            ctx.button("button.new_analysis", Action::Menu(MenuItem::Analytics)),
            ctx.button("button.menu", Action::Menu(MenuItem::Home)),
        ]]);
        return ctx.show(message, text, Some(keyboard)).await;
    }
    let pages = (total + REPORTS_PER_PAGE - 1) / REPORTS_PER_PAGE;
    let page = i64::from(page).min(pages - 1);
    let rows = store
        .report_listing(ctx.user.id, page * REPORTS_PER_PAGE, REPORTS_PER_PAGE)
        .await?;
    let mut keyboard: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for row in rows {
        let date = words::day(row.created_at, ctx.lang);
        let view = row.summary.as_deref().and_then(SummaryView::parse);
        let (marketplace, sales) = match &view {
            Some(view) => (
                ctx.app.marketplace_name(view.parser()),
                words::count(i128::from(view.sales), ctx.lang),
            ),
            None => (status_mark(&row.status).to_owned(), "–".to_owned()),
        };
        let label = strip_tags(&ctx.text(
            "reports.item",
            &[
                ("date", Arg::Text(&date)),
                ("marketplace", Arg::Text(&marketplace)),
                ("sales", Arg::Text(&sales)),
            ],
        ));
        keyboard.push(vec![InlineKeyboardButton::callback(
            label,
            Action::OpenReport(row.analysis_id).to_string(),
        )]);
    }
    let mut nav = Vec::new();
    let page_u32 = u32::try_from(page).unwrap_or(0);
    if page > 0 {
        nav.push(ctx.button("button.prev", Action::ReportsPage(page_u32 - 1)));
    }
    if page + 1 < pages {
        nav.push(ctx.button("button.next", Action::ReportsPage(page_u32 + 1)));
    }
    if !nav.is_empty() {
        keyboard.push(nav);
    }
    keyboard.push(vec![
        ctx.button("button.menu", Action::Menu(MenuItem::Home)),
    ]);
    let text = ctx.text(
        "reports.title",
        &[
            ("page", Arg::Text(&(page + 1).to_string())),
            ("pages", Arg::Text(&pages.to_string())),
        ],
    );
    ctx.show(message, text, Some(InlineKeyboardMarkup::new(keyboard)))
        .await
}

fn status_mark(status: &str) -> &'static str {
    match status {
        "failed" => "✖",
        _ => "⏳",
    }
}

/// Sends one of the contributor's reports again: its summary and its document.
async fn open_report(ctx: &Ctx, analysis_id: i64) -> Result<Option<String>> {
    let store = &ctx.app.store;
    let not_found = || Some(ctx.text("reports.not_found", &[]));
    let analysis = match store.analysis(analysis_id).await {
        Ok(analysis) => analysis,
        Err(StoreError::NotFound { .. }) => return Ok(not_found()),
        Err(err) => return Err(err.into()),
    };
    // Whatever the button says, only the contributor's own analyses open.
    if analysis.user_id != ctx.user.id {
        tracing::warn!(
            user_id = ctx.user.id,
            analysis_id,
            "a contributor asked for someone else's report"
        );
        return Ok(not_found());
    }
    match analysis.status {
        crate::store::AnalysisStatus::Done => {}
        crate::store::AnalysisStatus::Failed => {
            let reason = failure_text(
                &ctx.app.lexicon,
                ctx.lang,
                analysis.error_kind.as_deref().unwrap_or(""),
                &crate::jobs::worker::failure_reference(analysis_id),
            );
            ctx.say("reports.failed", &[("reason", Arg::Html(&reason))])
                .await?;
            return Ok(None);
        }
        _ => return Ok(Some(ctx.text("reports.running", &[]))),
    }
    let report = match store.report_of_analysis(analysis_id).await {
        Ok(report) => report,
        Err(StoreError::NotFound { .. }) => return Ok(not_found()),
        Err(err) => return Err(err.into()),
    };
    let parts = super::delivery::report_messages(&ctx.app.lexicon, ctx.lang, &report, |p| {
        ctx.app.marketplace_name(p)
    });
    ctx.send(parts.summary, None).await?;
    let document = InputFile::memory(report.html.clone().into_bytes()).file_name(parts.file_name);
    let request = ctx
        .tg
        .send_document(ctx.chat, document)
        .caption(parts.caption)
        .parse_mode(ParseMode::Html)
        .reply_markup(super::delivery::after_report_keyboard(
            &ctx.app.lexicon,
            ctx.lang,
        ));
    call(&ctx.tg, store, ctx.chat, request).await?;
    Ok(None)
}

/// The contributor's text for an analysis failure kind.
pub fn failure_text(lexicon: &lexicon::Lexicon, lang: Lang, kind: &str, reference: &str) -> String {
    let key = match kind {
        "no_sales_in_selection" => "error.no_sales_in_selection",
        "unknown_format" | "unknown_marketplace" => "error.unknown_format",
        "not_text" | "no_rows" | "unreadable_file" | "workbook" => "error.not_table",
        "too_many_bad_rows" => "error.too_many_bad_rows",
        "rejected_by_parser" => "error.rejected",
        "plugin_failed" | "analyzer_declined" | "unknown_analyzer" => "error.plugin_failed",
        _ => "error.internal",
    };
    lexicon.render(lang, key, &[("reference", Arg::Text(reference))])
}

/// Registers the command menu in each language.
pub async fn set_commands(app: &App, tg: &Tg) {
    for &lang in LANGS {
        let commands: Vec<BotCommand> = ["start", "reports", "plan", "language", "cancel", "help"]
            .iter()
            .map(|&name| BotCommand::new(name, app.lexicon.get(lang, &format!("commands.{name}"))))
            .collect();
        let mut request = tg.set_my_commands(commands);
        if lang != Lang::En {
            request = request.language_code(lang.tag());
        }
        if let Err(err) = request.await {
            tracing::warn!(lang = lang.tag(), error = %err, "cannot set the bot's commands");
        }
    }
}

/// Ends requests left alone past their time: discards their files and tells their contributors.
pub async fn expire_flows(app: &Arc<App>, tg: &Tg) {
    let expired = match app.store.take_expired_dialogues().await {
        Ok(expired) => expired,
        Err(err) => {
            tracing::warn!(error = %err, "cannot look for expired requests");
            return;
        }
    };
    for state in expired {
        let Some(flow) = Flow::from_json(&state.state) else {
            continue;
        };
        if let Err(err) = app.store.delete_upload(flow.upload_id).await {
            tracing::warn!(upload_id = flow.upload_id, error = %err, "cannot discard an expired request's file");
        }
        let lang = match app.store.user_by_telegram_id(state.chat_id).await {
            Ok(Some(user)) => lexicon::lang_of(&user.language).unwrap_or(Lang::En),
            _ => Lang::En,
        };
        let minutes = app.config.flow_ttl.as_secs().div_ceil(60).to_string();
        let text = app
            .lexicon
            .render(lang, "flow.expired", &[("minutes", Arg::Text(&minutes))]);
        let chat = ChatId(state.chat_id);
        let request = tg
            .edit_message_text(chat, MessageId(flow.message_id), text)
            .parse_mode(ParseMode::Html);
        if let Err(err) = call(tg, &app.store, chat, request).await {
            tracing::debug!(error = %err, "cannot tell the contributor their request expired");
        }
    }
}

/// The parts of a stored summary the bot shows.
#[derive(Debug, serde::Deserialize)]
pub struct SummaryView {
    pub files: Vec<FileView>,
    pub sales: i64,
    pub revenue: std::collections::BTreeMap<String, String>,
    pub assets: u64,
    pub period: Option<PeriodView>,
    #[serde(default)]
    pub highlights: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct FileView {
    pub marketplace: String,
    #[serde(default)]
    pub rows_skipped: u64,
}

#[derive(Debug, serde::Deserialize)]
pub struct PeriodView {
    pub from: String,
    pub to: String,
}

impl SummaryView {
    pub fn parse(json: &str) -> Option<SummaryView> {
        serde_json::from_str(json).ok()
    }

    /// The parser of the first file.
    pub fn parser(&self) -> &str {
        self.files.first().map_or("", |f| f.marketplace.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn a_plugins_reason_ends_its_sentence_once() {
        assert_eq!(sentence("the row is too long"), "the row is too long.");
        assert_eq!(sentence("the row is too long. "), "the row is too long.");
        assert_eq!(sentence("is a quote left open?"), "is a quote left open?");
        assert_eq!(sentence("stop!"), "stop!");
    }
}
