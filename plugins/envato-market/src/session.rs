//! One parse of one Envato Market statement: chunks in, sales and row issues out.
//!
//! The CSV work is the SDK's [`RowReader`]; this module takes the columns from the header row and
//! turns every later row into a sale, a silent pass (money movements that are not sales) or a
//! row issue. It must not guess at rows it does not understand: an unknown row type is an issue,
//! never revenue.

use stocklens_plugin_sdk::{
    Batch, Currency, DateError, DateOrder, MediaType, Money, MoneyError, ParseError, ParseSummary,
    Record, RowHandler, RowIssue, RowSession, Sale, excerpt, parse_date_time, parse_money,
};

use crate::columns::{Columns, is_header};

/// Order for numeric dates, should a statement ever carry them: Envato is Australian, and its
/// statements write ISO dates anyway.
pub const DATE_ORDER: DateOrder = DateOrder::DayFirst;

/// Envato pays authors in US dollars; statement amounts carry no symbol.
const DEFAULT_CURRENCY: Currency = Currency::USD;

/// What a statement row type means for revenue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Part of the author's net from sales, standing for this many units.
    Revenue(i32),
    /// Money that moved but is not sales revenue: deposits, purchases, withdrawals,
    /// adjustments.
    NotRevenue,
}

/// Row types that make up the author's net from sales, with the units each stands for: a sale is
/// one, its reversal cancels it, fees and cuts change the money only.
const REVENUE_TYPES: [(&str, i32); 5] = [
    ("Sale", 1),
    ("Sale Reversal", -1),
    ("Author Fee", 0),
    // Not in the public list of types, but a reversed sale refunds its author fee this way; it
    // belongs to the net the same as the fee it cancels.
    ("Author Fee Reversal", 0),
    ("Referral Cut", 0),
];

/// Row types that are rows of the statement but not sales.
const OTHER_TYPES: [&str; 8] = [
    "Deposit",
    "Purchase",
    "Other Adjustments Earnings",
    "Manual Adjustment",
    "Withdrawal Request",
    "Withdrawal Cancellation",
    "Withdrawal",
    "Withdrawal Rollback",
];

/// What a row type means, or `None` for a type Envato is not known to write.
pub fn row_kind(kind: &str) -> Option<RowKind> {
    if let Some(&(_, units)) = REVENUE_TYPES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(kind))
    {
        return Some(RowKind::Revenue(units));
    }
    OTHER_TYPES
        .iter()
        .any(|name| name.eq_ignore_ascii_case(kind))
        .then_some(RowKind::NotRevenue)
}

/// A parse session.
pub type EnvatoSession = RowSession<RowMapper>;

/// How this export's rows become sales: the parser's part of its [`RowSession`].
pub struct RowMapper {
    /// Taken from the first non-blank row, which must be the header.
    columns: Option<Columns>,
    summary: ParseSummary,
}

impl RowHandler for RowMapper {
    const DELIMITER: u8 = b',';
    /// Typical bytes per row, to size each batch's vector once instead of growing it.
    const TYPICAL_ROW_BYTES: usize = 110;

    fn start(_file_name: &str) -> Self {
        RowMapper {
            columns: None,
            summary: ParseSummary::default(),
        }
    }

    fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
        self.read_row(record, batch)
    }

    fn summary(&self) -> ParseSummary {
        self.summary
    }
}

impl RowMapper {
    fn read_row(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
        if record.is_blank() {
            return Ok(());
        }
        let Some(columns) = self.columns else {
            if !is_header(record) {
                return Err(ParseError::at_line(
                    record.line(),
                    "the first row is not an Envato Market statement header \
                     (Date, Order ID, Type, Detail, Item ID, ..., Amount)",
                ));
            }
            self.columns = Some(Columns::from_header(record)?);
            return Ok(());
        };
        match map_row(record, &columns) {
            Ok(Some(sale)) => {
                self.summary.rows += 1;
                batch.sales.push(sale);
            }
            Ok(None) => self.summary.rows += 1,
            // Statements glued together repeat their header: it is not data. A header never
            // maps (its type cell names no row type), so only rows that fail are compared with
            // it, which keeps header matching off the path of every good row.
            Err(_) if is_header(record) => {}
            Err(message) => {
                self.summary.rows += 1;
                self.summary.rows_skipped += 1;
                batch.issues.push(RowIssue::new(record.line(), message));
            }
        }
        Ok(())
    }
}

/// Maps one row to a sale, `None` for a row that is not revenue, or says in English why it
/// cannot be read.
pub fn map_row(record: &Record<'_>, columns: &Columns) -> Result<Option<Sale>, String> {
    let found = record.len();
    if found < columns.needed {
        return Err(format!(
            "expected at least {} columns, found {found}",
            columns.needed
        ));
    }
    let field = |index: usize| record.trimmed(index).unwrap_or("");
    let optional = |index: Option<usize>| index.map(field).filter(|text| !text.is_empty());

    let kind_text = field(columns.kind);
    let units = match row_kind(kind_text) {
        Some(RowKind::Revenue(units)) => units,
        Some(RowKind::NotRevenue) => return Ok(None),
        None if kind_text.is_empty() => return Err("the row type is empty".to_string()),
        None => return Err(format!("unknown row type '{}'", excerpt(kind_text))),
    };
    let date_text = field(columns.date);
    let (date, time) =
        parse_date_time(date_text, DATE_ORDER).map_err(|error| date_message(date_text, &error))?;
    let item_id = field(columns.item_id);
    if item_id.is_empty() {
        return Err(format!("the item id of this {kind_text} row is empty"));
    }
    let amount_text = field(columns.amount);
    let amount = parse_money(amount_text).map_err(|error| amount_message(amount_text, &error))?;
    let detail = optional(columns.detail);
    let site = optional(columns.site);

    Ok(Some(Sale {
        date,
        time,
        asset_id: item_id.to_owned(),
        title: detail.map(str::to_owned),
        file_name: None,
        media: media_of(site, detail),
        license: Some(license_of(detail, kind_text)),
        units,
        earnings: Money {
            micros: amount.micros,
            currency: amount
                .currency
                .unwrap_or(DEFAULT_CURRENCY)
                .as_str()
                .to_owned(),
        },
        country: optional(columns.country).map(str::to_owned),
    }))
}

/// Envato's sites and what they sell; the site names are looked for in the Site column, then in
/// the detail (older statements have no Site column, and details sometimes name the site).
/// ThemeForest sells themes and templates; CodeCanyon (code), 3DOcean (models) and anything
/// unnamed fall back to Other.
const SITES: [(&str, MediaType); 5] = [
    ("audiojungle", MediaType::Audio),
    ("videohive", MediaType::Video),
    ("graphicriver", MediaType::Illustration),
    ("photodune", MediaType::Photo),
    ("themeforest", MediaType::Template),
];

/// The media type a row's site or detail names.
fn media_of(site: Option<&str>, detail: Option<&str>) -> MediaType {
    [site, detail]
        .into_iter()
        .flatten()
        .find_map(|text| {
            SITES
                .iter()
                .find(|(name, _)| contains_ignore_ascii_case(text, name))
                .map(|&(_, media)| media)
        })
        .unwrap_or(MediaType::Other)
}

/// "Regular License" or "Extended License" where the detail names one, else the row type.
fn license_of(detail: Option<&str>, kind: &str) -> String {
    let detail = detail.unwrap_or("");
    if contains_ignore_ascii_case(detail, "extended license") {
        "Extended License".to_string()
    } else if contains_ignore_ascii_case(detail, "regular license") {
        "Regular License".to_string()
    } else {
        kind.to_string()
    }
}

/// Whether `haystack` contains `needle` (ASCII, lower case) in any ASCII case, without the
/// lower-cased copy of every detail a `to_ascii_lowercase` would make per row.
fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// "date 'x' is not a date", with the reason where it adds something.
fn date_message(text: &str, error: &DateError) -> String {
    match error {
        DateError::Empty => "the date is empty".to_string(),
        DateError::Format => format!("date '{}' is not a date", excerpt(text)),
        _ => format!("date '{}' is not a date: {error}", excerpt(text)),
    }
}

/// "amount 'x' is not an amount", with the reason where it adds something.
fn amount_message(text: &str, error: &MoneyError) -> String {
    match error {
        MoneyError::Empty => "the amount is empty".to_string(),
        MoneyError::NoDigits => format!("amount '{}' is not an amount", excerpt(text)),
        _ => format!("amount '{}' is not an amount: {error}", excerpt(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::Date;

    /// Parses `input` in chunks of `chunk_size`, returning all sales, issues and the summary.
    fn parse(
        input: &[u8],
        chunk_size: usize,
    ) -> Result<(Vec<Sale>, Vec<RowIssue>, ParseSummary), ParseError> {
        stocklens_plugin_sdk::testing::parse::<EnvatoSession>("statement.csv", input, chunk_size)
    }

    const NEW: &str = "\"Date\",\"Order ID\",\"Type\",\"Detail\",\"Item ID\",\"Document\",\"Price\",\"EU VAT\",\"US RWT\",\"US BWT\",\"Amount\",\"Site\",\"Other Party Country\",\"Other Party Region\",\"Other Party City\",\"Other Party Zipcode\"\r\n\
        \"2026-05-03 14:22:10 +1000\",\"9001\",\"Sale\",\"Cinematic Logo, Reveal - Regular License\",\"240011\",\"\",\"18.00\",\"0.00\",\"0.00\",\"0.00\",\"18.00\",\"videohive.net\",\"Germany\",\"Berlin\",\"Berlin\",\"10115\"\r\n\
        \"2026-05-03 14:22:10 +1000\",\"9001\",\"Author Fee\",\"Cinematic Logo, Reveal - Regular License\",\"240011\",\"\",\"\",\"\",\"\",\"\",\"-6.30\",\"videohive.net\",\"Germany\",\"Berlin\",\"Berlin\",\"10115\"\r\n\
        \"2026-05-04\",\"\",\"Deposit\",\"Deposit via PayPal\",\"\",\"\",\"\",\"\",\"\",\"\",\"50.00\",\"\",\"\",\"\",\"\",\"\"\r\n";

    #[test]
    fn maps_sales_and_fees_and_passes_over_deposits() {
        let (sales, issues, summary) = parse(NEW.as_bytes(), 1 << 20).unwrap_or_default();
        assert_eq!(issues, []);
        assert_eq!(
            summary,
            ParseSummary {
                rows: 3,
                rows_skipped: 0
            }
        );
        assert_eq!(sales.len(), 2);
        let sale = &sales[0];
        assert_eq!(
            sale.date,
            Date {
                year: 2026,
                month: 5,
                day: 3
            }
        );
        assert_eq!(
            sale.time
                .map(|t| (t.hour, t.minute, t.second, t.utc_offset_minutes)),
            Some((14, 22, 10, Some(600)))
        );
        assert_eq!(sale.asset_id, "240011");
        assert_eq!(
            sale.title.as_deref(),
            Some("Cinematic Logo, Reveal - Regular License")
        );
        assert_eq!(sale.license.as_deref(), Some("Regular License"));
        assert_eq!(sale.media, MediaType::Video);
        assert_eq!(sale.units, 1);
        assert_eq!(sale.earnings.micros, 18_000_000);
        assert_eq!(sale.earnings.currency, "USD");
        assert_eq!(sale.country.as_deref(), Some("Germany"));
        assert_eq!((sales[1].units, sales[1].earnings.micros), (0, -6_300_000));
    }

    #[test]
    fn gives_the_same_result_for_any_chunk_size() {
        let whole = parse(NEW.as_bytes(), 1 << 20).unwrap_or_default();
        for size in [1, 2, 3, 7, 50, 1000] {
            assert_eq!(
                parse(NEW.as_bytes(), size).unwrap_or_default(),
                whole,
                "chunk size {size}"
            );
        }
    }

    #[test]
    fn a_reversal_cancels_its_sale() {
        let input = "Date,Order ID,Type,Detail,Item ID,Price,Amount\n\
                     2025-11-02,77,Sale,Flat Icons Pack,5150,6.00,3.30\n\
                     2025-11-20,77,Sale Reversal,Flat Icons Pack,5150,,-3.30\n";
        let (sales, _, _) = parse(input.as_bytes(), 5).unwrap_or_default();
        let units: i32 = sales.iter().map(|s| s.units).sum();
        let micros: i64 = sales.iter().map(|s| s.earnings.micros).sum();
        assert_eq!((units, micros), (0, 0));
        assert_eq!(sales[1].license.as_deref(), Some("Sale Reversal"));
    }

    #[test]
    fn skips_unreadable_rows_with_a_specific_issue() {
        let input = "Date,Order ID,Type,Detail,Item ID,Price,Amount\n\
                     2025-11-02,1,Sale,A,11,1.00,abc\n\
                     2025-13-02,2,Sale,B,12,1.00,0.50\n\
                     2025-11-02,3,Sale,C,,1.00,0.50\n\
                     2025-11-02,4,Bonus,D,14,1.00,0.50\n\
                     2025-11-02,5,Sale\n\
                     \n\
                     2025-11-02,6,Withdrawal Request,PayPal,,,-40.00\n\
                     2025-11-02,7,Sale,G,17,1.00,0.70\n";
        let (sales, issues, summary) = parse(input.as_bytes(), 16).unwrap_or_default();
        let messages: Vec<(u64, &str)> = issues
            .iter()
            .map(|i| (i.line, i.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (2, "amount 'abc' is not an amount"),
                (
                    3,
                    "date '2025-13-02' is not a date: month 13 does not exist"
                ),
                (4, "the item id of this Sale row is empty"),
                (5, "unknown row type 'Bonus'"),
                (6, "expected at least 7 columns, found 3"),
            ]
        );
        assert_eq!(sales.len(), 1);
        assert_eq!(
            summary,
            ParseSummary {
                rows: 7,
                rows_skipped: 5
            }
        );
    }

    #[test]
    fn a_file_without_the_header_stops_the_parse() {
        let result = parse(b"2025-11-02,1,Sale,A,11,1.00,0.50\n", 1 << 20);
        assert_eq!(result.err().and_then(|e| e.line), Some(1));
    }

    #[test]
    fn media_comes_from_the_site_or_the_detail() {
        assert_eq!(media_of(Some("audiojungle.net"), None), MediaType::Audio);
        assert_eq!(
            media_of(None, Some("GraphicRiver: Poster Mockup")),
            MediaType::Illustration
        );
        assert_eq!(media_of(Some("photodune.net"), None), MediaType::Photo);
        assert_eq!(media_of(Some("themeforest.net"), None), MediaType::Template);
        assert_eq!(media_of(Some("codecanyon.net"), None), MediaType::Other);
        assert_eq!(media_of(None, None), MediaType::Other);
    }

    #[test]
    fn license_comes_from_the_detail_or_the_type() {
        assert_eq!(
            license_of(Some("Theme - Extended License"), "Sale"),
            "Extended License"
        );
        assert_eq!(license_of(Some("Theme"), "Author Fee"), "Author Fee");
    }
}
