"""Timeline entries the application wrote before messages had codes get their code and
parameters, so that every reader reads them in their own language: re-screen flags and rebases
from their data, import entries from their text (English or Chinese, as whoever imported read
it). Their stored text is left as it was written."""

import re

from django.db import migrations

BATCH = 2000
IMPORTED = (
    re.compile(r"^Imported from (?P<name>.*), row (?P<row>\d+)$", re.S),
    re.compile(r"^导入自 (?P<name>.*) 第 (?P<row>\d+) 行$", re.S),
)
OUTCOMES = {
    "invalid",
    "licence_required",
    "indeterminate",
    "not_in_force",
    "near_threshold",
    "not_controlled",
}


def outcome(code):
    return {"code": f"outcome.{code}", "params": {}} if code in OUTCOMES else code


def coded(event):
    """(message_code, message_params) for an old entry, or None when it cannot be said."""
    data = event.data or {}
    if event.kind == "rescreened" and {"rule_set", "from", "to"} <= data.keys():
        return "case.rescreened", {
            "version": data["rule_set"],
            "new": outcome(data["to"]),
            "old": outcome(data["from"]),
        }
    if event.kind == "rebased" and {"rule_set", "from", "to", "from_rule_set"} <= data.keys():
        return "case.rebased", {
            "version": data["rule_set"],
            "outcome": outcome(data["to"]),
            "old": outcome(data["from"]),
            "old_version": data["from_rule_set"],
        }
    if event.kind == "created" and "upload" in data:
        for pattern in IMPORTED:
            match = pattern.match(event.message)
            if match:
                return "case.imported", {"name": match["name"], "row": int(match["row"])}
    return None


def forwards(apps, schema_editor):
    CaseEvent = apps.get_model("screening", "CaseEvent")
    todo = CaseEvent.objects.filter(
        kind__in=["rescreened", "rebased", "created"], message_code=""
    ).exclude(message="")
    changed = []
    for event in todo.only("pk", "kind", "message", "data").iterator(chunk_size=BATCH):
        found = coded(event)
        if found is None:
            continue
        event.message_code, event.message_params = found
        changed.append(event)
        if len(changed) >= BATCH:
            CaseEvent.objects.bulk_update(changed, ["message_code", "message_params"])
            changed = []
    if changed:
        CaseEvent.objects.bulk_update(changed, ["message_code", "message_params"])


class Migration(migrations.Migration):
    dependencies = [("screening", "0017_verbose_names_and_message_codes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
