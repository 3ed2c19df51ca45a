//! The HTTP transport: hyper (HTTP/1.1, keep-alive) on a tokio runtime that
//! exists only while a server runs (`sm serve`, `sm exec --serve`); no
//! other command creates or touches it.
//!
//! The API answers `POST /` with `X-Amz-Target: secretsmanager.<Op>` after
//! SigV4 verification; the agent API answers as the caching agent. A read
//! of one secret is served on the connection's thread (a few `stat` calls
//! while the secret is unchanged) and waits for its log entry without
//! holding a thread; other store work is blocking file I/O and runs on
//! tokio's blocking pool, so a rotation's hooks never stall the reads. Bodies are capped at
//! [`api::MAX_BODY`], headers and bodies must arrive within a timeout, and
//! connections are limited (the API answers the excess with the service's
//! `ThrottlingException`, which SDKs retry; the agent API with 429).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{Semaphore, watch};
use zeroize::Zeroizing;

use super::api::{self, Reply};
use super::keys::Keys;
use super::listen::Accept;
use super::{ApiError, Backend, Client, agent, sigv4};

/// How long a client may take to send a request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to send a request's body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// How many connections the API serves at once.
pub const API_MAX_CONNECTIONS: usize = 512;
/// The content type of the API's answers.
const JSON_11: &str = "application/x-amz-json-1.1";

/// The agent API's settings.
pub struct AgentSettings {
    /// The SSRF token requests must carry.
    pub token: Zeroizing<String>,
    /// The client its reads are made as (and logged under).
    pub client: Arc<Client>,
    /// The region shown in ARNs.
    pub region: String,
}

/// What every connection of a server shares.
pub struct Service {
    /// The store and the acting member.
    pub backend: Arc<Backend>,
    /// The access keys the API accepts.
    pub keys: Keys,
    /// The agent API's settings, if it is served.
    pub agent: Option<AgentSettings>,
    /// Print each call's server-side time to stderr (`SM_SERVE_TIMING=1`).
    pub timing: bool,
    in_flight: AtomicUsize,
}

impl Service {
    /// Builds the shared state of a server.
    pub fn new(backend: Arc<Backend>, keys: Keys, agent: Option<AgentSettings>) -> Service {
        Service {
            backend,
            keys,
            agent,
            timing: std::env::var_os("SM_SERVE_TIMING").is_some_and(|v| v == "1"),
            in_flight: AtomicUsize::new(0),
        }
    }
}

/// Which API a listener serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The service's API.
    Api,
    /// The caching agent's API.
    Agent,
}

type Body = Full<Bytes>;

/// Counts a request in flight while it lives.
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn new(counter: &'a AtomicUsize) -> InFlight<'a> {
        counter.fetch_add(1, Ordering::SeqCst);
        InFlight(counter)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Builds the runtime servers run on.
pub fn runtime(threads: usize) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .thread_name("sm-serve")
        .enable_all()
        .build()
}

/// Serves `listener` (TCP or a Unix socket) as `kind` until `stop` turns
/// true.
pub async fn accept_loop<L: Accept>(
    listener: L,
    service: Arc<Service>,
    kind: Kind,
    mut stop: watch::Receiver<bool>,
) {
    let max = match kind {
        Kind::Api => API_MAX_CONNECTIONS,
        Kind::Agent => agent::MAX_CONNECTIONS,
    };
    let limit = Arc::new(Semaphore::new(max));
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(Some(stream)) => stream,
                // A peer refused by the listener (another uid).
                Ok(None) => continue,
                Err(_) => {
                    // Out of file descriptors or a connection reset before
                    // it was taken: wait a little rather than spin.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        if *stop.borrow() {
            break;
        }
        let permit = limit.clone().try_acquire_owned().ok();
        let service = service.clone();
        tokio::spawn(async move {
            let io = TokioIo::new(stream);
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(64 * 1024);
            match permit {
                Some(_permit) => {
                    let handler = service_fn(move |req| {
                        let service = service.clone();
                        async move { Ok::<_, Infallible>(handle(&service, kind, req).await) }
                    });
                    let _ = builder.serve_connection(io, handler).await;
                }
                None => {
                    builder.keep_alive(false);
                    let handler =
                        service_fn(move |_req| async move { Ok::<_, Infallible>(refusal(kind)) });
                    let _ = builder.serve_connection(io, handler).await;
                }
            }
        });
    }
}

/// Waits until no request is in flight (at most `limit`).
pub async fn drain(service: &Service, limit: Duration) {
    let start = Instant::now();
    while service.in_flight.load(Ordering::SeqCst) > 0 && start.elapsed() < limit {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The answer to a connection past the limit.
fn refusal(kind: Kind) -> Response<Body> {
    match kind {
        Kind::Api => api_error(
            &ApiError::client("ThrottlingException", "Rate exceeded"),
            &request_id(),
        ),
        Kind::Agent => text(429, agent::TOO_MANY),
    }
}

async fn handle(service: &Arc<Service>, kind: Kind, req: Request<Incoming>) -> Response<Body> {
    let _guard = InFlight::new(&service.in_flight);
    match kind {
        Kind::Api => api_request(service, req).await,
        Kind::Agent => agent_request(service, req).await,
    }
}

fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An API answer (the body may hold a value: it is wiped when sent).
fn api_reply(status: u16, body: Zeroizing<Vec<u8>>, request_id: &str) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from_owner(body)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_11));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

fn api_error(error: &ApiError, request_id: &str) -> Response<Body> {
    let mut response = api_reply(error.status, Zeroizing::new(error.body()), request_id);
    if let Ok(code) = HeaderValue::from_str(error.code) {
        response.headers_mut().insert("x-amzn-errortype", code);
    }
    response
}

fn text(status: u16, body: &str) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::copy_from_slice(body.as_bytes())));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn too_large() -> ApiError {
    ApiError {
        code: "RequestEntityTooLargeException",
        message: format!("Request body is larger than {} bytes.", api::MAX_BODY),
        status: 413,
    }
}

/// Reads a whole body into a buffer that is wiped on drop.
async fn read_body(
    headers: &http::HeaderMap,
    body: Incoming,
) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > api::MAX_BODY as u64) {
        return Err(too_large());
    }
    let mut out = Zeroizing::new(Vec::with_capacity(declared.unwrap_or(0) as usize));
    let mut limited = Limited::new(body, api::MAX_BODY);
    let read = async {
        while let Some(frame) = limited.frame().await {
            let frame = frame.map_err(|e| {
                if e.downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some()
                {
                    too_large()
                } else {
                    ApiError::client(
                        "SerializationException",
                        "The request body could not be read.",
                    )
                }
            })?;
            if let Ok(data) = frame.into_data() {
                out.extend_from_slice(&data);
            }
        }
        Ok::<(), ApiError>(())
    };
    match tokio::time::timeout(BODY_TIMEOUT, read).await {
        Ok(Ok(())) => Ok(out),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(ApiError::client(
            "RequestTimeoutException",
            "The request body did not arrive in time.",
        )),
    }
}

async fn api_request(service: &Arc<Service>, req: Request<Incoming>) -> Response<Body> {
    let started = Instant::now();
    let id = request_id();
    let (parts, body) = req.into_parts();
    let body = match read_body(&parts.headers, body).await {
        Ok(body) => body,
        Err(e) => return api_error(&e, &id),
    };
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let signed = sigv4::Request {
        method: parts.method.as_str(),
        path_and_query,
        headers: &parts.headers,
        body: &body,
    };
    let verified = match sigv4::verify(&signed, SystemTime::now(), |key| service.keys.lookup(key)) {
        Ok(v) => v,
        Err(e) => return api_error(&e, &id),
    };
    let operation = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.strip_prefix("secretsmanager."))
        .filter(|op| !op.is_empty() && op.bytes().all(|b| b.is_ascii_alphanumeric()));
    let Some(operation) = operation.map(str::to_string) else {
        return api_error(
            &ApiError::client("UnknownOperationException", "The operation is not known."),
            &id,
        );
    };
    if parts.method != Method::POST || parts.uri.path() != "/" {
        return api_error(
            &ApiError::client("UnknownOperationException", "The operation is not known."),
            &id,
        );
    }
    let reply = if inline(&operation) {
        // A single read answers in microseconds from memory: served on
        // this thread, its log entry handed to the log writer and waited
        // for without holding a thread.
        let (reply, pending) = api::handle_deferred(
            &service.backend,
            &verified.client,
            &verified.region,
            &operation,
            &body,
            true,
        );
        drop(body);
        logged(reply, pending).await
    } else {
        let service2 = service.clone();
        let client = verified.client;
        let region = verified.region;
        let op = operation.clone();
        tokio::task::spawn_blocking(move || {
            api::handle(&service2.backend, &client, &region, &op, &body)
        })
        .await
        .unwrap_or_else(|_| Reply::error(&ApiError::internal("the operation failed unexpectedly")))
    };
    if service.timing {
        eprintln!(
            "sm serve: timing {operation} {} {}us",
            reply.status,
            started.elapsed().as_micros()
        );
    }
    api_reply(reply.status, reply.body, &id)
}

async fn agent_request(service: &Arc<Service>, req: Request<Incoming>) -> Response<Body> {
    let started = Instant::now();
    let Some(settings) = &service.agent else {
        return text(404, "Not found");
    };
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let route = agent::route(req.method(), path_and_query, req.headers(), &settings.token);
    let request = match route {
        Err((status, body)) => return text(status, &body),
        Ok(agent::Route::Ping) => return text(200, "healthy"),
        Ok(agent::Route::Get(request)) => request,
    };
    // The agent's requests carry no signing scope: an ARN's own region,
    // else the server's.
    let region = api::shapes::arn_place(&request.secret_id)
        .map_or(settings.region.as_str(), |(region, _)| region)
        .to_string();
    let (reply, pending) = api::handle_deferred(
        &service.backend,
        &settings.client,
        &region,
        "GetSecretValue",
        &request.body(),
        true,
    );
    let reply = logged(reply, pending).await;
    if service.timing {
        eprintln!(
            "sm serve: timing agent {} {}us",
            reply.status,
            started.elapsed().as_micros()
        );
    }
    let mut response = Response::new(Full::new(Bytes::from_owner(reply.body)));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::BAD_REQUEST);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Whether an operation is served on the connection's own thread: a read
/// of one secret, which is a few `stat` calls while its files are unchanged
/// (a rotation's hooks or a listing of thousands of secrets go to the
/// blocking pool, so they never stall other connections).
fn inline(operation: &str) -> bool {
    operation == "GetSecretValue"
}

/// Waits for a call's deferred log entries, then gives its answer (or the
/// error of a failed append).
async fn logged(reply: Reply, pending: Vec<crate::serve::backend::Pending>) -> Reply {
    let mut written = Ok(());
    for p in pending {
        if let Err(e) = p.done().await {
            written = Err(e);
        }
    }
    reply.logged(written)
}

/// Binds a loopback or allowed address, as a std listener (so a bad
/// address fails before any runtime exists).
pub fn bind(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}
