//! The accept loop: the emulator as a server that holds up (DESIGN.md §5;
//! docs/emulator.md, "As a server").
//!
//! - At most [`Limits::max_connections`] connections at once. A connection
//!   over the cap is accepted, and takes at once the slot of a connection
//!   with no request in progress (nothing dispatched, nothing being
//!   written): the one idle the longest, which is dropped there and then,
//!   half a request head and all. A connection is a candidate only once the
//!   server has read what it sent (its first poll), so a new one is not
//!   dropped before its request is looked at.
//! - When every connection has a request in progress, the new one takes the
//!   slot of the request whose body has been coming the longest, once that
//!   is at least [`BODY_SHED_AFTER`]: that request is answered 408 and its
//!   connection closed. A body is read only after the headers authenticate,
//!   but the signature covers the body: anyone who knows the access key
//!   (printed in the exports) can start one, so body reads must not be able
//!   to hold every slot. Only when no body read is that old does the new
//!   connection wait, for the first slot to free.
//! - [`Limits::header_read_timeout`]: hyper closes a connection whose next
//!   request's headers are not all in within that time, counted from the
//!   connection's start or from the end of its previous answer. That makes
//!   it the idle keep-alive timeout too.
//! - The body-read timeout and the body budget are the gateway's
//!   (`server::read_body`).
//! - On shutdown: no new connections; idle ones are closed, requests in
//!   flight finish, for at most [`SHUTDOWN_GRACE`].

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::connect_info::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

use super::server::{ConnIo, ConnKill};
use super::Limits;

/// How long a stopping server lets requests in flight finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// When every connection has a request in progress, a request whose body
/// has been coming for at least this long is cut (answered 408) to make
/// room for a new connection.
pub const BODY_SHED_AFTER: Duration = Duration::from_secs(1);

/// How long a connection told to close (evicted, or the server stopping)
/// whose answer is still being written may take to end by itself before it
/// is dropped. One with nothing in progress is dropped at once.
const CLOSE_GRACE: Duration = Duration::from_millis(250);

/// The most a request's head may take in hyper's read buffer.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// `Slot::body_since_ms` when no body is being read.
const NOT_READING: u64 = u64::MAX;

/// One live connection, as the accept loop sees it.
struct Slot {
    /// Requests in progress (0 or 1 on HTTP/1): from the dispatch of its
    /// head to the last frame of its answer handed to hyper.
    in_flight: AtomicUsize,
    /// Set while hyper holds answer bytes the socket would not take yet
    /// (see [`ConnIo::write_blocked`]).
    write_blocked: Arc<AtomicBool>,
    /// Milliseconds since the registry's epoch at which it last became idle.
    idle_since_ms: AtomicU64,
    /// Set after the first poll: the server has read what it sent so far.
    polled: AtomicBool,
    /// When the body read in progress began ([`NOT_READING`] if none).
    body_since_ms: AtomicU64,
    /// Set once it was told to close, so it is not picked twice.
    closing: AtomicBool,
    close: Notify,
    /// Tells the body read in progress to give up.
    cut: Notify,
    /// Its place under the cap; taken by the connection that evicts it.
    permit: Mutex<Option<OwnedSemaphorePermit>>,
}

impl Slot {
    /// Nothing dispatched, nothing being written: can be dropped as it is.
    fn is_quiet(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) == 0 && !self.write_blocked.load(Ordering::SeqCst)
    }

    fn take_permit(&self) -> Option<OwnedSemaphorePermit> {
        self.permit.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// What [`Registry::make_room`] found.
enum Room {
    /// The slot of a connection told to close.
    Freed(OwnedSemaphorePermit),
    /// Connections not yet polled may turn out idle: look again once they are.
    Soon,
    /// Every connection has a request in progress; a body read may become
    /// old enough to cut after this long.
    Full(Option<Duration>),
}

/// The live connections, to pick the one to close when full.
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

    fn add(
        self: &Arc<Self>,
        permit: OwnedSemaphorePermit,
        write_blocked: Arc<AtomicBool>,
    ) -> Registered {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(Slot {
            in_flight: AtomicUsize::new(0),
            write_blocked,
            idle_since_ms: AtomicU64::new(self.now_ms()),
            polled: AtomicBool::new(false),
            body_since_ms: AtomicU64::new(NOT_READING),
            closing: AtomicBool::new(false),
            close: Notify::new(),
            cut: Notify::new(),
            permit: Mutex::new(Some(permit)),
        });
        self.lock().insert(id, slot.clone());
        Registered {
            registry: self.clone(),
            id,
            slot,
        }
    }

    /// Frees a slot for a new connection, if one can be freed now: in this
    /// order, the connection with nothing in progress idle the longest
    /// (dropped at once), one whose answer the client does not read (dropped
    /// after [`CLOSE_GRACE`]), the request whose body has been coming the
    /// longest, at least [`BODY_SHED_AFTER`] (answered 408).
    fn make_room(&self) -> Room {
        let now = self.now_ms();
        let shed_after = BODY_SHED_AFTER.as_millis() as u64;
        let slots = self.lock();
        // Ties (the same millisecond) go to the connection accepted first.
        let open = || {
            slots.iter().filter(|(_, s)| {
                s.polled.load(Ordering::SeqCst) && !s.closing.load(Ordering::SeqCst)
            })
        };
        let idle_longest = |blocked: bool| {
            open()
                .filter(|(_, s)| {
                    s.in_flight.load(Ordering::SeqCst) == 0
                        && s.write_blocked.load(Ordering::SeqCst) == blocked
                })
                .min_by_key(|(id, s)| (s.idle_since_ms.load(Ordering::SeqCst), **id))
                .map(|(_, s)| s)
        };
        let oldest_body = open()
            .filter(|(_, s)| s.body_since_ms.load(Ordering::SeqCst) != NOT_READING)
            .min_by_key(|(id, s)| (s.body_since_ms.load(Ordering::SeqCst), **id))
            .map(|(_, s)| s);
        let victim = idle_longest(false)
            .or_else(|| idle_longest(true))
            .or_else(|| {
                oldest_body.filter(|s| {
                    now.saturating_sub(s.body_since_ms.load(Ordering::SeqCst)) >= shed_after
                })
            });
        if let Some(slot) = victim {
            slot.closing.store(true, Ordering::SeqCst);
            slot.cut.notify_one();
            slot.close.notify_one();
            if let Some(permit) = slot.take_permit() {
                return Room::Freed(permit);
            }
        }
        let unpolled = slots
            .values()
            .any(|s| !s.polled.load(Ordering::SeqCst) && !s.closing.load(Ordering::SeqCst));
        if unpolled || victim.is_some() {
            return Room::Soon;
        }
        Room::Full(oldest_body.map(|s| {
            let age = now.saturating_sub(s.body_since_ms.load(Ordering::SeqCst));
            Duration::from_millis(shed_after.saturating_sub(age))
        }))
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
        // Its place under the cap, unless an evicting connection took it.
        drop(self.slot.take_permit());
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

/// An answer's body that keeps its connection busy until hyper has taken
/// its last frame (and drops it).
struct BusyBody {
    inner: Body,
    _busy: Busy,
}

impl http_body::Body for BusyBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The gateway's view of its connection: it says when it reads a body, and
/// learns when the body read is cut to make room. In the request's
/// extensions when served by [`run`].
#[derive(Clone)]
pub(super) struct ConnWatch {
    registry: Arc<Registry>,
    slot: Arc<Slot>,
}

/// Marks a body read in progress, until dropped.
pub(super) struct ReadingBody<'a>(&'a ConnWatch);

impl ConnWatch {
    pub(super) fn reading_body(&self) -> ReadingBody<'_> {
        self.slot
            .body_since_ms
            .store(self.registry.now_ms(), Ordering::SeqCst);
        ReadingBody(self)
    }

    /// Resolves when the body read is cut to make room for a new connection.
    pub(super) fn cut(&self) -> impl Future<Output = ()> + '_ {
        self.slot.cut.notified()
    }
}

impl Drop for ReadingBody<'_> {
    fn drop(&mut self) {
        self.0
            .slot
            .body_since_ms
            .store(NOT_READING, Ordering::SeqCst);
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
                // Full: take the slot of a connection with nothing in
                // progress, or of a body read that has gone on too long;
                // wait only when there is neither.
                let wait = match registry.make_room() {
                    Room::Freed(permit) => break permit,
                    Room::Soon => Duration::ZERO,
                    Room::Full(shed_in) => shed_in
                        .unwrap_or(Duration::MAX)
                        .min(Duration::from_millis(100)),
                };
                if wait.is_zero() {
                    // Let the connections just accepted be polled.
                    tokio::task::yield_now().await;
                    continue;
                }
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
                    _ = tokio::time::sleep(wait) => {}
                }
            },
        };
        let (io, kill) = ConnIo::accepted(stream);
        let registered = registry.add(permit, io.write_blocked());
        let router = router.clone();
        let registry = registry.clone();
        let stopping = stopping.clone();
        tasks.spawn(connection(
            io, kill, router, limits, registry, registered, stopping,
        ));
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
    io: ConnIo,
    kill: ConnKill,
    router: Router,
    limits: Limits,
    registry: Arc<Registry>,
    registered: Registered,
    mut stopping: watch::Receiver<bool>,
) {
    let slot = registered.slot.clone();
    let inner = TowerToHyperService::new(router);
    let service = {
        let slot = slot.clone();
        hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(kill.clone()));
            req.extensions_mut().insert(ConnWatch {
                registry: registry.clone(),
                slot: slot.clone(),
            });
            let busy = Busy::new(&registry, &slot);
            let answer = hyper::service::Service::call(&inner, req.map(Body::new));
            async move {
                let answer: Result<axum::response::Response, std::convert::Infallible> =
                    answer.await;
                answer.map(|resp| resp.map(|inner| Body::new(BusyBody { inner, _busy: busy })))
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
    // A first poll reads what the client has sent: a complete head is
    // dispatched now, which makes the connection busy. Only then may it be
    // picked to make room.
    if poll_once(conn.as_mut()).await.is_some() {
        return;
    }
    slot.polled.store(true, Ordering::SeqCst);
    tokio::select! {
        biased;
        // Errors (a reset, a header timeout, junk) end the connection;
        // hyper has answered what it could.
        _ = conn.as_mut() => return,
        _ = slot.close.notified() => {}
        _ = stopping.wait_for(|stop| *stop) => {}
    }
    // Told to close: hyper ends an idle connection now, and one with a
    // request in progress after its answer. One with nothing in progress
    // (half a request head in its buffer, or nothing) is dropped at once.
    conn.as_mut().graceful_shutdown();
    if poll_once(conn.as_mut()).await.is_some() || slot.is_quiet() {
        return;
    }
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = tokio::time::sleep(CLOSE_GRACE) => {}
        }
        // An answer the client does not read is not waited for.
        if slot.in_flight.load(Ordering::SeqCst) == 0 {
            return;
        }
    }
}

/// Polls `fut` once: its output if it is ready.
async fn poll_once<F: Future + ?Sized>(mut fut: Pin<&mut F>) -> Option<F::Output> {
    std::future::poll_fn(|cx| {
        Poll::Ready(match fut.as_mut().poll(cx) {
            Poll::Ready(output) => Some(output),
            Poll::Pending => None,
        })
    })
    .await
}
