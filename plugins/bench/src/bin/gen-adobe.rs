//! `gen-adobe --rows N --assets K --seed S -o FILE`: writes a deterministic, realistic Adobe
//! Stock Activity export for benchmarks. Keep big outputs out of git (use target/bench/).

use std::fs::File;
use std::io::BufWriter;

use anyhow::{Context, Result};
use bench::args::Args;
use bench::generate::{Spec, write_activity};

const USAGE: &str = "usage: gen-adobe --rows N --assets K --seed S -o FILE";

fn main() -> Result<()> {
    let args = Args::parse(std::env::args().skip(1), &[])?;
    args.only(&["--rows", "--assets", "--seed", "-o", "--output"])
        .context(USAGE)?;
    let spec = Spec {
        rows: args.number(&["--rows"], 1_000_000)?,
        assets: args.number(&["--assets"], 20_000)?,
        seed: args.number(&["--seed"], 1)?,
    };
    let path = args.value(&["-o", "--output"]).context(USAGE)?;
    let file = File::create(path).with_context(|| format!("cannot create {path}"))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let cents = write_activity(spec, &mut out).with_context(|| format!("cannot write {path}"))?;
    std::io::Write::flush(&mut out).with_context(|| format!("cannot write {path}"))?;
    println!(
        "wrote {} rows, {} assets, total royalty ${}.{:02} to {path}",
        spec.rows,
        spec.assets,
        cents / 100,
        cents % 100
    );
    Ok(())
}
