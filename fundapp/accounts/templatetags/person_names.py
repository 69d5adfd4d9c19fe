"""``{% load person_names %}{{ user|person_name }}``: a person's name, "Former member"
once anonymised (``fundapp.accounts.display``)."""

from django import template

from fundapp.accounts.display import person_name as _person_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    return _person_name(user)
