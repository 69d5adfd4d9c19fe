"""Notification kinds of ranking and the portfolio recommendation (imported by
``GrantsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from fundapp.notifications.kinds import Kind, register

register("portfolio_finalised", Kind(
    _("Call {call_number}: portfolio recommendation version {version} is final"),
    _("Portfolio recommendation finalised for the board")))
