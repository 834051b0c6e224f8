//! The file's shape, exactly as written: strings everywhere a domain type will be parsed.

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PracticeFile {
    pub practice: PracticeSection,
    #[serde(default)]
    pub default_terms: Option<TermsEntry>,
    #[serde(default)]
    pub members: Vec<MemberEntry>,
    #[serde(default)]
    pub absences: Vec<AbsenceEntry>,
    #[serde(default)]
    pub clients: Vec<ClientEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PracticeSection {
    pub name: String,
    pub currency: String,
    pub language: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberEntry {
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

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct HoursEntry {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AbsenceEntry {
    pub member: String,
    pub from: String,
    pub until: String,
    pub cover: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClientEntry {
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
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct TermsEntry {
    pub adhoc_calls_per_week: Option<i64>,
    pub standing_call: Option<StandingCallEntry>,
    pub response: Option<ResponseEntry>,
    pub urgent_out_of_hours: Option<bool>,
    pub after_hours_surcharge_pct: Option<i64>,
    pub cancellation_notice: Option<String>,
    pub booking: Option<BookingEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BookingEntry {
    pub minutes: Option<i64>,
    pub notice: Option<String>,
    pub buffer: Option<String>,
    pub per_day: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StandingCallEntry {
    pub rrule: String,
    pub starts: String,
    pub minutes: i64,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResponseEntry {
    pub call: Option<String>,
    pub voicemail: Option<String>,
    pub email: Option<String>,
    pub chat: Option<String>,
    pub urgent: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonEntry {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}
