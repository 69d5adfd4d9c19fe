"""Grants API: an NGO registers itself, its first user and its organisation (the twin of
``grants.views.registration``).

The page's form (``fundapp.accounts.forms.RegistrationForm``) is the one copy of the fields'
rules and ``ngo_register`` the one of the rest: this view shapes the JSON into the form's
fields, and the answers' errors back into the JSON's (``organisation.<field>``).
"""

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from fundapp.accounts.forms import RegistrationForm
from fundapp.core.errors import ValidationFailed
from fundapp.core.throttling import AnonRateThrottle
from grants.models import Membership
from grants.services.organisations import ngo_register

from .common import CountryCodeField, MoneyField

FORM = RegistrationForm.base_fields
ORG_PREFIX = "org_"
USER_FIELDS = ("username", "email", "password", "language")


def _max(name: str) -> int:
    return FORM[name].max_length


class RegisterThrottle(AnonRateThrottle):
    scope = "register"


class RegistrationOrganisationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=_max("org_name"))
    country = CountryCodeField(help_text=gettext_lazy("Country of registration."))
    registration_number = serializers.CharField(max_length=_max("org_registration_number"))
    year_founded = serializers.IntegerField(required=False, allow_null=True)
    contact_name = serializers.CharField(max_length=_max("org_contact_name"), required=False,
                                         allow_blank=True)
    contact_phone = serializers.CharField(max_length=_max("org_contact_phone"),
                                          required=False, allow_blank=True)
    website = serializers.CharField(max_length=_max("org_website"), required=False,
                                    allow_blank=True)
    annual_budget_usd = MoneyField(required=False, allow_null=True)
    un_partner_portal_id = serializers.CharField(max_length=_max("org_un_partner_portal_id"),
                                                 required=False, allow_blank=True)
    track_record = serializers.CharField(max_length=_max("org_track_record"), required=False,
                                         allow_blank=True)
    psea_declaration = serializers.BooleanField(help_text=gettext_lazy(
        "We have a policy on protection from sexual exploitation and abuse (PSEA) and apply "
        "it to our staff, volunteers and partners. Must be true."))


class RegistrationSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=_max("username"),
                                     help_text=gettext_lazy("Letters, digits and @ . + - _ "
                                                            "only."))
    email = serializers.EmailField(help_text=gettext_lazy(
        "A confirmation link is e-mailed here; the account works once it is opened."))
    password = serializers.CharField(max_length=_max("password"), trim_whitespace=False,
                                     help_text=gettext_lazy("At least 8 characters; not only "
                                                            "digits, not a common password."))
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False,
                                       default=settings.LANGUAGE_CODE)
    organisation = RegistrationOrganisationSerializer()


class RegisteredSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    username = serializers.CharField()
    organisation = serializers.IntegerField()
    detail = serializers.CharField()


def _form_data(data: dict) -> dict:
    """The JSON as the page's form posts it (the API asks for the password once)."""
    values = {name: data.get(name) for name in USER_FIELDS}
    values["password_confirm"] = data.get("password")
    for name, value in (data.get("organisation") or {}).items():
        values[ORG_PREFIX + name] = "" if value is None else value
    return {k: v for k, v in values.items() if v is not None}


def _as_dict(data) -> dict:
    """What a client sent, as a dict with a dict of the organisation (else empty)."""
    values = dict(data.items()) if isinstance(data, Mapping) else {}
    if not isinstance(values.get("organisation"), Mapping):
        values["organisation"] = {}
    return values


def _merged(form_errors: dict, json_errors: dict) -> dict:
    errors = dict(form_errors)
    for field, messages in json_errors.items():
        if isinstance(messages, Mapping) and isinstance(errors.get(field), Mapping):
            errors[field] = {**errors[field], **messages}
        else:
            errors[field] = messages
    return errors


def _api_errors(field_errors: dict) -> dict:
    """The form's and the service's field names as the JSON's: ``org_name`` and ``name``
    become ``{"organisation": {"name": […]}}``."""
    errors: dict = {}
    org_fields = set(RegistrationOrganisationSerializer().fields)
    for field, messages in field_errors.items():
        messages = [str(m) for m in messages]
        name = field.removeprefix(ORG_PREFIX)
        if field == "password_confirm":
            errors.setdefault("password", []).extend(messages)
        elif field.startswith(ORG_PREFIX) or name in org_fields:
            errors.setdefault("organisation", {}).setdefault(name, []).extend(messages)
        elif field == "__all__":
            errors.setdefault("non_field_errors", []).extend(messages)
        else:
            errors.setdefault(field, []).extend(messages)
    return errors


class RegistrationView(APIView):
    """Anonymous: an NGO's first user (its admin) and its organisation, pending
    verification."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [RegisterThrottle]

    @extend_schema(
        summary=gettext_lazy("Register an NGO: its first user and its organisation"),
        description=gettext_lazy(
            "The same fields and rules as the registration page. The account is inactive "
            "until the confirmation link e-mailed to `email` is opened; the organisation "
            "then waits for the secretariat's verification before it may apply."),
        request=RegistrationSerializer,
        responses={201: RegisteredSerializer, 400: OpenApiResponse(description=gettext_lazy(
            "Field errors; the organisation's under `organisation`.")),
            429: OpenApiResponse(description=gettext_lazy("Too many registrations from "
                                                          "this address; try later."))},
        operation_id="auth_register")
    def post(self, request):
        serializer = RegistrationSerializer(data=request.data)
        shaped = serializer.is_valid()
        form = RegistrationForm(_form_data(serializer.validated_data if shaped
                                           else _as_dict(request.data)))
        errors = {} if form.is_valid() else _api_errors(form.errors)
        if not shaped:  # every field's errors at once, the JSON's own first
            errors = _merged(errors, serializer.errors)
        if errors:
            raise ValidationError(errors)
        data = form.cleaned_data
        try:
            user = ngo_register(username=data["username"], email=data["email"],
                                password=data["password"], language=data["language"],
                                organisation=form.organisation_values())
        except ValidationFailed as exc:
            raise ValidationError(_api_errors(exc.field_errors) or
                                  {"detail": str(exc.message)}) from exc
        organisation = Membership.objects.get(user=user).organisation_id
        return Response({
            "user": user.pk, "username": user.username, "organisation": organisation,
            "detail": _("We e-mailed a confirmation link to %(email)s. Open it to activate "
                        "your account.") % {"email": user.email},
        }, status=status.HTTP_201_CREATED)
