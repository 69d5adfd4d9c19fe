"""Grants API: the PDFs of a decision, the twins of the pages' downloads — the decision
letter of an application (``grants.views.board.decision_letter``) and the grant agreement
(``grants.views.implementation.agreement_pdf``).

Each fetches through the page's access-checked getter (404 for what the reader may not
see) and renders with the page's function; the reader's language unless staff (the
secretariat, the Board) ask another with ``?lang=``.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from fundapp.accounts.roles import user_can
from fundapp.core.pdf_api import PDF_RENDERERS, PDF_RESPONSE, pdf_file
from grants.letters import (
    agreement_filename,
    letter_filename,
    letter_language,
    render_agreement_pdf,
    render_letter_pdf,
    supported_language,
)
from grants.selectors.board import decided_item_for
from grants.selectors.implementation import get_implementation_grant_for

from .common import NOT_FOUND

LANG = OpenApiParameter(
    "lang", OpenApiTypes.STR, enum=[code for code, _name in settings.LANGUAGES],
    description=_("The secretariat and the Board may ask for another language than "
                  "their own; others always get theirs."))


def _language(request) -> str:
    """The reader's language; staff may ask for another (an unknown one: the default)."""
    asked = request.query_params.get("lang", "")
    if asked and user_can(request.user, "board.view"):
        return supported_language(asked)
    return letter_language(request.user)


class DecisionLetterView(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = PDF_RENDERERS

    @extend_schema(
        summary=_("The Board's decision letter on an application (PDF)"),
        description=_("Once the Board session that decided it is closed: the applicant "
                      "organisation's members, the secretariat and the Board."),
        parameters=[LANG], responses={(200, "application/pdf"): PDF_RESPONSE, 404: NOT_FOUND},
        operation_id="applications_decision_letter")
    def get(self, request, pk: int):
        item = decided_item_for(request.user, pk)
        language = _language(request)
        return pdf_file(render_letter_pdf(item, language=language),
                        letter_filename(item, language))


class AgreementView(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = PDF_RENDERERS

    @extend_schema(
        summary=_("The grant agreement with its current terms (PDF)"),
        description=_("The grantee organisation's members, the secretariat and the Board. "
                      "Earlier versions, after amendments: `…/agreement-versions/`."),
        parameters=[LANG], responses={(200, "application/pdf"): PDF_RESPONSE, 404: NOT_FOUND},
        operation_id="grants_agreement")
    def get(self, request, pk: int):
        grant = get_implementation_grant_for(request.user, pk)
        return pdf_file(render_agreement_pdf(grant, language=_language(request)),
                        agreement_filename(grant))
