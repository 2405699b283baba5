//! What must hold after every fault, checked from what the fake Telegram saw and from the
//! database:
//!
//! - every upload of the stream was accepted (the bot said processing started, or the report
//!   came without it), and every accepted upload has exactly one analysis;
//! - the service settles: no job is left queued or running, and no analysis queued or running;
//! - each accepted upload got exactly one report document and no failure notice (analysis done),
//!   or exactly one failure notice and no report (analysis failed): never none, never two; and
//!   no failure notice is left owed (a worker killed before telling leaves it to a sweep);
//! - quota: a delivered analysis consumed its reservation, a failed one released it, none stays
//!   reserved, and what the contributor's plan counts as used is exactly the reports delivered;
//! - the bot never made a call Telegram refuses as malformed (400; "message is not modified",
//!   which a repeated press causes and the bot takes as done, aside);
//! - and afterwards a fresh contributor is served end to end without anyone touching the
//!   service ([`recovered`]).
//!
//! One exception, by design (docs/decisions.md, the Telegram sink): a worker killed between
//! Telegram accepting the report (or a failure notice) and the store recording it makes the
//! next worker send it again, since Telegram cannot say whether a message went out. A second copy is excused only when a
//! worker was killed within [`DUPLICATE_WINDOW`] after the first copy arrived (or up to
//! [`IN_FLIGHT`] before it: a request already on the wire lands just after the kill).
//!
//! Reported (`unanswered_files`): files the contributor sent again because the bot said nothing
//! at all. A bot killed after confirming a file's update to Telegram once lost such files; its
//! inbox now hands them to the next bot (decision 52), and the bot-kill scenario fails on any.
//! Elsewhere they are counted, not failed: a Telegram refusing every answer past the bot's
//! retries also makes a silence, with the file stored and its question saved.
//!
//! A failure, though (`stuck_dialogues`): a dialogue whose question on screen is refused as
//! stale press after press, so that the contributor must send the file again. The bot saves a
//! dialogue's next step before it edits the message to show it; when that edit fails for good
//! (Telegram refusing past the bot's retries, or the bot killed in between), the screen shows
//! an older question than the saved one, and the bot must show the saved one again when the
//! old one is pressed (it once refused every press instead).
//!
//! No check is timed: waits have generous limits, and a limit passing fails with the chat's
//! events and the services' logs.

use std::time::{Duration, Instant};

use stocklens::store::{AnalysisStatus, JobState, QuotaState};
use stocklens_tests::fake_telegram::BotEventKind;

use crate::contributor::{
    self, Outcome, acknowledged, describe, is_failure_notice, is_report, upload_and_answer,
};
use crate::world::World;

/// How long after Telegram accepted a report a worker's death still excuses a second copy:
/// the moment between Telegram's answer and the store's write, with room for a slow database.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(3);

/// How long before the first copy of a report a worker's death still excuses a second one: a
/// request already sent when the worker was killed reaches the fake a moment after the kill.
pub const IN_FLIGHT: Duration = Duration::from_secs(1);

/// How long stragglers get after everything looks settled: a duplicate arriving late is caught.
const QUIET: Duration = Duration::from_secs(2);

/// What a scenario's stream ended as.
#[derive(Debug, Default)]
pub struct Summary {
    pub accepted: usize,
    pub reports: usize,
    pub failures: usize,
    /// Second copies of a report sent because a worker died right after the first.
    pub excused_duplicates: usize,
    /// Files the bot never answered at all, so the contributor sent them again (the bot died
    /// after taking the update and before storing the file: see the module documentation).
    pub unanswered_files: usize,
    /// Dialogues stuck on a question the bot refused as stale, so the contributor sent the file
    /// again (see the module documentation): each is also a problem.
    pub stuck_dialogues: usize,
}

/// Checks every invariant for the stream's `outcomes`; the problems found, one per line, with
/// each problem chat's events.
pub async fn check(world: &World, outcomes: &[Outcome]) -> Result<Summary, String> {
    let mut problems = Vec::new();
    let mut summary = Summary::default();
    for outcome in outcomes.iter().filter(|o| !o.accepted) {
        problems.push(format!(
            "chat {} ({}): upload not accepted: {}\n{}",
            outcome.user.id,
            outcome.file,
            outcome.note.as_deref().unwrap_or("?"),
            describe(&world.fake.events(outcome.user.id))
        ));
    }

    // Settle: every job finished, however long retries take.
    let limit = world.mode.settle_limit();
    let deadline = Instant::now() + limit;
    let jobs = loop {
        match world.store.list_jobs(None, 100_000).await {
            Ok(jobs)
                if jobs
                    .iter()
                    .all(|j| !matches!(j.state, JobState::Queued | JobState::Running)) =>
            {
                break jobs;
            }
            Ok(jobs) if Instant::now() > deadline => {
                let open: Vec<String> = jobs
                    .iter()
                    .filter(|j| matches!(j.state, JobState::Queued | JobState::Running))
                    .map(|j| {
                        format!(
                            "job {} {} attempt {}/{} lease {:?} last error {:?}",
                            j.id, j.state, j.attempts, j.max_attempts, j.lease_owner, j.last_error
                        )
                    })
                    .collect();
                problems.push(format!(
                    "jobs still open {limit:?} after the stream:\n  {}",
                    open.join("\n  ")
                ));
                break jobs;
            }
            Err(err) if Instant::now() > deadline => {
                return Err(format!("the database did not come back: {err}"));
            }
            _ => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    };

    // Every accepted upload's answer reaches its chat.
    for outcome in outcomes.iter().filter(|o| o.accepted) {
        let _ = world
            .fake
            .wait_for(outcome.user.id, Duration::from_secs(60), |events| {
                events.iter().any(|e| is_report(e) || is_failure_notice(e))
            })
            .await;
    }
    tokio::time::sleep(QUIET).await;

    let mut analyses_total = 0;
    for outcome in outcomes {
        let chat = outcome.user.id;
        let events = world.fake.events(chat);
        let bad_requests: Vec<_> = events
            .iter()
            .filter(|e| match &e.kind {
                // A repeated press re-renders the same question: Telegram says "not modified",
                // which the bot takes as done.
                BotEventKind::Rejected {
                    error_code: 400,
                    description,
                    ..
                } => !description.contains("message is not modified"),
                _ => false,
            })
            .collect();
        if !bad_requests.is_empty() {
            problems.push(format!(
                "chat {chat}: the bot made calls Telegram refuses (400)\n{}",
                describe(&events)
            ));
        }
        summary.unanswered_files += outcome.silent_resends;
        summary.stuck_dialogues += outcome.stuck_resends;
        if outcome.stuck_resends > 0 {
            problems.push(format!(
                "chat {chat}: stuck {} time(s) on a question the bot refused as stale\n{}",
                outcome.stuck_resends,
                describe(&events)
            ));
        }
        if !outcome.accepted {
            if let Ok(Some(user)) = world.store.user_by_telegram_id(chat).await {
                analyses_total += world
                    .store
                    .analyses_of_user(user.id, 100)
                    .await
                    .map_or(0, |a| a.len());
            }
            continue;
        }
        summary.accepted += 1;
        let mut problem = |what: String| {
            problems.push(format!(
                "chat {chat} ({}): {what}\n{}",
                outcome.file,
                describe(&events)
            ));
        };
        let user = match world.store.user_by_telegram_id(chat).await {
            Ok(Some(user)) => user,
            Ok(None) => {
                problem("accepted, but the contributor is not in the database".into());
                continue;
            }
            Err(err) => return Err(format!("reading the contributor {chat}: {err}")),
        };
        let analyses = world
            .store
            .analyses_of_user(user.id, 100)
            .await
            .map_err(|e| format!("reading analyses: {e}"))?;
        analyses_total += analyses.len();
        let [analysis] = analyses.as_slice() else {
            problem(format!(
                "one upload accepted, {} analyses: {:?}",
                analyses.len(),
                analyses
                    .iter()
                    .map(|a| (a.id, a.status))
                    .collect::<Vec<_>>()
            ));
            continue;
        };
        let reports: Vec<_> = events.iter().filter(|e| is_report(e)).collect();
        let notice_events: Vec<_> = events.iter().filter(|e| is_failure_notice(e)).collect();
        let notices = notice_events.len();
        let quota = world
            .store
            .quota_entry(analysis.id)
            .await
            .map_err(|e| format!("reading the quota of analysis {}: {e}", analysis.id))?;
        match analysis.status {
            AnalysisStatus::Done => {
                summary.reports += 1;
                let excused = reports.len() == 2 && killed_around(world, reports[0].at);
                if excused {
                    summary.excused_duplicates += 1;
                    eprintln!(
                        "chaos {}: chat {chat} got its report twice: a worker was killed right \
                         after Telegram accepted the first copy (the documented exception)",
                        world.name
                    );
                } else if reports.len() != 1 {
                    problem(format!(
                        "analysis {} done, {} report documents",
                        analysis.id,
                        reports.len()
                    ));
                }
                if notices != 0 {
                    problem(format!(
                        "analysis {} done, yet {notices} failure notices",
                        analysis.id
                    ));
                }
                if quota.state != QuotaState::Consumed {
                    problem(format!(
                        "analysis {} delivered, its quota {}",
                        analysis.id, quota.state
                    ));
                }
            }
            AnalysisStatus::Failed => {
                summary.failures += 1;
                // The same exception as a report's: a worker killed between Telegram taking
                // the notice and the store recording it told makes a sweep send it again.
                let excused = notices == 2 && killed_around(world, notice_events[0].at);
                if excused {
                    summary.excused_duplicates += 1;
                    eprintln!(
                        "chaos {}: chat {chat} got its failure notice twice: a worker was killed \
                         right after Telegram accepted the first (the documented exception)",
                        world.name
                    );
                }
                if (notices != 1 && !excused) || !reports.is_empty() {
                    problem(format!(
                        "analysis {} failed ({:?}): {notices} failure notices and {} reports, \
                         exactly one notice expected",
                        analysis.id,
                        analysis.error_kind,
                        reports.len()
                    ));
                }
                if quota.state != QuotaState::Released {
                    problem(format!(
                        "analysis {} failed, its quota {} instead of released",
                        analysis.id, quota.state
                    ));
                }
            }
            status => problem(format!(
                "analysis {} stuck {status} after the service settled",
                analysis.id
            )),
        }
        match world.store.quota_usage(user.id).await {
            Ok(usage) => {
                let delivered = i64::from(analysis.status == AnalysisStatus::Done);
                if usage.reserved != 0 || usage.consumed != delivered {
                    problem(format!(
                        "quota counts {} reserved and {} consumed; {delivered} delivered",
                        usage.reserved, usage.consumed
                    ));
                }
            }
            Err(err) => problem(format!("cannot read quota usage: {err}")),
        }
    }
    // An analysis never exists without its job (one transaction); the stream's contributors
    // are the only ones in this database.
    if jobs.len() != analyses_total {
        problems.push(format!("{} jobs for {analyses_total} analyses", jobs.len()));
    }
    // Every failure notice was sent and recorded: none left owed to a later sweep.
    match world.store.notices_owed().await {
        Ok(0) => {}
        Ok(owed) => problems.push(format!("{owed} failure notices still owed")),
        Err(err) => problems.push(format!("cannot count owed failure notices: {err}")),
    }
    if problems.is_empty() {
        eprintln!(
            "chaos {}: {summary:?}, settled {:.1} s into the run",
            world.name,
            world.elapsed().as_secs_f64()
        );
        Ok(summary)
    } else {
        Err(format!(
            "{} problems after the fault:\n{}",
            problems.len(),
            problems.join("\n")
        ))
    }
}

/// Whether a worker was killed around the moment a message's first copy reached Telegram at
/// `first` (on the fake's clock): up to [`IN_FLIGHT`] before it, since a request already on the
/// wire lands just after the kill, or within [`DUPLICATE_WINDOW`] after it.
fn killed_around(world: &World, first: Duration) -> bool {
    world
        .worker_kills
        .iter()
        .any(|&killed| first <= killed + IN_FLIGHT && killed <= first + DUPLICATE_WINDOW)
}

/// The service recovered without an operator: a new contributor, arriving after the fault,
/// gets their upload accepted and exactly one report.
pub async fn recovered(world: &mut World) -> Result<(), String> {
    let user = world.contributor();
    let files = contributor::files();
    let file = &files[0];
    let limit = world.mode.accept_limit();
    let outcome = upload_and_answer(&world.fake, &user, file, limit).await;
    let chat = user.id;
    if !outcome.accepted {
        return Err(format!(
            "after the fault, a fresh contributor's upload was not accepted: {}\n{}",
            outcome.note.as_deref().unwrap_or("?"),
            describe(&world.fake.events(chat))
        ));
    }
    let waited = world
        .fake
        .wait_for(chat, limit, |events| events.iter().any(is_report))
        .await;
    if let Err(err) = waited {
        return Err(format!(
            "after the fault, a fresh contributor got no report: {err}"
        ));
    }
    tokio::time::sleep(QUIET).await;
    let events = world.fake.events(chat);
    let reports = events.iter().filter(|e| is_report(e)).count();
    if reports != 1 || !acknowledged(&events) {
        return Err(format!(
            "after the fault, a fresh contributor got {reports} reports\n{}",
            describe(&events)
        ));
    }
    Ok(())
}

/// The end of every scenario: waits for the stream, checks the invariants, checks that a fresh
/// contributor is served, checks that no process exited by itself, and tears the world down.
/// Fails with the seed and the services' logs; returns the summary and every service's log.
pub async fn conclude(mut world: World, stream: crate::world::Stream) -> (Summary, String) {
    let outcomes = stream.finish().await;
    let summary = match check(&world, &outcomes).await {
        Ok(summary) => summary,
        Err(problems) => world.fail(&problems),
    };
    if let Err(problem) = recovered(&mut world).await {
        world.fail(&problem);
    }
    let mut exited = Vec::new();
    for service in std::iter::once(&mut world.bot).chain(world.workers.iter_mut()) {
        if !service.running() {
            exited.push(service.name.clone());
        }
    }
    if !exited.is_empty() {
        world.fail(&format!("services exited by themselves: {exited:?}"));
    }
    let logs = std::iter::once(&world.bot)
        .chain(&world.workers)
        .map(crate::world::Service::log)
        .collect();
    world.finish().await;
    (summary, logs)
}
