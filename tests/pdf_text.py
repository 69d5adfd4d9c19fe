"""PDFs read as a person reads them: their text, page by page (pypdf)."""

import io
import re

from pypdf import PdfReader


# WeasyPrint marks a word it hyphenated at a line end with U+2010 (CSS ``hyphens: auto``).
HYPHENATED = re.compile("\u2010\\s+")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", HYPHENATED.sub("", text)).strip()


def pdf_pages_text(pdf: bytes) -> list[str]:
    """Each page's text with runs of white space (line breaks included) made one space and
    words hyphenated at a line end joined again."""
    reader = PdfReader(io.BytesIO(pdf))
    return [_clean(page.extract_text() or "") for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    """The whole document's text, pages joined by a space, white space collapsed."""
    assert pdf.startswith(b"%PDF"), "not a PDF"
    return " ".join(pdf_pages_text(pdf))


def pdf_metadata(pdf: bytes) -> dict[str, str]:
    """Title and author from the document information, and the catalogue's language."""
    reader = PdfReader(io.BytesIO(pdf))
    info = reader.metadata or {}
    lang = reader.trailer["/Root"].get("/Lang")
    return {"title": info.get("/Title") or "", "author": info.get("/Author") or "",
            "language": str(lang) if lang is not None else ""}
