//! The portfolio-fact flags `analyze` and `submit` share, read by the pipeline's own parsers
//! ([`crate::pipeline::facts`]) so the command line and the bot accept the same values.

use crate::jobs::AnalysisRequest;
use crate::pipeline::facts::{self, ContentChoice};
use crate::plugin::analyzer_types::{ContentFocus, PortfolioFacts, UploadLimit};

#[derive(Debug, clap::Args)]
pub struct FactsArgs {
    /// What the portfolio mainly holds: ai | photo | illustration | video | vector
    #[arg(long, value_name = "T", value_parser = facts::parse_content_focus)]
    main_content: Option<ContentFocus>,
    /// Files online in the portfolio
    #[arg(long, value_name = "N")]
    portfolio_size: Option<u32>,
    /// Upload limit, per month unless "/week" is added (e.g. 500 or 100/week)
    #[arg(long, value_name = "N[/week]", value_parser = facts::parse_upload_limit)]
    upload_limit: Option<UploadLimit>,
    /// Files uploaded in the selected period
    #[arg(long, value_name = "N")]
    uploads: Option<u32>,
    /// Share of submissions accepted, in percent (e.g. 65 or 65%)
    #[arg(long, value_name = "P", value_parser = facts::parse_percent)]
    acceptance_rate: Option<f64>,
}

impl FactsArgs {
    /// The facts for the report generators; an error when `--main-content` contradicts what
    /// the content type says (`--content-type ai --main-content photo`).
    pub fn facts(&self, content: ContentChoice) -> Result<PortfolioFacts, String> {
        Ok(PortfolioFacts {
            portfolio_size: self.portfolio_size,
            upload_limit: self.upload_limit,
            uploads_in_period: self.uploads,
            acceptance_rate: self.acceptance_rate,
            main_content: content.main_content(self.main_content)?,
        })
    }

    /// Sets the request's fact answers from the flags.
    pub fn answer(&self, request: &mut AnalysisRequest) {
        request.main_content = self
            .main_content
            .map(|focus| facts::content_focus_name(focus).to_owned());
        request.portfolio_size = self.portfolio_size;
        request.upload_limit = self.upload_limit.map(Into::into);
        request.uploads_in_period = self.uploads;
        request.acceptance_rate = self.acceptance_rate;
    }
}
