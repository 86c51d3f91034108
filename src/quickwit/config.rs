//! The Quickwit index config for byline's documents (`byline quickwit
//! config`), each field said once, here, for the user who reads the YAML.

/// The index config, YAML, for an index named `name`: the field list of
/// [`super::Document`], each field with what it is for. Quickwit reads
/// YAML with its comments (`POST /api/v1/indexes`, `content-type:
/// application/yaml`).
pub fn index_config(name: &str) -> String {
    // A name Quickwit refuses is refused when the config is posted, with
    // Quickwit's own message; here it is only kept from breaking the YAML.
    let name = serde_json::to_string(name).unwrap_or_else(|_| "\"byline\"".into());
    format!(
        r#"# A Quickwit index for articles indexed by byline (`byline quickwit config`).
# `byline quickwit push` creates the index with this config when it is missing,
# and sends each article as one document of these fields.
version: 0.8
index_id: {name}
doc_mapping:
  # A document with a field not listed here is refused: the list below is all
  # byline sends, and a typo should not become a field.
  mode: strict
  field_mappings:
    # byline's id for the article (its record's own id, else a hash of its
    # path): `id:` in a query, and how `push` deletes an article again.
    - name: id
      type: text
      tokenizer: raw
      stored: true
      fast: true
    # The file the article came from, `#KEY` for a record of a file of several.
    - name: path
      type: text
      tokenizer: raw
      stored: true
    # The article's URL, when its source gives one (stored only).
    - name: url
      type: text
      indexed: false
      stored: true
    # Headline, standfirst and body, cleaned of menus and footers, as the
    # reader sees them. Quickwit's `default` tokenizer (split on
    # non-alphanumerics, lowercase) for `title:`, `standfirst:` and `body:`
    # asked of Quickwit directly.
    - name: title
      type: text
      tokenizer: default
      record: position
      stored: true
    - name: standfirst
      type: text
      tokenizer: default
      record: position
      stored: true
    - name: body
      type: text
      tokenizer: default
      record: position
      stored: true
    # The same three as byline's index reads them: words stemmed (English)
    # and folded by byline before they are sent, one per position, split
    # here on spaces. This Quickwit has no stemmer; with these, "elections"
    # finds "election" as in byline, and Quickwit ranks by BM25 over the
    # terms byline ranks by. `search --quickwit` searches these, with byline's
    # weights (title 3, standfirst 1.5, body 1). Indexed only.
    - name: title_words
      type: text
      tokenizer: whitespace
      record: position
      stored: false
    - name: standfirst_words
      type: text
      tokenizer: whitespace
      record: position
      stored: false
    - name: body_words
      type: text
      tokenizer: whitespace
      record: position
      stored: false
    # The author(s) as written: `byline:` in a query.
    - name: byline
      type: text
      tokenizer: default
      record: position
      stored: true
    # When the article was published (UTC), as byline found it; undated
    # articles have none. Sorts by date and the timeline read it.
    - name: published
      type: datetime
      input_formats: [rfc3339]
      output_format: rfc3339
      fast: true
      fast_precision: seconds
      stored: true
    # The index's timestamp: `published`, or 1800-01-01 for an undated
    # article (Quickwit refuses a document without one). Date filters are
    # bounds on it, so a search reads only the splits of its period, and
    # never the undated.
    - name: timestamp
      type: datetime
      input_formats: [rfc3339]
      output_format: rfc3339
      fast: true
      fast_precision: seconds
      stored: false
    # Where the date came from: metadata, path, text or file-mtime.
    - name: date_source
      type: text
      tokenizer: raw
      stored: true
      fast: true
    # ISO 639-1 language code (`lang:` in a query; a facet).
    - name: language
      type: text
      tokenizer: raw
      stored: true
      fast: true
    # The input format the article was read from (txt, json, jsonl, html).
    - name: format
      type: text
      tokenizer: raw
      stored: true
      fast: true
    # The people, organisations and places the article names, canonical
    # names as byline shows them, most mentioned first: terms aggregations
    # on these give `byline entities` among the hits.
    - name: people
      type: array<text>
      tokenizer: raw
      stored: true
      fast: true
    - name: organizations
      type: array<text>
      tokenizer: raw
      stored: true
      fast: true
    - name: places
      type: array<text>
      tokenizer: raw
      stored: true
      fast: true
    # The salient ones: named in the headline or standfirst, or often; what
    # the article is about rather than a passing mention.
    - name: salient_people
      type: array<text>
      tokenizer: raw
      stored: true
      fast: true
    - name: salient_organizations
      type: array<text>
      tokenizer: raw
      stored: true
      fast: true
    - name: salient_places
      type: array<text>
      tokenizer: raw
      stored: true
      fast: true
    # The terms byline's own index matches `person:`, `org:` and `place:`
    # against (lowercase canonical names), the people's surnames (with
    # their particle: "van dam"), and the salient ones as `p:`, `o:`, `l:`
    # and `p:~SURNAME`: `search --quickwit` turns a filter into these, so it
    # finds the articles byline finds. Indexed only.
    - name: person
      type: array<text>
      tokenizer: raw_lowercase
      stored: false
    - name: org
      type: array<text>
      tokenizer: raw_lowercase
      stored: false
    - name: place
      type: array<text>
      tokenizer: raw_lowercase
      stored: false
    - name: surname
      type: array<text>
      tokenizer: raw_lowercase
      stored: false
    - name: salient
      type: array<text>
      tokenizer: raw_lowercase
      stored: false
    # The story the article is a copy of (the same text published again
    # within 3 days, as `byline duplicates` finds): the id of the story's
    # first copy, or the article's own id. Copies share it, so a client can
    # show a story once.
    - name: story
      type: text
      tokenizer: raw
      stored: true
      fast: true
    # xxh3 of the source bytes: `push` compares it to send only what changed.
    - name: content_hash
      type: text
      indexed: false
      stored: true
  timestamp_field: timestamp
search_settings:
  # Unqualified words search the text. Quickwit does not stem what it is
  # asked: ask for the stems (`body_words:elect`), or the words as written
  # in title, standfirst and body, as here; `search --quickwit` does the
  # former for you.
  default_search_fields: [title, standfirst, body]
indexing_settings:
  # Pushed articles are searchable within 10 s (a push waits for its last
  # batch to be). An article `push` deletes (changed or gone) stays until the
  # janitor applies the delete task to its split, which it does to mature
  # splits only: 48 h after a split is made, by Quickwit's default merge
  # policy; `merge_policy: {{type: stable_log, maturation_period: 1h}}` here
  # makes it sooner, at the cost of less merging.
  commit_timeout_secs: 10
"#
    )
}
