"""The plan as files: a PDF to print and share, and a Word file the team can edit.

Both are written from the plan's document (plans/document.py), so they say exactly what
the version history and the public summary say. The PDF is printed by WeasyPrint from an
HTML template, with the system's fonts and without any network access: nothing in a plan
may make the server fetch an address.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from docx import Document as Word
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from headway.plans.document import Document, Table


class _NoFetching(URLFetcher):  # type: ignore[misc]
    """Refuses every address: the PDF is made from the template and system fonts only."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise ValueError(f"Fetching is disabled in exports: {url}")


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def page_counter_css() -> str:
    """The footer's "Page N of M" as a CSS content value, translated."""
    words = _css_string(_("Page %(page)s of %(pages)s"))
    return '"' + words % {"page": '" counter(page) "', "pages": '" counter(pages) "'} + '"'


def pdf_bytes(document: Document, generated: date | None = None) -> bytes:
    """The document as a tagged PDF with page numbers and repeated table headers."""
    context = {
        "document": document,
        "lang": get_language(),
        "generated": date_format(generated or timezone.localdate()),
        "page_counter": page_counter_css(),
    }
    html = render_to_string("plans/export_pdf.html", context)
    pdf: bytes = HTML(string=html, url_fetcher=_NoFetching()).write_pdf(pdf_tags=True)
    return pdf


def _repeat_as_header(row: Any) -> None:
    """Mark a table row as its header row, repeated at the top of every page (w:tblHeader)."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _add_table(word: Any, table: Table) -> None:
    grid = word.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, name in zip(header.cells, table.columns, strict=True):
        cell.paragraphs[0].add_run(name).bold = True
    for values in table.rows:
        for cell, value in zip(grid.add_row().cells, values, strict=False):
            cell.text = value


def docx_bytes(document: Document, generated: date | None = None) -> bytes:
    """The document as an editable Word file: Title, Heading 1 sections, Heading 2 tables."""
    word = Word()
    word.core_properties.title = document.title
    word.add_heading(document.title, level=0)
    word.add_paragraph(document.subtitle, style="Subtitle")
    when = date_format(generated or timezone.localdate())
    word.add_paragraph(_("Generated on %(date)s.") % {"date": when})
    for section in document.sections:
        word.add_heading(section.title, level=1)
        for text in section.paragraphs:
            word.add_paragraph(text)
        for table in section.tables:
            if table.caption != section.title:
                word.add_heading(table.caption, level=2)
            _add_table(word, table)
    out = BytesIO()
    word.save(out)
    return out.getvalue()
