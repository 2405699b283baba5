//! An incremental CSV reader for parse sessions: takes chunks of any size, hands each complete
//! record to the caller with the 1-based line it starts on, and keeps what an unfinished record
//! needs for the next chunk.
//!
//! Built on `csv-core`, so it reuses two buffers for the whole file and allocates nothing per
//! record. It handles quoted fields holding delimiters, quotes and line breaks, CRLF, a UTF-8 BOM
//! and blank lines. A whole line without quotes, most lines of most exports, is split in place
//! without csv-core's state machine or a copy, which matters most when compiled to wasm. It refuses records over [`MAX_RECORD_BYTES`] or [`MAX_FIELDS`] with a
//! [`ParseError`] rather than growing without bound on a broken file.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use crate::parser::ParseError;

/// Largest record, in bytes after unquoting: far above any real export row (a few hundred
/// bytes), small enough that a file with an unclosed quote cannot eat a plugin's memory.
///
/// ```
/// use stocklens_plugin_sdk::{MAX_RECORD_BYTES, RowReader};
/// // A quote left open swallows the rest of the file until the limit stops it.
/// let mut file = b"id,title\n1,\"".to_vec();
/// file.resize(2 * MAX_RECORD_BYTES, b'x');
/// let error = RowReader::new(b',').feed(&file, |_| Ok(()));
/// assert_eq!(error.map_err(|e| e.line), Err(Some(2)));
/// ```
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Most fields in one record: exports have a few dozen columns at most.
///
/// ```
/// use stocklens_plugin_sdk::{MAX_FIELDS, RowReader};
/// let mut reader = RowReader::new(b',');
/// let mut fields = 0;
/// let most = ",".repeat(MAX_FIELDS - 1) + "\n";
/// reader.feed(most.as_bytes(), |record| {
///     fields = record.len();
///     Ok(())
/// })?;
/// assert_eq!(fields, MAX_FIELDS);
/// let too_many = ",".repeat(MAX_FIELDS) + "\n";
/// assert!(reader.feed(too_many.as_bytes(), |_| Ok(())).is_err());
/// # Ok::<(), stocklens_plugin_sdk::ParseError>(())
/// ```
pub const MAX_FIELDS: usize = 1024;

/// Initial record buffer, grown by doubling up to [`MAX_RECORD_BYTES`].
const INITIAL_RECORD_BYTES: usize = 4 * 1024;

/// Initial field-end buffer, grown by doubling up to [`MAX_FIELDS`].
const INITIAL_FIELDS: usize = 32;

const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// One complete record: its fields as text and the line it starts on.
///
/// ```
/// use stocklens_plugin_sdk::{Record, RowReader};
/// let mut rows = Vec::new();
/// RowReader::new(b';').feed(b"date;royalty\n2025-07-14; $0.99 \n", |record: Record<'_>| {
///     rows.push((record.line(), record.trimmed(1).map(str::to_owned)));
///     Ok(())
/// })?;
/// assert_eq!(rows, [(1, Some("royalty".into())), (2, Some("$0.99".into()))]);
/// # Ok::<(), stocklens_plugin_sdk::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    line: u64,
    /// The fields, either back to back (from csv-core) or as the original line with one
    /// delimiter between fields (read in place); `gap` says which.
    text: &'a str,
    /// Where each field ends in `text`.
    ends: &'a [usize],
    /// Bytes between one field's end and the next one's start: 0 or 1.
    gap: usize,
    repaired: bool,
}

impl<'a> Record<'a> {
    /// 1-based line of the decoded file where the record starts.
    ///
    /// ```
    /// use stocklens_plugin_sdk::RowReader;
    /// let mut lines = Vec::new();
    /// // A blank line, then a record over two lines.
    /// RowReader::new(b',').feed(b"a\n\n\"two\nlines\"\nb\n", |record| {
    ///     lines.push(record.line());
    ///     Ok(())
    /// })?;
    /// assert_eq!(lines, [1, 3, 5]);
    /// # Ok::<(), stocklens_plugin_sdk::ParseError>(())
    /// ```
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Number of fields.
    ///
    /// ```
    /// use stocklens_plugin_sdk::testing::first_record;
    /// assert_eq!(first_record("a,\"b,c\",,", b',', |record| record.len()), Some(4));
    /// ```
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the record has no fields (never true for records the reader hands out).
    ///
    /// ```
    /// use stocklens_plugin_sdk::testing::first_record;
    /// // Even a line of one delimiter has fields, two empty ones.
    /// let fields = first_record(",", b',', |record| (record.len(), record.is_empty()));
    /// assert_eq!(fields, Some((2, false)));
    /// ```
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `index`, unquoted, or `None` past the last field.
    ///
    /// ```
    /// use stocklens_plugin_sdk::testing::first_record;
    /// let cells = first_record("1,\"Sunset, \"\"golden\"\" hour\"", b',', |record| {
    ///     (record.get(1).map(str::to_owned), record.get(2).is_none())
    /// });
    /// assert_eq!(cells, Some((Some("Sunset, \"golden\" hour".into()), true)));
    /// ```
    #[inline]
    pub fn get(&self, index: usize) -> Option<&'a str> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 {
            0
        } else {
            self.ends[index - 1] + self.gap
        };
        self.text.get(start..end)
    }

    /// Field `index` without surrounding whitespace (see [`crate::trim_cell`]), or `None` past
    /// the last field.
    ///
    /// ```
    /// use stocklens_plugin_sdk::testing::first_record;
    /// let cell = first_record("A1, $0.99 ", b',', |record| {
    ///     (record.get(1).map(str::to_owned), record.trimmed(1).map(str::to_owned))
    /// });
    /// assert_eq!(cell, Some((Some(" $0.99 ".into()), Some("$0.99".into()))));
    /// ```
    #[inline]
    pub fn trimmed(&self, index: usize) -> Option<&'a str> {
        self.get(index).map(crate::parser::trim_cell)
    }

    /// The fields in order.
    ///
    /// ```
    /// use stocklens_plugin_sdk::testing::first_record;
    /// let joined = first_record("a;\"b;c\";d", b';', |record| {
    ///     record.iter().collect::<Vec<_>>().join("|")
    /// });
    /// assert_eq!(joined.as_deref(), Some("a|b;c|d"));
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Whether every field is empty or spaces, e.g. a line of only commas.
    ///
    /// ```
    /// use stocklens_plugin_sdk::testing::first_record;
    /// assert_eq!(first_record(", ,  ", b',', |record| record.is_blank()), Some(true));
    /// assert_eq!(first_record(",x,", b',', |record| record.is_blank()), Some(false));
    /// ```
    pub fn is_blank(&self) -> bool {
        self.iter().all(|field| field.trim().is_empty())
    }

    /// Whether invalid UTF-8 in this record was replaced by U+FFFD. The host decodes files before
    /// parsing, so this only happens with a broken chunking or a hand-made test.
    ///
    /// ```
    /// use stocklens_plugin_sdk::RowReader;
    /// let mut seen = Vec::new();
    /// RowReader::new(b',').feed(b"caf\xE9\ncaf\xC3\xA9\n", |record| {
    ///     seen.push((record.was_repaired(), record.get(0).map(str::to_owned)));
    ///     Ok(())
    /// })?;
    /// assert_eq!(seen, [(true, Some("caf\u{fffd}".into())), (false, Some("café".into()))]);
    /// # Ok::<(), stocklens_plugin_sdk::ParseError>(())
    /// ```
    pub fn was_repaired(&self) -> bool {
        self.repaired
    }
}

/// Where the reader is with a possible byte-order mark at the start of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BomState {
    /// This many bytes of the input so far equal the start of a BOM.
    Pending(usize),
    /// Past the start of the file.
    Done,
}

/// Reads CSV records from chunks.
///
/// ```
/// use stocklens_plugin_sdk::RowReader;
///
/// let mut reader = RowReader::new(b',');
/// let mut seen = Vec::new();
/// for chunk in ["id,title\n1,\"a, b\"\r", "\n\n2,\"two\nlines\"\n3,c"] {
///     reader.feed(chunk.as_bytes(), |record| {
///         seen.push((record.line(), record.get(1).unwrap_or("").to_string()));
///         Ok(())
///     })?;
/// }
/// reader.finish(|record| {
///     seen.push((record.line(), record.get(1).unwrap_or("").to_string()));
///     Ok(())
/// })?;
/// assert_eq!(seen, [(1, "title".into()), (2, "a, b".into()), (4, "two\nlines".into()), (6, "c".into())]);
/// # Ok::<(), stocklens_plugin_sdk::ParseError>(())
/// ```
pub struct RowReader {
    core: Reader,
    /// The current record's unquoted bytes; only the first `record_len` are filled.
    record: Vec<u8>,
    record_len: usize,
    /// End offsets of the current record's fields in `record`; only `ends_len` are filled.
    ends: Vec<usize>,
    ends_len: usize,
    /// Whether `core` holds part of a record, so line breaks belong to it.
    in_record: bool,
    /// Line the current record started on.
    record_line: u64,
    bom: BomState,
    /// Lossy copy of a record that was not valid UTF-8, reused between such records.
    repaired: String,
    repaired_ends: Vec<usize>,
    /// Field ends of a line read in place.
    plain_ends: Vec<usize>,
    /// Bytes that stop an in-place read: the delimiter, the quote and line breaks.
    special: [bool; 256],
}

impl RowReader {
    /// A reader for fields separated by `delimiter`, quoted with `"` (doubled inside quotes).
    ///
    /// ```
    /// use stocklens_plugin_sdk::{RowReader, sniff_delimiter};
    /// let file = b"date\tid\ttitle\n2025-07-14\tA1\tLemons, sliced\n";
    /// let mut reader = RowReader::new(sniff_delimiter(file).unwrap_or(b','));
    /// let mut titles = Vec::new();
    /// reader.feed(file, |record| {
    ///     titles.extend(record.get(2).map(str::to_owned));
    ///     Ok(())
    /// })?;
    /// assert_eq!(titles, ["title", "Lemons, sliced"]);
    /// # Ok::<(), stocklens_plugin_sdk::ParseError>(())
    /// ```
    pub fn new(delimiter: u8) -> RowReader {
        RowReader {
            core: ReaderBuilder::new().delimiter(delimiter).build(),
            record: vec![0; INITIAL_RECORD_BYTES],
            record_len: 0,
            ends: vec![0; INITIAL_FIELDS],
            ends_len: 0,
            in_record: false,
            record_line: 1,
            bom: BomState::Pending(0),
            repaired: String::new(),
            repaired_ends: Vec::new(),
            plain_ends: Vec::with_capacity(INITIAL_FIELDS),
            special: std::array::from_fn(|b| {
                let b = b as u8;
                b == delimiter || b == b'"' || b == b'\n' || b == b'\r'
            }),
        }
    }

    /// Takes the next chunk and calls `on_record` for every record it completes. A chunk may end
    /// anywhere, even inside a quoted field or a character. An error from `on_record` stops the
    /// read and is returned.
    ///
    /// ```
    /// use stocklens_plugin_sdk::RowReader;
    /// let mut reader = RowReader::new(b',');
    /// let mut records = 0;
    /// // The first chunk ends inside a quoted field: nothing is complete yet.
    /// reader.feed(b"1,\"Sunset,", |_| {
    ///     records += 1;
    ///     Ok(())
    /// })?;
    /// assert_eq!(records, 0);
    /// reader.feed(b" beach\"\n2,", |_| {
    ///     records += 1;
    ///     Ok(())
    /// })?;
    /// assert_eq!(records, 1);
    /// # Ok::<(), stocklens_plugin_sdk::ParseError>(())
    /// ```
    pub fn feed<F>(&mut self, chunk: &[u8], mut on_record: F) -> Result<(), ParseError>
    where
        F: FnMut(Record<'_>) -> Result<(), ParseError>,
    {
        let chunk = match self.bom {
            BomState::Done => chunk,
            BomState::Pending(seen) => {
                let wanted = &BOM[seen..];
                let common = wanted.len().min(chunk.len());
                if chunk[..common] != wanted[..common] {
                    // Not a BOM after all: what was held back is data.
                    self.bom = BomState::Done;
                    self.read(&BOM[..seen], false, &mut on_record)?;
                    chunk
                } else if common == wanted.len() {
                    self.bom = BomState::Done;
                    &chunk[common..]
                } else {
                    self.bom = BomState::Pending(seen + common);
                    return Ok(());
                }
            }
        };
        self.read(chunk, false, &mut on_record)
    }

    /// Ends the input: calls `on_record` for a last record that had no line break.
    ///
    /// ```
    /// use stocklens_plugin_sdk::RowReader;
    /// let mut reader = RowReader::new(b',');
    /// let mut ids = Vec::new();
    /// reader.feed(b"1,a\n2,b", |record| {
    ///     ids.extend(record.get(0).map(str::to_owned));
    ///     Ok(())
    /// })?;
    /// assert_eq!(ids, ["1"]); // the last line may still go on
    /// reader.finish(|record| {
    ///     ids.extend(record.get(0).map(str::to_owned));
    ///     Ok(())
    /// })?;
    /// assert_eq!(ids, ["1", "2"]);
    /// # Ok::<(), stocklens_plugin_sdk::ParseError>(())
    /// ```
    pub fn finish<F>(&mut self, mut on_record: F) -> Result<(), ParseError>
    where
        F: FnMut(Record<'_>) -> Result<(), ParseError>,
    {
        if let BomState::Pending(seen) = self.bom {
            self.bom = BomState::Done;
            self.read(&BOM[..seen], false, &mut on_record)?;
        }
        self.read(&[], true, &mut on_record)
    }

    fn read<F>(&mut self, mut input: &[u8], eof: bool, on_record: &mut F) -> Result<(), ParseError>
    where
        F: FnMut(Record<'_>) -> Result<(), ParseError>,
    {
        loop {
            if !self.in_record {
                // Line breaks between records are skipped here rather than in `core`, so that a
                // record's line is the line of its first byte.
                let skip = input
                    .iter()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count();
                let newlines = input[..skip].iter().filter(|&&b| b == b'\n').count();
                self.core.set_line(self.core.line() + newlines as u64);
                input = &input[skip..];
                if input.is_empty() {
                    return Ok(());
                }
                if let Some(used) = self.read_plain(input, on_record)? {
                    input = &input[used..];
                    continue;
                }
                self.in_record = true;
                self.record_line = self.core.line();
            }
            let (result, read, written, ended) = self.core.read_record(
                input,
                &mut self.record[self.record_len..],
                &mut self.ends[self.ends_len..],
            );
            input = &input[read..];
            self.record_len += written;
            self.ends_len += ended;
            match result {
                // More input is needed (or, at the end, there is none left).
                ReadRecordResult::InputEmpty | ReadRecordResult::End => return Ok(()),
                ReadRecordResult::OutputFull => self.grow_record()?,
                ReadRecordResult::OutputEndsFull => self.grow_ends()?,
                ReadRecordResult::Record => {
                    self.in_record = false;
                    self.emit(on_record)?;
                    self.record_len = 0;
                    self.ends_len = 0;
                    if eof {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Reads the record at the start of `input` in place if it is a whole line without quotes
    /// or lone carriage returns, and valid UTF-8. Returns the bytes used, line break included,
    /// or `None` to leave the record to csv-core (which also reports over-long records).
    #[inline]
    fn read_plain<F>(
        &mut self,
        input: &[u8],
        on_record: &mut F,
    ) -> Result<Option<usize>, ParseError>
    where
        F: FnMut(Record<'_>) -> Result<(), ParseError>,
    {
        self.plain_ends.clear();
        let mut i = 0;
        let end = loop {
            while i < input.len() && !self.special[usize::from(input[i])] {
                i += 1;
            }
            if i >= input.len() || i > MAX_RECORD_BYTES {
                return Ok(None);
            }
            match input[i] {
                b'\n' => break i,
                b'\r' if input.get(i + 1) == Some(&b'\n') => break i,
                b'\r' | b'"' => return Ok(None),
                _ if self.plain_ends.len() + 1 >= MAX_FIELDS => return Ok(None),
                _ => {
                    self.plain_ends.push(i);
                    i += 1;
                }
            }
        };
        self.plain_ends.push(end);
        let Ok(text) = std::str::from_utf8(&input[..end]) else {
            return Ok(None);
        };
        let line = self.core.line();
        on_record(Record {
            line,
            text,
            ends: &self.plain_ends,
            gap: 1,
            repaired: false,
        })?;
        self.core.set_line(line + 1);
        Ok(Some(if input[end] == b'\r' {
            end + 2
        } else {
            end + 1
        }))
    }

    fn emit<F>(&mut self, on_record: &mut F) -> Result<(), ParseError>
    where
        F: FnMut(Record<'_>) -> Result<(), ParseError>,
    {
        let bytes = &self.record[..self.record_len];
        let ends = &self.ends[..self.ends_len];
        if let Ok(text) = std::str::from_utf8(bytes) {
            // Valid as a whole but split inside a character only if the input was invalid
            // around a delimiter (`\xC3,\xA9`); then repair like any other invalid record.
            if ends.iter().all(|&end| text.is_char_boundary(end)) {
                return on_record(Record {
                    line: self.record_line,
                    text,
                    ends,
                    gap: 0,
                    repaired: false,
                });
            }
        }
        // Rare: repair field by field so that field boundaries stay character boundaries.
        self.repaired.clear();
        self.repaired_ends.clear();
        let mut start = 0;
        for &end in ends {
            self.repaired
                .push_str(&String::from_utf8_lossy(&bytes[start..end]));
            self.repaired_ends.push(self.repaired.len());
            start = end;
        }
        on_record(Record {
            line: self.record_line,
            text: &self.repaired,
            ends: &self.repaired_ends,
            gap: 0,
            repaired: true,
        })
    }

    fn grow_record(&mut self) -> Result<(), ParseError> {
        if self.record.len() >= MAX_RECORD_BYTES {
            return Err(ParseError::at_line(
                self.record_line,
                format!(
                    "the row is longer than {} KiB; is a quote left open?",
                    MAX_RECORD_BYTES / 1024
                ),
            ));
        }
        let size = (self.record.len() * 2).min(MAX_RECORD_BYTES);
        self.record.resize(size, 0);
        Ok(())
    }

    fn grow_ends(&mut self) -> Result<(), ParseError> {
        if self.ends.len() >= MAX_FIELDS {
            return Err(ParseError::at_line(
                self.record_line,
                format!("the row has more than {MAX_FIELDS} fields"),
            ));
        }
        let size = (self.ends.len() * 2).min(MAX_FIELDS);
        self.ends.resize(size, 0);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record as (line, fields), reading `input` in chunks of `chunk_size` bytes.
    fn read_all(input: &[u8], chunk_size: usize) -> Result<Vec<(u64, Vec<String>)>, ParseError> {
        let mut reader = RowReader::new(b',');
        let mut records = Vec::new();
        let mut collect = |record: Record<'_>| {
            records.push((record.line(), record.iter().map(str::to_string).collect()));
            Ok(())
        };
        for chunk in input.chunks(chunk_size.max(1)) {
            reader.feed(chunk, &mut collect)?;
        }
        reader.finish(&mut collect)?;
        Ok(records)
    }

    fn fields(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    const TRICKY: &[u8] = "\u{feff}2025-07-31,1,\"Sunset, \"\"golden\"\" hour\"\r\n\r\n\
        2025-08-01,2,\"two\nlines\"\n  \n2025-08-02,3,Café ☕\n"
        .as_bytes();

    #[test]
    fn reads_quotes_crlf_blank_lines_and_bom() {
        let records = read_all(TRICKY, TRICKY.len()).unwrap_or_default();
        assert_eq!(
            records,
            [
                (1, fields(&["2025-07-31", "1", "Sunset, \"golden\" hour"])),
                (3, fields(&["2025-08-01", "2", "two\nlines"])),
                (5, fields(&["  "])),
                (6, fields(&["2025-08-02", "3", "Café ☕"])),
            ]
        );
    }

    #[test]
    fn gives_the_same_records_whatever_the_chunk_size() {
        let whole = read_all(TRICKY, TRICKY.len()).unwrap_or_default();
        for size in [1, 2, 3, 5, 7, 16, 64] {
            assert_eq!(
                read_all(TRICKY, size).unwrap_or_default(),
                whole,
                "chunk size {size}"
            );
        }
    }

    #[test]
    fn reads_in_place_exactly_what_csv_core_reads() {
        let input = "a,b,,\r\n,,\n x , y \n\n\"q\",r\nold\rmac\nlast,\"quoted\nbreak\",z\nné,ü\n";
        // One-byte chunks never hold a whole line, so they all go through csv-core.
        let in_place = read_all(input.as_bytes(), input.len()).unwrap_or_default();
        assert_eq!(in_place, read_all(input.as_bytes(), 1).unwrap_or_default());
        assert_eq!(
            in_place,
            [
                (1, fields(&["a", "b", "", ""])),
                (2, fields(&["", "", ""])),
                (3, fields(&[" x ", " y "])),
                (5, fields(&["q", "r"])),
                (6, fields(&["old"])),
                (6, fields(&["mac"])),
                (7, fields(&["last", "quoted\nbreak", "z"])),
                (9, fields(&["né", "ü"])),
            ]
        );
    }

    #[test]
    fn blank_records_are_blank_either_way() {
        for chunk_size in [1, 100] {
            let mut reader = RowReader::new(b',');
            let mut blanks = Vec::new();
            for chunk in b" , ,\nx,\n".chunks(chunk_size) {
                let result = reader.feed(chunk, |record| {
                    blanks.push(record.is_blank());
                    Ok(())
                });
                assert!(result.is_ok());
            }
            assert_eq!(blanks, [true, false], "chunk size {chunk_size}");
        }
    }

    #[test]
    fn reads_a_last_record_without_line_break() {
        let records = read_all(b"a,b\nc,d", 3).unwrap_or_default();
        assert_eq!(
            records,
            [(1, fields(&["a", "b"])), (2, fields(&["c", "d"]))]
        );
    }

    #[test]
    fn a_lone_partial_bom_is_data() {
        let records = read_all(b"\xEF\xBBx,y\n", 1).unwrap_or_default();
        assert_eq!(records, [(1, fields(&["\u{fffd}x", "y"]))]);
    }

    #[test]
    fn refuses_a_record_longer_than_the_limit() {
        let mut input = b"ok\n\"".to_vec();
        input.resize(MAX_RECORD_BYTES + 10, b'x');
        let error = read_all(&input, 64 * 1024).err();
        assert_eq!(error.map(|e| e.line), Some(Some(2)));
    }

    #[test]
    fn refuses_a_record_with_too_many_fields() {
        let input = ",".repeat(MAX_FIELDS + 1);
        assert!(read_all(input.as_bytes(), 100).is_err());
    }

    #[test]
    fn repairs_invalid_utf8_within_fields() {
        let mut reader = RowReader::new(b',');
        let mut seen = Vec::new();
        let result = reader.feed(b"\xC3,\xA9\n", |record| {
            seen.push((
                record.was_repaired(),
                record.iter().map(str::to_string).collect::<Vec<_>>(),
            ));
            Ok(())
        });
        assert!(result.is_ok());
        assert_eq!(seen, [(true, fields(&["\u{fffd}", "\u{fffd}"]))]);
    }

    #[test]
    fn stops_at_the_callers_error() {
        let mut reader = RowReader::new(b',');
        let result = reader.feed(b"a\nb\n", |record| {
            Err(ParseError::at_line(record.line(), "stop"))
        });
        assert_eq!(result, Err(ParseError::at_line(1, "stop")));
    }
}
