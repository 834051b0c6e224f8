//! `rating`: satisfaction ratings on the command line.

use anyhow::{Result, anyhow};
use frontdesk_core::rating::Rating;
use frontdesk_desk::ratings;
use frontdesk_store::Store;
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::cli::RatingCommand;

fn rating_json(r: &Rating) -> Value {
    json!({
        "id": r.id, "client": r.client.as_str(), "deliverable": r.deliverable, "goal": r.goal,
        "requested": r.requested.to_string(), "score": r.score, "comment": r.comment,
        "rated": r.rated.map(|t| t.to_string()), "revoked": r.revoked,
    })
}

pub fn rating(
    store: &mut dyn Store,
    practice: Option<&str>,
    command: RatingCommand,
    json: bool,
) -> Result<()> {
    let (id, p) = store.load(practice)?;
    match command {
        RatingCommand::Request {
            client,
            deliverable,
            goal,
            public_url,
            by,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let (r, url) = ratings::request(
                store,
                id,
                &p,
                &client,
                deliverable,
                goal.as_deref(),
                &public_url,
                &by,
                now,
            )
            .map_err(|e| anyhow!("{e}"))?;
            if json {
                let mut v = rating_json(&r);
                v["link"] = json!(url);
                println!("{v}");
            } else {
                println!("rating {} asked of {}: {url}", r.id, r.client.as_str());
            }
        }
        RatingCommand::List { client } => {
            let list = store.ratings(id, client.as_ref())?;
            if json {
                println!(
                    "{}",
                    Value::from(list.iter().map(rating_json).collect::<Vec<_>>())
                );
            } else {
                for r in &list {
                    println!(
                        "{:>4} {:<12} {} — {}{}",
                        r.id,
                        r.client.as_str(),
                        r.goal,
                        match r.score {
                            Some(s) => format!("{s}/10"),
                            None if r.revoked => "revoked".to_string(),
                            None => "not rated yet".to_string(),
                        },
                        r.comment
                            .as_deref()
                            .map(|c| format!(": {c}"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        RatingCommand::Revoke { id: n, by, at } => {
            let now = at.unwrap_or_else(Timestamp::now);
            if !p.oversees(&by) && p.member(&by).is_none() {
                return Err(anyhow!("--as: no member has the handle {:?}", by.as_str()));
            }
            if !store.revoke_rating(id, n, by.as_str(), now)? {
                return Err(anyhow!("rating {n}: there is no such live link"));
            }
            println!("rating {n}: the link no longer opens");
        }
    }
    Ok(())
}
