"""What used to stay English on Chinese pages: cell errors and warnings, file rejections, the
XLSX template, draft errors, the admin's names. Each message keeps its English words for
programs and records (the `screen` contract, the audit trail) and is said in the reader's
language where it is shown."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from rules.catalogue import CatalogueError
from rules.catalogue_data import catalogue_from_dict
from rules.labels import message_text
from rules.messages import TEMPLATES, message_json, message_of
from rules.models import AuditEvent
from screening.models import Upload
from tests.screening.test_i18n import PLACEHOLDER
from tests.screening.test_uploads import BAD, GOOD, csv_bytes, upload_file

CJK = re.compile(r"[\u4e00-\u9fff]")
# Words that stay as they are in Chinese: acronyms, units, codes.
ADMIN_ALLOWED = {"ID", "id", "SKU", "SHA", "API", "HTTP", "IP", "GET", "POST", "HS"}
ADMIN_ALLOWED |= {"User", "Agent", "Accept"}  # HTTP header names
ADMIN_ALLOWED |= {"Wh", "kg", "Ah", "mAh", "cm", "MPa", "USD", "ISO", "JSON"}


def chinese(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def test_every_message_template_is_translated_with_its_placeholders():
    with translation.override("zh-hans"):
        said = {code: gettext(english) for code, english in TEMPLATES.items()}
    only_placeholders = {code for code, english in TEMPLATES.items() if not CJK.search(english)}
    untranslated = [
        code
        for code, text in said.items()
        if not CJK.search(text) and PLACEHOLDER.sub("", TEMPLATES[code]).strip(" :%")
    ]
    assert untranslated == []
    assert only_placeholders  # every template is English
    broken = [
        code
        for code, text in said.items()
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(TEMPLATES[code]))
    ]
    assert broken == []


def test_upload_errors_written_in_english_read_in_chinese(client, analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(analyst)
    upload_file(client, csv_bytes(*GOOD, *BAD))  # checked in an English session
    upload = Upload.objects.get()
    stored = upload.rows.get(row=5).errors
    assert [e["message"] for e in stored] == ["'lots' is not a number"]
    html = chinese(client, analyst).get(upload.get_absolute_url(), {"rows": "errors"})
    page = html.content.decode()
    assert "“lots”不是数字" in page
    assert '<strong class="mono">sku</strong>: 必填</div>' in page
    assert "不是有效类别；请使用以下之一：battery_cell, battery_pack" in page
    assert "is not a number" not in page


def test_a_refused_file_is_said_in_chinese_and_audited_in_english(
    client, analyst, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50
    response = upload_file(chinese(client, analyst), png, "specs.xlsx")
    assert response.context["form"].errors["file"] == ["这是 PNG 图片，不是 CSV 或 XLSX 电子表格。"]
    attempt = AuditEvent.objects.get(action="upload.rejected")
    assert attempt.reason == "This is a PNG image, not a CSV or XLSX spreadsheet."


def test_a_stored_message_keeps_its_code_and_an_unknown_code_shows_its_english():
    with pytest.raises(CatalogueError) as refused:
        catalogue_from_dict({"version": "1", "measures": [{"key": "M", "published": "soon"}]})
    stored = message_json(message_of(refused.value))
    assert stored["message"] == "measure M published: 'soon' is not a date (YYYY-MM-DD)"
    with translation.override("zh-hans"):
        assert message_text(stored) == "管制措施 M 的发布日期：'soon' 不是日期（YYYY-MM-DD）"
        assert message_text({**stored, "code": "gone.since"}) == stored["message"]
        assert message_text({"message": "typed by a person"}) == "typed by a person"


def test_the_xlsx_template_speaks_the_language_of_its_reader(client, analyst):
    data = chinese(client, analyst).get(reverse("template_xlsx")).content
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["specs", "lists", "填写说明"]
    sheet = workbook["specs"]
    assert sheet["A1"].value == "sku"  # the columns are the template's codes in every language
    assert sheet["G1"].comment.text.startswith(
        "重量能量密度（Gravimetric energy density）。单位：Wh/kg。纯数字按 Wh/kg 读取"
    )
    assert sheet["A1"].comment.text == "贵公司的料号。与 revision 一起唯一标识产品。必填。"
    guide = workbook["填写说明"]
    assert [c.value for c in guide[1]] == ["列", "必填", "单位", "含义"]


def admin_names(app_label: str) -> dict[str, str]:
    config = apps.get_app_config(app_label)
    names = {app_label: str(config.verbose_name)}
    for model in config.get_models():
        if model.__name__.startswith("Historical"):
            continue  # simple-history's records: its own pages, translated by the package
        names[model.__name__] = str(model._meta.verbose_name)
        names[f"{model.__name__} (plural)"] = str(model._meta.verbose_name_plural)
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name") and not (field.auto_created and not field.concrete):
                names[f"{model.__name__}.{field.name}"] = str(field.verbose_name)
    return names


@pytest.mark.parametrize(
    "app_label", ["rules", "screening", "trade", "axes", "django_tasks_database"]
)
def test_the_admin_names_every_app_model_and_field_in_chinese(app_label):
    with translation.override("zh-hans"):
        names = admin_names(app_label)
    english = {
        where: name
        for where, name in names.items()
        if set(re.findall(r"[A-Za-z]{2,}", name)) - ADMIN_ALLOWED
    }
    assert english == {}
    assert names.get("SpecVersion.energy_density_wh_per_kg", "重量能量密度 (Wh/kg)") == (
        "重量能量密度 (Wh/kg)"
    )
