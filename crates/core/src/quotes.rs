//! What a client newly wrote in an e-mail: the quoted history (reply headers of the common mail
//! clients in en, es, it, nl and ru, `>` lines, Outlook's header blocks, forwarded messages)
//! and the signature (`-- `, "Sent from my iPhone", a closing with the name and title under it)
//! taken away. Triage and the inbox summary read this; the stored message stays whole.
//!
//! Measured on labelled sets (crates/core/tests/data/quotes: `dev.json` to tune, `heldout.json`
//! only to measure; see tests/quotes.rs and docs/QUALITY.md).

/// The text the sender newly wrote, trimmed.
pub fn new_text(body: &str) -> String {
    let lines: Vec<&str> = body.lines().map(|l| l.trim_end_matches('\r')).collect();
    // 1. Everything from an Outlook block or a forwarded message on is history.
    let end = lines
        .iter()
        .enumerate()
        .position(|(i, _)| starts_history(&lines, i))
        .unwrap_or(lines.len());
    let lines = &lines[..end];
    // 2. A reply header ("On … wrote:") with quoted lines: drop the header and the quote; what
    //    is not quoted stays (top-, bottom- and inline posting alike).
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if let Some(n) = reply_header(lines, i) {
            i += n;
            continue;
        }
        if is_quoted(lines[i]) {
            i += 1;
            continue;
        }
        kept.push(lines[i]);
        i += 1;
    }
    // 3. The signature.
    let kept = strip_signature(&kept);
    tidy(&kept)
}

fn tidy(lines: &[&str]) -> String {
    // Blank lines where a quote was taken out collapse to one.
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    for l in lines {
        if l.trim().is_empty() && out.last().is_some_and(|p: &&str| p.trim().is_empty()) {
            continue;
        }
        out.push(l);
    }
    out.join("\n").trim().to_string()
}

fn is_quoted(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

fn lower(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Words that end a reply header ("… wrote:").
const WROTE: &[&str] = &[
    "wrote:",
    "writes:",
    "escribió:",
    "escribio:",
    "ha scritto:",
    "scrive:",
    "schreef:",
    "пишет:",
    "писал:",
    "писала:",
    "написал:",
    "написала:",
    "написал(а):",
    "a écrit :",
    "a écrit:",
    "schrieb:",
];

/// Whether a line (or two, when a client wrapped it) is a reply header; how many lines.
fn reply_header(lines: &[&str], i: usize) -> Option<usize> {
    let one = lower(lines[i]);
    if one.is_empty() || is_quoted(lines[i]) {
        return None;
    }
    let next_quoted = || {
        lines[i + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| is_quoted(l))
    };
    if header_words(&one) {
        return Some(1);
    }
    // Wrapped over two lines: "On Mon, Dec 7, 2026 at 4:15 PM Tom <tom@…>" / "wrote:".
    if let Some(two) = lines.get(i + 1).map(|l| lower(l)) {
        let joined = format!("{one} {two}");
        if !two.is_empty() && header_words(&joined) && starts_like_header(&one) {
            return Some(2);
        }
    }
    // Russian and other clients: "вт, 1 дек. 2026 г. в 10:02, Eva <eva@…>:" over a quote.
    if one.ends_with(':') && one.contains('@') && has_year(&one) && next_quoted() {
        return Some(1);
    }
    None
}

fn header_words(line: &str) -> bool {
    let l = line.trim_end();
    // "Eva Ruiz wrote on 01/12/2026 10:02:" (Thunderbird)
    let thunderbird = l.ends_with(':')
        && has_year(l)
        && (l.contains(" wrote on ")
            || l.contains(" escribió el ")
            || l.contains(" ha scritto il "));
    (WROTE.iter().any(|w| l.ends_with(w)) && (has_year(l) || l.contains('@') || l.len() < 120))
        || thunderbird
        || (l.starts_with("op ") && l.contains(" schreef ") && l.ends_with(':'))
}

fn starts_like_header(line: &str) -> bool {
    ["on ", "el ", "il ", "op ", "am ", "le "]
        .iter()
        .any(|p| line.starts_with(p))
        || has_year(line)
}

fn has_year(line: &str) -> bool {
    let b = line.as_bytes();
    b.windows(4).enumerate().any(|(i, w)| {
        (w.starts_with(b"19") || w.starts_with(b"20"))
            && w.iter().all(u8::is_ascii_digit)
            && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
            && !(i > 0 && b[i - 1].is_ascii_digit())
    }) || line.contains('/') && line.contains(':')
}

/// Separator lines of quoted or forwarded messages.
const SEPARATORS: &[&str] = &[
    "original message",
    "mensaje original",
    "messaggio originale",
    "oorspronkelijk bericht",
    "origineel bericht",
    "исходное сообщение",
    "forwarded message",
    "mensaje reenviado",
    "messaggio inoltrato",
    "doorgestuurd bericht",
    "пересылаемое сообщение",
    "переадресованное сообщение",
    "begin forwarded message",
    "inicio del mensaje reenviado",
    "inizio messaggio inoltrato",
    "begin doorgestuurd bericht",
    "начало переадресованного сообщения",
];

/// Header names of an Outlook block, in the five languages: from, sent/date, to, subject.
const FROM: &[&str] = &["from", "de", "da", "van", "от"];
const BLOCK: &[&str] = &[
    "sent",
    "date",
    "to",
    "cc",
    "subject",
    "enviado",
    "fecha",
    "para",
    "asunto",
    "inviato",
    "data",
    "a",
    "oggetto",
    "verzonden",
    "datum",
    "aan",
    "onderwerp",
    "отправлено",
    "дата",
    "кому",
    "тема",
    "копия",
];

/// The header name of a line such as "From: …" or "*From:* …", lower case.
fn header_name(line: &str) -> Option<String> {
    let l = line.trim().trim_start_matches('*');
    let (name, _) = l.split_once(':')?;
    let name = name.trim_end_matches('*').trim();
    (!name.is_empty() && name.chars().count() <= 12).then(|| name.to_lowercase())
}

fn starts_history(lines: &[&str], i: usize) -> bool {
    let l = lower(lines[i]);
    if l.is_empty() {
        return false;
    }
    // "-----Original Message-----", "---------- Forwarded message ---------".
    let bare = l.trim_matches(|c: char| c == '-' || c == ' ' || c == '_' || c == '=');
    if l.contains("--") || l.starts_with("begin ") || l.ends_with(':') || l.starts_with("inicio") {
        let bare = bare.trim_end_matches(':').trim();
        if SEPARATORS.contains(&bare) {
            return true;
        }
    }
    // Outlook's underscores line over a header block.
    if l.len() >= 10 && l.chars().all(|c| c == '_') {
        return true;
    }
    // A header block without a separator: "From:" and, in the next lines, "Sent:"/"To:"/…
    if header_name(lines[i]).is_some_and(|n| FROM.contains(&n.as_str())) {
        let following = lines[i + 1..]
            .iter()
            .take(5)
            .take_while(|l| !l.trim().is_empty())
            .filter(|l| header_name(l).is_some_and(|n| BLOCK.contains(&n.as_str())))
            .count();
        if following >= 2 {
            return true;
        }
    }
    false
}

/// Lines that end a message and start the signature, lower case, without the final comma.
const CLOSINGS: &[&str] = &[
    "best regards",
    "kind regards",
    "warm regards",
    "regards",
    "best",
    "best wishes",
    "all the best",
    "cheers",
    "many thanks",
    "thanks",
    "thank you",
    "sincerely",
    "yours sincerely",
    "yours",
    "saludos",
    "un saludo",
    "saludos cordiales",
    "un cordial saludo",
    "atentamente",
    "muchas gracias",
    "gracias",
    "abrazos",
    "un abrazo",
    "un saluto",
    "saluti",
    "cordiali saluti",
    "distinti saluti",
    "un cordiale saluto",
    "ciao",
    "a presto",
    "grazie",
    "buona giornata",
    "met vriendelijke groet",
    "met vriendelijke groeten",
    "vriendelijke groet",
    "vriendelijke groeten",
    "groet",
    "groeten",
    "hartelijke groet",
    "mvg",
    "с уважением",
    "с наилучшими пожеланиями",
    "всего доброго",
    "всего хорошего",
    "спасибо",
    "заранее спасибо",
    "хорошего дня",
];

/// "Sent from my iPhone" and the like.
fn is_device_line(l: &str) -> bool {
    let l = lower(l);
    [
        "sent from my ",
        "sent from ",
        "get outlook for",
        "enviado desde mi",
        "enviado desde",
        "obtener outlook para",
        "inviato da",
        "ottieni outlook per",
        "verstuurd vanaf mijn",
        "verzonden vanaf mijn",
        "verzonden met",
        "outlook voor ",
        "отправлено с ",
        "отправлено из ",
        "отправлено с моего",
    ]
    .iter()
    .any(|p| l.starts_with(p))
        && l.chars().count() < 80
}

fn is_closing(line: &str) -> bool {
    let l = lower(line);
    let l = l.trim_end_matches([',', '!', '.', ';']).trim();
    CLOSINGS.contains(&l)
        // "Saludos, Javier" / "Groet, Thomas" on one line.
        || line.split_once(',').is_some_and(|(a, b)| {
            CLOSINGS.contains(&lower(a).as_str()) && is_name(b)
        })
}

fn strip_signature<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let mut end = lines.len();
    // "-- " and device lines cut everything under them.
    if let Some(i) = lines
        .iter()
        .position(|l| l.trim_end() == "--" || *l == "-- " || is_device_line(l))
    {
        end = i;
    }
    let lines = &lines[..end];
    // A closing among the last lines, with only short lines (name, title, company, phone, a
    // disclaimer) under it.
    let content: Vec<usize> = (0..lines.len())
        .filter(|i| !lines[*i].trim().is_empty())
        .collect();
    let tail_start = content.len().saturating_sub(12);
    for &i in &content[tail_start..] {
        if i == 0 || !is_closing(lines[i]) {
            continue;
        }
        // Closing words alone ("Thanks!" as the whole message) are the message.
        let before = lines[..i].iter().any(|l| !l.trim().is_empty());
        // "Thanks," with a comma is a closing; "Thanks." or "Muchas gracias." on its own is
        // part of the message unless a name follows.
        let l = lower(lines[i]);
        let thanks = [
            "thanks",
            "thank you",
            "gracias",
            "muchas gracias",
            "grazie",
            "спасибо",
        ]
        .contains(&l.trim_end_matches(['.', '!']).trim());
        let under: Vec<&&str> = lines[i + 1..]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .collect();
        if thanks && (l.ends_with('.') || l.ends_with('!')) && under.is_empty() {
            continue;
        }
        if before && under.iter().all(|l| l.chars().count() <= 90) {
            return lines[..i].to_vec();
        }
    }
    // A bare name under the message: "…\n\nMarcos" or "Andrei Petrov".
    if let Some(&last) = content.last()
        && content.len() > 1
        && lines[..last].last().is_some_and(|l| l.trim().is_empty())
        && is_name(lines[last])
    {
        return lines[..last].to_vec();
    }
    lines.to_vec()
}

fn is_name(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (1..=3).contains(&words.len())
        && words.iter().all(|w| {
            let mut cs = w.chars();
            // A full stop only after an initial ("J."): "Спасибо." is a sentence.
            cs.next().is_some_and(char::is_uppercase)
                && cs.all(|c| c.is_alphabetic() || c == '.' || c == '-' || c == '\'')
                && (!w.ends_with('.') || w.chars().count() <= 3)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_top_posted_reply_keeps_what_is_above_the_quote() {
        let body = "Can we move to Friday?\n\nOn Tue, 1 Dec 2026 at 10:02, Eva <eva@x.example> wrote:\n> Monday at 10?\n";
        assert_eq!(new_text(body), "Can we move to Friday?");
    }

    #[test]
    fn a_message_without_history_is_kept_whole() {
        assert_eq!(new_text("Llámame."), "Llámame.");
        // "Gracias, …" that goes on is a sentence, not a closing with a name.
        assert_eq!(
            new_text("Hola,\n\nGracias, ya funciona todo."),
            "Hola,\n\nGracias, ya funciona todo."
        );
        assert_eq!(
            new_text("From: 21 December\nTo: 4 January\nI am away."),
            "From: 21 December\nTo: 4 January\nI am away."
        );
    }
}
