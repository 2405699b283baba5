//! `gen-export --format FORMAT (--rows N | --megabytes M) [--assets K] [--seed S] -o PATH`:
//! writes a deterministic, realistic export of one built-in format for benchmarks. With
//! `--format all`, PATH is a directory and every format is written into it under the file name
//! its marketplace would give it (what `cargo bench -p stocklens --bench formats` reads). Keep big
//! outputs out of git (use target/bench/).

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use anyhow::{Context, Result, bail};
use bench::args::Args;
use bench::generate::{Format, Spec};

const USAGE: &str = "usage: gen-export --format FORMAT|all (--rows N | --megabytes M) [--assets K] [--seed S] -o PATH";

fn main() -> Result<()> {
    let args = Args::parse(std::env::args().skip(1), &[])?;
    args.only(&[
        "--format",
        "--rows",
        "--megabytes",
        "--assets",
        "--seed",
        "-o",
        "--output",
    ])
    .context(USAGE)?;
    let name = args.value(&["--format"]).context(USAGE)?;
    let output = args.value(&["-o", "--output"]).context(USAGE)?;
    let assets = args.number(&["--assets"], 20_000)?;
    let seed = args.number(&["--seed"], 1)?;
    let size = match (args.value(&["--rows"]), args.value(&["--megabytes"])) {
        (Some(_), None) => Size::Rows(args.number(&["--rows"], 0)?),
        (None, Some(_)) => Size::Bytes(args.number(&["--megabytes"], 0)? * 1_000_000),
        _ => bail!("give either --rows or --megabytes\n{USAGE}"),
    };
    if name == "all" {
        std::fs::create_dir_all(output).with_context(|| format!("cannot create {output}"))?;
        for format in Format::ALL {
            let path = Path::new(output).join(format.file_name());
            generate(format, size, assets, seed, &path)?;
        }
        return Ok(());
    }
    let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
    let format = Format::from_name(name)
        .with_context(|| format!("unknown format {name}; known: {}, all", known.join(", ")))?;
    generate(format, size, assets, seed, Path::new(output))
}

/// How big a file to write.
#[derive(Clone, Copy)]
enum Size {
    Rows(u64),
    Bytes(u64),
}

fn generate(format: Format, size: Size, assets: u64, seed: u64, path: &Path) -> Result<()> {
    let rows = match size {
        Size::Rows(rows) => rows,
        Size::Bytes(bytes) => format.rows_for_bytes(bytes, assets, seed)?,
    };
    let spec = Spec { rows, assets, seed };
    let shown = path.display();
    let file = File::create(path).with_context(|| format!("cannot create {shown}"))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let written = format
        .write(spec, &mut out)
        .with_context(|| format!("cannot write {shown}"))?;
    std::io::Write::flush(&mut out).with_context(|| format!("cannot write {shown}"))?;
    let bytes = std::fs::metadata(path)
        .with_context(|| format!("cannot read {shown}"))?
        .len();
    println!(
        "{}: {} rows, {bytes} bytes, earnings {} micros, to {shown}",
        format.name(),
        written.rows,
        written.micros
    );
    Ok(())
}
