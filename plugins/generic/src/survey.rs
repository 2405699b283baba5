//! What the first bytes of a file say about how it is written: the delimiter, the header's
//! roles, whether amounts use a decimal comma, and whether numeric dates put the day or the
//! month first.
//!
//! Detection and parse sessions both survey exactly the first [`HEAD_BYTES`] of a file (or the
//! whole file when it is shorter), and in it at most the first [`SURVEY_ROWS`] rows, so a session
//! reads the same way whatever its chunk sizes, and the way detection promised. The survey never
//! fails: a broken head gives a survey that says so.

use std::borrow::Cow;

use stocklens_plugin_sdk::{
    DELIMITERS, DateOrder, ParseError, Record, RowReader, guess_date_order, parse_date,
    parse_money, sniff_delimiter,
};

use crate::columns::Roles;

/// Bytes surveyed: what the host hands detection (64 KiB), so a session decides as detection
/// did. A thousand rows or so, plenty to see a decimal comma or a day above 12.
pub const HEAD_BYTES: usize = 64 * 1024;

/// Data rows surveyed at most, however short the rows. A session starts reading as soon as its
/// head holds this many, so a small file's sales come from `feed` rather than all from `finish`,
/// which the host allows only a few (1,024).
pub const SURVEY_ROWS: usize = 1_000;

/// Data rows whose date and earnings detection tries to read: enough to tell a sales table from
/// a table that merely has a "Date" column.
const CHECKED_ROWS: usize = 20;

/// Which mark separates decimals in the file's amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1,234.50`.
    Dot,
    /// `1 234,50`, `1.234,50`.
    Comma,
    /// The head did not tell: each amount is read on its own (see `parse_money`).
    Unknown,
}

impl DecimalMark {
    /// `text` with its thousands separators removed and a `.` as decimal mark, so that
    /// `parse_money` never mistakes `1,500` in a decimal-comma file for fifteen hundred.
    pub fn normalize(self, text: &str) -> Cow<'_, str> {
        match self {
            // One pass, one allocation: this runs on every row's amount.
            DecimalMark::Comma if text.contains(',') => Cow::Owned(
                text.chars()
                    .filter(|&c| c != '.')
                    .map(|c| if c == ',' { '.' } else { c })
                    .collect(),
            ),
            DecimalMark::Dot if text.contains(',') => Cow::Owned(text.replace(',', "")),
            _ => Cow::Borrowed(text),
        }
    }
}

/// Whether a date needs the file's day/month order to be read: numeric, not year first, and not
/// written with dots (`31.07.2025` is day first wherever it is written).
pub fn needs_order(text: &str) -> bool {
    let mut pieces = text.trim().split(['/', '-', '.', ' ']);
    let (Some(first), Some(second)) = (pieces.next(), pieces.next()) else {
        return false;
    };
    let numeric = |piece: &str| !piece.is_empty() && piece.bytes().all(|b| b.is_ascii_digit());
    numeric(first) && first.len() <= 2 && numeric(second) && !text.trim().contains('.')
}

/// What the head says.
#[derive(Debug)]
pub struct Survey {
    pub delimiter: u8,
    /// The header's roles, or why it has none; `None` when the head has no row at all.
    pub roles: Option<Result<Roles, ParseError>>,
    pub decimal: DecimalMark,
    /// `None` when no numeric date in the head tells (or they contradict each other).
    pub date_order: Option<DateOrder>,
    /// Data rows seen in the head.
    pub rows: usize,
    /// Of the first [`CHECKED_ROWS`], those whose date and earnings read.
    pub readable_rows: usize,
    pub checked_rows: usize,
}

/// Surveys `head`. `complete` says the head is the whole file, so a last line without a line
/// break is a row rather than a cut one.
pub fn survey(head: &[u8], complete: bool) -> Survey {
    let head = &head[..head.len().min(HEAD_BYTES)];
    let delimiter = delimiter_of(head);
    let mut reading = Reading::default();
    let mut reader = RowReader::new(delimiter);
    let _ = reader.feed(head, |record| {
        reading.add(&record);
        Ok(())
    });
    if complete {
        let _ = reader.finish(|record| {
            reading.add(&record);
            Ok(())
        });
    }
    let decimal = match (reading.dot_votes, reading.comma_votes) {
        (0, 0) => DecimalMark::Unknown,
        (_, 0) => DecimalMark::Dot,
        (0, _) => DecimalMark::Comma,
        (dots, commas) if commas > dots => DecimalMark::Comma,
        _ => DecimalMark::Dot,
    };
    let date_order = guess_date_order(
        reading
            .dates
            .iter()
            .map(String::as_str)
            .filter(|d| needs_order(d)),
    );
    let order = date_order.unwrap_or(DateOrder::DayFirst);
    let readable_rows = reading
        .checked
        .iter()
        .filter(|(date, amount)| {
            parse_date(date, order).is_ok() && parse_money(&decimal.normalize(amount)).is_ok()
        })
        .count();
    Survey {
        delimiter,
        roles: reading.roles,
        decimal,
        date_order,
        rows: reading.rows,
        readable_rows,
        checked_rows: reading.checked.len(),
    }
}

/// The delimiter: the SDK's sniffed one when the header line holds it, else the one the header
/// line holds most of, else a comma. The SDK wants every sniffed line to hold the delimiter, so
/// one short line (a total, a note) would otherwise turn a semicolon table into one column.
fn delimiter_of(head: &[u8]) -> u8 {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let header = head
        .split(|&b| b == b'\n' || b == b'\r')
        .find(|line| !line.iter().all(u8::is_ascii_whitespace))
        .unwrap_or(&[]);
    let count = |delimiter: u8| header.iter().filter(|&&b| b == delimiter).count();
    match sniff_delimiter(head) {
        Some(sniffed) if count(sniffed) > 0 => sniffed,
        _ => DELIMITERS
            .into_iter()
            .filter(|&d| count(d) > 0)
            .max_by_key(|&d| (count(d), std::cmp::Reverse(d)))
            .unwrap_or(b','),
    }
}

/// What reading the head collects.
#[derive(Default)]
struct Reading {
    roles: Option<Result<Roles, ParseError>>,
    rows: usize,
    /// Date texts of the head's rows, for the day/month order.
    dates: Vec<String>,
    /// Date and earnings texts of the first rows, for detection.
    checked: Vec<(String, String)>,
    dot_votes: usize,
    comma_votes: usize,
}

impl Reading {
    fn add(&mut self, record: &Record<'_>) {
        if record.is_blank() {
            return;
        }
        let Some(roles) = &self.roles else {
            let cells: Vec<&str> = record.iter().collect();
            self.roles = Some(Roles::from_header(&cells, record.line()));
            return;
        };
        let Ok(roles) = roles else {
            return;
        };
        if self.rows >= SURVEY_ROWS {
            return;
        }
        self.rows += 1;
        let date = record.trimmed(roles.date).unwrap_or("");
        let amount = record.trimmed(roles.earnings).unwrap_or("");
        match decimal_vote(amount) {
            Some(DecimalMark::Dot) => self.dot_votes += 1,
            Some(DecimalMark::Comma) => self.comma_votes += 1,
            _ => {}
        }
        if needs_order(date) {
            self.dates.push(date.to_string());
        }
        if self.checked.len() < CHECKED_ROWS {
            self.checked.push((date.to_string(), amount.to_string()));
        }
    }
}

/// Which mark an amount shows to be its decimal one, if it tells: the later of two different
/// marks; a mark that repeats is a thousands separator, so the other one is decimal; a single
/// mark followed by other than three digits is decimal. `1,234` alone does not tell.
fn decimal_vote(amount: &str) -> Option<DecimalMark> {
    let mark = |c: char| match c {
        '.' => DecimalMark::Dot,
        _ => DecimalMark::Comma,
    };
    let other = |c: char| match c {
        '.' => DecimalMark::Comma,
        _ => DecimalMark::Dot,
    };
    let last = amount.rfind(['.', ','])?;
    let last_char = char::from(amount.as_bytes()[last]);
    let first = amount.find(['.', ',']).unwrap_or(last);
    let first_char = char::from(amount.as_bytes()[first]);
    if first_char != last_char {
        return Some(mark(last_char));
    }
    if first != last {
        return Some(other(last_char));
    }
    let digits_after = amount[last + 1..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    (digits_after != 3).then(|| mark(last_char))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_decimal_marks_from_amounts() {
        assert_eq!(decimal_vote("12,50"), Some(DecimalMark::Comma));
        assert_eq!(decimal_vote("1.234,5"), Some(DecimalMark::Comma));
        assert_eq!(decimal_vote("$1,234.50"), Some(DecimalMark::Dot));
        assert_eq!(decimal_vote("1,234,567"), Some(DecimalMark::Dot));
        assert_eq!(decimal_vote("1,234"), None);
        assert_eq!(decimal_vote("12"), None);
        assert_eq!(DecimalMark::Comma.normalize("1.250,00 ₽"), "1250.00 ₽");
        assert_eq!(DecimalMark::Dot.normalize("$1,250.00"), "$1250.00");
        assert_eq!(DecimalMark::Unknown.normalize("1,5"), "1,5");
    }

    #[test]
    fn a_short_line_does_not_hide_the_delimiter() {
        assert_eq!(delimiter_of(b"a;b;c\n1;2,5;3\ntotal\n"), b';');
        assert_eq!(delimiter_of(b"\xEF\xBB\xBFa|b\n1|2\n"), b'|');
        assert_eq!(delimiter_of(b"just words\n"), b',');
    }

    #[test]
    fn knows_which_dates_need_an_order() {
        assert!(needs_order("01/02/2026"));
        assert!(needs_order("1-2-26"));
        assert!(!needs_order("01.02.2026"));
        assert!(!needs_order("2026-02-01"));
        assert!(!needs_order("15-ene-2026"));
        assert!(!needs_order("March 5, 2026"));
    }

    #[test]
    fn surveys_a_semicolon_file_with_decimal_commas() {
        let head = "Дата;ID;Доход\n01.02.2026;1;12,50\n03/14/2026;2;\"1 250,00\"\n";
        let found = survey(head.as_bytes(), true);
        assert_eq!(found.delimiter, b';');
        assert_eq!(found.decimal, DecimalMark::Comma);
        assert_eq!(found.date_order, Some(DateOrder::MonthFirst));
        assert_eq!((found.rows, found.readable_rows), (2, 2));
    }

    #[test]
    fn a_cut_last_line_is_left_out_unless_the_head_is_whole() {
        let head = "Date,ID,Earnings\n2026-01-01,1,1.00\n2026-01-02,2,2.0";
        assert_eq!(survey(head.as_bytes(), false).rows, 1);
        assert_eq!(survey(head.as_bytes(), true).rows, 2);
    }
}
