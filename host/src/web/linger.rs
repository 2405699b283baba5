//! Reads on what a handler left of a request body before the answer goes out, so the client
//! sees the answer.
//!
//! A server that answers while the client is still sending (a 405 for a POST to a GET route, a
//! 401 before an upload is read, a 413 past a cap) and then closes the connection with unread
//! data makes the kernel reset it, and the reset can destroy the answer before the client reads
//! it: the client sees "connection closed" instead of the status (CI saw this for a 100 KB body
//! against the 64 KB admin cap). [`read_on`] wraps every request body; what the handler drops
//! unfinished is read and thrown away, up to [`DRAIN_BYTES`] or [`DRAIN_TIME`], as nginx's
//! lingering close does. A body beyond that bound is not worth the bandwidth and gets the
//! reset. Nothing read here is kept.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;

/// Most of an unread body read and dropped before answering.
pub const DRAIN_BYTES: usize = 4 * 1024 * 1024;

/// Longest the rest of an unread body is read for.
pub const DRAIN_TIME: Duration = Duration::from_secs(2);

/// Where a body dropped unfinished is put for [`read_on`] to finish.
type Leftover = Arc<Mutex<Option<Body>>>;

/// Middleware for the whole router: runs the request, then reads on the body if the handler
/// left some of it unread, then answers.
pub async fn read_on(request: Request, next: Next) -> Response {
    let leftover = Leftover::default();
    let (parts, body) = request.into_parts();
    let body = Body::new(Watched {
        inner: Some(body),
        leftover: Arc::clone(&leftover),
    });
    let response = next.run(Request::from_parts(parts, body)).await;
    let unread = leftover
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    if let Some(body) = unread {
        drain(body).await;
    }
    response
}

/// Reads and drops what is left of `body`, up to [`DRAIN_BYTES`] or [`DRAIN_TIME`].
async fn drain(mut body: Body) {
    let mut left = DRAIN_BYTES;
    let reading = async {
        while let Some(Ok(frame)) = body.frame().await {
            let size = frame.data_ref().map_or(0, Bytes::len);
            left = left.saturating_sub(size);
            if left == 0 {
                break;
            }
        }
    };
    // Whatever is left when time runs out is the client's to lose with the connection.
    let _ = tokio::time::timeout(DRAIN_TIME, reading).await;
}

/// A request body that, dropped before its end, hands the rest to [`read_on`].
struct Watched {
    inner: Option<Body>,
    leftover: Leftover,
}

impl HttpBody for Watched {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match self.get_mut().inner.as_mut() {
            Some(inner) => Pin::new(inner).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), HttpBody::size_hint)
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take()
            && !inner.is_end_stream()
        {
            *self.leftover.lock().unwrap_or_else(PoisonError::into_inner) = Some(inner);
        }
    }
}
