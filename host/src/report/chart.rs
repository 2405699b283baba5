//! Small hand-written inline SVG charts: columns, horizontal bars and lines.
//!
//! Each chart is drawn twice, for a narrow and a wide layout, because SVG text scales with the
//! picture: one drawing cannot keep its labels readable both on a 390 px phone and on a desktop.
//! The page shows one of the two by a CSS media query. Every plugin-provided string is escaped
//! here, since this markup reaches the page as already-safe HTML. Geometry uses estimated text
//! widths (no font metrics exist without a browser), with margins that leave room for error.
//! This module draws; it does not decide what is worth charting, and it never fails on odd data:
//! missing or non-finite values are simply not drawn.

use std::fmt::{self, Write};

use super::escape::escape_html;
use super::locale::{self, AxisUnit};
use super::model::{Chart, ChartKind, ChartUnit, Lang};

/// Series colours are CSS classes `s0`..`s5` defined in the page's stylesheet, so light and
/// dark mode can each pick readable colours; further series reuse them in turn.
pub(super) const SERIES_COLOURS: usize = 6;

/// Above this many points a line chart drops its point markers: they would merge into a blur
/// and each one costs a few hundred bytes.
const MAX_LINE_MARKERS: usize = 60;

/// Estimated advance of one character as a share of the font size, a little above what system
/// sans fonts measure, so estimated labels never run past their room. Capitals and Cyrillic
/// letters run wider than Latin lower case (a Russian media-type label was clipped when every
/// character was counted alike); CJK and emoji are full width.
fn char_em(c: char) -> f64 {
    match c {
        ' ' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' | 'i' | 'j' | 'l' | 'I' => 0.34,
        'a'..='z' | '0'..='9' => 0.62,
        'A'..='Z' => 0.74,
        '\u{0400}'..='\u{04FF}' if c.is_uppercase() => 0.80,
        '\u{0400}'..='\u{04FF}' => 0.70,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{1F300}'..='\u{1FAFF}' => 1.0,
        _ => 0.70,
    }
}

/// Some glyphs ("J" in DejaVu Sans) reach past their origin: text keeps this far from the
/// picture's edges so it is never clipped.
const EDGE: f64 = 2.0;

/// Mark to cut a label that does not fit.
const ELLIPSIS: char = '…';

/// The drawing size for one of the two layouts, in SVG user units.
#[derive(Debug)]
pub(super) struct Layout {
    /// CSS class on the `<svg>`, which the stylesheet uses to show one layout per screen size.
    pub class: &'static str,
    pub width: f64,
    /// Plot height of column and line charts; bar charts grow with their categories.
    pub height: f64,
    pub font: f64,
    /// Bar charts put each label on its own line above the bar (narrow screens) instead of
    /// in a column at the left.
    pub labels_above_bars: bool,
}

/// About the width of a phone's content column, so text is drawn near its true size there.
pub(super) const NARROW: Layout = Layout {
    class: "narrow",
    width: 340.0,
    height: 220.0,
    font: 12.0,
    labels_above_bars: true,
};

/// About the width of the desktop content column.
pub(super) const WIDE: Layout = Layout {
    class: "wide",
    width: 800.0,
    height: 280.0,
    font: 12.0,
    labels_above_bars: false,
};

/// Whether a chart has anything to draw.
pub(super) fn is_empty(chart: &Chart) -> bool {
    chart.labels.is_empty() || chart.series.is_empty()
}

/// A chart value as text, the way the chart's unit reads: money values are micros.
pub(super) fn format_value(lang: Lang, unit: &ChartUnit, value: f64) -> String {
    match unit {
        ChartUnit::Count => locale::number(lang, value),
        ChartUnit::Percent => locale::percent(lang, value),
        ChartUnit::Money(code) => locale::money_from_f64(lang, value, code),
    }
}

/// Draws the chart as an `<svg>` element for one layout. The caller checks [`is_empty`] first;
/// an empty chart still yields a valid (blank) picture.
pub(super) fn svg(chart: &Chart, lang: Lang, layout: &Layout) -> Result<String, fmt::Error> {
    let data = Data::new(chart, lang);
    let mut out = String::with_capacity(1024 + data.labels.len() * data.series_count() * 200);
    match chart.kind {
        ChartKind::Columns | ChartKind::Line => vertical(&mut out, chart, &data, layout)?,
        ChartKind::Bars => bars(&mut out, chart, &data, layout)?,
    }
    Ok(out)
}

/// A coordinate written with one decimal, plenty at these sizes and half the bytes of `{}`.
struct C(f64);

impl fmt::Display for C {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1}", self.0)
    }
}

/// The chart's labels and values, formatted once for every place they appear.
struct Data<'a> {
    chart: &'a Chart,
    lang: Lang,
    labels: Vec<String>,
    /// Values in the axis unit (currency units rather than micros); `None` where missing or
    /// not finite.
    values: Vec<Vec<Option<f64>>>,
    /// The same values as the reader sees them in tooltips and bar ends.
    texts: Vec<Vec<String>>,
}

impl<'a> Data<'a> {
    fn new(chart: &'a Chart, lang: Lang) -> Self {
        let divisor = match chart.unit {
            ChartUnit::Money(_) => 1e6,
            ChartUnit::Count | ChartUnit::Percent => 1.0,
        };
        let labels: Vec<String> = chart
            .labels
            .iter()
            .map(|label| locale::value(lang, label))
            .collect();
        let mut values = Vec::with_capacity(chart.series.len());
        let mut texts = Vec::with_capacity(chart.series.len());
        for series in &chart.series {
            let raw =
                (0..labels.len()).map(|i| series.values.get(i).copied().filter(|v| v.is_finite()));
            values.push(raw.clone().map(|v| v.map(|v| v / divisor)).collect());
            texts.push(
                raw.map(|v| v.map_or_else(String::new, |v| format_value(lang, &chart.unit, v)))
                    .collect(),
            );
        }
        Data {
            chart,
            lang,
            labels,
            values,
            texts,
        }
    }

    fn series_count(&self) -> usize {
        self.values.len()
    }

    fn axis_unit(&self) -> AxisUnit<'a> {
        match &self.chart.unit {
            ChartUnit::Count => AxisUnit::Count,
            ChartUnit::Percent => AxisUnit::Percent,
            ChartUnit::Money(code) => AxisUnit::Money(code),
        }
    }

    fn range(&self) -> (f64, f64) {
        self.values
            .iter()
            .flatten()
            .flatten()
            .fold((0.0, 0.0), |(lo, hi), &v| {
                (f64::min(lo, v), f64::max(hi, v))
            })
    }

    /// Tooltip text for one value: "Jul 2025: $12.00", or with the series name when there
    /// are several.
    fn tooltip(&self, label: usize, series: usize) -> String {
        let value = &self.texts[series][label];
        if self.series_count() > 1 {
            format!(
                "{}: {}: {}",
                self.labels[label], self.chart.series[series].name, value
            )
        } else {
            format!("{}: {}", self.labels[label], value)
        }
    }
}

/// An axis from `lo` to `hi` in steps of `step`, all round numbers, always including zero.
#[derive(Debug, PartialEq)]
struct Scale {
    lo: f64,
    hi: f64,
    step: f64,
}

/// The target number of intervals on a value axis.
const TICK_INTERVALS: f64 = 4.0;

impl Scale {
    fn new(lo: f64, hi: f64, whole_steps: bool) -> Scale {
        let (lo, hi) = (lo.min(0.0), hi.max(0.0));
        let span = if hi > lo { hi - lo } else { 1.0 };
        let mut step = nice_step(span / TICK_INTERVALS);
        if whole_steps && step < 1.0 {
            step = 1.0;
        }
        let lo = (lo / step).floor() * step;
        let mut hi = (hi / step).ceil() * step;
        if hi <= lo {
            hi = lo + step;
        }
        Scale { lo, hi, step }
    }

    fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let count = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=count).map(move |i| self.lo + self.step * i as f64)
    }

    /// Where `value` falls between 0 (at `lo`) and 1 (at `hi`).
    fn fraction(&self, value: f64) -> f64 {
        (value - self.lo) / (self.hi - self.lo)
    }
}

/// The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 2.5 {
        2.5
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Estimated drawn width of `text` at `font` size.
fn text_width(text: &str, font: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * font
}

/// Cuts `text` to what fits in `width` at `font` size, ending with an ellipsis when cut (at
/// least one character is always kept).
fn fit(text: &str, width: f64, font: f64) -> (String, bool) {
    // A hair of tolerance: sums of em widths are not exact in binary floating point.
    if text_width(text, font) <= width + 1e-9 {
        return (text.to_owned(), false);
    }
    let room = width - char_em(ELLIPSIS) * font;
    let mut used = 0.0;
    let mut cut = String::new();
    for c in text.chars() {
        used += char_em(c) * font;
        if used > room + 1e-9 && !cut.is_empty() {
            break;
        }
        cut.push(c);
    }
    cut.truncate(cut.trim_end().len());
    cut.push(ELLIPSIS);
    (cut, true)
}

fn open_svg(out: &mut String, chart: &Chart, layout: &Layout, height: f64) -> fmt::Result {
    let title = escape_html(&chart.title);
    write!(
        out,
        r#"<svg class="{}" viewBox="0 0 {} {}" role="img" aria-label="{title}" font-size="{}"><title>{title}</title>"#,
        layout.class,
        C(layout.width),
        C(height),
        C(layout.font),
    )
}

/// A label that may have been cut: the full text goes into a `<title>` so it shows on hover.
fn write_label(out: &mut String, full: &str, shown: &str, cut: bool) {
    if cut {
        out.push_str("<title>");
        out.push_str(&escape_html(full));
        out.push_str("</title>");
    }
    out.push_str(&escape_html(shown));
}

/// Columns and lines: a value axis at the left, categories along the bottom.
fn vertical(out: &mut String, chart: &Chart, data: &Data<'_>, layout: &Layout) -> fmt::Result {
    let font = layout.font;
    let (lo, hi) = data.range();
    let scale = Scale::new(lo, hi, matches!(chart.unit, ChartUnit::Count));
    let ticks: Vec<(f64, String)> = scale
        .ticks()
        .map(|t| (t, locale::axis_tick(data.lang, t, data.axis_unit())))
        .collect();
    let widest_tick = ticks
        .iter()
        .map(|(_, text)| text_width(text, font))
        .fold(0.0, f64::max);

    let left = widest_tick + font * 0.8;
    let right = font * 0.8;
    let top = font;
    let bottom = font * 2.2;
    let height = layout.height;
    let plot_w = layout.width - left - right;
    let plot_h = height - top - bottom;
    let y = |v: f64| top + plot_h * (1.0 - scale.fraction(v));

    open_svg(out, chart, layout, height)?;

    for (value, text) in &ticks {
        let class = if *value == 0.0 { "axis" } else { "grid" };
        let ty = y(*value);
        write!(
            out,
            r#"<line class="{class}" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="tick" x="{}" y="{}" text-anchor="end" dy=".35em">{}</text>"#,
            C(left),
            C(left + plot_w),
            C(ty),
            C(ty),
            C(left - font * 0.4),
            C(ty),
            escape_html(text),
        )?;
    }

    let n = data.labels.len().max(1);
    let slot = plot_w / n as f64;

    // Category labels: every `step`-th one, so that none overlap.
    let widest_label = data
        .labels
        .iter()
        .map(|label| text_width(label, font))
        .fold(0.0, f64::max);
    let gap = font;
    let step = ((widest_label + gap) / slot).ceil().max(1.0) as usize;
    let room = slot * step as f64 - gap;
    let label_y = top + plot_h + font * 1.4;
    for (i, label) in data.labels.iter().enumerate().step_by(step) {
        let (shown, cut) = fit(label, room, font);
        let half = text_width(&shown, font) / 2.0;
        let centre = left + slot * (i as f64 + 0.5);
        // Keep the first and last labels inside the picture.
        let x = centre.min(layout.width - half - EDGE).max(half + EDGE);
        write!(
            out,
            r#"<text class="label" x="{}" y="{}" text-anchor="middle">"#,
            C(x),
            C(label_y)
        )?;
        write_label(out, label, &shown, cut);
        out.push_str("</text>");
    }

    match chart.kind {
        ChartKind::Line => lines(out, data, &y, left, slot)?,
        ChartKind::Columns | ChartKind::Bars => columns(out, data, &y, left, slot)?,
    }
    out.push_str("</svg>");
    Ok(())
}

fn columns(
    out: &mut String,
    data: &Data<'_>,
    y: &dyn Fn(f64) -> f64,
    left: f64,
    slot: f64,
) -> fmt::Result {
    let series = data.series_count().max(1) as f64;
    // Bars fill most of their slot, but a handful of categories should not give fat slabs.
    let bar = (slot * 0.75 / series).min(40.0);
    let group = bar * series;
    let zero = y(0.0);
    for (i, _) in data.labels.iter().enumerate() {
        let x0 = left + slot * i as f64 + (slot - group) / 2.0;
        for (s, values) in data.values.iter().enumerate() {
            let Some(value) = values[i] else { continue };
            let top = y(value).min(zero);
            let h = (y(value) - zero).abs();
            write!(
                out,
                r#"<rect class="s{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>"#,
                s % SERIES_COLOURS,
                C(x0 + bar * s as f64),
                C(top),
                C(bar),
                C(h),
                escape_html(&data.tooltip(i, s)),
            )?;
        }
    }
    Ok(())
}

fn lines(
    out: &mut String,
    data: &Data<'_>,
    y: &dyn Fn(f64) -> f64,
    left: f64,
    slot: f64,
) -> fmt::Result {
    let x = |i: usize| left + slot * (i as f64 + 0.5);
    for (s, values) in data.values.iter().enumerate() {
        let colour = s % SERIES_COLOURS;
        // A missing value breaks the line rather than drawing through zero.
        let mut segment: Vec<(f64, f64)> = Vec::new();
        let flush = |segment: &mut Vec<(f64, f64)>, out: &mut String| -> fmt::Result {
            if segment.len() > 1 {
                write!(out, r#"<polyline class="line s{colour}" points=""#)?;
                for (px, py) in segment.iter() {
                    write!(out, "{},{} ", C(*px), C(*py))?;
                }
                out.push_str(r#""/>"#);
            }
            segment.clear();
            Ok(())
        };
        for (i, value) in values.iter().enumerate() {
            match value {
                Some(v) => segment.push((x(i), y(*v))),
                None => flush(&mut segment, out)?,
            }
        }
        flush(&mut segment, out)?;

        let markers = values.len() <= MAX_LINE_MARKERS;
        for (i, value) in values.iter().enumerate() {
            let Some(v) = value else { continue };
            // A lone point between gaps would be invisible without its marker.
            let isolated = !markers
                && i.checked_sub(1).and_then(|p| values[p]).is_none()
                && values.get(i + 1).copied().flatten().is_none();
            if markers || isolated {
                write!(
                    out,
                    r#"<circle class="s{colour}" cx="{}" cy="{}" r="3"><title>{}</title></circle>"#,
                    C(x(i)),
                    C(y(*v)),
                    escape_html(&data.tooltip(i, s)),
                )?;
            }
        }
    }
    Ok(())
}

/// Horizontal bars, one group per category, with the value written at the end of each bar.
fn bars(out: &mut String, chart: &Chart, data: &Data<'_>, layout: &Layout) -> fmt::Result {
    let font = layout.font;
    let series = data.series_count().max(1);
    let bar = font * 1.25;
    let bar_gap = 2.0;
    let row_gap = font * 0.9;
    let label_line = if layout.labels_above_bars {
        font * 1.35
    } else {
        0.0
    };
    let bars_h = bar * series as f64 + bar_gap * (series - 1) as f64;
    let row_h = label_line + bars_h + row_gap;
    let top = 2.0;
    let height = top + row_h * data.labels.len() as f64;

    let widest_value = data
        .texts
        .iter()
        .flatten()
        .map(|text| text_width(text, font))
        .fold(0.0, f64::max);
    let label_w = if layout.labels_above_bars {
        layout.width - 2.0 * EDGE
    } else {
        let widest_label = data
            .labels
            .iter()
            .map(|label| text_width(label, font))
            .fold(0.0, f64::max);
        widest_label.min(layout.width * 0.3)
    };
    let bar_left = if layout.labels_above_bars {
        0.0
    } else {
        label_w + font * 0.7
    };
    let bar_right = layout.width - widest_value - font * 0.6;
    let bar_w = (bar_right - bar_left).max(1.0);

    let (lo, hi) = data.range();
    let lo = lo.min(0.0);
    let hi = if hi > lo { hi.max(0.0) } else { lo + 1.0 };
    let x = |v: f64| bar_left + bar_w * (v - lo) / (hi - lo);
    let zero = x(0.0);

    open_svg(out, chart, layout, height)?;
    for (i, label) in data.labels.iter().enumerate() {
        let row_top = top + row_h * i as f64;
        let (shown, cut) = fit(label, label_w, font);
        if layout.labels_above_bars {
            write!(
                out,
                r#"<text class="label" x="{}" y="{}">"#,
                C(EDGE),
                C(row_top + font)
            )?;
        } else {
            write!(
                out,
                r#"<text class="label" x="{}" y="{}" text-anchor="end" dy=".35em">"#,
                C(label_w),
                C(row_top + bars_h / 2.0)
            )?;
        }
        write_label(out, label, &shown, cut);
        out.push_str("</text>");

        for (s, values) in data.values.iter().enumerate() {
            let Some(value) = values[i] else { continue };
            let bar_top = row_top + label_line + (bar + bar_gap) * s as f64;
            let end = x(value);
            write!(
                out,
                r#"<rect class="s{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect><text class="value" x="{}" y="{}" dy=".35em">{}</text>"#,
                s % SERIES_COLOURS,
                C(end.min(zero)),
                C(bar_top),
                C((end - zero).abs()),
                C(bar),
                escape_html(&data.tooltip(i, s)),
                C(end.max(zero) + font * 0.3),
                C(bar_top + bar / 2.0),
                escape_html(&data.texts[s][i]),
            )?;
        }
    }
    if lo < 0.0 {
        write!(
            out,
            r#"<line class="axis" x1="{}" x2="{}" y1="0" y2="{}"/>"#,
            C(zero),
            C(zero),
            C(height)
        )?;
    }
    out.push_str("</svg>");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{Date, Series, Value};

    fn chart(kind: ChartKind, unit: ChartUnit, labels: Vec<Value>, series: Vec<Series>) -> Chart {
        Chart {
            title: "Sales".into(),
            kind,
            unit,
            labels,
            series,
        }
    }

    fn months(n: usize) -> Vec<Value> {
        (0..n)
            .map(|i| {
                Value::Month(Date {
                    year: 2024 + (i / 12) as u16,
                    month: (i % 12) as u8 + 1,
                    day: 1,
                })
            })
            .collect()
    }

    fn series(name: &str, values: Vec<f64>) -> Series {
        Series {
            name: name.into(),
            values,
        }
    }

    #[test]
    fn nice_steps_are_round() {
        assert_eq!(nice_step(0.0), 1.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(1.2), 2.0);
        assert_eq!(nice_step(2.2), 2.5);
        assert_eq!(nice_step(730.0), 1000.0);
        assert_eq!(nice_step(0.03), 0.05);
    }

    #[test]
    fn axis_max_is_rounded_up_to_a_nice_number() {
        let scale = Scale::new(0.0, 1234.0, false);
        assert_eq!(scale.hi, 1500.0);
        assert_eq!(scale.lo, 0.0);
        assert_eq!(scale.ticks().count(), 4);
        let scale = Scale::new(-120.0, 480.0, false);
        assert_eq!((scale.lo, scale.hi, scale.step), (-200.0, 600.0, 200.0));
        // Counts never get fractional ticks, and an all-zero chart still has an axis.
        let scale = Scale::new(0.0, 2.0, true);
        assert_eq!((scale.hi, scale.step), (2.0, 1.0));
        let scale = Scale::new(0.0, 0.0, true);
        assert!(scale.hi > scale.lo);
    }

    #[test]
    fn truncation_ends_with_an_ellipsis() {
        let font = 10.0;
        assert_eq!(fit("short", 100.0, font), ("short".to_owned(), false));
        let exact = text_width("exactly10!", font);
        assert_eq!(
            fit("exactly10!", exact, font),
            ("exactly10!".to_owned(), false)
        );
        let (cut, was_cut) = fit("a long title here", 45.0, font);
        assert!(was_cut && cut.ends_with('…'), "{cut}");
        assert!(text_width(&cut, font) <= 45.0, "{cut} fits");
        let (cut, was_cut) = fit("Привет, мир", 50.0, font);
        assert!(
            was_cut && cut.starts_with("При") && text_width(&cut, font) <= 50.0 + 1e-9,
            "{cut}"
        );
        assert_eq!(
            fit("Жжжжж", 1.0, font),
            ("Ж…".to_owned(), true),
            "one character is kept"
        );
    }

    #[test]
    fn cyrillic_and_capitals_are_estimated_wider_than_latin_lower_case() {
        assert!(text_width("Иллюстрации", 12.0) > text_width("illustratio", 12.0));
        assert!(text_width("MMMM", 12.0) > text_width("mmmm", 12.0));
    }

    #[test]
    fn columns_draw_one_bar_per_value_with_a_title() {
        let c = chart(
            ChartKind::Columns,
            ChartUnit::Money("USD".into()),
            months(3),
            vec![series("Earnings", vec![1_500_000.0, f64::NAN, 250_000.0])],
        );
        let svg = svg(&c, Lang::En, &WIDE).unwrap();
        assert!(svg.starts_with(r#"<svg class="wide" viewBox="0 0 800.0 280.0" role="img""#));
        assert!(svg.contains("<title>Sales</title>"));
        assert_eq!(svg.matches("<rect ").count(), 2, "NaN is not drawn");
        assert!(svg.contains("<title>Jan\u{a0}2024: $1.50</title>"));
        assert!(
            svg.contains(">$1.5<"),
            "axis ticks are in currency units: {svg}"
        );
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn many_labels_are_thinned() {
        let c = chart(
            ChartKind::Line,
            ChartUnit::Count,
            months(36),
            vec![series("Sales", (0..36).map(f64::from).collect())],
        );
        let svg = svg(&c, Lang::En, &NARROW).unwrap();
        let shown = svg.matches(r#"<text class="label""#).count();
        assert!((2..=12).contains(&shown), "{shown} labels shown");
        assert_eq!(svg.matches("<circle ").count(), 36);
        assert_eq!(svg.matches("<polyline ").count(), 1);
    }

    #[test]
    fn a_missing_value_breaks_the_line() {
        let c = chart(
            ChartKind::Line,
            ChartUnit::Percent,
            months(5),
            vec![
                series("A", vec![1.0, 2.0, f64::INFINITY, 4.0, 5.0]),
                series("B", vec![1.0]),
            ],
        );
        let svg = svg(&c, Lang::Ru, &WIDE).unwrap();
        assert_eq!(svg.matches(r#"<polyline class="line s0""#).count(), 2);
        assert_eq!(svg.matches(r#"<polyline class="line s1""#).count(), 0);
        assert!(
            svg.contains(r#"class="s1""#),
            "a lone point keeps its marker"
        );
        assert!(
            svg.contains(": B: "),
            "tooltips name the series when there are several"
        );
    }

    #[test]
    fn long_bar_labels_are_cut_with_the_full_text_in_a_title() {
        let long = "A very long asset title that goes on and on and on, far past any bar label";
        let c = chart(
            ChartKind::Bars,
            ChartUnit::Count,
            vec![Value::Text(long.into()), Value::Text("Short".into())],
            vec![series("Downloads", vec![10.0, -3.0])],
        );
        for layout in [&NARROW, &WIDE] {
            let svg = svg(&c, Lang::En, layout).unwrap();
            assert!(svg.contains(&format!("<title>{long}</title>")));
            assert!(svg.contains('…'));
            assert!(svg.contains(">Short</text>"));
            assert!(
                svg.contains(r#"<line class="axis""#),
                "negative values get a zero line"
            );
        }
    }

    #[test]
    fn plugin_text_in_svg_is_escaped() {
        let c = Chart {
            title: r#"<script>alert(1)</script> "quoted" & <b>"#.into(),
            kind: ChartKind::Bars,
            unit: ChartUnit::Count,
            labels: vec![Value::Text("<b>bold</b>".into())],
            series: vec![series("<i>s</i>", vec![1.0]), series("x", vec![2.0])],
        };
        for layout in [&NARROW, &WIDE] {
            let svg = svg(&c, Lang::En, layout).unwrap();
            assert!(!svg.contains("<script"));
            assert!(!svg.contains("<b>"));
            assert!(!svg.contains("<i>"));
            assert!(svg.contains(
                "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quoted&#34; &amp; &lt;b&gt;"
            ));
            assert!(svg.contains("&lt;b&gt;bold&lt;/b&gt;"));
        }
    }

    #[test]
    fn empty_charts_are_recognised() {
        let no_labels = chart(
            ChartKind::Columns,
            ChartUnit::Count,
            vec![],
            vec![series("a", vec![])],
        );
        let no_series = chart(ChartKind::Columns, ChartUnit::Count, months(2), vec![]);
        assert!(is_empty(&no_labels));
        assert!(is_empty(&no_series));
        assert!(
            svg(&no_labels, Lang::En, &WIDE)
                .unwrap()
                .ends_with("</svg>")
        );
    }

    #[test]
    fn chart_values_are_formatted_in_their_unit() {
        let usd = ChartUnit::Money("USD".into());
        assert_eq!(format_value(Lang::En, &usd, 3_500.0), "$0.0035");
        assert_eq!(format_value(Lang::En, &ChartUnit::Count, 12.0), "12");
        assert_eq!(
            format_value(Lang::Ru, &ChartUnit::Percent, 12.5),
            "12,5\u{a0}%"
        );
    }
}
