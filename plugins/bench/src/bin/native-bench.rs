//! `native-bench FILE [--format FORMAT] [--baseline]`: times a built-in parser (Adobe Stock's by
//! default; `--format` as `gen-export` names them) and the overview analyzer on an export
//! natively, fed as the host feeds their components; `--baseline` also times a plain `csv`-crate
//! read of the same bytes. Natively compiled, the parsers can be profiled with `perf`.

use anyhow::{Context, Result, bail};
use bench::args::Args;
use bench::generate::Format;
use bench::harness::{csv_baseline, run_with};

const USAGE: &str = "usage: native-bench FILE [--format FORMAT] [--baseline]";

fn main() -> Result<()> {
    let args = Args::parse(std::env::args().skip(1), &["--baseline"])?;
    args.only(&["--format"]).context(USAGE)?;
    let path = args.positionals.first().context(USAGE)?;
    let format = match args.value(&["--format"]) {
        None => Format::AdobeStock,
        Some(name) => Format::from_name(name).with_context(|| format!("unknown format {name}"))?,
    };
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
    let measurement = match format {
        Format::AdobeStock => {
            run_with::<adobe_stock::AdobeSession>(adobe_stock::ID, &file_name, &data)
        }
        Format::IstockGetty => {
            run_with::<istock_getty::GettySession>(istock_getty::ID, &file_name, &data)
        }
        Format::Freepik => run_with::<freepik::FreepikSession>(freepik::ID, &file_name, &data),
        Format::Envato16 | Format::Envato7 => {
            run_with::<envato_market::EnvatoSession>(envato_market::ID, &file_name, &data)
        }
        Format::Generic => run_with::<generic::GenericSession>(generic::ID, &file_name, &data),
        Format::Shutterstock => {
            run_with::<shutterstock::ShutterstockSession>(shutterstock::ID, &file_name, &data)
        }
    }?;
    if measurement.rows == 0 {
        bail!("no rows read: is {path} a {} export?", format.name());
    }
    for line in measurement.lines(data.len()) {
        println!("{line}");
    }
    Ok(())
}
