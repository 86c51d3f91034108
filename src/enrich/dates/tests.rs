//! The date parsers against real-world strings, paths and text.

#[test]
fn a_file_path_is_read_whole_and_absolute() {
    let t = |p: &str| from_file_path(std::path::Path::new(p)).map(|t| t.to_string());
    let dec3 = Some("2025-12-03T00:00:00Z".to_string());
    assert_eq!(t("/srv/c/2025/12/03/talks.txt"), dec3);
    assert_eq!(t("/srv/c/2025/12/04/../03/talks.txt"), dec3);
    assert_eq!(
        t("/srv/c/2025/12/talks.txt").as_deref(),
        Some("2025-12-01T00:00:00Z")
    );
    // Folder names that are not a year and a month date nothing.
    assert_eq!(t("/srv/notes/12/talks.txt"), None);
    assert_eq!(t("/srv/v2/1999-list/talks.txt"), None);
    // A relative path is read from the working folder, and keeps its own.
    assert_eq!(t("c/2025/12/03/talks.txt"), dec3);
}

use super::*;

fn utc(s: &str) -> Option<String> {
    parse_date(s).map(|t| t.to_string())
}

/// Real-world date strings and what they mean, in UTC.
#[test]
fn date_table() {
    let table: &[(&str, Option<&str>)] = &[
        ("2025-12-04T10:00:00Z", Some("2025-12-04T10:00:00Z")),
        ("2025-12-04T10:00:00+01:00", Some("2025-12-04T09:00:00Z")),
        (
            "2025-12-04T10:00:00.123-05:00",
            Some("2025-12-04T15:00:00.123Z"),
        ),
        ("2025-03-14 09:30:00", Some("2025-03-14T09:30:00Z")),
        ("2025-03-14", Some("2025-03-14T00:00:00Z")),
        (
            "Tue, 14 Oct 2025 08:00:00 GMT",
            Some("2025-10-14T08:00:00Z"),
        ),
        (
            "Thu, 04 Dec 2025 22:00:00 +0100",
            Some("2025-12-04T21:00:00Z"),
        ),
        ("December 4, 2025", Some("2025-12-04T00:00:00Z")),
        ("4 December 2025", Some("2025-12-04T00:00:00Z")),
        ("4 Dec 2025", Some("2025-12-04T00:00:00Z")),
        ("Dec. 4, 2025", Some("2025-12-04T00:00:00Z")),
        ("Dec. 4, 2025 10:00 PM EST", Some("2025-12-05T03:00:00Z")),
        ("Published 4 December 2025", Some("2025-12-04T00:00:00Z")),
        (
            "Published: December 4, 2025 at 10:00 a.m. ET",
            Some("2025-12-04T15:00:00Z"),
        ),
        (
            "Updated: 12 March 2025, 14:05 GMT",
            Some("2025-03-12T14:05:00Z"),
        ),
        ("Thursday 4th December 2025", Some("2025-12-04T00:00:00Z")),
        ("Sept. 9, 2025", Some("2025-09-09T00:00:00Z")),
        ("9 September 2025 18:30 BST", Some("2025-09-09T17:30:00Z")),
        ("June 1, 2025 9:15 am PT", Some("2025-06-01T16:15:00Z")),
        ("January 15, 2025 9:15 am PT", Some("2025-01-15T17:15:00Z")),
        ("3 July 2025 11:00 CEST", Some("2025-07-03T09:00:00Z")),
        ("3 January 2025 11:00 CET", Some("2025-01-03T10:00:00Z")),
        ("July 3, 2025 8:00 pm EDT", Some("2025-07-04T00:00:00Z")),
        ("2025/12/04", Some("2025-12-04T00:00:00Z")),
        ("04.12.2025", Some("2025-12-04T00:00:00Z")),
        ("04.12.2025 14:05", Some("2025-12-04T14:05:00Z")),
        ("25/12/2025", Some("2025-12-25T00:00:00Z")),
        ("12/25/2025", Some("2025-12-25T00:00:00Z")),
        ("04/05/2025", None), // day-first or month-first: not guessed
        ("30 February 2025", None),
        ("February 29, 2024", Some("2024-02-29T00:00:00Z")),
        ("February 29, 2025", None),
        ("4 December 2025 605:00", None),
        ("4 December 2025 25:10", None),
        ("2025-13-01", None),
        ("May 2025", None), // no day: not a publication date
        ("yesterday", None),
        ("", None),
        ("1733349600", Some("2024-12-04T22:00:00Z")),
        ("0001-01-01T00:00:00Z", None),
        ("9999-12-31", None),
        ("4 December 2025 UTC+2 10:00", Some("2025-12-04T10:00:00Z")),
        ("4 December 2025 10:00 UTC+2", Some("2025-12-04T08:00:00Z")),
        ("10pm December 4, 2025", Some("2025-12-04T22:00:00Z")),
    ];
    let mut failures = Vec::new();
    for (input, want) in table {
        let got = utc(input);
        if got.as_deref() != *want {
            failures.push(format!("{input:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(table.len() >= 40);
}

#[test]
fn path_table() {
    let table: &[(&str, Option<&str>)] = &[
        ("corpus/2025/12/04/talks.txt", Some("2025-12-04T00:00:00Z")),
        ("corpus/2025/12/talks.txt", Some("2025-12-01T00:00:00Z")),
        ("corpus/2025-12-04-talks.txt", Some("2025-12-04T00:00:00Z")),
        ("corpus/2025_12_04_talks.txt", Some("2025-12-04T00:00:00Z")),
        ("corpus/20251204-talks.txt", Some("2025-12-04T00:00:00Z")),
        ("archive/2025/02/30/x.txt", Some("2025-02-01T00:00:00Z")),
        ("archive/sport/199.txt", None),
        ("archive/12345678901/x.txt", None),
        ("2025/notes.txt", None),
        // A folder named as a whole date dates its files.
        (
            "archive/2003-06-12/floods.txt",
            Some("2003-06-12T00:00:00Z"),
        ),
        (
            "archive/2003_06_12/floods.txt",
            Some("2003-06-12T00:00:00Z"),
        ),
        ("archive/20030612/floods.txt", Some("2003-06-12T00:00:00Z")),
        (
            "archive/2003-06-12/x/floods.txt",
            Some("2003-06-12T00:00:00Z"),
        ),
        ("1999/2003-06-12/floods.txt", Some("2003-06-12T00:00:00Z")),
        ("archive/2003-06-31/floods.txt", None),
        ("archive/200306/floods.txt", None),
        ("archive/2003-0612/floods.txt", None),
        ("archive/123456789/floods.txt", None),
    ];
    for (input, want) in table {
        let got = from_path(input).map(|t| t.to_string());
        assert_eq!(got.as_deref(), *want, "{input}");
    }
}

#[test]
fn text_prefers_published_line_and_ignores_sentences() {
    let lines = [
        "Updated: 12 March 2025, 14:05 GMT",
        "Published 10 March 2025",
        "Ministers met on 4 December 2025 to discuss the budget for the coming year and beyond.",
    ];
    let (ts, i) = from_text(&lines).unwrap();
    assert_eq!(ts.to_string(), "2025-03-10T00:00:00Z");
    assert_eq!(i, 1);
    assert!(from_text(&lines[2..]).is_none());
}

/// A date line and what it means, in UTC. A line that is a date line reads
/// the same as a metadata value.
fn line(s: &str) -> Option<String> {
    let got = date_line(s).map(|t| t.to_string());
    if got.is_some() {
        assert_eq!(got, utc(s), "{s}");
    }
    got
}

const DEC4: Option<&str> = Some("2025-12-04T00:00:00Z");
const DEC4_1430: Option<&str> = Some("2025-12-04T14:30:00Z");
const DEC1: Option<&str> = Some("2025-12-01T00:00:00Z");

// The English code keeps a time written in text ("at 10:00 a.m. ET"), so
// these keep "14h30" and "14:30 Uhr" too; without a zone they are UTC, as
// an English time without one is.
#[test]
fn a_french_published_line_keeps_its_time() {
    assert_eq!(
        line("Publié le 4 décembre 2025 à 14h30").as_deref(),
        DEC4_1430
    );
    assert_eq!(
        line("Publié le 4 décembre 2025 à 14 h 30").as_deref(),
        DEC4_1430
    );
    assert_eq!(
        line("Publié le 04 décembre 2025 à 14h30, modifié le 05 décembre 2025 à 16h12").as_deref(),
        DEC4_1430
    );
}

#[test]
fn a_french_updated_line_and_an_agency_dateline() {
    assert_eq!(line("Mis à jour le jeudi 4 décembre 2025").as_deref(), DEC4);
    assert_eq!(line("PARIS, 4 décembre 2025 (AFP) -").as_deref(), DEC4);
}

#[test]
fn german_days_are_ordinals_with_a_dot() {
    assert_eq!(line("4. Dezember 2025").as_deref(), DEC4);
    assert_eq!(line("Donnerstag, 4. Dezember 2025").as_deref(), DEC4);
    assert_eq!(
        line("Veröffentlicht am 4. Dezember 2025, 14:30 Uhr").as_deref(),
        DEC4_1430
    );
    // German months spelled as in English.
    assert_eq!(
        line("Aktualisiert am 4. November 2025").as_deref(),
        Some("2025-11-04T00:00:00Z")
    );
}

#[test]
fn german_all_number_dates_are_day_first() {
    assert_eq!(line("Berlin, 04.12.2025").as_deref(), DEC4);
    assert_eq!(
        line("Aktualisiert am 04.12.2025-14:30").as_deref(),
        DEC4_1430
    );
    assert_eq!(line("04.12.2025, 14.30 Uhr").as_deref(), DEC4_1430);
    assert_eq!(
        line("Stand: 04.12.2025, 14 Uhr").as_deref(),
        Some("2025-12-04T14:00:00Z")
    );
}

#[test]
fn spanish_dates_join_day_month_and_year_with_de() {
    assert_eq!(line("4 de diciembre de 2025").as_deref(), DEC4);
    assert_eq!(
        line("Publicado el jueves, 4 de diciembre de 2025").as_deref(),
        DEC4
    );
    assert_eq!(line("4 de diciembre del 2025").as_deref(), DEC4);
    assert_eq!(
        line("Madrid - 04 DIC 2025 - 14:30 CET").as_deref(),
        Some("2025-12-04T13:30:00Z")
    );
    assert_eq!(
        line("Actualizado: 4 dic. 2025 a las 14.30 horas").as_deref(),
        DEC4_1430
    );
}

#[test]
fn italian_dates() {
    assert_eq!(line("4 dicembre 2025").as_deref(), DEC4);
    assert_eq!(
        line("Pubblicato il 4 dicembre 2025 alle 14:30").as_deref(),
        DEC4_1430
    );
    assert_eq!(
        line("Aggiornato il 4 dicembre 2025 alle 14.30").as_deref(),
        DEC4_1430
    );
    assert_eq!(
        line("giovedì 4 dicembre 2025, ore 14:30").as_deref(),
        DEC4_1430
    );
}

#[test]
fn portuguese_dates_and_day_first_slashes() {
    assert_eq!(line("4 de dezembro de 2025").as_deref(), DEC4);
    assert_eq!(line("Publicado em 04/12/2025").as_deref(), DEC4);
    assert_eq!(
        line("Atualizado em 04/12/2025 às 14h30").as_deref(),
        DEC4_1430
    );
    assert_eq!(line("quinta-feira, 4 de dezembro de 2025").as_deref(), DEC4);
    // Folha's style.
    assert_eq!(line("4.dez.2025 às 14h30").as_deref(), DEC4_1430);
}

#[test]
fn the_first_of_the_month_has_its_ordinal_marker() {
    for s in [
        "1er décembre 2025",
        "1ᵉʳ décembre 2025",
        "1º de diciembre de 2025",
        "1° de diciembre de 2025",
        "1o de dezembro de 2025",
        "1.º de dezembro de 2025",
        "1. Dezember 2025",
    ] {
        assert_eq!(line(s).as_deref(), DEC1, "{s}");
    }
}

#[test]
fn names_are_read_with_or_without_accents_in_any_case() {
    let table: &[(&str, &str)] = &[
        ("4 décembre 2025", "2025-12-04"),
        ("4 decembre 2025", "2025-12-04"),
        ("4 DÉCEMBRE 2025", "2025-12-04"),
        ("4 DECEMBRE 2025", "2025-12-04"),
        ("4 déc. 2025", "2025-12-04"),
        ("4 févr. 2025", "2025-02-04"),
        ("4 fevrier 2025", "2025-02-04"),
        ("4 août 2025", "2025-08-04"),
        ("4 sept. 2025", "2025-09-04"),
        ("4. März 2025", "2025-03-04"),
        ("4. Maerz 2025", "2025-03-04"),
        ("4. Marz 2025", "2025-03-04"),
        ("4. Mär. 2025", "2025-03-04"),
        ("4. Jänner 2025", "2025-01-04"),
        ("4. Okt. 2025", "2025-10-04"),
        ("4 dic. 2025", "2025-12-04"),
        ("4 de set. de 2025", "2025-09-04"),
        ("4 sett. 2025", "2025-09-04"),
        ("4 de março de 2025", "2025-03-04"),
        ("4 de marco de 2025", "2025-03-04"),
        ("4 de out. de 2025", "2025-10-04"),
        ("4 mai 2025", "2025-05-04"),
        ("4 Juni 2025", "2025-06-04"),
        ("4 de setiembre de 2025", "2025-09-04"),
    ];
    for (s, want) in table {
        let got = utc(s);
        assert_eq!(got, Some(format!("{want}T00:00:00Z")), "{s}");
    }
}

#[test]
fn metadata_values_in_other_languages() {
    assert_eq!(utc("jeudi 4 décembre 2025 14:30").as_deref(), DEC4_1430);
    assert_eq!(
        utc("jeu., 04 déc. 2025 14:30:00 +0100").as_deref(),
        Some("2025-12-04T13:30:00Z")
    );
    assert_eq!(
        utc("4. Dezember 2025, 14:30 Uhr MEZ").as_deref(),
        Some("2025-12-04T13:30:00Z")
    );
    // Latin American Spanish writes a 12-hour clock.
    assert_eq!(
        utc("4 de diciembre de 2025, 2:30 p.m.").as_deref(),
        DEC4_1430
    );
    // German "am" before a day is no meridiem.
    assert_eq!(
        utc("um 12:30 am 4. Dezember 2025").as_deref(),
        Some("2025-12-04T12:30:00Z")
    );
    // A number before "h" that is no hour is no time.
    assert_eq!(utc("4 décembre 2025, 48h").as_deref(), DEC4);
    assert_eq!(utc("4 décembre 2025 à 25:10"), None);
    assert_eq!(utc("31 février 2025"), None);
    // With nothing to say which language it is, an all-number date whose
    // order is not certain is still not guessed.
    assert_eq!(utc("04/12/2025"), None);
}

#[test]
fn english_lookalikes_give_no_date() {
    for s in [
        "Mars 4, 2025",
        "Mars rover lands 4 days early in 2025",
        "NASA's Mars 2020 rover, 4 years on",
        "Mars mission 04/05/2025",
        "Mai Tai night: 2 for 1, all of 2025",
        "Mai 4 2025",
        "Tom Marz, 4, and his 2025 season",
        "Marz 4, 2025",
        "Charles de Gaulle, 1958",
        "de Gaulle 04/05/2025",
        "Le Pen won 4 seats in 2025",
        "Die Hard 4 returns in 2025",
        "Meet me at 10 am 04/05/2025",
        "Placido Domingo 04/05/2025",
        "Marco Polo 04/05/2025",
    ] {
        assert_eq!(utc(s), None, "{s}");
        assert_eq!(date_line(s), None, "{s}");
    }
    // A real day, month and year is a date, as it always was; the words
    // around it count as they always did.
    assert_eq!(line("de Gaulle, 4 December 2025").as_deref(), DEC4);
    assert_eq!(
        date_line("Charles de Gaulle Airport reopened on 4 December 2025"),
        None
    );
    assert_eq!(date_line("Mai Tai and Mars bars on 4 December 2025"), None);
}

#[test]
fn sentences_in_other_languages_are_not_date_lines() {
    for s in [
        "Le président a parlé 4 fois en 2025",
        "Der Präsident sprach am 4. Dezember 2025 lange vor dem Bundestag",
        "El presidente habló el 4 de diciembre de 2025 ante el Congreso",
        "Il presidente ha parlato il 4 dicembre 2025 davanti al Senato",
        "Le 4 décembre 2025, le président a annoncé sa démission",
    ] {
        assert_eq!(date_line(s), None, "{s}");
    }
    assert!(from_text(&["Le président a parlé 4 fois en 2025"]).is_none());
}

#[test]
fn a_published_line_in_another_language_wins_over_an_updated_one() {
    let lines = [
        "Mis à jour le 5 décembre 2025 à 09h00",
        "Publié le 4 décembre 2025 à 14h30",
    ];
    assert_eq!(
        from_text(&lines),
        Some((Timestamp::from_second(1_764_858_600).unwrap(), 1))
    );
    let lines = ["Aktualisiert am 05.12.2025", "Veröffentlicht am 04.12.2025"];
    assert_eq!(from_text(&lines).map(|(_, i)| i), Some(1));
    let lines = ["Atualizado em 05/12/2025", "Publicado em 04/12/2025"];
    assert_eq!(from_text(&lines).map(|(_, i)| i), Some(1));
}

#[test]
fn month_and_weekday_names_written_out_are_calendar_words() {
    for w in [
        "décembre",
        "dezember",
        "jueves",
        "giovedì",
        "donnerstag",
        "dezembro",
    ] {
        assert!(month_or_weekday(w), "{w}");
    }
    // English words and names, and abbreviations, are not.
    for w in ["mars", "mai", "marco", "domingo", "set", "out", "do"] {
        assert!(!month_or_weekday(w), "{w}");
    }
}

#[test]
fn abbreviated_weekdays_count_only_before_a_dot_or_comma() {
    assert_eq!(line("Do., 04.12.2025, 14:30 Uhr").as_deref(), DEC4_1430);
    assert_eq!(line("jeu. 4 déc. 2025").as_deref(), DEC4);
    assert_eq!(line("Publicado: jue., 4 de dic. de 2025").as_deref(), DEC4);
    // "sa" and "qui" are words of French prose, not "Sa." and "qui.".
    assert_eq!(date_line("Le 4 décembre 2025, sa ministre qui parle"), None);
}

#[test]
fn chinese_japanese_and_korean_dates() {
    assert_eq!(line("2025年12月4日 14:30").as_deref(), DEC4_1430);
    assert_eq!(line("发布时间：2025年12月4日").as_deref(), DEC4);
    assert_eq!(line("2025年12月4日（木）14:30").as_deref(), DEC4_1430);
    assert_eq!(line("2025년 12월 4일").as_deref(), DEC4);
    assert_eq!(utc("2025年12月4日").as_deref(), DEC4);
    // A sentence that gives a date is not a date line.
    assert_eq!(
        date_line(
            "2025年12月4日，汉堡港的码头工人开始了为期两天的罢工，多家航运公司宣布改靠鹿特丹港。"
        ),
        None
    );
}
