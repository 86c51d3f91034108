//! The words French, German, Spanish, Italian and Portuguese news use around
//! a date: month and weekday names with their abbreviations, the small words
//! between a day, its month and its year, the "published"/"updated" cues of
//! a date line, and the units of a time of day.
//!
//! Words are looked up lowercase and folded ([`fold`]), so "DÉCEMBRE",
//! "décembre" and "decembre" are one word, and "März", "Marz" and "Maerz"
//! one month. English has its own lists in `dates.rs`, which reads English
//! as it always did; these words widen it only inside a date in these
//! languages' order or on a line that shows it is not English (see the
//! module docs of `dates.rs`). Months spelled as in English ("April",
//! "November") are listed so that each language's list is whole; the
//! English parser reads them first.

use std::borrow::Cow;

/// A lowercase word without its accents: "décembre" → "decembre",
/// "giovedì" → "giovedi", "março" → "marco", "ß" → "ss". Sites, feeds and
/// transcriptions drop accents as often as they keep them.
pub(super) fn fold(w: &str) -> Cow<'_, str> {
    if w.is_ascii() {
        return Cow::Borrowed(w);
    }
    let mut out = String::with_capacity(w.len());
    for c in w.chars() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The month (1–12) a month name or abbreviation stands for, in any of the
/// five languages ("décembre", "Dezember", "dic", "set", "dez").
pub(super) fn month(w: &str) -> Option<i32> {
    let w = fold(w);
    full_month(&w).or_else(|| short_month(&w))
}

/// Month names written out, folded.
fn full_month(w: &str) -> Option<i32> {
    // French, German, Spanish, Italian, Portuguese, in that order an arm.
    Some(match w {
        "janvier" | "januar" | "janner" | "jaenner" | "enero" | "gennaio" | "janeiro" => 1,
        "fevrier" | "februar" | "feber" | "febrero" | "febbraio" | "fevereiro" => 2,
        "mars" | "marz" | "maerz" | "marzo" | "marco" => 3,
        "avril" | "april" | "abril" | "aprile" => 4,
        "mai" | "mayo" | "maggio" | "maio" => 5,
        "juin" | "juni" | "junio" | "giugno" | "junho" => 6,
        "juillet" | "juli" | "julio" | "luglio" | "julho" => 7,
        "aout" | "august" | "agosto" => 8,
        "septembre" | "september" | "septiembre" | "setiembre" | "settembre" | "setembro" => 9,
        "octobre" | "oktober" | "octubre" | "ottobre" | "outubro" => 10,
        "novembre" | "november" | "noviembre" | "novembro" => 11,
        "decembre" | "dezember" | "diciembre" | "dicembre" | "dezembro" => 12,
        _ => return None,
    })
}

/// Month abbreviations these languages use that English does not, folded.
/// "jan", "mar" and "dec" are English too, but reach here as "Jän.",
/// "Mär." and "déc.", which the English parser does not know.
fn short_month(w: &str) -> Option<i32> {
    Some(match w {
        "janv" | "jan" => 1,
        "fevr" | "fev" => 2,
        "mrz" | "mar" => 3,
        "avr" | "abr" => 4,
        "mag" => 5,
        "giu" => 6,
        "juil" | "lug" => 7,
        "ago" => 8,
        "set" | "sett" => 9,
        "okt" | "ott" | "out" => 10,
        "dec" | "dez" | "dic" => 12,
        _ => return None,
    })
}

/// Weekday names written out, folded. Portuguese names the weekdays by
/// number ("quinta-feira"): "feira" is a [`filler`].
fn full_weekday(w: &str) -> bool {
    matches!(
        w,
        // French
        "lundi" | "mardi" | "mercredi" | "jeudi" | "vendredi" | "samedi" | "dimanche"
        // German
        | "montag" | "dienstag" | "mittwoch" | "donnerstag" | "freitag" | "samstag"
        | "sonnabend" | "sonntag"
        // Spanish
        | "lunes" | "martes" | "miercoles" | "jueves" | "viernes" | "sabado" | "domingo"
        // Italian
        | "lunedi" | "martedi" | "mercoledi" | "giovedi" | "venerdi" | "sabato" | "domenica"
        // Portuguese
        | "segunda" | "terca" | "quarta" | "quinta" | "sexta"
    )
}

/// Weekday abbreviations ("jeu.", "Do.", "jue.", "gio.", "qui."). Many
/// are words of their own, in English or in these languages ("do", "sa",
/// "qui", "mar"): the parser takes one as a weekday only before a dot or
/// a comma.
pub(super) fn is_short_weekday(w: &str) -> bool {
    matches!(
        fold(w).as_ref(),
        "lun"
            | "mar"
            | "mer"
            | "jeu"
            | "ven"
            | "sam"
            | "dim"
            | "mo"
            | "di"
            | "mi"
            | "do"
            | "fr"
            | "sa"
            | "so"
            | "mie"
            | "jue"
            | "vie"
            | "sab"
            | "dom"
            | "gio"
            | "seg"
            | "ter"
            | "qua"
            | "qui"
            | "sex"
    )
}

/// A weekday name written out in one of the five languages.
pub(super) fn is_weekday(w: &str) -> bool {
    full_weekday(&fold(w))
}

/// Names written out that are also English words or common names ("Mars",
/// "Mai Tai", the surname "Marz", "Marco", "Julio", "Avril", "Plácido
/// Domingo"), or English months themselves. They still read as a month
/// inside a date ("4 mars 2025"), but alone they say nothing about the
/// language of a line.
fn lookalike(w: &str) -> bool {
    matches!(
        w,
        "mars"
            | "mai"
            | "marz"
            | "marco"
            | "mayo"
            | "julio"
            | "juli"
            | "avril"
            | "april"
            | "august"
            | "september"
            | "november"
            | "domingo"
    )
}

/// A month or weekday name written out that no English text uses
/// ("décembre", "Donnerstag"): what `month_or_weekday` adds for these
/// languages.
pub(super) fn is_distinct_name(w: &str) -> bool {
    distinct_name(&fold(w))
}

fn distinct_name(w: &str) -> bool {
    (full_month(w).is_some() || full_weekday(w)) && !lookalike(w)
}

/// Cues of a "published" line: "Publié le", "Veröffentlicht am", "Publicado
/// el/em", "Pubblicato il". Such a line wins over an "updated" one.
pub(super) fn is_published(w: &str) -> bool {
    published(&fold(w))
}

fn published(w: &str) -> bool {
    matches!(
        w,
        "publie"
            | "publiee"
            | "veroffentlicht"
            | "veroeffentlicht"
            | "publicado"
            | "publicada"
            | "pubblicato"
            | "pubblicata"
    )
}

/// Cues of an "updated" line: "Mis à jour le", "modifié le", "Aktualisiert
/// am", "Actualizado", "Aggiornato il", "Atualizado em".
fn updated(w: &str) -> bool {
    matches!(
        w,
        "jour"
            | "modifie"
            | "modifiee"
            | "aktualisiert"
            | "geandert"
            | "geaendert"
            | "zuletzt"
            | "actualizado"
            | "actualizada"
            | "aggiornato"
            | "aggiornata"
            | "modificato"
            | "atualizado"
            | "atualizada"
    )
}

/// A word that shows a line is in one of the five languages: a cue or a
/// month or weekday name that English does not use. Only then are
/// all-number dates read day first (`04/12/2025`) and the small words of
/// these languages ("de", "am", "le") not counted as a line's words.
pub(super) fn is_signal(w: &str) -> bool {
    let f = fold(w);
    published(&f) || updated(&f) || distinct_name(&f) || f == "uhr"
}

/// Small words of a date line that are not its content, folded: articles
/// and prepositions ("le 4", "am 4.", "el jueves", "alle 14:30"), "mis à
/// jour", "Stand:", the "feira" of Portuguese weekdays, "1er", hour units.
/// Unaccented "a" and "o" are left out: they are the commonest words of
/// these languages' prose ("a annoncé", "o presidente").
fn filler(w: &str) -> bool {
    matches!(
        w,
        // French
        "le" | "la" | "du" | "mis" | "mise" | "er"
        // German
        | "am" | "den" | "vom" | "um" | "stand"
        // Spanish, Italian, Portuguese
        | "el" | "de" | "del" | "las" | "il" | "di" | "alle" | "ore" | "em" | "feira"
    ) || is_hour_unit(w)
}

/// Any word of a date line in these languages that is not its content:
/// month and weekday names, cues, fillers. Weekday abbreviations are the
/// parser's to judge ([`is_short_weekday`]).
pub(super) fn is_date_word(w: &str) -> bool {
    if matches!(w, "à" | "às" | "ᵉʳ" | "º") {
        return true;
    }
    let f = fold(w);
    filler(&f)
        || published(&f)
        || updated(&f)
        || full_month(&f).is_some()
        || short_month(&f).is_some()
        || full_weekday(&f)
}

/// An ordinal marker written after the day as a word: "1er" and "1ᵉʳ"
/// (French), "1º"/"1o" (Spanish, Portuguese); read only right after a day.
/// The degree sign of "1°", typed for "º" on many keyboards, is no letter
/// and is the parser's.
pub(super) fn is_ordinal(w: &str) -> bool {
    matches!(w, "er" | "ᵉʳ" | "º" | "o")
}

/// "4 de diciembre", "4 di dicembre": the word between a day and its month.
pub(super) fn joins_day_month(w: &str) -> bool {
    matches!(w, "de" | "di")
}

/// "diciembre de 2025", "diciembre del 2025": the word between a month
/// and its year.
pub(super) fn joins_month_year(w: &str) -> bool {
    matches!(w, "de" | "del")
}

/// A word after an hour: "14h30", "14 h", "14 Uhr", "14.30 hs", "14.30
/// horas".
pub(super) fn is_hour_unit(w: &str) -> bool {
    matches!(w, "h" | "hs" | "uhr" | "horas")
}

/// A word before a time of day: "um 14.30", "alle 14.30", "ore 14.30",
/// "às 14.30", "a las 14.30", "à 14.30".
pub(super) fn is_before_time(w: &str) -> bool {
    matches!(fold(w).as_ref(), "um" | "alle" | "ore" | "as" | "a" | "las")
}
