//! Sending e-mail through a practice's SMTP relay: the outbox's transport for
//! [`Medium::Email`](frontdesk_core::outbox::Medium). Automatic mail says so
//! (`Auto-Submitted`, `X-Auto-Response-Suppress`), so other autoresponders do not answer it,
//! and every message says its language (`Content-Language`). The password is read when a
//! message is sent — from the environment or a command — and never appears in an error.

use std::collections::HashMap;
use std::time::Duration;

use frontdesk_core::{MailSettings, Secret, TlsMode};
use frontdesk_store::{PracticeId, Queued};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport as _};

use crate::outbox::Transport;

/// A header lettre does not know, by name.
macro_rules! text_header {
    ($ty:ident, $name:literal) => {
        #[derive(Clone, Debug)]
        struct $ty(String);

        impl Header for $ty {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($name)
            }

            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($ty(s.to_string()))
            }

            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

text_header!(AutoSubmitted, "Auto-Submitted");
text_header!(AutoResponseSuppress, "X-Auto-Response-Suppress");
text_header!(ContentLanguage, "Content-Language");

/// Sends each practice's e-mail through the relay its `[mail]` settings name.
pub struct SmtpSender {
    settings: HashMap<PracticeId, MailSettings>,
}

impl SmtpSender {
    /// A sender for the practices that have mail settings; None when none has.
    pub fn new(settings: HashMap<PracticeId, MailSettings>) -> Option<SmtpSender> {
        (!settings.is_empty()).then_some(SmtpSender { settings })
    }
}

/// The password a secret names, read now.
pub(crate) fn reveal(secret: &Secret) -> Result<String, String> {
    match secret {
        Secret::Env(name) => {
            std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
        }
        Secret::Command(command) => {
            let mut child = std::process::Command::new("sh")
                .args(["-c", command])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .spawn()
                .map_err(|_| "the password command could not be run".to_string())?;
            // A command waiting for a prompt must not hold the sender for good.
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if std::time::Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    _ => {
                        let _ = child.kill();
                        let _ = child.wait();
                        return Err("the password command did not finish in 10 s".to_string());
                    }
                }
            }
            let out = child
                .wait_with_output()
                .map_err(|_| "the password command could not be read".to_string())?;
            if !out.status.success() {
                return Err("the password command failed".to_string());
            }
            Ok(String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string())
        }
    }
}

/// The message as mail.
fn build(settings: &MailSettings, q: &Queued) -> Result<Message, String> {
    let m = &q.message;
    let domain = settings
        .from
        .rsplit_once('@')
        .map_or("localhost", |(_, d)| d);
    // A person's answer is not automatic mail (RFC 3834); the rest is.
    let automatic = if m.key.starts_with("answer:") {
        None
    } else if m.key.starts_with("reply:") {
        Some("auto-replied")
    } else {
        Some("auto-generated")
    };
    // A member's answer may come from the member (envelope and header); the rest from the
    // practice's address.
    let from = m.from.as_deref().unwrap_or(&settings.from);
    let mut builder = Message::builder()
        .from(
            from.parse()
                .map_err(|_| format!("the sender {from:?} is not an address"))?,
        )
        .to(m
            .to
            .parse()
            .map_err(|_| format!("{:?} is not an e-mail address", m.to))?)
        .subject(m.subject.clone())
        .message_id(Some(format!(
            "<{}.{}@{domain}>",
            m.key.replace(':', "."),
            q.id
        )))
        .header(ContentLanguage(m.language.code().to_string()));
    if let Some(id) = &m.in_reply_to {
        builder = builder
            .in_reply_to(format!("<{id}>"))
            .references(format!("<{id}>"));
    }
    if let Some(kind) = automatic {
        builder = builder
            .header(AutoSubmitted(kind.to_string()))
            .header(AutoResponseSuppress("All".to_string()));
    }
    use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
    // The text, and the files it carries: the invitation as a file a calendar opens (RFC 6047),
    // an invoice's PDF.
    let mut files = Vec::new();
    if let Some(calendar) = &m.calendar {
        let method = if calendar.contains("METHOD:CANCEL") {
            "CANCEL"
        } else {
            "REQUEST"
        };
        let kind = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
            .map_err(|e| format!("the invitation's type could not be built: {e}"))?;
        files.push(
            Attachment::new("invitation.ics".to_string()).body(calendar.clone().into_bytes(), kind),
        );
    }
    if let Some(a) = &m.attachment {
        let kind = ContentType::parse(&a.mime)
            .map_err(|e| format!("the attachment's type {:?} is not valid: {e}", a.mime))?;
        files.push(Attachment::new(a.name.clone()).body(a.data.clone(), kind));
    }
    let built = if files.is_empty() {
        builder.header(ContentType::TEXT_PLAIN).body(m.text.clone())
    } else {
        let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(m.text.clone()));
        for f in files {
            parts = parts.singlepart(f);
        }
        builder.multipart(parts)
    };
    built.map_err(|e| format!("the message could not be built: {e}"))
}

impl Transport for SmtpSender {
    fn practices(&self) -> Option<Vec<PracticeId>> {
        Some(self.settings.keys().copied().collect())
    }

    fn send(&self, q: &Queued) -> Result<(), String> {
        let settings = self
            .settings
            .get(&q.practice)
            .ok_or("the practice has no [mail] settings to send e-mail with")?;
        let message = build(settings, q)?;
        let r = &settings.smtp;
        let builder = match r.tls {
            TlsMode::None => SmtpTransport::builder_dangerous(&r.host),
            TlsMode::StartTls => SmtpTransport::starttls_relay(&r.host)
                .map_err(|_| format!("{}: TLS cannot be set up", r.host))?,
            TlsMode::Tls => SmtpTransport::relay(&r.host)
                .map_err(|_| format!("{}: TLS cannot be set up", r.host))?,
        };
        let mut builder = builder.port(r.port).timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(secret)) = (&r.user, &r.password) {
            builder = builder.credentials(Credentials::new(user.clone(), reveal(secret)?));
        }
        builder
            .build()
            .send(&message)
            .map(|_| ())
            // lettre's words name the server and what it answered, never the password.
            .map_err(|e| format!("{}:{}: {e}", r.host, r.port))
    }
}

/// The transports the desk sends with: every message to `file` as a JSON line when given
/// (tests, other systems); otherwise e-mail through the SMTP relay of each practice that has
/// `[mail]` settings (the others' e-mail waits in the outbox).
pub fn transports(
    store: &dyn frontdesk_store::Store,
    file: Option<std::path::PathBuf>,
) -> Result<crate::outbox::Transports, frontdesk_store::StoreError> {
    if let Some(path) = file {
        return Ok(crate::outbox::FileTransport::everything(path));
    }
    let mut settings = HashMap::new();
    for name in store.practices()? {
        let (id, practice) = store.load(Some(&name))?;
        if let Some(m) = &practice.settings().mail {
            settings.insert(id, m.clone());
        }
    }
    let none = crate::outbox::Transports::none();
    Ok(match SmtpSender::new(settings) {
        Some(sender) => none.with(frontdesk_core::outbox::Medium::Email, Box::new(sender)),
        None => none,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::Language;
    use frontdesk_core::outbox::{Medium, Message as Outgoing};

    fn queued(calendar: Option<&str>) -> Queued {
        Queued {
            id: 7,
            practice: PracticeId(1),
            message: Outgoing {
                key: "booking:3:confirmed:0".into(),
                medium: Medium::Email,
                to: "marcos@acme.example".into(),
                language: Language::Es,
                subject: "Reservado".into(),
                text: "Estimado/a Marcos".into(),
                throttle: None,
                in_reply_to: None,
                from: None,
                calendar: calendar.map(str::to_string),
                attachment: None,
            },
            created: jiff::Timestamp::UNIX_EPOCH,
            attempts: 0,
            next_attempt: None,
            last_error: None,
            sent: None,
        }
    }

    fn settings() -> MailSettings {
        MailSettings {
            from: "desk@ruiz.example".into(),
            smtp: frontdesk_core::SmtpRelay {
                host: "127.0.0.1".into(),
                port: 25,
                tls: TlsMode::None,
                user: None,
                password: None,
            },
            auto_reply_every_days: 7,
            mailboxes: Vec::new(),
            answers_from_member: false,
        }
    }

    #[test]
    fn a_message_with_a_file_carries_it_as_an_attachment() {
        let mut q = queued(None);
        q.message.attachment = Some(frontdesk_core::outbox::Attachment {
            name: "RC-2027-0001.pdf".into(),
            mime: "application/pdf".into(),
            data: b"%PDF-1.7 test".to_vec(),
        });
        let raw = String::from_utf8(build(&settings(), &q).unwrap().formatted()).unwrap();
        assert!(raw.contains("multipart/mixed"), "{raw}");
        assert!(raw.contains("Content-Type: application/pdf"), "{raw}");
        assert!(raw.contains("filename=\"RC-2027-0001.pdf\""), "{raw}");
    }

    #[test]
    fn a_message_with_a_calendar_carries_it_as_an_invitation_a_calendar_opens() {
        let raw = String::from_utf8(
            build(
                &settings(),
                &queued(Some(
                    "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n",
                )),
            )
            .unwrap()
            .formatted(),
        )
        .unwrap();
        assert!(raw.contains("multipart/mixed"), "{raw}");
        assert!(
            raw.contains("text/calendar; charset=utf-8; method=CANCEL"),
            "{raw}"
        );
        assert!(raw.contains("invitation.ics"), "{raw}");
        assert!(raw.contains("Estimado/a Marcos"), "{raw}");
        // Without one, the message stays one plain text part.
        let plain =
            String::from_utf8(build(&settings(), &queued(None)).unwrap().formatted()).unwrap();
        assert!(
            !plain.contains("multipart") && plain.contains("text/plain"),
            "{plain}"
        );
    }
}
