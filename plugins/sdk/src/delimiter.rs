//! Delimiter sniffing: which of `,` `;` tab `|` separates the fields of a file, judged from its
//! first lines.
//!
//! It only counts bytes; it does not parse fields or allocate, so detectors can call it on every
//! upload's head cheaply.

/// The delimiters exports use, in order of preference when two fit equally well.
///
/// ```
/// use stocklens_plugin_sdk::{DELIMITERS, sniff_delimiter};
/// for delimiter in DELIMITERS {
///     let d = char::from(delimiter);
///     assert_eq!(sniff_delimiter(format!("a{d}b\n1{d}2\n").as_bytes()), Some(delimiter));
/// }
/// // Two that fit equally well: the earlier one wins.
/// assert_eq!(sniff_delimiter(b"a,b;c\n1,2;3\n"), Some(b','));
/// ```
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Records looked at: enough to see that a count is steady, few enough to stay cheap on a 64 KiB
/// head.
///
/// ```
/// use stocklens_plugin_sdk::{SNIFF_RECORDS, sniff_delimiter};
/// // `,` and `;` fit the first records equally well, so `,` wins; the later records, where only
/// // `;` stays steady, are not looked at.
/// let head = "a,b;c\n".repeat(SNIFF_RECORDS) + &"a,b,c;d\n".repeat(5);
/// assert_eq!(sniff_delimiter(head.as_bytes()), Some(b','));
/// // Within the first records they decide.
/// let head = "a,b;c\n".repeat(3) + &"a,b,c;d\n".repeat(5);
/// assert_eq!(sniff_delimiter(head.as_bytes()), Some(b';'));
/// ```
pub const SNIFF_RECORDS: usize = 20;

/// The delimiter that splits the first records of `head` into the same number of fields,
/// preferring the one that gives more fields; `None` if no candidate appears outside quotes.
///
/// Quoted fields may hold delimiters and line breaks. A last record without its line break is
/// ignored when there are others, since a head may be cut mid-line.
///
/// ```
/// use stocklens_plugin_sdk::sniff_delimiter;
/// assert_eq!(sniff_delimiter(b"a;b;c\n1;\"x;y\";3\n"), Some(b';'));
/// assert_eq!(sniff_delimiter(b"date\tid\ttitle, long\n"), Some(b'\t'));
/// assert_eq!(sniff_delimiter(b"just words\n"), None);
/// ```
pub fn sniff_delimiter(head: &[u8]) -> Option<u8> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut best: Option<(u8, (bool, usize, usize))> = None;
    for delimiter in DELIMITERS {
        let counts = count_per_record(head, delimiter);
        let Some(&first) = counts.first() else {
            continue;
        };
        let min = counts.iter().copied().min().unwrap_or(0);
        if min == 0 {
            continue;
        }
        let steady = counts.iter().all(|&c| c == first);
        let score = (steady, min, counts.iter().sum::<usize>());
        if best.is_none_or(|(_, best_score)| score > best_score) {
            best = Some((delimiter, score));
        }
    }
    best.map(|(delimiter, _)| delimiter)
}

/// Delimiters outside quotes in each of the first [`SNIFF_RECORDS`] non-empty records.
fn count_per_record(head: &[u8], delimiter: u8) -> Vec<usize> {
    let mut counts = Vec::with_capacity(SNIFF_RECORDS);
    let (mut in_quotes, mut count, mut has_content) = (false, 0usize, false);
    for &byte in head {
        match byte {
            b'"' => {
                in_quotes = !in_quotes;
                has_content = true;
            }
            b'\n' | b'\r' if !in_quotes => {
                if has_content {
                    counts.push(count);
                    if counts.len() == SNIFF_RECORDS {
                        return counts;
                    }
                }
                (count, has_content) = (0, false);
            }
            b if b == delimiter && !in_quotes => {
                count += 1;
                has_content = true;
            }
            _ => has_content = true,
        }
    }
    // The unterminated tail counts only when it is all there is.
    if has_content && counts.is_empty() {
        counts.push(count);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_delimiter_with_a_steady_count() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n"), Some(b','));
        assert_eq!(sniff_delimiter(b"a;b;c\r\n1,5;2,5;3\r\n"), Some(b';'));
        assert_eq!(sniff_delimiter(b"a\tb\tc\n1\t2,5\t3\n"), Some(b'\t'));
        assert_eq!(sniff_delimiter(b"a|b\n1|2\n"), Some(b'|'));
    }

    #[test]
    fn ignores_delimiters_inside_quotes_and_a_cut_last_line() {
        let head = b"date,id,title\n2025-01-01,1,\"a, b; c\"\n2025-01-02,2,\"multi\nline, text\"\n2025-01-03,3";
        assert_eq!(sniff_delimiter(head), Some(b','));
        assert_eq!(sniff_delimiter(b"\xEF\xBB\xBFx;y\n1;2\n3"), Some(b';'));
    }

    #[test]
    fn finds_nothing_in_plain_text() {
        assert_eq!(sniff_delimiter(b""), None);
        assert_eq!(sniff_delimiter(b"hello world\nsecond line\n"), None);
    }
}
