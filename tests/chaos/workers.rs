//! Worker processes SIGKILLed at random points while a stream of jobs runs through them; a
//! supervisor (the test) starts each again after a random pause, as systemd or Kubernetes would.
//! A killed worker's jobs are taken over when their lease runs out; the report still arrives
//! exactly once.

use std::time::Duration;

use crate::invariants::conclude;
use crate::world::{Options, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_killed_at_random_points_lose_no_upload() {
    let mut world = World::start(Options::new("worker-kill")).await;
    let stream = world.stream(world.mode.contributors);
    let kills = world.mode.faults * 2;
    let mut hits = 0;
    for _ in 0..kills {
        world.pause(300..2500).await;
        // Where a job is running, if one starts soon: a kill of an idle worker proves little.
        let running = world.some_job_running(Duration::from_secs(5)).await;
        hits += usize::from(running > 0);
        let i = world.rng.usize(..world.workers.len());
        world.kill_worker(i);
        world.pause(0..1500).await;
        world.restart_worker(i).await;
    }
    eprintln!("chaos worker-kill: {hits} of {kills} kills while jobs were running");
    let (summary, _) = conclude(world, stream).await;
    assert!(summary.accepted > 0);
}
