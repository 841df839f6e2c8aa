#!/usr/bin/env python3
"""Regenerates the invalid STIX bundles used by StixValidatorTest from ../valid-base.json.

Each case is one small mutation of the valid base bundle; index.json maps each file to the JSON pointers
StixValidator must report (exactly that set). Run from this directory: python3 generate.py
"""
import copy
import json

TLP2_AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
UNKNOWN_MARKING = "marking-definition--0d6a7c52-4d57-4b8b-9e2c-3f1b2a6e9d01"
UNKNOWN_IDENTITY = "identity--7c1f0a7e-2b1d-4c4e-8f3a-5d6e7f809102"

base = json.load(open("../valid-base.json"))
IND, MAL, REL, IP, OBS, SIG, CAMP, REP = 1, 2, 3, 4, 5, 6, 7, 8

cases = []


def case(name, pointers, mutate):
    b = copy.deepcopy(base)
    result = mutate(b)
    cases.append((name, pointers, result if result is not None else b))


def delete(obj, key):
    del obj[key]


case("missing-spec-version", ["/objects/1/spec_version"], lambda b: delete(b["objects"][IND], "spec_version"))
case("spec-version-2.0", ["/objects/2/spec_version"], lambda b: b["objects"][MAL].update(spec_version="2.0"))
case("wrong-id-prefix", ["/objects/7/id"],
     lambda b: b["objects"][CAMP].update(id="malware--" + b["objects"][CAMP]["id"].split("--")[1]))
case("malformed-uuid", ["/objects/7/id"],
     lambda b: b["objects"][CAMP].update(id="campaign--0c7b5b88-8ff7-4a4d-ca9d-feb398cd0061"))
case("id-without-uuid", ["/objects/7/id"], lambda b: b["objects"][CAMP].update(id="campaign--operation-omega"))
case("unresolved-created-by-ref", ["/objects/2/created_by_ref"],
     lambda b: b["objects"][MAL].update(created_by_ref=UNKNOWN_IDENTITY))
case("created-by-ref-not-an-identifier", ["/objects/2/created_by_ref"],
     lambda b: b["objects"][MAL].update(created_by_ref="identity-f690c992-8e7d-4b9a-9303-3312616c0220"))
case("unresolved-object-marking-ref", ["/objects/1/object_marking_refs/1"],
     lambda b: b["objects"][IND].update(object_marking_refs=[TLP2_AMBER, UNKNOWN_MARKING]))
case("object-marking-ref-not-a-marking", ["/objects/1/object_marking_refs/0"],
     lambda b: b["objects"][IND].update(object_marking_refs=[b["objects"][0]["id"]]))
case("unresolved-granular-marking-ref", ["/objects/7/granular_markings/0/marking_ref"],
     lambda b: b["objects"][CAMP]["granular_markings"][0].update(marking_ref=UNKNOWN_MARKING))
case("unresolved-sighting-of-ref", ["/objects/6/sighting_of_ref"],
     lambda b: b["objects"][SIG].update(sighting_of_ref="indicator--9e2b1c3d-4f5a-4b6c-8d7e-0f1a2b3c4d5e"))
case("unresolved-observed-data-object-ref", ["/objects/5/object_refs/0"],
     lambda b: b["objects"][OBS].update(object_refs=["ipv4-addr--ff4ffad7-0b88-41d4-ba4d-77d27490b956"]))
case("relationship-missing-target-ref", ["/objects/3/target_ref"], lambda b: delete(b["objects"][REL], "target_ref"))
case("indicator-missing-pattern", ["/objects/1/pattern"], lambda b: delete(b["objects"][IND], "pattern"))
case("invalid-pattern-type", ["/objects/1/pattern_type"], lambda b: b["objects"][IND].update(pattern_type=42))
case("stix-pattern-unbalanced", ["/objects/1/pattern"],
     lambda b: b["objects"][IND].update(pattern="[ipv4-addr:value = '203.0.113.7'"))
case("stix-pattern-not-bracketed", ["/objects/1/pattern"],
     lambda b: b["objects"][IND].update(pattern="ipv4-addr:value = '203.0.113.7'"))
case("modified-before-created", ["/objects/2/modified"],
     lambda b: b["objects"][MAL].update(modified="2016-05-08T14:31:08.999Z"))
case("valid-until-before-valid-from", ["/objects/1/valid_until"],
     lambda b: b["objects"][IND].update(valid_until="2024-01-14T00:00:00.000Z"))
case("last-seen-before-first-seen", ["/objects/2/last_seen"],
     lambda b: b["objects"][MAL].update(last_seen="2015-01-01T00:00:00.000Z"))
case("stop-time-not-after-start-time", ["/objects/3/stop_time"],
     lambda b: b["objects"][REL].update(stop_time=b["objects"][REL]["start_time"]))
case("bad-timestamp-format", ["/objects/1/valid_from"],
     lambda b: b["objects"][IND].update(valid_from="2024-01-15 10:00:00"))
case("created-without-milliseconds", ["/objects/2/created"],
     lambda b: b["objects"][MAL].update(created="2016-05-08T14:31:09Z"))
case("impossible-calendar-date", ["/objects/2/created", "/objects/2/modified"],
     lambda b: b["objects"][MAL].update(created="2023-02-30T00:00:00.000Z", modified="2023-02-30T00:00:00.000Z",
                                         first_seen="2023-01-01T00:00:00.000Z", last_seen="2023-01-02T00:00:00.000Z"))
case("labels-not-an-array", ["/objects/2/labels"], lambda b: b["objects"][MAL].update(labels="rat"))
case("confidence-out-of-range", ["/objects/1/confidence"], lambda b: b["objects"][IND].update(confidence=150))
case("sco-value-not-a-string", ["/objects/4/value"], lambda b: b["objects"][IP].update(value=3325256711))
case("object-not-an-object", ["/objects/7"], lambda b: b["objects"].__setitem__(CAMP, "campaign"))
case("object-without-type", ["/objects/7/type"], lambda b: delete(b["objects"][CAMP], "type"))
case("custom-object-without-id", ["/objects/10/id"], lambda b: b["objects"].append({
    "type": "x-acme-widget", "spec_version": "2.1",
    "created": "2024-01-15T10:00:00.000Z", "modified": "2024-01-15T10:00:00.000Z", "x_acme_size": 3}))
case("bundle-without-objects", ["/objects"], lambda b: delete(b, "objects"))
case("bundle-objects-empty", ["/objects"], lambda b: b.update(objects=[]))
case("wrong-bundle-id", ["/id"], lambda b: b.update(id="report--0e3f7a2c-6a1e-4c7e-9b5d-2c8f1e0a4b6d"))
case("wrong-bundle-type", ["/type"], lambda b: b.update(type="collection"))


def deep(b):
    node = b["objects"][CAMP]
    node["x_deep"] = {}
    cur = node["x_deep"]
    for _ in range(80):
        cur["a"] = {}
        cur = cur["a"]


# bundle depth 0, objects 1, campaign 2, x_deep 3: the first node deeper than 64 is x_deep followed by 62 "a"s
case("nesting-too-deep", ["/objects/7/x_deep" + "/a" * 62], deep)

index = {}
for name, pointers, bundle in cases:
    with open(name + ".json", "w") as f:
        json.dump(bundle, f, indent=2)
        f.write("\n")
    index[name + ".json"] = pointers
with open("index.json", "w") as f:
    json.dump(index, f, indent=2, sort_keys=True)
    f.write("\n")
print(len(cases), "cases")
