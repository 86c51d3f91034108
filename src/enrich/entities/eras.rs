//! Names of their time. The gazetteers give an entity under today's name
//! ("Citicorp" is Citigroup, "Burma" is Myanmar), which is right for an
//! article written after the rename and wrong before it: a 1987 article
//! would name a bank that did not exist until 1998. `renames.tsv`
//! (generated from `tools/gazetteers/sources/renames.txt`, where each fact's
//! source is cited) says, for a name as written, what it was called before
//! the day its new name took effect; an article published before that day
//! keeps the name of its time.
//!
//! Only the names listed for a row are rewritten, and only where the
//! extractor read them through the gazetteer: "Exxon" in a 1987 article is
//! Exxon, but "ExxonMobil" written in one is left as the gazetteer reads it
//! (the text's own anachronism), and "Kraft" as the surname of a person is
//! no firm. A merger splits what today is one entity: a 1998 article on
//! "Exxon and Mobil" names two firms, not ExxonMobil twice.
//!
//! After the rename, an old name stays mapped to today's entity: a 2005
//! article on "Citicorp's" lending in the 1980s is about the bank that is
//! Citigroup, and one filter then finds it beside the rest of Citigroup's
//! news. An undated article is read as of today, as before names had eras:
//! guessing a date would change its entities on no evidence.

use std::sync::OnceLock;

use crate::article::EntityKind;

use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};

use super::lexicon::lexicon;
use super::orgname::is_legal_form;
use super::Entity;

/// What a name as written was called before its rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rename {
    /// The name of its time ("Citicorp").
    old: &'static str,
    /// Today's canonical name ("Citigroup").
    new: &'static str,
    /// The day the new name took effect.
    until: Date,
}

/// An earlier name of an entity, for telling a searcher that articles of
/// its time name it so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormerName {
    /// The name articles published before `until` give it ("Citicorp").
    pub name: &'static str,
    /// The day today's name took effect.
    pub until: Date,
}

struct Eras {
    /// Name as written → its rename.
    by_surface: FxHashMap<&'static str, Rename>,
    /// The canonical names the gazetteers give the listed names today
    /// ("European Commission" for "EC"): entities with any other name need
    /// no look at their mentions.
    readings: FxHashSet<&'static str>,
    /// Today's canonical → its earlier names, oldest change first.
    by_new: FxHashMap<&'static str, Vec<FormerName>>,
}

/// `YYYY-MM-DD`, or `YYYY-MM` or `YYYY` where only the month or year is on
/// record, read as its first day.
fn parse_until(s: &str) -> Option<Date> {
    let mut parts = s.split('-').map(str::parse::<i16>);
    let year = parts.next()?.ok()?;
    let month = parts.next().transpose().ok()?.unwrap_or(1);
    let day = parts.next().transpose().ok()?.unwrap_or(1);
    Date::new(year, month as i8, day as i8).ok()
}

fn eras() -> &'static Eras {
    static ERAS: OnceLock<Eras> = OnceLock::new();
    ERAS.get_or_init(|| {
        let lexicon = lexicon();
        let mut eras = Eras {
            by_surface: FxHashMap::default(),
            readings: FxHashSet::default(),
            by_new: FxHashMap::default(),
        };
        for line in include_str!("../data/renames.tsv").lines() {
            let mut cols = line.split('\t');
            let (Some(surface), Some(old), Some(new), Some(until)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            // The generator checks the dates; a bad one drops its row.
            let Some(until) = parse_until(until) else {
                continue;
            };
            eras.by_surface.insert(surface, Rename { old, new, until });
            if let Some(&(reading, _)) = lexicon.names.get(surface) {
                eras.readings.insert(reading);
            }
            let earlier = eras.by_new.entry(new).or_default();
            if !earlier.iter().any(|e| e.name == old) {
                earlier.push(FormerName { name: old, until });
            }
        }
        for list in eras.by_new.values_mut() {
            list.sort_by_key(|e| (e.until, e.name));
        }
        eras
    })
}

/// The earlier names of an entity the gazetteers give under `canonical`
/// (today's name), oldest change first: `Citicorp` for `Citigroup`.
pub fn earlier_names(canonical: &str) -> &'static [FormerName] {
    eras().by_new.get(canonical).map_or(&[], Vec::as_slice)
}

/// The name an article published on `on` gives the entity `e` at a mention
/// written `surface`, when it differs from today's.
fn of_its_time(e: &Entity, surface: &str, on: Date) -> Option<&'static str> {
    let eras = eras();
    // A name's last dot may be a full stop; the index keeps one apostrophe.
    let surface = surface.trim_end_matches('.');
    let straight;
    let surface = if surface.contains('’') {
        straight = surface.replace('’', "'");
        straight.as_str()
    } else {
        surface
    };
    // "Exxon Corp" is Exxon with its legal form.
    let surface = if e.kind == EntityKind::Organization && !eras.by_surface.contains_key(surface) {
        let mut words: Vec<&str> = surface.split(' ').collect();
        while words.len() > 1
            && words
                .last()
                .is_some_and(|w| is_legal_form(w) || *w == "&" || *w == "and")
        {
            words.pop();
        }
        let end = words
            .iter()
            .map(|w| w.len() + 1)
            .sum::<usize>()
            .saturating_sub(1);
        &surface[..end]
    } else {
        surface
    };
    // A dateline shouts: "RANGOON, Burma -" is Rangoon.
    let titled;
    let surface = if !eras.by_surface.contains_key(surface)
        && surface.chars().any(char::is_uppercase)
        && !surface.chars().any(char::is_lowercase)
    {
        let mut chars = surface.chars();
        titled = chars
            .next()
            .into_iter()
            .chain(chars.flat_map(char::to_lowercase))
            .collect::<String>();
        titled.as_str()
    } else {
        surface
    };
    let r = eras.by_surface.get(surface)?;
    // Read through the gazetteer, not a person who shares the word.
    let &(reading, kind) = lexicon().names.get(surface)?;
    (on < r.until && kind == e.kind && reading == e.name).then_some(r.old)
}

/// The entities of an article published on `on`, each under the name of
/// its time: mentions written with an old name, before the day the new one
/// took effect, become an entity of that old name (merged with any of the
/// same name and kind). Order and everything else are as `extract` gives.
pub(super) fn of_their_time(entities: Vec<Entity>, text: &str, on: Date) -> Vec<Entity> {
    let eras = eras();
    if !entities
        .iter()
        .any(|e| eras.readings.contains(e.name.as_str()))
    {
        return entities;
    }
    let mut out: Vec<Entity> = Vec::with_capacity(entities.len() + 1);
    let mut moved: Vec<(&'static str, Entity)> = Vec::new();
    for mut e in entities {
        if !eras.readings.contains(e.name.as_str()) {
            out.push(e);
            continue;
        }
        let mut kept = Vec::with_capacity(e.mentions.len());
        for m in std::mem::take(&mut e.mentions) {
            let old = text
                .get(m.start..m.end)
                .and_then(|surface| of_its_time(&e, surface, on));
            match old {
                Some(name) => match moved
                    .iter_mut()
                    .find(|(n, o)| *n == name && o.kind == e.kind)
                {
                    Some((_, o)) => o.mentions.push(m),
                    None => moved.push((
                        name,
                        Entity {
                            kind: e.kind,
                            name: name.to_string(),
                            mentions: vec![m],
                        },
                    )),
                },
                None => kept.push(m),
            }
        }
        if !kept.is_empty() {
            e.mentions = kept;
            out.push(e);
        }
    }
    if moved.is_empty() {
        return out;
    }
    for (_, m) in moved {
        // "West Germany" written out beside "Federal Republic of Germany".
        match out
            .iter_mut()
            .find(|e| e.kind == m.kind && e.name == m.name)
        {
            Some(e) => {
                e.mentions.extend(m.mentions);
                e.mentions.sort();
                e.mentions.dedup();
            }
            None => out.push(m),
        }
    }
    // As `extract` orders them: by first mention, then name.
    out.sort_by(|a, b| a.mentions[0].cmp(&b.mentions[0]).then(a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::super::{extract, extract_dated};
    use super::*;
    use crate::article::EntityKind;

    fn day(s: &str) -> Option<Date> {
        Some(s.parse().unwrap())
    }

    /// (kind, name) of each entity, in the order given.
    fn names(text: &str, on: Option<Date>) -> Vec<(EntityKind, String)> {
        extract_dated(text, on)
            .into_iter()
            .map(|e| (e.kind, e.name))
            .collect()
    }

    fn has(list: &[(EntityKind, String)], kind: EntityKind, name: &str) -> bool {
        list.iter().any(|(k, n)| *k == kind && n == name)
    }

    #[test]
    fn dates_of_change_read_as_their_first_day_when_partial() {
        assert_eq!(parse_until("1998-10-08"), day("1998-10-08"));
        assert_eq!(parse_until("2022-01"), day("2022-01-01"));
        assert_eq!(parse_until("1995"), day("1995-01-01"));
        assert_eq!(parse_until("1995-13"), None);
        assert_eq!(parse_until("soon"), None);
    }

    #[test]
    fn every_row_of_the_table_is_read() {
        let rows = include_str!("../data/renames.tsv").lines().count();
        assert!(rows >= 25, "{rows}");
        assert_eq!(eras().by_surface.len(), rows);
        // Each listed name is a gazetteer name, or no article could take it.
        for surface in eras().by_surface.keys() {
            assert!(lexicon().names.contains_key(surface), "{surface}");
        }
    }

    #[test]
    fn earlier_names_of_todays_entities() {
        let names: Vec<&str> = earlier_names("Citigroup").iter().map(|e| e.name).collect();
        assert_eq!(names, ["Citicorp"]);
        assert_eq!(
            earlier_names("Citigroup")[0].until,
            day("1998-10-08").unwrap()
        );
        let names: Vec<&str> = earlier_names("ExxonMobil").iter().map(|e| e.name).collect();
        assert_eq!(names, ["Exxon", "Mobil"]);
        let names: Vec<&str> = earlier_names("European Union")
            .iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["European Community"]);
        assert!(earlier_names("Vladimir Putin").is_empty());
    }

    #[test]
    fn a_legal_form_keeps_the_name_of_its_time() {
        let text = "Oil deal\n\nExxon Corp and Citicorp Inc said on Monday that they had \
                    agreed terms. Exxon said the deal would close in the summer.";
        let old = names(text, day("1987-05-01"));
        use EntityKind::Organization as Org;
        assert!(has(&old, Org, "Exxon"), "{old:?}");
        assert!(has(&old, Org, "Citicorp"), "{old:?}");
        assert!(!has(&old, Org, "ExxonMobil"), "{old:?}");
        assert!(!has(&old, Org, "Citigroup"), "{old:?}");
    }

    #[test]
    fn old_capitals_and_countries_keep_their_names() {
        let dateline = names(
            "Talks\n\nRANGOON, Burma - Envoys met on Monday to talk about the border and \
             the trade in rice, officials said.",
            day("1983-05-01"),
        );
        assert!(has(&dateline, EntityKind::Place, "Rangoon"), "{dateline:?}");
        let text = "Talks in Rangoon\n\nEnvoys met in Rangoon, Burma, on Monday, and \
                    later flew on to Rhodesia for talks about the border.";
        let old = names(text, day("1976-05-01"));
        use EntityKind::Place;
        for name in ["Rangoon", "Burma", "Rhodesia"] {
            assert!(has(&old, Place, name), "{name}: {old:?}");
        }
        let new = names(text, day("2005-05-01"));
        for name in ["Yangon", "Myanmar", "Zimbabwe"] {
            assert!(has(&new, Place, name), "{name}: {new:?}");
        }
    }

    #[test]
    fn an_article_before_the_rename_keeps_the_names_of_its_time() {
        let text = "Citicorp and Exxon lead the market.\n\nA Citicorp banker said Exxon \
                    would sell assets in Burma and Bombay. The European Community is \
                    studying the deal.";
        let old = names(text, day("1987-03-02"));
        use EntityKind::{Organization as Org, Place};
        for (kind, name) in [
            (Org, "Citicorp"),
            (Org, "Exxon"),
            (Org, "European Community"),
            (Place, "Burma"),
            (Place, "Bombay"),
        ] {
            assert!(has(&old, kind, name), "{name} missing: {old:?}");
        }
        for name in ["Citigroup", "ExxonMobil", "European Commission"] {
            assert!(!has(&old, Org, name), "{name} in 1987: {old:?}");
        }
        for name in ["Myanmar", "Mumbai"] {
            assert!(!has(&old, Place, name), "{name} in 1987: {old:?}");
        }
        // Mentions move with the name: two of Citicorp.
        let e = extract_dated(text, day("1987-03-02"));
        let citicorp = e.iter().find(|e| e.name == "Citicorp").unwrap();
        assert_eq!(citicorp.mentions.len(), 2);

        // After the rename, and undated, today's names, as `extract` gives.
        for on in [day("2005-06-01"), None] {
            let new = names(text, on);
            assert!(has(&new, Org, "Citigroup"), "{new:?}");
            assert!(has(&new, Org, "ExxonMobil"), "{new:?}");
            assert!(has(&new, Place, "Myanmar"), "{new:?}");
            assert!(!has(&new, Org, "Citicorp"), "{new:?}");
        }
        assert_eq!(extract_dated(text, None), extract(text));
        assert_eq!(extract_dated(text, day("2026-01-01")), extract(text));
    }

    #[test]
    fn each_name_keeps_its_own_date() {
        // Peking became Beijing in the foreign press from 1979.
        let text = "Talks in Peking ended on Monday.";
        assert!(has(
            &names(text, day("1975-01-01")),
            EntityKind::Place,
            "Peking"
        ));
        assert!(has(
            &names(text, day("1987-01-01")),
            EntityKind::Place,
            "Beijing"
        ));
    }

    #[test]
    fn the_day_of_change_takes_the_new_name() {
        let text = "Shares in Citicorp rose on Friday.";
        assert!(has(
            &names(text, day("1998-10-07")),
            EntityKind::Organization,
            "Citicorp"
        ));
        assert!(has(
            &names(text, day("1998-10-08")),
            EntityKind::Organization,
            "Citigroup"
        ));
    }

    #[test]
    fn a_merger_splits_one_entity_of_today_into_the_firms_of_its_time() {
        let text = "Exxon agreed to buy Mobil on Tuesday. Exxon shareholders will own \
                    most of the combined company.";
        let today = extract(text);
        assert_eq!(
            today.iter().filter(|e| e.name == "ExxonMobil").count(),
            1,
            "{today:?}"
        );
        let then = extract_dated(text, day("1998-12-01"));
        let exxon = then.iter().find(|e| e.name == "Exxon").unwrap();
        let mobil = then.iter().find(|e| e.name == "Mobil").unwrap();
        assert_eq!((exxon.mentions.len(), mobil.mentions.len()), (2, 1));
        assert!(!then.iter().any(|e| e.name == "ExxonMobil"), "{then:?}");
        // Still in text order.
        assert!(then
            .windows(2)
            .all(|w| w[0].mentions[0] <= w[1].mentions[0]));
    }

    #[test]
    fn an_old_name_joins_the_entity_of_its_time_written_out() {
        let text = "The Federal Republic of Germany and West Germany's allies met in Bonn.";
        let then = extract_dated(text, day("1985-05-05"));
        let west: Vec<_> = then.iter().filter(|e| e.name == "West Germany").collect();
        assert_eq!(west.len(), 1, "{then:?}");
        assert_eq!(west[0].mentions.len(), 2);
        assert!(!then.iter().any(|e| e.name == "Germany"), "{then:?}");
        // Since reunification the Federal Republic is Germany.
        let now = names(text, day("2005-05-05"));
        assert!(has(&now, EntityKind::Place, "Germany"), "{now:?}");
    }

    #[test]
    fn only_names_read_through_the_gazetteer_are_renamed() {
        let on = day("1999-01-01").unwrap();
        let entity = |kind, name: &str| Entity {
            kind,
            name: name.into(),
            mentions: Vec::new(),
        };
        let firm = entity(EntityKind::Organization, "Kraft Heinz");
        assert_eq!(of_its_time(&firm, "Kraft", on), Some("Kraft"));
        // "Kraft" as the surname of a person is no firm.
        let person = entity(EntityKind::Person, "Robert Kraft");
        assert_eq!(of_its_time(&person, "Kraft", on), None);
        // Nor is a name the text made something else of ("Mobil" read by
        // context as another organisation).
        let other = entity(EntityKind::Organization, "Mobil Racing");
        assert_eq!(of_its_time(&other, "Mobil", on), None);
        // As written, with a full stop after it.
        let ec = entity(EntityKind::Organization, "European Commission");
        let in_1985 = day("1985-01-01").unwrap();
        assert_eq!(of_its_time(&ec, "EC.", in_1985), Some("European Community"));
    }
}
