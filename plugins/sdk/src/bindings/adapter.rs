//! Runs an author's trait implementations behind the generated `Guest` traits.
//!
//! Every [`Parser`] is a parser `Guest` and every [`Analyzer`] an analyzer `Guest` through blanket
//! implementations, so the `register_*!` macros only name the author's type. Resources hold the
//! author's session in a `RefCell` because generated resource methods take `&self`; the host never
//! calls into one instance re-entrantly, so a borrow never fails.

use std::cell::RefCell;

use super::analyzer_world::exports::stocklens::plugin::analyzer as wa;
use super::convert::sales_from_wit;
use super::parser_world::exports::stocklens::plugin::parser as wp;
use super::parser_world::stocklens::plugin::types as wt;
use crate::{Analysis, Analyzer, ParseSession, Parser};

impl<P: Parser> wp::Guest for P {
    type Session = SessionResource<P::Session>;

    fn info() -> wt::PluginInfo {
        P::info().into()
    }

    fn detect(file_name: String, head: Vec<u8>) -> wp::Detection {
        P::detect(&file_name, &head).into()
    }

    fn samples() -> Vec<wp::Sample> {
        P::samples().into_iter().map(Into::into).collect()
    }
}

/// A parse session as a WIT resource.
pub struct SessionResource<S>(RefCell<S>);

impl<S: ParseSession> wp::GuestSession for SessionResource<S> {
    fn new(file_name: String) -> Self {
        SessionResource(RefCell::new(S::new(&file_name)))
    }

    fn feed(&self, chunk: Vec<u8>) -> Result<wp::Batch, wp::ParseError> {
        self.0
            .borrow_mut()
            .feed(&chunk)
            .map(Into::into)
            .map_err(Into::into)
    }

    fn finish(&self) -> Result<(wp::Batch, wp::ParseSummary), wp::ParseError> {
        match self.0.borrow_mut().finish() {
            Ok((batch, summary)) => Ok((batch.into(), summary.into())),
            Err(error) => Err(error.into()),
        }
    }
}

impl<A: Analyzer> wa::Guest for A {
    type Analysis = AnalysisResource<A::Analysis>;

    fn info() -> wt::PluginInfo {
        A::info().into()
    }
}

/// An analysis as a WIT resource.
pub struct AnalysisResource<T>(RefCell<T>);

impl<T: Analysis> wa::GuestAnalysis for AnalysisResource<T> {
    fn new(request: wa::Request) -> Self {
        AnalysisResource(RefCell::new(T::new(request.into())))
    }

    fn feed(&self, source: String, scope: wa::Scope, sales: wt::SaleBatch) {
        self.0
            .borrow_mut()
            .feed(&source, scope.into(), sales_from_wit(sales));
    }

    fn finish(&self) -> Result<wa::Report, String> {
        self.0.borrow_mut().finish().map(Into::into)
    }
}
