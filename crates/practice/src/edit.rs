//! Typed edits of a practice: a form changes fields of the [`PracticeFile`] and the result is
//! validated as a file given to `frontdesk apply` is, so an edit can never store what the
//! parser would refuse, and every refusal names the field.

use frontdesk_core::Practice;

use crate::file::{HoursEntry, MemberEntry, PracticeFile, PracticeSection};
use crate::{FileError, render, validate};

/// The practice as its file: what [`edit`] changes.
pub fn to_file(practice: &Practice) -> Result<PracticeFile, FileError> {
    toml::from_str(&render(practice))
        .map_err(|e| FileError::Syntax(format!("the stored practice does not read back: {e}")))
}

/// The practice with `change` made to its file, validated. `change` may refuse with an error
/// naming the field (`members[2]`); nothing is changed then.
pub fn edit(
    practice: &Practice,
    change: impl FnOnce(&mut PracticeFile) -> Result<(), FileError>,
) -> Result<Practice, FileError> {
    let mut file = to_file(practice)?;
    change(&mut file)?;
    validate(&file)
}

/// Adds `address` to `client`'s people (a person named by the address), so the client's
/// mail from it is matched: what a member does with a message from an unknown sender.
pub fn add_client_address(
    file: &mut PracticeFile,
    client: &str,
    address: &str,
) -> Result<(), FileError> {
    let c = file
        .clients
        .iter_mut()
        .find(|c| c.handle == client)
        .ok_or_else(|| FileError::Invalid {
            path: "client".to_string(),
            message: format!("{client} is not a client of the practice"),
        })?;
    if !c.people.iter().any(|p| {
        p.email
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(address))
    }) {
        c.people.push(crate::file::PersonEntry {
            name: address.to_string(),
            email: Some(address.to_string()),
            phone: None,
        });
    }
    Ok(())
}

/// What the first-run page asks: the practice and its first member, the owner.
#[derive(Clone, Debug)]
pub struct FirstRun {
    /// The practice's name.
    pub practice: String,
    /// The owner's handle.
    pub handle: String,
    /// The owner's name.
    pub name: String,
    /// The owner's e-mail address.
    pub email: String,
    /// The owner's IANA time zone.
    pub time_zone: String,
    /// The practice's language code.
    pub language: String,
}

/// A new practice with one owner and the defaults a first run starts from: euros, and
/// working hours Monday to Friday 09:00–17:00. Refused, naming the field, as a file would be.
pub fn first_run(f: &FirstRun) -> Result<Practice, FileError> {
    let nine_to_five = || Some(vec!["09:00-17:00".to_string()]);
    let file = PracticeFile {
        practice: PracticeSection {
            reply_language: None,
            digest_at: None,
            promise_approval: None,
            monthly_ratings: None,
            name: f.practice.trim().to_string(),
            currency: "EUR".into(),
            language: f.language.trim().to_string(),
        },
        default_terms: None,
        members: vec![MemberEntry {
            handle: f.handle.trim().to_string(),
            name: f.name.trim().to_string(),
            email: f.email.trim().to_string(),
            role: "owner".into(),
            time_zone: f.time_zone.trim().to_string(),
            hours: HoursEntry {
                mon: nine_to_five(),
                tue: nine_to_five(),
                wed: nine_to_five(),
                thu: nine_to_five(),
                fri: nine_to_five(),
                sat: None,
                sun: None,
            },
            holidays: Vec::new(),
        }],
        absences: Vec::new(),
        clients: Vec::new(),
        mail: None,
        billing: None,
    };
    validate(&file)
}
