//! Dates as Shutterstock writes them, and the month a file name carries.
//!
//! The monthly export writes US dates (`08/10/2026` is 10 August); ISO dates (`2026-08-10`, as
//! the site's links and API write them) and month names (`Aug 10, 2026`) are read too. A numeric
//! date is read month first unless only the day-first reading exists (`25/08/2026`) or the file
//! name's month says otherwise (in `2026_8_earnings_by_month.csv`, `10/08/2026` is 10 August).

use stocklens_plugin_sdk::{Date, DateError, DateOrder, joined_numbers, parse_date};

/// Earliest year read from a file name: Shutterstock was founded in 2003, and the bound keeps
/// other numbers in a name from passing as a year.
const MIN_NAME_YEAR: u32 = 2003;
/// Latest year read from a file name.
const MAX_NAME_YEAR: u32 = 2100;

/// A year and month.
pub type Month = (u16, u8);

/// The year and month in a file name such as `2026_8_earnings_by_month.csv` (also `2026-08`,
/// `08_2026`, with anything around them), or `None`.
pub fn month_from_file_name(file_name: &str) -> Option<Month> {
    let month = |year: &str, month: &str| -> Option<Month> {
        let (y, m): (u32, u32) = (year.parse().ok()?, month.parse().ok()?);
        let fits = year.len() == 4
            && (1..=2).contains(&month.len())
            && (MIN_NAME_YEAR..=MAX_NAME_YEAR).contains(&y)
            && (1..=12).contains(&m);
        fits.then_some((y as u16, m as u8))
    };
    joined_numbers(file_name)
        .into_iter()
        .find_map(|(a, b)| month(a, b).or_else(|| month(b, a)))
}

/// Reads a sale date; `file_month` is the month the file name carries, if any.
pub fn read_date(text: &str, file_month: Option<Month>) -> Result<Date, DateError> {
    let in_file_month = |date: &Date| file_month.is_none_or(|m| (date.year, date.month) == m);
    match parse_date(text, DateOrder::MonthFirst) {
        Ok(date) if in_file_month(&date) => Ok(date),
        Ok(date) => match parse_date(text, DateOrder::DayFirst) {
            Ok(day_first) if in_file_month(&day_first) => Ok(day_first),
            _ => Ok(date),
        },
        Err(error @ (DateError::Month(_) | DateError::Day { .. })) => {
            parse_date(text, DateOrder::DayFirst).map_err(|_| error)
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(text: &str, month: Option<Month>) -> Option<(u16, u8, u8)> {
        read_date(text, month)
            .ok()
            .map(|d| (d.year, d.month, d.day))
    }

    #[test]
    fn reads_the_month_from_shutterstock_style_names() {
        assert_eq!(
            month_from_file_name("2026_8_earnings_by_month.csv"),
            Some((2026, 8))
        );
        assert_eq!(
            month_from_file_name("2026_11_earnings_by_month (1).csv"),
            Some((2026, 11))
        );
        assert_eq!(
            month_from_file_name("shutterstock-earnings-2026-06.csv"),
            Some((2026, 6))
        );
        assert_eq!(
            month_from_file_name("earnings_06_2026.csv"),
            Some((2026, 6))
        );
        assert_eq!(month_from_file_name("earnings.csv"), None);
        assert_eq!(month_from_file_name("photos_1999_12.csv"), None);
        assert_eq!(month_from_file_name("2026_13_x.csv"), None);
    }

    #[test]
    fn numeric_dates_are_month_first_as_shutterstock_writes_them() {
        assert_eq!(ymd("08/10/2026", None), Some((2026, 8, 10)));
        assert_eq!(ymd("2026-08-10", None), Some((2026, 8, 10)));
        assert_eq!(ymd("Aug 10, 2026", None), Some((2026, 8, 10)));
        assert_eq!(ymd("8/1/26", None), Some((2026, 8, 1)));
    }

    #[test]
    fn a_date_that_only_exists_day_first_is_read_day_first() {
        assert_eq!(ymd("25/08/2026", None), Some((2026, 8, 25)));
        assert!(read_date("25/25/2026", None).is_err());
        assert!(read_date("02/30/2026", None).is_err());
    }

    #[test]
    fn the_file_names_month_settles_ambiguous_dates() {
        assert_eq!(ymd("10/08/2026", Some((2026, 8))), Some((2026, 8, 10)));
        assert_eq!(ymd("08/10/2026", Some((2026, 8))), Some((2026, 8, 10)));
        // A date outside the file's month either way is read month first, not refused.
        assert_eq!(ymd("09/10/2026", Some((2026, 8))), Some((2026, 9, 10)));
    }
}
