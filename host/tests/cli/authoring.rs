//! The plugin author's commands without a service: `plugin new` refuses bad ids and occupied
//! directories, `plugin inspect` describes built and broken components, `plugin test` checks a
//! built-in parser against the repository's examples and refuses what it cannot test.

use std::path::Path;

use stocklens::plugin::builtin::BUILD_ARTIFACT_DIR;

use super::helpers::{Run, repo, stocklens};

fn run(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("scratch directory");
    let mut command = stocklens();
    command.current_dir(dir.path()).args(args);
    Run::of(command, dir)
}

fn artifact(file: &str) -> String {
    Path::new(BUILD_ARTIFACT_DIR)
        .join(file)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn plugin_new_refuses_bad_ids_and_occupied_directories() {
    for bad in ["9lives", "My-Market", "my_market", "trailing-", ""] {
        run(&["plugin", "new", "--kind", "parser", bad]).assert_fails(2, "cannot be a plugin id");
    }
    let occupied = tempfile::tempdir().expect("dir");
    std::fs::write(occupied.path().join("keep.txt"), "mine").expect("write");
    let path = occupied.path().to_string_lossy().into_owned();
    run(&[
        "plugin", "new", "--kind", "analyzer", "ok-name", "--path", &path,
    ])
    .assert_fails(3, "exists and is not empty");
    assert_eq!(
        std::fs::read_to_string(occupied.path().join("keep.txt")).expect("kept"),
        "mine"
    );

    let made = run(&["plugin", "new", "--kind", "analyzer", "license-mix"]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let root = made.dir.path().join("license-mix");
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
        "README.md",
        "src/lib.rs",
        "samples/adobe-stock-example.csv",
        "samples/adobe-stock-example.csv.expected.json",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).expect("lib.rs");
    assert!(
        lib.contains("pub struct LicenseMix;") && !lib.contains("{{"),
        "filled in"
    );
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains("stocklens-plugin-sdk = { path ="),
        "{manifest}"
    );
}

#[test]
fn plugin_inspect_describes_a_component_and_why_it_would_not_install() {
    let ok = run(&[
        "plugin",
        "inspect",
        &artifact("test_probe_2.wasm"),
        "--json",
    ]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let json = ok.json();
    assert_eq!(json["plugin"]["id"], "test-probe");
    assert_eq!(json["wit"], "1.1.0");
    assert_eq!(json["exports"][0], "stocklens:plugin/analyzer@1.1.0");
    assert_eq!(json["installable"], true);
    assert_eq!(json["sha256"].as_str().map(str::len), Some(64));

    let lies = run(&["plugin", "inspect", &artifact("test_bad_samples.wasm")]);
    assert_eq!(lies.code, 4);
    assert!(
        lies.stdout
            .contains("installable: no: refused: test-bad-samples@1.0.0: its sample"),
        "{}",
        lies.stdout
    );

    let (_dir, junk) = super::helpers::scratch_file("junk.wasm", b"not a component");
    let junk = run(&["plugin", "inspect", &junk.to_string_lossy()]);
    assert_eq!(junk.code, 4);
    assert!(junk.stdout.contains("does not load"), "{}", junk.stdout);
}

#[test]
fn plugin_test_checks_samples_and_refuses_what_it_cannot_test() {
    let examples = repo().join("examples/adobe-stock");
    let passed = run(&[
        "plugin",
        "test",
        &artifact("adobe_stock.wasm"),
        "--samples",
        &examples.to_string_lossy(),
    ]);
    assert_eq!(passed.code, 0, "{}{}", passed.stdout, passed.stderr);
    assert!(
        passed.stdout.contains("3 of 3 sample(s) match"),
        "{}",
        passed.stdout
    );

    // A parser whose own samples lie fails, saying how.
    let lies = run(&["plugin", "test", &artifact("test_bad_samples.wasm")]);
    assert_eq!(lies.code, 4);
    assert!(
        lies.stdout.contains("parses to 3 rows, but it expects 5"),
        "{}",
        lies.stdout
    );

    let empty = tempfile::tempdir().expect("dir");
    run(&[
        "plugin",
        "test",
        &artifact("adobe_stock.wasm"),
        "--samples",
        &empty.path().to_string_lossy(),
    ])
    .assert_fails(3, "no sample with an expected summary");
    run(&["plugin", "test", &artifact("test_probe_1.wasm")])
        .assert_fails(3, "it ships no samples; give some with --samples DIR");
    run(&["plugin", "test", "missing.wasm"]).assert_fails(3, "missing.wasm");
}
