//! People, organisations and places: found fast and offline, with gazetteers
//! compiled into the binary and rules for the names no list holds.
//!
//! The text is cut into tokens with their byte spans. Capitalised tokens,
//! joined by the small words names contain ("Bank *of* England"), make
//! candidate runs; each run is matched against the gazetteers (longest first)
//! and otherwise classified by rules: an organisation suffix ("... Council"),
//! a title before it ("President ..."), a known given name, an acronym, an
//! appositive (", the secretary of"). Sentence-initial common words and
//! demonyms are not names. A second pass resolves short forms within the
//! article: a lone surname joins the full name seen elsewhere ("Putin" →
//! "Vladimir Putin"), and a bracketed acronym after an expansion joins it.
//! Lines in title case (headlines) only take names the gazetteers or the rest
//! of the text vouch for, since every word there is capitalised.
//!
//! Context settles what the words alone cannot. Cue words next to a name no
//! list holds ("the law firm ...", "... shares", "the film ...", "MP for
//! ...") make it an organisation, a work or product (not an entity), or a
//! constituency, at every mention in the text, earlier ones included. Events
//! hide the names inside them ("Geneva Motor Show"); sites and features are
//! places ("Edinburgh Airport"). In a sport report, told by its vocabulary,
//! a town is its club and a team sheet names players. All of this is looked
//! at only for names the gazetteers do not hold, in small windows around
//! them, so that extraction stays fast.
//!
//! Names have eras: given the article's date ([`extract_dated`]), a name
//! written before its rename keeps the name of its time ("Citicorp" in 1987,
//! not Citigroup; see `eras`).

mod acronyms;
mod classify;
mod context;
mod eras;
mod lexicon;
mod native;
mod orgname;
mod resolve;
mod rules;
mod sport;
mod tagger;
mod tokens;
mod truecase;
mod vocab;

#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::article::EntityKind;

use classify::{classify, listed_across_break, Candidate};
use context::ArticleContext;
use lexicon::{lexicon, BREAK};
use resolve::resolve;
use tokens::{name_start, run_end, tokenize};

pub use eras::{earlier_names, FormerName};
pub use lexicon::canonical;
pub use native::places as native_places;
pub use orgname::org_name;
#[doc(hidden)]
pub use tagger::training;
pub(crate) use vocab::is_particle;

/// One mention: a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Mention {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// An entity found in a text, under its canonical name, with every mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Person, organisation or place.
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Canonical name (`Vladimir Putin`, `United States`).
    pub name: String,
    /// Where it is mentioned, in text order.
    pub mentions: Vec<Mention>,
}

/// Finds the entities in a text. Spans are byte offsets into `text`.
/// Names are today's, as for an undated article (see [`extract_dated`]).
pub fn extract(text: &str) -> Vec<Entity> {
    extract_dated(text, None)
}

/// Finds the entities in a text published on `on`: as [`extract`], but a
/// name written before the day it was changed keeps the name of its time
/// ("Citicorp" in a 1987 article, where `extract` gives Citigroup, formed
/// in 1998). Undated (`None`), names are today's: guessing a date would
/// change an article's entities on no evidence.
pub fn extract_dated(text: &str, on: Option<jiff::civil::Date>) -> Vec<Entity> {
    // Names are read from the recased text: "Carrow Holdings", not
    // "CARROW HOLDINGS", with the same spans.
    let original = text;
    let text = truecase::truecase(text, lexicon());
    let (rules, works) = extract_in(&text);
    let entities = tagger::tag(&text, original, lexicon(), rules, &works);
    match on {
        Some(day) => eras::of_their_time(entities, &text, day),
        None => entities,
    }
}

/// The rules' entities, and the names their context marks as works,
/// products or fictional characters ("the film ...").
fn extract_in<'t>(text: &'t str) -> (Vec<Entity>, Vec<&'t str>) {
    let lexicon = lexicon();
    let tokens = tokenize(text, lexicon);
    let mut context = ArticleContext::new(text);
    let mut found: Vec<Candidate<'t>> = Vec::with_capacity(tokens.len() / 2 + 8);
    // Single capitalised words we could not place: resolved in a second pass.
    let mut loose: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].cap {
            i += 1;
            continue;
        }
        if let Some((last, kind)) = context.span_at(i) {
            found.push(Candidate {
                first: i,
                last,
                kind,
                name: &text[tokens[i].start..tokens[last].end],
                listed: true,
                extra: 0,
            });
            i = last + 1;
            continue;
        }
        let j = run_end(text, &tokens, i);
        // A team sheet: "Rovers: Hale, Moss, Di Santo (Greco 70), ...".
        if text[tokens[j].end..].starts_with(": ") {
            context.read_team_sheet(&tokens, name_start(&tokens, i, j), j, lexicon);
            if let Some((last, kind)) = context.span_at(i) {
                found.push(Candidate {
                    first: i,
                    last,
                    kind,
                    name: &text[tokens[i].start..tokens[last].end],
                    listed: true,
                    extra: 0,
                });
                i = last + 1;
                continue;
            }
        }
        if tokens[j].is(BREAK) {
            if let Some(f) = listed_across_break(text, &tokens, i, j, lexicon) {
                // The words before it are a run of their own: "UK" in "the
                // UK Department for Work and Pensions".
                let mut k = i;
                while k < f.first {
                    let before = f.first - 1;
                    k = classify(
                        text,
                        &tokens,
                        k,
                        before,
                        lexicon,
                        &mut context,
                        &mut found,
                        &mut loose,
                    )
                    .max(k + 1);
                }
                i = f.last + 1;
                found.push(f);
                continue;
            }
        }
        let consumed = classify(
            text,
            &tokens,
            i,
            j,
            lexicon,
            &mut context,
            &mut found,
            &mut loose,
        );
        i = consumed.max(i + 1);
    }
    context.revise(text, &tokens, &mut found, &mut loose);
    let works = context
        .cues
        .iter()
        .filter(|(_, &cue)| cue == context::Cue::Work)
        .map(|(&name, _)| name)
        .collect();
    (
        resolve(text, &tokens, lexicon, &context, found, loose),
        works,
    )
}
