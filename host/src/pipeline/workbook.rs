//! Excel workbooks (`.xlsx`): the first sheet becomes delimited text for the same parsers.
//!
//! Contributors often open an export in Excel and save it there. Parsers read delimited text,
//! so the first sheet is read cell by cell (calamine's streaming reader, no whole-sheet range
//! in memory) on a thread of its own, into pieces of whole rows in a compact form, and rendered
//! as CSV or TSV, whichever delimiter the chosen parser expects: the same parser then reads it as
//! if the marketplace had sent it, while the next rows are still being read. Memory stays flat
//! whatever the sheet's size. Rows keep their sheet row numbers, so "line 12" in a warning is row
//! 12 in Excel.
//!
//! A workbook is a ZIP archive, and a few kilobytes of ZIP can inflate to gigabytes. Before
//! calamine inflates anything, every entry is inflated once into nothing, counting bytes, and the
//! workbook is refused as soon as the count passes the cap: the declared sizes in the archive
//! are not trusted.

use std::io::{self, Read, Seek};
use std::sync::mpsc::{Receiver, sync_channel};

use calamine::{DataRef, Reader, Xlsx};

/// What a workbook may grow to when it is read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Total size of its unpacked parts. A full sheet of Adobe Stock activity (a million rows,
    /// Excel's limit) unpacks to about 510 MiB.
    pub unpacked: u64,
    /// Size of the text made from its first sheet (cells without the XML around them, about a
    /// quarter of the sheet's XML).
    pub text: u64,
}

impl Limits {
    /// What `analyze` and the service allow.
    pub const DEFAULT: Limits = Limits {
        unpacked: 1024 * 1024 * 1024,
        text: 512 * 1024 * 1024,
    };
}

/// Most parts a workbook may have; real ones have a few dozen.
const MAX_PARTS: usize = 10_000;

/// Separates cells in [`Sheet::text`]; never in a cell (XML 1.0 cannot carry it).
const CELL: u8 = 0x1F;
/// Ends a row in [`Sheet::text`].
const ROW: u8 = 0x1E;

/// Why a workbook cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkbookProblem {
    #[error(
        "the Excel workbook unpacks to more than {} MB; export a shorter period, or save it as CSV",
        .limit / (1024 * 1024)
    )]
    TooLarge { limit: u64 },
    #[error(
        "the first sheet of the Excel workbook holds more than {} MB of cells; export a shorter period, or save it as CSV",
        .limit / (1024 * 1024)
    )]
    SheetTooLarge { limit: u64 },
    #[error(
        "the Excel workbook cannot be read ({0}); save it again from Excel, or export it as CSV"
    )]
    Damaged(String),
    #[error("the Excel workbook has no sheets")]
    NoSheets,
    #[error("the first sheet of the Excel workbook, \"{0}\", is empty")]
    EmptySheet(String),
}

/// Compact text handed over by the reading thread at a time, in whole rows.
const PIECE_BYTES: usize = 256 * 1024;

/// Pieces in flight between the reading thread and the parser: enough to keep both busy, few
/// enough that memory stays bounded.
const PIECES_IN_FLIGHT: usize = 4;

/// What the reading thread hands over: a piece of whole rows, or why it stopped.
type Piece = Result<Vec<u8>, WorkbookProblem>;

/// The first sheet of a workbook, being read on its own thread, with the rows that have arrived
/// so far: at least the head that detection looks at.
#[derive(Debug)]
pub struct SheetStream {
    /// Cells separated by [`CELL`], rows ended by [`ROW`]; blank sheet rows are empty rows.
    arrived: Vec<u8>,
    pieces: Receiver<Piece>,
}

/// Starts reading the first sheet of the workbook in `source` and waits for its first `head`
/// bytes of cells (or all of them): a workbook that is too large, damaged or empty is refused
/// here, before any parser runs, unless its problem lies further down the sheet.
pub fn open<R: Read + Seek + Send + 'static>(
    source: R,
    limits: Limits,
    head: usize,
) -> Result<SheetStream, WorkbookProblem> {
    let (sender, pieces) = sync_channel::<Piece>(PIECES_IN_FLIGHT);
    std::thread::Builder::new()
        .name("workbook".into())
        .spawn(move || {
            let mut send = |piece: Vec<u8>| sender.send(Ok(piece)).is_ok();
            if let Err(problem) = read(source, limits, &mut send) {
                let _ = sender.send(Err(problem));
            }
        })
        .map_err(|err| WorkbookProblem::Damaged(format!("cannot start reading it: {err}")))?;
    let mut arrived = Vec::new();
    while arrived.len() < head {
        match pieces.recv() {
            Ok(piece) => arrived.extend_from_slice(&piece?),
            Err(_) => break,
        }
    }
    Ok(SheetStream { arrived, pieces })
}

/// Reads the first sheet, handing `send` pieces of whole rows; stops early when `send` says the
/// reader is gone.
fn read<R: Read + Seek>(
    mut source: R,
    limits: Limits,
    send: &mut dyn FnMut(Vec<u8>) -> bool,
) -> Result<(), WorkbookProblem> {
    check_unpacked_size(&mut source, limits.unpacked)?;
    source
        .rewind()
        .map_err(|err| WorkbookProblem::Damaged(err.to_string()))?;
    let mut workbook: Xlsx<R> =
        Xlsx::new(source).map_err(|err| WorkbookProblem::Damaged(err.to_string()))?;
    let name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(WorkbookProblem::NoSheets)?;
    let mut cells = workbook
        .worksheet_cells_reader(&name)
        .map_err(|err| WorkbookProblem::Damaged(err.to_string()))?;
    let mut sheet = SheetWriter::new(limits.text);
    while let Some(cell) = cells
        .next_cell()
        .map_err(|err| WorkbookProblem::Damaged(err.to_string()))?
    {
        let (row, column) = cell.get_position();
        if row > sheet.row && sheet.text.len() >= PIECE_BYTES {
            sheet.start_row(row)?;
            if !send(std::mem::take(&mut sheet.text)) {
                return Ok(());
            }
        }
        sheet.cell(row, column, cell.get_value())?;
    }
    if !sheet.has_values {
        return Err(WorkbookProblem::EmptySheet(name));
    }
    send(sheet.finish());
    Ok(())
}

/// Inflates every part of the archive into nothing, counting, and stops past `limit`.
fn check_unpacked_size<R: Read + Seek>(source: &mut R, limit: u64) -> Result<(), WorkbookProblem> {
    let damaged = |err: &dyn std::fmt::Display| WorkbookProblem::Damaged(err.to_string());
    let mut archive = zip::ZipArchive::new(&mut *source).map_err(|e| damaged(&e))?;
    if archive.len() > MAX_PARTS {
        return Err(damaged(&format_args!("{} parts", archive.len())));
    }
    let mut total = 0u64;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|e| damaged(&e))?;
        // The declared size refuses an honest giant at once; the count catches a lying one.
        if total.saturating_add(entry.size()) > limit {
            return Err(WorkbookProblem::TooLarge { limit });
        }
        let allowed = limit - total;
        let inflated =
            io::copy(&mut entry.take(allowed + 1), &mut io::sink()).map_err(|e| damaged(&e))?;
        total += inflated;
        if total > limit {
            return Err(WorkbookProblem::TooLarge { limit });
        }
    }
    Ok(())
}

/// Lays cells out row by row, filling the gaps a sparse sheet leaves.
struct SheetWriter {
    /// What is written and not yet handed over.
    text: Vec<u8>,
    /// Bytes written in all, handed over or not.
    written: u64,
    /// The sheet row being written.
    row: u32,
    /// Cells written in that row, gaps included.
    cells: u32,
    /// Whether any cell had a value that shows.
    has_values: bool,
    limit: u64,
    scratch: String,
}

impl SheetWriter {
    fn new(limit: u64) -> SheetWriter {
        SheetWriter {
            text: Vec::new(),
            written: 0,
            row: 0,
            cells: 0,
            has_values: false,
            limit,
            scratch: String::new(),
        }
    }

    /// Ends the rows before `row` (blank ones included).
    fn start_row(&mut self, row: u32) -> Result<(), WorkbookProblem> {
        if row > self.row {
            self.reserve(u64::from(row - self.row))?;
            self.text
                .extend(std::iter::repeat_n(ROW, (row - self.row) as usize));
            self.row = row;
            self.cells = 0;
        }
        Ok(())
    }

    fn cell(&mut self, row: u32, column: u32, value: &DataRef<'_>) -> Result<(), WorkbookProblem> {
        if matches!(value, DataRef::Empty) {
            return Ok(());
        }
        self.start_row(row)?;
        // Cells arrive in sheet order; one out of order (a hand-made file) joins the row it is
        // written in after the cells already there.
        let gap = column.saturating_sub(self.cells) + u32::from(self.cells > 0);
        self.reserve(u64::from(gap))?;
        self.text.extend(std::iter::repeat_n(CELL, gap as usize));
        self.cells = self.cells.max(column) + 1;
        self.scratch.clear();
        write_value(value, &mut self.scratch);
        self.reserve(self.scratch.len() as u64)?;
        self.has_values |= !self.scratch.is_empty();
        self.text.extend(
            self.scratch
                .bytes()
                .map(|b| if b == CELL || b == ROW { b' ' } else { b }),
        );
        Ok(())
    }

    /// Counts `more` bytes against the limit, before they are written.
    fn reserve(&mut self, more: u64) -> Result<(), WorkbookProblem> {
        if self.written + more > self.limit {
            return Err(WorkbookProblem::SheetTooLarge { limit: self.limit });
        }
        self.written += more;
        Ok(())
    }

    fn finish(mut self) -> Vec<u8> {
        if !self.text.is_empty() {
            self.text.push(ROW);
        }
        self.text
    }
}

/// A cell as the marketplace's own export would have written it: numbers without float noise,
/// dates as ISO dates (with the time when there is one).
fn write_value(value: &DataRef<'_>, out: &mut String) {
    use std::fmt::Write;
    match value {
        DataRef::Empty => {}
        DataRef::String(text) => out.push_str(text),
        DataRef::SharedString(text) => out.push_str(text),
        DataRef::Int(number) => {
            let _ = write!(out, "{number}");
        }
        DataRef::Float(number) => write_number(*number, out),
        DataRef::Bool(flag) => out.push_str(if *flag { "TRUE" } else { "FALSE" }),
        DataRef::DateTime(moment) if moment.is_datetime() => {
            let (year, month, day, hour, minute, second, milli) = moment.to_ymd_hms_milli();
            let _ = write!(out, "{year:04}-{month:02}-{day:02}");
            if (hour, minute, second, milli) != (0, 0, 0, 0) {
                let _ = write!(out, " {hour:02}:{minute:02}:{second:02}");
            }
        }
        DataRef::DateTime(duration) => write_number(duration.as_f64(), out),
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => out.push_str(text),
        DataRef::Error(error) => {
            let _ = write!(out, "{error}");
        }
    }
}

/// A float as a person would type it: `3`, `0.33`, never `0.30000000000000004` or `3e-7`; and
/// never with exactly three decimals, which look like a thousands group.
fn write_number(number: f64, out: &mut String) {
    use std::fmt::Write;
    if !number.is_finite() {
        let _ = write!(out, "{number}");
        return;
    }
    // Money in these exports has at most four decimals; ten keep every real digit and drop the
    // binary noise of a value Excel computed.
    let start = out.len();
    let _ = write!(out, "{number:.10}");
    let trimmed = out[start..]
        .trim_end_matches('0')
        .trim_end_matches('.')
        .len();
    out.truncate(start + trimmed);
    if &out[start..] == "-0" {
        out.truncate(start);
        out.push('0');
    }
    // `2.115` reads as two thousand one hundred fifteen to a parser that allows thousands
    // separators; `2.1150` cannot be misread.
    if out[start..]
        .split_once('.')
        .is_some_and(|(_, fraction)| fraction.len() == 3)
    {
        out.push('0');
    }
}

impl SheetStream {
    /// The sheet as delimited text: cells that hold the delimiter, a quote or a line break are
    /// quoted, quotes doubled, as a spreadsheet's own CSV export does.
    pub fn render(self, delimiter: u8) -> Rendered {
        Rendered {
            piece: self.arrived,
            pieces: self.pieces,
            delimiter,
            position: 0,
            pending: Vec::new(),
            pending_position: 0,
        }
    }

    /// The first `max` bytes (about) of [`SheetStream::render`] with `delimiter`, from the rows
    /// that have arrived, for detection.
    pub fn head(&self, delimiter: u8, max: usize) -> Vec<u8> {
        let mut head = Vec::with_capacity(max.min(self.arrived.len() * 2));
        let mut position = 0;
        while position < self.arrived.len() && head.len() < max {
            position = render_cell(&self.arrived, position, delimiter, &mut head);
        }
        head.truncate(max);
        head
    }
}

/// Renders the cell starting at `position` and the separator after it into `out`; returns
/// where the next cell starts.
fn render_cell(text: &[u8], position: usize, delimiter: u8, out: &mut Vec<u8>) -> usize {
    let end = text[position..]
        .iter()
        .position(|&b| b == CELL || b == ROW)
        .map_or(text.len(), |offset| position + offset);
    let cell = &text[position..end];
    if cell
        .iter()
        .any(|&b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r')
    {
        out.push(b'"');
        for &byte in cell {
            if byte == b'"' {
                out.push(b'"');
            }
            out.push(byte);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(cell);
    }
    match text.get(end) {
        Some(&CELL) => out.push(delimiter),
        Some(_) => out.push(b'\n'),
        None => {}
    }
    end + 1
}

/// A sheet rendered as delimited text as its pieces arrive. A problem further down the sheet
/// (damaged XML, too much text) is an I/O error that carries the [`WorkbookProblem`]; see
/// [`problem_of`].
#[derive(Debug)]
pub struct Rendered {
    /// The piece being rendered.
    piece: Vec<u8>,
    pieces: Receiver<Piece>,
    delimiter: u8,
    position: usize,
    pending: Vec<u8>,
    pending_position: usize,
}

/// Bytes rendered ahead of the reader at a time.
const RENDER_STEP: usize = 64 * 1024;

impl Read for Rendered {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pending_position == self.pending.len() {
            self.pending.clear();
            self.pending_position = 0;
            while self.pending.len() < RENDER_STEP {
                if self.position == self.piece.len() {
                    match self.pieces.recv() {
                        Ok(Ok(piece)) => (self.piece, self.position) = (piece, 0),
                        Ok(Err(problem)) => return Err(io::Error::other(problem)),
                        Err(_) => break,
                    }
                    continue;
                }
                self.position = render_cell(
                    &self.piece,
                    self.position,
                    self.delimiter,
                    &mut self.pending,
                );
            }
        }
        let available = &self.pending[self.pending_position..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.pending_position += n;
        Ok(n)
    }
}

/// The workbook problem an I/O error from [`Rendered`] carries, if it carries one.
pub fn problem_of(err: &io::Error) -> Option<&WorkbookProblem> {
    err.get_ref()?.downcast_ref::<WorkbookProblem>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn render(rows: &[&[(u32, DataRef<'_>)]], delimiter: u8) -> String {
        let mut writer = SheetWriter::new(1 << 20);
        for (row, cells) in rows.iter().enumerate() {
            for (column, value) in cells.iter() {
                writer.cell(row as u32, *column, value).unwrap();
            }
        }
        let mut text = String::new();
        // Arrived in two pieces: the first row, then the rest.
        let all = writer.finish();
        let split = all
            .iter()
            .position(|&b| b == ROW)
            .map_or(all.len(), |at| at + 1);
        stream(all[..split].to_vec(), vec![Ok(all[split..].to_vec())])
            .render(delimiter)
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    /// A sheet whose `arrived` rows are in, with `later` pieces still to come.
    fn stream(arrived: Vec<u8>, later: Vec<Piece>) -> SheetStream {
        let (sender, pieces) = sync_channel(later.len());
        for piece in later {
            sender.send(piece).unwrap();
        }
        SheetStream { arrived, pieces }
    }

    #[test]
    fn a_problem_further_down_the_sheet_stops_the_text() {
        let later = vec![
            Ok(b"b\x1e".to_vec()),
            Err(WorkbookProblem::Damaged("bad XML".into())),
        ];
        let mut text = String::new();
        let err = stream(b"a\x1e".to_vec(), later)
            .render(b',')
            .read_to_string(&mut text)
            .unwrap_err();
        assert_eq!(
            problem_of(&err),
            Some(&WorkbookProblem::Damaged("bad XML".into()))
        );
    }

    #[test]
    fn cells_are_quoted_for_the_delimiter_they_are_rendered_with() {
        let row: &[(u32, DataRef<'_>)] = &[
            (0, DataRef::SharedString("Sunset, sea")),
            (1, DataRef::String("say \"hi\"".into())),
            (2, DataRef::String("tab\there".into())),
        ];
        assert_eq!(
            render(&[row], b','),
            "\"Sunset, sea\",\"say \"\"hi\"\"\",tab\there\n"
        );
        assert_eq!(
            render(&[row], b'\t'),
            "Sunset, sea\t\"say \"\"hi\"\"\"\t\"tab\there\"\n"
        );
    }

    #[test]
    fn gaps_keep_columns_and_sheet_rows_in_place() {
        let first: &[(u32, DataRef<'_>)] = &[(1, DataRef::Int(7)), (3, DataRef::Bool(true))];
        let third: &[(u32, DataRef<'_>)] = &[(0, DataRef::Float(0.5))];
        assert_eq!(render(&[first, &[], third], b','), ",7,,TRUE\n\n0.5\n");
    }

    #[test]
    fn numbers_read_as_typed() {
        let mut out = String::new();
        for (number, text) in [
            (3.0, "3"),
            (0.33, "0.33"),
            (0.1 + 0.2, "0.3"),
            (-1.25, "-1.25"),
            (1234567.8912, "1234567.8912"),
            (2.115, "2.1150"),
            (-1.234, "-1.2340"),
            (0.0000001, "0.0000001"),
            (-0.0, "0"),
            (123456789012.0, "123456789012"),
        ] {
            out.clear();
            write_number(number, &mut out);
            assert_eq!(out, text, "{number}");
        }
    }

    #[test]
    fn dates_become_iso_dates() {
        let mut out = String::new();
        // 2025-10-13 and 2025-10-13 12:59:02 in the 1900 system; the same day in the 1904 one.
        for (serial, is_1904, text) in [
            (45943.0, false, "2025-10-13"),
            (45943.541, false, "2025-10-13 12:59:02"),
            (44481.0, true, "2025-10-13"),
        ] {
            out.clear();
            let moment = ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904);
            write_value(&DataRef::DateTime(moment), &mut out);
            assert_eq!(out, text);
        }
    }

    #[test]
    fn a_sheet_bigger_than_the_cap_is_refused() {
        let mut writer = SheetWriter::new(10);
        writer.cell(0, 0, &DataRef::SharedString("12345")).unwrap();
        assert_eq!(
            writer.cell(0, 1, &DataRef::SharedString("67890")),
            Err(WorkbookProblem::SheetTooLarge { limit: 10 })
        );
        // A far-away cell in a sparse sheet is refused before its gap is filled.
        let mut sparse = SheetWriter::new(1000);
        assert_eq!(
            sparse.cell(1_000_000, 16_000, &DataRef::Int(1)),
            Err(WorkbookProblem::SheetTooLarge { limit: 1000 })
        );
    }

    #[test]
    fn the_head_is_the_start_of_the_rendering() {
        let row: &[(u32, DataRef<'_>)] = &[(0, DataRef::SharedString("a,b")), (1, DataRef::Int(1))];
        let mut writer = SheetWriter::new(1 << 20);
        for (column, value) in row {
            writer.cell(0, *column, value).unwrap();
        }
        let sheet = stream(writer.finish(), Vec::new());
        assert_eq!(sheet.head(b',', 4), b"\"a,b");
        assert_eq!(sheet.head(b'\t', 100), b"a,b\t1\n");
    }
}
