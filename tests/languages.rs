//! Archives in many languages: each article's language (from its metadata,
//! else detected), `lang:`, each language's own stemming, Chinese and
//! Japanese searched by word, dates and places in other languages, and no
//! people or organisations where byline has no model for the language.
//! The articles are written here; the people and companies are invented.

use std::path::Path;

use assert_cmd::Command;
use byline::{Archive, IndexOptions, SearchRequest};

struct Env {
    _tmp: tempfile::TempDir,
    index: std::path::PathBuf,
    corpus: std::path::PathBuf,
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        write(
            &corpus,
            "de-hafen.txt",
            "Einigung im Hafen nach langen Verhandlungen\n\n\
             Veröffentlicht am 4. Dezember 2025\n\n\
             Nach drei Wochen zäher Verhandlungen haben sich die Betreiber der Terminals \
             und die Gewerkschaft der Hafenarbeitern auf einen neuen Tarifvertrag geeinigt. \
             Die Beschäftigten in München und Bremen bekommen mehr Geld, teilte Sprecherin \
             Wiebke Tammsen von der Firma Nordkai Logistik mit. Der Streik ist damit beendet.\n",
        );
        write(
            &corpus,
            "fr-electricite.json",
            r#"{"title": "Les prix de l'électricité baissent en janvier",
                "language": "fr-FR",
                "published": "2025-12-05",
                "body": "Le tarif réglementé baissera de huit pour cent au premier janvier, a annoncé le régulateur. Les ménages chauffés à l'électricité verront leur facture diminuer dès le mois prochain."}"#,
        );
        write(
            &corpus,
            "es-estiba.txt",
            "Los estibadores vuelven a la mesa\n\n\
             Publicado el 3 de diciembre de 2025\n\n\
             Las negociaciones entre los estibadores del puerto de Valencia y la empresa \
             Muelles Turia se reanudaron el martes tras dos semanas de huelga, según fuentes \
             sindicales. Ambas partes esperan un acuerdo antes de Navidad.\n",
        );
        write(
            &corpus,
            "ru-navodnenie.txt",
            "Наводнение в Санкт-Петербурге\n\n\
             Вода в Неве поднялась на два метра, и власти закрыли набережные. \
             Жители Санкт-Петербурга и Москвы следят за прогнозом, сообщила служба погоды.\n",
        );
        write(
            &corpus,
            "zh-bagong.txt",
            "德国港口码头工人罢工\n2025年12月2日 10:30\n\n\
             汉堡和不来梅的码头工人开始罢工，多艘集装箱船改靠鹿特丹。北京的出口企业担心交货延误。\n",
        );
        write(
            &corpus,
            "ja-suto.txt",
            "港湾労働者がストライキ\n\n\
             東京の港で労働者がストライキを始め、コンテナ船の荷役が止まった。会社側は交渉を続けると述べた。\n",
        );
        write(
            &corpus,
            "en-port.txt",
            "Dock workers strike in Felixstowe\n\nPublished 2025-12-01\n\n\
             Dock workers at Felixstowe walked out on Monday after talks on pay broke down, \
             the union said. Shipping lines diverted vessels to Rotterdam, Antwerp and Gdańsk. \
             The union's negotiator, Álvaro Sánchez, said the talks would resume. \
             Mr Sánchez said pay was the only issue.\n",
        );
        let index = tmp.path().join("index");
        Archive::open_or_create(&index)
            .unwrap()
            .index_folder(&corpus, &IndexOptions::default(), &|_| {})
            .unwrap();
        Env {
            _tmp: tmp,
            index,
            corpus,
        }
    }

    fn files(&self, q: &str) -> Vec<String> {
        let r = Archive::open(&self.index)
            .unwrap()
            .search(&SearchRequest::new(q).limit(20))
            .unwrap();
        let mut files: Vec<String> = r
            .hits
            .iter()
            .map(|h| {
                Path::new(&h.path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        files
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("byline").unwrap();
        c.arg("--index").arg(&self.index).env("NO_COLOR", "1");
        c
    }

    fn extract(&self, file: &str) -> serde_json::Value {
        let out = self
            .cmd()
            .arg("extract")
            .arg(self.corpus.join(file))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        match v {
            serde_json::Value::Array(mut a) => a.remove(0),
            v => v,
        }
    }
}

fn names(article: &serde_json::Value, kind: &str) -> Vec<String> {
    article[kind]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["name"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn each_article_has_a_language_from_its_metadata_or_its_text() {
    let env = Env::new();
    assert_eq!(env.files("lang:de"), ["de-hafen.txt"]);
    assert_eq!(env.files("lang:fr"), ["fr-electricite.json"]);
    assert_eq!(env.files("lang:es"), ["es-estiba.txt"]);
    assert_eq!(env.files("lang:ru"), ["ru-navodnenie.txt"]);
    assert_eq!(env.files("lang:zh"), ["zh-bagong.txt"]);
    assert_eq!(env.files("lang:ja"), ["ja-suto.txt"]);
    assert_eq!(env.files("lang:en"), ["en-port.txt"]);
    // Names and regions are read as codes; several are any of them.
    assert_eq!(env.files("lang:German"), ["de-hafen.txt"]);
    assert_eq!(env.files("lang:fr-CA"), ["fr-electricite.json"]);
    assert_eq!(
        env.files("lang:de lang:fr"),
        ["de-hafen.txt", "fr-electricite.json"]
    );
    assert_eq!(env.files("-lang:en lang:de"), ["de-hafen.txt"]);
    assert_eq!(env.files("strike -lang:en").len(), 0);
    assert!(env.files("lang:nl").is_empty());
    let err = Archive::open(&env.index)
        .unwrap()
        .search(&SearchRequest::new("lang:12345"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("lang:") && err.contains("language"), "{err}");
    assert_eq!(env.extract("fr-electricite.json")["language"], "fr");
    assert_eq!(env.extract("de-hafen.txt")["language"], "de");
}

#[test]
fn stats_and_the_entities_facet_count_languages() {
    let env = Env::new();
    let s = Archive::open(&env.index).unwrap().stats().unwrap();
    let mut langs = s.languages.clone();
    langs.sort();
    let want: Vec<(String, u64)> = ["de", "en", "es", "fr", "ja", "ru", "zh"]
        .iter()
        .map(|c| (c.to_string(), 1))
        .collect();
    assert_eq!(langs, want);
    let out = env.cmd().arg("stats").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("languages   "), "{text}");
    let out = env
        .cmd()
        .args(["entities", "--json", "--", "-lang:zh"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let langs = v["languages"].as_array().unwrap();
    assert_eq!(langs.len(), 6, "{v}");
    assert!(langs.iter().all(|l| l["articles"] == 1), "{v}");
    let out = env.cmd().args(["entities", "*"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("languages\n"), "{text}");
}

#[test]
fn each_language_is_stemmed_as_it_inflects() {
    let env = Env::new();
    // "Hafenarbeitern" and "Verhandlungen" are forms English stemming
    // leaves apart from "Hafenarbeiter" and "Verhandlung".
    assert_eq!(env.files("Hafenarbeiter Verhandlung"), ["de-hafen.txt"]);
    assert_eq!(env.files("électrique"), ["fr-electricite.json"]);
    assert_eq!(env.files("negociar estibador"), ["es-estiba.txt"]);
    // Accents folded, in every language: "electricite" is "électricité".
    assert_eq!(env.files("electricite"), ["fr-electricite.json"]);
    assert_eq!(env.files("наводнения"), ["ru-navodnenie.txt"]);
    // A phrase in a language's own field.
    assert_eq!(env.files("\"tarif réglementé\""), ["fr-electricite.json"]);
    // English as ever.
    assert_eq!(env.files("dock worker strikes"), ["en-port.txt"]);
}

#[test]
fn chinese_and_japanese_are_searched_by_word() {
    let env = Env::new();
    assert_eq!(env.files("罢工"), ["zh-bagong.txt"]);
    assert_eq!(env.files("码头工人"), ["zh-bagong.txt"]);
    assert_eq!(env.files("ストライキ"), ["ja-suto.txt"]);
    assert_eq!(env.files("労働者"), ["ja-suto.txt"]);
    // Characters that are in the text, but not side by side, are no match.
    assert!(env.files("工罢").is_empty());
    let zh = env.extract("zh-bagong.txt");
    assert_eq!(zh["title"], "德国港口码头工人罢工");
    assert_eq!(zh["published"], "2025-12-02T10:30:00Z");
}

#[test]
fn other_languages_give_places_by_their_native_names_and_no_guessed_names() {
    let env = Env::new();
    let de = env.extract("de-hafen.txt");
    assert_eq!(de["published"], "2025-12-04T00:00:00Z");
    assert!(names(&de, "people").is_empty(), "{de}");
    assert!(names(&de, "organizations").is_empty(), "{de}");
    let places = names(&de, "places");
    assert!(places.contains(&"Munich".to_string()), "{places:?}");
    assert!(places.contains(&"Bremen".to_string()), "{places:?}");
    let ru = env.extract("ru-navodnenie.txt");
    let places = names(&ru, "places");
    assert!(
        places.contains(&"Saint Petersburg".to_string()) && places.contains(&"Moscow".to_string()),
        "{places:?}"
    );
    assert!(names(&ru, "organizations").is_empty(), "{ru}");
    let zh = env.extract("zh-bagong.txt");
    let places = names(&zh, "places");
    for p in ["Germany", "Bremen", "Rotterdam", "Beijing"] {
        assert!(places.contains(&p.to_string()), "{p}: {places:?}");
    }
    // Searched by their English names, and with or without accents.
    assert_eq!(env.files("place:Munich"), ["de-hafen.txt"]);
    assert_eq!(env.files("place:Gdansk"), ["en-port.txt"]);
    assert_eq!(env.files("place:Gdańsk"), ["en-port.txt"]);
    assert_eq!(env.files("person:Sanchez"), ["en-port.txt"]);
    assert_eq!(env.files("person:\"Álvaro Sánchez\""), ["en-port.txt"]);
    assert_eq!(env.files("person:Sánchez"), ["en-port.txt"]);
    assert_eq!(
        env.files("place:\"Saint Petersburg\""),
        ["ru-navodnenie.txt"]
    );
    // English articles are read by the English extractor, as before.
    let en = env.extract("en-port.txt");
    assert!(
        names(&en, "places").contains(&"Rotterdam".to_string()),
        "{en}"
    );
}

/// The sample archive's French articles: the issue's own example.
#[test]
fn a_french_query_finds_the_forms_the_articles_use() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/multilingual");
    Archive::open_or_create(&index)
        .unwrap()
        .index_folder(&corpus, &IndexOptions::default(), &|_| {})
        .unwrap();
    let r = Archive::open(&index)
        .unwrap()
        .search(&SearchRequest::new("grève des dockers lang:fr").limit(10))
        .unwrap();
    let files: Vec<String> = r
        .hits
        .iter()
        .map(|h| {
            Path::new(&h.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    // "grèves" and "docker" in the text, "grève des dockers" in the query.
    for f in [
        "fr-greves-ports-le-havre-dunkerque.json",
        "fr-greve-dockers-marseille.txt",
        "fr-accord-fin-greve-dockers-le-havre.txt",
    ] {
        assert!(files[..3].contains(&f.to_string()), "{f}: {files:?}");
    }
    let s = Archive::open(&index).unwrap().stats().unwrap();
    assert_eq!(s.documents, 50);
    assert_eq!(
        s.languages.iter().map(|(_, n)| n).sum::<u64>(),
        50,
        "{:?}",
        s.languages
    );
}
