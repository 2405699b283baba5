//! Where each value sits in a statement row, found by the names of the header row.
//!
//! Envato has shipped two headers: the older seven columns and the newer sixteen (with tax
//! withholdings and the buyer's location). Both name their columns the same way, so matching by
//! name reads either, and a future reordering too. Header matching runs once per file; the
//! resulting [`Columns`] is a handful of indexes the per-row code reads without lookups.

use stocklens_plugin_sdk::{ParseError, Record, header_matches, match_columns};

/// The newer header, as in the public sample (`envato-market_statement_header.csv`).
pub const HEADER_16: [&str; 16] = [
    "Date",
    "Order ID",
    "Type",
    "Detail",
    "Item ID",
    "Document",
    "Price",
    "EU VAT",
    "US RWT",
    "US BWT",
    "Amount",
    "Site",
    "Other Party Country",
    "Other Party Region",
    "Other Party City",
    "Other Party Zipcode",
];

/// The older header.
pub const HEADER_7: [&str; 7] = [
    "Date", "Order ID", "Type", "Detail", "Item ID", "Price", "Amount",
];

// Names each value may have; the first is Envato's own, the rest forgive hand edits.
const DATE: &[&str] = &["date"];
const ORDER_ID: &[&str] = &["order id", "order"];
const KIND: &[&str] = &["type", "transaction type"];
const DETAIL: &[&str] = &["detail", "details", "description"];
const ITEM_ID: &[&str] = &["item id", "item"];
const AMOUNT: &[&str] = &["amount", "net amount"];
const SITE: &[&str] = &["site"];
const COUNTRY: &[&str] = &["other party country", "country"];

/// Which of the two known headers a file carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Exactly the newer sixteen columns, in Envato's order.
    Sixteen,
    /// Exactly the older seven columns, in Envato's order.
    Seven,
    /// The needed columns under Envato's names, but not exactly either header.
    Other,
}

/// Indexes of the values in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub date: usize,
    /// Read only to recognise the header; sales carry no order id.
    pub order_id: usize,
    pub kind: usize,
    pub detail: Option<usize>,
    pub item_id: usize,
    pub amount: usize,
    pub site: Option<usize>,
    pub country: Option<usize>,
    /// Fields a row must have to hold every needed value.
    pub needed: usize,
    pub layout: Layout,
}

impl Columns {
    /// The columns a header row names, or an error naming the value no column holds.
    pub fn from_header(record: &Record<'_>) -> Result<Columns, ParseError> {
        let cells: Vec<&str> = record.iter().collect();
        let [date, order_id, kind, item_id, amount, detail, site, country] = match_columns(
            &cells,
            [DATE, ORDER_ID, KIND, ITEM_ID, AMOUNT, DETAIL, SITE, COUNTRY],
        );
        let missing = |what: &str| {
            ParseError::at_line(
                record.line(),
                format!("not an Envato Market statement header: no column holds the {what}"),
            )
        };
        let date = date.ok_or_else(|| missing("date"))?;
        let order_id = order_id.ok_or_else(|| missing("order id"))?;
        let kind = kind.ok_or_else(|| missing("row type"))?;
        let item_id = item_id.ok_or_else(|| missing("item id"))?;
        let amount = amount.ok_or_else(|| missing("amount"))?;
        let needed = [date, kind, item_id, amount]
            .into_iter()
            .chain(detail)
            .max()
            .unwrap_or(0)
            + 1;
        Ok(Columns {
            date,
            order_id,
            kind,
            detail,
            item_id,
            amount,
            site,
            country,
            needed,
            layout: layout_of(&cells),
        })
    }
}

/// Which known header `cells` is, exactly.
fn layout_of(cells: &[&str]) -> Layout {
    let same = |known: &[&str]| {
        cells.len() == known.len()
            && cells
                .iter()
                .zip(known)
                .all(|(cell, name)| header_matches(cell, name))
    };
    if same(&HEADER_16) {
        Layout::Sixteen
    } else if same(&HEADER_7) {
        Layout::Seven
    } else {
        Layout::Other
    }
}

/// Whether a record is a statement header: its cells name a date, an order id, a type and an
/// amount. A data row never does, since its first cell is a date.
pub fn is_header(record: &Record<'_>) -> bool {
    let has = |aliases: &[&str]| {
        record
            .iter()
            .any(|cell| aliases.iter().any(|alias| header_matches(cell, alias)))
    };
    has(DATE) && has(ORDER_ID) && has(KIND) && has(AMOUNT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_record<T>(line: &str, f: impl FnOnce(&Record<'_>) -> T) -> Option<T> {
        stocklens_plugin_sdk::testing::first_record(line, b',', f)
    }

    fn quoted(names: &[&str]) -> String {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn reads_the_newer_sixteen_column_header() {
        let columns = with_record(&quoted(&HEADER_16), Columns::from_header).and_then(Result::ok);
        let columns = columns.map(|c| (c.date, c.kind, c.item_id, c.amount, c.site, c.layout));
        assert_eq!(columns, Some((0, 2, 4, 10, Some(11), Layout::Sixteen)));
    }

    #[test]
    fn reads_the_older_seven_column_header() {
        let columns = with_record(&quoted(&HEADER_7), Columns::from_header).and_then(Result::ok);
        let columns = columns.map(|c| (c.amount, c.site, c.country, c.needed, c.layout));
        assert_eq!(columns, Some((6, None, None, 7, Layout::Seven)));
    }

    #[test]
    fn a_header_without_item_id_is_an_error() {
        let error = with_record("Date,Order ID,Type,Amount", Columns::from_header)
            .and_then(Result::err)
            .map(|e| e.message);
        assert_eq!(
            error.as_deref(),
            Some("not an Envato Market statement header: no column holds the item id")
        );
    }

    #[test]
    fn data_rows_are_not_headers() {
        let row = "2026-05-03,1234,Sale,\"Date, Order, Type, Amount\",99,10.00,7.00";
        assert_eq!(with_record(row, is_header), Some(false));
        assert_eq!(with_record(&quoted(&HEADER_7), is_header), Some(true));
    }
}
