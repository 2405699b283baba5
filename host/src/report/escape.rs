//! HTML escaping for the markup the renderer writes itself (the SVG charts).
//!
//! The page template is escaped by askama; this is for text that is put together in Rust and
//! handed to the template as already-safe markup. It escapes the same five characters askama
//! does, so a plugin-provided string reads the same in both places and can never open a tag,
//! close an attribute or start an entity.

use std::borrow::Cow;

/// Escapes `&`, `<`, `>`, `"` and `'` for use in element text and quoted attribute values.
pub(super) fn escape_html(text: &str) -> Cow<'_, str> {
    let needs = |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'');
    let Some(first) = text.find(needs) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(escape_html("Sales by month"), Cow::Borrowed(_)));
        assert_eq!(escape_html("Продажи · 2025"), "Продажи · 2025");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape_html("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(escape_html("<b>bold</b>"), "&lt;b&gt;bold&lt;/b&gt;");
        assert_eq!(escape_html("Tom & Jerry"), "Tom &amp; Jerry");
        assert_eq!(escape_html("&amp;"), "&amp;amp;");
    }

    #[test]
    fn quotes_cannot_close_an_attribute() {
        assert_eq!(
            escape_html(r#"" onmouseover="x' y"#),
            "&#34; onmouseover=&#34;x&#39; y"
        );
    }
}
