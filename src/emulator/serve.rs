//! The accept loop: the emulator as a server that holds up (DESIGN.md §5;
//! docs/emulator.md, "As a server").
//!
//! - At most [`Limits::max_connections`] connections at once. A connection
//!   over the cap is accepted, and the connection idle the longest (no
//!   request in progress) is closed to make room for it; when every one is
//!   busy, the new one waits for a slot.
//! - [`Limits::header_read_timeout`]: hyper closes a connection whose next
//!   request's headers are not all in within that time, counted from the
//!   connection's start or from the end of its previous answer. That makes
//!   it the idle keep-alive timeout too.
//! - The body-read timeout and the body budget are the gateway's
//!   (`server::read_body`): a body is read only after the headers
//!   authenticate.
//! - On shutdown: no new connections; idle ones are closed, requests in
//!   flight finish, for at most [`SHUTDOWN_GRACE`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch, Notify, Semaphore};
use tokio::task::JoinSet;

use super::server::ConnIo;
use super::Limits;

/// How long a stopping server lets requests in flight finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How long a connection told to close (evicted, or the server stopping) may
/// take to end by itself (an answer still being flushed) before it is
/// dropped, when no request is in progress on it.
const CLOSE_GRACE: Duration = Duration::from_millis(250);

/// The most a request's head may take in hyper's read buffer.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// One live connection, as the accept loop sees it.
struct Slot {
    /// Requests in progress (0 or 1 on HTTP/1).
    in_flight: AtomicUsize,
    /// Milliseconds since the registry's epoch at which it last became idle.
    idle_since_ms: AtomicU64,
    /// Set once it was told to close, so it is not picked twice.
    closing: AtomicBool,
    close: Notify,
}

/// The live connections, to pick the one idle the longest.
struct Registry {
    epoch: Instant,
    next_id: AtomicU64,
    slots: Mutex<HashMap<u64, Arc<Slot>>>,
}

impl Registry {
    fn new() -> Registry {
        Registry {
            epoch: Instant::now(),
            next_id: AtomicU64::new(0),
            slots: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Slot>>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn add(self: &Arc<Self>) -> Registered {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(Slot {
            in_flight: AtomicUsize::new(0),
            idle_since_ms: AtomicU64::new(self.now_ms()),
            closing: AtomicBool::new(false),
            close: Notify::new(),
        });
        self.lock().insert(id, slot.clone());
        Registered {
            registry: self.clone(),
            id,
            slot,
        }
    }

    /// Tells the connection idle the longest to close; false when every
    /// connection has a request in progress (or is closing already).
    fn evict_oldest_idle(&self) -> bool {
        let slots = self.lock();
        let oldest = slots
            .values()
            .filter(|s| {
                s.in_flight.load(Ordering::SeqCst) == 0 && !s.closing.load(Ordering::SeqCst)
            })
            .min_by_key(|s| s.idle_since_ms.load(Ordering::SeqCst));
        match oldest {
            Some(slot) => {
                slot.closing.store(true, Ordering::SeqCst);
                slot.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// A connection's entry, removed when the connection ends.
struct Registered {
    registry: Arc<Registry>,
    id: u64,
    slot: Arc<Slot>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.id);
    }
}

/// Held while a request is in progress on a connection.
struct Busy {
    registry: Arc<Registry>,
    slot: Arc<Slot>,
}

impl Busy {
    fn new(registry: &Arc<Registry>, slot: &Arc<Slot>) -> Busy {
        slot.in_flight.fetch_add(1, Ordering::SeqCst);
        Busy {
            registry: registry.clone(),
            slot: slot.clone(),
        }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.slot
            .idle_since_ms
            .store(self.registry.now_ms(), Ordering::SeqCst);
        self.slot.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Accept errors that concern one connection only (as hyper's and axum's
/// loops treat them): the next accept may well succeed.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

/// Serves `router` on `listener` until `stop` fires (or its sender is
/// dropped), then shuts down gracefully; returns when every connection has
/// ended (or after [`SHUTDOWN_GRACE`], when the stragglers are dropped).
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    mut stop: oneshot::Receiver<()>,
) {
    let registry = Arc::new(Registry::new());
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stopping_tx, stopping) = watch::channel(false);
    let mut tasks = JoinSet::new();
    'accept: loop {
        let accepted = tokio::select! {
            biased;
            _ = &mut stop => break 'accept,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue 'accept,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) if is_connection_error(&e) => continue,
            Err(_) => {
                // Out of file descriptors, most likely: wait, as axum does.
                tokio::select! {
                    _ = &mut stop => break 'accept,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                }
            }
        };
        let permit = match slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => loop {
                // Full: make room by closing the connection idle the longest,
                // and look again while every connection is busy.
                registry.evict_oldest_idle();
                tokio::select! {
                    biased;
                    _ = &mut stop => break 'accept,
                    permit = slots.clone().acquire_owned() => {
                        // The semaphore is never closed.
                        if let Ok(permit) = permit {
                            break permit;
                        }
                    }
                    Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                }
            },
        };
        let registered = registry.add();
        let router = router.clone();
        let registry = registry.clone();
        let stopping = stopping.clone();
        tasks.spawn(async move {
            connection(stream, router, limits, registry, registered, stopping).await;
            drop(permit);
        });
    }
    // Graceful shutdown: no more accepts; every connection finishes its
    // request in flight, if any, and closes.
    drop(listener);
    let _ = stopping_tx.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
}

/// Serves one connection with hyper's HTTP/1 and the limits.
async fn connection(
    stream: tokio::net::TcpStream,
    router: Router,
    limits: Limits,
    registry: Arc<Registry>,
    registered: Registered,
    mut stopping: watch::Receiver<bool>,
) {
    let (io, kill) = ConnIo::accepted(stream);
    let slot = registered.slot.clone();
    let inner = TowerToHyperService::new(router);
    let service = {
        let slot = slot.clone();
        hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(kill.clone()));
            let busy = Busy::new(&registry, &slot);
            let answer = hyper::service::Service::call(&inner, req.map(Body::new));
            async move {
                let answer: Result<axum::response::Response, std::convert::Infallible> =
                    answer.await;
                drop(busy);
                answer
            }
        })
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true)
        .max_header_size(MAX_HEAD_BYTES)
        .max_buf_size(MAX_HEAD_BYTES);
    let conn = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    let mut told_to_close = false;
    loop {
        tokio::select! {
            // Errors (a reset, a header timeout, junk) end the connection;
            // hyper has answered what it could.
            _ = conn.as_mut() => return,
            _ = slot.close.notified(), if !told_to_close => {}
            changed = stopping.changed(), if !told_to_close => {
                if changed.is_ok() && !*stopping.borrow() {
                    continue;
                }
            }
        }
        // Told to close: hyper ends an idle connection now and one with a
        // request in progress after its answer. One with half a request
        // head in its buffer it would keep: that one is dropped.
        told_to_close = true;
        conn.as_mut().graceful_shutdown();
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = tokio::time::sleep(CLOSE_GRACE) => {}
        }
        if slot.in_flight.load(Ordering::SeqCst) == 0 {
            return;
        }
    }
}
