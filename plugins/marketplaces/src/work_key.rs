//! The key that matches one work across marketplaces: its original file name, normalised.
//!
//! Marketplaces give the same work different ids, so the contributor's own file name is the only
//! thread between them, and each export writes it its own way: with or without the folder, in
//! another case, as the JPEG on one site and the EPS on another. This module only turns a name
//! into a key (or refuses it); it never decides what a match means.

/// Shortest key kept, in characters: "a.jpg" or "01.jpg" on two marketplaces are more likely two
/// different works than one.
pub const MIN_KEY_CHARS: usize = 3;

/// Longest extension stripped, in characters ("jpeg", "tiff", "webp"...). A longer tail after the
/// last dot is part of the name ("Mr. Smith portrait" keeps its dot).
pub const MAX_EXTENSION_CHARS: usize = 5;

/// The key of `file_name`: without directories, without its extension, trimmed and in lower
/// case; `None` for names made only of digits or shorter than [`MIN_KEY_CHARS`] (camera counters
/// and stock ids collide between different works, so matching them would invent sales).
pub fn work_key(file_name: &str) -> Option<String> {
    let base = base_name(file_name);
    let stem = strip_extension(base).trim();
    let chars = stem.chars().count();
    if chars < MIN_KEY_CHARS || stem.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(stem.to_lowercase())
}

/// The name without any directory, Unix or Windows style, trimmed: what a table shows.
pub fn base_name(file_name: &str) -> &str {
    // `rsplit` always yields at least one piece, the whole name when there is no separator.
    file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .trim()
}

/// The name without its extension. A name that is only an extension (".jpg") strips to nothing
/// and so is no key.
fn strip_extension(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, extension))
            if (1..=MAX_EXTENSION_CHARS).contains(&extension.len())
                && extension.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            stem
        }
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_extension_and_directory_do_not_matter() {
        let keys = [
            "Sunset Beach.jpg",
            "sunset beach.EPS",
            "/home/anna/Stock/2025/SUNSET BEACH.jpeg",
            "C:\\Exports\\Sunset Beach.tif ",
            "  sunset beach ",
        ]
        .map(work_key);
        assert!(
            keys.iter().all(|k| k.as_deref() == Some("sunset beach")),
            "{keys:?}"
        );
    }

    #[test]
    fn numbers_and_very_short_names_are_not_keys() {
        assert_eq!(work_key("1234567.jpg"), None);
        assert_eq!(work_key("folder/0042"), None);
        assert_eq!(work_key("ab.png"), None);
        assert_eq!(work_key(".jpg"), None);
        assert_eq!(work_key(""), None);
        assert_eq!(work_key("dir/"), None);
        assert_eq!(work_key("IMG_1234.JPG").as_deref(), Some("img_1234"));
        assert_eq!(work_key("abc").as_deref(), Some("abc"));
    }

    #[test]
    fn only_a_short_tail_after_the_last_dot_is_an_extension() {
        assert_eq!(
            work_key("Mr. Smith portrait").as_deref(),
            Some("mr. smith portrait")
        );
        assert_eq!(
            work_key("city.at.night.png").as_deref(),
            Some("city.at.night")
        );
        assert_eq!(work_key("Ёлка.JPG").as_deref(), Some("ёлка"));
        assert_eq!(base_name("a/b\\c d.jpg "), "c d.jpg");
    }
}
