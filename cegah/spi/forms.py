from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cegah.core.checked_file import CheckedFileForm
from cegah.core.inputs import DateField


class ScoresForm(CheckedFileForm):
    source_name = forms.CharField(
        label=_("Sumber"), max_length=200, help_text=_("mis. jaga.id, laporan SPI KPK 2025")
    )
    source_url = forms.URLField(
        label=_("Alamat sumber"), max_length=500, required=False, assume_scheme="https"
    )
    published_on = DateField(label=_("Tanggal terbit"), required=False)
    reason = forms.CharField(
        label=_("Alasan (wajib bila tahun itu sudah pernah dimuat)"), required=False
    )
