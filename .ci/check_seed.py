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
# The page carries no date: only its path may date it (see published_note);
# a file's modification time dates nothing unless `--mtime-dates` is asked.
if want["published"] is None:
    source = got.get("date_source")
    if source == "path":
        pass
    elif got.get("published") is not None or source is not None:
        failures.append(
            f"the page has no date of its own and is not in a dated folder: want it undated, "
            f"got published {got.get('published')!r} from {source!r}"
        )
if failures:
    sys.exit("seed check failed:\n  " + "\n  ".join(failures))
print("seed page: title, standfirst, byline match; no debris in body; date_source", got.get("date_source"))
