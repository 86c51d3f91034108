//! byline's query language in Quickwit's, and searches, entity facets and
//! timelines answered by a Quickwit index.
//!
//! Quickwit's query language is tantivy's, as byline's keyword part is, so
//! the translation is a rewrite, not a new grammar:
//! - an unqualified word or phrase searches title, standfirst and body
//!   with byline's field weights (3, 1.5, 1), as byline's parser does;
//! - `person:`, `org:`, `place:` and `entity:` become the terms byline's
//!   own index would look up (see [`crate::search::compile`]), in the
//!   fields of the same names, with the boost of being about the entity;
//! - `lang:` is a term of `language`; date filters are the request's
//!   timestamp bounds, so only the splits of the period are read.
//!
//! What byline does that Quickwit cannot do the same way is refused, with
//! the reason: prefixes (`volck*`) and fuzzy words (`reagen~`), which byline
//! searches as the archive's own words, and `--sort recent`.

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::{json, Value};

use super::client::{expect_ok, Client};
use super::push::{form_encode, quote};
use crate::article::{DateSource, EntityCount, EntityKind};
use crate::error::{Error, Result};
use crate::search::compile::{
    entity_terms, name_word_list, named_entity_terms, proximity_phrase, SALIENT_BOOST,
};
use crate::search::facets::{Counting, Distinct, TopEntities};
use crate::search::query::{self, ParsedQuery};
use crate::search::timeline::{Granularity, Timeline};
use crate::search::{Hit, SearchRequest, SearchResults, Snippet, Sort};

/// byline's field weights, as its keyword parser sets them.
const WEIGHTS: [(&str, f32); 3] = [("title", 3.0), ("standfirst", 1.5), ("body", 1.0)];

/// The earliest timestamp bound (seconds) sent to Quickwit: 1973-03-03.
/// Quickwit 0.9.0 takes a smaller number for another unit (below
/// 72,057,594 s, April 1972, it found nothing or too little, measured), so
/// a bound before this is left to the range on `published` alone, which
/// is exact, only without pruning splits by time.
pub(crate) const SAFE_BOUND: i64 = 100_000_000;

/// Before any date byline gives an article (it dates none before 1900).
const EARLIEST: &str = "1800-01-01T00:00:00Z";
/// After any.
const LATEST: &str = "2200-01-01T00:00:00Z";

/// A byline query as a Quickwit search.
#[derive(Debug, Clone, PartialEq)]
pub struct Translated {
    /// The query, in Quickwit's language (`*`: every document).
    pub query: String,
    /// `start_timestamp`, seconds, included: the period's start, to prune
    /// splits by (the query holds the period too).
    pub start: Option<i64>,
    /// `end_timestamp`, seconds, excluded: the period's end, likewise.
    pub end: Option<i64>,
    /// Whether there is relevance to rank by (keywords or an entity); a
    /// query of filters alone is shown newest first, as byline shows it.
    pub ranked: bool,
    /// The index words searched for, which the snippets mark.
    pub terms: Vec<String>,
}

impl Translated {
    /// Translates `q` with the request's date bounds; an error says what
    /// cannot be translated exactly.
    pub fn new(q: &str, since: Option<Timestamp>, until: Option<Timestamp>) -> Result<Self> {
        let mut parsed: ParsedQuery = query::parse(q)?;
        parsed.restrict(since, until);
        let mut clauses = Vec::new();
        let mut terms = Vec::new();
        // What byline adds to a match's score without changing what
        // matches: `(A OR B OR *)` as a required clause adds A's and B's
        // scores where they match, and the same constant (`*`) everywhere.
        let mut optional = Vec::new();
        if !parsed.is_filter_only() {
            clauses.push(keywords(&parsed.text, &mut terms)?);
            // Articles about an entity the words name.
            for t in named_entity_terms(&parsed.text) {
                optional.push(format!("salient:{}^{SALIENT_BOOST}", quote(&t)));
            }
            // The words side by side (byline re-ranks its best 100 by it).
            if let Some(phrase) = proximity_phrase(&parsed.text) {
                optional.push(keywords(&phrase, &mut Vec::new())?);
            }
        }
        for word in &parsed.excluded {
            clauses.push(format!("-{}", keywords(word, &mut Vec::new())?));
        }
        for f in &parsed.entities {
            let kinds = match f.kind {
                Some(k) => vec![k],
                None => EntityKind::ALL.to_vec(),
            };
            let any: Vec<String> = kinds.iter().map(|k| entity(*k, &f.name)).collect();
            let clause = match any.len() {
                1 => any[0].clone(),
                _ => format!("({})", any.join(" OR ")),
            };
            clauses.push(match f.negated {
                true => format!("-{clause}"),
                false => clause,
            });
            if !f.negated {
                // The name's words rank the articles that talk about it most.
                for w in name_word_list(&f.name) {
                    optional.push(keywords(w, &mut Vec::new())?);
                }
            }
        }
        optional.retain(|o| !o.is_empty());
        if !optional.is_empty() {
            clauses.push(format!("({} OR *)", optional.join(" OR ")));
        }
        let langs = |codes: &[String]| {
            codes
                .iter()
                .map(|c| format!("language:{}", quote(c)))
                .collect::<Vec<_>>()
                .join(" OR ")
        };
        if !parsed.languages.is_empty() {
            clauses.push(format!("({})", langs(&parsed.languages)));
        }
        if !parsed.not_languages.is_empty() {
            clauses.push(format!("-({})", langs(&parsed.not_languages)));
        }
        // The period as a range of `published`, which undated articles
        // lack, so that it leaves them out as byline's does. The bounds
        // are also sent as the timestamp bounds that prune splits, where
        // Quickwit reads them right ([`SAFE_BOUND`]).
        let day = |t: Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        if parsed.from.is_some() || parsed.to.is_some() {
            let from = parsed.from.map_or_else(|| EARLIEST.to_string(), day);
            let to = parsed.to.map_or_else(|| LATEST.to_string(), day);
            clauses.push(format!("published:[{from} TO {to}}}"));
        }
        // Quickwit, as tantivy, refuses a query of exclusions alone.
        if clauses.iter().all(|c| c.starts_with('-')) {
            clauses.insert(0, "*".into());
        }
        Ok(Translated {
            query: clauses.join(" "),
            start: parsed
                .from
                .map(|t| t.as_second())
                .filter(|s| *s >= SAFE_BOUND),
            end: parsed
                .to
                .map(|t| t.as_second())
                .filter(|s| *s >= SAFE_BOUND),
            ranked: parsed.is_ranked(),
            terms,
        })
    }
}

/// An entity filter of one kind: any of byline's terms for the name, and
/// a boost when the article is about it.
fn entity(k: EntityKind, name: &str) -> String {
    let field = |kind: Option<EntityKind>| match kind {
        Some(EntityKind::Person) => "person",
        Some(EntityKind::Organization) => "org",
        Some(EntityKind::Place) => "place",
        None => "surname",
    };
    // Typed with accents, the name is found as indexed without them too,
    // as byline finds it ([`super::Document`] holds both forms).
    let lower = name.to_lowercase();
    let mut named: Vec<String> = Vec::new();
    let mut about: Vec<String> = Vec::new();
    for variant in std::iter::once(name).chain(crate::fold::fold(&lower).as_deref()) {
        let terms = entity_terms(k, variant);
        let particle = terms.particle_surname.iter().map(|s| (None, s.clone()));
        // Quickwit's documents hold each name from its particle on.
        for (kind, t) in terms.named.into_iter().chain(particle) {
            let clause = format!("{}:{}", field(kind), quote(&t));
            if !named.contains(&clause) {
                named.push(clause);
            }
        }
        for t in terms.about {
            let clause = format!("salient:{}", quote(&t));
            if !about.contains(&clause) {
                about.push(clause);
            }
        }
    }
    // Articles about it score higher; the same articles match.
    format!(
        "(({}) AND (({})^{SALIENT_BOOST} OR *))",
        named.join(" OR "),
        about.join(" OR ")
    )
}

/// The keyword part, tantivy's grammar as byline's parser leaves it, with
/// each word and phrase of the text fields turned into byline's index words
/// (see [`super::index_words`]) in the `*_words` fields, unqualified ones
/// spread over the three with byline's weights. Adds the words searched
/// for (not excluded) to `terms`, for the snippets.
fn keywords(text: &str, terms: &mut Vec<String>) -> Result<String> {
    let refuse = |what: &str, word: &str| {
        Err(Error::Quickwit(format!(
            "`{word}`: {what}, which Quickwit cannot do the same way; search the local archive, or write the words out"
        )))
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == '(' || c == ')' {
            out.push(c);
            i += 1;
            continue;
        }
        // One word or phrase, with its sign, field and suffixes.
        let start = i;
        let mut quoted = false;
        while i < chars.len() {
            let c = chars[i];
            if c == '"' {
                quoted = !quoted;
            } else if !quoted && (c.is_whitespace() || c == ')' || (c == '(' && i > start)) {
                break;
            }
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        if matches!(word.as_str(), "OR" | "AND" | "NOT" | "||" | "&&") {
            out.push_str(&word);
            continue;
        }
        let signs = word.len() - word.trim_start_matches(['+', '-']).len();
        let (sign, rest) = word.split_at(signs);
        let (field, rest) = match rest.split_once(':') {
            Some((f, v))
                if !rest.starts_with('"')
                    && !f.is_empty()
                    && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                (Some(f), v)
            }
            _ => (None, rest),
        };
        let (core, suffix) = split_suffix(rest);
        if core.is_empty() {
            out.push_str(&word);
            continue;
        }
        let bare = !core.starts_with('"');
        if bare && core.ends_with('*') {
            return refuse(
                "a prefix is searched by byline as the archive's most frequent words that start with it",
                &word,
            );
        }
        if suffix.starts_with('~') && bare {
            return refuse(
                "a fuzzy word is searched by byline as the archive's words near it",
                &word,
            );
        }
        let fields: Vec<(&str, f32)> = match field {
            None => WEIGHTS.to_vec(),
            Some(f) if WEIGHTS.iter().any(|(w, _)| *w == f) => vec![(f, 1.0)],
            // `byline:`, `id:`: as Quickwit has them.
            Some(_) => {
                out.push_str(&word);
                continue;
            }
        };
        let words = super::index_words(core.trim_matches('"'));
        if words.is_empty() {
            // Nothing byline would index: byline's parser drops it too.
            continue;
        }
        if sign != "-" {
            terms.extend(words.split(' ').filter(|w| *w != "_").map(String::from));
        }
        let slop = suffix.split('^').next().unwrap_or("");
        let spread: Vec<String> = fields
            .iter()
            .map(|(f, w)| match *w == 1.0 {
                true => format!("{f}_words:\"{words}\"{slop}"),
                false => format!("{f}_words:\"{words}\"{slop}^{w}"),
            })
            .collect();
        out.push_str(sign);
        match spread.len() {
            1 => out.push_str(&spread[0]),
            _ => {
                out.push('(');
                out.push_str(&spread.join(" OR "));
                out.push(')');
            }
        }
        if let Some(boost) = suffix.split_once('^').map(|(_, b)| b) {
            out.push('^');
            out.push_str(boost);
        }
    }
    Ok(out)
}

/// A word or phrase and its suffix: `~N`, `^B` or both.
fn split_suffix(w: &str) -> (&str, &str) {
    let end = match w.starts_with('"') {
        true => w[1..].find('"').map_or(w.len(), |e| e + 2),
        false => w.find(['^', '~']).unwrap_or(w.len()),
    };
    w.split_at(end)
}

/// A Quickwit index searched as byline searches its own.
#[derive(Debug, Clone)]
pub struct Remote {
    client: Client,
    index: String,
}

impl Remote {
    /// The index `index` of the node `client` talks to.
    pub fn new(client: Client, index: impl Into<String>) -> Self {
        Remote {
            client,
            index: index.into(),
        }
    }

    fn search_raw(&self, t: &Translated, extra: Value) -> Result<Value> {
        let mut body = json!({ "query": t.query });
        if let Some(s) = t.start {
            body["start_timestamp"] = s.into();
        }
        if let Some(e) = t.end {
            body["end_timestamp"] = e.into();
        }
        if let (Value::Object(b), Value::Object(x)) = (&mut body, extra) {
            b.extend(x);
        }
        let path = format!("/api/v1/{}/search", form_encode(&self.index));
        let reply = self
            .client
            .post(&path, "application/json", body.to_string().as_bytes())?;
        if reply.status == 404 && reply.body.contains("could not find ind") {
            return Err(Error::Quickwit(format!(
                "{} has no index `{}`: fill one with `byline quickwit push --url {} --quickwit-index {}`, or name another with --quickwit-index",
                self.client.url(),
                self.index,
                self.client.url(),
                self.index
            )));
        }
        let text = expect_ok(&format!("searching index `{}`", self.index), reply)?;
        serde_json::from_str(&text)
            .map_err(|e| Error::Quickwit(format!("the node's answer is not JSON: {e}")))
    }

    /// A page of hits, as [`crate::Archive::search`] gives them. Copies of
    /// one story are shown once unless the request asks for every copy:
    /// the page is read with room for copies, and a hit lists the copies
    /// of its story found on that page.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let t = Translated::new(&req.query, req.since, req.until)?;
        let sort = match req.sort {
            Sort::Relevance if !t.ranked => "published",
            Sort::Relevance => "_score",
            Sort::Date => "published",
            Sort::Oldest => "-published",
            Sort::Recent => {
                return Err(Error::Quickwit(
                    "--sort recent decays scores by age, which Quickwit cannot do; use --sort relevance or date".into(),
                ))
            }
        };
        // Room for the copies folded away.
        let fetch = match req.all_copies {
            true => req.limit + req.offset,
            false => (req.limit + req.offset) * 3 + 10,
        };
        let mut ask = json!({ "max_hits": fetch, "sort_by": sort });
        if !req.all_copies {
            // Stories: copies share a story id. Quickwit's count of distinct
            // values is exact for small counts, an estimate for large.
            ask["aggs"] = json!({ "stories": { "cardinality": { "field": "story" } } });
        }
        let answer = self.search_raw(&t, ask)?;
        let total = answer["num_hits"].as_u64().unwrap_or(0) as usize;
        let stories = match req.all_copies {
            true => total,
            false => answer["aggregations"]["stories"]["value"]
                .as_f64()
                .map_or(total, |v| (v.round() as usize).min(total)),
        };
        let docs = answer["hits"].as_array().cloned().unwrap_or_default();
        let mut hits: Vec<Hit> = Vec::new();
        let mut story_at: HashMap<String, usize> = HashMap::new();
        for doc in &docs {
            let hit = to_hit(doc, &t.terms, req);
            let story = doc["story"].as_str().unwrap_or(&hit.id).to_string();
            if !req.all_copies {
                if let Some(&at) = story_at.get(&story) {
                    hits[at].copies.push(crate::StoryCopy {
                        id: hit.id.clone(),
                        path: hit.path.clone(),
                        published: hit.published,
                        title: hit.title.clone(),
                        url: hit.url.clone(),
                    });
                    continue;
                }
                story_at.insert(story, hits.len());
            }
            hits.push(hit);
        }
        let hits: Vec<Hit> = hits.into_iter().skip(req.offset).take(req.limit).collect();
        Ok(SearchResults {
            total,
            stories,
            hits,
            surname_only: Vec::new(),
            earlier_names: Vec::new(),
            expansions: Vec::new(),
            suggestion: None,
        })
    }

    /// The entities most named among the matches, from terms aggregations
    /// (articles counted, copies each).
    pub fn top_entities(&self, req: &SearchRequest, limit: usize) -> Result<TopEntities> {
        let t = Translated::new(&req.query, req.since, req.until)?;
        let terms = |field: &str| json!({ "terms": { "field": field, "size": limit.max(1) } });
        let distinct = |field: &str| json!({ "cardinality": { "field": field } });
        let answer = self.search_raw(
            &t,
            json!({
                "max_hits": 0,
                "aggs": {
                    "people": terms("people"),
                    "organizations": terms("organizations"),
                    "places": terms("places"),
                    "languages": terms("language"),
                    "n_people": distinct("people"),
                    "n_organizations": distinct("organizations"),
                    "n_places": distinct("places"),
                }
            }),
        )?;
        let aggs = &answer["aggregations"];
        let list = |name: &str| -> Vec<(String, u64)> {
            aggs[name]["buckets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|b| Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?)))
                .take(limit)
                .collect()
        };
        let count = |name: &str| aggs[name]["value"].as_f64().unwrap_or(0.0).round() as u64;
        let articles = answer["num_hits"].as_u64().unwrap_or(0);
        Ok(TopEntities {
            articles,
            counts: Counting::Articles,
            stories: articles,
            people: list("people"),
            organizations: list("organizations"),
            places: list("places"),
            languages: list("languages"),
            distinct: Distinct {
                organizations: count("n_organizations"),
                people: count("n_people"),
                places: count("n_places"),
            },
        })
    }

    /// Matches over time, from a daily histogram rolled up into `by`
    /// (articles counted, copies each).
    pub fn timeline(&self, req: &SearchRequest, by: Granularity) -> Result<Timeline> {
        let t = Translated::new(&req.query, req.since, req.until)?;
        let answer = self.search_raw(
            &t,
            json!({
                "max_hits": 0,
                "aggs": {
                    "days": { "date_histogram": { "field": "published", "fixed_interval": "1d" } },
                    "dated": { "value_count": { "field": "published" } },
                }
            }),
        )?;
        let mut days: HashMap<i64, u64> = HashMap::new();
        for b in answer["aggregations"]["days"]["buckets"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let (Some(ms), Some(n)) = (b["key"].as_f64(), b["doc_count"].as_u64()) else {
                continue;
            };
            if n > 0 {
                *days.entry((ms / 86_400_000.0).floor() as i64).or_default() += n;
            }
        }
        let total = answer["num_hits"].as_u64().unwrap_or(0);
        let dated: u64 = days.values().sum();
        Ok(Timeline::from_days(&days, total.saturating_sub(dated), by))
    }
}

/// A Quickwit document as a hit, its snippet marking `terms` (Quickwit's
/// REST answer carries no score: 0).
fn to_hit(doc: &Value, terms: &[String], req: &SearchRequest) -> Hit {
    let s = |k: &str| doc[k].as_str().map(String::from);
    let names = |k: &str, salient: &str| -> Vec<EntityCount> {
        let about: Vec<&str> = doc[salient]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        doc[k]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .map(|name| EntityCount {
                name: name.to_string(),
                mentions: 0,
                salient: about.contains(&name),
            })
            .collect()
    };
    let (standfirst, body) = (
        doc["standfirst"].as_str().unwrap_or(""),
        doc["body"].as_str().unwrap_or(""),
    );
    let snippet = match req.snippet_chars {
        0 => Snippet::default(),
        n => crate::search::snippets::of_terms(terms, standfirst, body, n),
    };
    let text = req.text.then(|| match standfirst.is_empty() {
        true => body.to_string(),
        false => format!("{standfirst}\n\n{body}"),
    });
    Hit {
        id: s("id").unwrap_or_default(),
        path: s("path").unwrap_or_default(),
        url: s("url"),
        title: s("title").unwrap_or_default(),
        published: s("published").and_then(|p| p.parse().ok()),
        date_source: s("date_source").and_then(|d| date_source(&d)),
        byline: s("byline"),
        score: 0.0,
        snippet,
        people: names("people", "salient_people"),
        organizations: names("organizations", "salient_organizations"),
        places: names("places", "salient_places"),
        text,
        copies: Vec::new(),
    }
}

fn date_source(s: &str) -> Option<DateSource> {
    serde_json::from_value(Value::String(s.to_string())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(q: &str) -> String {
        Translated::new(q, None, None).unwrap().query
    }

    /// The query without the optional clauses that only rank.
    fn matching(q: &str) -> String {
        let full = t(q);
        match full.find(" (salient:") {
            Some(at) => full[..at].to_string(),
            None => full,
        }
    }

    #[test]
    fn words_and_phrases_search_the_text_fields_with_byline_weights() {
        let spread = |w: &str| {
            format!("(title_words:\"{w}\"^3 OR standfirst_words:\"{w}\"^1.5 OR body_words:\"{w}\")")
        };
        assert_eq!(matching("Elections"), spread("elect"));
        assert_eq!(
            matching("\"peace talks\" -strikes"),
            format!("{} -{}", spread("peac talk"), spread("strike"))
        );
        assert_eq!(
            matching("(oil OR gas) title:cables byline:\"Ewa Nowak\""),
            format!(
                "({} OR {}) title_words:\"cabl\" byline:\"Ewa Nowak\"",
                spread("oil"),
                spread("gas")
            )
        );
        assert_eq!(
            matching("\"peace talks\"~2^2"),
            "(title_words:\"peac talk\"~2^3 OR standfirst_words:\"peac talk\"~2^1.5 OR body_words:\"peac talk\"~2)^2"
        );
        assert_eq!(matching("U.S."), spread("u s"));
        let terms = Translated::new("\"peace talks\" Gdańsk -strike", None, None)
            .unwrap()
            .terms;
        assert_eq!(terms, ["peac", "talk", "gdansk"]);
        // What byline adds to the score: entities the words name, the words
        // side by side, each optional.
        let q = t("oil prices");
        assert!(
            q.starts_with(&format!("{} {}", spread("oil"), spread("price"))),
            "{q}"
        );
        assert!(q.contains("salient:\"o:oil prices\"^2 OR "), "{q}");
        assert!(
            q.ends_with(&format!(" OR {} OR *)", spread("oil price"))),
            "{q}"
        );
    }

    #[test]
    fn filters_become_the_terms_byline_looks_up() {
        let q = t("person:Putin");
        assert!(q.contains("person:\"putin\""), "{q}");
        assert!(q.contains("surname:\"putin\""), "{q}");
        assert!(q.contains("salient:\"p:~putin\""), "{q}");
        let q = t("-org:\"General Motors Corp\" oil");
        assert!(q.contains("-((org:\"general motors corp\""), "{q}");
        assert!(q.contains("org:\"general motors\""), "{q}");
        assert_eq!(t("lang:fr"), "(language:\"fr\")");
        let q = t("person:\"José Núñez\"");
        assert!(
            q.contains("person:\"josé núñez\" OR person:\"jose nunez\""),
            "{q}"
        );
        assert_eq!(
            matching("-strike"),
            "* -(title_words:\"strike\"^3 OR standfirst_words:\"strike\"^1.5 OR body_words:\"strike\")"
        );
        let d = Translated::new("oil after:2025-11-01 before:2025-12-01", None, None).unwrap();
        assert_eq!(d.start, Some(1_761_955_200));
        assert_eq!(d.end, Some(1_764_547_200));
        assert!(
            d.query
                .ends_with("published:[2025-11-01T00:00:00Z TO 2025-12-01T00:00:00Z}"),
            "{}",
            d.query
        );
        let d = Translated::new("oil before:1960", None, None).unwrap();
        assert_eq!((d.start, d.end), (None, None));
        assert!(d
            .query
            .ends_with("published:[1800-01-01T00:00:00Z TO 1960-01-01T00:00:00Z}"));
        let d = Translated::new("after:1950", None, None).unwrap();
        assert_eq!(
            d.start, None,
            "Quickwit finds nothing from a start before 1970"
        );
    }

    #[test]
    fn what_cannot_be_translated_exactly_is_refused() {
        for q in ["volck*", "reagen~", "oil reagen~1"] {
            let e = Translated::new(q, None, None).unwrap_err().to_string();
            assert!(e.contains("Quickwit cannot"), "{q}: {e}");
        }
    }
}
