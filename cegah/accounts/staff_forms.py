from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class StaffFileForm(forms.Form):
    """The HR office's staff list. Checked first (a dry run), then loaded from the copy the
    check page holds, signed, so it need not be chosen again."""

    file = forms.FileField(
        label=_("Daftar pegawai (CSV atau Excel)"),
        required=False,
        help_text=_(
            "Baris pertama judul kolom: nip, nama, email, opd (atau unit kerja), jabatan, "
            "nip atasan. CSV dengan koma atau titik koma, atau Excel (.xlsx)."
        ),
    )
    checked = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("checked"):
            self.add_error("file", _("Pilih berkas."))
        return data
