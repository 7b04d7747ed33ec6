"""Django admin reads in the reader's language: every field and model of our apps names itself
(an explicit, translatable verbose_name, never Django's guess from the attribute name, such as
"Energy density wh per kg" or "PREPARED BY"), each change list renders in Chinese, and the
third-party apps that ship no Chinese (django-axes, django-tasks-db) are named in Chinese
through our catalogue (config/apps.py)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalChanges

OUR_APPS = ("screening", "rules", "trade")
CJK = re.compile(r"[\u4e00-\u9fff]")
# Headers that are the same in Chinese: acronyms and codes.
SAME_IN_CHINESE = {"ID", "SKU", "SHA-256", "SHA", "HS"}
TH = re.compile(r'<th[^>]*scope="col"[^>]*>(.*?)</th>', re.S)


def our_models() -> list[type]:
    # simple-history's records copy our fields (labelled) and add their own history_* fields,
    # which the package's own catalogue translates on its history pages; they have no admin.
    return [
        model
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
    ]


def unlabelled(model: type) -> list[str]:
    """What of a model has no explicit translatable name: the model, its plural, its fields."""
    meta = model._meta
    missing = [
        f"{meta.label}.Meta.{option}"
        for option in ("verbose_name", "verbose_name_plural")
        if not isinstance(meta.original_attrs.get(option), Promise)
    ]
    for field in [*meta.local_fields, *meta.local_many_to_many]:
        if field.auto_created:
            continue  # the primary key Django adds: "ID", in Django's own catalogue
        # deconstruct() gives the verbose_name as written, before Django fills in its guess.
        if not isinstance(field.deconstruct()[3].get("verbose_name"), Promise):
            missing.append(f"{meta.label}.{field.name}")
    return missing


def test_every_model_and_field_of_our_apps_has_a_translatable_name():
    assert [where for model in our_models() for where in unlabelled(model)] == []


def test_every_app_of_ours_has_a_translatable_name():
    names = {label: apps.get_app_config(label).verbose_name for label in OUR_APPS}
    assert {label for label, name in names.items() if not isinstance(name, Promise)} == set()


@isolate_apps("screening")
def test_the_walk_finds_an_unlabelled_field():
    class Unlabelled(models.Model):
        labelled = models.CharField(gettext_lazy("labelled"), max_length=1)
        guessed = models.CharField(max_length=1)

        class Meta:
            app_label = "screening"
            verbose_name = gettext_lazy("unlabelled")

        def __str__(self) -> str:
            return self.guessed

    assert unlabelled(Unlabelled) == [
        "screening.Unlabelled.Meta.verbose_name_plural",
        "screening.Unlabelled.guessed",
    ]


REGISTERED = sorted(
    model._meta.label_lower for model in admin.site._registry if model._meta.app_label in OUR_APPS
)


def chinese(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


@pytest.mark.urls("tests.trade.urls")
@pytest.mark.parametrize("label", REGISTERED)
def test_each_change_list_of_ours_reads_in_chinese(client, superuser, label):
    app_label, model_name = label.split(".")
    response = chinese(client, superuser).get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200
    with translation.override("zh-hans"):
        cl = response.context["cl"]
        headers = {
            name: str(header["text"])
            for name, header in zip(cl.list_display, result_headers(cl), strict=True)
            if name != "action_checkbox"
        }
        filters = [str(spec.title) for spec in cl.filter_specs]
        title = str(cl.opts.verbose_name_plural)
    english = {
        name: text
        for name, text in headers.items()
        if not CJK.search(text) and text not in SAME_IN_CHINESE
    }
    assert english == {}
    assert [title for title in filters if not CJK.search(title)] == []
    assert CJK.search(title)
    page = response.content.decode()
    assert title in page
    # Every column header on the page, the navigation sidebar's included (Django's Chinese
    # leaves those out; config/apps.py has them).
    shown = [re.sub(r"<[^>]+>", "", th).strip() for th in TH.findall(page)]
    assert [th for th in shown if set(re.findall(r"[A-Za-z]{2,}", th)) - SAME_IN_CHINESE] == []


def test_the_admin_index_names_the_third_party_apps_in_chinese(client, superuser):
    response = chinese(client, superuser).get(reverse("admin:index"))
    assert response.status_code == 200
    shown = {
        app["app_label"]: (str(app["name"]), sorted(str(model["name"]) for model in app["models"]))
        for app in response.context["app_list"]
        if app["app_label"] in {"axes", "django_tasks_database"}
    }
    assert shown == {
        "axes": ("登录尝试", ["登录失败记录", "登录尝试", "登录日志"]),
        "django_tasks_database": ("后台任务", ["任务结果"]),
    }
    page = response.content.decode()
    for name in ("登录尝试", "登录失败记录", "登录日志", "后台任务", "任务结果"):
        assert name in page
    for english in ("Axes", "Tasks Database Backend", "Access attempts", "Task results"):
        assert english not in page
