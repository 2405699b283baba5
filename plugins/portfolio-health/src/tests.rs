//! Whole-report tests: what a contributor would see for typical and edge-case selections. Every
//! expected figure is worked out by hand in the comment beside it.

use stocklens_plugin_sdk::testing::{
    HISTORY, SELECTED, all_text, analyze, column, day, kpi, kpis, notes, percent, request, sale,
    section, table,
};
use stocklens_plugin_sdk::{
    Block, ContentFocus, LimitPeriod, Note, NoteLevel, PortfolioFacts, Report, Request, Sale,
    UploadLimit, Value,
};

use crate::PortfolioHealthAnalysis;

const ADOBE: &str = "adobe-stock";

/// A request for the period `from`..`to` (both `YYYY-MM-DD`) with `facts`, made on 2025-10-01.
fn ask(locale: &str, period: Option<(&str, &str)>, facts: PortfolioFacts) -> Request {
    let mut request = request(locale, "2025-10-01");
    if let Some((from, to)) = period {
        request.filters.from = Some(day(from));
        request.filters.to = Some(day(to));
    }
    request.facts = facts;
    request
}

const SEPTEMBER: Option<(&str, &str)> = Some(("2025-09-01", "2025-09-30"));
const SUMMER: Option<(&str, &str)> = Some(("2025-07-01", "2025-09-30"));

fn size(n: u32) -> PortfolioFacts {
    PortfolioFacts {
        portfolio_size: Some(n),
        ..PortfolioFacts::default()
    }
}

fn limit(count: u32, per: LimitPeriod, uploads: u32) -> PortfolioFacts {
    PortfolioFacts {
        upload_limit: Some(UploadLimit { count, per }),
        uploads_in_period: Some(uploads),
        ..PortfolioFacts::default()
    }
}

fn run(request: Request, batches: Vec<(&str, stocklens_plugin_sdk::Scope, Vec<Sale>)>) -> Report {
    let report = analyze::<PortfolioHealthAnalysis>(request, batches);
    // Whatever the input, one section, and every table row as wide as its columns.
    assert_eq!(report.sections.len(), 1);
    for block in &report.sections[0].blocks {
        if let Block::Table(t) = block {
            assert!(t.rows.iter().all(|r| r.len() == t.columns.len()), "{t:?}");
        }
    }
    report
}

fn health(report: &Report) -> &stocklens_plugin_sdk::Section {
    section(report, "portfolio-health")
}

fn note_texts(report: &Report, level: NoteLevel) -> Vec<&str> {
    notes(health(report))
        .into_iter()
        .filter(|n| n.level == level)
        .map(|n| n.text.as_str())
        .collect()
}

fn highlights(report: &Report) -> Vec<(NoteLevel, &str)> {
    report
        .highlights
        .iter()
        .map(|n| (n.level, n.text.as_str()))
        .collect()
}

fn kpi_note<'a>(report: &'a Report, label: &str) -> Option<&'a str> {
    kpis(health(report))
        .into_iter()
        .find(|k| k.label == label)
        .and_then(|k| k.note.as_deref())
}

fn kpi_labels(report: &Report) -> Vec<&str> {
    kpis(health(report))
        .iter()
        .map(|k| k.label.as_str())
        .collect()
}

/// The indicators table as (indicator, value, band) triples.
fn indicator_rows(report: &Report) -> Vec<(String, Value, Value)> {
    let t = table(health(report), "Indicators");
    t.rows
        .iter()
        .map(|r| match &r[0] {
            Value::Text(name) => (name.clone(), r[1].clone(), r[2].clone()),
            other => panic!("indicator name {other:?}"),
        })
        .collect()
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

fn every_fact() -> PortfolioFacts {
    PortfolioFacts {
        portfolio_size: Some(100),
        upload_limit: Some(UploadLimit {
            count: 500,
            per: LimitPeriod::Month,
        }),
        uploads_in_period: Some(100),
        acceptance_rate: Some(72.0),
        main_content: None,
    }
}

#[test]
fn one_sale_shows_every_indicator_with_its_band_and_advice() {
    // September 2025; the history reaches back to March 5, before April 1 (3 months before the
    // July 1 boundary), so new work is told by first sales: "500" first sold in September.
    let report = run(
        ask("en", SEPTEMBER, every_fact()),
        vec![
            (
                ADOBE,
                HISTORY,
                vec![sale("2025-03-05", "100", 1, 330_000, "USD")],
            ),
            (
                ADOBE,
                SELECTED,
                vec![sale("2025-09-10", "500", 1, 990_000, "USD")],
            ),
        ],
    );
    let h = health(&report);
    assert_eq!(h.title, "Portfolio health");
    assert_eq!(
        kpi_labels(&report),
        [
            "Share of the portfolio sold",
            "Sales ÷ portfolio size (old bot's measure)",
            "Share of sales from new works",
            "Upload-limit usage",
            "Acceptance rate",
        ]
    );
    // 1 work of 100 = 1 %: a value on the threshold opens the band above, "below average".
    close(percent(kpi(h, "Share of the portfolio sold")), 1.0);
    assert_eq!(
        kpi_note(&report, "Share of the portfolio sold"),
        Some("below average")
    );
    // 1 new-work sale of 1 = 100 % > 85 %.
    close(percent(kpi(h, "Share of sales from new works")), 100.0);
    assert_eq!(
        kpi_note(&report, "Share of sales from new works"),
        Some("just starting")
    );
    // 100 uploads of 500 a month over one whole month = 20 % < 30 %.
    close(percent(kpi(h, "Upload-limit usage")), 20.0);
    assert_eq!(
        kpi_note(&report, "Upload-limit usage"),
        Some("far below the limit")
    );
    // 72 % is in 70–85 %.
    assert_eq!(kpi_note(&report, "Acceptance rate"), Some("good"));

    let t = table(h, "Indicators");
    assert_eq!(t.columns, ["Indicator", "Value", "Band", "What to do"]);
    let advice = column(t, "What to do");
    assert_eq!(
        advice[3],
        &text(
            "Refresh titles and keywords of works that have not sold and add more work on the themes that already sell."
        )
    );
    assert_eq!(
        indicator_rows(&report)[4],
        (
            "Sales ÷ portfolio size (old bot's measure)".into(),
            Value::Percent(1.0),
            text("below average")
        )
    );

    assert_eq!(
        highlights(&report),
        [
            (
                NoteLevel::Warning,
                "Weakest indicator: upload-limit usage, 20.0%, far below the limit. Upload more: the limit is a resource you are leaving unused."
            ),
            (
                NoteLevel::Warning,
                "Share of the portfolio sold: 1.0% (1 of 100 works), below average."
            ),
            (
                NoteLevel::Info,
                "New works brought 100.0% of sales, just starting."
            ),
        ]
    );
    let info = note_texts(&report, NoteLevel::Info);
    assert!(
        info.contains(
            &"The limit of 500 files a month is scaled to the period's 1 month: 500 files."
        )
    );
    // March 5 to July 1 is 3 whole months (4 would reach back to March 1).
    assert!(info.contains(
        &"Only 3 months of earlier data: with 6 the split would be more reliable for works that sell rarely."
    ));
}

#[test]
fn all_sales_in_one_day_make_a_one_day_period() {
    // No dates selected: the period is the one day with sales, September 10.
    let facts = PortfolioFacts {
        portfolio_size: Some(200),
        ..limit(100, LimitPeriod::Week, 10)
    };
    let report = run(
        ask("en", None, facts),
        vec![(
            ADOBE,
            SELECTED,
            vec![
                sale("2025-09-10", "A", 3, 3_000_000, "USD"),
                sale("2025-09-10", "B", 1, 1_000_000, "USD"),
                sale("2025-09-10", "C", 1, 1_000_000, "USD"),
            ],
        )],
    );
    let rows = indicator_rows(&report);
    // 3 works of 200 = 1.5 % "below average"; 5 sales of 200 = 2.5 %, "good" on the old scale.
    assert_eq!(
        rows[3],
        (
            "Share of the portfolio sold".into(),
            Value::Percent(1.5),
            text("below average")
        )
    );
    assert_eq!(rows[4].1, Value::Percent(2.5));
    assert_eq!(rows[4].2, text("good"));
    // 100 a week over 1 day = 14.29, rounded to 14 files; 10 of 14 = 71.43 %, "good pace".
    let limit_row = rows.iter().find(|r| r.0 == "Upload limit for the period");
    assert_eq!(limit_row.map(|r| &r.1), Some(&Value::Integer(14)));
    close(
        percent(kpi(health(&report), "Upload-limit usage")),
        1000.0 / 14.0,
    );
    // Nothing before June 11 (3 months before September 11) and letters for ids: no new-work
    // share, and the note says how far back the data must go.
    assert!(note_texts(&report, NoteLevel::Info).contains(
        &"The share of sales from new works needs earlier months: add exports going back to 11 March 2025 (3 months before 11 June 2025), or one with numeric asset ids and sales before 11 June 2025."
    ));
    assert!(!kpi_labels(&report).contains(&"Share of sales from new works"));
}

#[test]
fn revenue_shares_of_new_work_stay_in_their_currencies() {
    // History from January 15 (before April 1): told by first sales. "2" first sold in
    // September, "1" in January.
    let report = run(
        ask("en", SEPTEMBER, PortfolioFacts::default()),
        vec![
            (
                ADOBE,
                HISTORY,
                vec![sale("2025-01-15", "1", 1, 1_000_000, "USD")],
            ),
            (
                ADOBE,
                SELECTED,
                vec![
                    sale("2025-09-02", "1", 2, 2_000_000, "USD"),
                    sale("2025-09-03", "2", 1, 1_000_000, "USD"),
                    sale("2025-09-04", "2", 1, 3_000_000, "EUR"),
                    sale("2025-09-05", "1", 1, 1_000_000, "EUR"),
                ],
            ),
        ],
    );
    let rows = indicator_rows(&report);
    let value = |name: &str| rows.iter().find(|r| r.0 == name).map(|r| r.1.clone());
    // New: 2 units of 5 = 40 %, "superb" (30–85 %).
    assert_eq!(value("Sales of new works"), Some(Value::Integer(2)));
    assert_eq!(
        value("Share of sales from new works"),
        Some(Value::Percent(40.0))
    );
    // USD: 1.00 of 3.00 = 33.3 %; EUR: 3.00 of 4.00 = 75 %. Never added together.
    let usd = value("Share of revenue from new works, USD").map(|v| percent(&v));
    close(usd.unwrap_or_default(), 100.0 / 3.0);
    assert_eq!(
        value("Share of revenue from new works, EUR"),
        Some(Value::Percent(75.0))
    );
    // The only banded indicator: its own highlight says it, no "weakest" line before it.
    assert_eq!(
        highlights(&report),
        [(NoteLevel::Good, "New works brought 40.0% of sales, superb.")]
    );
    // January 15 to July 1: 5 whole months.
    assert!(note_texts(&report, NoteLevel::Info).contains(
        &"New works are those first sold on or after 1 July 2025 (the last 3 months of the period). The data reaches 5 months further back, so older works would have sold before; an old work selling for the first time still counts as new."
    ));
}

#[test]
fn refunds_unsell_works_and_never_push_a_share_past_the_whole() {
    // "1" sold and refunded (net 0), "2" sold twice, "4" refunded (sold in January).
    let report = run(
        ask("en", SEPTEMBER, size(10)),
        vec![
            (
                ADOBE,
                HISTORY,
                vec![sale("2025-01-10", "4", 1, 2_000_000, "USD")],
            ),
            (
                ADOBE,
                SELECTED,
                vec![
                    sale("2025-09-02", "1", 1, 990_000, "USD"),
                    sale("2025-09-05", "1", -1, -990_000, "USD"),
                    sale("2025-09-03", "2", 2, 660_000, "USD"),
                    sale("2025-09-08", "4", -1, -2_000_000, "USD"),
                ],
            ),
        ],
    );
    let rows = indicator_rows(&report);
    let value = |name: &str| rows.iter().find(|r| r.0 == name).map(|r| r.1.clone());
    // Only "2" nets a sale: 1 work of 10 = 10 %. Units net 1 - 1 + 2 - 1 = 1.
    assert_eq!(value("Works sold"), Some(Value::Integer(1)));
    assert_eq!(value("Sales"), Some(Value::Integer(1)));
    assert_eq!(
        value("Share of the portfolio sold"),
        Some(Value::Percent(10.0))
    );
    // New works ("1", "2") net 2 units of a window netting 1: capped at 100 %. Revenue in the
    // window is 0.99 - 0.99 + 0.66 - 2.00 = -1.34 USD: no share of a negative whole.
    assert_eq!(
        value("Share of sales from new works"),
        Some(Value::Percent(100.0))
    );
    assert_eq!(value("Share of revenue from new works"), Some(Value::Empty));
}

#[test]
fn an_empty_selection_still_reads_the_facts() {
    // History only. September is 30 days: 100 a week is 428.57, rounded to 429 files.
    let facts = PortfolioFacts {
        portfolio_size: Some(100),
        acceptance_rate: Some(0.0),
        ..limit(100, LimitPeriod::Week, 0)
    };
    let report = run(
        ask("en", SEPTEMBER, facts),
        vec![(ADOBE, HISTORY, vec![sale("2025-03-01", "1", 1, 1, "USD")])],
    );
    let info = note_texts(&report, NoteLevel::Info);
    assert_eq!(
        info[0],
        "There are no sales in the selected period and content type."
    );
    let h = health(&report);
    // 0 works of 100: 0 %, "very low". 0 uploads: 0 % of the limit, never "not given".
    assert_eq!(kpi(h, "Share of the portfolio sold"), &Value::Percent(0.0));
    assert_eq!(kpi(h, "Upload-limit usage"), &Value::Percent(0.0));
    assert_eq!(
        kpi_note(&report, "Upload-limit usage"),
        Some("far below the limit")
    );
    assert_eq!(kpi_note(&report, "Acceptance rate"), Some("low"));
    let rows = indicator_rows(&report);
    assert!(rows.contains(&(
        "Upload limit for the period".into(),
        Value::Integer(429),
        Value::Empty
    )));
    // Nothing sold in the last 3 months is no news beside "no sales".
    assert!(
        !info
            .iter()
            .any(|n| n.contains("There are no sales (net of refunds)"))
    );
    assert_eq!(report.highlights[0].level, NoteLevel::Warning);
    assert!(
        report.highlights[0]
            .text
            .starts_with("Weakest indicator: share of the portfolio sold, 0.0%, very low.")
    );
}

#[test]
fn no_sales_and_no_facts_is_a_report_of_notes() {
    let report = run(ask("en", None, PortfolioFacts::default()), Vec::new());
    assert!(kpis(health(&report)).is_empty());
    assert_eq!(
        note_texts(&report, NoteLevel::Info)[..5],
        [
            "There are no sales in the selected period and content type.",
            "Give your portfolio size to see what share of it sells: add --portfolio-size N to the command, or answer the bot's question about the portfolio.",
            "Give your upload limit and the files you uploaded in the period to see how much of the limit you use: add --upload-limit N[/week] and --uploads N to the command, or answer the bot's questions.",
            "Give your acceptance rate to see how it compares: add --acceptance-rate P to the command, or answer the bot's question about accepted submissions.",
            "A value exactly on a threshold belongs to the range above it (1% is below average, 5% excellent, 97% at the limit), except for new works, where it belongs to the range below (10% is needs new work, 85% superb).",
        ]
    );
    assert!(report.highlights.is_empty());
    // The reference table is always there: 5 + 5 + 5 + 4 bands.
    assert_eq!(
        table(health(&report), "How to read the bands").rows.len(),
        19
    );
}

#[test]
fn a_missing_portfolio_size_leaves_its_indicator_out_with_a_note() {
    let report = run(
        ask("en", SEPTEMBER, PortfolioFacts::default()),
        vec![(ADOBE, SELECTED, vec![sale("2025-09-10", "1", 1, 1, "USD")])],
    );
    assert!(
        !kpi_labels(&report)
            .iter()
            .any(|l| l.starts_with("Share of the portfolio"))
    );
    assert!(note_texts(&report, NoteLevel::Info).contains(
        &"Give your portfolio size to see what share of it sells: add --portfolio-size N to the command, or answer the bot's question about the portfolio."
    ));
}

#[test]
fn a_portfolio_of_zero_with_sales_is_a_contradiction_not_a_division() {
    let report = run(
        ask("en", SEPTEMBER, size(0)),
        vec![(
            ADOBE,
            SELECTED,
            vec![
                sale("2025-09-10", "1", 1, 1, "USD"),
                sale("2025-09-11", "2", 1, 1, "USD"),
            ],
        )],
    );
    assert!(
        !kpi_labels(&report)
            .iter()
            .any(|l| l.starts_with("Share of the portfolio"))
    );
    assert_eq!(
        note_texts(&report, NoteLevel::Warning),
        [
            "The portfolio size is given as 0, yet 2 works sold in the period: check the number (it should count every file online); the share of the portfolio sold is left out."
        ]
    );
    assert_eq!(
        indicator_rows(&report)[0],
        ("Portfolio size".into(), Value::Integer(0), Value::Empty)
    );

    let nothing_sold = run(ask("en", SEPTEMBER, size(0)), Vec::new());
    assert!(note_texts(&nothing_sold, NoteLevel::Warning).is_empty());
    assert!(note_texts(&nothing_sold, NoteLevel::Info).contains(
        &"The portfolio size is given as 0 and nothing sold: there is no share to compute."
    ));
}

#[test]
fn more_works_sold_than_the_portfolio_holds_is_pointed_out() {
    let report = run(
        ask("en", SEPTEMBER, size(1)),
        vec![(
            ADOBE,
            SELECTED,
            vec![
                sale("2025-09-10", "1", 1, 1, "USD"),
                sale("2025-09-10", "2", 1, 1, "USD"),
            ],
        )],
    );
    // 2 works of 1 = 200 %, shown as it is, with a warning.
    assert_eq!(
        kpi(health(&report), "Share of the portfolio sold"),
        &Value::Percent(200.0)
    );
    assert_eq!(
        note_texts(&report, NoteLevel::Warning),
        [
            "2 works sold, more than the portfolio size of 1: check the size (it should count every file online)."
        ]
    );
}

#[test]
fn weekly_and_monthly_limits_scale_to_a_quarter() {
    // July to September 2025: 92 days = 13.14 weeks; 3 whole months.
    let weekly = run(
        ask("en", SUMMER, limit(100, LimitPeriod::Week, 657)),
        Vec::new(),
    );
    let rows = indicator_rows(&weekly);
    // 100 × 13.142857 = 1314.29, rounded to 1314; 657 of 1314 = 50 %, "below the limit".
    assert!(rows.contains(&(
        "Upload limit for the period".into(),
        Value::Integer(1314),
        Value::Empty
    )));
    assert_eq!(
        kpi(health(&weekly), "Upload-limit usage"),
        &Value::Percent(50.0)
    );
    assert_eq!(
        kpi_note(&weekly, "Upload-limit usage"),
        Some("below the limit")
    );
    assert!(note_texts(&weekly, NoteLevel::Info).contains(
        &"The limit of 100 files a week is scaled to the period's 13.1 weeks: 1,314 files."
    ));

    let monthly = run(
        ask("en", SUMMER, limit(500, LimitPeriod::Month, 1455)),
        Vec::new(),
    );
    // 500 × 3 = 1500; 1455 of 1500 = 97 %, on the threshold: "at the limit".
    assert_eq!(
        kpi(health(&monthly), "Upload-limit usage"),
        &Value::Percent(97.0)
    );
    assert_eq!(
        kpi_note(&monthly, "Upload-limit usage"),
        Some("at the limit")
    );
    // Nothing weak: no warning leads the chat summary.
    assert!(monthly.highlights.is_empty());
    let t = table(health(&monthly), "Indicators");
    assert_eq!(
        column(t, "What to do")[2],
        &text("At the limit: be selective and upload your strongest work.")
    );

    // January to March 2025: 90 days = 12.857 weeks, 100 × 12.857 = 1285.7, rounded to 1286.
    let winter = run(
        ask(
            "en",
            Some(("2025-01-01", "2025-03-31")),
            limit(100, LimitPeriod::Week, 0),
        ),
        Vec::new(),
    );
    assert!(indicator_rows(&winter).contains(&(
        "Upload limit for the period".into(),
        Value::Integer(1286),
        Value::Empty
    )));
}

#[test]
fn uploads_over_the_limit_and_a_zero_limit_are_warnings() {
    let over = run(
        ask("en", SEPTEMBER, limit(100, LimitPeriod::Month, 150)),
        Vec::new(),
    );
    assert_eq!(
        kpi(health(&over), "Upload-limit usage"),
        &Value::Percent(150.0)
    );
    assert_eq!(
        note_texts(&over, NoteLevel::Warning),
        ["150 uploads exceed the period's limit of 100: check both numbers."]
    );
    let zero = run(
        ask("en", SEPTEMBER, limit(0, LimitPeriod::Month, 5)),
        Vec::new(),
    );
    assert!(!kpi_labels(&zero).contains(&"Upload-limit usage"));
    assert_eq!(
        note_texts(&zero, NoteLevel::Warning),
        ["The upload limit is given as 0 files: there is no usage to compute."]
    );
    let only_uploads = run(
        ask(
            "en",
            SEPTEMBER,
            PortfolioFacts {
                uploads_in_period: Some(5),
                ..PortfolioFacts::default()
            },
        ),
        Vec::new(),
    );
    assert!(note_texts(&only_uploads, NoteLevel::Info).contains(
        &"Give your upload limit to see how much of it you use: add --upload-limit N (or N/week) to the command, or answer the bot's question about the limit."
    ));
}

#[test]
fn acceptance_of_zero_and_a_hundred_and_ai_work() {
    let rate = |r: f64, focus: Option<ContentFocus>| PortfolioFacts {
        acceptance_rate: Some(r),
        main_content: focus,
        ..PortfolioFacts::default()
    };
    let none = run(ask("en", SEPTEMBER, rate(0.0, None)), Vec::new());
    assert_eq!(kpi(health(&none), "Acceptance rate"), &Value::Percent(0.0));
    assert_eq!(kpi_note(&none, "Acceptance rate"), Some("low"));
    let all = run(ask("en", SEPTEMBER, rate(100.0, None)), Vec::new());
    assert_eq!(kpi_note(&all, "Acceptance rate"), Some("excellent"));
    assert!(all.highlights.is_empty());
    assert_eq!(
        column(table(health(&all), "Indicators"), "What to do"),
        [&text(
            "Excellent acceptance: your checks work, so you can submit more."
        )]
    );

    let ai = run(
        ask("en", SEPTEMBER, rate(45.0, Some(ContentFocus::Ai))),
        Vec::new(),
    );
    assert_eq!(
        highlights(&ai),
        [(
            NoteLevel::Warning,
            "Weakest indicator: acceptance rate, 45.0%, low. Many submissions are rejected: check every file at full size for AI artifacts (hands, faces, text) and fix keywords before submitting."
        )]
    );
    assert!(note_texts(&ai, NoteLevel::Info).contains(
        &"Your main content is AI-generated: marketplaces usually review it more strictly, so a lower acceptance rate than for photos is common."
    ));
}

#[test]
fn new_work_is_told_by_first_sales_when_the_history_reaches_back() {
    // Boundary July 1; history from February 10 reaches past April 1. "A" first sold in
    // February, "B" on June 30 (old), "C" on July 1 (new: on the boundary), "D" in September.
    let report = run(
        ask("en", SEPTEMBER, PortfolioFacts::default()),
        vec![
            (
                ADOBE,
                HISTORY,
                vec![
                    sale("2025-02-10", "A", 1, 1_000_000, "USD"),
                    sale("2025-06-30", "B", 1, 1_000_000, "USD"),
                    sale("2025-07-01", "C", 1, 1_000_000, "USD"),
                ],
            ),
            (
                ADOBE,
                SELECTED,
                vec![
                    sale("2025-09-01", "A", 2, 2_000_000, "USD"),
                    sale("2025-09-02", "B", 1, 1_000_000, "USD"),
                    sale("2025-09-03", "C", 1, 1_000_000, "USD"),
                    sale("2025-09-04", "D", 1, 1_000_000, "USD"),
                ],
            ),
        ],
    );
    let h = health(&report);
    // New: C + D = 2 of 5 units = 40 %; revenue 2.00 of 5.00 = 40 %.
    assert_eq!(
        kpi(h, "Share of sales from new works"),
        &Value::Percent(40.0)
    );
    let rows = indicator_rows(&report);
    assert!(rows.contains(&(
        "Share of revenue from new works".into(),
        Value::Percent(40.0),
        Value::Empty
    )));
    // February 10 to July 1: 4 whole months, fewer than 6.
    let info = note_texts(&report, NoteLevel::Info);
    assert!(
        info.iter()
            .any(|n| n.contains("The data reaches 4 months further back"))
    );
    assert!(
        info.iter()
            .any(|n| n.starts_with("Only 4 months of earlier data"))
    );
}

#[test]
fn new_work_is_estimated_from_ids_without_enough_history() {
    // History starts June 15, after April 1: first sales cannot tell. Ids sold before July 1:
    // 1000 and 1200, so above 1200 is new. "1100" (first sold in September) is old by its id,
    // "ABC" has no number and counts as old.
    let report = run(
        ask("en", SEPTEMBER, PortfolioFacts::default()),
        vec![
            (
                ADOBE,
                HISTORY,
                vec![
                    sale("2025-06-15", "1000", 1, 1_000_000, "USD"),
                    sale("2025-06-20", "1200", 1, 1_000_000, "USD"),
                ],
            ),
            (
                ADOBE,
                SELECTED,
                vec![
                    sale("2025-09-01", "1100", 1, 1_000_000, "USD"),
                    sale("2025-09-02", "1300", 2, 2_000_000, "USD"),
                    sale("2025-09-03", "ABC", 1, 1_000_000, "USD"),
                    sale("2025-09-04", "1000", 1, 1_000_000, "USD"),
                ],
            ),
        ],
    );
    // New: "1300", 2 of 5 units = 40 %.
    assert_eq!(
        kpi(health(&report), "Share of sales from new works"),
        &Value::Percent(40.0)
    );
    assert!(note_texts(&report, NoteLevel::Info).contains(
        &"Estimated from asset ids, as the data does not reach 3 months before 1 July 2025: a marketplace numbers works in upload order, so works with an id above the highest one sold before 1 July 2025 (1200) count as new. This is an estimate."
    ));
}

#[test]
fn each_source_is_told_its_own_way_and_one_without_a_way_is_left_out() {
    let report = run(
        ask("en", SEPTEMBER, PortfolioFacts::default()),
        vec![
            (
                ADOBE,
                HISTORY,
                vec![sale("2025-06-15", "1200", 1, 1, "USD")],
            ),
            (
                ADOBE,
                SELECTED,
                vec![
                    sale("2025-09-01", "1100", 1, 1, "USD"),
                    sale("2025-09-02", "1300", 1, 1, "USD"),
                ],
            ),
            // Only recent sales and letters for ids: no way to tell.
            (
                "shutterstock",
                SELECTED,
                vec![sale("2025-09-03", "X", 5, 1, "USD")],
            ),
        ],
    );
    // Adobe only: "1300" new, 1 of 2 units = 50 %.
    assert_eq!(
        kpi(health(&report), "Share of sales from new works"),
        &Value::Percent(50.0)
    );
    let info = note_texts(&report, NoteLevel::Info);
    assert!(info.iter().any(|n| n.contains("(1200 on adobe-stock)")));
    assert!(info.contains(
        &"Sales on Shutterstock are left out of the new-work shares: there is no earlier data for them."
    ));
}

#[test]
fn new_work_without_history_or_numeric_ids_is_left_out_with_a_note() {
    let report = run(
        ask("en", SEPTEMBER, PortfolioFacts::default()),
        vec![(
            ADOBE,
            SELECTED,
            vec![
                sale("2025-09-01", "100", 1, 1, "USD"),
                sale("2025-09-20", "200", 1, 1, "USD"),
            ],
        )],
    );
    assert!(!kpi_labels(&report).contains(&"Share of sales from new works"));
    assert!(report.highlights.is_empty());
    assert!(note_texts(&report, NoteLevel::Info).contains(
        &"The share of sales from new works needs earlier months: add exports going back to 1 April 2025 (3 months before 1 July 2025), or one with numeric asset ids and sales before 1 July 2025."
    ));
}

#[test]
fn a_period_longer_than_a_month_is_banded_per_average_month() {
    // June to September: June "1", "2"; July "1"; August nothing; September "1", "2", "3".
    let report = run(
        ask("en", Some(("2025-06-01", "2025-09-30")), size(100)),
        vec![(
            ADOBE,
            SELECTED,
            vec![
                sale("2025-06-03", "1", 1, 1, "USD"),
                sale("2025-06-04", "2", 1, 1, "USD"),
                sale("2025-07-05", "1", 1, 1, "USD"),
                sale("2025-09-06", "1", 1, 1, "USD"),
                sale("2025-09-07", "2", 1, 1, "USD"),
                sale("2025-09-08", "3", 1, 1, "USD"),
            ],
        )],
    );
    let rows = indicator_rows(&report);
    let row = |name: &str| rows.iter().find(|r| r.0 == name).cloned();
    // Over the period: 3 works of 100 = 3 %, 6 sales = 6 %, unbanded.
    assert_eq!(
        row("Share of the portfolio sold"),
        Some((
            "Share of the portfolio sold".into(),
            Value::Percent(3.0),
            Value::Empty
        ))
    );
    // Per month: (2 + 1 + 0 + 3) / 4 months = 1.5 works = 1.5 %, "below average"; sales
    // 6 / 4 = 1.5 %.
    assert_eq!(
        row("Share of the portfolio sold, monthly average").map(|r| (r.1, r.2)),
        Some((Value::Percent(1.5), text("below average")))
    );
    assert_eq!(
        row("Sales ÷ portfolio size, monthly average (old bot's measure)").map(|r| r.1),
        Some(Value::Percent(1.5))
    );
    assert_eq!(
        kpi_note(&report, "Share of the portfolio sold, monthly average"),
        Some("below average")
    );
    assert_eq!(
        highlights(&report),
        [
            (
                NoteLevel::Warning,
                "Weakest indicator: share of the portfolio sold, monthly average, 1.5%, below average. Refresh titles and keywords of works that have not sold and add more work on the themes that already sell."
            ),
            (
                NoteLevel::Good,
                "New works brought 25.0% of sales, excellent."
            ),
        ]
    );
    let info = note_texts(&report, NoteLevel::Info);
    assert!(
        info.iter()
            .any(|n| n.starts_with("The bands are for one month, and the period has 4 months"))
    );
    // New work by ids: "1" and "2" sold before July 1, so "3" is new: 1 of the 4 units since
    // July 1 (July "1", September "1", "2", "3") = 25 %, "excellent".
    assert_eq!(
        kpi(health(&report), "Share of sales from new works"),
        &Value::Percent(25.0)
    );
    assert!(info.contains(
        &"The new-work shares are of the sales since 1 July 2025, the last 3 months of the period."
    ));
}

/// The share of the portfolio sold for `works` distinct works sold in September of `size`.
fn share_band(works: u32, size: u32) -> Option<String> {
    let sales = (0..works)
        .map(|i| sale("2025-09-10", &format!("W{i}"), 1, 1, "USD"))
        .collect();
    let report = run(
        ask("en", SEPTEMBER, self::size(size)),
        vec![(ADOBE, SELECTED, sales)],
    );
    kpi_note(&report, "Share of the portfolio sold").map(str::to_owned)
}

#[test]
fn a_value_on_a_threshold_opens_the_band_above() {
    // 1 of 101 = 0.99 %, 1 of 100 = 1 %, 2 = 2 %, 3 = 3 %, 5 = 5 %.
    let bands: Vec<Option<String>> = [(1, 101), (1, 100), (2, 100), (3, 100), (5, 100)]
        .iter()
        .map(|&(works, size)| share_band(works, size))
        .collect();
    let expected = [
        "very low",
        "below average",
        "good",
        "very good",
        "excellent",
    ];
    assert_eq!(bands, expected.map(|b| Some(b.to_owned())));

    let usage = |uploads| {
        let report = run(
            ask("en", SEPTEMBER, limit(100, LimitPeriod::Month, uploads)),
            Vec::new(),
        );
        kpi_note(&report, "Upload-limit usage").map(str::to_owned)
    };
    let bands: Vec<Option<String>> = [29, 30, 60, 61, 80, 81, 96, 97].map(usage).to_vec();
    let expected = [
        "far below the limit",
        "below the limit",
        "below the limit",
        "good pace",
        "good pace",
        "close to the limit",
        "close to the limit",
        "at the limit",
    ];
    assert_eq!(bands, expected.map(|b| Some(b.to_owned())));

    let acceptance = |rate| {
        let facts = PortfolioFacts {
            acceptance_rate: Some(rate),
            ..PortfolioFacts::default()
        };
        let report = run(ask("en", SEPTEMBER, facts), Vec::new());
        kpi_note(&report, "Acceptance rate").map(str::to_owned)
    };
    let bands: Vec<Option<String>> = [49.9, 50.0, 70.0, 85.0].map(acceptance).to_vec();
    assert_eq!(
        bands,
        ["low", "fair", "good", "excellent"].map(|b| Some(b.to_owned()))
    );
}

/// The new-work band when `new` of `total` September sales are from works first sold then,
/// with history from January.
fn new_work_band(new: usize, total: usize) -> Option<String> {
    let history = vec![sale("2025-01-05", "old", 1, 1, "USD")];
    let sales = (0..total)
        .map(|i| {
            let asset = if i < new {
                format!("new{i}")
            } else {
                "old".to_owned()
            };
            sale("2025-09-10", &asset, 1, 1, "USD")
        })
        .collect();
    let report = run(
        ask("en", SEPTEMBER, PortfolioFacts::default()),
        vec![(ADOBE, HISTORY, history), (ADOBE, SELECTED, sales)],
    );
    kpi_note(&report, "Share of sales from new works").map(str::to_owned)
}

#[test]
fn a_new_work_share_on_a_threshold_stays_in_the_band_below() {
    // 1 of 10 = 10 %, 2 of 10 = 20 %, 3 of 10 = 30 %, 17 of 20 = 85 %, 18 of 20 = 90 %.
    let bands: Vec<Option<String>> = [(1, 10), (2, 10), (3, 10), (17, 20), (18, 20)]
        .iter()
        .map(|&(new, total)| new_work_band(new, total))
        .collect();
    let expected = [
        "needs new work",
        "good",
        "excellent",
        "superb",
        "just starting",
    ];
    assert_eq!(bands, expected.map(|b| Some(b.to_owned())));
}

#[test]
fn the_bands_table_shows_each_range_with_typed_limits() {
    let report = run(ask("en", SEPTEMBER, PortfolioFacts::default()), Vec::new());
    let t = table(health(&report), "How to read the bands");
    assert_eq!(t.columns, ["Indicator", "From", "To", "Band", "What to do"]);
    assert_eq!(
        t.rows[0][..4],
        [
            text("Share of the portfolio sold"),
            Value::Empty,
            Value::Percent(1.0),
            text("very low")
        ]
    );
    assert_eq!(
        t.rows[4][1..4],
        [Value::Percent(5.0), Value::Empty, text("excellent")]
    );
    assert_eq!(
        t.rows[9][..4],
        [
            text("Share of sales from new works"),
            Value::Percent(85.0),
            Value::Empty,
            text("just starting")
        ]
    );
}

#[test]
fn far_apart_dates_and_huge_numbers_do_not_break_the_report() {
    let facts = PortfolioFacts {
        portfolio_size: Some(u32::MAX),
        upload_limit: Some(UploadLimit {
            count: u32::MAX,
            per: LimitPeriod::Week,
        }),
        uploads_in_period: Some(u32::MAX),
        acceptance_rate: Some(f64::NAN),
        main_content: None,
    };
    let report = run(
        ask("en", None, facts),
        vec![
            (
                ADOBE,
                HISTORY,
                vec![sale("1970-01-01", "1", i32::MAX, i64::MAX, "USD")],
            ),
            (
                ADOBE,
                SELECTED,
                vec![
                    sale(
                        "1971-01-01",
                        "18446744073709551615",
                        i32::MAX,
                        i64::MAX,
                        "USD",
                    ),
                    sale("2099-12-31", "2", i32::MAX, i64::MAX, "USD"),
                    sale("2099-12-31", "2", i32::MIN, i64::MIN, "USD"),
                ],
            ),
        ],
    );
    // A rate that is not a number counts as not given.
    assert!(
        note_texts(&report, NoteLevel::Info)
            .iter()
            .any(|n| n.starts_with("Give your acceptance rate"))
    );
    assert!(kpi_labels(&report).contains(&"Upload-limit usage"));
}

/// Everything that is allowed to stay in Latin letters in a Russian report: the command-line
/// flags it tells the contributor to type, and currency codes.
const LATIN_ALLOWED: [&str; 8] = [
    "--portfolio-size N",
    "--upload-limit N[/week]",
    "--upload-limit N",
    "N/week",
    "--uploads N",
    "--acceptance-rate P",
    "USD",
    "EUR",
];

fn without_allowed_latin(text: &str) -> String {
    LATIN_ALLOWED
        .iter()
        .fold(text.to_owned(), |text, allowed| text.replace(allowed, ""))
}

#[test]
fn writes_russian_when_asked() {
    let report = run(
        ask("ru", SEPTEMBER, every_fact()),
        vec![
            (
                ADOBE,
                HISTORY,
                vec![sale("2025-03-05", "100", 1, 330_000, "USD")],
            ),
            (
                ADOBE,
                SELECTED,
                vec![sale("2025-09-10", "500", 1, 990_000, "USD")],
            ),
        ],
    );
    let h = health(&report);
    assert_eq!(h.title, "Здоровье портфеля");
    assert_eq!(kpi(h, "Доля проданного портфеля"), &Value::Percent(1.0));
    assert_eq!(
        kpi_note(&report, "Доля проданного портфеля"),
        Some("ниже среднего")
    );
    assert_eq!(
        kpi_note(&report, "Использование лимита загрузок"),
        Some("намного ниже лимита")
    );
    assert_eq!(
        highlights(&report),
        [
            (
                NoteLevel::Warning,
                "Самый слабый показатель — использование лимита загрузок: 20,0\u{a0}%, намного ниже лимита. Загружайте больше: лимит — это ресурс, который сейчас простаивает."
            ),
            (
                NoteLevel::Warning,
                "Доля проданного портфеля — 1,0\u{a0}% (1 из 100 работ): ниже среднего."
            ),
            (
                NoteLevel::Info,
                "Новые работы дали 100,0\u{a0}% продаж: портфель только начат."
            ),
        ]
    );
    let info = note_texts(&report, NoteLevel::Info);
    assert!(info.contains(&"Лимит 500 файлов в месяц пересчитан на период (1 месяц): 500 файлов."));
    assert!(info.contains(
        &"Новыми считаются работы, впервые проданные 1 июля 2025 или позже (последние 3 месяца периода). Данные уходят ещё на 3 месяца назад, так что старые работы успели бы продаться раньше; старая работа, впервые проданная только сейчас, всё же считается новой."
    ));
    let rest = without_allowed_latin(&all_text(&report));
    assert!(
        !rest.chars().any(|c| c.is_ascii_alphabetic()),
        "Latin letters left in:\n{rest}"
    );
}

#[test]
fn missing_facts_are_asked_for_in_russian() {
    let report = run(ask("ru", None, PortfolioFacts::default()), Vec::new());
    assert_eq!(
        note_texts(&report, NoteLevel::Info)[..4],
        [
            "В выбранном периоде и типе контента продаж нет.",
            "Укажите размер портфеля, чтобы увидеть, какая его доля продаётся: добавьте к команде --portfolio-size N или ответьте на вопрос бота о портфеле.",
            "Укажите лимит загрузок и сколько файлов вы загрузили за период, чтобы увидеть, насколько вы используете лимит: добавьте к команде --upload-limit N[/week] и --uploads N или ответьте на вопросы бота.",
            "Укажите долю одобренных работ, чтобы получить её оценку: добавьте к команде --acceptance-rate P или ответьте на вопрос бота об одобренных работах.",
        ]
    );
    let rest = without_allowed_latin(&all_text(&report));
    assert!(
        !rest.chars().any(|c| c.is_ascii_alphabetic()),
        "Latin letters left in:\n{rest}"
    );
}

#[test]
fn every_russian_text_is_russian_whatever_the_facts() {
    // Every warning and note a report can carry, in one Russian report each.
    let reports = [
        run(
            ask(
                "ru",
                Some(("2025-06-01", "2025-09-30")),
                PortfolioFacts {
                    portfolio_size: Some(1),
                    acceptance_rate: Some(40.0),
                    main_content: Some(ContentFocus::Ai),
                    ..limit(10, LimitPeriod::Week, 500)
                },
            ),
            vec![(
                ADOBE,
                SELECTED,
                vec![
                    sale("2025-06-03", "1", 1, 1, "USD"),
                    sale("2025-09-07", "2", 1, 1, "EUR"),
                    sale("2025-09-08", "3", 1, 1, "USD"),
                ],
            )],
        ),
        run(
            ask(
                "ru",
                SEPTEMBER,
                PortfolioFacts {
                    portfolio_size: Some(0),
                    ..limit(0, LimitPeriod::Month, 3)
                },
            ),
            vec![(ADOBE, SELECTED, vec![sale("2025-09-03", "X", 5, 1, "USD")])],
        ),
        run(ask("ru", SEPTEMBER, size(0)), Vec::new()),
    ];
    for report in &reports {
        let rest = without_allowed_latin(&all_text(report));
        assert!(
            !rest.chars().any(|c| c.is_ascii_alphabetic()),
            "Latin letters left in:\n{rest}"
        );
    }
    let warnings: Vec<&str> = reports
        .iter()
        .flat_map(|r| note_texts(r, NoteLevel::Warning))
        .collect();
    assert_eq!(
        warnings,
        [
            "Продажи есть у 3 работ — больше, чем размер портфеля (1): проверьте размер (он должен учитывать все файлы онлайн).",
            "Загрузок (500) больше, чем позволяет лимит на период (174): проверьте оба числа.",
            "Размер портфеля указан как 0, но в периоде есть продажи 1 работы: проверьте число (оно должно учитывать все файлы онлайн); доля проданного портфеля не считается.",
            "Лимит загрузок указан как 0 файлов: использование посчитать нельзя.",
        ]
    );
}

#[test]
fn notes_are_never_empty() {
    let report = run(ask("en", SEPTEMBER, every_fact()), Vec::new());
    let all: Vec<&Note> = notes(health(&report));
    assert!(all.iter().all(|n| !n.text.trim().is_empty()));
}

#[test]
fn a_healthy_monthly_share_is_good_news_of_its_own() {
    // July to September, the same 3 works sold every month: 9 work-months / 3 months = 3 works
    // a month of 100 = 3 %, "very good", though only 3 distinct works sold over the quarter.
    let sales = ["2025-07-10", "2025-08-10", "2025-09-10"]
        .iter()
        .flat_map(|date| ["1", "2", "3"].map(|id| sale(date, id, 1, 1, "USD")))
        .collect();
    let report = run(ask("en", SUMMER, size(100)), vec![(ADOBE, SELECTED, sales)]);
    assert_eq!(
        highlights(&report),
        [(
            NoteLevel::Good,
            "Share of the portfolio sold: 3.0% a month on average, very good."
        )]
    );
}
