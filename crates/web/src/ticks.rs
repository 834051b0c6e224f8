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
        .db(move |store| Ok(frontdesk_desk::timers::tick_all(store, now)?))
        .await
    {
        Ok(0) => {}
        Ok(ran) => tracing::info!(ran, "timer jobs ran"),
        Err(e) => tracing::warn!(error = %e.message, "the timers could not run"),
    }
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

/// Runs a pass every `every`, and as soon as a request queues a message (`AppState::wake`),
/// for as long as the server runs.
pub async fn run_forever(state: AppState, transports: std::sync::Arc<Transports>, every: Duration) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = state.wake.notified() => {}
        }
        pass(&state, transports.clone()).await;
    }
}
