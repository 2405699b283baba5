//! How sure the parser is that a file is an Envato Market statement, from its header row.
//!
//! Both statement layouts start with a header of distinctive names (`Order ID`, `Item ID`,
//! `Type`, `Amount`, and in the newer one `US RWT`, `Other Party Country`), so the header alone
//! decides. It reads one record and must never fail, whatever the head holds.

use stocklens_plugin_sdk::{Detection, Record, RowReader};

use crate::columns::{Columns, Layout, is_header};

/// Scores `head`, the first bytes of a file.
pub fn detect(_file_name: &str, head: &[u8]) -> Detection {
    let mut verdict: Option<Detection> = None;
    let mut judge = |record: Record<'_>| {
        if verdict.is_none() && !record.is_blank() {
            verdict = Some(judge_header(&record));
        }
        Ok(())
    };
    let mut reader = RowReader::new(b',');
    // The header may be all the head holds, without its line break.
    let _ = reader.feed(head, &mut judge);
    let _ = reader.finish(&mut judge);
    verdict.unwrap_or_else(|| Detection::new(0, "no rows"))
}

fn judge_header(record: &Record<'_>) -> Detection {
    if !is_header(record) {
        return Detection::new(0, "no Envato Market statement header");
    }
    match Columns::from_header(record).map(|columns| columns.layout) {
        Ok(Layout::Sixteen) => Detection::new(95, "Envato Market statement header, 16 columns"),
        Ok(Layout::Seven) => Detection::new(95, "Envato Market statement header, 7 columns"),
        Ok(Layout::Other) => Detection::new(
            80,
            "header with Envato Market statement columns in a different layout",
        ),
        Err(_) => Detection::new(
            20,
            "header with some Envato Market statement columns, item id or amount missing",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confidence(head: &str) -> u8 {
        detect("statement.csv", head.as_bytes()).confidence
    }

    /// Verbatim from the public sample `envato-market_statement_header.csv`.
    const REAL_HEADER: &str = "\"Date\",\"Order ID\",\"Type\",\"Detail\",\"Item ID\",\"Document\",\"Price\",\"EU VAT\",\"US RWT\",\"US BWT\",\"Amount\",\"Site\",\"Other Party Country\",\"Other Party Region\",\"Other Party City\",\"Other Party Zipcode\"";

    #[test]
    fn is_sure_of_either_statement_header() {
        assert_eq!(confidence(REAL_HEADER), 95);
        assert_eq!(confidence(&format!("\u{feff}{REAL_HEADER}\r\n")), 95);
        assert_eq!(
            confidence(
                "\"Date\",\"Order ID\",\"Type\",\"Detail\",\"Item ID\",\"Price\",\"Amount\"\n2026-01-01,1,Sale,x,2,1.00,0.50\n"
            ),
            95
        );
    }

    #[test]
    fn is_less_sure_of_a_reordered_header() {
        assert_eq!(
            confidence("Order ID,Date,Type,Item ID,Amount\n1,2026-01-01,Sale,2,0.50\n"),
            80
        );
        assert_eq!(confidence("Date,Order ID,Type,Amount\n"), 20);
    }

    #[test]
    fn doubts_other_files() {
        assert_eq!(confidence(""), 0);
        assert_eq!(
            confidence("Date,Asset ID,Title,Royalty\n2026-01-01,1,x,$1\n"),
            0
        );
        assert_eq!(
            confidence(
                "2025-07-31T23:08:22+00:00,612345678,Sunset,custom,$0.99,photos,a.jpg,J,XXL\n"
            ),
            0
        );
        assert!(confidence("\u{0}\u{1}garbage\"\n\n,,,") < 20);
    }
}
