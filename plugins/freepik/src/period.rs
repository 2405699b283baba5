//! The month a report covers, from its file name: the report has no date column, and Freepik
//! names the file `assets_report_MM_YYYY.csv`.
//!
//! Also read: `YYYY_MM`, `-` `.` or a space between the numbers, and anything around them (a
//! browser's ` (1)`, a prefix someone added). A name without a month gives `None`; the parse then
//! fails rather than inventing a date.

use stocklens_plugin_sdk::{Date, checked_date, joined_numbers};

/// Earliest year read from a name: Freepik's contributor program is younger than this, and it
/// keeps other numbers in a name (`2_1999`) from passing as a month.
const MIN_YEAR: u32 = 2000;

/// The first day of the month the file name carries.
pub fn month_from_file_name(file_name: &str) -> Option<Date> {
    let pairs = joined_numbers(file_name);
    let first_day = |year: &str, month: &str| -> Option<Date> {
        let year: u32 = year.parse().ok().filter(|&y| y >= MIN_YEAR)?;
        checked_date(year, month.parse().ok()?, 1).ok()
    };
    // The documented order first, so `05_2026_06` reads as May.
    pairs
        .iter()
        .find_map(|&(month, year)| {
            let fits = (1..=2).contains(&month.len()) && year.len() == 4;
            fits.then(|| first_day(year, month)).flatten()
        })
        .or_else(|| {
            pairs.iter().find_map(|&(year, month)| {
                let fits = year.len() == 4 && month.len() == 2;
                fits.then(|| first_day(year, month)).flatten()
            })
        })
}

/// The row-independent error for a name without a month.
pub fn missing_month_message(file_name: &str) -> String {
    format!(
        "the month is not in the file name '{}'; Freepik names it assets_report_MM_YYYY.csv — \
         rename the file (for example to assets_report_05_2026.csv for May 2026) or upload it \
         under the name Freepik gave it",
        stocklens_plugin_sdk::excerpt(file_name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(name: &str) -> Option<(u16, u8, u8)> {
        month_from_file_name(name).map(|d| (d.year, d.month, d.day))
    }

    #[test]
    fn reads_the_month_freepik_puts_in_the_name() {
        assert_eq!(ym("assets_report_05_2026.csv"), Some((2026, 5, 1)));
        assert_eq!(ym("assets_report_12_2025 (1).csv"), Some((2025, 12, 1)));
        assert_eq!(ym("freepik assets_report_5-2026.csv"), Some((2026, 5, 1)));
        assert_eq!(ym("assets_report_2026_06.csv"), Some((2026, 6, 1)));
        assert_eq!(ym("assets_report_05_2026_06.csv"), Some((2026, 5, 1)));
    }

    #[test]
    fn finds_no_month_where_there_is_none() {
        assert_eq!(ym("freepik_assets_report_sample.csv"), None);
        assert_eq!(ym("assets_report.csv"), None);
        assert_eq!(ym("assets_report_13_2026.csv"), None);
        assert_eq!(ym("assets_report_05_1999.csv"), None);
        assert_eq!(ym("assets_report_052026.csv"), None);
        assert_eq!(ym("report_2026_5.csv"), None);
        assert_eq!(ym(""), None);
    }
}
