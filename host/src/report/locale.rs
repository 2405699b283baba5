//! The reader's language in the report: the fixed texts of the page and the way numbers, money,
//! percentages and dates are written in English and Russian.
//!
//! Everything here turns model values into display strings; nothing here knows about HTML (the
//! template and the chart writer escape what they print). Money is formatted from its integer
//! micros and never passes through a float. Russian groups digits with a no-break space (U+00A0)
//! and puts the same no-break space before `%` and a currency sign; both languages use it
//! inside dates and before a currency code, so an amount or a date never wraps in the middle.

use super::model::{Date, Lang, Value};

/// The Russian digit group separator and the space before `%` or a currency sign.
const NBSP: char = '\u{a0}';

/// Shown for values that cannot be written as a number (NaN, infinity).
const NOT_A_NUMBER: &str = "—";

/// Amounts below one unit of the currency are shown with this many decimals when their cents
/// alone would hide what they are worth (a stock download can pay $0.0035).
const SUB_CENT_DECIMALS: u32 = 4;

/// The fixed texts of the report page in one language.
#[derive(Debug)]
pub(super) struct Texts {
    pub report_title: &'static str,
    pub period: &'static str,
    pub no_period: &'static str,
    pub content_type: &'static str,
    pub generated_on: &'static str,
    pub highlights: &'static str,
    pub contents: &'static str,
    pub back_to_contents: &'static str,
    pub no_sections: &'static str,
    pub numbers: &'static str,
    pub no_chart_data: &'static str,
    pub sources: &'static str,
    pub file: &'static str,
    pub marketplace: &'static str,
    pub parser: &'static str,
    pub rows: &'static str,
    pub rows_skipped: &'static str,
    pub no_files: &'static str,
    pub warnings: &'static str,
    pub line: &'static str,
    pub no_warnings: &'static str,
    /// Followed by the number of warnings not listed: "and 12 more".
    pub more_before: &'static str,
    pub more_after: &'static str,
    pub made_by: &'static str,
    pub parsers: &'static str,
    pub analyzers: &'static str,
    pub note_info: &'static str,
    pub note_good: &'static str,
    pub note_warning: &'static str,
}

static EN: Texts = Texts {
    report_title: "Stocklens report",
    period: "Period",
    no_period: "no sales in the selected period",
    content_type: "Content",
    generated_on: "Generated",
    highlights: "Highlights",
    contents: "Contents",
    back_to_contents: "Back to contents",
    no_sections: "The analyzers found nothing to report for this selection.",
    numbers: "Show the numbers",
    no_chart_data: "No data for this chart.",
    sources: "Sources",
    file: "File",
    marketplace: "Marketplace",
    parser: "Parser",
    rows: "Rows",
    rows_skipped: "Skipped",
    no_files: "No files.",
    warnings: "Warnings",
    line: "line",
    no_warnings: "No row warnings.",
    more_before: "and ",
    more_after: " more",
    made_by: "Made by Stocklens with",
    parsers: "Parsers",
    analyzers: "Analyzers",
    note_info: "Note",
    note_good: "Good",
    note_warning: "Warning",
};

static RU: Texts = Texts {
    report_title: "Отчёт Stocklens",
    period: "Период",
    no_period: "в выбранном периоде нет продаж",
    content_type: "Контент",
    generated_on: "Создан",
    highlights: "Главное",
    contents: "Содержание",
    back_to_contents: "К содержанию",
    no_sections: "Анализаторам нечего показать для этой выборки.",
    numbers: "Показать числа",
    no_chart_data: "Нет данных для графика.",
    sources: "Источники",
    file: "Файл",
    marketplace: "Площадка",
    parser: "Парсер",
    rows: "Строк",
    rows_skipped: "Пропущено",
    no_files: "Файлов нет.",
    warnings: "Предупреждения",
    line: "строка",
    no_warnings: "Предупреждений по строкам нет.",
    more_before: "и ещё ",
    more_after: "",
    made_by: "Отчёт подготовлен Stocklens с плагинами",
    parsers: "Парсеры",
    analyzers: "Анализаторы",
    note_info: "Заметка",
    note_good: "Хорошо",
    note_warning: "Внимание",
};

pub(super) fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Genitive abbreviations, as in "31 июл. 2025" (CLDR's format form).
const MONTHS_RU_DAY: [&str; 12] = [
    "янв.",
    "февр.",
    "мар.",
    "апр.",
    "мая",
    "июн.",
    "июл.",
    "авг.",
    "сент.",
    "окт.",
    "нояб.",
    "дек.",
];

/// Nominative names, as in "июль 2025" (CLDR's stand-alone form).
const MONTHS_RU: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// How a number is written in one language.
struct NumberStyle {
    group: char,
    decimal: char,
}

fn number_style(lang: Lang) -> NumberStyle {
    match lang {
        Lang::En => NumberStyle {
            group: ',',
            decimal: '.',
        },
        Lang::Ru => NumberStyle {
            group: NBSP,
            decimal: ',',
        },
    }
}

/// Appends `digits` (ASCII digits only) with a group separator every three digits.
fn push_grouped(out: &mut String, digits: &str, group: char) {
    let len = digits.len();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(digit);
    }
}

/// Writes an unsigned decimal given as ASCII `int` and `frac` digits, with the language's
/// separators. `frac` may be empty.
fn push_decimal(out: &mut String, lang: Lang, int: &str, frac: &str) {
    let style = number_style(lang);
    push_grouped(out, int, style.group);
    if !frac.is_empty() {
        out.push(style.decimal);
        out.push_str(frac);
    }
}

pub(crate) fn integer(lang: Lang, value: i64) -> String {
    let mut out = String::with_capacity(24);
    if value < 0 {
        out.push('-');
    }
    push_decimal(&mut out, lang, &value.unsigned_abs().to_string(), "");
    out
}

/// Writes `value` with at most `max_decimals` decimals, trailing zeros dropped down to
/// `min_decimals`. Returns false (and writes nothing) when the value is not finite.
fn push_float(
    out: &mut String,
    lang: Lang,
    value: f64,
    min_decimals: usize,
    max_decimals: usize,
) -> bool {
    if !value.is_finite() {
        return false;
    }
    let fixed = format!("{:.*}", max_decimals, value.abs());
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut frac = frac;
    while frac.len() > min_decimals && frac.ends_with('0') {
        frac = &frac[..frac.len() - 1];
    }
    let is_zero = int.bytes().chain(frac.bytes()).all(|b| b == b'0');
    if value < 0.0 && !is_zero {
        out.push('-');
    }
    push_decimal(out, lang, int, frac);
    true
}

/// Decimals for a plain number: two are enough for counts and averages, small fractions get
/// four so that 0.0042 does not read as 0.
fn float_decimals(value: f64) -> usize {
    let abs = value.abs();
    if abs != 0.0 && abs < 0.01 { 4 } else { 2 }
}

pub(super) fn number(lang: Lang, value: f64) -> String {
    let mut out = String::with_capacity(24);
    if !push_float(&mut out, lang, value, 0, float_decimals(value)) {
        return NOT_A_NUMBER.to_owned();
    }
    out
}

/// `12.5` is 12.5 %: en `12.5%`, ru `12,5 %`. One decimal, always shown, so a column of
/// percentages lines up; two for tiny shares that would otherwise read as 0.
pub(super) fn percent(lang: Lang, value: f64) -> String {
    let abs = value.abs();
    let decimals = if abs != 0.0 && abs < 0.1 { 2 } else { 1 };
    let mut out = String::with_capacity(16);
    if !push_float(&mut out, lang, value, decimals, decimals) {
        return NOT_A_NUMBER.to_owned();
    }
    push_percent_sign(&mut out, lang);
    out
}

fn push_percent_sign(out: &mut String, lang: Lang) {
    if lang == Lang::Ru {
        out.push(NBSP);
    }
    out.push('%');
}

/// The sign for the currencies contributors are paid in; others are written as their code.
fn currency_symbol(code: &str) -> Option<&'static str> {
    match code {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "RUB" => Some("₽"),
        _ => None,
    }
}

/// Money from exact micros: en `$1,234.50`, `-$3.00`, `€0.0009`, `1,234.50 CHF`;
/// ru `1 234,50 $`, `0,0009 €`. Two decimals; four for amounts below one unit that are not
/// whole cents (never three, so a column of per-download prices lines up). Rounded half away
/// from zero.
pub(crate) fn money(lang: Lang, micros: i64, currency: &str) -> String {
    let abs = micros.unsigned_abs();
    let decimals = if abs < 1_000_000 && !abs.is_multiple_of(10_000) {
        SUB_CENT_DECIMALS
    } else {
        2
    };
    let step = 10u64.pow(6 - decimals);
    // u64 holds |i64::MIN| plus half a step, so this cannot overflow.
    let rounded = (abs + step / 2) / step;
    let scale = 10u64.pow(decimals);
    let int = (rounded / scale).to_string();
    let frac = format!("{:0width$}", rounded % scale, width = decimals as usize);

    let mut out = String::with_capacity(24);
    if micros < 0 && rounded != 0 {
        out.push('-');
    }
    let symbol = currency_symbol(currency);
    match (lang, symbol) {
        (Lang::En, Some(symbol)) => {
            out.push_str(symbol);
            push_decimal(&mut out, lang, &int, &frac);
        }
        (Lang::En, None) => {
            push_decimal(&mut out, lang, &int, &frac);
            out.push(NBSP);
            out.push_str(currency);
        }
        (Lang::Ru, _) => {
            push_decimal(&mut out, lang, &int, &frac);
            out.push(NBSP);
            out.push_str(symbol.unwrap_or(currency));
        }
    }
    out
}

/// A money amount given as float micros, as chart values are: rounded to whole micros, then
/// formatted exactly like any other money.
pub(super) fn money_from_f64(lang: Lang, micros: f64, currency: &str) -> String {
    // `as` saturates at the i64 range, and a chart value that large is already meaningless.
    if micros.is_finite() {
        money(lang, micros.round() as i64, currency)
    } else {
        NOT_A_NUMBER.to_owned()
    }
}

fn month_index(date: Date) -> Option<usize> {
    usize::from(date.month).checked_sub(1).filter(|&i| i < 12)
}

/// en `31 Jul 2025`, ru `31 июл. 2025`; an impossible month is written as ISO digits.
pub(crate) fn date(lang: Lang, date: Date) -> String {
    let Some(i) = month_index(date) else {
        return format!("{:04}-{:02}-{:02}", date.year, date.month, date.day);
    };
    let months = match lang {
        Lang::En => &MONTHS_EN,
        Lang::Ru => &MONTHS_RU_DAY,
    };
    format!("{}{NBSP}{}{NBSP}{}", date.day, months[i], date.year)
}

/// en `Jul 2025`, ru `июль 2025`.
pub(crate) fn month(lang: Lang, date: Date) -> String {
    let Some(i) = month_index(date) else {
        return format!("{:04}-{:02}", date.year, date.month);
    };
    let months = match lang {
        Lang::En => &MONTHS_EN,
        Lang::Ru => &MONTHS_RU,
    };
    format!("{}{NBSP}{}", months[i], date.year)
}

/// The text of a KPI or table cell.
pub(super) fn value(lang: Lang, value: &Value) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(text) => text.clone(),
        Value::Integer(n) => integer(lang, *n),
        Value::Number(n) => number(lang, *n),
        Value::Percent(p) => percent(lang, *p),
        Value::Money(m) => money(lang, m.micros, &m.currency),
        Value::Date(d) => date(lang, *d),
        Value::Month(d) => month(lang, *d),
    }
}

/// Whether a value is a number, so its table column is right-aligned.
pub(super) fn is_numeric(value: &Value) -> bool {
    matches!(
        value,
        Value::Integer(_) | Value::Number(_) | Value::Percent(_) | Value::Money(_)
    )
}

/// What a chart's axis counts, so tick labels read as money, percent or plain numbers.
#[derive(Clone, Copy, Debug)]
pub(super) enum AxisUnit<'a> {
    Count,
    Percent,
    /// Values are units of this currency (already divided from micros).
    Money(&'a str),
}

/// A short axis label for a round tick value: en `12K`, `$1.5M`, `40%`; ru `12 тыс.`,
/// `1,5 млн $`. Tick values come from a nice-number scale, so two decimals always suffice.
pub(super) fn axis_tick(lang: Lang, value: f64, unit: AxisUnit<'_>) -> String {
    // (from, divisor, suffix): thousands only from 10 000 on, so "2,500" stays exact.
    const SCALES_EN: [(f64, f64, &str); 3] = [(1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "K")];
    const SCALES_RU: [(f64, f64, &str); 3] = [
        (1e9, 1e9, "\u{a0}млрд"),
        (1e6, 1e6, "\u{a0}млн"),
        (1e4, 1e3, "\u{a0}тыс."),
    ];
    let scales = match lang {
        Lang::En => &SCALES_EN,
        Lang::Ru => &SCALES_RU,
    };
    let (scaled, suffix) = scales
        .iter()
        .find(|(from, _, _)| value.abs() >= *from)
        .map_or((value, ""), |&(_, divisor, suffix)| {
            (value / divisor, suffix)
        });
    let mut number = String::with_capacity(16);
    if !push_float(&mut number, lang, scaled, 0, 2) {
        return NOT_A_NUMBER.to_owned();
    }
    number.push_str(suffix);
    match unit {
        AxisUnit::Count => number,
        AxisUnit::Percent => {
            push_percent_sign(&mut number, lang);
            number
        }
        AxisUnit::Money(code) => {
            let symbol = currency_symbol(code);
            match (lang, symbol) {
                (Lang::En, Some(symbol)) => match number.strip_prefix('-') {
                    Some(positive) => format!("-{symbol}{positive}"),
                    None => format!("{symbol}{number}"),
                },
                (Lang::En, None) => format!("{number}{NBSP}{code}"),
                (Lang::Ru, _) => format!("{number}{NBSP}{}", symbol.unwrap_or(code)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Money;

    /// Spaces in expectations stand for the no-break space the formatter writes.
    fn nbsp(text: &str) -> String {
        text.replace(' ', "\u{a0}")
    }

    #[test]
    fn integers_are_grouped_by_thousands() {
        assert_eq!(integer(Lang::En, 0), "0");
        assert_eq!(integer(Lang::En, 999), "999");
        assert_eq!(integer(Lang::En, 1_234), "1,234");
        assert_eq!(integer(Lang::En, -1_234_567), "-1,234,567");
        assert_eq!(integer(Lang::Ru, 1_234_567), nbsp("1 234 567"));
        assert_eq!(integer(Lang::En, i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn numbers_use_the_locale_decimal_mark_and_drop_trailing_zeros() {
        assert_eq!(number(Lang::En, 1234.5), "1,234.5");
        assert_eq!(number(Lang::Ru, 1234.5), nbsp("1 234,5"));
        assert_eq!(number(Lang::En, 2.0), "2");
        assert_eq!(number(Lang::En, 1.23456), "1.23");
        assert_eq!(number(Lang::En, 0.0042), "0.0042");
        assert_eq!(number(Lang::En, -0.001), "-0.001");
        assert_eq!(number(Lang::En, -0.0000001), "0");
        assert_eq!(number(Lang::En, f64::NAN), "—");
        assert_eq!(number(Lang::Ru, 1e15), nbsp("1 000 000 000 000 000"));
    }

    #[test]
    fn percentages_follow_each_language() {
        assert_eq!(percent(Lang::En, 12.5), "12.5%");
        assert_eq!(percent(Lang::Ru, 12.5), nbsp("12,5 %"));
        assert_eq!(percent(Lang::En, 100.0), "100.0%");
        assert_eq!(percent(Lang::En, -3.25), "-3.2%");
        assert_eq!(percent(Lang::En, 0.04), "0.04%");
        assert_eq!(percent(Lang::Ru, 1234.0), nbsp("1 234,0 %"));
        assert_eq!(percent(Lang::En, f64::INFINITY), "—");
    }

    #[test]
    fn money_is_exact_with_two_decimals() {
        assert_eq!(money(Lang::En, 1_234_500_000, "USD"), "$1,234.50");
        assert_eq!(money(Lang::Ru, 1_234_500_000, "USD"), nbsp("1 234,50 $"));
        assert_eq!(money(Lang::En, 0, "EUR"), "€0.00");
        assert_eq!(money(Lang::En, 1_234_567_891, "EUR"), "€1,234.57");
        // 0.1 + 0.2 style float drift cannot happen: 300_000 micros is exactly 0.30.
        assert_eq!(money(Lang::En, 300_000, "USD"), "$0.30");
        assert_eq!(
            money(Lang::En, 9_223_372_036_854_775_807, "USD"),
            "$9,223,372,036,854.78"
        );
    }

    #[test]
    fn negative_money_keeps_its_sign_before_the_symbol() {
        assert_eq!(money(Lang::En, -3_000_000, "USD"), "-$3.00");
        assert_eq!(money(Lang::Ru, -1_234_500_000, "EUR"), nbsp("-1 234,50 €"));
        assert_eq!(money(Lang::En, -1_500_000, "CHF"), nbsp("-1.50 CHF"));
        assert_eq!(money(Lang::En, i64::MIN, "USD"), "-$9,223,372,036,854.78");
    }

    #[test]
    fn sub_cent_money_shows_up_to_four_decimals() {
        assert_eq!(money(Lang::En, 900, "EUR"), "€0.0009");
        assert_eq!(money(Lang::Ru, 900, "EUR"), nbsp("0,0009 €"));
        assert_eq!(money(Lang::En, 15_000, "USD"), "$0.0150");
        assert_eq!(money(Lang::En, 3_500, "USD"), "$0.0035");
        assert_eq!(money(Lang::En, 330_000, "USD"), "$0.33");
        assert_eq!(money(Lang::En, 12_345, "USD"), "$0.0123");
        assert_eq!(money(Lang::En, -12_355, "USD"), "-$0.0124");
        // Above one unit cents are enough.
        assert_eq!(money(Lang::En, 1_234_567, "USD"), "$1.23");
        // Too small even for four decimals: zero, without a sign.
        assert_eq!(money(Lang::En, -40, "USD"), "$0.0000");
    }

    #[test]
    fn unknown_currencies_are_written_as_their_code() {
        assert_eq!(money(Lang::En, 1_234_500_000, "CHF"), nbsp("1,234.50 CHF"));
        assert_eq!(money(Lang::Ru, 1_234_500_000, "CHF"), nbsp("1 234,50 CHF"));
        assert_eq!(money(Lang::Ru, 5_000_000, "RUB"), nbsp("5,00 ₽"));
        assert_eq!(money(Lang::En, 5_000_000, "GBP"), "£5.00");
    }

    #[test]
    fn chart_money_rounds_float_micros_to_whole_micros() {
        assert_eq!(
            money_from_f64(Lang::En, 1_234_499_999.6, "USD"),
            "$1,234.50"
        );
        assert_eq!(money_from_f64(Lang::En, f64::NAN, "USD"), "—");
    }

    #[test]
    fn dates_and_months_read_naturally() {
        let d = Date {
            year: 2025,
            month: 7,
            day: 31,
        };
        assert_eq!(date(Lang::En, d), nbsp("31 Jul 2025"));
        assert_eq!(date(Lang::Ru, d), nbsp("31 июл. 2025"));
        assert_eq!(month(Lang::En, d), nbsp("Jul 2025"));
        assert_eq!(month(Lang::Ru, d), nbsp("июль 2025"));
        let may = Date { month: 5, ..d };
        assert_eq!(date(Lang::Ru, may), nbsp("31 мая 2025"));
        let bad = Date { month: 13, ..d };
        assert_eq!(date(Lang::En, bad), "2025-13-31");
        assert_eq!(month(Lang::Ru, Date { month: 0, ..d }), "2025-00");
    }

    #[test]
    fn values_format_by_kind() {
        let money = Value::Money(Money {
            micros: 2_500_000,
            currency: "USD".into(),
        });
        assert_eq!(value(Lang::En, &money), "$2.50");
        assert_eq!(value(Lang::En, &Value::Empty), "");
        assert_eq!(value(Lang::Ru, &Value::Integer(12_000)), nbsp("12 000"));
        assert!(is_numeric(&money));
        assert!(!is_numeric(&Value::Text("12".into())));
    }

    #[test]
    fn axis_ticks_are_short() {
        assert_eq!(axis_tick(Lang::En, 0.0, AxisUnit::Count), "0");
        assert_eq!(axis_tick(Lang::En, 2500.0, AxisUnit::Count), "2,500");
        assert_eq!(axis_tick(Lang::En, 12_000.0, AxisUnit::Count), "12K");
        assert_eq!(
            axis_tick(Lang::En, 1_500_000.0, AxisUnit::Money("USD")),
            "$1.5M"
        );
        assert_eq!(axis_tick(Lang::En, -2.5, AxisUnit::Money("USD")), "-$2.5");
        assert_eq!(
            axis_tick(Lang::En, 20.0, AxisUnit::Money("CHF")),
            nbsp("20 CHF")
        );
        assert_eq!(
            axis_tick(Lang::Ru, 1_500_000.0, AxisUnit::Money("USD")),
            nbsp("1,5 млн $")
        );
        assert_eq!(axis_tick(Lang::Ru, 40.0, AxisUnit::Percent), nbsp("40 %"));
        assert_eq!(axis_tick(Lang::En, 0.25, AxisUnit::Percent), "0.25%");
    }
}
