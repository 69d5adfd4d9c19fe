"""PDF documents: one way to render a template with WeasyPrint.

Every PDF the app hands out (decision letters, grant agreements, the board's briefing
pack, donors' receipts and reports) goes through ``render_pdf``: the template is rendered
in the requested language, laid out with the same base font, and the file carries its
title, author and language in its metadata so screen readers and document stores read it
right.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

# WeasyPrint narrates every layout step at INFO; keep the logs for what matters.
for _logger in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_logger).setLevel(logging.WARNING)

PDF_TYPE = "application/pdf"

# Used when a template names no font of its own; DejaVu covers Latin, accented and
# Cyrillic names, and the fallbacks keep a readable sans-serif where it is missing.
BASE_CSS = 'html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }'


def fund_name() -> str:
    return _("United Nations Voluntary Trust Fund for Victims of Trafficking in Persons")


def _supported(language: str | None) -> str | None:
    if not language:
        return None
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_pdf(template_name: str, context: dict, *, language: str | None = None,
               title: str | None = None, base_url: str | None = None) -> bytes:
    """The template rendered as PDF bytes.

    ``language``: the document's language (an unsupported one falls back to the default;
    ``None`` keeps the active one). ``title``: the PDF's title (a lazy translation is read
    in ``language``), else the template's ``<title>``. ``base_url`` resolves relative
    links and images (default: the project folder).
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    with translation.override(_supported(language) or translation.get_language()):
        html = render_to_string(template_name, context)
        author, title = fund_name(), str(title) if title else None
        lang = translation.get_language() or settings.LANGUAGE_CODE
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).render(
        stylesheets=[CSS(string=BASE_CSS, font_config=fonts)], font_config=fonts)
    if title:
        document.metadata.title = title
    document.metadata.authors = [author]
    document.metadata.lang = lang
    return document.write_pdf()
