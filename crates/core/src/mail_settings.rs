//! How a practice sends e-mail: the relay it hands messages to, and the address they come
//! from. Secrets are never in the practice file: it names an environment variable or a
//! command whose output is the password (as mbsync's `PassCmd` does).

use std::fmt;

/// How the connection to the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// TLS from the first byte (port 465).
    Tls,
    /// Plain, then STARTTLS before anything is said (port 587).
    StartTls,
    /// No encryption: only for a relay on the same machine or a test server.
    None,
}

impl TlsMode {
    /// Parses `tls`, `starttls` or `none`.
    pub fn parse(value: &str) -> Result<TlsMode, crate::ParseError> {
        match value {
            "tls" => Ok(TlsMode::Tls),
            "starttls" => Ok(TlsMode::StartTls),
            "none" => Ok(TlsMode::None),
            _ => Err(crate::ParseError::new(
                "TLS mode",
                value,
                "use one of tls, starttls, none",
            )),
        }
    }

    /// Its name in the practice file.
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Tls => "tls",
            TlsMode::StartTls => "starttls",
            TlsMode::None => "none",
        }
    }
}

/// Where a password comes from; the value itself is never stored.
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    /// The value of an environment variable.
    Env(String),
    /// The first line a command prints (run by `sh -c`).
    Command(String),
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Secret::Env(name) => write!(f, "Env({name})"),
            Secret::Command(_) => f.write_str("Command(…)"),
        }
    }
}

/// The SMTP relay a practice sends through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpRelay {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Protection of the connection.
    pub tls: TlsMode,
    /// The user to authenticate as, if the relay wants one.
    pub user: Option<String>,
    /// Where the password comes from.
    pub password: Option<Secret>,
}

/// How frontdesk signs in to an IMAP server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImapAuth {
    /// The IMAP `LOGIN` command with a user and password.
    Login,
    /// SASL `PLAIN`.
    Plain,
    /// SASL `XOAUTH2` (Gmail, Microsoft 365): the secret is an OAuth2 access token.
    XOAuth2,
}

impl ImapAuth {
    /// Parses `login`, `plain` or `xoauth2`.
    pub fn parse(value: &str) -> Result<ImapAuth, crate::ParseError> {
        match value {
            "login" => Ok(ImapAuth::Login),
            "plain" => Ok(ImapAuth::Plain),
            "xoauth2" => Ok(ImapAuth::XOAuth2),
            _ => Err(crate::ParseError::new(
                "IMAP sign-in",
                value,
                "use one of login, plain, xoauth2",
            )),
        }
    }

    /// Its name in the practice file.
    pub fn as_str(self) -> &'static str {
        match self {
            ImapAuth::Login => "login",
            ImapAuth::Plain => "plain",
            ImapAuth::XOAuth2 => "xoauth2",
        }
    }
}

/// A mailbox the desk reads clients' mail from (IMAP).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    /// Its name, unique in the practice (`frontdesk mail fetch --mailbox NAME`).
    pub name: String,
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Protection of the connection (`none` only for a server on this machine).
    pub tls: TlsMode,
    /// A PEM file of the certificate authorities to trust for this server instead of the
    /// system's (a server with a certificate of its own organisation).
    pub tls_ca_file: Option<String>,
    /// The user to sign in as.
    pub user: String,
    /// Where the password (or OAuth2 access token) comes from.
    pub password: Secret,
    /// How to sign in.
    pub auth: ImapAuth,
    /// The folder read (default `INBOX`).
    pub folder: String,
    /// Whose mailbox it is, if it is one member's.
    pub member: Option<crate::Handle>,
}

/// Whether a host is this machine: the only place a password may go unencrypted.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// How a practice sends e-mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailSettings {
    /// The address messages come from (envelope and header).
    pub from: String,
    /// The relay.
    pub smtp: SmtpRelay,
    /// A sender gets at most one automatic reply per reason in this many days (at least 1).
    pub auto_reply_every_days: u32,
    /// The mailboxes clients' mail is read from.
    pub mailboxes: Vec<Mailbox>,
    /// Whether a member's answer goes out from the member's own address (envelope and header
    /// From, with their name) instead of `from`; automatic mail always comes from `from`.
    pub answers_from_member: bool,
}

/// The days between two automatic replies to one sender for one reason, unless set.
pub const DEFAULT_AUTO_REPLY_EVERY_DAYS: u32 = 7;
