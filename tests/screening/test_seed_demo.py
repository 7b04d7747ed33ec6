from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from rules import audit
from screening import workflow
from screening.models import Case, Product, Screening


def test_seed_demo_creates_users_per_role_and_screened_products_once(rule_set, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    users = get_user_model().objects.order_by("username")
    assert [(u.username, sorted(u.groups.values_list("name", flat=True))) for u in users] == [
        ("admin", []),
        ("analyst", ["compliance_analyst"]),
        ("analyst2", ["compliance_analyst"]),
        ("analyst_reviewer", ["compliance_analyst", "reviewer"]),
        ("reviewer", ["reviewer"]),
        ("reviewer2", ["reviewer"]),
        ("rulesadmin", ["rules_administrator"]),
        ("rulesadmin2", ["rules_administrator"]),
    ]
    assert "Demo logins (shown once; keep them):" in first
    assert first.count("analyst ") >= 1
    products = Product.objects.count()
    assert products == 15
    assert Screening.objects.count() == 15
    assert set(Screening.objects.values_list("outcome", flat=True)) >= {
        "licence_required",
        "not_controlled",
        "near_threshold",
        "indeterminate",
    }

    assert set(Case.objects.values_list("state", flat=True)) == {
        "draft",
        "submitted",
        "in_review",
        "returned",
        "approved",
        "closed",
        "withdrawn",
    }
    assert audit.verify()[1] is None

    call_command("seed_demo")
    second = capsys.readouterr().out
    assert "Demo users already exist" in second
    assert "Demo products: 0 new." in second
    assert Product.objects.count() == products


def test_seed_demo_adds_a_synthetic_portfolio(rule_set, capsys):
    call_command("seed_demo", "--products", "40")
    assert Product.objects.count() == 15 + 40
    assert Case.objects.count() == 15 + 40
    assert Product.objects.filter(sku__startswith="SYN-").count() == 40


def test_seed_demo_with_unparseable_specs_writes_nothing(rule_set, monkeypatch):
    from django.core.management.base import CommandError

    from screening.management.commands import seed_demo

    bad = {**seed_demo.DEMO_SPECS[-1], "sku": "BAD-1", "purity_pct": "100.02"}
    monkeypatch.setattr(seed_demo, "DEMO_SPECS", (*seed_demo.DEMO_SPECS, bad))
    with pytest.raises(CommandError, match="demo specs do not parse, nothing was written"):
        call_command("seed_demo")
    assert (get_user_model().objects.count(), Product.objects.count()) == (0, 0)


def test_seed_demo_is_all_or_nothing_and_a_rerun_after_a_failure_works(
    rule_set, capsys, monkeypatch
):
    from screening.management.commands import seed_demo

    real = seed_demo.bring_to
    calls = iter(range(1_000))

    def fails_on_the_thirtieth_case(screening, target, people):
        if next(calls) == 29:
            raise RuntimeError("the disk is full")
        return real(screening, target, people)

    monkeypatch.setattr(seed_demo, "bring_to", fails_on_the_thirtieth_case)
    with pytest.raises(RuntimeError, match="the disk is full"):
        call_command("seed_demo", "--products", "20")
    assert "Demo logins" not in capsys.readouterr().out
    assert (
        get_user_model().objects.count(),
        Product.objects.count(),
        Case.objects.count(),
        audit.verify()[1],
    ) == (0, 0, 0, None)

    monkeypatch.setattr(seed_demo, "bring_to", real)
    call_command("seed_demo", "--products", "20")
    out = capsys.readouterr().out
    assert "Demo logins (shown once; keep them):" in out
    assert "Demo products: 35 new." in out
    assert (get_user_model().objects.count(), Product.objects.count()) == (8, 35)


def test_seed_demo_prints_the_logins_last_and_no_e_mails(
    audit_flushable, rule_set, capsys, settings
):
    """Issue 18, item 17: `make run` showed the logins after ~150 lines of console e-mail.
    Transactional: the e-mails are sent when the seeding's transaction commits."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Subject:" not in out
    assert mail.outbox == []
    lines = out.strip().splitlines()
    assert len(lines) < 20
    heading = lines.index("Demo logins (shown once; keep them):")
    logins = [line.split()[0] for line in lines[heading + 1 :]]
    assert logins == [
        "analyst",
        "analyst2",
        "analyst_reviewer",
        "reviewer",
        "reviewer2",
        "rulesadmin",
        "rulesadmin2",
        "admin",
    ]
    assert "Demo products: 15 new" in "\n".join(lines[:heading])
    assert "notification e-mails" in "\n".join(lines[:heading])


def test_the_demo_analyst_reviewer_reviews_others_cases_but_never_their_own(rule_set, client):
    call_command("seed_demo")
    both = get_user_model().objects.get(username="analyst_reviewer")
    own = Case.objects.get(prepared_by=both)
    assert (own.state, own.submitted_by) == ("submitted", both)
    assert "start_review" not in workflow.available_actions(own, both)
    client.force_login(both)
    page = client.get(own.get_absolute_url()).content.decode()
    assert "Four-eyes rule: you prepared, submitted, edited or added evidence" in page
    assert "Start review" not in page
    with pytest.raises(workflow.WorkflowError):
        workflow.start_review(case=own, version=own.version, user=both)
    others = Case.objects.filter(state="submitted").exclude(prepared_by=both).first()
    assert "start_review" in workflow.available_actions(others, both)
    page = client.get(others.get_absolute_url()).content.decode()
    assert "Four-eyes rule" not in page
    assert "Start review" in page
    workflow.start_review(case=others, version=others.version, user=both)
