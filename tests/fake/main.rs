//! The fake Telegram Bot API server, driven by a real teloxide client over HTTP: everything the
//! bot end-to-end tests and the load generator rely on.

mod bot_api;
mod control;
mod faults;
mod helpers;
mod limits;
mod raw;
mod scale;
mod updates;
mod webhook;
