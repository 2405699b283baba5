//! Telegram's `parse_mode=HTML`: turns a message text into the visible text and its entities, or
//! the reason Telegram would answer "can't parse entities".
//!
//! Modeled on tdlib's `parse_html` (the code behind the Bot API), with one deliberate difference:
//! tdlib lets a bare `&` or `>` through as a literal, but the Bot API documentation requires them
//! escaped, so this parser rejects them. A bot that passes here is correct by the documentation,
//! not merely by tdlib's leniency. Only the entity kinds the documentation lists are accepted.

use serde_json::{Value, json};

/// The visible text of a message and its formatting, offsets in UTF-16 code units as in the Bot
/// API.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub text: String,
    pub entities: Vec<Entity>,
}

/// One `MessageEntity` as the Bot API serializes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub kind: &'static str,
    pub offset: usize,
    pub length: usize,
    pub url: Option<String>,
    pub language: Option<String>,
    pub custom_emoji_id: Option<String>,
}

impl Entity {
    pub fn to_json(&self) -> Value {
        let mut value = json!({ "type": self.kind, "offset": self.offset, "length": self.length });
        if let Some(url) = &self.url {
            value["url"] = json!(url);
        }
        if let Some(language) = &self.language {
            value["language"] = json!(language);
        }
        if let Some(id) = &self.custom_emoji_id {
            value["custom_emoji_id"] = json!(id);
        }
        value
    }
}

/// Number of UTF-16 code units: the unit of Telegram's length limits and entity offsets.
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// A tag that is open while its content is being read.
struct OpenTag {
    name: String,
    /// Byte offset of `<` in the source, for error messages.
    start_byte: usize,
    /// Offset in the visible text, in UTF-16 units.
    start: usize,
    url: Option<String>,
    language: Option<String>,
    custom_emoji_id: Option<String>,
    expandable: bool,
}

/// Parses `html` the way Telegram does for `parse_mode=HTML`. The error is the part after
/// "Bad Request: can't parse entities: ".
pub fn parse(html: &str) -> Result<Parsed, String> {
    let bytes = html.as_bytes();
    let mut text = String::with_capacity(html.len());
    let mut text_len = 0usize;
    let mut entities = Vec::new();
    let mut open: Vec<OpenTag> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'&' => {
                let (ch, consumed) = decode_entity(&html[i..]).ok_or_else(|| {
                    format!("Character '&' at byte offset {i} must be escaped as \"&amp;\"")
                })?;
                text.push(ch);
                text_len += ch.len_utf16();
                i += consumed;
            }
            b'>' => {
                return Err(format!(
                    "Character '>' at byte offset {i} must be escaped as \"&gt;\""
                ));
            }
            b'<' if bytes.get(i + 1) == Some(&b'/') => {
                let begin = i;
                i += 2;
                let name_start = i;
                while i < bytes.len() && is_name_byte(bytes[i]) {
                    i += 1;
                }
                let name = html[name_start..i].to_ascii_lowercase();
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) != Some(&b'>') {
                    return Err(format!("Unclosed end tag at byte offset {begin}"));
                }
                i += 1;
                let Some(tag) = open.pop() else {
                    return Err(format!("Unexpected end tag at byte offset {begin}"));
                };
                if tag.name != name {
                    return Err(format!(
                        "Unmatched end tag at byte offset {begin}, expected \"</{}>\", found \"</{name}>\"",
                        tag.name
                    ));
                }
                close_tag(tag, text_len, &mut open, &mut entities);
            }
            b'<' => {
                let tag = parse_start_tag(html, &mut i, text_len)?;
                open.push(tag);
            }
            _ => {
                let ch = html[i..].chars().next().unwrap_or('\u{fffd}');
                text.push(ch);
                text_len += ch.len_utf16();
                i += ch.len_utf8();
            }
        }
    }
    if let Some(tag) = open.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\" at byte offset {}",
            tag.name, tag.start_byte
        ));
    }
    // Telegram lists entities by offset, an outer entity before the inner ones it contains.
    entities
        .sort_by(|a: &Entity, b: &Entity| a.offset.cmp(&b.offset).then(b.length.cmp(&a.length)));
    Ok(Parsed { text, entities })
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
}

/// Reads `<name attr="value" ...>` starting at `*i` (which points at `<`), leaving `*i` after `>`.
fn parse_start_tag(html: &str, i: &mut usize, text_len: usize) -> Result<OpenTag, String> {
    let bytes = html.as_bytes();
    let begin = *i;
    *i += 1;
    let name_start = *i;
    while *i < bytes.len() && is_name_byte(bytes[*i]) {
        *i += 1;
    }
    let name = html[name_start..*i].to_ascii_lowercase();
    const ALLOWED: &[&str] = &[
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "pre",
        "span",
        "tg-spoiler",
        "blockquote",
        "tg-emoji",
    ];
    if !ALLOWED.contains(&name.as_str()) {
        return Err(format!(
            "Unsupported start tag \"{name}\" at byte offset {begin}"
        ));
    }
    let mut tag = OpenTag {
        name,
        start_byte: begin,
        start: text_len,
        url: None,
        language: None,
        custom_emoji_id: None,
        expandable: false,
    };
    let mut span_class = None;
    loop {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
        match bytes.get(*i) {
            None => {
                return Err(format!("Unclosed start tag at byte offset {begin}"));
            }
            Some(b'>') => {
                *i += 1;
                break;
            }
            Some(_) => {}
        }
        let attr_start = *i;
        while *i < bytes.len() && is_name_byte(bytes[*i]) {
            *i += 1;
        }
        if attr_start == *i {
            return Err(format!(
                "Empty attribute name in the tag \"{}\" at byte offset {begin}",
                tag.name
            ));
        }
        let attr = html[attr_start..*i].to_ascii_lowercase();
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
        let value = if bytes.get(*i) == Some(&b'=') {
            *i += 1;
            while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
                *i += 1;
            }
            Some(parse_attribute_value(html, i, &tag.name, begin)?)
        } else {
            None
        };
        match (tag.name.as_str(), attr.as_str()) {
            ("a", "href") => tag.url = value,
            ("code", "class") => {
                tag.language = value.and_then(|v| v.strip_prefix("language-").map(str::to_owned));
            }
            ("span", "class") => span_class = value,
            ("blockquote", "expandable") => tag.expandable = true,
            ("tg-emoji", "emoji-id") => tag.custom_emoji_id = value,
            // tdlib ignores attributes it does not know.
            _ => {}
        }
    }
    if tag.name == "span" && span_class.as_deref() != Some("tg-spoiler") {
        return Err(format!(
            "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
        ));
    }
    if tag.name == "tg-emoji" && tag.custom_emoji_id.as_deref().is_none_or(str::is_empty) {
        return Err(format!(
            "Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset {begin}"
        ));
    }
    Ok(tag)
}

/// Reads a quoted or bare attribute value starting at `*i`, decoding entities inside it.
fn parse_attribute_value(
    html: &str,
    i: &mut usize,
    tag: &str,
    begin: usize,
) -> Result<String, String> {
    let bytes = html.as_bytes();
    let mut value = String::new();
    match bytes.get(*i) {
        Some(&quote @ (b'"' | b'\'')) => {
            *i += 1;
            loop {
                match bytes.get(*i) {
                    None => return Err(format!("Unclosed start tag at byte offset {begin}")),
                    Some(&b) if b == quote => {
                        *i += 1;
                        break;
                    }
                    Some(b'&') => {
                        let (ch, consumed) = decode_entity(&html[*i..]).ok_or_else(|| {
                            format!(
                                "Character '&' at byte offset {} must be escaped as \"&amp;\"",
                                *i
                            )
                        })?;
                        value.push(ch);
                        *i += consumed;
                    }
                    Some(_) => {
                        let ch = html[*i..].chars().next().unwrap_or('\u{fffd}');
                        value.push(ch);
                        *i += ch.len_utf8();
                    }
                }
            }
        }
        _ => {
            let start = *i;
            while *i < bytes.len() && !bytes[*i].is_ascii_whitespace() && bytes[*i] != b'>' {
                *i += 1;
            }
            if start == *i {
                return Err(format!(
                    "Expected equal sign in declaration of an attribute of the tag \"{tag}\" at byte offset {begin}"
                ));
            }
            value.push_str(&html[start..*i]);
        }
    }
    Ok(value)
}

/// Turns a closed tag into an entity (empty ones are dropped, as Telegram does).
fn close_tag(tag: OpenTag, end: usize, open: &mut [OpenTag], entities: &mut Vec<Entity>) {
    let length = end - tag.start;
    if length == 0 {
        return;
    }
    // `<pre><code class="language-x">` is one pre entity with a language, not two entities.
    if tag.name == "code"
        && tag.language.is_some()
        && let Some(parent) = open.last_mut()
        && parent.name == "pre"
    {
        parent.language = tag.language;
        return;
    }
    let kind = match tag.name.as_str() {
        "b" | "strong" => "bold",
        "i" | "em" => "italic",
        "u" | "ins" => "underline",
        "s" | "strike" | "del" => "strikethrough",
        "span" | "tg-spoiler" => "spoiler",
        "a" if tag.url.as_deref().is_some_and(|url| !url.is_empty()) => "text_link",
        // An `<a>` without a usable href formats nothing.
        "a" => return,
        "code" => "code",
        "pre" => "pre",
        "blockquote" if tag.expandable => "expandable_blockquote",
        "blockquote" => "blockquote",
        "tg-emoji" => "custom_emoji",
        _ => return,
    };
    entities.push(Entity {
        kind,
        offset: tag.start,
        length,
        url: if kind == "text_link" { tag.url } else { None },
        language: if kind == "pre" { tag.language } else { None },
        custom_emoji_id: tag.custom_emoji_id,
    });
}

/// Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#NN;` or `&#xNN;` at the start of `s`, returning
/// the character and the bytes consumed.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    // The longest valid entity is `&#x10FFFF;` or `&#1114111;`.
    const MAX_ENTITY_LEN: usize = 10;
    let end = s
        .as_bytes()
        .iter()
        .take(MAX_ENTITY_LEN + 1)
        .position(|&b| b == b';')?;
    let body = &s[1..end];
    let ch = match body {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let number = body.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse::<u32>().ok()?,
            };
            if code == 0 {
                return None;
            }
            char::from_u32(code)?
        }
    };
    Some((ch, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_tags_become_entities_in_utf16_units() {
        let parsed = parse("😀 <b>bold <i>both</i></b> &lt;tag&gt; &#x41;&#66;").unwrap();
        assert_eq!(parsed.text, "😀 bold both <tag> AB");
        assert_eq!(
            parsed
                .entities
                .iter()
                .map(|e| (e.kind, e.offset, e.length))
                .collect::<Vec<_>>(),
            vec![("bold", 3, 9), ("italic", 8, 4)]
        );
    }

    #[test]
    fn links_spoilers_and_pre_with_language() {
        let parsed = parse(
            "<a href=\"https://x.org/?a=1&amp;b=2\">x</a><span class=\"tg-spoiler\">s</span>\
             <pre><code class=\"language-rust\">fn</code></pre><blockquote expandable>q</blockquote>",
        )
        .unwrap();
        assert_eq!(parsed.text, "xsfnq");
        assert_eq!(
            parsed.entities[0].url.as_deref(),
            Some("https://x.org/?a=1&b=2")
        );
        assert_eq!(parsed.entities[1].kind, "spoiler");
        assert_eq!(parsed.entities[2].kind, "pre");
        assert_eq!(parsed.entities[2].language.as_deref(), Some("rust"));
        assert_eq!(parsed.entities[3].kind, "expandable_blockquote");
    }

    #[test]
    fn malformed_markup_is_refused() {
        for bad in [
            "<b>unclosed",
            "<b><i>crossed</b></i>",
            "stray </b>",
            "<br>",
            "a < b",
            "a > b",
            "R&D",
            "&nbsp;",
            "<span>x</span>",
            "<a href=\"x>y</a>",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
    }
}
