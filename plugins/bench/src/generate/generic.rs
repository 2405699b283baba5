//! A sales table for the generic parser, as a Russian contributor's spreadsheet exports it:
//! UTF-8 with a BOM, `;` between fields, a Russian header, `d.m.Y` dates, decimal commas with
//! spaces between thousands (`1 250,00`), a currency column (USD, RUB, EUR), titles quoted where
//! they hold `;` or quotes, and refunds as negative rows. About 90 bytes per row.

use std::io::{self, Write};

use super::{Rng, Spec, Written, civil, csv_field, decimal, moment};

const HEADER: &str = "Дата;ID;Название;Тип;Лицензия;Продажи;Доход;Валюта";

const SUBJECTS: &[&str] = &[
    "Закат над Волгой",
    "Москва; ночной вид",
    "Иконки погоды",
    "Прибой на рассвете",
    "Весенний фон с цветами",
    "Осенний парк",
    "Таймлапс, облака \"кучевые\"",
    "Кофе на столе",
    "Зимний лес",
    "Горное озеро",
];
const DETAILS: &[&str] = &["", ", панорама", ", набор", ", крупный план", " в тумане"];

/// (media type label, weight).
const MEDIA: &[(u64, &str)] = &[
    (50, "Фото"),
    (20, "Вектор"),
    (15, "Видео"),
    (15, "Иллюстрация"),
];

/// (currency, price range in cents), weighted.
const CURRENCIES: &[(u64, (&str, i64, i64))] = &[
    (70, ("USD", 25, 8_000)),
    (20, ("RUB", 5_000, 300_000)),
    (10, ("EUR", 25, 5_000)),
];

struct Asset {
    id: u64,
    title: String,
    media: &'static str,
}

/// Writes a table to `out`: the header, then `spec.rows` sales, newest first.
pub fn write(spec: Spec, out: &mut impl Write) -> io::Result<Written> {
    let mut rng = Rng::new(spec.seed);
    let portfolio: Vec<Asset> = (0..spec.assets.max(1))
        .map(|i| Asset {
            id: 100_000 + i * 13 + rng.below(13),
            title: format!("{}{}", rng.pick(SUBJECTS), rng.pick(DETAILS)),
            media: rng.weighted::<&str>(MEDIA),
        })
        .collect();
    writeln!(out, "\u{feff}{HEADER}")?;
    let mut written = Written::default();
    for row in 0..spec.rows {
        let asset = &portfolio[rng.popular(portfolio.len())];
        let (year, month, day, ..) = civil(moment(&mut rng, row, spec.rows));
        let (currency, low, high) = *rng.weighted(CURRENCIES);
        let mut units = 1 + rng.below(3) as i64;
        if rng.below(200) == 0 {
            units = -1;
        }
        let cents = units * (low + rng.below((high - low) as u64) as i64);
        written.rows += 1;
        if currency == "USD" {
            written.micros += cents * 10_000;
        }
        writeln!(
            out,
            "{day:02}.{month:02}.{year};{};{};{};{};{units};{};{currency}",
            asset.id,
            csv_field(&asset.title, ';'),
            asset.media,
            if rng.below(10) == 0 {
                "Расширенная"
            } else {
                "Стандартная"
            },
            russian_amount(cents),
        )?;
    }
    Ok(written)
}

/// `cents` as a Russian spreadsheet writes money: `1 250,00`, `-35,00`.
fn russian_amount(cents: i64) -> String {
    let plain = decimal(cents * 10_000, 2);
    let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, "00"));
    let (sign, digits) = match whole.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", whole),
    };
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped},{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::Format;
    use crate::generate::tests::round_trip;

    #[test]
    fn writes_russian_amounts() {
        assert_eq!(russian_amount(125_000), "1 250,00");
        assert_eq!(russian_amount(-3_500), "-35,00");
        assert_eq!(russian_amount(99), "0,99");
        assert_eq!(russian_amount(123_456_789), "1 234 567,89");
    }

    #[test]
    fn parses_to_what_was_written() {
        let confidence = round_trip::<generic::Generic>(Format::Generic, 300, "USD");
        assert!(confidence >= 50, "detected with {confidence}");
    }
}
