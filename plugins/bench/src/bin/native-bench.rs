//! `native-bench FILE [--baseline]`: times the Adobe Stock parser and the overview analyzer on an
//! Activity export natively, fed as the host feeds their components; `--baseline` also times a
//! plain `csv`-crate read of the same bytes.

use anyhow::{Context, Result};
use bench::args::Args;
use bench::harness::{csv_baseline, run};

const USAGE: &str = "usage: native-bench FILE [--baseline]";

fn main() -> Result<()> {
    let args = Args::parse(std::env::args().skip(1), &["--baseline"])?;
    args.only(&[]).context(USAGE)?;
    let path = args.positionals.first().context(USAGE)?;
    let data = std::fs::read(path).with_context(|| format!("cannot read {path}"))?;
    let file_name = std::path::Path::new(path)
        .file_name()
        .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
    println!("file:          {path} ({:.1} MB)", data.len() as f64 / 1e6);
    if args.has("--baseline") {
        let (rows, elapsed) = csv_baseline(&data)?;
        println!(
            "csv baseline:  {:.3} s for {rows} records",
            elapsed.as_secs_f64()
        );
    }
    let measurement = run(&file_name, &data)?;
    for line in measurement.lines(data.len()) {
        println!("{line}");
    }
    Ok(())
}
