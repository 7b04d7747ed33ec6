from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command

from rules import audit
from screening.models import Case, Product, Screening


def test_seed_demo_creates_users_per_role_and_screened_products_once(rule_set, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    users = get_user_model().objects.order_by("username")
    assert [(u.username, sorted(u.groups.values_list("name", flat=True))) for u in users] == [
        ("admin", []),
        ("analyst", ["compliance_analyst"]),
        ("analyst2", ["compliance_analyst"]),
        ("reviewer", ["reviewer"]),
        ("reviewer2", ["reviewer"]),
        ("rulesadmin", ["rules_administrator"]),
        ("rulesadmin2", ["rules_administrator"]),
    ]
    assert "Demo logins (shown once; keep them):" in first
    assert first.count("analyst ") >= 1
    products = Product.objects.count()
    assert products == 14
    assert Screening.objects.count() == 14
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
    assert Product.objects.count() == 14 + 40
    assert Case.objects.count() == 14 + 40
    assert Product.objects.filter(sku__startswith="SYN-").count() == 40
