//! Subscribed calendar feeds, refreshed on a schedule while the server runs. A feed that cannot
//! be fetched or read keeps the busy times it gave before; the error is recorded.

use std::time::Duration;

use frontdesk_desk::busy::{feed_host, fetch, read_calendar};

use crate::state::AppState;

/// Fetches and imports every subscribed feed once; returns how many were read. Each fetch
/// happens without holding the database.
pub async fn refresh_all(state: &AppState) -> usize {
    let sources = match state.db(|s| Ok(s.busy_sources()?)).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e.message, "cannot list busy-time feeds");
            return 0;
        }
    };
    let mut read_ok = 0;
    for src in sources {
        let url = src.url.clone();
        let s = state.clone();
        let practice = match state
            .db(move |store| Ok(s.practice(store, src.practice)?))
            .await
        {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(feed = src.id, error = %e.message, "busy-time feed's practice not read");
                continue;
            }
        };
        let now = state.now();
        let member = src.member.clone();
        // Fetching and reading happen off the database and off the request threads: a slow
        // or huge feed delays only itself.
        let allow = state.feed_allow_hosts.clone();
        let busy = tokio::task::spawn_blocking(move || {
            fetch(&url, &allow).and_then(|text| {
                read_calendar(&practice, &member, &text, now).map_err(|e| e.summary())
            })
        })
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
        let outcome = state
            .db(move |store| {
                // Unsubscribed while it was being fetched: nothing to write, nothing to record.
                if !store.busy_sources()?.iter().any(|s| s.id == src.id) {
                    return Ok(Ok(()));
                }
                let result = match busy {
                    Ok(busy) => store
                        .replace_busy(src.practice, &src.member, &src.url, &busy)
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                // What is recorded (and shown to the team) leaves out the feed's secret path.
                let error = result
                    .as_ref()
                    .err()
                    .map(|e| e.replace(&src.url, &feed_host(&src.url)));
                store.busy_source_checked(src.id, now, error.as_deref())?;
                Ok(result)
            })
            .await;
        match outcome {
            Ok(Ok(())) => read_ok += 1,
            Ok(Err(e)) => {
                tracing::warn!(feed = src.id, error = %e, "busy-time feed not read; the previous busy times stay")
            }
            Err(e) => {
                tracing::warn!(feed = src.id, error = %e.message, "busy-time feed not recorded")
            }
        }
    }
    read_ok
}

/// Refreshes the feeds now and then every `every`, for as long as the server runs.
pub async fn refresh_forever(state: AppState, every: Duration) {
    loop {
        let read = refresh_all(&state).await;
        tracing::debug!(read, "busy-time feeds refreshed");
        tokio::time::sleep(every).await;
    }
}
