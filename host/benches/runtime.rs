//! Plugin runtime costs a job pays: instantiating a plugin from its `InstancePre`, and a cold
//! start (engine + every built-in loaded from the precompiled cache).
//!
//! Run with `cargo bench -p stocklens --bench runtime`; figures go to docs/performance.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stocklens::plugin::{Registry, Runtime, RuntimeConfig};

fn config(cache: &std::path::Path) -> RuntimeConfig {
    RuntimeConfig {
        cache_dir: Some(cache.to_owned()),
        ..RuntimeConfig::default()
    }
}

fn instantiate(c: &mut Criterion) {
    let cache = tempfile::tempdir().expect("cache dir");
    let runtime = Runtime::new(config(cache.path())).expect("runtime");
    let registry = Registry::builtin(&runtime).expect("built-ins");
    let parser = registry
        .parser("adobe-stock")
        .expect("adobe-stock is built in")
        .clone();
    let analyzer = registry
        .analyzer("overview")
        .expect("overview is built in")
        .clone();
    c.bench_function("instantiate parser (adobe-stock)", |b| {
        b.iter(|| black_box(runtime.parser(&parser).expect("instantiates")))
    });
    c.bench_function("instantiate analyzer (overview)", |b| {
        b.iter(|| black_box(runtime.analyzer(&analyzer).expect("instantiates")))
    });
}

fn cold_start(c: &mut Criterion) {
    let cache = tempfile::tempdir().expect("cache dir");
    // Fill the cache once, as the first run after an install does.
    drop(
        Registry::builtin(&Runtime::new(config(cache.path())).expect("runtime"))
            .expect("built-ins"),
    );
    let mut group = c.benchmark_group("cold start");
    group.sample_size(20);
    group.bench_function("engine + all built-ins from the cache", |b| {
        b.iter(|| {
            let runtime = Runtime::new(config(cache.path())).expect("runtime");
            black_box(Registry::builtin(&runtime).expect("built-ins"))
        })
    });
    group.finish();
}

criterion_group!(benches, instantiate, cold_start);
criterion_main!(benches);
