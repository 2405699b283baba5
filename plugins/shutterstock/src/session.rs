//! The chunked parse: finds the layout from the header rows, then maps each row to sales.
//!
//! - A monthly export row is one day: each category column with money becomes one sale of that
//!   day, under the category as its asset (the export names no assets), licensed as the category.
//!   The day's `Total downloads` are shared out among those sales (see `split`); a day whose
//!   categories do not add up to its `Total earnings` keeps the categories and gets a warning.
//! - A per-asset row is one sale: units from its downloads (one per row without that column,
//!   minus one for a negative amount), license from its category, media from its media type or
//!   category.
//!
//! Both: amounts are US dollars (`$0.17` or `0.17`; another currency is an unreadable row),
//! refunds stay negative, referral earnings count as revenue but as no sale. Days or rows with
//! nothing in them are counted as rows and passed over; a `Monthly totals` row, a repeated
//! header and blank lines are not rows. Anything unreadable is skipped with a row issue naming
//! its line.

use stocklens_plugin_sdk::{
    Batch, Currency, DateError, DecimalStyle, MediaType, Money, MoneyError, ParseError,
    ParseSummary, Record, RowHandler, RowIssue, RowSession, Sale, excerpt, format_micros,
    parse_money,
};

use crate::category::{CategoryCache, media_of};
use crate::columns::{
    AssetColumns, Header, MonthlyColumns, is_repeated_header, is_totals_label, may_be_banner,
    read_header,
};
use crate::sale_date::{Month, month_from_file_name, read_date};
use crate::split::{Earned, split_downloads};

/// Shutterstock pays contributors in US dollars; its amounts carry `$` or nothing.
const CURRENCY: Currency = Currency::USD;

/// Micros in a whole unit, to read `12.0` downloads as 12.
const WHOLE: i64 = 1_000_000;

/// The asset a monthly row's money is filed under when no category column holds it.
const ALL_CONTENT: &str = "All content";

/// Said once, at the monthly export's header, so that best sellers named after categories and
/// estimated per-category sales are not a surprise.
pub const MONTHLY_NOTE: &str = "this export has daily totals per category, not per asset: each \
                                category counts as one asset, and a day's downloads are shared \
                                out among its categories (one each, the rest to subscriptions)";

/// What the first rows said.
enum State {
    /// Nothing yet, or only a possible banner (with its line and cells).
    Start(Option<(u64, Vec<String>)>),
    Monthly(MonthlyColumns),
    PerAsset(AssetColumns),
}

/// A parse session.
pub type ShutterstockSession = RowSession<RowMapper>;

/// How this export's rows become sales: the parser's part of its [`RowSession`].
pub struct RowMapper {
    state: State,
    /// The month in the file name, to settle dates like `10/08/2026`.
    file_month: Option<Month>,
    summary: ParseSummary,
    /// Earnings of the days read so far, to check a `Monthly totals` row against.
    read_micros: i64,
    categories: CategoryCache,
}

impl RowHandler for RowMapper {
    const DELIMITER: u8 = b',';
    /// Typical bytes per row, to size each batch's vector once instead of growing it.
    const TYPICAL_ROW_BYTES: usize = 60;

    fn start(file_name: &str) -> Self {
        RowMapper {
            state: State::Start(None),
            file_month: month_from_file_name(file_name),
            summary: ParseSummary::default(),
            read_micros: 0,
            categories: CategoryCache::default(),
        }
    }

    fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
        if record.is_blank() {
            return Ok(());
        }
        match &self.state {
            State::Start(banner) => self.read_header(record, banner.clone(), batch),
            State::Monthly(columns) => {
                if is_repeated_header(record, columns.date, &columns.date_name) {
                    return Ok(());
                }
                if record.get(columns.date).is_some_and(is_totals_label)
                    || record.get(0).is_some_and(is_totals_label)
                {
                    self.check_totals(record, columns.total, batch);
                    return Ok(());
                }
                self.summary.rows += 1;
                match map_day(record, columns, self.file_month) {
                    Ok(day) => {
                        self.read_micros +=
                            day.sales.iter().map(|s| s.earnings.micros).sum::<i64>();
                        batch.sales.extend(day.sales);
                        if let Some(warning) = day.warning {
                            batch.issues.push(RowIssue::new(record.line(), warning));
                        }
                    }
                    Err(message) => self.skip(record, message, batch),
                }
                Ok(())
            }
            State::PerAsset(columns) => {
                if is_repeated_header(record, columns.date, &columns.date_name)
                    || record.get(columns.date).is_some_and(is_totals_label)
                    || record.get(0).is_some_and(is_totals_label)
                {
                    return Ok(());
                }
                self.summary.rows += 1;
                match map_asset_row(record, columns, self.file_month, &mut self.categories) {
                    Ok(Some(sale)) => batch.sales.push(sale),
                    Ok(None) => {}
                    Err(message) => self.skip(record, message, batch),
                }
                Ok(())
            }
        }
    }

    fn summary(&self) -> ParseSummary {
        self.summary
    }
}

impl RowMapper {
    fn read_header(
        &mut self,
        record: &Record<'_>,
        banner: Option<(u64, Vec<String>)>,
        batch: &mut Batch,
    ) -> Result<(), ParseError> {
        let groups = banner.as_ref().map(|(_, cells)| cells.as_slice());
        match read_header(record, groups) {
            Some(Header::Monthly(columns)) => {
                batch
                    .issues
                    .push(RowIssue::new(record.line(), MONTHLY_NOTE));
                self.state = State::Monthly(columns);
                Ok(())
            }
            Some(Header::PerAsset(columns)) => {
                self.state = State::PerAsset(columns);
                Ok(())
            }
            None if banner.is_none() && may_be_banner(record) => {
                let cells = record.iter().map(str::to_string).collect();
                self.state = State::Start(Some((record.line(), cells)));
                Ok(())
            }
            None => Err(ParseError::at_line(
                banner.map_or(record.line(), |(line, _)| line),
                "the first rows are not a Shutterstock earnings export header: expected \
                 'Date,Total downloads,Total earnings,...' (the Earnings page's CSV export) or \
                 a table with Date, Media ID and Earnings columns",
            )),
        }
    }

    fn skip(&mut self, record: &Record<'_>, message: String, batch: &mut Batch) {
        self.summary.rows_skipped += 1;
        batch.issues.push(RowIssue::new(record.line(), message));
    }

    /// Compares a `Monthly totals` row with the days read, when every day was read.
    fn check_totals(&self, record: &Record<'_>, total: usize, batch: &mut Batch) {
        if self.summary.rows_skipped > 0 {
            return;
        }
        let Some(stated) = record
            .trimmed(total)
            .filter(|text| !text.is_empty())
            .and_then(|text| parse_money(text).ok())
        else {
            return;
        };
        if stated.micros != self.read_micros {
            batch.issues.push(RowIssue::new(
                record.line(),
                format!(
                    "the totals row says {}, the days add up to {}",
                    dollars(stated.micros),
                    dollars(self.read_micros)
                ),
            ));
        }
    }
}

/// The sales of one day of the monthly export, and a warning worth showing.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Day {
    pub sales: Vec<Sale>,
    pub warning: Option<String>,
}

/// Maps one row of the monthly export, or says in English why it cannot be read.
pub fn map_day(
    record: &Record<'_>,
    columns: &MonthlyColumns,
    file_month: Option<Month>,
) -> Result<Day, String> {
    // Only the date is required: a day without downloads has empty cells, and a spreadsheet may
    // drop empty cells at the end of a row altogether.
    check_width(record, columns.date + 1, columns.width)?;
    let field = |index: usize| record.trimmed(index).unwrap_or("");
    let date_text = field(columns.date);
    let date = read_date(date_text, file_month).map_err(|e| date_message(date_text, &e))?;
    let downloads = Some(field(columns.downloads))
        .filter(|text| !text.is_empty())
        .map(|text| parse_count(text, "total downloads"))
        .transpose()?;
    let total = Some(field(columns.total))
        .filter(|text| !text.is_empty())
        .map(|text| parse_usd(text, "total earnings"))
        .transpose()?;
    let mut earned = Vec::with_capacity(columns.categories.len());
    for column in &columns.categories {
        let text = field(column.index);
        if text.is_empty() {
            continue;
        }
        let micros = parse_usd(text, &column.name)?;
        if micros != 0 {
            earned.push((column, micros));
        }
    }
    let sale = |asset_id: &str, license: Option<&str>, media, units, micros| Sale {
        date,
        time: None,
        asset_id: asset_id.to_owned(),
        title: None,
        file_name: None,
        media,
        license: license.map(str::to_owned),
        units,
        earnings: usd(micros),
        country: None,
    };
    if earned.is_empty() {
        let micros = total.unwrap_or(0);
        let units = downloads.unwrap_or(if micros < 0 {
            -1
        } else {
            i32::from(micros > 0)
        });
        if micros == 0 && units == 0 {
            return Ok(Day::default());
        }
        return Ok(Day {
            sales: vec![sale(ALL_CONTENT, None, MediaType::Other, units, micros)],
            warning: None,
        });
    }
    let shares: Vec<Option<Earned>> = earned
        .iter()
        .map(|(column, micros)| {
            (!column.category.referral).then_some(Earned {
                micros: *micros,
                subscription: column.category.is_subscription(),
            })
        })
        .collect();
    let units = match downloads {
        Some(downloads) => split_downloads(downloads, &shares),
        // No count: one download per category that earned, minus one for one that refunded.
        None => shares
            .iter()
            .map(|share| share.map_or(0, |e| e.micros.signum() as i32))
            .collect(),
    };
    let sum: i64 = earned.iter().map(|(_, micros)| micros).sum();
    let warning = total.filter(|t| *t != sum).map(|t| {
        format!(
            "the categories add up to {}, not to the total earnings {}; the categories are used",
            dollars(sum),
            dollars(t)
        )
    });
    let sales = earned
        .iter()
        .zip(units)
        .map(|((column, micros), units)| {
            sale(
                &column.asset_id,
                Some(&column.category.license),
                column.media,
                units,
                *micros,
            )
        })
        .collect();
    Ok(Day { sales, warning })
}

/// Maps one row of the per-asset table to a sale, `None` for a row with neither downloads nor
/// money, or says in English why it cannot be read.
pub fn map_asset_row(
    record: &Record<'_>,
    columns: &AssetColumns,
    file_month: Option<Month>,
    categories: &mut CategoryCache,
) -> Result<Option<Sale>, String> {
    check_width(
        record,
        columns.date.max(columns.asset_id).max(columns.earnings) + 1,
        columns.width,
    )?;
    let field = |index: usize| record.trimmed(index).unwrap_or("");
    let optional = |index: Option<usize>| index.map(field).filter(|text| !text.is_empty());
    let date_text = field(columns.date);
    let date = read_date(date_text, file_month).map_err(|e| date_message(date_text, &e))?;
    let asset_id = field(columns.asset_id);
    if asset_id.is_empty() {
        return Err("the media id is empty".to_string());
    }
    let earnings_text = field(columns.earnings);
    if earnings_text.is_empty() {
        return Err("the earnings are empty".to_string());
    }
    let micros = parse_usd(earnings_text, "earnings")?;
    let downloads = optional(columns.downloads)
        .map(|text| parse_count(text, "downloads"))
        .transpose()?;
    let category = optional(columns.category).map(|label| categories.get(label));
    let asset_media = optional(columns.media)
        .map(|label| MediaType::from_label(label).unwrap_or(MediaType::Other));
    let units = match (&category, downloads) {
        // A referral pays for someone else's downloads: money, but no sale of this asset.
        (Some(c), _) if c.referral => 0,
        (_, Some(downloads)) => downloads,
        (_, None) if micros < 0 => -1,
        (_, None) => 1,
    };
    if units == 0 && micros == 0 {
        return Ok(None);
    }
    Ok(Some(Sale {
        date,
        time: None,
        asset_id: asset_id.to_owned(),
        title: optional(columns.title).map(str::to_owned),
        file_name: optional(columns.file_name).map(str::to_owned),
        media: media_of(category.as_deref(), asset_media),
        license: category.map(|c| c.license.clone()),
        units,
        earnings: usd(micros),
        country: None,
    }))
}

/// A row needs the required columns; cells past the header's width must be empty (a title with
/// an unquoted comma shifts everything after it).
fn check_width(record: &Record<'_>, needed: usize, width: usize) -> Result<(), String> {
    let found = record.len();
    let extra = (width..found).any(|i| record.trimmed(i).is_some_and(|cell| !cell.is_empty()));
    if found < needed || extra {
        return Err(format!("expected {width} columns, found {found}"));
    }
    Ok(())
}

fn usd(micros: i64) -> Money {
    Money {
        micros,
        currency: CURRENCY.as_str().to_owned(),
    }
}

/// `$1.23`, `-$0.30`: amounts in warnings, written as the contributor sees them.
fn dollars(micros: i64) -> String {
    let plain = format_micros(i128::from(micros.unsigned_abs()), DecimalStyle::ENGLISH);
    if micros < 0 {
        format!("-${plain}")
    } else {
        format!("${plain}")
    }
}

/// An amount in US dollars, in micros; `what` names it in the message if it is not one.
fn parse_usd(text: &str, what: &str) -> Result<i64, String> {
    let amount = parse_money(text).map_err(|error| amount_message(what, text, &error))?;
    match amount.currency {
        Some(currency) if currency != CURRENCY => Err(format!(
            "{what} '{}' are in {currency}, not US dollars",
            excerpt(text)
        )),
        _ => Ok(amount.micros),
    }
}

/// A count of downloads; `1,234` and `12.0` (a spreadsheet's doing) are read too.
fn parse_count(text: &str, what: &str) -> Result<i32, String> {
    if let Ok(count) = text.parse::<i32>() {
        return Ok(count);
    }
    parse_money(text)
        .ok()
        .filter(|amount| amount.currency.is_none() && amount.micros % WHOLE == 0)
        .and_then(|amount| i32::try_from(amount.micros / WHOLE).ok())
        .ok_or_else(|| format!("{what} '{}' is not a whole number", excerpt(text)))
}

/// "date 'x' is not a date", with the reason where it adds something.
fn date_message(text: &str, error: &DateError) -> String {
    match error {
        DateError::Empty => "the date is empty".to_string(),
        DateError::Format => format!("date '{}' is not a date", excerpt(text)),
        _ => format!("date '{}' is not a date: {error}", excerpt(text)),
    }
}

/// "earnings 'x' is not an amount", with the reason where it adds something.
fn amount_message(what: &str, text: &str, error: &MoneyError) -> String {
    match error {
        MoneyError::Empty => format!("the {what} is empty"),
        MoneyError::NoDigits => format!("{what} '{}' is not an amount", excerpt(text)),
        _ => format!("{what} '{}' is not an amount: {error}", excerpt(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::Date;

    /// Parses `input` as `file_name` in chunks of `chunk_size`.
    fn parse(
        file_name: &str,
        input: &str,
        chunk_size: usize,
    ) -> Result<(Vec<Sale>, Vec<RowIssue>, ParseSummary), ParseError> {
        stocklens_plugin_sdk::testing::parse::<ShutterstockSession>(
            file_name,
            input.as_bytes(),
            chunk_size,
        )
    }

    fn messages(issues: &[RowIssue]) -> Vec<(u64, &str)> {
        issues
            .iter()
            .map(|i| (i.line, i.message.as_str()))
            .collect()
    }

    const BANNER: &str = ",,,Images,Images,Images,Images,Videos,Videos,Referrals\r\n";
    const HEADER: &str = "Date,Total downloads,Total earnings,Subscriptions,On demand,Enhanced,Single & other,Subscriptions,Enhanced,Referrals\r\n";

    fn monthly(body: &str) -> String {
        format!("\u{feff}{BANNER}{HEADER}{body}")
    }

    #[test]
    fn a_day_becomes_one_sale_per_category_with_its_downloads_shared_out() {
        let input = monthly(
            "08/01/2026,,,,,,,,,\r\n\
             08/10/2026,4,3.42,0.20,2.85,,,0.37,,\r\n\
             Monthly totals,4,3.42,0.20,2.85,,,0.37,,\r\n",
        );
        let (sales, issues, summary) =
            parse("2026_8_earnings_by_month.csv", &input, 1 << 20).unwrap_or_default();
        assert_eq!(messages(&issues), [(2, MONTHLY_NOTE)]);
        assert_eq!(
            summary,
            ParseSummary {
                rows: 2,
                rows_skipped: 0
            }
        );
        let got: Vec<(&str, Option<&str>, MediaType, i32, i64)> = sales
            .iter()
            .map(|s| {
                (
                    s.asset_id.as_str(),
                    s.license.as_deref(),
                    s.media,
                    s.units,
                    s.earnings.micros,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Images · Subscriptions",
                    Some("Subscription"),
                    MediaType::Photo,
                    2,
                    200_000
                ),
                (
                    "Images · On demand",
                    Some("On demand"),
                    MediaType::Photo,
                    1,
                    2_850_000
                ),
                (
                    "Videos · Subscriptions",
                    Some("Subscription"),
                    MediaType::Video,
                    1,
                    370_000
                ),
            ]
        );
        assert!(sales.iter().all(|s| s.date
            == Date {
                year: 2026,
                month: 8,
                day: 10
            }
            && s.earnings.currency == "USD"));
    }

    #[test]
    fn referrals_earn_but_sell_nothing_and_refunds_stay_negative() {
        let input = monthly(
            "08/03/2026,1,0.43,0.10,,,,,,0.33\r\n\
             08/04/2026,-1,-2.85,,-2.85,,,,,\r\n",
        );
        let (sales, issues, _) = parse("x.csv", &input, 7).unwrap_or_default();
        assert_eq!(issues.len(), 1);
        let got: Vec<(&str, i32, i64)> = sales
            .iter()
            .map(|s| {
                (
                    s.license.as_deref().unwrap_or(""),
                    s.units,
                    s.earnings.micros,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Subscription", 1, 100_000),
                ("Referral", 0, 330_000),
                ("On demand", -1, -2_850_000)
            ]
        );
        assert_eq!(sales[1].media, MediaType::Other);
    }

    #[test]
    fn a_day_whose_categories_miss_the_total_keeps_them_and_says_so() {
        let input = monthly("08/05/2026,2,0.50,0.20,,,,,,\r\n08/06/2026,1,0.10,,,,,,,\r\n");
        let (sales, issues, summary) = parse("x.csv", &input, 1 << 20).unwrap_or_default();
        assert_eq!(
            messages(&issues)[1..],
            [(
                3,
                "the categories add up to $0.20, not to the total earnings $0.50; the categories are used"
            )]
        );
        assert_eq!(summary.rows_skipped, 0);
        assert_eq!((sales[0].units, sales[0].earnings.micros), (2, 200_000));
        // Money with no category: one sale of all content.
        assert_eq!(
            (
                sales[1].asset_id.as_str(),
                sales[1].license.as_deref(),
                sales[1].units
            ),
            (ALL_CONTENT, None, 1)
        );
    }

    #[test]
    fn the_monthly_totals_row_is_checked_not_counted() {
        let input = monthly(
            "08/10/2026,1,0.10,0.10,,,,,,\r\n\
             Monthly totals,2,0.20,0.20,,,,,,\r\n",
        );
        let (_, issues, summary) = parse("x.csv", &input, 1 << 20).unwrap_or_default();
        assert_eq!(
            messages(&issues)[1..],
            [(4, "the totals row says $0.20, the days add up to $0.10")]
        );
        assert_eq!(summary.rows, 1);
    }

    #[test]
    fn unreadable_days_are_skipped_with_their_line() {
        let input = monthly(
            "08/32/2026,1,0.10,0.10,,,,,,\r\n\
             08/11/2026,one,0.10,0.10,,,,,,\r\n\
             08/12/2026,1,0.10,n/a,,,,,,\r\n\
             08/13/2026,1,€0.10,0.10,,,,,,\r\n\
             08/14/2026,1,0.10,1.2.3,,,,,,\r\n\
             08/15/2026,1,0.10,0.10,,,,,,,x\r\n\
             ,1,0.10,0.10,,,,,,\r\n\
             08/16/2026,1,0.10,0.10,,,,,,\r\n",
        );
        let (sales, issues, summary) =
            parse("2026_8_earnings_by_month.csv", &input, 5).unwrap_or_default();
        assert_eq!(
            messages(&issues)[1..],
            [
                (
                    3,
                    "date '08/32/2026' is not a date: day 32 does not exist in month 8 of 2026"
                ),
                (4, "total downloads 'one' is not a whole number"),
                (5, "Subscriptions 'n/a' is not an amount"),
                (6, "total earnings '€0.10' are in EUR, not US dollars"),
                (
                    7,
                    "Subscriptions '1.2.3' is not an amount: its separators do not form a number"
                ),
                (8, "expected 10 columns, found 11"),
                (9, "the date is empty"),
            ]
        );
        assert_eq!(sales.len(), 1);
        assert_eq!(
            summary,
            ParseSummary {
                rows: 8,
                rows_skipped: 7
            }
        );
    }

    #[test]
    fn cells_missing_at_the_end_of_a_day_are_empty() {
        // As a spreadsheet writes a sheet back: no trailing empty cells.
        let input = monthly("08/01/2026\r\n08/02/2026,1,0.10,0.10\r\n");
        let (sales, issues, summary) = parse("x.csv", &input, 1 << 20).unwrap_or_default();
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(
            summary,
            ParseSummary {
                rows: 2,
                rows_skipped: 0
            }
        );
        assert_eq!(sales.len(), 1);
        assert_eq!((sales[0].units, sales[0].earnings.micros), (1, 100_000));
    }

    #[test]
    fn a_header_without_the_banner_reads_too() {
        let input = "Date,Total downloads,Total earnings,Subscriptions,Footage enhanced\n\
                     2026-08-02,2,60.10,0.10,60.00\n";
        let (sales, _, _) = parse("x.csv", input, 3).unwrap_or_default();
        let got: Vec<(&str, MediaType, i32)> = sales
            .iter()
            .map(|s| (s.asset_id.as_str(), s.media, s.units))
            .collect();
        assert_eq!(
            got,
            [
                ("Subscriptions", MediaType::Photo, 1),
                ("Footage enhanced", MediaType::Video, 1)
            ]
        );
    }

    #[test]
    fn a_spreadsheet_resave_with_day_first_dates_is_read_in_the_file_names_month() {
        let input = monthly("02/08/2026,1,0.10,0.10,,,,,,\r\n15/08/2026,1,0.10,0.10,,,,,,\r\n");
        let (sales, _, summary) =
            parse("2026_8_earnings_by_month.csv", &input, 1 << 20).unwrap_or_default();
        let days: Vec<(u8, u8)> = sales.iter().map(|s| (s.date.month, s.date.day)).collect();
        assert_eq!(days, [(8, 2), (8, 15)]);
        assert_eq!(summary.rows_skipped, 0);
        // Renamed, the same file reads its ambiguous date month first.
        let (sales, _, _) = parse("export.csv", &input, 1 << 20).unwrap_or_default();
        assert_eq!((sales[0].date.month, sales[0].date.day), (2, 8));
    }

    const ASSETS: &str = "Date,Category,Media ID,Description,Media type,Downloads,Earnings\n";

    #[test]
    fn a_per_asset_row_is_one_sale() {
        let input = format!(
            "{ASSETS}2026-06-03,single_image_and_other,1234567890,\"Coffee cup, \"\"latte\"\" art\",image,1,$2.85\n\
             2026-06-03,25_a_day,1234567891,Mountain lake,vector,3,$0.30\n\
             2026-06-04,footage_enhanced,2234567890,Drone shot,,1,$42.00\n\
             2026-06-05,customer_referrals,,,,,\n\
             2026-06-06,customer_referrals,1,Referred customer,,2,$1.00\n\
             2026-06-07,on_demand,1234567890,Coffee cup,image,,-$2.85\n"
        );
        let (sales, issues, summary) = parse("earnings.csv", &input, 9).unwrap_or_default();
        assert_eq!(messages(&issues), [(5, "the media id is empty")]);
        assert_eq!(
            summary,
            ParseSummary {
                rows: 6,
                rows_skipped: 1
            }
        );
        assert_eq!(
            sales[0],
            Sale {
                date: Date {
                    year: 2026,
                    month: 6,
                    day: 3
                },
                time: None,
                asset_id: "1234567890".into(),
                title: Some("Coffee cup, \"latte\" art".into()),
                file_name: None,
                media: MediaType::Photo,
                license: Some("Single & other".into()),
                units: 1,
                earnings: usd(2_850_000),
                country: None,
            }
        );
        let rest: Vec<(MediaType, &str, i32, i64)> = sales[1..]
            .iter()
            .map(|s| {
                (
                    s.media,
                    s.license.as_deref().unwrap_or(""),
                    s.units,
                    s.earnings.micros,
                )
            })
            .collect();
        assert_eq!(
            rest,
            [
                (MediaType::Vector, "Subscription", 3, 300_000),
                (MediaType::Video, "Enhanced", 1, 42_000_000),
                (MediaType::Other, "Referral", 0, 1_000_000),
                (MediaType::Photo, "On demand", -1, -2_850_000),
            ]
        );
    }

    #[test]
    fn gives_the_same_result_for_any_chunk_size() {
        let input = monthly(
            "08/10/2026,4,3.42,0.20,2.85,,,0.37,,\r\n\
             \r\n\
             08/11/2026,1,0.10,\"0.10\",,,,,,\r\n\
             Monthly totals,5,3.52,0.30,2.85,,,0.37,,\r\n",
        );
        let whole = parse("x.csv", &input, 1 << 20);
        for size in [1, 2, 3, 7, 50] {
            assert_eq!(parse("x.csv", &input, size), whole, "chunk size {size}");
        }
    }

    #[test]
    fn a_foreign_first_row_stops_the_parse() {
        let error = parse(
            "x.csv",
            "Filename,Description,Keywords\na.jpg,x,y\n",
            1 << 20,
        )
        .err();
        assert_eq!(error.and_then(|e| e.line), Some(1));
        // A banner not followed by the header: the banner's line is to blame.
        let error = parse("x.csv", "\n,,,Images\n08/10/2026,1,0.1,0.1\n", 1 << 20).err();
        assert_eq!(error.and_then(|e| e.line), Some(2));
    }

    #[test]
    fn an_empty_file_has_no_rows() {
        let (sales, issues, summary) = parse("x.csv", "\u{feff}\r\n", 1).unwrap_or_default();
        assert!(sales.is_empty() && issues.is_empty());
        assert_eq!(summary, ParseSummary::default());
    }
}
