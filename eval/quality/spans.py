#!/usr/bin/env python3
"""Helper for the hand-annotated BBC named-entity evaluation set.

The evaluation file (bbc-entities.jsonl) refers to articles of the BBC news
dataset by path and stores only byte offsets plus the mention text.  The
article text itself is not part of this repository; point --root at a local
copy of the dataset (default: /work/shared/corpora/bbc).

Modes
-----
  --check                 verify the evaluation file against the corpus: every
                          mention's text equals the raw bytes [start, end) of
                          the article, offsets fall on UTF-8 character
                          boundaries, types are valid, mentions are sorted and
                          do not overlap.  Exit status 1 on any problem.
  --find PATH STRING...   list the word-bounded occurrences of each STRING in
                          article PATH with byte offsets and some context.
  --build SPEC            turn an annotator's working list (see below) into the
                          JSONL evaluation file (written to --eval).
  --show [PATH...]        print articles with the stored mentions marked inline
                          as [[text|type]] and list capitalised words that no
                          mention covers, as an aid for reviewing recall.
  --stats                 counts per category and per type.
  --score BYLINE          run `BYLINE extract --plain` on every article of the
                          evaluation file and print precision, recall and F1
                          per type (exact span and type, as benches/entities.rs
                          scores), then the most common misses and false
                          alarms.  Needs no compiled bench.

Working-list (SPEC) format, one article after another::

    == politics/005.txt
    person: Patricia Hewitt; Hewitt; Tony Blair; Blair
    org: Labour; Liberal Democrats
    place: UK; London
    place@2,3: Jordan      # only the 2nd and 3rd occurrence of "Jordan"
    no: May                # block these occurrences (e.g. the month)
    + person 120 126       # add one span by hand (byte offsets)

Each string is matched at word boundaries (no ASCII letter or digit on either
side).  Longer matches win over shorter overlapping ones, so "Bank of England"
hides the "England" inside it.  "no:" entries take part in that contest and are
then dropped, which lets an annotator mask a non-entity use.
"""
import argparse
import json
import os
import re
import sys

TYPES = ("person", "organization", "place")
ALIASES = {"person": "person", "per": "person", "org": "organization",
           "organization": "organization", "place": "place", "loc": "place",
           "no": None}
DEFAULT_ROOT = "/work/shared/corpora/bbc"
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_EVAL = os.path.join(HERE, "bbc-entities.jsonl")


def read_bytes(root, path):
    with open(os.path.join(root, path), "rb") as f:
        return f.read()


def occurrences(data, s):
    """Byte offsets (start, end) of word-bounded occurrences of s in data."""
    pat = re.compile(rb"(?<![A-Za-z0-9])" + re.escape(s.encode("utf-8")) +
                     rb"(?![A-Za-z0-9])")
    return [(m.start(), m.end()) for m in pat.finditer(data)]


def context(data, start, end, width=40):
    left = data[max(0, start - width):start].decode("utf-8", "replace")
    right = data[end:end + width].decode("utf-8", "replace")
    mid = data[start:end].decode("utf-8", "replace")
    return (left + "[[" + mid + "]]" + right).replace("\n", " / ")


# ---------------------------------------------------------------- build
def parse_spec(spec_path):
    articles = []  # list of (path, entries, manual)
    cur = None
    with open(spec_path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("=="):
                cur = (line[2:].strip(), [], [])
                articles.append(cur)
                continue
            if cur is None:
                sys.exit(f"{spec_path}:{lineno}: entry before any '== path'")
            if line.startswith("+"):
                parts = line[1:].split()
                if len(parts) != 3 or parts[0] not in ALIASES or ALIASES[parts[0]] is None:
                    sys.exit(f"{spec_path}:{lineno}: bad manual span {line!r}")
                cur[2].append((ALIASES[parts[0]], int(parts[1]), int(parts[2])))
                continue
            head, _, rest = line.partition(":")
            head = head.strip()
            only = None
            if "@" in head:
                head, idx = head.split("@", 1)
                only = {int(i) for i in idx.split(",")}
            if head not in ALIASES:
                sys.exit(f"{spec_path}:{lineno}: unknown type {head!r}")
            for s in rest.split(";"):
                s = s.strip()
                if s:
                    cur[1].append((ALIASES[head], s, only, lineno))
    return articles


def resolve(data, entries, manual, path, warn):
    cands = []
    for typ, s, only, lineno in entries:
        occ = occurrences(data, s)
        if not occ:
            warn(f"{path}: {s!r} (spec line {lineno}) not found")
        for i, (a, b) in enumerate(occ, 1):
            if only is None or i in only:
                cands.append((a, b, typ, s, lineno))
    for typ, a, b in manual:
        cands.append((a, b, typ, data[a:b].decode("utf-8"), 0))
    # longest first; manual spans and equal lengths keep spec order
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken = []
    for c in cands:
        if any(c[0] < t[1] and t[0] < c[1] for t in taken):
            if not any(c[0] >= t[0] and c[1] <= t[1] for t in taken):
                warn(f"{path}: partial overlap dropped: {c[3]!r} at {c[0]}")
            continue
        same = [t for t in taken if (t[0], t[1]) == (c[0], c[1])]
        if same:
            continue
        taken.append(c)
    # detect a string given with two different types at one span
    seen = {}
    for typ, s, only, lineno in entries:
        if only is None:
            key = s
            if key in seen and seen[key] != typ:
                warn(f"{path}: {s!r} listed as {seen[key]} and {typ} without @")
            seen[key] = typ
    out = []
    for a, b, typ, s, _ in sorted(taken):
        if typ is None:
            continue
        out.append({"type": typ, "start": a, "end": b,
                    "text": data[a:b].decode("utf-8")})
    return out


def build(args):
    problems = []
    warn = lambda m: (problems.append(m), print("WARN", m, file=sys.stderr))
    lines = []
    seen_paths = set()
    for path, entries, manual in parse_spec(args.build):
        if path in seen_paths:
            sys.exit(f"duplicate article {path}")
        seen_paths.add(path)
        data = read_bytes(args.root, path)
        mentions = resolve(data, entries, manual, path, warn)
        lines.append(json.dumps({"path": path, "mentions": mentions},
                                ensure_ascii=False, separators=(",", ":")))
    with open(args.eval, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} articles to {args.eval}; {len(problems)} warnings")


# ---------------------------------------------------------------- check
def load_eval(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def check(args):
    errors = []
    n_m = 0
    paths = set()
    for rec in load_eval(args.eval):
        path = rec["path"]
        if path in paths:
            errors.append(f"{path}: listed twice")
        paths.add(path)
        try:
            data = read_bytes(args.root, path)
        except OSError as e:
            errors.append(f"{path}: {e}")
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            errors.append(f"{path}: not valid UTF-8 ({e})")
        prev_end, prev_start = -1, -1
        for m in rec["mentions"]:
            n_m += 1
            a, b, t = m["start"], m["end"], m["type"]
            where = f"{path}:{a}-{b}"
            if t not in TYPES:
                errors.append(f"{where}: bad type {t!r}")
            if not (0 <= a < b <= len(data)):
                errors.append(f"{where}: offsets out of range")
                continue
            try:
                got = data[a:b].decode("utf-8")
            except UnicodeDecodeError:
                errors.append(f"{where}: span not on UTF-8 character boundaries")
                continue
            if got != m["text"]:
                errors.append(f"{where}: text {m['text']!r} != file bytes {got!r}")
            if got != got.strip():
                errors.append(f"{where}: span has surrounding whitespace")
            if a < prev_start:
                errors.append(f"{where}: mentions not sorted by start")
            if a < prev_end:
                errors.append(f"{where}: overlaps previous mention")
            prev_start, prev_end = a, max(prev_end, b)
    for e in errors:
        print("ERROR", e)
    print(f"checked {len(paths)} articles, {n_m} mentions: "
          + ("OK" if not errors else f"{len(errors)} errors"))
    return 1 if errors else 0


# ---------------------------------------------------------------- show / find / stats
STOP = set("""A An The This That These Those It Its He She They We I You His Her
Their Our But And Or If In On At For From To Of By With As Mr Mrs Ms Miss Dr Sir
Lord Lady When While Where What Who Why How There Then So Not No Yes After Before
Since Although However""".split())


def show(args):
    recs = {r["path"]: r for r in load_eval(args.eval)}
    paths = args.show or list(recs)
    for path in paths:
        data = read_bytes(args.root, path)
        ms = recs.get(path, {"mentions": []})["mentions"]
        out, pos = [], 0
        abbrev = {"person": "P", "organization": "O", "place": "L"}
        for m in ms:
            out.append(data[pos:m["start"]].decode("utf-8"))
            out.append("[[" + m["text"] + "|" + abbrev[m["type"]] + "]]")
            pos = m["end"]
        out.append(data[pos:].decode("utf-8"))
        print(f"===== {path} ({len(ms)} mentions)")
        print("".join(out).rstrip())
        covered = [(m["start"], m["end"]) for m in ms]
        loose = {}
        for mo in re.finditer(rb"(?<![A-Za-z0-9'])[A-Z][A-Za-z0-9&'.-]*", data):
            w = mo.group().decode().rstrip(".'")
            if w in STOP or any(a <= mo.start() < b for a, b in covered):
                continue
            loose[w] = loose.get(w, 0) + 1
        print("-- uncovered capitalised:", ", ".join(
            f"{w}×{n}" if n > 1 else w for w, n in sorted(loose.items())))
        print()


def find(args):
    path, strings = args.find[0], args.find[1:]
    data = read_bytes(args.root, path)
    for s in strings:
        occ = occurrences(data, s)
        print(f"{s!r}: {len(occ)}")
        for i, (a, b) in enumerate(occ, 1):
            print(f"  #{i} {a}-{b}  {context(data, a, b)}")


def stats(args):
    from collections import Counter
    by_cat, by_type, both = Counter(), Counter(), Counter()
    arts = Counter()
    for rec in load_eval(args.eval):
        cat = rec["path"].split("/")[0]
        arts[cat] += 1
        for m in rec["mentions"]:
            by_cat[cat] += 1
            by_type[m["type"]] += 1
            both[cat, m["type"]] += 1
    cats = sorted(arts)
    print("| category | articles | person | organization | place | total |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for c in cats:
        print(f"| {c} | {arts[c]} | " + " | ".join(str(both[c, t]) for t in TYPES)
              + f" | {by_cat[c]} |")
    print(f"| **all** | {sum(arts.values())} | " + " | ".join(str(by_type[t]) for t in TYPES)
          + f" | {sum(by_type.values())} |")


def score(args):
    import subprocess
    from collections import Counter
    counts = {t: [0, 0, 0] for t in TYPES}  # tp, fp, fn
    misses, alarms = Counter(), Counter()
    recs = load_eval(args.eval)
    for rec in recs:
        path = os.path.join(args.root, rec["path"])
        data = read_bytes(args.root, rec["path"])
        out = subprocess.run([args.score, "extract", "--plain", "--color",
                              "never", path], check=True,
                             capture_output=True).stdout
        got = {}
        for e in json.loads(out)["entities"]:
            for m in e["mentions"]:
                got[(m["start"], m["end"])] = e["type"]
        want = {(m["start"], m["end"]): m["type"] for m in rec["mentions"]}
        text = lambda a, b: data[a:b].decode("utf-8").replace("\n", "\\n")
        for span, t in got.items():
            if want.get(span) == t:
                counts[t][0] += 1
            else:
                counts[t][1] += 1
                k = want.get(span)
                alarms[f"{t} (is {k}): {text(*span)}" if k
                       else f"{t}: {text(*span)}"] += 1
        for span, t in want.items():
            if got.get(span) != t:
                counts[t][2] += 1
                misses[f"{t}: {text(*span)}"] += 1

    def prf(tp, fp, fn):
        p = tp / max(tp + fp, 1)
        r = tp / max(tp + fn, 1)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)
    print(f"entity mentions, exact span and type, {len(recs)} articles "
          f"({os.path.basename(args.eval)})")
    print(f"{'':<14} {'precision':>9} {'recall':>7} {'F1':>7} {'gold':>6}")
    tot = [0, 0, 0]
    for t in TYPES:
        c = counts[t]
        tot = [a + b for a, b in zip(tot, c)]
        p, r, f = prf(*c)
        print(f"{t:<14} {p:>9.3f} {r:>7.3f} {f:>7.3f} {c[0] + c[2]:>6}")
    p, r, f = prf(*tot)
    print(f"{'all':<14} {p:>9.3f} {r:>7.3f} {f:>7.3f} {tot[0] + tot[2]:>6}")
    top = lambda c: "; ".join(f"{n}× {k}" for k, n in
                              sorted(c.items(), key=lambda x: (-x[1], x[0]))[:args.top])
    print("most common misses:", top(misses))
    print("most common false alarms:", top(alarms))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=DEFAULT_ROOT,
                    help="directory holding <category>/NNN.txt (default %(default)s)")
    ap.add_argument("--eval", default=DEFAULT_EVAL,
                    help="evaluation JSONL file (default: bbc-entities.jsonl beside this script)")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--check", action="store_true")
    g.add_argument("--find", nargs="+", metavar="ARG")
    g.add_argument("--build", metavar="SPEC")
    g.add_argument("--show", nargs="*", metavar="PATH")
    g.add_argument("--stats", action="store_true")
    g.add_argument("--score", metavar="BYLINE",
                   help="path of a byline binary to score")
    ap.add_argument("--top", type=int, default=25,
                    help="how many misses and false alarms --score lists")
    args = ap.parse_args()
    if args.check:
        sys.exit(check(args))
    if args.find:
        find(args)
    elif args.build:
        build(args)
    elif args.show is not None:
        show(args)
    elif args.stats:
        stats(args)
    elif args.score:
        score(args)


if __name__ == "__main__":
    main()
