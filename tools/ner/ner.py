"""Shared code of the learned-tagger spike: tokeniser, gazetteers, features,
BIO tags and the averaged structured perceptron with Viterbi decoding.

Standard library only. See README.md here.
"""
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(REPO, "src", "enrich", "data")

TYPES = ("person", "organization", "place")
TAGS = ("O", "B-person", "I-person", "B-organization", "I-organization", "B-place", "I-place")
NT = len(TAGS)
TAG_ID = {t: i for i, t in enumerate(TAGS)}

# A word (letters/digits, inner apostrophes as in O'Brien or don't, but not a
# possessive 's), a possessive, or one punctuation character.
TOKEN = re.compile(r"[^\W_]+(?:['\u2019](?![sS]\b)[^\W_]+)*|['\u2019][sS]\b|[^\w\s]|_")


# ---------------------------------------------------------------- documents
class Doc:
    """A text (bytes) cut into tokens with byte offsets."""

    def __init__(self, data):
        self.data = data
        text = data.decode("utf-8")
        self.text = text
        if len(text) == len(data):
            b = None
        else:
            b = [0] * (len(text) + 1)
            pos = 0
            for i, ch in enumerate(text):
                b[i] = pos
                pos += len(ch.encode("utf-8"))
            b[len(text)] = pos
        self.toks = []     # token strings
        self.spans = []    # (start, end) byte offsets
        self.cstart = []   # char offsets
        for m in TOKEN.finditer(text):
            s, e = m.span()
            self.toks.append(m.group())
            self.cstart.append(s)
            self.spans.append((s, e) if b is None else (b[s], b[e]))
        # paragraph breaks (blank line) and line breaks before each token
        self.para_start = []
        self.line_start = []
        self.line_no = []
        prev_end = 0
        line = 0
        for i, m in enumerate(self.cstart):
            gap = text[prev_end:m]
            nl = gap.count("\n")
            line += nl
            self.line_no.append(line)
            self.line_start.append(i == 0 or nl > 0)
            self.para_start.append(i == 0 or nl > 1)
            prev_end = m + len(self.toks[i])

    def sequences(self):
        """Token index ranges of paragraphs (split at blank lines)."""
        out, start = [], 0
        for i in range(1, len(self.toks)):
            if self.para_start[i]:
                out.append((start, i))
                start = i
        if self.toks:
            out.append((start, len(self.toks)))
        return out


def spans_to_tags(doc, mentions):
    """BIO tag ids per token; returns (tags, number of mentions not on token boundaries)."""
    tags = [0] * len(doc.toks)
    starts = {s: i for i, (s, e) in enumerate(doc.spans)}
    ends = {e: i for i, (s, e) in enumerate(doc.spans)}
    bad = 0
    for m in mentions:
        if m["type"] not in TYPES:
            continue
        i, j = starts.get(m["start"]), ends.get(m["end"])
        if i is None or j is None or j < i:
            bad += 1
            continue
        tags[i] = TAG_ID["B-" + m["type"]]
        for k in range(i + 1, j + 1):
            tags[k] = TAG_ID["I-" + m["type"]]
    return tags, bad


def tags_to_spans(doc, tags):
    out = []
    cur = None
    for i, t in enumerate(tags):
        name = TAGS[t]
        if name == "O":
            if cur:
                out.append(cur)
            cur = None
            continue
        bio, typ = name.split("-", 1)
        if bio == "B" or cur is None or cur[0] != typ:
            if cur:
                out.append(cur)
            cur = [typ, doc.spans[i][0], doc.spans[i][1]]
        else:
            cur[2] = doc.spans[i][1]
    if cur:
        out.append(cur)
    return [(s, e, t) for t, s, e in out]


def rule_mentions(path):
    """byline extract --plain output as mentions of the three types."""
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    out = []
    for ent in j.get("entities", []):
        if ent["type"] not in TYPES:
            continue
        for m in ent["mentions"]:
            out.append({"type": ent["type"], "start": m["start"], "end": m["end"]})
    out.sort(key=lambda m: (m["start"], -m["end"]))
    # keep non-overlapping, longest first at each start
    keep, last = [], -1
    for m in out:
        if m["start"] >= last:
            keep.append(m)
            last = m["end"]
    return keep


# ---------------------------------------------------------------- gazetteers
class Lexicon:
    def __init__(self, datadir=DATA):
        def lines(name):
            with open(os.path.join(datadir, name), encoding="utf-8") as f:
                return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]

        self.multi = {}   # token tuple -> set of labels ("place:city", "org")
        self.maxlen = 1
        for l in lines("places.tsv"):
            parts = l.split("\t")
            self._add(parts[0], "place:" + (parts[2] if len(parts) > 2 else "?"))
        for l in lines("organizations.tsv"):
            self._add(l.split("\t")[0], "org")
        self.given = set(lines("given_names.txt"))
        self.titles_exact = set()
        self.titles_lower = set()
        for t in lines("titles.txt"):
            (self.titles_exact if t[:1].isupper() else self.titles_lower).add(t)
        self.title_words = {tuple(TOKEN.findall(t)) for t in self.titles_exact | self.titles_lower}
        self.title_words_lower = {tuple(w.lower() for w in t) for t in self.title_words}
        self.org_suffix = {tuple(TOKEN.findall(s)) for s in lines("org_suffixes.txt")}
        self.org_suffix_single = {s[0] for s in self.org_suffix if len(s) == 1}
        self.common = set(lines("common_words.txt"))
        self.demonyms = {l.split("\t")[0] for l in lines("demonyms.txt")}

    def _add(self, name, label):
        toks = tuple(TOKEN.findall(name))
        if not toks:
            return
        self.multi.setdefault(toks, set()).add(label)
        self.maxlen = max(self.maxlen, len(toks))

    def matches(self, toks):
        """Per token: list of features from the longest gazetteer match covering it."""
        n = len(toks)
        out = [[] for _ in range(n)]
        i = 0
        while i < n:
            best = None
            for L in range(min(self.maxlen, n - i), 0, -1):
                labs = self.multi.get(tuple(toks[i:i + L]))
                if labs:
                    best = (L, labs)
                    break
            if best:
                L, labs = best
                coarse = sorted({l.split(":")[0] for l in labs})
                fine = sorted(labs)
                for k in range(i, i + L):
                    bio = "B" if k == i else "I"
                    for c in coarse:
                        out[k].append("gz=%s-%s" % (bio, c))
                        out[k].append("gzl=%s-%s-%d" % (bio, c, min(L, 4)))
                    for fl in fine:
                        if ":" in fl:
                            out[k].append("gzf=" + fl)
                i += L
            else:
                i += 1
        return out


# ---------------------------------------------------------------- features
def shape(w):
    out = []
    for ch in w:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


SPORT_WORDS = {"match", "goal", "goals", "striker", "midfielder", "defender", "coach", "manager",
               "league", "cup", "championship", "tournament", "season", "win", "won", "beat",
               "draw", "drew", "minute", "penalty", "team", "squad", "captain", "scored", "game",
               "victory", "defeat", "final", "semi", "side", "club", "fans", "half"}
SPORT_CUES = {"beat", "beats", "against", "v", "vs", "drew", "lost", "defeated", "won", "play",
              "face", "faced", "host", "hosts", "visit", "for", "scored", "win", "over", "–", "-"}
SENT_END = {".", "!", "?", ":", '"', "\u201d"}


def features(doc, lex, rules=None):
    """Feature string lists per token.  rules: BIO tag names from byline's
    rule spans (the 'combined' variant) or None."""
    toks = doc.toks
    n = len(toks)
    low = [t.lower() for t in toks]
    shp = [shape(t) for t in toks]
    gz = lex.matches(toks)
    # lines written in capitals
    line_caps = {}
    for i, t in enumerate(toks):
        if t[:1].isalpha():
            c = line_caps.setdefault(doc.line_no[i], [0, 0])
            c[0] += t.isupper() and len(t) > 1
            c[1] += 1
    caps_line = {l: (c[1] >= 2 and c[0] >= 0.7 * c[1]) for l, c in line_caps.items()}
    # in-article evidence: the word written in lower case elsewhere; written
    # capitalised in mid-sentence elsewhere; part of a rule span elsewhere
    lower_seen = set()
    midcap_seen = set()
    for i, t in enumerate(toks):
        if t.islower():
            lower_seen.add(t)
        elif t[:1].isupper() and i > 0 and toks[i - 1] not in SENT_END and not doc.line_start[i]:
            midcap_seen.add(low[i])
    rule_words = {}
    if rules is not None:
        for i, r in enumerate(rules):
            if r != "O":
                rule_words.setdefault(toks[i], set()).add(r[2:])
    # in-article evidence: the cues around every occurrence of a capitalised
    # word, shared by all its occurrences ("Mr Betts" ... "with Betts,")
    doc_cues = {}
    for i, t in enumerate(toks):
        if not t[:1].isupper():
            continue
        cues = doc_cues.setdefault(t, set())
        if i > 0 and ((toks[i - 1],) in lex.title_words or (low[i - 1],) in lex.title_words_lower):
            cues.add("title")
        if i > 0 and toks[i - 1] in lex.given:
            cues.add("given")
        if i > 0 and low[i - 1] in ("in", "at", "from", "near", "to"):
            cues.add("in")
        for k in (1, 2, 3):
            if i + k < n and toks[i + k] in lex.org_suffix_single and toks[i + k][:1].isupper():
                cues.add("orgsuf")
                break
            if i + k >= n or not toks[i + k][:1].isupper():
                break
        if i + 1 < n and low[i + 1] in ("said", "says", "told"):
            cues.add("said")
        if i + 1 < n and low[i + 1] in ("shares", "spokesman", "spokeswoman", "chairman", "chief"):
            cues.add("orgnoun")
    # acronyms introduced in parentheses: "... Research (NIESR)"
    paren_acros = {toks[i] for i in range(1, n - 1)
                   if toks[i - 1] == "(" and toks[i + 1] == ")" and toks[i].isupper() and len(toks[i]) > 1}
    # a sports story: many sports words; metonymy (a country for its team)
    sporty = sum(1 for t in low if t in SPORT_WORDS) >= 4
    # title / cue words before a token
    first_line = doc.line_no[0] if n else 0
    headline = set()
    if n and "\n\n" in doc.text[:300]:
        headline = {0}

    out = []
    for i in range(n):
        w, lw, sh = toks[i], low[i], shp[i]
        f = ["b", "w=" + lw, "sh=" + sh, "p3=" + lw[:3], "s3=" + lw[-3:], "s2=" + lw[-2:]]
        if w[:1].isupper():
            f.append("cap")
            if w.isupper() and len(w) > 1:
                f.append("allcap")
        if any(c.isdigit() for c in w):
            f.append("digit")
        if len(w) == 1 and w.isupper():
            f.append("initial")
        p1 = low[i - 1] if i > 0 else "<s>"
        p2 = low[i - 2] if i > 1 else "<s>"
        n1 = low[i + 1] if i + 1 < n else "</s>"
        n2 = low[i + 2] if i + 2 < n else "</s>"
        ps1 = shp[i - 1] if i > 0 else "<s>"
        ns1 = shp[i + 1] if i + 1 < n else "</s>"
        f += ["w-1=" + p1, "w-2=" + p2, "w+1=" + n1, "w+2=" + n2,
              "bg-=" + p2 + "_" + p1, "bg+=" + n1 + "_" + n2,
              "sh-1=" + ps1 + "|" + sh, "sh+1=" + sh + "|" + ns1,
              "w-1|w=" + p1 + "|" + lw]
        # position
        sent_start = i == 0 or toks[i - 1] in SENT_END or doc.line_start[i]
        if sent_start:
            f.append("sstart")
            f.append("sstart|" + sh)
        if doc.para_start[i]:
            f.append("pstart")
        if doc.line_no[i] == first_line and headline:
            f.append("headline")
        if caps_line.get(doc.line_no[i]):
            f.append("capsline")
        # gazetteers
        f += gz[i]
        if w in lex.given:
            f.append("given")
        if i > 0 and toks[i - 1] in lex.given:
            f.append("prev_given")
        if lw in lex.common:
            f.append("common")
            if w[:1].isupper():
                f.append("common_cap")
        if w in lex.demonyms:
            f.append("demonym")
        if w in lex.org_suffix_single:
            f.append("orgsuf")
        for k in (1, 2, 3):
            if i + k < n and toks[i + k] in lex.org_suffix_single and toks[i + k][:1].isupper():
                if all(toks[j][:1].isupper() or low[j] in ("of", "&", "and") for j in range(i, i + k)):
                    f.append("orgsuf+%d" % k)
                break
        for L in (1, 2, 3):
            if i - L >= 0:
                tw = tuple(toks[i - L:i])
                if tw in lex.title_words or tuple(low[i - L:i]) in lex.title_words_lower:
                    f.append("after_title")
                    break
        if (w,) in lex.title_words or (lw,) in lex.title_words_lower:
            f.append("title_word")
        # an acronym in parentheses after a name: "Stock Exchange of Thailand (SET)"
        if i > 1 and toks[i - 1] == "(" and i + 1 < n and toks[i + 1] == ")" and w.isupper() and len(w) > 1:
            f.append("paren_acro")
            if toks[i - 2][:1].isupper():
                f.append("paren_acro_after_name")
        if i + 2 < n and toks[i + 1] == "(" and toks[i + 2].isupper() and len(toks[i + 2]) > 1 and w[:1].isupper():
            f.append("before_paren_acro")
        # in-article evidence
        if w[:1].isupper():
            if lw in lower_seen:
                f.append("seen_lower")
            if lw in midcap_seen:
                f.append("seen_midcap")
            if w in paren_acros:
                f.append("doc_paren_acro")
            if sporty:
                f.append("sportsdoc")
                for g in gz[i]:
                    if g.startswith("gz="):
                        f.append("sportsdoc|" + g)
                near = low[max(0, i - 3):i] + low[i + 1:i + 4]
                if any(t in SPORT_CUES or t.isdigit() for t in near):
                    f.append("sport_ctx")
                    f.append("sport_ctx|" + sh)
            for c in sorted(doc_cues.get(w, ())):
                f.append("doc_" + c)
        # byline's rules
        if rules is not None:
            r = rules[i]
            f.append("r=" + r)
            f.append("r=" + r + "|" + sh)
            f.append("r-1=" + (rules[i - 1] if i > 0 else "<s>") + "|r=" + r)
            f.append("r+1=" + (rules[i + 1] if i + 1 < n else "</s>"))
            if w[:1].isupper() and w in rule_words:
                for t in sorted(rule_words[w]):
                    f.append("rdoc=" + t)
        out.append(f)
    return out


# ---------------------------------------------------------------- model
ALLOWED = [[True] * NT for _ in range(NT)]   # ALLOWED[prev][cur]
for _p in range(NT):
    for _c in range(NT):
        if TAGS[_c].startswith("I-"):
            ALLOWED[_p][_c] = TAGS[_p] != "O" and TAGS[_p][2:] == TAGS[_c][2:]
START_OK = [not t.startswith("I-") for t in TAGS]
NEG = -1e18
RULE_FEATS = ("r=", "r-1=", "r+1=", "rdoc=")


class Perceptron:
    """Averaged structured perceptron: emission weights per (feature, tag),
    transition weights per (tag, tag), first-order Viterbi with BIO rules."""

    def __init__(self):
        self.fid = {}
        self.W = []      # list of [NT] lists
        self.U = []      # timestamped sums for averaging
        self.T = [[0.0] * NT for _ in range(NT)]
        self.TU = [[0.0] * NT for _ in range(NT)]
        self.c = 1

    def index(self, feats, grow):
        out = []
        for f in feats:
            j = self.fid.get(f)
            if j is None:
                if not grow:
                    continue
                j = len(self.W)
                self.fid[f] = j
                self.W.append([0.0] * NT)
                self.U.append([0.0] * NT)
            out.append(j)
        return out

    def viterbi(self, X):
        W, T = self.W, self.T
        n = len(X)
        if n == 0:
            return []
        em = []
        for fs in X:
            s = [0.0] * NT
            for j in fs:
                w = W[j]
                for t in range(NT):
                    s[t] += w[t]
            em.append(s)
        score = [em[0][t] if START_OK[t] else NEG for t in range(NT)]
        back = []
        for i in range(1, n):
            e = em[i]
            new = [NEG] * NT
            bp = [0] * NT
            for c in range(NT):
                best, arg = NEG, 0
                for p in range(NT):
                    if ALLOWED[p][c]:
                        v = score[p] + T[p][c]
                        if v > best:
                            best, arg = v, p
                new[c] = best + e[c]
                bp[c] = arg
            score = new
            back.append(bp)
        t = max(range(NT), key=lambda k: score[k])
        path = [t]
        for bp in reversed(back):
            t = bp[t]
            path.append(t)
        path.reverse()
        return path

    def update(self, X, gold, pred):
        c = self.c
        for i, (g, p) in enumerate(zip(gold, pred)):
            if g != p:
                for j in X[i]:
                    self.W[j][g] += 1.0
                    self.W[j][p] -= 1.0
                    self.U[j][g] += c
                    self.U[j][p] -= c
            if i > 0:
                gp, pp = gold[i - 1], pred[i - 1]
                if (gp, g) != (pp, p):
                    self.T[gp][g] += 1.0
                    self.T[pp][p] -= 1.0
                    self.TU[gp][g] += c
                    self.TU[pp][p] -= c

    def train(self, seqs, epochs, seed=1, log=None):
        """seqs: list of (feature-id lists, gold tag ids)."""
        rng = random.Random(seed)
        order = list(range(len(seqs)))
        for ep in range(epochs):
            rng.shuffle(order)
            errs = total = 0
            for k in order:
                X, gold = seqs[k]
                pred = self.viterbi(X)
                if pred != gold:
                    self.update(X, gold, pred)
                errs += sum(1 for a, b in zip(pred, gold) if a != b)
                total += len(gold)
                self.c += 1
            if log:
                log("epoch %d: token errors %d/%d (%.2f%%)" % (ep + 1, errs, total, 100.0 * errs / max(total, 1)))
        # average
        c = self.c
        for j in range(len(self.W)):
            w, u = self.W[j], self.U[j]
            self.W[j] = [w[t] - u[t] / c for t in range(NT)]
        self.T = [[self.T[p][q] - self.TU[p][q] / c for q in range(NT)] for p in range(NT)]
        self.U = None
        self.TU = None

    def prune(self, eps=1e-9):
        """Drop features whose weights are all (near) zero; returns count of non-zero weights."""
        keep = {}
        W = []
        for f, j in self.fid.items():
            w = self.W[j]
            if any(abs(x) > eps for x in w):
                keep[f] = len(W)
                W.append(w)
        self.fid, self.W = keep, W
        return sum(1 for w in W for x in w if abs(x) > eps) + sum(1 for r in self.T for x in r if abs(x) > eps)

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"tags": TAGS, "T": self.T,
                       "W": {k: [round(x, 4) for x in self.W[j]] for k, j in self.fid.items()}}, f)

    @classmethod
    def load(cls, path, rule_scale=1.0):
        """rule_scale multiplies the weights of the rule features (r=, r-1=,
        r+1=, rdoc=): the rules are far more accurate on news than on the
        training text, so the model learns to under-trust them."""
        with open(path, encoding="utf-8") as f:
            j = json.load(f)
        m = cls()
        m.T = j["T"]
        for k, w in j["W"].items():
            m.fid[k] = len(m.W)
            if k.startswith(RULE_FEATS):
                w = [x * rule_scale for x in w]
            m.W.append(w)
        m.U = None
        return m


def load_set(data, name):
    with open(os.path.join(data, "sets", name + ".jsonl"), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def doc_inputs(data, setname, d, lex, use_rules):
    """(Doc, feature lists, gold tags, misaligned count, rule mentions)."""
    with open(d["file"], "rb") as f:
        doc = Doc(f.read())
    gold, bad = spans_to_tags(doc, d["mentions"])
    rm = rule_mentions(os.path.join(data, "rules", setname, d["id"] + ".json"))
    rules = None
    if use_rules:
        rt, _ = spans_to_tags(doc, rm)
        rules = [TAGS[t] for t in rt]
    return doc, features(doc, lex, rules), gold, bad, rm
