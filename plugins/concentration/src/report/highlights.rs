//! The highlights, most important first: a single asset making more than a quarter of the
//! revenue, how many assets make half of it, and the long tail of assets sold once.

use stocklens_plugin_sdk::{Note, NoteLevel};

use super::Context;
use crate::lexicon;
use crate::spread::Bucket;

pub fn notes(cx: &Context<'_>) -> Vec<Note> {
    let spread = &cx.spread;
    let mut notes = Vec::new();
    notes.extend(cx.dominant_note());
    // With one asset, "1 asset makes half your revenue" only repeats the warning above.
    if spread.has_shares() && spread.assets() > 1 {
        let half = spread.half();
        notes.push(Note::new(
            NoteLevel::Info,
            lexicon::half_highlight(cx.locale, half, cx.asset_share(half)),
        ));
    }
    let once = spread.bucket(Bucket::One);
    if once.assets > 0 {
        notes.push(Note::new(
            NoteLevel::Info,
            lexicon::tail_highlight(
                cx.locale,
                once.assets,
                cx.asset_share(once.assets),
                cx.revenue_share(once.revenue),
            ),
        ));
    }
    notes
}
