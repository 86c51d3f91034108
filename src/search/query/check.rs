//! What tantivy's query parser cannot take in a query's keyword text, said
//! in byline's words: what its grammar reads but byline does not support is
//! refused as the query is taken apart, and any error its parser returns
//! when the text is compiled is translated, so that its own text
//! (`Syntax Error: ...`, `Schema error: ...`) never reaches a user.

use tantivy::query::QueryParserError;
use tantivy::query_grammar::{parse_query, UserInputAst, UserInputLeaf};

use crate::error::Error;

/// Checks `text` (keyword text, as [`super::parse`] leaves it) for what
/// tantivy's grammar reads but byline does not support (some of it tantivy
/// would search oddly, or fail on only when searching); an error says what
/// to write instead.
pub(crate) fn check(text: &str) -> Result<(), Error> {
    match parse_query(text) {
        Ok(ast) => refused(&ast).map_or(Ok(()), |why| Err(Error::Query(why))),
        // A syntax error is said by `explain`, when the text is compiled.
        Err(_) => Ok(()),
    }
}

/// The first part of `ast` byline does not support, said why.
fn refused(ast: &UserInputAst) -> Option<String> {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().find_map(|(_, sub)| refused(sub)),
        UserInputAst::Boost(inner, _) => refused(inner),
        UserInputAst::Leaf(leaf) => match &**leaf {
            UserInputLeaf::Range { field, .. } => Some(range(field.as_deref())),
            UserInputLeaf::Set { field, .. } => Some(format!(
                "`{}IN [...]` is not supported; list the words with OR instead: (alpha OR beta)",
                field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default()
            )),
            UserInputLeaf::Exists { field } => Some(format!(
                "`{field}:*` is not supported (every article has a {field} field to search); to list every article, search for `*`"
            )),
            UserInputLeaf::Regex { .. } => Some(
                "regular expressions (/.../) are not supported; to search for the slashes as text, put the words in quotes".into(),
            ),
            UserInputLeaf::Literal(_) | UserInputLeaf::All => None,
        },
    }
}

/// The fields a keyword may name, as a user would list them.
fn fields() -> String {
    super::TEXT_FIELDS.join(", ")
}

/// A range over text (`title:>x`, `[a TO b]`).
fn range(field: Option<&str>) -> String {
    let what = match field {
        Some(f) => format!("`{f}:` is text and has no ranges (>, <, [a TO b], {{a TO b}})"),
        None => "ranges (>x, <x, [a TO b], {a TO b}) are not supported".into(),
    };
    format!(
        "{what}; for dates use after:2025-01-01 and before:2025-02-01; to search for brackets or > as text, put them in quotes"
    )
}

/// A syntax error in `text`, with the likeliest cause named and where it
/// is: the query (or, for a long one, the part around the fault) quoted on
/// a line of its own with a caret under the fault.
pub(crate) fn syntax(text: &str) -> Error {
    let (at, why) = fault(text);
    Error::Query(format!("{why}\n{}", caret(text, at)))
}

/// Where `text` goes wrong (a byte offset) and why, in words.
fn fault(text: &str) -> (usize, String) {
    let operator = |w: &str| matches!(w, "AND" | "OR" | "&&" | "||");
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    // Each open bracket's offset, outside quotes.
    let (mut open, mut quote, mut unopened) = (Vec::new(), None, None);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quote = if quote.is_some() { None } else { Some(i) },
            '(' if quote.is_none() => open.push(i),
            ')' if quote.is_none() && open.pop().is_none() => {
                unopened.get_or_insert(i);
            }
            _ => {}
        }
    }
    if let Some((at, w)) = words.first().filter(|(_, w)| operator(w)) {
        return (
            *at,
            format!("{w} needs a word before it, as in `opec {w} iran`"),
        );
    }
    if let Some((at, w)) = words.last().filter(|(_, w)| operator(w)) {
        return (
            *at,
            format!("nothing after {w}; add a word, as in `opec {w} iran`, or remove the {w}"),
        );
    }
    if let Some(p) = words
        .windows(2)
        .find(|p| operator(p[0].1) && operator(p[1].1))
    {
        return (
            p[1].0,
            format!("{} straight after {}; keep one of them", p[1].1, p[0].1),
        );
    }
    if let Some((at, w)) = words.iter().find(|(_, w)| w.ends_with(':')) {
        return (
            *at + w.len() - 1,
            format!("`{w}` names a field but no word to find in it, as in title:ferry"),
        );
    }
    if let Some(at) = unopened {
        return (
            at,
            "this `)` closes no `(`; remove it, or add the `(` it closes".into(),
        );
    }
    if let Some(at) = open.first() {
        return (
            *at,
            "this `(` is not closed; add a `)` after the words it groups".into(),
        );
    }
    if let Some(at) = text.find('^') {
        return (
            at,
            "a boost is a number after a word or group, as in talks^2".into(),
        );
    }
    // Whatever else tantivy's grammar refused: its first special character.
    let at = text.find(|c: char| "[]{}!\\`*~'".contains(c)).unwrap_or(0);
    (
        at,
        "check the brackets, quotes and operators (AND, OR, -, +, ^2, ~1, *); to search for symbols as text, put them in quotes".into(),
    )
}

/// The widest part of a query quoted whole; a longer one is quoted around
/// the fault, so that a pasted paragraph does not fill the terminal.
const QUOTED_CHARS: usize = 60;

/// `text` (or its part around byte `at`) indented on one line, and a caret
/// under `at` on the next.
pub(crate) fn caret(text: &str, at: usize) -> String {
    let chars: Vec<(usize, char)> = text
        .char_indices()
        .map(|(i, c)| (i, if c.is_whitespace() { ' ' } else { c }))
        .collect();
    let pos = chars
        .iter()
        .position(|(i, _)| *i >= at)
        .unwrap_or(chars.len());
    let (from, to) = if chars.len() <= QUOTED_CHARS {
        (0, chars.len())
    } else {
        let from = pos
            .saturating_sub(QUOTED_CHARS / 2)
            .min(chars.len() - QUOTED_CHARS);
        (from, from + QUOTED_CHARS)
    };
    let mut line = String::from("  ");
    if from > 0 {
        line.push('…');
    }
    let lead = line.chars().count() + (pos - from);
    line.extend(chars[from..to].iter().map(|(_, c)| c));
    if to < chars.len() {
        line.push('…');
    }
    format!("{line}\n{}^", " ".repeat(lead))
}

/// tantivy's error on compiling `text`, in byline's words.
pub(crate) fn explain(e: &QueryParserError, text: &str) -> Error {
    use QueryParserError as E;
    let why = match e {
        E::SyntaxError(_) => return syntax(text),
        E::AllButQueryForbidden => {
            "it only excludes (-word); add a word to search for, or a filter such as place:Kyiv"
                .to_string()
        }
        E::FieldDoesNotExist(f) => format!("there is no field `{f}`; the fields are {}", fields()),
        E::FieldNotIndexed(f) | E::FieldDoesNotHavePositionsIndexed(f) => {
            format!("`{f}` cannot be searched this way; the fields are {}", fields())
        }
        E::PhrasePrefixRequiresAtLeastTwoTerms { phrase, .. } => format!(
            "\"{phrase}\"* needs two words or more before the *; for one word write {phrase}*"
        ),
        E::RangeMustNotHavePhrase => range(None),
        E::UnsupportedQuery(what) if what.contains("Range") => range(None),
        E::UnsupportedQuery(what) if what.contains("egex") => {
            "regular expressions (/.../) are not supported".to_string()
        }
        E::UnsupportedQuery(what) => format!("it asks for something byline cannot search ({what})"),
        E::UnknownTokenizer { field, .. } => format!(
            "the field `{field}` cannot be searched by this version of byline; rebuild the index with `byline index`"
        ),
        other => format!("it could not be read ({other})"),
    };
    Error::Query(format!("cannot search for `{text}`: {why}"))
}
