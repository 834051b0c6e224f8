//! The timers and the outbox while the server runs: every pass runs the due jobs of every
//! practice and delivers what is due, at the server's clock. A pass that fails is logged and
//! the next one tries again; jobs run once and messages are marked after each send, so a pass
//! cut short repeats nothing that finished.

use std::time::Duration;

use frontdesk_desk::outbox::{Transports, deliver};

use crate::state::AppState;

/// One pass: timers, then delivery. The store is held per step, never while a message is
/// being sent.
pub async fn pass(state: &AppState, transports: std::sync::Arc<Transports>) {
    let now = state.now();
    match state
        .db({
            // Practices come from the server's cache, not parsed again every minute.
            let s = state.clone();
            move |store| {
                let url = s.public_url().to_string();
                Ok(frontdesk_desk::timers::tick_all(
                    store,
                    now,
                    Some(&url),
                    &|st, id| s.practice(st, id),
                )?)
            }
        })
        .await
    {
        Ok(0) => {}
        Ok(ran) => tracing::info!(ran, "timer jobs ran"),
        Err(e) => tracing::warn!(error = %e.message, "the timers could not run"),
    }
    send(state, transports).await;
}

/// Delivers what is due in the outbox. Without any channel there is nothing to claim, and
/// the database is not touched.
pub async fn send(state: &AppState, transports: std::sync::Arc<Transports>) {
    if transports.routes().is_empty() {
        return;
    }
    let now = state.now();
    let s = state.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        deliver(
            &mut |f| s.with_store(|store| f(store)),
            &transports,
            now,
            1000,
        )
    })
    .await;
    match outcome {
        Ok(Ok(d)) if d.sent + d.failed > 0 => {
            tracing::info!(
                sent = d.sent,
                failed = d.failed,
                dead = d.dead,
                "outbox delivered"
            )
        }
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "the outbox could not be read"),
        Err(e) => tracing::error!(error = %e, "the outbox sender failed"),
    }
}

/// Runs a pass every `every`, and delivers as soon as a request queues a message
/// (`AppState::wake`), for as long as the server runs. A wake only sends: the timers look at
/// every open contact, which is the minute's work, not every request's.
pub async fn run_forever(state: AppState, transports: std::sync::Arc<Transports>, every: Duration) {
    let mut next = tokio::time::Instant::now() + every;
    loop {
        tokio::select! {
            () = tokio::time::sleep_until(next) => {
                pass(&state, transports.clone()).await;
                next = tokio::time::Instant::now() + every;
            }
            () = state.wake.notified() => send(&state, transports.clone()).await,
        }
    }
}
