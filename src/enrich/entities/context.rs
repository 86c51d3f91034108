//! The article context: what the words around each name say of it
//! ("the law firm ...", "MP for ...", "... shares"), gathered for the whole
//! text so that it holds at every mention, and the names a team sheet or a
//! constituency makes of several tokens.

use rustc_hash::FxHashMap;

use crate::article::EntityKind;

use super::classify::Candidate;
use super::lexicon::{
    contains_lower, cue_flags, is_org_noun, is_org_role, Lexicon, GIVEN, NOT_NAME, ORG_FOLLOWER,
    ORG_NOUN, PAINTER, PRODUCT, SEAT, WORK,
};
use super::sport::sport_words_in;
use super::tokens::{is_model, name_start, run_end, Token};

/// The words next to a name, as `ArticleContext::read_run` found them.
struct Near<'t> {
    b0: &'t str,
    b0_start: usize,
    before_flags: u16,
    after_flags: u16,
    model: bool,
    after_possessive: bool,
    preposition: bool,
    punctuated: bool,
}

/// What the context of one mention says about a name, for every mention of
/// it in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cue {
    /// A work, product or fictional character: not annotated.
    Work,
    Kind(EntityKind),
}

/// Document-level evidence, gathered once per text before classification.
pub(super) struct ArticleContext<'t> {
    text: &'t str,
    /// Names (as written, without a leading "The") whose context somewhere
    /// in the text says what they are: "the law firm Harte Lowry" makes
    /// every "Harte Lowry" an organisation.
    pub(super) cues: FxHashMap<&'t str, Cue>,
    /// The first words of the `cues` keys: few, and most runs start with
    /// none of them.
    pub(super) cue_firsts: Vec<&'t str>,
    /// Token ranges context makes one name: first token → (last, kind).
    /// Constituencies joined by "and", and the players of a team sheet.
    spans: FxHashMap<usize, (usize, EntityKind)>,
    /// "A and B" runs, for a second title joined to a known one.
    pairs: Vec<(&'t str, &'t str)>,
    /// Whether the text is a sport report; worked out only when asked.
    sport: std::cell::OnceCell<bool>,
}

impl<'t> ArticleContext<'t> {
    pub(super) fn new(text: &'t str) -> ArticleContext<'t> {
        ArticleContext {
            text,
            cues: FxHashMap::default(),
            cue_firsts: Vec::new(),
            spans: FxHashMap::default(),
            pairs: Vec::new(),
            sport: std::cell::OnceCell::new(),
        }
    }

    /// What the context of later mentions said, applied to the earlier
    /// ones: "Harte Lowry" before "the law firm Harte Lowry".
    pub(super) fn revise(
        &mut self,
        text: &'t str,
        tokens: &[Token<'t>],
        found: &mut Vec<Candidate<'t>>,
        loose: &mut Vec<usize>,
    ) {
        // "Rufus Quill and Dark Harbour", after "the book Rufus Quill".
        for k in 0..self.pairs.len() {
            let (a, b) = self.pairs[k];
            if self.cues.get(a) == Some(&Cue::Work) && !self.cues.contains_key(b) {
                self.cue(b, Cue::Work);
            }
        }
        if self.cues.is_empty() {
            return;
        }
        found.retain_mut(|f| {
            let span = &text[tokens[f.first].start..tokens[f.last].end];
            match self.cues.get(span) {
                Some(Cue::Work) => false,
                Some(&Cue::Kind(kind)) if kind != f.kind => {
                    f.kind = kind;
                    f.name = span;
                    true
                }
                _ => true,
            }
        });
        loose.retain(|&i| match self.cues.get(tokens[i].text) {
            Some(Cue::Work) => false,
            Some(&Cue::Kind(kind)) => {
                found.push(Candidate {
                    first: i,
                    last: i,
                    kind,
                    name: tokens[i].text,
                    listed: true,
                    extra: 0,
                });
                false
            }
            None => true,
        });
    }

    /// The name that context makes of the tokens from `i`, if any.
    #[inline]
    pub(super) fn span_at(&self, i: usize) -> Option<(usize, EntityKind)> {
        if self.spans.is_empty() {
            return None;
        }
        self.spans.get(&i).copied()
    }

    /// Records what the context says about `key`, and its first word for a
    /// quick test in `classify`.
    pub(super) fn cue(&mut self, key: &'t str, cue: Cue) {
        let first = key.split(' ').next().unwrap_or(key);
        if !self.cue_firsts.contains(&first) {
            self.cue_firsts.push(first);
        }
        self.cues.insert(key, cue);
    }

    pub(super) fn sport(&self) -> bool {
        // A sport report says so early: the start of the text is enough.
        *self
            .sport
            .get_or_init(|| sport_words_in(&self.text.as_bytes()[..self.text.len().min(1500)]) >= 4)
    }

    /// Looks at the context of the run `i..=j` for what it says about the
    /// name.
    #[inline]
    pub(super) fn read_run(&mut self, tokens: &[Token<'t>], i: usize, j: usize, lexicon: &Lexicon) {
        let text = self.text;
        let rest = &text[tokens[j].end..];
        // A common word alone ("The", "He") names nothing, whatever its
        // context; most runs are such words. Nor does a faith or a
        // currency ("the company KSh 85 million").
        if i == j && (tokens[i].common || tokens[i].is(NOT_NAME)) {
            return;
        }
        // An alternative title in brackets: "The Glass Orchard (Le Verger)".
        if rest.starts_with(" (") && !self.cues.is_empty() {
            let a = name_start(tokens, i, j);
            if self.cues.get(&text[tokens[a].start..tokens[j].end]) == Some(&Cue::Work) {
                if tokens
                    .get(j + 1)
                    .is_some_and(|t| t.cap && t.start == tokens[j].end + 2)
                {
                    let end = run_end(text, tokens, j + 1);
                    self.cue(&text[tokens[j + 1].start..tokens[end].end], Cue::Work);
                }
                return;
            }
        }
        // The words around, most often with nothing to say. Cue words count
        // only right before or after the name ("the film Rainbow Street",
        // not "the film, Ada Lowe"), so most names, next to punctuation,
        // need no scan; the others one table lookup per word, and the
        // farther words only when a near one asks.
        let bytes = text.as_bytes();
        let (start, end) = (tokens[i].start, tokens[j].end);
        let (b0, b0_start) =
            if start >= 2 && bytes[start - 1] == b' ' && bytes[start - 2].is_ascii_lowercase() {
                word_before(text, start)
            } else {
                ("", start)
            };
        let a0 = match bytes.get(end..end + 2) {
            Some([b' ', c]) if c.is_ascii_lowercase() => word_after(text, end),
            Some([b'\'', b's']) | Some([0xE2, _]) => word_after(text, end),
            _ => "",
        };
        let before_flags = cue_flags(b0, lexicon);
        let after_flags = cue_flags(a0, lexicon);
        let model = tokens[i..=j].iter().any(|t| is_model(t.text));
        let after_possessive = {
            let pre = &text[..start];
            pre.ends_with("'s ") || pre.ends_with("’s ")
        };
        let preposition = matches!(b0, "of" | "at" | "in" | "for" | "as" | "like");
        let punctuated = match bytes.get(end) {
            Some(b',') => true,
            Some(b' ') => rest.starts_with(" - ") || rest.starts_with(" and "),
            _ => false,
        };
        if before_flags == 0
            && after_flags == 0
            && !model
            && !after_possessive
            && !preposition
            && !punctuated
        {
            return;
        }
        let near = Near {
            b0,
            b0_start,
            before_flags,
            after_flags,
            model,
            after_possessive,
            preposition,
            punctuated,
        };
        self.read_near(tokens, i, j, lexicon, near);
    }

    /// The rest of `read_run`, for the few names with a word worth a look
    /// next to them.
    #[inline(never)]
    fn read_near(
        &mut self,
        tokens: &[Token<'t>],
        i: usize,
        j: usize,
        lexicon: &Lexicon,
        near: Near<'t>,
    ) {
        let text = self.text;
        let rest = &text[tokens[j].end..];
        let Near {
            b0,
            b0_start,
            before_flags,
            after_flags,
            model,
            after_possessive,
            preposition,
            punctuated,
        } = near;
        // A preposition matters only after certain words: "version of",
        // "MP for", "such as", "firms like", "analyst at".
        let (b1, b1_start) = if preposition {
            word_before(text, b0_start)
        } else {
            ("", 0)
        };
        let plural_org = |w: &str| w.strip_suffix('s').is_some_and(is_org_noun);
        let work_context = before_flags & WORK != 0
            || (b0 == "of" && b1 == "version")
            || (punctuated
                && (rest.starts_with(" - a character")
                    || rest.starts_with(", a character")
                    || rest.starts_with(", developed by")
                    || rest.starts_with(", made by")
                    || rest.starts_with(", designed by")));
        let product_context = model || after_flags & PRODUCT != 0;
        let painter = after_flags & PAINTER != 0;
        let member = b0 == "for" && matches!(b1, "MP" | "MSP" | "MEP" | "AM" | "candidate");
        let org_context = before_flags & ORG_NOUN != 0
            || (b0 == "as" && b1 == "such" && plural_org(word_before(text, b1_start).0))
            || (b0 == "like" && plural_org(b1))
            || (matches!(b0, "at" | "of" | "in") && is_org_role(b1))
            || after_flags & ORG_FOLLOWER != 0
            || (punctuated && rest.starts_with(", ") && org_appositive(rest));
        // Most names have no telling context: stop before any lookup.
        if !(work_context
            || product_context
            || after_possessive
            || painter
            || member
            || after_flags & SEAT != 0
            || org_context
            || rest.starts_with(" and "))
        {
            return;
        }
        let a = name_start(tokens, i, j);
        let key = &text[tokens[a].start..tokens[j].end];
        // A common word or a demonym alone names nothing, whatever its
        // context ("The singer", "unit of Ruritanian ..."). (The caller
        // looks at no listed name.)
        if a == j && (tokens[a].common || lexicon.demonyms.contains(key)) {
            return;
        }
        let listed_kind = |t: &Token| {
            t.may_start_name()
                .then(|| lexicon.names.get(t.text).map(|(_, k)| *k))
                .flatten()
        };
        let first_kind = listed_kind(&tokens[a]);
        let maker = first_kind == Some(EntityKind::Organization);
        let first_listed = first_kind.is_some();
        // The product of a listed maker: "Kestrel's Skyline Pro".
        let of_maker = after_possessive && !first_listed && !tokens[a].is(GIVEN) && {
            let pre = &text[..tokens[i].start];
            let pre = pre
                .strip_suffix("'s ")
                .or_else(|| pre.strip_suffix("’s "))
                .unwrap_or(pre);
            let w = pre
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            matches!(lexicon.names.get(w), Some((_, EntityKind::Organization)))
        };

        // Works, products and characters.
        let work = !first_listed && work_context;
        let product = product_context || of_maker;
        if work || product {
            // A listed maker before the model keeps its name: "Kestrel X200".
            let from = if maker && a < j { a + 1 } else { a };
            if !(maker && from == a) {
                self.cue(&text[tokens[from].start..tokens[j].end], Cue::Work);
                // "the X200 Vantage" ... "the Vantage".
                if model && !is_model(tokens[j].text) && from < j {
                    self.cue(tokens[j].text, Cue::Work);
                }
            }
            return;
        }
        // "a Whistler painting": the painter.
        if painter {
            self.cue(key, Cue::Kind(EntityKind::Person));
            return;
        }
        // "Rufus Quill and the Glass Orchard": a title, or a band.
        if let Some(b) = self.title_pair(tokens, a, j, lexicon) {
            let end = run_end(text, tokens, b);
            self.cue(key, Cue::Work);
            let b = name_start(tokens, b, end);
            self.cue(&text[tokens[b].start..tokens[end].end], Cue::Work);
            return;
        }
        if rest.starts_with(" and ") {
            if let Some(b) = (j + 1 < tokens.len())
                .then_some(j + 1)
                .filter(|&b| tokens[b].cap && tokens[b].start == tokens[j].end + 5)
            {
                let end = run_end(text, tokens, b);
                let b = name_start(tokens, b, end);
                let b = &text[tokens[b].start..tokens[end].end];
                if self.cues.get(key) == Some(&Cue::Work) {
                    self.cue(b, Cue::Work);
                } else {
                    self.pairs.push((key, b));
                }
            }
        }
        // Constituencies: "MP for Hornby and Dale", "the Hornby seat".
        if member {
            let mut end = j;
            if rest.starts_with(" and ")
                && tokens
                    .get(j + 1)
                    .is_some_and(|t| t.cap && t.start == tokens[j].end + 5)
            {
                end = run_end(text, tokens, j + 1);
            }
            self.spans.insert(a, (end, EntityKind::Place));
            self.cue(
                &text[tokens[a].start..tokens[end].end],
                Cue::Kind(EntityKind::Place),
            );
            return;
        }
        if after_flags & SEAT != 0 {
            self.cue(key, Cue::Kind(EntityKind::Place));
            return;
        }
        if org_context {
            self.cue(key, Cue::Kind(EntityKind::Organization));
        }
    }

    /// `A and the B` where neither is a known name and B starts with no
    /// title: the run after "the", if so.
    fn title_pair(&self, tokens: &[Token], a: usize, j: usize, lexicon: &Lexicon) -> Option<usize> {
        let text = self.text;
        let b = j + 1;
        let tb = tokens.get(b)?;
        if !text[tokens[j].end..].starts_with(" and the ")
            || tb.start != tokens[j].end + 9
            || !tb.cap
        {
            return None;
        }
        let end = run_end(text, tokens, b);
        let unknown =
            |t: &Token| !(t.cap && t.may_start_name() && lexicon.names.contains_key(t.text));
        let no_title = |t: &Token| !contains_lower(&lexicon.titles, t.text);
        let ok = tokens[a..=j].iter().all(unknown)
            && tokens[b..=end].iter().all(unknown)
            && no_title(&tokens[a])
            && no_title(tb)
            && !lexicon.org_suffixes.contains(tokens[end].text)
            && !lexicon.org_suffixes.contains(tokens[j].text)
            && !contains_lower(&lexicon.titles, words_before(text, tokens[a].start)[0]);
        ok.then_some(b)
    }

    /// The players of a team sheet after `head:`, and the team itself.
    pub(super) fn read_team_sheet(
        &mut self,
        tokens: &[Token],
        a: usize,
        h: usize,
        lexicon: &Lexicon,
    ) {
        let text = self.text;
        let mut items: Vec<(usize, usize)> = Vec::new();
        let mut prev_end = tokens[h].end + 1;
        let mut t = h + 1;
        while t < tokens.len() {
            let gap = &text[prev_end..tokens[t].start];
            if !gap
                .bytes()
                .all(|b| matches!(b, b' ' | b',' | b'(' | b')' | b'0'..=b'9'))
            {
                break;
            }
            let new_item = items.is_empty() || gap.bytes().any(|b| matches!(b, b',' | b'(' | b')'));
            if new_item {
                if !tokens[t].cap {
                    break;
                }
                items.push((t, t));
            } else if let Some(last) = items.last_mut() {
                if last.1 - last.0 >= 2 {
                    break;
                }
                last.1 = t;
            }
            prev_end = tokens[t].end;
            t += 1;
        }
        // A trailing connector is not part of a name.
        items.retain(|&(s, e)| tokens[s].cap && tokens[e].cap);
        let head = &text[tokens[a].start..tokens[h].end];
        let referee = matches!(head, "Referee" | "Ref");
        if !(items.len() >= 2 || (referee && items.len() == 1)) || !self.sport() {
            return;
        }
        for (s, e) in items {
            let span = &text[tokens[s].start..tokens[e].end];
            // "Ref: J Hale (Kent)": the county is no player.
            if !matches!(lexicon.names.get(span), Some((_, EntityKind::Place))) {
                self.spans.insert(s, (e, EntityKind::Person));
            }
        }
        // The team is named before its players.
        let is_team = matches!(lexicon.names.get(head), Some((_, EntityKind::Place)))
            || lexicon.club_towns.contains(head);
        if is_team {
            self.spans.insert(a, (h, EntityKind::Organization));
        }
    }
}

/// Bytes of the words context cues are made of: letters, digits, hyphens,
/// and any non-ASCII character.
#[inline]
fn is_cue_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b >= 0x80
}

/// Punctuation that ends the clause a context cue may come from.
#[inline]
fn is_clause_end(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'!' | b'?' | b':' | b';' | b'"' | b'(' | b')' | b'\n'
    )
}

/// The word nearest before byte `at` and where it starts, within the same
/// clause and a short window; empty if none. Commas do not stop the
/// look-back: "experts, like Harte Lowry". A byte scan: this runs for every
/// name.
pub(super) fn word_before(text: &str, at: usize) -> (&str, usize) {
    let bytes = text.as_bytes();
    let lo = at.saturating_sub(32);
    let mut p = at;
    while p > lo && !is_cue_byte(bytes[p - 1]) {
        if is_clause_end(bytes[p - 1]) {
            return ("", at);
        }
        p -= 1;
    }
    let end = p;
    while p > lo && is_cue_byte(bytes[p - 1]) {
        p -= 1;
    }
    // The window may have cut a character (or a word) in two.
    if p == lo && lo > 0 {
        return ("", at);
    }
    (&text[p..end], p)
}

/// The words nearest before byte `at`, nearest first (up to three), within
/// the same clause and a short window. Commas do not stop the look-back:
/// "experts, like Harte Lowry". A byte scan: this runs for every name.
pub(super) fn words_before(text: &str, at: usize) -> [&str; 3] {
    let bytes = text.as_bytes();
    let mut lo = at.saturating_sub(48);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut out = [""; 3];
    let mut p = at;
    for slot in &mut out {
        while p > lo && !is_cue_byte(bytes[p - 1]) {
            if is_clause_end(bytes[p - 1]) {
                return out;
            }
            p -= 1;
        }
        let end = p;
        while p > lo && is_cue_byte(bytes[p - 1]) {
            p -= 1;
        }
        if p == end {
            break;
        }
        *slot = &text[p..end];
    }
    out
}

/// The first word after byte `at`, skipping a possessive, in the same clause
/// (a comma ends it); empty if none.
pub(super) fn word_after(text: &str, at: usize) -> &str {
    let bytes = text.as_bytes();
    let hi = text.len().min(at + 32);
    let mut p = at;
    if bytes[at..hi].starts_with(b"'s") {
        p += 2;
    } else if bytes[at..hi].starts_with("’s".as_bytes()) {
        p += "’s".len();
    }
    while p < hi && !is_cue_byte(bytes[p]) {
        if is_clause_end(bytes[p]) || bytes[p] == b',' {
            return "";
        }
        p += 1;
    }
    let start = p;
    while p < hi && is_cue_byte(bytes[p]) {
        p += 1;
    }
    // The window may have cut a character (or a word) in two.
    if p == hi && hi < text.len() {
        return "";
    }
    &text[start..p]
}

/// ", the drinks firm", ", one of Ruritania's biggest banks": an appositive
/// whose head noun makes the name before it an organisation.
fn org_appositive(rest: &str) -> bool {
    let Some(clause) = rest
        .strip_prefix(", the ")
        .or_else(|| rest.strip_prefix(", a "))
        .or_else(|| rest.strip_prefix(", an "))
        .or_else(|| rest.strip_prefix(", one of "))
    else {
        return false;
    };
    let mut to = clause.len().min(48);
    while !clause.is_char_boundary(to) {
        to -= 1;
    }
    let clause = &clause[..to];
    let clause = clause
        .find([',', '.', ';', ':', '(', ')', '"', '\n'])
        .map_or(clause, |p| &clause[..p]);
    // The head is the last word before the clause goes on ("the firm that
    // ...", "a drinks firm based in ...").
    let mut head = "";
    for w in clause
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .take(5)
    {
        if matches!(
            w,
            "which"
                | "that"
                | "who"
                | "with"
                | "in"
                | "of"
                | "for"
                | "based"
                | "and"
                | "said"
                | "has"
                | "is"
                | "was"
                | "owned"
                | "run"
                | "from"
                | "on"
                | "at"
        ) {
            break;
        }
        head = w;
    }
    is_org_noun(head) || head.strip_suffix('s').is_some_and(is_org_noun)
}
