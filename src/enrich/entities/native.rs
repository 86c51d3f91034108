//! Places in articles in languages the extractor has no rules or model for:
//! the gazetteer's place names wherever the text writes one, under the
//! canonical (English) name, in any script ("München" and "Санкт-Петербург"
//! are in the gazetteer as the native names of Munich and Saint
//! Petersburg). People and organisations are not looked for: a wrong name is
//! worse than none, and the capitalised words the English rules read as
//! names are ordinary nouns in German and titles in French.

use std::collections::HashMap;

use super::lexicon::lexicon;
use super::{Entity, Mention};
use crate::article::EntityKind;

/// The most words a place name runs to ("Santa Cruz de Tenerife").
const MOST_WORDS: usize = 5;

/// The most characters a place name written without spaces (Chinese,
/// Japanese) runs to.
const MOST_CJK_CHARS: usize = 6;

/// Place names that are ordinary words in a language's text: German
/// capitalises every noun, and "Essen" is food there before it is the city.
const NOT_PLACES: &[(&str, &str)] = &[("de", "Essen"), ("de", "Halle"), ("de", "Hof")];

/// The gazetteer's places named in `text`, an article in `language`
/// (ISO 639-1), each under its canonical name with every mention.
pub fn places(text: &str, language: &str) -> Vec<Entity> {
    let lexicon = lexicon();
    let mut found: HashMap<&'static str, Vec<Mention>> = HashMap::new();
    let mut place = |name: &str| match lexicon.names.get(name) {
        Some(&(canonical, EntityKind::Place)) if !NOT_PLACES.contains(&(language, name)) => {
            Some(canonical)
        }
        _ => None,
    };
    let words = words(text);
    let mut i = 0;
    while i < words.len() {
        let (start, end, cjk) = words[i];
        if cjk {
            for m in cjk_places(text, start, end, &mut place) {
                found.entry(m.0).or_default().push(m.1);
            }
            i += 1;
            continue;
        }
        // Names start with a capital, in the scripts that have them.
        let capitalised = text[start..]
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || !c.is_lowercase());
        let mut matched = 0;
        if capitalised {
            let last = (i + MOST_WORDS).min(words.len());
            for j in (i..last).rev() {
                if words[j].2 {
                    continue;
                }
                let end = words[j].1;
                if let Some(canonical) = place(&text[start..end]) {
                    found
                        .entry(canonical)
                        .or_default()
                        .push(Mention { start, end });
                    matched = j + 1 - i;
                    break;
                }
            }
        }
        i += matched.max(1);
    }
    let mut out: Vec<Entity> = found
        .into_iter()
        .map(|(name, mentions)| Entity {
            kind: EntityKind::Place,
            name: name.to_string(),
            mentions,
        })
        .collect();
    out.sort_by_key(|e| e.mentions[0]);
    out
}

/// The words of `text` as byte ranges, and whether each is a run of
/// Chinese or Japanese characters, which have no spaces to split them.
fn words(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, bool)> = None;
    for (i, c) in text.char_indices() {
        let kind = c.is_alphanumeric().then(|| crate::stem::is_cjk(c));
        match (current, kind) {
            (Some((s, k)), Some(now)) if k == now => {
                let _ = s;
            }
            (Some((s, k)), _) => {
                out.push((s, i, k));
                current = kind.map(|k| (i, k));
            }
            (None, Some(k)) => current = Some((i, k)),
            (None, None) => {}
        }
    }
    if let Some((s, k)) = current {
        out.push((s, text.len(), k));
    }
    out
}

/// The places named in a run of Chinese or Japanese characters, longest
/// name first at each character.
fn cjk_places(
    text: &str,
    start: usize,
    end: usize,
    place: &mut impl FnMut(&str) -> Option<&'static str>,
) -> Vec<(&'static str, Mention)> {
    let run = &text[start..end];
    let bounds: Vec<usize> = run
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(run.len()))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bounds.len() {
        let longest = (bounds.len() - 1 - i).min(MOST_CJK_CHARS);
        let hit = (2..=longest)
            .rev()
            .find_map(|n| place(&run[bounds[i]..bounds[i + n]]).map(|c| (c, n)));
        match hit {
            Some((canonical, n)) => {
                out.push((
                    canonical,
                    Mention {
                        start: start + bounds[i],
                        end: start + bounds[i + n],
                    },
                ));
                i += n;
            }
            None => i += 1,
        }
    }
    out
}
