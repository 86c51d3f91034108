"""Compares `byline extract` of the seed page with ../shared/seed/expected.json."""
import json
import sys

got = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
failures = []
for key in ("title", "standfirst", "byline"):
    if got.get(key) != want[key]:
        failures.append(f"{key}: got {got.get(key)!r}, want {want[key]!r}")
paragraphs = got["body"].split("\n\n")
for line in want["boilerplate_lines_not_in_body"]:
    if line in paragraphs or any(p.strip() == line for p in got["body"].splitlines()):
        failures.append(f"debris line {line!r} is in the body")
if want["published"] is None and got.get("date_source") not in ("path", "file-mtime"):
    failures.append(f"the page has no date of its own, got date_source {got.get('date_source')!r}")
if failures:
    sys.exit("seed check failed:\n  " + "\n  ".join(failures))
print("seed page: title, standfirst, byline match; no debris in body; date_source", got["date_source"])
