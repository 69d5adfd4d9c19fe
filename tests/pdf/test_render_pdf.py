"""fundapp.core.pdf.render_pdf: the one way the app makes a PDF."""

import ast
import logging
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from fundapp.core import pdf
from tests.pdf_text import pdf_metadata, pdf_text

TEMPLATE = "grants/letters/decision.html"


@pytest.fixture
def context(db, organisation):
    from tests.factories import ApplicationFactory

    app = ApplicationFactory(organisation=organisation, title="Safe homes for survivors")
    return {"app": app, "organisation": organisation, "call": app.call, "approved": False,
            "item": {"feedback": "Feedback."}, "session": {"votes_hash": "abc"},
            "chair": {"display_name": "The Chair"}}


def test_the_title_given_wins_and_is_read_in_the_documents_language(context):
    title = gettext_lazy("Decision")
    meta = pdf_metadata(pdf.render_pdf(TEMPLATE, context, language="en", title=title))
    assert meta == {"title": "Decision", "author": pdf.fund_name(), "language": "en"}


def test_without_a_title_the_templates_title_is_used(context):
    meta = pdf_metadata(pdf.render_pdf(TEMPLATE, context, language="en"))
    assert meta["title"].startswith("Decision on application")


def test_an_unknown_language_falls_back_to_the_default_and_none_keeps_the_active_one(context):
    assert pdf_metadata(pdf.render_pdf(TEMPLATE, context, language="xx"))["language"] == "en"
    with translation.override("fr"):
        document = pdf.render_pdf(TEMPLATE, context)
    assert pdf_metadata(document)["language"] == "fr"
    assert "Décision relative à votre demande" in pdf_text(document)
    english = pdf_text(pdf.render_pdf(TEMPLATE, context, language="en"))
    assert "Decision on your application" in english


def test_weasyprint_is_quiet_below_warnings():
    assert logging.getLogger("weasyprint").level == logging.WARNING
    assert logging.getLogger("fontTools").level == logging.WARNING


def test_the_helper_imports_nothing_from_the_floors_above():
    tree = ast.parse(Path(pdf.__file__).read_text())
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    assert not {m for m in modules if m and m.split(".")[0] in ("grants", "donors")}
