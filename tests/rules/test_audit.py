"""The audit trail: append-only in the application and in the database, and tamper-evident."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from rules import audit
from rules.models import AuditEvent


def _drop_triggers():
    """What an attacker with database access would do first (undone by the test's rollback)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER rules_auditevent_no_update")
            cursor.execute("DROP TRIGGER rules_auditevent_no_delete")
        else:
            # Django's foreign keys are deferred; settle them so the table can be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE rules_auditevent DISABLE TRIGGER USER")


def test_workflow_writes_a_verifiable_chain(case_in, capsys):
    case_in("closed")
    count, broken = audit.verify()
    assert broken is None
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-7:] == [
        "product.spec",
        "product.screen",
        "case.create",
        "case.submit",
        "case.start_review",
        "case.approve",
        "case.close",
    ]
    assert {
        "case.create",
        "case.submit",
        "case.start_review",
        "case.approve",
        "case.close",
        "product.screen",
        "product.spec",
        "rules.load_shipped",
    } <= set(actions)
    call_command("verify_audit")
    assert capsys.readouterr().out.strip() == f"Audit trail intact: {count} events verified."


def test_events_record_actor_object_before_after_and_utc_time(case_in, reviewer):
    case = case_in("in_review")
    event = AuditEvent.objects.get(action="case.start_review", object_id=str(case.pk))
    assert (event.actor, event.actor_name, event.object_type) == (
        reviewer,
        reviewer.username,
        "screening.case",
    )
    assert (event.before["state"], event.after["state"]) == ("submitted", "in_review")
    assert event.at.utcoffset().total_seconds() == 0


def test_the_application_cannot_change_or_delete_events(case_in):
    case_in("draft")
    event = AuditEvent.objects.last()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        event.delete()
    event.reason = "rewritten"
    with pytest.raises(PermissionError):
        event.save()


def test_the_database_refuses_updates_and_deletes(case_in):
    case_in("draft")
    event = AuditEvent.objects.last()
    for statement in (
        "UPDATE rules_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM rules_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == event.reason


def test_a_tampered_row_is_found_by_verify_audit(case_in, capsys):
    case_in("approved")
    target = AuditEvent.objects.get(action="case.approve")
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE rules_auditevent SET reason = 'nothing to see' WHERE id = %s", [target.pk]
        )
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_audit")
    assert exit_.value.code == 1
    assert capsys.readouterr().err.strip() == (
        f"Audit trail broken at event #{target.seq}: its content does not match its hash."
    )


def test_a_removed_row_is_found_by_verify_audit(case_in):
    case_in("submitted")
    target = AuditEvent.objects.get(action="case.create")
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM rules_auditevent WHERE id = %s", [target.pk])
    _, broken = audit.verify()
    assert (broken.seq, broken.problem) == (target.seq, f"event #{target.seq} is missing")


def test_removing_the_newest_rows_is_found_too(case_in):
    case_in("submitted")
    last = AuditEvent.objects.order_by("seq").last()
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM rules_auditevent WHERE id = %s", [last.pk])
    _, broken = audit.verify()
    assert (broken.seq, broken.problem) == (last.seq, "events after this one were removed")


@pytest.mark.django_db
def test_an_object_id_longer_than_its_column_is_refused_on_every_database():
    # SQLite stores an over-long value; PostgreSQL refuses it, and with it the audited change
    # (a re-check of 10,000 orders audited as one comma-joined id list did).
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="at most 64 characters"):
        audit.record(
            "shipment.check", actor=None, object_type="trade.shipment", object_id="1," * 40
        )
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_change_of_many_objects_lists_every_id_in_one_verifiable_event():
    event = audit.record_many(
        "shipment.check",
        actor=None,
        model=AuditEvent,
        pks=range(100_000, 100_500)[::-1],
        object_repr="500 shipments",
        after={"trigger": "publish"},
    )
    event.refresh_from_db()
    assert (event.object_type, event.object_id, event.object_repr) == (
        "rules.auditevent",
        "",
        "500 shipments",
    )
    assert event.after == {"trigger": "publish", "ids": list(range(100_000, 100_500))}
    checked, broken = audit.verify()
    assert (checked, broken) == (AuditEvent.objects.count(), None)
