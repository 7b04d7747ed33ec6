"""Django admin obeys the same rules as the application (RELIABILITY.md "Access"): analysts and
reviewers get no admin at all, rules administrators see only the rule-set models, and nobody,
superusers included, can change the audit trail, a case's workflow fields or the rows of a
published rule set, or delete records that are kept or on legal hold."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from rules.models import AuditEvent, Measure, RuleSet
from rules.publishing import authors_of, create_draft
from screening import retention
from screening.models import Case
from tests.access_matrix import ADMIN_MODELS, PERSONAS, STAFF

REGISTERED = sorted(model._meta.label_lower for model in admin.site._registry)


def changelist(label: str) -> str:
    app_label, model = label.split(".")
    return reverse(f"admin:{app_label}_{model}_changelist")


def test_the_admin_matrix_names_only_registered_models():
    for persona, labels in ADMIN_MODELS.items():
        assert labels <= set(REGISTERED), persona


@pytest.mark.parametrize("label", REGISTERED)
@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_change_lists_follow_the_matrix(request, client, persona, label):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(changelist(label))
    if persona not in STAFF:
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == reverse("admin:login")
    elif persona == "superuser" or label in ADMIN_MODELS[persona]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_rules_administrators_see_only_the_rules_models_on_the_admin_index(client, rules_admin):
    client.force_login(rules_admin)
    response = client.get(reverse("admin:index"))
    shown = {
        f"{app['app_label']}.{model['object_name'].lower()}"
        for app in response.context["app_list"]
        for model in app["models"]
    }
    assert shown == ADMIN_MODELS["rules_admin"]


# --- the audit trail ------------------------------------------------------------------------


def test_audit_times_say_their_zone(client, superuser, case_in):
    case_in("draft")
    event = AuditEvent.objects.order_by("seq").last()
    client.force_login(superuser)
    page = client.get(changelist("rules.auditevent")).content.decode()
    assert "Time (UTC)" not in page
    local = timezone.localtime(event.at)
    utc = event.at.astimezone(dt.UTC)
    assert f"{local:%Y-%m-%d %H:%M:%S} CST, UTC+0800 · {utc:%H:%M:%S} UTC" in page


def test_nobody_changes_or_deletes_audit_events_in_admin(client, superuser, case_in):
    case_in("draft")
    client.force_login(superuser)
    event = AuditEvent.objects.order_by("seq").last()
    before = list(AuditEvent.objects.values_list("seq", "hash", "action", "reason"))
    change = reverse("admin:rules_auditevent_change", args=[event.pk])
    assert b'name="action"' not in client.get(change).content  # a read-only page
    assert client.post(change, {"action": "case.forged", "reason": "x"}).status_code == 403
    delete = reverse("admin:rules_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:rules_auditevent_add")).status_code == 403
    client.post(
        changelist("rules.auditevent"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert list(AuditEvent.objects.values_list("seq", "hash", "action", "reason")) == before


# --- cases --------------------------------------------------------------------------------------


def test_case_workflow_fields_cannot_be_changed_in_admin(client, superuser, reviewer, case_in):
    case = case_in("in_review")
    client.force_login(superuser)
    before = Case.objects.filter(pk=case.pk).values().get()
    response = client.post(
        reverse("admin:screening_case_change", args=[case.pk]),
        {
            "state": "approved",
            "approved_by": reviewer.pk,
            "determination": "not_controlled",
            "rationale": "Forged.",
            "version": 99,
        },
    )
    assert response.status_code == 403
    assert Case.objects.filter(pk=case.pk).values().get() == before
    assert client.get(reverse("admin:screening_case_add")).status_code == 403


@pytest.mark.parametrize("reason", ["kept", "legal hold"])
def test_admin_bulk_delete_obeys_retention_and_legal_holds(
    client, superuser, reviewer, case_in, reason
):
    case = case_in("closed")
    if reason == "legal hold":
        Case.objects.filter(pk=case.pk).update(
            last_activity_at=timezone.now() - dt.timedelta(days=6 * 366)
        )
        case.refresh_from_db()
        retention.set_legal_hold(case=case, user=reviewer, hold=True, reason="Customs inquiry")
    client.force_login(superuser)
    response = client.post(
        changelist("screening.case"),
        {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"},
    )
    assert response.status_code == 200  # the "cannot delete" page, not a redirect
    assert Case.objects.filter(pk=case.pk).exists()
    assert not AuditEvent.objects.filter(action="case.delete").exists()


# --- published rule sets ----------------------------------------------------------------------


def published_rows(rule_set: RuleSet) -> tuple:
    return (
        RuleSet.objects.filter(pk=rule_set.pk).values().get(),
        list(Measure.objects.filter(rule_set=rule_set).order_by("pk").values()),
    )


def test_rows_of_a_published_rule_set_cannot_be_changed_or_deleted_in_admin(
    client, rules_admin, superuser, rule_set
):
    measure = rule_set.measures.order_by("pk").first()
    before = published_rows(rule_set)
    for user in (rules_admin, superuser):
        client.force_login(user)
        change = reverse("admin:rules_measure_change", args=[measure.pk])
        response = client.post(change, {"rule_set": rule_set.pk, "key": "FORGED", "position": 0})
        assert response.status_code == 403
        delete = reverse("admin:rules_measure_delete", args=[measure.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        for label, pk in (("rules.measure", measure.pk), ("rules.ruleset", rule_set.pk)):
            client.post(
                changelist(label),
                {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
            )
    assert published_rows(rule_set) == before


def test_an_admin_edit_of_a_draft_is_recorded_with_its_author(
    client, rules_admin, rules_admin2, rule_set
):
    draft = create_draft(rule_set, user=rules_admin2)
    assert rules_admin.pk not in authors_of(draft)
    client.force_login(rules_admin)
    url = reverse("admin:rules_ruleset_change", args=[draft.pk])
    response = client.post(url, {"version": draft.version, "title": "Edited", "near_band_pct": 4})
    assert response.status_code == 302
    assert RuleSet.objects.get(pk=draft.pk).title == "Edited"
    assert rules_admin.pk in authors_of(draft)


def test_the_user_list_shows_each_persons_roles(client, superuser, analyst, reviewer):
    client.force_login(superuser)
    page = client.get(changelist("auth.user")).content.decode()
    assert "Compliance analyst" in page
    assert "Reviewer (manager)" in page


def test_admin_pages_carry_the_site_icon(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page


def test_outcomes_read_as_words_in_admin(client, superuser, case_in):
    case_in("approved")
    client.force_login(superuser)
    page = client.get(changelist("screening.case")).content.decode()
    assert "Licence required" in page
    assert ">licence_required<" not in page


def test_each_role_group_holds_exactly_its_admin_permissions(rule_set):
    from django.contrib.auth.models import Group

    from rules.access import ROLE_ADMIN_PERMISSIONS, ensure_roles

    ensure_roles()  # twice: it adds nothing the second time
    for role, permissions in ROLE_ADMIN_PERMISSIONS.items():
        held = Group.objects.get(name=role).permissions.select_related("content_type")
        assert {f"{p.content_type.app_label}.{p.codename}" for p in held} == set(permissions)
    assert len(ROLE_ADMIN_PERMISSIONS["rules_administrator"]) == 32
