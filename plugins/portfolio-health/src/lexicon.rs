//! Every text the portfolio-health report writes, in English and Russian.
//!
//! Labels, band names and advice are fixed strings in one [`Lexicon`] per language; sentences
//! with numbers are functions here, so a translation is never assembled from pieces elsewhere.
//! Numbers inside sentences are written with the SDK's [`Locale`] helpers; values in KPI cards
//! and tables stay typed and the host formats them.

use stocklens_plugin_sdk::{Date, LimitPeriod, Locale, plural_ru};

use crate::bands::Indicator;

/// Fixed texts of one language.
#[derive(Debug)]
pub struct Lexicon {
    pub title: &'static str,
    pub indicators_title: &'static str,
    pub bands_title: &'static str,
    pub indicator: &'static str,
    pub value: &'static str,
    pub band: &'static str,
    pub what_to_do: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub portfolio_size: &'static str,
    pub works_sold: &'static str,
    pub sales: &'static str,
    pub share_sold: &'static str,
    pub share_sold_monthly: &'static str,
    pub old_measure: &'static str,
    pub old_measure_monthly: &'static str,
    pub old_measure_advice: &'static str,
    pub new_sales: &'static str,
    pub new_share: &'static str,
    pub new_revenue_share: &'static str,
    pub uploads: &'static str,
    pub period_limit: &'static str,
    pub upload_usage: &'static str,
    pub acceptance: &'static str,
    /// Band names per indicator, lowest values first (see `bands`).
    pub share_sold_bands: [&'static str; 5],
    pub new_work_bands: [&'static str; 5],
    pub upload_bands: [&'static str; 5],
    pub acceptance_bands: [&'static str; 4],
    /// One sentence of advice per band.
    pub share_sold_advice: [&'static str; 5],
    pub new_work_advice: [&'static str; 5],
    pub upload_advice: [&'static str; 5],
    pub acceptance_advice: [&'static str; 4],
    /// Acceptance advice for a mainly-AI portfolio, whose rejections have their own causes.
    pub acceptance_advice_ai: [&'static str; 4],
    pub missing_portfolio: &'static str,
    pub missing_limit: &'static str,
    pub missing_uploads: &'static str,
    pub missing_limit_and_uploads: &'static str,
    pub missing_acceptance: &'static str,
    pub zero_portfolio_no_sales: &'static str,
    pub zero_limit: &'static str,
    pub ai_note: &'static str,
    pub no_sales: &'static str,
}

const EN: Lexicon = Lexicon {
    title: "Portfolio health",
    indicators_title: "Indicators",
    bands_title: "How to read the bands",
    indicator: "Indicator",
    value: "Value",
    band: "Band",
    what_to_do: "What to do",
    from: "From",
    to: "To",
    portfolio_size: "Portfolio size",
    works_sold: "Works sold",
    sales: "Sales",
    share_sold: "Share of the portfolio sold",
    share_sold_monthly: "Share of the portfolio sold, monthly average",
    old_measure: "Sales ÷ portfolio size (old bot's measure)",
    old_measure_monthly: "Sales ÷ portfolio size, monthly average (old bot's measure)",
    old_measure_advice: "The old bot's measure counts every sale, so repeat sales of one work raise it; judge the portfolio by the share of works sold.",
    new_sales: "Sales of new works",
    new_share: "Share of sales from new works",
    new_revenue_share: "Share of revenue from new works",
    uploads: "Uploads in the period",
    period_limit: "Upload limit for the period",
    upload_usage: "Upload-limit usage",
    acceptance: "Acceptance rate",
    share_sold_bands: [
        "very low",
        "below average",
        "good",
        "very good",
        "excellent",
    ],
    new_work_bands: [
        "needs new work",
        "good",
        "excellent",
        "superb",
        "just starting",
    ],
    upload_bands: [
        "far below the limit",
        "below the limit",
        "good pace",
        "close to the limit",
        "at the limit",
    ],
    acceptance_bands: ["low", "fair", "good", "excellent"],
    share_sold_advice: [
        "Most of the portfolio does not sell: find what your best sellers have in common, make more of it, and rework titles and keywords of works that never sold.",
        "Refresh titles and keywords of works that have not sold and add more work on the themes that already sell.",
        "A healthy share: keep adding work on the themes that sell.",
        "The portfolio sells broadly: grow it steadily on the same themes.",
        "An excellent share: the portfolio sells broadly, so keep uploading at this level.",
    ],
    new_work_advice: [
        "Sales rest on older work: upload new work regularly to keep the portfolio fresh.",
        "New work adds to sales: upload more often to raise its share.",
        "New work sells well: keep your upload rhythm.",
        "New work drives sales: keep uploading on the themes that work.",
        "Nearly all sales come from new work, as in a young portfolio: keep uploading to build a base of steady sellers.",
    ],
    upload_advice: [
        "Upload more: the limit is a resource you are leaving unused.",
        "There is room for more: plan regular uploads to use more of the limit.",
        "A good pace: keep it steady.",
        "Close to the limit: keep the pace and send your stronger work first.",
        "At the limit: be selective and upload your strongest work.",
    ],
    acceptance_advice: [
        "Many submissions are rejected: read the rejection reasons and fix technical quality and keywords before submitting.",
        "Review the rejection reasons and leave out weaker or near-identical files to raise acceptance.",
        "Good acceptance: keep checking every file before you submit it.",
        "Excellent acceptance: your checks work, so you can submit more.",
    ],
    acceptance_advice_ai: [
        "Many submissions are rejected: check every file at full size for AI artifacts (hands, faces, text) and fix keywords before submitting.",
        "Check files at full size for AI artifacts and leave out near-identical ones to raise acceptance.",
        "Good acceptance for AI work: keep checking every file at full size before you submit it.",
        "Excellent acceptance for AI work: your checks work, so you can submit more.",
    ],
    missing_portfolio: "Give your portfolio size to see what share of it sells: add --portfolio-size N to the command, or answer the bot's question about the portfolio.",
    missing_limit: "Give your upload limit to see how much of it you use: add --upload-limit N (or N/week) to the command, or answer the bot's question about the limit.",
    missing_uploads: "Give the number of files you uploaded in the period to see how much of the limit you use: add --uploads N to the command, or answer the bot's question about uploads.",
    missing_limit_and_uploads: "Give your upload limit and the files you uploaded in the period to see how much of the limit you use: add --upload-limit N[/week] and --uploads N to the command, or answer the bot's questions.",
    missing_acceptance: "Give your acceptance rate to see how it compares: add --acceptance-rate P to the command, or answer the bot's question about accepted submissions.",
    zero_portfolio_no_sales: "The portfolio size is given as 0 and nothing sold: there is no share to compute.",
    zero_limit: "The upload limit is given as 0 files: there is no usage to compute.",
    ai_note: "Your main content is AI-generated: marketplaces usually review it more strictly, so a lower acceptance rate than for photos is common.",
    no_sales: "There are no sales in the selected period and content type.",
};

const RU: Lexicon = Lexicon {
    title: "Здоровье портфеля",
    indicators_title: "Показатели",
    bands_title: "Как читать оценки",
    indicator: "Показатель",
    value: "Значение",
    band: "Оценка",
    what_to_do: "Что делать",
    from: "От",
    to: "До",
    portfolio_size: "Размер портфеля",
    works_sold: "Продано работ",
    sales: "Продажи",
    share_sold: "Доля проданного портфеля",
    share_sold_monthly: "Доля проданного портфеля, в среднем за месяц",
    old_measure: "Продажи ÷ размер портфеля (мера старого бота)",
    old_measure_monthly: "Продажи ÷ размер портфеля, в среднем за месяц (мера старого бота)",
    old_measure_advice: "Мера старого бота считает каждую продажу, и повторные продажи одной работы её завышают; о портфеле судите по доле проданных работ.",
    new_sales: "Продажи новых работ",
    new_share: "Доля продаж новых работ",
    new_revenue_share: "Доля дохода от новых работ",
    uploads: "Загружено за период",
    period_limit: "Лимит загрузок на период",
    upload_usage: "Использование лимита загрузок",
    acceptance: "Доля одобренных работ",
    share_sold_bands: [
        "очень низкая",
        "ниже среднего",
        "хорошая",
        "очень хорошая",
        "отличная",
    ],
    new_work_bands: [
        "нужны новые работы",
        "хорошая",
        "отличная",
        "превосходная",
        "портфель только начат",
    ],
    upload_bands: [
        "намного ниже лимита",
        "ниже лимита",
        "хороший темп",
        "близко к лимиту",
        "на пределе лимита",
    ],
    acceptance_bands: ["низкая", "средняя", "хорошая", "отличная"],
    share_sold_advice: [
        "Большая часть портфеля не продаётся: найдите, что общего у ваших бестселлеров, делайте больше такого и переработайте названия и ключевые слова непроданных работ.",
        "Обновите названия и ключевые слова непроданных работ и добавляйте больше работ на темы, которые уже продаются.",
        "Здоровая доля: продолжайте добавлять работы на темы, которые продаются.",
        "Портфель продаётся широко: равномерно наращивайте его на тех же темах.",
        "Отличная доля: портфель продаётся широко, сохраняйте этот уровень загрузок.",
    ],
    new_work_advice: [
        "Продажи держатся на старых работах: загружайте новые регулярно, чтобы портфель не устаревал.",
        "Новые работы дают часть продаж: загружайте чаще, чтобы их доля росла.",
        "Новые работы хорошо продаются: сохраняйте ритм загрузок.",
        "Новые работы ведут продажи: продолжайте загружать на удачные темы.",
        "Почти все продажи дают новые работы, как в молодом портфеле: продолжайте загружать, чтобы собрать базу стабильно продающихся работ.",
    ],
    upload_advice: [
        "Загружайте больше: лимит — это ресурс, который сейчас простаивает.",
        "Есть запас: планируйте регулярные загрузки, чтобы использовать лимит полнее.",
        "Хороший темп: держите его ровным.",
        "Близко к лимиту: сохраняйте темп и отправляйте сначала более сильные работы.",
        "Лимит исчерпан: отбирайте строже и загружайте самые сильные работы.",
    ],
    acceptance_advice: [
        "Многие работы отклоняют: изучите причины отказов и исправляйте техническое качество и ключевые слова до отправки.",
        "Разберите причины отказов и не отправляйте слабые и почти одинаковые файлы — доля одобренных вырастет.",
        "Хорошая доля: продолжайте проверять каждый файл перед отправкой.",
        "Отличная доля: ваша проверка работает, можно отправлять больше.",
    ],
    acceptance_advice_ai: [
        "Многие работы отклоняют: проверяйте каждый файл в полном размере на артефакты ИИ (руки, лица, надписи) и исправляйте ключевые слова до отправки.",
        "Проверяйте файлы в полном размере на артефакты ИИ и не отправляйте почти одинаковые — доля одобренных вырастет.",
        "Хорошая доля для ИИ-работ: продолжайте проверять каждый файл в полном размере перед отправкой.",
        "Отличная доля для ИИ-работ: ваша проверка работает, можно отправлять больше.",
    ],
    missing_portfolio: "Укажите размер портфеля, чтобы увидеть, какая его доля продаётся: добавьте к команде --portfolio-size N или ответьте на вопрос бота о портфеле.",
    missing_limit: "Укажите лимит загрузок, чтобы увидеть, насколько вы его используете: добавьте к команде --upload-limit N (или N/week) или ответьте на вопрос бота о лимите.",
    missing_uploads: "Укажите, сколько файлов вы загрузили за период, чтобы увидеть, насколько вы используете лимит: добавьте к команде --uploads N или ответьте на вопрос бота о загрузках.",
    missing_limit_and_uploads: "Укажите лимит загрузок и сколько файлов вы загрузили за период, чтобы увидеть, насколько вы используете лимит: добавьте к команде --upload-limit N[/week] и --uploads N или ответьте на вопросы бота.",
    missing_acceptance: "Укажите долю одобренных работ, чтобы получить её оценку: добавьте к команде --acceptance-rate P или ответьте на вопрос бота об одобренных работах.",
    zero_portfolio_no_sales: "Размер портфеля указан как 0, и продаж нет: долю посчитать не из чего.",
    zero_limit: "Лимит загрузок указан как 0 файлов: использование посчитать нельзя.",
    ai_note: "Основной контент — ИИ-генерация: площадки обычно проверяют её строже, поэтому доля одобренных ниже, чем у фото, — обычное дело.",
    no_sales: "В выбранном периоде и типе контента продаж нет.",
};

/// The fixed texts of `locale`.
pub fn lexicon(locale: Locale) -> &'static Lexicon {
    match locale {
        Locale::En => &EN,
        Locale::Ru => &RU,
    }
}

impl Lexicon {
    /// The indicator's name as the bands table and highlights use it.
    pub fn indicator_name(&self, indicator: Indicator) -> &'static str {
        match indicator {
            Indicator::ShareSold => self.share_sold,
            Indicator::NewWork => self.new_share,
            Indicator::UploadUsage => self.upload_usage,
            Indicator::Acceptance => self.acceptance,
        }
    }

    /// The name of band `band` of `indicator`.
    pub fn band_name(&self, indicator: Indicator, band: usize) -> &'static str {
        let names: &[&'static str] = match indicator {
            Indicator::ShareSold => &self.share_sold_bands,
            Indicator::NewWork => &self.new_work_bands,
            Indicator::UploadUsage => &self.upload_bands,
            Indicator::Acceptance => &self.acceptance_bands,
        };
        names.get(band).copied().unwrap_or("")
    }

    /// The advice for band `band` of `indicator`; `ai` for a mainly-AI portfolio.
    pub fn advice(&self, indicator: Indicator, band: usize, ai: bool) -> &'static str {
        let advice: &[&'static str] = match indicator {
            Indicator::ShareSold => &self.share_sold_advice,
            Indicator::NewWork => &self.new_work_advice,
            Indicator::UploadUsage => &self.upload_advice,
            Indicator::Acceptance if ai => &self.acceptance_advice_ai,
            Indicator::Acceptance => &self.acceptance_advice,
        };
        advice.get(band).copied().unwrap_or("")
    }
}

/// A number with one decimal inside a sentence, without the decimal when whole: "13.1", "3".
fn decimal(locale: Locale, value: f64) -> String {
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text).to_owned();
    match locale {
        Locale::En => text,
        Locale::Ru => text.replace('.', ","),
    }
}

/// A count that may have a fraction, with its noun: "13.1 weeks", "3 месяца", "2,5 месяца".
fn fractional(locale: Locale, value: f64, en: (&str, &str), ru: (&str, &str, &str)) -> String {
    let number = decimal(locale, value);
    let whole = (value * 10.0).round() % 10.0 == 0.0;
    let noun = match locale {
        Locale::En if whole && (value - 1.0).abs() < 0.05 => en.0,
        Locale::En => en.1,
        // A fraction takes the genitive singular: "13,1 недели".
        Locale::Ru if !whole => ru.1,
        Locale::Ru => plural_ru(value.round() as i64, ru.0, ru.1, ru.2),
    };
    format!("{number} {noun}")
}

const FILES_EN: (&str, &str) = ("file", "files");
const FILES_RU: (&str, &str, &str) = ("файл", "файла", "файлов");
const WORKS_EN: (&str, &str) = ("work", "works");
const MONTHS_EN: (&str, &str) = ("month", "months");
const MONTHS_RU: (&str, &str, &str) = ("месяц", "месяца", "месяцев");

/// "works" after "of N" / "работ" after "из N" (genitive: "из 1 работы", "из 600 работ").
fn works_after(locale: Locale, n: i64) -> &'static str {
    match locale {
        Locale::En if n == 1 => "work",
        Locale::En => "works",
        Locale::Ru => plural_ru(n, "работы", "работ", "работ"),
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Warning: a portfolio of 0 files, yet works sold.
pub fn zero_portfolio_with_sales(locale: Locale, works: u64) -> String {
    let n = to_i64(works);
    match locale {
        Locale::En => format!(
            "The portfolio size is given as 0, yet {} sold in the period: check the number (it should count every file online); the share of the portfolio sold is left out.",
            locale.counted(n, WORKS_EN, ("", "", ""))
        ),
        Locale::Ru => format!(
            "Размер портфеля указан как 0, но в периоде есть продажи {} {}: проверьте число (оно должно учитывать все файлы онлайн); доля проданного портфеля не считается.",
            locale.integer(n),
            works_after(locale, n)
        ),
    }
}

/// Warning: more works sold than the portfolio holds.
pub fn sold_more_than_size(locale: Locale, works: u64, size: u32) -> String {
    let n = to_i64(works);
    let size = locale.integer(i64::from(size));
    match locale {
        Locale::En => format!(
            "{} sold, more than the portfolio size of {size}: check the size (it should count every file online).",
            locale.counted(n, WORKS_EN, ("", "", ""))
        ),
        Locale::Ru => format!(
            "Продажи есть у {} {} — больше, чем размер портфеля ({size}): проверьте размер (он должен учитывать все файлы онлайн).",
            locale.integer(n),
            works_after(locale, n)
        ),
    }
}

/// Info: the bands are for a month, so a longer period is read per average month.
pub fn monthly_bands(locale: Locale, months: i32) -> String {
    let months = locale.counted(i64::from(months), MONTHS_EN, MONTHS_RU);
    match locale {
        Locale::En => format!(
            "The bands are for one month, and the period has {months}: the share of works sold is read from the average month (works sold in a month ÷ portfolio size), the old bot's measure from sales ÷ months ÷ portfolio size."
        ),
        Locale::Ru => format!(
            "Оценки рассчитаны на месяц, а в периоде {months}: доля проданных работ оценивается по среднему месяцу (работы, проданные за месяц, ÷ размер портфеля), мера старого бота — по продажам ÷ число месяцев ÷ размер портфеля."
        ),
    }
}

/// Info: the limit scaled to the period.
pub fn limit_scaled(
    locale: Locale,
    count: u32,
    per: LimitPeriod,
    periods: f64,
    total: u64,
) -> String {
    let count = locale.counted(i64::from(count), FILES_EN, FILES_RU);
    let total = locale.counted(to_i64(total), FILES_EN, FILES_RU);
    match (locale, per) {
        (Locale::En, LimitPeriod::Week) => format!(
            "The limit of {count} a week is scaled to the period's {}: {total}.",
            fractional(locale, periods, ("week", "weeks"), ("", "", ""))
        ),
        (Locale::En, LimitPeriod::Month) => format!(
            "The limit of {count} a month is scaled to the period's {}: {total}.",
            fractional(locale, periods, MONTHS_EN, MONTHS_RU)
        ),
        (Locale::Ru, LimitPeriod::Week) => format!(
            "Лимит {count} в неделю пересчитан на период ({}): {total}.",
            fractional(locale, periods, ("", ""), ("неделя", "недели", "недель"))
        ),
        (Locale::Ru, LimitPeriod::Month) => format!(
            "Лимит {count} в месяц пересчитан на период ({}): {total}.",
            fractional(locale, periods, MONTHS_EN, MONTHS_RU)
        ),
    }
}

/// Warning: more uploads than the limit allows.
pub fn uploads_over_limit(locale: Locale, uploads: u32, limit: u64) -> String {
    let uploads = locale.integer(i64::from(uploads));
    let limit = locale.integer(to_i64(limit));
    match locale {
        Locale::En => {
            format!("{uploads} uploads exceed the period's limit of {limit}: check both numbers.")
        }
        Locale::Ru => format!(
            "Загрузок ({uploads}) больше, чем позволяет лимит на период ({limit}): проверьте оба числа."
        ),
    }
}

/// Info: new works told by their first sales.
pub fn new_work_by_history(locale: Locale, boundary: Date, months_before: i32) -> String {
    let boundary = locale.date(boundary);
    let months = locale.counted(i64::from(months_before), MONTHS_EN, MONTHS_RU);
    match locale {
        Locale::En => format!(
            "New works are those first sold on or after {boundary} (the last 3 months of the period). The data reaches {months} further back, so older works would have sold before; an old work selling for the first time still counts as new."
        ),
        Locale::Ru => format!(
            "Новыми считаются работы, впервые проданные {boundary} или позже (последние 3 месяца периода). Данные уходят ещё на {months} назад, так что старые работы успели бы продаться раньше; старая работа, впервые проданная только сейчас, всё же считается новой."
        ),
    }
}

/// Info: the history before the boundary is shorter than is comfortable.
pub fn new_work_short_history(locale: Locale, months: i32) -> String {
    let months = locale.counted(i64::from(months), MONTHS_EN, MONTHS_RU);
    match locale {
        Locale::En => format!(
            "Only {months} of earlier data: with 6 the split would be more reliable for works that sell rarely."
        ),
        Locale::Ru => format!(
            "Более ранних данных — только {months}: с 6 месяцами разделение было бы надёжнее для редко продающихся работ."
        ),
    }
}

/// Info: new works estimated from asset ids; `ids` pairs each source named (or not, with one
/// source) with its boundary id.
pub fn new_work_by_ids(locale: Locale, boundary: Date, ids: &[(Option<&str>, u64)]) -> String {
    let boundary = locale.date(boundary);
    let ids: Vec<String> = ids
        .iter()
        .map(|(source, id)| match (locale, source) {
            (_, None) => id.to_string(),
            (Locale::En, Some(source)) => format!("{id} on {source}"),
            (Locale::Ru, Some(source)) => format!("{id} на {source}"),
        })
        .collect();
    let ids = locale.join(&ids);
    match locale {
        Locale::En => format!(
            "Estimated from asset ids, as the data does not reach 3 months before {boundary}: a marketplace numbers works in upload order, so works with an id above the highest one sold before {boundary} ({ids}) count as new. This is an estimate."
        ),
        Locale::Ru => format!(
            "Оценка по номерам работ, так как данные не доходят до 3 месяцев раньше {boundary}: площадка нумерует работы по порядку загрузки, поэтому новыми считаются работы с номером выше самого большого из проданных до {boundary} ({ids}). Это приблизительная оценка."
        ),
    }
}

/// Info: no method applies.
pub fn new_work_unknown(locale: Locale, boundary: Date, needed_from: Date) -> String {
    let boundary = locale.date(boundary);
    let needed = locale.date(needed_from);
    match locale {
        Locale::En => format!(
            "The share of sales from new works needs earlier months: add exports going back to {needed} (3 months before {boundary}), or one with numeric asset ids and sales before {boundary}."
        ),
        Locale::Ru => format!(
            "Для доли продаж новых работ нужны более ранние месяцы: добавьте выгрузки с {needed} (за 3 месяца до {boundary}) или выгрузку с числовыми номерами работ и продажами до {boundary}."
        ),
    }
}

/// Info: some sources could not be told and are left out.
pub fn new_work_left_out(locale: Locale, sources: &[String]) -> String {
    let names: Vec<String> = sources
        .iter()
        .map(|source| locale.marketplace(source).to_owned())
        .collect();
    let sources = locale.join(&names);
    match locale {
        Locale::En => format!(
            "Sales on {sources} are left out of the new-work shares: there is no earlier data for them."
        ),
        Locale::Ru => format!(
            "Продажи на {sources} не учтены в долях новых работ: для них нет более ранних данных."
        ),
    }
}

/// Info: over a period longer than 3 months the shares are of its last 3 months.
pub fn new_work_window(locale: Locale, boundary: Date) -> String {
    let boundary = locale.date(boundary);
    match locale {
        Locale::En => format!(
            "The new-work shares are of the sales since {boundary}, the last 3 months of the period."
        ),
        Locale::Ru => format!(
            "Доли новых работ считаются от продаж с {boundary} — последних 3 месяцев периода."
        ),
    }
}

/// Info: nothing sold in the last 3 months.
pub fn new_work_no_recent_sales(locale: Locale, boundary: Date) -> String {
    let boundary = locale.date(boundary);
    match locale {
        Locale::En => format!(
            "There are no sales (net of refunds) since {boundary}, the last 3 months of the period, so there is no share of new works."
        ),
        Locale::Ru => format!(
            "С {boundary} (последние 3 месяца периода) продаж за вычетом возвратов нет, поэтому доли новых работ нет."
        ),
    }
}

/// Info: which side of a threshold a value exactly on it goes to.
pub fn boundaries(locale: Locale) -> String {
    let p = |value: f64| locale.percent(value, 0);
    let text = lexicon(locale);
    let band = |indicator, band| text.band_name(indicator, band);
    match locale {
        Locale::En => format!(
            "A value exactly on a threshold belongs to the range above it ({} is {}, {} {}, {} {}), except for new works, where it belongs to the range below ({} is {}, {} {}).",
            p(1.0),
            band(Indicator::ShareSold, 1),
            p(5.0),
            band(Indicator::ShareSold, 4),
            p(97.0),
            band(Indicator::UploadUsage, 4),
            p(10.0),
            band(Indicator::NewWork, 0),
            p(85.0),
            band(Indicator::NewWork, 3),
        ),
        Locale::Ru => format!(
            "Значение ровно на границе относится к диапазону выше неё ({} — {}, {} — {}, {} — {}), а для доли новых работ — к диапазону ниже ({} — {}, {} — {}).",
            p(1.0),
            band(Indicator::ShareSold, 1),
            p(5.0),
            band(Indicator::ShareSold, 4),
            p(97.0),
            band(Indicator::UploadUsage, 4),
            p(10.0),
            band(Indicator::NewWork, 0),
            p(85.0),
            band(Indicator::NewWork, 3),
        ),
    }
}

/// `text` with its first letter in lower case, for a name inside a sentence.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Highlight: the weakest indicator and what to do.
pub fn weakest(locale: Locale, name: &str, percent: f64, band: &str, advice: &str) -> String {
    let name = lower_first(name);
    let value = locale.percent(percent, 1);
    match locale {
        Locale::En => format!("Weakest indicator: {name}, {value}, {band}. {advice}"),
        Locale::Ru => format!("Самый слабый показатель — {name}: {value}, {band}. {advice}"),
    }
}

/// Highlight: the share of the portfolio sold over a period of at most a month.
pub fn share_sold(locale: Locale, percent: f64, works: u64, size: u32, band: &str) -> String {
    let value = locale.percent(percent, 1);
    let works = locale.integer(to_i64(works));
    let of = works_after(locale, i64::from(size));
    let size = locale.integer(i64::from(size));
    match locale {
        Locale::En => {
            format!("Share of the portfolio sold: {value} ({works} of {size} {of}), {band}.")
        }
        Locale::Ru => {
            format!("Доля проданного портфеля — {value} ({works} из {size} {of}): {band}.")
        }
    }
}

/// Highlight: the share of the portfolio sold per average month of a longer period.
pub fn share_sold_monthly(locale: Locale, percent: f64, band: &str) -> String {
    let value = locale.percent(percent, 1);
    match locale {
        Locale::En => format!("Share of the portfolio sold: {value} a month on average, {band}."),
        Locale::Ru => format!("Доля проданного портфеля — в среднем {value} в месяц: {band}."),
    }
}

/// Highlight: the share of sales from new works.
pub fn new_work_share(locale: Locale, percent: f64, band: &str) -> String {
    let value = locale.percent(percent, 1);
    match locale {
        Locale::En => format!("New works brought {value} of sales, {band}."),
        Locale::Ru => format!("Новые работы дали {value} продаж: {band}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_of_weeks_and_months_agree_with_their_nouns() {
        assert_eq!(
            limit_scaled(Locale::En, 100, LimitPeriod::Week, 92.0 / 7.0, 1314),
            "The limit of 100 files a week is scaled to the period's 13.1 weeks: 1,314 files."
        );
        assert_eq!(
            limit_scaled(Locale::Ru, 100, LimitPeriod::Week, 92.0 / 7.0, 1314),
            "Лимит 100 файлов в неделю пересчитан на период (13,1 недели): 1\u{a0}314 файлов."
        );
        assert_eq!(
            limit_scaled(Locale::Ru, 500, LimitPeriod::Month, 3.0, 1500),
            "Лимит 500 файлов в месяц пересчитан на период (3 месяца): 1\u{a0}500 файлов."
        );
        assert_eq!(
            limit_scaled(Locale::En, 1, LimitPeriod::Month, 1.0, 1),
            "The limit of 1 file a month is scaled to the period's 1 month: 1 file."
        );
    }

    #[test]
    fn works_agree_with_their_counts() {
        assert_eq!(
            share_sold(Locale::Ru, 2.0, 12, 600, "хорошая"),
            "Доля проданного портфеля — 2,0\u{a0}% (12 из 600 работ): хорошая."
        );
        assert_eq!(
            share_sold(Locale::Ru, 100.0, 1, 1, "отличная"),
            "Доля проданного портфеля — 100,0\u{a0}% (1 из 1 работы): отличная."
        );
        assert_eq!(
            zero_portfolio_with_sales(Locale::En, 1),
            "The portfolio size is given as 0, yet 1 work sold in the period: check the number (it should count every file online); the share of the portfolio sold is left out."
        );
    }

    #[test]
    fn every_band_has_a_name_and_advice_in_both_languages() {
        for locale in [Locale::En, Locale::Ru] {
            let text = lexicon(locale);
            for indicator in Indicator::ALL {
                for band in 0..indicator.band_count() {
                    assert!(!text.band_name(indicator, band).is_empty());
                    assert!(!text.advice(indicator, band, false).is_empty());
                    assert!(!text.advice(indicator, band, true).is_empty());
                }
            }
        }
    }
}
