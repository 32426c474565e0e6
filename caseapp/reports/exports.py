"""A report document (caseapp.reports.document) as CSV, XLSX and JSON files. Every text cell is
neutralised against formula injection, and every file says that small numbers are suppressed.
The views audit each export."""

from __future__ import annotations

import csv
import io
import json

from flask_babel import gettext as _

from caseapp.reports.bands import BREAKDOWNS

# A spreadsheet takes a cell starting with one of these for a formula (or hides what follows a tab/CR).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """Text that cannot start a formula in a spreadsheet: a leading `'` before a dangerous first character.
    Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def suppression_note(document: dict) -> str:
    limit = document["suppression"]["threshold"]
    if not document["suppression"]["applied"]:
        return _("Not suppressed: small numbers are shown. For the leaders' own use only; do not pass on.")
    return _(
        "Small numbers are suppressed: a count of 1 to %(n)d persons is shown as <%(m)d, and further cells "
        "are hidden (×) so that no small number can be worked out from the totals.",
        n=limit - 1,
        m=limit,
    )


def table_rows(document: dict) -> list[list]:
    """The report as rows: a heading, then per indicator its total and each breakdown's categories."""
    rows: list[list] = [
        [document["title"] or _("Report")],
        [_("Period"), f"{document['scope']['starts_on']} – {document['scope']['ends_on']}"],
        [suppression_note(document)],
        [],
        [_("Indicator"), _("Breakdown"), _("Category"), _("Value"), _("Same period a year earlier"), _("Target")],
    ]
    for item in document["indicators"]:
        definition = item["definition"]
        name = definition["name_da"]
        target = definition.get("target")
        target_text = "" if not target else f"{target['target_value']:g} ({target['deadline']})"
        if not item["available"]:
            rows.append([name, "", "", _("not available"), "", target_text])
            continue
        current = item["current"]
        earlier = item.get("year_earlier") or {}
        rows.append([name, _("Total"), "", _number(current["total"]), _number(earlier) if earlier else "", target_text])
        for breakdown, cells in current["breakdowns"].items():
            label = str(BREAKDOWNS.get(breakdown, _("Month") if breakdown == "month" else breakdown))
            for cell in cells:
                rows.append([name, label, cell["label"], _number(cell), "", ""])
    return [[neutralised(value) for value in row] for row in rows]


def _number(cell: dict):
    """A shown number as a number, a suppressed one as its mark."""
    return cell["value"] if cell.get("value") is not None else cell.get("display", "–")


def as_csv(document: dict) -> bytes:
    """UTF-8 with a byte-order mark and semicolons: what Danish Excel opens without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in table_rows(document):
        writer.writerow([str(v).replace(".", ",") if isinstance(v, float) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(document: dict) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    # strings_to_formulas off: a text is never taken for a formula by the writer itself either.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(_("Report")[:31])
    bold = book.add_format({"bold": True})
    for r, row in enumerate(table_rows(document)):
        for c, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, "" if value is None else str(value), bold if r in (0, 4) else None)
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 2, 24)
    sheet.set_column(3, 5, 16)
    book.close()
    return buffer.getvalue()


def as_json(document: dict) -> bytes:
    payload = {"note": suppression_note(document), **document}
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
