//! The statistics BM25 weighs words by, counted over the articles alone.
//!
//! Every source file also has a bookkeeping record in the index (see
//! `indexer`). Tantivy counts every document, so a folder of one article per
//! file had twice its articles as BM25's document count: every word looked
//! rarer than it is, and every text twice as long as the average (the
//! records hold no text), which changed the ranking with the number of
//! files the same articles were kept in.

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::schema::{field, KIND_ARTICLE};

/// Tantivy's statistics, with the document count cut to the articles.
pub(crate) struct ArticleStats<'s> {
    searcher: &'s Searcher,
    articles: u64,
}

impl<'s> ArticleStats<'s> {
    /// The statistics of the articles `searcher` sees.
    pub(crate) fn new(searcher: &'s Searcher) -> tantivy::Result<Self> {
        // Deleted articles stay in the count until their segment is merged,
        // as they do in tantivy's own count and in the word and token counts
        // beside it, so that all of them describe the same documents.
        let articles = match searcher.schema().get_field(field::KIND) {
            Ok(kind) => searcher.doc_freq(&Term::from_field_text(kind, KIND_ARTICLE))?,
            Err(_) => searcher.total_num_docs()?,
        };
        Ok(ArticleStats { searcher, articles })
    }
}

impl Bm25StatisticsProvider for ArticleStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.searcher.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.articles)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        // Never above the count (tantivy asserts it): a term of the
        // bookkeeping records is in no article.
        Ok(self.searcher.doc_freq(term)?.min(self.articles))
    }
}
