//! The commit searches answer from, with its story map ([`StoryMap`]).
//!
//! A search folds the copies of a story with the map of the commit it
//! reads. After a commit by another process the map must be loaded (the
//! writer saves one) or worked out again, which takes about two seconds on
//! 200,000 articles. A command-line search pays that once. A server must
//! not make every search wait for it: once a caller has said it keeps the
//! maps warm ([`Published::warm`], which `byline serve` calls from a thread
//! of its own), searches answer from the last commit whose map is ready
//! until the next one's is, as Lucene's searcher managers publish a new
//! reader only once it is warmed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tantivy::Searcher;

use super::storymap::StoryMap;
use crate::error::Result;

/// A commit's searcher and the map of its stories.
struct Pair {
    searcher: Searcher,
    stories: Arc<StoryMap>,
}

/// The newest commit whose story map is ready.
#[derive(Default)]
pub(crate) struct Published {
    pair: Mutex<Option<Pair>>,
    /// Held while a map is loaded or worked out: one at a time, so that
    /// the searches that find the map missing do not all work it out.
    making: Mutex<()>,
    /// Whether a caller keeps the maps warm.
    warmed: AtomicBool,
}

impl Published {
    fn current(&self) -> Option<(Searcher, Arc<StoryMap>)> {
        let pair = self.pair.lock().unwrap_or_else(|e| e.into_inner());
        pair.as_ref()
            .map(|p| (p.searcher.clone(), p.stories.clone()))
    }

    /// The searcher to answer from and its story map: `newest` when its
    /// map is ready or can be made now; else, when a caller keeps the maps
    /// warm, the last commit whose map is ready. `make` loads or works out
    /// the map of a searcher.
    pub(crate) fn for_search(
        &self,
        newest: Searcher,
        make: impl FnOnce(&Searcher) -> Result<StoryMap>,
    ) -> Result<(Searcher, Arc<StoryMap>)> {
        if let Some((searcher, stories)) = self.current() {
            if stories.fits(&newest) {
                return Ok((newest, stories));
            }
            if self.warmed.load(Ordering::Acquire) {
                return Ok((searcher, stories));
            }
        }
        let stories = self.make(&newest, make)?;
        Ok((newest, stories))
    }

    /// Makes `newest`'s map, unless it is there already, and publishes it;
    /// from then on, searches do not make maps but answer from the last
    /// one published. True when a map was made.
    pub(crate) fn warm(
        &self,
        newest: Searcher,
        make: impl FnOnce(&Searcher) -> Result<StoryMap>,
    ) -> Result<bool> {
        self.warmed.store(true, Ordering::Release);
        if self.current().is_some_and(|(_, s)| s.fits(&newest)) {
            return Ok(false);
        }
        self.make(&newest, make).map(|_| true)
    }

    /// Publishes a map just made for `searcher` (by a writer, which has it
    /// in hand).
    pub(crate) fn publish(&self, searcher: Searcher, stories: StoryMap) {
        self.install(searcher, Arc::new(stories));
    }

    fn make(
        &self,
        searcher: &Searcher,
        make: impl FnOnce(&Searcher) -> Result<StoryMap>,
    ) -> Result<Arc<StoryMap>> {
        let _one = self.making.lock().unwrap_or_else(|e| e.into_inner());
        // Another search may have made it while this one waited.
        if let Some((_, stories)) = self.current().filter(|(_, s)| s.fits(searcher)) {
            return Ok(stories);
        }
        let stories = Arc::new(make(searcher)?);
        self.install(searcher.clone(), stories.clone());
        Ok(stories)
    }

    /// Makes `searcher` the one published, unless a newer one is.
    fn install(&self, searcher: Searcher, stories: Arc<StoryMap>) {
        let mut pair = self.pair.lock().unwrap_or_else(|e| e.into_inner());
        let generation = |s: &Searcher| s.generation().generation_id();
        if pair
            .as_ref()
            .is_some_and(|p| generation(&p.searcher) > generation(&searcher))
        {
            return;
        }
        *pair = Some(Pair { searcher, stories });
    }
}
