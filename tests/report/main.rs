//! The HTML report in a real browser: a rich report, in English and Russian, laid out by
//! headless Chromium on a 390 px phone and a 1280 px desktop, in light and dark mode, must not
//! overflow the screen anywhere, must not cut off chart text, and must run no script.
//!
//! Screenshots land in `target/report-screenshots/` for a human to look at; the assertions are
//! about geometry only. The suite fails, never skips, when Chromium is missing.

mod browser;
mod fixture;

use std::path::PathBuf;

use browser::{Chromium, Scheme, View};
use stocklens::report::model::Lang;
use stocklens::report::render_html;

const PHONE: u32 = 390;
const DESKTOP: u32 = 1280;

/// `target/report-screenshots`, beside the workspace's other build output.
fn screenshot_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().map_or_else(
        || tmp.join("report-screenshots"),
        |target| target.join("report-screenshots"),
    );
    std::fs::create_dir_all(&dir).expect("creating the screenshot directory");
    dir
}

fn render(lang: Lang) -> String {
    let html = render_html(&fixture::rich_document(lang)).expect("the rich report renders");
    // Keep the page itself beside its screenshots, to open by hand.
    let path = screenshot_dir().join(format!("{}.html", lang.tag()));
    std::fs::write(&path, &html).expect("saving the rendered report");
    html
}

/// Lays the report out in `lang` at `width` in `scheme`, saves screenshots and asserts that
/// nothing sticks out.
fn assert_report_fits(lang: Lang, width: u32, scheme: Scheme) {
    assert_html_fits(&render(lang), lang.tag(), width, scheme, 5);
}

/// The same checks for any rendered report, saved under `name`.
fn assert_html_fits(html: &str, name: &str, width: u32, scheme: Scheme, charts: u32) {
    let chromium = Chromium::find();
    let work = tempfile::tempdir().expect("a work directory");
    let view = View { width, scheme };
    let layout = chromium.measure(html, view, work.path());
    let at = format!("{name} at {}", view.name());

    let stem = format!("{name}-{}", view.name());
    let height = layout.height.ceil() as u32;
    let shots = chromium.screenshot(html, view, height, &screenshot_dir(), &stem, work.path());
    eprintln!("{at}: {layout:?}\nscreenshots: {shots:?}");

    assert_eq!(
        layout.inner_width,
        f64::from(width),
        "{at}: the emulated viewport is not {width}px wide"
    );
    if width == PHONE {
        assert_eq!(
            layout.client_width,
            f64::from(width),
            "{at}: a phone has no scrollbar gutter"
        );
    }
    assert!(
        layout.scroll_width <= layout.client_width,
        "{at}: the page scrolls sideways: {} > {} (widest element {})",
        layout.scroll_width,
        layout.client_width,
        layout.widest
    );
    assert!(
        layout.max_right <= layout.client_width + 0.5,
        "{at}: {} reaches {}px",
        layout.widest,
        layout.max_right
    );
    assert!(
        layout.outside.is_empty(),
        "{at}: outside the viewport: {:#?}",
        layout.outside
    );
    assert!(
        layout.wider.is_empty(),
        "{at}: content sticking out of its box: {:#?}",
        layout.wider
    );
    assert!(
        layout.clipped_svg_text.is_empty(),
        "{at}: chart text cut off: {:#?}",
        layout.clipped_svg_text
    );
    assert_eq!(
        layout.visible_charts, charts,
        "{at}: one picture per chart with data"
    );

    let luminance = layout
        .background_luminance()
        .unwrap_or_else(|| panic!("{at}: unexpected background {}", layout.background));
    match scheme {
        Scheme::Light => {
            assert!(!layout.dark, "{at}: the browser asked for dark mode");
            assert!(
                luminance > 0.8,
                "{at}: light page is dark ({})",
                layout.background
            );
        }
        Scheme::Dark => {
            assert!(layout.dark, "{at}: the browser did not ask for dark mode");
            assert!(
                luminance < 0.2,
                "{at}: dark page is light ({})",
                layout.background
            );
        }
    }
}

#[test]
fn english_report_fits_a_390px_phone_in_light_mode() {
    assert_report_fits(Lang::En, PHONE, Scheme::Light);
}

#[test]
fn english_report_fits_a_390px_phone_in_dark_mode() {
    assert_report_fits(Lang::En, PHONE, Scheme::Dark);
}

#[test]
fn english_report_fits_a_1280px_desktop_in_light_mode() {
    assert_report_fits(Lang::En, DESKTOP, Scheme::Light);
}

#[test]
fn english_report_fits_a_1280px_desktop_in_dark_mode() {
    assert_report_fits(Lang::En, DESKTOP, Scheme::Dark);
}

#[test]
fn russian_report_fits_a_390px_phone_in_light_mode() {
    assert_report_fits(Lang::Ru, PHONE, Scheme::Light);
}

#[test]
fn russian_report_fits_a_390px_phone_in_dark_mode() {
    assert_report_fits(Lang::Ru, PHONE, Scheme::Dark);
}

#[test]
fn russian_report_fits_a_1280px_desktop_in_light_mode() {
    assert_report_fits(Lang::Ru, DESKTOP, Scheme::Light);
}

#[test]
fn russian_report_fits_a_1280px_desktop_in_dark_mode() {
    assert_report_fits(Lang::Ru, DESKTOP, Scheme::Dark);
}

#[test]
fn report_content_security_policy_stops_an_injected_script() {
    let chromium = Chromium::find();
    let work = tempfile::tempdir().expect("a work directory");
    let html = render(Lang::En);
    let script =
        "<script>parent.document.getElementById('result').textContent = 'script ran';</script>";
    assert_eq!(
        chromium.run_appended_script(&html, script, work.path()),
        None,
        "a script appended to the report ran despite its CSP"
    );
    // The same script does run once the CSP allows it, so the check above is not vacuous.
    let allowed = html.replacen(
        browser::REPORT_CSP,
        &format!("{}; script-src 'unsafe-inline'", browser::REPORT_CSP),
        1,
    );
    assert_eq!(
        chromium
            .run_appended_script(&allowed, script, work.path())
            .as_deref(),
        Some("script ran")
    );
}

#[test]
fn hostile_plugin_text_is_escaped_in_the_rich_report() {
    let html = render(Lang::Ru);
    assert!(!html.to_lowercase().contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains(fixture::EVIL_TITLE));
}

/// The report `stocklens analyze` makes of the bundled example, through the real built-in
/// plugins, in both languages.
fn example_report(lang: Lang) -> (String, u32) {
    use stocklens::pipeline::{self, Input, Job, Selection, Source};
    use stocklens::plugin::analyzer_types::PortfolioFacts;
    use stocklens::plugin::types::Date;
    use stocklens::plugin::{Registry, Runtime, RuntimeConfig};

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/adobe-stock/activity-2025-q3.csv");
    let runtime = Runtime::new(RuntimeConfig::default()).expect("the plugin runtime starts");
    let registry = Registry::builtin(&runtime).expect("the built-in plugins load");
    let job = Job {
        inputs: vec![Input {
            name: "activity-2025-q3.csv".into(),
            display: path.display().to_string(),
            source: Source::Path(path),
        }],
        marketplace: None,
        selection: Selection::default(),
        lang,
        facts: PortfolioFacts {
            portfolio_size: None,
            upload_limit: None,
            uploads_in_period: None,
            acceptance_rate: None,
            main_content: None,
        },
        analyzers: None,
        today: Date {
            year: 2025,
            month: 10,
            day: 1,
        },
        max_skipped_percent: 20,
        history: Default::default(),
    };
    let outcome = pipeline::analyze(&runtime, &registry, &job).expect("the example analyzes");
    let html = render_html(&outcome.document).expect("the example report renders");
    let path = screenshot_dir().join(format!("example-{}.html", lang.tag()));
    std::fs::write(&path, &html).expect("saving the rendered report");
    (html, charts_with_data(&outcome.document))
}

/// The charts of a report that have something to draw: each must be one visible picture.
fn charts_with_data(document: &stocklens::report::model::ReportDocument) -> u32 {
    use stocklens::report::model::Block;
    document
        .analyses
        .iter()
        .flat_map(|a| &a.sections)
        .flat_map(|s| &s.blocks)
        .filter(|b| matches!(b, Block::Chart(c) if !c.labels.is_empty() && !c.series.is_empty()))
        .count() as u32
}

#[test]
fn the_bundled_example_report_fits_a_phone_and_a_desktop() {
    for lang in [Lang::En, Lang::Ru] {
        let (html, charts) = example_report(lang);
        // Overview (top assets, media, licenses) and trends (months, weeks, weekdays) at least.
        assert!(charts >= 8, "{charts} charts");
        let name = format!("example-{}", lang.tag());
        assert_html_fits(&html, &name, PHONE, Scheme::Light, charts);
        assert_html_fits(&html, &name, DESKTOP, Scheme::Dark, charts);
    }
}

/// The full report of the bundled example portfolio (every generator, two marketplaces, every
/// portfolio fact) through the real built-in plugins; and how many charts it has to draw.
fn portfolio_report(lang: Lang) -> (String, u32) {
    use stocklens::pipeline::{self, Input, Job, Period, Selection, Source};
    use stocklens::plugin::analyzer_types::{LimitPeriod, PortfolioFacts, UploadLimit};
    use stocklens::plugin::types::Date;
    use stocklens::plugin::{Registry, Runtime, RuntimeConfig};

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/portfolio");
    let inputs = [
        "adobe-stock-activity-2024-10-to-2025-12.csv",
        "assets_report_10_2025.csv",
        "assets_report_11_2025.csv",
        "assets_report_12_2025.csv",
    ]
    .into_iter()
    .map(|name| Input {
        name: name.into(),
        display: name.into(),
        source: Source::Path(dir.join(name)),
    })
    .collect();
    let runtime = Runtime::new(RuntimeConfig::default()).expect("the plugin runtime starts");
    let registry = Registry::builtin(&runtime).expect("the built-in plugins load");
    let job = Job {
        inputs,
        marketplace: None,
        selection: Selection {
            period: "2025-10..2025-12".parse::<Period>().expect("a period"),
            ..Selection::default()
        },
        lang,
        facts: PortfolioFacts {
            portfolio_size: Some(420),
            upload_limit: Some(UploadLimit {
                count: 25,
                per: LimitPeriod::Week,
            }),
            uploads_in_period: Some(180),
            acceptance_rate: Some(72.0),
            main_content: None,
        },
        analyzers: None,
        today: Date {
            year: 2026,
            month: 1,
            day: 5,
        },
        max_skipped_percent: 20,
        history: Default::default(),
    };
    let outcome = pipeline::analyze(&runtime, &registry, &job).expect("the portfolio analyzes");
    let html = render_html(&outcome.document).expect("the portfolio report renders");
    let path = screenshot_dir().join(format!("portfolio-{}.html", lang.tag()));
    std::fs::write(&path, &html).expect("saving the rendered report");
    (html, charts_with_data(&outcome.document))
}

#[test]
fn the_full_portfolio_report_fits_phones_and_desktops_in_both_schemes() {
    for lang in [Lang::En, Lang::Ru] {
        let (html, charts) = portfolio_report(lang);
        assert!(charts >= 10, "every generator draws: {charts} charts");
        let name = format!("portfolio-{}", lang.tag());
        for width in [PHONE, DESKTOP] {
            for scheme in [Scheme::Light, Scheme::Dark] {
                assert_html_fits(&html, &name, width, scheme, charts);
            }
        }
    }
}
