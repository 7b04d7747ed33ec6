"""Every main page, and every upload error of the test corpus, read in Simplified Chinese: no
English word is left outside an allow-list of what stays as it is in Chinese (codes, units,
acronyms, SKUs, names of standards and sources, and what the people of the test typed)."""

from __future__ import annotations

import html as html_module
import re

import pycountry
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rules.catalogue_data import load_shipped
from rules.publishing import create_draft
from rules.vocabulary import CATEGORIES, TEMPLATE_COLUMNS
from screening.models import Rescreen, Upload
from tests.conftest import client_for
from tests.screening.test_product_views import LFP_FORM
from tests.screening.test_rule_changes import flagged  # noqa: F401 (a fixture used below)
from tests.screening.test_uploads import BAD, GOOD, csv_bytes
from tests.screening.test_uploads import HOSTILE as REFUSED_FILES
from tests.security.test_uploads import HOSTILE as HOSTILE_FILES

# What stays as it is in Chinese: acronyms and units, the names of standards, regulators and
# sources as they are written, and the words of the template's codes that pages show as codes.
ALLOWED = {
    # acronyms, file types, encodings
    "SKU",
    "HS",
    "USD",
    "ISO",
    "CSV",
    "XLSX",
    "XLS",
    "PDF",
    "PNG",
    "JPEG",
    "GIF",
    "JSON",
    "API",
    "SHA",
    "UTF",
    "GBK",
    "GB",
    "EU",
    "CN",
    "NUL",
    "DTD",
    "XML",
    "KB",
    "MB",
    "URL",
    "ID",
    "ICP",
    "MOFCOM",
    "GAC",
    "MOST",
    "IEC",
    "LFP",
    "LMFP",
    "NCM",
    "NCA",
    "RAR",
    "Zip",
    "zip",
    "gzip",
    "Windows",
    "Excel",
    "LibreOffice",
    "IP",
    "March",
    "ChemRadar",
    "Herbert",
    "Smith",
    "Freehills",
    "Kramer",
    "mondaq",
    "english",
    "scio",
    "gov",
    "cn",
    "fms",
    "mofcom",
    "xkzj",
    "sha",
    "null",
    "specs",
    "fraction",
    "primary",
    "secondary",
    "other",
    "revision",
    "sku",
    "Li",
    "ion",
    "LiFePO",
    "NMC",
    "CSV UTF",
    # units
    "Wh",
    "kg",
    "kWh",
    "Ah",
    "mAh",
    "MPa",
    "cm",
    "cc",
    "mm",
    "V",
    "C",
    "L",
    "g",
    "m",
}
ALLOWED |= set(TEMPLATE_COLUMNS) | {"Office"} | {c.alpha_2 for c in pycountry.countries}
ALLOWED |= set(CATEGORIES) | {"UNVERIFIED", "errors"}  # codes: categories, a level, a column
ALLOWED |= {entry.code for entry in load_shipped().entries}  # "lithium-processing"
# A token that is a code: has a digit, an underscore, a dot or a slash (file names, paths,
# units like Wh/kg, web addresses) or an @ (e-mail addresses).
CODE = re.compile(r"[\d_./@]")
WORD = re.compile(r"[A-Za-z]{2,}")
VISIBLE_ATTRIBUTES = re.compile(r'\s(?:title|aria-label|placeholder|alt)="([^"]*)"')


def english_words(page: str, typed: tuple[str, ...] = ()) -> list[str]:
    """The English words a reader sees on a page: its text and its visible attributes, without
    scripts, styles, the language switch's own names, and what people typed (`typed`)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<select id="language-select".*?</select>', " ", page, flags=re.S)
    # Text marked as English on purpose: the English half of bilingual titles.
    page = re.sub(r'<(span|p|div)\b[^>]*\slang="en"[^>]*>.*?</\1>', " ", page, flags=re.S)
    attributes = " ".join(VISIBLE_ATTRIBUTES.findall(page))
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes)
    for words in typed:
        text = text.replace(words, " ")
    found = []
    for token in re.split(r"[\s，。；：、（）“”《》「」·…—–,;:()\[\]{}'\"<>=≥≤±×÷%?!*+|]+", text):
        if not token or CODE.search(token) or token in ALLOWED:
            continue
        found.extend(w for w in WORD.findall(token) if w not in ALLOWED)
    return found


def chinese(client, user):
    client_for(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


# What the people of the tests typed: product names, a rationale, comments.
TYPED = (
    *("Cell one", "Cell two", "Cell three", "Winder", "No sku", "Cell", "lots", "spaceship"),
    '=HYPERLINK("http://evil")',
    # the demo's cases (screening.demo), as their people wrote them
    "Datasheet attached in the product record.",
    "Please attach the test report with the test conditions.",
    "Checked the spec against the datasheet and the catalogue entry.",
)


def test_the_words_check_finds_english_and_lets_codes_units_and_acronyms_pass():
    page = (
        '<p title="Not translated">条目 CN-2025-58:3A001 ≥ 300 Wh/kg，SKU C-1，'
        "li_ion，alice_analyst，EC-2026-000001 Licence required</p>"
    )
    assert sorted(english_words(page)) == ["Licence", "Not", "required", "translated"]


@pytest.fixture
def corpus(client, analyst, reviewer, rules_admin, case_in, settings, tmp_path):
    """Products, screenings, cases in every state, an upload with errors, a draft rule set."""
    settings.MEDIA_ROOT = tmp_path
    cases = {state: case_in(state) for state in ("draft", "submitted", "in_review", "approved")}
    client_for(client, analyst)
    client.post(
        reverse("upload_new"),
        {"file": SimpleUploadedFile("specs.csv", csv_bytes(*GOOD, *BAD)), "as_of": "2026-12-01"},
    )
    return {"cases": cases, "upload": Upload.objects.get(), "rules_admin": rules_admin}


def pages(corpus) -> list[tuple[str, str, dict]]:
    """(persona, url, data for a POST or None) of every main page."""
    cases = corpus["cases"]
    approved = cases["approved"]
    upload = corpus["upload"]
    screening = approved.screening
    product = approved.product
    return [
        ("analyst", reverse("product_list"), None),
        ("analyst", reverse("product_detail", args=[product.pk]), None),
        ("analyst", reverse("product_new"), None),
        ("analyst", reverse("product_edit", args=[product.pk]), None),
        ("analyst", reverse("spec_detail", args=[screening.spec_id]), None),
        ("analyst", reverse("screening_detail", args=[screening.pk]), None),
        ("analyst", reverse("case_create", args=[screening.pk]), None),
        ("analyst", reverse("case_list"), None),
        ("reviewer", reverse("case_list"), None),
        ("analyst", reverse("case_detail", args=[cases["draft"].pk]), None),
        *[
            ("reviewer", reverse("case_detail", args=[case.pk]), None)
            for state, case in cases.items()
            if state != "draft"
        ],
        ("reviewer", reverse("case_record", args=[approved.pk]), None),
        ("analyst", reverse("upload_list"), None),
        ("analyst", reverse("upload_new"), None),
        ("analyst", reverse("upload_detail", args=[upload.pk]), None),
        ("analyst", reverse("upload_detail", args=[upload.pk]) + "?rows=errors", None),
        ("reviewer", reverse("catalogue"), None),
        ("rules_admin", reverse("ruleset_list"), None),
        ("reviewer", reverse("dashboard"), None),
    ]


def test_every_main_page_reads_in_chinese(client, corpus, analyst, reviewer, rules_admin):
    people = {"analyst": analyst, "reviewer": reviewer, "rules_admin": rules_admin}
    found = {}
    for persona, url, data in pages(corpus):
        browser = chinese(client, people[persona])
        response = browser.post(url, data) if data is not None else browser.get(url)
        assert response.status_code == 200, url
        words = english_words(response.content.decode(), TYPED)
        if words:
            found[f"{persona} {url}"] = sorted(set(words))
    assert found == {}


def test_the_rule_set_pages_read_in_chinese(client, rule_set, rules_admin):
    draft = create_draft(rule_set, user=rules_admin)
    found = {}
    for pk in (rule_set.pk, draft.pk):
        url = reverse("ruleset_detail", args=[pk])
        words = english_words(chinese(client, rules_admin).get(url).content.decode())
        if words:
            found[url] = sorted(set(words))
    assert found == {}


@pytest.mark.parametrize(
    ("label", "name", "data"),
    [(h[0], h[1], h[2]) for h in (*REFUSED_FILES, *HOSTILE_FILES)],
    ids=[h[0] for h in (*REFUSED_FILES, *HOSTILE_FILES)],
)
def test_every_refused_file_of_the_corpus_is_said_in_chinese(
    client, analyst, label, name, data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = chinese(client, analyst).post(
        reverse("upload_new"), {"file": SimpleUploadedFile(name, data), "as_of": "2026-12-01"}
    )
    errors = " ".join(response.context["form"].errors.get("file", []))
    assert errors
    assert english_words(errors) == []


def test_the_spec_form_with_its_errors_and_an_indeterminate_sheet_read_in_chinese(client, analyst):
    browser = chinese(client, analyst)
    bad = {**LFP_FORM, "compaction_density_g_per_cm3": "2.6 furlongs", "destination_country": "XX"}
    page = browser.post(reverse("product_new"), bad).content.decode()
    assert "“furlongs”无法换算为 g/cm³" in page
    missing = {
        **LFP_FORM,
        "specific_capacity_mah_per_g": "",
        "compaction_density_g_per_cm3": "2.55",
    }
    sheet = browser.post(reverse("product_new"), missing, follow=True).content.decode()
    assert "无法确定：数据缺失" in sheet
    assert english_words(page, ("furlongs", "LFP powder")) == []
    assert english_words(sheet, ("LFP powder",)) == []


def test_a_flagged_case_and_its_re_screen_read_in_chinese(client, flagged, reviewer):  # noqa: F811
    case, _ = flagged
    rescreen = Rescreen.objects.get(kind=Rescreen.Kind.PUBLISHED)
    found = {}
    for url in (
        reverse("case_detail", args=[case.pk]),
        reverse("rescreen_detail", args=[rescreen.pk]),
        reverse("rescreen_detail", args=[rescreen.pk]) + "?list=cases",
        reverse("ruleset_list"),
    ):
        words = english_words(chinese(client, reviewer).get(url).content.decode(), TYPED)
        if words:
            found[url] = sorted(set(words))
    assert found == {}


def test_the_login_page_reads_in_chinese(client, rule_set):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert english_words(client.get(reverse("login")).content.decode()) == []
