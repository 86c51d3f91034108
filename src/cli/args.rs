//! The command line's grammar: clap definitions only. The shell
//! completions and the man page are generated from these.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use byline::{Format, Granularity, Sort};

/// Full-text search for news archives.
#[derive(Debug, Parser)]
#[command(name = "byline", version, about, max_term_width = 100)]
pub struct Cli {
    /// Index folder [default: index]. A folder named here (or in
    /// BYLINE_INDEX) must hold an index, except for `byline index` and
    /// `reindex --full`, which build one.
    #[arg(long, global = true, env = "BYLINE_INDEX")]
    pub index: Option<PathBuf>,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The index folder: the one named, else `index`.
    pub fn index_dir(&self) -> PathBuf {
        self.index.clone().unwrap_or_else(|| PathBuf::from("index"))
    }
}

/// When to use colour.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// byline's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index a folder of articles (replacing what the index held).
    Index {
        /// Folder (or file) of articles.
        #[arg(default_value = "corpus")]
        corpus: PathBuf,
        /// Writer memory budget in MB.
        #[arg(long, default_value_t = 256)]
        memory_mb: usize,
        /// Threads that write the index, and as many that read and enrich
        /// articles (0: one of each per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Skip files larger than this many MB (JSON Lines is streamed, record by record).
        #[arg(long, default_value_t = 64)]
        max_file_mb: u64,
        /// Date an article with no date in its metadata, path or text by its
        /// file's modification time (remembered by the index for `reindex`).
        #[arg(long)]
        mtime_dates: bool,
        /// No longer needed: articles are undated unless --mtime-dates.
        #[arg(long, hide = true, conflicts_with = "mtime_dates")]
        no_mtime_dates: bool,
        /// Skip entity extraction: faster, but no person:/org:/place: search.
        #[arg(long)]
        no_entities: bool,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Bring the index in step with the folder: new, changed and removed files.
    Reindex {
        /// Folder (or file) of articles [default: the one the index was built
        /// from; `corpus` for a new index].
        corpus: Option<PathBuf>,
        /// Rebuild from scratch beside the live index, then swap it in atomically.
        #[arg(long)]
        full: bool,
        /// Date articles with no other date by file modification time; an
        /// index built without it needs --full to start.
        #[arg(long)]
        mtime_dates: bool,
        /// Writer memory budget in MB.
        #[arg(long, default_value_t = 256)]
        memory_mb: usize,
        /// Skip files larger than this many MB (JSON Lines is streamed, record by record).
        #[arg(long, default_value_t = 64)]
        max_file_mb: u64,
        /// Print `{"added","updated","removed","unchanged","skipped","seconds"}`.
        #[arg(long)]
        json: bool,
    },
    /// Search the index.
    Search {
        /// The query: words, "phrases", OR, -exclusions, after:/before:/on:/date:,
        /// person:/org:/place:/entity:. Put `--` before a query that starts with `-`.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Number of hits (0: only the total).
        #[arg(short = 'n', long, default_value_t = 10)]
        limit: usize,
        /// Every hit (for an export with --csv or --json).
        #[arg(long, conflicts_with = "limit")]
        all: bool,
        /// Hits to skip (for paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Ordering of hits.
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// Half-life of the recency decay for --sort recent (e.g. 30d, 12h, 2w).
        #[arg(long, default_value = "30d", value_parser = parse_half_life)]
        half_life: f64,
        /// The day you read as of: --sort recent decays a match by its
        /// distance from it, before or after (YYYY[-MM[-DD]]; default: the
        /// end of --until, else the newest matching article).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// The period.
        #[command(flatten)]
        dates: DateArgs,
        /// One JSON object: `{"total":N,"hits":[...],...}`.
        #[arg(long, conflicts_with = "csv", group = "export")]
        json: bool,
        /// CSV with a header row: rank, id, score, published, date_source,
        /// title, byline, url, path, snippet, copies (the story's other
        /// copies' paths, `; ` between them) and, with --body, text.
        #[arg(long, group = "export")]
        csv: bool,
        /// With --json or --csv: each hit's full text too (`text`:
        /// standfirst and body; the last column of --csv).
        #[arg(long, requires = "export")]
        body: bool,
        /// Every copy of a story as a hit of its own. By default a story
        /// published more than once (the same text within 3 days: see
        /// `byline duplicates`) is one hit, which lists its other copies.
        #[arg(long)]
        all_copies: bool,
        /// Folder to index when there is no index yet.
        #[arg(long, default_value = "corpus")]
        corpus: PathBuf,
        /// Search a Quickwit index instead of the local one.
        #[command(flatten)]
        remote: RemoteArgs,
    },
    /// Show one article whole, as indexed: by its id, or by the path a
    /// search printed (FILE, or FILE#KEY for a record of a file of several).
    Show {
        /// The article's id, or its path.
        reference: String,
        /// Print the article as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Write every article of the index as JSON Lines, one `show --json`
    /// object per line (for another engine, a backup, or a script),
    /// streamed: memory does not grow with the archive.
    Export {
        /// The period (undated articles are left out when one is given).
        #[command(flatten)]
        dates: DateArgs,
    },
    /// Print a file's parsed article(s) as JSON, to see what the index gets.
    Extract {
        /// The file, or - for standard input; FILE#KEY for one record of a
        /// file of several.
        file: PathBuf,
        /// Format of standard input (default: guessed from its first byte).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Treat the input as plain text (no article structure) and print only
        /// its entities, with byte spans into the input as given (hard-wrapped
        /// lines are read as their paragraphs, as indexing reads them).
        #[arg(long)]
        plain: bool,
        /// Skip files larger than this many MB (JSON Lines is streamed, record by record).
        #[arg(long, default_value_t = 64)]
        max_file_mb: u64,
        /// Date an article with no other date by its file's modification
        /// time, as `index --mtime-dates` does.
        #[arg(long)]
        mtime_dates: bool,
    },
    /// The people, organisations and places most named among the hits (or the
    /// whole archive): who and what a story is about.
    Entities {
        /// The query (empty: the whole archive). Put `--` before a query that
        /// starts with `-`.
        query: Vec<String>,
        /// How many of each kind.
        #[arg(short = 'n', long, default_value_t = 10)]
        limit: usize,
        /// The period.
        #[command(flatten)]
        dates: DateArgs,
        /// One JSON object.
        #[arg(long, conflicts_with = "csv", group = "export")]
        json: bool,
        /// CSV with a header row: kind, name, stories (articles, with
        /// --all-copies).
        #[arg(long)]
        csv: bool,
        /// Count every article: by default copies of one story (the same
        /// text within 3 days: see `byline duplicates`) count once.
        #[arg(long)]
        all_copies: bool,
        /// Count in a Quickwit index instead of the local one.
        #[command(flatten)]
        remote: RemoteArgs,
    },
    /// Count matching stories (copies of one story once) per day, week,
    /// month or year, as a chart.
    Timeline {
        /// The query (empty: the whole archive). Put `--` before a query that
        /// starts with `-`.
        query: Vec<String>,
        /// Bucket size.
        #[arg(long, value_enum, default_value_t = ByArg::Month)]
        by: ByArg,
        /// The period.
        #[command(flatten)]
        dates: DateArgs,
        /// Print `{"buckets":[{"start":..,"count":..}],...}`.
        #[arg(long, conflicts_with = "csv", group = "export")]
        json: bool,
        /// Print `start,count` lines.
        #[arg(long)]
        csv: bool,
        /// Count every article: by default copies of one story (the same
        /// text within 3 days: see `byline duplicates`) count once.
        #[arg(long)]
        all_copies: bool,
        /// Count in a Quickwit index instead of the local one.
        #[command(flatten)]
        remote: RemoteArgs,
    },
    /// Stories published more than once: copies of one text (republished,
    /// trimmed, extended or corrected) within a few days, largest first.
    /// A query, --since and --until pick the stories with a copy that
    /// matches them; every copy of a story picked is shown.
    Duplicates {
        /// Only stories with a copy that matches this query (empty: all).
        /// Put `--` before a query that starts with `-`.
        query: Vec<String>,
        /// How many stories (0: all).
        #[arg(short = 'n', long, default_value_t = 20)]
        limit: usize,
        /// A story's dated copies fall within this many calendar days of its
        /// first (0: the same day); the same text later is a new story (a
        /// weekly statement repeated word for word is news each week).
        #[arg(long, default_value_t = 3)]
        window: u32,
        /// The period.
        #[command(flatten)]
        dates: DateArgs,
        /// One JSON object.
        #[arg(long, conflicts_with = "csv", group = "export")]
        json: bool,
        /// CSV with a header row, one row per copy: story, copies,
        /// published, id, path, url, title.
        #[arg(long)]
        csv: bool,
    },
    /// Serve the search page and the HTTP API (JSON, CSV) over the index,
    /// read-only, until Ctrl-C. Builds the index from the corpus on first
    /// use, as `search` does.
    #[cfg(feature = "serve")]
    Serve {
        /// Address to listen on. Loopback by default: another address
        /// opens the archive to the network without authentication (put a
        /// reverse proxy with authentication in front).
        #[arg(long, default_value = "127.0.0.1:7700")]
        bind: std::net::SocketAddr,
        /// Searches run at once; more wait their turn (0: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Folder to index when there is no index yet.
        #[arg(long, default_value = "corpus")]
        corpus: PathBuf,
    },
    /// Feed a Quickwit cluster: its index config, and a push of the
    /// articles that are new, changed or gone since the last push.
    Quickwit {
        /// What to do.
        #[command(subcommand)]
        action: QuickwitCommand,
    },
    /// Numbers about the index.
    Stats {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Print a completion script for a shell (e.g. `byline completions bash
    /// > /etc/bash_completion.d/byline`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `byline man > byline.1`, or a
    /// command's (`byline man search > byline-search.1`).
    Man {
        /// The command whose page to print (default: byline's own).
        command: Option<String>,
    },
}

/// `--quickwit URL` and `--quickwit-index NAME`: a Quickwit index searched
/// instead of the local one.
#[derive(Debug, Clone, Args)]
pub struct RemoteArgs {
    /// A Quickwit node's REST address (http://HOST:7280) to ask instead of
    /// the local index; `byline quickwit push` fills it.
    #[arg(long, value_name = "URL", env = "BYLINE_QUICKWIT")]
    pub quickwit: Option<String>,
    /// The Quickwit index to ask.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "byline",
        env = "BYLINE_QUICKWIT_INDEX"
    )]
    pub quickwit_index: String,
}

/// `byline quickwit` subcommands.
#[derive(Debug, Subcommand)]
pub enum QuickwitCommand {
    /// Print the Quickwit index config (YAML) for byline's articles, every
    /// field said.
    Config {
        /// The Quickwit index's name (its index_id).
        #[arg(
            long,
            value_name = "NAME",
            default_value = "byline",
            env = "BYLINE_QUICKWIT_INDEX"
        )]
        quickwit_index: String,
    },
    /// Send the index's articles to a Quickwit index (created when
    /// missing): new ones, changed ones again, and deletions of those
    /// gone; a push stopped half way goes on where it stopped.
    Push {
        /// The Quickwit node's REST address (http://HOST:7280).
        #[arg(long, value_name = "URL", env = "BYLINE_QUICKWIT")]
        url: String,
        /// The Quickwit index's name (its index_id).
        #[arg(
            long,
            value_name = "NAME",
            default_value = "byline",
            env = "BYLINE_QUICKWIT_INDEX"
        )]
        quickwit_index: String,
        /// Only articles published on or after this date (YYYY[-MM[-DD]]),
        /// and deletions among those.
        #[arg(long)]
        since: Option<String>,
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// `--since` and `--until`, shared by the commands that read the index.
#[derive(Debug, Clone, Args)]
pub struct DateArgs {
    /// Only articles published on or after this date (YYYY[-MM[-DD]]).
    #[arg(long)]
    pub since: Option<String>,
    /// Only articles published on or before this date (YYYY[-MM[-DD]]).
    #[arg(long)]
    pub until: Option<String>,
}

/// `--sort` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest first.
    Date,
    /// Oldest first.
    Oldest,
    /// Best match, decayed by age.
    Recent,
}

/// `--by` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ByArg {
    /// Days (UTC).
    Day,
    /// ISO weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

impl From<ByArg> for Granularity {
    fn from(b: ByArg) -> Granularity {
        match b {
            ByArg::Day => Granularity::Day,
            ByArg::Week => Granularity::Week,
            ByArg::Month => Granularity::Month,
            ByArg::Year => Granularity::Year,
        }
    }
}

/// `--format` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Scraped plain text.
    Txt,
    /// A JSON object or array.
    Json,
    /// JSON Lines.
    Jsonl,
    /// HTML.
    Html,
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Sort {
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
            SortArg::Oldest => Sort::Oldest,
            SortArg::Recent => Sort::Recent,
        }
    }
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Txt => Format::Txt,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Html => Format::Html,
        }
    }
}

fn parse_half_life(s: &str) -> std::result::Result<f64, String> {
    let (num, unit) = s.split_at(s.find(|c: char| c.is_alphabetic()).unwrap_or(s.len()));
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("expected a duration like 30d, 12h or 2w, got `{s}`"))?;
    let days = match unit {
        "" | "d" => n,
        "h" => n / 24.0,
        "w" => n * 7.0,
        "m" | "mo" => n * 30.0,
        "y" => n * 365.0,
        _ => {
            return Err(format!(
                "unknown unit `{unit}` in `{s}`: use h, d, w, mo or y"
            ))
        }
    };
    if days <= 0.0 || !days.is_finite() {
        return Err(format!("half-life must be positive, got `{s}`"));
    }
    Ok(days)
}
