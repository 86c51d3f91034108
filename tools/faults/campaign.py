#!/usr/bin/env python3
"""A bounded fault-injection campaign against the `byline` binary.

Each check tests one of byline's guarantees (see README.md beside this file)
and prints `PASS name: ...` or `FAIL name: ...` with a one-line reason; the
last line is `faults: N passed, M failed`, and the exit code is 1 when a check
failed. Standard library only. Run as root for the mount and setpriv checks.
"""

import argparse
import gzip
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOBODY = 65534
RAW = ["Syntax Error", "IoError(", "Schema error", "is not a fast field", "Os {"]
PANIC = ["internal error", "panicked"]
ARTICLE_EXT = (".txt", ".json", ".jsonl", ".ndjson", ".html", ".htm", ".gz")
# Share of --budget each randomized check may use.
SHARE = {"mutated-input": 0.06, "queries": 0.20, "kill-resume": 0.25, "search-during-write": 0.09}


class Skip(Exception):
    """A check that cannot run here (not root, no tmpfs...)."""


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def why(self):
        """The exit status and the first line of stderr, for a reason."""
        if self.rc == "hang":
            status = "hang (killed)"
        elif self.rc < 0:
            status = f"killed by signal {-self.rc}"
        else:
            status = f"exit {self.rc}"
        first = next((l for l in self.err.splitlines() if l.strip()), "")
        return f"{status}: {first[:200]}" if first else status

    def panicked(self):
        return self.rc == "hang" or (isinstance(self.rc, int) and (self.rc < 0 or self.rc == 101)) or any(
            p in self.err for p in PANIC)



# How many skipped files `byline index` names on stderr before it counts the
# rest (cli/output.rs, LISTED_SKIPS).
LISTED_SKIPS = 20

def text(b):
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else (b or "")


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def article_files(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            if f.lower().endswith(ARTICLE_EXT):
                out.append(os.path.join(d, f))
    return out


def tree_bytes(root):
    return sum(os.path.getsize(f) for f in article_files(root))


def link_tree(src, dst):
    """A copy of a folder made of hard links: cheap, never edited in place."""
    shutil.copytree(src, dst, copy_function=os.link)


def leftovers(index):
    parent, name = os.path.split(index.rstrip("/"))
    return sorted(f for f in os.listdir(parent) if f.startswith(f".{name}.new-"))


class Proc:
    """A byline process in the background; output goes to temporary files."""

    def __init__(self, camp, cmd, cwd):
        self.camp = camp
        self.out, self.err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        self.p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.out, stderr=self.err,
                                  cwd=cwd, env=camp.env)
        self.pid = self.p.pid
        camp.procs.add(self)

    def running(self):
        return self.p.poll() is None

    def signal(self, sig):
        if self.running():
            self.p.send_signal(sig)

    def wait(self, timeout=300):
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            rc = "hang"
        self.camp.procs.discard(self)
        self.out.seek(0)
        self.err.seek(0)
        return Result(rc, text(self.out.read()), text(self.err.read()))


class Campaign:
    def __init__(self, args):
        self.args = args
        self.byline = os.path.abspath(args.byline)
        self.corpus = os.path.abspath(args.corpus)
        self.budget = args.budget
        self.rng = random.Random(args.seed)
        self.tmp = tempfile.mkdtemp(prefix="byline-faults-")
        os.chmod(self.tmp, 0o755)  # traversable by the non-root user of some checks
        self.cwd = self.mkdir("cwd")  # no corpus/ here: a search never builds an index
        self.env = dict(os.environ, NO_COLOR="1")
        self.env.pop("BYLINE_INDEX", None)
        self.procs, self.mounts = set(), []
        self.root = os.geteuid() == 0
        self._small = self._big = None
        self.words = self.vocabulary()

    # ---------------------------------------------------------------- helpers
    def mkdir(self, *parts):
        path = os.path.join(self.tmp, *parts)
        os.makedirs(path, exist_ok=True)
        return path

    def cmd(self, index, args, user=False):
        cmd = [self.byline, "--index", index, *args]
        if user:
            cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]
        return cmd

    def run(self, index, *args, user=False, timeout=300):
        try:
            p = subprocess.run(self.cmd(index, args, user), stdin=subprocess.DEVNULL, capture_output=True,
                               cwd=self.cwd, env=self.env, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return Result("hang", text(e.stdout), text(e.stderr))
        return Result(p.returncode, text(p.stdout), text(p.stderr))

    def start(self, index, *args, user=False):
        return Proc(self, self.cmd(index, args, user), self.cwd)

    def mount(self, *args):
        target = args[-1]
        subprocess.run(["mount", *args], check=True, capture_output=True)
        self.mounts.append(target)

    def umount(self, target):
        if target in self.mounts:
            if subprocess.run(["umount", target], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", target], capture_output=True)
            self.mounts.remove(target)

    def cleanup(self):
        for p in list(self.procs):
            p.p.kill()
            p.wait()
        for m in reversed(list(self.mounts)):
            self.umount(m)
        if self.mounts:
            print(f"note: could not unmount {self.mounts}; left {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def vocabulary(self):
        """Words of the corpus, most common first (5 to 12 letters)."""
        counts = Counter()
        for path in article_files(self.corpus)[:400]:
            try:
                raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
            except OSError:
                continue
            counts.update(w.lower() for w in re.findall(r"[A-Za-z]{5,12}", text(raw[:200_000])))
        words = [w for w, _ in counts.most_common(2000)]
        return words or ["market", "people", "government"]

    def doc_count(self, index):
        r = self.run(index, "stats", "--json")
        return json.loads(r.out)["documents"] if r.rc == 0 else None

    def hits(self, index, *query, n=100000):
        """The hits of a query as a sorted list of (id, path, title, published); None on error.
        Every article, copies of one story included: the checks ask whether each file's
        articles are there, and mutated files are copies of their originals."""
        r = self.run(index, "search", "--json", "--all-copies", "-n", str(n), "--", *query)
        if r.rc not in (0, 1):
            return None
        return sorted((h["id"], h["path"], h["title"], h["published"])
                      for h in json.loads(r.out)["hits"])

    def snapshot(self, index, queries):
        """What a comparison of two indexes looks at: document count and hits (scores ignored)."""
        return {"documents": self.doc_count(index), **{q: self.hits(index, q) for q in queries}}

    def diff(self, a, b):
        for k in a:
            if a[k] != b.get(k):
                if k == "documents":
                    return f"{b.get(k)} documents, a clean index has {a[k]}"
                return f"hits of {k!r} differ ({len(b.get(k) or [])} vs {len(a[k] or [])} in a clean index)"
        return None

    def small_index(self):
        """A clean index of --corpus (built once; copy it before changing it)."""
        if self._small is None:
            idx = os.path.join(self.mkdir("small"), "idx")
            t = time.monotonic()
            r = self.run(idx, "index", self.corpus, "--json")
            if r.rc != 0:
                raise RuntimeError(f"index of the corpus failed: {r.why()}")
            self._small = (idx, time.monotonic() - t)
        return self._small[0]

    def big(self):
        """A corpus of replicated --corpus files that takes a second or more to index,
        its clean index, its indexing time and the queries used to compare indexes."""
        if self._big is None:
            self.small_index()
            corpus = self.mkdir("big", "corpus")
            per = max(self._small[1] - 0.03, 0.01)
            n, made = clamp(int(1.5 / per) + 1, 2, 300), 0
            for _ in range(3):
                for i in range(made, n):
                    shutil.copytree(self.corpus, os.path.join(corpus, f"r{i:03}"))
                made = n
                ref = os.path.join(self.tmp, "big", f"ref{n}")
                t = time.monotonic()
                r = self.run(ref, "index", corpus, "--json")
                secs = time.monotonic() - t
                if r.rc != 0:
                    raise RuntimeError(f"index of the replicated corpus failed: {r.why()}")
                if secs >= 1.0 or tree_bytes(corpus) > 300e6:
                    break
                n = clamp(int(n * 1.3 / secs) + 1, n + 1, 600)
            # Words of middling frequency: every hit is compared, and printing hits costs.
            queries = self.rng.sample(self.words[400:1500] or self.words, 3)
            self._big = {"corpus": corpus, "ref": ref, "secs": secs, "queries": queries,
                         "snap": self.snapshot(ref, queries), "replicas": made}
        return self._big


# ------------------------------------------------------------------- mutations
def mutate(rng, data, name):
    """One mutation of a file's bytes: (new bytes, new file name, what was done)."""
    kind = rng.choice(["bitflip", "truncate", "insert", "bad-utf8", "utf16", "huge-line", "nested-json",
                       "unclosed-html", "nul", "empty", "gzip-bitflip"])
    b = bytearray(data)
    if kind == "bitflip" and b:
        for _ in range(rng.randint(1, 50)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        b = b[: rng.randrange(len(b) + 1)]
    elif kind == "insert":
        for _ in range(rng.randint(1, 20)):
            i = rng.randrange(len(b) + 1)
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    elif kind == "bad-utf8":
        for _ in range(rng.randint(1, 30)):
            i = rng.randrange(len(b) + 1)
            b[i:i] = rng.choice([b"\xff", b"\xfe\xfe", b"\xc3(", b"\xe2\x82", b"\xf0\x28\x8c\xbc", b"\xed\xa0\x80"])
    elif kind == "utf16":
        b = bytearray(text(bytes(b)).encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be"])))
        if not b.startswith((b"\xff\xfe", b"\xfe\xff")):
            b[0:0] = b"\xff\xfe" if rng.random() < 0.5 else b"\xfe\xff"
    elif kind == "huge-line":
        b += (b"lorem ipsum dolor " * rng.randint(50_000, 400_000)).rstrip()
    elif kind == "nested-json":
        depth = rng.randint(1000, 200_000)
        b = bytearray(rng.choice([b'{"title":', b"[", b'{"a":[']) * depth)
        name += ".json"
    elif kind == "unclosed-html":
        b = bytearray(b"<html><body><article><p>Dockers strike " + b"<table><tr><td>" * rng.randint(1000, 60_000))
        name += ".html"
    elif kind == "nul":
        for _ in range(rng.randint(1, 10)):
            i = rng.randrange(len(b) + 1)
            b[i:i] = b"\0" * rng.randint(1, 4096)
    elif kind == "empty":
        b = bytearray()
    elif kind == "gzip-bitflip":
        b = bytearray(gzip.compress(bytes(b)))
        for _ in range(rng.randint(1, 5)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        name += ".gz"
    return bytes(b), name, kind


# ---------------------------------------------------------------------- checks
def check_mutated_input(c):
    """Bad files are skipped with a reason, good files beside them indexed, no panic."""
    files = article_files(c.corpus)
    deadline = time.monotonic() + c.budget * SHARE["mutated-input"]
    rounds = runs = mutated = skipped = good_total = 0
    problems = []
    while rounds == 0 or time.monotonic() < deadline:
        folder = c.mkdir("mutated", f"round{rounds}", "corpus")
        idx = os.path.join(os.path.dirname(folder), "idx")
        bad, good = [], []
        for i, src in enumerate(c.rng.sample(files, min(len(files), 24))):
            data = gzip.open(src).read() if src.endswith(".gz") else open(src, "rb").read()
            base = os.path.basename(src).removesuffix(".gz")
            if i < 6:  # good files, copied as they are
                dst = os.path.join(folder, f"good{i}-{os.path.basename(src)}")
                shutil.copy(src, dst)
                good.append(dst)
                continue
            b, name, kind = mutate(c.rng, data, f"m{i}-{kind_safe(base)}")
            with open(os.path.join(folder, name), "wb") as f:
                f.write(b)
            bad.append((os.path.join(folder, name), kind))
        if rounds == 0:  # the special files, once
            os.mkfifo(os.path.join(folder, "fifo.txt"))
            os.symlink("loop-b", os.path.join(folder, "loop-a"))
            os.symlink("loop-a", os.path.join(folder, "loop-b"))
            os.symlink("..", os.path.join(folder, "parent-link"))
            deep = os.path.join(folder, *(["d"] * 300))
            os.makedirs(deep)
            deep_good = os.path.join(deep, "deep-" + os.path.basename(good[0]))
            shutil.copy(good[0], deep_good)
            good.append(deep_good)
            for name, b in [("empty.txt", b""), ("empty.json", b""), ("empty.jsonl", b""), ("nul.txt", b"\0" * 5000)]:
                with open(os.path.join(folder, name), "wb") as f:
                    f.write(b)
                bad.append((os.path.join(folder, name), "special"))
        r = c.run(idx, "index", folder, "--json")
        runs += 1
        mutated += len(bad)
        if r.panicked() or r.rc not in (0, 2):
            problems.append(f"round {rounds}: {r.why()}")
        elif r.rc == 0:
            report = json.loads(r.out)
            paths = {h[1].split("#")[0] for h in c.hits(idx, "*") or []}
            skips = {s["path"]: s.get("reason", "") for s in report["skipped_files"]}
            skipped += len(skips)
            good_total += len(good)
            for s, reason in skips.items():
                if not reason.strip():
                    problems.append(f"{s} skipped without a reason")
            # stderr names the first LISTED_SKIPS skipped files; the JSON
            # report (checked above) lists them all.
            named = [s for s in skips if s in r.err]
            if len(named) < min(len(skips), LISTED_SKIPS):
                problems.append(f"{len(skips)} skipped, {len(named)} named on stderr")
            for g in good:
                if g not in paths:
                    problems.append(f"good file {os.path.relpath(g, folder)[:60]} not indexed")
            reported = {re.sub(r":\d+$", "", s) for s in skips}
            for b, kind in bad:
                if b not in paths and b not in reported:
                    problems.append(f"{os.path.relpath(b, folder)} ({kind}) neither indexed nor reported skipped")
        shutil.rmtree(os.path.dirname(folder), ignore_errors=True)
        rounds += 1
    counts = f"{runs} runs, {mutated} mutated files, {skipped} skipped with a reason, {good_total} good files"
    if problems:
        return [("mutated-input", False, f"{len(problems)} problems ({counts}); first: {'; '.join(problems[:3])}")]
    return [("mutated-input", True, f"{counts}, all good files indexed")]


def kind_safe(name):
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def check_utf16_jsonl(c):
    """A JSON Lines file that opens with a UTF-16 BOM keeps its good records."""
    folder = c.mkdir("bomjsonl", "corpus")
    records = [{"title": f"Harbour report number {i}", "maintext": f"Dockers in port {w} said the strike over "
                f"automated cranes would go on. The union met on Monday.", "date_publish": f"2025-0{i + 1}-10"}
               for i, w in enumerate(["Gdansk", "Rotterdam", "Marseille", "Halifax", "Accra"])]
    lines = [json.dumps(r) for r in records]
    lines.insert(2, '{"title": "broken record", ')
    for enc, name in [("utf-16-le", "le.jsonl"), ("utf-16-be", "be.jsonl")]:
        bom = b"\xff\xfe" if enc.endswith("le") else b"\xfe\xff"
        with open(os.path.join(folder, name), "wb") as f:
            f.write(bom + ("\n".join(lines) + "\n").encode(enc))
    # A UTF-16 mark before UTF-8 lines (files concatenated, an editor's slip).
    with open(os.path.join(folder, "stray.jsonl"), "wb") as f:
        f.write(b"\xff\xfe" + ("\n".join(lines) + "\n").encode())
    idx = os.path.join(c.tmp, "bomjsonl", "idx")
    r = c.run(idx, "index", folder, "--json")
    if r.panicked() or r.rc not in (0, 2):
        return [("utf16-jsonl", False, r.why())]
    got = Counter(h[1].split("#")[0].rsplit("/", 1)[-1] for h in c.hits(idx, "*") or [])
    if got["le.jsonl"] != 5 or got["be.jsonl"] != 5 or got["stray.jsonl"] < 4:
        return [("utf16-jsonl", False, f"of 5 good records each, indexed: {got['le.jsonl']} from UTF-16LE with a "
                 f"BOM, {got['be.jsonl']} from UTF-16BE, {got['stray.jsonl']} from UTF-8 lines after a UTF-16 BOM "
                 f"({r.why()})")]
    return [("utf16-jsonl", True, f"5 + 5 + {got['stray.jsonl']} good records indexed beside a bad line")]


UNICODE = ["Gdańsk", "Kyiv", "Köln", "東京", "Москва", "القاهرة", "naïve", "🦀", "e\u0301", "\u200b", "ﬁnance",
           "İstanbul", "\ufeffword", "Ω", "\u202eevil", "x\u0301\u0301\u0301"]
APOS = ["Blair's", "O'Driscoll", "don't", "Brown's", "rock'n'roll", "'quoted'", "Blair’s", "'", "''"]
FIELDS = ["title", "body", "standfirst", "byline", "url", "published", "id", "path", "foo", "", "TITLE"]
FILTERS = ["person", "org", "place", "entity", "after", "before", "since", "until", "on", "date"]
DATES = ["2025-11-01", "2025-11", "2025", "2024-05-14T00:00:00Z", "2025-13-01", "2025-02-30", "yesterday",
         "99999999", "-1", "", "2025/11/01", "0000-00-00", "2025-11-01T25:00", "1e9", "2025-W48", "+2025"]


def gen_query(rng, words):
    # One argument may be at most 128 KiB (Linux's MAX_ARG_STRLEN).
    return gen_any(rng, words)[:100_000]


def gen_any(rng, words):
    def word():
        r = rng.random()
        if r < 0.7:
            return rng.choice(words)
        if r < 0.8:
            return rng.choice(UNICODE)
        if r < 0.9:
            return rng.choice(APOS)
        return "".join(rng.choice("()[]{}\"'*~^:+-!&|\\/<>=.,?@#%") for _ in range(rng.randint(1, 4)))

    def term(depth=0):
        k = rng.randrange(15 if depth < 3 else 8)
        if k == 0 or k == 1:
            return word()
        if k == 2:
            q = '"' + " ".join(word() for _ in range(rng.randint(1, 4)))
            return q + ('"' if rng.random() < 0.85 else "")
        if k == 3:
            return f"-{term(depth + 1)}" if rng.random() < 0.5 else f"+{term(depth + 1)}"
        if k == 4:
            return term(depth + 1) + "^" + rng.choice(["2", "0.5", "-1", "x", "", "99999999999"])
        if k == 5:
            return term(depth + 1) + "~" + rng.choice(["", "1", "2", "9", "-3"])
        if k == 6:
            w = word()
            return w[: rng.randint(0, len(w))] + "*"
        if k == 7:
            return rng.choice(FIELDS) + ":" + rng.choice([word(), "*", f'"{word()} {word()}"', f"[{word()} TO {word()}]"])
        if k == 8:
            f = rng.choice(FILTERS)
            v = rng.choice(DATES) if f in ("after", "before", "since", "until", "on", "date") else \
                rng.choice([word().capitalize(), f'"{word().capitalize()} {word().capitalize()}"', ""])
            return f"{f}:{v}"
        if k == 9:
            a, b = rng.choice([(word(), word()), (rng.choice(DATES), rng.choice(DATES)), ("1", "10"), ("a", "b")])
            o, cl = rng.choice(["[]", "{}", "[}", "{]"])
            return rng.choice(["", "published:", "title:"]) + f"{o}{a} TO {b}{cl}"
        if k == 10:
            return f"{word()} {rng.choice(['>', '<', '>=', '<=', '='])} {word()}"
        if k == 11:
            return f"({rng.choice(APOS)} OR {word().capitalize()})"
        if k == 12:
            return "(" + f" {rng.choice(['OR', 'AND', 'NOT', 'or', '||', '&&'])} ".join(
                term(depth + 1) for _ in range(rng.randint(1, 3))) + (")" if rng.random() < 0.85 else "")
        if k == 13:
            return rng.choice(["*", "title:*", "-", "--", "+", "OR", "AND", "NOT", ":", "\"", "(", ")", "^2", "~"])
        return word() + ":" + word()

    def plain():
        k = rng.randrange(7)
        w = rng.choice(words)
        return [w, w, f'"{w} {rng.choice(words)}"', w[:4] + "*", f"-{w}", f"{rng.choice(FIELDS[:4])}:{w}",
                f"{rng.choice(FILTERS[4:])}:{rng.choice(DATES[:4])}"][k]

    r = rng.random()
    if r < 0.5:  # mostly well-formed queries, so the search path is exercised too
        return " ".join(plain() for _ in range(rng.randint(1, 3)))
    if r < 0.52:
        return " ".join(term() for _ in range(rng.randint(200, 1500)))
    if r < 0.53:
        return rng.choice(words) * rng.randint(1000, 20000)
    return rng.choice([" ", " ", " OR ", " AND "]).join(term() for _ in range(rng.randint(1, 5)))


def check_queries(c):
    """Random queries: exit 0/1/2, a one-line byline error on 2, no tantivy text."""
    idx = c.small_index()
    deadline = time.monotonic() + c.budget * SHARE["queries"]
    rng = random.Random(c.rng.random())
    lock = threading.Lock()
    stats = Counter()
    leaks = {p: [] for p in RAW}
    bad = []

    def one(q):
        r = c.run(idx, "search", "--json", "-n", "3", "--", q, timeout=60)
        with lock:
            stats["queries"] += 1
            stats[f"rc{r.rc}"] += 1
            short = (q[:80] + "...") if len(q) > 80 else q
            if r.panicked() or r.rc not in (0, 1, 2):
                bad.append(f"{short!r}: {r.why()}")
            elif r.rc == 2:
                lines = r.err.rstrip("\n").splitlines()
                # One line, or a syntax error's three: the message, the query quoted, a caret under the fault.
                pointed = len(lines) == 3 and lines[1].startswith("  ") and lines[2].strip() == "^"
                if not (len(lines) == 1 or pointed) or not lines[0].startswith("byline: error: "):
                    bad.append(f"{short!r}: stderr is not one 'byline: error:' line (or one and a caret): {r.err.strip()[:120]!r}")
                for p in RAW:
                    if p in r.err:
                        leaks[p].append(f"{short!r} -> {r.err.strip()[:140]}")
            elif r.rc == 0:
                try:
                    assert all("id" in h for h in json.loads(r.out)["hits"])
                except (ValueError, KeyError, AssertionError):
                    bad.append(f"{short!r}: malformed --json output")

    with ThreadPoolExecutor(max_workers=2) as pool:
        while time.monotonic() < deadline or stats["queries"] == 0:
            list(pool.map(one, [gen_query(rng, c.words[:500]) for _ in range(20)]))
    n = stats["queries"]
    summary = f"{n} queries (exit 0: {stats['rc0']}, 1: {stats['rc1']}, 2: {stats['rc2']})"
    out = []
    if bad:
        out.append(("queries", False, f"{len(bad)} bad of {summary}; first: {' | '.join(bad[:3])}"))
    else:
        out.append(("queries", True, summary))
    leaked = {p: v for p, v in leaks.items() if v}
    if leaked:
        counts = ", ".join(f"{p!r}: {len(v)}" for p, v in leaked.items())
        for p, v in leaked.items():
            for ex in v[:3]:
                print(f"  raw {p!r}: {ex}")
        out.append(("query-messages", False, f"{sum(map(len, leaked.values()))} of {n} queries leak tantivy text ({counts})"))
    else:
        out.append(("query-messages", True, f"{n} queries, 0 raw errors"))
    return out


def edit_folder(c, folder, replicas):
    """Edits for a reindex: appended paragraphs, deleted files, a new replica folder."""
    files = article_files(folder)
    txt = [f for f in files if f.endswith(".txt")]
    for f in c.rng.sample(txt, max(1, len(txt) // 20)):
        with open(f, "a") as out:
            out.write(f"\n\nA late paragraph about {c.rng.choice(c.words)} and quayside{c.rng.randrange(10**6)}.\n")
    for f in c.rng.sample(files, max(1, len(files) // 30)):
        os.remove(f)
    subs = sorted(os.listdir(folder))
    new = os.path.join(folder, f"e{time.monotonic_ns()}")
    shutil.copytree(c.corpus, new)
    if len(subs) + 1 > replicas + 3:
        shutil.rmtree(os.path.join(folder, subs[0]))


def check_kill_resume(c):
    """SIGKILL at random moments; the next reindex equals a clean index."""
    big = c.big()
    base = c.mkdir("kill")
    folder = os.path.join(base, "corpus")
    shutil.copytree(big["corpus"], folder)
    ref = os.path.join(base, "ref0")
    r = c.run(ref, "index", folder)
    snap = c.snapshot(ref, big["queries"])
    live = os.path.join(base, "idx")
    shutil.copytree(ref, live)
    deadline = time.monotonic() + c.budget * SHARE["kill-resume"]
    kills = mid = 0
    problems = []
    modes = ["index", "reindex", "reindex --full"]
    est = {"index": big["secs"], "reindex": big["secs"] * 0.6, "reindex --full": big["secs"] * 1.1}
    while kills < 3 or time.monotonic() < deadline:
        mode = modes[kills % 3]
        if mode == "reindex":
            edit_folder(c, folder, big["replicas"])
            shutil.rmtree(ref)
            r = c.run(ref, "index", folder)
            if r.rc != 0:
                problems.append(f"clean index failed: {r.why()}")
                break
            snap = c.snapshot(ref, big["queries"])
        p = c.start(live, *mode.split(), folder)
        t0 = time.monotonic()
        time.sleep(c.rng.uniform(0.02, est[mode]))
        kills += 1
        mid += p.running()
        if not p.running():  # finished before the kill: aim earlier next time
            est[mode] = max(0.05, est[mode] * 0.6)
        p.signal(signal.SIGKILL)
        r = p.wait()
        if os.environ.get("FAULTS_DEBUG"):
            print(f"  killed {mode} after {time.monotonic() - t0:.2f} s of ~{big['secs']:.2f} s: {r.why()}")
        r = c.run(live, "reindex", folder, "--json")
        if r.rc != 0:
            problems.append(f"reindex after killing {mode}: {r.why()}")
            continue
        d = c.diff(snap, c.snapshot(live, big["queries"]))
        if d:
            problems.append(f"after killing {mode}: {d}")
    summary = f"{kills} kills, {mid} mid-run, {len(problems)} mismatches"
    if problems:
        return [("kill-resume", False, f"{summary}; first: {' | '.join(problems[:3])}")]
    return [("kill-resume", True, summary)]


def check_leftovers(c):
    """No .NAME.new-PID folder after an interrupted reindex --full and the next writer run."""
    big = c.big()
    idx = os.path.join(c.mkdir("leftovers"), "idx")
    shutil.copytree(big["ref"], idx)
    problems, notes = [], []
    for i, sig in enumerate([signal.SIGKILL, signal.SIGTERM, signal.SIGINT]):
        name = sig.name
        for attempt in range(3):
            p = c.start(idx, "reindex", "--full", big["corpus"])
            t0 = time.monotonic()
            while p.running() and not leftovers(idx) and time.monotonic() - t0 < big["secs"] * 5 + 5:
                time.sleep(0.005)
            time.sleep(c.rng.uniform(0, big["secs"] * 0.3))
            was_running = p.running()
            p.signal(sig)
            r = p.wait()
            if was_running:
                break
        else:
            problems.append(f"{name}: reindex --full always finished before the signal")
            continue
        left = leftovers(idx)
        if left and sig != signal.SIGKILL:
            problems.append(f"{name} ({r.why()}) left {left[0]}")
        nxt = ["reindex", "index"][i % 2]
        r = c.run(idx, nxt, big["corpus"])
        if r.rc != 0:
            problems.append(f"{nxt} after {name}: {r.why()}")
        left2 = leftovers(idx)
        if left2:
            problems.append(f"{nxt} after {name} left {left2[0]}")
        for f in left2:  # start the next signal clean
            shutil.rmtree(os.path.join(os.path.dirname(idx), f), ignore_errors=True)
        notes.append(name)
    if problems:
        return [("leftovers", False, "; ".join(problems))]
    return [("leftovers", True, f"none left after {', '.join(notes)} and the next writer run")]


def check_search_during_write(c):
    """Searches while index/reindex run: exit 0 or 1, well-formed output."""
    big = c.big()
    base = c.mkdir("during")
    folder = os.path.join(base, "corpus")
    link_tree(big["corpus"], folder)
    idx = os.path.join(base, "idx")
    deadline = time.monotonic() + c.budget * SHARE["search-during-write"]
    stats, problems = Counter(), []
    lock = threading.Lock()
    queries = big["queries"][1:] + ["*", "after:2025-01-01", f"{c.words[0]} OR {c.words[1]}"]
    writers = 0
    while writers < 3 or time.monotonic() < deadline:
        mode = ["index", "reindex", "reindex --full"][writers % 3]
        if writers == 0:
            shutil.rmtree(idx, ignore_errors=True)
        if mode == "reindex":  # new and deleted files, no file edited in place (hard links)
            for f in c.rng.sample(article_files(folder), 20):
                os.remove(f)
            shutil.copytree(c.corpus, os.path.join(folder, f"n{writers}"))
        w = c.start(idx, *mode.split(), folder)
        writers += 1

        def searcher():
            while w.running():
                committed = os.path.exists(os.path.join(idx, "meta.json"))
                q = c.rng.choice(queries)
                r = c.run(idx, "search", "--json", "-n", "5", "--", q, timeout=60)
                with lock:
                    stats[r.rc] += 1
                    if r.rc == 2 and not committed and "no index" in r.err:
                        continue
                    if r.panicked() or r.rc not in (0, 1):
                        problems.append(f"during {mode}, {q!r}: {r.why()}")
                    else:
                        try:
                            found = json.loads(r.out)
                            assert all("id" in h for h in found["hits"])
                            # Exit 1 is no match: a total of 0.
                            assert (r.rc == 1) == (found["total"] == 0)
                        except (ValueError, KeyError, AssertionError):
                            problems.append(f"during {mode}, {q!r}: malformed output {r.out[:80]!r}")

        threads = [threading.Thread(target=searcher) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        r = w.wait()
        if r.rc != 0:
            problems.append(f"{mode} with searches running: {r.why()}")
    summary = f"{sum(stats.values())} searches during {writers} writer runs " \
              f"(exit 0: {stats[0]}, 1: {stats[1]}, 2 with 'no index' before the first commit: {stats[2]})"
    if problems:
        return [("search-during-write", False, f"{len(problems)} problems in {summary}; first: {' | '.join(problems[:3])}")]
    return [("search-during-write", True, summary)]


def check_competing_writers(c):
    """Two writers at once: one wins, the other exits 2 naming the lock holder."""
    big = c.big()
    base = c.mkdir("compete")
    problems = []
    pairs = [("index", "index", False), ("index", "reindex --full", True), ("reindex --full", "reindex --full", True),
             ("index", "reindex --full", False)]
    for k, (a, b, existing) in enumerate(pairs):
        idx = os.path.join(base, f"idx{k}")
        if existing:
            shutil.copytree(big["ref"], idx)
        pa = c.start(idx, *a.split(), big["corpus"])
        pb = c.start(idx, *b.split(), big["corpus"])
        ra, rb = pa.wait(), pb.wait()
        label = f"{a} + {b}{' (existing index)' if existing else ' (no index yet)'}"
        if ra.panicked() or rb.panicked():
            problems.append(f"{label}: {ra.why()} / {rb.why()}")
            continue
        if sorted([ra.rc, rb.rc]) != [0, 2]:
            problems.append(f"{label}: exits {ra.rc} and {rb.rc} ({(rb if rb.rc else ra).why()})")
        else:
            win, lose = (pa, rb) if ra.rc == 0 else (pb, ra)
            if f"pid {win.pid}" not in lose.err:
                problems.append(f"{label}: loser does not name the holder (pid {win.pid}): {lose.why()}")
        d = c.diff(big["snap"], c.snapshot(idx, big["queries"]))
        if d:
            problems.append(f"{label}: afterwards {d}")
    if problems:
        return [("competing-writers", False, "; ".join(problems[:3]))]
    return [("competing-writers", True, f"{len(pairs)} races: one winner each, the loser names the holder, index consistent")]


def reader_outputs(c, idx, user=False):
    q = c.words[:3]
    runs = {"stats": ["stats", "--json"], "timeline": ["timeline", "--json"], "entities": ["entities", "--json"],
            **{f"search {w}": ["search", "--json", w] for w in q}}
    return {k: c.run(idx, *v, user=user) for k, v in runs.items()}


def compare_readers(before, after):
    for k, r in after.items():
        if r.panicked() or r.rc not in (0, 1):
            return f"{k} {r.why()}"
        if r.out != before[k].out:
            return f"{k} output differs from before"
    return None


def check_read_only(c):
    """A read-only index (ro bind mount; mode 0444 for a non-root user) can be read, not written."""
    out = []
    if not c.root:
        return [("read-only", None, "not root"), ("read-only-user", None, "not root")]
    small = c.small_index()
    base = c.mkdir("ro")
    idx = os.path.join(base, "idx")
    shutil.copytree(small, idx)
    before = reader_outputs(c, idx)
    try:
        try:
            c.mount("--bind", idx, idx)
            c.mount("-o", "remount,bind,ro", idx)
        except subprocess.CalledProcessError as e:
            out.append(("read-only", None, f"mount failed: {text(e.stderr).strip()[:100]}"))
        else:
            why = compare_readers(before, reader_outputs(c, idx))
            r = c.run(idx, "reindex", c.corpus)
            if not why and (r.rc != 2 or not r.err.startswith("byline: error:") or "IoError(Os" in r.err
                            or r.panicked()):
                why = f"reindex {r.why()}"
            out.append(("read-only", not why, why or "search, stats, timeline, entities as before; reindex refused"))
    finally:
        c.umount(idx)
    if not shutil.which("setpriv"):
        return out + [("read-only-user", None, "no setpriv")]
    corpus = os.path.join(base, "corpus")
    shutil.copytree(c.corpus, corpus)
    uidx = os.path.join(base, "uidx")
    shutil.copytree(small, uidx)
    before = reader_outputs(c, uidx)
    for d, dirs, files in os.walk(uidx):
        for f in files:
            os.chmod(os.path.join(d, f), 0o444)
        os.chmod(d, 0o555)
    why = compare_readers(before, reader_outputs(c, uidx, user=True))
    r = c.run(uidx, "reindex", corpus, user=True)
    if not why and (r.rc != 2 or not r.err.startswith("byline: error:") or "IoError(Os" in r.err or r.panicked()):
        why = f"reindex {r.why()}"
    os.chmod(uidx, 0o755)
    return out + [("read-only-user", not why, why or "uid 65534 reads a 0444 index as before; reindex refused")]


def check_unreadable_folder(c):
    """chmod 000 on a subfolder: reindex keeps its articles and says it could not read it."""
    if not c.root or not shutil.which("setpriv"):
        return [("unreadable-folder", None, "needs root and setpriv")]
    base = c.mkdir("unreadable")
    corpus = os.path.join(base, "corpus")
    shutil.copytree(c.corpus, corpus)
    subs = [s for s in sorted(os.listdir(corpus)) if os.path.isdir(os.path.join(corpus, s))
            and article_files(os.path.join(corpus, s))]
    if not subs or len(article_files(corpus)) == len(article_files(os.path.join(corpus, subs[0]))):
        return [("unreadable-folder", None, "the corpus has no subfolder beside other articles")]
    sub = os.path.join(corpus, subs[0])
    idx = os.path.join(base, "idx")
    r = c.run(idx, "index", corpus)
    n0 = c.doc_count(idx)
    mine = [h for h in c.hits(idx, "*") if h[1].startswith(sub + "/")]
    if not mine:
        return [("unreadable-folder", False, f"no article of {subs[0]}/ indexed ({r.why()})")]
    hit = c.rng.choice(mine)
    words = " ".join(re.findall(r"\w+", hit[2])[:6]) or "*"
    subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", base], check=True)
    os.chmod(sub, 0)
    try:
        r = c.run(idx, "reindex", corpus, "--json", user=True)
    finally:
        os.chmod(sub, 0o755)
    problems = []
    if r.panicked():
        problems.append(f"reindex {r.why()}")
    n1 = c.doc_count(idx)
    if n1 != n0:
        problems.append(f"documents {n0} -> {n1} (reindex {r.why()})")
    found = [h for h in c.hits(idx, words) or [] if h[0] == hit[0]]
    if not found:
        problems.append(f"search {words!r} no longer finds {os.path.relpath(hit[1], corpus)}")
    if subs[0] not in r.err and subs[0] not in r.out:
        problems.append(f"the run does not name {subs[0]}/ as unreadable")
    if problems:
        return [("unreadable-folder", False, "; ".join(problems))]
    return [("unreadable-folder", True, f"{n0} documents kept, {subs[0]}/ reported unreadable")]


def check_vanished_corpus(c):
    """The corpus folder renamed or deleted mid-run: exit 2, the index as it was."""
    big = c.big()
    base = c.mkdir("vanished")
    problems, done = [], []
    for how in ["renamed", "deleted"]:
        idx = os.path.join(base, f"idx-{how}")
        r = c.run(idx, "index", c.corpus)
        n0 = c.doc_count(idx)
        folder = os.path.join(base, f"corpus-{how}")
        link_tree(big["corpus"], folder)
        p = c.start(idx, "index", folder)
        time.sleep(min(0.3, big["secs"] * 0.3))
        if not p.running():
            problems.append(f"{how}: index finished before the folder vanished ({p.wait().why()})")
            continue
        if how == "renamed":
            os.rename(folder, folder + ".gone")
        else:
            # The run is paused while the tree goes, so the deletion lands mid-run whatever
            # the speeds: deleting 8,000 files takes long enough that a fast run read nearly
            # all of them first (in any order of deletion) and rightly committed them.
            os.kill(p.p.pid, signal.SIGSTOP)
            try:
                shutil.rmtree(folder)
            finally:
                os.kill(p.p.pid, signal.SIGCONT)
        r = p.wait()
        n1 = c.doc_count(idx)
        if r.panicked() or r.rc != 2:
            problems.append(f"{how} mid-run: {r.why()}, documents {n0} -> {n1}")
        elif n1 != n0:
            problems.append(f"{how} mid-run: documents {n0} -> {n1}")
        else:
            done.append(how)
    if problems:
        return [("vanished-corpus", False, "; ".join(problems))]
    return [("vanished-corpus", True, f"{' and '.join(done)} mid-run: exit 2, index unchanged")]


def stray_files(idx):
    """Files in an index folder that belong to no committed segment."""
    try:
        meta = json.load(open(os.path.join(idx, "meta.json")))
    except (OSError, ValueError):
        return ["meta.json unreadable"]
    live = {s["segment_id"].replace("-", "") for s in meta.get("segments", [])}
    return [f for f in os.listdir(idx) if not f.startswith(".") and f != "meta.json" and f.split(".")[0] not in live]


def check_full_disk(c):
    """A 3 MB tmpfs: 'no space' said, nothing left behind, the old index intact."""
    if not c.root:
        return [("full-disk", None, "not root")]
    big = c.big()
    base = c.mkdir("full")
    small = os.path.join(base, "small")
    os.makedirs(small)
    total = 0
    for f in article_files(c.corpus):
        if total + os.path.getsize(f) > 200_000 and total:
            continue
        total += os.path.getsize(f)
        shutil.copy(f, os.path.join(small, f"{total}-{os.path.basename(f)}"))
    large = os.path.join(base, "large")
    os.makedirs(large)
    k = 0
    while tree_bytes(large) < 12e6:
        link_tree(big["corpus"], os.path.join(large, f"x{k}"))
        k += 1
    mnt = c.mkdir("full", "mnt")
    try:
        c.mount("-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt)
    except subprocess.CalledProcessError as e:
        return [("full-disk", None, f"tmpfs mount failed: {text(e.stderr).strip()[:100]}")]
    problems = []
    try:
        idx = os.path.join(mnt, "idx")
        r = c.run(idx, "index", small)
        if r.rc != 0:
            return [("full-disk", None, f"the small corpus does not fit: {r.why()}")]
        queries = ["*"] + c.words[:2]
        snap = c.snapshot(idx, queries)
        for mode in ["index", "reindex --full"]:
            r = c.run(idx, *mode.split(), large)
            if r.rc != 2 or r.panicked():
                problems.append(f"{mode}: {r.why()}")
            elif "no space" not in r.err.lower():
                problems.append(f"{mode} error does not say no space: {r.why()}")
            left = [f for f in os.listdir(mnt) if f != "idx"] + stray_files(idx)
            if left:
                problems.append(f"{mode} left {len(left)} files/folders ({', '.join(left[:2])})")
                for f in os.listdir(mnt):  # clean, so the next step starts with room
                    if f != "idx":
                        shutil.rmtree(os.path.join(mnt, f), ignore_errors=True)
            d = c.diff(snap, c.snapshot(idx, queries))
            if d:
                problems.append(f"after {mode}: {d}")
        r = c.run(idx, "index", small)
        if r.rc != 0:
            problems.append(f"index of the small corpus afterwards: {r.why()}")
    finally:
        c.umount(mnt)
    if problems:
        return [("full-disk", False, "; ".join(problems[:4]))]
    return [("full-disk", True, "no space said, nothing left behind, old index intact, small index afterwards")]


def check_corrupt_index(c):
    """Damaged index files: exit 2 with advice to rebuild, never a panic."""
    small = c.small_index()
    base = c.mkdir("corrupt")
    counts, problems = Counter(), []
    for k in range(16):
        idx = os.path.join(base, f"idx{k}")
        shutil.copytree(small, idx)
        victims = sorted(f for f in os.listdir(idx) if not f.endswith(".lock"))
        victim = os.path.join(idx, c.rng.choice(victims))
        data = bytearray(open(victim, "rb").read())
        how = c.rng.choice(["flip", "truncate", "zero"])
        if how == "flip" and data:
            for _ in range(c.rng.randint(1, 64)):
                data[c.rng.randrange(len(data))] ^= 0xFF
        elif how == "truncate":
            data = data[: c.rng.randrange(len(data) + 1)]
        else:
            data = bytearray(len(data))
        open(victim, "wb").write(data)
        what = f"{how} {os.path.basename(victim)[-12:]}"
        for args in (["search", c.words[0]], ["stats"]):
            r = c.run(idx, *args, timeout=60)
            counts[r.rc] += 1
            kind = None
            if r.panicked() or r.rc not in (0, 1, 2):
                kind = "panic"
            elif r.rc == 2 and any(p in r.err for p in RAW + ["tantivy", "Data corrupted"]):
                kind = "raw tantivy text"
            elif r.rc == 2 and "byline index" not in r.err:
                kind = "no advice to rebuild"
            if kind:
                counts[kind] += 1
                problems.append(f"{args[0]} after {what}: {r.why()}")
                if os.environ.get("FAULTS_DEBUG"):
                    print(f"  {kind}: {args[0]} after {what}: {r.err.strip()[:300]}")
        shutil.rmtree(idx)
    summary = (f"{counts[0] + counts[1] + counts[2]} runs on 16 damaged indexes (exit 2: {counts[2]}, "
               f"undetected: {counts[0] + counts[1]}; panics: {counts['panic']}, raw tantivy text: "
               f"{counts['raw tantivy text']}, no advice to rebuild: {counts['no advice to rebuild']})")
    if problems:
        return [("corrupt-index", False, f"{len(problems)} bad of {summary}; first: {' | '.join(problems[:2])}")]
    return [("corrupt-index", True, summary)]


CHECKS = [
    (["mutated-input"], check_mutated_input),
    (["utf16-jsonl"], check_utf16_jsonl),
    (["queries", "query-messages"], check_queries),
    (["kill-resume"], check_kill_resume),
    (["leftovers"], check_leftovers),
    (["search-during-write"], check_search_during_write),
    (["competing-writers"], check_competing_writers),
    (["read-only", "read-only-user"], check_read_only),
    (["unreadable-folder"], check_unreadable_folder),
    (["vanished-corpus"], check_vanished_corpus),
    (["full-disk"], check_full_disk),
    (["corrupt-index"], check_corrupt_index),
]
NAMES = [n for names, _ in CHECKS for n in names]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--byline", default=os.path.join(REPO, "target/release/byline"))
    ap.add_argument("--corpus", default=os.path.join(REPO, "corpus"))
    ap.add_argument("--budget", type=float, default=240, help="seconds for the randomized checks (default 240)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--only", default="", help="comma-separated checks: " + ",".join(NAMES))
    ap.add_argument("--skip", default="", help="comma-separated checks to leave out")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = random.randrange(10**6)
    only = {n for n in args.only.split(",") if n}
    skip = {n for n in args.skip.split(",") if n}
    for n in only | skip:
        if n not in NAMES:
            ap.error(f"unknown check {n!r}; checks: {', '.join(NAMES)}")
    selected = [n for n in NAMES if (not only or n in only) and n not in skip]
    if not os.access(args.byline, os.X_OK):
        ap.error(f"no byline binary at {args.byline} (build it, or pass --byline)")

    # SIGTERM (a CI timeout) unwinds like Ctrl-C, so mounts and processes are cleaned up.
    def on_term(*_):
        raise KeyboardInterrupt("SIGTERM")

    signal.signal(signal.SIGTERM, on_term)
    start = time.monotonic()
    print(f"seed {args.seed}; byline {args.byline}; corpus {args.corpus}; budget {args.budget:g} s", flush=True)
    c = Campaign(args)
    passed = failed = 0
    skipped = []
    try:
        for names, fn in CHECKS:
            want = [n for n in names if n in selected]
            if not want:
                continue
            t = time.monotonic()
            try:
                results = fn(c)
            except Skip as e:
                results = [(n, None, str(e)) for n in names]
            except Exception as e:  # a check that breaks is a failed check, not a crash
                results = [(n, False, f"check crashed: {type(e).__name__}: {e}") for n in names]
            for name, ok, reason in results:
                if name not in want:
                    continue
                if ok is None:
                    skipped.append(name)
                    print(f"SKIP {name}: {reason}", flush=True)
                    continue
                passed += ok
                failed += not ok
                print(f"{'PASS' if ok else 'FAIL'} {name}: {reason} [{time.monotonic() - t:.1f} s]", flush=True)
    finally:
        c.cleanup()
    print(f"time {time.monotonic() - start:.0f} s; seed {args.seed}" + (f"; skipped {', '.join(skipped)}" if skipped else ""))
    print(f"faults: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # cleaned up already (main's finally)
        print("faults: interrupted", file=sys.stderr)
        sys.exit(130)
