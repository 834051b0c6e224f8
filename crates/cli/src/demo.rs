//! `frontdesk demo`: a day at the desk from the four stories, on a temporary database.
//!
//! It runs exactly what the commands run (apply, contact add, reply, inbox) on a database in a
//! temporary directory that is removed afterwards, so a newcomer sees frontdesk work without
//! writing anything.

use anyhow::Result;
use frontdesk_core::{Channel, Handle, Inbound};
use frontdesk_store::ContactId;
use jiff::Timestamp;
use serde_json::json;

use crate::{commands, output};

const PRACTICE: &str = include_str!("../demo/practice.toml");

/// One contact of the demo day: when, from whom, how, what, and which story it tells.
struct Scene {
    story: &'static str,
    at: &'static str,
    client: &'static str,
    channel: Channel,
    from: &'static str,
    body: Option<&'static str>,
}

impl Scene {
    fn inbound(&self) -> Result<Inbound> {
        Ok(Inbound {
            client: Handle::parse(self.client)?,
            channel: self.channel,
            from: self.from.to_string(),
            at: self.at.parse()?,
            body: self.body.map(str::to_string),
        })
    }
}

const DAY: &[Scene] = &[
    Scene {
        story: "S4: a message at night is held until the morning",
        at: "2026-11-30T23:47:00+03:00",
        client: "orbita",
        channel: Channel::Chat,
        from: "ivan@orbita.example",
        body: Some("Иван: нужно обсудить новый макет главной страницы, пришлю правки завтра"),
    },
    Scene {
        story: "S1: a voicemail that only says who called",
        at: "2026-12-01T09:12:00+01:00",
        client: "acme",
        channel: Channel::Voicemail,
        from: "+34600111222",
        body: Some("Hola, soy Marcos. Llámame."),
    },
    Scene {
        story: "S1: a check-in call, inside the weekly allowance",
        at: "2026-12-01T09:31:00+01:00",
        client: "acme",
        channel: Channel::Call,
        from: "+34600111222",
        body: Some("Marcos pregunta otra vez por el informe de indicadores del lunes"),
    },
    Scene {
        story: "S1: the third call in twenty minutes, over the allowance",
        at: "2026-12-01T09:52:00+01:00",
        client: "acme",
        channel: Channel::Call,
        from: "+34600111222",
        body: Some("Marcos quiere revisar el calendario del proyecto"),
    },
    Scene {
        story: "S2: a customer's server is down: a phone call this minute",
        at: "2026-12-01T04:05:00-05:00",
        client: "northwind",
        channel: Channel::Email,
        from: "jane@northwind.example",
        body: Some("Our server is down and customers cannot log in. Please call me now!"),
    },
    Scene {
        story: "S3: the owner is away; the cover answers",
        at: "2026-12-01T11:20:00+01:00",
        client: "bakkerij",
        channel: Channel::Email,
        from: "joost@bakkerij-jansen.example",
        body: Some("Kunt u de offerte voor de nieuwe kassa in januari sturen?"),
    },
    Scene {
        story: "an ordinary email, answered within the target",
        at: "2026-12-01T12:02:00+01:00",
        client: "galleria",
        channel: Channel::Email,
        from: "info@galleriavitale.example",
        body: Some("Buongiorno, può mandarci il preventivo aggiornato per la mostra di marzo?"),
    },
    Scene {
        story: "S2: urgent out of hours, allowed by the terms and billed",
        at: "2026-12-01T15:40:00-05:00",
        client: "northwind",
        channel: Channel::Call,
        from: "+12125550100",
        body: Some("Jane: the payment system crashed again, urgent"),
    },
    Scene {
        story: "S4: urgent at night, but the terms do not include out-of-hours work",
        at: "2026-12-02T00:58:00+03:00",
        client: "orbita",
        channel: Channel::Chat,
        from: "ivan@orbita.example",
        body: Some("СРОЧНО! Сайт не открывается"),
    },
];

/// Runs the demo and prints it.
pub fn run(json: bool) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut store = commands::open(&dir.path().join("demo.db"))?;
    let file = dir.path().join("practice.toml");
    std::fs::write(&file, PRACTICE)?;
    if !json {
        println!("frontdesk demo: a day at the desk of Ruiz Consulting (temporary database)\n");
        println!("$ frontdesk apply practice.toml");
        commands::apply(&mut *store, &file, false)?;
    } else {
        let practice = frontdesk_practice::parse(PRACTICE)?;
        store.apply(&practice)?;
    }
    let (id, practice) = store.load(None)?;

    let mut decisions = Vec::new();
    for scene in DAY {
        let inbound = scene.inbound()?;
        let recorded = commands::record(&mut *store, id, &practice, vec![inbound.clone()], false)?;
        let r = &recorded[0];
        if json {
            let mut v = output::decision_json(Some(r.id), &r.decision);
            v["story"] = json!(scene.story);
            v["contact"] = json!({
                "client": scene.client, "channel": scene.channel.as_str(),
                "from": scene.from, "at": inbound.at.to_string(), "body": scene.body,
            });
            decisions.push(v);
        } else {
            println!("\n── {} ──", scene.story);
            println!(
                "{} {} from {} ({}): {}",
                scene.at,
                scene.channel,
                scene.client,
                scene.from,
                scene.body.unwrap_or("(no message)")
            );
            print!(
                "{}",
                output::decision_text(&practice, Some(r.id), &r.decision)
            );
        }
    }

    // Ana calls Marcos back late in the morning; Pedro handles the outage at once.
    let answers = [
        (3, "2026-12-01T11:45:00+01:00"),
        (5, "2026-12-01T09:15:00Z"),
    ];
    let mut answered = Vec::new();
    for (contact, at) in answers {
        let at: Timestamp = at.parse()?;
        let r = frontdesk_desk::contacts::answer(
            &mut *store,
            id,
            &practice,
            ContactId(contact),
            at,
            None,
            None,
            None,
        )?;
        if !json {
            println!("\n$ frontdesk reply {contact} --at {at}");
            output::answered(&r, &[], false);
        }
        answered.push(contact);
    }

    let now = moment();
    let inbox = store.inbox(id, &frontdesk_core::Scope::All, now, 50)?;
    if json {
        println!(
            "{}",
            json!({"contacts": decisions, "answered": answered, "inbox_at": now.to_string(),
                   "open": inbox.open, "overdue": inbox.overdue})
        );
    } else {
        println!("\n$ frontdesk inbox --at {now}");
        print!("{}", output::inbox_text(&practice, &inbox, now));
    }
    Ok(())
}

/// The end of the demo day: when its inbox is read, and the demo server's clock.
pub fn moment() -> Timestamp {
    Timestamp::constant(1_796_144_400, 0)
}

/// `frontdesk serve --demo`: the demo practice and its day in `db`, with a password for the
/// owner; returns the sign-in (email, password) to print.
pub fn prepare_server(db: &std::path::Path) -> Result<(String, String)> {
    let mut store = commands::open(db)?;
    let practice = frontdesk_practice::parse(PRACTICE)?;
    let id = store.apply(&practice)?.id;
    for scene in DAY {
        commands::record(&mut *store, id, &practice, vec![scene.inbound()?], false)?;
    }
    let owner = practice.home().expect("the demo practice has an owner");
    let password = frontdesk_desk::secrets::random_hex(8);
    let hash = frontdesk_desk::secrets::hash_password(&frontdesk_core::Password::parse(&password)?);
    store.set_password(id, &owner.handle, &hash)?;
    Ok((owner.email.clone(), password))
}
