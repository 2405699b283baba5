//! Redis killed (down for a few seconds, then back on the same port), paused with SIGSTOP (it
//! holds its connections and answers nothing) and restarted, while contributors use the bot and
//! workers wait for wake-ups: reads fall back to the database, wake-ups to polling, and nothing
//! is lost.

use std::time::Duration;

use crate::invariants::conclude;
use crate::world::{Options, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_paused_and_restarted_loses_no_upload() {
    let mut world = World::start(Options {
        redis: true,
        ..Options::new("redis")
    })
    .await;
    let stream = world.stream(world.mode.contributors);
    let mut load = Vec::new();
    for fault in 0..world.mode.faults {
        world.pause(1000..3000).await;
        load.push(world.some_load(&stream, Duration::from_secs(3)).await);
        let outage = Duration::from_millis(world.rng.u64(1000..4000));
        let redis = world
            .redis
            .as_mut()
            .expect("the world was started with Redis");
        match fault % 3 {
            0 => {
                redis.kill();
                tokio::time::sleep(outage).await;
                tokio::task::block_in_place(|| redis.restart());
            }
            1 => {
                redis.pause();
                tokio::time::sleep(outage).await;
                redis.resume();
            }
            _ => tokio::task::block_in_place(|| redis.restart()),
        }
    }
    eprintln!("chaos redis: (contributors mid-dialogue, jobs running) at each fault: {load:?}");
    let (summary, _) = conclude(world, stream).await;
    assert!(summary.accepted > 0);
}
