//! size-base plus lingua with the eval's 20 languages: prints the language of stdin.
use lingua::Language::*;
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let d = lingua::LanguageDetectorBuilder::from_languages(&[
        English, French, German, Spanish, Italian, Portuguese, Dutch, Swedish, Russian, Chinese,
        Japanese, Danish, Bokmal, Nynorsk, Finnish, Polish, Turkish, Greek, Arabic, Korean,
    ])
    .build();
    println!("{} {:?}", s.len(), d.detect_language_of(s.as_str()));
}
