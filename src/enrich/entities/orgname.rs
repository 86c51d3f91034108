//! One body, one name: an organisation's name loses its legal form
//! ("Corp", "plc") and a leading "The", is spelt with -ization, and a
//! shorter form ("Coffee Organization") joins the full name the article
//! gives.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::article::EntityKind;

use super::lexicon::{contains_lower, lexicon, Lexicon};
use super::Mention;

/// Words that give a body's legal form, not its name: dropped from the end
/// of an organisation's name ("General Motors Corp", "Acme Holdings plc").
pub(super) fn is_legal_form(w: &str) -> bool {
    matches!(
        w,
        "Corp"
            | "Corp."
            | "Corporation"
            | "Inc"
            | "Inc."
            | "Incorporated"
            | "Co"
            | "Co."
            | "Ltd"
            | "Ltd."
            | "Limited"
            | "plc"
            | "Plc"
            | "PLC"
            | "LLC"
            | "LLP"
            | "AG"
            | "SA"
            | "S.A."
            | "NV"
            | "N.V."
            | "GmbH"
            | "SpA"
            | "S.p.A."
            | "Pty"
            | "BV"
            | "B.V."
    )
}

/// A name made only of legal forms ("Corp", "Co Inc", "CORP" in a shouted
/// headline), which names no body. Not "AG", "SA" or "NV" alone: those are
/// acronyms of their own.
pub(super) fn legal_form_only(name: &str) -> bool {
    name.split(' ').all(|w| {
        let mut buf = [0u8; 16];
        let Some(up) = buf.get_mut(..w.len()) else {
            return false;
        };
        up.copy_from_slice(w.as_bytes());
        up.make_ascii_uppercase();
        matches!(
            std::str::from_utf8(up).map(|u| u.trim_end_matches('.')),
            Ok("CORP"
                | "CORPORATION"
                | "INC"
                | "INCORPORATED"
                | "CO"
                | "LTD"
                | "LIMITED"
                | "PLC"
                | "LLC"
                | "LLP"
                | "GMBH"
                | "PTY")
        )
    })
}

/// Whether `words`, left when "The" or a legal form is taken off a name,
/// still name something: one word that is no ordinary or generic word
/// ("Group", "Co-operative"), given name, demonym or place ("Derby Co" is a
/// club, not Derby); or several with at least one capitalised word that is
/// not ordinary ("Natural Gas" names nothing without its "Corporation"),
/// that are not a place's name together ("Hong Kong Ltd").
fn still_a_name(words: &[&str], lexicon: &Lexicon) -> bool {
    let Some(&last) = words.last() else {
        return false;
    };
    if !last.starts_with(|c: char| c.is_uppercase()) || is_legal_form(last) {
        return false;
    }
    if let [w] = words {
        return w.chars().count() >= 2
            && !contains_lower(&lexicon.common, w)
            && !lexicon.org_suffixes.contains(w)
            && !lexicon.given.contains(w)
            && !lexicon.demonyms.contains(w)
            && !matches!(lexicon.names.get(w), Some((_, EntityKind::Place)));
    }
    words
        .iter()
        .any(|w| w.starts_with(|c: char| c.is_uppercase()) && !contains_lower(&lexicon.common, w))
        && !matches!(
            lexicon.names.get(words.join(" ").as_str()),
            Some((_, EntityKind::Place))
        )
}

/// A legal form written in full, for a name that keeps it: "Natural Gas
/// Corp" and "Natural Gas Corporation" are one body.
fn in_full(w: &str) -> &str {
    match w {
        "Corp" | "Corp." => "Corporation",
        "Co" | "Co." => "Company",
        "Inc" | "Inc." => "Incorporated",
        "Ltd" | "Ltd." => "Limited",
        "Plc" | "PLC" => "plc",
        _ => w,
    }
}

/// The canonical organisations of the gazetteers, with the names they are
/// listed under: to tell a listed canonical name (kept as it is: "Mars
/// Inc.", "News Corp") from a variant, and whether an article's expansion
/// of an acronym is the body the list knows by it.
pub(super) fn org_aliases() -> &'static FxHashMap<&'static str, Vec<&'static str>> {
    static ALIASES: OnceLock<FxHashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    ALIASES.get_or_init(|| {
        let mut aliases: FxHashMap<&'static str, Vec<&'static str>> = FxHashMap::default();
        for (&name, &(canonical, kind)) in &lexicon().names {
            if kind == EntityKind::Organization {
                aliases.entry(canonical).or_default().push(name);
            }
        }
        aliases
    })
}

/// The one name of an organisation whatever variant an article writes:
/// "General Motors Corp" and "General Motors Co" are General Motors (as
/// listed), "The Carrow Group" is "Carrow Group", "Acme Holdings plc" is
/// "Acme Holdings", and "International Coffee Organisation" is spelt
/// "Organization", as most canonical names in the gazetteers are. A listed
/// name keeps its canonical form, and a name is left whole where what
/// would remain is no name ("The Co-operative", "Steel Co").
pub fn org_name(name: &str) -> Cow<'_, str> {
    org_name_in(name, lexicon()).unwrap_or(Cow::Borrowed(name))
}

/// `org_name`, or `None` where the name stays as it is.
pub(super) fn org_name_in(name: &str, lexicon: &'static Lexicon) -> Option<Cow<'static, str>> {
    // Most names need nothing: no allocation for them.
    let last = name.rsplit(' ').next().unwrap_or(name);
    if !name.starts_with("The ") && !is_legal_form(last) && !name.contains("isation") {
        return None;
    }
    // A listed name is already as the lists want it (an acronym left as
    // written stays so too).
    if lexicon.names.contains_key(name) || org_aliases().contains_key(name) {
        return None;
    }
    let mut words: Vec<&str> = name.split(' ').collect();
    if words.len() > 1 && words[0] == "The" && still_a_name(&words[1..], lexicon) {
        words.remove(0);
    }
    // The legal forms at the end, all of them: "Co Inc", "& Co".
    let mut keep = words.len();
    while keep > 0 {
        match &words[..keep] {
            [.., "&", co] if co.starts_with("Co") && is_legal_form(co) => keep -= 2,
            [.., w] if is_legal_form(w) => keep -= 1,
            _ => break,
        }
    }
    if keep < words.len() {
        if still_a_name(&words[..keep], lexicon) {
            words.truncate(keep);
        } else if keep > 1 && words[keep] != "&" {
            // What is left names nothing alone ("Natural Gas"): the legal
            // form stays, written in full, so that "Natural Gas Corp" and
            // "Natural Gas Corporation" are one body.
            for w in &mut words[keep..] {
                *w = in_full(w);
            }
        }
    }
    let mut out = words.join(" ");
    if out.contains("isation") {
        out = out.replace("isation", "ization");
    }
    if let Some(&(canonical, EntityKind::Organization)) = lexicon.names.get(out.as_str()) {
        return Some(Cow::Borrowed(canonical));
    }
    (out != name).then_some(Cow::Owned(out))
}

/// A shorter form of an organisation named in full in the same article
/// joins it: "Coffee Organization" after "International Coffee
/// Organization". Only a form of two words or more that no list holds (the
/// "Football Association" is not the "Scottish Football Association"), and
/// only where one full name ends with it.
pub(super) fn join_short_forms(
    by_name: &mut FxHashMap<(EntityKind, Cow<str>), Vec<Mention>>,
    lexicon: &Lexicon,
) {
    let orgs: Vec<&str> = by_name
        .keys()
        .filter(|(k, n)| *k == EntityKind::Organization && n.contains(' '))
        .map(|(_, n)| n.as_ref())
        .collect();
    if orgs.len() < 2 {
        return;
    }
    let mut joins: Vec<(String, String)> = Vec::new();
    for &short in &orgs {
        if lexicon.names.contains_key(short) || org_aliases().contains_key(short) {
            continue;
        }
        let mut full = orgs.iter().filter(|&&long| {
            long.len() > short.len()
                && long.ends_with(short)
                && long.as_bytes()[long.len() - short.len() - 1] == b' '
                && !splits_a_place(&long[..long.len() - short.len() - 1], short, lexicon)
        });
        if let (Some(&long), None) = (full.next(), full.next()) {
            joins.push((short.to_string(), long.to_string()));
        }
    }
    for (short, long) in joins {
        let Some(mentions) = by_name.remove(&(EntityKind::Organization, Cow::Owned(short))) else {
            continue;
        };
        by_name
            .entry((EntityKind::Organization, Cow::Owned(long)))
            .or_default()
            .extend(mentions);
    }
}

/// Whether the word before a short form in a full name and the short form's
/// first word are a place together: "York University" is not the end of
/// "New York University".
fn splits_a_place(before: &str, short: &str, lexicon: &Lexicon) -> bool {
    let last = before.rsplit(' ').next().unwrap_or(before);
    let first = short.split(' ').next().unwrap_or(short);
    matches!(
        lexicon.names.get(format!("{last} {first}").as_str()),
        Some((_, EntityKind::Place))
    )
}
