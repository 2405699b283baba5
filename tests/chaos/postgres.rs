//! Postgres restarted under load, on a private cluster: a clean restart (`pg_ctl restart -m
//! fast`), a crash (`-m immediate`, recovery from the WAL) and an outage of a few seconds, while
//! contributors answer questions and workers run jobs. Handlers and jobs that met the outage
//! fail and are retried; nobody restarts the services.

use std::time::Duration;

use stocklens_tests::fake_telegram::FailKind;

use crate::cluster::Cluster;
use crate::invariants::conclude;
use crate::world::{Db, Options, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_under_load_loses_no_upload() {
    let cluster = tokio::task::block_in_place(Cluster::start);
    let mut world = World::start(Options {
        db: Db::Postgres(cluster.url()),
        ..Options::new("postgres-restart")
    })
    .await;
    let stream = world.stream(world.mode.contributors);
    let mut load = Vec::new();
    for fault in 0..world.mode.faults {
        world.pause(1500..4000).await;
        load.push(world.some_load(&stream, Duration::from_secs(3)).await);
        match fault % 3 {
            0 => tokio::task::block_in_place(|| cluster.restart("fast")),
            1 => tokio::task::block_in_place(|| cluster.restart("immediate")),
            _ => {
                tokio::task::block_in_place(|| cluster.stop("immediate"));
                world.pause(2000..5000).await;
                tokio::task::block_in_place(|| cluster.resume());
            }
        }
    }
    eprintln!(
        "chaos postgres-restart: (contributors mid-dialogue, jobs running) at each fault: {load:?}"
    );
    let (summary, _) = conclude(world, stream).await;
    assert!(summary.accepted > 0);
    drop(cluster);
}

/// Postgres goes down while Telegram is taking a report (a slow sendDocument): Telegram
/// accepts it, the worker cannot record that it did, and the job is retried once the database
/// is back. The report must still arrive once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_down_while_a_report_is_sent_does_not_send_it_twice() {
    let cluster = tokio::task::block_in_place(Cluster::start);
    let mut world = World::start(Options {
        db: Db::Postgres(cluster.url()),
        ..Options::new("postgres-during-delivery")
    })
    .await;
    world
        .fake
        .fail_next("sendDocument", 1, FailKind::Delay(2000));
    let stream = world.stream_spaced(1, Duration::ZERO);
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while world
        .fake
        .stats()
        .requests
        .get("sendDocument")
        .is_none_or(|&n| n == 0)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no report was sent within 120 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::task::block_in_place(|| cluster.stop("immediate"));
    tokio::time::sleep(Duration::from_secs(5)).await;
    tokio::task::block_in_place(|| cluster.resume());
    let (summary, _) = conclude(world, stream).await;
    assert_eq!(summary.reports, 1);
    drop(cluster);
}
