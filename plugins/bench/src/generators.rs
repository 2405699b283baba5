//! The synthetic sales every report generator is timed on (issue 7): 1,000,000 sales of 50,000
//! assets over eighteen months, the last six selected, as the host's `generators` bench builds
//! them. Asset `k` sells with a weight falling off with `k` (a long tail); a third of the assets
//! also sell on Shutterstock under the same file name; ids grow with `k`.

use stocklens_plugin_sdk::{
    Date, Filters, LimitPeriod, MediaType, Money, PortfolioFacts, Request, Sale, Scope, UploadLimit,
};

/// Sales in all.
pub const SALES: usize = 1_000_000;
/// Distinct assets the sales fall on.
pub const ASSETS: usize = 50_000;
/// Sales per batch, as parsers return them.
pub const BATCH: usize = 4096;

const FIRST_DAY: Date = Date {
    year: 2024,
    month: 7,
    day: 1,
};
const SELECTED_FROM: Date = Date {
    year: 2025,
    month: 7,
    day: 1,
};
const LAST_DAY: Date = Date {
    year: 2025,
    month: 12,
    day: 31,
};

/// The sales in batches as the host feeds them, with the request.
#[derive(Debug)]
pub struct Dataset {
    pub batches: Vec<(&'static str, Scope, Vec<Sale>)>,
    pub selected: usize,
    pub request: Request,
}

/// Builds the dataset.
pub fn dataset() -> Dataset {
    let first = FIRST_DAY.day_number();
    let days = i64::from(LAST_DAY.day_number() - first + 1);
    let selected_from = SELECTED_FROM.day_number();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut random = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut batches = Vec::new();
    let mut selected = 0;
    let mut open: [(&'static str, Scope, Vec<Sale>); 4] = [
        ("adobe-stock", Scope::Selected, Vec::new()),
        ("adobe-stock", Scope::History, Vec::new()),
        ("shutterstock", Scope::Selected, Vec::new()),
        ("shutterstock", Scope::History, Vec::new()),
    ];
    for n in 0..SALES {
        let day = first + (n as i64 * days / SALES as i64) as i32;
        let u = (random() % 1_000_000) as f64 / 1_000_000.0;
        let asset = ((u * u) * ASSETS as f64) as usize % ASSETS;
        let on_shutterstock = asset.is_multiple_of(3) && random().is_multiple_of(4);
        let in_selection = day >= selected_from;
        selected += usize::from(in_selection);
        let slot = usize::from(on_shutterstock) * 2 + usize::from(!in_selection);
        let (source, scope, sales) = &mut open[slot];
        sales.push(sale(Date::from_day_number(day), asset, random() % 100));
        if sales.len() == BATCH {
            batches.push((*source, *scope, std::mem::take(sales)));
        }
    }
    for (source, scope, sales) in open {
        if !sales.is_empty() {
            batches.push((source, scope, sales));
        }
    }
    Dataset {
        batches,
        selected,
        request: Request {
            locale: "en".into(),
            filters: Filters {
                from: Some(SELECTED_FROM),
                to: Some(LAST_DAY),
                media: None,
            },
            facts: PortfolioFacts {
                portfolio_size: Some(60_000),
                upload_limit: Some(UploadLimit {
                    count: 500,
                    per: LimitPeriod::Week,
                }),
                uploads_in_period: Some(4_000),
                acceptance_rate: Some(71.5),
                main_content: None,
            },
            today: Date {
                year: 2026,
                month: 1,
                day: 2,
            },
        },
    }
}

fn sale(date: Date, asset: usize, price: u64) -> Sale {
    let subscription = price < 90;
    Sale {
        date,
        time: None,
        asset_id: (600_000_000 + asset * 37).to_string(),
        title: Some(format!(
            "Stock photo number {asset}, a title of some length"
        )),
        file_name: Some(format!("IMG_{asset:06}.jpg")),
        media: if asset.is_multiple_of(10) {
            MediaType::Video
        } else {
            MediaType::Photo
        },
        license: Some(
            if subscription {
                "subscription"
            } else {
                "custom"
            }
            .into(),
        ),
        units: 1,
        earnings: Money {
            micros: if subscription { 330_000 } else { 9_900_000 },
            currency: "USD".into(),
        },
        country: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dataset_has_its_shape() {
        let data = dataset();
        let sales: usize = data.batches.iter().map(|(_, _, s)| s.len()).sum();
        assert_eq!(sales, SALES);
        // The last six of eighteen months (184 of 549 days) are selected.
        let share = data.selected as f64 / SALES as f64;
        assert!((share - 184.0 / 549.0).abs() < 0.001, "{share}");
        let mut assets = std::collections::HashSet::new();
        for (_, _, batch) in &data.batches {
            assets.extend(batch.iter().map(|s| s.asset_id.as_str()));
        }
        assert!(
            assets.len() > 45_000 && assets.len() <= ASSETS,
            "{}",
            assets.len()
        );
    }
}
