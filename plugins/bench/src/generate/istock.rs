//! The iStock / Getty Images royalty statement: tab-separated, CRLF, the real statement's
//! 65-column header (`../shared/samples/istock-getty_royalty-statement_201601.txt`), one row per
//! transaction with the account's Spanish month names (`04-ene-2016`), Getty's
//! `<asset number>-<title>` descriptions (some with quotes inside, which sends the row through
//! the CSV state machine rather than the quote-free fast path), a long rights text on premium
//! access rows, amounts with nine decimals, and the 35 `StatementSummary_*` columns repeated on
//! every row. About 900 bytes per row (the real one-row statement has 1,500).

use std::io::{self, Write};

use super::{Rng, Spec, Written, civil, decimal, moment, title};

/// The real statement's header, column for column.
pub const HEADER: &str = "Name\tContact ID\tContract ID\tContract Name\tRoyalty Month\tInvoice Number\tSales Date\tCollection\tSale Region\tProduct Type\tNotes\tFile Size\tAgent\tCustomer Name\tCredit Line\tAsset Number\tAlternate Asset Number\tAsset Description\tRights: Industry\tRights Usage\tRights: Use Territory/Duration\tSales Territory\tPercent of Product\tPurchase from Site\tLicense Fee in USD\tRoyalty Rate\tGross Royalty in USD\tRoyalty Pay Date\tContributors Net payment (summary for full stmt)\tCurrency\tStatementSummary_CarryForwardNegativeEarnings\tStatementSummary_CarryForwardNegativePrevious\tStatementSummary_ContributorsPercentage\tStatementSummary_ExchangeRate\tStatementSummary_NewAdvance\tStatementSummary_OpeningBalance\tStatementSummary_US_ContributorsShare\tStatementSummary_US_Deductions\tStatementSummary_US_Gross\tStatementSummary_US_MinimumNotMetCarriedForward\tStatementSummary_US_Net\tStatementSummary_US_NetPayment\tStatementSummary_US_NetPaymentInCurrency\tStatementSummary_US_PaymentCarriedForward\tStatementSummary_US_EstimatedTaxOnAmount\tStatementSummary_US_EstimatedTaxOnAmountInCurrency\tStatementSummary_NonUS_ContributorsShare\tStatementSummary_NonUS_Deductions\tStatementSummary_NonUS_Gross\tStatementSummary_NonUS_MinimumNotMetCarriedForward\tStatementSummary_NonUS_NetEarnings\tStatementSummary_NonUS_Net\tStatementSummary_NonUS_NetPaymentInCurrency\tStatementSummary_NonUS_PaymentCarriedForward\tStatementSummary_NonUS_EstimatedTaxOnAmount\tStatementSummary_NonUS_EstimatedTaxOnAmountInCurrency\tStatementSummary_Totals_ClosingBalance\tStatementSummary_Totals_Deductions\tStatementSummary_Totals_Gross\tStatementSummary_Totals_MinimumNotMetCarriedForward\tStatementSummary_Totals_NetEarnings\tStatementSummary_Totals_NetPayment\tStatementSummary_Totals_PaymentCarriedForward\tStatementSummary_Totals_EstimatedTaxOnAmount\tStatementSummary_Totals_EstimatedTaxOnAmountInCurrency";

/// Month abbreviations of a Spanish-language account, as in the real statement.
const MONTHS: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
];

/// (collection, product type), weighted: what iStock and Getty sell most.
const PRODUCTS: &[(u64, (&str, &str))] = &[
    (30, ("iStock", "Premium Access Time Limited")),
    (20, ("iStock Essentials", "Subscription")),
    (15, ("Signature", "Royalty Free")),
    (10, ("Moment Open", "Premium Access Time Limited")),
    (8, ("E+", "Credits")),
    (7, ("iStock Illustrations", "Illustration - Essentials")),
    (6, ("Getty Images Video", "Royalty Free")),
    (4, ("Getty Images News", "Editorial")),
];

const TERRITORIES: &[&str] = &[
    "NEW YORK",
    "CALIFORNIA",
    "SPAIN",
    "GERMANY",
    "UNITED KINGDOM",
    "FRANCE",
    "JAPAN",
    "BRAZIL",
    "AUSTRALIA",
    "CANADA",
];

/// The rights text premium-access rows carry, as in the real statement.
const RIGHTS: &str = "Publishing-Web, Territory: North America. Editorial and in context Mobile and self-promotional rights granted for Licensee's website. Limited Syndication rights granted.Reproduction rights limited to the term of the agreement. Archival rights in perpetuity in context of original use.";

/// One asset of the made-up portfolio.
struct Asset {
    number: u64,
    file_name: String,
    title: String,
}

/// Writes a statement to `out`: the header, then `spec.rows` transactions, newest first.
pub fn write(spec: Spec, out: &mut impl Write) -> io::Result<Written> {
    let mut rng = Rng::new(spec.seed);
    let portfolio: Vec<Asset> = (0..spec.assets.max(1))
        .map(|i| Asset {
            number: 100_000_000 + i * 7_919 % 800_000_000 + rng.below(7_919),
            file_name: format!("IMG_{:04}.jpg", rng.below(10_000)),
            title: title(&mut rng),
        })
        .collect();
    write!(out, "{HEADER}\r\n")?;
    let mut written = Written::default();
    for row in 0..spec.rows {
        let asset = &portfolio[rng.popular(portfolio.len())];
        let (collection, product) = *rng.weighted(PRODUCTS);
        let (year, month, day, ..) = civil(moment(&mut rng, row, spec.rows));
        let name = MONTHS[month as usize - 1];
        // License fee in cents and a royalty rate of 15 to 45 %: the gross royalty is exact to
        // a ten-thousandth of a dollar, written with Getty's nine decimals.
        let fee_cents = *rng.pick(&[33, 150, 500, 1_000, 1_500, 5_000, 17_500]) as i64;
        let rate_percent = *rng.pick(&[15, 20, 25, 30, 45]) as i64;
        let refund = rng.below(400) == 0;
        let mut gross = fee_cents * rate_percent * 100;
        if refund {
            gross = -gross;
        }
        written.rows += 1;
        written.micros += gross;
        let premium = product.starts_with("Premium");
        write!(
            out,
            "Jane Doe\t123456\t1234567\t1234567;iStock;Jane Doe 123456\t{name}-{year}\t{}-{}\t{day:02}-{name}-{year}\t{collection}\t{}\t{product}\t\t{}\t\t{}\tJane Doe\t{}\t{}\t{}-{}\t\t{}\t{}\t{}\t1.000000000\t{}\t{}\t{}\t{}\t{year}-{:02}-25T00:00:00\t0.000000000\tUSD",
            70_000_000 + row % 10_000_000,
            asset.number,
            if rng.below(3) == 0 {
                "NON-US SALES"
            } else {
                "US SALES"
            },
            if premium { "" } else { "XXL" },
            if premium { "XXXXX YYYYY ZZZZZ XA" } else { "" },
            asset.number,
            asset.file_name,
            asset.number,
            asset.title,
            if premium { RIGHTS } else { "" },
            if premium {
                "Limited to terms of the Premium Access agreement"
            } else {
                "Worldwide, perpetual"
            },
            rng.pick(TERRITORIES),
            if rng.below(2) == 0 { "Getty" } else { "iStock" },
            decimal(fee_cents * 10_000, 9),
            decimal(rate_percent * 10_000, 9),
            decimal(gross, 9),
            month % 12 + 1,
        )?;
        // The statement's totals, the same on every row: never sales.
        for i in 0..35 {
            write!(out, "\t{}", decimal(i * 1_234_500, 9))?;
        }
        out.write_all(b"\r\n")?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::Format;
    use crate::generate::tests::parse;

    #[test]
    fn the_header_is_the_real_statements() {
        let real = include_str!("../../../istock-getty/samples/royalty-statement-sample.txt");
        let first = real.lines().next().unwrap_or_default();
        assert_eq!(first.trim_start_matches('\u{feff}').trim_end(), HEADER);
        assert_eq!(HEADER.split('\t').count(), 65);
    }

    #[test]
    fn parses_to_what_was_written() {
        let spec = Spec {
            rows: 3_000,
            assets: 400,
            seed: 5,
        };
        let mut bytes = Vec::new();
        let written = write(spec, &mut bytes).unwrap_or_default();
        let (parsed, skipped, confidence) =
            parse::<istock_getty::IstockGetty>(Format::IstockGetty, &bytes, "USD");
        assert_eq!((parsed, skipped), (written, 0));
        assert!(confidence >= 90, "detected with {confidence}");
        let per_row = bytes.len() as u64 / spec.rows;
        assert!((700..1300).contains(&per_row), "{per_row} bytes per row");
    }
}
