//! Mail in from IMAP: each mailbox of the practice file is read by UID, after the checkpoint
//! the store keeps (UIDVALIDITY and the last UID, moved in the transaction of the contact each
//! message becomes). Messages are fetched with `BODY.PEEK[]`, so nothing is marked \Seen,
//! and nothing on the server is deleted or flagged. A message is recorded once per practice
//! by its Message-ID however often it comes (again, to two mailboxes, after a crash).
//!
//! `fetch` is one pass (`frontdesk mail fetch`); `watch` keeps a connection and waits with
//! IDLE (re-issued every 25 minutes; polling where the server has no IDLE), reconnecting with
//! a growing pause after an error, which stays visible in the mailbox's state.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use frontdesk_core::{ImapAuth, Mailbox, Practice, TlsMode};
use frontdesk_store::{Checkpoint, PracticeId, Store, StoreError, Unmatched};
use imap::extensions::idle::SetReadTimeout;
use jiff::Timestamp;

use crate::contacts::Replies;
use crate::mail::{MAX_MESSAGE_BYTES, Refused, RefusedMessage};

/// Lends the store for a moment: the server holds its lock only while `f` runs.
pub type WithStore<'a> = &'a mut dyn FnMut(&mut dyn FnMut(&mut dyn Store));

/// Messages fetched in one round trip.
const BATCH: usize = 200;

/// A connection, plain (a server on this machine) or TLS.
pub enum Conn {
    /// No encryption.
    Plain(TcpStream),
    /// TLS (from the first byte, or after STARTTLS).
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

impl SetReadTimeout for Conn {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> imap::Result<()> {
        match self {
            Conn::Plain(s) => TcpStream::set_read_timeout(s, timeout),
            Conn::Tls(s) => s.sock.set_read_timeout(timeout),
        }
        .map_err(imap::Error::Io)
    }
}

/// A signed-in session.
pub type Session = imap::Session<Conn>;

fn tls(b: &Mailbox, tcp: TcpStream) -> Result<Conn, String> {
    let host = &b.host;
    let config = match &b.tls_ca_file {
        None => {
            use rustls_platform_verifier::ConfigVerifierExt;
            rustls::ClientConfig::with_platform_verifier()
                .map_err(|e| format!("{host}: TLS cannot be set up ({e})"))?
        }
        Some(file) => {
            use rustls::pki_types::pem::PemObject;
            let mut roots = rustls::RootCertStore::empty();
            let certs = rustls::pki_types::CertificateDer::pem_file_iter(file)
                .map_err(|e| format!("tls_ca_file {file}: {e}"))?;
            for cert in certs {
                let cert = cert.map_err(|e| format!("tls_ca_file {file}: {e}"))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("tls_ca_file {file}: {e}"))?;
            }
            if roots.is_empty() {
                return Err(format!("tls_ca_file {file}: no certificate in it"));
            }
            rustls::ClientConfig::builder()
                .with_root_certificates(roots)
                .with_no_client_auth()
        }
    };
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|_| format!("{host} is not a host name TLS can check"))?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name)
        .map_err(|e| format!("{host}: TLS cannot be set up ({e})"))?;
    Ok(Conn::Tls(Box::new(rustls::StreamOwned::new(conn, tcp))))
}

struct Sasl {
    mechanism: ImapAuth,
    user: String,
    secret: String,
}

impl imap::Authenticator for Sasl {
    type Response = Vec<u8>;

    fn process(&self, _challenge: &[u8]) -> Vec<u8> {
        match self.mechanism {
            ImapAuth::XOAuth2 => {
                format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.secret).into_bytes()
            }
            _ => format!("\0{}\0{}", self.user, self.secret).into_bytes(),
        }
    }
}

/// Reads the greeting and asks for TLS, on the plain connection.
fn starttls(mut tcp: TcpStream) -> std::io::Result<TcpStream> {
    fn line(tcp: &mut TcpStream) -> std::io::Result<String> {
        // Byte by byte: nothing after the server's line may be read before TLS begins.
        let mut out = Vec::new();
        let mut byte = [0u8; 1];
        while !out.ends_with(b"\r\n") {
            if tcp.read(&mut byte)? == 0 || out.len() > 8192 {
                return Err(std::io::Error::other("the server closed the connection"));
            }
            out.push(byte[0]);
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
    let greeting = line(&mut tcp)?;
    if !greeting.starts_with("* OK") {
        return Err(std::io::Error::other(greeting.trim().to_string()));
    }
    tcp.write_all(b"fd0 STARTTLS\r\n")?;
    loop {
        let l = line(&mut tcp)?;
        if l.starts_with("fd0 OK") {
            return Ok(tcp);
        }
        if l.starts_with("fd0 ") {
            return Err(std::io::Error::other(l.trim().to_string()));
        }
    }
}

/// Connects and signs in; an error names the server and what went wrong, never the secret.
pub fn connect(b: &Mailbox) -> Result<Session, String> {
    let at = format!("{}:{}", b.host, b.port);
    let addrs = std::net::ToSocketAddrs::to_socket_addrs(&(b.host.as_str(), b.port))
        .map_err(|e| format!("{at}: {e}"))?;
    let mut last = format!("{at}: no address");
    let mut tcp = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(15)) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last = format!("{at}: {e}"),
        }
    }
    let tcp = tcp.ok_or(last)?;
    // A server that stops answering must not hold the desk: every read has a limit (IDLE
    // sets its own).
    tcp.set_read_timeout(Some(Duration::from_secs(120)))
        .and_then(|()| tcp.set_write_timeout(Some(Duration::from_secs(60))))
        .map_err(|e| format!("{at}: {e}"))?;
    let err = |e: imap::Error| format!("{at}: {e}");
    let client = match b.tls {
        TlsMode::Tls => {
            let mut c = imap::Client::new(tls(b, tcp)?);
            c.read_greeting().map_err(err)?;
            c
        }
        TlsMode::None => {
            let mut c = imap::Client::new(Conn::Plain(tcp));
            c.read_greeting().map_err(err)?;
            c
        }
        TlsMode::StartTls => {
            let tcp = starttls(tcp).map_err(|e| format!("{at}: STARTTLS: {e}"))?;
            // The greeting was read before TLS began.
            imap::Client::new(tls(b, tcp)?)
        }
    };
    let secret = crate::smtp::reveal(&b.password).map_err(|e| format!("{at}: {e}"))?;
    let session = match b.auth {
        ImapAuth::Login => client.login(&b.user, &secret).map_err(|(e, _)| err(e))?,
        ImapAuth::Plain | ImapAuth::XOAuth2 => {
            let mechanism = if b.auth == ImapAuth::Plain {
                "PLAIN"
            } else {
                "XOAUTH2"
            };
            client
                .authenticate(
                    mechanism,
                    &Sasl {
                        mechanism: b.auth,
                        user: b.user.clone(),
                        secret,
                    },
                )
                .map_err(|(e, _)| err(e))?
        }
    };
    Ok(session)
}

/// What one pass over a mailbox did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Fetched {
    /// The mailbox's name.
    pub mailbox: String,
    /// Messages in the folder.
    pub present: u64,
    /// Messages read in this pass.
    pub read: usize,
    /// Recorded as new contacts.
    pub recorded: usize,
    /// Recorded before (the same Message-ID, from this mailbox or another).
    pub duplicates: usize,
    /// Of those recorded now, automatic mail.
    pub automatic: usize,
    /// From senders no client has: kept in the unmatched list.
    pub unmatched: usize,
    /// Not recorded, with why (`number` is the message's UID).
    pub refused: Vec<RefusedMessage>,
}

/// Reads what arrived in a mailbox since its checkpoint, on an open session. `now` gives the
/// instant each message is recorded at (a pinned clock in tests).
pub fn pass(
    session: &mut Session,
    with: WithStore<'_>,
    id: PracticeId,
    practice: &Practice,
    b: &Mailbox,
    now: &dyn Fn() -> Timestamp,
) -> Result<Fetched, String> {
    let folder = session
        .select(&b.folder)
        .map_err(|e| format!("{}: folder {}: {e}", b.host, b.folder))?;
    let uidvalidity = folder.uid_validity.unwrap_or(0);
    let mut report = Fetched {
        mailbox: b.name.clone(),
        present: u64::from(folder.exists),
        ..Fetched::default()
    };
    let mut last = 0;
    let mut failure = None;
    with(&mut |store| {
        let r = store
            .mailbox_checked(
                id,
                &b.name,
                Some(uidvalidity),
                Some(report.present),
                now(),
                None,
            )
            .and_then(|()| store.mailboxes(id));
        match r {
            Ok(states) => {
                last = states
                    .iter()
                    .find(|s| s.mailbox == b.name)
                    .map_or(0, |s| s.uid)
            }
            Err(e) => failure = Some(e.to_string()),
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let Some(next) = last.checked_add(1) else {
        return Ok(report);
    };
    // `n:*` always includes the last message, even below n: keep only what is new.
    let mut uids: Vec<u32> = session
        .uid_search(format!("UID {next}:*"))
        .map_err(|e| format!("{}: {e}", b.host))?
        .into_iter()
        .filter(|u| *u > last)
        .collect();
    uids.sort_unstable();
    for chunk in uids.chunks(BATCH) {
        let set = uid_set(chunk);
        // Sizes first: a message over the limit is refused without being downloaded.
        let sizes = session
            .uid_fetch(&set, "(UID RFC822.SIZE)")
            .map_err(|e| format!("{}: {e}", b.host))?;
        let mut small = Vec::new();
        let mut large = Vec::new();
        for m in sizes.iter() {
            let (Some(uid), size) = (m.uid, m.size.unwrap_or(0)) else {
                continue;
            };
            if size as usize > MAX_MESSAGE_BYTES {
                large.push(uid);
            } else {
                small.push(uid);
            }
        }
        let mut raws: Vec<(u32, Option<Vec<u8>>)> =
            large.into_iter().map(|uid| (uid, None)).collect();
        if !small.is_empty() {
            let bodies = session
                .uid_fetch(uid_set(&small), "(UID BODY.PEEK[])")
                .map_err(|e| format!("{}: {e}", b.host))?;
            for m in bodies.iter() {
                if let (Some(uid), Some(body)) = (m.uid, m.body()) {
                    raws.push((uid, Some(body.to_vec())));
                }
            }
        }
        // A message deleted while this pass ran is simply not there.
        raws.sort_by_key(|(uid, _)| *uid);
        for (uid, raw) in raws {
            report.read += 1;
            let checkpoint = Checkpoint {
                mailbox: b.name.clone(),
                uidvalidity,
                uid,
            };
            let mut outcome: Result<(), String> = Ok(());
            with(&mut |store| {
                outcome = one(
                    store,
                    id,
                    practice,
                    &checkpoint,
                    raw.as_deref(),
                    now(),
                    &mut report,
                )
                .map_err(|e| e.to_string());
            });
            outcome?;
        }
    }
    Ok(report)
}

/// UIDs as an IMAP set: `4,7,9`.
fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Records one fetched message (or passes it, with why), moving the checkpoint with it.
fn one(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    checkpoint: &Checkpoint,
    raw: Option<&[u8]>,
    now: Timestamp,
    report: &mut Fetched,
) -> Result<(), StoreError> {
    let refuse = |report: &mut Fetched, message_id: Option<String>, reason: String| {
        report.refused.push(RefusedMessage {
            number: checkpoint.uid as usize,
            message_id,
            reason,
        });
    };
    let mail = match raw.map(crate::mail::parse) {
        None => {
            refuse(report, None, Refused::TooLarge.to_string());
            return store.pass_mail(id, Some(checkpoint), None);
        }
        Some(Err(e)) => {
            refuse(report, None, e.to_string());
            return store.pass_mail(id, Some(checkpoint), None);
        }
        Some(Ok(m)) => m,
    };
    let recorded = crate::mail::record(
        store,
        id,
        practice,
        &mail,
        now,
        Replies::Timely(now),
        Some(checkpoint),
    );
    match recorded {
        Ok(Ok((_, true))) => {
            report.recorded += 1;
            report.automatic += usize::from(mail.automatic.is_some());
            Ok(())
        }
        Ok(Ok((_, false))) => {
            report.duplicates += 1;
            Ok(())
        }
        Ok(Err(Refused::Unmatched(from))) if mail.automatic.is_some() => {
            // A bounce or a newsletter from a stranger is nobody's to assign: not listed.
            refuse(
                report,
                Some(mail.id.clone()),
                format!("automatic mail from an unknown sender ({from})"),
            );
            store.pass_mail(id, Some(checkpoint), None)
        }
        Ok(Err(Refused::Unmatched(from))) => {
            report.unmatched += 1;
            let unmatched = Unmatched {
                key: crate::mail::key(&mail.id),
                from,
                at: mail.date.filter(|d| *d <= now).unwrap_or(now),
                body: mail.body.clone(),
                automatic: mail.automatic.clone(),
                refers_to: mail.refers_to.clone(),
            };
            store.pass_mail(id, Some(checkpoint), Some(&unmatched))
        }
        Ok(Err(e)) => {
            refuse(report, Some(mail.id.clone()), e.to_string());
            store.pass_mail(id, Some(checkpoint), None)
        }
        Err(StoreError::KeyReused(_)) => {
            refuse(
                report,
                Some(mail.id.clone()),
                "another message came before with the same Message-ID".to_string(),
            );
            store.pass_mail(id, Some(checkpoint), None)
        }
        Err(e) => Err(e),
    }
}

/// One pass over a mailbox on a new connection: `frontdesk mail fetch`. A failure is kept
/// as the mailbox's last error (and returned).
pub fn fetch(
    with: WithStore<'_>,
    id: PracticeId,
    practice: &Practice,
    b: &Mailbox,
    now: &dyn Fn() -> Timestamp,
) -> Result<Fetched, String> {
    let result = connect(b).and_then(|mut session| {
        let r = pass(&mut session, with, id, practice, b, now);
        let _ = session.logout();
        r
    });
    if let Err(e) = &result {
        note_error(with, id, b, now(), e);
    }
    result
}

fn note_error(with: WithStore<'_>, id: PracticeId, b: &Mailbox, at: Timestamp, error: &str) {
    with(&mut |store| {
        if let Err(e) = store.mailbox_checked(id, &b.name, None, None, at, Some(error)) {
            tracing::warn!(mailbox = %b.name, error = %e, "the mailbox's error could not be kept");
        }
    });
}

/// How a watched mailbox waits for mail.
#[derive(Clone, Copy, Debug)]
pub struct Watch {
    /// How long one IDLE runs before it is re-issued (RFC 2177: under 29 minutes).
    pub idle: Duration,
    /// Between two passes on a server without IDLE.
    pub poll: Duration,
    /// The longest pause before reconnecting after an error.
    pub max_backoff: Duration,
}

impl Default for Watch {
    fn default() -> Watch {
        Watch {
            idle: Duration::from_secs(25 * 60),
            poll: Duration::from_secs(60),
            max_backoff: Duration::from_secs(300),
        }
    }
}

/// Watches a mailbox for as long as the practice has it: a pass, then IDLE until the server says something
/// changed (or a poll interval without IDLE), then another pass. `recorded` hears each pass
/// that recorded something. Errors are kept as the mailbox's last error; the connection is
/// made again after a pause that doubles up to `max_backoff`.
pub fn watch(
    with: WithStore<'_>,
    id: PracticeId,
    practice: &dyn Fn() -> Option<Arc<Practice>>,
    name: &str,
    now: &dyn Fn() -> Timestamp,
    settings: Watch,
    recorded: &mut dyn FnMut(&Fetched),
) {
    let mut backoff = Duration::from_secs(1);
    loop {
        let Some(p) = practice() else { return };
        let Some(b) = p
            .settings()
            .mail
            .as_ref()
            .and_then(|m| m.mailboxes.iter().find(|b| b.name == name))
            .cloned()
        else {
            return;
        };
        let result = connect(&b).and_then(|mut session| {
            let idle = session
                .capabilities()
                .map(|c| c.has_str("IDLE"))
                .unwrap_or(false);
            loop {
                let f = pass(&mut session, with, id, &p, &b, now)?;
                backoff = Duration::from_secs(1);
                if f.read > 0 {
                    recorded(&f);
                }
                if idle {
                    session
                        .idle()
                        .timeout(settings.idle)
                        .keepalive(false)
                        .wait_while(imap::extensions::idle::stop_on_any)
                        .map_err(|e| format!("{}: IDLE: {e}", b.host))?;
                } else {
                    session.noop().map_err(|e| format!("{}: {e}", b.host))?;
                    std::thread::sleep(settings.poll);
                }
                // The practice file may have changed the mailbox: start again with it.
                if practice().is_none_or(|q| !Arc::ptr_eq(&q, &p)) {
                    let _ = session.logout();
                    return Ok(());
                }
            }
        });
        if let Err(e) = result {
            tracing::warn!(mailbox = %name, error = %e, "reading the mailbox failed; trying again");
            note_error(with, id, &b, now(), &e);
            std::thread::sleep(backoff);
            backoff = (backoff * 2).min(settings.max_backoff);
        }
    }
}
