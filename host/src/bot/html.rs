//! Telegram's HTML parse mode, from the bot's side: escaping values into it, and checking a text
//! the way Telegram does before it is ever sent (the lexicon's test, and operator overrides
//! before they are stored).

use std::fmt::Write;

/// Most characters of text in one message, counted in UTF-16 code units as Telegram counts.
pub const MAX_MESSAGE: usize = 4096;
/// Most characters of a document's caption.
pub const MAX_CAPTION: usize = 1024;
/// Most bytes of a button's callback data.
pub const MAX_CALLBACK_DATA: usize = 64;

/// Tags Telegram accepts, with the attributes each may carry.
const TAGS: &[(&str, &[&str])] = &[
    ("b", &[]),
    ("strong", &[]),
    ("i", &[]),
    ("em", &[]),
    ("u", &[]),
    ("ins", &[]),
    ("s", &[]),
    ("strike", &[]),
    ("del", &[]),
    ("a", &["href"]),
    ("code", &["class"]),
    ("pre", &[]),
    ("span", &["class"]),
    ("tg-spoiler", &[]),
    ("blockquote", &["expandable"]),
    ("tg-emoji", &["emoji-id"]),
];

/// Escapes text for Telegram HTML: `<`, `>`, `&` and `"`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Checks `html` as Telegram would: known tags only, properly nested and closed, `<` and `&`
/// only as markup, and at most `max` visible characters (UTF-16 units). The error says what is
/// wrong and where.
pub fn check(html: &str, max: usize) -> Result<(), String> {
    let visible = visible_len(html)?;
    if visible > max {
        return Err(format!("{visible} characters, more than {max}"));
    }
    Ok(())
}

/// The number of UTF-16 units Telegram shows for `html`, or why it would refuse the markup.
pub fn visible_len(html: &str) -> Result<usize, String> {
    let mut open: Vec<&str> = Vec::new();
    let mut visible = 0usize;
    let mut rest = html;
    let mut at = 0usize;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest
                    .find('>')
                    .ok_or_else(|| format!("unclosed tag at byte {at}"))?;
                let tag = &rest[1..end];
                if let Some(name) = tag.strip_prefix('/') {
                    let name = name.trim();
                    match open.pop() {
                        Some(top) if top == name => {}
                        Some(top) => {
                            return Err(format!(
                                "</{name}> at byte {at} closes <{top}>, which is still open"
                            ));
                        }
                        None => return Err(format!("</{name}> at byte {at} closes nothing")),
                    }
                } else {
                    open.push(open_tag(tag, at)?);
                }
                rest = &rest[end + 1..];
                at += end + 1;
            }
            '&' => {
                let end = rest
                    .find(';')
                    .filter(|&end| end <= 10)
                    .ok_or_else(|| format!("bare & at byte {at}; write &amp;"))?;
                entity(&rest[1..end])
                    .ok_or_else(|| format!("unknown entity {} at byte {at}", &rest[..=end]))?;
                visible += 1;
                rest = &rest[end + 1..];
                at += end + 1;
            }
            '>' => return Err(format!("bare > at byte {at}; write &gt;")),
            c => {
                visible += c.len_utf16();
                rest = &rest[c.len_utf8()..];
                at += c.len_utf8();
            }
        }
    }
    if let Some(top) = open.pop() {
        return Err(format!("<{top}> is never closed"));
    }
    Ok(visible)
}

/// The name of an opening tag, if Telegram knows it with these attributes.
fn open_tag(tag: &str, at: usize) -> Result<&str, String> {
    let tag = tag.trim();
    let (name, mut attrs) = match tag.find(char::is_whitespace) {
        Some(i) => (&tag[..i], tag[i..].trim()),
        None => (tag, ""),
    };
    let Some((_, allowed)) = TAGS.iter().find(|(known, _)| *known == name) else {
        return Err(format!("unsupported tag <{name}> at byte {at}"));
    };
    while !attrs.is_empty() {
        let (attr, after) = match attrs.find('=') {
            Some(i) => (attrs[..i].trim(), attrs[i + 1..].trim_start()),
            None => (attrs, ""),
        };
        if !allowed.contains(&attr) {
            return Err(format!(
                "attribute {attr:?} not allowed on <{name}> at byte {at}"
            ));
        }
        attrs = match after.strip_prefix('"') {
            Some(quoted) => {
                let close = quoted
                    .find('"')
                    .ok_or_else(|| format!("unclosed attribute value at byte {at}"))?;
                quoted[close + 1..].trim_start()
            }
            None => "",
        };
    }
    Ok(name)
}

/// The character an entity stands for, if Telegram knows it.
fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// A byte count for people: `25.0 MB`, `840 KB`.
pub fn format_size(bytes: u64) -> String {
    const MB: u64 = 1_000_000;
    let mut out = String::new();
    if bytes >= MB {
        let tenths = bytes.saturating_add(MB / 20) / (MB / 10);
        let _ = write!(out, "{}.{} MB", tenths / 10, tenths % 10);
    } else {
        let _ = write!(out, "{} KB", bytes.div_ceil(1000));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_telegram_markup() {
        let ok = [
            "plain",
            "<b>bold</b> and <i>it</i>",
            "<a href=\"https://example.com/?a=1&amp;b=2\">link</a>",
            "<b><i>nested</i></b>",
            "5 &lt; 6 &amp;&amp; 7 &gt; 3 &#128512; &#x1F600;",
            "<blockquote expandable>quote</blockquote>",
            "<span class=\"tg-spoiler\">x</span>",
        ];
        for text in ok {
            assert_eq!(check(text, MAX_MESSAGE), Ok(()), "{text}");
        }
    }

    #[test]
    fn refuses_what_telegram_refuses() {
        let bad = [
            ("<b>open", "never closed"),
            ("<b><i>x</b></i>", "still open"),
            ("</b>", "closes nothing"),
            ("<div>x</div>", "unsupported tag"),
            ("1 < 2", "unclosed tag"),
            ("a > b", "bare >"),
            ("fish & chips", "bare &"),
            ("&nbsp;", "unknown entity"),
            ("<b class=\"x\">y</b>", "not allowed"),
        ];
        for (text, why) in bad {
            let err = check(text, MAX_MESSAGE).err().unwrap_or_default();
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn counts_visible_utf16_units() {
        assert_eq!(visible_len("<b>ab</b>&amp;"), Ok(3));
        assert_eq!(visible_len("😀"), Ok(2));
        assert!(check(&"x".repeat(MAX_MESSAGE + 1), MAX_MESSAGE).is_err());
        assert!(check(&"x".repeat(MAX_MESSAGE), MAX_MESSAGE).is_ok());
    }

    #[test]
    fn escaped_text_always_checks() {
        let nasty = "<script>alert(\"&\")</script> a<b & c>d";
        assert_eq!(check(&escape(nasty), MAX_MESSAGE), Ok(()));
        assert_eq!(visible_len(&escape(nasty)), Ok(nasty.chars().count()));
    }

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(format_size(25 * 1_000_000), "25.0 MB");
        assert_eq!(format_size(20_971_520), "21.0 MB");
        assert_eq!(format_size(840_100), "841 KB");
    }
}
