//! Content lines (unfolded, with their line numbers) and the components they nest into.

use super::*;

/// One content line: `NAME;PARAM=VALUE:value`.
#[derive(Debug, Clone)]
pub(super) struct Prop {
    pub(super) line: usize,
    pub(super) name: String,
    pub(super) params: Vec<(String, String)>,
    pub(super) value: String,
}

impl Prop {
    pub(super) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
pub(super) struct Component {
    pub(super) name: String,
    pub(super) line: usize,
    pub(super) props: Vec<Prop>,
    pub(super) children: Vec<Component>,
}

impl Component {
    pub(super) fn get(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }

    pub(super) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Prop> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }
}

/// Unfolds and splits the text into content lines, with their line numbers.
pub(super) fn content_lines(text: &str) -> Result<Vec<Prop>, IcsError> {
    let mut logical: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            match logical.last_mut() {
                Some((_, l)) => l.push_str(rest),
                None => return err(i + 1, "a continuation line before any content line"),
            }
        } else if !raw.is_empty() {
            logical.push((i + 1, raw.to_string()));
        }
    }
    logical
        .into_iter()
        .map(|(line, l)| parse_line(line, &l))
        .collect()
}

pub(super) fn parse_line(line: usize, text: &str) -> Result<Prop, IcsError> {
    // The value starts at the first colon outside a quoted parameter value.
    let mut quoted = false;
    let mut colon = None;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(colon) = colon else {
        return err(line, format!("{text:?} is not NAME:VALUE"));
    };
    let (head, value) = (&text[..colon], &text[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next().unwrap_or("").trim().to_ascii_uppercase();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return err(line, format!("{name:?} is not a property name"));
    }
    let mut params = Vec::new();
    for p in parts {
        let Some((k, v)) = p.split_once('=') else {
            return err(line, format!("parameter {p:?} is not NAME=VALUE"));
        };
        params.push((
            k.trim().to_ascii_uppercase(),
            v.trim_matches('"').to_string(),
        ));
    }
    Ok(Prop {
        line,
        name,
        params,
        value: value.to_string(),
    })
}

/// How deep components may nest.
const MAX_DEPTH: usize = 8;

pub(super) fn components(props: Vec<Prop>) -> Result<Component, IcsError> {
    let mut stack: Vec<Component> = vec![Component::default()];
    for p in props {
        match p.name.as_str() {
            // VCALENDAR > VTIMEZONE > STANDARD is as deep as a calendar goes (VALARM, four);
            // a file nested deeper is refused before it can be.
            "BEGIN" if stack.len() > MAX_DEPTH => {
                return err(
                    p.line,
                    format!("components nested more than {MAX_DEPTH} deep"),
                );
            }
            "BEGIN" => stack.push(Component {
                name: p.value.trim().to_ascii_uppercase(),
                line: p.line,
                ..Component::default()
            }),
            "END" => {
                let name = p.value.trim().to_ascii_uppercase();
                if stack.len() < 2 || stack.last().is_some_and(|c| c.name != name) {
                    let open = stack.last().map(|c| c.name.clone()).unwrap_or_default();
                    return err(p.line, format!("END:{name} does not close BEGIN:{open}"));
                }
                let done = stack.pop().expect("checked");
                stack.last_mut().expect("root").children.push(done);
            }
            _ => {
                if stack.len() < 2 {
                    return err(p.line, format!("{} outside any component", p.name));
                }
                stack.last_mut().expect("checked").props.push(p);
            }
        }
    }
    if stack.len() > 1 {
        let open = stack.last().expect("checked");
        return err(open.line, format!("BEGIN:{} is never closed", open.name));
    }
    let root = stack.pop().expect("root");
    if !root.children.iter().any(|c| c.name == "VCALENDAR") {
        return err(1, "no BEGIN:VCALENDAR");
    }
    Ok(root)
}
