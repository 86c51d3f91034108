//! HTML pages: the main content found the way browsers' reader views find it
//! (a Readability port), with title, description, author and date from
//! `<meta>`, Open Graph, `article:` tags and JSON-LD, and `<time datetime>`
//! inside the page as the last metadata source.

use super::json::paragraphs;
use super::{squash, Draft};
use crate::enrich::dates;

/// The deepest nesting of elements a page may have. News pages nest a few
/// dozen deep. The HTML parser and the reader view recurse and rescan per
/// level: 10,000 nested `<div>`s took 12 s to read, 200,000 did not finish,
/// and 100,000 nested `<b><i>` overflowed the stack, which aborts the whole
/// run rather than losing one page.
const MAX_DEPTH: usize = 1_000;

/// The largest HTML page byline reads, in bytes (8 MB; other files may be
/// up to `--max-file-mb`). A page is parsed whole, and the parser and the
/// reader view take many times its size: about 20 times for a page of text,
/// and about 100 times for one of tiny elements (30 MB of unclosed
/// `<tr><td>` took 2.7 GB), which [`MAX_ELEMENTS`] bounds. News pages are
/// rarely over 2 MB.
pub const MAX_PAGE_BYTES: u64 = 8_000_000;

/// The most elements a page may have. Each costs the parser and the reader
/// view some 400 bytes whatever its size, so a page of tiny elements took
/// about 100 times its size in memory; 100,000 (a long news page has a few
/// thousand) cost at most some 40 MB.
pub const MAX_ELEMENTS: usize = 100_000;

/// Why a page over [`MAX_PAGE_BYTES`] is skipped: `size` is its size, or
/// `None` when it decompresses to more.
pub(crate) fn too_big(size: Option<u64>) -> String {
    let limit = super::decode::megabytes(MAX_PAGE_BYTES);
    let size = match size {
        Some(s) => format!(" (it is {})", super::decode::megabytes(s)),
        None => " once decompressed".into(),
    };
    format!(
        "HTML page over {limit}{size}; a page is parsed whole, into many times its size of memory"
    )
}

/// Parses an HTML page, refused when it is over [`MAX_PAGE_BYTES`], has more
/// than [`MAX_ELEMENTS`] elements, or nests them more than `MAX_DEPTH` deep.
pub fn parse(html: &str) -> Result<Draft, String> {
    if html.len() as u64 > MAX_PAGE_BYTES {
        return Err(too_big(Some(html.len() as u64)));
    }
    let shape = shape(html, MAX_DEPTH + 1, MAX_ELEMENTS + 1);
    if shape.depth > MAX_DEPTH {
        return Err(format!(
            "elements nested more than {MAX_DEPTH} deep, the most byline reads"
        ));
    }
    if shape.elements > MAX_ELEMENTS {
        return Err(format!(
            "more than {MAX_ELEMENTS} elements in the page, the most byline reads"
        ));
    }
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut reader =
        dom_smoothie::Readability::new(html, None, Some(cfg)).map_err(|e| e.to_string())?;
    let meta = reader.get_article_metadata(reader.parse_json_ld());
    let mut draft = Draft::default();
    let a = &mut draft.article;
    a.title = clean_title(&meta.title, meta.site_name.as_deref());
    a.standfirst = meta.excerpt.as_deref().map(squash).unwrap_or_default();
    a.byline = meta
        .byline
        .as_deref()
        .map(|b| squash(b.trim_start_matches("By ").trim_start_matches("by ")))
        .filter(|b| !b.is_empty());
    if a.byline.is_none() {
        a.byline = byline_element(&reader.doc);
    }
    a.language = meta.lang.filter(|l| !l.is_empty());
    a.url = meta.url.filter(|u| !u.is_empty());
    a.published = meta.published_time.as_deref().and_then(dates::parse_date);
    // A page that marks its story with <article> says where the text is; a
    // reader-view heuristic is for pages that do not. The reader's parse of
    // the page serves both: parsing was most of the time spent on a page.
    a.body = match article_text(&reader.doc) {
        Article::Text(text) => text,
        found => {
            if found == Article::Empty {
                // Reading the article removed page furniture from the
                // document: the reader view starts from the page as it is.
                reader = dom_smoothie::Readability::new(html, None, Some(reader.config.clone()))
                    .map_err(|e| e.to_string())?;
            }
            match reader.parse() {
                Ok(page) => paragraphs(&page.text_content),
                Err(_) => paragraphs(&visible_text(html, "body")),
            }
        }
    };
    if a.published.is_none() {
        a.published = time_datetime(html).and_then(|v| dates::parse_date(&v));
    }
    // The page repeats headline and standfirst inside the article, each a
    // paragraph of its own. A description cut short ("... Principal Tamara
    // Whi", or "... Principal…") is the start of the first paragraph: that
    // paragraph stays whole, and the cut copy is no standfirst.
    for (lead, is_standfirst) in [(a.title.clone(), false), (a.standfirst.clone(), true)] {
        if lead.is_empty() {
            continue;
        }
        match a.body.strip_prefix(lead.as_str()) {
            Some(rest) if rest.is_empty() || rest.starts_with('\n') => {
                a.body = rest.trim_start().to_string();
            }
            Some(_) if is_standfirst => a.standfirst.clear(),
            Some(_) => {}
            None if is_standfirst => {
                let cut = lead.trim_end_matches(['…', '.']).trim_end();
                if cut.len() < lead.len() && cut.len() >= 20 && a.body.starts_with(cut) {
                    a.standfirst.clear();
                }
            }
            None => {}
        }
    }
    // A page of menus and footers alone is no article, as a text file of
    // them is not.
    let only_debris = a.body.lines().all(super::text::is_debris);
    if a.title.is_empty() && only_debris {
        return Err("no title or article text in the page".into());
    }
    Ok(draft)
}

/// How deep the page's elements nest, as [`shape`] measures it.
#[cfg(test)]
fn nesting_depth(html: &str, cap: usize) -> usize {
    shape(html, cap, usize::MAX).depth
}

/// What [`shape`] measured of a page.
struct Shape {
    /// How deep its elements nest.
    depth: usize,
    /// How many elements it opens, of every kind.
    elements: usize,
}

/// How many elements the page opens, up to `element_cap` (every kind: each
/// costs the parser alike), and how deep they nest, up to `depth_cap`, from
/// its tags alone. An opening tag goes one level down, and a closing tag
/// back up to the level of the element it closes, closing what was left
/// open inside it as a parser does (`<div><span>x</div>`). Elements that
/// never hold others (`<br>`, `<img>`, ...) and those the parser closes by
/// itself when the next one starts (`<p>`, `<li>`, `<td>`, ...) are not
/// counted in the depth, so pages that leave them open are not taken for
/// deep ones; nor is the text of scripts, styles, comments and titles,
/// which may hold anything.
fn shape(html: &str, depth_cap: usize, element_cap: usize) -> Shape {
    let b = html.as_bytes();
    let mut open: Vec<&[u8]> = Vec::new();
    let mut deepest = 0;
    let mut elements = 0;
    let mut i = 0;
    while let Some(at) = b[i..].iter().position(|&c| c == b'<') {
        i += at + 1;
        let rest = &b[i..];
        if rest.starts_with(b"!--") {
            i += comment_end(rest);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_at = usize::from(closing);
        let name_len = rest[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !rest[name_at].is_ascii_alphabetic() {
            continue;
        }
        let name = &rest[name_at..name_at + name_len];
        let is = |set: &[&[u8]]| set.iter().any(|n| n.eq_ignore_ascii_case(name));
        if !closing {
            elements += 1;
            if elements >= element_cap {
                break;
            }
        }
        if !closing && is(RAW_TEXT) {
            let mut end = b"</".to_vec();
            end.extend_from_slice(name);
            i += find_ignore_case(rest, &end).unwrap_or(rest.len());
            continue;
        }
        if is(LEAF_OR_SELF_CLOSED) {
            continue;
        }
        // A tag without its '>' ends where the next one starts: searching on
        // to the end for each of many such tags took quadratic time.
        let tag_end = memchr::memchr2(b'>', b'<', rest).unwrap_or(rest.len());
        if closing {
            // A closing tag for nothing open is ignored, as parsers do.
            if let Some(k) = open.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                open.truncate(k);
            }
        } else if !rest[..tag_end].ends_with(b"/") {
            open.push(name);
            deepest = deepest.max(open.len());
            if deepest >= depth_cap {
                break;
            }
        }
        i += tag_end;
    }
    Shape {
        depth: deepest,
        elements,
    }
}

/// Elements left out of [`nesting_depth`]: the void ones, which hold
/// nothing, and those an HTML parser closes when a sibling starts.
const LEAF_OR_SELF_CLOSED: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"option",
    b"optgroup",
    b"tr",
    b"td",
    b"th",
    b"thead",
    b"tbody",
    b"tfoot",
    b"rt",
    b"rp",
    b"colgroup",
    b"caption",
];

/// Elements whose content is text to the parser, whatever it looks like.
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"title",
    b"textarea",
    b"xmp",
    b"noembed",
    b"noframes",
];

/// Where the comment `rest` opens ends: at its first "-->", or "--!>" as
/// parsers allow. One pass: looking for each ending in turn searched to the
/// end of the page for the one a comment did not use, for every comment.
fn comment_end(rest: &[u8]) -> usize {
    let mut k = 0;
    while let Some(at) = memchr::memchr(b'-', &rest[k..]) {
        let p = k + at;
        if rest[p..].starts_with(b"-->") || rest[p..].starts_with(b"--!>") {
            return p;
        }
        k = p + 1;
    }
    rest.len()
}

fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Drops a " | Site Name" or " - Site Name" suffix from a page title.
fn clean_title(title: &str, site: Option<&str>) -> String {
    let t = squash(title);
    for sep in [" | ", " – ", " — ", " - ", " :: "] {
        if let Some((head, tail)) = t.rsplit_once(sep) {
            let is_site = site.is_some_and(|s| s.eq_ignore_ascii_case(tail.trim()));
            if is_site || (sep == " | " && tail.split_whitespace().count() <= 4) {
                return head.trim().to_string();
            }
        }
    }
    t
}

/// The `datetime` attribute of the first `<time>` element.
fn time_datetime(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<time")?;
    let tag_end = start + lower[start..].find('>')?;
    let tag = &html[start..tag_end];
    let at = tag.to_ascii_lowercase().find("datetime=")? + "datetime=".len();
    let rest = &tag[at..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        rest[1..].split(quote).next().map(str::to_string)
    } else {
        rest.split_whitespace().next().map(str::to_string)
    }
}

/// The byline the page shows ("By Jerome Castillo · 22 April 2024"), for a
/// page whose metadata names no author: the first element of a byline class
/// or marked as the author that reads as a byline, in the story's
/// `<article>` before the rest of the page, without the date or what a
/// separator sets apart.
fn byline_element(doc: &dom_query::Document) -> Option<String> {
    ["article", "body"].into_iter().find_map(|scope| {
        let sel =
            format!("{scope} [class*=byline], {scope} [rel=author], {scope} [itemprop=author]");
        doc.select(&sel).iter().find_map(|node| {
            let mut text = squash(&node.text());
            for time in node.select("time").iter() {
                let t = squash(&time.text());
                if !t.is_empty() {
                    text = text.replace(t.as_str(), "\n");
                }
            }
            let first = text.split(['·', '|', '•', '—', '–', '\n']).next()?;
            let name = first.trim().trim_end_matches([',', '-']).trim_end();
            super::text::byline_of(name).filter(|b| !b.chars().any(|c| c.is_ascii_digit()))
        })
    })
}

/// What a page's `<article>` element gave.
#[derive(Debug, PartialEq)]
enum Article {
    /// The paragraphs of the page's single `<article>`.
    Text(String),
    /// No single `<article>` with two paragraphs or more; `doc` untouched.
    None,
    /// An `<article>` with no text once furniture was removed from `doc`.
    Empty,
}

/// The paragraphs of the page's single `<article>` element, when it has one
/// with at least two paragraphs.
fn article_text(doc: &dom_query::Document) -> Article {
    if doc.select("article").length() != 1 || doc.select("article p").length() < 2 {
        return Article::None;
    }
    let text = paragraphs(&visible_text_of(doc, "article"));
    if text.is_empty() {
        Article::Empty
    } else {
        Article::Text(text)
    }
}

/// The text of an HTML page without tags, scripts and styles; block elements
/// become paragraph breaks.
fn visible_text(html: &str, scope: &str) -> String {
    visible_text_of(&dom_query::Document::from(html), scope)
}

fn visible_text_of(doc: &dom_query::Document, scope: &str) -> String {
    doc.select("script, style, noscript, nav, header, footer, aside, figure, form, button")
        .remove();
    // Page furniture that sits inside the story's markup.
    doc.select(
        "[class*=kicker], [class*=byline], [class*=share], [class*=related], [class*=newsletter], \
         [class*=promo], [class*=caption], [class*=tags], [class*=breadcrumb], [class*=dateline-meta]",
    )
    .remove();
    let mut out = String::new();
    let sel = format!("{scope} h2, {scope} h3, {scope} p, {scope} li, {scope} blockquote");
    for node in doc.select(&sel).iter() {
        // A quote made of paragraphs is read through its paragraphs.
        if node.is("blockquote") && node.select("p").length() > 0 {
            continue;
        }
        let t = squash(&node.text());
        if !t.is_empty() {
            out.push_str(&t);
            out.push_str("\n\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_suffix_is_dropped() {
        assert_eq!(
            clean_title("Talks resume | Harbour Times", None),
            "Talks resume"
        );
        assert_eq!(
            clean_title("Talks resume - Harbour Times", Some("Harbour Times")),
            "Talks resume"
        );
        assert_eq!(
            clean_title("Gas - the long goodbye", None),
            "Gas - the long goodbye"
        );
    }

    /// An `<article>` holding only furniture (here, captions) gives no text:
    /// the reader view then reads the page, from its markup as it was.
    #[test]
    fn article_of_furniture_falls_back_to_the_reader_view() {
        let story: String = [
            "The harbour board voted on Tuesday to extend the ferry pier by forty metres, after two years of delays and three rounds of consultation with residents.",
            "Work is to start in the spring, the board said, and the pier will stay open to foot passengers throughout, with a temporary landing stage for the island boats.",
            "Fishermen who use the inner basin asked for a second crane, which the board agreed to study; a report on the cost is due before the summer recess.",
            "The extension is paid for by port fees and a loan from the county, which the board expects to repay within fifteen years from the rise in traffic.",
        ]
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
        let html = format!(
            "<html><head><title>Pier vote</title></head><body>\
             <article><figure><p>Photo: the pier</p><p>Photo: the basin</p></figure></article>\
             <div class=\"story\">{story}</div></body></html>"
        );
        let draft = parse(&html).expect("the page parses");
        assert!(
            draft.article.body.contains("extend the ferry pier"),
            "{}",
            draft.article.body
        );
        assert!(
            !draft.article.body.contains("Photo:"),
            "{}",
            draft.article.body
        );
    }

    /// A story page: `head` in its head, a byline line, then `paras`.
    fn story_page(head: &str, byline: &str, paras: &[&str]) -> String {
        let body: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
        format!(
            "<html><head><title>Ferry fares rise | Harbour Times</title>{head}</head><body>\
             <nav><a href=\"/\">Home</a></nav><article><h1>Ferry fares rise</h1>\
             {byline}{body}</article><footer>Contact us</footer></body></html>"
        )
    }

    const LEDE: &str = "Ferry fares on the island route rise by a tenth in May, the operator \
                        Kestrel Lines said on Tuesday, blaming fuel and the new quay dues.";
    const SECOND: &str = "Islanders said the rise would fall hardest on those who commute.";

    /// Sites cut their description to a length, often mid-word: the cut copy
    /// is the start of the lede, which stays whole, and no standfirst.
    #[test]
    fn a_description_cut_short_leaves_the_lede_whole() {
        for cut in [
            &LEDE[..70],
            &format!("{}…", &LEDE[..64]),
            &format!("{}...", &LEDE[..64]),
        ] {
            let head = format!("<meta name=\"description\" content=\"{cut}\">");
            let a = parse(&story_page(&head, "", &[LEDE, SECOND]))
                .unwrap()
                .article;
            assert_eq!(a.body, format!("{LEDE}\n\n{SECOND}"), "{cut}");
            assert_eq!(a.standfirst, "", "{cut}");
        }
        // Whole, the description repeated as the first paragraph is the
        // standfirst, once.
        let head = format!("<meta name=\"description\" content=\"{LEDE}\">");
        let a = parse(&story_page(&head, "", &[LEDE, SECOND]))
            .unwrap()
            .article;
        assert_eq!((a.standfirst.as_str(), a.body.as_str()), (LEDE, SECOND));
        // A description of its own is the standfirst, and the text is whole.
        let own = "Second rise in a year as the island route loses money.";
        let head = format!("<meta name=\"description\" content=\"{own}\">");
        let a = parse(&story_page(&head, "", &[LEDE, SECOND]))
            .unwrap()
            .article;
        assert_eq!(a.standfirst, own);
        assert_eq!(a.body, format!("{LEDE}\n\n{SECOND}"));
    }

    /// A headline that is the first words of the lede is not cut from it.
    #[test]
    fn a_headline_is_cut_only_as_a_paragraph_of_its_own() {
        let lede = "Ferry fares rise on the island route again, the operator said.";
        let a = parse(&story_page("", "", &[lede, SECOND])).unwrap().article;
        assert_eq!(a.title, "Ferry fares rise");
        assert_eq!(a.body, format!("{lede}\n\n{SECOND}"));
    }

    /// With no author in the page's metadata, the byline the page shows.
    #[test]
    fn the_byline_shown_on_the_page_is_read() {
        for (line, want) in [
            (
                "<p class=\"byline\">By Nia Okafor &middot; <time datetime=\"2024-04-22\">April 22, 2024</time></p>",
                Some("Nia Okafor"),
            ),
            ("<div class=\"article-byline\">by Tomas Lind | Harbour desk</div>", Some("Tomas Lind")),
            ("<span rel=\"author\">Ines Varga</span>", Some("Ines Varga")),
            ("<p class=\"byline\">Updated 22 April 2024</p>", None),
        ] {
            let a = parse(&story_page("", line, &[LEDE, SECOND])).unwrap().article;
            assert_eq!(a.byline.as_deref(), want, "{line}");
            assert_eq!(a.body, format!("{LEDE}\n\n{SECOND}"), "{line}");
        }
        // An authorship link in the head says nothing; a byline of another
        // story beside the article is not this one's.
        let head = "<link rel=\"author\" href=\"https://example.org/staff\">";
        let line = "<p class=\"byline\">By Nia Okafor</p>";
        let page = story_page(head, line, &[LEDE, SECOND]).replace(
            "<article>",
            "<aside><p class=\"byline\">By Dana Roe</p></aside><article>",
        );
        let a = parse(&page).unwrap().article;
        assert_eq!(a.byline.as_deref(), Some("Nia Okafor"));
        let head = "<meta name=\"author\" content=\"Ruth Abara\">";
        let line = "<p class=\"byline\">By Nia Okafor</p>";
        let a = parse(&story_page(head, line, &[LEDE, SECOND]))
            .unwrap()
            .article;
        assert_eq!(a.byline.as_deref(), Some("Ruth Abara"));
    }

    #[test]
    fn nesting_is_measured_from_the_tags() {
        let depth =
            |inner: &str| nesting_depth(&format!("<html><body>{inner}</body></html>"), 5_000);
        assert_eq!(depth("<div><div><p>x</p></div></div>"), 4);
        // Paragraphs, list items and void elements left open are no depth,
        // nor are elements left open inside one that is closed.
        assert_eq!(depth(&"<p>para<br><img src=x><li>item".repeat(5_000)), 2);
        assert_eq!(depth(&"<div><span>Bob</div>".repeat(3_000)), 4);
        assert_eq!(
            depth(&"<table><tr><td><font size=2>3-1</td></table>".repeat(3_000)),
            4
        );
        assert_eq!(depth(&"</div></span>".repeat(3_000)), 2);
        // Nor is markup inside scripts, styles, comments and titles.
        let hidden = "<script>if (a<b) { x = '<div><div>'; }</script><style>p<q{}</style>\
                      <!-- <div><div> --><!-- <div> --!><title><b><b></title><TEXTAREA><div></textarea>";
        assert_eq!(depth(&hidden.repeat(3_000)), 2);
        // Tags in any case; self-closed ones hold nothing.
        assert_eq!(depth("<DIV><Div><svg><path/><path/></svg></div></DIV>"), 5);
        assert_eq!(nesting_depth("a < b and c<1 <", 10), 0);
        // Counting stops at the cap.
        assert_eq!(nesting_depth(&"<div>".repeat(100_000), 1_001), 1_001);
        // Many comments, and many tags that never close: read in one pass
        // (they took quadratic time: 43 s for a page of 726 KB).
        assert_eq!(depth(&"<p>Herons wait.</p><!-- c -->".repeat(40_000)), 2);
        assert_eq!(depth(&"<p>Herons wait.</p><!-- c --!>".repeat(40_000)), 2);
        // (Each counts, up to the cap.)
        assert_eq!(depth(&"<div".repeat(200_000)), 5_000);
    }

    #[test]
    fn a_comment_ends_at_its_first_ending() {
        assert_eq!(comment_end(b"!-- a - b -- c --> d -->"), 15);
        assert_eq!(comment_end(b"!-- a --!> b -->"), 6);
        assert_eq!(comment_end(b"!-->"), 1);
        assert_eq!(comment_end(b"!-- never closed"), 16);
    }

    #[test]
    fn a_page_nested_too_deep_is_refused_quickly() {
        let deep = |open: &str, close: &str, n: usize| {
            format!(
                "<html><head><title>Deep</title></head><body>{}<p>Harbour talks resume.</p><p>Again.</p>{}</body></html>",
                open.repeat(n),
                close.repeat(n)
            )
        };
        // Unread, these took minutes or overflowed the stack.
        for page in [
            deep("<div>", "</div>", 200_000),
            deep("<b><i>", "", 100_000),
        ] {
            let err = parse(&page).unwrap_err();
            assert!(err.contains("nested more than 1000"), "{err}");
        }
        let fine = deep("<div>", "</div>", 200);
        assert!(parse(&fine)
            .unwrap()
            .article
            .body
            .contains("Harbour talks resume"));
    }

    #[test]
    fn a_page_of_menus_alone_is_no_article() {
        let err = parse("<html><body><nav>Menu</nav><footer>Subscribe</footer></body></html>")
            .unwrap_err();
        assert!(err.contains("no title or article text"), "{err}");
        let titled = parse(
            "<html><head><title>Ferry fares rise</title></head><body><nav>Menu</nav></body></html>",
        );
        assert_eq!(titled.unwrap().article.title, "Ferry fares rise");
    }

    #[test]
    fn time_element_is_found() {
        let html = r#"<p>x</p><time class="d" datetime="2025-06-01T10:00:00Z">1 June</time>"#;
        assert_eq!(time_datetime(html).as_deref(), Some("2025-06-01T10:00:00Z"));
    }
}
