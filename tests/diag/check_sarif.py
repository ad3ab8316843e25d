# SPDX-License-Identifier: MIT
"""check_sarif.py - validates fnprop's SARIF against the SARIF 2.1.0 JSON
schema and checks what GitHub code scanning reads; checks the JSON format.

    check_sarif.py SCHEMA A.sarif B.sarif B.json

A and B are the same findings before and after an unrelated edit that moved
every line by two: partial fingerprints must not change.  Prints what is
wrong and exits 1, or exits 0 silently.
"""
import json
import sys

import jsonschema

problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def validate(schema, doc, name):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    v = cls(schema, format_checker=jsonschema.FormatChecker())
    for e in sorted(v.iter_errors(doc), key=lambda e: list(e.path)):
        problems.append("%s: schema: %s at %s" % (name, e.message, "/".join(map(str, e.path))))


def github_fields(doc, name):
    check(doc.get("version") == "2.1.0", name + ": version")
    check("$schema" in doc, name + ": $schema")
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    check(driver.get("name") == "fnprop", name + ": driver.name")
    check(driver.get("version"), name + ": driver.version")
    rules = driver.get("rules", [])
    ids = [r["id"] for r in rules]
    for r in rules:
        for k in ("shortDescription", "fullDescription", "help"):
            check(r.get(k, {}).get("text"), "%s: rule %s lacks %s.text" % (name, r["id"], k))
        check(r.get("defaultConfiguration", {}).get("level") in ("error", "warning", "note"),
              "%s: rule %s defaultConfiguration.level" % (name, r["id"]))
    for want in ("fnprop-notls-violation", "fnprop-nopanic-violation", "fnprop-notls-unproven",
                 "fnprop-nopanic-unproven", "fnprop-contract-pointer", "fnprop-task-pinned", "fnprop-task-unmigratable",
                 "fnprop-missing-annotation", "fnprop-parse-error"):
        check(want in ids, "%s: no rule %s" % (name, want))
    check(run.get("automationDetails", {}).get("id"), name + ": automationDetails.id")
    inv = run.get("invocations", [{}])[0]
    check(inv.get("executionSuccessful") is True, name + ": invocations[0].executionSuccessful")
    check(inv.get("workingDirectory", {}).get("uri", "").startswith("file:///"),
          name + ": invocations[0].workingDirectory")
    results = run.get("results", [])
    check(len(results) > 5, name + ": only %d results" % len(results))
    flows = 0
    for r in results:
        check(ids[r["ruleIndex"]] == r["ruleId"], name + ": ruleIndex does not match ruleId")
        check(r.get("level") in ("error", "warning", "note"), name + ": level")
        check(r.get("message", {}).get("text"), name + ": message.text")
        pl = r["locations"][0]["physicalLocation"]
        check(pl["artifactLocation"].get("uriBaseId") == "%SRCROOT%", name + ": uriBaseId")
        check(not pl["artifactLocation"]["uri"].startswith("/"), name + ": uri is not relative")
        check(pl["region"]["startLine"] >= 1 and pl["region"]["startColumn"] >= 1, name + ": region")
        check(r.get("partialFingerprints", {}).get("primaryLocationLineHash"), name + ": fingerprint")
        for cf in r.get("codeFlows", []):
            for tf in cf["threadFlows"]:
                for loc in tf["locations"]:
                    flows += 1
                    check(loc["location"]["message"]["text"], name + ": thread flow step without message")
                    check(loc["location"]["physicalLocation"]["region"]["startLine"] >= 1,
                          name + ": thread flow step without a line")
    check(flows > len(results), name + ": witness paths are missing from codeFlows")
    return results


def main():
    schema_path, a_path, b_path, json_path = sys.argv[1:5]
    schema = load(schema_path)
    a, b = load(a_path), load(b_path)
    validate(schema, a, "A")
    validate(schema, b, "B")
    ra, rb = github_fields(a, "A"), github_fields(b, "B")
    key = lambda r: (r["ruleId"], r["message"]["text"])
    fa = {key(r): r for r in ra}
    fb = {key(r): r for r in rb}
    check(fa.keys() == fb.keys(), "the unrelated edit changed the findings")
    for k in fa.keys() & fb.keys():
        la = fa[k]["locations"][0]["physicalLocation"]["region"]["startLine"]
        lb = fb[k]["locations"][0]["physicalLocation"]["region"]["startLine"]
        check(lb == la + 2, "%s: line %d then %d, want +2" % (k, la, lb))
        check(fa[k]["partialFingerprints"] == fb[k]["partialFingerprints"],
              "%s: fingerprint changed with an unrelated edit" % (k,))
    fps = [r["partialFingerprints"]["primaryLocationLineHash"] for r in ra]
    check(len(set(fps)) == len(fps), "duplicate fingerprints in A")

    js = load(json_path)
    check(isinstance(js, list) and len(js) == len(rb), "JSON: %d diagnostics, SARIF %d" % (len(js), len(rb)))
    for d in js:
        for k, t in (("check", str), ("severity", str), ("message", str), ("file", str), ("line", int),
                     ("column", int), ("notes", list), ("replacements", list)):
            check(isinstance(d.get(k), t), "JSON: %r lacks %s" % (d.get("message"), k))
        for n in d["notes"]:
            check(isinstance(n.get("message"), str) and isinstance(n.get("line"), int), "JSON: note fields")
    for p in problems:
        print(p)
    return 1 if problems else 0


sys.exit(main())
