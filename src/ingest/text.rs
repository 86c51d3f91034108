//! Scraped plain-text pages: a headline, a standfirst, body paragraphs and a
//! byline, wrapped in whatever the scraper picked up from the page around them
//! (menu items, "ON NOW", stray letters, share buttons, "Follow us on:").
//!
//! The page is split into blocks at blank lines. Leading lines are debris
//! until the first line that reads like a headline; trailing blocks are
//! footer debris and a byline, peeled off from the end. Date lines and
//! "By ..." lines near the top are taken out of the text and used.

use super::{squash, Draft};
use crate::article::Article;
use crate::enrich::dates;

/// Interface text that scrapers pick up and that is never part of an article.
const DEBRIS: &[&str] = &[
    "on now",
    "live",
    "watch live",
    "menu",
    "search",
    "home",
    "share",
    "share this",
    "share this article",
    "share on facebook",
    "share on twitter",
    "advertisement",
    "advert",
    "sponsored",
    "skip to content",
    "skip to main content",
    "sign in",
    "log in",
    "subscribe",
    "newsletter",
    "sign up",
    "follow us",
    "follow us on",
    "related",
    "related stories",
    "related articles",
    "more on this story",
    "most read",
    "read more",
    "back to top",
    "print",
    "email",
    "comments",
    "close",
    "open menu",
    "accept cookies",
    "accept all",
    "top stories",
    "latest",
    "trending",
    "listen",
    "watch",
    "next",
    "previous",
];

/// True for a line that is interface text rather than article text.
pub fn is_debris(line: &str) -> bool {
    let l = line.trim();
    if l.is_empty() {
        return true;
    }
    let lower = l
        .trim_end_matches([':', '.', '›', '»', '>'])
        .trim()
        .to_lowercase();
    if DEBRIS.contains(&lower.as_str()) {
        return true;
    }
    if l.starts_with('©')
        || lower.starts_with("copyright")
        || lower.starts_with("all rights reserved")
    {
        return true;
    }
    let words = l.split_whitespace().count();
    // Language pickers and bullets: "• en", "· EN".
    if (l.starts_with('•') || l.starts_with('·') || l.starts_with('|')) && words <= 3 {
        return true;
    }
    // Stray letters and icons.
    l.chars().filter(|c| c.is_alphanumeric()).count() <= 2 && words <= 2
}

/// A label over links to other stories, which close a page: "Related
/// stories", "More from Shropshire Live".
fn is_footer_label(line: &str) -> bool {
    let lower = line
        .trim()
        .trim_end_matches([':', '.', '›', '»', '>'])
        .trim()
        .to_lowercase();
    FOOTER_LABELS.contains(&lower.as_str())
        || lower.starts_with("more from ") && lower.split_whitespace().count() <= 6
}

/// Labels of the lists of other stories under an article.
const FOOTER_LABELS: &[&str] = &[
    "related",
    "related stories",
    "related articles",
    "related content",
    "related links",
    "related topics",
    "more on this story",
    "more stories",
    "most read",
    "most popular",
    "top stories",
    "trending",
    "you may also like",
    "recommended",
    "read next",
];

/// Lines of a paragraph of prose: five words or more, ending as a sentence
/// does. Headlines of other stories, in a list, end without a full stop.
fn is_prose(lines: &[&str]) -> bool {
    let text = lines
        .iter()
        .copied()
        .filter(|l| !is_debris(l))
        .collect::<Vec<_>>()
        .join(" ");
    let text = text.trim_end();
    text.split_whitespace().count() >= 5 && text.ends_with(['.', '!', '"', '”', '’'])
}

/// A headline has some length to it; menu items and stray words do not.
fn is_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    // Chinese and Japanese put no spaces between words: six characters
    // make a headline ("港口工人罢工").
    let cjk = || line.chars().filter(|c| crate::stem::is_cjk(*c)).count() >= 6;
    !is_debris(line) && (words >= 4 || line.chars().count() >= 25 || cjk())
}

/// A short headline ("US manufacturing expands", "Profile: Gordon Brown"):
/// two or three words, the line at `i` of `block`, right above a paragraph
/// of prose: the next block, or the rest of its own after its date and
/// "By" lines ("Ferry strike\n3 March 2024\nCrews walked out ..."), with
/// nothing but debris and dates before it in its block. A menu line or a
/// kicker ("Cost of living") is followed by more
/// menu or by the headline, and a headline does not end as a sentence of
/// prose does: with a full stop, or a quote closed after one. A question
/// or a quote closed after a word ends headlines more often than ledes.
fn is_short_headline(block: &[&str], i: usize, next: Option<&[&str]>) -> bool {
    let line = block[i];
    let dateline_or_by = |l: &&str| dates::date_line(l).is_some() || l.starts_with("By ");
    if !block[..i].iter().all(|l| is_debris(l) || dateline_or_by(l)) {
        return false;
    }
    let after: Vec<&str> = block[i + 1..]
        .iter()
        .copied()
        .filter(|l| !dateline_or_by(l))
        .collect();
    let words: Vec<&str> = line.split_whitespace().collect();
    let prose = |b: &[&str]| {
        let text = b.join(" ");
        let mut tail = text.trim_end().chars().rev();
        let ends_as_prose = match tail.next() {
            Some('.' | '!') => true,
            Some('"' | '”' | '’' | '\'') => matches!(tail.next(), Some('.' | '!' | '?' | ',')),
            _ => false,
        };
        ends_as_prose && text.split_whitespace().count() >= 8 && !is_debris(&text)
    };
    // "Monday 4 December": a date line without its year.
    let calendar = |w: &&str| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        let digits = |n: &str| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit());
        digits(&w)
            || dates::month_or_weekday(&w)
            || ["st", "nd", "rd", "th"]
                .iter()
                .any(|s| w.strip_suffix(s).is_some_and(digits))
    };
    (2..=3).contains(&words.len())
        && line.chars().next().is_some_and(char::is_uppercase)
        && line.chars().filter(|c| c.is_alphabetic()).count() >= 8
        && !words.iter().all(calendar)
        && !line.to_lowercase().contains("agencies")
        && !is_debris(line)
        // A line in capitals above prose is a wire headline ("COFFEE TALKS
        // COLLAPSE"), though its words would pass for a name.
        && (byline_of(line).is_none() || in_capitals(line))
        && if after.is_empty() {
            next.is_some_and(prose)
        } else {
            prose(&after)
        }
}

/// A wire headline in capitals ("HARBIN SOYBEAN REVIEW", "SOYBEANS") of
/// any length, right above prose in its block or the next: the line at `i`
/// of `block`. Its words are too few for [`is_headline`], and when the
/// lede follows in the same block [`is_short_headline`] does not look.
/// A menu in capitals ("NEWS", "WEATHER") sits above more menu or a
/// headline, not above a sentence.
fn is_caps_headline(block: &[&str], i: usize, next: Option<&[&str]>) -> bool {
    let line = block[i];
    let after: &[&str] = match &block[i + 1..] {
        [] => next.unwrap_or(&[]),
        rest => rest,
    };
    let text = after.join(" ");
    let words = text.split_whitespace().count();
    in_capitals(line)
        && line.chars().filter(|c| c.is_alphabetic()).count() >= 4
        && line.split_whitespace().count() <= 15
        && !is_debris(line)
        && !line.starts_with("BY ")
        && dates::date_line(line).is_none()
        && !in_capitals(&text)
        && words >= 8
        && text.trim_end().ends_with(['.', '!', '"', '”', '’'])
}

/// Capital letters, and none lowercase. (Chinese and Japanese have no
/// capitals: their lines are never "in capitals".)
fn in_capitals(line: &str) -> bool {
    line.chars().any(char::is_uppercase) && !line.chars().any(char::is_lowercase)
}

/// A byline: "By Jane Doe", "Jane Doe", "Jane Doe and John Roe", "Staff reporter".
pub fn byline_of(line: &str) -> Option<String> {
    let l = line.trim();
    let l = l
        .strip_prefix("By ")
        .or_else(|| l.strip_prefix("by "))
        .or_else(|| l.strip_prefix("BY "))
        .or_else(|| l.strip_prefix("Reporting by "))
        .or_else(|| l.strip_prefix("Written by "))
        .unwrap_or(l)
        .trim();
    let words: Vec<&str> = l.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 8
        || l.chars().count() > 60
        || l.contains(['.', '!', '?', ':', ';', '"', '“', '”'])
        || !l.chars().next().is_some_and(char::is_uppercase)
        || is_debris(l)
    {
        return None;
    }
    let joiners = [
        "and",
        "&",
        "de",
        "da",
        "van",
        "von",
        "der",
        "bin",
        "al",
        "la",
        "le",
        "reporter",
        "correspondent",
        "editor",
        "staff",
        "in",
    ];
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    let ok = words.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            || joiners.contains(&w.trim_end_matches(',').to_lowercase().as_str())
    });
    (ok && capitalised >= 1 && (words.len() >= 2 || l.contains('-'))).then(|| l.to_string())
}

/// The page's lines, trimmed, in blocks apart by blank lines; or, for text
/// unwrapped, a block a line: its paragraphs are lines, and the breaks left
/// were meant (a list item, a table row), not to be glued.
fn split_blocks(text: &str, unwrapped: bool) -> Vec<Vec<&str>> {
    let lines = text
        .split('\n')
        .map(|l| l.trim_end_matches('\r').trim())
        .collect::<Vec<_>>();
    if unwrapped {
        return lines
            .into_iter()
            .filter(|l| !l.is_empty())
            .map(|l| vec![l])
            .collect();
    }
    lines
        .split(|l| l.is_empty())
        .filter(|b| !b.is_empty())
        .map(<[&str]>::to_vec)
        .collect()
}

/// Parses a scraped page.
pub fn parse(text: &str) -> Result<Draft, String> {
    let blocks = split_blocks(text, false);
    let mut draft = Draft::default();
    let mut byline: Option<String> = None;

    // Everything up to the headline: debris, date lines and "By" lines.
    let mut lines = blocks
        .iter()
        .enumerate()
        .flat_map(|(b, block)| block.iter().enumerate().map(move |(i, l)| (b, i, *l)));
    let mut title_at = None;
    for (b, i, line) in lines.by_ref() {
        let next = blocks.get(b + 1).map(Vec::as_slice);
        let short = || is_short_headline(&blocks[b], i, next);
        let caps = || is_caps_headline(&blocks[b], i, next);
        if (is_headline(line) || short() || caps())
            && dates::date_line(line).is_none()
            && !line.starts_with("By ")
        {
            title_at = Some((b, i));
            break;
        }
        if let Some(ts) = dates::date_line(line) {
            draft.text_date.get_or_insert(ts);
        } else if line.starts_with("By ") {
            byline = byline_of(line);
        }
    }
    let Some((tb, ti)) = title_at else {
        return Err("no headline or text found".into());
    };
    // A headline in capitals wrapped over lines of its block is one title.
    let first = blocks[tb][ti];
    let mut title = first;
    for line in &blocks[tb][ti + 1..] {
        if !(in_capitals(title) && in_capitals(line)) {
            break;
        }
        let start = first.as_ptr() as usize - text.as_ptr() as usize;
        let end = line.as_ptr() as usize - text.as_ptr() as usize + line.len();
        title = &text[start..end];
    }
    let article: &mut Article = &mut draft.article;
    article.title = squash(title);

    // The rest, as paragraphs, in order; lines of a block are one
    // paragraph. Hard-wrapped text is unwrapped after the headline only: a
    // headline right above a wrapped lede may be as long as its lines, and
    // is no part of it. (`title` is a slice of `text`: where it ends is
    // where the rest begins.)
    let rest = &text[title.as_ptr() as usize - text.as_ptr() as usize + title.len()..];
    let unwrapped = super::unwrap::unwrap(rest);
    let rest_blocks = match &unwrapped {
        Some(u) => split_blocks(u, true),
        None => split_blocks(rest, false),
    };
    // Whether a block of prose comes after block `b`: one pass from the end.
    let mut prose_after = vec![false; rest_blocks.len()];
    for b in (1..rest_blocks.len()).rev() {
        prose_after[b - 1] = prose_after[b] || is_prose(&rest_blocks[b]);
    }
    let mut paras: Vec<String> = Vec::new();
    for (b, block) in rest_blocks.iter().enumerate() {
        // A block headed "Related stories" (or the like) after the text,
        // with no prose under it or after it, is links to other stories:
        // the page's close.
        if !paras.is_empty()
            && block.first().is_some_and(|l| is_footer_label(l))
            && !is_prose(&block[1..])
            && !prose_after[b]
        {
            break;
        }
        let mut kept: Vec<&str> = block.iter().copied().filter(|l| !is_debris(l)).collect();
        // Date and "By" lines atop the first paragraph, with no blank line
        // between, are lines of their own (read as such below).
        while paras
            .iter()
            .all(|p| dates::date_line(p).is_some() || p.starts_with("By "))
            && kept.len() > 1
            && (dates::date_line(kept[0]).is_some() || kept[0].starts_with("By "))
        {
            paras.push(squash(kept.remove(0)));
        }
        if !kept.is_empty() {
            paras.push(squash(&kept.join(" ")));
        }
    }

    // Date and byline lines right under the headline.
    let head = 0;
    while head < paras.len().min(4) {
        let p = &paras[head];
        if let Some(ts) = dates::date_line(p) {
            draft.text_date.get_or_insert(ts);
        } else if p.starts_with("By ") && byline_of(p).is_some() {
            byline = byline_of(p);
        } else {
            break;
        }
        paras.remove(head);
    }
    // Peel the footer: debris and the byline line, from the end.
    while let Some(last) = paras.last() {
        if is_debris(last) {
            paras.pop();
        } else if byline.is_none() && paras.len() > 1 {
            match byline_of(last) {
                Some(b) => {
                    byline = Some(b);
                    paras.pop();
                }
                None => break,
            }
        } else {
            break;
        }
    }
    // Date or "By" lines between standfirst and body, as some sites lay out.
    paras.retain(|p| {
        if p.chars().count() <= 80 {
            if let Some(ts) = dates::date_line(p) {
                draft.text_date.get_or_insert(ts);
                return false;
            }
            if p.starts_with("By ") {
                if let Some(b) = byline_of(p) {
                    byline.get_or_insert(b);
                    return false;
                }
            }
        }
        true
    });

    // A standfirst is a short single paragraph between headline and body.
    if paras.len() >= 2 && paras[0].chars().count() <= 400 {
        draft.article.standfirst = paras.remove(0);
    }
    draft.article.body = paras.join("\n\n");
    draft.article.byline = byline;
    // A headline with no text under it ("UAW strikes GM") is an article,
    // title only, as the JSON readers have it: a wire feed carries many.
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_in_capitals_is_the_headline() {
        let lede = "LONDON, June 12 - Coffee producers failed to agree on quotas on \
                    Friday after two weeks of talks, delegates said.";
        let d = parse(&format!("COFFEE TALKS COLLAPSE\n\n{lede}\n")).unwrap();
        assert_eq!(d.article.title, "COFFEE TALKS COLLAPSE");
        assert_eq!(d.article.body, lede);
        let d = parse(&format!(
            "PRODUCERS SPLIT OVER PRICE\nRISE AS QUOTA TALKS END\n\n{lede}\n\nMore talks are due.\n"
        ))
        .unwrap();
        assert_eq!(
            d.article.title,
            "PRODUCERS SPLIT OVER PRICE RISE AS QUOTA TALKS END"
        );
        assert_eq!(d.article.standfirst, lede);
    }

    #[test]
    fn a_short_headline_in_capitals_is_the_title_wherever_its_lede_starts() {
        let lede = "KUCHING, May 9 - Pepper growers in Sarawak expect a smaller crop \
                    after heavy rain in April, traders said.";
        for page in [
            format!("SARAWAK PEPPER REVIEW\n{lede}\nStocks are low.\n"),
            format!("SARAWAK PEPPER REVIEW\n\n{lede}\n"),
            format!("PEPPER\n\n{lede}\n"),
        ] {
            let a = parse(&page).unwrap().article;
            assert_eq!(a.title, page.lines().next().unwrap(), "{page}");
            assert!(a.body.starts_with("KUCHING, May 9"), "{a:?}");
        }
        // A menu in capitals above a headline stays debris.
        let page =
            format!("NEWS\nSPORT\n\nWEATHER\n\nPepper growers expect a smaller crop\n\n{lede}\n");
        assert_eq!(
            parse(&page).unwrap().article.title,
            "Pepper growers expect a smaller crop"
        );
    }

    #[test]
    fn a_headline_alone_is_an_article_with_a_title_only() {
        let a = parse("Sarawak pepper growers strike\n").unwrap().article;
        assert_eq!(a.title, "Sarawak pepper growers strike");
        assert_eq!((a.standfirst.as_str(), a.body.as_str()), ("", ""));
        assert!(parse("Menu\n\nON NOW\n").is_err());
    }

    #[test]
    fn debris_and_bylines() {
        for d in [
            "• en",
            "ON NOW",
            "d",
            "Follow us on:",
            "© 2025 Example News",
            "Menu",
            "x",
        ] {
            assert!(is_debris(d), "{d}");
        }
        for d in ["Talks resume in Geneva", "The minister said no."] {
            assert!(!is_debris(d), "{d}");
        }
        assert_eq!(byline_of("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            byline_of("Erizia Rubyjeana").as_deref(),
            Some("Erizia Rubyjeana")
        );
        assert_eq!(
            byline_of("Staff reporter").as_deref(),
            Some("Staff reporter")
        );
        assert_eq!(byline_of("The talks ended."), None);
        assert_eq!(byline_of("Follow us on:"), None);
    }

    /// A wrapped page: its paragraphs are read whole, and the headline
    /// right above the lede, as long as its lines, is not glued to it.
    #[test]
    fn a_wrapped_page_is_read_a_paragraph_at_a_time() {
        let page = "Carrow Holdings chairman to step down after Leeds depot fire
LEEDS, March 4 - The parcel carrier said on Tuesday that Paul
Voss would step down as chairman, two weeks after a fire at its
depot in Leeds halted deliveries across the north of England.
   The board said Voss had offered to go at a meeting in
Manchester on Monday, and that finance director Irene Talbot
would lead the firm until a successor is found. Shares in Carrow
Holdings rose four percent in early trading in London.
   Voss, 61, joined the group from Aldmoor Freight in 2014 and
became chairman three years later.
";
        let a = parse(page).unwrap().article;
        assert_eq!(
            a.title,
            "Carrow Holdings chairman to step down after Leeds depot fire"
        );
        assert!(
            a.standfirst
                .starts_with("LEEDS, March 4 - The parcel carrier")
                && a.standfirst.contains("that Paul Voss would"),
            "{a:?}"
        );
        let paras: Vec<&str> = a.body.split("\n\n").collect();
        assert_eq!(paras.len(), 2, "{a:?}");
        assert!(paras[0].contains("Shares in Carrow Holdings rose"), "{a:?}");
        assert!(paras[1].ends_with("three years later."), "{a:?}");
    }

    /// Links to other stories under a "Related stories" label are no part
    /// of the article; a label over more of the article's prose cuts nothing.
    #[test]
    fn links_under_a_related_stories_label_close_the_article() {
        let body = "Flood barriers went up along the quay on Monday as the river rose \
                    for a third day, and the agency warned of more rain to come.\n\n\
                    Shops on the waterfront moved their stock upstairs overnight.";
        for footer in [
            "Share this article\n\nRelated stories\n- Barriers: the towns still waiting\n- Photos: the river bursts its banks\n\nMore from Valley Live\nAdvertisement",
            "Most read:\nCouncil tax to rise\nBridge shut for repairs",
        ] {
            let page = format!("River rises for a third day\n\n{body}\n\n{footer}\n");
            let a = parse(&page).unwrap().article;
            assert_eq!(format!("{}\n\n{}", a.standfirst, a.body), body, "{footer}");
        }
        let more = "The agency said the river would peak on Wednesday afternoon, and that \
                    the barriers would stay up until the water had fallen well below the quay.";
        let page = format!("River rises for a third day\n\n{body}\n\nRelated\n\n{more}\n");
        let a = parse(&page).unwrap().article;
        assert!(a.body.ends_with(more), "{}", a.body);
        assert!(!a.body.contains("Related"), "{}", a.body);
        // A box of links inside the story, short paragraphs after it; a
        // label word inside a paragraph.
        let tail = "Work will begin in March.\n\nThe quay will close for six weeks.";
        let page = format!(
            "River rises for a third day\n\n{body}\n\nRelated stories\nHarbour plan: what we know\n\n{tail}\n"
        );
        let a = parse(&page).unwrap().article;
        assert!(a.body.ends_with(tail), "{}", a.body);
        let page = format!(
            "River rises for a third day\n\n{body}\n\nThe two floods were not\nrelated.\nNo one was hurt.\n"
        );
        let a = parse(&page).unwrap().article;
        assert!(a.body.ends_with("No one was hurt."), "{}", a.body);
    }

    #[test]
    fn a_short_headline_above_prose_is_the_headline() {
        let page = "Ferry strike ends\n\nDockers in Valletta returned to work on Monday after a \
                    four-day strike over night shifts.\n\nThe union said talks would go on.\n";
        let a = parse(page).unwrap().article;
        assert_eq!(a.title, "Ferry strike ends");
        assert!(a.standfirst.starts_with("Dockers in Valletta"), "{a:?}");
        // A kicker above a headline that asks or quotes is no headline.
        for (kicker, headline) in [
            (
                "Cost of living",
                "Can families afford to heat their homes this winter as prices soar?",
            ),
            (
                "Ukraine war",
                "Minister says the port must \"reopen before the harvest is lost\"",
            ),
            (
                "Monday 4 December",
                "Dockers in Valletta returned to work on Monday after a strike over night shifts.",
            ),
        ] {
            let page = format!(
                "{kicker}\n\n{headline}\n\nThe union said talks would go on after the long \
                 strike, and the port authority agreed to meet.\n"
            );
            assert_eq!(parse(&page).unwrap().article.title, headline, "{kicker}");
        }
        // A short menu line above the real headline stays debris.
        let page = "Sign in\n\nLatest news\n\nFerry strike ends after four days in Valletta\n\n\
                    Dockers returned to work on Monday after a four-day strike over shifts.\n";
        assert_eq!(
            parse(page).unwrap().article.title,
            "Ferry strike ends after four days in Valletta"
        );
        // A date line between a short headline and its lede, with no blank
        // line: the headline stays, and the date dates the article.
        for page in [
            "Ferry strike\n3 March 2024\nDockers in Valletta walked out on Monday over \
             night shifts.\n",
            "Ferry strike\n3 March 2024\nBy Ana Borg\n\nDockers in Valletta walked out on \
             Monday over night shifts.\n\nThe union said talks would go on.\n",
        ] {
            let d = parse(page).unwrap();
            assert_eq!(d.article.title, "Ferry strike", "{page}");
            assert!(
                d.article.body.starts_with("Dockers")
                    || d.article.standfirst.starts_with("Dockers"),
                "{page}"
            );
            assert!(d.text_date.is_some(), "{page}");
        }
        // Two words above a list in the same block are no headline.
        let page = "Top stories\nFerry strike ends\nPort reopens\n";
        assert!(!parse(page).is_ok_and(|d| d.article.title == "Top stories"));
    }
}
