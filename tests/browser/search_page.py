#!/usr/bin/env python3
"""Drives the search page of `byline serve` in headless Chromium, as a reader would.

    python3 tests/browser/search_page.py --byline target/release/byline \\
        --index /tmp/idx --corpus corpus --screenshots /tmp/shots

Standard library only: it talks the W3C WebDriver protocol to Debian's
chromedriver over HTTP (tests/browser/install.sh installs chromium and
chromium-driver). It starts `byline serve` on a free port (building the index
from the corpus first if there is none), starts chromedriver on another, and
checks the page: example queries made of the archive's own names (each
finding articles), a search and its hits (at most 4 names a hit, one Tab
stop), the entity sidebar (narrow and exclude), the timeline (a narrowed one
centred, its axis under its bars), sorting, the article view (query words
marked, Copy link, a name adding its filter), browser Back and Esc (the
opened hit focused again), a fresh load of the URL, the CSV download (its
limit and a file named after the query), offsets put on a page, the phone
layout (a jump to the names), API errors shown on the page (a caret under
its column, "Searching…" when slow, a 503's message), undated hits, and that
the browser console holds no errors (CSP violations are logged there). It writes screenshots at 1280x800 and 390x844. Exit status 0
when every check passes, 1 with a message naming the failed check otherwise.
"""

import argparse
import base64
import csv
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
WAIT = 20.0  # seconds for the page to answer an action
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=en-US",
]


class Failure(Exception):
    """A check that did not pass."""


def check(cond, message):
    if not cond:
        raise Failure(message)


def log(message):
    print(f"  {message}", flush=True)


def step(message):
    print(f"- {message}", flush=True)


def quoted(name):
    """A name as the page writes it in a filter: bare when it is one word of
    letters and digits, else in double quotes."""
    return name if name.isalnum() else f'"{name}"'


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=60):
    """(status, headers, bytes) of a request; HTTP errors are answers too."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json; charset=utf-8")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get_json(url):
    status, _, body = http("GET", url)
    check(status == 200, f"GET {url} answered {status}: {body[:300]!r}")
    return json.loads(body)


def wait_for(what, probe, timeout, proc=None, proc_log=None):
    """Polls probe() until it is truthy; fails naming `what`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = ""
            if proc_log:
                with open(proc_log, errors="replace") as f:
                    tail = f.read()[-2000:]
            raise Failure(f"{what}: the process exited with status {proc.returncode}\n{tail}")
        try:
            value = probe()
            if value:
                return value
        except (OSError, urllib.error.URLError, ValueError) as e:
            last = e
        time.sleep(0.2)
    raise Failure(f"{what}: not ready after {timeout:.0f}s (last error: {last})")


class WebDriverError(Failure):
    pass


class Browser:
    """A W3C WebDriver session, just the commands this test needs."""

    def __init__(self, driver_url, user_data_dir, chromium):
        self.base = driver_url
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "goog:chromeOptions": {
                        "binary": chromium,
                        "args": CHROMIUM_ARGS + [f"--user-data-dir={user_data_dir}", "--window-size=1280,800"],
                    },
                    "goog:loggingPrefs": {"browser": "ALL"},
                    "timeouts": {"pageLoad": 30000, "script": 30000, "implicit": 0},
                }
            }
        }
        value = self._call("POST", "/session", caps)
        self.sid = value["sessionId"]
        self.caps = value.get("capabilities", {})

    def _call(self, method, path, body=None):
        if method == "POST" and body is None:
            body = {}
        status, _, raw = http(method, self.base + path, body)
        try:
            answer = json.loads(raw) if raw else {}
        except ValueError:
            raise WebDriverError(f"WebDriver {method} {path}: {status} {raw[:300]!r}")
        value = answer.get("value") if isinstance(answer, dict) else None
        if status != 200:
            msg = value.get("message", "") if isinstance(value, dict) else raw[:300]
            err = value.get("error", "") if isinstance(value, dict) else ""
            raise WebDriverError(f"WebDriver {method} {path}: {status} {err}: {str(msg).splitlines()[0] if msg else ''}")
        if path == "/session":
            return value
        return value

    def cmd(self, method, path, body=None):
        return self._call(method, f"/session/{self.sid}{path}", body)

    def quit(self):
        try:
            self._call("DELETE", f"/session/{self.sid}")
        except Exception:  # noqa: BLE001 - best effort on the way out
            pass

    # navigation
    def open(self, url):
        self.cmd("POST", "/url", {"url": url})

    def url(self):
        return self.cmd("GET", "/url")

    def back(self):
        self.cmd("POST", "/back")

    def key(self, key):
        """Presses and releases one key (a WebDriver key code) where the focus is."""
        self.cmd("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]})
        self.cmd("DELETE", "/actions")

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    # elements
    def find_all(self, css, root=None):
        path = f"/element/{root}/elements" if root else "/elements"
        return [e[ELEMENT] for e in self.cmd("POST", path, {"using": "css selector", "value": css})]

    def find(self, css, root=None):
        found = self.find_all(css, root)
        check(found, f"no element matches {css!r}")
        return found[0]

    def click(self, element):
        # Centre it first, clear of the sticky header.
        self.js("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", {ELEMENT: element})
        self.cmd("POST", f"/element/{element}/click")

    def clear(self, element):
        self.cmd("POST", f"/element/{element}/clear")

    def type(self, element, text):
        self.cmd("POST", f"/element/{element}/value", {"text": text})

    def text(self, element):
        return self.cmd("GET", f"/element/{element}/text")

    def attr(self, element, name):
        return self.cmd("GET", f"/element/{element}/attribute/{name}")

    def prop(self, element, name):
        return self.cmd("GET", f"/element/{element}/property/{name}")

    def displayed(self, element):
        return self.cmd("GET", f"/element/{element}/displayed")

    # windows
    def window_rect(self, width, height):
        self.cmd("POST", "/window/rect", {"width": width, "height": height})

    def new_tab(self):
        return self.cmd("POST", "/window/new", {"type": "tab"})["handle"]

    def window(self):
        return self.cmd("GET", "/window")

    def switch(self, handle):
        self.cmd("POST", "/window", {"handle": handle})

    def close_window(self):
        self.cmd("DELETE", "/window")

    def screenshot(self, path):
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)

    def console(self):
        """Browser console entries since the last call (chromedriver's log)."""
        try:
            return self.cmd("POST", "/se/log", {"type": "browser"}) or []
        except WebDriverError:
            return self._call("POST", f"/session/{self.sid}/log", {"type": "browser"}) or []


class PageTest:
    def __init__(self, args, browser, base):
        self.a = args
        self.b = browser
        self.base = base
        self.shots = args.screenshots
        self.allowed_console = []  # substrings of console errors a step expects

    # -------------------------------------------------------------- helpers

    def location(self):
        return self.b.js("return location.pathname + location.search;")

    def settled(self, previous=None, what="the page"):
        """Waits until the page has rendered the URL it is at (and it is not
        `previous`): app.js sets body[data-rendered] when a view is shown."""
        deadline = time.monotonic() + WAIT
        seen = None
        while time.monotonic() < deadline:
            seen = self.b.js(
                "return [location.pathname + location.search, document.body.dataset.rendered || null,"
                " document.body.getAttribute('aria-busy')];"
            )
            here, rendered, busy = seen
            if rendered == here and busy != "true" and (previous is None or here != previous):
                return here
            time.sleep(0.1)
        raise Failure(f"{what}: the page did not finish rendering within {WAIT:.0f}s "
                      f"(at {seen[0]!r}, rendered {seen[1]!r}, busy {seen[2]!r})")

    def state(self):
        return self.b.js(
            """
            const total = document.getElementById('total');
            const hits = [...document.querySelectorAll('#hits .hit')];
            return {
              q: document.getElementById('q').value,
              sort: document.getElementById('sort').value,
              total: total && total.dataset.total !== undefined ? Number(total.dataset.total) : null,
              stories: total && total.dataset.stories !== undefined ? Number(total.dataset.stories) : null,
              hits: hits.map(h => ({id: h.dataset.id, published: h.dataset.published,
                                     title: (h.querySelector('.hit-title') || {}).textContent || ''})),
              results: !document.getElementById('results-view').hidden,
              article: !document.getElementById('article').hidden,
              home: !document.getElementById('home').hidden,
              error: document.getElementById('error').hidden ? '' : document.getElementById('error').textContent,
            };
            """
        )

    def no_error(self, where):
        err = self.b.js("const e = document.getElementById('error'); return e.hidden ? '' : e.textContent;")
        check(not err, f"{where}: the page shows an error: {err}")

    def search_box(self, query):
        """Types `query` in the box and submits it with Enter."""
        before = self.location()
        box = self.b.find("#q")
        self.b.clear(box)
        self.b.type(box, query)
        check(self.b.prop(box, "value") == query, f"the query box holds {self.b.prop(box, 'value')!r}, not {query!r}")
        self.b.type(box, "\ue007")  # Enter submits the form
        return self.settled(before, f"searching {query!r}")

    def shot(self, name):
        path = os.path.join(self.shots, name)
        self.b.screenshot(path)
        log(f"screenshot {path}")

    def api(self, path):
        return get_json(self.base + path)

    def console_errors(self, where):
        entries = self.b.console()
        bad = []
        for e in entries:
            level = e.get("level", "")
            msg = e.get("message", "")
            if level in ("SEVERE", "ERROR") or "Content Security Policy" in msg or "Content-Security-Policy" in msg:
                if any(a in msg for a in self.allowed_console):
                    continue
                bad.append(f"{level}: {msg}")
        check(not bad, f"{where}: the browser console has errors:\n    " + "\n    ".join(bad))

    def set_size(self, width, height):
        """Makes the viewport width x height (the window, minus any frame)."""
        self.b.window_rect(width, height)
        inner = self.b.js("return [window.innerWidth, window.innerHeight];")
        dw, dh = width - inner[0], height - inner[1]
        if dw or dh:
            self.b.window_rect(width + dw, height + dh)
            inner = self.b.js("return [window.innerWidth, window.innerHeight];")
        check(inner[0] == width, f"could not make the viewport {width} wide (it is {inner[0]})")
        return inner

    # ---------------------------------------------------------------- steps

    def run(self):
        a = self.a
        query = a.query

        step("home page: archive figures and example queries")
        self.set_size(1280, 800)
        self.b.open(self.base + "/")
        self.settled(what="loading /")
        st = self.state()
        check(st["home"] and not st["results"], "/ does not show the home view")
        stats_text = self.b.text(self.b.find("#stats"))
        docs = self.api("/api/stats")["documents"]
        check(f"{docs:,}" in stats_text or str(docs) in stats_text,
              f"the home view does not give the {docs} documents: {stats_text!r}")
        examples = self.b.js(
            "return [...document.querySelectorAll('#examples a')].map(a => a.getAttribute('href'));")
        check(len(examples) >= 3, f"the home view lists {len(examples)} example queries")
        top = self.api("/api/entities?q=&n=6")
        top_person = top["people"][0]["name"] if top["people"] else None
        queries = []
        for href in examples:
            params = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
            queries.append((params.get("q", [""])[0], params.get("sort", ["relevance"])[0]))
        if top_person:
            want = f"person:{quoted(top_person)}"
            check(any(q == want for q, _ in queries),
                  f"the examples do not search the archive's most named person ({want}): {queries}")
        for q, sort in queries:
            found = self.api(f"/api/search?q={urllib.parse.quote(q)}&n=1&sort={sort}")["total"]
            check(found > 0, f"the home page's example {q!r} finds nothing in this archive")
        log(f"{len(queries)} examples, each finding articles: {', '.join(q for q, _ in queries)}")
        self.no_error("home")
        title = self.b.js("return document.title;")
        check(title == "byline", f"the page title is {title!r}")
        self.shot("home-1280x800.png")

        step("the syntax help opens and an example goes into the box")
        toggle = self.b.find("#syntax-toggle")
        self.b.click(toggle)
        check(self.b.displayed(self.b.find("#syntax")), "the syntax panel does not open")
        wait_for("the syntax panel's examples of this archive",
                 lambda: self.b.js("return document.getElementById('syntax').dataset.examples === 'archive';"), WAIT)
        inserts = self.b.js("return [...document.querySelectorAll('#syntax .example')].map(b => b.dataset.insert);")
        check(len(inserts) >= 8, f"the syntax panel shows {len(inserts)} clickable examples")
        if top_person:
            want = f"person:{quoted(top_person)}"
            check(want in inserts, f"the syntax panel's examples do not name {top_person}: {inserts}")
        else:
            want = inserts[0]
        pick = [e for e in self.b.find_all("#syntax .example") if self.b.attr(e, "data-insert") == want][0]
        self.b.click(pick)
        check(self.b.prop(self.b.find("#q"), "value") == want,
              f"clicking the example {want} does not put it in the query box")
        self.b.click(toggle)
        check(not self.b.displayed(self.b.find("#syntax")), "the syntax panel does not close")

        step(f"search {query!r}: hits with titles, snippets, dates, bylines, entities")
        self.search_box(query)
        self.no_error("results")
        st = self.state()
        check(st["results"], "the results view is not shown after a search")
        api = self.api(f"/api/search?q={urllib.parse.quote(query)}&n=20")
        check(api["total"] > 0, f"the API finds nothing for {query!r}; pick another --query")
        check(st["total"] == api["total"], f"#total says {st['total']}, the API {api['total']}")
        total_text = self.b.text(self.b.find("#total"))
        check(f"{api['total']:,}" in total_text, f"#total reads {total_text!r}")
        if api["stories"] != api["total"]:
            check(f"{api['stories']:,} stor" in total_text, f"#total does not give the stories: {total_text!r}")
        ids = [h["id"] for h in st["hits"]]
        check(ids == [h["id"] for h in api["hits"]], f"the hits shown are not the API's: {ids[:5]}...")
        for h, shown in zip(api["hits"], st["hits"]):
            check(shown["title"].strip() == h["title"].strip(), f"hit {h['id']} is titled {shown['title']!r}, not {h['title']!r}")
        marks = self.b.js("return [...document.querySelectorAll('#hits .snippet mark')].map(m => m.textContent);")
        check(marks, "no snippet has a <mark>ed word")
        raw = self.b.js("return [...document.querySelectorAll('#hits .snippet')].some(s => s.textContent.includes('**'));")
        check(not raw, "a snippet still shows ** marks")
        per_hit = self.b.js(
            """return [...document.querySelectorAll('#hits .hit')].map(h => ({
                 date: (h.querySelector('.hit-date') || {}).textContent || '',
                 source: (h.querySelector('.date-source') || {}).textContent || '',
                 byline: (h.querySelector('.hit-byline') || {}).textContent || '',
                 entities: h.querySelectorAll('.entity').length}));"""
        )
        seen_source = seen_byline = seen_entities = 0
        for h, shown in zip(api["hits"], per_hit):
            if h["published"]:
                check(any(c.isdigit() for c in shown["date"]), f"hit {h['id']} shows no date: {shown['date']!r}")
            if h.get("date_source") not in (None, "metadata"):
                check(shown["source"], f"hit {h['id']} (date from {h['date_source']}) does not say where its date came from")
                seen_source += 1
            if h.get("byline"):
                check(shown["byline"] == h["byline"], f"hit {h['id']} byline {shown['byline']!r}, not {h['byline']!r}")
                seen_byline += 1
            if h["people"] or h["organizations"] or h["places"]:
                check(shown["entities"] > 0, f"hit {h['id']} shows none of its entities")
                seen_entities += 1
        log(f"{len(ids)} hits; {len(marks)} marked words; {seen_source} with a date source, "
            f"{seen_byline} bylines, {seen_entities} with entities")
        check(seen_entities, "no hit shows entities")
        chips = self.b.js(
            """return [...document.querySelectorAll('#hits .hit')].map(h => {
                 const bar = h.querySelector('.chips');
                 return bar ? {shown: bar.querySelectorAll('.entity').length,
                               more: (bar.querySelector('.more') || {}).textContent || '',
                               stops: [...bar.querySelectorAll('button')].filter(b => b.tabIndex >= 0).length} : null;
               });"""
        )
        with_more = None
        for i, (h, c) in enumerate(zip(api["hits"], chips)):
            n = len(h["people"]) + len(h["organizations"]) + len(h["places"])
            if not n:
                continue
            check(c and c["shown"] == min(4, n), f"hit {h['id']} shows {c and c['shown']} of its {n} names, not {min(4, n)}")
            check(c["stops"] == 1, f"hit {h['id']}'s names are {c['stops']} Tab stops, not one")
            if n > 4:
                check(c["more"] == f"+{n - 4}", f"hit {h['id']} has {n} names and a {c['more']!r} control, not +{n - 4}")
                with_more = with_more if with_more is not None else (i, n)
        if with_more is not None:
            i, n = with_more
            self.b.click(self.b.find(".chips .more", self.b.find_all("#hits .hit")[i]))
            shown = self.b.js(
                """const h = document.querySelectorAll('#hits .hit')[arguments[0]];
                   const a = document.activeElement;
                   return [h.querySelectorAll('.chips .entity').length, h.contains(a) && a.classList.contains('entity'),
                           a.dataset.name || ''];""", i)
            check(shown[0] == n, f"+N shows {shown[0]} of the hit's {n} names")
            check(shown[1], "after +N the focus is not on a name of the hit")
            self.b.key("\ue014")  # ArrowRight
            moved = self.b.js("return document.activeElement.dataset.name || '';")
            check(moved and moved != shown[2], "ArrowRight does not move between a hit's names")
            log(f"names: at most 4 a hit and one Tab stop; +N showed all {n} of hit {i + 1}")
        self.shot("results-1280x800.png")
        self.console_errors("after the search")
        results_url = self.location()
        total0 = st["total"]

        step("click an entity in the sidebar: the query gains it, the hits narrow")
        ent = None
        for kind in ("person", "org", "place"):
            found = self.b.find_all(f"#sidebar .entity[data-kind='{kind}']")
            if found:
                ent = found[0]
                break
        check(ent, "the sidebar lists no entity")
        kind, name = self.b.attr(ent, "data-kind"), self.b.attr(ent, "data-name")
        self.b.click(ent)
        self.settled(results_url, f"clicking the entity {name}")
        self.no_error("entity filter")
        st = self.state()
        term = f"{kind}:{quoted(name)}"
        check(term in st["q"], f"the query {st['q']!r} did not gain {term!r}")
        check(f"q={urllib.parse.quote_plus(st['q'])}" in self.location() or "q=" in self.location(), "the URL lost the query")
        check(st["total"] is not None and st["total"] <= total0, f"the entity filter gave {st['total']} hits, more than {total0}")
        check(st["hits"], f"the entity filter {term} shows no hits")
        log(f"{term}: {st['total']} of {total0} articles")
        total1 = st["total"]
        narrowed_url = self.location()

        step("exclude another entity with its − control")
        rows = self.b.js(
            """return [...document.querySelectorAll('#sidebar .entity-exclude')]
                 .filter(b => b.getAttribute('aria-pressed') !== 'true')
                 .filter(b => !b.parentElement.querySelector('.entity.active'))
                 .map(b => [b.dataset.kind, b.dataset.name]);"""
        )
        check(rows, "the sidebar has no exclude control for another entity")
        xkind, xname = rows[0]
        xbtn = [
            b for b in self.b.find_all("#sidebar .entity-exclude")
            if self.b.attr(b, "data-kind") == xkind and self.b.attr(b, "data-name") == xname
        ][0]
        self.b.click(xbtn)
        self.settled(narrowed_url, f"excluding {xname}")
        self.no_error("exclusion")
        st = self.state()
        xterm = f"-{xkind}:{quoted(xname)}"
        check(xterm in st["q"], f"the query {st['q']!r} did not gain {xterm!r}")
        check(term in st["q"], f"excluding dropped the earlier filter: {st['q']!r}")
        check(st["total"] <= total1, f"excluding {xname} gave more hits ({st['total']} > {total1})")
        log(f"{xterm}: {st['total']} articles")
        excluded_url = self.location()
        # The control undoes itself.
        xbtn = [
            b for b in self.b.find_all("#sidebar .entity-exclude")
            if self.b.attr(b, "data-kind") == xkind and self.b.attr(b, "data-name") == xname
        ]
        check(xbtn, f"the excluded {xname} is no longer listed to undo the exclusion")
        self.b.click(xbtn[0])
        self.settled(excluded_url, f"undoing the exclusion of {xname}")
        st = self.state()
        check(xterm not in st["q"] and term in st["q"], f"undoing the exclusion left {st['q']!r}")

        step("click a timeline bar: the query gains after:/before:, the hits are inside")
        self.search_box(query)
        bars = self.b.js(
            """return [...document.querySelectorAll('#timeline .bar')].map(b => ({start: b.dataset.start,
                 end: b.dataset.end, count: Number(b.dataset.count), title: b.title,
                 w: b.getBoundingClientRect().width, h: b.getBoundingClientRect().height}));"""
        )
        check(len(bars) >= 2, f"the timeline has {len(bars)} bars")
        check(all(b["title"] for b in bars), "a bar has no title (count on hover)")
        nonzero = [i for i, b in enumerate(bars) if b["count"] > 0]
        check(nonzero, "every bar of the timeline is empty")
        pick = max(nonzero, key=lambda i: bars[i]["count"])
        bar = bars[pick]
        check(bar["w"] >= 8 and bar["h"] >= 40, f"the bars are too small to click: {bar['w']:.0f}x{bar['h']:.0f}")
        before = self.location()
        self.b.click(self.b.find_all("#timeline .bar")[pick])
        self.settled(before, f"clicking the bar of {bar['start']}")
        self.no_error("timeline")
        st = self.state()
        check(f"after:{bar['start']}" in st["q"] and f"before:{bar['end']}" in st["q"],
              f"the query {st['q']!r} did not gain after:{bar['start']} before:{bar['end']}")
        check(st["hits"], f"the bar of {bar['start']} ({bar['count']}) shows no hits")
        for h in st["hits"]:
            day = (h["published"] or "")[:10]
            check(day and bar["start"] <= day < bar["end"],
                  f"hit {h['id']} of {h['published']!r} is outside {bar['start']}..{bar['end']}")
        log(f"{bar['start']} to {bar['end']}: {st['total']} articles, all {len(st['hits'])} shown inside")
        geo = self.b.js(
            """const bars = [...document.querySelectorAll('#timeline .bar')];
               const box = document.getElementById('timeline-box').getBoundingClientRect();
               const plot = document.getElementById('timeline-plot').getBoundingClientRect();
               const axis = document.getElementById('timeline-axis');
               const ar = axis.getBoundingClientRect();
               return {n: bars.length, left: bars[0].getBoundingClientRect().left,
                       right: bars[bars.length - 1].getBoundingClientRect().right,
                       axisLeft: ar.left, axisRight: ar.right, gapL: plot.left - box.left, gapR: box.right - plot.right,
                       first: bars[0].dataset.start, last: bars[bars.length - 1].dataset.start,
                       labels: [...axis.children].map(s => s.textContent)};"""
        )
        check(abs(geo["left"] - geo["axisLeft"]) <= 2 and abs(geo["right"] - geo["axisRight"]) <= 2,
              f"the narrowed timeline's axis ({geo['axisLeft']:.0f}..{geo['axisRight']:.0f}) is not under its "
              f"{geo['n']} bars ({geo['left']:.0f}..{geo['right']:.0f})")
        check(abs(geo["gapL"] - geo["gapR"]) <= 2, f"the narrowed timeline's bars are not centred ({geo['gapL']:.0f} | {geo['gapR']:.0f})")
        check(geo["labels"] and geo["first"][:4] in geo["labels"][0], f"the axis starts at {geo['labels']}, the first bar at {geo['first']}")
        if geo["n"] > 1:
            check(len(geo["labels"]) == 2 and geo["last"][:4] in geo["labels"][1],
                  f"the axis ends at {geo['labels']}, the last bar at {geo['last']}")
        log(f"narrowed: {geo['n']} bars centred, axis {' .. '.join(geo['labels'])}")
        # A second bar replaces the dates rather than adding to them.
        bars2 = self.b.js("return [...document.querySelectorAll('#timeline .bar')].map(b => [b.dataset.start, b.dataset.end]);")
        other = [i for i, (s, e) in enumerate(bars2) if (s, e) != (bar["start"], bar["end"])]
        if other:
            before = self.location()
            self.b.click(self.b.find_all("#timeline .bar")[other[0]])
            self.settled(before, "clicking a second bar")
            q2 = self.state()["q"]
            check(q2.count("after:") == 1 and q2.count("before:") == 1, f"dates piled up in {q2!r}")
        clear = self.b.find("#clear-dates")
        check(self.b.displayed(clear), "no control to clear the dates")
        before = self.location()
        self.b.click(clear)
        self.settled(before, "clearing the dates")
        st = self.state()
        check(st["q"].strip() == query.strip(), f"clearing the dates left {st['q']!r}")

        step("sort by date: hits newest first")
        before = self.location()
        self.b.click(self.b.find("#sort option[value='date']"))
        self.settled(before, "sorting by date")
        self.no_error("sort")
        st = self.state()
        check(st["sort"] == "date" and "sort=date" in self.location(), f"sorting did not reach the URL: {self.location()}")
        days = [h["published"] for h in st["hits"]]
        dated = [d for d in days if d]
        check(dated == sorted(dated, reverse=True), f"hits are not newest first: {dated}")
        check(days[: len(dated)] == dated, "an undated hit comes before a dated one")
        log(f"{len(dated)} dated hits, newest {dated[0][:10] if dated else '-'}")
        sorted_state = st
        sorted_url = self.location()

        step("open an article: its text and entities")
        first = self.b.find("#hits .hit .hit-title")
        first_id = st["hits"][0]["id"]
        self.b.click(first)
        self.settled(sorted_url, "opening the article")
        self.no_error("article")
        st = self.state()
        check(st["article"] and not st["results"], "the article view is not shown")
        check("article=" in self.location(), f"the URL does not name the article: {self.location()}")
        art = self.api(f"/api/articles/{urllib.parse.quote(first_id, safe='')}")
        h1 = self.b.text(self.b.find("#article h1"))
        check(h1.strip() == art["title"].strip(), f"the article's headline is {h1!r}, not {art['title']!r}")
        paras = self.b.js("return [...document.querySelectorAll('#article .article-body p')].map(p => p.textContent);")
        body_paras = [" ".join(p.split()) for p in art["body"].split("\n\n") if p.strip()]
        check(len(paras) == len(body_paras), f"the article shows {len(paras)} paragraphs of {len(body_paras)}")
        check(" ".join(paras[0].split()) == body_paras[0], "the article's first paragraph is not its text")
        if art.get("standfirst"):
            sf = self.b.text(self.b.find("#article .standfirst"))
            check(" ".join(sf.split()) == " ".join(art["standfirst"].split()), "the standfirst is not shown")
        n_ents = len(art["people"]) + len(art["organizations"]) + len(art["places"])
        shown_ents = len(self.b.find_all("#article .entity"))
        check(shown_ents == n_ents, f"the article view shows {shown_ents} entities of {n_ents}")
        if art.get("url"):
            link = self.b.find("#article a.source-link")
            rel = self.b.attr(link, "rel") or ""
            check("noopener" in rel and "noreferrer" in rel, f"the source link's rel is {rel!r}")
        log(f"{art['id']}: {len(paras)} paragraphs, {shown_ents} entities")
        word = query.split()[0].strip('"*~').lower()
        marked = self.b.js(
            """const re = new RegExp(arguments[0].slice(0, 5), 'i');
               const text = document.querySelector('#article .article-text');
               return [re.test(text.textContent), [...text.querySelectorAll('mark')].map(m => m.textContent)];""", word)
        if marked[0]:
            check(marked[1], f"the article's text has {word!r} but no <mark>")
            check(all(word[:5] in m.lower() for m in marked[1]), f"the article marks other words: {marked[1][:5]}")
            log(f"{len(marked[1])} marked words in the article")
        foot = self.b.js(
            """const f = document.querySelector('#article .article-ids');
               return [(f.querySelector('.article-id') || {}).textContent, (f.querySelector('.article-path') || {}).textContent,
                       (document.getElementById('article-link') || {}).textContent];""")
        check(foot[0] == art["id"] and foot[1] == art["path"], f"the article's foot gives {foot[:2]}, not its id and path")
        link_params = urllib.parse.parse_qs(urllib.parse.urlsplit(foot[2] or "").query)
        check(link_params.get("article") == [art["id"]], f"the article's link is {foot[2]!r}")
        self.b.click(self.b.find("#copy-link"))
        copied = wait_for("the Copy link button's answer", lambda: self.b.js(
            """const s = document.querySelector('#article .copy-status').textContent;
               return s ? [s, String(window.getSelection())] : null;"""), 5)
        check(copied[0].startswith("Copied") or copied[1] == foot[2],
              f"Copy link says {copied[0]!r} and selects {copied[1]!r}")
        log(f"Copy link: {copied[0]}")
        self.shot("article-1280x800.png")
        article_url = self.location()

        step("browser Back returns to the results")
        self.b.back()
        self.settled(article_url, "going back")
        st = self.state()
        check(st["results"] and not st["article"], "Back did not show the results view")
        check(self.location() == sorted_url, f"Back went to {self.location()}, not {sorted_url}")
        check([h["id"] for h in st["hits"]] == [h["id"] for h in sorted_state["hits"]], "Back shows other hits")
        check(st["q"] == sorted_state["q"] and st["sort"] == "date", "Back lost the query or the sort")
        focused = self.b.js("const h = document.activeElement.closest('.hit'); return h ? h.dataset.id : null;")
        check(focused == first_id, f"after Back the focus is on hit {focused}, not on the opened {first_id}")

        if len(sorted_state["hits"]) >= 6:
            step("Esc in the article view goes back; the opened hit has the focus and is in view")
            pick = len(sorted_state["hits"]) - 2
            pick_id = sorted_state["hits"][pick]["id"]
            self.b.click(self.b.find_all("#hits .hit .hit-title")[pick])
            self.settled(sorted_url, "opening a hit further down")
            check(self.state()["article"], "the article view is not shown")
            here = self.location()
            self.b.key("\ue00c")  # Escape
            self.settled(here, "pressing Esc in the article view")
            st = self.state()
            check(st["results"] and not st["article"], "Esc did not go back to the results")
            check(self.location() == sorted_url, f"Esc went to {self.location()}, not {sorted_url}")
            where = self.b.js(
                """const a = document.activeElement, h = a.closest('.hit');
                   const r = a.getBoundingClientRect();
                   return [h ? h.dataset.id : null, r.top, r.bottom, window.innerHeight];""")
            check(where[0] == pick_id, f"after Esc the focus is on hit {where[0]}, not on the opened {pick_id}")
            check(where[1] >= 0 and where[2] <= where[3], f"the focused hit is out of view ({where[1]:.0f}..{where[2]:.0f})")
            log(f"back on hit {pick + 1} of {len(sorted_state['hits'])}, in view")

        step("a name in the article view adds its filter to the query")
        self.b.open(self.base + article_url)
        self.settled(what="the article again")
        names = self.b.find_all("#article .entity")
        if names:
            kind, name = self.b.attr(names[0], "data-kind"), self.b.attr(names[0], "data-name")
            self.b.click(names[0])
            self.settled(article_url, f"clicking {name} in the article")
            q = self.state()["q"]
            term = f"{kind}:{quoted(name)}"
            check(term in q and sorted_state["q"] in q, f"the query became {q!r}, not the old one with {term}")
            log(q)
        else:
            log("(the article names nobody; skipped)")
        before = self.location()
        self.b.open(self.base + sorted_url)
        self.settled(before, "the sorted results again")

        step("the URL alone reproduces the view in a fresh page")
        url = self.base + self.location()
        main_window = self.b.window()
        tab = self.b.new_tab()
        self.b.switch(tab)
        self.b.open(url)
        self.settled(what=f"loading {url}")
        fresh = self.state()
        check(fresh["q"] == sorted_state["q"], f"fresh page: query box {fresh['q']!r}, not {sorted_state['q']!r}")
        check(fresh["sort"] == "date", f"fresh page: sort {fresh['sort']!r}")
        check(fresh["hits"] and fresh["hits"][0]["id"] == sorted_state["hits"][0]["id"], "fresh page: another first hit")
        check(fresh["total"] == sorted_state["total"], "fresh page: another total")
        # And an article URL too.
        self.b.open(self.base + article_url)
        self.settled(what="loading the article URL")
        check(self.state()["article"], "the article URL does not open the article view")
        check(self.b.text(self.b.find("#article h1")).strip() == art["title"].strip(), "the article URL shows another article")
        back_link = self.b.find("#article a.back")
        self.b.click(back_link)
        self.settled(article_url, "following 'back to results' from a fresh article page")
        check(self.state()["results"], "'back to results' does not show the results")
        self.console_errors("in the fresh page")
        self.b.close_window()
        self.b.switch(main_window)

        step("the CSV link downloads the hits")
        href = self.b.prop(self.b.find("#csv"), "href")
        parsed = urllib.parse.urlsplit(href)
        params = urllib.parse.parse_qs(parsed.query)
        check(parsed.path == "/api/search", f"the CSV link goes to {parsed.path}")
        check(params.get("format") == ["csv"], f"the CSV link does not ask for CSV: {href}")
        check(params.get("q") == [sorted_state["q"]], f"the CSV link has another query: {params.get('q')}")
        check(params.get("sort") == ["date"], f"the CSV link lost the sort: {href}")
        status, headers, body = http("GET", href)
        check(status == 200, f"the CSV link answered {status}: {body[:200]!r}")
        check("text/csv" in headers.get("Content-Type", ""), f"the CSV comes as {headers.get('Content-Type')}")
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        check(rows and "title" in rows[0] and "id" in rows[0], f"the CSV's first row is no header: {rows[:1]}")
        check(len(rows) - 1 == sorted_state["stories"],
              f"the CSV has {len(rows) - 1} rows for {sorted_state['stories']} stories")
        log(f"{len(rows) - 1} rows, columns {', '.join(rows[0])}")
        limit = self.b.text(self.b.find("#csv-limit"))
        check("10,000" in limit, f"the CSV link does not say its limit: {limit!r}")
        name = self.b.attr(self.b.find("#csv"), "download")
        check(name == "byline-" + "-".join("".join(c if c.isalnum() else " " for c in sorted_state["q"].lower()).split()) + ".csv",
              f"the CSV download is named {name!r}")
        downloads = os.path.join(self.a.work, "downloads")
        os.makedirs(downloads, exist_ok=True)
        try:
            self.b.cmd("POST", "/goog/cdp/execute", {"cmd": "Browser.setDownloadBehavior",
                                                     "params": {"behavior": "allow", "downloadPath": downloads}})
        except WebDriverError as e:
            log(f"(downloads not available here, the file is not checked: {e})")
        else:
            self.b.click(self.b.find("#csv"))
            path = os.path.join(downloads, name)
            wait_for(f"the download {name}", lambda: os.path.exists(path) and os.path.getsize(path) > 0, WAIT)
            with open(path, encoding="utf-8") as f:
                saved = list(csv.reader(f))
            check(saved == rows, f"the downloaded {name} is not the CSV of the link ({len(saved)} rows)")
            log(f"saved as {name}; {limit}")

        if sorted_state["stories"] > len(sorted_state["hits"]):
            step("paging: next and previous")
            self.b.open(self.base + sorted_url)
            self.settled(what="the sorted results")
            self.b.click(self.b.find("#next"))
            self.settled(sorted_url, "the next page")
            st = self.state()
            check("offset=20" in self.location(), f"the next page's URL is {self.location()}")
            check(st["hits"] and not set(h["id"] for h in st["hits"]) & set(h["id"] for h in sorted_state["hits"]),
                  "the next page repeats hits of the first")
            start = self.b.prop(self.b.find("#hits"), "start")
            check(start == 21, f"the second page is numbered from {start}")
            page2 = self.location()
            self.b.click(self.b.find("#prev"))
            self.settled(page2, "the previous page")
            check([h["id"] for h in self.state()["hits"]] == [h["id"] for h in sorted_state["hits"]],
                  "the previous page is not the first page again")
            log(f"page 2 holds {len(st['hits'])} hits")

            step("an offset off the pages is put on one; past the end shows the last page")
            stories = sorted_state["stories"]
            last = min(10000, (stories - 1) // 20 * 20)
            for given, want in ((27, 20 if stories > 20 else 0), (stories + 45, last)):
                self.b.open(self.base + f"{sorted_url}&offset={given}")
                self.settled(what=f"loading offset={given}")
                here = self.location()
                params = urllib.parse.parse_qs(urllib.parse.urlsplit(here).query)
                check(params.get("offset", ["0"]) == [str(want)] if want else "offset" not in params,
                      f"offset={given} became {here}, not offset={want}")
                st = self.state()
                check(st["hits"], f"offset={given} shows no hits")
                start = self.b.prop(self.b.find("#hits"), "start")
                check(start == want + 1, f"offset={given}: the hits are numbered from {start}, not {want + 1}")
            log(f"offset 27 -> 20, {stories + 45} -> {last}")

        step("phone size 390x844: no sideways scroll, big enough bars, sidebar below the hits")
        self.set_size(390, 844)
        self.b.open(self.base + results_url)
        self.settled(what="the results on a phone")
        self.no_overflow("results on a phone")
        geo = self.b.js(
            """const hits = document.querySelectorAll('#hits .hit');
               const last = hits[hits.length - 1].getBoundingClientRect();
               const side = document.getElementById('sidebar').getBoundingClientRect();
               const bars = [...document.querySelectorAll('#timeline .bar')].map(b => b.getBoundingClientRect());
               const tl = document.getElementById('timeline');
               const ex = document.querySelector('#sidebar .entity-exclude');
               const exr = ex ? ex.getBoundingClientRect() : null;
               return {lastHitBottom: last.bottom, sideTop: side.top,
                       barW: Math.min(...bars.map(r => r.width)), barH: Math.min(...bars.map(r => r.height)),
                       tlScroll: tl.scrollWidth - tl.clientWidth,
                       exW: exr ? exr.width : 0, exH: exr ? exr.height : 0};"""
        )
        check(geo["sideTop"] >= geo["lastHitBottom"], "on a phone the sidebar is not below the results")
        check(geo["barW"] >= 8 and geo["barH"] >= 40, f"phone: timeline bars are {geo['barW']:.1f}x{geo['barH']:.0f} px")
        check(geo["tlScroll"] <= 1, f"phone: the timeline scrolls sideways by {geo['tlScroll']} px")
        check(geo["exW"] >= 32 and geo["exH"] >= 32, f"phone: the exclude control is {geo['exW']:.0f}x{geo['exH']:.0f} px")
        log(f"bars {geo['barW']:.1f}x{geo['barH']:.0f} px (timeline scrolls {geo['tlScroll']} px), "
            f"exclude {geo['exW']:.0f}x{geo['exH']:.0f} px")
        self.shot("results-390x844.png")
        jump = self.b.find("#to-names")
        check(self.b.displayed(jump), "on a phone there is no link to the names below the hits")
        self.b.click(jump)
        top = wait_for("the jump to the names", lambda: self.b.js(
            """const r = document.getElementById('sidebar').getBoundingClientRect();
               return r.top >= -1 && r.top < 60 ? [r.top, document.activeElement.id] : null;"""), 5)
        check(top[1] == "sidebar", f"after the jump the focus is on {top[1]!r}, not the names")
        self.shot("sidebar-390x844.png")
        self.b.open(self.base + article_url)
        self.settled(what="the article on a phone")
        self.no_overflow("article on a phone")
        self.shot("article-390x844.png")
        self.b.open(self.base + "/")
        self.settled(what="home on a phone")
        self.no_overflow("home on a phone")
        self.b.click(self.b.find("#syntax-toggle"))
        self.no_overflow("syntax help on a phone")
        self.shot("home-syntax-390x844.png")
        self.console_errors("at phone size")

        step("dark colour scheme (screenshot only)")
        self.set_size(1280, 800)
        try:
            self.b.cmd("POST", "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia", "params": {
                "features": [{"name": "prefers-color-scheme", "value": "dark"}]}})
            self.b.open(self.base + results_url)
            self.settled(what="the results in dark mode")
            self.shot("results-dark-1280x800.png")
            self.b.cmd("POST", "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia", "params": {"features": []}})
        except WebDriverError as e:
            log(f"(no dark-mode screenshot: {e})")

        step("an API error is shown on the page")
        self.allowed_console.append("the server responded with a status of 400")
        bad = "lang:zz strike"
        before = self.location()
        self.b.open(self.base + "/?q=" + urllib.parse.quote(bad))
        self.settled(before, "a query the API refuses")
        st = self.state()
        check(st["error"], f"the query {bad!r} shows no error")
        status, _, raw = http("GET", self.base + "/api/search?q=" + urllib.parse.quote(bad))
        message = json.loads(raw).get("error", "")
        check(status == 400 and message and message in st["error"], f"the page says {st['error']!r}; the API {status} {message!r}")
        check(not st["hits"], "hits are still shown beside the error")
        check(self.b.find_all("#error .error-help"), "a query error does not offer the query syntax")
        log(f"shown: {st['error']}")
        self.console_errors("after the error")

        step("a query error's caret lines up under its column")
        bad = 'strike "night shift'
        before = self.location()
        self.b.open(self.base + "/?q=" + urllib.parse.quote(bad))
        self.settled(before, "an unclosed phrase")
        status, _, raw = http("GET", self.base + "/api/search?q=" + urllib.parse.quote(bad))
        message = json.loads(raw).get("error", "")
        check(status == 400 and "\n" in message, f"the API's error for {bad!r} has no caret line: {message!r}")
        shown = self.b.js(
            """const pre = document.querySelector('#error pre');
               if (!pre) return null;
               const cs = getComputedStyle(pre);
               return [pre.textContent, cs.whiteSpace, cs.fontFamily];""")
        check(shown, "the error's query and caret are not in a <pre>")
        check(shown[0] == message.split("\n", 1)[1], f"the <pre> holds {shown[0]!r}")
        check(shown[1] in ("pre", "pre-wrap") and "mono" in shown[2].lower(),
              f"the caret block is {shown[1]} in {shown[2]}")
        lines = shown[0].split("\n")
        caret = lines[-1].index("^")
        check(lines[-2][caret] == '"', f"the caret is under {lines[-2][caret]!r}, not the quote that opens the phrase")
        check(self.b.find_all("#error .error-help"), "an invalid query does not offer the query syntax")
        self.shot("error-1280x800.png")

        step("other errors: no syntax offered; a slow answer says 'Searching…'; a 503 shows the API's message")
        self.allowed_console.append("the server responded with a status of 404")
        before = self.location()
        self.b.open(self.base + "/?article=no-such-article")
        self.settled(before, "an unknown article")
        st = self.state()
        check(st["error"], "an unknown article shows no error")
        check(not self.b.find_all("#error .error-help"), f"the error {st['error']!r} offers the query syntax")
        before = self.location()
        self.b.open(self.base + "/")
        self.settled(before, "home")
        self.b.js("""window.realFetch = window.fetch;
                     window.fetch = (...a) => new Promise(r => setTimeout(r, 800)).then(() => window.realFetch(...a));""")
        before = self.location()
        self.b.js("document.getElementById('q').value = arguments[0]; document.getElementById('search-form').requestSubmit();", query)
        seen = wait_for("'Searching…'", lambda: self.b.js("return document.getElementById('status').textContent;"), 5)
        check(seen == "Searching…", f"a slow search shows {seen!r}")
        live = self.b.attr(self.b.find("#status"), "aria-live")
        check(live == "polite", f"the status is aria-live={live!r}")
        self.settled(before, "a slow search")
        check(not self.b.js("return document.getElementById('status').textContent;"), "'Searching…' stays after the answer")
        busy = "the server is busy: 1024 requests are queued; try again in a moment"
        self.b.js("""const msg = arguments[0];
                     window.fetch = (url, ...rest) => String(url).startsWith('/api/search')
                       ? Promise.resolve(new Response(JSON.stringify({error: msg}),
                                                      {status: 503, headers: {'Content-Type': 'application/json'}}))
                       : window.realFetch(url, ...rest);""", busy)
        before = self.location()
        self.b.js("document.getElementById('q').value = arguments[0]; document.getElementById('search-form').requestSubmit();",
                  query + " busy")
        self.settled(before, "a search answered 503")
        st = self.state()
        check(busy in st["error"], f"a 503 shows {st['error']!r}, not the API's message")
        check(not self.b.find_all("#error .error-help"), "a 503 offers the query syntax")
        log(f"Searching… shown; 503: {st['error']}")
        self.b.js("window.fetch = window.realFetch;")
        self.console_errors("after the errors")

        step("a did-you-mean suggestion is offered and clickable")
        self.allowed_console.clear()
        misspelt = self.a.misspelt
        api = self.api(f"/api/search?q={urllib.parse.quote(misspelt)}&n=20")
        if api.get("suggestion"):
            self.search_box(misspelt)
            link = self.b.find("#suggestion a")
            want = api["suggestion"]["query"]
            check(self.b.text(link) == want, f"the suggestion reads {self.b.text(link)!r}, not {want!r}")
            before = self.location()
            self.b.click(link)
            self.settled(before, "following the suggestion")
            check(self.state()["q"] == want, "following the suggestion did not search it")
            self.shot("suggestion-1280x800.png")
        else:
            log(f"(the API offers no suggestion for {misspelt!r}; skipped)")
        self.console_errors("after the suggestion")

        stats = self.api("/api/stats")
        every = self.api("/api/search?q=*&n=0")["stories"]
        if stats.get("undated") and 0 < every <= 10000:
            step("undated hits: one line for the timeline; a date filter says why it finds nothing")
            lasts = self.api(f"/api/search?q=*&sort=date&n=2&offset={max(0, every - 2)}")["hits"]
            undated = [h["id"] for h in lasts if not h["published"]]
            check(undated, f"the last hits by date ({lasts}) are dated though the archive has undated ones")
            both = " OR ".join(f"id:{i}" for i in undated)
            before = self.location()
            self.b.open(self.base + "/?" + urllib.parse.urlencode({"q": both, "sort": "date"}))
            self.settled(before, f"searching {both}")
            shown = self.b.js(
                """const n = document.getElementById('timeline-note');
                   return [n ? n.textContent : '', document.getElementById('timeline-plot').hidden,
                           document.getElementById('timeline-box').getBoundingClientRect().height];""")
            check(("has no date" in shown[0] or "has a date" in shown[0]) and ("relevance" in shown[0] or len(undated) == 1),
                  f"an undated hit sorted by date says {shown[0]!r}, not that it has no date and is in relevance order")
            check(shown[1] and shown[2] < 60, f"an undated hit still gets a timeline box {shown[2]:.0f} px high")
            log(shown[0])
            q = f"id:{undated[0]}"
            before = self.location()
            self.b.open(self.base + "/?" + urllib.parse.urlencode({"q": f"{q} after:1900-01-01"}))
            self.settled(before, f"searching {q} with a date")
            st = self.state()
            check(st["total"] == 0, f"{q} after:1900-01-01 finds {st['total']}")
            note = self.b.js("const n = document.getElementById('dates-note'); return n ? n.textContent : '';")
            check("no date" in note and "date filters leave" in note, f"a date filter that leaves out an undated match says {note!r}")
            log(note)
        self.console_errors("at the end")

    def no_overflow(self, where):
        sw, iw = self.b.js("return [document.documentElement.scrollWidth, window.innerWidth];")
        check(sw <= iw, f"{where}: the page scrolls sideways (scrollWidth {sw} > innerWidth {iw})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--byline", help="the byline binary (with the serve command)")
    ap.add_argument("--index", help="index folder (built from --corpus when missing)")
    ap.add_argument("--corpus", help="the corpus folder to index when there is no index")
    ap.add_argument("--url", help="test the server already running at this URL instead of starting one")
    ap.add_argument("--screenshots", required=True, help="folder for the PNG screenshots")
    ap.add_argument("--query", default="dockers", help="the query the test searches (default: dockers)")
    ap.add_argument("--misspelt", default="Wierbza", help="a misspelt query with a did-you-mean (default: Wierbza)")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = ap.parse_args()

    for path in (args.chromium, args.chromedriver):
        if not os.access(path, os.X_OK):
            sys.exit(f"FAIL: {path} is missing: run tests/browser/install.sh")
    if not args.url:
        if not (args.byline and args.index and args.corpus):
            ap.error("--byline, --index and --corpus are required (or --url of a running server)")
        if not os.access(args.byline, os.X_OK):
            sys.exit(f"FAIL: {args.byline} is not an executable")
    os.makedirs(args.screenshots, exist_ok=True)
    # A CI timeout's SIGTERM still stops the server and the browser.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = tempfile.mkdtemp(prefix="byline-browser-")
    args.work = work
    procs = []
    browser = None
    try:
        if args.url:
            base = args.url.rstrip("/")
        elif not os.path.exists(os.path.join(args.index, "meta.json")):
            step(f"building the index {args.index} from {args.corpus}")
            r = subprocess.run([args.byline, "index", args.corpus, "--index", args.index],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            check(r.returncode == 0, f"byline index failed ({r.returncode}):\n{r.stdout[-2000:]}")

        server = server_log = None
        if not args.url:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server_log = os.path.join(work, "serve.log")
            with open(server_log, "w") as out:
                server = subprocess.Popen([args.byline, "serve", "--index", args.index, "--bind", f"127.0.0.1:{port}"],
                                          stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            procs.append(server)
        step(f"byline serve on {base}")
        wait_for("byline serve", lambda: json.loads(http("GET", base + "/api/health", timeout=2)[2]).get("ok"),
                 60, server, server_log)
        status, headers, _ = http("GET", base + "/")
        check(status == 200, f"GET / answered {status}")
        csp = headers.get("Content-Security-Policy", "")
        check("default-src 'none'" in csp and "script-src 'self'" in csp, f"GET / has no strict CSP: {csp!r}")

        dport = free_port()
        driver_log = os.path.join(work, "chromedriver.log")
        with open(driver_log, "w") as out:
            driver = subprocess.Popen([args.chromedriver, f"--port={dport}"],
                                      stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(driver)
        driver_url = f"http://127.0.0.1:{dport}"
        wait_for("chromedriver", lambda: json.loads(http("GET", driver_url + "/status", timeout=2)[2])["value"]["ready"],
                 30, driver, driver_log)
        profile = os.path.join(work, "profile")
        os.makedirs(profile)
        browser = Browser(driver_url, profile, args.chromium)
        version = browser.caps.get("browserVersion", "?")
        step(f"headless Chromium {version}")

        PageTest(args, browser, base).run()
        print("PASS: the search page works in Chromium; screenshots in " + args.screenshots, flush=True)
        return 0
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr, flush=True)
        if procs:
            try:
                with open(os.path.join(work, "serve.log"), errors="replace") as f:
                    tail = f.read()[-1500:]
                if tail.strip():
                    print(f"(byline serve's output, last lines)\n{tail}", file=sys.stderr)
            except OSError:
                pass
        return 1
    except Exception:  # noqa: BLE001 - a bug here or an answer of an unexpected shape
        import traceback

        print("FAIL: the test itself broke:\n" + traceback.format_exc(), file=sys.stderr, flush=True)
        return 1
    finally:
        if browser is not None:
            browser.quit()
        for p in reversed(procs):
            # Each was started in a session of its own: its group is it and
            # its children (chromedriver's Chromium), and nothing else.
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(p.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    p.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
