//! Numbers, money, months and periods as a contributor reads them in each language (the
//! report's own formats, so the chat and the report agree), and the numbers they type in answer
//! ("1 000", "1,5", "65%").

use crate::report::locale;
use crate::report::model::{Date, Lang};

/// Largest count an answer may give: beyond any portfolio or upload limit, so a bigger number is
/// a typo.
pub const MAX_COUNT: u32 = 100_000_000;

fn saturate(n: i128) -> i64 {
    i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

/// A whole number with the language's digit grouping: `1,234` / `1 234`.
pub fn count(n: i128, lang: Lang) -> String {
    locale::integer(lang, saturate(n))
}

/// An amount in micros with its currency: `$1,234.50`, `1 234,50 $`, `12.00 JPY`; sub-cent
/// amounts (an average per download) keep four decimals.
pub fn money(micros: i128, currency: &str, lang: Lang) -> String {
    locale::money(lang, saturate(micros), currency)
}

/// Micros in a decimal string such as `220.14` or `-0.3`; `None` if it is not one.
pub fn parse_micros(text: &str) -> Option<i128> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || fraction.len() > 6 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i128 = whole.parse().ok()?;
    let fraction: i128 = format!("{fraction:0<6}").parse().ok()?;
    let micros = whole.checked_mul(1_000_000)?.checked_add(fraction)?;
    Some(if negative { -micros } else { micros })
}

/// A month: `Jul 2025` / `июль 2025`.
pub fn month(year: u16, month: u8, lang: Lang) -> String {
    locale::month(
        lang,
        Date {
            year,
            month,
            day: 1,
        },
    )
}

/// `YYYY-MM-DD` as a date.
pub fn ymd(iso: &str) -> Option<Date> {
    let mut parts = iso.splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.get(..2)?.parse().ok()?;
    Some(Date { year, month, day })
}

/// A span of days as months: `Jul 2025`, or `Jul 2025 – Sep 2025`.
pub fn period(from: &str, to: &str, lang: Lang) -> String {
    match (ymd(from), ymd(to)) {
        (Some(f), Some(t)) if (f.year, f.month) == (t.year, t.month) => {
            month(f.year, f.month, lang)
        }
        (Some(f), Some(t)) => format!(
            "{} – {}",
            month(f.year, f.month, lang),
            month(t.year, t.month, lang)
        ),
        _ => format!("{from} – {to}"),
    }
}

/// A day from Unix milliseconds: `27 Nov 2026` / `27 нояб. 2026`.
pub fn day(unix_ms: i64, lang: Lang) -> String {
    let Ok(timestamp) = jiff::Timestamp::from_millisecond(unix_ms) else {
        return unix_ms.to_string();
    };
    let date = timestamp.to_zoned(jiff::tz::TimeZone::UTC).date();
    locale::date(
        lang,
        Date {
            year: u16::try_from(date.year()).unwrap_or(0),
            month: date.month().unsigned_abs(),
            day: date.day().unsigned_abs(),
        },
    )
}

/// Why a typed count was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountError {
    NotWhole,
    TooBig,
}

/// A whole number as people type it: `1250`, `1 250`, `1,250`, `1.250`, `1'250`, with
/// non-breaking and thin spaces too. Groups after the first must have three digits, so `1,5` is
/// not a count.
pub fn parse_count(text: &str) -> Result<u32, CountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CountError::NotWhole);
    }
    let groups: Vec<&str> = text
        .split([' ', '\u{a0}', '\u{2009}', '\u{202f}', ',', '.', '\''])
        .filter(|g| !g.is_empty())
        .collect();
    let well_formed = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && groups.iter().skip(1).all(|g| g.len() == 3)
        && groups.first().is_some_and(|g| !g.is_empty());
    // A single separator with anything but exactly three digits after it is a fraction.
    if !well_formed {
        return Err(CountError::NotWhole);
    }
    let digits: String = groups.concat();
    let value: u64 = digits.parse().map_err(|_| CountError::TooBig)?;
    u32::try_from(value)
        .ok()
        .filter(|&v| v <= MAX_COUNT)
        .ok_or(CountError::TooBig)
}

/// Why a typed percentage was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PercentError {
    NotPercent,
    OutOfRange,
}

/// A share in percent as people type it: `65`, `65%`, `65 %`, `72,5`, `72.5%`.
pub fn parse_percent(text: &str) -> Result<f64, PercentError> {
    let text = text.trim();
    let number = text.strip_suffix('%').unwrap_or(text).trim();
    if number.is_empty() || number.contains(char::is_whitespace) {
        return Err(PercentError::NotPercent);
    }
    let normalized = number.replacen(',', ".", 1);
    let valid = normalized
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && normalized.bytes().filter(|&b| b == b'.').count() <= 1;
    let value: f64 = if valid {
        normalized.parse().map_err(|_| PercentError::NotPercent)?
    } else {
        return Err(PercentError::NotPercent);
    };
    if !(0.0..=100.0).contains(&value) {
        return Err(PercentError::OutOfRange);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_as_people_type_them() {
        for (text, want) in [
            ("1250", 1250),
            ("1 250", 1250),
            ("1\u{a0}250", 1250),
            ("1,250", 1250),
            ("1.250.000", 1_250_000),
            (" 0 ", 0),
            ("12'500", 12500),
        ] {
            assert_eq!(parse_count(text), Ok(want), "{text}");
        }
        for text in ["1,5", "-3", "ten", "", "12a", "1 25", "1.2.3"] {
            assert_eq!(parse_count(text), Err(CountError::NotWhole), "{text}");
        }
        assert_eq!(parse_count("100000001"), Err(CountError::TooBig));
        assert_eq!(
            parse_count("99999999999999999999999"),
            Err(CountError::TooBig)
        );
    }

    #[test]
    fn percentages_are_read_as_people_type_them() {
        for (text, want) in [
            ("65%", 65.0),
            ("65 %", 65.0),
            ("72,5", 72.5),
            ("0", 0.0),
            ("100", 100.0),
        ] {
            assert_eq!(parse_percent(text), Ok(want), "{text}");
        }
        for text in ["", "%", "sixty", "6 5", "1,2,3", "65%%"] {
            assert_eq!(parse_percent(text), Err(PercentError::NotPercent), "{text}");
        }
        assert_eq!(parse_percent("101"), Err(PercentError::OutOfRange));
        assert_eq!(parse_percent("-1"), Err(PercentError::OutOfRange));
    }

    #[test]
    fn money_and_counts_read_as_in_the_report() {
        assert_eq!(count(1_234_567, Lang::En), "1,234,567");
        assert_eq!(count(1_234, Lang::Ru), "1\u{a0}234");
        assert_eq!(money(220_140_000, "USD", Lang::En), "$220.14");
        assert_eq!(money(-300_000, "USD", Lang::En), "-$0.30");
        assert_eq!(money(58_571, "EUR", Lang::En), "€0.0586");
        assert!(money(1_234_505_000, "EUR", Lang::Ru).starts_with("1\u{a0}234,51"));
        assert_eq!(parse_micros("220.14"), Some(220_140_000));
        assert_eq!(parse_micros("-0.3"), Some(-300_000));
        assert_eq!(parse_micros("x"), None);
    }

    #[test]
    fn periods_read_as_months() {
        assert_eq!(
            period("2025-07-01", "2025-07-31", Lang::En),
            "Jul\u{a0}2025"
        );
        assert_eq!(
            period("2025-07-01", "2025-09-29", Lang::Ru),
            "июль\u{a0}2025 – сентябрь\u{a0}2025"
        );
        assert_eq!(day(0, Lang::En), "1\u{a0}Jan\u{a0}1970");
    }
}
