//! The `Sales Date` as Getty writes it: in the language of the contributor's account.
//!
//! The SDK's [`parse_date`] reads month names in English, Spanish, German, French, Italian,
//! Portuguese and Russian (`04-ene-2016`, `05-Mar-2026`, `04-Jan.-2016`, `04-янв-2016`). This
//! module adds what Getty's exports need beyond that, locally because the SDK is shared: Japanese
//! dates (`2016年1月4日`, `04-1月-2016`) and the Russian `мар` abbreviation. Numeric dates are read
//! day first, as every localized Getty statement seen writes them. It does not allocate.

use stocklens_plugin_sdk::{Date, DateError, DateOrder, checked_date, month_from_name, parse_date};

/// Order of numeric dates: Getty's localized statements put the day first.
const DATE_ORDER: DateOrder = DateOrder::DayFirst;

/// Abbreviations Getty's locales use that the SDK does not know, lower case, with their month.
const EXTRA_MONTHS: [(&str, u32); 1] = [("мар", 3)];

/// Reads a sales date in any of the account languages.
pub fn parse_sales_date(text: &str) -> Result<Date, DateError> {
    let text = text.trim();
    if text.contains('月') {
        return parse_japanese(text);
    }
    match parse_date(text, DATE_ORDER) {
        Err(DateError::UnknownMonth) => {
            parse_extra_month(text).unwrap_or(Err(DateError::UnknownMonth))
        }
        other => other,
    }
}

/// `2016年1月4日` (year, month, day) or `04-1月-2016` (day, month, year), with ASCII or
/// full-width digits.
fn parse_japanese(text: &str) -> Result<Date, DateError> {
    // Up to three numbers, and which one carries the month sign.
    let mut numbers = [(0u32, 0usize); 3];
    let mut count = 0;
    let mut month_at = None;
    let mut current: Option<(u32, usize)> = None;
    let mut close =
        |current: &mut Option<(u32, usize)>, count: &mut usize| -> Result<(), DateError> {
            if let Some(number) = current.take() {
                if *count == numbers.len() {
                    return Err(DateError::Format);
                }
                numbers[*count] = number;
                *count += 1;
            }
            Ok(())
        };
    for c in text.chars() {
        let digit = match c {
            '0'..='9' => Some(c as u32 - '0' as u32),
            '０'..='９' => Some(c as u32 - '０' as u32),
            _ => None,
        };
        match (digit, c) {
            (Some(digit), _) => {
                let (value, len) = current.unwrap_or((0, 0));
                if len >= 4 {
                    return Err(DateError::Format);
                }
                current = Some((value * 10 + digit, len + 1));
            }
            (None, '月') => {
                if current.is_none() || month_at.is_some() {
                    return Err(DateError::Format);
                }
                month_at = Some(count);
                close(&mut current, &mut count)?;
            }
            (None, '年' | '日' | '-' | '/' | '.' | ' ' | ',') => close(&mut current, &mut count)?,
            _ => return Err(DateError::Format),
        }
    }
    close(&mut current, &mut count)?;
    let (Some(month_at), 3) = (month_at, count) else {
        return Err(DateError::Format);
    };
    let [(a, a_len), (b, _), (c, c_len)] = numbers;
    let (year, month, day) = match (month_at, a_len) {
        (1, 4) => (a, b, c),
        (1, _) => (full_year(c, c_len), b, a),
        _ => return Err(DateError::Format),
    };
    checked_date(year, month, day)
}

/// `dd-мар-yyyy` and the like: a day, a month name the SDK does not know, a year. `None` when the
/// text is not of that shape.
fn parse_extra_month(text: &str) -> Option<Result<Date, DateError>> {
    let mut parts = text
        .split(|c: char| matches!(c, '-' | '/' | ' ' | ',') || c.is_whitespace())
        .filter(|p| !p.is_empty());
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let month = month.trim_end_matches('.');
    let month = match month_from_name(month) {
        Some(known) => u32::from(known),
        None => {
            EXTRA_MONTHS
                .iter()
                .find(|(name, _)| month.chars().flat_map(char::to_lowercase).eq(name.chars()))?
                .1
        }
    };
    let day: u32 = day.parse().ok()?;
    let year_digits = year.len();
    let year: u32 = year.parse().ok()?;
    Some(checked_date(full_year(year, year_digits), month, day))
}

/// A two-digit year is this century's: statements are recent.
fn full_year(year: u32, digit_count: usize) -> u32 {
    if digit_count <= 2 { 2000 + year } else { year }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(text: &str) -> Option<(u16, u8, u8)> {
        parse_sales_date(text)
            .ok()
            .map(|d| (d.year, d.month, d.day))
    }

    #[test]
    fn reads_every_account_language() {
        assert_eq!(ymd("04-ene-2016"), Some((2016, 1, 4)));
        assert_eq!(ymd("05-Mar-2026"), Some((2026, 3, 5)));
        assert_eq!(ymd("17-Dez-2025"), Some((2025, 12, 17)));
        assert_eq!(ymd("03-März-2026"), Some((2026, 3, 3)));
        assert_eq!(ymd("12-févr.-2026"), Some((2026, 2, 12)));
        assert_eq!(ymd("21-giu-2025"), Some((2025, 6, 21)));
        assert_eq!(ymd("09-out-2025"), Some((2025, 10, 9)));
        assert_eq!(ymd("30-сент-2025"), Some((2025, 9, 30)));
        assert_eq!(ymd("05-мар-2026"), Some((2026, 3, 5)));
        assert_eq!(ymd("05-Мар.-2026"), Some((2026, 3, 5)));
    }

    #[test]
    fn reads_japanese_dates() {
        assert_eq!(ymd("2016年1月4日"), Some((2016, 1, 4)));
        assert_eq!(ymd("04-1月-2016"), Some((2016, 1, 4)));
        assert_eq!(ymd("04-12月-16"), Some((2016, 12, 4)));
        assert_eq!(ymd("２０２６年３月５日"), Some((2026, 3, 5)));
        assert_eq!(parse_sales_date("2016年13月4日"), Err(DateError::Month(13)));
        assert_eq!(parse_sales_date("2016年1月"), Err(DateError::Format));
        assert_eq!(parse_sales_date("1月1月1月"), Err(DateError::Format));
        assert_eq!(parse_sales_date("12345月"), Err(DateError::Format));
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        assert_eq!(
            parse_sales_date("04-foo-2016"),
            Err(DateError::UnknownMonth)
        );
        assert_eq!(parse_sales_date(""), Err(DateError::Empty));
        assert_eq!(
            parse_sales_date("31-abr-2016"),
            Err(DateError::Day {
                year: 2016,
                month: 4,
                day: 31
            })
        );
    }
}
