// The body of the `test-probe` analyzer, shared by its three builds (test-probe-1, test-probe-2
// and test-probe-trap), which differ only in `VERSION` and `TRAPS`. The host's hot-swap tests
// install them as versions of one plugin and check which one made each report.

use stocklens_plugin_sdk::{
    Analysis, Analyzer, Block, Kpi, PluginInfo, PluginKind, Report, Request, SaleRef, Scope,
    Section, Value, register_analyzer,
};

/// The plugin.
pub struct TestProbe;

/// One report: counts the selected sales.
pub struct ProbeAnalysis {
    sales: i64,
}

impl Analyzer for TestProbe {
    type Analysis = ProbeAnalysis;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-probe".into(),
            name: "Test: probe".into(),
            version: VERSION.into(),
            kind: PluginKind::Analyzer,
            marketplace: None,
            description: "Names its own version in the report; for hot-swap tests only.".into(),
        }
    }
}

impl Analysis for ProbeAnalysis {
    fn new(_request: Request) -> Self {
        ProbeAnalysis { sales: 0 }
    }

    fn feed(&mut self, _source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
        if scope == Scope::Selected {
            self.sales += sales.iter().map(|s| i64::from(s.units)).sum::<i64>();
        }
    }

    fn finish(&mut self) -> Result<Report, String> {
        // The trapping build passes its validation (the host's sample file has 8 sales) and
        // fails on real exports: the bug its samples did not catch.
        if TRAPS && self.sales > 10 {
            panic!("test-probe {VERSION}: finish() traps on purpose");
        }
        let kpi = Kpi {
            label: format!("Probe {VERSION}"),
            value: Value::Integer(self.sales),
            note: None,
        };
        Ok(Report {
            sections: vec![Section {
                id: "test-probe".into(),
                title: format!("Probe {VERSION}"),
                blocks: vec![Block::Kpis(vec![kpi])],
            }],
            highlights: Vec::new(),
        })
    }
}

register_analyzer!(TestProbe);
