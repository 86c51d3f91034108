#!/usr/bin/env python3
"""Rebuild the GUM news texts and derive byline-style gold entity mentions.

    tools/eval-gum/prepare.py --gum /work/.mirror/amir-zeldes+gum/repo --out DIR
        [--eval eval/quality/gum-news.jsonl] [--rev HEAD] [--no-eval] [--review]

For every GUM_news_* document of the GUM corpus (Wikinews articles) this
writes DIR/<doc>.txt, a plain text rebuilt from dep/<doc>.conllu: the
headline on the first line, a blank line, then one line per GUM paragraph
(newpar: p, head, quote, figure caption, list item; sentences joined by a
space), paragraphs separated by blank lines.  Tokens are joined as the
original was written (SpaceAfter=No), so "NASA's" not "NASA 's"; every
sentence is checked against its "# text =" line.

It then derives gold person / organization / place mentions from
coref/gum/tsv/<doc>.tsv (entity spans) and the conllu (UPOS, syntax), trimmed
to the name as eval/quality/README.md's guidelines count it, and writes them
(byte offsets into the rebuilt text) to --eval, in the format of
eval/quality/bbc-entities.jsonl.  The rules are described in
tools/eval-gum/README.md and eval/quality/README.md ("GUM news (Wikinews)");
the few decisions made by hand are in overrides.tsv beside this script.

The texts are CC BY 2.5 (Wikinews) and are NOT to be committed to byline:
only the offsets, types and names go into the .jsonl.  --review prints each
text with the mentions marked inline, for checking by eye.
"""
import argparse
import collections
import hashlib
import json
import os
import re
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gumread  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_EVAL = os.path.join(REPO, "eval", "quality", "gum-news.jsonl")
OVERRIDES = os.path.join(HERE, "overrides.tsv")
TARGET = ("person", "organization", "place")

# Words that are titles or job words in front of a person's name: the span
# starts after the last of them (guidelines: titles and honorifics are left
# out).  Compared case-sensitively, so "Close" or "General Motors" in other
# positions are not affected: only words before the name's head count.
TITLES = set("""
Mr Mrs Ms Miss Dr Sir Dame Lord Lady Prof Professor President Vice Premier
Administrator Ambassador Governor Prime Minister Chairman Chairwoman Chair
Director Judge Justice Chancellor Senator Sen Sen. Rep. Representative
Secretary Mayor King Queen Prince Princess Pope General Gen. Colonel Col.
Captain Capt. Lieutenant Commissioner Chief Executive CEO Officer Sheriff
Deputy Superintendent Inspector Detective Sergeant Coach Reverend Rev. Father
Bishop Cardinal Archbishop Imam Sheikh Leader Speaker Councillor Lawmaker
Legislator Spokesman Spokeswoman Founder Curator Manager Head Attorney
Ambassador-designate Pastor Rabbi Minister-President Chairperson Mr. Mrs.
Ms. Dr. Prof. Emeritus Spokesperson MP Undersecretary general Major
""".split())

# Words that may join the parts of an organisation's or a place's name
# ("University of Southern Indiana", "Andy Warhol Foundation for the Visual
# Arts", "Food Standards Australia New Zealand", "Globe and Mail").
CONNECTORS = {"of", "for", "and", "&", "the", "on", "de", "la", "del", "di",
              "du", "-", "–"}

# A name on its own that the guidelines do not annotate once the country in
# front of it is split off ("UK Government": "Government after British is
# not annotated").
GENERIC = {"Government", "Administration", "State", "Department", "Ministry",
           "Army", "Navy", "Police"}

# Countries, as GUM's identity (Wikipedia title) names them, for two rules:
# a country GUM types organization (the country acting: "North Korea said")
# is a place under byline's guidelines; and a country word in front of an
# organisation that is not part of its official name is split off ("US
# National Park Service" -> "US" + "National Park Service").
COUNTRIES = set("""
United_States United_Kingdom Australia Canada New_Zealand Italy Indonesia
Taiwan Malaysia Afghanistan Yemen Syria Myanmar Libya Iran Albania Thailand
Switzerland Sudan Saudi_Arabia Poland North_Korea South_Korea Korea Greece
Russia China France Germany Belgium Sweden England Tunisia Panama Brazil
Bangladesh Morocco Estonia Japan India Pakistan Iraq Egypt Israel Spain
Mexico Ireland Scotland Wales Netherlands Vatican_City Hong_Kong Colombia
""".split())


# Names of museums and galleries (GUM: place; byline's guidelines:
# organization).
MUSEUM = re.compile(r"\b(Museum|Gallery|Galleries|Planetarium|Art Center|Science Center)\b")


def title_of(identity):
    """The name a Wikipedia-link identity gives, or None."""
    if not identity or identity == "_":
        return None
    t = urllib.parse.unquote(identity).replace("_", " ")
    if t.endswith(")") and " (" in t:
        t = t[:t.rindex(" (")]
    if ", " in t:
        t = t[:t.index(", ")]
    return t.strip() or None


def is_cap(w):
    return w.form[:1].isupper() or (w.form[:1].isdigit() and w.upos in ("ADJ", "PROPN"))


def glued(a, b):
    """Words a and b are written without a space between them."""
    return a.end == b.start


class Entity:
    def __init__(self, eid, etype, identity):
        self.eid = eid
        self.type = etype
        self.identity = identity
        self.words = []


def collect(conllu, tsv):
    ents = collections.OrderedDict()
    allwords = []
    for s, ts in zip(conllu, tsv):
        if len(s.words) != len(ts):
            raise SystemExit("tsv and conllu disagree on %s" % s.meta.get("sent_id"))
        for w, (tid, form, e) in zip(s.words, ts):
            if w.form != form:
                raise SystemExit("token mismatch %s: %r != %r" % (tid, w.form, form))
            w.tsv_id = tid
            allwords.append(w)
            for eid, (ty, ident) in e.items():
                ent = ents.get(eid)
                if ent is None:
                    ent = ents[eid] = Entity(eid, ty, ident)
                ent.words.append(w)
                if ident and not ent.identity:
                    ent.identity = ident
    return ents, allwords


def span_head(ws):
    by_sid = {}
    for w in ws:
        by_sid.setdefault(id(w.sent), {})[w.id] = w
    heads = [w for w in ws if w.head not in by_sid[id(w.sent)]]
    # a span with two roots ("veteran politician Raymond Wong" where the
    # parse hangs the name elsewhere): the proper noun one
    heads.sort(key=lambda w: not (w.upos == "PROPN" and w.deprel.split(":")[0]
                                  not in ("obl", "nmod", "advmod", "advcl", "acl")))
    return heads[0] if heads else ws[0]


def name_run(ent, ws, head, kind):
    """The contiguous words (indices into ws) of the name around the head."""
    i = ws.index(head)
    ok = lambda w: w.upos == "PROPN" or (is_cap(w) and w.upos in ("ADJ", "VERB", "NUM", "NOUN", "X") and "-" not in w.form[1:])
    lo = hi = i
    # rightwards
    while hi + 1 < len(ws) and ws[hi + 1].sent is head.sent:
        n = ws[hi + 1]
        if ok(n):
            hi += 1
            continue
        if n.form in ("-", "–") and glued(ws[hi], n) and hi + 2 < len(ws) and glued(n, ws[hi + 2]):
            hi += 2
            continue
        if n.form == "'s" and n.upos == "PART" and hi + 2 < len(ws) and ok(ws[hi + 2]) and kind != "person":
            # "Korean People's Army": a possessive inside a name
            j = hi + 2
            if ws[j].upos == "PROPN":
                hi = j
                continue
        if n.upos == "NUM" and hi + 2 < len(ws) and ws[hi + 2].upos == "PROPN":
            hi += 2     # "Movimento 5 Stelle"
            continue
        if kind != "person" and n.form in CONNECTORS:
            j = hi + 1
            while j < len(ws) and ws[j].form in CONNECTORS:
                j += 1
            if j < len(ws) and ws[j].sent is head.sent and ok(ws[j]) and ws[j].form[:1].isupper():
                # not into a country named after the name ("University of
                # Sheffield of the UK"), unless the name goes on after it
                # ("National Museum of the U.S. Air Force")
                # and not into words the official name (the identity) lacks
                # ("Taikoo of the Hong Kong Island"), except a country
                # inside a name ("National Museum of the U.S. Air Force")
                t = title_of(ent.identity)
                goes_on = False
                if id(ws[j]) in COUNTRY_WORDS:
                    k = j
                    while k + 1 < len(ws) and id(ws[k + 1]) in COUNTRY_WORDS:
                        k += 1
                    goes_on = k + 1 < len(ws) and ok(ws[k + 1])
                    if not goes_on and t and ws[j].form not in t.split():
                        break
                if t and not goes_on and ws[j].form not in t.replace("-", " ").replace("–", " ").split():
                    break
                # not across a coordination of two names ("Cloud9 and
                # Immortals"): the word after "and" is a conjunct of the head
                if n.form == "and" and conj_of(ws, j, head):
                    break
                hi = j
                continue
        break
    # leftwards
    while lo - 1 >= 0 and ws[lo - 1].sent is head.sent:
        p = ws[lo - 1]
        if ok(p) and p.form != "The":
            lo -= 1
            continue
        if p.form in ("-", "–") and lo - 2 >= 0 and glued(ws[lo - 2], p) and glued(p, ws[lo]):
            lo -= 2
            continue
        if kind != "person" and p.form in CONNECTORS and p.form != "the":
            j = lo - 1
            while j - 1 >= 0 and ws[j - 1].form in CONNECTORS:
                j -= 1
            if j - 1 >= 0 and ok(ws[j - 1]) and ws[j - 1].sent is head.sent:
                lo = j - 1
                continue
        if kind != "person" and p.form == "the" and lo - 2 >= 0 and ws[lo - 2].form in CONNECTORS:
            j = lo - 2  # "Daughters of the American Revolution Constitution Hall"
            while j - 1 >= 0 and ws[j - 1].form in CONNECTORS:
                j -= 1
            if j - 1 >= 0 and ok(ws[j - 1]) and ws[j - 1].sent is head.sent:
                lo = j - 1
                continue
        break
    # "The" in front: kept in the middle of a sentence ("The Thrills"); at the
    # start of a sentence only if the official name has it
    if lo - 1 >= 0 and ws[lo - 1].form == "The" and ws[lo - 1].sent is head.sent:
        t = title_of(ent.identity) or ""
        the = ws[lo - 1]
        before = the.sent.words[the.id - 2] if the.id > 1 else None
        starts = before is None or before.form in ('"', "“", "‘", "'", "(", "[", ":", "—", "-")
        if not starts or t.startswith("The "):
            lo -= 1
    return lo, hi


def conj_of(ws, j, head):
    """Word ws[j] (or the name it starts) is a conjunct of head."""
    k = j
    while k < len(ws) and ws[k].sent is head.sent:
        if ws[k].deprel.startswith("conj") and ws[k].head == head.id:
            return True
        if not (ws[k].upos == "PROPN" or is_cap(ws[k])):
            break
        k += 1
    return False


def find_title(text, ws, title):
    """Word indices (lo, hi) where the identity's name is written in ws."""
    if not title:
        return None
    cands = [title]
    if title.startswith("The "):
        cands.append(title[4:])
    for t in cands:
        tb = t.encode("utf-8")
        for lo in range(len(ws)):
            for hi in range(lo, len(ws)):
                if ws[hi].sent is not ws[lo].sent:
                    break
                if ws[hi].end - ws[lo].start > len(tb):
                    break
                if text[ws[lo].start:ws[hi].end] == tb:
                    return (lo, hi)
    return None


COUNTRY_WORDS = set()


def derive(doc, text, conllu, tsv, log):
    """Gold mentions of one document: a list of dicts."""
    ents, allwords = collect(conllu, tsv)
    COUNTRY_WORDS.clear()
    for e in ents.values():
        if e.type in ("place", "organization") and urllib.parse.unquote(e.identity or "") in COUNTRIES:
            COUNTRY_WORDS.update(id(w) for w in e.words if w.upos == "PROPN")
    names = []      # (start, end, type, eid, why)
    hiders = []     # name spans of entities not of the three types
    for ent in ents.values():
        ws = ent.words
        kind = ent.type
        head = span_head(ws)
        via = "head"
        found = find_title(text, ws, title_of(ent.identity))
        if head.upos != "PROPN" and found and kind in TARGET:
            # "the New Territories West geographical constituency": the
            # name its identity gives is written inside
            head = ws[found[0]]
        elif head.upos != "PROPN":
            # "actor Dennis Hopper", "Swedish captain Andreas Granqvist": the
            # name is an apposition or flat dependent of a common noun head
            cand = [w for w in ws if w.upos == "PROPN" and w.sent is head.sent
                    and w.head == head.id and w.deprel.split(":")[0] in ("appos", "flat")]
            if not cand:
                continue
            head = cand[0]
            via = "appos"
        if kind not in TARGET:
            lo, hi = name_run(ent, ws, head, "organization")
            hiders.append((ws[lo].start, ws[hi].end, kind))
            continue
        lo, hi = name_run(ent, ws, head, kind)
        if kind == "person":
            # a person's name as the identity gives it, if written in full
            if found and (found[0] <= ws.index(head) <= found[1] or via == "head"):
                lo, hi = found
                via = "identity"
        elif found and (found[1] < lo or hi < found[0]):
            # "Aceh, Indonesia" linked to Aceh: the identity's name, not the
            # parse's head
            lo, hi = found
            via = "identity"
        elif found and found[0] <= lo and hi <= found[1] and found != (lo, hi):
            # a longer official name than the words found ("The Globe and
            # Mail", "University of North Carolina at Chapel Hill")
            lo, hi = found
            via = "identity"
        if kind == "person" and via != "identity":
            # drop titles in front ("NASA Administrator Charles Bolden") and
            # an organisation or place named in front ("Refugee Council
            # Enver Solomon", "Governor of Washington Chris Gregoire")
            h = ws.index(head)
            cut = None
            for j in range(lo, hi + 1):
                if ws[j].form in TITLES:
                    cut = j
                elif j < h and any(e is not ent and e.type in ("organization", "place")
                                   and ws[j] in e.words for e in ents.values()):
                    cut = j
            if cut is not None:
                if cut >= hi:
                    log.append("%s: %r: only a title" % (doc, text[ws[lo].start:ws[hi].end].decode()))
                    continue
                lo = cut + 1
        # a leading lower-case "the" never; possessive 's never (unless in the name)
        while lo <= hi and ws[lo].form == "the":
            lo += 1
        while hi >= lo and ws[hi].form in ("'s", "'", "’s", "’") and ws[hi].upos == "PART":
            hi -= 1
        while hi >= lo and ws[hi].upos == "PUNCT":
            hi -= 1
        while lo <= hi and ws[lo].upos == "PUNCT":
            lo += 1
        if lo > hi:
            continue
        # plural proper nouns for people are groups ("Muslims", "Afghans"):
        # demonyms and followers are not annotated
        if kind == "person" and lo == hi and "Number=Plur" in ws[lo].feats:
            log.append("%s: %r: plural, not a person" % (doc, ws[lo].form))
            continue
        names.append([ws[lo].start, ws[hi].end, kind, ent, via, ws[lo:hi + 1]])
    return names, hiders, ents


def finish(doc, text, names, hiders, ents, overrides, log):
    # type mapping: a country typed organization is a place (byline's
    # guidelines: countries are places unless a national team)
    for n in names:
        ent = n[3]
        ident = urllib.parse.unquote(ent.identity or "")
        if n[2] == "organization" and ident in COUNTRIES:
            n[2] = "place"
            n[4] += "+country"
    # museums and galleries are organisations under byline's guidelines
    # ("Tate", "Tate Britain"); GUM types most of them place
    for n in names:
        if n[2] == "place" and MUSEUM.search(text[n[0]:n[1]].decode("utf-8")):
            n[2] = "organization"
            n[4] += "+museum"
    # split a country word off the front of an organisation's name
    place_spans = {(n[0], n[1]) for n in names if n[2] == "place"
                   and urllib.parse.unquote(n[3].identity or "") in COUNTRIES}
    for n in names:
        if n[2] != "organization":
            continue
        ws = n[5]
        title = title_of(n[3].identity) or ""
        if title.startswith("The "):
            title = title[4:]
        for k in range(1, len(ws)):
            a, b = ws[0].start, ws[k - 1].end
            if (a, b) in place_spans:
                word = text[a:b].decode()
                if title.startswith(word):
                    break
                rest = ws[k:]
                while rest and rest[0].form in ("the", "'s"):
                    rest = rest[1:]
                if not rest:
                    break
                n[0] = rest[0].start
                n[4] += "+split"
                if len(rest) == 1 and rest[0].form in GENERIC:
                    n[2] = None
                    log.append("%s: %r: generic after a country, dropped" % (doc, text[a:rest[0].end].decode()))
                break
    names = [n for n in names if n[2] is not None]
    # names inside a longer name of another kind (event, object, ...) are hidden
    kept = []
    for n in names:
        hid = [h for h in hiders if h[0] <= n[0] and n[1] <= h[1] and (h[1] - h[0]) > (n[1] - n[0])]
        if hid:
            h = hid[0]
            log.append("%s: %r hidden inside %s %r" % (doc, text[n[0]:n[1]].decode(), h[2], text[h[0]:h[1]].decode()))
            continue
        kept.append(n)
    names = kept
    # overrides by hand
    for op, typ, s in overrides.get(doc, []):
        hits = [n for n in names if text[n[0]:n[1]].decode() == s]
        if op == "drop":
            if not hits:
                log.append("%s: override drop %r matched nothing" % (doc, s))
            names = [n for n in names if text[n[0]:n[1]].decode() != s]
        elif op == "type":
            if not hits:
                log.append("%s: override type %r matched nothing" % (doc, s))
            for n in hits:
                n[2] = typ
        elif op == "add":
            pat = re.compile(rb"(?<![A-Za-z0-9])" + re.escape(s.encode("utf-8")) + rb"(?![A-Za-z0-9])")
            found = 0
            for m in pat.finditer(text):
                if not any(n[0] <= m.start() and m.end() <= n[1] for n in names):
                    names.append([m.start(), m.end(), typ, None, "override", []])
                    found += 1
            if not found:
                log.append("%s: override add %r matched nothing" % (doc, s))
    # dedupe, then nested names: only the longest is annotated
    spans = {}
    for n in names:
        key = (n[0], n[1])
        if key in spans and spans[key][2] != n[2]:
            log.append("%s: %r typed both %s and %s; kept %s" % (
                doc, text[n[0]:n[1]].decode(), spans[key][2], n[2], spans[key][2]))
            continue
        spans.setdefault(key, n)
    ordered = sorted(spans.values(), key=lambda n: (-(n[1] - n[0]), n[0]))
    final = []
    for n in ordered:
        clash = [m for m in final if n[0] < m[1] and m[0] < n[1]]
        if clash:
            m = clash[0]
            if not (m[0] <= n[0] and n[1] <= m[1]):
                log.append("%s: %r overlaps %r; kept the longer" % (
                    doc, text[n[0]:n[1]].decode(), text[m[0]:m[1]].decode()))
            continue
        final.append(n)
    final.sort(key=lambda n: n[0])
    return [{"type": n[2], "start": n[0], "end": n[1],
             "text": text[n[0]:n[1]].decode("utf-8")} for n in final]


def load_overrides(path):
    out = collections.defaultdict(list)
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            doc, op, s = line.split("\t")[:3]
            typ = None
            if ":" in op:
                op, typ = op.split(":", 1)
            out["GUM_news_" + doc if not doc.startswith("GUM_") else doc].append((op, typ, s))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gum", required=True, help="GUM repository (bare git dir or work tree)")
    ap.add_argument("--rev", default="HEAD", help="commit to read (git only; default HEAD)")
    ap.add_argument("--out", required=True, help="folder for the rebuilt texts")
    ap.add_argument("--eval", default=DEFAULT_EVAL, help="gold file to write")
    ap.add_argument("--no-eval", action="store_true", help="write the texts only")
    ap.add_argument("--review", action="store_true", help="print texts with mentions marked")
    args = ap.parse_args()

    gum = gumread.Gum(args.gum, args.rev)
    print("GUM commit:", gum.commit or "(not a git checkout)")
    os.makedirs(args.out, exist_ok=True)
    overrides = load_overrides(OVERRIDES)
    lines = []
    log = []
    counts = collections.Counter()
    for doc in gum.news_docs():
        conllu = gumread.parse_conllu(gum.read("dep/%s.conllu" % doc))
        text, problems = gumread.layout(conllu)
        for p in problems:
            log.append("%s: layout: %s" % (doc, p))
        data = text.encode("utf-8")
        with open(os.path.join(args.out, doc + ".txt"), "wb") as f:
            f.write(data)
        tsv = gumread.parse_tsv(gum.read("coref/gum/tsv/%s.tsv" % doc))
        names, hiders, ents = derive(doc, data, conllu, tsv, log)
        mentions = finish(doc, data, names, hiders, ents, overrides, log)
        for m in mentions:
            counts[m["type"]] += 1
        lines.append({"path": doc + ".txt", "mentions": mentions,
                      "gum_commit": gum.commit,
                      "sha256": hashlib.sha256(data).hexdigest()})
        if args.review:
            out, pos = [], 0
            for m in mentions:
                out.append(data[pos:m["start"]].decode())
                out.append("[[%s|%s]]" % (m["text"], m["type"][:3]))
                pos = m["end"]
            out.append(data[pos:].decode())
            print("=" * 20, doc)
            print("".join(out))
    for l in log:
        print("note:", l, file=sys.stderr)
    print("%d documents written to %s" % (len(lines), args.out))
    if not args.no_eval:
        with open(args.eval, "w", encoding="utf-8") as f:
            for l in lines:
                f.write(json.dumps(l, ensure_ascii=False, separators=(",", ":")) + "\n")
        print("%d mentions (%s) written to %s" % (
            sum(counts.values()),
            ", ".join("%s %d" % (t, counts[t]) for t in TARGET), args.eval))


if __name__ == "__main__":
    main()
