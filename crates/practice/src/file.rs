//! The file's shape, exactly as written: strings everywhere a domain type will be parsed.
//!
//! This is the practice's schema, and the one place it is spelled: forms that edit a practice
//! change these fields (see [`crate::edit`]) and the result is validated by the same parser
//! as a file given to `frontdesk apply`.

use serde::{Deserialize, Serialize};

/// A whole practice file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeFile {
    pub practice: PracticeSection,
    #[serde(default)]
    pub default_terms: Option<TermsEntry>,
    #[serde(default)]
    pub members: Vec<MemberEntry>,
    #[serde(default)]
    pub absences: Vec<AbsenceEntry>,
    #[serde(default)]
    pub clients: Vec<ClientEntry>,
    #[serde(default)]
    pub mail: Option<MailEntry>,
    /// `[billing]`: the practice's legal identity and invoice numbering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<BillingEntry>,
}

/// `[billing]`: who invoices, how to pay them, how invoices are numbered.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BillingEntry {
    pub name: String,
    #[serde(default)]
    pub address: Vec<String>,
    pub country: String,
    pub tax_id: Option<String>,
    pub email: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    /// What every invoice number starts with (default "INV-").
    pub invoice_prefix: Option<String>,
    /// Numbers restart at 1 each year, the year written in them (default true).
    pub yearly_reset: Option<bool>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub province: Option<String>,
    /// Italy: the tax regime FatturaPA states (default RF01, ordinary).
    pub tax_regime: Option<String>,
}

/// A client's legal identity (`clients[].legal`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LegalEntry {
    pub name: String,
    #[serde(default)]
    pub address: Vec<String>,
    pub country: String,
    pub tax_id: Option<String>,
    pub email: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub province: Option<String>,
    /// Italy: the client's SdI recipient code (7 characters).
    pub sdi_code: Option<String>,
}

/// What a client's habits cost (`terms.money`); amounts are strings ("120.00"), in the
/// currency's minor units.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyEntry {
    pub currency: Option<String>,
    pub hourly_rate: Option<String>,
    pub daily_rate: Option<String>,
    pub call_out_fee: Option<String>,
    /// An amount, or "meeting": the meeting's time at the hourly rate.
    pub no_show_fee: Option<String>,
    /// An amount, or "meeting".
    pub late_cancellation_fee: Option<String>,
    pub over_quota_call_fee: Option<String>,
    pub holding_rate_per_day: Option<String>,
    pub minimum_minutes: Option<i64>,
    pub rounding_minutes: Option<i64>,
    /// A rate in percent ("21"), "exempt" or "reverse_charge".
    pub vat: Option<String>,
    /// The legal note printed for an exemption or the reverse charge.
    pub vat_note: Option<String>,
    pub payment_days: Option<i64>,
    /// The date these terms were given to the client ("2026-11-01").
    pub since: Option<String>,
}

/// `[mail]`: how the practice sends e-mail.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailEntry {
    pub from: String,
    pub smtp: SmtpEntry,
    /// Days between two automatic replies to one sender for one reason (default 7).
    pub auto_reply_every_days: Option<i64>,
    /// "member": a member's answer goes out from their own address; "practice" (default).
    pub answers_from: Option<String>,
    /// `[[mail.mailboxes]]`: where clients' mail is read from.
    #[serde(default)]
    pub mailboxes: Vec<MailboxEntry>,
}

/// `[[mail.mailboxes]]`: an IMAP mailbox; the password comes from `password_env` or
/// `password_command`, never from the file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailboxEntry {
    pub name: String,
    pub host: String,
    pub port: i64,
    pub tls: String,
    /// A PEM file of the certificate authorities to trust instead of the system's.
    pub tls_ca_file: Option<String>,
    pub user: String,
    pub password_env: Option<String>,
    pub password_command: Option<String>,
    /// login (default), plain or xoauth2.
    pub auth: Option<String>,
    /// Default INBOX.
    pub folder: Option<String>,
    /// Whose mailbox it is (a member's handle), if one member's.
    pub member: Option<String>,
}

/// `[mail.smtp]`: the relay; the password comes from `password_env` or `password_command`,
/// never from the file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpEntry {
    pub host: String,
    pub port: i64,
    pub tls: String,
    pub user: Option<String>,
    pub password_env: Option<String>,
    pub password_command: Option<String>,
}

/// `[practice]`: the practice's own settings.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeSection {
    pub name: String,
    pub currency: String,
    pub language: String,
    /// "client" (default): auto-replies in the client's language; "message": in the language
    /// the client wrote in, when it can be told.
    pub reply_language: Option<String>,
    /// The local time ("08:30", in each manager's own zone) the managers' daily digest goes
    /// out on their working days; 08:30 when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_at: Option<String>,
    /// The kinds of promise that need a manager's approval (refund, discount, earlier_date,
    /// senior_call, scope_change, delivery, callback); all but delivery and callback when not
    /// given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promise_approval: Option<Vec<String>>,
    /// Every client with a goal is asked each month to rate the work against it (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_ratings: Option<bool>,
}

/// `[[members]]`: one member of the team.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MemberEntry {
    pub handle: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub time_zone: String,
    #[serde(default)]
    pub hours: HoursEntry,
    #[serde(default)]
    pub holidays: Vec<String>,
}

/// A member's working hours per weekday, as `HH:MM-HH:MM` ranges.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HoursEntry {
    pub mon: Option<Vec<String>>,
    pub tue: Option<Vec<String>>,
    pub wed: Option<Vec<String>>,
    pub thu: Option<Vec<String>>,
    pub fri: Option<Vec<String>>,
    pub sat: Option<Vec<String>>,
    pub sun: Option<Vec<String>>,
}

impl HoursEntry {
    pub fn days(&self) -> [&Option<Vec<String>>; 7] {
        [
            &self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun,
        ]
    }
}

/// `[[absences]]`: a member away, and who covers.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AbsenceEntry {
    pub member: String,
    pub from: String,
    pub until: String,
    pub cover: String,
}

/// `[[clients]]`: one client.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClientEntry {
    pub handle: String,
    pub name: String,
    pub owner: String,
    pub language: Option<String>,
    pub time_zone: Option<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub terms: Option<TermsEntry>,
    #[serde(default)]
    pub people: Vec<PersonEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal: Option<LegalEntry>,
    /// The goal agreed at the start of the work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
}

/// Terms, a client's or the practice's defaults; what is left out is inherited.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TermsEntry {
    pub adhoc_calls_per_week: Option<i64>,
    pub standing_call: Option<StandingCallEntry>,
    pub response: Option<ResponseEntry>,
    pub urgent_out_of_hours: Option<bool>,
    pub after_hours_surcharge_pct: Option<i64>,
    pub cancellation_notice: Option<String>,
    pub booking: Option<BookingEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<MoneyEntry>,
}

/// What a client's booking link offers.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BookingEntry {
    pub minutes: Option<i64>,
    pub notice: Option<String>,
    pub buffer: Option<String>,
    pub per_day: Option<i64>,
    /// The client's reasonable hours in their zone, "HH:MM-HH:MM" (default 08:00-20:00).
    pub client_hours: Option<String>,
}

/// A recurring call with the client.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StandingCallEntry {
    pub rrule: String,
    pub starts: String,
    pub minutes: i64,
}

/// Response targets per channel, as durations (`4h`, `2d`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseEntry {
    pub call: Option<String>,
    pub voicemail: Option<String>,
    pub email: Option<String>,
    pub chat: Option<String>,
    pub urgent: Option<String>,
}

/// One of a client's people.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}
