//! The second pass: short forms join the full names found elsewhere in the
//! article (surnames, particles, first words of organisations, acronyms and
//! initials), repeated unknown words become organisations, and the
//! candidates become entities under their canonical names.
//!
//! An acronym means what the article says it means before what the lists
//! say ("International Coffee Organization (ICO)" is no Information
//! Commissioner's Office), and one body is one entity: an organisation's
//! name loses its legal form ("Corp", "plc") and a leading "The", is spelt
//! with -ization, and a shorter form ("Coffee Organization") joins the full
//! name the article gives.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use rustc_hash::FxHashSet;

use crate::article::EntityKind;

use super::classify::{number_after, Candidate};
use super::context::ArticleContext;
use super::lexicon::{contains_lower, lexicon, Lexicon, NOT_NAME, NOT_ORG};
use super::tokens::{is_model, Token};
use super::vocab::{is_club_nickname, is_not_name, is_particle};
use super::{Entity, Mention};

/// A possessive of kin or entourage after a name, which only a person's
/// name takes: "'s agent", "'s father".
fn kin_after(after: &str) -> bool {
    let Some(rest) = after
        .strip_prefix("'s ")
        .or_else(|| after.strip_prefix("’s "))
    else {
        return false;
    };
    let next = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    matches!(
        next,
        "agent"
            | "father"
            | "mother"
            | "wife"
            | "husband"
            | "son"
            | "daughter"
            | "brother"
            | "sister"
            | "girlfriend"
            | "boyfriend"
            | "parents"
            | "children"
            | "widow"
            | "lawyer"
            | "fiancee"
            | "fiancé"
            | "fiancée"
    )
}

/// Second pass: short forms join full names, acronyms join expansions, and
/// the found spans become entities.
pub(super) fn resolve<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    lexicon: &'static Lexicon,
    context: &ArticleContext,
    mut found: Vec<Candidate<'t>>,
    loose: Vec<usize>,
) -> Vec<Entity> {
    // People named by one word ("Mr Lowe" is the person "Lowe").
    let one_word_people: FxHashSet<&str> = found
        .iter()
        .filter(|f| f.kind == EntityKind::Person && f.first == f.last)
        .map(|f| f.name)
        .collect();
    // Full names of people by each of their name tokens (surname first).
    let mut by_part: FxHashMap<&str, &str> = FxHashMap::default();
    for f in found
        .iter()
        .filter(|f| f.kind == EntityKind::Person && f.last > f.first)
    {
        if let Some((_, last)) = f.name.rsplit_once(' ') {
            by_part.entry(last).or_insert(f.name);
        }
    }
    // Full names by the surname with its particle ("van Dam" for "Pieter
    // van Dam"), for a mention without the first name, whatever the
    // particle's case: "Van Dam said", "de Vabres".
    let mut by_particle: FxHashMap<String, &str> = FxHashMap::default();
    for f in found
        .iter()
        .filter(|f| f.kind == EntityKind::Person && f.last > f.first + 1)
    {
        if let Some(k) = (f.first + 1..f.last).find(|&k| is_particle(tokens[k].text)) {
            let tail = &text[tokens[k].start..tokens[f.last].end];
            by_particle.entry(tail.to_lowercase()).or_insert(f.name);
        }
    }
    // Organisations by their first word: "Nordlys" for "Nordlys Energy".
    let mut by_first: FxHashMap<&str, &str> = FxHashMap::default();
    for f in found
        .iter()
        .filter(|f| f.kind == EntityKind::Organization && f.last > f.first)
    {
        if let Some((first, _)) = f.name.split_once(' ') {
            // Not "Islamic" for "Islamic Relief", nor "Welsh" for "Welsh
            // Water": such words name nothing alone.
            if !contains_lower(&lexicon.common, first)
                && !is_not_name(first)
                && !lexicon.demonyms.contains(first)
            {
                by_first.entry(first).or_insert(f.name);
            }
        }
    }
    // Acronyms in brackets after a name: "... Organization (NATO)".
    let mut acronyms: FxHashMap<&str, (&str, EntityKind)> = FxHashMap::default();
    for f in &found {
        if let Some(next) = tokens.get(f.last + 1) {
            let between = &text[tokens[f.last].end..next.start];
            if between.trim() == "("
                && next.text.chars().all(|c| c.is_uppercase())
                && next.text.len() >= 2
                && text[next.end..].starts_with(')')
            {
                acronyms.insert(next.text, (f.name, f.kind));
            }
        }
    }
    // What each acronym means in this article, where the article says so or
    // the lists should not be trusted; and the expansions that are the body
    // a list knows by its acronym ("Organization of Petroleum Exporting
    // Countries" is OPEC).
    let Acronyms { meaning, same_body } = acronym_meanings(text, tokens, lexicon, &found);
    // Acronyms of longer names: "Acpo" for "Association of Chief Police
    // Officers".
    let mut initials: FxHashMap<String, &str> = FxHashMap::default();
    for f in found
        .iter()
        .filter(|f| f.kind == EntityKind::Organization && f.last >= f.first + 2)
    {
        let letters: String = tokens[f.first..=f.last]
            .iter()
            .filter(|t| t.cap)
            .filter_map(|t| t.text.chars().next())
            .collect();
        if (3..=6).contains(&letters.len()) {
            initials.entry(letters).or_insert(f.name);
        }
    }
    // Entities named elsewhere in the text, for headline words: the span as
    // written → the index of its entity in `found`.
    // A name listed with its "The" is named without it too: "Scotsman
    // journalist Hamish MacDonell said", after "The Scotsman".
    let mut named: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(found.len() + 4, Default::default());
    for (k, f) in found.iter().enumerate() {
        named.insert(&text[tokens[f.first].start..tokens[f.last].end], k);
        if f.last > f.first && tokens[f.first].text == "The" {
            named.insert(&text[tokens[f.first + 1].start..tokens[f.last].end], k);
        }
    }
    for f in &mut found {
        // "Lowe's" (listed with its 's) where "Rob Lowe" or "Mr Lowe" is
        // named: his, not the retailer's. A possessive of a listed name
        // ("Ford's") stays the listed name's.
        if f.kind != EntityKind::Person
            && f.first == f.last
            && f.extra > 0
            && tokens[f.first].possessive
        {
            let w = tokens[f.first].text;
            let person = by_part
                .get(w)
                .copied()
                .or_else(|| one_word_people.contains(w).then_some(w));
            if let Some(name) = person {
                f.kind = EntityKind::Person;
                f.name = name;
                f.extra = 0;
            }
        }
        if f.kind == EntityKind::Person && f.first == f.last {
            if let Some(&full) = by_part.get(f.name) {
                f.name = full;
            }
        } else if f.kind == EntityKind::Person && !by_particle.is_empty() {
            if let Some(&full) = by_particle.get(&f.name.to_lowercase()) {
                f.name = full;
            }
        }
        if let Some(&(name, kind)) = acronyms.get(f.name) {
            f.name = name;
            f.kind = kind;
        }
        if !meaning.is_empty() && f.first == f.last && f.kind == EntityKind::Organization {
            if let Some(&(name, kind)) = meaning.get(tokens[f.first].text) {
                f.name = name;
                f.kind = kind;
            }
        }
        if f.kind == EntityKind::Organization && f.last > f.first {
            if let Some(&name) = same_body.get(f.name) {
                f.name = name;
            }
        }
    }
    // A capitalised word no list knows and no full name explains, used
    // again and again in prose, is most often a company or group ("Yukos").
    // (word, token) pairs, grouped by word below: one allocation for all.
    let mut unknown: Vec<(&str, usize)> = Vec::new();
    for i in loose {
        let w = tokens[i].text;
        let hit = by_part
            .get(w)
            .map(|&full| (full, EntityKind::Person))
            .or_else(|| by_first.get(w).map(|&o| (o, EntityKind::Organization)))
            .or_else(|| meaning.get(w).copied())
            .or_else(|| acronyms.get(w).copied())
            .or_else(|| named.get(w).map(|&k| (found[k].name, found[k].kind)))
            .or_else(|| {
                if initials.is_empty() || !(3..=6).contains(&w.len()) {
                    return None;
                }
                let upper = w.to_ascii_uppercase();
                initials.get(&upper).map(|&o| (o, EntityKind::Organization))
            })
            .or_else(|| {
                (is_club_nickname(w) && context.sport()).then_some((w, EntityKind::Organization))
            });
        match hit {
            Some((name, kind)) => found.push(Candidate {
                first: i,
                last: i,
                kind,
                name,
                listed: false,
                extra: 0,
            }),
            None => unknown.push((w, i)),
        }
    }
    unknown.sort_unstable();
    for group in unknown.chunk_by(|x, y| x.0 == y.0) {
        let w = group[0].0;
        let in_prose = group
            .iter()
            .filter(|&&(_, i)| !tokens[i].headline && !tokens[i].sentence_start)
            .count();
        // Models ("X200") and derived words ("Blairism", "Europhobia") are
        // not organisations.
        let not_a_name = tokens[group[0].1].is(NOT_ORG | NOT_NAME)
            || lexicon.demonyms.contains(w.trim_end_matches('s'))
            || is_model(w)
            || ["ism", "isms", "ist", "ists", "phobia", "ite", "ites"]
                .iter()
                .any(|s| w.ends_with(s));
        if in_prose >= 2
            && !not_a_name
            && !tokens[group[0].1].common
            && !lexicon.given.contains(w)
            && w.chars().count() >= 3
            // "Half-Life 2", "Doom 3": a product and its version (in sport
            // copy the number is a score or a minute).
            && (!group.iter().any(|&(_, i)| number_after(text, tokens[i].end).is_some())
                || context.sport())
        {
            // Unless one mention shows a person: "Juninho's agent",
            // "Juninho, who" (teams are "who" in sport copy).
            let kind = if group.iter().any(|&(_, i)| {
                let after = &text[tokens[i].end..];
                kin_after(after) || (after.starts_with(", who ") && !context.sport())
            }) {
                EntityKind::Person
            } else {
                EntityKind::Organization
            };
            for &(_, i) in group {
                found.push(Candidate {
                    first: i,
                    last: i,
                    kind,
                    name: w,
                    listed: true,
                    extra: 0,
                });
            }
        }
    }
    // Headline runs made only of listed names were already kept; drop rule
    // guesses on headline tokens that nothing else supports.
    found.retain(|f| f.listed || !tokens[f.first].headline || named.contains_key(f.name));

    // One spelling of the apostrophe, so that "Workers’ Federation" in one
    // article and "Workers' Federation" in another are one organisation; and
    // one name for an organisation's variants ("General Motors Corp").
    let mut by_name: FxHashMap<(EntityKind, Cow<str>), Vec<Mention>> = FxHashMap::default();
    for f in found {
        let name = if f.name.contains('’') {
            Cow::Owned(f.name.replace('’', "'"))
        } else {
            Cow::Borrowed(f.name)
        };
        // A name across a joined "\r\n" has two spaces in the text.
        let name = if name.contains("  ") {
            Cow::Owned(
                name.split(' ')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        } else {
            name
        };
        let name = if f.kind == EntityKind::Organization {
            // "Co" of "Co-operation", cut at its hyphen, is no legal form.
            if text[tokens[f.last].end..].starts_with('-') {
                name
            } else if legal_form_only(&name) {
                // "Corp", "Co Inc": the rest of the name was lost (a line
                // break, a headline); alone they name no one.
                continue;
            } else {
                org_name_in(&name, lexicon).unwrap_or(name)
            }
        } else {
            name
        };
        by_name.entry((f.kind, name)).or_default().push(Mention {
            start: tokens[f.first].start,
            end: tokens[f.last].end + f.extra,
        });
    }
    join_short_forms(&mut by_name, lexicon);
    firms_named_like_people(&mut by_name);
    let mut out: Vec<Entity> = by_name
        .into_iter()
        .map(|((kind, name), mut mentions)| {
            mentions.sort();
            mentions.dedup();
            Entity {
                kind,
                name: name.into_owned(),
                mentions,
            }
        })
        .collect();
    out.sort_by(|a, b| a.mentions[0].cmp(&b.mentions[0]).then(a.name.cmp(&b.name)));
    out
}

/// A firm named like a person ("Halloran Pike Inc, the brokerage, ...
/// Halloran Pike said"): a name of several words that the article makes an
/// organisation somewhere (by a legal form, an appositive, a list) is that
/// organisation at every mention, since one name is one body within an
/// article. Names of one word are left alone: "Ford" may be the actor and
/// the carmaker in one story.
fn firms_named_like_people(by_name: &mut FxHashMap<(EntityKind, Cow<str>), Vec<Mention>>) {
    let firms: Vec<Cow<str>> = by_name
        .keys()
        .filter(|(kind, name)| *kind == EntityKind::Organization && name.contains(' '))
        .map(|(_, name)| name.clone())
        .collect();
    for name in firms {
        if let Some(mentions) = by_name.remove(&(EntityKind::Person, name.clone())) {
            by_name
                .entry((EntityKind::Organization, name))
                .or_default()
                .extend(mentions);
        }
    }
}

/// Acronyms that the gazetteers give one meaning but that news uses for
/// several bodies, with the meanings that compete. Without a definition in
/// the article, or a body named in full whose initials spell it, such an
/// acronym stays as written: the list's meaning would be a guess, and a
/// wrong body in a facet or a filter is worse than the acronym itself. Only
/// acronyms that name several bodies in English-language news are here.
const AMBIGUOUS_ACRONYMS: &[(&str, &str)] = &[
    (
        "ICO",
        "International Coffee (or Cocoa) Organization; Information Commissioner's Office",
    ),
    (
        "EC",
        "European Commission; European Community (until 1993); Electoral Commission",
    ),
    ("CPS", "Crown Prosecution Service; Chicago Public Schools"),
    (
        "ICC",
        "International Criminal Court; International Cricket Council; \
         International Chamber of Commerce",
    ),
    (
        "ECB",
        "European Central Bank; England and Wales Cricket Board",
    ),
    ("LSE", "London School of Economics; London Stock Exchange"),
    ("SAS", "Special Air Service; Scandinavian Airlines"),
    (
        "IEA",
        "International Energy Agency; Institute of Economic Affairs",
    ),
    (
        "FSB",
        "Federal Security Service (Russia); Financial Stability Board; \
         Federation of Small Businesses",
    ),
    (
        "CAS",
        "Court of Arbitration for Sport; Chinese Academy of Sciences",
    ),
    (
        "BIS",
        "Bank for International Settlements; Bureau of Industry and Security; \
         Department for Business, Innovation and Skills",
    ),
    (
        "HSE",
        "Health and Safety Executive (UK); Health Service Executive (Ireland)",
    ),
    (
        "NUS",
        "National Union of Students; National University of Singapore",
    ),
    (
        "ICE",
        "Immigration and Customs Enforcement; Intercontinental Exchange; \
         Institution of Civil Engineers",
    ),
    (
        "NDP",
        "New Democratic Party (Canada); National Democratic Party (Egypt)",
    ),
    ("LDP", "Liberal Democratic Party (Japan; Russia)"),
    (
        "PDP",
        "Peoples Democratic Party (Nigeria); People's Democratic Party (Kashmir)",
    ),
];

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
fn org_aliases() -> &'static FxHashMap<&'static str, Vec<&'static str>> {
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
fn org_name_in(name: &str, lexicon: &'static Lexicon) -> Option<Cow<'static, str>> {
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
fn join_short_forms(
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

/// An acronym as written: two to six capital letters ("ICO"), or a listed
/// organisation's acronym written in title case ("Opec").
fn is_acronym(w: &str, lexicon: &Lexicon) -> bool {
    let n = w.len();
    if !(2..=6).contains(&n) || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    if w.bytes().all(|b| b.is_ascii_uppercase()) {
        return true;
    }
    let mut buf = [0u8; 6];
    buf[..n].copy_from_slice(w.as_bytes());
    buf[..n].make_ascii_uppercase();
    n >= 3
        && w.as_bytes()[0].is_ascii_uppercase()
        && std::str::from_utf8(&buf[..n])
            .is_ok_and(|up| matches!(lexicon.names.get(up), Some((_, EntityKind::Organization))))
}

/// Whether the initials of the name on tokens `first..=last` spell `acr`:
/// of its capitalised words ("Organization of Petroleum Exporting
/// Countries", OPEC) or of all its words ("Department of Energy", DOE). A
/// hyphened word gives the initial of each capitalised part ("Asia-Pacific").
fn spells(tokens: &[Token], first: usize, last: usize, acr: &str) -> bool {
    let mut caps = [0u8; 12];
    let mut all = [0u8; 12];
    let (mut nc, mut na) = (0, 0);
    let first = if tokens[first].text == "The" && first < last {
        first + 1
    } else {
        first
    };
    for t in &tokens[first..=last] {
        // "EC Commission" holds the acronym: it does not spell it out.
        if t.text.eq_ignore_ascii_case(acr) {
            return false;
        }
        for (p, part) in t.text.split('-').enumerate() {
            let Some(c) = part.bytes().next().filter(u8::is_ascii_alphabetic) else {
                continue;
            };
            if nc == caps.len() || na == all.len() {
                return false;
            }
            if c.is_ascii_uppercase() {
                caps[nc] = c;
                nc += 1;
                all[na] = c;
                na += 1;
            } else if p == 0 {
                all[na] = c.to_ascii_uppercase();
                na += 1;
            }
        }
    }
    nc >= 2
        && (caps[..nc].eq_ignore_ascii_case(acr.as_bytes())
            || all[..na].eq_ignore_ascii_case(acr.as_bytes()))
}

/// A name's words for comparing two writings of it: without "the" and the
/// small words a writer may leave out ("Securities Exchange Commission"),
/// in lowercase, with -ization and without hyphens ("Co-operation").
fn signature(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in name.split(' ') {
        if w.is_empty() || matches!(w, "the" | "The" | "of" | "for" | "and" | "&") {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(
            w.chars()
                .filter(|&c| c != '-')
                .map(|c| if c == '’' { '\'' } else { c })
                .flat_map(char::to_lowercase),
        );
    }
    out.replace("isation", "ization")
}

/// Whether `expansion`, as an article writes it, is the body the gazetteers
/// name `canonical`: that name or one it is listed under, written alike.
fn is_listed_body(expansion: &str, canonical: &str) -> bool {
    let want = signature(expansion);
    signature(canonical) == want
        || org_aliases()
            .get(canonical)
            .is_some_and(|names| names.iter().any(|n| signature(n) == want))
}

/// What an article's acronyms mean.
struct Acronyms<'t> {
    /// By the acronym as written: the name and kind it stands for here.
    meaning: FxHashMap<&'t str, (&'t str, EntityKind)>,
    /// Expansions that are the body a list knows by its acronym, with the
    /// list's name for it: "Organization of Petroleum Exporting Countries"
    /// is OPEC.
    same_body: FxHashMap<&'t str, &'t str>,
}

/// What the acronyms of an article mean (see `Acronyms`). An acronym means,
/// in order:
///
/// 1. what the article defines it as: "International Coffee Organization
///    (ICO)", "the Organization of Petroleum Exporting Countries, OPEC,",
///    "OPEC (Organization of ...)", "ICO, the International Coffee
///    Organization";
/// 2. the one organisation named in full whose initials spell it
///    ("European Community ... the EC said"), unless it is a listed acronym
///    of two letters (AP, FA, GM: too short to be spelt by chance) that no
///    one doubts;
/// 3. what the gazetteers say, unless it is one of `AMBIGUOUS_ACRONYMS`:
///    then it stays as written.
fn acronym_meanings<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    lexicon: &'static Lexicon,
    found: &[Candidate<'t>],
) -> Acronyms<'t> {
    let mut meaning: FxHashMap<&'t str, (&'t str, EntityKind)> = FxHashMap::default();
    let mut same_body: FxHashMap<&'t str, &'t str> = FxHashMap::default();
    // The acronyms used, as written: most articles have none.
    let mut used: Vec<&'t str> = found
        .iter()
        .filter(|f| f.first == f.last && f.kind == EntityKind::Organization)
        .map(|f| tokens[f.first].text)
        .filter(|w| is_acronym(w, lexicon))
        .collect();
    if used.is_empty() {
        return Acronyms { meaning, same_body };
    }
    used.sort_unstable();
    used.dedup();
    let expansions: Vec<&Candidate<'t>> = found
        .iter()
        .filter(|f| f.kind == EntityKind::Organization && f.last > f.first)
        .collect();
    // Definitions, in text order: the first one holds.
    let mut defined: FxHashMap<&'t str, &Candidate<'t>> = FxHashMap::default();
    for &f in &expansions {
        let end = tokens[f.last].end + f.extra;
        // "Expansion (ACR)", "Expansion, ACR,".
        if let Some(next) = tokens.get(f.last + 1) {
            let between = &text[end.min(next.start)..next.start];
            let after = &text[next.end..];
            let bracketed = between.trim() == "(" && after.starts_with(')');
            let commas = between == ", " && after.starts_with([',', '.', ';', ':']);
            if (bracketed || commas) && spells(tokens, f.first, f.last, next.text) {
                defined.entry(next.text).or_insert(f);
            }
        }
        // "ACR (Expansion)", "ACR, the Expansion,".
        let before = &text[..tokens[f.first].start];
        let rest = before
            .strip_suffix(" (")
            .filter(|_| text[end..].starts_with(')'))
            .or_else(|| before.strip_suffix(", the "))
            .or_else(|| before.strip_suffix(", "));
        if let Some(rest) = rest {
            let acr_start = rest
                .rfind(|c: char| !c.is_ascii_alphabetic())
                .map_or(0, |i| i + 1);
            let acr = &rest[acr_start..];
            if used.contains(&acr) && spells(tokens, f.first, f.last, acr) {
                defined.entry(acr).or_insert(f);
            }
        }
    }
    for &acr in &used {
        let listed = match lexicon.names.get(acr) {
            Some(&(canonical, EntityKind::Organization)) => Some(canonical),
            _ => None,
        };
        let ambiguous = AMBIGUOUS_ACRONYMS
            .iter()
            .any(|(a, _)| a.eq_ignore_ascii_case(acr));
        let expansion = defined.get(acr).copied().or_else(|| {
            if listed.is_some() && acr.len() == 2 && !ambiguous {
                return None;
            }
            let mut spelt = expansions
                .iter()
                .filter(|f| spells(tokens, f.first, f.last, acr));
            let first = spelt.next()?;
            // Several bodies spell it: the listed one, if it is named.
            if spelt.any(|f| f.name != first.name) {
                return expansions
                    .iter()
                    .find(|f| Some(f.name) == listed && spells(tokens, f.first, f.last, acr))
                    .copied();
            }
            Some(*first)
        });
        match (expansion, listed) {
            (Some(f), Some(canonical)) if f.name != canonical => {
                let written = &text[tokens[f.first].start..tokens[f.last].end];
                if is_listed_body(written, canonical) {
                    // The list's body, written out: "Organization of
                    // Petroleum Exporting Countries" is OPEC.
                    same_body.insert(f.name, canonical);
                    meaning.insert(acr, (canonical, EntityKind::Organization));
                } else {
                    meaning.insert(acr, (f.name, f.kind));
                }
            }
            (Some(f), None) => {
                meaning.insert(acr, (f.name, f.kind));
            }
            (None, Some(_)) if ambiguous => {
                meaning.insert(acr, (acr, EntityKind::Organization));
            }
            _ => {}
        }
    }
    Acronyms { meaning, same_body }
}
