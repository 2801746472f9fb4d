# The Teams message a hook receiver saved (tests/hook-receiver.py's
# req-N.json): its envelope, and its Adaptive Card against the schema it
# declares (tests/fixtures/adaptive-card-1.5.json; SOURCES.md there).
# Prints "invalid: ..." for each error, then "valid" or "invalid".
# Used by tests/integ/hooks-teams.sh and hooks-digest.sh.
import json, sys, jsonschema
r = json.load(open(sys.argv[1]))
env = json.loads(r["body"])
schema = json.load(open(sys.argv[2]))
assert env["type"] == "message", "not a message envelope"
a = env["attachments"][0]
assert a["contentType"] == "application/vnd.microsoft.card.adaptive"
assert a["contentUrl"] is None
card = a["content"]
assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"
jsonschema.Draft6Validator.check_schema(schema)
errs = list(jsonschema.Draft6Validator(schema).iter_errors(card))
for e in errs:
    print("invalid:", e.message)
print("valid" if not errs else "invalid")
