//! The query string of an API request, read by hand rather than through
//! axum's `Query`: a mistyped parameter (`sor=date`) is refused by name
//! instead of silently ignored, and every refusal is a JSON error that says
//! which parameter and why.

use std::collections::HashMap;

use super::Refusal;

/// The parameters of one request, each given at most once.
pub(super) struct Params {
    values: HashMap<String, String>,
}

impl Params {
    /// Reads `raw` (the part of the URL after `?`), refusing a parameter
    /// not in `allowed` or given twice.
    pub(super) fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params, Refusal> {
        let mut values = HashMap::new();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if !allowed.contains(&key.as_ref()) {
                let known = match allowed {
                    [] => "no parameters".to_string(),
                    _ => allowed.join(", "),
                };
                return Err(Refusal::bad(format!(
                    "unknown parameter `{key}`; this endpoint takes {known}"
                )));
            }
            // Decoding replaces bytes that are not UTF-8 with U+FFFD, which
            // would search for nothing and say nothing.
            if value.contains('\u{FFFD}') && !raw.unwrap_or("").contains("%EF%BF%BD") {
                return Err(Refusal::bad(format!(
                    "`{key}` is not UTF-8 text; encode the query as UTF-8"
                )));
            }
            if values.insert(key.to_string(), value.into_owned()).is_some() {
                return Err(Refusal::bad(format!(
                    "the parameter `{key}` is given twice"
                )));
            }
        }
        Ok(Params { values })
    }

    /// A text parameter, or `""` when absent.
    pub(super) fn text(&self, key: &str) -> &str {
        self.values.get(key).map(String::as_str).unwrap_or("")
    }

    /// A whole number from 0 to `max`, or `default` when absent.
    pub(super) fn number(&self, key: &str, default: usize, max: usize) -> Result<usize, Refusal> {
        let Some(raw) = self.values.get(key) else {
            return Ok(default);
        };
        match raw.trim().parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            Ok(_) => Err(Refusal::bad(format!("`{key}` is at most {max}"))),
            Err(_) => Err(Refusal::bad(format!(
                "`{key}` must be a whole number from 0 to {max}, not `{raw}`"
            ))),
        }
    }

    /// One of `choices`, or `None` when absent.
    pub(super) fn choice<T: Copy>(
        &self,
        key: &str,
        choices: &[(&str, T)],
    ) -> Result<Option<T>, Refusal> {
        let Some(raw) = self.values.get(key) else {
            return Ok(None);
        };
        match choices.iter().find(|(name, _)| name == raw) {
            Some(&(_, value)) => Ok(Some(value)),
            None => {
                let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
                Err(Refusal::bad(format!(
                    "`{key}` is one of {}, not `{raw}`",
                    names.join(", ")
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_the_endpoint_does_not_take_is_named_in_the_refusal() {
        let err = Params::parse(Some("q=x&sor=date"), &["q", "sort"])
            .err()
            .unwrap();
        assert!(err.message.contains("`sor`"), "{}", err.message);
        assert!(err.message.contains("q, sort"), "{}", err.message);
    }

    #[test]
    fn values_are_decoded_and_numbers_bounded() {
        let p = Params::parse(Some("q=person%3A%22Ana+Ruiz%22&n=20"), &["q", "n"]).unwrap();
        assert_eq!(p.text("q"), "person:\"Ana Ruiz\"");
        assert_eq!(p.number("n", 10, 100).unwrap(), 20);
        assert_eq!(p.number("offset", 0, 100).unwrap(), 0);
        assert!(p.number("n", 10, 5).is_err());
        let p = Params::parse(Some("n=-1"), &["n"]).unwrap();
        assert!(p
            .number("n", 10, 100)
            .err()
            .unwrap()
            .message
            .contains("`-1`"));
        assert!(Params::parse(Some("n=1&n=2"), &["n"]).is_err());
        let err = Params::parse(Some("x=1"), &[]).err().unwrap();
        assert!(
            err.message.ends_with("takes no parameters"),
            "{}",
            err.message
        );
        let err = Params::parse(Some("q=%FF"), &["q"]).err().unwrap();
        assert!(err.message.contains("not UTF-8"), "{}", err.message);
        // The replacement character itself, sent as UTF-8, is text.
        assert!(Params::parse(Some("q=%EF%BF%BD"), &["q"]).is_ok());
    }
}
