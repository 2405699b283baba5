//! Turns an upload's bytes into UTF-8 text before any parser sees them.
//!
//! Contributors' files arrive as UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text"),
//! or a Windows code page (1251 for Russian systems, 1252 for Western ones). The encoding is
//! decided once from the head of the file, then the rest is decoded as a stream in chunks, so
//! memory stays flat whatever the file size. Files that are plainly not text are refused here
//! with a description of what they look like; an Excel workbook is recognized here and read by
//! [`super::workbook`].

use std::io::{self, Read};

use encoding_rs::{Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How much of the file decides its encoding and is shown to parsers' `detect`.
pub const HEAD_BYTES: usize = 64 * 1024;

/// Raw bytes read per step. Big enough that per-call overhead into a plugin is negligible,
/// small enough that memory stays flat and a deadline bounds one step.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// Why a file is not text we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotText {
    #[error("the file is empty")]
    Empty,
    #[error("this looks like {}, not a sales export (a CSV, TSV, TXT or XLSX file)", .0.description())]
    Looks(Kind),
}

/// What a file that is not text looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Png,
    Jpeg,
    Gif,
    Pdf,
    Program,
    WindowsProgram,
    Gzip,
    Rar,
    SevenZip,
    OldOffice,
    WebAssembly,
    OpenDocument,
    Zip,
    Binary,
}

impl Kind {
    /// In English, after "this looks like".
    pub fn description(self) -> &'static str {
        match self {
            Kind::Png => "a PNG image",
            Kind::Jpeg => "a JPEG image",
            Kind::Gif => "a GIF image",
            Kind::Pdf => "a PDF document",
            Kind::Program => "a program (executable)",
            Kind::WindowsProgram => "a Windows program (executable)",
            Kind::Gzip => "a gzip archive",
            Kind::Rar => "a RAR archive",
            Kind::SevenZip => "a 7-Zip archive",
            Kind::OldOffice => "an old Excel or Word document (.xls/.doc)",
            Kind::WebAssembly => "a WebAssembly module",
            Kind::OpenDocument => "an OpenDocument spreadsheet (.ods)",
            Kind::Zip => "a ZIP archive",
            Kind::Binary => "binary data",
        }
    }

    /// The name of its description in the bot's lexicon (`file.looks.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Png => "png",
            Kind::Jpeg => "jpeg",
            Kind::Gif => "gif",
            Kind::Pdf => "pdf",
            Kind::Program => "program",
            Kind::WindowsProgram => "windows_program",
            Kind::Gzip => "gzip",
            Kind::Rar => "rar",
            Kind::SevenZip => "seven_zip",
            Kind::OldOffice => "old_office",
            Kind::WebAssembly => "webassembly",
            Kind::OpenDocument => "opendocument",
            Kind::Zip => "zip",
            Kind::Binary => "binary",
        }
    }
}

/// What the head of a readable file says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Text in this encoding.
    Text(&'static Encoding),
    /// An Excel workbook (`.xlsx`): see [`super::workbook`].
    Workbook,
}

/// Decides what a file is, and its text encoding, from its head.
pub fn sniff(head: &[u8]) -> Result<Sniffed, NotText> {
    if head.is_empty() {
        return Err(NotText::Empty);
    }
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return Ok(Sniffed::Text(encoding));
    }
    if head.starts_with(b"PK\x03\x04") {
        return if find(head, b"xl/") || find(head, b"[Content_Types].xml") {
            Ok(Sniffed::Workbook)
        } else if find(head, b"opendocument.spreadsheet") {
            Err(NotText::Looks(Kind::OpenDocument))
        } else {
            Err(NotText::Looks(Kind::Zip))
        };
    }
    if let Some(kind) = binary_kind(head) {
        return Err(NotText::Looks(kind));
    }
    if let Some(encoding) = bomless_utf16(head) {
        return Ok(Sniffed::Text(encoding));
    }
    if head.contains(&0) {
        return Err(NotText::Looks(Kind::Binary));
    }
    if is_utf8_prefix(head) {
        return Ok(Sniffed::Text(UTF_8));
    }
    Ok(Sniffed::Text(guess_code_page(head)))
}

/// Recognizes common non-text formats by their magic bytes.
fn binary_kind(head: &[u8]) -> Option<Kind> {
    const MAGIC: &[(&[u8], Kind)] = &[
        (b"\x89PNG", Kind::Png),
        (b"\xFF\xD8\xFF", Kind::Jpeg),
        (b"GIF8", Kind::Gif),
        (b"%PDF", Kind::Pdf),
        (b"\x7FELF", Kind::Program),
        (b"MZ", Kind::WindowsProgram),
        (b"\x1F\x8B", Kind::Gzip),
        (b"Rar!", Kind::Rar),
        (b"7z\xBC\xAF", Kind::SevenZip),
        (b"\xD0\xCF\x11\xE0", Kind::OldOffice),
        (b"\0asm", Kind::WebAssembly),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|&(_, kind)| kind)
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// UTF-16 without a BOM shows as ASCII interleaved with zero bytes.
fn bomless_utf16(head: &[u8]) -> Option<&'static Encoding> {
    let sample = &head[..head.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // Mostly-ASCII UTF-16 has a zero in nearly every pair, on one side only.
    if zero_odd * 10 >= pairs * 7 && zero_even * 10 <= pairs {
        Some(UTF_16LE)
    } else if zero_even * 10 >= pairs * 7 && zero_odd * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Valid UTF-8, allowing the head to end in the middle of a character.
fn is_utf8_prefix(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(err) => err.error_len().is_none() && head.len() - err.valid_up_to() < 4,
    }
}

/// A legacy code page, guessed by chardetng (the detector Firefox uses) from the head. It tells
/// Windows-1251 Russian from Windows-1252 Western text reliably on a few lines; a guess of
/// UTF-8 cannot happen here because valid UTF-8 was ruled out before.
fn guess_code_page(head: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// What opening a file found.
pub enum Opened<R> {
    /// Text, with its head decoded.
    Text(TextReader<R>, String),
    /// An Excel workbook, for [`super::workbook`] to read from the start.
    Workbook,
}

/// Reads a file as UTF-8 text in chunks, whatever its encoding.
pub struct TextReader<R> {
    inner: R,
    decoder: Decoder,
    encoding: &'static Encoding,
    raw: Vec<u8>,
    /// Bytes of the head already read to sniff the encoding, decoded first.
    pending: Vec<u8>,
    done: bool,
    raw_bytes: u64,
}

impl<R: Read> TextReader<R> {
    /// Reads the head, decides the encoding and returns the reader with the decoded head.
    pub fn open(mut inner: R) -> io::Result<Result<Opened<R>, NotText>> {
        let mut head = vec![0; HEAD_BYTES];
        let filled = read_full(&mut inner, &mut head)?;
        head.truncate(filled);
        let encoding = match sniff(&head) {
            Ok(Sniffed::Text(encoding)) => encoding,
            Ok(Sniffed::Workbook) => return Ok(Ok(Opened::Workbook)),
            Err(not_text) => return Ok(Err(not_text)),
        };
        let mut decoder = encoding.new_decoder_with_bom_removal();
        let mut decoded_head = String::with_capacity(head.len() + 16);
        let max = decoder
            .max_utf8_buffer_length(head.len())
            .unwrap_or(head.len() * 3);
        decoded_head.reserve(max);
        // Decode a copy of the head for detection with a throwaway decoder, so the real one
        // starts from the beginning.
        let (_, _, _) = decoder.decode_to_string(&head, &mut decoded_head, false);
        let decoder = encoding.new_decoder_with_bom_removal();
        Ok(Ok(Opened::Text(
            TextReader {
                inner,
                decoder,
                encoding,
                raw: vec![0; CHUNK_BYTES],
                raw_bytes: head.len() as u64,
                pending: head,
                done: false,
            },
            decoded_head,
        )))
    }

    /// The encoding the file was read as.
    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// Bytes read from the source so far.
    pub fn raw_bytes(&self) -> u64 {
        self.raw_bytes
    }

    /// Decodes the next chunk into `out` (cleared first). Returns false at the end.
    pub fn next_chunk(&mut self, out: &mut String) -> io::Result<bool> {
        out.clear();
        if self.done {
            return Ok(false);
        }
        let input = if self.pending.is_empty() {
            let filled = read_full(&mut self.inner, &mut self.raw)?;
            self.raw_bytes += filled as u64;
            &self.raw[..filled]
        } else {
            &self.pending[..]
        };
        let last = input.is_empty();
        let max = self
            .decoder
            .max_utf8_buffer_length(input.len())
            .unwrap_or(input.len() * 3 + 16);
        out.reserve(max);
        let (_, _, _) = self.decoder.decode_to_string(input, out, last);
        self.pending.clear();
        if last {
            self.done = true;
        }
        Ok(!out.is_empty() || !last)
    }
}

/// Fills `buf` as far as the source allows; short only at the end.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{WINDOWS_1251, WINDOWS_1252};

    fn decode_all(bytes: &[u8]) -> Result<String, NotText> {
        let Opened::Text(mut reader, _) = TextReader::open(bytes).expect("in-memory read")? else {
            panic!("not a workbook");
        };
        let mut text = String::new();
        let mut chunk = String::new();
        while reader.next_chunk(&mut chunk).expect("in-memory read") {
            text.push_str(&chunk);
        }
        Ok(text)
    }

    #[test]
    fn utf8_bom_is_removed() {
        assert_eq!(decode_all(b"\xEF\xBB\xBFa,b\n").unwrap(), "a,b\n");
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "Дата,Сумма\n2025-01-01,1.5\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let with_bom = [&[0xFF, 0xFE][..], &le].concat();
        assert_eq!(decode_all(&with_bom).unwrap(), text);
        let ascii = "date,amount\n2025-01-01,1.5\n";
        let le_ascii: Vec<u8> = ascii.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be_ascii: Vec<u8> = ascii.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_all(&le_ascii).unwrap(), ascii);
        assert_eq!(decode_all(&be_ascii).unwrap(), ascii);
        let _ = be;
    }

    #[test]
    fn code_pages_are_told_apart() {
        let (russian, _, _) =
            WINDOWS_1251.encode("Дата;Название;Доход\n01.02.2025;Закат над морем;1,50\n");
        assert_eq!(sniff(&russian).unwrap(), Sniffed::Text(WINDOWS_1251));
        let (western, _, _) =
            WINDOWS_1252.encode("Date;Titre;Revenu\n01/02/2025;Café à Paris, été;1,50\n");
        assert_eq!(sniff(&western).unwrap(), Sniffed::Text(WINDOWS_1252));
        assert_eq!(
            decode_all(&western).unwrap(),
            "Date;Titre;Revenu\n01/02/2025;Café à Paris, été;1,50\n"
        );
    }

    #[test]
    fn binary_files_say_what_they_look_like() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n...."),
            Err(NotText::Looks(Kind::Png))
        );
        assert_eq!(sniff(b"%PDF-1.7\n"), Err(NotText::Looks(Kind::Pdf)));
        assert_eq!(
            sniff(b"PK\x03\x04....[Content_Types].xml..xl/"),
            Ok(Sniffed::Workbook)
        );
        assert_eq!(
            sniff(b"PK\x03\x04....other"),
            Err(NotText::Looks(Kind::Zip))
        );
        assert_eq!(
            sniff(b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
            Err(NotText::Looks(Kind::OpenDocument))
        );
        assert_eq!(sniff(b"a,b\0c"), Err(NotText::Looks(Kind::Binary)));
        assert_eq!(sniff(b""), Err(NotText::Empty));
    }

    #[test]
    fn a_character_split_across_chunks_survives() {
        // 64 KiB head then a multi-byte character straddling the head boundary.
        let mut bytes = vec![b'a'; HEAD_BYTES - 1];
        bytes.extend_from_slice("ж,€\n".as_bytes());
        let text = decode_all(&bytes).unwrap();
        assert!(text.ends_with("aж,€\n"));
        assert_eq!(text.len(), bytes.len());
    }
}
