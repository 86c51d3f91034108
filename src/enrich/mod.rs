//! What byline adds to an article beyond what its file says outright: the
//! published date (from the best source there is).

pub mod dates;
