//! How sure the parser is that a file is a Shutterstock earnings export, from its first rows and
//! its name.
//!
//! The monthly export is unmistakable: a banner of column groups (`Images`, `Videos`) over
//! `Date,Total downloads,Total earnings` and Shutterstock's category names. The per-asset table
//! has common column names (date, media id, earnings), which Adobe's header variant and the
//! generic parser read too, so it only scores high when its category column holds a category
//! only Shutterstock writes (`Single & other`, `25_a_day`, `On demand`...) or the file name says
//! Shutterstock. At most [`ROWS_CHECKED`] rows are read; detection never fails, whatever the head
//! holds.

use stocklens_plugin_sdk::{Detection, Record, RowReader};

use crate::category::CategoryCache;
use crate::columns::{
    Header, is_known_banner, is_repeated_header, is_totals_label, may_be_banner, read_header,
};
use crate::sale_date::{Month, month_from_file_name};
use crate::session::{map_asset_row, map_day};

/// Data rows looked at: enough to meet a distinctive category, few enough to stay instant.
const ROWS_CHECKED: usize = 20;

/// Share of checked rows, in percent, that must read for a full score.
const MOSTLY_PERCENT: usize = 80;

/// Added when the file name says Shutterstock or is the export's own (`..._earnings_by_month`).
const NAME_BONUS: u8 = 5;

/// What the first rows say.
#[derive(Default)]
struct Survey {
    /// Cells of a possible banner, and whether it names only known groups.
    banner: Option<(Vec<String>, bool)>,
    header: Option<Header>,
    /// The first rows are neither banner nor header: nothing more to learn.
    foreign: bool,
    rows: usize,
    readable: usize,
    /// A per-asset row's category is one only Shutterstock writes.
    distinctive_rows: bool,
    /// The month in the file name, for dates like `10/08/2026`.
    month: Option<Month>,
    categories: CategoryCache,
}

impl Survey {
    fn add(&mut self, record: &Record<'_>) {
        if record.is_blank() || self.foreign || self.rows >= ROWS_CHECKED {
            return;
        }
        let Some(header) = &self.header else {
            let groups = self.banner.as_ref().map(|(cells, _)| cells.as_slice());
            if let Some(header) = read_header(record, groups) {
                self.header = Some(header);
            } else if self.banner.is_none() && may_be_banner(record) {
                let cells = record.iter().map(str::to_string).collect();
                self.banner = Some((cells, is_known_banner(record)));
            } else {
                self.foreign = true;
            }
            return;
        };
        let (date, date_name) = match header {
            Header::Monthly(columns) => (columns.date, &columns.date_name),
            Header::PerAsset(columns) => (columns.date, &columns.date_name),
        };
        if is_repeated_header(record, date, date_name) || record.get(0).is_some_and(is_totals_label)
        {
            return;
        }
        self.rows += 1;
        let readable = match header {
            Header::Monthly(columns) => map_day(record, columns, self.month).is_ok(),
            Header::PerAsset(columns) => {
                let distinctive = columns
                    .category
                    .and_then(|i| record.trimmed(i))
                    .is_some_and(|label| self.categories.get(label).distinctive);
                let readable =
                    map_asset_row(record, columns, self.month, &mut self.categories).is_ok();
                self.distinctive_rows |= distinctive && readable;
                readable
            }
        };
        self.readable += usize::from(readable);
    }

    fn mostly_readable(&self) -> bool {
        self.readable * 100 >= self.rows * MOSTLY_PERCENT
    }
}

/// Scores a file from its name and `head`, its first bytes.
pub fn detect(file_name: &str, head: &[u8]) -> Detection {
    let mut survey = Survey {
        month: month_from_file_name(file_name),
        ..Survey::default()
    };
    let mut reader = RowReader::new(b',');
    // Rows cut at the end of the head are not judged; a head that is one unterminated line is.
    let _ = reader.feed(head, |record| {
        survey.add(&record);
        Ok(())
    });
    if survey.header.is_none() && !survey.foreign {
        let _ = reader.finish(|record| {
            survey.add(&record);
            Ok(())
        });
    }
    score(&survey, file_name)
}

fn score(survey: &Survey, file_name: &str) -> Detection {
    let lower = file_name.to_ascii_lowercase();
    let says_shutterstock = lower.contains("shutterstock");
    let export_name = lower.contains("earnings_by_month");
    let named = says_shutterstock || export_name;
    let bonus = if named { NAME_BONUS } else { 0 };
    let name_note = if named {
        ", Shutterstock's file name"
    } else {
        ""
    };
    match &survey.header {
        Some(Header::Monthly(columns)) => {
            let known_categories = columns.categories.iter().any(|c| c.category.distinctive);
            let known_banner = survey.banner.as_ref().is_some_and(|(_, known)| *known);
            if survey.rows > 0 && !survey.mostly_readable() {
                return Detection::new(
                    30,
                    "Shutterstock monthly export header, but most rows do not read",
                );
            }
            match (known_categories, known_banner) {
                (true, true) => Detection::new(
                    95 + bonus,
                    format!(
                        "Shutterstock monthly earnings export: media banner, Date, Total \
                         downloads, Total earnings and category columns{name_note}"
                    ),
                ),
                (true, false) => Detection::new(
                    90 + bonus,
                    format!(
                        "Shutterstock monthly earnings export: Date, Total downloads, Total \
                         earnings and category columns{name_note}"
                    ),
                ),
                (false, _) => Detection::new(
                    60 + bonus,
                    format!(
                        "Date, Total downloads and Total earnings, but no Shutterstock category \
                         columns{name_note}"
                    ),
                ),
            }
        }
        Some(Header::PerAsset(_)) if survey.rows == 0 => Detection::new(
            30,
            "a header with date, media id and earnings, and no rows to check",
        ),
        Some(Header::PerAsset(_)) if !survey.mostly_readable() => Detection::new(
            20,
            "a header with date, media id and earnings, but most rows do not read",
        ),
        Some(Header::PerAsset(_)) if survey.distinctive_rows => Detection::new(
            85 + bonus,
            format!("per-asset earnings with Shutterstock categories{name_note}"),
        ),
        Some(Header::PerAsset(_)) if says_shutterstock => Detection::new(
            82,
            "per-asset earnings table named as Shutterstock's, no Shutterstock-only category seen",
        ),
        Some(Header::PerAsset(_)) => Detection::new(
            30,
            "a table with date, media id and earnings, but no Shutterstock category",
        ),
        None if named => Detection::new(10, "named like a Shutterstock export, but another header"),
        None => Detection::new(0, "no Shutterstock earnings header"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confidence(file_name: &str, head: &str) -> u8 {
        detect(file_name, head.as_bytes()).confidence
    }

    const BANNER: &str = ",,,Images,Images,Images,Images,Videos\r\n";
    const HEADER: &str = "Date,Total downloads,Total earnings,Subscriptions,On demand,Enhanced,Single & other,Subscriptions\r\n";
    const DAYS: &str = "08/01/2026,,,,,,,\r\n08/02/2026,1,0.1,,,,0.1,\r\n";

    #[test]
    fn is_sure_of_the_monthly_export_and_surer_with_its_name() {
        let file = format!("\u{feff}{BANNER}{HEADER}{DAYS}");
        assert_eq!(confidence("export.csv", &file), 95);
        assert_eq!(confidence("2026_8_earnings_by_month.csv", &file), 100);
        assert_eq!(confidence("export.csv", &format!("{HEADER}{DAYS}")), 90);
        // The head may hold the banner and a header cut short of its line break.
        assert_eq!(
            confidence("export.csv", &format!("{BANNER}{}", HEADER.trim_end())),
            95
        );
        assert_eq!(
            detect("2026_8_earnings_by_month.csv", file.as_bytes()).reason,
            "Shutterstock monthly earnings export: media banner, Date, Total downloads, Total \
             earnings and category columns, Shutterstock's file name"
        );
    }

    #[test]
    fn doubts_a_monthly_shape_without_shutterstock_categories() {
        assert_eq!(
            confidence(
                "x.csv",
                "Date,Total downloads,Total earnings,Apples\n2026-01-01,1,1,1\n"
            ),
            60
        );
        assert_eq!(
            confidence(
                "x.csv",
                &format!("{HEADER}08/02/2026,x,y,z,,,,\r\n08/03/2026,x,y,z,,,,\r\n")
            ),
            30
        );
    }

    const ASSETS: &str = "Date,Category,Media ID,Description,Media type,Downloads,Earnings\n";

    #[test]
    fn is_sure_of_a_per_asset_table_only_with_shutterstock_categories() {
        let distinctive = format!(
            "{ASSETS}2026-06-03,25_a_day,1,Lake,image,1,$0.10\n2026-06-03,single_image_and_other,2,\"Cup, latte\",image,1,$2.85\n"
        );
        assert_eq!(confidence("earnings.csv", &distinctive), 85);
        assert_eq!(confidence("shutterstock-2026-06.csv", &distinctive), 90);
        let plain = format!("{ASSETS}2026-06-03,subscription,1,Lake,image,1,$0.10\n");
        assert_eq!(confidence("earnings.csv", &plain), 30);
        assert_eq!(confidence("shutterstock-2026-06.csv", &plain), 82);
        assert_eq!(confidence("earnings.csv", ASSETS), 30);
        assert_eq!(
            confidence("earnings.csv", &format!("{ASSETS}x,25_a_day,1,a,b,c,d\n")),
            20
        );
    }

    #[test]
    fn doubts_other_files() {
        assert_eq!(confidence("x.csv", ""), 0);
        assert_eq!(confidence("x.csv", "\r\n\r\n"), 0);
        // Shutterstock's upload metadata CSV is not an earnings export.
        assert_eq!(
            confidence(
                "shutterstock_metadata.csv",
                "Filename,Description,Keywords,Categories,Editorial\na.jpg,\"x, y\",k,Nature,no\n"
            ),
            10
        );
        // Adobe's Activity export, with and without its header.
        assert_eq!(
            confidence(
                "activity.csv",
                "2025-07-31T23:08:22+00:00,612345678,Sunset,subscription,$0.99,photos,a.jpg,J,XXL\n"
            ),
            0
        );
        assert_eq!(
            confidence(
                "activity.csv",
                "Date,Asset ID,Title,License,Royalty,Media Type\n2025-09-30,612004581,Cup,subscription,$0.33,photos\n"
            ),
            30
        );
        assert!(confidence("x.csv", "\u{0}\u{1}garbage\"\n\n,,,") < 20);
    }

    /// Every example of the other marketplaces stays with its own parser: this one must score
    /// below the host's bar of 50 on all of them.
    #[test]
    fn no_other_marketplaces_example_is_claimed() {
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut checked = 0;
        for dir in std::fs::read_dir(&examples).into_iter().flatten().flatten() {
            if dir.file_name() == "shutterstock" {
                continue;
            }
            for file in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let name = file.file_name().to_string_lossy().into_owned();
                if name.ends_with(".json") {
                    continue;
                }
                let content = std::fs::read(file.path()).unwrap_or_default();
                let found = detect(&name, &content);
                assert!(found.confidence < 50, "{name}: {found:?}");
                checked += 1;
            }
        }
        assert!(checked >= 10, "examples checked: {checked}");
    }
}
