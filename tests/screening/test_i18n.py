"""The interface in Simplified Chinese: the catalogue is complete and compiled, pages render in
the reader's language with codes left as they are, and the language choice is remembered."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from screening.labels import compact_usd
from tests.conftest import IN_FORCE_DAY, client_for

MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|%%")

NAV_ZH = ["仪表板", "案件", "产品", "上传", "筛查产品", "管制清单", "出口"]
NAV_EN = [
    "Dashboard",
    "Cases",
    "Products",
    "Uploads",
    "Screen a product",
    "Control catalogue",
    "Export",
]


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def read_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header first (obsolete `#~` entries are left out)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or any(line.startswith("#~") for line in lines):
            continue
        entry, target = Entry(), None
        for line in lines:
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                target.append(ast.literal_eval(line))
            else:
                keyword, text = line.split(" ", 1)
                target = [ast.literal_eval(text)]
                if keyword == "msgctxt":
                    entry.msgctxt = target
                elif keyword == "msgid":
                    entry.msgid = target
                elif keyword == "msgid_plural":
                    entry.msgid_plural = target
                elif keyword.startswith("msgstr"):
                    entry.msgstrs.append(target)
        entry.msgid = "".join(entry.msgid)
        if entry.msgctxt is not None:
            entry.msgctxt = "".join(entry.msgctxt)
        if entry.msgid_plural is not None:
            entry.msgid_plural = "".join(entry.msgid_plural)
        entry.msgstrs = ["".join(parts) for parts in entry.msgstrs]
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po() -> list[Entry]:
    return read_po(MESSAGES / "django.po")


def chinese(client, user):
    """A logged-in client whose language cookie (as set by the switch) is Simplified Chinese."""
    client_for(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def nav_labels(html: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r"<a [^>]*>([^<]*)</a>", nav)


def column_headers(html: str) -> list[str]:
    thead = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    return re.findall(r"<th [^>]*>([^<]*)</th>", thead)


# --- the catalogue ---------------------------------------------------------------------------


def test_catalogue_header_declares_chinese_with_one_plural_form(po):
    header = po[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: zh_Hans\n" in header.msgstrs[0]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header.msgstrs[0]


def test_catalogue_every_entry_is_translated_and_none_is_fuzzy(po):
    untranslated = [e.msgid for e in po[1:] if not e.msgstrs or not all(e.msgstrs)]
    fuzzy = [e.msgid for e in po[1:] if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_catalogue_plural_entries_have_exactly_one_chinese_form(po):
    plurals = [e for e in po[1:] if e.msgid_plural is not None]
    assert plurals  # the pagination and upload messages are plural
    assert [e.msgid for e in plurals if len(e.msgstrs) != 1] == []


def test_catalogue_translations_keep_every_placeholder(po):
    def holes(text: str) -> list[str]:
        return sorted(PLACEHOLDER.findall(text))

    broken = [
        e.msgid
        for e in po[1:]
        for source in filter(None, (e.msgid, e.msgid_plural))
        for translation in e.msgstrs
        if holes(source) != holes(translation)
    ]
    assert broken == []


def test_compiled_catalogue_holds_exactly_the_po_translations(po):
    with (MESSAGES / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    expected = {}
    for e in po[1:]:
        # gettext keys an entry with a context as "context\x04msgid".
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[msgid] = e.msgstrs[0]
        else:
            expected[(msgid, 0)] = e.msgstrs[0]
    assert {key: text for key, text in compiled.items() if key != ""} == expected


# --- pages -----------------------------------------------------------------------------------


def test_product_list_in_chinese(client, analyst, screened):
    screened()
    html = chinese(client, analyst).get(reverse("product_list")).content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "<title>产品 · 出口管制筛查</title>" in html
    assert nav_labels(html) == NAV_ZH
    assert column_headers(html) == ["SKU", "版本", "名称", "类别", "最新结果", "基准日期"]
    outcomes = re.findall(r'class="outcome outcome-licence_required">([^<]*)</a>', html)
    assert outcomes == ["需要许可证"]


def test_product_list_in_english_without_a_language_choice(client, analyst, screened):
    screened()
    html = client_for(client, analyst).get(reverse("product_list")).content.decode()
    assert '<html lang="en">' in html
    assert nav_labels(html) == NAV_EN


def test_case_list_in_chinese(client, analyst, case_in):
    case_in("draft")
    html = chinese(client, analyst).get(reverse("case_list")).content.decode()
    assert nav_labels(html) == NAV_ZH
    assert column_headers(html) == [
        "案件",
        "产品",
        "状态",
        "自动筛查结果",
        "判定结论",
        "目的地",
        "当前状态天数",
        "复核人",
    ]
    assert re.findall(r'<span class="badge state-draft">([^<]*)</span>', html) == ["草稿"]


def test_screening_page_in_chinese_keeps_codes_and_units(client, analyst, screened):
    screening = screened(energy="310")
    url = reverse("screening_detail", args=[screening.pk])
    html = chinese(client, analyst).get(url).content.decode()
    title = re.search(r'<h1 id="verdict-title"[^>]*>(.*?)</h1>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", title) == "需要许可证 Cell CELL-1"
    assert re.findall(r'<span class="entry-code">([^<]*)</span>', html) == ["3A001"]
    assert '<dt>条目标识</dt><dd class="mono">CN-2025-58:3A001</dd>' in html
    assert "<strong>属于两用物项，管制编码：3A001</strong>" in html
    assert '<td class="nowrap" data-label="规则">≥ 300 Wh/kg</td>' in html
    assert "<dt>所需许可证</dt><dd>两用物项和技术出口许可证（单项许可或通用许可）</dd>" in html


def test_language_switch_posts_to_set_language_and_the_choice_is_remembered(client, analyst):
    client_for(client, analyst)
    html = client.get(reverse("product_list")).content.decode()
    form = re.search(r'<form action="([^"]+)" method="post" class="language-form">', html)
    assert form.group(1) == reverse("set_language") == "/i18n/setlang/"
    assert '<input name="next" type="hidden" value="/products/">' in html

    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/products/"})
    assert response.status_code == 302
    assert response["Location"] == "/products/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert settings.LANGUAGE_COOKIE_NAME == "django_language"
    # The client sends the cookie back, as a browser does: every later page is in Chinese.
    assert nav_labels(client.get(reverse("product_list")).content.decode()) == NAV_ZH
    assert nav_labels(client.get(reverse("catalogue")).content.decode()) == NAV_ZH

    client.post(reverse("set_language"), {"language": "en", "next": "/products/"})
    assert nav_labels(client.get(reverse("product_list")).content.decode()) == NAV_EN


# --- dates and numbers -----------------------------------------------------------------------


def test_dates_stay_iso_in_chinese(client, analyst, screened):
    """Templates format dates explicitly ("Y-m-d"), so the Chinese DATE_FORMAT (Y年n月j日) is
    not applied: compliance records read the same in both languages."""
    screening = screened(as_of=IN_FORCE_DAY)
    url = reverse("screening_detail", args=[screening.pk])
    html = chinese(client, analyst).get(url).content.decode()
    assert "<dt>基准日期</dt><dd><strong>2026-12-01</strong></dd>" in html
    assert "<dt>2026-12-01 的状态</dt>" in html
    assert "2026年12月1日" not in html


def test_amounts_have_thousands_separators_in_both_languages(client, analyst, screened):
    """Django's zh_Hans formats group no digits; ours do (config/formats/zh_Hans)."""
    product = screened().spec.product
    url = reverse("product_detail", args=[product.pk])
    english = client_for(client, analyst).get(url).content.decode()
    assert "<dt>Annual export value</dt><dd>USD 250,000</dd>" in english
    html = chinese(client, analyst).get(url).content.decode()
    assert "<dt>年出口金额</dt><dd>250,000美元</dd>" in html


def test_headline_amounts_count_in_wan_and_yi_in_chinese():
    page = Template(
        "{% load humanize screening_extras %}{{ v|usd_compact }} {{ v|usd }} {{ n|intcomma }}"
    )
    values = Context({"v": 28_600_000, "n": 1234567})
    with translation.override("zh-hans"):
        assert page.render(values) == "2,860万美元 28,600,000美元 1,234,567"
        assert [compact_usd(v) for v in (9_800, 12_345, 350_000, 123_456_789, 1.5e11)] == [
            "9,800美元",
            "1.23万美元",
            "35万美元",
            "1.23亿美元",
            "1,500亿美元",
        ]
    with translation.override("en"):
        assert page.render(values) == "US$28.6M USD 28,600,000 1,234,567"


def test_as_of_date_input_keeps_an_iso_value_in_chinese(client, analyst):
    html = chinese(client, analyst).get(reverse("product_new")).content.decode()
    value = re.search(r'<input type="date" name="as_of" value="([^"]*)"', html).group(1)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)


def test_language_switch_works_before_logging_in(client, rule_set):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
