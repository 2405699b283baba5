//! The report-generator side of the interface: the [`Analyzer`] and [`Analysis`] traits and the
//! request a report is asked with.
//!
//! An analysis is fed every batch of sales, tagged with where it came from and whether it is in
//! the selection, then finished once. It must not assume it sees all sales at once: memory should
//! grow with what it summarises (assets, months), not with the number of sales.

use crate::report::Report;
use crate::types::{Date, MediaType, PluginInfo, SaleRef};

/// The selection the contributor asked for.
///
/// ```
/// use stocklens_plugin_sdk::{Date, Filters, MediaType};
/// let july_photos = Filters {
///     from: Date::new(2025, 7, 1),
///     to: Date::new(2025, 7, 31),
///     media: Some(MediaType::Photo),
/// };
/// let in_period = |date: Date| {
///     let after_start = july_photos.from.is_none_or(|from| date >= from);
///     after_start && july_photos.to.is_none_or(|to| date <= to)
/// };
/// assert!(in_period(Date { year: 2025, month: 7, day: 14 }));
/// assert!(!in_period(Date { year: 2025, month: 8, day: 1 }));
/// // The default selects everything.
/// assert_eq!(Filters::default().media, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// First day included, if the period is bounded.
    pub from: Option<Date>,
    /// Last day included, if the period is bounded.
    pub to: Option<Date>,
    /// Only this media type, or every type when absent.
    pub media: Option<MediaType>,
}

/// Per week or per month.
///
/// ```
/// use stocklens_plugin_sdk::{LimitPeriod, UploadLimit};
/// let per_month = |limit: UploadLimit| match limit.per {
///     LimitPeriod::Week => limit.count * 52 / 12,
///     LimitPeriod::Month => limit.count,
/// };
/// assert_eq!(per_month(UploadLimit { count: 500, per: LimitPeriod::Week }), 2166);
/// assert_eq!(per_month(UploadLimit { count: 500, per: LimitPeriod::Month }), 500);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitPeriod {
    /// Per week.
    Week,
    /// Per month.
    Month,
}

/// The marketplace's upload limit.
///
/// ```
/// use stocklens_plugin_sdk::{LimitPeriod, PortfolioFacts, UploadLimit};
/// let facts = PortfolioFacts {
///     upload_limit: Some(UploadLimit { count: 10_000, per: LimitPeriod::Week }),
///     uploads_in_period: Some(2_500),
///     ..PortfolioFacts::default()
/// };
/// let percent_used = match (facts.upload_limit, facts.uploads_in_period) {
///     (Some(limit), Some(uploads)) => Some(uploads * 100 / limit.count),
///     _ => None,
/// };
/// assert_eq!(percent_used, Some(25));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UploadLimit {
    /// Files allowed per period.
    pub count: u32,
    /// The period.
    pub per: LimitPeriod,
}

/// What the contributor mainly produces.
///
/// ```
/// use stocklens_plugin_sdk::{ContentFocus, MediaType};
/// // AI work is sold as photos or illustrations, so it has no media type of its own.
/// let media = |focus: ContentFocus| match focus {
///     ContentFocus::Ai => None,
///     ContentFocus::Photo => Some(MediaType::Photo),
///     ContentFocus::Illustration => Some(MediaType::Illustration),
///     ContentFocus::Video => Some(MediaType::Video),
///     ContentFocus::Vector => Some(MediaType::Vector),
/// };
/// assert_eq!(media(ContentFocus::Vector), Some(MediaType::Vector));
/// assert_eq!(media(ContentFocus::Ai), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentFocus {
    /// AI-generated work.
    Ai,
    /// Photography.
    Photo,
    /// Illustration.
    Illustration,
    /// Video.
    Video,
    /// Vector graphics.
    Vector,
}

/// Facts about the portfolio that no export carries. `None` means "not given": a zero is a real
/// zero.
///
/// ```
/// use stocklens_plugin_sdk::PortfolioFacts;
/// let not_given = PortfolioFacts::default();
/// let empty = PortfolioFacts { portfolio_size: Some(0), ..PortfolioFacts::default() };
/// assert_eq!(not_given.portfolio_size, None);
/// assert_ne!(not_given, empty); // a zero is a real zero
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PortfolioFacts {
    /// Files online.
    pub portfolio_size: Option<u32>,
    /// The marketplace's upload limit.
    pub upload_limit: Option<UploadLimit>,
    /// Files uploaded within the selected period.
    pub uploads_in_period: Option<u32>,
    /// Share of submissions accepted, in percent (0 to 100).
    pub acceptance_rate: Option<f64>,
    /// What the contributor mainly produces.
    pub main_content: Option<ContentFocus>,
}

/// What a report is asked for.
///
/// ```
/// use stocklens_plugin_sdk::{Date, Filters, Locale, PortfolioFacts, Request};
/// let request = Request {
///     locale: "ru".into(),
///     filters: Filters::default(),
///     facts: PortfolioFacts::default(),
///     today: Date { year: 2025, month: 10, day: 1 },
/// };
/// assert_eq!(Locale::from_tag(&request.locale), Locale::Ru);
/// assert_eq!(Locale::from_tag(&request.locale).date(request.today), "1 октября 2025");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// "en" or "ru"; texts the analyzer writes must be in this language.
    pub locale: String,
    /// The selection.
    pub filters: Filters,
    /// Facts the contributor gave.
    pub facts: PortfolioFacts,
    /// Today's date, the only clock a plugin has.
    pub today: Date,
}

/// Where a batch of sales belongs.
///
/// ```
/// use stocklens_plugin_sdk::Scope;
/// // A generator comparing the selection with the rest of the history keeps one sum per scope.
/// let mut units = [0i64; 2];
/// for (scope, sold) in [(Scope::Selected, 2), (Scope::History, 5), (Scope::Selected, 1)] {
///     let slot = match scope {
///         Scope::Selected => 0,
///         Scope::History => 1,
///     };
///     units[slot] += sold;
/// }
/// assert_eq!(units, [3, 5]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Inside the selected period and content type: what the report is about.
    Selected,
    /// Elsewhere in the contributor's history: for comparisons only.
    History,
}

/// A report generator. Implement it on a unit struct and pass that to
/// [`register_analyzer!`](crate::register_analyzer).
///
/// ```
/// use stocklens_plugin_sdk::*;
///
/// struct Count;
/// struct CountAnalysis { sales: i64 }
///
/// impl Analyzer for Count {
///     type Analysis = CountAnalysis;
///     fn info() -> PluginInfo {
///         PluginInfo {
///             id: "count".into(),
///             name: "Sales count".into(),
///             version: "1.0.0".into(),
///             kind: PluginKind::Analyzer,
///             marketplace: None,
///             description: "Counts sales.".into(),
///         }
///     }
/// }
///
/// impl Analysis for CountAnalysis {
///     fn new(_request: Request) -> Self {
///         CountAnalysis { sales: 0 }
///     }
///     fn feed(&mut self, _source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
///         if scope == Scope::Selected {
///             self.sales += sales.iter().map(|s| i64::from(s.units)).sum::<i64>();
///         }
///     }
///     fn finish(&mut self) -> Result<Report, String> {
///         let kpi = Kpi { label: "Sales".into(), value: Value::Integer(self.sales), note: None };
///         let section = Section {
///             id: "count".into(),
///             title: "Sales".into(),
///             blocks: vec![Block::Kpis(vec![kpi])],
///         };
///         Ok(Report { sections: vec![section], highlights: Vec::new() })
///     }
/// }
///
/// register_analyzer!(Count);
/// ```
pub trait Analyzer {
    /// One report.
    type Analysis: Analysis;

    /// Describes the plugin. Must return the same value on every call.
    fn info() -> PluginInfo;

    /// The scopes of sales this generator reads; the host feeds it only batches of these. The
    /// default reads both. A generator about the selection alone returns
    /// `vec![Scope::Selected]`, and the contributor's history is never copied into it.
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Analyzer, Scope};
    /// # struct Count;
    /// # impl stocklens_plugin_sdk::Analysis for Count {
    /// #     fn new(_: stocklens_plugin_sdk::Request) -> Self { Count }
    /// #     fn feed(&mut self, _: &str, _: Scope, _: &[stocklens_plugin_sdk::SaleRef<'_>]) {}
    /// #     fn finish(&mut self) -> Result<stocklens_plugin_sdk::Report, String> {
    /// #         Ok(stocklens_plugin_sdk::Report { sections: Vec::new(), highlights: Vec::new() })
    /// #     }
    /// # }
    /// struct SelectionOnly;
    /// impl Analyzer for SelectionOnly {
    ///     type Analysis = Count;
    ///     fn info() -> stocklens_plugin_sdk::PluginInfo {
    ///         stocklens_plugin_sdk::PluginInfo {
    ///             id: "selection-only".into(),
    ///             name: "Selection only".into(),
    ///             version: "1.0.0".into(),
    ///             kind: stocklens_plugin_sdk::PluginKind::Analyzer,
    ///             marketplace: None,
    ///             description: "Reads the selection alone.".into(),
    ///         }
    ///     }
    ///     fn reads() -> Vec<Scope> {
    ///         vec![Scope::Selected]
    ///     }
    /// }
    /// assert_eq!(SelectionOnly::reads(), vec![Scope::Selected]);
    /// ```
    fn reads() -> Vec<Scope> {
        vec![Scope::Selected, Scope::History]
    }
}

/// One report: fed every batch of sales, then finished once.
///
/// ```
/// use stocklens_plugin_sdk::testing::{HISTORY, SELECTED, analyze, kpi, request, sale, section};
/// use stocklens_plugin_sdk::{
///     Analysis, Block, Kpi, Report, Request, SaleRef, Scope, Section, Value,
/// };
///
/// /// Units sold in the selection.
/// struct Units {
///     selected: i64,
/// }
///
/// impl Analysis for Units {
///     fn new(_request: Request) -> Self {
///         Units { selected: 0 }
///     }
///     fn feed(&mut self, _source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
///         if scope == Scope::Selected {
///             self.selected += sales.iter().map(|s| i64::from(s.units)).sum::<i64>();
///         }
///     }
///     fn finish(&mut self) -> Result<Report, String> {
///         let value = Value::Integer(self.selected);
///         let kpi = Kpi { label: "Units".into(), value, note: None };
///         let blocks = vec![Block::Kpis(vec![kpi])];
///         let section = Section { id: "units".into(), title: "Units".into(), blocks };
///         Ok(Report { sections: vec![section], highlights: Vec::new() })
///     }
/// }
///
/// let report = analyze::<Units>(
///     request("en", "2025-10-01"),
///     vec![
///         ("adobe-stock", SELECTED, vec![sale("2025-07-14", "A1", 2, 1_980_000, "USD")]),
///         ("adobe-stock", HISTORY, vec![sale("2024-07-14", "A1", 5, 4_950_000, "USD")]),
///     ],
/// );
/// assert_eq!(kpi(section(&report, "units"), "Units"), &Value::Integer(2));
/// ```
pub trait Analysis: Sized + 'static {
    /// Starts a report for `request`.
    fn new(request: Request) -> Self;

    /// Takes one batch of sales from `source` (the parser id), in or out of the selection.
    /// The sales borrow their strings from the batch: copy only what the report keeps.
    fn feed(&mut self, source: &str, scope: Scope, sales: &[SaleRef<'_>]);

    /// Ends the input and builds the report. An `Err` fails the report with that English
    /// message; an empty selection is not an error but a report that says so.
    fn finish(&mut self) -> Result<Report, String>;
}
