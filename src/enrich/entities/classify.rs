//! Classification of a run of tokens into candidates: listed names
//! (longest first, across a break, with a number), titles before a person,
//! and the rules that take a run whole (events, venues, seats, "... of ..."
//! organisations); what is left goes to `rules`.

use crate::article::EntityKind;

use super::context::{words_before, ArticleContext, Cue};
use super::lexicon::{contains_lower, Lexicon, DEMONYM, GIVEN, NOT_NAME, TITLE_CASE, TITLE_START};
use super::rules::classify_rest;
use super::sport::plays_sport;
use super::tokens::{is_model, name_start, Token};
use super::vocab::{
    is_club_suffix, is_connector, is_event_word, is_feature_word, is_place_prefix, is_venue_word,
};

/// A span of the text (token range) with a kind and canonical name.
#[derive(Debug, Clone)]
pub(super) struct Candidate<'t> {
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) kind: EntityKind,
    pub(super) name: &'t str,
    /// Vouched for by a gazetteer or a context cue (trusted in headlines too).
    pub(super) listed: bool,
    /// Bytes the mention runs on past its last token ("Channel 9").
    pub(super) extra: usize,
}

/// A listed name that the run `i..=j` stopped short of, at one of
/// `Lexicon::breaks`: "People's Republic of China" (not "Republic of China",
/// which is Taiwan), "Food and Drug Administration" (not "Drug
/// Administration"), "Standard & Poor's". A run that only shares words with
/// such a name ("the King's speech", "Mr Moody's") is left to `classify`.
#[cold]
#[inline(never)]
pub(super) fn listed_across_break<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    i: usize,
    j: usize,
    lexicon: &Lexicon,
) -> Option<Candidate<'t>> {
    let t = &tokens[j];
    for at in lexicon.breaks.get(t.text)? {
        let Some(a) = j.checked_sub(at.offset).filter(|&a| a >= i) else {
            continue;
        };
        let (last, end) = if at.after > 0 {
            let b = j + at.after;
            match tokens.get(j + 1) {
                Some(n) if n.text == at.next && b < tokens.len() => (b, tokens[b].end),
                _ => continue,
            }
        } else {
            // Only ordinary words may come before a name that ends in its
            // tail ("Yesterday Macy's said"), not a title or a given name
            // ("Mr Moody's", "Rob Lowe's").
            let ordinary = tokens[i..a]
                .iter()
                .all(|w| w.common && !w.is(GIVEN) && !w.is(TITLE_START));
            if !ordinary || !text[t.end..].starts_with(at.tail) {
                continue;
            }
            (j, t.end + at.tail.len())
        };
        if let Some(&(name, kind)) = lexicon.names.get(&text[tokens[a].start..end]) {
            return Some(Candidate {
                first: a,
                last,
                kind,
                name,
                listed: true,
                extra: end - tokens[last].end,
            });
        }
    }
    None
}

/// Classifies the run `i..=j`; returns the index after what it used.
#[allow(clippy::too_many_arguments)]
pub(super) fn classify<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    i: usize,
    j: usize,
    lexicon: &'static Lexicon,
    context: &mut ArticleContext<'t>,
    found: &mut Vec<Candidate<'t>>,
    loose: &mut Vec<usize>,
) -> usize {
    let span = |a: usize, b: usize| &text[tokens[a].start..tokens[b].end];
    let listed = |a: usize, b: usize| {
        tokens[a]
            .may_start_name()
            .then(|| lexicon.names.get(span(a, b)))
            .flatten()
    };
    let mut push = |first: usize, last: usize, kind: EntityKind, listed: bool| {
        found.push(Candidate {
            first,
            last,
            kind,
            name: span(first, last),
            listed,
            extra: 0,
        })
    };

    // A listed name keeps the sentence's first word that starts it, title
    // or not: "General Motors said", "Federal Bureau of Investigation said".
    let a = name_start(tokens, i, j);
    let keep_first = a > i
        && tokens[i].sentence_start
        && !tokens[i].text.eq_ignore_ascii_case("the")
        && (a..=j.min(i + lexicon.max_tokens - 1)).any(|b| listed(i, b).is_some());
    let a = if keep_first { i } else { a };

    // What the context of another mention said about this name.
    if context.cue_firsts.contains(&tokens[a].text) {
        for b in (a..=j.min(a + 5)).rev() {
            if let Some(cue) = context.cues.get(span(a, b)) {
                // "Kestrel" has a cue, but "Kestrel Ricard" is listed.
                if (b + 1..=j.min(a + lexicon.max_tokens - 1)).any(|e| listed(a, e).is_some()) {
                    break;
                }
                if let Cue::Kind(kind) = *cue {
                    push(a, b, kind, true);
                }
                return b + 1;
            }
        }
    }

    // Lowercase role nouns ("star", "striker") are titles only where every
    // word is capitalised anyway: at a sentence start and in headlines.
    let is_title = |a: usize, b: usize| {
        contains_lower(&lexicon.cap_titles, span(a, b))
            || ((tokens[a].sentence_start || tokens[a].headline)
                && contains_lower(&lexicon.titles, span(a, b)))
    };
    // Titles: "President Vladimir Putin", "Foreign Minister Andrii Sybhia",
    // also after a demonym or a sentence-initial word ("Russian President").
    let mut k = i;
    while k < j
        && (tokens[k].is(DEMONYM)
            || (tokens[k].sentence_start && tokens[k].common && !tokens[k].is(GIVEN)))
    {
        k += 1;
    }
    let maybe_title = |k: usize| {
        if tokens[k].is(TITLE_CASE) {
            tokens[k].is(TITLE_START)
        } else {
            contains_lower(&lexicon.title_starts, tokens[k].text)
        }
    };
    // "Sri Lankan" is a demonym, not the title "Sri" and a person.
    let two_word_demonym = |k: usize| k < j && lexicon.demonyms.contains(span(k, k + 1));
    let starts_title = maybe_title(k)
        && !two_word_demonym(k)
        && (1..=lexicon.max_title_tokens.min(j + 1 - k)).any(|n| is_title(k, k + n - 1));
    // A listed name that starts with a title word is still the name:
    // "Premier League", "General Motors".
    let listed_from_title = keep_first
        || (starts_title
            && (k + 1..=j.min(k + lexicon.max_tokens - 1)).any(|b| listed(k, b).is_some()));
    if !starts_title || listed_from_title {
        k = i;
    }
    let mut titled = false;
    loop {
        if listed_from_title {
            break;
        }
        let mut matched = 0;
        if !maybe_title(k) || two_word_demonym(k) {
            break;
        }
        for n in (1..=lexicon.max_title_tokens.min(j + 1 - k)).rev() {
            if is_title(k, k + n - 1) {
                matched = n;
                break;
            }
        }
        if matched == 0 || k + matched > j {
            break;
        }
        k += matched;
        titled = true;
    }
    // A title that is the whole run ("the President said") names no one.
    if titled && k > j {
        return j + 1;
    }

    // What the context says of a name no list holds, for this mention and
    // the later ones. Listed names need no such look.
    let unlisted = listed(a, j).is_none();
    if !titled && unlisted {
        context.read_run(tokens, i, j, lexicon);
        // "MP for Hornby and Dale": one name across the "and".
        if let Some((last, kind)) = context.span_at(a) {
            push(a, last, kind, true);
            return last + 1;
        }
        if let Some(&cue) = context.cues.get(span(a, j)) {
            if let Cue::Kind(kind) = cue {
                push(a, j, kind, true);
            }
            return j + 1;
        }
    }

    if !titled && a < j {
        let last = tokens[j].text;
        let n = j + 1 - a;
        // Cheap tests first; the lookups only when a rule may apply.
        let event = is_event_word(last);
        let venue = is_venue_word(last)
            || is_place_prefix(tokens[a].text)
            || (is_feature_word(last)
                && !tokens[a].is(GIVEN)
                // Not a title: "Beyond the Sea", "How Green Was My Valley".
                && tokens[a..j].iter().all(|t| t.cap && !t.common));
        let seat = matches!(last, "MP" | "MSP" | "MEP");
        let given_first = n <= 3
            && tokens[a + 1..=j]
                .iter()
                .all(|t| t.cap && !t.common && !is_model(t.text) && !t.is(NOT_NAME))
            && tokens[a].is(GIVEN)
            && !lexicon.org_suffixes.contains(last);
        // "Association of Chief Police Officers", and "Port of Rotterdam
        // Logistics Group": an organisation word before "of", or one word
        // before it and an organisation word at the end, but not "Many of
        // Manchester United" or "Orin Middleton of Barclays Capital".
        let of_org = (a + 1..j)
            .find(|&c| matches!(tokens[c].text, "of" | "for"))
            .filter(|&c| {
                lexicon.org_suffixes.contains(tokens[c - 1].text)
                    || (c == a + 1
                        && c + 1 < j
                        && lexicon.org_suffixes.contains(last)
                        && !tokens[a].common
                        && !tokens[a].is(GIVEN)
                        && listed(c + 1, j).is_none())
            });
        if (event || venue || seat || given_first || of_org.is_some()) && unlisted {
            // "Geneva Motor Show", "Uefa Cup": events hide the names in them.
            if event {
                return j + 1;
            }
            // Sites and features: "Edinburgh Airport", "River Senne".
            if venue {
                push(a, j, EntityKind::Place, false);
                return j + 1;
            }
            // "the Hornby MP": a constituency.
            if seat && listed(a, j - 1).is_none() {
                if !tokens[a].is(GIVEN) {
                    push(a, j - 1, EntityKind::Place, false);
                }
                return j + 1;
            }
            // A given name before a word that is also a place: "Alma
            // Windsor", "Milan Ostrava" are people.
            if given_first
                && (listed(a, a).is_none() || (a + 1..=j).all(|b| listed(b, b).is_none()))
            {
                push(a, j, EntityKind::Person, false);
                return j + 1;
            }
            // "Institute for Rural Studies", "Association of Chief
            // Officers": an organisation word before "of" or "for" makes the
            // whole run one name, places and all.
            if let Some(c) = of_org {
                if (c..=j).all(|b| listed(a, b).is_none()) {
                    push(a, j, EntityKind::Organization, false);
                    return j + 1;
                }
            }
        }
    }

    // "Channel 9": a listed name that ends in a number.
    if !titled {
        if let Some(extra) = number_after(text, tokens[j].end) {
            let with_number = format!("{} {}", span(a, j), &text[tokens[j].end + 1..extra]);
            if let Some((canonical, kind)) = lexicon.names.get(with_number.as_str()) {
                found.push(Candidate {
                    first: a,
                    last: j,
                    kind: *kind,
                    name: canonical,
                    listed: true,
                    extra: 0,
                });
                if let Some(f) = found.last_mut() {
                    f.extra = extra - tokens[j].end;
                }
                return j + 1;
            }
        }
    }

    // The longest gazetteer name inside the run, from its start.
    let name_first = a;
    for a in k..=j {
        if is_connector(tokens[a].text) {
            continue;
        }
        for b in (a..=j.min(a + lexicon.max_tokens - 1)).rev() {
            // Already looked up, above.
            if unlisted && a == name_first && b == j {
                continue;
            }
            if let Some((canonical, kind)) = listed(a, b) {
                let last = tokens[j].text;
                if !titled && a == k && b < j {
                    let abbreviated = tokens[a].text.chars().all(|c| !c.is_lowercase());
                    match kind {
                        // An organisation word after a place makes the whole
                        // run an organisation ("Manchester United", "Ruritania
                        // Anti-Doping Agency"); not after "US" ("US Federal
                        // Reserve") nor a place that is no club ("Texas City").
                        // In a sport report any town with a club word is a
                        // club ("Durham Athletic", "Des Moines United").
                        EntityKind::Place
                            if lexicon.org_suffixes.contains(last)
                                && !abbreviated
                                && (!is_club_suffix(last)
                                    || lexicon.club_towns.contains(span(a, b))
                                    || context.sport()) =>
                        {
                            break;
                        }
                        // A listed organisation that goes on to a unit, a
                        // region or an organisation word is one name: "Kestrel
                        // Scotland", "Kestrel Global Markets".
                        EntityKind::Organization
                            if tokens[b + 1..=j].iter().all(|t| t.cap)
                                && last != "TV"
                                && (lexicon.org_suffixes.contains(last)
                                    || matches!(
                                        lexicon.names.get(last),
                                        Some((_, EntityKind::Place))
                                    )) =>
                        {
                            found.push(Candidate {
                                first: a,
                                last: j,
                                kind: EntityKind::Organization,
                                name: span(a, j),
                                listed: true,
                                extra: 0,
                            });
                            return j + 1;
                        }
                        // "Texas City": a town named after its region.
                        EntityKind::Place
                            if b + 1 == j
                                && last == "City"
                                && !lexicon.club_towns.contains(span(a, b)) =>
                        {
                            found.push(Candidate {
                                first: a,
                                last: j,
                                kind: EntityKind::Place,
                                name: span(a, j),
                                listed: true,
                                extra: 0,
                            });
                            return j + 1;
                        }
                        _ => {}
                    }
                }
                // "Scottish Labour Party": the demonym is part of a party's
                // name.
                if !titled
                    && a > k
                    && b == j
                    && *kind == EntityKind::Organization
                    && last == "Party"
                    && tokens[k..a].iter().all(|t| t.is(DEMONYM))
                {
                    found.push(Candidate {
                        first: k,
                        last: j,
                        kind: EntityKind::Organization,
                        name: span(k, j),
                        listed: true,
                        extra: 0,
                    });
                    return j + 1;
                }
                // "Dynamo Moscow", "Stefanel Milan": in a sport report, a
                // name or two before the town that ends the run make a club;
                // the town alone would be cut out of it.
                if !titled
                    && a > k
                    && a - k <= 2
                    && b == j
                    && *kind == EntityKind::Place
                    && tokens[k..a].iter().all(|t| {
                        t.cap
                            && !t.common
                            && !t.is(GIVEN)
                            && !t.is(DEMONYM)
                            && t.text.len() > 2
                            // "East Lancashire" is a region; "Outgoing
                            // Leeds chairman" a word that starts a sentence.
                            && !matches!(
                                t.text,
                                "North" | "South" | "East" | "West" | "Central" | "Greater"
                            )
                            && !(t.sentence_start && t.text.ends_with("ing"))
                    })
                    && context.sport()
                {
                    found.push(Candidate {
                        first: k,
                        last: j,
                        kind: EntityKind::Organization,
                        name: span(k, j),
                        listed: false,
                        extra: 0,
                    });
                    return j + 1;
                }
                if a > k && !titled {
                    // Words before the listed name: classify them on their own.
                    classify_rest(text, tokens, k, a - 1, lexicon, context, found, loose);
                }
                let mut name = *canonical;
                let kind = if titled {
                    EntityKind::Person
                } else if *kind == EntityKind::Place
                    && (plays_sport(text, tokens[a].start, tokens[b].end, context)
                        || (lexicon.club_towns.contains(span(a, b))
                            && !matches!(
                                words_before(text, tokens[a].start)[0],
                                "in" | "from" | "near" | "around" | "outside"
                            )
                            && context.sport()))
                {
                    // "Bolton beat Newcastle": the clubs, not the towns. A
                    // club town as written: "Newcastle" is no Newcastle upon
                    // Tyne, and is a football or a rugby club by the sport.
                    if lexicon.club_towns.contains(span(a, b)) {
                        name = span(a, b);
                    }
                    EntityKind::Organization
                } else {
                    *kind
                };
                found.push(Candidate {
                    first: a,
                    last: b,
                    kind,
                    name,
                    listed: true,
                    extra: 0,
                });
                return b + 1;
            }
        }
        if titled {
            break;
        }
    }
    if titled {
        // Everything after the title is the person's name.
        found.push(Candidate {
            first: k,
            last: j,
            kind: EntityKind::Person,
            name: span(k, j),
            listed: false,
            extra: 0,
        });
        return j + 1;
    }
    classify_rest(text, tokens, k, j, lexicon, context, found, loose);
    j + 1
}

/// The end of a one- or two-digit number right after `at` (" 4"), if any.
pub(super) fn number_after(text: &str, at: usize) -> Option<usize> {
    let rest = text.as_bytes().get(at..)?;
    let digits = rest
        .get(1..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let ok = rest.first() == Some(&b' ')
        && (1..=2).contains(&digits)
        && !rest
            .get(1 + digits)
            .is_some_and(|b| b.is_ascii_alphanumeric());
    ok.then_some(at + 1 + digits)
}
