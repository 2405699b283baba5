//! How sure the parser is that a file is an Adobe Stock Activity export, from its first rows.
//!
//! The export has no header and no file-name convention to rely on, so detection looks at the
//! shape of the rows: nine comma-separated fields, an ISO date-time first, an amount fifth.
//! It reads at most [`ROWS_CHECKED`] rows and must never fail, whatever the head holds.

use stocklens_plugin_sdk::{
    Currency, Detection, Record, RowReader, excerpt, parse_date_time, parse_money,
};

use crate::columns::{ACTIVITY_COLUMNS, Columns, foreign_column, is_header};
use crate::session::{DATE_ORDER, map_row};

/// Rows looked at: enough to see a pattern, few enough to stay instant.
const ROWS_CHECKED: usize = 10;

/// What the first rows look like.
#[derive(Debug, Default)]
struct Survey {
    header: Option<Result<Columns, ()>>,
    /// A header column the Activity export does not have.
    foreign: Option<String>,
    rows: usize,
    /// Rows shaped like the Activity export.
    activity_rows: usize,
    /// Rows that a header's columns read as sales.
    readable_rows: usize,
    /// Rows with nine fields, whatever they hold.
    nine_field_rows: usize,
    currency: Option<Currency>,
}

impl Survey {
    fn add(&mut self, record: &Record<'_>) {
        if record.is_blank() || self.rows >= ROWS_CHECKED {
            return;
        }
        if self.header.is_none() && self.rows == 0 && is_header(record) {
            self.header = Some(Columns::from_header(record).map_err(|_| ()));
            // Shown in the reason: one line, cut short, whatever the cell holds.
            self.foreign = foreign_column(record).map(excerpt);
            return;
        }
        self.rows += 1;
        if record.len() == ACTIVITY_COLUMNS {
            self.nine_field_rows += 1;
        }
        if let Some(Ok(columns)) = self.header {
            if map_row(record, &columns).is_ok() {
                self.readable_rows += 1;
            }
            return;
        }
        let date_time = record
            .get(0)
            .and_then(|text| parse_date_time(text, DATE_ORDER).ok());
        let amount = record.get(4).and_then(|text| parse_money(text).ok());
        if record.len() == ACTIVITY_COLUMNS
            && let (Some((_, Some(_))), Some(amount)) = (date_time, amount)
        {
            self.activity_rows += 1;
            self.currency = self.currency.or(amount.currency);
        }
    }
}

/// Scores `head`, the first bytes of a file.
pub fn detect(_file_name: &str, head: &[u8]) -> Detection {
    let mut survey = Survey::default();
    let mut reader = RowReader::new(b',');
    // Only rows that end within the head count, since its last line may be cut; a head that is
    // one unterminated line is read whole.
    let _ = reader.feed(head, |record| {
        survey.add(&record);
        Ok(())
    });
    if survey.rows == 0 && survey.header.is_none() {
        let _ = reader.finish(|record| {
            survey.add(&record);
            Ok(())
        });
    }
    score(&survey)
}

/// Activity columns a header must name before it is taken for the export's: a date, an id and
/// an amount alone are every sales table's, and another parser (the generic one at least) reads
/// such a table as well without calling it Adobe Stock's.
const DISTINCTIVE_COLUMNS: usize = 5;

/// Share of checked rows, in percent, that must fit for full confidence: one odd row in the first
/// few (a refund line, a hand edit) should not hide an otherwise clear match.
const MOSTLY_PERCENT: usize = 80;

fn score(survey: &Survey) -> Detection {
    let currency = survey
        .currency
        .as_ref()
        .map_or("$", |c| if *c == Currency::USD { "$" } else { c.as_str() });
    let mostly = |fitting: usize| fitting * 100 >= survey.rows * MOSTLY_PERCENT;
    let half = |fitting: usize| fitting * 2 > survey.rows;
    match survey.header {
        Some(Ok(_)) if survey.foreign.is_some() => {
            return Detection::new(
                30,
                format!(
                    "header row has a {} column, which Adobe Stock activity does not have",
                    survey.foreign.as_deref().unwrap_or_default()
                ),
            );
        }
        Some(Ok(columns))
            if columns.named() < DISTINCTIVE_COLUMNS && half(survey.readable_rows) =>
        {
            return Detection::new(
                40,
                format!(
                    "header row names only {} of Adobe Stock activity's columns",
                    columns.named()
                ),
            );
        }
        Some(Ok(_)) if survey.rows == 0 => {
            return Detection::new(40, "Adobe Stock activity header, no rows");
        }
        Some(Ok(_)) if mostly(survey.readable_rows) => {
            return Detection::new(70, "header row with Adobe Stock activity columns");
        }
        Some(Ok(_)) if half(survey.readable_rows) => {
            return Detection::new(
                55,
                "header row with Adobe Stock activity columns, many rows unreadable",
            );
        }
        Some(_) => {
            return Detection::new(10, "a header row that does not fit Adobe Stock activity");
        }
        None => {}
    }
    if survey.rows == 0 {
        return Detection::new(0, "no rows");
    }
    if survey.activity_rows == survey.rows {
        let confidence = if survey.rows >= 3 { 95 } else { 90 };
        return Detection::new(
            confidence,
            format!("9 columns, ISO date-times, {currency} amounts"),
        );
    }
    if survey.rows >= 3 && mostly(survey.activity_rows) {
        return Detection::new(
            85,
            format!("9 columns, ISO date-times, {currency} amounts in most rows"),
        );
    }
    if half(survey.activity_rows) {
        return Detection::new(
            60,
            format!("some rows have 9 columns, ISO date-times and {currency} amounts"),
        );
    }
    if survey.nine_field_rows == survey.rows {
        return Detection::new(15, "9 columns, but not Adobe Stock activity values");
    }
    Detection::new(0, "not 9 comma-separated columns")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = "2025-07-31T23:08:22+00:00,612345678,\"Sunset, golden hour\",custom,$0.99,photos,IMG_1.jpg,Jane Doe,XXL\n";

    fn confidence(head: &str) -> u8 {
        detect("activity.csv", head.as_bytes()).confidence
    }

    #[test]
    fn is_sure_of_activity_rows() {
        assert_eq!(confidence(&ROW.repeat(5)), 95);
        assert_eq!(confidence(&format!("\u{feff}{ROW}")), 90);
        assert_eq!(
            detect("x.csv", ROW.repeat(3).as_bytes()).reason,
            "9 columns, ISO date-times, $ amounts"
        );
    }

    #[test]
    fn ignores_a_cut_last_line() {
        let head = format!("{}{}", ROW.repeat(3), &ROW[..40]);
        assert_eq!(confidence(&head), 95);
        assert_eq!(confidence(ROW.trim_end()), 90);
    }

    #[test]
    fn is_fairly_sure_of_the_header_variant() {
        let header =
            "Date,Asset ID,Title,License,Royalty,Media Type,Original File Name,Contributor,Size\n";
        assert_eq!(confidence(&format!("{header}{ROW}{ROW}")), 70);
    }

    #[test]
    fn steps_aside_for_a_table_with_quantities_or_currencies() {
        // Another shop's sales table that happens to share Adobe's column names.
        let head = "Sale Date,Media ID,Description,Media Type,License,Quantity,Revenue\n\
                    11/02/2025,880123,Lake,photo,Standard,2,$2.50\n";
        assert_eq!(confidence(head), 30);
        assert_eq!(
            detect("sales.csv", head.as_bytes()).reason,
            "header row has a Quantity column, which Adobe Stock activity does not have"
        );
        let head = "Date,Asset ID,Title,Royalty,Currency\n2025-07-31,1,x,0.99,EUR\n";
        assert_eq!(confidence(head), 30);
    }

    #[test]
    fn leaves_a_bare_date_id_amount_table_to_others() {
        let head = "Date,ID,Royalty\n2025-07-31,1,$0.99\n2025-07-30,2,$1.99\n";
        assert_eq!(confidence(head), 40);
        let head = "Date,Asset ID,Title,License,Royalty\n2025-07-31,1,x,custom,$0.99\n";
        assert_eq!(confidence(head), 70);
    }

    #[test]
    fn tolerates_one_odd_row_among_several() {
        let odd = "2025-07-31T23:08:22+00:00,1,x,custom,n/a,photos,a.jpg,J,XXL\n";
        assert_eq!(confidence(&format!("{}{odd}", ROW.repeat(5))), 85);
        assert_eq!(confidence(&format!("{ROW}{odd}{odd}")), 15);
    }

    #[test]
    fn doubts_other_files() {
        assert_eq!(confidence(""), 0);
        assert_eq!(confidence("date;id;amount\n2025-01-01;1;0,99\n"), 0);
        assert_eq!(confidence("a,b,c,d,e,f,g,h,i\n1,2,3,4,5,6,7,8,9\n"), 15);
        assert_eq!(
            confidence("Date,Asset ID,Title,Earnings\n2025-01-01,1,x,nope\n"),
            10
        );
        assert!(confidence("\u{0}\u{1}garbage\"\n\n,,,") < 20);
    }
}
