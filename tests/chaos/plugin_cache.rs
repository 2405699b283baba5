//! The precompiled plugin cache unwritable: `STOCKLENS_CACHE_DIR` under a regular file, so the
//! directory can be neither created nor written (tests run as root, for whom a read-only mode
//! is no obstacle). Every process says so once, compiles its plugins in memory, and serves.

use crate::invariants::conclude;
use crate::world::{Options, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_plugin_cache_loses_no_upload() {
    let blocker = tempfile::NamedTempFile::new().expect("a regular file");
    let mut world = World::start(Options {
        workers: 1,
        cache_dir: Some(blocker.path().join("plugins")),
        ..Options::new("plugin-cache")
    })
    .await;
    let stream = world.stream(world.mode.contributors / 2);
    // A worker started again later meets the same unusable directory.
    world.pause(1000..3000).await;
    world.kill_worker(0);
    world.restart_worker(0).await;
    let (summary, logs) = conclude(world, stream).await;
    assert!(summary.accepted > 0);
    assert!(
        logs.matches("plugin cache directory unusable").count() >= 3,
        "the bot and both starts of the worker say the cache is unusable:\n{logs}"
    );
}
