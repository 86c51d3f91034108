"""Checks `byline extract --plain` of the seed page against expected.json:
every person, organisation and place a careful reader finds, under its
canonical name and type, and no page debris as an entity."""
import json
import sys

got = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
text = open(sys.argv[3], encoding="utf-8").read().encode("utf-8")
found = {(e["type"], e["name"]) for e in got["entities"]}
kinds = {"people": "person", "organizations": "organization", "places": "place"}
failures = []
for key, kind in kinds.items():
    for name in want[key]:
        if (kind, name) not in found:
            failures.append(f"missing {kind} {name!r}")
names = {name for _, name in found}
for debris in ["ON NOW", "Follow us on", "Follow us on:"]:
    if debris in names:
        failures.append(f"debris {debris!r} taken for an entity")
for e in got["entities"]:
    for m in e["mentions"]:
        if not (0 <= m["start"] < m["end"] <= len(text)):
            failures.append(f"span out of range for {e['name']}: {m}")
if failures:
    sys.exit("seed entity check failed:\n  " + "\n  ".join(failures))
print(f"seed page: all {sum(len(want[k]) for k in kinds)} expected entities found under their canonical names")
