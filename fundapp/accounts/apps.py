from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fundapp.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import signals  # noqa: F401  (signed-in sessions recorded)
        # The session remembers its user's second factors at sign-in (two_factor/session.py).
        from .two_factor import session  # noqa: F401
