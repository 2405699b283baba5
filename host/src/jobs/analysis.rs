//! One analysis job, from the stored uploads to a delivered report, and its submission.
//!
//! Every step is safe to run again after a crash at any point: a finished analysis is left
//! alone, a saved report is reused rather than recomputed (`save_report` keeps the first), the
//! delivery is idempotent, and marking it delivered happens once in the store, consuming the
//! quota in the same transaction. The order (save → deliver → mark) is what makes a worker killed
//! anywhere end in exactly one delivered report.
//!
//! Every sale the parsers read joins the contributor's history as it streams past (the
//! pipeline's observer), one import per upload, so re-sending an export or sending two with
//! overlapping months never counts a sale twice (the store deduplicates). A job run again after
//! a crash imports again and adds nothing.

use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::delivery::{Deliverable, Delivery};
use super::failpoint::{self, Failpoint};
use crate::cache::Event;
use crate::pipeline::facts::{self, ContentChoice};
use crate::pipeline::history::StoredSale;
use crate::pipeline::iso_date;
use crate::pipeline::selection::media_name;
use crate::pipeline::{
    self, AnalyzeError, ContentType, Input, InputProblem, Period, Selection, Source,
};
use crate::plugin::analyzer_types::{LimitPeriod, PortfolioFacts, UploadLimit};
use crate::plugin::text_of;
use crate::plugin::types::{Date, MediaType, SaleBatch};
use crate::plugin::{PluginErrorKind, Registry};
use crate::report::model::Lang;
use crate::store::{
    Analysis, AnalysisStatus, Job, NewAnalysis, NewJob, NewReport, NewSale, SalesQuery, Store,
    StoreError,
};

/// Days a report link opens, unless the operator says otherwise.
pub const DEFAULT_REPORT_LINK_DAYS: i64 = 30;

/// The job kind of an analysis.
pub const KIND: &str = "analysis";

/// How often the contributor's "typing..." is renewed while their report is made.
const TYPING_EVERY: std::time::Duration = std::time::Duration::from_secs(4);

pub use crate::catalog::Engine;

/// What the contributor chose, as the analysis's `answers` JSON. Values use the command line's
/// spellings (`all`, `2025-01..2025-03`, `photo`, `en`), checked by [`AnalysisRequest::check`].
///
/// Fields added later are optional and left out of the JSON when absent, so answers stored by an
/// older version still read and a newer worker reads them as "not given".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalysisRequest {
    pub period: String,
    /// `all`, `ai` or a media type. `ai` keeps every media type and sets `main_content` to ai
    /// (see [`ContentChoice`]): no export marks AI work as such.
    pub content_type: String,
    pub lang: String,
    /// A parser id that overrides detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketplace: Option<String>,
    /// What the portfolio mainly holds: `ai`, `photo`, `illustration`, `video` or `vector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_content: Option<String>,
    /// Files online in the portfolio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portfolio_size: Option<u32>,
    /// The marketplace's upload limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_limit: Option<UploadLimitAnswer>,
    /// Files uploaded within the selected period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uploads_in_period: Option<u32>,
    /// Share of submissions accepted, in percent, 0 to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance_rate: Option<f64>,
}

/// An upload limit as answered: `{"count": 100, "per": "week"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimitAnswer {
    pub count: u32,
    pub per: LimitPer,
}

/// The period an upload limit counts over, `week` or `month` in the JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LimitPer {
    Week,
    Month,
}

impl From<UploadLimit> for UploadLimitAnswer {
    fn from(limit: UploadLimit) -> UploadLimitAnswer {
        UploadLimitAnswer {
            count: limit.count,
            per: match limit.per {
                LimitPeriod::Week => LimitPer::Week,
                LimitPeriod::Month => LimitPer::Month,
            },
        }
    }
}

impl From<UploadLimitAnswer> for UploadLimit {
    fn from(answer: UploadLimitAnswer) -> UploadLimit {
        UploadLimit {
            count: answer.count,
            per: match answer.per {
                LimitPer::Week => LimitPeriod::Week,
                LimitPer::Month => LimitPeriod::Month,
            },
        }
    }
}

impl Default for AnalysisRequest {
    fn default() -> AnalysisRequest {
        AnalysisRequest {
            period: "all".into(),
            content_type: "all".into(),
            lang: "en".into(),
            marketplace: None,
            main_content: None,
            portfolio_size: None,
            upload_limit: None,
            uploads_in_period: None,
            acceptance_rate: None,
        }
    }
}

impl AnalysisRequest {
    /// Parses the choices and checks the portfolio facts; the message says which one is wrong.
    pub fn check(&self) -> Result<(Period, ContentType, Lang), String> {
        let period = Period::from_str(&self.period).map_err(|e| e.to_string())?;
        let content = self.content()?;
        let lang = match self.lang.to_ascii_lowercase().as_str() {
            "en" => Lang::En,
            "ru" => Lang::Ru,
            other => return Err(format!("language {other:?} is not available; use en or ru")),
        };
        self.facts()?;
        Ok((period, content.filter, lang))
    }

    /// The portfolio facts for the report generators, checked as the command line checks its
    /// flags; the message says which one is wrong.
    pub fn facts(&self) -> Result<PortfolioFacts, String> {
        let given = self
            .main_content
            .as_deref()
            .map(facts::parse_content_focus)
            .transpose()?;
        Ok(PortfolioFacts {
            portfolio_size: self.portfolio_size,
            upload_limit: self
                .upload_limit
                .map(|answer| facts::check_upload_limit(answer.into()))
                .transpose()?,
            uploads_in_period: self.uploads_in_period,
            acceptance_rate: self
                .acceptance_rate
                .map(facts::check_acceptance_rate)
                .transpose()?,
            main_content: self.content()?.main_content(given)?,
        })
    }

    /// The pipeline job these answers ask for over `inputs`, as a worker runs it.
    pub fn job(&self, inputs: Vec<Input>, today: Date) -> Result<pipeline::Job, String> {
        let (period, content, lang) = self.check()?;
        Ok(pipeline::Job {
            inputs,
            marketplace: self.marketplace.clone(),
            selection: Selection { period, content },
            lang,
            facts: self.facts()?,
            analyzers: None,
            today,
            max_skipped_percent: pipeline::MAX_SKIPPED_PERCENT,
            history: Arc::from([]),
        })
    }

    fn content(&self) -> Result<ContentChoice, String> {
        ContentChoice::from_str(&self.content_type).map_err(|e| e.to_string())
    }
}

/// The payload of an analysis job.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    analysis_id: i64,
}

/// Stores `files` (name, bytes) for the user, then creates the analysis, reserves its quota and
/// enqueues its job in one transaction, and announces the job to workers (through the store's
/// cache, when Redis is there). On [`StoreError::QuotaExceeded`] the uploads just stored are
/// removed again.
pub async fn submit(
    store: &Store,
    user_id: i64,
    files: &[(String, Vec<u8>)],
    request: &AnalysisRequest,
) -> Result<(Analysis, Job), StoreError> {
    let mut upload_ids = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        upload_ids.push(store.save_upload(user_id, name, bytes).await?.id);
    }
    let submitted = submit_uploads(store, user_id, &upload_ids, request, None).await;
    if submitted.is_err() {
        for id in upload_ids {
            // Best effort: an orphan upload costs disk space, not correctness.
            let _ = store.delete_upload(id).await;
        }
    }
    submitted
}

/// Creates the analysis of uploads already stored (the bot stores a file when it arrives, before
/// asking its questions), reserves its quota and enqueues its job in one transaction, and
/// announces the job to workers. The uploads are left as they are on any error. With
/// `closes_dialogue_of`, the chat's open request is closed in the same transaction (see
/// [`NewAnalysis::closes_dialogue_of`]).
pub async fn submit_uploads(
    store: &Store,
    user_id: i64,
    upload_ids: &[i64],
    request: &AnalysisRequest,
    closes_dialogue_of: Option<i64>,
) -> Result<(Analysis, Job), StoreError> {
    let answers = serde_json::to_string(request)
        .map_err(|e| StoreError::Invalid(format!("cannot encode the answers: {e}")))?;
    let new = NewAnalysis {
        user_id,
        upload_ids: upload_ids.to_vec(),
        answers,
        filters: "{}".into(),
        closes_dialogue_of,
    };
    let (analysis, job) = store
        .request_analysis_with_job(&new, |analysis_id| {
            let payload = serde_json::json!({ "analysis_id": analysis_id }).to_string();
            NewJob::new(KIND, payload)
        })
        .await?;
    store.cache().announce(Event::JobQueued).await;
    Ok((analysis, job))
}

/// Why a job's attempt failed, as the worker acts on it.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Fails the same way every time (the file cannot be read, a plugin rejects it): not retried;
    /// the analysis is failed with `kind`, which the bot maps to a lexicon text.
    #[error("{kind}: {detail}")]
    Permanent { kind: String, detail: String },
    /// Database, network or internal trouble: retried with backoff.
    #[error("{0}")]
    Transient(String),
}

impl From<StoreError> for JobError {
    fn from(err: StoreError) -> JobError {
        match err {
            StoreError::NotFound { what } => JobError::Permanent {
                kind: "missing_data".into(),
                detail: format!("{what} not found"),
            },
            // Anything else in the store is the database's trouble: worth another attempt, and
            // the attempts bound it.
            err => JobError::Transient(error_chain(&err)),
        }
    }
}

/// What an analysis job needs besides the job itself.
#[derive(Clone)]
pub struct Context {
    pub store: Store,
    pub engine: Arc<Engine>,
    pub delivery: Arc<dyn Delivery>,
    pub failpoint: Failpoint,
    /// Days a report's link opens after it is made.
    pub report_link_days: i64,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("delivery", &self.delivery.name())
            .finish_non_exhaustive()
    }
}

/// The analysis id an analysis job's payload names.
pub fn analysis_id(job: &Job) -> Result<i64, JobError> {
    serde_json::from_str::<Payload>(&job.payload)
        .map(|p| p.analysis_id)
        .map_err(|e| JobError::Permanent {
            kind: "bad_job".into(),
            detail: format!("job {}: payload is not an analysis: {e}", job.id),
        })
}

/// Runs one attempt of an analysis job.
pub async fn run(ctx: &Context, job: &Job) -> Result<(), JobError> {
    let store = &ctx.store;
    let analysis_id = analysis_id(job)?;
    let analysis = store.analysis(analysis_id).await?;
    match analysis.status {
        // Delivered before the previous worker could complete the job.
        AnalysisStatus::Done => return Ok(()),
        AnalysisStatus::Failed => {
            return Err(JobError::Permanent {
                kind: analysis.error_kind.unwrap_or_else(|| "failed".into()),
                detail: analysis.error_detail.unwrap_or_default(),
            });
        }
        AnalysisStatus::Queued | AnalysisStatus::Running => {}
    }
    let report = match store.report_of_analysis(analysis_id).await {
        Ok(report) => report,
        Err(StoreError::NotFound { .. }) => {
            store.start_analysis(analysis_id).await?;
            // "Typing..." in the contributor's chat while the report is made (Telegram shows it
            // for five seconds, so it is repeated); best effort.
            let typing = match store.user(analysis.user_id).await {
                Ok(user) => {
                    let delivery = Arc::clone(&ctx.delivery);
                    Some(tokio::spawn(async move {
                        loop {
                            let _ = delivery.working(user.telegram_id).await;
                            tokio::time::sleep(TYPING_EVERY).await;
                        }
                    }))
                }
                Err(_) => None,
            };
            let produced = produce(ctx, &analysis).await;
            if let Some(typing) = typing {
                typing.abort();
            }
            let new = produced?;
            store.save_report(&new).await?
        }
        Err(err) => return Err(err.into()),
    };
    ctx.failpoint.hit(failpoint::AFTER_REPORT_SAVED).await;

    if report.delivered_at.is_none() {
        let user = store.user(analysis.user_id).await?;
        let item = Deliverable {
            analysis_id,
            user_id: user.id,
            telegram_id: user.telegram_id,
            report: &report,
        };
        if ctx.failpoint.fails(failpoint::FAIL_DELIVERY) {
            return Err(JobError::Transient("failpoint: delivery refused".into()));
        }
        ctx.delivery
            .deliver(&item)
            .await
            .map_err(|e| JobError::Transient(error_chain(&e)))?;
        ctx.failpoint.hit(failpoint::AFTER_DELIVERY).await;
        store.mark_report_delivered(report.id).await?;
    }
    Ok(())
}

/// Loads the uploads, runs the pipeline and renders the report.
async fn produce(ctx: &Context, analysis: &Analysis) -> Result<NewReport, JobError> {
    let request: AnalysisRequest =
        serde_json::from_str(&analysis.answers).map_err(|e| JobError::Permanent {
            kind: "bad_request".into(),
            detail: format!("answers are not an analysis request: {e}"),
        })?;
    let mut inputs = Vec::new();
    let upload_ids = ctx.store.analysis_upload_ids(analysis.id).await?;
    for &upload_id in &upload_ids {
        let upload = ctx.store.upload(upload_id).await?;
        inputs.push(Input {
            display: upload.meta.file_name.clone(),
            name: upload.meta.file_name,
            source: Source::Bytes(Arc::from(upload.bytes)),
        });
    }
    let mut job = request
        .job(inputs, today())
        .map_err(|detail| JobError::Permanent {
            kind: "bad_request".into(),
            detail,
        })?;
    // Read before this analysis imports its own sales; the pipeline leaves out stored sales of
    // the days its files cover, so a job run again after a crash counts nothing twice.
    let stored = ctx
        .store
        .sales(analysis.user_id, &SalesQuery::default())
        .await?;
    job.history = stored_history(&stored).into();
    drop(stored);
    let engine = Arc::clone(&ctx.engine);
    // The plugins this job runs with, whatever is swapped in meanwhile.
    let (registry, generation) = engine.snapshot();
    let used = Arc::clone(&registry);
    let failpoint = ctx.failpoint.clone();
    let link_days = ctx.report_link_days;
    let analysis_id = analysis.id;
    // The pipeline is CPU-bound and synchronous: it runs on the blocking pool, never on the
    // threads that keep heartbeats and claims going.
    let store = ctx.store.clone();
    let user_id = analysis.user_id;
    let runtime = tokio::runtime::Handle::current();
    let produced = tokio::task::spawn_blocking(move || {
        failpoint.hit_blocking(failpoint::PARSING);
        let mut imports: Vec<_> = upload_ids
            .iter()
            .map(|&upload_id| store.import_sales(user_id, Some(upload_id)))
            .collect();
        let mut into_history = |input: usize, source: &str, batch: &SaleBatch| {
            let Some(import) = imports.get_mut(input) else {
                return Err(format!("sales from input {input}, which has no upload"));
            };
            let sales = history_sales(source, batch);
            runtime
                .block_on(import.add(&sales))
                .map(drop)
                .map_err(|err| format!("cannot add sales to the history: {err}"))
        };
        let outcome =
            pipeline::analyze_observed(&engine.runtime, &registry, &job, &mut into_history)
                .map_err(|err| Failed {
                    plugin: match &err {
                        AnalyzeError::Plugin(e) => Some(e.plugin.clone()),
                        _ => None,
                    },
                    error: classify(&err, &registry),
                })?;
        let html = crate::report::render_html(&outcome.document)
            .map_err(|e| JobError::Transient(format!("cannot render the report: {e}")))?;
        let summary = serde_json::to_string(&outcome.summary)
            .map_err(|e| JobError::Transient(format!("cannot encode the summary: {e}")))?;
        let mut versions = serde_json::Map::new();
        let labels = outcome.summary.files.iter().map(|f| &f.parser);
        for label in labels.chain(&outcome.summary.analyzers) {
            if let Some((id, version)) = label.split_once('@') {
                versions.insert(id.to_owned(), version.into());
            }
        }
        Ok::<_, Failed>(NewReport {
            analysis_id,
            html,
            summary,
            plugin_versions: serde_json::Value::Object(versions).to_string(),
            plugin_generation: Some(generation),
            expires_at: Some(
                ctx_now_ms().saturating_add(link_days.saturating_mul(crate::store::DAY_MS)),
            ),
        })
    })
    .await;
    let result = match produced {
        Ok(result) => result,
        Err(join) => Err(Failed::from(JobError::Transient(format!(
            "the analysis task failed: {join}"
        )))),
    };
    // Installed versions count their jobs, and one failing too many is rolled back; the queue
    // retries this job, which then meets the previous version.
    let failed_by = match &result {
        Err(Failed { plugin, .. }) => plugin.as_deref(),
        Ok(_) => None,
    };
    if let Err(err) = ctx.engine.count_job(&ctx.store, &used, failed_by).await {
        tracing::warn!(%err, "cannot count the job for its plugins");
    }
    result.map_err(|failed| failed.error)
}

/// A failed production, with the plugin that failed it when one did.
struct Failed {
    plugin: Option<String>,
    error: JobError,
}

impl From<JobError> for Failed {
    fn from(error: JobError) -> Failed {
        Failed {
            plugin: None,
            error,
        }
    }
}

impl From<StoreError> for Failed {
    fn from(error: StoreError) -> Failed {
        Failed::from(JobError::from(error))
    }
}

/// Now, in Unix milliseconds.
fn ctx_now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// The contributor's stored sales as history batches for the report generators. A row whose
/// date or media type no longer reads (written by an older version) is left out.
fn stored_history(sales: &[crate::store::Sale]) -> Vec<pipeline::HistoryBatch> {
    pipeline::history::pack(sales.iter().filter_map(|sale| {
        Some(StoredSale {
            source: &sale.marketplace,
            date: pipeline::parse_iso_date(&sale.date)?,
            asset_id: &sale.asset_id,
            title: sale.title.as_deref(),
            file_name: sale.file_name.as_deref(),
            media: match ContentType::from_str(&sale.media) {
                Ok(ContentType::Only(media)) => media,
                _ if sale.media == "other" => MediaType::Other,
                _ => return None,
            },
            license: sale.license.as_deref(),
            units: sale.units,
            earnings_micros: sale.earnings_micros,
            currency: &sale.currency,
            country: sale.country.as_deref(),
        })
    }))
}

/// A batch of sales as the history stores them.
fn history_sales(source: &str, batch: &SaleBatch) -> Vec<NewSale> {
    let text = |range| text_of(batch, range).to_owned();
    batch
        .sales
        .iter()
        .map(|sale| NewSale {
            marketplace: source.to_owned(),
            asset_id: text(sale.asset_id),
            date: iso_date(sale.date),
            time: sale.time.map(|t| {
                let clock = format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second);
                match t.utc_offset_minutes {
                    Some(offset) => {
                        let sign = if offset < 0 { '-' } else { '+' };
                        let offset = offset.unsigned_abs();
                        format!("{clock}{sign}{:02}:{:02}", offset / 60, offset % 60)
                    }
                    None => clock,
                }
            }),
            title: sale.title.map(text),
            file_name: sale.file_name.map(text),
            media: media_name(sale.media).to_owned(),
            license: sale.license.map(text),
            units: sale.units,
            earnings_micros: sale.earnings_micros,
            currency: text(sale.currency),
            country: sale.country.map(text),
        })
        .collect()
}

/// Sorts a pipeline failure into permanent (with a kind the bot can explain) or transient. An
/// installed plugin failing is transient: its version may be rolled back (by the host or the
/// operator) before the next attempt, and the attempts bound it.
fn classify(err: &AnalyzeError, registry: &Registry) -> JobError {
    let permanent = |kind: &str| JobError::Permanent {
        kind: kind.into(),
        detail: err.to_string(),
    };
    match err {
        AnalyzeError::Input { problem, .. } => permanent(match problem {
            InputProblem::Unreadable(_) => "unreadable_file",
            InputProblem::NotText(_) => "not_text",
            InputProblem::Workbook(_) => "workbook",
            InputProblem::NoRows => "no_rows",
            InputProblem::UnknownFormat { .. } | InputProblem::Ambiguous { .. } => "unknown_format",
            InputProblem::Rejected { .. } => "rejected_by_parser",
            InputProblem::TooManyBadRows { .. } => "too_many_bad_rows",
        }),
        AnalyzeError::NoSalesInSelection { .. } => permanent("no_sales_in_selection"),
        AnalyzeError::UnknownMarketplace { .. } => permanent("unknown_marketplace"),
        AnalyzeError::UnknownAnalyzer { .. } => permanent("unknown_analyzer"),
        AnalyzeError::AnalyzerDeclined { .. } => permanent("analyzer_declined"),
        // Loading a plugin can fail for the machine's reasons (memory, a cache directory); what
        // a plugin does with a given file it does again on the same file.
        AnalyzeError::Plugin(plugin) if matches!(plugin.kind, PluginErrorKind::Load(_)) => {
            JobError::Transient(err.to_string())
        }
        AnalyzeError::Plugin(plugin) if registry.is_installed(&plugin.plugin) => {
            JobError::Transient(err.to_string())
        }
        AnalyzeError::Plugin(_) => permanent("plugin_failed"),
        AnalyzeError::Cancelled | AnalyzeError::Internal(_) => JobError::Transient(err.to_string()),
    }
}

/// The date plugins are told it is (UTC).
pub fn today() -> Date {
    let date = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    Date {
        year: u16::try_from(date.year()).unwrap_or(1970),
        month: date.month().unsigned_abs(),
        day: date.day().unsigned_abs(),
    }
}

/// An error with its causes, on one line, for the job's `last_error` and the log.
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        // Many errors (sqlx's among them) already print their source in their own text.
        let said = cause.to_string();
        if !text.ends_with(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::analyzer_types::ContentFocus;
    use crate::plugin::types::MediaType;

    fn with_facts() -> AnalysisRequest {
        AnalysisRequest {
            period: "2025-07..2025-09".into(),
            content_type: "photo".into(),
            lang: "ru".into(),
            marketplace: Some("adobe-stock".into()),
            main_content: Some("vector".into()),
            portfolio_size: Some(1200),
            upload_limit: Some(UploadLimitAnswer {
                count: 100,
                per: LimitPer::Week,
            }),
            uploads_in_period: Some(240),
            acceptance_rate: Some(72.5),
        }
    }

    #[test]
    fn a_request_with_facts_round_trips_through_json() {
        let request = with_facts();
        let json = serde_json::to_string(&request).unwrap();
        assert!(
            json.contains(r#""upload_limit":{"count":100,"per":"week"}"#),
            "{json}"
        );
        let read: AnalysisRequest = serde_json::from_str(&json).unwrap();
        assert_eq!(read, request);
        let facts = read.facts().unwrap();
        assert_eq!(facts.portfolio_size, Some(1200));
        let limit = facts.upload_limit.unwrap();
        assert_eq!((limit.count, limit.per), (100, LimitPeriod::Week));
        assert_eq!(facts.uploads_in_period, Some(240));
        assert_eq!(facts.acceptance_rate, Some(72.5));
        assert_eq!(facts.main_content, Some(ContentFocus::Vector));
    }

    #[test]
    fn answers_stored_before_the_facts_still_read() {
        let old = r#"{"period":"all","content_type":"video","lang":"en"}"#;
        let request: AnalysisRequest = serde_json::from_str(old).unwrap();
        assert_eq!(
            request,
            AnalysisRequest {
                content_type: "video".into(),
                ..AnalysisRequest::default()
            }
        );
        let facts = request.facts().unwrap();
        assert_eq!(facts.portfolio_size, None);
        assert_eq!(facts.main_content, None);
        // Absent facts stay out of the JSON, so it reads the same in an older worker.
        assert_eq!(
            serde_json::to_string(&AnalysisRequest::default()).unwrap(),
            r#"{"period":"all","content_type":"all","lang":"en"}"#
        );
    }

    #[test]
    fn an_acceptance_rate_outside_0_to_100_is_refused() {
        for rate in [100.5, -1.0, f64::NAN] {
            let request = AnalysisRequest {
                acceptance_rate: Some(rate),
                ..AnalysisRequest::default()
            };
            let why = request.check().unwrap_err();
            assert!(why.contains("acceptance rate"), "{why}");
        }
        for rate in [0.0, 100.0] {
            let request = AnalysisRequest {
                acceptance_rate: Some(rate),
                ..AnalysisRequest::default()
            };
            assert!(request.check().is_ok(), "{rate} is a rate");
        }
    }

    #[test]
    fn other_bad_facts_are_refused_with_their_name() {
        let zero_limit = AnalysisRequest {
            upload_limit: Some(UploadLimitAnswer {
                count: 0,
                per: LimitPer::Month,
            }),
            ..AnalysisRequest::default()
        };
        assert!(zero_limit.check().unwrap_err().contains("upload limit"));
        let odd_focus = AnalysisRequest {
            main_content: Some("sculpture".into()),
            ..AnalysisRequest::default()
        };
        assert!(odd_focus.check().unwrap_err().contains("main content"));
        // An unknown `per` never gets as far as `check`: the answers do not read.
        let per_day = r#"{"period":"all","content_type":"all","lang":"en","upload_limit":{"count":5,"per":"day"}}"#;
        assert!(serde_json::from_str::<AnalysisRequest>(per_day).is_err());
    }

    #[test]
    fn ai_content_keeps_every_media_type_and_says_the_portfolio_is_ai() {
        let ai = AnalysisRequest {
            content_type: "ai".into(),
            ..AnalysisRequest::default()
        };
        let (_, content, _) = ai.check().unwrap();
        assert_eq!(content, ContentType::All);
        assert_eq!(ai.facts().unwrap().main_content, Some(ContentFocus::Ai));

        let contradicted = AnalysisRequest {
            main_content: Some("photo".into()),
            ..ai
        };
        let why = contradicted.check().unwrap_err();
        assert!(why.contains("mainly ai"), "{why}");

        let photo = AnalysisRequest {
            content_type: "photo".into(),
            ..AnalysisRequest::default()
        };
        let (_, content, _) = photo.check().unwrap();
        assert_eq!(content, ContentType::Only(MediaType::Photo));
        assert_eq!(photo.facts().unwrap().main_content, None);
    }
}
