//! One parse of one sales table: chunks in, sales and row issues out.
//!
//! The session holds back the first [`HEAD_BYTES`] (or [`SURVEY_ROWS`] rows, if they come first)
//! to survey them (delimiter, decimal mark, date order), then reads rows with the SDK's
//! [`RowReader`]. The first non-blank row is the header; its roles are reported once, as an
//! informational row issue at the header's line, so the user sees which columns were used. Rows
//! whose numeric dates cannot be read until the file shows whether the day or the month comes
//! first wait (up to [`MAX_PENDING_ROWS`]) until it does; rows still waiting when the file ends
//! are read day first (with a warning) and returned by `finish`.
//!
//! Decisions it makes, each documented where it is made: a row without an asset id is skipped
//! with a row issue, never given a made-up id; without a units column a row stands for one sale,
//! or minus one when its earnings are negative (a refund); amounts without any currency are read
//! as US dollars, with one warning.

use stocklens_plugin_sdk::{
    Batch, Currency, DateError, DateOrder, MAX_HEADER_CELL_BYTES, MediaType, Money, MoneyError,
    ParseError, ParseSession, ParseSummary, Record, RowIssue, RowReader, Sale, excerpt,
    normalize_header, parse_date_time, parse_money, trim_cell,
};

use crate::columns::{AssetSource, Roles};
use crate::survey::{DecimalMark, HEAD_BYTES, SURVEY_ROWS, needs_order, survey};

/// Rows held back while the day/month order of numeric dates is unknown: a bound on memory for a
/// file whose days are all 12 or less. Past it, day first is assumed (with a warning).
pub const MAX_PENDING_ROWS: usize = 10_000;

/// Typical bytes per row of a sales table, to size each batch's sales once.
const TYPICAL_ROW_BYTES: usize = 100;

/// The order assumed when the file never tells: most of the world writes the day first.
const DEFAULT_ORDER: DateOrder = DateOrder::DayFirst;

/// A parse session.
pub struct GenericSession {
    state: State,
}

enum State {
    /// Collecting the head to survey, with the line breaks it holds.
    Head(Vec<u8>, usize),
    /// Reading rows (boxed: the reader's buffers make it far larger than the head).
    Body(Box<Body>),
}

/// The reader and what maps its rows.
struct Body {
    reader: RowReader,
    rows: RowMapper,
}

/// A row that waits for the date order, with its fields copied out of the reader's buffer.
struct PendingRow {
    line: u64,
    fields: Vec<String>,
}

/// Everything but the reader, so the reader's callback can borrow it.
struct RowMapper {
    /// Taken from the first non-blank row.
    roles: Option<Roles>,
    decimal: DecimalMark,
    order: Option<DateOrder>,
    pending: Vec<PendingRow>,
    /// Whether the "read as USD" warning was given.
    warned_currency: bool,
    labels: MediaLabels,
    summary: ParseSummary,
}

/// Media type labels already read, with their type: a table names a handful of types, so a
/// row's label is nearly always one of these, found by plain comparison rather than the
/// case-blind search of every language's names.
#[derive(Default)]
pub struct MediaLabels(Vec<(String, MediaType)>);

impl MediaLabels {
    /// Labels remembered at most: a table with more distinct labels than this is not naming
    /// media types, and the rest are looked up each time.
    const REMEMBERED: usize = 16;

    /// The media type `label` names.
    pub fn read(&mut self, label: &str) -> MediaType {
        if let Some(&(_, media)) = self.0.iter().find(|(known, _)| known == label) {
            return media;
        }
        let media = media_from_label(label);
        if self.0.len() < Self::REMEMBERED {
            self.0.push((label.to_owned(), media));
        }
        media
    }
}

impl ParseSession for GenericSession {
    fn new(_file_name: &str) -> Self {
        GenericSession {
            state: State::Head(Vec::new(), 0),
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<Batch, ParseError> {
        let mut batch = Batch::default();
        match &mut self.state {
            State::Head(head, lines) => {
                head.extend_from_slice(chunk);
                let breaks = chunk.iter().filter(|&&b| b == b'\n').count();
                *lines += breaks;
                // The survey reads at most SURVEY_ROWS rows, so once the head holds that many
                // complete rows it reads as the whole head would: start, rather than keep a
                // small file's rows for `finish` (which may return only a few). Line breaks
                // bound the rows from above, so the survey is only run when it can say yes.
                let enough = || {
                    breaks > 0 && *lines > SURVEY_ROWS && survey(head, false).rows >= SURVEY_ROWS
                };
                if head.len() >= HEAD_BYTES || enough() {
                    let head = std::mem::take(head);
                    self.start(&head, false, &mut batch)?;
                }
            }
            State::Body(body) => {
                // Sized for the chunk's rows at once rather than regrown, as a RowSession does.
                batch.sales.reserve(chunk.len() / TYPICAL_ROW_BYTES + 1);
                let Body { reader, rows } = body.as_mut();
                reader.feed(chunk, |record| rows.read(&record, &mut batch))?;
            }
        }
        Ok(batch)
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        let mut batch = Batch::default();
        if let State::Head(head, _) = &mut self.state {
            let head = std::mem::take(head);
            self.start(&head, true, &mut batch)?;
        }
        let State::Body(body) = &mut self.state else {
            return Ok((batch, ParseSummary::default()));
        };
        let Body { reader, rows } = body.as_mut();
        reader.finish(|record| rows.read(&record, &mut batch))?;
        rows.decide_order(DEFAULT_ORDER, true, &mut batch);
        Ok((batch, rows.summary))
    }
}

impl GenericSession {
    /// Surveys the head, then reads it as the first rows.
    fn start(&mut self, head: &[u8], complete: bool, batch: &mut Batch) -> Result<(), ParseError> {
        let found = survey(head, complete);
        let mut reader = RowReader::new(found.delimiter);
        let mut rows = RowMapper {
            roles: None,
            decimal: found.decimal,
            order: found.date_order,
            pending: Vec::new(),
            warned_currency: false,
            labels: MediaLabels::default(),
            summary: ParseSummary::default(),
        };
        reader.feed(head, |record| rows.read(&record, batch))?;
        self.state = State::Body(Box::new(Body { reader, rows }));
        Ok(())
    }
}

impl RowMapper {
    fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
        if record.is_blank() {
            return Ok(());
        }
        let Some(roles) = &self.roles else {
            let fields: Vec<&str> = record.iter().collect();
            let roles = Roles::from_header(&fields, record.line())?;
            batch.issues.push(RowIssue::new(
                record.line(),
                format!("generic parser used columns: {}", roles.described),
            ));
            self.roles = Some(roles);
            return Ok(());
        };
        // Tables glued together repeat their header: it is not data.
        if record.get(roles.date).is_some_and(|cell| {
            cell.len() <= MAX_HEADER_CELL_BYTES
                && could_be_header(cell)
                && normalize_header(cell) == roles.date_header
        }) {
            return Ok(());
        }
        self.summary.rows += 1;
        if self.order.is_none() {
            let date = record.get(roles.date).unwrap_or("");
            if needs_order(date) {
                match stocklens_plugin_sdk::guess_date_order([date]) {
                    Some(order) => self.decide_order(order, false, batch),
                    None if self.pending.len() < MAX_PENDING_ROWS => {
                        self.pending.push(PendingRow {
                            line: record.line(),
                            fields: record.iter().map(str::to_string).collect(),
                        });
                        return Ok(());
                    }
                    None => self.decide_order(DEFAULT_ORDER, true, batch),
                }
            }
        }
        self.map(record, record.line(), batch);
        Ok(())
    }

    /// Fixes the date order and reads the rows that waited for it. A `guessed` order (the file
    /// never told) is said once, at the first row read with it.
    fn decide_order(&mut self, order: DateOrder, guessed: bool, batch: &mut Batch) {
        if self.order.is_some() {
            return;
        }
        self.order = Some(order);
        let pending = std::mem::take(&mut self.pending);
        if guessed && let Some(first) = pending.first() {
            let example = self
                .roles
                .as_ref()
                .and_then(|roles| first.fields.get(roles.date))
                .map(|date| excerpt(date))
                .unwrap_or_default();
            let said = match order {
                DateOrder::DayFirst => "day first",
                DateOrder::MonthFirst => "month first",
            };
            batch.issues.push(RowIssue::new(
                first.line,
                format!("dates such as '{example}' could be day or month first; read as {said}"),
            ));
        }
        for row in pending {
            self.map(row.fields.as_slice(), row.line, batch);
        }
    }

    /// Maps one row and files its sale or its issue.
    fn map(&mut self, fields: &(impl Cells + ?Sized), line: u64, batch: &mut Batch) {
        let Some(roles) = &self.roles else {
            return;
        };
        let order = self.order.unwrap_or(DEFAULT_ORDER);
        match map_row(fields, roles, self.decimal, order, &mut self.labels) {
            Ok((sale, named_currency)) => {
                if !named_currency && !self.warned_currency {
                    self.warned_currency = true;
                    batch.issues.push(RowIssue::new(
                        line,
                        "no currency is named (no currency column, symbol or code); amounts \
                         are read as USD",
                    ));
                }
                batch.sales.push(sale);
            }
            Err(message) => {
                self.summary.rows_skipped += 1;
                batch.issues.push(RowIssue::new(line, message));
            }
        }
    }
}

/// The cells of a row: a record straight from the reader, or the copy of a row that waited for
/// the date order. Read in place, so a row costs no vector of its cells.
pub trait Cells {
    /// Number of cells.
    fn count(&self) -> usize;
    /// Cell `index`, or `None` past the last.
    fn cell(&self, index: usize) -> Option<&str>;
}

impl Cells for Record<'_> {
    fn count(&self) -> usize {
        self.len()
    }

    fn cell(&self, index: usize) -> Option<&str> {
        self.get(index)
    }
}

impl Cells for [String] {
    fn count(&self) -> usize {
        self.len()
    }

    fn cell(&self, index: usize) -> Option<&str> {
        self.get(index).map(String::as_str)
    }
}

/// Maps one row to a sale and whether its currency was named anywhere, or says in English why
/// the row cannot be read.
pub fn map_row(
    fields: &(impl Cells + ?Sized),
    roles: &Roles,
    decimal: DecimalMark,
    order: DateOrder,
    labels: &mut MediaLabels,
) -> Result<(Sale, bool), String> {
    if fields.count() < roles.needed {
        return Err(format!(
            "expected at least {} columns, found {}",
            roles.needed,
            fields.count()
        ));
    }
    let field = |index: usize| fields.cell(index).map_or("", trim_cell);
    let optional = |index: Option<usize>| {
        index
            .map(field)
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    };

    let date_text = field(roles.date);
    let (date, time) =
        parse_date_time(date_text, order).map_err(|error| date_message(date_text, &error))?;
    let asset_id = match roles.asset {
        AssetSource::Column(index) if field(index).is_empty() => {
            return Err("the asset id is empty".to_string());
        }
        AssetSource::Title(index) if field(index).is_empty() => {
            return Err("the title is empty, and the file has no asset id column".to_string());
        }
        AssetSource::Column(index) | AssetSource::Title(index) => field(index),
    };
    let earnings_text = field(roles.earnings);
    let amount = parse_money(&decimal.normalize(earnings_text))
        .map_err(|error| earnings_message(earnings_text, &error))?;
    let column_currency = match roles.currency.map(field).filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(
            Currency::from_symbol(text)
                .ok_or_else(|| format!("currency '{}' is not known", excerpt(text)))?,
        ),
    };
    let currency = match (amount.currency, column_currency) {
        (Some(a), Some(b)) if a != b => {
            return Err(format!(
                "earnings '{}' are in {a} but the currency column says {b}",
                excerpt(earnings_text)
            ));
        }
        (a, b) => a.or(b).or(roles.header_currency),
    };
    let units = match roles.units {
        Some(index) => parse_units(field(index))?,
        // One row, one sale; a negative amount without a count is a refund.
        None if amount.micros < 0 => -1,
        None => 1,
    };
    let media = roles
        .media
        .map(field)
        .map_or(MediaType::Other, |label| labels.read(label));

    let mut sale = Sale {
        date,
        time,
        asset_id: asset_id.to_owned(),
        title: optional(roles.title),
        file_name: optional(roles.file_name),
        media,
        license: optional(roles.license),
        units,
        earnings: Money {
            micros: amount.micros,
            currency: currency.unwrap_or(Currency::USD).as_str().to_owned(),
        },
        country: optional(roles.country),
    };
    sale.fit()?;
    Ok((sale, currency.is_some()))
}

/// A count of sales or downloads: a whole number, possibly written `2.0` or `2,00` by a
/// spreadsheet.
fn parse_units(text: &str) -> Result<i32, String> {
    if text.is_empty() {
        return Err("the number of sales is empty".to_string());
    }
    let whole = match text.find(['.', ',']) {
        Some(mark) if text[mark + 1..].bytes().all(|b| b == b'0') => &text[..mark],
        _ => text,
    };
    whole
        .parse::<i32>()
        .map_err(|_| format!("number of sales '{}' is not a whole number", excerpt(text)))
}

/// Media type labels in the six languages, beyond the English ones the SDK reads.
const MEDIA_LABELS: [(&str, MediaType); 33] = [
    ("фото", MediaType::Photo),
    ("фотография", MediaType::Photo),
    ("изображение", MediaType::Photo),
    ("видео", MediaType::Video),
    ("футаж", MediaType::Video),
    ("вектор", MediaType::Vector),
    ("векторы", MediaType::Vector),
    ("иллюстрация", MediaType::Illustration),
    ("иллюстрации", MediaType::Illustration),
    ("аудио", MediaType::Audio),
    ("музыка", MediaType::Audio),
    ("шаблон", MediaType::Template),
    ("foto", MediaType::Photo),
    ("fotografía", MediaType::Photo),
    ("fotografia", MediaType::Photo),
    ("imagen", MediaType::Photo),
    ("bild", MediaType::Photo),
    ("vídeo", MediaType::Video),
    ("ilustración", MediaType::Illustration),
    ("ilustração", MediaType::Illustration),
    ("illustración", MediaType::Illustration),
    ("vektor", MediaType::Vector),
    ("vetor", MediaType::Vector),
    ("vectorial", MediaType::Vector),
    ("vectoriel", MediaType::Vector),
    ("música", MediaType::Audio),
    ("musik", MediaType::Audio),
    ("musique", MediaType::Audio),
    ("plantilla", MediaType::Template),
    ("vorlage", MediaType::Template),
    ("modèle", MediaType::Template),
    ("modelo", MediaType::Template),
    ("vidéo", MediaType::Video),
];

/// The media type a label names, in any of the six languages; Other when none.
fn media_from_label(label: &str) -> MediaType {
    // The six languages' labels first (no label is in both lists, so the order changes no
    // answer): the SDK's case-blind scan of the English ones would otherwise run on every row
    // of a non-English table. Compared as lower case character by character, and only with the
    // names that start with the label's first letter: no lower-cased copy of every row's label.
    let trimmed = label.trim();
    let lower = || trimmed.chars().flat_map(char::to_lowercase);
    let Some(first) = lower().next() else {
        return MediaType::Other;
    };
    MEDIA_LABELS
        .iter()
        .filter(|(name, _)| name.starts_with(first))
        .find(|(name, _)| name.chars().eq(lower()))
        .map(|&(_, media)| media)
        .or_else(|| MediaType::from_label(label))
        .unwrap_or(MediaType::Other)
}

/// Whether a date cell may repeat the header's date name: not when it starts with a digit, as
/// nearly every date does (no header alias does, and normalizing keeps digits), which spares
/// normalizing one cell of every row.
fn could_be_header(cell: &str) -> bool {
    !cell
        .trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '\u{feff}' | '_' | '-' | '.' | '/')
        })
        .starts_with(|c: char| c.is_ascii_digit())
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
    use stocklens_plugin_sdk::Date;

    /// Parses `input` in chunks of `chunk_size`, returning all sales, issues and the summary.
    fn parse(
        input: &[u8],
        chunk_size: usize,
    ) -> Result<(Vec<Sale>, Vec<RowIssue>, ParseSummary), ParseError> {
        stocklens_plugin_sdk::testing::parse::<GenericSession>("table.csv", input, chunk_size)
    }

    #[test]
    fn no_media_label_is_read_by_both_tables() {
        // media_from_label reads the six languages' table first; that is only the same answer
        // as the SDK's English labels first while no label is in both.
        for (label, _) in MEDIA_LABELS {
            assert_eq!(MediaType::from_label(label), None, "{label}");
        }
        assert_eq!(media_from_label(" ФОТО "), MediaType::Photo);
        assert_eq!(media_from_label("Photos"), MediaType::Photo);
        assert_eq!(media_from_label("Vídeo"), MediaType::Video);
        assert_eq!(media_from_label(""), MediaType::Other);
        assert_eq!(media_from_label("чертёж"), MediaType::Other);
    }

    fn messages(issues: &[RowIssue]) -> Vec<(u64, &str)> {
        issues
            .iter()
            .map(|i| (i.line, i.message.as_str()))
            .collect()
    }

    #[test]
    fn reads_a_german_tab_table_with_month_names() {
        let input = "Datum\tID\tTitel\tTyp\tLizenz\tAnzahl\tBetrag\n\
                     5. März 2026\tB-1\tAlpen im Nebel\tFoto\tStandard\t2\t1.234,50 €\n\
                     17. März 2026\tB-2\tStadtplan\tVektor\tErweitert\t1\t0,99 €\n";
        let (sales, issues, summary) = parse(input.as_bytes(), 1 << 20).unwrap_or_default();
        assert_eq!(
            messages(&issues),
            [(
                1,
                "generic parser used columns: date=Datum, earnings=Betrag, asset=ID, \
                 units=Anzahl, license=Lizenz, type=Typ, title=Titel"
            )]
        );
        assert_eq!(
            summary,
            ParseSummary {
                rows: 2,
                rows_skipped: 0
            }
        );
        assert_eq!(
            sales[0].date,
            Date {
                year: 2026,
                month: 3,
                day: 5
            }
        );
        assert_eq!(sales[0].earnings.micros, 1_234_500_000);
        assert_eq!(sales[0].earnings.currency, "EUR");
        assert_eq!(sales[0].units, 2);
        assert_eq!(sales[0].media, MediaType::Photo);
        assert_eq!(sales[1].media, MediaType::Vector);
        assert_eq!(sales[1].license.as_deref(), Some("Erweitert"));
    }

    #[test]
    fn numeric_dates_wait_until_the_file_shows_their_order() {
        // The head alone cannot tell here only if the telling row is past it; this file is short,
        // so the survey sees 13/02 and everything is day first from the start.
        let input = "Date,ID,Earnings\n01/02/2026,1,$1.00\n13/02/2026,2,$2.00\n";
        let (sales, issues, _) = parse(input.as_bytes(), 7).unwrap_or_default();
        assert_eq!(issues.len(), 1);
        assert_eq!(
            sales[0].date,
            Date {
                year: 2026,
                month: 2,
                day: 1
            }
        );
    }

    #[test]
    fn an_undecided_order_is_day_first_with_one_warning() {
        let input = "Date,ID,Earnings\n01/02/2026,1,$1.00\n03/04/2026,2,$2.00\n";
        let (sales, issues, summary) = parse(input.as_bytes(), 1 << 20).unwrap_or_default();
        assert_eq!(
            summary,
            ParseSummary {
                rows: 2,
                rows_skipped: 0
            }
        );
        assert_eq!(
            messages(&issues)[1..],
            [(
                2,
                "dates such as '01/02/2026' could be day or month first; read as day first"
            )]
        );
        assert_eq!(
            sales[1].date,
            Date {
                year: 2026,
                month: 4,
                day: 3
            }
        );
    }

    #[test]
    fn a_small_file_of_short_rows_is_read_as_it_is_fed_not_all_at_finish() {
        let mut input = String::from("Date,ID,Amount\n");
        for i in 0..3000 {
            input.push_str(&format!("2026-01-{:02},{i},1.00\n", i % 28 + 1));
        }
        assert!(input.len() < HEAD_BYTES, "smaller than the head");
        let whole = |chunk_size: usize| {
            let mut session = GenericSession::new("t.csv");
            let mut fed = 0;
            for chunk in input.as_bytes().chunks(chunk_size) {
                fed += session
                    .feed(chunk)
                    .map(|b| b.sales.len())
                    .unwrap_or_default();
            }
            let (last, summary) = session.finish().unwrap_or_default();
            (fed, last.sales.len(), summary.rows)
        };
        // In one chunk, as the host feeds a small file, and in smaller ones: once the rows
        // tell how to read them, their sales come as they are fed, not all at the end.
        for chunk_size in [1 << 20, 1000, 7] {
            let (fed, at_finish, rows) = whole(chunk_size);
            assert_eq!(
                (fed + at_finish, rows),
                (3000, 3000),
                "chunk size {chunk_size}"
            );
            assert!(fed >= 1000, "{fed} sales fed, chunk size {chunk_size}");
        }
    }

    #[test]
    fn a_file_that_never_tells_the_date_order_is_read_day_first_with_a_warning() {
        let table = |rows: usize| {
            let mut input = String::from("Date,ID,Earnings\n");
            for i in 0..rows {
                input.push_str(&format!("01/02/2026,{i},$1.00\n"));
            }
            input
        };
        for rows in [500, 2000] {
            let (sales, issues, summary) =
                parse(table(rows).as_bytes(), 1 << 20).unwrap_or_default();
            assert_eq!((sales.len(), summary.rows), (rows, rows as u64));
            assert!(sales.iter().all(|s| s.date.month == 2));
            assert!(
                issues
                    .iter()
                    .any(|i| i.message.contains("read as day first"))
            );
        }
    }

    #[test]
    fn pending_rows_are_read_once_a_later_row_decides() {
        let mut session = GenericSession::new("t.csv");
        // Fill the head with undecidable rows so the survey cannot tell.
        let mut input = String::from("Date,ID,Earnings\n");
        while input.len() < HEAD_BYTES {
            input.push_str("01/02/2026,1,$1.00\n");
        }
        input.push_str("02/13/2026,2,$2.00\n");
        let rows = (input.lines().count() - 1) as u64;
        let (mut sales, mut issues) = (Vec::new(), Vec::new());
        for chunk in input.as_bytes().chunks(1000) {
            let batch = session.feed(chunk).unwrap_or_default();
            sales.extend(batch.sales);
            issues.extend(batch.issues);
        }
        let (batch, summary) = session.finish().unwrap_or_default();
        sales.extend(batch.sales);
        issues.extend(batch.issues);
        assert_eq!(
            summary,
            ParseSummary {
                rows,
                rows_skipped: 0
            }
        );
        assert_eq!(sales.len() as u64, rows);
        assert!(sales.iter().all(|s| s.date.month == 1 || s.date.day == 13));
        // Decided by a row, not guessed: only the roles issue.
        assert_eq!(issues.len(), 1);
    }

    #[test]
    fn skips_unreadable_rows_with_a_specific_issue() {
        let input = "Date;ID;Title;Qty;Amount;Currency\n\
                     2026-01-01;1;A;1;1,50;EUR\n\
                     2026-01-02;;B;1;1,50;EUR\n\
                     2026-01-03;3;C;x;1,50;EUR\n\
                     2026-01-04;4;D;1;n/a;EUR\n\
                     2026-01-05;5;E;1;1,50;XYZ\n\
                     2026-01-06;6;F;1;$1,50;EUR\n\
                     yesterday;7;G;1;1,50;EUR\n\
                     2026-01-08\n";
        let parsed = parse(input.as_bytes(), 3);
        assert!(parsed.is_ok(), "{parsed:?}");
        let (sales, issues, summary) = parsed.unwrap_or_default();
        assert_eq!(
            messages(&issues)[1..],
            [
                (3, "the asset id is empty"),
                (4, "number of sales 'x' is not a whole number"),
                (5, "earnings 'n/a' is not an amount"),
                (6, "currency 'XYZ' is not known"),
                (
                    7,
                    "earnings '$1,50' are in USD but the currency column says EUR"
                ),
                (8, "date 'yesterday' is not a date"),
                (9, "expected at least 5 columns, found 1"),
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
    fn amounts_without_currency_are_dollars_with_one_warning() {
        let input = "Date|Media ID|Revenue\n2026-01-01|1|2.50\n2026-01-02|2|-1.00\n";
        let (sales, issues, _) = parse(input.as_bytes(), 1 << 20).unwrap_or_default();
        assert_eq!(
            messages(&issues)[1..],
            [(
                2,
                "no currency is named (no currency column, symbol or code); amounts are read as USD"
            )]
        );
        let units: Vec<i32> = sales.iter().map(|s| s.units).collect();
        assert_eq!(units, [1, -1]);
        assert_eq!(sales[1].earnings.currency, "USD");
    }

    #[test]
    fn a_table_without_earnings_stops_the_parse() {
        let error = parse(b"Date,ID,Title\n2026-01-01,1,A\n", 1 << 20).err();
        assert_eq!(error.and_then(|e| e.line), Some(1));
    }

    #[test]
    fn gives_the_same_result_for_any_chunk_size() {
        let input = "\u{feff}Fecha;ID;Título;Tipo;Cantidad;Importe\r\n\
                     15-ene-2026;A-1;\"Playa; atardecer\";foto;1;2,40 €\r\n\
                     20/01/2026;A-2;Mercado;vídeo;2;4,80 €\r\n\
                     ;A-3;x;foto;1;1,00 €\r\n";
        let whole = parse(input.as_bytes(), 1 << 20).unwrap_or_default();
        assert_eq!(
            whole.2,
            ParseSummary {
                rows: 3,
                rows_skipped: 1
            }
        );
        assert_eq!(whole.0[1].media, MediaType::Video);
        for size in [1, 2, 3, 7, 50, 1000] {
            assert_eq!(
                parse(input.as_bytes(), size).unwrap_or_default(),
                whole,
                "chunk size {size}"
            );
        }
    }
}
