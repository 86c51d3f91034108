//! Hard-wrapped prose read as written: wire copy and old archives put a line
//! break every 60 to 80 characters inside a paragraph, and the readers, which
//! take a line break for a paragraph break (and the entity extractor, for a
//! break between names), read "Chairman Paul\nVoss" as two paragraphs, and
//! Paul and Voss as two names.
//!
//! # What counts as wrapped
//!
//! A wrapping program fills each line with as many words as fit in the
//! width and breaks before the first word that does not. So a break is a
//! wrap when the line before it is full: its length, plus a space, plus the
//! next line's first word, is over the width. A break after a line with
//! room left for the next word was made on purpose: a paragraph, list item,
//! table row, dateline or verse ends there. The width is not given; it is
//! the longest line's length (or, when a few lines are longer than the rest,
//! a long URL or a table row, that of the longest of the others).
//!
//! Every text has some full lines by chance, so a text is taken as wrapped
//! only on evidence from several lines: at least two full lines break in the
//! middle of a sentence (a paragraph a line ends each line with a sentence),
//! three in five long lines are full ones, and at least a quarter of the
//! lines after them start with a small letter (a poem or a list whose lines
//! all start with a capital is not prose; text all in capitals is let off
//! this). The width must be one wrapping programs use (30 to 160
//! characters): a text of paragraphs a line has lines of every length, most
//! of them longer.
//!
//! In a wrapped text a break is joined when the line before it is full and
//! the line after it continues it: neither is blank, nor a table row (a tab,
//! columns of spaces, or more numbers than words), nor a heading in
//! capitals; the next line is indented as the text's lines mostly are (a
//! deeper indent starts a paragraph) and starts no list ("• ", or "- ",
//! "1. ", "(a) " after a sentence or another item: after a full line in mid
//! sentence they are a dash and figures).
//!
//! A full line that ends a sentence is joined too. Inside a paragraph a
//! sentence ends at a line's end more often than a paragraph ends on a full
//! line: the BBC articles wrapped at 65 columns with nothing between
//! paragraphs came back with 5% fewer paragraphs than written when such
//! lines were joined, and with 21% more when they were not. Wire copy
//! marks its paragraphs (a blank line or an indent), and then nothing is
//! glued: 2,215 of those 2,225 articles, indented, came back exactly.
//!
//! # Why a space
//!
//! A joined break becomes a space, so the text keeps its length and every
//! byte offset in it: spans the entity extractor finds in the unwrapped text
//! are spans into the text as given ("Paul\nVoss" is one mention), and
//! nothing that measured the text before has to be told. Removing the break
//! (or a hyphen before it) would shift every offset after it.
//!
//! A `"\r\n"` becomes two spaces, for the same reason. The extractor takes
//! two words for one name only across a single space, so the readers turn
//! `"\r\n"` into `"\n"` before unwrapping (JSON and HTML bodies) or squash
//! white space after it (plain text), and their stored text has single
//! spaces; a caller with text of its own should do likewise.

/// Narrower than this, lines are columns or verse, not wrapped prose.
const MIN_WIDTH: usize = 30;
/// Wider than this, lines are paragraphs: no program wraps text this wide.
const MAX_WIDTH: usize = 160;
/// The most widths tried (the longest line's, then shorter ones when the
/// longest lines are a few outliers).
const MAX_TRIES: usize = 8;

/// The characters that start a list item as bullets.
const BULLETS: [char; 9] = ['•', '·', '▪', '■', '►', '○', '◦', '*', '+'];

/// What the unwrapping needs to know of one line.
#[derive(Debug, Clone, Copy, Default)]
struct Line {
    /// Byte offset of the line break that ends the line (the text's length
    /// for the last line).
    end: usize,
    /// Whether the break is `"\r\n"`.
    crlf: bool,
    /// Whether the line is empty or white space.
    blank: bool,
    /// Length in characters, leading white space included, trailing not.
    len: usize,
    /// Characters of leading white space.
    indent: usize,
    /// Characters of the first word.
    first_word: usize,
    /// Whether the line ends as a sentence does (".", "!", "?", ":", ";",
    /// with closing quotes or brackets after).
    ends_sentence: bool,
    /// Whether the first letter or digit is a small letter.
    starts_lower: bool,
    /// Whether it starts a list item.
    list_item: bool,
    /// Whether the list item starts with a bullet ("•", "*", ...), not a
    /// dash or a number.
    bullet: bool,
    /// Whether it is a row of a table or of figures.
    tabular: bool,
    /// Whether it has words in capitals and no small letters.
    capitals: bool,
}

/// Unwraps hard-wrapped prose: returns the text with every line break
/// inside a paragraph made a space (`"\r\n"` two), or `None` when the text
/// is not hard-wrapped, which is most text, and is to be used as it is.
/// The text keeps its length: byte offsets into one are offsets into the
/// other. See the [module documentation](self) for what counts as wrapped.
pub fn unwrap(text: &str) -> Option<String> {
    // Most articles have no line break inside a paragraph, or too few to
    // judge by: they are known without describing a line.
    if single_breaks(text.as_bytes()) < 2 {
        return None;
    }
    let mut lines = lines(text);
    // Lines are measured first and read only when their lengths leave a
    // width to try: a text of paragraphs a line (most text with line
    // breaks) has none, and is known at the cost of one pass.
    let widths: Vec<usize> = widths(&lines).collect();
    if widths.is_empty() {
        return None;
    }
    let mut start = 0;
    for line in &mut lines {
        let content_end = line.end - usize::from(line.crlf);
        read(line, &text[start..content_end]);
        start = line.end + 1;
    }
    let base = base_indent(&lines);
    let capitals_apart = capitals_stand_apart(&lines);
    let width = widths
        .into_iter()
        .find(|&w| wrapped_at(&lines, w, base, capitals_apart))?;
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for pair in lines.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if joins(a, b, width, base, capitals_apart) {
            let cut = if a.crlf { a.end - 1 } else { a.end };
            out.push_str(&text[from..cut]);
            out.push_str(if a.crlf { "  " } else { " " });
            from = a.end + 1;
        }
    }
    out.push_str(&text[from..]);
    Some(out)
}

/// How many line breaks have a line with something on it on either side:
/// only these can be joined. Paragraphs apart by blank lines have none.
fn single_breaks(b: &[u8]) -> usize {
    let mut n = 0;
    let mut start = 0;
    for at in memchr::memchr_iter(b'\n', b) {
        let line = &b[start..at];
        let empty = line.is_empty() || line == b"\r";
        let next_empty = matches!(
            b.get(at + 1..),
            None | Some([] | [b'\n', ..] | [b'\r', b'\n', ..])
        );
        n += usize::from(!empty && !next_empty);
        start = at + 1;
    }
    n
}

/// The lines of `text`, each measured: where it ends, whether it is blank,
/// its length and indent.
fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::with_capacity(text.len() / 40 + 1);
    let mut start = 0;
    for piece in text.split('\n') {
        let end = start + piece.len();
        let (content, crlf) = match piece.strip_suffix('\r') {
            Some(c) if end < text.len() => (c, true),
            _ => (piece, false),
        };
        let trimmed = content.trim_end();
        let body = trimmed.trim_start();
        let len = count(trimmed);
        out.push(Line {
            end,
            crlf,
            blank: body.is_empty(),
            len,
            indent: len - count(body),
            ..Line::default()
        });
        start = end + 1;
    }
    out
}

/// Characters in `s`.
fn count(s: &str) -> usize {
    match s.is_ascii() {
        true => s.len(),
        false => s.chars().count(),
    }
}

/// Reads what the unwrapping needs to know of a measured line's words from
/// its `content` (the line without its line break).
fn read(line: &mut Line, content: &str) {
    let body = content.trim();
    if body.is_empty() {
        return;
    }
    let last = body
        .trim_end_matches(['"', '\'', '”', '’', '»', ')', ']'])
        .chars()
        .next_back();
    line.first_word = body.split(char::is_whitespace).next().map_or(0, count);
    line.ends_sentence = matches!(last, Some('.' | '!' | '?' | '…' | ':' | ';'));
    line.starts_lower = body
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase);
    line.list_item = is_list_item(body);
    line.bullet = line.list_item && body.starts_with(BULLETS);
    line.tabular = is_tabular(body);
    // A heading has words; "US." alone ends a sentence.
    line.capitals = !body.chars().any(char::is_lowercase)
        && body.chars().filter(|c| c.is_uppercase()).nth(3).is_some()
        && body.split_whitespace().nth(1).is_some();
}

/// Whether a line (without its indent) starts a list item: a bullet, or a
/// number or letter closed by a bracket or a number by a full stop. A dash
/// before a small letter is a dash in a sentence that was wrapped before it.
fn is_list_item(body: &str) -> bool {
    let mut chars = body.chars();
    let (Some(c0), rest) = (chars.next(), chars.as_str()) else {
        return false;
    };
    let spaced = |s: &str| s.starts_with(char::is_whitespace);
    match c0 {
        _ if BULLETS.contains(&c0) => spaced(rest) || c0 == '•',
        '-' | '–' | '—' => {
            spaced(rest)
                && !rest
                    .trim_start()
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase)
        }
        '(' => {
            // "(1) ", "(a) ", "(iv) "; "(CPI) rose" is a sentence going on.
            let Some((inner, after)) = rest.split_once(')') else {
                return false;
            };
            let number =
                (1..=2).contains(&inner.len()) && inner.bytes().all(|c| c.is_ascii_digit());
            let letter = inner.len() == 1 && inner.bytes().all(|c| c.is_ascii_alphabetic());
            let roman =
                (1..=4).contains(&inner.len()) && inner.bytes().all(|c| b"ivx".contains(&c));
            (number || letter || roman) && spaced(after)
        }
        _ if c0.is_ascii_digit() => {
            // "1. ", "12) ": a year or a figure that starts a wrapped line
            // ("2014 and", "40,000 parcels") is none.
            let digits = 1 + rest.chars().take_while(char::is_ascii_digit).count();
            let after = &body[digits..];
            digits <= 2
                && (after.starts_with(". ") || after.starts_with(") ") || after.starts_with(")\t"))
        }
        _ if c0.is_alphabetic() => {
            // "a) ", "B) "; "A. " is too often an initial to be a list.
            rest.starts_with(") ")
        }
        _ => false,
    }
}

/// Whether a line (without its indent) is a row of a table or a line of
/// figures: a tab, a run of three spaces, a run of two that does not follow
/// the end of a sentence (typists put two spaces there), or mostly numbers.
fn is_tabular(body: &str) -> bool {
    let b = body.as_bytes();
    if memchr::memchr(b'\t', b).is_some() {
        return true;
    }
    let mut at = 0;
    while let Some(k) = memchr::memmem::find(&b[at..], b"  ") {
        let i = at + k;
        if b.get(i + 2) == Some(&b' ') {
            return true;
        }
        let before = body[..i]
            .trim_end_matches(['"', '\'', ')'])
            .chars()
            .next_back();
        if !matches!(before, Some('.' | '!' | '?' | ':' | '”' | '’')) {
            return true;
        }
        at = i + 2;
    }
    // Figures: numbers, twice as many as words ("Carrow 30 21 5 4 60-20
    // 68"); "in 2010, 2011 and 2012." is the end of a sentence.
    let (mut numbers, mut words) = (0usize, 0usize);
    for field in body.split_whitespace() {
        if field.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
            && field.bytes().any(|c| c.is_ascii_digit())
        {
            numbers += 1;
        } else if field.chars().any(char::is_alphabetic) {
            words += 1;
        }
    }
    numbers >= 3 && numbers >= 2 * words
}

/// The widths to try, widest first: the longest line's, then, when that is
/// an outlier, those of the next longest, as long as no more than a tenth of
/// the lines are left out as longer.
fn widths(lines: &[Line]) -> impl Iterator<Item = usize> {
    let mut lens: Vec<usize> = lines.iter().filter(|l| !l.blank).map(|l| l.len).collect();
    lens.sort_unstable_by(|a, b| b.cmp(a));
    let outliers = (lens.len() / 10).max(1);
    lens.truncate(outliers + 1);
    lens.dedup();
    lens.into_iter()
        .filter(|w| (MIN_WIDTH..=MAX_WIDTH).contains(w))
        .take(MAX_TRIES)
}

/// The indent most lines have: a paragraph's first line may be indented
/// deeper, and its other lines are not.
fn base_indent(lines: &[Line]) -> usize {
    let mut counts = [0usize; 17];
    for l in lines.iter().filter(|l| !l.blank) {
        counts[l.indent.min(16)] += 1;
    }
    // The smallest of the most common, for a tie.
    let best = counts.iter().copied().max().unwrap_or(0);
    counts.iter().position(|&c| c == best).unwrap_or(0)
}

/// Whether lines in capitals are headings: only in a text that has lines
/// in small letters too (telex copy is all capitals, and wrapped).
fn capitals_stand_apart(lines: &[Line]) -> bool {
    let (mut capitals, mut other) = (0usize, 0usize);
    for l in lines.iter().filter(|l| !l.blank) {
        match l.capitals {
            true => capitals += 1,
            false => other += 1,
        }
    }
    capitals < other
}

/// Whether the break after `a` is a wrap inside a paragraph that `b`
/// continues, in a text wrapped at `width` whose lines are mostly indented
/// by `base`.
fn joins(a: &Line, b: &Line, width: usize, base: usize, capitals_apart: bool) -> bool {
    !a.blank
        && !b.blank
        && a.len <= width
        && b.len <= width
        // Full: the next line's first word did not fit.
        && a.len + 1 + b.first_word > width
        && b.indent.min(16) == base
        // A list starts after a sentence (or a colon), or goes on after an
        // item; a bullet always starts one. After a full line in mid
        // sentence, "- " is a dash and "(44) " a figure in brackets.
        && !(b.list_item && (a.ends_sentence || a.list_item || b.bullet))
        && !a.tabular
        && !b.tabular
        && !(capitals_apart && (a.capitals || b.capitals))
}

/// Whether the text reads as wrapped at `width`: see the module
/// documentation.
fn wrapped_at(lines: &[Line], width: usize, base: usize, capitals_apart: bool) -> bool {
    let (mut long, mut full, mut mid_sentence, mut lower) = (0usize, 0usize, 0usize, 0usize);
    for pair in lines.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.blank || b.blank || a.tabular || a.len > width || a.len * 3 < width * 2 {
            continue;
        }
        long += 1;
        if joins(a, b, width, base, capitals_apart) {
            full += 1;
            mid_sentence += usize::from(!a.ends_sentence);
            lower += usize::from(b.starts_lower);
        }
    }
    // In a text all in capitals, no line starts with a small letter.
    let prose = lower * 4 >= full || !capitals_apart;
    mid_sentence >= 2 && full * 5 >= long * 3 && prose
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unwrapped, or the text as it was.
    fn un(text: &str) -> String {
        let out = unwrap(text);
        if let Some(o) = &out {
            assert_eq!(o.len(), text.len(), "the length is kept");
        }
        out.unwrap_or_else(|| text.to_string())
    }

    const WRAPPED: &str = "\
The board of Carrow Holdings said on Tuesday that Chairman Paul
Voss would step down, two weeks after a fire at its depot in
Leeds halted deliveries across the north of England for a week.
The board said Voss had offered to go at a meeting in Manchester
on Monday, and that finance director Irene Talbot would lead the
company until a successor is found.";

    #[test]
    fn wrapped_prose_is_joined_and_keeps_its_length() {
        let out = un(WRAPPED);
        assert!(out.contains("Chairman Paul Voss would"), "{out}");
        assert!(out.contains("depot in Leeds halted"), "{out}");
        assert!(out.contains("in Manchester on Monday"), "{out}");
        // A full line that ends a sentence is a wrap too: the paragraph
        // goes on.
        assert!(out.contains("for a week. The board"), "{out}");
        assert!(!out.contains('\n'), "{out}");
    }

    #[test]
    fn a_short_line_ends_its_paragraph() {
        let text = format!(
            "{WRAPPED}\nShares in the company rose four percent in early trading in\n\
             London, and analysts said the change was overdue after a year of\n\
             losses.\n\
             Nobody was hurt."
        );
        let out = un(&text);
        let paras: Vec<&str> = out.split('\n').collect();
        assert_eq!(paras.len(), 3, "{out}");
        assert!(paras[0].ends_with("successor is found."), "{out}");
        assert!(paras[1].ends_with("a year of losses."), "{out}");
        assert_eq!(paras[2], "Nobody was hurt.");
    }

    #[test]
    fn an_indent_or_a_blank_line_starts_a_paragraph() {
        let text = "   The fire started in a loading bay late on February 18 and\n\
                    burned for most of the night. Nobody was hurt, but some 40,000\n\
                    parcels were lost and the depot has been closed since the fire\n   \
                    Investors had pressed for change after the shares fell by a\n\
                    third, and Grenlow Capital, which owns nine percent of it, said\n\
                    \n\
                    the move was overdue and that the board had waited far too long\n\
                    to act on the reports it had been given about the old depot.";
        let out = un(text);
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(lines[0].ends_with("closed since the fire"), "{out}");
        assert!(lines[1].starts_with("   Investors"), "{out}");
        assert_eq!(lines[2], "");
    }

    #[test]
    fn crlf_breaks_become_two_spaces() {
        let text = WRAPPED.replace('\n', "\r\n") + "\r\n";
        let out = un(&text);
        assert!(out.contains("Chairman Paul  Voss would"), "{out:?}");
        assert!(out.ends_with("successor is found.\r\n"), "{out:?}");
        assert!(!out.contains("\r\n") || out.matches("\r\n").count() == 1);
    }

    #[test]
    fn unicode_is_measured_in_characters() {
        // Each line is full in characters, not in bytes.
        let text = "Die Gewerkschaft in Düsseldorf erklärte am Dienstag, dass über\n\
                    zwölf Depots geschlossen würden, während die Geschäftsführung\n\
                    schwieg und die Beschäftigten vor dem Tor auf Nachrichten über\n\
                    ihre Zukunft warteten.";
        let out = un(text);
        assert!(out.contains("dass über zwölf Depots"), "{out}");
        assert!(out.contains("Geschäftsführung schwieg"), "{out}");
        assert!(out.contains("über ihre Zukunft"), "{out}");
    }

    #[test]
    fn text_not_wrapped_is_left_alone() {
        let para_a_line = "The board of Carrow Holdings said on Tuesday that its chairman would step down after a fire at its depot in Leeds.\n\
            The board said he had offered to go at a meeting in Manchester on Monday.\n\
            \"We thank him for eleven years of service,\" the finance director said in a statement to shareholders and staff.\n\
            Shares rose four percent.\n";
        for text in [
            "",
            "\n",
            "\n\n\n\n",
            "one line",
            "one line\nand another\n",
            para_a_line,
            &para_a_line.replace('\n', "\n\n"),
            &"x".repeat(100_000),
            &"word ".repeat(50_000),
        ] {
            assert_eq!(unwrap(text), None, "{text:?}");
        }
    }

    #[test]
    fn verse_lists_and_tables_are_not_joined() {
        let verse = "The harbour lights are burning low across the\n\
                     Water where the fishing boats come slowly in\n\
                     And every net is mended by the morning tide\n\
                     While gulls are crying over Leeds and Manchester\n\
                     Beneath a sky of slate that will not turn to blue";
        assert_eq!(unwrap(verse), None);
        let list = format!(
            "{WRAPPED}\nThe board named three priorities for the coming year:\n\
             - reopening the Leeds depot\n\
             - paying the drivers who lost shifts during the closure\n\
             1. A review of fire safety at all twelve of the group's sites\n\
             • Talks with Grenlow Capital and other shareholders"
        );
        let out = un(&list);
        assert!(
            out.contains("successor is found.\nThe board named"),
            "{out}"
        );
        for item in [
            "\n- reopening",
            "\n- paying",
            "\n1. A review",
            "\n• Talks with",
        ] {
            assert!(out.contains(item), "{item:?} in {out}");
        }
        let table = format!(
            "{WRAPPED}\nResults on Saturday:\n\
             Carrow Athletic      3  Leeds Rovers          1\n\
             Manchester Albion    2  Grenlow Town          2\n\
             Aldmoor United       0  Carrow Athletic Res.  4\n\
             PREMIER DIVISION TABLE AFTER THE WEEKEND MATCHES AND REPLAYS\n\
             Carrow 30 21 5 4 60-20 68 Leeds 30 20 6 4 55-25 66 Albion 30"
        );
        let out = un(&table);
        assert!(out.contains("\nResults on Saturday:\nCarrow Athletic      3"));
        assert!(out.contains("Res.  4\nPREMIER DIVISION"), "{out}");
        assert!(out.contains("REPLAYS\nCarrow 30 21"), "{out}");
    }

    /// What starts or ends a line in mid sentence is no list item, table
    /// row or heading: a dash, a figure in brackets, a year, an acronym.
    #[test]
    fn a_sentence_goes_on_past_dashes_figures_and_acronyms() {
        let text = "   The parcel carrier, which bought the depot from Aldmoor Hauls
- then the region's second-largest carrier - in 2014, said that
all of its northern depots would be inspected.
   Inspectors will first visit the depots at Leeds, Manchester,
York, Hull, Whitby, Selby, Carlisle, Lancaster and the others
(12) in the north.
   Inspectors will first visit the depots at Leeds, Manchester,
York, Hull, Whitby, Selby and the rest in the north by the end of
2026 or 2027.
   A spokesman said the review had been asked for by shareholders
and by lenders in the north of England, in Scotland and in the
US.";
        let out = un(text);
        let paras: Vec<&str> = out.split('\n').collect();
        assert_eq!(paras.len(), 4, "{out}");
        assert!(paras[0].contains("Hauls - then"), "{out}");
        assert!(paras[1].ends_with("the others (12) in the north."), "{out}");
        assert!(paras[2].ends_with("the end of 2026 or 2027."), "{out}");
        assert!(paras[3].ends_with("in the US."), "{out}");
    }

    #[test]
    fn headings_and_datelines_stand_apart() {
        let text = format!("CARROW HOLDINGS CHAIRMAN TO STEP DOWN AFTER DEPOT FIRE IN\n{WRAPPED}");
        let out = un(&text);
        assert!(
            out.starts_with("CARROW HOLDINGS CHAIRMAN TO STEP DOWN AFTER DEPOT FIRE IN\nThe board")
        );
        let text = format!("LEEDS, March 4 (Wire) -\n{WRAPPED}");
        assert!(un(&text).starts_with("LEEDS, March 4 (Wire) -\nThe board"));
        // Telex copy is all capitals and wrapped all the same.
        let telex = WRAPPED.to_uppercase();
        assert!(un(&telex).contains("CHAIRMAN PAUL VOSS WOULD"));
    }

    #[test]
    fn a_long_outlier_line_does_not_hide_the_width() {
        let text = format!(
            "{WRAPPED}\nThe statement is at https://example.com/investors/news/2026/03/04/carrow-holdings-board-statement-on-chairman.html\n\
             and analysts at Grenlow Capital said the change was overdue after\n\
             a year of losses at the group's depots in the north of England."
        );
        let out = un(&text);
        assert!(out.contains("Chairman Paul Voss"), "{out}");
        assert!(out.contains("overdue after a year"), "{out}");
    }

    #[test]
    fn no_input_panics() {
        for text in [
            "\r\n\r\n",
            "\r",
            "\n\r\n\r",
            "a\nb\nc\nd",
            " \n \n \n",
            "é\n\u{3000}\n\t\n",
            "(\n(a\n(ab\n1\n1.\n12)\n-\n•",
        ] {
            let _ = un(text);
        }
        let many = "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d\n".repeat(10_000);
        let out = un(&many);
        assert_eq!(out.len(), many.len());
    }
}
