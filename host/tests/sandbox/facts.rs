//! Portfolio facts given as an analysis request's answers reach the report generators: the
//! request is read back from its JSON and run as a worker runs it, through the built-in plugins.

use std::sync::Arc;

use stocklens::jobs::AnalysisRequest;
use stocklens::pipeline::{self, Input, Source};
use stocklens::plugin::Registry;
use stocklens::plugin::types::Date;
use stocklens::report::model::{Block, ReportDocument};

use super::{EXAMPLE, repo, runtime};

/// The note under the overview's "Assets sold" card, if any.
fn assets_sold_note(document: &ReportDocument) -> Option<String> {
    document
        .analyses
        .iter()
        .flat_map(|analysis| &analysis.sections)
        .filter(|section| section.id == "overview")
        .flat_map(|section| &section.blocks)
        .find_map(|block| match block {
            Block::Kpis(kpis) => kpis
                .iter()
                .find(|kpi| kpi.label == "Assets sold")
                .and_then(|kpi| kpi.note.clone()),
            _ => None,
        })
}

fn report_of(answers: &str) -> (pipeline::Outcome, String) {
    let request: AnalysisRequest = serde_json::from_str(answers).expect("the answers read");
    let runtime = runtime(None);
    let registry = Registry::builtin(&runtime).expect("built-ins load");
    let bytes = std::fs::read(repo().join(EXAMPLE)).expect("example exists");
    let inputs = vec![Input {
        name: "activity.csv".into(),
        display: "activity.csv".into(),
        source: Source::Bytes(Arc::from(bytes)),
    }];
    let today = Date {
        year: 2026,
        month: 1,
        day: 1,
    };
    let job = request.job(inputs, today).expect("the answers are valid");
    let outcome = pipeline::analyze(&runtime, &registry, &job).expect("the example analyzes");
    let html = stocklens::report::render_html(&outcome.document).expect("the report renders");
    (outcome, html)
}

#[test]
fn the_portfolio_size_answer_reaches_the_overview() {
    // 8 assets of the example sold, out of 80 online.
    let answers = r#"{"period":"all","content_type":"ai","lang":"en","portfolio_size":80,
        "upload_limit":{"count":100,"per":"week"},"uploads_in_period":40,"acceptance_rate":65.0}"#;
    let (outcome, html) = report_of(answers);
    assert_eq!(
        assets_sold_note(&outcome.document).as_deref(),
        Some("10.0% of the portfolio")
    );
    assert!(html.contains("10.0% of the portfolio"));
    // "ai" filters nothing: every sale of the example is in the report.
    assert_eq!(outcome.summary.sales, 40);
}

#[test]
fn answers_without_facts_make_the_report_they_always_made() {
    let (outcome, html) = report_of(r#"{"period":"all","content_type":"all","lang":"en"}"#);
    assert_eq!(assets_sold_note(&outcome.document), None);
    // No share of the portfolio anywhere; portfolio health says how to give the size instead.
    assert!(!html.contains("% of the portfolio"));
    assert!(html.contains("--portfolio-size"));
    assert_eq!(outcome.summary.sales, 40);
}
