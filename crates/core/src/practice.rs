//! A practice and everything it is configured with: members, absences, clients and terms.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::{Date, DateTime};

use crate::{Handle, Language, RRule, Target, WeeklyHours, Zone};

/// A member's role in the practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Owns the practice.
    Owner,
    /// Manages members and clients.
    Manager,
    /// Serves their own clients and the ones they cover.
    Member,
}

impl Role {
    /// Parses `owner`, `manager` or `member`.
    pub fn parse(value: &str) -> Result<Role, crate::ParseError> {
        match value {
            "owner" => Ok(Role::Owner),
            "manager" => Ok(Role::Manager),
            "member" => Ok(Role::Member),
            _ => Err(crate::ParseError::new(
                "role",
                value,
                "use one of owner, manager, member",
            )),
        }
    }

    /// The role's name as written in a practice file.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Member => "member",
        }
    }
}

/// A person of the practice who answers clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// How the member is named in commands.
    pub handle: Handle,
    /// Full name, as shown to clients.
    pub name: String,
    /// Where clients can reach them.
    pub email: String,
    /// What they may do.
    pub role: Role,
    /// Their zone: working hours are wall-clock hours here.
    pub zone: Zone,
    /// Working hours per weekday.
    pub hours: WeeklyHours,
    /// Local dates on which they do not work.
    pub holidays: BTreeSet<Date>,
}

/// A span of local dates (both inclusive) on which a member is away, and who covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Absence {
    /// Who is away.
    pub member: Handle,
    /// First day away, in the member's zone.
    pub from: Date,
    /// Last day away, in the member's zone.
    pub until: Date,
    /// Who answers their clients meanwhile.
    pub cover: Handle,
}

impl Absence {
    /// Whether the member is away on this local date.
    pub fn covers(&self, date: Date) -> bool {
        self.from <= date && date <= self.until
    }
}

/// How soon each kind of contact must be answered, in working time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseTargets {
    /// A phone call (answered or missed).
    pub call: Target,
    /// A voicemail.
    pub voicemail: Target,
    /// An email.
    pub email: Target,
    /// A chat message.
    pub chat: Target,
    /// Anything urgent, in clock time when handled at once.
    pub urgent: Target,
}

impl Default for ResponseTargets {
    fn default() -> ResponseTargets {
        ResponseTargets {
            call: Target::from_minutes(4 * 60),
            voicemail: Target::from_minutes(4 * 60),
            email: Target::from_minutes(8 * 60),
            chat: Target::from_minutes(2 * 60),
            urgent: Target::from_minutes(30),
        }
    }
}

/// A recurring call with a client, in the client owner's zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StandingCall {
    /// When it repeats.
    pub rule: RRule,
    /// The first occurrence, a local date-time in the owner's zone (the rule's DTSTART).
    pub starts: DateTime,
    /// How long each call lasts.
    pub minutes: u32,
}

/// What a client has agreed to. The default: no allowance, no standing call, the default
/// targets, no urgent work out of hours, no surcharge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Terms {
    /// Unplanned calls a week before the over-quota rule; `None` is unlimited.
    pub adhoc_calls_per_week: Option<u32>,
    /// The regular call, if any.
    pub standing_call: Option<StandingCall>,
    /// Response targets per channel.
    pub response: ResponseTargets,
    /// Whether urgent contact out of hours is handled at once (and billed with the surcharge).
    pub urgent_out_of_hours: bool,
    /// Surcharge for work out of hours, in percent.
    pub after_hours_surcharge_pct: u32,
    /// How long before a meeting the client may cancel without it counting as late (clock
    /// time; `None`: 24 hours).
    pub cancellation_notice: Option<Target>,
    /// What the client's booking link offers.
    pub booking: Booking,
    /// What their habits cost: rates, fees, VAT, payment terms.
    pub money: crate::billing::Rates,
}

/// What a client's booking link offers: slots of `minutes` inside the owner's working hours,
/// at least `notice` ahead, `buffer_minutes` clear of other meetings on both sides, and at most
/// `per_day` booked meetings on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Booking {
    pub minutes: u32,
    /// Clock time between booking and the slot.
    pub notice: Target,
    pub buffer_minutes: u32,
    pub per_day: u32,
    /// The client's own reasonable hours, in the client's zone: no slot is offered outside
    /// them (a New York client is not offered 02:00).
    pub client_hours: crate::TimeRange,
}

impl Default for Booking {
    fn default() -> Booking {
        Booking {
            minutes: 30,
            notice: Target::from_minutes(24 * 60),
            buffer_minutes: 10,
            per_day: 2,
            client_hours: crate::TimeRange::parse("08:00-20:00").expect("a valid range"),
        }
    }
}

/// Someone at a client's organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Email address, if known.
    pub email: Option<String>,
    /// Phone number, if known.
    pub phone: Option<String>,
}

/// An organisation the practice serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// How the client is named in commands.
    pub handle: Handle,
    /// Full name.
    pub name: String,
    /// The member who answers them.
    pub owner: Handle,
    /// The language replies are written in.
    pub language: Language,
    /// The zone times in replies are shown in.
    pub zone: Zone,
    /// Email domains that identify the client's people.
    pub domains: Vec<String>,
    /// What they have agreed to.
    pub terms: Terms,
    /// Their people.
    pub people: Vec<Person>,
    /// Their legal identity, as invoices name them.
    pub legal: Option<crate::billing::Party>,
    /// The goal agreed at the start of the work: what monthly ratings are asked against.
    pub goal: Option<String>,
}

/// The practice's own settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The practice's name; unique in a database.
    pub name: String,
    /// The currency clients are billed in unless their terms say otherwise.
    pub currency: crate::money::Currency,
    /// The practice's own language.
    pub language: Language,
    /// The terms a client gets where the practice file does not say otherwise.
    pub default_terms: Terms,
    /// How it sends e-mail, if it does.
    pub mail: Option<crate::MailSettings>,
    /// Whether auto-replies are written in the language of the client's message (when it can
    /// be told) rather than the client's configured language.
    pub reply_in_message_language: bool,
    /// When the managers' daily digest goes out, in each one's own zone.
    pub digest_at: jiff::civil::Time,
    /// The kinds of promise a member may not make without a manager's approval.
    pub promise_approval: Vec<crate::promise::Kind>,
    /// The practice's billing identity and invoice numbering, when it invoices.
    pub billing: Option<crate::billing::Seller>,
    /// Whether every client with a goal is asked each month to rate the work against it.
    pub monthly_ratings: bool,
}

/// The digest's time when the practice file does not say.
pub const DEFAULT_DIGEST_AT: jiff::civil::Time = jiff::civil::Time::constant(8, 30, 0, 0);

/// A reference in a practice that points nowhere or contradicts another part.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PracticeError {
    /// Two members or two clients share a handle.
    #[error("{field}: handle {handle:?} is used twice")]
    DuplicateHandle {
        /// Where the second one is.
        field: String,
        /// The handle.
        handle: String,
    },
    /// A handle that names no member.
    #[error("{field}: no member has the handle {handle:?}")]
    UnknownMember {
        /// Where the reference is.
        field: String,
        /// The handle.
        handle: String,
    },
    /// An absence's dates are backwards.
    #[error("{field}: until {until} is before from {from}")]
    BackwardsAbsence {
        /// Where the absence is.
        field: String,
        /// First day.
        from: Date,
        /// Last day.
        until: Date,
    },
    /// An absence covered by the absent member, or by someone away at the same time.
    #[error("{field}: {cover:?} cannot cover {member:?}: {why}")]
    BadCover {
        /// Where the absence is.
        field: String,
        /// Who is away.
        member: String,
        /// Who was to cover.
        cover: String,
        /// Why not.
        why: String,
    },
    /// Two absences of one member overlap.
    #[error("{field}: overlaps another absence of {member:?}")]
    OverlappingAbsences {
        /// Where the second absence is.
        field: String,
        /// Whose.
        member: String,
    },
    /// A member with no working hours at all could never answer anything.
    #[error("{field}: member {handle:?} has no working hours")]
    NoHours {
        /// Where the hours are.
        field: String,
        /// Whose.
        handle: String,
    },
}

/// A practice whose references all hold: every owner, absent member and cover exists, and no
/// cover is away while covering.
#[derive(Clone, Debug, PartialEq)]
pub struct Practice {
    settings: Settings,
    members: Vec<Member>,
    absences: Vec<Absence>,
    clients: Vec<Client>,
    member_index: HashMap<Handle, usize>,
    client_index: HashMap<Handle, usize>,
}

impl Practice {
    /// Checks every reference and builds the practice.
    pub fn new(
        settings: Settings,
        members: Vec<Member>,
        absences: Vec<Absence>,
        clients: Vec<Client>,
    ) -> Result<Practice, PracticeError> {
        let mut member_index = HashMap::new();
        for (i, m) in members.iter().enumerate() {
            if member_index.insert(m.handle.clone(), i).is_some() {
                return Err(PracticeError::DuplicateHandle {
                    field: format!("members[{i}].handle"),
                    handle: m.handle.to_string(),
                });
            }
            if m.hours.is_empty() {
                return Err(PracticeError::NoHours {
                    field: format!("members[{i}].hours"),
                    handle: m.handle.to_string(),
                });
            }
        }
        let unknown = |field: String, h: &Handle| PracticeError::UnknownMember {
            field,
            handle: h.to_string(),
        };
        for (i, a) in absences.iter().enumerate() {
            if !member_index.contains_key(&a.member) {
                return Err(unknown(format!("absences[{i}].member"), &a.member));
            }
            if !member_index.contains_key(&a.cover) {
                return Err(unknown(format!("absences[{i}].cover"), &a.cover));
            }
            if a.until < a.from {
                return Err(PracticeError::BackwardsAbsence {
                    field: format!("absences[{i}].until"),
                    from: a.from,
                    until: a.until,
                });
            }
            let bad_cover = |why: String| PracticeError::BadCover {
                field: format!("absences[{i}].cover"),
                member: a.member.to_string(),
                cover: a.cover.to_string(),
                why,
            };
            if a.cover == a.member {
                return Err(bad_cover("a member cannot cover their own absence".into()));
            }
            for (j, b) in absences.iter().enumerate() {
                let overlap = a.from <= b.until && b.from <= a.until;
                if b.member == a.cover && overlap {
                    return Err(bad_cover(format!(
                        "they are absent too ({} to {}, absences[{j}])",
                        b.from, b.until
                    )));
                }
                if j < i && b.member == a.member && overlap {
                    return Err(PracticeError::OverlappingAbsences {
                        field: format!("absences[{i}]"),
                        member: a.member.to_string(),
                    });
                }
            }
        }
        let mut client_index = HashMap::new();
        for (i, c) in clients.iter().enumerate() {
            if client_index.insert(c.handle.clone(), i).is_some() {
                return Err(PracticeError::DuplicateHandle {
                    field: format!("clients[{i}].handle"),
                    handle: c.handle.to_string(),
                });
            }
            if !member_index.contains_key(&c.owner) {
                return Err(unknown(format!("clients[{i}].owner"), &c.owner));
            }
        }
        Ok(Practice {
            settings,
            members,
            absences,
            clients,
            member_index,
            client_index,
        })
    }

    /// The practice's own settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Members, in the order they were given.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Absences, in the order they were given.
    pub fn absences(&self) -> &[Absence] {
        &self.absences
    }

    /// Clients, in the order they were given.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// The member with this handle.
    pub fn member(&self, handle: &Handle) -> Option<&Member> {
        self.member_index.get(handle).map(|&i| &self.members[i])
    }

    /// The client with this handle.
    pub fn client(&self, handle: &Handle) -> Option<&Client> {
        self.client_index.get(handle).map(|&i| &self.clients[i])
    }

    /// The absence of this member that includes the local date, if any.
    pub fn absence_on(&self, member: &Handle, date: Date) -> Option<&Absence> {
        self.absences
            .iter()
            .find(|a| a.member == *member && a.covers(date))
    }

    /// Whether the member does not work on this local date (holiday or absence).
    pub fn is_day_off(&self, member: &Member, date: Date) -> bool {
        member.holidays.contains(&date) || self.absence_on(&member.handle, date).is_some()
    }

    /// Whether `member` may manage what belongs to `holder` (a calendar feed, …): their own,
    /// or anyone's for owners and managers.
    pub fn may_manage(&self, member: &Handle, holder: &Handle) -> bool {
        member == holder || self.oversees(member)
    }

    /// Whether an e-mail address is one of the practice's own (a member's): mail from it is
    /// no client's message.
    pub fn is_own_address(&self, address: &str) -> bool {
        self.members
            .iter()
            .any(|m| m.email.eq_ignore_ascii_case(address.trim()))
    }

    /// The client an e-mail address belongs to: one whose person has that address, else one
    /// whose domains hold it (the domain or a subdomain of it). Case does not matter.
    pub fn client_for_address(&self, address: &str) -> Option<&Client> {
        let address = address.trim().to_ascii_lowercase();
        if let Some(c) = self.clients.iter().find(|c| {
            c.people.iter().any(|p| {
                p.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(&address))
            })
        }) {
            return Some(c);
        }
        let domain = address.rsplit_once('@')?.1;
        self.clients.iter().find(|c| {
            c.domains.iter().any(|d| {
                let d = d.to_ascii_lowercase();
                domain == d || domain.ends_with(&format!(".{d}"))
            })
        })
    }

    /// The member whose zone the practice's own days and weeks are counted in (the practice's
    /// charts, an agenda with no one named): the first owner, else the first member.
    pub fn home(&self) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.role == Role::Owner)
            .or(self.members.first())
    }

    /// The practice's home zone: [`Practice::home`]'s, or UTC for a practice without members.
    pub fn home_zone(&self) -> jiff::tz::TimeZone {
        self.home()
            .map_or(jiff::tz::TimeZone::UTC, |m| m.zone.tz().clone())
    }

    /// Whether the member oversees the practice: owners and managers see every client and
    /// contact, change settings and terms, and mark anyone's meetings. Unknown handles do not.
    pub fn oversees(&self, member: &Handle) -> bool {
        self.member(member).is_some_and(|m| m.role != Role::Member)
    }

    /// The clients the member works with: every client for those who oversee the practice,
    /// the ones they own otherwise.
    pub fn clients_of<'a>(&'a self, member: &Handle) -> impl Iterator<Item = &'a Client> + 'a {
        let all = self.oversees(member);
        let member = member.clone();
        self.clients
            .iter()
            .filter(move |c| all || c.owner == member)
    }

    /// Which contacts the member sees: all of them for those who oversee the practice; their
    /// own clients' and those assigned to them otherwise (the rule of [`Practice::may_see`],
    /// as data a query can filter by).
    pub fn scope(&self, member: &Handle) -> Scope {
        if self.oversees(member) {
            Scope::All
        } else {
            Scope::Member {
                member: member.clone(),
                clients: self.clients_of(member).map(|c| c.handle.clone()).collect(),
            }
        }
    }

    /// Whether the member may see a contact of `client` assigned to `assignee`: those who
    /// oversee the practice see all, members their own clients' and what they were assigned
    /// (as cover).
    pub fn may_see(&self, member: &Handle, client: &Handle, assignee: &Handle) -> bool {
        self.member(member).is_some() && self.scope(member).contains(client, assignee)
    }
}

/// Whose contacts a member sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every contact of the practice.
    All,
    /// Those assigned to `member` and those of `clients`.
    Member {
        /// Who is looking.
        member: Handle,
        /// The clients they own.
        clients: Vec<Handle>,
    },
}

impl Scope {
    /// Whether a contact of `client` assigned to `assignee` is in the scope.
    pub fn contains(&self, client: &Handle, assignee: &Handle) -> bool {
        match self {
            Scope::All => true,
            Scope::Member { member, clients } => assignee == member || clients.contains(client),
        }
    }
}

/// How many of one kind of thing an update adds, changes, removes and keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// New ones.
    pub added: usize,
    /// Ones whose settings differ.
    pub updated: usize,
    /// Ones no longer there.
    pub removed: usize,
    /// Ones left as they were.
    pub unchanged: usize,
}

impl Changes {
    fn between<T: PartialEq, K: PartialEq>(old: &[T], new: &[T], key: impl Fn(&T) -> K) -> Changes {
        let mut c = Changes::default();
        for n in new {
            match old.iter().find(|o| key(o) == key(n)) {
                None => c.added += 1,
                Some(o) if o == n => c.unchanged += 1,
                Some(_) => c.updated += 1,
            }
        }
        c.removed = old
            .iter()
            .filter(|o| !new.iter().any(|n| key(n) == key(o)))
            .count();
        c
    }

    /// Whether anything differs.
    pub fn any(&self) -> bool {
        self.added + self.updated + self.removed > 0
    }
}

/// What a store keeps that belongs to a member or a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Belonging {
    /// Contacts from the client, or assigned to the member.
    Contacts,
    /// Meetings with the client, or held by the member.
    Meetings,
    /// The member's imported busy times.
    BusyTimes,
    /// The member's subscribed busy feeds.
    BusyFeeds,
    /// The member's signed-in sessions.
    Sessions,
    /// The member's API tokens.
    ApiTokens,
    /// The member's sign-in account.
    Account,
    /// Secret links: the client's booking links, the member's calendar-feed links.
    Links,
}

/// What removing a member or a client from the practice does with what belongs to them:
/// the practice's history keeps them in the file; the rest goes with them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removal {
    /// While any of these exist the removal is refused: they are the record of what happened.
    pub refused_while: &'static [Belonging],
    /// Deleted with them, in this order.
    pub takes_along: &'static [Belonging],
}

impl Removal {
    /// Removing a member.
    pub const MEMBER: Removal = Removal {
        refused_while: &[Belonging::Contacts, Belonging::Meetings],
        takes_along: &[
            Belonging::BusyTimes,
            Belonging::BusyFeeds,
            Belonging::Sessions,
            Belonging::ApiTokens,
            Belonging::Account,
            Belonging::Links,
        ],
    };
    /// Removing a client.
    pub const CLIENT: Removal = Removal {
        refused_while: &[Belonging::Contacts, Belonging::Meetings],
        takes_along: &[Belonging::Links],
    };
}

/// What applying a new version of a practice changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PracticeChanges {
    /// Whether the practice's own settings (currency, language, default terms) change.
    pub settings_changed: bool,
    /// Members, by handle.
    pub members: Changes,
    /// Absences, by member and dates.
    pub absences: Changes,
    /// Clients, by handle.
    pub clients: Changes,
    /// Handles of clients that are no longer in the new version.
    pub removed_clients: Vec<Handle>,
    /// Handles of members that are no longer in the new version.
    pub removed_members: Vec<Handle>,
}

impl PracticeChanges {
    /// Compares an old and a new version of the same practice.
    pub fn between(old: &Practice, new: &Practice) -> PracticeChanges {
        let gone = |old: Vec<&Handle>, new: Vec<&Handle>| -> Vec<Handle> {
            old.into_iter()
                .filter(|h| !new.contains(h))
                .cloned()
                .collect()
        };
        PracticeChanges {
            settings_changed: old.settings != new.settings,
            members: Changes::between(&old.members, &new.members, |m| m.handle.clone()),
            absences: Changes::between(&old.absences, &new.absences, |a| {
                (a.member.clone(), a.from, a.until)
            }),
            clients: Changes::between(&old.clients, &new.clients, |c| c.handle.clone()),
            removed_clients: gone(
                old.clients.iter().map(|c| &c.handle).collect(),
                new.clients.iter().map(|c| &c.handle).collect(),
            ),
            removed_members: gone(
                old.members.iter().map(|m| &m.handle).collect(),
                new.members.iter().map(|m| &m.handle).collect(),
            ),
        }
    }

    /// Everything new: what applying a practice to an empty database does.
    pub fn creating(new: &Practice) -> PracticeChanges {
        let added = |n| Changes {
            added: n,
            ..Changes::default()
        };
        PracticeChanges {
            settings_changed: true,
            members: added(new.members.len()),
            absences: added(new.absences.len()),
            clients: added(new.clients.len()),
            removed_clients: Vec::new(),
            removed_members: Vec::new(),
        }
    }

    /// Whether anything differs.
    pub fn any(&self) -> bool {
        self.settings_changed || self.members.any() || self.absences.any() || self.clients.any()
    }
}
