//! Inside `serve`: one thread per mailbox of every practice, reading new mail as it arrives
//! (IMAP IDLE), recording it through the desk and waking the outbox for its auto-reply and
//! the live inboxes. Mailboxes added to a practice file later are watched after a restart.

use frontdesk_store::PracticeId;

use crate::state::{AppState, Event};

/// Starts a watcher for each mailbox the practices have now.
pub fn watch_all(state: &AppState, poll: std::time::Duration) {
    let found = state.with_store(|store| -> Result<Vec<(PracticeId, String)>, String> {
        let mut all = Vec::new();
        for id in store.practice_ids().map_err(|e| e.to_string())? {
            let p = state.practice(store, id).map_err(|e| e.to_string())?;
            for b in p.settings().mail.iter().flat_map(|m| m.mailboxes.iter()) {
                all.push((id, b.name.clone()));
            }
        }
        Ok(all)
    });
    let boxes = match found {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "the practices' mailboxes could not be read");
            return;
        }
    };
    for (id, name) in boxes {
        let state = state.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("mailbox {name}"))
            .spawn(move || watch(state, id, name, poll));
        if let Err(e) = spawned {
            tracing::error!(error = %e, "a mailbox watcher could not start");
        }
    }
}

fn watch(state: AppState, id: PracticeId, name: String, poll: std::time::Duration) {
    let practice = || {
        state
            .with_store(|store| state.practice(store, id))
            .map_err(|e| tracing::warn!(error = %e, "the practice could not be read"))
            .ok()
    };
    let now = || state.now();
    let mut with = |f: &mut dyn FnMut(&mut dyn frontdesk_store::Store)| {
        state.with_store(|store| f(store));
    };
    let mut recorded = |f: &frontdesk_desk::imap::Fetched| {
        tracing::info!(mailbox = %f.mailbox, recorded = f.recorded, read = f.read, "mail read");
        let _ = state.events.send(Event::Inbox { practice: id });
        state.wake.notify_one();
    };
    frontdesk_desk::imap::watch(
        &mut with,
        id,
        &practice,
        &name,
        &now,
        frontdesk_desk::imap::Watch {
            poll,
            ..frontdesk_desk::imap::Watch::default()
        },
        &mut recorded,
    );
}
