//! The bot process SIGKILLed at random points while contributors are half-way through their
//! questions, and started again by a supervisor (the test) after a random pause: every state
//! the bot keeps is in the database, updates it had not confirmed are offered again, and files
//! it had confirmed but not finished are in its inbox, so the contributors carry on where they
//! were and no file goes unanswered.

use std::time::Duration;

use crate::invariants::conclude;
use crate::world::{Options, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_killed_mid_dialogue_and_restarted_loses_no_upload() {
    let mut world = World::start(Options::new("bot-kill")).await;
    let stream = world.stream(world.mode.contributors);
    let mut mid_dialogue = Vec::new();
    for _ in 0..world.mode.faults {
        world.pause(1000..3000).await;
        let (in_dialogue, _) = world.some_load(&stream, Duration::from_secs(3)).await;
        mid_dialogue.push(in_dialogue);
        world.bot.kill();
        world.pause(0..2000).await;
        world.restart_bot().await;
    }
    eprintln!("chaos bot-kill: contributors mid-dialogue at each kill: {mid_dialogue:?}");
    let (summary, _) = conclude(world, stream).await;
    assert!(summary.accepted > 0);
    // A file the killed bot had taken is handled by the next one (the inbox): the contributor
    // never meets a silence and sends it again.
    assert_eq!(summary.unanswered_files, 0, "{summary:?}");
}
