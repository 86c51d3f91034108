//! What an article's acronyms mean: what the article defines them as, then
//! a body named in full whose initials spell them, then the gazetteers'
//! meaning, unless the acronym names several bodies in news.

use rustc_hash::FxHashMap;

use crate::article::EntityKind;

use super::classify::Candidate;
use super::lexicon::Lexicon;
use super::orgname::org_aliases;
use super::tokens::Token;

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

/// An acronym as written: two to six capital letters ("ICO"), or a listed
/// organisation's acronym written in title case ("Opec").
pub(super) fn is_acronym(w: &str, lexicon: &Lexicon) -> bool {
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
pub(super) struct Acronyms<'t> {
    /// By the acronym as written: the name and kind it stands for here.
    pub(super) meaning: FxHashMap<&'t str, (&'t str, EntityKind)>,
    /// Expansions that are the body a list knows by its acronym, with the
    /// list's name for it: "Organization of Petroleum Exporting Countries"
    /// is OPEC.
    pub(super) same_body: FxHashMap<&'t str, &'t str>,
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
pub(super) fn acronym_meanings<'t>(
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
