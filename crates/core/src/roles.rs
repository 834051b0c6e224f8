//! Who may change roles: the rule every edit of a practice from the browser or the API
//! passes (the CLI is the operator's, and may do anything the file allows).

use crate::{Handle, Practice, Role};

/// Why an edit of the practice's roles is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RoleChangeError {
    /// Only an owner gives a role, changes one, or removes an owner or a manager.
    #[error("{field}: only an owner changes roles ({member} would be {role})")]
    OnlyOwners {
        /// Where in the file (`members[2].role`, or `members` for a removal).
        field: String,
        /// Whose role.
        member: String,
        /// What it would become ("removed" for a removal).
        role: &'static str,
    },
    /// A practice that has an owner keeps one.
    #[error("members: the practice needs an owner, and {0} is its last")]
    LastOwner(String),
}

/// Whether `by` may turn `old` into `new` as far as roles go: only an owner gives a new
/// member a role above member, changes a role, or removes an owner or a manager; and a
/// practice that had an owner keeps at least one.
pub fn check_roles(old: &Practice, new: &Practice, by: &Handle) -> Result<(), RoleChangeError> {
    let is_owner = old.member(by).is_some_and(|m| m.role == Role::Owner);
    if !is_owner {
        for (i, m) in new.members().iter().enumerate() {
            let before = old.member(&m.handle).map(|o| o.role);
            let allowed = match before {
                Some(role) => role == m.role,
                None => m.role == Role::Member,
            };
            if !allowed {
                return Err(RoleChangeError::OnlyOwners {
                    field: format!("members[{i}].role"),
                    member: m.handle.to_string(),
                    role: m.role.as_str(),
                });
            }
        }
        if let Some(gone) = old
            .members()
            .iter()
            .find(|o| o.role != Role::Member && new.member(&o.handle).is_none())
        {
            return Err(RoleChangeError::OnlyOwners {
                field: "members".into(),
                member: gone.handle.to_string(),
                role: "removed",
            });
        }
    }
    let owners = |p: &Practice| p.members().iter().filter(|m| m.role == Role::Owner).count();
    if owners(old) > 0 && owners(new) == 0 {
        let last = old
            .members()
            .iter()
            .find(|m| m.role == Role::Owner)
            .map_or_else(String::new, |m| m.handle.to_string());
        return Err(RoleChangeError::LastOwner(last));
    }
    Ok(())
}
