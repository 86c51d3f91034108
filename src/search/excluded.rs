//! The guard around excluded words and phrases (`-strike`, `-"night shift"`):
//! tantivy 0.27 asks an excluded clause's scorer about documents it has
//! already moved past, which its phrase scorer panics on in debug builds.
//! Every exclusion byline builds or parses goes through here.

use tantivy::query::{
    AllScorer, BooleanQuery, EmptyScorer, EnableScoring, Explanation, Occur, Query, Scorer, Weight,
};
use tantivy::{DocId, DocSet, SeekDangerResult, SegmentReader, Term};

use crate::error::{Error, Result};

/// An excluded word or phrase (`-"peace talks"`, `-well-known`). tantivy's
/// exclusion asks its scorer about documents below the one the scorer
/// stands on (a phrase scorer starts on its first match), which tantivy
/// 0.27's phrase scorer asserts against: a panic in debug builds, found by
/// fuzzing searches (tantivy issue 2811). This scorer answers those
/// questions itself: a document it has moved past has no match.
#[derive(Debug)]
pub(super) struct Excluded(pub(super) Box<dyn Query>);

/// A boost over a group that excludes something (`(talks -well-known)^2`)
/// hides the exclusion from [`guard_exclusions`]: tantivy's boost query does
/// not show what it wraps. Such a query is refused, with a way around it.
pub(super) fn refuse_boosted_exclusions(text: &str) -> Result<()> {
    use tantivy::query_grammar::{parse_query, UserInputAst};
    fn excludes(ast: &UserInputAst) -> bool {
        match ast {
            UserInputAst::Clause(clauses) => clauses
                .iter()
                .any(|(occur, sub)| *occur == Some(Occur::MustNot) || excludes(sub)),
            UserInputAst::Boost(inner, _) => excludes(inner),
            UserInputAst::Leaf(_) => false,
        }
    }
    fn boosted_exclusion(ast: &UserInputAst) -> bool {
        match ast {
            UserInputAst::Clause(clauses) => clauses.iter().any(|(_, sub)| boosted_exclusion(sub)),
            UserInputAst::Boost(inner, _) => excludes(inner),
            UserInputAst::Leaf(_) => false,
        }
    }
    if !text.contains('^') {
        return Ok(());
    }
    // Text tantivy cannot parse fails later, with its own message.
    match parse_query(text) {
        Ok(ast) if boosted_exclusion(&ast) => Err(Error::Query(format!(
            "a boost (^) cannot cover an exclusion (-) in `{text}`; move the exclusion out of the boosted group"
        ))),
        _ => Ok(()),
    }
}

/// `q` with each of its excluded clauses ("talks -well-known", which
/// tantivy's parser reads) made an [`Excluded`].
pub(super) fn guard_exclusions(q: Box<dyn Query>) -> Box<dyn Query> {
    let Some(b) = q.downcast_ref::<BooleanQuery>() else {
        return q;
    };
    let clauses = b
        .clauses()
        .iter()
        .map(|(occur, sub)| {
            let sub = guard_exclusions(sub.box_clone());
            let sub = match occur {
                // Its own exclusions too: `port -(talks -well-known)`.
                Occur::MustNot => Box::new(Excluded(sub)),
                _ => sub,
            };
            (*occur, sub)
        })
        .collect();
    let mut guarded = BooleanQuery::new(clauses);
    guarded.set_minimum_number_should_match(b.get_minimum_number_should_match());
    Box::new(guarded)
}

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(scoring)?)))
    }

    /// None: snippets highlight the terms a query reports, and an excluded
    /// word in a hit (`port -"night shift"` finds *night* apart from
    /// *shift*) is not what the reader searched for.
    fn query_terms<'a>(&'a self, _visitor: &mut dyn FnMut(&'a Term, bool)) {}
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: f32) -> tantivy::Result<Box<dyn Scorer>> {
        let scorer = self.0.scorer(reader, boost)?;
        // tantivy drops an exclusion that matches nothing, and excludes
        // everything for one that matches all, when it can tell.
        if scorer.is::<EmptyScorer>() || scorer.is::<AllScorer>() {
            return Ok(scorer);
        }
        let floor = scorer.doc();
        Ok(Box::new(ForwardScorer {
            inner: scorer,
            floor,
            bound: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// A scorer never asked about a document below the lowest one it can still
/// match (`floor`): below it, it answers "no match" itself.
struct ForwardScorer {
    inner: Box<dyn Scorer>,
    floor: DocId,
    /// `floor` is a bound from `seek_danger`, not a document that matches.
    bound: bool,
}

impl DocSet for ForwardScorer {
    fn advance(&mut self) -> DocId {
        self.bound = false;
        self.floor = self.inner.advance();
        self.floor
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target > self.floor || self.bound {
            self.bound = false;
            self.floor = self.inner.seek(target.max(self.floor));
        }
        self.floor
    }

    // Kept, rather than `DocSet`'s default of seeking, because a phrase
    // checks only the document asked about where a seek reads on to the next
    // one that has the phrase.
    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if target < self.floor {
            return SeekDangerResult::SeekLowerBound(self.floor);
        }
        let found = self.inner.seek_danger(target);
        (self.floor, self.bound) = match found {
            SeekDangerResult::Found => (target, false),
            SeekDangerResult::SeekLowerBound(next) => (next, true),
        };
        found
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for ForwardScorer {
    fn score(&mut self) -> f32 {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{QueryParser, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::Index;

    /// An excluded phrase whose first match comes after the first article
    /// matching the rest: tantivy's exclusion asks the phrase's scorer about
    /// that earlier article, which tantivy's own scorer met with a panic in
    /// debug builds.
    #[test]
    fn an_excluded_phrase_matching_later_articles_excludes_them() {
        use tantivy::query::PhraseQuery;
        use tantivy::schema::{Schema, TEXT};
        let mut sb = Schema::builder();
        let text = sb.add_text_field("text", TEXT);
        let index = Index::create_in_ram(sb.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for body in [
            "alpha",
            "alpha gamma",
            "alpha beta gamma",
            "alpha gamma beta",
            "alpha beta gamma",
        ] {
            writer.add_document(tantivy::doc!(text => body)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(vec![
            Term::from_field_text(text, "beta"),
            Term::from_field_text(text, "gamma"),
        ]));
        let alpha = TermQuery::new(
            Term::from_field_text(text, "alpha"),
            IndexRecordOption::Basic,
        );
        // As byline builds a query of exclusions alone, and as tantivy's
        // parser reads one with words to find.
        let built = BooleanQuery::new(vec![
            (Occur::Must, Box::new(alpha) as Box<dyn Query>),
            (Occur::MustNot, Box::new(Excluded(phrase))),
        ]);
        let parsed = QueryParser::for_index(&index, vec![text])
            .parse_query("alpha -\"beta gamma\"")
            .unwrap();
        // An exclusion inside an excluded group: articles with "gamma" but
        // not "beta gamma" (1 and 3) are left out.
        let nested = QueryParser::for_index(&index, vec![text])
            .parse_query("alpha -(gamma -\"beta gamma\")")
            .unwrap();
        for (query, want) in [
            (Box::new(built) as Box<dyn Query>, vec![0, 1, 3]),
            (guard_exclusions(parsed), vec![0, 1, 3]),
            (guard_exclusions(nested), vec![0, 2, 4]),
        ] {
            let hits = searcher
                .search(&query, &TopDocs::with_limit(10).order_by_score())
                .unwrap();
            let mut docs: Vec<u32> = hits.iter().map(|(_, a)| a.doc_id).collect();
            docs.sort();
            assert_eq!(docs, want);
        }
    }

    /// A boost hides what it covers from `guard_exclusions`, so a boost
    /// over an exclusion is refused; boosts elsewhere are not.
    #[test]
    fn a_boost_over_an_exclusion_is_refused() {
        for bad in [
            "(talks -well-known)^2",
            "port (talks -\"well known\")^1.5",
            "((a -b) c)^2",
        ] {
            let err = refuse_boosted_exclusions(bad).unwrap_err().to_string();
            assert!(err.contains("move the exclusion out"), "{bad}: {err}");
        }
        for fine in [
            "talks^2 -well-known",
            "(talks OR port)^2 -strike",
            "talks -well-known",
            "x^",
        ] {
            assert!(refuse_boosted_exclusions(fine).is_ok(), "{fine}");
        }
    }
}
