//! One parse of one royalty statement: chunks in, sales and row issues out.
//!
//! The tab-separated reading is the SDK's [`RowReader`]; this module takes the columns from the
//! header row and maps every later row to a [`Sale`]. A row is one transaction. Rows that carry
//! only the statement's summary (no asset number, no sales date, no royalty) are the statement's
//! totals, not data: they are passed over like a header and not counted. Every other row that
//! cannot be read becomes a [`RowIssue`] naming its line and what is wrong.

use stocklens_plugin_sdk::{
    Batch, Currency, DateError, MediaType, Money, MoneyError, ParseError, ParseSummary, Record,
    RowHandler, RowIssue, RowSession, Sale, excerpt, parse_money,
};

use crate::columns::{Columns, is_header};
use crate::sales_date::parse_sales_date;

/// Getty writes `Gross Royalty in USD`; an amount without a symbol is in dollars.
const CURRENCY: Currency = Currency::USD;

/// A parse session.
pub type GettySession = RowSession<RowMapper>;

/// How this export's rows become sales: the parser's part of its [`RowSession`].
pub struct RowMapper {
    /// Decided by the header, the first non-blank row.
    columns: Option<Columns>,
    summary: ParseSummary,
}

impl RowHandler for RowMapper {
    const DELIMITER: u8 = b'\t';
    /// Typical bytes per statement row (65 columns, a long rights text), to size each batch once.
    const TYPICAL_ROW_BYTES: usize = 700;

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
            self.columns = Some(Columns::from_header(record)?);
            return Ok(());
        };
        match map_row(record, &columns) {
            Ok(Some(sale)) => {
                self.summary.rows += 1;
                batch.sales.push(sale);
            }
            Ok(None) => {}
            // Statements pasted together repeat their header: it is not data.
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

/// Maps one row to a sale, `None` for a summary-only row, or says in English why it cannot.
pub fn map_row(record: &Record<'_>, columns: &Columns) -> Result<Option<Sale>, String> {
    let found = record.len();
    // A trailing tab adds empty fields; other extra fields mean a shifted row.
    let extra_blank =
        (columns.width..found).all(|i| record.get(i).is_some_and(|f| f.trim().is_empty()));
    if found < columns.required_width() || !extra_blank {
        return Err(format!("expected {} columns, found {found}", columns.width));
    }
    let field = |index: usize| record.trimmed(index).unwrap_or("");
    let optional = |index: Option<usize>| index.map(field).filter(|text| !text.is_empty());

    let asset_id = field(columns.asset_id);
    let date_text = field(columns.date);
    let royalty_text = field(columns.royalty);
    if asset_id.is_empty() && date_text.is_empty() && royalty_text.is_empty() {
        return Ok(None);
    }
    if asset_id.is_empty() {
        return Err("the asset number is empty".to_string());
    }
    let date = parse_sales_date(date_text).map_err(|error| date_message(date_text, &error))?;
    let royalty =
        parse_money(royalty_text).map_err(|error| royalty_message(royalty_text, &error))?;
    if let Some(currency) = royalty.currency.filter(|c| *c != CURRENCY) {
        return Err(format!(
            "gross royalty '{}' is in {currency}, not USD",
            excerpt(royalty_text)
        ));
    }
    let units = match optional(columns.quantity) {
        Some(text) => text
            .parse::<i32>()
            .map_err(|_| format!("quantity '{}' is not a whole number", excerpt(text)))?,
        // A negative royalty is a refund or a reversal: it takes its sale back.
        None if royalty.micros < 0 => -1,
        None => 1,
    };
    let license = optional(columns.license);
    let collection = optional(columns.collection);

    Ok(Some(Sale {
        date,
        time: None,
        asset_id: asset_id.to_owned(),
        title: optional(columns.title).map(|title| strip_asset_prefix(title, asset_id).to_owned()),
        file_name: optional(columns.alternate_id)
            .filter(|name| looks_like_file_name(name))
            .map(str::to_owned),
        media: media_type(license, collection),
        license: license.or(collection).map(str::to_owned),
        units,
        earnings: Money {
            micros: royalty.micros,
            currency: CURRENCY.as_str().to_owned(),
        },
        country: optional(columns.country).map(str::to_owned),
    }))
}

/// Getty writes the description as `123456789-Illas Cíes`: the title is what follows the asset
/// number.
fn strip_asset_prefix<'a>(title: &'a str, asset_id: &str) -> &'a str {
    match title
        .strip_prefix(asset_id)
        .and_then(|rest| rest.strip_prefix('-'))
        .map(str::trim)
    {
        Some(rest) if !rest.is_empty() => rest,
        _ => title,
    }
}

/// Whether the `Alternate Asset Number` is the contributor's file name (`IMG_0038.jpg`) rather
/// than another id: it ends in a short alphanumeric extension.
fn looks_like_file_name(text: &str) -> bool {
    text.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty()
            && (2..=4).contains(&extension.len())
            && extension.bytes().all(|b| b.is_ascii_alphanumeric())
            && extension.bytes().any(|b| b.is_ascii_alphabetic())
    })
}

/// What was sold, from the product type and the collection: Getty names footage and
/// illustrations there ("Getty Images Video", "iStock Illustrations"); everything else is a
/// photo, by far the most common.
fn media_type(license: Option<&str>, collection: Option<&str>) -> MediaType {
    const KEYWORDS: [(&str, MediaType); 6] = [
        ("video", MediaType::Video),
        ("footage", MediaType::Video),
        ("film", MediaType::Video),
        ("illustration", MediaType::Illustration),
        ("vector", MediaType::Vector),
        ("music", MediaType::Audio),
    ];
    let says = |keyword: &str| {
        [license, collection]
            .into_iter()
            .flatten()
            .any(|text| contains_ignore_ascii_case(text, keyword))
    };
    KEYWORDS
        .iter()
        .find(|(keyword, _)| says(keyword))
        .map_or(MediaType::Photo, |&(_, media)| media)
}

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// "sales date 'x' is not a date", with the reason where it adds something.
fn date_message(text: &str, error: &DateError) -> String {
    match error {
        DateError::Empty => "the sales date is empty".to_string(),
        DateError::Format => format!("sales date '{}' is not a date", excerpt(text)),
        _ => format!("sales date '{}' is not a date: {error}", excerpt(text)),
    }
}

/// "gross royalty 'x' is not an amount", with the reason where it adds something.
fn royalty_message(text: &str, error: &MoneyError) -> String {
    match error {
        MoneyError::Empty => "the gross royalty is empty".to_string(),
        MoneyError::NoDigits => format!("gross royalty '{}' is not an amount", excerpt(text)),
        _ => format!(
            "gross royalty '{}' is not an amount: {error}",
            excerpt(text)
        ),
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
        stocklens_plugin_sdk::testing::parse::<GettySession>("statement.txt", input, chunk_size)
    }

    const HEADER: &str = "Sales Date\tCollection\tProduct Type\tAsset Number\tAlternate Asset Number\tAsset Description\tSales Territory\tGross Royalty in USD\tStatementSummary_Totals_Gross\r\n";

    fn rows(body: &str) -> String {
        format!("{HEADER}{body}")
    }

    #[test]
    fn maps_a_transaction_to_a_sale() {
        let input = rows(
            "04-ene-2016\tMoment Open\tPremium Access Time Limited\t123456789\tIMG_0038.jpg\t123456789-Illas Cíes, \"Galicia\"\tNEW YORK\t3.000000000\t3.9874\r\n",
        );
        let (sales, issues, summary) = parse(input.as_bytes(), 1 << 20).unwrap_or_default();
        assert_eq!(issues, []);
        assert_eq!(
            summary,
            ParseSummary {
                rows: 1,
                rows_skipped: 0
            }
        );
        assert_eq!(
            sales,
            [Sale {
                date: Date {
                    year: 2016,
                    month: 1,
                    day: 4
                },
                time: None,
                asset_id: "123456789".into(),
                title: Some("Illas Cíes, \"Galicia\"".into()),
                file_name: Some("IMG_0038.jpg".into()),
                media: MediaType::Photo,
                license: Some("Premium Access Time Limited".into()),
                units: 1,
                earnings: Money {
                    micros: 3_000_000,
                    currency: "USD".into()
                },
                country: Some("NEW YORK".into()),
            }]
        );
    }

    #[test]
    fn reads_media_from_product_type_or_collection() {
        let input = rows(
            "05-Mar-2026\tGetty Images Video\tRoyalty Free\t1\t\t\t\t1.00\t\n\
             05-Mar-2026\tiStock\tIllustration - Essentials\t2\t\t\t\t1.00\t\n\
             05-Mar-2026\tiStock\tSignature\t3\t4711\t\t\t1.00\t\n",
        );
        let (sales, _, _) = parse(input.as_bytes(), 1 << 20).unwrap_or_default();
        let media: Vec<MediaType> = sales.iter().map(|s| s.media).collect();
        assert_eq!(
            media,
            [MediaType::Video, MediaType::Illustration, MediaType::Photo]
        );
        assert_eq!(sales[2].file_name, None);
    }

    #[test]
    fn a_refund_takes_its_sale_back() {
        let input = rows("05-Mar-2026\tiStock\tSignature\t3\t\t\t\t-0.50\t\n");
        let (sales, _, _) = parse(input.as_bytes(), 1 << 20).unwrap_or_default();
        assert_eq!(
            sales
                .iter()
                .map(|s| (s.units, s.earnings.micros))
                .collect::<Vec<_>>(),
            [(-1, -500_000)]
        );
    }

    #[test]
    fn summary_rows_and_repeated_headers_are_not_data() {
        let input = rows(
            "\t\t\t\t\t\t\t\t123.45\r\n\
             05-Mar-2026\tiStock\tSignature\t3\t\t\t\t1.25\t\r\n",
        ) + HEADER
            + "\r\n06-Mar-2026\tiStock\tSignature\t4\t\t\t\t0.25\t\r\n";
        let (sales, issues, summary) = parse(input.as_bytes(), 5).unwrap_or_default();
        assert_eq!(issues, []);
        assert_eq!(sales.len(), 2);
        assert_eq!(
            summary,
            ParseSummary {
                rows: 2,
                rows_skipped: 0
            }
        );
    }

    #[test]
    fn skips_unreadable_rows_with_a_specific_issue() {
        let input = rows(
            "05-Foo-2026\tiStock\tSignature\t1\t\t\t\t1.00\t\n\
             05-Mar-2026\tiStock\tSignature\t\t\t\t\t1.00\t\n\
             05-Mar-2026\tiStock\tSignature\t3\t\t\t\tn/a\t\n\
             05-Mar-2026\tiStock\n\
             05-Mar-2026\tiStock\tSignature\t5\t\t\t\t€1.00\t\n\
             \tiStock\tSignature\t6\t\t\t\t1.00\t\n\
             05-Mar-2026\tiStock\tSignature\t7\t\t\t\t1.00\t\textra\n\
             31-feb-2026\tiStock\tSignature\t8\t\t\t\t1.00\t\n\
             05-Mar-2026\tiStock\tSignature\t9\t\t\t\t\t\n\
             05-Mar-2026\tiStock\tSignature\t10\t\t\t\t0.10\t\t\t\n",
        );
        let (sales, issues, summary) = parse(input.as_bytes(), 13).unwrap_or_default();
        let messages: Vec<(u64, &str)> = issues
            .iter()
            .map(|i| (i.line, i.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    2,
                    "sales date '05-Foo-2026' is not a date: it names an unknown month"
                ),
                (3, "the asset number is empty"),
                (4, "gross royalty 'n/a' is not an amount"),
                (5, "expected 9 columns, found 2"),
                (6, "gross royalty '€1.00' is in EUR, not USD"),
                (7, "the sales date is empty"),
                (8, "expected 9 columns, found 10"),
                (
                    9,
                    "sales date '31-feb-2026' is not a date: day 31 does not exist in month 2 of 2026"
                ),
                (10, "the gross royalty is empty"),
            ]
        );
        assert_eq!(sales.len(), 1);
        assert_eq!(sales[0].asset_id, "10");
        assert_eq!(
            summary,
            ParseSummary {
                rows: 10,
                rows_skipped: 9
            }
        );
    }

    #[test]
    fn reads_a_quantity_column_where_there_is_one() {
        let input = "Asset Number\tSales Date\tGross Royalty in USD\tQuantity\n\
                     1\t05-Mar-2026\t2.00\t4\n\
                     2\t05-Mar-2026\t2.00\tfour\n";
        let (sales, issues, _) = parse(input.as_bytes(), 1 << 20).unwrap_or_default();
        assert_eq!(sales.iter().map(|s| s.units).collect::<Vec<_>>(), [4]);
        assert_eq!(
            issues,
            [RowIssue::new(3, "quantity 'four' is not a whole number")]
        );
    }

    #[test]
    fn a_file_without_the_statement_header_stops_the_parse() {
        let result = parse(b"Date\tID\tAmount\n2026-03-05\t1\t1.00\n", 1 << 20);
        assert_eq!(
            result.err(),
            Some(ParseError::at_line(
                1,
                "the first row is not a Getty royalty statement header: no 'Gross Royalty in USD' column"
            ))
        );
    }

    #[test]
    fn an_empty_file_has_no_rows() {
        let (sales, issues, summary) = parse(b"\xEF\xBB\xBF\r\n\r\n", 1).unwrap_or_default();
        assert!(sales.is_empty() && issues.is_empty());
        assert_eq!(summary, ParseSummary::default());
    }
}
