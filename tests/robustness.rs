//! Nothing panics on user input: article files of every format and search
//! queries, built at random from pieces that reach the awkward paths
//! (unbalanced quotes and brackets, stray operators, dates out of range,
//! multi-byte characters cut anywhere, control characters, deep nesting),
//! and the sample archive's own articles edited at random.
//! Each input is run under `catch_unwind`, so a failure names the input that
//! panicked rather than only the panic.

use std::panic::{catch_unwind, AssertUnwindSafe};

use byline::enrich::{dates, entities};
use byline::search::query;
use byline::{ingest, Archive, Format, Granularity, IndexOptions, SearchRequest, Sort};

/// A fixed pseudo-random sequence, so that a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n
    }

    /// `count` pieces picked from `pieces`, joined.
    fn mix(&mut self, pieces: &[&str], count: usize) -> String {
        (0..count)
            .map(|_| pieces[self.below(pieces.len())])
            .collect()
    }
}

/// Fails with `input` named if `f` panics on it.
fn must_not_panic<T>(what: &str, input: &str, f: impl FnOnce() -> T) {
    if catch_unwind(AssertUnwindSafe(f)).is_err() {
        panic!("{what} panicked on input {input:?}");
    }
}

const TEXT_PIECES: &[&str] = &[
    "Home | News | Sport\n",
    "By Mira Castell, Reporter\n",
    "Published: 3 March 2025 09:15 GMT\n",
    "Updated 2025-13-45T99:99:99Z\n",
    "LONDON (Wire) — ",
    "The Ministry of Harbours said on Tuesday ",
    "Dr Anselm Voight-Ruiz of Nordlys Energy ",
    "in São Paulo, Zürich and Kraków. ",
    "“Quoted,” she said. ",
    "\u{feff}",
    "\u{0}\u{7}\u{1b}[0m",
    "é",
    "\u{1F600}",
    "\r\n",
    "\n\n",
    "\t",
    "Share this article\nCookie settings\n",
    "(",
    ")",
    "\"",
    "'s ",
    "A",
    "ÉÇ",
    "  ",
    "1999",
    "31/02/2026 ",
    "Rovers: Hale, Moss, Di Santo (Greco 70), ",
    "U.S. ",
    "&amp; ",
    "...",
];

const JSON_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"title\"",
    "\"text\"",
    "\"body\"",
    "\"published\"",
    "\"date_publish\"",
    "\"authors\"",
    "\"url\"",
    "\"id\"",
    "\"a headline\"",
    "\"2025-11-03T10:00:00Z\"",
    "\"not a date\"",
    "\"\\u00e9\\ud83d\\ude00\"",
    "\"\\ud800\"",
    "\"\\n\\n\"",
    "null",
    "true",
    "-0.5e999",
    "18446744073709551616",
    "{\"name\": \"Mira Castell\"}",
    "\"",
    "\\",
    "\n",
    " ",
    "é",
];

const HTML_PIECES: &[&str] = &[
    "<html>",
    "</html>",
    "<head>",
    "<title>Harbour talks resume</title>",
    "<meta property=\"article:published_time\" content=\"2025-11-03T10:00:00Z\">",
    "<meta name=\"author\" content=\"",
    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":",
    "</script>",
    "<body>",
    "<article>",
    "<p>",
    "</p>",
    "<nav>Home | News</nav>",
    "<div class=\"footer\">Cookies</div>",
    "Ministers from Norway met in Bergen. ",
    "<!--",
    "-->",
    "<![CDATA[",
    "&nbsp;&#x1F600;&#0;&#xD800;&bogus;",
    "<",
    ">",
    "\"",
    "é",
    "<table><tr><td>",
    "<img src=x onerror=1>",
];

const QUERY_PIECES: &[&str] = &[
    "harbour ",
    "talks ",
    "\"peace talks\" ",
    "\"",
    "person:",
    "-person:",
    "org:",
    "place:",
    "entity:",
    "person:\"Mira Castell\" ",
    "person:Castell ",
    "after:",
    "before:",
    "on:",
    "date:",
    "after:2025-11-01 ",
    "before:1900-01-01 ",
    "date:2025-02 ",
    "date:2025 ",
    "on:2025-02-30 ",
    "after:99999-01-01 ",
    "date:-5 ",
    "OR ",
    "AND ",
    "NOT ",
    "-",
    "+",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "*",
    "?",
    "~2 ",
    "^3 ",
    "title:",
    "body:",
    "nosuchfield:x ",
    ":",
    "\\",
    "é",
    "\u{1F600}",
    " ",
    "IN [a b] ",
    "O'Brien ",
    "'",
    "don't ",
    "Joneses' ",
    "'peace talks' ",
];

#[test]
fn readers_never_panic() {
    let mut rng = Rng(7);
    for _ in 0..3_000 {
        let n = rng.below(40);
        let text = rng.mix(TEXT_PIECES, n);
        let json = rng.mix(JSON_PIECES, n);
        let html = rng.mix(HTML_PIECES, n);
        must_not_panic("the text reader", &text, || {
            ingest::parse(Format::Txt, &text)
        });
        must_not_panic("the JSON reader", &json, || {
            ingest::parse(Format::Json, &json)
        });
        must_not_panic("the JSON Lines reader", &json, || {
            ingest::parse(Format::Jsonl, &json)
        });
        must_not_panic("the HTML reader", &html, || {
            ingest::parse(Format::Html, &html)
        });
        must_not_panic("entity extraction", &text, || entities::extract(&text));
        must_not_panic("date parsing", &text, || {
            let lines: Vec<&str> = text.lines().collect();
            (
                dates::parse_date(&text),
                dates::from_path(&text),
                dates::from_text(&lines),
            )
        });
        // Raw bytes, cut anywhere, including inside a multi-byte character.
        let bytes = &text.as_bytes()[..rng.below(text.len() + 1)];
        must_not_panic("decoding", &String::from_utf8_lossy(bytes), || {
            ingest::decode(bytes)
        });
    }
}

#[test]
fn queries_never_panic() {
    let mut rng = Rng(11);
    for _ in 0..20_000 {
        let n = rng.below(8);
        let q = rng.mix(QUERY_PIECES, n);
        must_not_panic("the query parser", &q, || query::parse(&q));
    }
}

/// Random articles in every format, indexed; then random queries with every
/// sort, a timeline and top entities. Errors are fine (a query can be
/// malformed); a panic is not.
#[test]
fn an_archive_of_random_files_answers_random_queries() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let mut rng = Rng(13);
    for k in 0..40 {
        let n = 5 + rng.below(40);
        let (name, content) = match k % 4 {
            0 => (format!("a{k}.txt"), rng.mix(TEXT_PIECES, n)),
            1 => (format!("a{k}.json"), rng.mix(JSON_PIECES, n)),
            2 => (format!("a{k}.jsonl"), rng.mix(JSON_PIECES, n)),
            _ => (format!("a{k}.html"), rng.mix(HTML_PIECES, n)),
        };
        std::fs::write(corpus.join(name), content).unwrap();
    }
    // A few files that are surely articles, so that queries have hits.
    std::fs::write(
        corpus.join("good.txt"),
        "Harbour talks resume in Bergen\n\nPublished: 3 March 2025\n\n\
         Dr Mira Castell of Nordlys Energy said the peace talks would resume.\n",
    )
    .unwrap();
    let archive = Archive::open_or_create(dir.path().join("index")).unwrap();
    let report = archive
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    assert!(report.indexed >= 1, "the good article was not indexed");
    let sorts = [Sort::Relevance, Sort::Date, Sort::Oldest, Sort::Recent];
    for i in 0..600 {
        let n = rng.below(6);
        let q = rng.mix(QUERY_PIECES, n);
        let mut req = SearchRequest::new(q.clone()).limit(1 + rng.below(20));
        req.offset = rng.below(5);
        req.sort = sorts[i % sorts.len()];
        req.snippet_chars = rng.below(300);
        must_not_panic("search", &q, || archive.search(&req));
        if i % 10 == 0 {
            must_not_panic("the timeline", &q, || {
                archive.timeline(&req, Granularity::Month)
            });
            must_not_panic("top entities", &q, || archive.top_entities(&req, 5));
        }
    }
    let hits = archive.search(&SearchRequest::new("talks")).unwrap();
    assert!(
        hits.hits.iter().any(|h| h.title.contains("Harbour")),
        "the good article is not found"
    );
}

/// Pieces spliced into real articles: the ends of listed names that the
/// extractor reads across ("'s", "-", " and "), and characters whose case
/// forms differ in length or count ("İ", "ß", "ǅ", "ﬁ", "Σ"), which break
/// code that assumes lowercasing keeps byte offsets.
const EDIT_PIECES: &[&str] = &[
    "'s ",
    "’s ",
    "'s",
    "-",
    " and ",
    "al-",
    "e",
    "Mc",
    "&",
    "U.S.",
    ".",
    "\n",
    "“",
    "—",
    "Co.",
    "Corp.",
    "İ",
    "ß",
    "ǅ",
    "ﬁ",
    "Σ",
    "ı",
    "\u{212a}",
    "\u{200d}",
    "\u{301}",
    "É",
    "ÉCOLE",
    " of ",
    " the ",
    "The ",
    "Mr ",
    "Dr ",
    "Sir ",
    "President ",
    "People's Republic of China",
    "Securities and ",
    "Exchange Commission",
    "eBay",
    "al-Qaeda",
    "Standard & Poor's",
    "McDonald's",
    "Port-au-",
    "Stoke-on-Trent",
    "-based",
    "3G",
    "I ",
    "UK ",
    "'",
    "’",
    "\"",
    "(",
    ")",
    ":",
    ";",
    "!",
    "?",
    ",",
    "  ",
    "\t",
    "\r\n",
    "\u{feff}",
    "\u{0}",
    "Łódź",
    "ΑΘΗΝΑ",
    "Straße",
    "ＡＢＣ",
    "🇬🇧",
    "van ",
    " v ",
    " beat ",
    " for ",
    " manager",
    " said",
    "Published: 3 March 2025\n",
    "19 April 2005",
    "<p>",
    "</p>",
    "{\"",
    "\":",
    "\\",
];

/// The char boundary at or before byte `p` of `s`.
fn boundary(s: &str, p: usize) -> usize {
    let mut p = p.min(s.len());
    while !s.is_char_boundary(p) {
        p -= 1;
    }
    p
}

/// `s`, edited at random: pieces inserted, spans deleted, spans upper- or
/// lowercased (which changes their length for some characters), cut short.
fn edit(rng: &mut Rng, s: &str) -> String {
    let mut s = s.to_string();
    for _ in 0..1 + rng.below(20) {
        let p = boundary(&s, rng.below(s.len() + 1));
        let e = boundary(&s, p + rng.below(40));
        match rng.below(6) {
            0..=2 => s.insert_str(p, EDIT_PIECES[rng.below(EDIT_PIECES.len())]),
            3 => s.replace_range(p..e, ""),
            4 => {
                let upper = s[p..e].to_uppercase();
                s.replace_range(p..e, &upper);
            }
            _ => {
                let lower = s[p..e].to_lowercase();
                s.replace_range(p..e, &lower);
            }
        }
    }
    if rng.below(5) == 0 {
        let cut = boundary(&s, rng.below(s.len() + 1));
        s.truncate(cut);
    }
    s
}

/// The sample archive's own articles, edited at random, through every
/// reader, entity extraction (whose spans must stay valid), date finding and
/// the query parser.
#[test]
fn edited_articles_never_panic() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&corpus).into_iter().flatten() {
        let path = entry.path();
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some("txt") => Format::Txt,
            Some("json") => Format::Json,
            Some("jsonl") => Format::Jsonl,
            Some("html") => Format::Html,
            _ => continue,
        };
        files.push((format, std::fs::read_to_string(path).unwrap()));
    }
    assert!(files.len() >= 40, "the sample archive is missing");
    let mut rng = Rng(17);
    for _ in 0..1_500 {
        let (format, original) = &files[rng.below(files.len())];
        let text = edit(&mut rng, original);
        must_not_panic("the reader of its format", &text, || {
            ingest::parse(*format, &text)
        });
        must_not_panic("the text reader", &text, || {
            ingest::parse(Format::Txt, &text)
        });
        must_not_panic("entity extraction", &text, || {
            for entity in entities::extract(&text) {
                for m in &entity.mentions {
                    assert!(m.start < m.end && m.end <= text.len());
                    assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                }
            }
        });
        must_not_panic("date finding", &text, || {
            let lines: Vec<&str> = text.lines().collect();
            dates::from_text(&lines)
        });
        let start = boundary(&text, rng.below(text.len() + 1));
        let end = boundary(&text, start + rng.below(50));
        let q = format!(
            "{}{}",
            QUERY_PIECES[rng.below(QUERY_PIECES.len())],
            &text[start..end]
        );
        must_not_panic("the query parser", &q, || query::parse(&q));
    }
}
