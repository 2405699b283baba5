//! The fake's own thread, runtime and accept loop.
//!
//! The server runs on a dedicated multi-thread tokio runtime so it keeps serving whatever the
//! test's runtime does (a `current_thread` test runtime blocked in a handler, a runtime being shut
//! down). Connections are served by hyper directly rather than `axum::serve` for one reason: an
//! injected [`FailKind::Reset`](super::FailKind::Reset) must drop the connection without a
//! response, which hyper does when the service fails.

use std::{net::SocketAddr, thread::JoinHandle, time::Duration};

use anyhow::Context;
use axum::{Router, body::Body};
use hyper::{body::Incoming, server::conn::http1, service::service_fn};
use hyper_util::rt::TokioIo;
use tokio::sync::watch;
use tower_service::Service;

/// Marker a handler puts in a response's extensions to have the connection dropped instead.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// Worker threads of the fake's runtime: enough to parse requests while a test's bot runs on the
/// other cores; the work per request is small.
const WORKER_THREADS: usize = 2;
/// How long shutdown waits for in-flight handlers (long polls are just dropped).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);
/// Pause after a failed `accept` (out of file descriptors), so the loop does not spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(20);

/// Binds 127.0.0.1:0 and serves `router` on a new thread until `shutdown` turns true.
pub fn spawn(
    router: Router,
    listen: SocketAddr,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<(SocketAddr, JoinHandle<()>)> {
    let listener =
        std::net::TcpListener::bind(listen).with_context(|| format!("binding {listen}"))?;
    listener
        .set_nonblocking(true)
        .context("making the listener non-blocking")?;
    let addr = listener.local_addr().context("reading the bound address")?;
    // The runtime is built on its own thread: dropping a runtime inside the caller's async
    // context (should spawning fail) would panic.
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<anyhow::Result<()>>();
    let thread = std::thread::Builder::new()
        .name("fake-telegram".to_owned())
        .spawn(move || {
            let built = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(WORKER_THREADS)
                .thread_name("fake-telegram")
                .enable_all()
                .build()
                .context("building the fake Telegram runtime");
            let runtime = match built {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = ready_tx.send(Err(error));
                    return;
                }
            };
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => {
                        let _ = ready_tx.send(Ok(()));
                        accept_loop(listener, router, shutdown).await;
                    }
                    Err(error) => {
                        let _ =
                            ready_tx
                                .send(Err(anyhow::Error::new(error)
                                    .context("handing the listener to tokio")));
                    }
                }
            });
            runtime.shutdown_timeout(SHUTDOWN_GRACE);
        })
        .context("spawning the fake Telegram thread")?;
    ready_rx
        .recv()
        .context("the fake Telegram thread ended before serving")??;
    Ok((addr, thread))
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            changed = shutdown.wait_for(|stop| *stop) => {
                let _ = changed;
                return;
            }
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: hyper::Request<Incoming>| {
                let mut router = router.clone();
                async move {
                    let response = match router.call(request.map(Body::new)).await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    };
                    if response.extensions().get::<DropConnection>().is_some() {
                        return Err(std::io::Error::other("connection dropped on purpose"));
                    }
                    Ok::<_, std::io::Error>(response)
                }
            });
            // Errors here are clients going away or the injected resets: nothing to report.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
