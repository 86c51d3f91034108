#!/usr/bin/env python3
"""Compare byline with peer engines on one corpus: indexing, index size,
memory, query latency and top-10 agreement.

    python3 eval/compare/compare.py CORPUS [--byline target/release/byline]
        [--queries eval/compare/queries.txt] [--inproc FILE | --inproc-bench] [--out results.json]

CORPUS is a folder of .txt articles (title = first line, body = the rest;
.jsonl files inside it are read too) or one .jsonl file of records
{"id","title","published","byline","text"}.

Engines:
  byline        the CLI: `byline --index DIR index CORPUS --json`, then one
                `byline --index DIR search --json -n 10 QUERY` process per query.
  SQLite FTS5   Python's sqlite3 module, in-process queries, indexing in a child
                process of its own (so its peak RSS is its own).
  ripgrep       if `rg` is on PATH (or --rg): one `rg` process per query over the
                raw corpus, no index, no ranking (see README for what is timed).
  tantivy-cli   if `tantivy` is on PATH (or --tantivy): index + one
                `tantivy search` process per query.
  Xapian        if a Python with Xapian's bindings is found (or --xapian-python):
                indexing and in-process queries, each in a child process.

Standard library only, with one exception: when this Python's SQLite lacks
FTS5 (or with --sqlite pysqlite3), the script installs pysqlite3-binary (a
recent SQLite with FTS5 built in) with pip into a cache folder on first use.
See eval/compare/README.md.
"""
import argparse
import datetime as dt
import importlib
import json
import math
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

MB = 1_000_000
HERE = os.path.dirname(os.path.abspath(__file__))
SQLITE_CHILD_FLAG = "--_sqlite-index-child"
XAPIAN_INDEX_FLAG = "--_xapian-index-child"
XAPIAN_QUERY_FLAG = "--_xapian-query-child"

# --------------------------------------------------------------------------
# Corpus reading (the same articles for every engine that is fed by us)
# --------------------------------------------------------------------------

PATH_YMD = re.compile(r"^(\d{4})[-_]?(\d{2})[-_]?(\d{2})")


def _civil(y, m, d):
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def date_from_path(rel):
    """A date in a path, as byline reads it: a file name starting with
    2025-12-04 / 2025_12_04 / 20251204, or .../YYYY/MM[/DD]/file (nearest first)."""
    parts = [p for p in re.split(r"[\\/]", rel) if p]
    if not parts:
        return None
    m = PATH_YMD.match(parts[-1])
    if m:
        d = _civil(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return d
    dirs = parts[:-1]

    def num(s, lo, hi):
        return int(s) if lo <= len(s) <= hi and s.isdigit() else None

    for end in range(len(dirs), 0, -1):
        w = dirs[:end]
        n = len(w)
        if n >= 3:
            y, mo, d = num(w[n - 3], 4, 4), num(w[n - 2], 1, 2), num(w[n - 1], 1, 2)
            if None not in (y, mo, d):
                date = _civil(y, mo, d)
                if date:
                    return date
        if n >= 2:
            y, mo = num(w[n - 2], 4, 4), num(w[n - 1], 1, 2)
            if None not in (y, mo):
                date = _civil(y, mo, 1)
                if date:
                    return date
    return None


def iso_utc(ts):
    return ts.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def norm_published(value):
    """A record's date as an ISO UTC string ('YYYY-MM-DDTHH:MM:SSZ'), or None."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            return iso_utc(dt.datetime.fromtimestamp(value, dt.timezone.utc))
        except (OverflowError, OSError, ValueError):
            return None
    v = str(value).strip()
    if not v:
        return None
    try:
        ts = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        try:
            ts = dt.datetime.combine(dt.date.fromisoformat(v[:10]), dt.time())
        except ValueError:
            return None
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=dt.timezone.utc)
    return iso_utc(ts)


def decode(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_txt(path, rel):
    with open(path, "rb") as fh:
        text = decode(fh.read())
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    title = lines[i].strip() if i < len(lines) else ""
    body = "\n".join(lines[i + 1:]).strip()
    d = date_from_path(rel)
    if d is not None:
        published = d.strftime("%Y-%m-%dT00:00:00Z")
    else:  # byline's last resort is the file's mtime, too
        published = iso_utc(dt.datetime.fromtimestamp(os.stat(path).st_mtime, dt.timezone.utc))
    return {"key": rel, "title": title, "body": body, "published": published}


def read_jsonl(path, rel):
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            raw = raw.strip()
            if not raw:
                continue
            try:
                rec = json.loads(decode(raw))
            except ValueError:
                continue
            if not isinstance(rec, dict):
                continue
            rid = rec.get("id")
            key = str(rid) if rid is not None else f"{rel}#{lineno}"
            title = rec.get("title") or rec.get("headline") or ""
            body = rec.get("text") or rec.get("body") or rec.get("maintext") or rec.get("content") or ""
            published = norm_published(rec.get("published") or rec.get("date_publish") or rec.get("date"))
            yield {"key": key, "title": str(title), "body": str(body), "published": published}


def corpus_files(corpus):
    """(absolute path, path relative to CORPUS, kind) of every article file."""
    if os.path.isfile(corpus):
        return [(corpus, os.path.basename(corpus), "jsonl")]
    out = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            low = name.lower()
            kind = "txt" if low.endswith(".txt") else "jsonl" if low.endswith((".jsonl", ".ndjson")) else None
            if kind:
                p = os.path.join(root, name)
                out.append((p, os.path.relpath(p, corpus).replace(os.sep, "/"), kind))
    return out


def iter_corpus(corpus):
    for path, rel, kind in corpus_files(corpus):
        if kind == "txt":
            yield read_txt(path, rel)
        else:
            yield from read_jsonl(path, rel)


def warm_corpus(corpus):
    """Reads every article file once (and discards it) so that every engine
    starts from the same warm page cache. Returns (files, bytes)."""
    n = size = 0
    for path, _, _ in corpus_files(corpus):
        with open(path, "rb") as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
        n += 1
    return n, size


# --------------------------------------------------------------------------
# Queries: byline syntax -> terms + date bounds
# --------------------------------------------------------------------------

QTOKEN = re.compile(r'"([^"]*)"?|(\S+)')


def _day(s):
    return dt.date.fromisoformat(s)


def _date_range(v):
    """date:YYYY, date:YYYY-MM, date:YYYY-MM-DD -> [lo, hi) as dates."""
    if re.fullmatch(r"\d{4}", v):
        y = int(v)
        return dt.date(y, 1, 1), dt.date(y + 1, 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}", v):
        y, m = int(v[:4]), int(v[5:])
        return dt.date(y, m, 1), (dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1))
    d = _day(v)
    return d, d + dt.timedelta(days=1)


def parse_query(q):
    """Returns {"terms": [(kind, text)], "lo": iso|None, "hi": iso|None,
    "unsupported": [..]} for the plain subset of byline's syntax: words (AND),
    "phrases", after:/before:/on:/date: filters."""
    terms, lo, hi, bad = [], None, None, []
    for m in QTOKEN.finditer(q):
        if m.group(1) is not None:
            if m.group(1).strip():
                terms.append(("phrase", m.group(1).strip()))
            continue
        tok = m.group(2)
        key, _, val = tok.partition(":")
        key = key.lower()
        try:
            if val and key == "after":
                a, b = _day(val), None
            elif val and key == "before":
                a, b = None, _day(val)
            elif val and key in ("on", "date"):
                a, b = _date_range(val)
            else:
                a = b = False
        except ValueError:
            a = b = False
        if a is False:
            if tok == "OR" or tok.startswith("-") or (val and key.isalpha()):
                bad.append(tok)
            else:
                terms.append(("word", tok))
            continue
        if a is not None:
            s = a.strftime("%Y-%m-%dT00:00:00Z")
            lo = s if lo is None or s > lo else lo
        if b is not None:
            s = b.strftime("%Y-%m-%dT00:00:00Z")
            hi = s if hi is None or s < hi else hi
    return {"terms": terms, "lo": lo, "hi": hi, "unsupported": bad}


def load_queries(path):
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------

def percentile(samples, p):
    if not samples:
        return None
    s = sorted(samples)
    k = (len(s) - 1) * p / 100.0
    f = math.floor(k)
    c = min(f + 1, len(s) - 1)
    return s[f] + (s[c] - s[f]) * (k - f)


def summary(samples):
    return {
        "n": len(samples),
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "p99": percentile(samples, 99),
        "mean": (sum(samples) / len(samples)) if samples else None,
    }


def du_bytes(path):
    """Disk usage like `du` (allocated blocks), and the apparent size."""
    used = apparent = 0
    if os.path.isfile(path):
        st = os.stat(path)
        return st.st_blocks * 512, st.st_size
    for root, _, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            used += st.st_blocks * 512
            apparent += st.st_size
    return used, apparent


GNU_TIME = "/usr/bin/time"
WRAPPER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[2:])
w = time.perf_counter() - t
json.dump({"rc": p.returncode, "wall": w,
           "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, open(sys.argv[1], "w"))
"""


def gnu_time_works():
    if not os.access(GNU_TIME, os.X_OK):
        return False
    try:
        with tempfile.NamedTemporaryFile() as tf:
            subprocess.run([GNU_TIME, "-v", "-o", tf.name, "true"], capture_output=True, check=True)
            return b"Maximum resident set size" in open(tf.name, "rb").read()
    except (OSError, subprocess.CalledProcessError):
        return False


def run_measured(cmd, tmpdir, use_gnu_time, stdin=None):
    """Runs cmd once; returns (CompletedProcess-like dict, wall seconds, peak RSS bytes, method).
    Wall time is taken by this script around the child; peak RSS of the child
    alone, from GNU time -v, else from a fresh Python wrapper's RUSAGE_CHILDREN."""
    fd, rfile = tempfile.mkstemp(dir=tmpdir, suffix=".rss")
    os.close(fd)
    try:
        if use_gnu_time:
            full = [GNU_TIME, "-v", "-o", rfile] + cmd
            t0 = time.perf_counter()
            p = subprocess.run(full, capture_output=True, text=True, stdin=stdin)
            wall = time.perf_counter() - t0
            rss = None
            for line in open(rfile, encoding="utf-8", errors="replace"):
                if "Maximum resident set size" in line:
                    rss = int(line.rsplit(":", 1)[1]) * 1024
            return {"rc": p.returncode, "stdout": p.stdout, "stderr": p.stderr}, wall, rss, "GNU time -v"
        full = [sys.executable, "-c", WRAPPER, rfile] + cmd
        p = subprocess.run(full, capture_output=True, text=True, stdin=stdin)
        info = json.load(open(rfile))
        return ({"rc": info["rc"], "stdout": p.stdout, "stderr": p.stderr},
                info["wall"], info["maxrss_kb"] * 1024, "getrusage(RUSAGE_CHILDREN) of a fresh wrapper")
    finally:
        os.unlink(rfile)


def timed_run(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - t0, p


# --------------------------------------------------------------------------
# byline
# --------------------------------------------------------------------------

HASH_LINE = re.compile(r"#\d+$")
# "10 of 241 matching articles", or with copies of one story shown once,
# "10 of 235 matching stories (241 articles; ...)": the articles, as SQLite counts.
TOTAL_LINE = re.compile(r"^\d+ of (?:(\d+) matching articles?|\d+ matching stor(?:y|ies) \((\d+) articles)", re.M)


def byline_key(hit, corpus_abs):
    """The id SQLite uses for the same article: the record id for JSON Lines
    (byline's path ends with #LINE and its id is the record's), else the path
    relative to CORPUS."""
    path = hit.get("path") or ""
    if HASH_LINE.search(path) and hit.get("id") is not None:
        return str(hit["id"])
    if not path:
        return str(hit.get("id"))
    base = corpus_abs if os.path.isdir(corpus_abs) else os.path.dirname(corpus_abs)
    return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")


def bench_byline(args, corpus_abs, queries, work, use_gnu_time, log):
    res = {"engine": "byline", "binary": os.path.abspath(args.byline)}
    try:
        res["version"] = subprocess.run([args.byline, "--version"], capture_output=True, text=True).stdout.strip()
    except OSError as e:
        res["skipped"] = f"cannot run {args.byline}: {e}"
        return res
    idx = os.path.join(work, "byline-index")
    cmd = [args.byline, "--index", idx, "index", corpus_abs, "--json"]
    log(f"byline: indexing ({' '.join(cmd)})")
    p, wall, rss, method = run_measured(cmd, work, use_gnu_time)
    if p["rc"] != 0:
        res["skipped"] = f"byline index failed (exit {p['rc']}): {p['stderr'].strip()[-500:]}"
        return res
    report = json.loads(p["stdout"].strip().splitlines()[-1])
    used, apparent = du_bytes(idx)
    res["index"] = {
        "command": cmd, "wall_seconds": wall, "peak_rss_bytes": rss, "peak_rss_method": method,
        "report": report, "bytes": report.get("bytes"),
        "mb_per_sec": report.get("bytes", 0) / MB / wall if wall > 0 else None,
        "index_bytes_du": used, "index_bytes_apparent": apparent,
    }
    log(f"byline: {report.get('indexed')} articles, {wall:.2f} s wall, "
        f"{res['index']['mb_per_sec']:.2f} MB/s, index {used / MB:.1f} MB, peak {rss / MB if rss else 0:.0f} MB")

    # CLI latency: process start to exit, one process per query.
    base = [args.byline, "--index", idx, "search", "--json", "-n", "10"]
    timed_run(base + [queries[0]])  # warm-up (binary and index files into the page cache)
    per_query = {q: {"samples": [], "hits": None, "exit": None} for q in queries}
    for rep in range(args.reps):
        for q in queries:
            t, pr = timed_run(base + [q])
            e = per_query[q]
            if pr.returncode not in (0, 1):
                e["error"] = pr.stderr.strip()[-300:]
                e["exit"] = pr.returncode
                continue
            e["samples"].append(t)
            if e["hits"] is None:
                hits = json.loads(pr.stdout)["hits"] if pr.stdout.strip() else []
                e["exit"] = pr.returncode
                e["hits"] = [byline_key(h, corpus_abs) for h in hits]
                e["scores"] = [h.get("score") for h in hits]
    # Untimed: how many articles match, from the plain output's last line, so
    # the agreement check can compare match counts and not only the top 10.
    for q, e in per_query.items():
        _, pr = timed_run(base[:-3] + ["--color", "never", "-n", "1", q])
        m = TOTAL_LINE.search(pr.stdout)
        e["total_matches"] = int(m.group(1) or m.group(2)) if m else (0 if pr.returncode == 1 else None)
    res["queries"] = per_query
    res["cli_latency"] = summary([s for e in per_query.values() for s in e["samples"]])
    errors = {q: e["error"] for q, e in per_query.items() if "error" in e}
    if errors:
        res["query_errors"] = errors
        log(f"byline: {len(errors)} queries failed, e.g. {next(iter(errors.items()))}")
    res["index_dir"] = idx
    if args.inproc_bench:
        res["inproc_file"] = byline_inproc_bench(args, idx, work, log)
    return res


def byline_inproc_bench(args, idx, work, log):
    """Runs `cargo bench --bench latency` on the index just built, so that the
    in-process column comes from this run. Returns the JSON file it wrote, or
    None (the reason is logged)."""
    root = os.path.dirname(os.path.dirname(HERE))
    out = os.path.join(work, "byline-inproc.json")
    env = dict(os.environ, BYLINE_BENCH_INDEX=idx, BYLINE_BENCH_OUT=out,
               BYLINE_BENCH_QUERIES=os.path.abspath(args.queries))
    cmd = ["cargo", "bench", "--quiet", "--bench", "latency"]
    log(f"byline: in-process latency ({' '.join(cmd)}, in {root})")
    try:
        p = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    except OSError as e:
        log(f"byline: cannot run cargo: {e}")
        return None
    if p.returncode != 0 or not os.path.exists(out):
        log(f"byline: the latency bench failed (exit {p.returncode}): {p.stderr.strip()[-500:]}")
        return None
    log("byline: " + (p.stdout.strip().splitlines() or ["?"])[0])
    return out


def load_inproc(path, queries):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    samples, used = [], 0
    wanted = set(queries)
    for q, v in data.items():
        if q not in wanted:
            continue
        vals = v if isinstance(v, list) else [v]
        vals = [float(x) for x in vals if isinstance(x, (int, float))]
        if vals:
            used += 1
            samples.extend(vals)
    return {"file": os.path.abspath(path), "queries_matched": used, "queries_in_file": len(data),
            "latency": summary(samples)}


# --------------------------------------------------------------------------
# SQLite FTS5
# --------------------------------------------------------------------------

FTS_SCHEMA = ("CREATE VIRTUAL TABLE docs USING fts5("
              "id UNINDEXED, title, body, published UNINDEXED, tokenize='porter unicode61')")
# bm25() takes one weight per column in declaration order: id, title, body, published.
BM25 = "bm25(docs, 0.0, 3.0, 1.0, 0.0)"


# The environment variables that tell the SQLite child which module to use.
SQLITE_MODULE_ENV = "BYLINE_COMPARE_SQLITE"
PYDEPS_ENV = "BYLINE_COMPARE_PYDEPS"


def pydeps_dir():
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "byline-compare", "pydeps")


def use_pysqlite3(deps, install):
    """Makes the module-wide `sqlite3` pysqlite3's, installing it with pip into
    `deps` first when `install` is set and it is not there. Returns None, or
    why it could not."""
    global sqlite3
    if deps not in sys.path:
        sys.path.insert(0, deps)
    try:
        import pysqlite3.dbapi2 as module
    except ImportError:
        if not install:
            return "pysqlite3 is not installed"
        p = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                            "--target", deps, "pysqlite3-binary"], capture_output=True, text=True)
        if p.returncode != 0:
            return "pip install pysqlite3-binary failed: " + (p.stderr.strip().splitlines() or ["?"])[-1]
        # The folder was on sys.path before pip filled it; forget its listing.
        importlib.invalidate_caches()
        try:
            import pysqlite3.dbapi2 as module
        except ImportError as e:
            return f"pysqlite3-binary installed but not importable: {e}"
    sqlite3 = module
    return None


def choose_sqlite(choice, log):
    """Picks the SQLite to compare with: Python's own when it has FTS5 (the
    one a user has at hand), else pysqlite3-binary. Children inherit the
    choice through the environment."""
    if choice == "stdlib" or (choice == "auto" and fts5_available()[0]):
        os.environ[SQLITE_MODULE_ENV] = "stdlib"
        return
    deps = pydeps_dir()
    why = use_pysqlite3(deps, install=True)
    if why:
        log(f"SQLite FTS5: {why}; staying with Python's own SQLite {sqlite3.sqlite_version}")
        os.environ[SQLITE_MODULE_ENV] = "stdlib"
        return
    log(f"SQLite FTS5: using pysqlite3 (SQLite {sqlite3.sqlite_version}) from {deps}")
    os.environ[SQLITE_MODULE_ENV] = "pysqlite3"
    os.environ[PYDEPS_ENV] = deps


def fts5_available():
    try:
        opts = [r[0] for r in sqlite3.connect(":memory:").execute("PRAGMA compile_options")]
    except sqlite3.Error:
        opts = []
    try:
        c = sqlite3.connect(":memory:")
        c.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter unicode61')")
        c.close()
        return True, opts
    except sqlite3.Error as e:
        return False, opts + [f"create fts5 table failed: {e}"]


def vm_status(field):
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def sqlite_index_child(corpus, db):
    """Runs in a child process: load the corpus into memory, then time the FTS5
    build (create table, one transaction of inserts, commit)."""
    t0 = time.perf_counter()
    rows = [(a["key"], a["title"], a["body"], a["published"]) for a in iter_corpus(corpus)]
    load = time.perf_counter() - t0
    rss_loaded = vm_status("VmRSS")
    text_bytes = sum(len(r[1].encode("utf-8")) + len(r[2].encode("utf-8")) for r in rows)
    t0 = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute(FTS_SCHEMA)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO docs(id, title, body, published) VALUES (?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()
    seconds = time.perf_counter() - t0
    json.dump({
        "docs": len(rows), "text_bytes": text_bytes, "load_seconds": load, "index_seconds": seconds,
        "rss_after_load_bytes": rss_loaded,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "vm_hwm_bytes": vm_status("VmHWM"),
    }, sys.stdout)


def fts5_match(terms):
    return " AND ".join('"' + text.replace('"', '""') + '"' for _, text in terms)


def sqlite_sql(parsed):
    where, params = [], []
    if parsed["terms"]:
        where.append("docs MATCH ?")
        params.append(fts5_match(parsed["terms"]))
    if parsed["lo"]:
        where.append("published >= ?")
        params.append(parsed["lo"])
    if parsed["hi"]:
        where.append("published < ?")
        params.append(parsed["hi"])
    if parsed["terms"]:
        sql = (f"SELECT id, title, published, snippet(docs, 2, '**', '**', '...', 24) FROM docs "
               f"WHERE {' AND '.join(where)} ORDER BY {BM25} LIMIT 10")
        count = f"SELECT count(*) FROM docs WHERE {' AND '.join(where)}"
    else:  # filters only: newest first, as byline does
        w = f"WHERE {' AND '.join(where)}" if where else ""
        sql = f"SELECT id, title, published, NULL FROM docs {w} ORDER BY published DESC LIMIT 10"
        count = f"SELECT count(*) FROM docs {w}"
    return sql, count, params


def bench_sqlite(args, corpus_abs, queries, parsed, work, input_bytes, log, byline_queries=None):
    ok, opts = fts5_available()
    res = {"engine": f"SQLite FTS5 {sqlite3.sqlite_version}", "sqlite_version": sqlite3.sqlite_version,
           "fts_compile_options": [o for o in opts if "FTS" in o or "fail" in o]}
    if not ok:
        res["skipped"] = "this Python's SQLite has no FTS5 (" + "; ".join(res["fts_compile_options"]) + ")"
        return res
    db = os.path.join(work, "fts5.db")
    log("SQLite FTS5: indexing in a child process")
    p = subprocess.run([sys.executable, os.path.abspath(__file__), SQLITE_CHILD_FLAG, corpus_abs, db],
                       capture_output=True, text=True)
    if p.returncode != 0:
        res["skipped"] = f"SQLite indexing failed: {p.stderr.strip()[-500:]}"
        return res
    info = json.loads(p.stdout)
    used, apparent = du_bytes(db)
    for extra in ("-wal", "-journal"):
        if os.path.exists(db + extra):
            u, a = du_bytes(db + extra)
            used, apparent = used + u, apparent + a
    s = info["index_seconds"]
    res["index"] = dict(info, wall_seconds=s, bytes=input_bytes,
                        mb_per_sec=input_bytes / MB / s if s > 0 else None,
                        peak_rss_method="ru_maxrss of the indexing child (includes the corpus held in memory)",
                        index_bytes_du=used, index_bytes_apparent=apparent, schema=FTS_SCHEMA)
    log(f"SQLite FTS5: {info['docs']} articles, {s:.2f} s, {res['index']['mb_per_sec']:.2f} MB/s, "
        f"db {used / MB:.1f} MB, peak {info['peak_rss_bytes'] / MB:.0f} MB")

    conn = sqlite3.connect(db)
    plans = {}
    for q in queries:
        if parsed[q]["unsupported"]:
            continue
        plans[q] = sqlite_sql(parsed[q])
    if not plans:
        res["skipped"] = "none of the queries is one SQLite can run (entity operators, OR, -exclusion, field:)"
        conn.close()
        return res
    first = next(iter(plans.values()))
    conn.execute(first[0], first[2]).fetchall()  # warm-up
    per_query = {q: {"samples": [], "hits": None} for q in plans}
    for rep in range(args.reps):
        for q, (sql, _, params) in plans.items():
            t0 = time.perf_counter()
            rows = conn.execute(sql, params).fetchall()
            t = time.perf_counter() - t0
            e = per_query[q]
            e["samples"].append(t)
            if e["hits"] is None:
                e["hits"] = [r[0] for r in rows]
    for q, (_, count, params) in plans.items():  # untimed: how many articles match
        per_query[q]["total_matches"] = conn.execute(count, params).fetchone()[0]
        per_query[q]["match"] = params[0] if parsed[q]["terms"] else None
        # Untimed: which of byline's top 10 SQLite also counts as a match. Ties
        # in score make two engines' top 10s differ; a hit SQLite does not match
        # at all would be a wrong answer.
        theirs = ((byline_queries or {}).get(q) or {}).get("hits")
        if theirs:
            marks = ",".join("?" * len(theirs))
            found = conn.execute(f"SELECT id FROM ({count.replace('count(*)', 'id', 1)}) "
                                 f"WHERE id IN ({marks})", params + theirs).fetchall()
            per_query[q]["byline_top_matched"] = len({r[0] for r in found} & set(theirs))
    conn.close()
    res["queries"] = per_query
    res["query_sql"] = sqlite_sql({"terms": [("word", "w")], "lo": "LO", "hi": "HI"})[0]
    res["inproc_latency"] = summary([s for e in per_query.values() for s in e["samples"]])
    return res


def index_rounds(args, corpus_abs, work, results, use_gnu_time, log):
    """Indexes the corpus again with byline and SQLite, alternately, until each
    has --index-rounds runs, and puts the medians in the table: one run of
    each swings by 15% or more on a shared machine. Each round's ratios are
    kept, so the spread shows."""
    by = (results["engines"].get("byline") or {}).get("index")
    sq = (results["engines"].get("sqlite") or {}).get("index")
    if not by or not sq:
        return
    if args.index_rounds < 2:
        results["notes"].append("one indexing round: no byline --no-entities row (it needs --index-rounds 2 or more)")
        return
    by_walls, sq_inserts, sq_loads = [by["wall_seconds"]], [sq["index_seconds"]], [sq["load_seconds"]]
    # byline --no-entities does the job SQLite does (keywords, stored text,
    # dates) without the entity extraction no peer has: one run per round, so
    # a sceptic sees what the extraction costs and the like-for-like ratio.
    kw = {"walls": [], "rss": [], "bytes_du": None}

    def keywords_run(r):
        idx = os.path.join(work, f"byline-keywords-{r}")
        cmd = [args.byline, "--index", idx, "index", corpus_abs, "--json", "--no-entities"]
        p, wall, rss, _ = run_measured(cmd, work, use_gnu_time)
        if p["rc"] == 0:
            kw["walls"].append(wall)
            kw["rss"].append(rss or 0)
            kw["bytes_du"] = du_bytes(idx)[0]
        shutil.rmtree(idx, ignore_errors=True)
        return p["rc"] == 0

    # Round 1's byline and SQLite runs were made before; its keywords run follows them.
    if not keywords_run(1):
        log("byline --no-entities: indexing failed; no keywords-only row")
    for r in range(2, args.index_rounds + 1):
        idx = os.path.join(work, f"byline-index-{r}")
        cmd = [args.byline, "--index", idx, "index", corpus_abs, "--json"]
        p, wall, _, _ = run_measured(cmd, work, use_gnu_time)
        shutil.rmtree(idx, ignore_errors=True)
        if p["rc"] != 0:
            log(f"byline: indexing round {r} failed; medians over {r - 1} rounds")
            break
        db = os.path.join(work, f"fts5-{r}.db")
        q = subprocess.run([sys.executable, os.path.abspath(__file__), SQLITE_CHILD_FLAG, corpus_abs, db],
                           capture_output=True, text=True)
        for f in (db, db + "-journal", db + "-wal"):
            if os.path.exists(f):
                os.remove(f)
        if q.returncode != 0:
            log(f"SQLite FTS5: indexing round {r} failed; medians over {r - 1} rounds")
            break
        info = json.loads(q.stdout)
        by_walls.append(wall)
        sq_inserts.append(info["index_seconds"])
        sq_loads.append(info["load_seconds"])
        if kw["walls"] and not keywords_run(r):
            log(f"byline --no-entities: indexing round {r} failed; no keywords-only row")
            kw["walls"] = []
        log(f"indexing round {r}: byline {wall:.2f} s, SQLite {info['index_seconds']:.2f} s "
            f"(+{info['load_seconds']:.2f} s reading)")
    median = statistics.median
    by["round_seconds"], sq["round_seconds"], sq["round_load_seconds"] = by_walls, sq_inserts, sq_loads
    by["wall_seconds"] = median(by_walls)
    by["mb_per_sec"] = by["bytes"] / MB / by["wall_seconds"]
    sq["index_seconds"] = sq["wall_seconds"] = median(sq_inserts)
    sq["load_seconds"] = median(sq_loads)
    sq["with_reading_seconds"] = median([i + l for i, l in zip(sq_inserts, sq_loads)])
    sq["mb_per_sec"] = sq["bytes"] / MB / sq["index_seconds"]
    results["index_rounds"] = {
        "byline_over_sqlite_inserts": [i / b for b, i in zip(by_walls, sq_inserts)],
        "byline_over_sqlite_with_reading": [(i + l) / b for b, i, l in zip(by_walls, sq_inserts, sq_loads)],
    }
    if len(kw["walls"]) == len(by_walls):
        walls = kw["walls"]
        results["engines"]["byline"]["index_keywords"] = {
            "wall_seconds": median(walls), "round_seconds": walls, "bytes": by["bytes"],
            "mb_per_sec": by["bytes"] / MB / median(walls), "peak_rss_bytes": kw["rss"][0] or None,
            "index_bytes_du": kw["bytes_du"],
        }
        results["index_rounds"]["keywords_over_sqlite_inserts"] = [i / b for b, i in zip(walls, sq_inserts)]
        results["index_rounds"]["keywords_over_sqlite_with_reading"] = [
            (i + l) / b for b, i, l in zip(walls, sq_inserts, sq_loads)]
        log(f"byline --no-entities: median {median(walls):.2f} s over {len(walls)} rounds")


# --------------------------------------------------------------------------
# ripgrep
# --------------------------------------------------------------------------

def bench_rg(args, corpus_abs, queries, parsed, log):
    rg = args.rg or shutil.which("rg")
    res = {"engine": "ripgrep"}
    if not rg:
        res["skipped"] = "rg not on PATH"
        return res
    res["binary"] = rg
    res["version"] = subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    is_file = os.path.isfile(corpus_abs)
    mode = ["-c"] if is_file else ["-l"]
    base = [rg, "--no-config", "--no-ignore", "-i", "-F", "--no-messages"] + mode
    res["command"] = " ".join(base + ["-e", "FIRST_TERM", corpus_abs])
    plans = {q: parsed[q]["terms"][0][1] for q in queries
             if parsed[q]["terms"] and not parsed[q]["unsupported"]}
    timed_run(base + ["-e", next(iter(plans.values())), corpus_abs])  # warm-up
    per_query = {q: {"samples": [], "pattern": pat, "matches": None} for q, pat in plans.items()}
    for rep in range(args.reps):
        for q, pat in plans.items():
            t, p = timed_run(base + ["-e", pat, corpus_abs])
            if p.returncode not in (0, 1):
                per_query[q]["error"] = p.stderr.strip()[-300:]
                continue
            e = per_query[q]
            e["samples"].append(t)
            if e["matches"] is None:
                out = p.stdout.split()
                e["matches"] = (int(out[-1].rsplit(":", 1)[-1]) if out else 0) if is_file else len(out)
    res["queries"] = per_query
    res["cli_latency"] = summary([s for e in per_query.values() for s in e["samples"]])
    log(f"ripgrep: p50 {res['cli_latency']['p50'] * 1000:.1f} ms per invocation")
    return res


# --------------------------------------------------------------------------
# tantivy-cli (optional; a plain schema written as meta.json)
# --------------------------------------------------------------------------

def tantivy_meta():
    def text(name, tokenizer, record, stored):
        return {"name": name, "type": "text", "options": {
            "indexing": {"record": record, "fieldnorms": True, "tokenizer": tokenizer},
            "stored": stored, "fast": False}}
    schema = [
        {"name": "id", "type": "text", "options": {"stored": True, "fast": False}},  # stored, not indexed
        text("title", "en_stem", "position", False),
        text("body", "en_stem", "position", False),
        {"name": "published", "type": "date", "options": {
            "indexed": True, "fieldnorms": False, "fast": True, "stored": False, "precision": "seconds"}},
    ]
    return {"index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
            "segments": [], "schema": schema, "opstamp": 0}


def tantivy_query(parsed):
    parts = []
    for kind, text in parsed["terms"]:
        t = text.replace('"', " ")
        parts.append(f'+"{t}"' if kind == "phrase" else f"+{t}")
    if parsed["lo"] or parsed["hi"]:
        parts.append(f"+published:[{parsed['lo'] or '*'} TO {parsed['hi'] or '*'}}}")
    return " ".join(parts)


def tantivy_query_fielded(parsed):
    """The same query with every term on title and body spelt out: `tantivy
    bench` searches all indexed fields by default, the date field included,
    and a plain word there is a date parse error."""
    parts = []
    for kind, text in parsed["terms"]:
        t = text.replace('"', " ")
        t = f'"{t}"' if kind == "phrase" else t
        parts.append(f"+(title:{t} body:{t})")
    if parsed["lo"] or parsed["hi"]:
        parts.append(f"+published:[{parsed['lo'] or '*'} TO {parsed['hi'] or '*'}}}")
    return " ".join(parts)


def bench_tantivy(args, corpus_abs, queries, parsed, work, input_bytes, use_gnu_time, log):
    tv = args.tantivy or shutil.which("tantivy")
    res = {"engine": "tantivy-cli"}
    if not tv:
        res["skipped"] = "tantivy (tantivy-cli) not on PATH"
        return res
    res["binary"] = tv
    idx = os.path.join(work, "tantivy-index")
    os.makedirs(idx)
    with open(os.path.join(idx, "meta.json"), "w") as fh:
        json.dump(tantivy_meta(), fh)
    docs = os.path.join(work, "tantivy-docs.jsonl")
    with open(docs, "w", encoding="utf-8") as fh:  # untimed: the same articles SQLite gets
        for a in iter_corpus(corpus_abs):
            d = {"id": a["key"], "title": a["title"], "body": a["body"]}
            if a["published"]:
                d["published"] = a["published"]
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    threads = max(1, min(os.cpu_count() or 1, 8))
    cmd = [tv, "index", "-i", idx, "-f", docs, "-t", str(threads), "-m", str(256 * MB)]
    log(f"tantivy-cli: indexing ({' '.join(cmd)})")
    p, wall, rss, method = run_measured(cmd, work, use_gnu_time)
    if p["rc"] != 0:
        res["skipped"] = f"tantivy index failed (exit {p['rc']}): {(p['stderr'] or p['stdout']).strip()[-500:]}"
        return res
    used, apparent = du_bytes(idx)
    res["index"] = {"command": cmd, "wall_seconds": wall, "bytes": input_bytes,
                    "mb_per_sec": input_bytes / MB / wall if wall > 0 else None,
                    "peak_rss_bytes": rss, "peak_rss_method": method,
                    "index_bytes_du": used, "index_bytes_apparent": apparent, "meta": tantivy_meta()}
    plans = {q: tantivy_query(parsed[q]) for q in queries if parsed[q]["terms"] and not parsed[q]["unsupported"]}
    base = [tv, "search", "-i", idx, "-q"]
    timed_run(base + [next(iter(plans.values()))])
    per_query = {q: {"samples": [], "query": tq, "matches": None} for q, tq in plans.items()}
    for rep in range(args.reps):
        for q, tq in plans.items():
            t, pr = timed_run(base + [tq])
            if pr.returncode != 0:
                per_query[q]["error"] = pr.stderr.strip()[-300:]
                continue
            per_query[q]["samples"].append(t)
            if per_query[q]["matches"] is None:
                per_query[q]["matches"] = sum(1 for line in pr.stdout.splitlines() if line.strip())
    res["queries"] = per_query
    res["cli_latency"] = summary([s for e in per_query.values() for s in e["samples"]])
    errors = {q: e["error"] for q, e in per_query.items() if "error" in e}
    if errors:
        res["query_errors"] = errors
    fielded = [tantivy_query_fielded(parsed[q]) for q in plans]
    res.update(tantivy_inproc(tv, idx, work, fielded, args.reps, log))
    return res


def tantivy_inproc(tv, idx, work, queries, reps, log):
    """In-process latency from `tantivy bench`: per query, its search (top 10
    plus a hit count) and its fetch of the 10 stored documents, which is what
    a caller showing results pays. tantivy-cli makes no snippets."""
    qfile = os.path.join(work, "tantivy-queries.txt")
    ordered = [tq for tq in queries if "\n" not in tq]
    with open(qfile, "w", encoding="utf-8") as fh:
        fh.write("\n".join(ordered) + "\n")
    cmd = [tv, "bench", "-i", idx, "-q", qfile, "-n", str(reps + 1)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        log(f"tantivy bench failed (exit {p.returncode}): {p.stderr.strip()[-300:]}")
        return {"inproc_error": p.stderr.strip()[-500:]}
    search, fetch, section = [], [], None
    for line in p.stdout.splitlines():
        if line.startswith("SEARCH"):
            section = search
        elif line.startswith("FETCH STORE"):
            section = fetch
        elif section is not None and "\t" in line and not line.startswith("query\t"):
            try:
                section.append(int(line.rsplit("\t", 1)[1]) / 1e6)
            except ValueError:
                pass
    n = len(ordered)
    if len(search) != n * (reps + 1) or len(fetch) != len(search):
        return {"inproc_error": f"unexpected `tantivy bench` output ({len(search)} search and "
                                f"{len(fetch)} fetch timings for {n} queries x {reps + 1})"}
    # The first pass warms the caches, as byline's latency bench does.
    samples = [a + b for a, b in zip(search[n:], fetch[n:])]
    log(f"tantivy-cli: in-process p50 {percentile(samples, 50) * 1000:.2f} ms (tantivy bench)")
    return {"inproc_latency": summary(samples), "inproc_command": cmd,
            "inproc_method": "tantivy bench: search (TopDocs 10 + Count) + fetch of the 10 docs; no snippets"}


# --------------------------------------------------------------------------
# Xapian
# --------------------------------------------------------------------------
# Xapian's Python bindings come from the system's package (Debian:
# python3-xapian), which may belong to another Python than the one running
# this script, so both of its steps run in a child of a Python that has them.

XAPIAN_TITLE_WDF = 3  # the title counts three times, as SQLite's bm25 weight and byline's boost
XAPIAN_DATE_SLOT = 0


def xapian_python(args):
    """A Python that can import xapian, or None."""
    cands = [args.xapian_python] if args.xapian_python else [sys.executable, "/usr/bin/python3", "python3"]
    for py in cands:
        try:
            if subprocess.run([py, "-c", "import xapian"], capture_output=True).returncode == 0:
                return py
        except OSError:
            continue
    return None


def xapian_index_child(corpus, db):
    """Runs in a child: load the corpus, then time the Xapian build (English
    stems with positions, title weighted, the date in a value slot
    for ranges, id and text in the document data for showing hits)."""
    import xapian
    t0 = time.perf_counter()
    rows = [(a["key"], a["title"], a["body"], a["published"]) for a in iter_corpus(corpus)]
    load = time.perf_counter() - t0
    rss_loaded = vm_status("VmRSS")
    t0 = time.perf_counter()
    wdb = xapian.WritableDatabase(db, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    # Stemmed terms only, with positions, as byline and FTS5's porter tokenizer
    # index: phrases match across word forms ("mobile phones" finds "mobile
    # phone"), and each word is indexed once, not twice.
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_ALL)
    for key, title, body, published in rows:
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(title, XAPIAN_TITLE_WDF)
        tg.increase_termpos()
        tg.index_text(body)
        if published:
            doc.add_value(XAPIAN_DATE_SLOT, published)
        doc.set_data(json.dumps({"id": key, "title": title, "body": body}))
        doc.add_boolean_term("Q" + key)
        wdb.add_document(doc)
    wdb.commit()
    wdb.close()
    seconds = time.perf_counter() - t0
    json.dump({
        "docs": len(rows), "load_seconds": load, "index_seconds": seconds,
        "rss_after_load_bytes": rss_loaded,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "version": xapian.version_string(),
    }, sys.stdout)


def xapian_query(xapian, db, parsed):
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("english"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_ALL)
    qp.set_database(db)
    qp.set_default_op(xapian.Query.OP_AND)
    parts = []
    if parsed["terms"]:
        text = " ".join(f'"{t}"' if kind == "phrase" else t for kind, t in parsed["terms"])
        parts.append(qp.parse_query(text, xapian.QueryParser.FLAG_PHRASE))
    if parsed["lo"] or parsed["hi"]:
        # Value ranges are inclusive; the upper bound is exclusive, as in byline.
        hi = parsed["hi"]
        if parsed["lo"] and hi:
            r = xapian.Query(xapian.Query.OP_VALUE_RANGE, XAPIAN_DATE_SLOT, parsed["lo"], hi)
        elif parsed["lo"]:
            r = xapian.Query(xapian.Query.OP_VALUE_GE, XAPIAN_DATE_SLOT, parsed["lo"])
        else:
            r = xapian.Query(xapian.Query.OP_VALUE_LE, XAPIAN_DATE_SLOT, hi)
        if hi:  # drop the bound itself: [lo, hi)
            r = xapian.Query(xapian.Query.OP_AND_NOT, r,
                             xapian.Query(xapian.Query.OP_VALUE_RANGE, XAPIAN_DATE_SLOT, hi, hi))
        parts.append(r)
    if not parts:
        return xapian.Query.MatchAll
    q = parts[0]
    for extra in parts[1:]:
        q = xapian.Query(xapian.Query.OP_FILTER, q, extra)
    return q


def xapian_query_child(db_path, spec_path):
    """Runs in a child: every query --reps times, top 10 by BM25 with each hit's
    stored data read and a snippet made, as a search page would; then, untimed,
    the exact match counts and which of byline's hits Xapian matches."""
    import xapian
    spec = json.load(open(spec_path))
    db = xapian.Database(db_path)
    enq = xapian.Enquire(db)
    queries = {q: xapian_query(xapian, db, p) for q, p in spec["parsed"].items()}

    def run(q, parsed):
        enq.set_query(q)
        if parsed["terms"]:
            enq.set_sort_by_relevance()
        else:
            enq.set_sort_by_value(XAPIAN_DATE_SLOT, True)
        mset = enq.get_mset(0, 10)
        hits = []
        for m in mset:
            data = json.loads(m.document.get_data())
            mset.snippet(data["body"], 200)
            hits.append(data["id"])
        return hits

    first = next(iter(queries))
    run(queries[first], spec["parsed"][first])  # warm-up
    out = {q: {"samples": [], "hits": None} for q in queries}
    for _ in range(spec["reps"]):
        for q, xq in queries.items():
            t0 = time.perf_counter()
            hits = run(xq, spec["parsed"][q])
            out[q]["samples"].append(time.perf_counter() - t0)
            if out[q]["hits"] is None:
                out[q]["hits"] = hits
    for q, xq in queries.items():
        enq.set_query(xq)
        out[q]["total_matches"] = enq.get_mset(0, 0, db.get_doccount()).get_matches_estimated()
    json.dump(out, sys.stdout)


def bench_xapian(args, corpus_abs, queries, parsed, work, input_bytes, log):
    py = xapian_python(args)
    res = {"engine": "Xapian"}
    if py is None:
        res["skipped"] = "no Python with Xapian's bindings (Debian: apt-get install python3-xapian)"
        return res
    db = os.path.join(work, "xapian")
    log(f"Xapian: indexing in a child process ({py})")
    p = subprocess.run([py, os.path.abspath(__file__), XAPIAN_INDEX_FLAG, corpus_abs, db],
                       capture_output=True, text=True)
    if p.returncode != 0:
        res["skipped"] = f"Xapian indexing failed: {p.stderr.strip()[-500:]}"
        return res
    info = json.loads(p.stdout)
    res["engine"] = f"Xapian {info['version']}"
    used, apparent = du_bytes(db)
    s = info["index_seconds"]
    res["index"] = dict(info, wall_seconds=s, bytes=input_bytes,
                        mb_per_sec=input_bytes / MB / s if s > 0 else None,
                        with_reading_seconds=info["load_seconds"] + s,
                        peak_rss_method="ru_maxrss of the indexing child (includes the corpus held in memory)",
                        index_bytes_du=used, index_bytes_apparent=apparent)
    log(f"Xapian: {info['docs']} articles, {s:.2f} s, {res['index']['mb_per_sec']:.2f} MB/s, "
        f"db {used / MB:.1f} MB, peak {info['peak_rss_bytes'] / MB:.0f} MB")
    spec = os.path.join(work, "xapian-queries.json")
    with open(spec, "w") as fh:
        json.dump({"reps": args.reps,
                   "parsed": {q: parsed[q] for q in queries if not parsed[q]["unsupported"]}}, fh)
    p = subprocess.run([py, os.path.abspath(__file__), XAPIAN_QUERY_FLAG, db, spec],
                       capture_output=True, text=True)
    if p.returncode != 0:
        res["query_error"] = p.stderr.strip()[-500:]
        log(f"Xapian: queries failed: {res['query_error']}")
        return res
    res["queries"] = json.loads(p.stdout)
    res["inproc_latency"] = summary([x for e in res["queries"].values() for x in e["samples"]])
    return res


# --------------------------------------------------------------------------
# Agreement and report
# --------------------------------------------------------------------------

def agreement(byline_q, sqlite_q):
    per, both_empty, one_empty = {}, 0, 0
    for q, e in sqlite_q.items():
        b = byline_q.get(q, {}).get("hits")
        s = e.get("hits")
        if b is None or s is None:
            continue
        A, B = set(b[:10]), set(s[:10])
        if not A and not B:
            both_empty += 1
            continue
        if not A or not B:
            one_empty += 1
        inter = len(A & B)
        per[q] = {"jaccard": inter / len(A | B), "overlap_at_10": inter / max(len(A), len(B)),
                  "byline_hits": len(A), "sqlite_hits": len(B), "common": inter,
                  "byline_matches": byline_q[q].get("total_matches"), "sqlite_matches": e.get("total_matches"),
                  "byline_top_sqlite_matches": e.get("byline_top_matched")}
    j = [v["jaccard"] for v in per.values()]
    o = [v["overlap_at_10"] for v in per.values()]
    # Match counts: how far apart the two engines' numbers of matching articles
    # are, relative to the larger; stemmers and tokenizers differ a little.
    gaps = [abs(v["byline_matches"] - v["sqlite_matches"]) / max(v["byline_matches"], v["sqlite_matches"], 1)
            for v in per.values() if v["byline_matches"] is not None and v["sqlite_matches"] is not None]
    shown = [(v["byline_top_sqlite_matches"], v["byline_hits"]) for v in per.values()
             if v["byline_top_sqlite_matches"] is not None]
    return {"queries_compared": len(per), "both_empty": both_empty, "one_empty": one_empty,
            "mean_jaccard": sum(j) / len(j) if j else None,
            "mean_overlap_at_10": sum(o) / len(o) if o else None,
            "match_count_gap_median": statistics.median(gaps) if gaps else None,
            "match_count_within_5pct": sum(1 for g in gaps if g <= 0.05), "match_count_compared": len(gaps),
            "match_count_equal": sum(1 for g in gaps if g == 0),
            "byline_top_matched_by_sqlite": sum(m for m, _ in shown),
            "byline_top_shown": sum(n for _, n in shown), "per_query": per}


def machine():
    info = {"nproc": os.cpu_count()}
    try:
        info["nproc_available"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    info["mem_total_bytes"] = int(line.split()[1]) * 1024
    except OSError:
        pass
    info["python"] = sys.version.split()[0]
    info["sqlite"] = sqlite3.sqlite_version
    info["date"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return info


def fmt(v, spec=".2f", none="—"):
    return none if v is None else format(v, spec)


def ms3(lat):
    if not lat or not lat.get("n"):
        return "—"
    return "/".join(fmt(lat[k] * 1000, ".2f") for k in ("p50", "p95", "p99"))


def print_table(results, inproc, corpus_desc, n_queries, reps):
    by = results["engines"].get("byline", {})
    by_idx = by.get("index") or {}
    by_in = inproc["latency"] if inproc else None
    by_cli = by.get("cli_latency")
    header = ["engine", "index s", "MB/s", "size MB", "peak RSS MB",
              "in-proc p50/p95/p99 ms", "per CLI call p50/p95/p99 ms",
              "MB/s byline/peer", "p50 byline/peer"]
    rows = []
    for name, e in results["engines"].items():
        if e.get("skipped"):
            continue
        ix = e.get("index") or {}
        inproc_lat = by_in if name == "byline" else e.get("inproc_latency")
        cli_lat = e.get("cli_latency")
        mbs_ratio = lat_ratio = "—"
        if name != "byline":
            if ix.get("mb_per_sec") and by_idx.get("mb_per_sec"):
                mbs_ratio = f"{by_idx['mb_per_sec'] / ix['mb_per_sec']:.2f}"
            ratios = []
            if inproc_lat and inproc_lat.get("n") and by_in and by_in.get("n"):
                ratios.append(f"{by_in['p50'] / inproc_lat['p50']:.2f} (in-proc)")
            if cli_lat and cli_lat.get("n") and by_cli and by_cli.get("n"):
                ratios.append(f"{by_cli['p50'] / cli_lat['p50']:.2f} (CLI)")
            if ratios:
                lat_ratio = ", ".join(ratios)
            elif inproc_lat and inproc_lat.get("n"):
                lat_ratio = "n/a: no --inproc(-bench)"
        rows.append([
            e.get("engine", name),
            fmt(ix.get("wall_seconds")),
            fmt(ix.get("mb_per_sec")),
            fmt(ix["index_bytes_du"] / MB, ".1f") if ix.get("index_bytes_du") is not None else "—",
            fmt(ix["peak_rss_bytes"] / MB, ".0f") if ix.get("peak_rss_bytes") else "—",
            ms3(inproc_lat) if (name != "byline" or by_in) else "n/a: no --inproc(-bench)",
            ms3(cli_lat),
            mbs_ratio, lat_ratio,
        ])
        kw = e.get("index_keywords") if name == "byline" else None
        sq_ix = (results["engines"].get("sqlite") or {}).get("index") or {}
        if kw:
            ratio = "—"
            if sq_ix.get("with_reading_seconds"):
                ratio = (f"{sq_ix['index_seconds'] / kw['wall_seconds']:.2f} / "
                         f"{sq_ix['with_reading_seconds'] / kw['wall_seconds']:.2f} "
                         f"(vs SQLite inserts / reading incl.)")
            rows.append(["  --no-entities (keywords, text, dates)", fmt(kw["wall_seconds"]),
                         fmt(kw["mb_per_sec"]),
                         fmt(kw["index_bytes_du"] / MB, ".1f") if kw.get("index_bytes_du") is not None else "—",
                         fmt(kw["peak_rss_bytes"] / MB, ".0f") if kw.get("peak_rss_bytes") else "—",
                         "", "", ratio, ""])
        if name in ("sqlite", "xapian") and ix.get("load_seconds") is not None and ix.get("bytes"):
            # byline's time includes reading and parsing the files; a loader
            # for SQLite must do that too. Both figures, so neither is hidden.
            total = ix.get("with_reading_seconds") or ix["load_seconds"] + ix["index_seconds"]
            mbs = ix["bytes"] / MB / total
            ratio = f"{by_idx['mb_per_sec'] / mbs:.2f}" if by_idx.get("mb_per_sec") else "—"
            rows.append(["  reading included", fmt(total), fmt(mbs), "", "", "", "", ratio, ""])
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
    print()
    print(f"Corpus: {corpus_desc}; {n_queries} queries x {reps} reps")
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    print("MB/s byline/peer > 1: byline indexes faster. p50 byline/peer < 1: byline answers faster "
          "(same mode only: in-process vs in-process, CLI vs CLI).")
    if inproc:
        print(f"byline's in-process latency: {inproc.get('measured', 'given with --inproc')}, "
              f"{inproc['latency'].get('n', 0)} samples over {inproc['queries_matched']} queries "
              f"(benches/latency.rs: the query set in passes, top 10 with snippets).")
    ag = results.get("agreement")
    if ag and ag.get("queries_compared"):
        print(f"Top-10 agreement byline vs SQLite FTS5 over {ag['queries_compared']} queries "
              f"({ag['both_empty']} with no hits in either left out, {ag['one_empty']} with hits in only one): "
              f"mean Jaccard {ag['mean_jaccard']:.3f}, mean overlap@10 {ag['mean_overlap_at_10']:.3f}")
        if ag.get("byline_top_shown"):
            print(f"Of byline's {ag['byline_top_shown']} top-10 hits, SQLite FTS5 matches "
                  f"{ag['byline_top_matched_by_sqlite']} "
                  f"({ag['byline_top_matched_by_sqlite'] / ag['byline_top_shown']:.1%}) with the same query "
                  f"(a hit it does not match at all would be a wrong answer, not a different order).")
        if ag.get("match_count_compared"):
            print(f"Matching articles per query: byline's count equals SQLite's for {ag['match_count_equal']} "
                  f"and is within 5% for {ag['match_count_within_5pct']} of {ag['match_count_compared']} "
                  f"queries (median gap {ag['match_count_gap_median']:.1%}).")
    ax = results.get("agreement_xapian")
    if ax and ax.get("queries_compared"):
        print(f"Top-10 agreement byline vs Xapian (same Snowball stemmer) over {ax['queries_compared']} queries: "
              f"mean Jaccard {ax['mean_jaccard']:.3f}, mean overlap@10 {ax['mean_overlap_at_10']:.3f}; "
              f"match counts equal for {ax['match_count_equal']} of {ax['match_count_compared']}.")
    rounds = results.get("index_rounds")
    if rounds:
        f2 = lambda v: " ".join(f"{x:.2f}" for x in v)
        print(f"Indexing: medians of {len(rounds['byline_over_sqlite_inserts'])} runs of byline and SQLite, "
              f"alternating. byline/SQLite per round: {f2(rounds['byline_over_sqlite_inserts'])} "
              f"(inserts alone), {f2(rounds['byline_over_sqlite_with_reading'])} (reading included)")
        if rounds.get("keywords_over_sqlite_inserts"):
            print(f"byline --no-entities (the job SQLite does: no entity extraction), one run per round: "
                  f"{f2(rounds['keywords_over_sqlite_inserts'])} (inserts alone), "
                  f"{f2(rounds['keywords_over_sqlite_with_reading'])} (reading included)")
    sq = (results["engines"].get("sqlite") or {}).get("index")
    if sq and sq.get("load_seconds") is not None:
        print(f"SQLite FTS5's first row times its inserts alone (the corpus already parsed in memory); "
              f"\"reading included\" adds the {sq['load_seconds']:.2f} s its loader took to read and "
              f"parse the corpus with Python's json, as byline's time includes its own reading.")
    if sq and sq.get("rss_after_load_bytes"):
        print(f"SQLite's peak RSS is its indexing child's, corpus included: "
              f"{sq['rss_after_load_bytes'] / MB:.0f} MB were resident before the first insert "
              f"(Python + the articles as strings).")
    for name, e in results["engines"].items():
        if e.get("skipped"):
            print(f"Skipped {e.get('engine', name)}: {e['skipped']}")
    for note in results.get("notes", []):
        print("Note: " + note)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--byline", default="target/release/byline")
    ap.add_argument("--queries", default=os.path.join(HERE, "queries.txt"))
    inproc_group = ap.add_mutually_exclusive_group()
    inproc_group.add_argument("--inproc",
                              help='JSON {"query": seconds | [seconds, ...]} of byline in-process latency')
    inproc_group.add_argument("--inproc-bench", action="store_true",
                    help="measure byline's in-process latency in this run, on the index it built "
                         "(cargo bench --bench latency; needs cargo and this repository)")
    ap.add_argument("--out", help="write every number (and per-query samples) here as JSON")
    ap.add_argument("--reps", type=int, default=3, help="repetitions of each query (default 3)")
    ap.add_argument("--index-rounds", type=int, default=3,
                    help="runs of byline's and SQLite's indexing, alternating; the table shows medians (default 3)")
    ap.add_argument("--rg", help="ripgrep binary (default: rg on PATH)")
    ap.add_argument("--tantivy", help="tantivy-cli binary (default: tantivy on PATH)")
    ap.add_argument("--no-rg", action="store_true")
    ap.add_argument("--no-tantivy", action="store_true")
    ap.add_argument("--xapian-python", help="a Python with Xapian's bindings (default: this one, then /usr/bin/python3)")
    ap.add_argument("--no-xapian", action="store_true")
    ap.add_argument("--sqlite", choices=["auto", "stdlib", "pysqlite3"], default="auto",
                    help="Python's own sqlite3 module, or pysqlite3-binary (installed with pip if missing); "
                         "auto: Python's own when its SQLite has FTS5 (default)")
    ap.add_argument("--tmp", help="where the indexes are built (default: the system temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the indexes")
    args = ap.parse_args()

    log = lambda msg: print(f"[compare] {msg}", file=sys.stderr, flush=True)
    corpus_abs = os.path.abspath(args.corpus)
    if not os.path.exists(corpus_abs):
        sys.exit(f"compare.py: no such corpus: {args.corpus}")
    queries = load_queries(args.queries)
    if not queries:
        sys.exit(f"compare.py: no queries in {args.queries}")
    parsed = {q: parse_query(q) for q in queries}
    choose_sqlite(args.sqlite, log)
    notes = []
    odd = [q for q in queries if parsed[q]["unsupported"]]
    if odd:
        notes.append(f"{len(odd)} queries use syntax the peers do not get (OR, -exclusion, field:); "
                     f"byline only: {odd[:5]}")

    m = machine()
    print(f"Machine: {m.get('nproc')} CPUs ({m.get('nproc_available', '?')} available), "
          f"{m.get('cpu', 'unknown CPU')}, {m.get('mem_total_bytes', 0) / 2**30:.1f} GiB RAM; "
          f"Python {m['python']}, SQLite {m['sqlite']}; {m['date']}")
    sys.stdout.flush()

    use_gnu_time = gnu_time_works()
    work = tempfile.mkdtemp(prefix="byline-compare-", dir=args.tmp)
    results = {"machine": m, "corpus": corpus_abs, "queries_file": os.path.abspath(args.queries),
               "queries": queries, "reps": args.reps, "engines": {}, "notes": notes, "work_dir": work}
    try:
        files, size = warm_corpus(corpus_abs)
        results["corpus_files"], results["corpus_bytes"] = files, size
        log(f"corpus: {files} files, {size / MB:.1f} MB (read once to warm the page cache)")

        if os.path.exists(args.byline) or shutil.which(args.byline):
            by = bench_byline(args, corpus_abs, queries, work, use_gnu_time, log)
        else:
            by = {"engine": "byline", "skipped": f"no binary at {args.byline} (cargo build --release)"}
        results["engines"]["byline"] = by
        input_bytes = (by.get("index") or {}).get("bytes") or size
        results["input_bytes"] = input_bytes

        results["engines"]["sqlite"] = bench_sqlite(args, corpus_abs, queries, parsed, work, input_bytes, log,
                                                    by.get("queries"))
        index_rounds(args, corpus_abs, work, results, use_gnu_time, log)
        sq = results["engines"]["sqlite"]
        if by.get("index") and sq.get("index") and by["index"]["report"].get("indexed") != sq["index"]["docs"]:
            notes.append(f"byline indexed {by['index']['report'].get('indexed')} articles, "
                         f"SQLite {sq['index']['docs']}: the corpora differ")

        if args.no_rg:
            results["engines"]["rg"] = {"engine": "ripgrep", "skipped": "--no-rg"}
        else:
            results["engines"]["rg"] = bench_rg(args, corpus_abs, queries, parsed, log)
        if args.no_tantivy:
            results["engines"]["tantivy"] = {"engine": "tantivy-cli", "skipped": "--no-tantivy"}
        else:
            results["engines"]["tantivy"] = bench_tantivy(args, corpus_abs, queries, parsed, work,
                                                          input_bytes, use_gnu_time, log)

        if args.no_xapian:
            results["engines"]["xapian"] = {"engine": "Xapian", "skipped": "--no-xapian"}
        else:
            results["engines"]["xapian"] = bench_xapian(args, corpus_abs, queries, parsed, work, input_bytes, log)

        inproc = None
        inproc_file = args.inproc or by.get("inproc_file")
        if inproc_file:
            inproc = load_inproc(inproc_file, queries)
            inproc["measured"] = "given with --inproc" if args.inproc else "in this run (--inproc-bench)"
            results["byline_inproc"] = inproc
            if inproc["queries_matched"] < len(queries):
                notes.append(f"byline's in-process latency has {inproc['queries_matched']} "
                             f"of the {len(queries)} queries")
        elif args.inproc_bench:
            notes.append("--inproc-bench: the latency bench did not run (see the log above)")
        if by.get("queries") and sq.get("queries"):
            results["agreement"] = agreement(by["queries"], sq["queries"])
        xa = results["engines"]["xapian"]
        if by.get("queries") and xa.get("queries"):
            results["agreement_xapian"] = agreement(by["queries"], xa["queries"])

        dated = sum(1 for q in queries if parsed[q]["lo"] or parsed[q]["hi"])
        notes.append(f"{dated} queries carry date filters; articles without a date in the record or "
                     f"path are dated by file mtime (as byline does)")
        corpus_desc = (f"{args.corpus} ({files} files, {input_bytes / MB:.1f} MB"
                       + (f", {by['index']['report'].get('indexed')} articles" if by.get("index") else "") + ")")
        print_table(results, inproc, corpus_desc, len(queries), args.reps)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"indexes kept in {work}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1)
        log(f"wrote {args.out}")
    if args.inproc_bench and "byline_inproc" not in results:
        # Asked for and missing: a table without the column must not pass for a full run.
        sys.exit("compare.py: --inproc-bench: byline's in-process latency could not be measured")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == SQLITE_CHILD_FLAG:
        if os.environ.get(SQLITE_MODULE_ENV) == "pysqlite3":
            why = use_pysqlite3(os.environ.get(PYDEPS_ENV) or pydeps_dir(), install=False)
            if why:
                sys.exit(f"SQLite child: {why}")
        sqlite_index_child(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == XAPIAN_INDEX_FLAG:
        xapian_index_child(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == XAPIAN_QUERY_FLAG:
        xapian_query_child(sys.argv[2], sys.argv[3])
    else:
        main()
