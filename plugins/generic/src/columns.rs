//! Which column plays which role, from the names of the header row, in English, Russian,
//! Spanish, German, French and Portuguese.
//!
//! Header matching runs once per file; the resulting [`Roles`] is a handful of indexes the
//! per-row code reads without lookups, plus the header texts so the user is told which columns
//! were used. It never looks at data rows: a column named nothing it knows is not used.

use stocklens_plugin_sdk::{Currency, ParseError, excerpt, match_columns, normalize_header};

// Names each role may have, compared with `header_matches` (case, spacing, `_`, a BOM and a
// trailing unit like "(USD)" do not matter). Earlier names win when several cells match, and
// earlier roles take a cell first, so the specific names come before the loose ones.
const DATE: &[&str] = &[
    "sale date",
    "sales date",
    "date of sale",
    "transaction date",
    "download date",
    "date",
    "дата продажи",
    "дата",
    "fecha de venta",
    "fecha",
    "verkaufsdatum",
    "datum",
    "date de vente",
    "data da venda",
    "data de venda",
    "data",
];
const EARNINGS: &[&str] = &[
    "earnings",
    "your earnings",
    "royalty",
    "royalties",
    "revenue",
    "income",
    "amount",
    "доход",
    "заработок",
    "вознаграждение",
    "сумма",
    "ganancias",
    "ingresos",
    "importe",
    "einnahmen",
    "erlös",
    "betrag",
    "revenus",
    "gains",
    "montant",
    "receita",
    "ganhos",
    "valor",
];
const ASSET_ID: &[&str] = &[
    "asset id",
    "media id",
    "item id",
    "file id",
    "content id",
    "id",
    "ид",
    "номер",
    "id файла",
];
const CURRENCY: &[&str] = &[
    "currency",
    "валюта",
    "moneda",
    "divisa",
    "währung",
    "devise",
    "monnaie",
    "moeda",
];
const UNITS: &[&str] = &[
    "downloads",
    "sales",
    "quantity",
    "qty",
    "units",
    "продажи",
    "загрузки",
    "скачивания",
    "количество",
    "cantidad",
    "descargas",
    "ventas",
    "anzahl",
    "menge",
    "quantité",
    "téléchargements",
    "quantidade",
    "vendas",
];
const LICENSE: &[&str] = &[
    "license",
    "license type",
    "licence",
    "category",
    "лицензия",
    "категория",
    "licencia",
    "categoría",
    "lizenz",
    "kategorie",
    "catégorie",
    "licença",
    "categoria",
];
const MEDIA: &[&str] = &[
    "media type",
    "content type",
    "asset type",
    "type",
    "тип",
    "tipo",
    "typ",
];
const TITLE: &[&str] = &[
    "title",
    "description",
    "name",
    "название",
    "описание",
    "título",
    "titulo",
    "descripción",
    "titel",
    "beschreibung",
    "titre",
    "descrição",
];
const FILE_NAME: &[&str] = &[
    "file name",
    "original file name",
    "filename",
    "имя файла",
    "nombre de archivo",
    "dateiname",
    "nom du fichier",
    "nome do arquivo",
];
const COUNTRY: &[&str] = &["country", "страна", "país", "land", "pays"];

/// Where the asset id comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetSource {
    /// A column of ids.
    Column(usize),
    /// No id column: the title stands for the asset, so equal titles are one asset.
    Title(usize),
}

/// Indexes of the values in a row, and the header texts they were found under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles {
    pub date: usize,
    pub earnings: usize,
    pub asset: AssetSource,
    pub currency: Option<usize>,
    pub units: Option<usize>,
    pub license: Option<usize>,
    pub media: Option<usize>,
    pub title: Option<usize>,
    pub file_name: Option<usize>,
    pub country: Option<usize>,
    /// A currency the earnings header names as its unit, as in `Revenue (EUR)`.
    pub header_currency: Option<Currency>,
    /// Fields a row must have to hold the date, the earnings and the asset.
    pub needed: usize,
    /// The date header, normalized, to recognise a repeated header row.
    pub date_header: String,
    /// "date=Дата, earnings=Доход, ...": what the user is told.
    pub described: String,
}

impl Roles {
    /// The roles a header row names, or an error saying which required role no column holds.
    pub fn from_header(cells: &[&str], line: u64) -> Result<Roles, ParseError> {
        let [
            date,
            earnings,
            asset,
            currency,
            units,
            license,
            media,
            title,
            file_name,
            country,
        ] = match_columns(
            cells,
            [
                DATE, EARNINGS, ASSET_ID, CURRENCY, UNITS, LICENSE, MEDIA, TITLE, FILE_NAME,
                COUNTRY,
            ],
        );
        let date = date.ok_or_else(|| {
            ParseError::at_line(
                line,
                "no column holds the sale date (looked for a header such as Date, Sale date, \
                 Дата, Fecha, Datum, Date de vente or Data)",
            )
        })?;
        let earnings = earnings.ok_or_else(|| {
            ParseError::at_line(
                line,
                "no column holds the earnings (looked for a header such as Earnings, Royalty, \
                 Amount, Revenue, Доход, Сумма, Importe, Betrag, Montant or Valor)",
            )
        })?;
        let asset = match (asset, title) {
            (Some(column), _) => AssetSource::Column(column),
            (None, Some(column)) => AssetSource::Title(column),
            (None, None) => {
                return Err(ParseError::at_line(
                    line,
                    "no column holds an asset id or a title, so sales cannot be told apart \
                     (looked for a header such as Asset ID, Media ID, ID, Title or Название)",
                ));
            }
        };
        let asset_index = match asset {
            AssetSource::Column(i) | AssetSource::Title(i) => i,
        };
        let text = |index: usize| {
            cells
                .get(index)
                .map(|cell| cell.trim_matches(|c: char| c == '\u{feff}' || c.is_whitespace()))
                .unwrap_or("")
        };
        // Header cells as the user is told them: one line, cut short (a cell matches its alias
        // after its whitespace is collapsed, and "Earnings (...)" with any unit at all).
        let shown = |index: usize| excerpt(text(index));
        let mut described = format!("date={}, earnings={}", shown(date), shown(earnings));
        match asset {
            AssetSource::Column(i) => described.push_str(&format!(", asset={}", shown(i))),
            AssetSource::Title(i) => {
                described.push_str(&format!(", asset=title {} (no id column)", shown(i)));
            }
        }
        let optional = [
            ("currency", currency),
            ("units", units),
            ("license", license),
            ("type", media),
            (
                "title",
                title.filter(|_| matches!(asset, AssetSource::Column(_))),
            ),
            ("file name", file_name),
            ("country", country),
        ];
        for (role, index) in optional {
            if let Some(index) = index {
                described.push_str(&format!(", {role}={}", shown(index)));
            }
        }
        Ok(Roles {
            date,
            earnings,
            asset,
            currency,
            units,
            license,
            media,
            title,
            file_name,
            country,
            header_currency: unit_currency(text(earnings)),
            needed: date.max(earnings).max(asset_index) + 1,
            date_header: normalize_header(text(date)),
            described,
        })
    }

    /// How many of the roles beyond date and earnings were found.
    pub fn extra_roles(&self) -> usize {
        [
            self.currency,
            self.units,
            self.license,
            self.media,
            self.title
                .filter(|_| matches!(self.asset, AssetSource::Column(_))),
            self.file_name,
            self.country,
        ]
        .iter()
        .filter(|index| index.is_some())
        .count()
    }
}

/// The currency a header names in parentheses at its end: `Revenue (EUR)`, `Доход ($)`.
fn unit_currency(header: &str) -> Option<Currency> {
    let open = header.rfind('(')?;
    let unit = header[open + 1..].strip_suffix(')')?;
    Currency::from_symbol(unit.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(cells: &[&str]) -> Result<Roles, ParseError> {
        Roles::from_header(cells, 1)
    }

    #[test]
    fn finds_russian_roles_and_describes_them() {
        let found = roles(&[
            "\u{feff}Дата",
            "ID",
            "Название",
            "Тип",
            "Лицензия",
            "Продажи",
            "Доход",
            "Валюта",
        ]);
        let found = found.ok();
        assert_eq!(
            found
                .as_ref()
                .map(|r| (r.date, r.earnings, r.asset, r.currency)),
            Some((0, 6, AssetSource::Column(1), Some(7)))
        );
        assert_eq!(
            found.map(|r| r.described),
            Some(
                "date=Дата, earnings=Доход, asset=ID, currency=Валюта, units=Продажи, \
                 license=Лицензия, type=Тип, title=Название"
                    .to_string()
            )
        );
    }

    #[test]
    fn finds_roles_in_the_other_languages() {
        let spanish = roles(&["Fecha", "Título", "Importe (EUR)"]).ok();
        assert_eq!(
            spanish.map(|r| (r.asset, r.header_currency)),
            Some((AssetSource::Title(1), Some(Currency::EUR)))
        );
        let german = roles(&["Datum", "Datei-ID", "Titel", "Betrag", "Anzahl"]).ok();
        assert_eq!(german.map(|r| (r.earnings, r.units)), Some((3, Some(4))));
        let french = roles(&["Date de vente", "ID", "Montant", "Licence"]).ok();
        assert_eq!(french.map(|r| r.license), Some(Some(3)));
        let portuguese = roles(&["Data", "ID", "Descrição", "Receita", "Quantidade"]).ok();
        assert_eq!(portuguese.map(|r| r.title), Some(Some(2)));
    }

    #[test]
    fn a_missing_required_role_is_a_clear_error() {
        let no_date = roles(&["ID", "Earnings"]).err().map(|e| e.message);
        assert!(no_date.is_some_and(|m| m.starts_with("no column holds the sale date")));
        let no_earnings = roles(&["Date", "ID", "Title"]).err().map(|e| e.message);
        assert!(no_earnings.is_some_and(|m| m.starts_with("no column holds the earnings")));
        let no_asset = roles(&["Date", "Earnings"]).err().map(|e| e.message);
        assert!(no_asset.is_some_and(|m| m.starts_with("no column holds an asset id or a title")));
    }
}
