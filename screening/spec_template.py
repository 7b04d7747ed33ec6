"""The downloadable spec template (SPEC_TEMPLATE.md), as CSV and as XLSX.

Every cell either file holds goes through `screening.exports`, like every other export. The XLSX
carries a note on every header cell (meaning and unit), drop-down lists for category
and for subtype (the subtype list follows the chosen category), and a guide sheet. Notes, the
guide and the drop-downs' messages are in the language of whoever downloads it; column names,
the first sheet's name and the listed values are the template's codes in every language.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from rules.vocabulary import (
    CATEGORIES,
    CELL_TYPES,
    PARAMETERS,
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
)
from screening.exports import csv_text, neutralise

ROWS_WITH_LISTS = 5000
NOTES = {
    "sku": gettext_lazy("Your part number. With revision it identifies the product. Required."),
    "revision": gettext_lazy("Spec revision (optional)."),
    "name": gettext_lazy("Product name. Required."),
    "category": gettext_lazy("Required. One of: %(categories)s"),
    "subtype": gettext_lazy(
        "Finer kind, per category (drop-down). Common spellings (Li-ion, LiFePO4, NMC) are read "
        "as the listed value; anything else is an error. Blank: entries that depend on it "
        "cannot be decided. 'other' only when none of the list applies."
    ),
    "cell_type": gettext_lazy(
        "Cells: primary (not rechargeable) or secondary (rechargeable); decides EU "
        "3A001.e.1.a or .b. Blank: secondary for li_ion and sodium_ion; needed for li_metal "
        "and other when the EU regime is screened."
    ),
    "manufacturer": gettext_lazy("Maker (optional)."),
    "hs_code": gettext_lazy("Customs code as declared: a hint for reviewers, never the decision."),
    "destination_country": gettext_lazy("ISO 3166-1 alpha-2 code, e.g. DE, US, JP."),
    "annual_export_value_usd": gettext_lazy("Expected yearly export value in USD."),
    "source_document": gettext_lazy(
        "Datasheet or test report the figures come from, with method/conditions."
    ),
}


def note(column: str) -> str:
    """The note on a column's header, in the current language."""
    parameter = PARAMETERS.get(column)
    if parameter is None:
        return str(NOTES[column]) % {"categories": ", ".join(CATEGORIES)}
    return _(
        "%(label)s (%(label_zh)s). Unit: %(unit)s. A plain number is read in %(unit)s; a number "
        "with its own unit (e.g. '0.31 kWh/kg', '2.6 g/cc', '5000 L') is converted. Leave empty "
        "if unknown."
    ) % {"label": parameter.label_en, "label_zh": parameter.label_zh, "unit": parameter.unit}


def csv_template() -> str:
    """Header row only (the download adds the byte-order mark Excel on Chinese Windows needs:
    rules.responses.csv_download)."""
    return csv_text(TEMPLATE_COLUMNS, [])


def xlsx_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "specs"
    header_fill = PatternFill("solid", fgColor="1F4B99")
    for index, column in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=neutralise(column))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment(note(column), "template", width=320, height=140)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column) + 2)
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet("lists")
    lists.sheet_state = "hidden"
    lists.cell(row=1, column=1, value=neutralise("category"))
    for row, category in enumerate(CATEGORIES, start=2):
        lists.cell(row=row, column=1, value=neutralise(category))
    workbook.defined_names["category_list"] = DefinedName(
        "category_list", attr_text=f"lists!$A$2:$A${len(CATEGORIES) + 1}"
    )
    for offset, (category, subtypes) in enumerate(CATEGORIES.items(), start=2):
        letter = get_column_letter(offset)
        lists.cell(row=1, column=offset, value=neutralise(category))
        for row, subtype in enumerate(subtypes, start=2):
            lists.cell(row=row, column=offset, value=neutralise(subtype))
        # A name per category, so the subtype list can follow the category with INDIRECT.
        workbook.defined_names[category] = DefinedName(
            category, attr_text=f"lists!${letter}$2:${letter}${len(subtypes) + 1}"
        )

    category_col = get_column_letter(TEMPLATE_COLUMNS.index("category") + 1)
    subtype_col = get_column_letter(TEMPLATE_COLUMNS.index("subtype") + 1)
    cell_type_col = get_column_letter(TEMPLATE_COLUMNS.index("cell_type") + 1)
    category_rule = DataValidation(
        type="list",
        formula1="=category_list",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Category"),
        error=_("Choose a category from the list."),
    )
    category_rule.add(f"{category_col}2:{category_col}{ROWS_WITH_LISTS}")
    subtype_rule = DataValidation(
        type="list",
        formula1=f"=INDIRECT(${category_col}2)",
        allow_blank=True,
        showErrorMessage=False,
    )
    subtype_rule.add(f"{subtype_col}2:{subtype_col}{ROWS_WITH_LISTS}")
    cell_type_rule = DataValidation(
        type="list",
        formula1='"' + ",".join(CELL_TYPES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Cell type"),
        error=_("primary or secondary (or leave it empty)."),
    )
    cell_type_rule.add(f"{cell_type_col}2:{cell_type_col}{ROWS_WITH_LISTS}")
    sheet.add_data_validation(category_rule)
    sheet.add_data_validation(subtype_rule)
    sheet.add_data_validation(cell_type_rule)

    guide = workbook.create_sheet(_("guide"))
    guide.append([neutralise(v) for v in (_("column"), _("required"), _("unit"), _("meaning"))])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in TEMPLATE_COLUMNS:
        parameter = PARAMETERS.get(column)
        guide.append(
            [
                neutralise(value)
                for value in (
                    column,
                    _("yes") if column in REQUIRED_COLUMNS else "",
                    parameter.unit if parameter else "",
                    note(column),
                )
            ]
        )
    guide.append([])
    guide.append(
        [
            neutralise(
                _(
                    "Only the first sheet ('specs') is read. Formulas are not accepted: paste "
                    "values."
                )
            )
        ]
    )
    guide.column_dimensions["A"].width = 32
    guide.column_dimensions["D"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
