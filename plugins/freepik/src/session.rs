//! One parse of one assets report: chunks in, sales and row issues out.
//!
//! The CSV work is the SDK's [`RowReader`]; this module takes the columns from the header row,
//! the month from the file name, and maps every later row to one [`Sale`] dated the first of that
//! month, with the month's downloads as units. An asset with no downloads and no earnings that
//! month is a row the report lists for completeness: it is counted as a row but yields no sale
//! and no issue. Every other row that cannot be read becomes a [`RowIssue`].

use stocklens_plugin_sdk::{
    Batch, Currency, Date, MediaType, Money, MoneyError, ParseError, ParseSummary, Record,
    RowHandler, RowIssue, RowSession, Sale, excerpt, parse_money,
};

use crate::columns::{Columns, is_header};
use crate::period::{missing_month_message, month_from_file_name};

/// Freepik pays in euros and says so in the column name.
const CURRENCY: Currency = Currency::EUR;

/// Micros in one download, to tell `12.0` (a whole number) from `1.5`.
const WHOLE: i64 = stocklens_plugin_sdk::MICROS_PER_UNIT;

/// A parse session.
pub type FreepikSession = RowSession<RowMapper>;

/// How this export's rows become sales: the parser's part of its [`RowSession`].
pub struct RowMapper {
    /// The first day of the report's month, or why there is none.
    month: Result<Date, String>,
    /// Decided by the header, the first non-blank row.
    columns: Option<Columns>,
    summary: ParseSummary,
}

impl RowHandler for RowMapper {
    const DELIMITER: u8 = b',';
    /// Typical bytes per row (a description and a URL), to size each batch's vector once.
    const TYPICAL_ROW_BYTES: usize = 160;

    fn start(file_name: &str) -> Self {
        RowMapper {
            month: month_from_file_name(file_name).ok_or_else(|| missing_month_message(file_name)),
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
            let columns = Columns::from_header(record)?;
            // Only a real report reaches this: a foreign file fails on its header first.
            if let Err(message) = &self.month {
                return Err(ParseError::new(message.clone()));
            }
            self.columns = Some(columns);
            return Ok(());
        };
        let Ok(month) = self.month else {
            return Ok(());
        };
        self.summary.rows += 1;
        match map_row(record, &columns, month) {
            Ok(Some(sale)) => batch.sales.push(sale),
            Ok(None) => {}
            // Reports pasted together repeat their header: it is not data.
            Err(_) if is_header(record) => self.summary.rows -= 1,
            Err(message) => {
                self.summary.rows_skipped += 1;
                batch.issues.push(RowIssue::new(record.line(), message));
            }
        }
        Ok(())
    }
}

/// Maps one row to a sale dated `month`, `None` for an asset without downloads or earnings, or
/// says in English why it cannot.
pub fn map_row(
    record: &Record<'_>,
    columns: &Columns,
    month: Date,
) -> Result<Option<Sale>, String> {
    let found = record.len();
    // A trailing comma adds empty fields; other extra fields mean a description lost its quotes.
    let extra_blank =
        (columns.width..found).all(|i| record.get(i).is_some_and(|f| f.trim().is_empty()));
    if found < columns.width || !extra_blank {
        return Err(format!("expected {} columns, found {found}", columns.width));
    }
    let field = |index: usize| record.trimmed(index).unwrap_or("");
    let optional = |index: Option<usize>| index.map(field).filter(|text| !text.is_empty());

    let asset_id = field(columns.asset_id);
    if asset_id.is_empty() {
        return Err("the Freepik asset id is empty".to_string());
    }
    let units = parse_downloads(field(columns.downloads))?;
    let earnings_text = field(columns.earnings);
    let earnings =
        parse_money(earnings_text).map_err(|error| earnings_message(earnings_text, &error))?;
    if let Some(currency) = earnings.currency.filter(|c| *c != CURRENCY) {
        return Err(format!(
            "earnings '{}' are in {currency}, not EUR",
            excerpt(earnings_text)
        ));
    }
    if units == 0 && earnings.micros == 0 {
        return Ok(None);
    }
    Ok(Some(Sale {
        date: month,
        time: None,
        asset_id: asset_id.to_owned(),
        title: optional(columns.description).map(str::to_owned),
        file_name: optional(columns.file_name).map(str::to_owned),
        media: optional(columns.asset_type).map_or(MediaType::Other, media_type),
        license: None,
        units,
        earnings: Money {
            micros: earnings.micros,
            currency: CURRENCY.as_str().to_owned(),
        },
        country: None,
    }))
}

/// Downloads as a whole number; `1,234` and `12.0` (a spreadsheet's doing) are read too.
fn parse_downloads(text: &str) -> Result<i32, String> {
    if text.is_empty() {
        return Err("the downloads are empty".to_string());
    }
    if let Ok(count) = text.parse::<i32>() {
        return Ok(count);
    }
    parse_money(text)
        .ok()
        .filter(|amount| amount.currency.is_none() && amount.micros % WHOLE == 0)
        .and_then(|amount| i32::try_from(amount.micros / WHOLE).ok())
        .ok_or_else(|| format!("downloads '{}' is not a whole number", excerpt(text)))
}

/// What kind of work an `Asset type` names. Freepik's types map as follows: photo and AI image
/// to photo; vector and icon to vector (Freepik delivers icons as SVG/EPS); psd, mockup and
/// template to template (Freepik's PSDs are layered mock-ups and templates); video to video;
/// illustration and 3D renders to illustration; anything else to other.
pub fn media_type(label: &str) -> MediaType {
    const EXTRA: [(&str, MediaType); 10] = [
        ("icon", MediaType::Vector),
        ("icons", MediaType::Vector),
        ("psd", MediaType::Template),
        ("psds", MediaType::Template),
        ("mockup", MediaType::Template),
        ("mockups", MediaType::Template),
        ("3d", MediaType::Illustration),
        ("3d render", MediaType::Illustration),
        ("ai image", MediaType::Photo),
        ("ai images", MediaType::Photo),
    ];
    MediaType::from_label(label)
        .or_else(|| {
            EXTRA
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(label.trim()))
                .map(|&(_, media)| media)
        })
        .unwrap_or(MediaType::Other)
}

/// "earnings 'x' is not an amount", with the reason where it adds something.
fn earnings_message(text: &str, error: &MoneyError) -> String {
    match error {
        MoneyError::Empty => "the earnings are empty".to_string(),
        MoneyError::NoDigits => format!("earnings '{}' is not an amount", excerpt(text)),
        _ => format!("earnings '{}' is not an amount: {error}", excerpt(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Asset type,File name,Description,Asset public URL,Freepik Asset ID,Freepik Downloads,Freepik Earnings EUR\n";

    /// Parses `input` as `file_name` in chunks of `chunk_size`.
    fn parse(
        file_name: &str,
        input: &[u8],
        chunk_size: usize,
    ) -> Result<(Vec<Sale>, Vec<RowIssue>, ParseSummary), ParseError> {
        stocklens_plugin_sdk::testing::parse::<FreepikSession>(file_name, input, chunk_size)
    }

    fn report(body: &str) -> String {
        format!("{HEADER}{body}")
    }

    #[test]
    fn maps_a_row_to_a_sale_in_the_month_of_the_file_name() {
        let input = report(
            "photo,x.jpg,\"Comma, in \"\"desc\"\"\",https://www.freepik.com/free-photo/e_26471081.htm,26471081,82,3.9725\n",
        );
        let (sales, issues, summary) =
            parse("assets_report_05_2026.csv", input.as_bytes(), 1 << 20).unwrap_or_default();
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
                    year: 2026,
                    month: 5,
                    day: 1
                },
                time: None,
                asset_id: "26471081".into(),
                title: Some("Comma, in \"desc\"".into()),
                file_name: Some("x.jpg".into()),
                media: MediaType::Photo,
                license: None,
                units: 82,
                earnings: Money {
                    micros: 3_972_500,
                    currency: "EUR".into()
                },
                country: None,
            }]
        );
    }

    #[test]
    fn keeps_the_smallest_earnings_exactly() {
        let input = report("photo,a.jpg,A,u,1,1,0.0009\nvector,b.eps,B,u,2,3,0.000450\n");
        let (sales, _, _) =
            parse("assets_report_05_2026.csv", input.as_bytes(), 3).unwrap_or_default();
        let micros: Vec<i64> = sales.iter().map(|s| s.earnings.micros).collect();
        assert_eq!(micros, [900, 450]);
    }

    #[test]
    fn a_file_name_without_the_month_stops_the_parse() {
        let input = report("photo,a.jpg,A,u,1,1,0.0009\n");
        let result = parse(
            "freepik_assets_report_sample.csv",
            input.as_bytes(),
            1 << 20,
        );
        assert_eq!(
            result.err(),
            Some(ParseError::new(
                "the month is not in the file name 'freepik_assets_report_sample.csv'; Freepik \
                 names it assets_report_MM_YYYY.csv — rename the file (for example to \
                 assets_report_05_2026.csv for May 2026) or upload it under the name Freepik \
                 gave it"
            ))
        );
    }

    #[test]
    fn a_foreign_header_stops_the_parse() {
        let result = parse(
            "assets_report_05_2026.csv",
            b"Date,ID,Amount\n2026-05-01,1,2\n",
            1 << 20,
        );
        assert_eq!(
            result.err(),
            Some(ParseError::at_line(
                1,
                "the first row is not a Freepik assets report header: no 'Freepik Asset ID' column"
            ))
        );
    }

    #[test]
    fn skips_idle_assets_silently_and_unreadable_rows_with_an_issue() {
        let input = report(
            "photo,a.jpg,A,u,1,0,0\n\
             photo,b.jpg,B,u,,1,0.01\n\
             photo,c.jpg,C,u,3,one,0.01\n\
             photo,d.jpg,D,u,4,1,n/a\n\
             photo,e.jpg,E, unquoted,u,5,1,0.01\n\
             photo,f.jpg,F,u,6,1,$0.01\n\
             photo,g.jpg,G,u,7,1\n\
             photo,h.jpg,H,u,8,1,\n\
             photo,i.jpg,I,u,9,\"1,234\",0.0001,,\n\
             photo,j.jpg,J,u,10,0,0.0000\n",
        ) + HEADER
            + "photo,k.jpg,K,u,11,2.0,0.5\n";
        let (sales, issues, summary) =
            parse("assets_report_05_2026.csv", input.as_bytes(), 7).unwrap_or_default();
        let messages: Vec<(u64, &str)> = issues
            .iter()
            .map(|i| (i.line, i.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (3, "the Freepik asset id is empty"),
                (4, "downloads 'one' is not a whole number"),
                (5, "earnings 'n/a' is not an amount"),
                (6, "expected 7 columns, found 8"),
                (7, "earnings '$0.01' are in USD, not EUR"),
                (8, "expected 7 columns, found 6"),
                (9, "the earnings are empty"),
            ]
        );
        let units: Vec<(&str, i32)> = sales
            .iter()
            .map(|s| (s.asset_id.as_str(), s.units))
            .collect();
        assert_eq!(units, [("9", 1234), ("11", 2)]);
        assert_eq!(
            summary,
            ParseSummary {
                rows: 11,
                rows_skipped: 7
            }
        );
    }

    #[test]
    fn maps_freepik_asset_types() {
        let media: Vec<MediaType> = [
            "photo", "Vector", "psd", "video", "icon", "AI image", "3D", "font",
        ]
        .into_iter()
        .map(media_type)
        .collect();
        assert_eq!(
            media,
            [
                MediaType::Photo,
                MediaType::Vector,
                MediaType::Template,
                MediaType::Video,
                MediaType::Vector,
                MediaType::Photo,
                MediaType::Illustration,
                MediaType::Other
            ]
        );
    }

    #[test]
    fn an_empty_file_has_no_rows_even_without_a_month() {
        let (sales, issues, summary) =
            parse("report.csv", b"\xEF\xBB\xBF\r\n", 1).unwrap_or_default();
        assert!(sales.is_empty() && issues.is_empty());
        assert_eq!(summary, ParseSummary::default());
    }
}
