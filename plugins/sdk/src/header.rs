//! Header matching: finds columns by name in a header row, forgiving case, spacing, BOMs,
//! underscores and a trailing unit like `(USD)`, with several aliases per column.
//!
//! It runs once per file (and on rows that fail, to spot a repeated header), so it favours
//! clarity over speed and may allocate, but it never normalizes a cell longer than
//! [`MAX_HEADER_CELL_BYTES`].

/// A header cell reduced to what matters for matching: lower case, no BOM, `_` `-` `.` `/` and
/// runs of spaces turned into one space, trimmed.
///
/// ```
/// use stocklens_plugin_sdk::normalize_header;
/// assert_eq!(normalize_header("\u{feff} Asset_ID "), "asset id");
/// assert_eq!(normalize_header("Royalty (USD)"), "royalty (usd)");
/// ```
pub fn normalize_header(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    for c in cell
        .chars()
        .filter(|&c| c != '\u{feff}')
        .flat_map(char::to_lowercase)
    {
        if c.is_whitespace() || matches!(c, '_' | '-' | '.' | '/') {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Longest cell [`header_matches`] compares, in bytes. Header names are a few words, with a unit
/// at most; a longer cell is data (a row that lost its line break, a quote that swallowed the
/// file), and normalizing a megabyte-long cell once for every alias of every column took a
/// parser seconds per row.
///
/// ```
/// use stocklens_plugin_sdk::{MAX_HEADER_CELL_BYTES, header_matches};
/// let padded = |len: usize| format!("{:<len$}", "Royalty");
/// assert!(header_matches(&padded(MAX_HEADER_CELL_BYTES), "royalty"));
/// assert!(!header_matches(&padded(MAX_HEADER_CELL_BYTES + 1), "royalty"));
/// ```
pub const MAX_HEADER_CELL_BYTES: usize = 256;

/// Whether a header cell names the column `alias`: equal once both are normalized, also when the
/// cell adds a unit in parentheses (`Earnings (USD)` matches `earnings`).
///
/// ```
/// use stocklens_plugin_sdk::header_matches;
/// assert!(header_matches("Original_File-Name", "original file name"));
/// assert!(header_matches("Earnings (USD)", "earnings"));
/// assert!(!header_matches("Earnings per sale", "earnings"));
/// assert!(!header_matches(&format!("Earnings ({})", "x".repeat(300)), "earnings"));
/// ```
pub fn header_matches(cell: &str, alias: &str) -> bool {
    if cell.len() > MAX_HEADER_CELL_BYTES {
        return false;
    }
    let cell = normalize_header(cell);
    let alias = normalize_header(alias);
    if cell == alias {
        return true;
    }
    match cell.find('(') {
        Some(open) if cell.ends_with(')') => cell[..open].trim_end() == alias,
        _ => false,
    }
}

/// The index of the first cell that matches any of `aliases`, trying aliases in order.
///
/// ```
/// use stocklens_plugin_sdk::find_column;
/// let header = ["Date", "Content ID", "Royalty ($)"];
/// assert_eq!(find_column(&header, &["asset id", "content id"]), Some(1));
/// assert_eq!(find_column(&header, &["country"]), None);
/// ```
pub fn find_column<S: AsRef<str>>(cells: &[S], aliases: &[&str]) -> Option<usize> {
    aliases.iter().find_map(|alias| {
        cells
            .iter()
            .position(|cell| header_matches(cell.as_ref(), alias))
    })
}

/// Finds several columns at once; a cell is given to at most one column, earlier columns first.
///
/// ```
/// use stocklens_plugin_sdk::match_columns;
/// let header = ["Sale date", "ID", "Title", "Royalty"];
/// let [date, id, royalty, country] =
///     match_columns(&header, [&["sale date", "date"], &["asset id", "id"], &["royalty"], &["country"]]);
/// assert_eq!((date, id, royalty, country), (Some(0), Some(1), Some(3), None));
/// ```
pub fn match_columns<S: AsRef<str>, const N: usize>(
    cells: &[S],
    columns: [&[&str]; N],
) -> [Option<usize>; N] {
    let normalized: Vec<String> = cells
        .iter()
        .map(|cell| normalize_header(cell.as_ref()))
        .collect();
    let mut taken = vec![false; cells.len()];
    columns.map(|aliases| {
        let found = aliases.iter().find_map(|alias| {
            (0..normalized.len()).find(|&i| !taken[i] && header_matches(&normalized[i], alias))
        });
        if let Some(i) = found {
            taken[i] = true;
        }
        found
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_ignores_case_spacing_and_bom() {
        assert!(header_matches("\u{feff}DATE", "date"));
        assert!(header_matches("  License   Plan ", "license plan"));
        assert!(header_matches("license_plan", "License Plan"));
        assert!(!header_matches("license", "license plan"));
    }

    #[test]
    fn each_cell_goes_to_one_column() {
        let header = ["Date", "Title", "Name"];
        let [title, name] = match_columns(&header, [&["title", "name"], &["name", "title"]]);
        assert_eq!((title, name), (Some(1), Some(2)));
    }

    #[test]
    fn earlier_aliases_win() {
        let header = ["ID", "Asset ID"];
        assert_eq!(find_column(&header, &["asset id", "id"]), Some(1));
    }
}
