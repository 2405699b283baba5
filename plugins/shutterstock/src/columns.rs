//! Which of the two layouts a file has, and where each value sits, from its header rows.
//!
//! - **Monthly export** (the Earnings page's "Export (CSV)"): an optional banner row naming the
//!   column groups (`,,,Images,Images,Images,Images,Videos,...`), then the header
//!   `Date,Total downloads,Total earnings,` followed by one earnings column per category
//!   (`Subscriptions,On demand,Enhanced,Single & other,...`) in each group. The same category
//!   name repeats from group to group, so category columns are taken by position, with their
//!   group from the banner above them.
//! - **Per-asset table**: one row per asset, day and category, with columns found by name (a
//!   date, a media id and earnings at least; downloads, category, description, media type and
//!   file name where present).
//!
//! Header reading runs once per file and may allocate; it reads no data rows.

use stocklens_plugin_sdk::{MediaType, Record, excerpt, header_matches, match_columns};

use crate::category::{Category, category, group_media, is_known_group};

/// The monthly export's first three columns.
const MONTHLY_DATE: &[&str] = &["date"];
const MONTHLY_DOWNLOADS: &[&str] = &["total downloads"];
const MONTHLY_EARNINGS: &[&str] = &["total earnings"];

// Names the per-asset table's columns may have; earlier names win when several cells match.
// They follow the site's earnings tables (ID, Earnings, Downloads) and the fields public tools
// read from its API (media id, date, category, count, total, description, media type).
const DATE: &[&str] = &[
    "date",
    "day",
    "earnings date",
    "earning date",
    "earn date",
    "download date",
    "sale date",
    "sales date",
];
const ASSET_ID: &[&str] = &[
    "media id",
    "image id",
    "video id",
    "asset id",
    "content id",
    "shutterstock id",
    "id",
];
const EARNINGS: &[&str] = &[
    "earnings",
    "earning",
    "your earnings",
    "royalty",
    "royalties",
    "amount",
    "total",
];
const DOWNLOADS: &[&str] = &["downloads", "download count", "count", "quantity", "units"];
const CATEGORY: &[&str] = &[
    "category",
    "earnings category",
    "earnings type",
    "download type",
    "sales type",
    "sale type",
    "license",
    "license type",
    "licence",
];
const TITLE: &[&str] = &["description", "title", "media description"];
const MEDIA: &[&str] = &["media type", "asset type", "content type", "type"];
const FILE_NAME: &[&str] = &[
    "original file name",
    "original filename",
    "file name",
    "filename",
];

/// One category column of the monthly export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryColumn {
    pub index: usize,
    /// The header cell, for row-issue messages ("Subscriptions '...' is not an amount").
    pub name: String,
    /// What the day's total in this column is sold as: the export has no asset ids, so the
    /// group and category stand in for one ("Images · Subscriptions").
    pub asset_id: String,
    pub category: Category,
    pub media: MediaType,
}

/// Where the monthly export's values sit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyColumns {
    pub date: usize,
    /// The date column's header cell, to spot the header repeated further down.
    pub date_name: String,
    pub downloads: usize,
    pub total: usize,
    pub categories: Vec<CategoryColumn>,
    /// Fields in the header row: a row with more non-empty ones lost a quote somewhere.
    pub width: usize,
    /// Whether a banner named the column groups.
    pub banner: bool,
}

/// Where the per-asset table's values sit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetColumns {
    pub date: usize,
    /// The date column's header cell, to spot the header repeated further down.
    pub date_name: String,
    pub asset_id: usize,
    pub earnings: usize,
    pub downloads: Option<usize>,
    pub category: Option<usize>,
    pub title: Option<usize>,
    pub media: Option<usize>,
    pub file_name: Option<usize>,
    /// Fields in the header row.
    pub width: usize,
}

/// The layout a header row announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header {
    Monthly(MonthlyColumns),
    PerAsset(AssetColumns),
}

fn has(cells: &[&str], aliases: &[&str]) -> Option<usize> {
    aliases
        .iter()
        .find_map(|alias| cells.iter().position(|cell| header_matches(cell, alias)))
}

/// The layout `record` is the header of, reading column groups from `banner` (the row above it,
/// if it was one), or `None` if it is no header of either layout.
pub fn read_header(record: &Record<'_>, banner: Option<&[String]>) -> Option<Header> {
    let cells: Vec<&str> = record.iter().collect();
    if let (Some(date), Some(downloads), Some(total)) = (
        has(&cells, MONTHLY_DATE),
        has(&cells, MONTHLY_DOWNLOADS),
        has(&cells, MONTHLY_EARNINGS),
    ) {
        return Some(Header::Monthly(monthly(
            &cells, date, downloads, total, banner,
        )));
    }
    let [
        date,
        asset_id,
        earnings,
        downloads,
        category,
        title,
        media,
        file_name,
    ] = match_columns(
        &cells,
        [
            DATE, ASSET_ID, EARNINGS, DOWNLOADS, CATEGORY, TITLE, MEDIA, FILE_NAME,
        ],
    );
    let date = date?;
    Some(Header::PerAsset(AssetColumns {
        date,
        date_name: cells[date].trim().to_string(),
        asset_id: asset_id?,
        earnings: earnings?,
        downloads,
        category,
        title,
        media,
        file_name,
        width: cells.len(),
    }))
}

fn monthly(
    cells: &[&str],
    date: usize,
    downloads: usize,
    total: usize,
    banner: Option<&[String]>,
) -> MonthlyColumns {
    // A merged banner cell may be written once or repeated over its columns: carry it forward.
    let mut group: Option<&str> = None;
    let mut categories = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        if let Some(above) = banner
            .and_then(|b| b.get(index))
            .map(|g| g.trim())
            .filter(|g| !g.is_empty())
        {
            group = Some(above);
        }
        let name = cell.trim();
        if [date, downloads, total].contains(&index) || name.is_empty() {
            continue;
        }
        let category = category(name);
        let media = crate::category::media_of(Some(&category), group.and_then(group_media));
        let asset_id = match group {
            Some(group) => format!("{group} · {name}"),
            None => name.to_string(),
        };
        categories.push(CategoryColumn {
            index,
            // Only ever quoted in a one-line row issue: cut short like any quoted cell.
            name: excerpt(name),
            asset_id,
            category,
            media,
        });
    }
    MonthlyColumns {
        date,
        date_name: cells[date].trim().to_string(),
        downloads,
        total,
        categories,
        width: cells.len(),
        banner: banner.is_some(),
    }
}

/// Whether `record` may be the monthly export's banner: its first cell is empty and some other
/// is not. Only the header row after it confirms it.
pub fn may_be_banner(record: &Record<'_>) -> bool {
    record.get(0).is_some_and(|first| first.trim().is_empty()) && !record.is_blank()
}

/// Whether every non-empty cell of `record` names a column group this parser knows ("Images",
/// "Videos", "Music"...).
pub fn is_known_banner(record: &Record<'_>) -> bool {
    may_be_banner(record)
        && record
            .iter()
            .map(str::trim)
            .filter(|cell| !cell.is_empty())
            .all(is_known_group)
}

/// Whether a row repeats the header (its date cell holds the header's `date_name`) or the banner,
/// as exports pasted together do. It runs on every row, so a data row is let go after looking at
/// the first character of its date.
pub fn is_repeated_header(record: &Record<'_>, date: usize, date_name: &str) -> bool {
    match record.get(date).map(str::trim) {
        Some("") => is_known_banner(record),
        Some(cell) => cell.starts_with(char::is_alphabetic) && header_matches(cell, date_name),
        None => false,
    }
}

/// Whether a cell starts a totals row ("Monthly totals", "Total"): a sum of the rows above, not
/// a day. Allocates nothing: it runs on every row.
pub fn is_totals_label(cell: &str) -> bool {
    let cell = cell.trim();
    let starts = |prefix: &str| {
        cell.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    starts("monthly total")
        || starts("grand total")
        || cell.eq_ignore_ascii_case("total")
        || cell.eq_ignore_ascii_case("totals")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_record<T>(line: &str, f: impl FnOnce(&Record<'_>) -> T) -> Option<T> {
        stocklens_plugin_sdk::testing::first_record(line, b',', f)
    }

    const BANNER: &str =
        ",,,Images,Images,Images,Images,Videos,Videos,Videos,Videos,Music,Referrals";
    const MONTHLY: &str = "Date,Total downloads,Total earnings,Subscriptions,On demand,Enhanced,Single & other,Subscriptions,On demand,Enhanced,Single & other,Single & other,Referrals";

    fn banner() -> Vec<String> {
        BANNER.split(',').map(str::to_string).collect()
    }

    #[test]
    fn reads_the_monthly_header_with_its_groups() {
        let groups = banner();
        let header = with_record(MONTHLY, |r| read_header(r, Some(&groups))).flatten();
        let Some(Header::Monthly(columns)) = header else {
            panic!("not monthly: {header:?}");
        };
        assert_eq!(
            (
                columns.date,
                columns.downloads,
                columns.total,
                columns.width
            ),
            (0, 1, 2, 13)
        );
        let described: Vec<(usize, &str, &str, MediaType)> = columns
            .categories
            .iter()
            .map(|c| {
                (
                    c.index,
                    c.asset_id.as_str(),
                    c.category.license.as_str(),
                    c.media,
                )
            })
            .collect();
        assert_eq!(
            described,
            [
                (
                    3,
                    "Images · Subscriptions",
                    "Subscription",
                    MediaType::Photo
                ),
                (4, "Images · On demand", "On demand", MediaType::Photo),
                (5, "Images · Enhanced", "Enhanced", MediaType::Photo),
                (
                    6,
                    "Images · Single & other",
                    "Single & other",
                    MediaType::Photo
                ),
                (
                    7,
                    "Videos · Subscriptions",
                    "Subscription",
                    MediaType::Video
                ),
                (8, "Videos · On demand", "On demand", MediaType::Video),
                (9, "Videos · Enhanced", "Enhanced", MediaType::Video),
                (
                    10,
                    "Videos · Single & other",
                    "Single & other",
                    MediaType::Video
                ),
                (
                    11,
                    "Music · Single & other",
                    "Single & other",
                    MediaType::Audio
                ),
                (12, "Referrals · Referrals", "Referral", MediaType::Other),
            ]
        );
        assert!(columns.banner);
    }

    #[test]
    fn a_banner_written_once_per_group_is_carried_forward() {
        let groups: Vec<String> = ",,,Images,,,,Videos"
            .split(',')
            .map(str::to_string)
            .collect();
        let header = with_record(
            "Date,Total downloads,Total earnings,Subscriptions,On demand,Enhanced,Single & other,Clip packs",
            |r| read_header(r, Some(&groups)),
        )
        .flatten();
        let Some(Header::Monthly(columns)) = header else {
            panic!("not monthly");
        };
        assert_eq!(columns.categories[3].asset_id, "Images · Single & other");
        assert_eq!(columns.categories[4].asset_id, "Videos · Clip packs");
        assert_eq!(columns.categories[4].media, MediaType::Video);
    }

    #[test]
    fn without_a_banner_categories_stand_alone() {
        let header = with_record(
            "Date,Total downloads,Total earnings,Subscriptions,Footage enhanced",
            |r| read_header(r, None),
        )
        .flatten();
        let Some(Header::Monthly(columns)) = header else {
            panic!("not monthly");
        };
        assert_eq!(columns.categories[0].asset_id, "Subscriptions");
        assert_eq!(columns.categories[0].media, MediaType::Photo);
        assert_eq!(columns.categories[1].media, MediaType::Video);
        assert!(!columns.banner);
    }

    #[test]
    fn reads_a_per_asset_header_by_name() {
        let header = with_record(
            "Date,Category,Media ID,Description,Media type,Downloads,Earnings",
            |r| read_header(r, None),
        )
        .flatten();
        assert_eq!(
            header,
            Some(Header::PerAsset(AssetColumns {
                date: 0,
                date_name: "Date".into(),
                asset_id: 2,
                earnings: 6,
                downloads: Some(5),
                category: Some(1),
                title: Some(3),
                media: Some(4),
                file_name: None,
                width: 7,
            }))
        );
    }

    #[test]
    fn other_rows_are_no_header() {
        for line in [
            "08/10/2026,1,0.1,,,,0.1",
            "Filename,Description,Keywords,Categories,Editorial,Mature Content,Illustration",
            "Date,Order ID,Type,Detail,Item ID,Price,Amount",
            "Media ID,Earnings,Downloads",
        ] {
            assert_eq!(
                with_record(line, |r| read_header(r, None)),
                Some(None),
                "{line}"
            );
        }
    }

    #[test]
    fn recognises_banners_and_totals_rows() {
        assert_eq!(with_record(BANNER, is_known_banner), Some(true));
        assert_eq!(with_record(",,,Images,Stuff", is_known_banner), Some(false));
        assert_eq!(with_record(",,,Images,Stuff", may_be_banner), Some(true));
        assert_eq!(with_record(",,,,", may_be_banner), Some(false));
        assert_eq!(
            with_record(MONTHLY, |r| is_repeated_header(r, 0, "Date")),
            Some(true)
        );
        assert_eq!(
            with_record(BANNER, |r| is_repeated_header(r, 0, "Date")),
            Some(true)
        );
        assert_eq!(
            with_record("08/10/2026,1,0.1", |r| is_repeated_header(r, 0, "Date")),
            Some(false)
        );
        assert!(is_totals_label("Monthly totals"));
        assert!(is_totals_label("Grand Total"));
        assert!(is_totals_label(" TOTAL "));
        assert!(!is_totals_label("Totally"));
        assert!(!is_totals_label("Tō"));
    }
}
