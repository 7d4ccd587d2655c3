"""The forms of the bulk upload: a spreadsheet checked, then carried back signed for the
confirmation, so that nothing is kept on the server in between."""

import base64
import zlib
from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from mercuryhub.catalogue.spreadsheets.reading import FORMATS

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_UPLOAD_SALT = "mercuryhub.catalogue.bulk-upload"
_UPLOAD_MAX_AGE = timedelta(hours=6)


class Upload:
    """A spreadsheet received from a person: what it holds and how to read it."""

    def __init__(self, kind: str, file_format: str, name: str, content: bytes):
        self.kind, self.file_format, self.name, self.content = kind, file_format, name, content

    def token(self, user) -> str:
        """The file, compressed and signed for this person, to carry from the check to the
        confirmation in a hidden field; nothing is kept on the server."""
        packed = base64.urlsafe_b64encode(zlib.compress(self.content)).decode()
        name = base64.urlsafe_b64encode(self.name.encode()).decode()
        value = f"{user.pk}:{self.kind}:{self.file_format}:{name}:{packed}"
        return signing.TimestampSigner(salt=_UPLOAD_SALT).sign(value)

    @classmethod
    def from_token(cls, user, token: str) -> "Upload":
        value = signing.TimestampSigner(salt=_UPLOAD_SALT).unsign(token, max_age=_UPLOAD_MAX_AGE)
        user_pk, kind, file_format, name, packed = value.split(":")
        if user_pk != str(user.pk):
            raise signing.BadSignature("The upload belongs to someone else")
        content = zlib.decompress(base64.urlsafe_b64decode(packed))
        return cls(kind, file_format, base64.urlsafe_b64decode(name).decode(), content)


_KIND_CHOICES = [
    ("facility", _("Facilities")),
    ("offering", _("Offerings (technologies, equipment, services)")),
    ("expert", _("Experts")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file lists"), choices=_KIND_CHOICES, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("A .csv, .xlsx or .json file of at most 2 MB, in the import layout."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        file_format = Path(upload.name).suffix.lstrip(".").lower()
        if file_format not in FORMATS:
            raise forms.ValidationError(
                _("Upload a .csv, .xlsx or .json file; this one is “%(name)s”."),
                params={"name": upload.name},
            )
        too_large = forms.ValidationError(
            _(
                "This file is too large for the web upload (the limit is 2 MB). Split it into "
                "several files, or send it to the secretariat to import."
            )
        )
        if upload.size > MAX_UPLOAD_BYTES:
            raise too_large
        content = upload.read()
        # The confirmation posts the file back in a form field, which Django limits in size.
        compressed = len(zlib.compress(content)) * 4 // 3
        if compressed > settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 64 * 1024:
            raise too_large
        return Upload("", file_format, Path(upload.name).name, content)

    def upload(self) -> Upload:
        upload = self.cleaned_data["file"]
        upload.kind = self.cleaned_data["kind"]
        return upload


class UploadConfirmForm(forms.Form):
    """The second step: the checked file, carried back signed."""

    upload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_upload(self) -> Upload:
        try:
            return Upload.from_token(self.user, self.cleaned_data["upload"])
        except (signing.BadSignature, ValueError, zlib.error):
            raise forms.ValidationError(
                _("The checked file has expired or was altered; please upload it again.")
            ) from None
