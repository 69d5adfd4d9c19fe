"""Admin and page labels read as English: every model of FundApp's own apps names itself,
singular and plural, through gettext_lazy (so French gets them too)."""

import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise

OWN_APPS = ("grants", "donors", "fundapp")
WRONG_PLURAL = re.compile(r"[^aeiou]ys$")  # "prioritys", "entrys"
SAME_IN_THE_PLURAL = {"bank details"}


def _own_models():
    return [m for m in apps.get_models()
            if m.__module__.split(".")[0] in OWN_APPS and not m.__name__.startswith("Historical")]


def test_there_are_own_models_to_check():
    names = {m.__name__ for m in _own_models()}
    assert {"ApplicationPriority", "ReceiptSequence", "Call", "AuditEvent"} <= names


@pytest.mark.parametrize("model", _own_models(), ids=lambda m: m.__name__)
def test_each_model_names_itself_singular_and_plural_translatably(model):
    attrs = model._meta.original_attrs
    assert isinstance(attrs.get("verbose_name"), Promise), "verbose_name not translatable"
    assert isinstance(attrs.get("verbose_name_plural"), Promise), "plural not translatable"
    plural = str(model._meta.verbose_name_plural)
    assert not WRONG_PLURAL.search(plural), plural
    assert plural != str(model._meta.verbose_name) or plural in SAME_IN_THE_PLURAL


def test_usd_fields_say_usd_in_capitals():
    for model in _own_models():
        for field in model._meta.get_fields():
            label = str(getattr(field, "verbose_name", ""))
            assert not re.search(r"\busd\b", label), f"{model.__name__}.{field.name}: {label}"


def test_the_admin_index_reads_as_english(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Priority claims" in html and "Application prioritys" not in html
    assert not re.search(r"[^aeiou]ys</a>", html)


def test_each_own_app_names_itself_translatably():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] in OWN_APPS:
            assert isinstance(config.verbose_name, Promise), config.name
