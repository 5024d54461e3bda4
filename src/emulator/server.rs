//! The HTTP side: routes, the gateway stand-in (authentication from the
//! headers, then the body, bounded in size, time and memory, then the
//! signature over it; fault injection) and the handlers that turn requests
//! into calls on the store. The accept loop and its limits are in `serve`.
//!
//! A connection reset has to be a real one (the client must see an I/O
//! error, not a status), so the listener wraps each accepted socket in a
//! [`ConnIo`] that a request can mark as killed: the next write then fails,
//! hyper drops the connection, and the zero linger turns the close into a
//! TCP RST.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::serve::{IncomingStream, Listener};
use axum::{Extension, Router};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use http_body_util::BodyExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::auth::{self, Accepted, Received};
use super::faults::{Action, Injector};
use super::paging::Pager;
use super::patch;
use super::pools::{self, Stamp};
use super::reply::{self, ApiError};
use super::rng::SplitMix64;
use super::serve::ConnWatch;
use super::state::Store;
use super::{events, flavors, lifecycle, metadata, networks, Config, Limits};

/// The gateway's request body limit (api/NOTES.md).
pub const MAX_BODY: usize = 12 * 1024 * 1024;

/// What a request body may take in memory without drawing on the shared
/// [`Limits::body_budget`]: every create body poolctl sends fits, so
/// ordinary requests never wait for the budget.
pub const BODY_FREE: usize = 64 * 1024;

/// Everything a request may touch.
pub struct App {
    pub config: Config,
    pub store: Store,
    pub injector: Mutex<Injector>,
    /// Pool names, resource ids and request ids. Not the fault generator:
    /// ids must not shift the seeded fault sequence.
    pub ids: Mutex<SplitMix64>,
    pub domain_id: String,
    /// Seals and opens the `continue` tokens of the v1 lists.
    pub pager: Pager,
    /// Bytes of request bodies above [`BODY_FREE`] being held, at most
    /// `config.limits.body_budget`.
    pub body_budget: Arc<Semaphore>,
    /// Session tokens and temporary keys of the metadata service.
    pub issued: Mutex<metadata::Issued>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

pub(super) fn now_ms() -> u64 {
    now().as_millis() as u64
}

/// The id generator (pool names, request ids, the metadata service's keys).
pub(super) fn lock_ids(app: &App) -> std::sync::MutexGuard<'_, SplitMix64> {
    lock(&app.ids)
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/v2/{project_id}/pools", get(list_pools).post(create_pool))
        .route(
            "/v2/{project_id}/pools/{pool_name}",
            get(show_pool).patch(patch_pool).delete(delete_pool),
        )
        .route("/v1/{project_id}/resourceflavors", get(list_flavors))
        .route("/v1/{project_id}/networks", get(list_networks))
        .route("/v1/{project_id}/networks/{name}", get(show_network))
        .route("/v1/{project_id}/events", get(list_events))
        .route(
            "/emulator/v1/{project_id}/orders/{order_id}/pay",
            post(pay_order),
        )
        .route("/v3/projects", get(iam_projects))
        // Only known APIs reach the gateway checks, as with the real gateway,
        // which answers APIG.0101 before looking at credentials.
        .route_layer(middleware::from_fn_with_state(app.clone(), gateway))
        // The ECS metadata service: not behind the gateway, not signed.
        .route(
            crate::auth::metadata::TOKEN_PATH,
            put(metadata::session_token),
        )
        .route(
            crate::auth::metadata::SECURITY_KEY_PATH,
            get(metadata::security_key),
        )
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_not_found)
        // The gateway enforces its own limit, with its own answer.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(app.clone(), request_id))
        .with_state(app)
}

async fn api_not_found() -> ApiError {
    ApiError::api_not_found()
}

/// Every answer carries an `X-Request-Id`, as the service's do.
async fn request_id(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let id = lock(&app.ids).hex(32);
    let mut resp = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

/// The query pairs as received and decoded once, shared by the signature
/// check and the handlers so both read the same thing.
#[derive(Clone)]
struct Query(Vec<(String, String)>);

/// What the gateway does before the service sees a request: cap the body,
/// authenticate from the headers (a request that cannot authenticate is
/// answered before a byte of its body is read), read the body within its
/// time and memory bounds, check the signature over it, then inject faults
/// (never into unauthenticated requests).
async fn gateway(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return ApiError::too_large().into_response();
    }
    let Some(path) = auth::decode_path(parts.uri.path()) else {
        return ApiError::bad_request("malformed percent-encoding in the path").into_response();
    };
    let Some(query) = auth::query_pairs(parts.uri.query().unwrap_or("")) else {
        return ApiError::bad_request("malformed percent-encoding in the query").into_response();
    };
    let temporary = lock(&app.issued).live_keys(now().as_secs());
    let accepted = Accepted {
        ak: &app.config.ak,
        sk: &app.config.sk,
        token: app.config.token.as_deref(),
        temporary: &temporary,
    };
    let pending = match auth::check_headers(&parts.headers, &accepted, now().as_secs()) {
        Ok(pending) => pending,
        // The body is dropped unread: hyper closes the connection after
        // this answer rather than read it.
        Err(refusal) => return refused(&refusal),
    };
    // The accept loop may cut a body read that has gone on for a while, to
    // make room for a new connection when every slot is busy.
    let watch = parts.extensions.get::<ConnWatch>().cloned();
    let reading = watch.as_ref().map(ConnWatch::reading_body);
    let cut = async {
        match &watch {
            Some(watch) => watch.cut().await,
            None => std::future::pending().await,
        }
    };
    let read = read_body(body, &app.body_budget, &app.config.limits, cut).await;
    drop(reading);
    let (bytes, _held) = match read {
        Ok(read) => read,
        Err(BodyError::TooLarge) => return ApiError::too_large().into_response(),
        Err(BodyError::Timeout) => {
            return ApiError::body_timeout(app.config.limits.body_read_timeout).into_response()
        }
        Err(BodyError::Cut) => {
            return ApiError::body_cut(app.config.limits.max_connections).into_response()
        }
        Err(BodyError::Broken) => {
            return ApiError::bad_request("the request body could not be read").into_response()
        }
    };
    let received = Received {
        method: parts.method.as_str(),
        path: &path,
        query: &query,
        headers: &parts.headers,
        body: &bytes,
    };
    if let Err(refusal) = pending.finish(&received, &accepted) {
        return refused(&refusal);
    }

    let decision = lock(&app.injector).decide(parts.method.as_str());
    // Always present: the server is built with `ConnKill` as connect info.
    let conn = parts
        .extensions
        .get::<ConnectInfo<ConnKill>>()
        .map(|c| c.0.clone());
    let resp = match decision.action {
        Some(Action::Throttle { retry_after }) => ApiError::throttled(retry_after).into_response(),
        Some(Action::Status(code)) => ApiError::server_error(code).into_response(),
        // Never sent: the connection is reset below, before a byte is written.
        Some(Action::ResetBefore) => StatusCode::NO_CONTENT.into_response(),
        Some(Action::ResetAfter) | None => {
            parts.extensions.insert(Query(query));
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    };
    // Latency comes after the processing: a client that gives up on a slow
    // POST has still created the pool (the ambiguous case DESIGN §3 handles).
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    if matches!(
        decision.action,
        Some(Action::ResetBefore | Action::ResetAfter)
    ) {
        if let Some(conn) = conn {
            conn.kill();
        }
    }
    resp
}

fn refused(refusal: &auth::Refusal) -> Response {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        refusal.error_code(),
        refusal.error_msg(),
    )
    .into_response()
}

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum BodyError {
    /// Over [`MAX_BODY`] (a chunked body; a declared length over it is refused before).
    TooLarge,
    /// Not all in within `limits.body_read_timeout` (waiting for the budget included).
    Timeout,
    /// The client went away or sent a broken encoding.
    Broken,
    /// Cut to make room for a new connection (see `serve`).
    Cut,
}

/// Reads a request body, at most [`MAX_BODY`] bytes, within
/// `limits.body_read_timeout`, unless `cut` resolves first. The first
/// [`BODY_FREE`] bytes of its buffer are free; beyond that, every byte of
/// buffer capacity is drawn from `budget` before it is allocated, and the
/// permit returned holds it until the request is done. So the bodies of all
/// connections together take at most `max_connections x BODY_FREE +
/// body_budget`, whoever sends them.
pub(super) async fn read_body<B>(
    body: B,
    budget: &Arc<Semaphore>,
    limits: &Limits,
    cut: impl std::future::Future<Output = ()>,
) -> Result<(Bytes, Option<OwnedSemaphorePermit>), BodyError>
where
    B: axum::body::HttpBody<Data = Bytes> + Unpin,
{
    let mut buf = Vec::new();
    let mut held: Option<OwnedSemaphorePermit> = None;
    let read = read_frames(body, budget, &mut buf, &mut held);
    let timed = tokio::time::timeout(limits.body_read_timeout, read);
    let outcome = tokio::select! {
        outcome = timed => outcome,
        () = cut => return Err(BodyError::Cut),
    };
    match outcome {
        Err(_) => Err(BodyError::Timeout),
        Ok(Err(e)) => Err(e),
        Ok(Ok(())) => Ok((Bytes::from(buf), held)),
    }
}

async fn read_frames<B>(
    mut body: B,
    budget: &Arc<Semaphore>,
    buf: &mut Vec<u8>,
    held: &mut Option<OwnedSemaphorePermit>,
) -> Result<(), BodyError>
where
    B: axum::body::HttpBody<Data = Bytes> + Unpin,
{
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| BodyError::Broken)?.into_data() else {
            // Trailers: nothing the gateway reads.
            continue;
        };
        let need = buf.len() + data.len();
        if need > MAX_BODY {
            return Err(BodyError::TooLarge);
        }
        if need > buf.capacity() {
            let capacity = need.max(buf.capacity().saturating_mul(2)).min(MAX_BODY);
            let charge = capacity.saturating_sub(BODY_FREE);
            let charged = held.as_ref().map_or(0, |p| p.num_permits());
            if charge > charged {
                // `charge` is at most MAX_BODY, well within u32.
                let more = budget
                    .clone()
                    .acquire_many_owned((charge - charged) as u32)
                    .await
                    .map_err(|_| BodyError::Broken)?;
                match held {
                    Some(p) => p.merge(more),
                    None => *held = Some(more),
                }
            }
            buf.reserve_exact(capacity - buf.len());
        }
        buf.extend_from_slice(&data);
    }
    Ok(())
}

fn check_project(app: &App, project_id: &str) -> Result<(), ApiError> {
    if project_id == app.config.project_id {
        Ok(())
    } else {
        Err(ApiError::project_mismatch(project_id))
    }
}

fn io_failure(e: io::Error) -> ApiError {
    ApiError::internal(format!("Internal error: {e}"))
}

async fn create_pool(
    State(app): State<Arc<App>>,
    Path(project_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    check_project(&app, &project_id)?;
    let new = pools::validate(&body)?;
    // What the service looks up before it creates anything: the flavors in
    // the catalogue, the network of a Dedicate pool (a privileged pool names
    // its VPC and subnet instead).
    if let Some(r) = new
        .resources
        .iter()
        .find(|r| flavors::find(&r.flavor).is_none())
    {
        return Err(ApiError::flavor_not_found(&r.flavor));
    }
    if new.pool_type == "Dedicate" && !new.privileged {
        if let Some(net) = new
            .network_name
            .as_deref()
            .filter(|n| networks::phase(n).is_none())
        {
            return Err(ApiError::network_not_found(net));
        }
    }
    let now = now_ms();
    let stamp = Stamp {
        project_id: &app.config.project_id,
        domain_id: &app.domain_id,
        now_ms: now,
        base_provision_ms: app.config.provision_time.as_millis() as u64,
    };
    let pool = pools::build(new, &mut lock(&app.ids), &stamp);
    let created = app
        .store
        .update(now, |list| {
            // The same name in the same workspace, deleted or not yet gone, is taken.
            if list
                .iter()
                .any(|p| p.label == pool.label && p.workspace == pool.workspace)
            {
                return (Err(ApiError::pool_exists()), false);
            }
            let view = pools::created_view(&pool);
            list.push(Arc::new(pool));
            (Ok(view), true)
        })
        .await
        .map_err(io_failure)??;
    Ok(reply::json(StatusCode::OK, &created))
}

async fn show_pool(
    State(app): State<Arc<App>>,
    Path((project_id, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    check_project(&app, &project_id)?;
    let now = now_ms();
    let found = app.store.read(now, |list| {
        list.iter()
            .find(|p| p.name == name)
            .map(|p| pools::view(p, &app.config.region, now))
    });
    match found {
        Some(v) => Ok(reply::json(StatusCode::OK, &v)),
        None => Err(ApiError::pool_not_found(&name)),
    }
}

/// How many times a PATCH is worked out again when the pool changed while
/// it was being worked out (another PATCH, a delete, a payment).
const PATCH_TRIES: usize = 32;

/// `PATCH .../pools/{pool_name}`: a JSON merge patch (see `patch`). It is
/// worked out on the pool as read, outside the store's lock, and stored
/// only if the pool is still the one it was worked out on; else again.
async fn patch_pool(
    State(app): State<Arc<App>>,
    Path((project_id, name)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    check_project(&app, &project_id)?;
    let content_type = headers.get(header::CONTENT_TYPE).map(HeaderValue::as_bytes);
    if !patch::is_merge_patch(content_type) {
        return Err(patch::unsupported(content_type));
    }
    let doc: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("request body is not valid JSON: {e}")))?;
    let region = &app.config.region;
    for _ in 0..PATCH_TRIES {
        let now = now_ms();
        let current = app
            .store
            .read(now, |list| list.iter().find(|p| p.name == name).cloned());
        let Some(current) = current else {
            return Err(ApiError::pool_not_found(&name));
        };
        let Some(patched) = patch::apply(&current, &doc, region, now)? else {
            return Ok(reply::json(
                StatusCode::OK,
                &pools::view(&current, region, now),
            ));
        };
        let view = pools::view(&patched, region, now);
        let stored = app
            .store
            .update(now, |list| match list.iter_mut().find(|p| p.name == name) {
                Some(p) if Arc::ptr_eq(p, &current) => {
                    *p = Arc::new(patched);
                    (true, true)
                }
                _ => (false, false),
            })
            .await
            .map_err(io_failure)?;
        if stored {
            return Ok(reply::json(StatusCode::OK, &view));
        }
    }
    Err(ApiError::internal(
        "Internal error: the pool kept changing while the patch was applied",
    ))
}

async fn list_pools(
    State(app): State<Arc<App>>,
    Path(project_id): Path<String>,
    Extension(Query(query)): Extension<Query>,
) -> Result<Response, ApiError> {
    check_project(&app, &project_id)?;
    let now = now_ms();
    let region = &app.config.region;
    let list = app
        .store
        .read(now, |list| pools::list(list, &query, region, now))?;
    Ok(reply::json(StatusCode::OK, &list))
}

async fn delete_pool(
    State(app): State<Arc<App>>,
    Path((project_id, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    check_project(&app, &project_id)?;
    let now = now_ms();
    let deleted = app
        .store
        .update(now, |list| match list.iter_mut().find(|p| p.name == name) {
            None => (Err(ApiError::pool_not_found(&name)), false),
            Some(p) => {
                // A second delete answers the same Deleting pool and changes nothing.
                let first = p.deleted_ms.is_none();
                if first {
                    Arc::make_mut(p).deleted_ms = Some(now);
                }
                (Ok(pools::view(p, &app.config.region, now)), first)
            }
        })
        .await
        .map_err(io_failure)??;
    Ok(reply::json(StatusCode::OK, &deleted))
}

async fn list_flavors(
    State(app): State<Arc<App>>,
    Path(project_id): Path<String>,
    Extension(Query(query)): Extension<Query>,
) -> Result<Response, ApiError> {
    check_project(&app, &project_id)?;
    let list = flavors::list(&app.config.region, &query, &app.pager)?;
    Ok(reply::json(StatusCode::OK, &list))
}

async fn list_networks(
    State(app): State<Arc<App>>,
    Path(project_id): Path<String>,
    Extension(Query(query)): Extension<Query>,
) -> Result<Response, ApiError> {
    check_project(&app, &project_id)?;
    let list = app
        .store
        .read(now_ms(), |list| networks::list(list, &query, &app.pager))?;
    Ok(reply::json(StatusCode::OK, &list))
}

async fn show_network(
    State(app): State<Arc<App>>,
    Path((project_id, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    check_project(&app, &project_id)?;
    Ok(reply::json(StatusCode::OK, &networks::show(&name)?))
}

async fn list_events(
    State(app): State<Arc<App>>,
    Path(project_id): Path<String>,
    Extension(Query(query)): Extension<Query>,
) -> Result<Response, ApiError> {
    check_project(&app, &project_id)?;
    let now = now_ms();
    let list = app.store.read(now, |list| {
        events::list(list, &query, &app.config.region, now, &app.pager)
    })?;
    Ok(reply::json(StatusCode::OK, &list))
}

/// The emulator's own call: pays the order `order_id` at once (204). An
/// order already paid, by this call or automatically, stays as it was.
async fn pay_order(
    State(app): State<Arc<App>>,
    Path((project_id, order_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    check_project(&app, &project_id)?;
    let now = now_ms();
    app.store
        .update(now, |list| {
            let Some(p) = list
                .iter_mut()
                .find(|p| lifecycle::order_id(p) == Some(order_id.as_str()))
            else {
                return (Err(ApiError::order_not_found(&order_id)), false);
            };
            let unpaid = p.deleted_ms.is_none()
                && p.paid_ms.is_none()
                && lifecycle::paid_at(p).is_some_and(|at| now < at);
            if unpaid {
                Arc::make_mut(p).paid_ms = Some(now);
            }
            (Ok(()), unpaid)
        })
        .await
        .map_err(io_failure)??;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// IAM `GET /v3/projects?name={region}`: the one project of these
/// credentials, when the region matches.
async fn iam_projects(
    State(app): State<Arc<App>>,
    Extension(Query(query)): Extension<Query>,
    headers: axum::http::HeaderMap,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let wanted = query.iter().find(|(k, _)| k == "name").map(|(_, v)| v);
    let cfg = &app.config;
    let projects = if wanted.is_none_or(|n| *n == cfg.region) {
        vec![json!({
            "id": cfg.project_id,
            "name": cfg.region,
            "domain_id": app.domain_id,
            "parent_id": app.domain_id,
            "is_domain": false,
            "enabled": true,
            "description": "",
            "links": {"self": format!("http://{host}/v3/projects/{}", cfg.project_id)},
        })]
    } else {
        Vec::new()
    };
    reply::json(
        StatusCode::OK,
        &json!({
            "projects": projects,
            "links": {"self": format!("http://{host}/v3/projects"), "previous": null, "next": null},
        }),
    )
}

// ------------------------------------------------------------ connections

/// A handle on one connection; [`ConnKill::kill`] makes it end in a reset.
#[derive(Clone)]
pub struct ConnKill(Arc<AtomicBool>);

impl ConnKill {
    /// The next read or write on the connection fails, and it is closed
    /// with a reset.
    pub fn kill(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// An accepted socket that fails every operation once killed, and says
/// when a write is held up.
pub struct ConnIo {
    stream: TcpStream,
    killed: Arc<AtomicBool>,
    write_blocked: Arc<AtomicBool>,
}

impl ConnIo {
    /// Wraps an accepted socket (no Nagle delay: answers are one write),
    /// with the handle that resets it.
    pub(super) fn accepted(stream: TcpStream) -> (ConnIo, ConnKill) {
        let _ = stream.set_nodelay(true);
        let killed = Arc::new(AtomicBool::new(false));
        let kill = ConnKill(killed.clone());
        let io = ConnIo {
            stream,
            killed,
            write_blocked: Arc::default(),
        };
        (io, kill)
    }

    /// Set while the socket does not take what is written (the client is
    /// not reading): bytes of an answer are waiting in hyper's buffer.
    pub(super) fn write_blocked(&self) -> Arc<AtomicBool> {
        self.write_blocked.clone()
    }

    fn note_write<T>(&self, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        self.write_blocked
            .store(poll.is_pending(), Ordering::SeqCst);
        poll
    }

    fn check(&self) -> io::Result<()> {
        if self.killed.load(Ordering::SeqCst) {
            // Closing with a zero linger sends RST instead of FIN: the client
            // sees "connection reset", never a clean end of a response.
            let _ = self.stream.set_zero_linger();
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "connection reset by fault injection",
            ))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for ConnIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.check()?;
        let poll = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.note_write(poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.check()?;
        let poll = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.note_write(poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.stream).poll_shutdown(cx)
    }
}

/// A TCP listener whose connections can be reset on purpose.
pub struct ConnListener(pub TcpListener);

impl Listener for ConnListener {
    type Io = ConnIo;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (ConnIo, SocketAddr) {
        let (stream, addr) = Listener::accept(&mut self.0).await;
        let (io, _) = ConnIo::accepted(stream);
        (io, addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

impl Connected<IncomingStream<'_, ConnListener>> for ConnKill {
    fn connect_info(stream: IncomingStream<'_, ConnListener>) -> Self {
        ConnKill(stream.io().killed.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::Full;
    use std::future::pending;

    fn limits(budget: usize) -> Limits {
        Limits {
            body_budget: budget,
            body_read_timeout: Duration::from_millis(200),
            ..Limits::default()
        }
    }

    fn body(len: usize) -> Full<Bytes> {
        Full::new(Bytes::from(vec![b'x'; len]))
    }

    /// Bodies beyond the free allowance draw on one budget: while it is
    /// spent, a further big body waits (and times out), a small one does not.
    #[tokio::test]
    async fn big_bodies_share_one_budget_and_small_ones_are_free() {
        let budget = Arc::new(Semaphore::new(1024 * 1024));
        let l = limits(1024 * 1024);
        let (a, held) = read_body(body(600 * 1024), &budget, &l, pending())
            .await
            .unwrap();
        assert_eq!(a.len(), 600 * 1024);
        assert_eq!(
            held.as_ref().map(|p| p.num_permits()),
            Some(600 * 1024 - BODY_FREE)
        );
        assert_eq!(
            read_body(body(600 * 1024), &budget, &l, pending())
                .await
                .unwrap_err(),
            BodyError::Timeout
        );
        let (small, none) = read_body(body(BODY_FREE), &budget, &l, pending())
            .await
            .unwrap();
        assert_eq!((small.len(), none.is_none()), (BODY_FREE, true));
        drop(held);
        assert_eq!(budget.available_permits(), 1024 * 1024);
        let (b, _held) = read_body(body(600 * 1024), &budget, &l, pending())
            .await
            .unwrap();
        assert_eq!(b.len(), 600 * 1024);
        let too_big = read_body(
            body(MAX_BODY + 1),
            &Arc::new(Semaphore::new(MAX_BODY)),
            &l,
            pending(),
        )
        .await;
        assert_eq!(too_big.unwrap_err(), BodyError::TooLarge);
    }
}
