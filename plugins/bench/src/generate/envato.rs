//! The Envato Market statement, in both headers Envato has shipped: the newer 16 columns with
//! every field quoted and date-times with their offset (`"2026-05-01 09:12:44 +1000"`), and the
//! older 7 columns with plain dates and only the details quoted where they hold commas. One order
//! yields several rows (Sale, Author Fee, sometimes Referral Cut, later sometimes a Sale
//! Reversal); deposits, purchases and withdrawals are rows too, never revenue. Oldest row first,
//! as Envato writes it. About 250 bytes per row in the newer layout, 90 in the older.

use std::io::{self, Write};

use super::{Rng, Spec, Written, civil, csv_field, decimal, moment};

/// Which header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Sixteen,
    Seven,
}

const HEADER_16: &str = "\"Date\",\"Order ID\",\"Type\",\"Detail\",\"Item ID\",\"Document\",\"Price\",\"EU VAT\",\"US RWT\",\"US BWT\",\"Amount\",\"Site\",\"Other Party Country\",\"Other Party Region\",\"Other Party City\",\"Other Party Zipcode\"";
const HEADER_7: &str = "Date,Order ID,Type,Detail,Item ID,Price,Amount";

/// (site, item names sold there, prices in cents).
const SITES: &[(&str, &[&str], &[i64])] = &[
    (
        "themeforest.net",
        &[
            "Corporate Business Pro, Multipurpose WordPress Theme",
            "Minimal Portfolio HTML Template",
            "Shopify Store \"Nova\", Fashion Theme",
        ],
        &[1_900, 3_900, 5_900, 7_900],
    ),
    (
        "audiojungle.net",
        &[
            "Epic Trailer, Cinematic Orchestral Score",
            "Upbeat Corporate, Motivational Track",
            "Lo-fi Hip Hop Loop",
        ],
        &[500, 1_900, 4_900],
    ),
    (
        "videohive.net",
        &[
            "Logo Reveal, Glitch Pack",
            "Clean Lower Thirds",
            "Slideshow \"Memories\" Opener",
        ],
        &[1_400, 2_200, 4_500],
    ),
    (
        "graphicriver.net",
        &[
            "Poster Mockup Set, Vol. 2",
            "Flat Icons, 500 Pack",
            "Business Card Template",
        ],
        &[600, 1_200, 2_400],
    ),
    (
        "photodune.net",
        &["Photo of Sydney Harbour, Sunrise", "Coffee Beans Close Up"],
        &[300, 800],
    ),
    (
        "codecanyon.net",
        &[
            "Ajax Search Pro, Live WordPress Search Plugin",
            "Booking Calendar",
        ],
        &[2_400, 3_600, 24_000],
    ),
];

/// (country, region, city, zip code) of buyers.
const PLACES: &[(&str, &str, &str, &str)] = &[
    ("United States", "California", "San Jose", "95112"),
    ("Germany", "Bavaria", "Munich", "80331"),
    ("Brazil", "São Paulo", "São Paulo", "01000-000"),
    ("France", "Île-de-France", "Paris", "75001"),
    ("Australia", "New South Wales", "Sydney", "2000"),
    ("Canada", "Ontario", "Toronto", "M5H 2N2"),
    ("Japan", "Tokyo", "Shibuya", "150-0002"),
];

/// One item of the author's portfolio.
struct Item {
    id: u64,
    site: usize,
    name: &'static str,
    price_cents: i64,
}

/// One statement row's values.
struct Row<'a> {
    when: i64,
    order: Option<u64>,
    kind: &'a str,
    detail: &'a str,
    item: Option<u64>,
    price_cents: Option<i64>,
    amount_cents: i64,
    site: Option<usize>,
    place: Option<(&'a str, &'a str, &'a str, &'a str)>,
}

/// Writes a statement to `out`: the header, then `spec.rows` rows of orders and account moves.
pub fn write(spec: Spec, layout: Layout, out: &mut impl Write) -> io::Result<Written> {
    let mut rng = Rng::new(spec.seed);
    let items: Vec<Item> = (0..spec.assets.max(1))
        .map(|i| {
            let site = rng.below(SITES.len() as u64) as usize;
            let (_, names, prices) = SITES[site];
            Item {
                id: 5_000_000 + i * 7_919 % 30_000_000 + rng.below(7_919),
                site,
                name: rng.pick::<&str>(names),
                price_cents: *rng.pick(prices),
            }
        })
        .collect();
    match layout {
        Layout::Sixteen => writeln!(out, "{HEADER_16}")?,
        Layout::Seven => writeln!(out, "{HEADER_7}")?,
    }
    let mut statement = Statement {
        layout,
        limit: spec.rows,
        written: Written::default(),
    };
    let mut order = 41_000_000u64;
    while statement.written.rows < spec.rows {
        // Oldest first: count moments down from the end of the span.
        let when = moment(&mut rng, spec.rows - statement.written.rows, spec.rows);
        order += 1 + rng.below(40);
        match rng.below(100) {
            // Money that moved but is not a sale.
            0 => {
                let deposit = Row {
                    when,
                    order: None,
                    kind: "Deposit",
                    detail: "Deposit via PayPal",
                    item: None,
                    price_cents: None,
                    amount_cents: 10_000,
                    site: None,
                    place: None,
                };
                statement.emit(out, &deposit, false)?;
            }
            1 => {
                let withdrawal = Row {
                    when,
                    order: None,
                    kind: "Withdrawal Request",
                    detail: "Withdrawal to PayPal (author@example.com)",
                    item: None,
                    price_cents: None,
                    amount_cents: -15_000,
                    site: None,
                    place: None,
                };
                statement.emit(out, &withdrawal, false)?;
            }
            _ => {
                let item = &items[rng.popular(items.len())];
                let extended = rng.below(20) == 0;
                let price = if extended {
                    item.price_cents * 5
                } else {
                    item.price_cents
                };
                let detail = format!(
                    "{} - {} License",
                    item.name,
                    if extended { "Extended" } else { "Regular" }
                );
                let place = *rng.pick(PLACES);
                let fee = -(price * 375 / 1000);
                let sale = |kind, price_cents, amount_cents| Row {
                    when,
                    order: Some(order),
                    kind,
                    detail: &detail,
                    item: Some(item.id),
                    price_cents,
                    amount_cents,
                    site: Some(item.site),
                    place: Some(place),
                };
                statement.emit(out, &sale("Sale", Some(price), price), true)?;
                statement.emit(out, &sale("Author Fee", None, fee), true)?;
                if rng.below(10) == 0 {
                    statement.emit(out, &sale("Referral Cut", None, -(price * 3 / 10)), true)?;
                }
                if rng.below(50) == 0 {
                    statement.emit(out, &sale("Sale Reversal", None, -(price + fee)), true)?;
                }
            }
        }
    }
    Ok(statement.written)
}

/// The rows written so far, and where to stop.
struct Statement {
    layout: Layout,
    limit: u64,
    written: Written,
}

impl Statement {
    /// Writes `row` unless the statement is full; `revenue` rows count towards the earnings.
    fn emit(&mut self, out: &mut impl Write, row: &Row<'_>, revenue: bool) -> io::Result<()> {
        if self.written.rows >= self.limit {
            return Ok(());
        }
        self.written.rows += 1;
        if revenue {
            self.written.micros += row.amount_cents * 10_000;
        }
        write_row(out, self.layout, row)
    }
}

fn write_row(out: &mut impl Write, layout: Layout, row: &Row<'_>) -> io::Result<()> {
    let (year, month, day, hour, minute, second) = civil(row.when);
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let price = row
        .price_cents
        .map(|c| decimal(c * 10_000, 2))
        .unwrap_or_default();
    let amount = decimal(row.amount_cents * 10_000, 2);
    match layout {
        Layout::Sixteen => {
            let (country, region, city, zip) = row.place.unwrap_or(("", "", "", ""));
            let vat = if row.price_cents.is_some() {
                "0.00"
            } else {
                ""
            };
            let document = match (row.kind, row.order) {
                ("Sale", Some(order)) => format!("INV-{order}"),
                _ => String::new(),
            };
            let quoted = row.detail.replace('"', "\"\"");
            writeln!(
                out,
                "\"{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02} +1000\",\"{}\",\"{}\",\"{quoted}\",\"{}\",\"{document}\",\"{price}\",\"{vat}\",\"{vat}\",\"{vat}\",\"{amount}\",\"{}\",\"{country}\",\"{region}\",\"{city}\",\"{zip}\"",
                number(row.order),
                row.kind,
                number(row.item),
                row.site.map_or("", |s| SITES[s].0),
            )
        }
        Layout::Seven => writeln!(
            out,
            "{year:04}-{month:02}-{day:02},{},{},{},{},{price},{amount}",
            number(row.order),
            row.kind,
            csv_field(row.detail, ','),
            number(row.item),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::Format;
    use crate::generate::tests::parse;

    #[test]
    fn both_layouts_parse_to_what_was_written() {
        for (layout, format) in [
            (Layout::Sixteen, Format::Envato16),
            (Layout::Seven, Format::Envato7),
        ] {
            let spec = Spec {
                rows: 3_000,
                assets: 300,
                seed: 5,
            };
            let mut bytes = Vec::new();
            let written = write(spec, layout, &mut bytes).unwrap_or_default();
            let (parsed, skipped, confidence) =
                parse::<envato_market::EnvatoMarket>(format, &bytes, "USD");
            assert_eq!((parsed, skipped), (written, 0), "{layout:?}");
            assert!(confidence >= 90, "{layout:?} detected with {confidence}");
        }
    }
}
