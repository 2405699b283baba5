//! One parse of one Activity export: chunks in, sales and row issues out.
//!
//! The CSV work is the SDK's [`RowReader`]; this module decides the column layout from the first
//! row and maps every later row to a [`Sale`]. It allocates only the strings a sale keeps.

use stocklens_plugin_sdk::{
    Batch, Currency, DateError, DateOrder, MediaType, Money, MoneyError, ParseError, ParseSummary,
    Record, RowHandler, RowIssue, RowSession, Sale, excerpt, parse_date_time, parse_money,
};

use crate::columns::{Columns, is_header};

/// Order for numeric dates, should an export ever carry them: Adobe's portal is American.
pub const DATE_ORDER: DateOrder = DateOrder::MonthFirst;

/// Royalties without a currency symbol are in dollars: Adobe pays contributors in USD.
const DEFAULT_CURRENCY: Currency = Currency::USD;

/// A parse session.
pub type AdobeSession = RowSession<RowMapper>;

/// How this export's rows become sales: the parser's part of its [`RowSession`].
pub struct RowMapper {
    /// Decided by the first non-blank row.
    columns: Option<Columns>,
    /// Whether the columns came from a header row, so repeated headers can be passed over.
    has_header: bool,
    summary: ParseSummary,
}

impl RowHandler for RowMapper {
    const DELIMITER: u8 = b',';
    /// Typical bytes per row, to size each batch's vector once instead of growing it.
    const TYPICAL_ROW_BYTES: usize = 120;

    fn start(_file_name: &str) -> Self {
        RowMapper {
            columns: None,
            has_header: false,
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
        let columns = match self.columns {
            Some(columns) => columns,
            None if is_header(record) => {
                self.columns = Some(Columns::from_header(record)?);
                self.has_header = true;
                return Ok(());
            }
            None => *self.columns.insert(Columns::ACTIVITY),
        };
        match map_row(record, &columns) {
            Ok(sale) => {
                self.summary.rows += 1;
                batch.sales.push(sale);
            }
            // Exports glued together repeat their header: it is not data.
            Err(_) if self.has_header && is_header(record) => {}
            Err(message) => {
                self.summary.rows += 1;
                self.summary.rows_skipped += 1;
                batch.issues.push(RowIssue::new(record.line(), message));
            }
        }
        Ok(())
    }
}

/// Maps one row to a sale, or says in English why it cannot.
pub fn map_row(record: &Record<'_>, columns: &Columns) -> Result<Sale, String> {
    let found = record.len();
    // No Adobe field holds a line break: one inside a field means a quote was left open and
    // swallowed what follows (CSV lets a quoted field span lines). Counting the merged row as a
    // sale would lose a row's royalty silently. Checked first: it also explains a wrong count.
    if (0..found).any(|i| record.get(i).is_some_and(|f| f.contains(['\n', '\r']))) {
        return Err("a quote is left open: the row runs into the next line".to_owned());
    }
    // A trailing delimiter adds empty fields; anything else is a different shape of row.
    let extra_blank =
        (columns.width..found).all(|i| record.get(i).is_some_and(|f| f.trim().is_empty()));
    if found < columns.width || !extra_blank {
        return Err(format!("expected {} columns, found {found}", columns.width));
    }
    let field = |index: usize| record.trimmed(index).unwrap_or("");
    let optional = |index: Option<usize>| {
        index
            .map(field)
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    };

    let date_text = field(columns.date);
    let (date, time) =
        parse_date_time(date_text, DATE_ORDER).map_err(|error| date_message(date_text, &error))?;
    let asset_id = field(columns.asset_id);
    if asset_id.is_empty() {
        return Err("the asset id is empty".to_string());
    }
    let royalty_text = field(columns.royalty);
    let royalty =
        parse_money(royalty_text).map_err(|error| royalty_message(royalty_text, &error))?;
    let media = columns
        .media
        .map(field)
        .and_then(MediaType::from_label)
        .unwrap_or(MediaType::Other);

    Ok(Sale {
        date,
        time,
        asset_id: asset_id.to_owned(),
        title: optional(columns.title),
        file_name: optional(columns.file_name),
        media,
        license: optional(columns.license),
        // One row is one sale; a negative royalty is a refund, which takes its sale back.
        units: if royalty.micros < 0 { -1 } else { 1 },
        earnings: Money {
            micros: royalty.micros,
            currency: royalty
                .currency
                .unwrap_or(DEFAULT_CURRENCY)
                .as_str()
                .to_owned(),
        },
        country: None,
    })
}

/// "date 'x' is not a date", with the reason where it adds something.
fn date_message(text: &str, error: &DateError) -> String {
    match error {
        DateError::Empty => "the date is empty".to_string(),
        DateError::Format => format!("date '{}' is not a date", excerpt(text)),
        _ => format!("date '{}' is not a date: {error}", excerpt(text)),
    }
}

/// "royalty 'x' is not an amount", with the reason where it adds something.
fn royalty_message(text: &str, error: &MoneyError) -> String {
    match error {
        MoneyError::Empty => "the royalty is empty".to_string(),
        MoneyError::NoDigits => format!("royalty '{}' is not an amount", excerpt(text)),
        _ => format!("royalty '{}' is not an amount: {error}", excerpt(text)),
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
        stocklens_plugin_sdk::testing::parse::<AdobeSession>("activity.csv", input, chunk_size)
    }

    const TWO_ROWS: &str = "\u{feff}2025-07-31T23:08:22+00:00,612345678,\"Sunset, \"\"golden\"\" hour\",custom,$0.99,photos,IMG_1.jpg,Jane Doe,XXL\r\n\
        2025-08-01T01:02:03-04:00,712345678,Drone,extended,€80.00,videos,DJI_2.mp4,Jane Doe,HD1080";

    #[test]
    fn maps_activity_rows_to_sales() {
        let (sales, issues, summary) = parse(TWO_ROWS.as_bytes(), 1 << 20).unwrap_or_default();
        assert_eq!(issues, []);
        assert_eq!(
            summary,
            ParseSummary {
                rows: 2,
                rows_skipped: 0
            }
        );
        let first = &sales[0];
        assert_eq!(
            first.date,
            Date {
                year: 2025,
                month: 7,
                day: 31
            }
        );
        assert_eq!(
            first
                .time
                .map(|t| (t.hour, t.minute, t.second, t.utc_offset_minutes)),
            Some((23, 8, 22, Some(0)))
        );
        assert_eq!(first.asset_id, "612345678");
        assert_eq!(first.title.as_deref(), Some("Sunset, \"golden\" hour"));
        assert_eq!(first.license.as_deref(), Some("custom"));
        assert_eq!(first.file_name.as_deref(), Some("IMG_1.jpg"));
        assert_eq!(first.media, MediaType::Photo);
        assert_eq!(first.units, 1);
        assert_eq!(
            first.earnings,
            Money {
                micros: 990_000,
                currency: "USD".into()
            }
        );
        assert_eq!(first.country, None);
        assert_eq!(sales[1].media, MediaType::Video);
        assert_eq!(
            sales[1].earnings,
            Money {
                micros: 80_000_000,
                currency: "EUR".into()
            }
        );
        assert_eq!(sales[1].time.and_then(|t| t.utc_offset_minutes), Some(-240));
    }

    #[test]
    fn gives_the_same_result_for_any_chunk_size() {
        let whole = parse(TWO_ROWS.as_bytes(), 1 << 20).unwrap_or_default();
        for size in [1, 2, 3, 7, 50] {
            assert_eq!(
                parse(TWO_ROWS.as_bytes(), size).unwrap_or_default(),
                whole,
                "chunk size {size}"
            );
        }
    }

    #[test]
    fn skips_unreadable_rows_with_a_specific_issue() {
        let input = "2025-07-31T10:00:00+00:00,1,A,custom,abc,photos,a.jpg,J,XXL\n\
                     2025-13-01T10:00:00+00:00,2,B,custom,$1.00,photos,b.jpg,J,XXL\n\
                     \n\
                     2025-07-31T10:00:00+00:00,3,C,custom,$1.00\n\
                     2025-07-31T10:00:00+00:00,,D,custom,$1.00,photos,d.jpg,J,XXL\n\
                     2025-07-31T10:00:00+00:00,5,E,custom,$0.50,photos,e.jpg,J,XXL,,\n\
                     2025-07-31T10:00:00+00:00,6,F,custom,n/a,photos,f.jpg,J,XXL\n";
        let (sales, issues, summary) = parse(input.as_bytes(), 16).unwrap_or_default();
        let messages: Vec<(u64, &str)> = issues
            .iter()
            .map(|i| (i.line, i.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (1, "royalty 'abc' is not an amount"),
                (
                    2,
                    "date '2025-13-01T10:00:00+00:00' is not a date: month 13 does not exist"
                ),
                (4, "expected 9 columns, found 5"),
                (5, "the asset id is empty"),
                (7, "royalty 'n/a' is not an amount"),
            ]
        );
        assert_eq!(sales.len(), 1);
        assert_eq!(sales[0].asset_id, "5");
        assert_eq!(
            summary,
            ParseSummary {
                rows: 6,
                rows_skipped: 5
            }
        );
    }

    #[test]
    fn a_quote_left_open_is_a_row_issue_not_a_merged_sale() {
        let text = "2025-07-01T10:00:00+00:00,1,\"Ok\",subscription,$0.99,photos,a.jpg,J,XXL\n\
                    2025-07-02T10:00:00+00:00,2,\"Open,subscription,$0.99,photos,b.jpg,J,XXL\n\
                    2025-07-03T10:00:00+00:00,3,\"Lake\",subscription,$0.33,photos,c.jpg,J,XXL\n";
        let (sales, issues, summary) = parse(text.as_bytes(), 1 << 20).unwrap_or_default();
        assert_eq!(sales.len(), 1);
        assert_eq!(summary.rows_skipped, 1);
        assert!(
            issues[0].message.contains("quote is left open"),
            "{issues:?}"
        );
    }

    #[test]
    fn uses_a_header_row_to_find_columns() {
        let input = "Date,Asset ID,Title,License,Royalty,Media Type,Original File Name,Contributor,Size\n\
                     2025-07-31T10:00:00+00:00,1,A,custom,\"0,99 $\",vectors,a.eps,J,XXL\n\
                     Date,Asset ID,Title,License,Royalty,Media Type,Original File Name,Contributor,Size\n\
                     2025-07-31T11:00:00+00:00,2,B,custom,$1.50,illustrations,b.jpg,J,XXL\n";
        let (sales, issues, summary) = parse(input.as_bytes(), 10).unwrap_or_default();
        assert_eq!(issues, []);
        assert_eq!(
            summary,
            ParseSummary {
                rows: 2,
                rows_skipped: 0
            }
        );
        let media: Vec<MediaType> = sales.iter().map(|s| s.media).collect();
        assert_eq!(media, [MediaType::Vector, MediaType::Illustration]);
        assert_eq!(sales[0].earnings.micros, 990_000);
    }

    #[test]
    fn a_header_without_royalty_stops_the_parse() {
        let result = parse(
            b"Date,Asset ID,Title,License\n2025-07-31,1,A,custom\n",
            1 << 20,
        );
        assert_eq!(
            result.err(),
            Some(ParseError::at_line(1, "no column holds the royalty"))
        );
    }

    #[test]
    fn an_empty_file_has_no_rows() {
        let (sales, issues, summary) = parse(b"\xEF\xBB\xBF\r\n\r\n", 1).unwrap_or_default();
        assert!(sales.is_empty() && issues.is_empty());
        assert_eq!(summary, ParseSummary::default());
    }
}
