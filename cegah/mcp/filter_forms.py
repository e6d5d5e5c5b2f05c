"""The work list's filters, read from its address (a GET form: the filtered list is a link)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cegah.mcp.selectors import DEADLINE_FILTERS, WORK_STATES, WorkFilters
from cegah.regions.models import Pemda


class WorkFilterForm(forms.Form):
    """State, area and deadline; the OPD is the page's own `opd` (views.reporting._opd_shown).
    A value the list does not know is ignored, as a filter left empty."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua")), *WORK_STATES]
    )
    area = forms.CharField(label=_("Area"), required=False, max_length=20)
    tenggat = forms.ChoiceField(
        label=_("Tenggat"), required=False, choices=[("", _("Semua")), *DEADLINE_FILTERS]
    )

    def filters(self) -> WorkFilters:
        if not self.is_valid():
            # Each field alone: one bad value does not drop the others.
            data = {
                name: self.cleaned_data.get(name, "")
                for name in self.fields
                if name not in self.errors
            }
        else:
            data = self.cleaned_data
        return WorkFilters(
            state=data.get("status") or "",
            area=data.get("area") or "",
            deadline=data.get("tenggat") or "",
        )


class MonitoringFilterForm(forms.Form):
    """The monitoring list's filters and order; unknown values are ignored."""

    q = forms.CharField(label=_("Cari Pemda"), required=False, max_length=100)
    provinsi = forms.CharField(label=_("Provinsi"), required=False, max_length=2)
    jenis = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua")), *Pemda.Kind.choices]
    )
    tertinggal = forms.BooleanField(label=_("Hanya yang tertinggal"), required=False)
    urut = forms.ChoiceField(
        label=_("Urutkan"),
        required=False,
        choices=[
            ("provinsi", _("Provinsi")),
            ("nama", _("Nama")),
            ("skor", _("Nilai terverifikasi tertinggi")),
            ("mandiri", _("Nilai mandiri tertinggi")),
            ("hilang", _("Dokumen belum diunggah terbanyak")),
            ("dikembalikan", _("Dikembalikan terbanyak")),
            ("terkirim", _("Paling sedikit terkirim")),
        ],
    )
