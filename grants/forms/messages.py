"""The form of a message thread: the message and its files (the rules are the service's)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.services.messages import MAX_BODY


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files under one name (the service caps how many)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=MAX_BODY,
                           widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(
        label=_("Attach files"), required=False, max_length=255,
        help_text=_("Optional: up to 5 files, each a PDF, DOCX, XLSX, ODT, PNG or JPEG of at "
                    "most 10 MB."))
