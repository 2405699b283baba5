//! What a plugin instance is allowed to touch: the per-store state behind every call.
//!
//! A plugin gets an explicitly empty WASI context (no preopened directories, no environment,
//! no arguments, no network, a clock frozen at the Unix epoch), a memory cap enforced by a
//! resource limiter, and stdout/stderr that go to the host log tagged with the plugin, capped in
//! size. Nothing here knows what a parser or an analyzer is.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use wasmtime::ResourceLimiter;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};
use wasmtime_wasi::{
    HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView,
};

/// Most tables a plugin may create. Rust guests need one or two; a limit keeps a hostile
/// component from reserving host memory through tables instead of linear memory.
const MAX_TABLES: usize = 16;

/// Largest table, in elements. Generous for indirect-call tables of big Rust programs.
const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// The state of one plugin instance's store.
pub struct Sandbox {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(super) limiter: MemoryCap,
    /// What the plugin printed, kept so that a trap can be explained with the plugin's own
    /// last words (a Rust panic message arrives on stderr just before the trap).
    pub(super) output: PluginOutput,
}

impl Sandbox {
    /// A sandbox for the plugin labelled `label` (`id@version`), with `memory_bytes` of linear
    /// memory at most and `log_bytes` of output kept per instance.
    pub fn new(label: &str, memory_bytes: usize, log_bytes: usize) -> Sandbox {
        let output = PluginOutput::new(label, log_bytes);
        let mut builder = WasiCtxBuilder::new();
        builder
            .stdout(output.stream(Stream::Stdout))
            .stderr(output.stream(Stream::Stderr))
            .wall_clock(FrozenClock)
            .monotonic_clock(FrozenClock)
            // wasmtime's defaults already deny these; said here so that no change of default
            // can open them (the sandbox suite's `test-escape` proves each one denied).
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .allow_blocking_current_thread(true);
        Sandbox {
            wasi: builder.build(),
            table: ResourceTable::new(),
            limiter: MemoryCap::new(memory_bytes),
            output,
        }
    }
}

impl WasiView for Sandbox {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// A clock that never moves: plugins get dates through the interface, never from the host.
struct FrozenClock;

impl HostWallClock for FrozenClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn now(&self) -> Duration {
        Duration::ZERO
    }
}

impl HostMonotonicClock for FrozenClock {
    fn resolution(&self) -> u64 {
        1_000_000_000
    }
    fn now(&self) -> u64 {
        0
    }
}

/// Caps linear memory and remembers whether the cap was hit, so a failed call can be reported
/// as "memory limit" rather than as an anonymous trap.
pub struct MemoryCap {
    max_bytes: usize,
    pub(super) hit: bool,
}

impl MemoryCap {
    fn new(max_bytes: usize) -> MemoryCap {
        MemoryCap {
            max_bytes,
            hit: false,
        }
    }

    pub(super) fn max_bytes(&self) -> usize {
        self.max_bytes
    }
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_bytes {
            self.hit = true;
            // Trapping (instead of letting memory.grow return -1) stops the plugin at once,
            // so it cannot limp on with an allocator that has started failing.
            return Err(wasmtime::format_err!(
                "plugin tried to grow its memory to {desired} bytes, over the limit of {} bytes",
                self.max_bytes
            ));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }

    fn tables(&self) -> usize {
        MAX_TABLES
    }
}

#[derive(Clone, Copy, Debug)]
enum Stream {
    Stdout,
    Stderr,
}

/// A plugin's stdout and stderr: each complete line goes to the host log tagged with the plugin;
/// the last lines are kept for error messages. Output beyond the cap is counted and dropped, and
/// writing never fails, so a chatty plugin cannot crash itself or flood the log. A line cut by
/// the cap, or never ended, is logged as it stands when the cap is reached or the instance ends:
/// the host holds at most the cap's worth of a plugin's output.
#[derive(Clone)]
pub struct PluginOutput {
    inner: Arc<Mutex<OutputState>>,
}

struct OutputState {
    label: String,
    budget: usize,
    dropped: u64,
    partial: Vec<u8>,
    last_lines: Vec<String>,
}

/// How many recent lines are kept to explain a failure.
const KEPT_LINES: usize = 4;

impl PluginOutput {
    fn new(label: &str, budget: usize) -> PluginOutput {
        PluginOutput {
            inner: Arc::new(Mutex::new(OutputState {
                label: label.to_owned(),
                budget,
                dropped: 0,
                partial: Vec::new(),
                last_lines: Vec::new(),
            })),
        }
    }

    fn stream(&self, stream: Stream) -> OutputSink {
        OutputSink {
            output: self.clone(),
            stream,
        }
    }

    fn write(&self, stream: Stream, bytes: &[u8]) {
        let Ok(mut state) = self.inner.lock() else {
            return;
        };
        let allowed = bytes.len().min(state.budget);
        state.budget -= allowed;
        state.dropped += (bytes.len() - allowed) as u64;
        for &byte in &bytes[..allowed] {
            if byte == b'\n' {
                state.emit(stream);
            } else {
                state.partial.push(byte);
            }
        }
        if state.budget == 0 && !state.partial.is_empty() {
            state.emit(stream);
        }
    }

    /// The plugin's last few lines of output (a panic message, typically), newest last.
    pub fn last_lines(&self) -> Vec<String> {
        match self.inner.lock() {
            Ok(mut state) => {
                if !state.partial.is_empty() {
                    state.emit(Stream::Stderr);
                }
                state.last_lines.clone()
            }
            Err(_) => Vec::new(),
        }
    }
}

impl OutputState {
    fn emit(&mut self, stream: Stream) {
        let line = String::from_utf8_lossy(&self.partial).into_owned();
        self.partial.clear();
        match stream {
            Stream::Stdout => tracing::info!(plugin = %self.label, "{line}"),
            Stream::Stderr => tracing::warn!(plugin = %self.label, "{line}"),
        }
        if self.last_lines.len() == KEPT_LINES {
            self.last_lines.remove(0);
        }
        self.last_lines.push(line);
    }
}

impl Drop for OutputState {
    fn drop(&mut self) {
        if !self.partial.is_empty() {
            self.emit(Stream::Stdout);
        }
        if self.dropped > 0 {
            tracing::warn!(plugin = %self.label, dropped = self.dropped, "plugin output over the cap was dropped");
        }
    }
}

/// One of a plugin's output streams.
#[derive(Clone)]
struct OutputSink {
    output: PluginOutput,
    stream: Stream,
}

impl IsTerminal for OutputSink {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for OutputSink {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for OutputSink {
    async fn ready(&mut self) {}
}

impl OutputStream for OutputSink {
    fn write(&mut self, bytes: bytes::Bytes) -> StreamResult<()> {
        self.output.write(self.stream, &bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        // Always writable: output is accepted (and dropped past the cap) without blocking.
        Ok(64 * 1024)
    }
}

impl tokio::io::AsyncWrite for OutputSink {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.output.write(self.stream, buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
