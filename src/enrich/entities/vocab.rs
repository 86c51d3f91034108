//! The word tables written in the code rather than generated: words that
//! are no names, the words of sport copy, event, venue and feature words,
//! the cue words of context, and the small words that join a name. Tables
//! only; what is done with them lives beside the rules that ask.

/// All-capital words that are not organisations.
pub(super) const NOT_ORGANISATIONS: &[&str] = &[
    "TV", "PC", "CD", "CDs", "DVD", "DVDs", "MP", "MPs", "MSP", "MSPs", "MEP", "MEPs", "AI", "DS",
    "PSP", "GDP", "CEO", "IT", "PR", "OK", "AM", "PM", "BC", "AD", "HIV", "AIDS", "SMS", "GPS",
    "UFO", "VAT", "ID", "H.I.V.", "IQ", "DJ", "MC", "FM", "HD", "LCD", "PDF", "USB", "VIP", "PhD",
    "MBA", "CCTV", "DNA", "RAM", "CPU", "MP3", "GM", "OBE", "MBE", "CBE", "QC", "DIY", "FAQ",
    "ATM", "PIN", "Q1", "Q2", "Q3", "Q4", "AGM", "IPO", "CGI", "RPG", "GMT", "BST", "UTC", "CET",
    "EST", "PST", "SUV", "SUVs", "KSh", "USD", "EUR", "GBP", "JPY", "CHF", "NOK", "SEK", "DKK",
    "PLN", "KES", "NGN", "GHS", "ZAR", "CAD", "AUD", "CNY", "INR",
    // Economic measures and time zones of older and American copy.
    "GNP", "CPI", "PPI", "EDT", "CDT", "MDT", "PDT", "CST", "MST",
];

/// Capitalised words that name no person, organisation or place: faiths,
/// events, and the like.
pub(super) const NOT_NAMES: &[&str] = &[
    "Muslim",
    "Muslims",
    "Christian",
    "Christians",
    "Catholic",
    "Catholics",
    "Jewish",
    "Jews",
    "Hindu",
    "Hindus",
    "Sikh",
    "Sikhs",
    "Buddhist",
    "Protestant",
    "Protestants",
    "Islam",
    "Islamic",
    "Sunni",
    "Sunnis",
    "Shiite",
    "Shiites",
    "Shia",
    "Olympic",
    "Olympics",
    "Euros",
    "Marathon",
    // Storms: "Hurricane Dora" is no person.
    "Hurricane",
    "Typhoon",
    "Cyclone",
    "Christmas",
    "Easter",
    "Ramadan",
    "Internet",
    "Web",
    "God",
    // Currencies written as codes before an amount: "KSh 85 million".
    "KSh",
    "Ksh",
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "CNY",
    "INR",
    "NGN",
    "GHS",
    "ZAR",
    "CHF",
];

/// Whether `w` is in [`NOT_NAMES`]; a token knows it from its flags.
pub(super) fn is_not_name(w: &str) -> bool {
    NOT_NAMES.contains(&w)
}

/// Last words of club names that follow the town ("Bolton Wanderers").
pub(super) fn is_club_suffix(w: &str) -> bool {
    matches!(
        w,
        "United"
            | "City"
            | "Wanderers"
            | "Rovers"
            | "Athletic"
            | "Albion"
            | "FC"
            | "AFC"
            | "Town"
            | "County"
            | "Villa"
            | "Hotspur"
            | "Rangers"
            | "Wednesday"
            | "Argyle"
            | "Vale"
            | "Utd"
            | "Orient"
            | "Thistle"
    )
}

/// Club nicknames, organisations in sport copy ("Boro booked their place").
pub(super) fn is_club_nickname(w: &str) -> bool {
    matches!(
        w,
        "Gunners"
            | "Blues"
            | "Reds"
            | "Magpies"
            | "Toffees"
            | "Hammers"
            | "Spurs"
            | "Wanderers"
            | "Boro"
            | "Villans"
            | "Foxes"
            | "Canaries"
            | "Baggies"
            | "Hornets"
            | "Clarets"
            | "Potters"
            | "Rams"
            | "Wolves"
            | "Saints"
            | "Owls"
            | "Blades"
            | "Cherries"
            | "Seagulls"
            | "Gers"
            | "Bhoys"
            | "Hoops"
            | "Hatters"
            | "Tractor"
            | "Cottagers"
            | "Addicks"
            | "Eagles"
            | "Trotters"
            | "Latics"
            | "Posh"
            | "Pompey"
            | "United"
            | "Rovers"
            | "Albion"
            | "Athletic"
            | "Rangers"
            | "Celtic"
            | "Hibs"
            | "Hearts"
    )
}

/// Words common in sport copy; enough of them make a text a sport report,
/// where a town is most often its club.
pub(super) const SPORT_WORDS: &[&str] = &[
    "goal",
    "goals",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "keeper",
    "winger",
    "league",
    "scored",
    "scorer",
    "penalty",
    "squad",
    "match",
    "unbeaten",
    "tournament",
    "medal",
    "champion",
    "championship",
    "football",
    "rugby",
    "tennis",
    "cricket",
    "athletics",
    "referee",
    "fixture",
    "header",
    "coach",
    "season",
    "semi-final",
    "quarter-final",
    "final",
    "club",
    "clubs",
    "player",
    "players",
    "transfer",
    "team-mate",
    "left-back",
    "right-back",
    "fans",
    "stadium",
    // Other games' words: cricket, baseball, American football, basketball.
    "innings",
    "wicket",
    "wickets",
    "batsman",
    "bowler",
    "pitcher",
    "shortstop",
    "touchdown",
    "quarterback",
    "rebounds",
    "half-time",
    "halftime",
    "equaliser",
    "equalizer",
    "hat-trick",
    "play-off",
    "playoff",
    "relegation",
    "midfield",
];

/// Last words of events, competitions and awards, which are not annotated
/// and hide the names inside them ("Geneva Motor Show", "Uefa Cup").
pub(super) fn is_event_word(w: &str) -> bool {
    matches!(
        w,
        "Show"
            | "Festival"
            | "Marathon"
            | "Games"
            | "Awards"
            | "Award"
            | "Cup"
            | "Championship"
            | "Championships"
            | "Prize"
            | "Trophy"
            | "Olympics"
            | "Exhibition"
            | "Expo"
            | "Tournament"
            | "Open"
            | "Bowl"
            | "Prix"
            | "Rally"
    )
}

/// Last words of named sites and buildings: places, even when the rest is a
/// town or a person ("Edinburgh Airport", "Millennium Stadium", "Gdynia
/// Container Terminal").
pub(super) fn is_venue_word(w: &str) -> bool {
    matches!(
        w,
        "Stadium"
            | "Arena"
            | "Theatre"
            | "Theater"
            | "Airport"
            | "Palace"
            | "Cathedral"
            | "Abbey"
            | "Castle"
            | "Square"
            | "Racecourse"
            | "Velodrome"
            | "Park"
            | "Terminal"
            | "Station"
            | "Bridge"
            | "Gate"
            | "Harbour"
            | "Harbor"
            | "Tower"
    )
}

/// Lowercase words inside a surname: "Pieter van Dam", "Ursula von der
/// Leyen", "Charles de Gaulle".
pub(crate) fn is_particle(w: &str) -> bool {
    // Only joining words the tokenizer keeps inside a name (`is_connector`).
    matches!(
        w,
        "van"
            | "von"
            | "de"
            | "der"
            | "den"
            | "du"
            | "da"
            | "do"
            | "dos"
            | "das"
            | "di"
            | "del"
            | "le"
            | "la"
    )
}

/// Last words of named geographic features: "Gdańsk Bay" is a place, not
/// the city Gdańsk and an unknown "Bay" (which, used twice, would become an
/// organisation). Unlike a venue, only after a word that is no given name:
/// "Michael Bay" is a person.
pub(super) fn is_feature_word(w: &str) -> bool {
    matches!(
        w,
        "Bay"
            | "Gulf"
            | "Sea"
            | "Strait"
            | "Straits"
            | "Lagoon"
            | "Estuary"
            | "Fjord"
            | "Peninsula"
            | "Coast"
            | "Valley"
            | "Desert"
            | "Delta"
            | "Canal"
            | "Glacier"
            | "Mountains"
            | "Islands"
    )
}

/// First words of named geographic features ("River Senne") and saints'
/// towns ("St Albans").
pub(super) fn is_place_prefix(w: &str) -> bool {
    matches!(w, "River" | "Lake" | "Mount" | "Mt" | "St" | "Loch")
}

/// Nouns that name a work or product right before its title ("the film
/// Rainbow Street", "sang Blue Harbour").
pub(super) const WORK_CUES: &[&str] = &[
    "film",
    "movie",
    "book",
    "novel",
    "album",
    "single",
    "song",
    "songs",
    "game",
    "sitcom",
    "musical",
    "series",
    "show",
    "programme",
    "documentary",
    "drama",
    "opera",
    "track",
    "sang",
    "sings",
    "character",
    "characters",
];

/// Nouns that put an organisation's name right after them ("the law firm
/// Harte Lowry", "the band Velvet Crane").
pub(super) const ORG_NOUNS: &[&str] = &[
    "firm",
    "company",
    "group",
    "band",
    "publication",
    "newspaper",
    "magazine",
    "tabloid",
    "broadcaster",
    "label",
    "retailer",
    "chain",
    "bank",
    "insurer",
    "airline",
    "carrier",
    "maker",
    "manufacturer",
    "giant",
    "conglomerate",
    "charity",
    "organisation",
    "organization",
    "agency",
    "watchdog",
    "consultancy",
    "studio",
    "distributor",
    "outfit",
    "trio",
    "lender",
    "supermarket",
    "brewer",
    "publisher",
    "unit",
    "subsidiary",
];

/// Roles held at or in an organisation: "analyst at Harte Lowry".
pub(super) const ORG_ROLES: &[&str] = &[
    "analyst",
    "analysts",
    "economist",
    "economists",
    "strategist",
    "editor",
    "partner",
    "partners",
    "executive",
    "executives",
    "founder",
    "chairman",
    "employees",
    "staff",
    "researchers",
    "shares",
    "stake",
    "subsidiary",
    "unit",
    "division",
];

/// Words right after an organisation's name: "Harte Lowry shares", "Velvet
/// Crane singer".
pub(super) const ORG_FOLLOWERS: &[&str] = &[
    "shares",
    "shareholders",
    "analyst",
    "analysts",
    "economist",
    "singer",
    "frontman",
    "frontwoman",
    "guitarist",
    "drummer",
    "bassist",
    "headquarters",
    "subsidiary",
    "employees",
];

/// Product nouns right after a brand or model name ("Glenrock Reserve
/// whisky"); the name is not annotated.
pub(super) const PRODUCT_NOUNS: &[&str] = &[
    "whisky",
    "whiskey",
    "rum",
    "vodka",
    "gin",
    "wine",
    "beer",
    "lager",
    "cider",
    "car",
    "cars",
    "phone",
    "handset",
    "camera",
    "console",
    "jukebox",
    "index",
    "SUV",
    "SUVs",
    "hatchback",
    "hatchbacks",
    "saloon",
    "sedan",
    "compact",
    "smartphone",
    "laptop",
];

/// Words after a painter's name: "a Whistler painting".
pub(super) const PAINTER_CUES: &[&str] = &[
    "painting",
    "paintings",
    "portrait",
    "sculpture",
    "sculptures",
];

/// Nouns right after an organisation's name: "the Courier newspaper".
pub(super) const ORG_AFTER: &[&str] = &["newspaper", "magazine", "tabloid", "firm", "company"];

/// Words that may sit inside a name between capitalised words.
pub(super) fn is_connector(w: &str) -> bool {
    is_particle(w)
        || matches!(
            w,
            "of" | "the" | "for" | "des" | "al" | "bin" | "ibn" | "und" | "&" | "on" | "upon" | "y"
        )
}

/// Lowercase words that follow a name and a hyphen to make an adjective
/// ("Florida-based", "Belfast-born", "EU-funded"): the name still counts.
pub(super) const COMPOUND_TAILS: &[&str] = &[
    "based",
    "born",
    "bred",
    "backed",
    "funded",
    "owned",
    "led",
    "run",
    "listed",
    "registered",
    "controlled",
    "style",
    "wide",
    "era",
    "themed",
    "made",
    "headquartered",
    "focused",
    "linked",
    "sponsored",
    "supported",
    "inspired",
    "designed",
    "built",
    "produced",
    "friendly",
    "bashing",
    "type",
    "like",
    "related",
    "educated",
    "trained",
    "raised",
    "dominated",
    "affiliated",
    "bound",
    "centred",
    "centered",
    "specific",
    "branded",
    "approved",
];

/// A month (but "May", a surname too) or a day of the week.
pub(super) fn is_month_or_day(w: &str) -> bool {
    matches!(
        w,
        "January"
            | "February"
            | "March"
            | "April"
            | "June"
            | "July"
            | "August"
            | "September"
            | "October"
            | "November"
            | "December"
            | "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
    )
}
