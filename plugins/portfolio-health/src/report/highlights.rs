//! The highlights, most important first: the weakest indicator's advice (when one is weak), the
//! share of the portfolio sold with its band, the share of sales from new works. The chat
//! summary shows the first few of every generator, so there are at most three and none repeats
//! another.

use stocklens_plugin_sdk::{Note, NoteLevel};

use super::{Context, level};
use crate::bands::{Indicator, WEAK};
use crate::indicators::Portfolio;
use crate::lexicon;
use crate::new_work::Outcome;

pub fn notes(cx: &Context<'_>) -> Vec<Note> {
    let (locale, text, indicators) = (cx.locale, cx.text, cx.indicators);
    let mut notes = Vec::new();

    // The first of the weakest, in report order, if it is weak at all: a warning with what to
    // do. It carries the value and band, so that indicator's own line below is left out.
    let weak = indicators
        .banded()
        .into_iter()
        .min_by_key(|(indicator, percent)| indicator.strength(indicator.band(*percent)))
        .filter(|(indicator, percent)| indicator.strength(indicator.band(*percent)) <= WEAK);
    if let Some((indicator, percent)) = weak {
        let band = indicator.band(percent);
        let monthly = matches!(&indicators.portfolio, Portfolio::Known(s) if s.monthly.is_some());
        let name = match indicator {
            Indicator::ShareSold if monthly => text.share_sold_monthly,
            _ => text.indicator_name(indicator),
        };
        let sentence = lexicon::weakest(
            locale,
            name,
            percent,
            text.band_name(indicator, band),
            text.advice(indicator, band, indicators.ai),
        );
        notes.push(Note::new(NoteLevel::Warning, sentence));
    }
    let said = |indicator| weak.is_some_and(|(weakest, _)| weakest == indicator);

    if let Portfolio::Known(share) = &indicators.portfolio
        && !said(Indicator::ShareSold)
    {
        let percent = share.banded_works();
        let band = Indicator::ShareSold.band(percent);
        let name = text.band_name(Indicator::ShareSold, band);
        let sentence = match share.monthly {
            Some(_) => lexicon::share_sold_monthly(locale, percent, name),
            None => lexicon::share_sold(locale, percent, share.works_sold, share.size, name),
        };
        notes.push(Note::new(level(Indicator::ShareSold, band), sentence));
    }

    if let Outcome::Known(new) = &indicators.new_work
        && !said(Indicator::NewWork)
    {
        let band = Indicator::NewWork.band(new.share_of_sales);
        let sentence = lexicon::new_work_share(
            locale,
            new.share_of_sales,
            text.band_name(Indicator::NewWork, band),
        );
        notes.push(Note::new(level(Indicator::NewWork, band), sentence));
    }
    notes
}
