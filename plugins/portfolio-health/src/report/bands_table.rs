//! The "How to read the bands" reference table: every band of every indicator with its range
//! and advice, and a note on which side a value exactly on a threshold goes.

use stocklens_plugin_sdk::{Block, Note, NoteLevel, Table, Value};

use super::Context;
use crate::bands::Indicator;
use crate::lexicon;

pub fn blocks(cx: &Context<'_>) -> Vec<Block> {
    let text = cx.text;
    let mut rows = Vec::new();
    for indicator in Indicator::ALL {
        for band in 0..indicator.band_count() {
            let (from, to) = indicator.range(band);
            rows.push(vec![
                Value::Text(text.indicator_name(indicator).into()),
                from.map_or(Value::Empty, Value::Percent),
                to.map_or(Value::Empty, Value::Percent),
                Value::Text(text.band_name(indicator, band).into()),
                Value::Text(text.advice(indicator, band, cx.indicators.ai).into()),
            ]);
        }
    }
    vec![
        Block::Table(Table {
            title: Some(text.bands_title.into()),
            columns: vec![
                text.indicator.into(),
                text.from.into(),
                text.to.into(),
                text.band.into(),
                text.what_to_do.into(),
            ],
            rows,
        }),
        Block::Note(Note::new(NoteLevel::Info, lexicon::boundaries(cx.locale))),
    ]
}
