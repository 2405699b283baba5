//! Builds the plugin workspace (`../plugins`) for wasm32-wasip2 and hands the built-in
//! components to the host, which embeds them, so a fresh clone works with one command.
//!
//! The nested cargo build uses its own target directory inside the shared one
//! (`target/plugins`), so it neither fights the outer build for its lock nor rebuilds when the
//! host changes. The purpose-built misbehaving test plugins are built alongside but never
//! embedded; tests find them through `STOCKLENS_PLUGIN_WASM_DIR`.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Plugins embedded in the binary: (cargo package, artifact file name).
const BUILTIN: &[(&str, &str)] = &[
    ("adobe-stock", "adobe_stock.wasm"),
    ("istock-getty", "istock_getty.wasm"),
    ("freepik", "freepik.wasm"),
    ("envato-market", "envato_market.wasm"),
    ("shutterstock", "shutterstock.wasm"),
    ("generic", "generic.wasm"),
    ("overview", "overview.wasm"),
    ("trends", "trends.wasm"),
    ("portfolio-health", "portfolio_health.wasm"),
    ("concentration", "concentration.wasm"),
    ("marketplaces", "marketplaces.wasm"),
];

/// Plugins built for the sandbox tests only.
const TEST_PLUGINS: &[&str] = &[
    "test-spin",
    "test-membomb",
    "test-panic",
    "test-bad-output",
    "test-bad-samples",
    "test-probe-1",
    "test-probe-2",
    "test-probe-trap",
    "test-escape",
    "test-stack-overflow",
    "test-bad-utf8",
    "test-bad-values",
    "test-huge-output",
    "test-log-flood",
    "test-greedy",
];

const TARGET: &str = "wasm32-wasip2";

/// Lines of the nested build's errors repeated when it fails: enough for the first compiler
/// error with its context.
const MAX_REPORTED_LINES: usize = 40;

/// Environment of the outer build that must not leak into the nested one: host rustflags would
/// be applied to wasm code, and the outer target dir and jobserver belong to the outer build.
const LEAKY_ENV: &[&str] = &[
    "CARGO_ENCODED_RUSTFLAGS",
    "RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET",
    "CARGO_MAKEFLAGS",
    "MAKEFLAGS",
    "MFLAGS",
    "CARGO_INCREMENTAL",
    "RUSTC_WORKSPACE_WRAPPER",
];

fn main() {
    let manifest_dir =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest_dir
        .parent()
        .expect("host/ lives inside the repository")
        .to_path_buf();
    let plugins = root.join("plugins");
    watch(&plugins, &root.join("wit"));
    // sqlx::migrate! embeds these; a new migration file must rebuild the host.
    println!(
        "cargo::rerun-if-changed={}",
        root.join("migrations").display()
    );

    if !target_installed() {
        println!("cargo::error=the {TARGET} target is missing: run `rustup target add {TARGET}`");
        return;
    }

    let target_dir = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("plugins");
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    // From inside plugins/, so that plugins/.cargo/config.toml (wasm target features) applies.
    build
        .current_dir(&plugins)
        .args([
            "build",
            "--release",
            "--locked",
            "--target",
            TARGET,
            "--manifest-path",
        ])
        .arg(plugins.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir);
    for package in BUILTIN
        .iter()
        .map(|(package, _)| *package)
        .chain(TEST_PLUGINS.iter().copied())
    {
        build.args(["-p", package]);
    }
    for name in LEAKY_ENV {
        build.env_remove(name);
    }
    let output = build
        .output()
        .expect("could not run cargo to build the plugins");
    if !output.status.success() {
        // Cargo hides a build script's output unless it fails hard, so the nested build's own
        // errors are repeated as error lines: they are what the developer needs to see.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let errors = stderr
            .lines()
            .skip_while(|line| !line.trim_start().starts_with("error"))
            .take(MAX_REPORTED_LINES);
        for line in errors {
            println!("cargo::error={line}");
        }
        println!(
            "cargo::error=building the plugins in {} for {TARGET} failed",
            plugins.display()
        );
        return;
    }

    let artifacts = target_dir.join(TARGET).join("release");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (_, file) in BUILTIN {
        let from = artifacts.join(file);
        std::fs::copy(&from, out_dir.join(file))
            .unwrap_or_else(|err| panic!("copying {}: {err}", from.display()));
    }
    println!(
        "cargo::rustc-env=STOCKLENS_PLUGIN_WASM_DIR={}",
        artifacts.display()
    );
}

/// Rebuild when any plugin source or the WIT changes (not when plugin build output does).
fn watch(plugins: &Path, wit: &Path) {
    println!("cargo::rerun-if-changed={}", wit.display());
    println!(
        "cargo::rerun-if-changed={}",
        plugins.join("Cargo.toml").display()
    );
    println!(
        "cargo::rerun-if-changed={}",
        plugins.join("Cargo.lock").display()
    );
    let Ok(entries) = std::fs::read_dir(plugins) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && entry.file_name() != "target" {
            println!("cargo::rerun-if-changed={}", path.display());
        }
    }
}

/// Whether the toolchain building us has the wasm target's standard library.
fn target_installed() -> bool {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(output) = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", TARGET])
        .output()
    else {
        return false;
    };
    let libdir = String::from_utf8_lossy(&output.stdout);
    output.status.success() && Path::new(libdir.trim()).is_dir()
}
