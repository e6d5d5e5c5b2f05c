"""A table checked before it is loaded: the first post shows every problem or what loading would
change; the page then holds the checked copy, signed, so "Muat" loads exactly what was shown
without choosing the file again. Shared by the importers of published figures."""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cegah.core.errors import DomainError

CHECKED_FOR_SECONDS = 3600
# The checked copy travels back with the page (base64, signed): 3 MB of table leaves it within
# a 5 MB body limit. A year of 546 Pemda is a few dozen kilobytes.
MAX_FILE_BYTES = 3 * 1024 * 1024


class CheckedFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas (CSV atau Excel)"),
        required=False,
        help_text=gettext_lazy(
            "CSV dengan koma atau titik koma, atau Excel (.xlsx); baris pertama judul kolom."
        ),
    )
    checked = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("checked"):
            self.add_error("file", _("Pilih berkas."))
        return data

    def chosen(self, *, salt: str) -> tuple[str, bytes]:
        """The chosen file, or the copy the check page signed (a newer choice wins).
        signing.BadSignature when the copy is too old or was changed."""
        upload = self.cleaned_data.get("file")
        if upload:
            if upload.size > MAX_FILE_BYTES:
                raise DomainError(
                    _("Berkas lebih dari 3 MB. Pisahkan per tahun."), code="too_large"
                )
            return upload.name, upload.read()
        name, content = signing.loads(
            self.cleaned_data["checked"], salt=salt, max_age=CHECKED_FOR_SECONDS
        )
        return str(name), base64.b64decode(content)

    def hold(self, data: Any, *, salt: str, name: str, content: bytes) -> None:
        """The page shown after the check carries the signed copy."""
        shown = data.copy()
        shown["checked"] = signing.dumps(
            [name, base64.b64encode(content).decode()], salt=salt, compress=True
        )
        self.data = shown
        self.file_name = name
