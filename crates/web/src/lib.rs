//! The desk in a browser and over HTTP: one process on the same core and storage as the CLI.
//!
//! `serve` opens the database, builds the router — the JSON API (`api`), the pages (`pages`),
//! `/healthz` — and runs until Ctrl-C or SIGTERM, finishing requests in flight. Handlers
//! translate HTTP into core calls; every rule stays in `frontdesk-core`.

pub mod agenda_page;
pub mod api;
pub mod auth;
pub mod billing_page;
pub mod booking_pages;
pub mod briefs_page;
pub mod charts;
pub mod client_forms;
pub mod clients;
pub mod dashboard;
pub mod deliverables_page;
pub mod edits;
pub mod error;
pub mod error_pages;
pub mod feeds;
pub mod i18n;
pub mod inbox_page;
pub mod layout;
pub mod mailboxes;
pub mod outbox_page;
pub mod pages;
pub mod promises_page;
mod public;
pub mod rating_pages;
pub mod report_pdf;
pub mod risk_page;
pub mod settings;
pub mod signin;
pub mod state;
pub mod team_page;
pub mod ticks;

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use state::AppState;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub db: PathBuf,
    /// Mark cookies Secure: set when the server is reached through TLS.
    pub secure_cookies: bool,
    /// How often subscribed calendar feeds are fetched for busy times.
    pub busy_refresh: std::time::Duration,
    /// How often a mailbox whose server has no IDLE is read.
    pub mail_poll: std::time::Duration,
    /// Where `now` comes from (a fixed instant for tests and demos of a given day).
    pub at: Option<jiff::Timestamp>,
    /// Deliver every outgoing message to this file as JSON lines (tests, other systems).
    pub outbox_file: Option<PathBuf>,
    /// A reverse proxy whose X-Forwarded-For is believed (the last address in it).
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Hosts a calendar feed may be fetched from although their addresses are not public.
    pub feed_allow_hosts: Vec<String>,
    /// How long a client has to send a request's headers (also how long a kept-alive
    /// connection may sit idle) and, times three, its body.
    pub header_timeout: std::time::Duration,
    /// The most connections served at once; more are closed as they arrive.
    pub max_connections: usize,
    /// Where clients reach the server: links in messages start with it (default: the
    /// address listened on).
    pub public_url: Option<String>,
}

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Whether the server can serve: it reads the database, so a server whose database is gone
/// or locked answers 503 instead of a cheerful "ok".
async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match state.db(|store| Ok(store.practices()?.len())).await {
        Ok(_) => "ok".into_response(),
        Err(e) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("the database cannot be read: {}", e.message),
        )
            .into_response(),
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .merge(api::routes())
        .merge(pages::routes())
        .merge(outbox_page::routes())
        .merge(risk_page::routes())
        .merge(promises_page::routes())
        .merge(billing_page::routes())
        .merge(deliverables_page::routes())
        .merge(rating_pages::routes())
        .merge(public::routes())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Runs the server until a shutdown signal; `ready` gets the bound address.
/// `store` is the database `config.db` names, opened by the caller with whichever backend.
pub async fn serve(
    config: Config,
    store: Box<state::DynStore>,
    ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    if let Some(url) = &config.public_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        anyhow::bail!("public_url: {url:?} is not an address such as https://desk.example.com");
    }
    let clock = match config.at {
        Some(at) => state::Clock::fixed(at),
        None => state::Clock::System,
    };
    let changes = store.changes().map_err(|e| anyhow::anyhow!("{e}"))?;
    let state = AppState::new(
        store,
        clock,
        config.secure_cookies,
        config.trusted_proxy,
        config.feed_allow_hosts.clone(),
    );
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr()?;
    let public = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let _ = state
        .public_url
        .set(public.trim_end_matches('/').to_string());
    tracing::info!(%addr, db = %config.db.display(), "frontdesk is serving");
    tokio::spawn(feeds::refresh_forever(state.clone(), config.busy_refresh));
    // E-mail goes through each practice's [mail] relay as the practices are now; a change of
    // those settings takes effect when the server restarts.
    let file = config.outbox_file.clone();
    let transports = state
        .db(move |store| Ok(frontdesk_desk::smtp::transports(store, file)?))
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    // One pass before serving: what came in while the server was down goes out first.
    let transports = std::sync::Arc::new(transports);
    ticks::pass(&state, transports.clone()).await;
    tokio::spawn(ticks::run_forever(
        state.clone(),
        transports,
        std::time::Duration::from_secs(60),
    ));
    mailboxes::watch_all(&state, config.mail_poll);
    if let Some(changes) = changes {
        listen_forever(&state, changes);
    }
    ready(addr);
    let app = router(state).layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
        config.header_timeout * 3,
    ));
    accept_loop(listener, app, config.header_timeout, config.max_connections).await;
    tracing::info!("frontdesk stopped");
    Ok(())
}

/// Tells this server's live inboxes what other instances recorded or answered, as the database
/// reports it, on a thread of its own (the wait blocks); a lost connection is retried.
fn listen_forever(state: &AppState, mut changes: Box<dyn frontdesk_store::Changes>) {
    let events = state.events.clone();
    std::thread::spawn(move || {
        let mut failing = false;
        loop {
            match changes.wait(std::time::Duration::from_secs(1)) {
                Ok(practices) => {
                    if failing {
                        tracing::info!("listening to the database's changes again");
                        failing = false;
                    }
                    for practice in practices {
                        let _ = events.send(state::Event::Inbox { practice });
                    }
                }
                Err(e) => {
                    if !failing {
                        tracing::warn!(error = %e, "cannot hear other instances' changes; retrying");
                        failing = true;
                    }
                }
            }
        }
    });
}

/// Serves connections until a shutdown signal, at most `max` at once: a connection over the
/// cap is closed as it arrives, and one that does not send a request's headers within
/// `header_timeout` — idle, or trickling a byte at a time — is closed, so idle clients cannot
/// hold every file handle. Open connections finish their request at shutdown.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: std::time::Duration,
    max: usize,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    let max = max.clamp(1, 1 << 20);
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(max));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let shutdown = shutdown();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file handles, or a client gone before it was accepted: keep on.
                    tracing::warn!(error = %e, "a connection could not be accepted");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tracing::warn!(%peer, max, "too many connections; closing a new one");
            drop(stream);
            continue;
        };
        let app = app.clone();
        let http = http.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(
                move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    app.clone().oneshot(req.map(axum::body::Body::new))
                },
            );
            // A client that stops reading cannot hold the connection: a write that makes no
            // progress for the header timeout's length ends it (a live stream keeps writing).
            let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
            stream.set_write_timeout(Some(header_timeout.max(std::time::Duration::from_secs(5))));
            let conn = http.serve_connection(TokioIo::new(Box::pin(stream)), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stopped.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(permit);
        });
    }
    let _ = stop.send(true);
    // Requests in flight finish (within 5 s: live inbox streams never do) before it returns.
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        permits.acquire_many(max as u32),
    )
    .await;
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
