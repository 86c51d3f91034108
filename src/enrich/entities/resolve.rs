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
//! name the article gives (`acronyms`, `orgname`).

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use rustc_hash::FxHashSet;

use crate::article::EntityKind;

use super::acronyms::{acronym_meanings, Acronyms};
use super::classify::{number_after, Candidate};
use super::context::ArticleContext;
use super::lexicon::{contains_lower, Lexicon, NOT_NAME, NOT_ORG};
use super::orgname::{join_short_forms, legal_form_only, org_name_in};
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
            // "Zawahiri" for "Ayman al-Zawahiri": news drops the article.
            if let Some(bare) = last
                .strip_prefix("al-")
                .or_else(|| last.strip_prefix("el-"))
            {
                by_part.entry(bare).or_insert(f.name);
            }
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
