//! Picks the parser for a file: every parser scores the file name and head, the best wins.
//!
//! A file can offer more than one head: a workbook's sheet can be rendered with commas or with
//! tabs, and each parser is shown both and judged by the one it likes better.
//!
//! A parser that fails while scoring is logged and left out, so one broken plugin cannot stop
//! every upload. When no parser is confident, or two are about equally confident, the choice is
//! left to the contributor (`--marketplace` on the command line, a button in the bot).

use std::sync::Arc;

use serde::Serialize;

use super::{AnalyzeError, Input, InputProblem};
use crate::plugin::parser_types::Detection;
use crate::plugin::{ParserInstance, Plugin, PluginError, Registry, Runtime};

/// Below this confidence a parser's claim is not enough to parse without asking.
pub const MIN_CONFIDENCE: u8 = 50;

/// Two parsers closer than this are a tie the contributor must break.
pub const TIE_MARGIN: u8 = 10;

/// One parser's opinion of a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// Parser id, what `--marketplace` takes.
    pub parser: String,
    /// Marketplace display name.
    pub marketplace: String,
    pub confidence: u8,
    pub reason: String,
}

/// The parser chosen for a file, with the instance that scored it (reused for the parse).
pub(super) struct Chosen {
    pub plugin: Arc<Plugin>,
    pub instance: ParserInstance,
    pub confidence: u8,
    pub reason: String,
    /// Which of the heads it was sure of.
    pub view: usize,
    /// The other parsers that claimed the file (at least [`MIN_CONFIDENCE`]), best first: what
    /// the contributor may pick instead. Empty when the parser was forced: the others were not
    /// asked.
    pub alternatives: Vec<Candidate>,
}

/// Asks every parser (or only the forced one) about the file; `heads` are the ways its start can
/// be shown, at least one.
pub(super) fn choose(
    runtime: &Runtime,
    registry: &Registry,
    input: &Input,
    heads: &[&[u8]],
    forced: Option<&str>,
) -> Result<Chosen, AnalyzeError> {
    if let Some(id) = forced {
        let plugin = registry
            .parser(id)
            .ok_or_else(|| AnalyzeError::UnknownMarketplace {
                id: id.to_owned(),
                known: registry
                    .parsers()
                    .iter()
                    .map(|p| p.info.id.clone())
                    .collect(),
            })?;
        let mut instance = runtime.parser(plugin)?;
        let (view, detection) = best_view(&mut instance, &input.name, heads)?;
        return Ok(Chosen {
            plugin: plugin.clone(),
            instance,
            confidence: detection.confidence,
            reason: format!("chosen with --marketplace ({})", detection.reason),
            view,
            alternatives: Vec::new(),
        });
    }

    let mut scored = Vec::with_capacity(registry.parsers().len());
    for plugin in registry.parsers() {
        let attempt = runtime.parser(plugin).and_then(|mut instance| {
            best_view(&mut instance, &input.name, heads).map(|found| (instance, found))
        });
        match attempt {
            Ok((instance, found)) => scored.push((plugin.clone(), instance, found)),
            Err(err) => tracing::warn!(file = %input.name, "{err}; left out of detection"),
        }
    }
    scored.sort_by_key(|(_, _, (_, detection))| std::cmp::Reverse(detection.confidence));
    let candidates: Vec<Candidate> = scored
        .iter()
        .map(|(plugin, _, (_, detection))| Candidate {
            parser: plugin.info.id.clone(),
            marketplace: plugin
                .info
                .marketplace
                .clone()
                .unwrap_or_else(|| plugin.info.name.clone()),
            confidence: detection.confidence,
            reason: detection.reason.clone(),
        })
        .collect();
    let problem = match candidates.as_slice() {
        [] => Some(InputProblem::UnknownFormat {
            candidates: Vec::new(),
        }),
        [best, ..] if best.confidence < MIN_CONFIDENCE => Some(InputProblem::UnknownFormat {
            candidates: candidates.clone(),
        }),
        [best, second, ..] if best.confidence - second.confidence < TIE_MARGIN => {
            Some(InputProblem::Ambiguous {
                candidates: candidates
                    .iter()
                    .take_while(|c| best.confidence - c.confidence < TIE_MARGIN)
                    .cloned()
                    .collect(),
            })
        }
        _ => None,
    };
    if let Some(problem) = problem {
        return Err(AnalyzeError::Input {
            file: input.name.clone(),
            problem,
        });
    }
    let alternatives = candidates
        .into_iter()
        .skip(1)
        .take_while(|c| c.confidence >= MIN_CONFIDENCE)
        .collect();
    let (plugin, instance, (view, detection)) = scored.swap_remove(0);
    Ok(Chosen {
        plugin,
        instance,
        confidence: detection.confidence,
        reason: detection.reason,
        view,
        alternatives,
    })
}

/// The head a parser is surest of, and what it said; the first on a tie.
fn best_view(
    instance: &mut ParserInstance,
    name: &str,
    heads: &[&[u8]],
) -> Result<(usize, Detection), PluginError> {
    let first = heads.first().copied().unwrap_or_default();
    let mut best = (0, instance.detect(name, first)?);
    for (view, head) in heads.iter().enumerate().skip(1) {
        let detection = instance.detect(name, head)?;
        if detection.confidence > best.1.confidence {
            best = (view, detection);
        }
    }
    Ok(best)
}
