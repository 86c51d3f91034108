"""Reading GUM news documents from a GUM git checkout (bare or not).

Shared by prepare.py; no third-party modules.  See README.md here.
"""
import os
import re
import subprocess


class Gum:
    """A GUM repository: a bare git dir (read at a commit) or a work tree."""

    def __init__(self, path, rev="HEAD"):
        self.path = path
        self.rev = rev
        self.git = self._is_git(path)
        if self.git:
            self.commit = self._run("rev-parse", rev + "^{commit}").strip()
        else:
            self.commit = None

    def _is_git(self, path):
        try:
            subprocess.run(["git", "-C", path, "rev-parse", "--git-dir"],
                           check=True, capture_output=True)
            return True
        except (subprocess.CalledProcessError, FileNotFoundError):
            return False

    def _run(self, *args):
        return subprocess.run(["git", "-C", self.path] + list(args), check=True,
                              capture_output=True).stdout.decode("utf-8")

    def list(self, prefix):
        if self.git:
            out = self._run("ls-tree", "-r", "--name-only", self.commit, prefix)
            return sorted(l for l in out.splitlines() if l)
        root = os.path.join(self.path, prefix)
        return sorted(os.path.join(prefix, f) for f in os.listdir(root))

    def read(self, rel):
        if self.git:
            return self._run("show", "%s:%s" % (self.commit, rel))
        with open(os.path.join(self.path, rel), encoding="utf-8") as f:
            return f.read()

    def news_docs(self):
        names = []
        for p in self.list("dep/"):
            b = os.path.basename(p)
            if b.startswith("GUM_news_") and b.endswith(".conllu"):
                names.append(b[:-len(".conllu")])
        return names


# ------------------------------------------------------------------ conllu
class Word:
    __slots__ = ("id", "form", "lemma", "upos", "xpos", "feats", "head",
                 "deprel", "misc", "start", "end", "sent", "tsv_id")

    def __init__(self, cols, sent):
        self.id = int(cols[0])
        self.form = cols[1]
        self.lemma = cols[2]
        self.upos = cols[3]
        self.xpos = cols[4]
        self.feats = cols[5]
        self.head = int(cols[6])
        self.deprel = cols[7]
        self.misc = cols[9]
        self.start = self.end = None
        self.sent = sent


class Sentence:
    def __init__(self):
        self.meta = {}
        self.newpar = False
        self.block = None
        self.words = []
        self.surface = []   # list of (form, space_after, [words])

    def word(self, i):
        return self.words[i - 1]


def space_after(misc):
    return "SpaceAfter=No" not in misc.split("|")


def parse_conllu(text):
    sents = []
    cur = None
    mwt_end = 0
    for line in text.split("\n"):
        if not line.strip():
            if cur is not None and cur.words:
                sents.append(cur)
                cur = None
            continue
        if cur is None:
            cur = Sentence()
            mwt_end = 0
        if line.startswith("#"):
            m = re.match(r"#\s*([^=]+?)\s*(?:=\s?(.*))?$", line)
            if m:
                key = m.group(1)
                val = m.group(2) if m.group(2) is not None else ""
                if key == "newpar":
                    cur.newpar = True
                elif key == "newpar_block":
                    cur.newpar = True
                    cur.block = val
                else:
                    cur.meta[key] = val
            continue
        cols = line.split("\t")
        if "-" in cols[0]:
            a, b = map(int, cols[0].split("-"))
            cur.surface.append([cols[1], space_after(cols[9]), (a, b)])
            mwt_end = b
            continue
        if "." in cols[0]:
            continue  # empty node
        w = Word(cols, cur)
        cur.words.append(w)
        if w.id > mwt_end:
            cur.surface.append([w.form, space_after(w.misc), (w.id, w.id)])
    if cur is not None and cur.words:
        sents.append(cur)
    return sents


# ------------------------------------------------------------------ tsv
ENT_RE = re.compile(r"^(.*?)(?:\[(\d+)\])?$")


def parse_tsv(text):
    """Sentences of (token_id, form, {entity_id: (type, identity)})."""
    sents = []
    cur = None
    for line in text.split("\n"):
        if line.startswith("#Text="):
            cur = []
            sents.append(cur)
            continue
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        tid, _offs, form = cols[0], cols[1], cols[2]
        ents = {}
        if cols[3] != "_":
            types = cols[3].split("|")
            idents = cols[6].split("|") if cols[6] != "_" else []
            idmap = {}
            for v in idents:
                m = ENT_RE.match(v)
                idmap[m.group(2)] = m.group(1)
            for i, v in enumerate(types):
                m = ENT_RE.match(v)
                eid = m.group(2)
                if eid is None:   # single-token entity without id
                    eid = "t%s_%d" % (tid, i)
                ents[eid] = (m.group(1), idmap.get(eid))
        cur.append((tid, form, ents))
    return sents


# ------------------------------------------------------------------ layout
def detokenize(sent):
    """The sentence as a string; sets word.start/end relative to it.

    Returns (string, problems).  A multi-word token whose words do not spell
    its surface form gives every word the whole token's span.
    """
    out = []
    pos = 0
    problems = []
    for form, sp, (a, b) in sent.surface:
        words = [sent.word(i) for i in range(a, b + 1)]
        start = pos
        if "".join(w.form for w in words) == form:
            for w in words:
                w.start = pos
                pos += len(w.form.encode("utf-8"))
                w.end = pos
        else:
            pos += len(form.encode("utf-8"))
            for w in words:
                w.start, w.end = start, pos
            problems.append("multi-word token %r != %r" % (
                form, [w.form for w in words]))
        out.append(form)
        if sp:
            out.append(" ")
            pos += 1
    s = "".join(out)
    if s.endswith(" "):
        s = s[:-1]
    return s, problems


def layout(sents):
    """Plain text of a document: the headline (the first paragraph) on its
    own line, a blank line, then each paragraph (GUM's newpar: p, head,
    quote, figure caption, list item) as one line of its sentences joined by
    a space, paragraphs separated by a blank line.  Word offsets become byte
    offsets into this text.  Returns (text, problems)."""
    parts = []
    pos = 0
    problems = []
    first = True
    for s in sents:
        string, probs = detokenize(s)
        problems += probs
        if s.meta.get("text") is not None and s.meta["text"] != string:
            problems.append("%s: %r != %r" % (s.meta.get("sent_id"), string,
                                             s.meta["text"]))
        if first:
            sep = ""
        elif s.newpar:
            sep = "\n\n"
        else:
            sep = " "
        first = False
        parts.append(sep)
        pos += len(sep.encode("utf-8"))
        for w in s.words:
            w.start += pos
            w.end += pos
        parts.append(string)
        pos += len(string.encode("utf-8"))
    parts.append("\n")
    return "".join(parts), problems
