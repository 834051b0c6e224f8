//! Automatic mail (RFC 3834, RFC 5230 and what mail systems do in practice): bounces,
//! out-of-office replies, list mail and system senders get no automatic reply, so two
//! autoresponders never talk to each other forever. `Auto-Submitted: no` is a person.

/// The headers that tell automatic mail apart, as a message has them.
#[derive(Clone, Debug, Default)]
pub struct MailHeaders<'a> {
    /// The sender's address.
    pub from: &'a str,
    /// `Return-Path` (`<>` is the null return path of a bounce).
    pub return_path: Option<&'a str>,
    /// `Content-Type` of the whole message.
    pub content_type: Option<&'a str>,
    /// `Auto-Submitted`.
    pub auto_submitted: Option<&'a str>,
    /// `Precedence`.
    pub precedence: Option<&'a str>,
    /// Whether any `List-*` header (List-Id, List-Unsubscribe, …) is present.
    pub list: bool,
    /// Whether `X-Autoreply` or `X-Autorespond` is present.
    pub x_autoreply: bool,
    /// `X-Auto-Response-Suppress`.
    pub x_auto_response_suppress: Option<&'a str>,
}

/// Why a message is automatic.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Automatic {
    /// A bounce: the null return path.
    #[error("a bounce (null return path)")]
    NullReturnPath,
    /// A delivery or read report (`multipart/report`).
    #[error("a delivery report")]
    Report,
    /// `Auto-Submitted` other than `no`.
    #[error("Auto-Submitted: {0}")]
    AutoSubmitted(String),
    /// `Precedence: bulk`, `junk` or `list`.
    #[error("Precedence: {0}")]
    Precedence(String),
    /// Mailing-list mail.
    #[error("list mail")]
    List,
    /// An autoresponder's own header.
    #[error("an automatic reply")]
    AutoReply,
    /// The sender asks for no automatic replies.
    #[error("X-Auto-Response-Suppress: {0}")]
    Suppressed(String),
    /// A system sender (MAILER-DAEMON, a list's -request address, no-reply, …).
    #[error("a system sender ({0})")]
    SystemSender(String),
}

impl Automatic {
    /// What kind of automatic mail it is, as stored and translated: `bounce`, `report`,
    /// `auto-submitted`, `bulk`, `list`, `auto-reply`, `suppressed` or `system`.
    pub fn kind(&self) -> &'static str {
        match self {
            Automatic::NullReturnPath => "bounce",
            Automatic::Report => "report",
            // Out-of-office and vacation replies say `auto-replied`.
            Automatic::AutoSubmitted(k) if k == "auto-replied" => "auto-reply",
            Automatic::AutoSubmitted(_) => "auto-submitted",
            Automatic::Precedence(_) => "bulk",
            Automatic::List => "list",
            Automatic::AutoReply => "auto-reply",
            Automatic::Suppressed(_) => "suppressed",
            Automatic::SystemSender(_) => "system",
        }
    }
}

/// Whether a message is automatic, and why. (Mail from the practice's own addresses is told
/// apart by `Practice::is_own_address`: it is no client's at all.)
pub fn automatic(h: &MailHeaders<'_>) -> Option<Automatic> {
    let lower = |v: &str| v.trim().to_ascii_lowercase();
    if h.return_path.is_some_and(|r| {
        r.trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim()
            .is_empty()
    }) {
        return Some(Automatic::NullReturnPath);
    }
    if h.content_type
        .is_some_and(|c| lower(c).starts_with("multipart/report"))
    {
        return Some(Automatic::Report);
    }
    if let Some(a) = h.auto_submitted {
        let kind = lower(a.split(';').next().unwrap_or(""));
        if !kind.is_empty() && kind != "no" {
            return Some(Automatic::AutoSubmitted(kind));
        }
    }
    if let Some(p) = h.precedence {
        let p = lower(p);
        if matches!(p.as_str(), "bulk" | "junk" | "list") {
            return Some(Automatic::Precedence(p));
        }
    }
    if h.list {
        return Some(Automatic::List);
    }
    if h.x_autoreply {
        return Some(Automatic::AutoReply);
    }
    if let Some(s) = h.x_auto_response_suppress {
        let s = lower(s);
        if s.split(',').any(|v| matches!(v.trim(), "all" | "oof")) {
            return Some(Automatic::Suppressed(s));
        }
    }
    let from = lower(h.from);
    let local = from.split('@').next().unwrap_or("");
    let system = matches!(
        local,
        "mailer-daemon"
            | "postmaster"
            | "listserv"
            | "majordomo"
            | "noreply"
            | "no-reply"
            | "donotreply"
            | "do-not-reply"
            | "no_reply"
    ) || local.ends_with("-request")
        || local.starts_with("owner-");
    system.then(|| Automatic::SystemSender(local.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(from: &str) -> MailHeaders<'_> {
        MailHeaders {
            from,
            ..MailHeaders::default()
        }
    }

    #[test]
    fn a_person_writing_is_not_automatic_even_with_auto_submitted_no() {
        assert_eq!(automatic(&h("marcos@acme.example")), None);
        let no = MailHeaders {
            auto_submitted: Some("No"),
            ..h("marcos@acme.example")
        };
        assert_eq!(automatic(&no), None);
        let person = MailHeaders {
            precedence: Some("first-class"),
            x_auto_response_suppress: Some("DR, RN"),
            ..h("marcos@acme.example")
        };
        assert_eq!(automatic(&person), None);
    }

    #[test]
    fn bounces_reports_autoreplies_lists_and_system_senders_are_automatic() {
        let cases: Vec<(MailHeaders<'_>, &str)> = vec![
            (
                MailHeaders {
                    return_path: Some("<>"),
                    ..h("x@y.example")
                },
                "bounce",
            ),
            (
                MailHeaders {
                    content_type: Some("multipart/report; report-type=delivery-status"),
                    ..h("x@y.example")
                },
                "report",
            ),
            (
                MailHeaders {
                    auto_submitted: Some("auto-replied"),
                    ..h("x@y.example")
                },
                "Auto-Submitted: auto-replied",
            ),
            (
                MailHeaders {
                    precedence: Some(" Bulk "),
                    ..h("x@y.example")
                },
                "Precedence: bulk",
            ),
            (
                MailHeaders {
                    list: true,
                    ..h("x@y.example")
                },
                "list",
            ),
            (
                MailHeaders {
                    x_autoreply: true,
                    ..h("x@y.example")
                },
                "automatic reply",
            ),
            (
                MailHeaders {
                    x_auto_response_suppress: Some("OOF, AutoReply"),
                    ..h("x@y.example")
                },
                "Suppress",
            ),
            (h("MAILER-DAEMON@mx.example"), "system"),
            (h("dev-request@lists.example"), "system"),
            (h("owner-dev@lists.example"), "system"),
            (h("no-reply@shop.example"), "system"),
        ];
        for (headers, word) in cases {
            let why = automatic(&headers).expect(word);
            assert!(why.to_string().contains(word), "{why} for {word}");
        }
    }
}
