"""The export side's e-mails go out in each recipient's language (rules.people)."""

from __future__ import annotations

from django.core import mail
from django.utils import translation

from rules.people import remember_language


def test_a_held_shipment_is_mailed_to_each_reviewer_in_their_language(
    trade_world, reviewer, reviewer2, django_capture_on_commit_callbacks
):
    remember_language(reviewer, "zh-hans")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        trade_world.held()
    held = [m for m in mail.outbox if m.subject.startswith(("[Export]", "[出口]"))]
    assert {m.to[0]: m.subject for m in held} == {
        reviewer.email: "[出口] 1 个出口订单暂停放行",
        reviewer2.email: "[Export] 1 shipment(s) held",
    }
