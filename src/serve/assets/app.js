// byline search page. Vanilla JS, no build step; served by `byline serve`.
//
// The whole view lives in the URL: /?q=QUERY&sort=SORT&offset=N&article=ID.
// Article text is only ever put in the page as text nodes (textContent),
// never as HTML.
'use strict';

(() => {
  const PAGE = 20;
  const MAX_OFFSET = 10000; // the API's bound on offset
  const CSV_MAX = 10000; // hits in one CSV download
  const CHIPS = 4; // names shown on a hit before "+N"
  const SORTS = ['relevance', 'date', 'oldest', 'recent'];
  // API kind key -> query prefix and heading.
  const KINDS = [
    { key: 'people', prefix: 'person', label: 'People' },
    { key: 'organizations', prefix: 'org', label: 'Organisations' },
    { key: 'places', prefix: 'place', label: 'Places' },
  ];
  const BY_ORDER = ['day', 'week', 'month', 'year'];
  const DATE_TERM = /^-?(after|before|on|since|until|date):/i;

  const $ = (id) => document.getElementById(id);
  const qInput = $('q');
  const form = $('search-form');
  const sortSel = $('sort');
  const errorBox = $('error');
  const home = $('home');
  const resultsView = $('results-view');
  const articleBox = $('article');
  const hitsList = $('hits');
  const totalBox = $('total');
  const notesBox = $('notes');
  const sidebar = $('sidebar');
  const csvLink = $('csv');
  const pager = $('pager');
  const timelineBox = $('timeline');
  const axisBox = $('timeline-axis');
  const rangeBox = $('timeline-range');
  const clearDates = $('clear-dates');
  const syntaxToggle = $('syntax-toggle');
  const syntaxPanel = $('syntax');
  const statusBox = $('status');
  const toNames = $('to-names');
  const timelineSection = $('timeline-box');
  const timelinePlot = $('timeline-plot');
  const csvLimit = $('csv-limit');

  const numberFmt = new Intl.NumberFormat();
  const dayFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
  const dayTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  const monthFmt = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const longMonthFmt = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const yearFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', timeZone: 'UTC' });
  let langNames = null;
  try {
    langNames = new Intl.DisplayNames([navigator.language || 'en'], { type: 'language' });
  } catch (_) {
    langNames = null;
  }

  let current = readState(); // the state being shown
  let seq = 0; // bumped by each render; late answers of older ones are dropped
  let shownResultsKey = ''; // q/sort/offset whose results the results view holds
  let focusHitId = ''; // the hit to focus when the results are shown again
  let lastArticle = ''; // the article the article view showed last

  // ---------------------------------------------------------------- helpers

  // el('a', {class: 'x', href: '/'}, 'text', childNode, ...): children are
  // strings (text nodes) or nodes; never parsed as HTML.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
        else if (v === true) e.setAttribute(k, '');
        else e.setAttribute(k, String(v));
      }
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  const fmt = (n) => numberFmt.format(n);
  const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : many}`;

  function parseDay(s) {
    // "2025-11-03" or a full RFC 3339 timestamp -> Date (UTC)
    if (!s) return null;
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
    return Number.isNaN(d.getTime()) ? null : d;
  }

  function formatDay(s) {
    const d = parseDay(s);
    return d ? dayFmt.format(d) : '';
  }

  function formatWhen(s) {
    // The day, and the time when the article has one (not midnight UTC).
    const d = parseDay(s);
    if (!d) return '';
    const midnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0;
    return midnight ? dayFmt.format(d) : `${dayTimeFmt.format(d)} UTC`;
  }

  function langName(code) {
    if (!code) return '';
    try {
      const name = langNames && langNames.of(code);
      return name && name !== code ? name : code;
    } catch (_) {
      return code;
    }
  }

  function dateSourceNote(src) {
    switch (src) {
      case null:
      case undefined:
      case 'metadata':
        return '';
      case 'text':
        return 'date from text';
      case 'path':
        return 'date from path';
      case 'file-mtime':
        return 'date from file time';
      default:
        return `date from ${src}`;
    }
  }

  function safeUrl(u) {
    // Only http(s) links are made clickable.
    if (!u) return null;
    try {
      const url = new URL(u);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
    } catch (_) {
      return null;
    }
  }

  function plainClick(ev) {
    return ev.button === 0 && !ev.metaKey && !ev.ctrlKey && !ev.shiftKey && !ev.altKey;
  }

  // A snippet "text with **matched** words" as nodes, matches in <mark>.
  function markedSnippet(text) {
    const frag = document.createDocumentFragment();
    const parts = String(text || '').split('**');
    if (parts.length % 2 === 0) {
      // An unpaired "**": keep it as text.
      const last = parts.pop();
      parts[parts.length - 1] += `**${last}`;
    }
    parts.forEach((part, i) => {
      if (!part) return;
      frag.append(i % 2 === 1 ? el('mark', null, part) : document.createTextNode(part));
    });
    return frag;
  }

  // ------------------------------------------------------------ query terms

  // Splits a query into its terms, keeping quoted phrases (and field:"x y")
  // whole.
  function terms(q) {
    return String(q || '').match(/-?[\p{L}\p{N}_]+:"[^"]*"?|-?"[^"]*"?|\S+/gu) || [];
  }

  function quoteName(name) {
    const clean = String(name).replace(/"/g, '').trim();
    return /^[\p{L}\p{N}]+$/u.test(clean) ? clean : `"${clean}"`;
  }

  function filterTerm(prefix, name, negated) {
    return `${negated ? '-' : ''}${prefix}:${quoteName(name)}`;
  }

  // "person:X" / -person:"X Y" -> {neg, prefix, name} (null for other terms)
  function parseFilter(term) {
    const m = /^(-?)([a-z]+):"?([^"]*)"?$/i.exec(term);
    if (!m) return null;
    return { neg: m[1] === '-', prefix: m[2].toLowerCase(), name: m[3] };
  }

  function sameFilter(term, prefix, name) {
    const f = parseFilter(term);
    return f && f.prefix === prefix && f.name.toLowerCase() === String(name).toLowerCase() ? f : null;
  }

  // Whether q has the filter: 'in', 'out' (negated) or ''.
  function filterState(q, prefix, name) {
    for (const t of terms(q)) {
      const f = sameFilter(t, prefix, name);
      if (f) return f.neg ? 'out' : 'in';
    }
    return '';
  }

  // Adds (or, when it is there already, removes) a filter; the opposite
  // filter on the same name goes.
  function toggleFilter(q, prefix, name, negated) {
    const had = filterState(q, prefix, name);
    const kept = terms(q).filter((t) => !sameFilter(t, prefix, name));
    if (had !== (negated ? 'out' : 'in')) kept.push(filterTerm(prefix, name, negated));
    const out = kept.join(' ');
    // A query left with only exclusions still lists articles (see README).
    return out;
  }

  function withoutDates(q) {
    return terms(q).filter((t) => !DATE_TERM.test(t)).join(' ');
  }

  function withDates(q, start, end) {
    const rest = withoutDates(q);
    return `${rest ? `${rest} ` : ''}after:${start} before:${end}`;
  }

  function hasDates(q) {
    return terms(q).some((t) => DATE_TERM.test(t));
  }

  // Replaces the person:/entity: filter naming `name` by `replacement`.
  function replaceFilter(q, name, replacement) {
    let done = false;
    const out = terms(q).map((t) => {
      const f = parseFilter(t);
      if (!done && f && !f.neg && f.name.toLowerCase() === name.toLowerCase()) {
        done = true;
        return replacement;
      }
      return t;
    });
    if (!done) out.push(replacement);
    return out.join(' ');
  }

  // Plain words of the query, to highlight in the article text.
  function highlightWords(q) {
    const words = [];
    for (let t of terms(q)) {
      if (t.startsWith('-') || /^(OR|AND|NOT)$/.test(t)) continue;
      const field = /^([a-z]+):(.*)$/i.exec(t);
      if (field) {
        if (!/^(title|standfirst|body|byline)$/i.test(field[1])) continue;
        t = field[2];
      }
      for (let w of t.replace(/["()]/g, ' ').split(/\s+/)) {
        w = w.replace(/~\d*$/, '').replace(/\*$/, '');
        w = fold(w);
        if (!w) continue;
        if (/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+$/u.test(w)) {
          words.push({ cjk: true, w });
          continue;
        }
        if ([...w].length < 3) continue;
        // A rough stem, so that "strikes" also marks "strike".
        const stem = w.replace(/(ing|ed|es|s)$/i, '');
        words.push({ cjk: false, w: [...stem].length >= 3 ? stem : w });
      }
    }
    if (!words.length) return null;
    const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const alts = words.map(({ cjk, w }) => (cjk ? esc(w) : `(?<![\\p{L}\\p{N}])${esc(w)}[\\p{L}\\p{N}]*`));
    try {
      return new RegExp(`(${alts.join('|')})`, 'giu');
    } catch (_) {
      return null;
    }
  }

  // Accents folded as the index folds them (grève -> greve).
  function foldChar(c) {
    return c < '\u00c0' ? c : c.normalize('NFD').replace(/\p{M}/gu, '');
  }

  function fold(text) {
    return [...String(text)].map(foldChar).join('');
  }

  // Text as nodes, the words `re` finds (in the folded text) in <mark>.
  function highlighted(text, re) {
    const str = String(text);
    if (!re) return document.createTextNode(str);
    const cps = [...str];
    const at = []; // UTF-16 index in the folded text -> code point index
    let folded = '';
    cps.forEach((c, i) => {
      const f = foldChar(c);
      for (let k = 0; k < f.length; k += 1) at.push(i);
      folded += f;
    });
    const frag = document.createDocumentFragment();
    let last = 0;
    re.lastIndex = 0;
    for (const m of folded.matchAll(re)) {
      if (!m[0]) continue;
      const a = at[m.index];
      let b = at[m.index + m[0].length - 1] + 1;
      while (b < cps.length && /\p{M}/u.test(cps[b])) b += 1;
      if (a < last) continue;
      if (a > last) frag.append(document.createTextNode(cps.slice(last, a).join('')));
      frag.append(el('mark', null, cps.slice(a, b).join('')));
      last = b;
    }
    if (last < cps.length) frag.append(document.createTextNode(cps.slice(last).join('')));
    return frag;
  }

  // ------------------------------------------------------------------ state

  function readState() {
    const p = new URLSearchParams(window.location.search);
    const sort = p.get('sort');
    const offset = parseInt(p.get('offset') || '0', 10);
    return {
      q: (p.get('q') || '').trim(),
      sort: SORTS.includes(sort) ? sort : 'relevance',
      offset: Number.isFinite(offset) && offset > 0 ? Math.min(MAX_OFFSET, offset - (offset % PAGE)) : 0,
      article: p.get('article') || '',
    };
  }

  function urlFor(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    if (s.sort && s.sort !== 'relevance') p.set('sort', s.sort);
    if (s.offset) p.set('offset', String(s.offset));
    if (s.article) p.set('article', s.article);
    const qs = p.toString();
    return `/${qs ? `?${qs}` : ''}`;
  }

  // Moves to a new state: a history entry, then the view.
  function go(s, { replace = false, fromResults = false } = {}) {
    // Remember where the reader was on the page being left.
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
    const entry = { fromResults };
    if (replace) history.replaceState(entry, '', urlFor(s));
    else history.pushState(entry, '', urlFor(s));
    render({ scrollTop: true });
  }

  function search(q, extra = {}) {
    go({ q: q.trim(), sort: current.sort, offset: 0, article: '', ...extra });
  }

  // Opens an article; `hitId` is the hit it is opened from, focused again
  // when the reader comes back.
  function openArticle(id, hitId) {
    if (!current.article) history.replaceState({ ...(history.state || {}), openedHit: hitId || id }, '');
    go({ ...current, article: id }, { fromResults: !current.article });
  }

  // -------------------------------------------------------------------- API

  class ApiError extends Error {}
  const cache = new Map(); // path -> {at, body}
  const CACHE_MS = 5 * 60 * 1000;

  async function api(path) {
    const hit = cache.get(path);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.body;
    let resp;
    try {
      resp = await fetch(path, { headers: { Accept: 'application/json' } });
    } catch (_) {
      throw new ApiError('The server did not answer. Is byline serve still running?');
    }
    let body = null;
    try {
      body = await resp.json();
    } catch (_) {
      body = null;
    }
    if (!resp.ok) {
      const msg = body && typeof body.error === 'string' ? body.error : `The server answered ${resp.status} ${resp.statusText}.`;
      throw new ApiError(msg);
    }
    if (body === null) throw new ApiError('The server’s answer was not JSON.');
    cache.set(path, { at: Date.now(), body });
    if (cache.size > 60) cache.delete(cache.keys().next().value);
    return body;
  }

  const enc = encodeURIComponent;

  // The API's message; the lines after its first (a query with a caret
  // under the column at fault) in monospace, as they were written.
  function showError(msg) {
    const [first, ...rest] = String(msg).split('\n');
    errorBox.replaceChildren(el('strong', null, 'Error: '), first);
    if (rest.length) errorBox.append('\n', el('pre', { class: 'error-detail' }, rest.join('\n')));
    errorBox.hidden = false;
  }

  function clearError() {
    errorBox.hidden = true;
    errorBox.replaceChildren();
  }

  function setBusy(on) {
    document.body.classList.toggle('busy', on);
    document.body.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  function showOnly(view) {
    home.hidden = view !== 'home';
    resultsView.hidden = view !== 'results';
    articleBox.hidden = view !== 'article';
  }

  // ----------------------------------------------------------------- render

  async function render({ scrollTop = false, scrollY = null } = {}) {
    current = readState();
    const s = current;
    // An offset off the pages (not a multiple of 20, or past the API's
    // bound) is put on one, in the URL too.
    const rawOffset = new URLSearchParams(window.location.search).get('offset');
    if (rawOffset !== null && (s.offset === 0 || rawOffset !== String(s.offset))) {
      history.replaceState(history.state, '', urlFor(s));
    }
    delete document.body.dataset.rendered;
    if (document.activeElement !== qInput || qInput.value.trim() !== s.q) qInput.value = s.q;
    sortSel.value = s.sort;
    clearError();
    const token = ++seq;
    // Back from an article: the hit it was opened from gets the focus.
    const refocus = !s.article && s.q && lastArticle
      ? (history.state && history.state.openedHit) || lastArticle : '';
    lastArticle = s.article;
    // "Searching…" when the answer takes more than a moment.
    const label = s.article ? 'Loading the article…' : s.q ? 'Searching…' : 'Loading…';
    const slow = setTimeout(() => {
      if (token === seq) statusBox.textContent = label;
    }, 150);
    try {
      if (s.article) await renderArticle(s, token);
      else if (!s.q) await renderHome(token);
      else await renderResults(s, token);
    } finally {
      clearTimeout(slow);
      if (token === seq) statusBox.textContent = '';
    }
    if (token !== seq) return;
    setBusy(false);
    if (scrollY !== null) window.scrollTo(0, scrollY);
    else if (scrollTop) window.scrollTo(0, 0);
    if (refocus && !resultsView.hidden) focusHit(refocus);
    // For tests and scripts: the URL whose view is now fully shown.
    document.body.dataset.rendered = window.location.pathname + window.location.search;
  }

  // ------------------------------------------------------ archive examples

  // Example queries made of the archive's own names and dates, so that each
  // finds something: {person, org, place, phrase, s1, s2, prefix, misspelt,
  // mid, langs, documents, undated}; names missing from the archive are null.
  function archiveExamples(st, top) {
    const names = (key) => (top && Array.isArray(top[key]) ? top[key].map((e) => e.name).filter(Boolean) : []);
    const people = names('people');
    const orgs = names('organizations');
    const places = names('places');
    const surnames = [];
    for (const n of people) {
      const words = n.trim().split(/\s+/);
      const last = words[words.length - 1];
      if (/^\p{L}{3,}$/u.test(last) && !surnames.includes(last)) surnames.push(last);
    }
    const multi = (n) => /^\p{L}+( \p{L}+)+$/u.test(n);
    const phrase = [...orgs.slice(1), ...people, ...places, ...orgs.slice(0, 1)].find(multi) || null;
    let misspelt = null;
    let misspeltOf = null;
    for (const w of surnames) {
      // Two inner letters swapped: one edit away.
      const c = [...w];
      if (c.length < 5) continue;
      for (let i = c.length - 3; i >= 1 && !misspelt; i -= 1) {
        if (c[i].toLowerCase() !== c[i + 1].toLowerCase()) {
          [c[i], c[i + 1]] = [c[i + 1], c[i]];
          misspelt = c.join('');
          misspeltOf = w;
        }
      }
      if (misspelt) break;
    }
    const long = surnames.find((w) => [...w].length >= 6);
    let mid = null;
    const a = st && parseDay(st.earliest);
    const b = st && parseDay(st.latest);
    if (a && b) {
      const d = new Date((a.getTime() + b.getTime()) / 2);
      if (b - a > 90 * 86400000) d.setUTCDate(1);
      mid = d.toISOString().slice(0, 10);
    }
    const langs = st && Array.isArray(st.languages)
      ? st.languages.map((p) => (Array.isArray(p) ? p[0] : p && p.name)).filter(Boolean) : [];
    return {
      person: people[0] || null,
      org: orgs[0] || null,
      place: places[0] || null,
      phrase,
      s1: surnames[0] || null,
      s2: surnames[1] || null,
      prefix: long ? `${[...long].slice(0, 5).join('')}*` : null,
      misspelt,
      misspeltOf,
      mid,
      langs,
      documents: st ? st.documents : 0,
      undated: st ? st.undated || 0 : 0,
    };
  }

  // [query, note, sort] for the home page's "Try" list.
  function homeExamples(ex) {
    const list = [];
    if (ex.person) list.push([filterTerm('person', ex.person), 'the most named person']);
    if (ex.org) list.push([filterTerm('org', ex.org), 'the most named organisation']);
    if (ex.place) list.push([filterTerm('place', ex.place), 'the most named place']);
    if (ex.s1 && ex.s2) list.push([`${ex.s1} OR ${ex.s2}`, 'either name']);
    if (ex.phrase) list.push([`"${ex.phrase}"`, ex.mid ? 'a phrase, oldest first' : 'a phrase', ex.mid ? 'oldest' : null]);
    if (ex.mid) list.push([`after:${ex.mid}`, 'the later half of the archive, newest first', 'date']);
    if (ex.misspelt) list.push([`${ex.misspelt}~`, `a misspelling of ${ex.misspeltOf}, and its near spellings`]);
    if (!list.length) list.push(['*', 'every article']);
    return list;
  }

  function renderExamples(ex) {
    const box = $('examples');
    box.replaceChildren(...homeExamples(ex).map(([q, note, sort]) => {
      const a = el('a', { class: 'example-query', href: urlFor({ q, sort }) }, q);
      a.addEventListener('click', (ev) => {
        if (!plainClick(ev)) return;
        ev.preventDefault();
        go({ q, sort: sort || 'relevance', offset: 0, article: '' });
      });
      return el('li', null, a, note ? el('span', { class: 'muted' }, ` ${note}`) : null);
    }));
    $('examples-head').hidden = false;
  }

  // The syntax panel: generic explanations; examples of the archive's own
  // names (clickable) where it has them, else generic text (not clickable).
  function renderSyntax(ex) {
    const e = ex || {};
    const ex1 = (q) => el('button', { type: 'button', class: 'example', 'data-insert': q }, q);
    const gen = (q) => el('code', null, q);
    const pick = (real, generic) => (real ? real.map(ex1) : generic.map(gen));
    const both = (x, y) => (x && y ? [x, y] : null);
    const bothTerm = (list) => (list.every(Boolean) ? list : null);
    let dateNote = '';
    if (e.documents && e.undated === e.documents) dateNote = ' — none of this archive’s articles has a date';
    else if (e.undated) dateNote = ` — they leave out the ${fmt(e.undated)} undated articles`;
    const rows = [
      [pick(e.s1 && e.s2 ? [`${e.s1} ${e.s2}`] : null, ['word another']),
        ['both words (stemmed: ', el('i', null, 'strikes'), ' finds ', el('i', null, 'strike'), ' too)']],
      [pick(e.phrase ? [`"${e.phrase}"`] : null, ['"a phrase"']), ['the exact phrase']],
      [pick(e.s1 && e.s2 ? [`${e.s1} OR ${e.s2}`] : null, ['word OR another']), ['either word']],
      [pick(e.s2 || e.s1 ? [`-${e.s2 || e.s1}`] : null, ['-word']),
        ['without the word (or filter: ', el('code', null, '-person:Name'), ')']],
      [pick(e.prefix ? [e.prefix] : null, ['negotiat*']), ['words beginning so']],
      [pick(e.misspelt ? [`${e.misspelt}~`] : null, ['word~']),
        ['near spellings, one edit away (', el('code', null, '~2'), ': two)']],
      [pick(e.person ? [filterTerm('person', e.person)] : null, ['person:"Full Name"']), ['names a person']],
      [pick(bothTerm([e.org && filterTerm('org', e.org), e.place && filterTerm('place', e.place)]), ['org:Name', 'place:Name']),
        ['an organisation, a place (', el('code', null, 'entity:'), ' any kind)']],
      [pick(e.mid ? [`after:${e.mid}`, `before:${e.mid}`] : null, ['after:2025-01-01', 'before:2026-01-01']),
        ['on or after, before (also ', el('code', null, 'on:'), ', ', el('code', null, 'since:'), ', ',
          el('code', null, 'until:'), ', ', el('code', null, 'date:2025-11'), ')', dateNote]],
      [pick(e.langs && e.langs.length > 1 ? [`lang:${e.langs[1]}`, `-lang:${e.langs[0]}`] : null, ['lang:fr', '-lang:en']),
        ['language (ISO code or English name)']],
      [pick(e.s1 ? [`title:${e.s1}`] : null, ['title:word']),
        ['in the headline (also ', el('code', null, 'standfirst:'), ' ', el('code', null, 'body:'), ' ',
          el('code', null, 'byline:'), ')']],
      [[ex1('*')], ['every article']],
    ];
    $('syntax-list').replaceChildren(...rows.map(([dt, dd]) => el('div', null,
      el('dt', null, dt.flatMap((x, i) => (i ? [' ', x] : [x]))), el('dd', null, dd))));
    const combo = e.s1 && e.place ? `${e.s1} ${filterTerm('place', e.place)}${e.mid ? ` after:${e.mid}` : ''}` : 'word place:Name after:2025-01-01';
    $('syntax-hint').replaceChildren(
      ex && (e.s1 || e.person) ? 'Click an example to add it to your query; they name this archive’s people and places. '
        : 'Click an example to add it to your query. ',
      'Terms combine: ', el('code', null, combo));
    syntaxPanel.dataset.examples = ex ? 'archive' : 'generic';
  }

  let examplesLoaded = false;
  async function loadSyntaxExamples() {
    if (examplesLoaded) return;
    try {
      const [st, top] = await Promise.all([api('/api/stats'), api('/api/entities?q=&n=6')]);
      examplesLoaded = true;
      renderSyntax(archiveExamples(st, top));
    } catch (_) {
      renderSyntax(null);
    }
  }

  // ------------------------------------------------------------------- home

  async function renderHome(token) {
    showOnly('home');
    document.title = 'byline';
    const stats = $('stats');
    let st;
    let top = null;
    try {
      [st, top] = await Promise.all([api('/api/stats'), api('/api/entities?q=&n=6').catch(() => null)]);
    } catch (e) {
      if (token === seq) {
        stats.textContent = '';
        showError(e.message);
      }
      return;
    }
    if (token !== seq) return;
    const parts = [`${plural(st.documents, 'article', 'articles')}`];
    if (st.earliest && st.latest) parts.push(`from ${formatDay(st.earliest)} to ${formatDay(st.latest)}`);
    let line = parts.join(' ');
    if (st.undated && st.undated === st.documents) line += st.documents === 1 ? ', undated' : ', none of them dated';
    else if (st.undated) line += ` (${fmt(st.undated)} undated)`;
    const langs = Array.isArray(st.languages) ? st.languages : [];
    if (langs.length > 1) line += `, in ${langs.length} languages`;
    stats.textContent = `${line}.`;
    const ex = archiveExamples(st, top);
    renderExamples(ex);
    if (top) {
      examplesLoaded = true;
      renderSyntax(ex);
    }
    const langBox = $('stats-langs');
    langBox.replaceChildren();
    if (langs.length > 1) {
      for (const pair of langs) {
        const [code, n] = Array.isArray(pair) ? pair : [pair.name, pair.articles];
        const a = el('a', { class: 'chip', href: urlFor({ q: `lang:${code}` }), title: `Articles in ${langName(code)}` },
          langName(code), el('span', { class: 'count' }, fmt(n)));
        a.addEventListener('click', (ev) => {
          if (!plainClick(ev)) return;
          ev.preventDefault();
          search(`lang:${code}`);
        });
        langBox.append(a);
      }
    }
    const names = $('top-names');
    names.replaceChildren();
    if (top) {
      for (const kind of KINDS) {
        const list = top[kind.key] || [];
        if (!list.length) continue;
        names.append(el('section', { class: 'top-kind' },
          el('h2', { class: 'small-head' }, `Most named: ${kind.label.toLowerCase()}`),
          el('div', { class: 'chips' }, list.map((e) => {
            const term = filterTerm(kind.prefix, e.name);
            const a = el('a', { class: `entity chip kind-${kind.prefix}`, href: urlFor({ q: term }), 'data-kind': kind.prefix, 'data-name': e.name, title: `Search ${term}` },
              e.name, el('span', { class: 'count' }, fmt(e.articles)));
            a.addEventListener('click', (ev) => {
              if (!plainClick(ev)) return;
              ev.preventDefault();
              search(term);
            });
            return a;
          }))));
      }
    }
  }

  // ---------------------------------------------------------------- results

  function lastOffset(stories) {
    return Math.min(MAX_OFFSET, Math.max(0, Math.floor((stories - 1) / PAGE) * PAGE));
  }

  function csvName(q) {
    const slug = fold(q).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '')
      .slice(0, 60).replace(/-+$/, '');
    return `byline-${slug || 'hits'}.csv`;
  }

  function setCsvLink(s, r) {
    csvLink.href = `/api/search?q=${enc(s.q)}&sort=${enc(s.sort)}&format=csv&n=${CSV_MAX}`;
    csvLink.setAttribute('download', csvName(s.q));
    csvLimit.textContent = r && r.stories > CSV_MAX
      ? `the first ${fmt(CSV_MAX)} of ${fmt(r.stories)} hits` : `up to ${fmt(CSV_MAX)} hits`;
    csvLink.title = `The hits as CSV, up to ${fmt(CSV_MAX)} of them, in this order`;
  }

  function clearResults() {
    totalBox.textContent = '';
    delete totalBox.dataset.total;
    delete totalBox.dataset.stories;
    notesBox.replaceChildren();
    hitsList.replaceChildren();
    pager.hidden = true;
    toNames.hidden = true;
    sidebar.replaceChildren();
  }

  // What to say when a query with dates finds nothing and undated articles
  // may be why: {st, rest, restTl} (restTl: the timeline of the query
  // without its dates).
  async function datesNote(s) {
    try {
      const st = await api('/api/stats');
      if (!st.undated) return { st, rest: withoutDates(s.q), restTl: null };
      const rest = withoutDates(s.q);
      const restTl = rest && rest !== '*' ? await api(`/api/timeline?q=${enc(rest)}`) : null;
      return { st, rest, restTl };
    } catch (_) {
      return null;
    }
  }

  async function renderResults(s, token) {
    showOnly('results');
    document.title = `${s.q} — byline`;
    setCsvLink(s, null);
    const key = `${s.q}\u0000${s.sort}\u0000${s.offset}`;
    if (key === shownResultsKey) return; // coming back from an article
    setBusy(true);
    const q = enc(s.q);
    const searchPath = (offset) => `/api/search?q=${q}&n=${PAGE}&offset=${offset}&sort=${enc(s.sort)}`;
    const settled = await Promise.allSettled([
      api(searchPath(s.offset)),
      api(`/api/entities?q=${q}&n=10`),
      fetchTimeline(s.q),
    ]);
    let res = settled[0];
    const [, ents, tl] = settled;
    if (token !== seq) return;
    // An offset past the last hit shows the last page.
    if (res.status === 'fulfilled' && !(res.value.hits || []).length && res.value.stories > 0 && s.offset > 0) {
      s = { ...s, offset: lastOffset(res.value.stories) };
      current = s;
      history.replaceState(history.state, '', urlFor(s));
      [res] = await Promise.allSettled([api(searchPath(s.offset))]);
      if (token !== seq) return;
    }
    let dates = null;
    if (res.status === 'fulfilled' && !res.value.total && hasDates(s.q)) {
      dates = await datesNote(s);
      if (token !== seq) return;
    }
    setBusy(false);
    if (res.status === 'rejected') {
      shownResultsKey = '';
      const msg = res.reason.message;
      showError(msg);
      if (syntaxPanel.hidden && /^invalid query/.test(msg)) {
        const help = el('button', { type: 'button', class: 'linkish error-help' }, 'Show the query syntax');
        help.addEventListener('click', () => {
          setSyntax(true);
          qInput.focus();
        });
        errorBox.append(' ', help);
      }
      resultsView.hidden = true;
      clearResults();
      renderTimeline(null, s, null);
      return;
    }
    const r = res.value;
    const t = tl.status === 'fulfilled' ? tl.value : null;
    renderTotal(r);
    renderNotes(r, s, dates);
    renderHits(r, s);
    renderPager(r, s);
    toNames.hidden = !r.total;
    setCsvLink(s, r);
    if (ents.status === 'fulfilled') renderSidebar(ents.value, s);
    else {
      sidebar.replaceChildren();
      showError(ents.reason.message);
    }
    renderTimeline(t, s, r);
    if (tl.status === 'rejected' && errorBox.hidden) showError(tl.reason.message);
    shownResultsKey = `${s.q}\u0000${s.sort}\u0000${s.offset}`;
  }

  function renderTotal(r) {
    totalBox.dataset.total = String(r.total);
    totalBox.dataset.stories = String(r.stories);
    if (!r.total) {
      totalBox.textContent = 'No matching articles.';
      return;
    }
    let text = plural(r.total, 'article', 'articles');
    if (r.stories !== r.total) text += `, ${plural(r.stories, 'story', 'stories')}`;
    totalBox.replaceChildren(el('strong', null, text));
  }

  function noteLink(q, label) {
    const a = el('a', { href: urlFor({ q, sort: current.sort }), class: 'query-link' }, label || q);
    a.addEventListener('click', (ev) => {
      if (!plainClick(ev)) return;
      ev.preventDefault();
      search(q);
    });
    return a;
  }

  function renderNotes(r, s, dates) {
    const notes = [];
    const sug = r.suggestion;
    if (sug && sug.query) {
      notes.push(el('p', { class: 'note suggestion', id: 'suggestion' },
        'Did you mean ', noteLink(sug.query), '? ',
        el('span', { class: 'muted' }, `(${plural(sug.total, 'article', 'articles')})`)));
    }
    if (dates) {
      // Nothing in these dates: say when undated articles are why.
      const { st, rest, restTl } = dates;
      const without = rest ? [' ', noteLink(rest, 'Search without the dates')] : [];
      if (restTl && restTl.undated) {
        const n = restTl.undated + (restTl.dated || 0);
        const noun = restTl.counts === 'articles' ? ['article', 'articles'] : ['story', 'stories'];
        const head = restTl.dated
          ? `${fmt(restTl.undated)} of the ${plural(n, `${noun[0]} matching`, `${noun[1]} matching`)} “${rest}” ${restTl.undated === 1 ? 'has' : 'have'} no date`
          : `${n === 1 ? `The ${noun[0]}` : `All ${fmt(n)} ${noun[1]}`} matching “${rest}” ${n === 1 ? 'has' : 'have'} no date`;
        notes.push(el('p', { class: 'note', id: 'dates-note' }, `${head}, and date filters leave ${restTl.undated === 1 ? 'it' : 'them'} out.`, ...without));
      } else if (st && st.undated && !restTl) {
        const head = st.undated === st.documents
          ? `None of the archive’s ${plural(st.documents, 'article', 'articles')} has a date`
          : `${fmt(st.undated)} of the archive’s ${plural(st.documents, 'article', 'articles')} ${st.undated === 1 ? 'has' : 'have'} no date`;
        notes.push(el('p', { class: 'note', id: 'dates-note' }, `${head}, and date filters leave ${st.undated === 1 ? 'it' : 'them'} out.`, ...without));
      } else if (rest && (!restTl || restTl.dated)) {
        notes.push(el('p', { class: 'note', id: 'dates-note' }, 'Nothing matches in these dates.', ...without));
      }
    }
    for (const so of r.surname_only || []) {
      const last = String(so.surname || '').split(' ').pop();
      const filter = `person:${quoteName(last)}`;
      notes.push(el('p', { class: 'note' },
        `${plural(so.articles, 'more article names', 'more articles name')} only “${so.surname}”; `,
        `of those naming a ${so.surname} in full, ${Math.round(100 * so.share)}% name ${so.name}. `,
        noteLink(replaceFilter(s.q, so.name, filter), filter), ` includes ${so.articles === 1 ? 'it' : 'them'}.`));
    }
    for (const en of r.earlier_names || []) {
      notes.push(el('p', { class: 'note' },
        `${plural(en.articles, 'more article', 'more articles')} from before ${formatDay(en.until)} ${en.articles === 1 ? 'names' : 'name'} `,
        `${en.current} “${en.earlier}”, as it was then named. `,
        noteLink(replaceFilter(s.q, en.name, en.filter), en.filter),
        en.finds_both ? ` finds ${en.articles === 1 ? 'it' : 'them'} and those naming ${en.current}.` : ` finds ${en.articles === 1 ? 'it' : 'them'}.`));
    }
    for (const ex of r.expansions || []) {
      if (Array.isArray(ex.words) && ex.matched > ex.words.length) {
        notes.push(el('p', { class: 'note muted' },
          `${ex.pattern} matches ${fmt(ex.matched)} words; the ${fmt(ex.words.length)} most frequent were searched.`));
      }
    }
    notesBox.replaceChildren(...notes);
  }

  function entityChip(prefix, ent) {
    const name = ent.name;
    const state = filterState(current.q, prefix, name);
    const b = el('button', {
      type: 'button',
      class: `entity chip kind-${prefix}${state === 'in' ? ' active' : ''}`,
      'data-kind': prefix,
      'data-name': name,
      'aria-pressed': state === 'in' ? 'true' : 'false',
      title: state === 'in' ? `Remove ${filterTerm(prefix, name)} from the query` : `Add ${filterTerm(prefix, name)} to the query`,
    }, name);
    b.addEventListener('click', () => search(toggleFilter(current.q, prefix, name, false)));
    return b;
  }

  // A row of controls that is one Tab stop: the arrow keys, Home and End
  // move between them (a roving tabindex).
  function roving(bar) {
    const items = () => [...bar.querySelectorAll('button')];
    const first = items()[0];
    for (const b of items()) b.tabIndex = b === first ? 0 : -1;
    bar.addEventListener('focusin', (ev) => {
      if (!(ev.target instanceof HTMLButtonElement)) return;
      for (const b of items()) b.tabIndex = b === ev.target ? 0 : -1;
    });
    bar.addEventListener('keydown', (ev) => {
      const list = items();
      const i = list.indexOf(document.activeElement);
      if (i < 0) return;
      let j = -1;
      if (ev.key === 'ArrowRight') j = Math.min(list.length - 1, i + 1);
      else if (ev.key === 'ArrowLeft') j = Math.max(0, i - 1);
      else if (ev.key === 'Home') j = 0;
      else if (ev.key === 'End') j = list.length - 1;
      if (j < 0) return;
      ev.preventDefault();
      list[j].focus();
    });
    return bar;
  }

  // The hit's main names: at most CHIPS (what it is about first, taking
  // each kind in turn), the rest behind "+N"; one Tab stop in all.
  function hitChips(h) {
    const lists = KINDS.map((kind) => (h[kind.key] || []).slice()
      .sort((a, b) => (b.salient - a.salient) || (b.mentions - a.mentions)));
    const all = lists.reduce((n, l) => n + l.length, 0);
    if (!all) return null;
    const shown = new Set();
    for (let i = 0; shown.size < Math.min(CHIPS, all); i += 1) {
      for (const l of lists) if (l[i] && shown.size < CHIPS) shown.add(l[i]);
    }
    const chipsOf = (keep) => KINDS.flatMap((kind, k) => lists[k].filter(keep).map((ent) => entityChip(kind.prefix, ent)));
    const bar = el('div', { class: 'chips', role: 'toolbar', 'aria-label': 'Names in this story: add one to the query' },
      chipsOf((e) => shown.has(e)));
    const rest = all - shown.size;
    if (rest > 0) {
      const more = el('button', {
        type: 'button',
        class: 'chip more',
        'aria-expanded': 'false',
        'aria-label': `Show ${plural(rest, 'more name', 'more names')}`,
        title: `Show ${plural(rest, 'more name', 'more names')}`,
      }, `+${fmt(rest)}`);
      more.addEventListener('click', () => {
        const chips = chipsOf(() => true);
        bar.replaceChildren(...chips);
        const firstNew = chips.find((c) => ![...shown].some((e) => e.name === c.dataset.name));
        for (const c of chips) c.tabIndex = c === firstNew ? 0 : -1;
        if (firstNew) firstNew.focus();
      });
      bar.append(more);
    }
    return roving(bar);
  }

  function renderHits(r, s) {
    const items = (r.hits || []).map((h, i) => renderHit(h, s.offset + i + 1));
    hitsList.start = s.offset + 1;
    hitsList.replaceChildren(...items);
    if (!items.length && r.total > 0) {
      hitsList.append(el('li', { class: 'empty' }, 'No more hits on this page. ', noteLink(s.q, 'Back to the first page')));
    }
  }

  function renderHit(h, rank) {
    const href = urlFor({ ...current, article: h.id });
    const title = el('a', { class: 'hit-title', href }, h.title || '(untitled)');
    title.addEventListener('click', (ev) => {
      if (!plainClick(ev)) return;
      ev.preventDefault();
      openArticle(h.id, h.id);
    });

    const meta = el('p', { class: 'hit-meta' });
    const addMeta = (node) => {
      if (meta.childNodes.length) meta.append(el('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '));
      meta.append(node);
    };
    if (h.published) {
      addMeta(el('time', { class: 'hit-date', datetime: h.published }, formatDay(h.published)));
      const src = dateSourceNote(h.date_source);
      if (src) meta.lastChild.after(el('span', { class: 'date-source' }, ` (${src})`));
    } else {
      addMeta(el('span', { class: 'hit-date undated' }, 'undated'));
    }
    if (h.byline) addMeta(el('span', { class: 'hit-byline' }, h.byline));
    const url = safeUrl(h.url);
    if (url) addMeta(el('span', { class: 'hit-host' }, url.hostname.replace(/^www\./, '')));

    const li = el('li', { class: 'hit', 'data-id': h.id, 'data-published': h.published || '', 'data-rank': rank },
      el('h3', { class: 'hit-head' }, title), meta);
    if (h.snippet) {
      // An excerpt cut mid-sentence says so.
      const text = h.snippet.trim();
      const cutEnd = /[\p{L}\p{N},;:]\**$/u.test(text);
      const cutStart = /^\**\p{Ll}/u.test(text);
      li.append(el('p', { class: 'snippet' }, cutStart ? '… ' : null, markedSnippet(text), cutEnd ? ' …' : null));
    }

    const chips = hitChips(h);
    if (chips) li.append(chips);

    const copies = h.copies || [];
    if (copies.length) {
      const list = el('ul', { class: 'copy-list' }, copies.map((c) => {
        const a = el('a', { href: urlFor({ ...current, article: c.id }) }, c.title || c.path);
        a.addEventListener('click', (ev) => {
          if (!plainClick(ev)) return;
          ev.preventDefault();
          openArticle(c.id, h.id);
        });
        return el('li', null,
          c.published ? el('time', { datetime: c.published }, formatDay(c.published)) : el('span', { class: 'muted' }, 'undated'),
          ' ', a, el('span', { class: 'copy-path muted' }, ` ${c.path}`));
      }));
      li.append(el('details', { class: 'copies' },
        el('summary', null, `${plural(copies.length, 'other copy', 'other copies')} of this story`), list));
    }
    return li;
  }

  function renderPager(r, s) {
    const from = s.offset + 1;
    const to = s.offset + (r.hits || []).length;
    const hasPrev = s.offset > 0;
    const hasNext = to < r.stories && s.offset + PAGE <= MAX_OFFSET;
    pager.hidden = !hasPrev && !hasNext;
    $('prev').disabled = !hasPrev;
    $('next').disabled = !hasNext;
    let info = to >= from ? `${fmt(from)}–${fmt(to)} of ${plural(r.stories, 'story', 'stories')}` : '';
    if (to >= from && !hasNext && to < r.stories) info += ` (pages stop at ${fmt(MAX_OFFSET + PAGE)}; the CSV has ${fmt(CSV_MAX)})`;
    $('page-info').textContent = info;
  }

  // Puts the keyboard focus back on the hit an article was opened from
  // (scrolled into view when it is not).
  function focusHit(id) {
    const li = [...hitsList.querySelectorAll('.hit')].find((h) => h.dataset.id === id);
    const link = li && li.querySelector('.hit-title');
    if (!link) return;
    link.focus({ preventScroll: true });
    const r = li.getBoundingClientRect();
    const top = document.querySelector('.top');
    const header = top && getComputedStyle(top).position === 'sticky' ? top.getBoundingClientRect().bottom : 0;
    if (r.top < header || r.top > window.innerHeight - 60) li.scrollIntoView({ block: 'center' });
  }

  // ---------------------------------------------------------------- sidebar

  function facetRow(kindClass, prefix, name, value, count, max, label) {
    const state = filterState(current.q, prefix, value);
    const pct = max && count ? Math.max(4, Math.round((100 * count) / max)) : 0;
    const bar = el('span', { class: 'facet-bar', 'aria-hidden': 'true' });
    bar.style.width = `${pct}%`;
    const include = el('button', {
      type: 'button',
      class: `${kindClass}${state === 'in' ? ' active' : ''}`,
      'data-kind': prefix,
      'data-name': value,
      'aria-pressed': state === 'in' ? 'true' : 'false',
      title: state === 'in' ? `Remove ${filterTerm(prefix, value)}` : `Only stories with ${filterTerm(prefix, value)}`,
    }, bar, el('span', { class: 'facet-name' }, label || name), el('span', { class: 'count' }, fmt(count)));
    include.addEventListener('click', () => search(toggleFilter(current.q, prefix, value, false)));
    const exclude = el('button', {
      type: 'button',
      class: `${kindClass}-exclude exclude${state === 'out' ? ' active' : ''}`,
      'data-kind': prefix,
      'data-name': value,
      'aria-pressed': state === 'out' ? 'true' : 'false',
      'aria-label': `Exclude ${label || name}`,
      title: state === 'out' ? `Remove ${filterTerm(prefix, value, true)}` : `Leave out stories with ${filterTerm(prefix, value)}`,
    }, '−');
    exclude.addEventListener('click', () => search(toggleFilter(current.q, prefix, value, true)));
    return el('li', { class: `facet-row${state === 'out' ? ' excluded' : ''}` }, include, exclude);
  }

  function renderSidebar(ents, s) {
    const sections = [];
    const counted = ents.counts === 'articles' ? 'articles' : 'stories';
    for (const kind of KINDS) {
      const list = ents[kind.key] || [];
      const distinct = ents.distinct ? ents.distinct[kind.key] : 0;
      // Excluded names are not among the hits; keep them listed so the
      // exclusion can be undone from here.
      const excluded = terms(s.q).map(parseFilter)
        .filter((f) => f && f.neg && f.prefix === kind.prefix && !list.some((e) => e.name.toLowerCase() === f.name.toLowerCase()));
      if (!list.length && !excluded.length) continue;
      const max = list.reduce((m, e) => Math.max(m, e.articles), 0);
      const rows = list.map((e) => facetRow('entity', kind.prefix, e.name, e.name, e.articles, max));
      for (const f of excluded) rows.push(facetRow('entity', kind.prefix, f.name, f.name, 0, max));
      sections.push(el('section', { class: 'facet', 'data-facet': kind.key },
        el('h2', { class: 'small-head' }, kind.label,
          distinct > list.length ? el('span', { class: 'muted' }, ` top ${list.length} of ${fmt(distinct)}`) : null),
        el('ul', { class: 'facet-list' }, rows)));
    }
    const langs = ents.languages || [];
    const langFilters = terms(s.q).map(parseFilter).filter((f) => f && f.prefix === 'lang');
    if (langs.length > 1 || langFilters.length) {
      const max = langs.reduce((m, e) => Math.max(m, e.articles), 0);
      const rows = langs.map((l) => facetRow('lang', 'lang', l.name, l.name, l.articles, max, langName(l.name)));
      for (const f of langFilters) {
        if (f.neg && !langs.some((l) => l.name.toLowerCase() === f.name.toLowerCase())) {
          rows.push(facetRow('lang', 'lang', f.name, f.name, 0, max, langName(f.name)));
        }
      }
      sections.push(el('section', { class: 'facet', 'data-facet': 'languages' },
        el('h2', { class: 'small-head' }, 'Languages'),
        el('ul', { class: 'facet-list' }, rows)));
    }
    if (!sections.length) {
      sections.push(el('p', { class: 'muted' }, 'No names in these stories.'));
    } else {
      sections.unshift(el('p', { class: 'facet-hint muted' },
        `Counts are matching ${counted}. Click a name to narrow, − to leave it out.`));
    }
    sidebar.replaceChildren(...sections);
  }

  // --------------------------------------------------------------- timeline

  // As many bars as fit the timeline at their least width (CSS: 10px and a
  // 1px gap on a phone, 9px and 2px wider).
  function maxBars() {
    const w = document.documentElement.clientWidth || window.innerWidth || 1024;
    if (w <= 600) return Math.max(8, Math.floor((w - 24 - 28) / 11));
    const col = w < 860 ? w - 32 - 28 : Math.min(w, 1240) - 32 - 332 - 28;
    return Math.max(8, Math.floor(col / 11));
  }

  async function fetchTimeline(q) {
    let t = await api(`/api/timeline?q=${enc(q)}`);
    const max = maxBars();
    let i = BY_ORDER.indexOf(t.by);
    while (t.buckets && t.buckets.length > max && i >= 0 && i < BY_ORDER.length - 1) {
      i += 1;
      t = await api(`/api/timeline?q=${enc(q)}&by=${BY_ORDER[i]}`);
    }
    return t;
  }

  function addPeriod(day, by) {
    const d = parseDay(day);
    if (by === 'day') d.setUTCDate(d.getUTCDate() + 1);
    else if (by === 'week') d.setUTCDate(d.getUTCDate() + 7);
    else if (by === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
    else d.setUTCFullYear(d.getUTCFullYear() + 1);
    return d.toISOString().slice(0, 10);
  }

  function bucketLabel(start, by, long) {
    const d = parseDay(start);
    if (!d) return start;
    if (by === 'year') return yearFmt.format(d);
    if (by === 'month') return (long ? longMonthFmt : monthFmt).format(d);
    if (by === 'week') return `${long ? 'week of ' : ''}${dayFmt.format(d)}`;
    return dayFmt.format(d);
  }

  function renderTimeline(t, s, r) {
    clearDates.hidden = !hasDates(s.q);
    const buckets = t && Array.isArray(t.buckets) ? t.buckets : [];
    timelineSection.classList.remove('undated');
    timelineSection.hidden = !r || !r.total;
    const note = $('timeline-note');
    if (note) note.remove();
    timelinePlot.hidden = false;
    timelinePlot.style.maxWidth = '';
    if (!buckets.length) {
      timelineBox.replaceChildren();
      axisBox.replaceChildren();
      rangeBox.textContent = '';
      if (t && r && r.total) {
        // No dated hit: one line instead of an empty chart.
        timelineSection.classList.add('undated');
        timelinePlot.hidden = true;
        let text = r.total === 1
          ? 'This article has no date: date filters and date sorts have nothing to work on.'
          : `None of these ${fmt(r.total)} articles has a date: date filters and date sorts have nothing to work on.`;
        if (s.sort !== 'relevance' && r.total > 1) text += ' They are in order of relevance.';
        timelineSection.append(el('p', { class: 'muted timeline-note', id: 'timeline-note' }, text));
      }
      return;
    }
    const by = t.by || 'month';
    const noun = t.counts === 'articles' ? ['article', 'articles'] : ['story', 'stories'];
    const max = buckets.reduce((m, b) => Math.max(m, b.count), 0);
    // A peak only when one bar is highest.
    const peaks = buckets.filter((b) => b.count === max);
    const peak = peaks.length === 1 && buckets.length > 1 ? peaks[0] : null;
    const bars = buckets.map((b, i) => {
      const end = i + 1 < buckets.length ? buckets[i + 1].start : addPeriod(b.start, by);
      const label = `${bucketLabel(b.start, by, true)}: ${plural(b.count, noun[0], noun[1])}`;
      const fill = el('span', { class: 'fill' });
      fill.style.height = b.count ? `${Math.max(4, Math.round((100 * b.count) / max))}%` : '0';
      const bar = el('button', {
        type: 'button',
        class: `bar${b === peak ? ' peak' : ''}${b.count ? '' : ' zero'}`,
        'data-start': b.start,
        'data-end': end,
        'data-count': b.count,
        title: label,
        'aria-label': `${label}. Narrow to this period.`,
      }, fill);
      bar.addEventListener('click', () => search(withDates(current.q, b.start, end)));
      return bar;
    });
    timelineBox.replaceChildren(...bars);
    // Bars are at most 56px wide (and a 2px gap): a few sit in the middle,
    // spread over enough width for the axis under them, which runs from
    // the first bar to the last.
    timelinePlot.style.maxWidth = `${Math.max(buckets.length * 58, buckets.length === 1 ? 120 : 240)}px`;
    const first = buckets[0].start;
    const last = buckets[buckets.length - 1].start;
    axisBox.classList.toggle('single', buckets.length === 1);
    axisBox.replaceChildren(el('span', null, bucketLabel(first, by)),
      buckets.length > 1 ? el('span', null, bucketLabel(last, by)) : null);
    let range = `by ${by}`;
    if (t.dated !== undefined) range += ` · ${plural(t.dated, `dated ${noun[0]}`, `dated ${noun[1]}`)}`;
    if (t.undated) range += `, ${fmt(t.undated)} undated`;
    if (peak) range += ` · peak ${bucketLabel(peak.start, by)}`;
    rangeBox.textContent = range;
  }

  // ---------------------------------------------------------------- article

  function backToResults(ev) {
    if (ev && !plainClick(ev)) return;
    if (ev) ev.preventDefault();
    if (history.state && history.state.fromResults) history.back();
    else go({ ...current, article: '' });
  }

  async function renderArticle(s, token) {
    showOnly('article');
    const back = el('a', {
      class: 'back',
      id: 'back',
      href: urlFor({ ...s, article: '' }),
      title: s.q ? 'Back to the results (Esc)' : 'To the search page (Esc)',
      'aria-keyshortcuts': 'Escape',
    }, s.q ? '← Back to results' : '← Search');
    back.addEventListener('click', backToResults);
    const nav = el('nav', { class: 'article-nav' }, back);
    articleBox.replaceChildren(nav);
    let a;
    try {
      a = await api(`/api/articles/${enc(s.article)}`);
    } catch (e) {
      if (token !== seq) return;
      articleBox.replaceChildren(nav);
      showError(e.message);
      document.title = 'byline';
      return;
    }
    if (token !== seq) return;
    document.title = `${a.title || 'Article'} — byline`;
    const re = highlightWords(s.q);

    const meta = el('p', { class: 'article-meta' });
    const addMeta = (...nodes) => {
      if (meta.childNodes.length) meta.append(el('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '));
      meta.append(...nodes.filter((n) => n));
    };
    if (a.published) {
      const src = dateSourceNote(a.date_source);
      addMeta(el('time', { datetime: a.published }, formatWhen(a.published)), src ? el('span', { class: 'date-source' }, ` (${src})`) : null);
    } else addMeta(el('span', null, 'undated'));
    if (a.byline) addMeta(el('span', { class: 'article-byline' }, a.byline));
    if (a.language) addMeta(el('span', { class: 'article-lang', lang: a.language }, langName(a.language)));

    const head = el('header', { class: 'article-head' },
      el('h1', { id: 'article-title', tabindex: '-1', lang: a.language || null }, a.title || '(untitled)'), meta);
    const url = safeUrl(a.url);
    if (url) {
      head.append(el('p', { class: 'article-source' },
        el('a', { href: url.href, rel: 'noopener noreferrer', target: '_blank', class: 'source-link' }, `Source: ${url.hostname.replace(/^www\./, '')} ↗`)));
    } else if (a.url) {
      head.append(el('p', { class: 'article-source muted' }, a.url));
    }

    const text = el('div', { class: 'article-text', lang: a.language || null });
    if (a.standfirst) text.append(el('p', { class: 'standfirst' }, highlighted(a.standfirst, re)));
    const body = el('div', { class: 'article-body' });
    for (const para of String(a.body || '').split(/\n\s*\n/)) {
      const clean = para.replace(/\s*\n\s*/g, ' ').trim();
      if (clean) body.append(el('p', null, highlighted(clean, re)));
    }
    text.append(body);

    const groups = [];
    for (const kind of KINDS) {
      const list = (a[kind.key] || []).slice().sort((x, y) => (y.mentions - x.mentions) || x.name.localeCompare(y.name));
      if (!list.length) continue;
      groups.push(el('section', { class: 'entity-group', 'data-facet': kind.key },
        el('h2', { class: 'small-head' }, kind.label),
        el('ul', { class: 'entity-list' }, list.map((e) => {
          // A name adds its filter to the query the article was found by.
          const term = filterTerm(kind.prefix, e.name);
          const inQuery = filterState(s.q, kind.prefix, e.name) === 'in';
          const q = inQuery ? s.q : toggleFilter(s.q, kind.prefix, e.name, false);
          const b = el('a', {
            class: `entity kind-${kind.prefix}${e.salient ? ' salient' : ''}${inQuery ? ' active' : ''}`,
            href: urlFor({ q, sort: s.sort }),
            'data-kind': kind.prefix,
            'data-name': e.name,
            title: inQuery ? `Back to the results of ${q}` : s.q ? `Add ${term} to the query: ${q}` : `Search ${term}`,
          }, el('span', { class: 'facet-name' }, e.name), el('span', { class: 'count', title: 'mentions' }, `×${fmt(e.mentions)}`));
          b.addEventListener('click', (ev) => {
            if (!plainClick(ev)) return;
            ev.preventDefault();
            search(q);
          });
          return el('li', null, b);
        }))));
    }
    const aside = el('aside', { class: 'article-entities', 'aria-label': 'Names in this article' },
      groups.length ? groups : el('p', { class: 'muted' }, 'No names found in this article.'));

    const link = `${window.location.origin}${urlFor({ q: s.q, sort: s.sort, article: a.id })}`;
    const linkCode = el('code', { id: 'article-link' }, link);
    const copied = el('span', { class: 'copy-status', role: 'status' });
    const copy = el('button', { type: 'button', class: 'copy-link', id: 'copy-link' }, 'Copy link');
    copy.addEventListener('click', () => copyLink(link, linkCode, copied));
    const foot = el('dl', { class: 'article-ids' },
      el('dt', null, 'id'), el('dd', null, el('code', { class: 'article-id' }, a.id)),
      el('dt', null, 'path'), el('dd', null, el('code', { class: 'article-path' }, a.path)),
      a.format ? [el('dt', null, 'format'), el('dd', null, String(a.format))] : null,
      el('dt', null, 'link'), el('dd', { class: 'article-link-row' }, linkCode, ' ', copy, ' ', copied));

    articleBox.replaceChildren(nav, el('div', { class: 'article-grid' }, el('div', { class: 'article-main' }, head, text, foot), aside));
    const h1 = $('article-title');
    if (h1) h1.focus({ preventScroll: true });
  }

  // Copies the article's link; where the clipboard is not allowed (a page
  // served over plain http from another host), selects it to copy by hand.
  async function copyLink(link, code, status) {
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      status.textContent = 'Copied.';
    } catch (_) {
      const sel = window.getSelection();
      sel.removeAllRanges();
      const range = document.createRange();
      range.selectNodeContents(code);
      sel.addRange(range);
      status.textContent = /Mac|iPhone|iPad/.test(navigator.platform || '') ? 'Selected: press ⌘C to copy.' : 'Selected: press Ctrl+C to copy.';
    }
  }

  // ----------------------------------------------------------------- events

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = qInput.value.trim();
    if (!q) {
      go({ q: '', sort: sortSel.value, offset: 0, article: '' });
      return;
    }
    // The same query again: search anew (the index may have changed).
    if (q === current.q && !current.article) {
      cache.clear();
      shownResultsKey = '';
    }
    go({ q, sort: sortSel.value, offset: 0, article: '' });
  });

  sortSel.addEventListener('change', () => {
    if (current.q) go({ ...current, sort: sortSel.value, offset: 0, article: '' });
  });

  $('prev').addEventListener('click', () => go({ ...current, offset: Math.max(0, current.offset - PAGE) }));
  $('next').addEventListener('click', () => go({ ...current, offset: current.offset + PAGE }));
  clearDates.addEventListener('click', () => search(withoutDates(current.q)));

  $('brand').addEventListener('click', (ev) => {
    if (!plainClick(ev)) return;
    ev.preventDefault();
    go({ q: '', sort: 'relevance', offset: 0, article: '' });
  });

  function setSyntax(open) {
    syntaxPanel.hidden = !open;
    syntaxToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  syntaxToggle.addEventListener('click', () => {
    setSyntax(syntaxPanel.hidden);
    if (!syntaxPanel.hidden) loadSyntaxExamples();
  });
  syntaxPanel.addEventListener('click', (ev) => {
    const b = ev.target instanceof Element ? ev.target.closest('button.example') : null;
    if (!b) return;
    const add = b.dataset.insert || b.textContent;
    const cur = qInput.value.trim();
    qInput.value = cur ? `${cur} ${add}` : add;
    qInput.focus();
    const end = qInput.value.length;
    qInput.setSelectionRange(end, end);
  });

  // The CSV is fetched and saved under a name made of the query
  // (byline-dockers-strike.csv): the server's Content-Disposition names
  // every download byline-hits.csv, and a browser lets that name win over
  // the link's download attribute. Anything but a plain click (open in a
  // tab, save the link) gets the server's answer as it is.
  csvLink.addEventListener('click', async (ev) => {
    if (!plainClick(ev) || !window.URL || !URL.createObjectURL) return;
    ev.preventDefault();
    const href = csvLink.href;
    const name = csvLink.getAttribute('download') || 'byline-hits.csv';
    statusBox.textContent = 'Preparing the CSV…';
    try {
      const resp = await fetch(href, { headers: { Accept: 'text/csv' } });
      if (!resp.ok) {
        let msg = `The server answered ${resp.status} ${resp.statusText}.`;
        try {
          const body = await resp.json();
          if (body && typeof body.error === 'string') msg = body.error;
        } catch (_) {
          // not JSON: keep the status
        }
        showError(msg);
        return;
      }
      const url = URL.createObjectURL(await resp.blob());
      const a = el('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (_) {
      window.location.href = href;
    } finally {
      statusBox.textContent = '';
    }
  });

  // On a phone the names are below the hits: a link jumps to them.
  toNames.addEventListener('click', (ev) => {
    if (!plainClick(ev)) return;
    ev.preventDefault();
    sidebar.scrollIntoView({ block: 'start' });
    sidebar.focus({ preventScroll: true });
  });

  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !syntaxPanel.hidden) {
      setSyntax(false);
      syntaxToggle.focus();
      return;
    }
    if (ev.key === 'Escape' && !articleBox.hidden && !ev.defaultPrevented) {
      const t = ev.target;
      const typing = t instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
      if (!typing) {
        ev.preventDefault();
        backToResults();
      }
      return;
    }
    if (ev.key === '/' && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      const t = ev.target;
      const typing = t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (!typing) {
        ev.preventDefault();
        qInput.focus();
        qInput.select();
      }
    }
  });

  window.addEventListener('popstate', (ev) => {
    const y = ev.state && typeof ev.state.scrollY === 'number' ? ev.state.scrollY : 0;
    render({ scrollY: y });
  });

  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  history.replaceState({ ...(history.state || {}) }, '');
  render();
})();
