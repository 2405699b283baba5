//! Minimal flag parsing for the binaries: `--name value` pairs and positionals. The tools
//! take a handful of flags between them, which does not justify a parser dependency.

use anyhow::{Context, Result, bail};

/// Flags and positionals as given.
#[derive(Debug, Default)]
pub struct Args {
    flags: Vec<(String, String)>,
    switches: Vec<String>,
    /// Arguments that are not flags, in order.
    pub positionals: Vec<String>,
}

impl Args {
    /// Reads `args` (without the program name); `switches` name flags that take no value.
    pub fn parse(args: impl IntoIterator<Item = String>, switches: &[&str]) -> Result<Args> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if switches.contains(&arg.as_str()) {
                parsed.switches.push(arg);
            } else if arg.starts_with('-') && arg.len() > 1 {
                let value = args
                    .next()
                    .with_context(|| format!("{arg} needs a value"))?;
                parsed.flags.push((arg, value));
            } else {
                parsed.positionals.push(arg);
            }
        }
        Ok(parsed)
    }

    /// The value of the first of `names` given, if any.
    pub fn value(&self, names: &[&str]) -> Option<&str> {
        self.flags
            .iter()
            .find(|(flag, _)| names.contains(&flag.as_str()))
            .map(|(_, value)| value.as_str())
    }

    /// A numeric flag, or `default` when absent.
    pub fn number(&self, names: &[&str], default: u64) -> Result<u64> {
        match self.value(names) {
            None => Ok(default),
            Some(text) => text
                .replace('_', "")
                .parse()
                .with_context(|| format!("{} must be a whole number", names[0])),
        }
    }

    /// Whether a switch was given.
    pub fn has(&self, switch: &str) -> bool {
        self.switches.iter().any(|s| s == switch)
    }

    /// Fails on flags other than `known`, so typos do not pass silently.
    pub fn only(&self, known: &[&str]) -> Result<()> {
        for (flag, _) in &self.flags {
            if !known.contains(&flag.as_str()) {
                bail!("unknown flag {flag}");
            }
        }
        Ok(())
    }
}
