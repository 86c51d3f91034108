//! The rules for a run no gazetteer holds: organisation suffixes, acronyms,
//! datelines, given names, appositives, and the unknown capitalised phrase
//! that is most often a person.

use crate::article::EntityKind;

use super::classify::Candidate;
use super::context::{word_after, word_before, ArticleContext, Cue};
use super::lexicon::{
    contains_lower, cue_flags, Lexicon, DEMONYM, GIVEN, NOT_NAME, NOT_ORG, ORG_NOUN, PRODUCT,
    TITLE_START, WORK,
};
use super::tokens::{is_model, Token};
use super::vocab::{is_connector, is_month_or_day};

/// Rules for a run no gazetteer knows.
#[allow(clippy::too_many_arguments)]
pub(super) fn classify_rest<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    mut i: usize,
    j: usize,
    lexicon: &'static Lexicon,
    context: &mut ArticleContext<'t>,
    found: &mut Vec<Candidate<'t>>,
    loose: &mut Vec<usize>,
) {
    let mut j = j;
    while j > i && is_connector(tokens[j].text) {
        j -= 1;
    }
    // A sentence-initial common word is not part of a name ("Meanwhile",
    // "The").
    while i <= j {
        let t = &tokens[i];
        if (t.sentence_start
            && t.common
            && !t.is(GIVEN)
            && (i == j || tokens[i + 1].cap || tokens[i + 1].text == "the"))
            || (i < j && t.text.eq_ignore_ascii_case("the"))
            // "In February the Baltic Link Consortium said"
            || (i < j && is_month_or_day(t.text) && tokens[i + 1].text == "the")
        {
            i += 1;
        } else {
            break;
        }
    }
    if i > j {
        return;
    }
    let last = &tokens[j];
    if tokens[i..=j].iter().any(|t| t.headline) {
        // Headline words: only what the rest of the text vouches for.
        if i == j {
            loose.push(i);
        }
        return;
    }
    // "Rebecca Thornquist of Pell Marchbank": a person of a firm or a
    // place no list holds; each is a name of its own.
    if tokens[i].is(GIVEN) {
        if let Some(c) =
            (i + 2..j.min(i + 4)).find(|&c| matches!(tokens[c].text, "of" | "at" | "from"))
        {
            // Not a title's "of": "Mary Queen of Scots".
            if tokens[i..c].iter().all(|t| t.cap && !t.is(TITLE_START)) {
                classify_rest(text, tokens, i, c - 1, lexicon, context, found, loose);
                let before = found.len();
                classify_rest(text, tokens, c + 1, j, lexicon, context, found, loose);
                // Whom a person is "of" is no other person: the firm.
                for f in &mut found[before..] {
                    if f.kind == EntityKind::Person && !f.listed {
                        f.kind = EntityKind::Organization;
                    }
                }
                return;
            }
        }
    }
    // "British Empire": a former polity, a place.
    if j == i + 1 && last.text == "Empire" && tokens[i].is(DEMONYM) {
        found.push(Candidate {
            first: i,
            last: j,
            kind: EntityKind::Place,
            name: &text[tokens[i].start..tokens[j].end],
            listed: false,
            extra: 0,
        });
        return;
    }
    // "Maltese Pilots' Association", "Regional Wages Committees": an
    // organisation, demonym and all.
    let suffix = |w: &str| lexicon.org_suffixes.contains(w);
    // "Acme Holdings plc": the legal form, in lowercase, ends no run, but
    // makes the name before it a company's.
    let plc = text[last.end..]
        .strip_prefix(" plc")
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()));
    if plc || (j > i && (suffix(last.text) || last.text.strip_suffix('s').is_some_and(suffix))) {
        found.push(Candidate {
            first: i,
            last: j,
            kind: EntityKind::Organization,
            name: &text[tokens[i].start..tokens[j].end],
            listed: false,
            extra: 0,
        });
        return;
    }
    // Otherwise a demonym is not part of a name ("Ukrainian officials"),
    // and a faith or an event makes the run no name ("Roman Catholic").
    loop {
        if i <= j && tokens[i].is(DEMONYM) {
            i += 1;
        } else if i < j
            && lexicon
                .demonyms
                .contains(&text[tokens[i].start..tokens[i + 1].end])
        {
            // A demonym of two words: "Sri Lankan", "New Zealander".
            i += 2;
        } else {
            break;
        }
    }
    if i > j || tokens[i..=j].iter().any(|t| t.is(NOT_NAME)) {
        return;
    }
    let span = &text[tokens[i].start..tokens[j].end];
    let n = j + 1 - i;
    let person = |found: &mut Vec<Candidate<'t>>| {
        found.push(Candidate {
            first: i,
            last: j,
            kind: EntityKind::Person,
            name: span,
            listed: false,
            extra: 0,
        })
    };
    // A news agency's tag in a dateline: "LONDON, May 7 (Northgate Press) -".
    if agency_tag(text, tokens[i].start, last.end) {
        found.push(Candidate {
            first: i,
            last: j,
            kind: EntityKind::Organization,
            name: span,
            listed: false,
            extra: 0,
        });
        return;
    }
    if (2..=4).contains(&n) && tokens[i].is(GIVEN) {
        person(found);
        return;
    }
    if n == 1 {
        let w = tokens[i].text;
        // Datelines shout: "OSLO, Norway —" is Oslo.
        if w.chars().count() > 2 && w.chars().all(|c| !c.is_lowercase()) {
            let mut chars = w.chars();
            let title: String = chars
                .next()
                .into_iter()
                .chain(chars.flat_map(char::to_lowercase))
                .collect();
            if let Some((canonical, kind)) = lexicon.names.get(title.as_str()) {
                found.push(Candidate {
                    first: i,
                    last: i,
                    kind: *kind,
                    name: canonical,
                    listed: true,
                    extra: 0,
                });
                return;
            }
        }
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if (2..=6).contains(&letters)
            && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '&')
            && !tokens[i].common
            && !tokens[i].is(NOT_ORG)
        {
            found.push(Candidate {
                first: i,
                last: i,
                kind: EntityKind::Organization,
                name: w,
                listed: false,
                extra: 0,
            });
        } else if !tokens[i].common || !tokens[i].sentence_start {
            loose.push(i);
        }
        return;
    }
    // Two to four capitalised words with an appositive or "said": a person.
    let mut stop = text.len().min(last.end + 40);
    while !text.is_char_boundary(stop) {
        stop -= 1;
    }
    let after = &text[last.end..stop];
    let appositive = after.starts_with(", the ")
        || after.starts_with(", a ")
        || after.starts_with(", who ")
        || after.starts_with(", aged ")
        || after.starts_with(" said")
        || after.starts_with(" says")
        || after.starts_with(" told");
    if n <= 4 && (appositive || preceded_by_role(text, &tokens[i], lexicon)) {
        person(found);
        return;
    }
    // An unknown capitalised phrase: most often a person's name in news
    // when it is two or three words; longer runs are left alone.
    // Not when a word after the first is an acronym ("Windows PC"; initials
    // come first: "JK Rowling") or a word holds a digit, nor when a firm's or
    // product's noun follows ("Kestrel Subsea company").
    let next = word_after(text, last.end);
    let acronym = |t: &Token| t.text.len() >= 2 && t.text.bytes().all(|b| b.is_ascii_uppercase());
    if n <= 3
        && tokens[i..=j]
            .iter()
            .all(|t| t.cap && !t.common && !is_model(t.text))
        && !tokens[i + 1..=j].iter().any(acronym)
        && cue_flags(next, lexicon) & (ORG_NOUN | PRODUCT | WORK) == 0
    {
        let which = after.starts_with(", which ") && firm_by_which(text, &tokens[i], span, context);
        let kind = if which {
            EntityKind::Organization
        } else {
            EntityKind::Person
        };
        found.push(Candidate {
            first: i,
            last: j,
            kind,
            name: span,
            listed: which,
            extra: 0,
        });
    }
}

/// Whether `start..end` is in brackets near the start of a line and
/// followed by a dash: the agency of a dateline ("OSLO, March 3 (Nordvik
/// Wire) - The central bank ...").
fn agency_tag(text: &str, start: usize, end: usize) -> bool {
    let Some(before) = text[..start].strip_suffix('(') else {
        return false;
    };
    let line = before.rfind('\n').map_or(before, |p| &before[p + 1..]);
    let after = &text[end..];
    line.len() <= 60
        && line.trim_start().starts_with(|c: char| c.is_uppercase())
        && [") -", ") —", ") –", ")-", ") --"]
            .iter()
            .any(|d| after.starts_with(d))
}

/// "Biogen Idec, which had faced ...": a firm, in every mention (a cue for
/// them all). Not "a proposal from Mr Glazer, which" or "by Jo Hale, which",
/// where "which" is about the words before the name. Rare: kept out of line
/// of the common path, which it slowed by 2%.
#[cold]
#[inline(never)]
fn firm_by_which<'t>(
    text: &str,
    first: &Token,
    span: &'t str,
    context: &mut ArticleContext<'t>,
) -> bool {
    let firm = !first.is(GIVEN)
        && !matches!(
            word_before(text, first.start).0,
            "by" | "from" | "to" | "featuring" | "of" | "with" | "for"
        );
    if firm {
        context.cue(span, Cue::Kind(EntityKind::Organization));
    }
    firm
}

/// A lowercase role word right before the name: "envoy Steve Witkoff".
fn preceded_by_role(text: &str, t: &Token, lexicon: &Lexicon) -> bool {
    let before = text[..t.start].trim_end();
    let word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    !word.is_empty() && contains_lower(&lexicon.titles, word)
}
