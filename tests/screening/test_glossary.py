"""The glossary (docs/glossary.md) holds: no wrong variant of a term appears in the Chinese
catalogue, the templates or the rule data, except inside the right term itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.screening.test_i18n import MESSAGES, read_po

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

BASE = Path(settings.BASE_DIR)
GLOSSARY = BASE / "docs" / "glossary.md"
# Where Chinese words live besides the catalogue: templates, the rule data and the Python that
# carries its own Chinese (parameter labels, remarks).
SOURCES = [
    *sorted((BASE / "templates").rglob("*.html")),
    *sorted((BASE / "rules" / "data").rglob("*.toml")),
    *sorted(
        path
        for app in ("rules", "screening", "trade")
        for path in (BASE / app).rglob("*.py")
        if "migrations" not in path.parts
    ),
]


@dataclass(frozen=True)
class Term:
    chinese: str
    english: str
    source: str
    wrong: tuple[str, ...]


def read_glossary(path: Path = GLOSSARY) -> list[Term]:
    """The rows of the glossary's table: 中文 | English | Source document | Not (wrong variants,
    separated by semicolons; — for none)."""
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("中文", "") or set(cells[0]) <= {"-"}:
            continue
        wrong = tuple(w.strip() for w in cells[3].split(";") if w.strip() not in ("", "—"))
        terms.append(Term(cells[0], cells[1], cells[2], wrong))
    return terms


def wrong_variants(text: str, terms: list[Term]) -> list[str]:
    """Each wrong variant found in `text` outside an occurrence of a right term."""
    covered = [
        (match.start(), match.end())
        for term in terms
        for match in re.finditer(re.escape(term.chinese), text)
    ]
    found = []
    for term in terms:
        for variant in term.wrong:
            for match in re.finditer(re.escape(variant), text):
                inside = any(a <= match.start() and match.end() <= b for a, b in covered)
                if not inside:
                    found.append(f"{variant} (use {term.chinese})")
    return found


@pytest.fixture(scope="module")
def terms() -> list[Term]:
    return read_glossary()


def test_glossary_lists_the_terms_of_the_documents(terms):
    by_chinese = {term.chinese: term for term in terms}
    for chinese in (
        "重量能量密度",
        "克容量",
        "标称容量",
        "两用物项和技术出口许可证",
        "单项许可",
        "通用许可",
        "海关商品编号（HS编码）",
        "退回补充材料",
        "经办人",
        "审批人",
        "意见",
        "物项归类单",
        "条目标识",
        "到期提醒",
        "未结案件滞留天数",
        "管制风险分布",
        "整批导入（任一行有错则不导入）",
        "双人复核原则（四眼原则）",
        "《两用物项出口管制清单》",
        "有效",
        "已暂停",
        "未生效",
    ):
        assert chinese in by_chinese, chinese
        assert by_chinese[chinese].english
        assert by_chinese[chinese].source
    assert by_chinese["重量能量密度"].wrong == ("质量能量密度",)
    assert by_chinese["双人复核原则（四眼原则）"].wrong == ("四眼原则",)


def test_glossary_check_finds_a_wrong_variant_but_not_inside_the_right_term(terms):
    assert wrong_variants("双人复核原则（四眼原则）：您经办过此案件", terms) == []
    assert wrong_variants("四眼原则：您准备过此案件", terms) == [
        "四眼原则 (use 双人复核原则（四眼原则）)"
    ]
    assert wrong_variants("单项许可证", terms) == ["单项许可证 (use 单项许可)"]


def test_chinese_catalogue_uses_only_the_glossary_terms(terms):
    found = {
        entry.msgid: wrong_variants(text, terms)
        for entry in read_po(MESSAGES / "django.po")[1:]
        for text in entry.msgstrs
        if wrong_variants(text, terms)
    }
    assert found == {}


def test_templates_rule_data_and_sources_use_only_the_glossary_terms(terms):
    found = {
        str(path.relative_to(BASE)): wrong_variants(path.read_text(encoding="utf-8"), terms)
        for path in SOURCES
        if wrong_variants(path.read_text(encoding="utf-8"), terms)
    }
    assert found == {}
