//! Hearing what other instances write (LISTEN/NOTIFY): a trigger on `contacts` notifies
//! `frontdesk_inbox` with the practice's id when a transaction that recorded or answered a
//! contact commits, and each server listens on a connection of its own.

use std::time::Duration;

use frontdesk_store::{Changes, PracticeId, StoreError};
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls};

use crate::Db;

pub(crate) struct Listener {
    config: postgres::Config,
    client: Option<Client>,
}

impl Listener {
    pub(crate) fn new(config: postgres::Config) -> Listener {
        Listener {
            config,
            client: None,
        }
    }

    fn connected(&mut self) -> Result<&mut Client, StoreError> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            let mut client = self.config.connect(NoTls).db()?;
            client.batch_execute("LISTEN frontdesk_inbox").db()?;
            self.client = Some(client);
        }
        Ok(self.client.as_mut().expect("connected just above"))
    }
}

impl Changes for Listener {
    fn wait(&mut self, timeout: Duration) -> Result<Vec<PracticeId>, StoreError> {
        let client = match self.connected() {
            Ok(c) => c,
            Err(e) => {
                // The server is away: wait before the caller asks again.
                std::thread::sleep(timeout);
                return Err(e);
            }
        };
        let mut found = Vec::new();
        let mut notes = client.notifications();
        let first = notes.timeout_iter(timeout).next();
        let first = match first {
            Ok(Some(n)) => n,
            Ok(None) => return Ok(found),
            Err(e) => {
                drop(notes);
                self.client = None;
                return Err(e).db();
            }
        };
        let mut push = |payload: &str| {
            if let Ok(id) = payload.parse::<i64>()
                && !found.contains(&PracticeId(id))
            {
                found.push(PracticeId(id));
            }
        };
        push(first.payload());
        // And whatever else already arrived.
        let mut rest = notes.iter();
        while let Ok(Some(n)) = rest.next() {
            push(n.payload());
        }
        Ok(found)
    }
}
