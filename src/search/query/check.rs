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

/// A syntax error in `text`, with the likeliest cause named.
fn syntax(text: &str) -> Error {
    let words: Vec<&str> = text.split_whitespace().collect();
    let operator = |w: &&str| matches!(*w, "AND" | "OR" | "&&" | "||");
    let (mut depth, mut unopened, mut quoted) = (0i64, false, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                unopened |= depth < 0;
            }
            _ => {}
        }
    }
    let why = if words.first().is_some_and(operator)
        || words.last().is_some_and(operator)
        || words.windows(2).any(|p| operator(&p[0]) && operator(&p[1]))
    {
        "AND and OR need a word on each side".to_string()
    } else if let Some(w) = words.iter().find(|w| w.ends_with(':')) {
        format!("`{w}` names a field but no word to find in it, as in title:ferry")
    } else if unopened {
        "a `)` closes no `(`".into()
    } else if depth > 0 {
        "a `(` is not closed; add the `)`".into()
    } else if text.contains('^') {
        "a boost is a number after a word or group, as in talks^2".into()
    } else {
        "check its brackets, quotes and operators (AND, OR, -, +, ^2, ~1); to search for symbols as text, put them in quotes".into()
    };
    Error::Query(format!("cannot read `{text}`: {why}"))
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
