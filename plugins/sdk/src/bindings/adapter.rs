//! Runs an author's trait implementations behind the generated `Guest` traits.
//!
//! Every [`Parser`] is a parser `Guest` and every [`Analyzer`] an analyzer `Guest` through blanket
//! implementations, so the `register_*!` macros only name the author's type. Resources hold the
//! author's session in a `RefCell` because generated resource methods take `&self`; the host never
//! calls into one instance re-entrantly, so a borrow never fails.

use std::cell::RefCell;

use super::analyzer_world::exports::stocklens::plugin::analyzer as wa;
use super::convert::lend_wit;
use super::parser_world::exports::stocklens::plugin::parser as wp;
use super::parser_world::stocklens::plugin::types as wt;
use crate::row_session::fit_sales;
use crate::{Analysis, Analyzer, Batch, ParseSession, Parser, RowIssue};

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
pub struct SessionResource<S>(RefCell<Fitted<S>>);

/// The author's session, and how many of its sales were left out for breaking the host's limits.
pub struct Fitted<S> {
    session: S,
    unfit: u64,
}

impl<S> Fitted<S> {
    /// The last line of defence for [`Sale::fit`](crate::Sale::fit), for sessions that do not
    /// fit their sales themselves (a [`RowSession`](crate::RowSession) does, with line numbers):
    /// a sale the host would refuse is left out with a row issue, rather than failing the whole
    /// parse as invalid output.
    fn fit(&mut self, batch: &mut Batch) {
        let before = batch.sales.len();
        if let Some(message) = fit_sales(&mut batch.sales, 0) {
            let removed = (before - batch.sales.len()) as u64;
            self.unfit += removed;
            batch.issues.push(RowIssue::new(
                0,
                format!("{removed} sale(s) left out: {message}"),
            ));
        }
    }
}

impl<S: ParseSession> wp::GuestSession for SessionResource<S> {
    fn new(file_name: String) -> Self {
        SessionResource(RefCell::new(Fitted {
            session: S::new(&file_name),
            unfit: 0,
        }))
    }

    fn feed(&self, chunk: Vec<u8>) -> Result<wp::Batch, wp::ParseError> {
        let mut fitted = self.0.borrow_mut();
        let mut batch = fitted.session.feed(&chunk).map_err(wp::ParseError::from)?;
        fitted.fit(&mut batch);
        Ok(batch.into())
    }

    fn finish(&self) -> Result<(wp::Batch, wp::ParseSummary), wp::ParseError> {
        let mut fitted = self.0.borrow_mut();
        let (mut batch, mut summary) = fitted.session.finish().map_err(wp::ParseError::from)?;
        fitted.fit(&mut batch);
        summary.rows_skipped = (summary.rows_skipped + fitted.unfit).min(summary.rows);
        Ok((batch.into(), summary.into()))
    }
}

impl<A: Analyzer> wa::Guest for A {
    type Analysis = AnalysisResource<A::Analysis>;

    fn info() -> wt::PluginInfo {
        A::info().into()
    }

    fn reads() -> Vec<wa::Scope> {
        A::reads()
            .into_iter()
            .map(|scope| match scope {
                crate::Scope::Selected => wa::Scope::Selected,
                crate::Scope::History => wa::Scope::History,
            })
            .collect()
    }
}

/// An analysis as a WIT resource.
pub struct AnalysisResource<T>(RefCell<T>);

impl<T: Analysis> wa::GuestAnalysis for AnalysisResource<T> {
    fn new(request: wa::Request) -> Self {
        AnalysisResource(RefCell::new(T::new(request.into())))
    }

    fn feed(&self, source: String, scope: wa::Scope, sales: wt::SaleBatch) {
        let mut analysis = self.0.borrow_mut();
        let scope = scope.into();
        lend_wit(&sales, |lent| analysis.feed(&source, scope, lent));
    }

    fn finish(&self) -> Result<wa::Report, String> {
        self.0.borrow_mut().finish().map(Into::into)
    }
}
