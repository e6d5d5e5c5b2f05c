from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cegah.accounts.models import Employee
from cegah.core.inputs import DateField, MultipleFileField
from cegah.regions.models import Pemda

from . import selectors
from .models import ConflictType, Handling
from .services import MAX_FILES, Decision, Facts


class DeclarationForm(forms.Form):
    matter_kind = forms.ChoiceField(label=_("Jenis urusan"))
    matter = forms.CharField(
        label=_("Urusan yang terdampak"),
        max_length=300,
        help_text=_("mis. Paket tender rehabilitasi gedung DPRD 2026, izin usaha PT X"),
    )
    conflict_type = forms.ChoiceField(
        label=_("Jenis benturan"), choices=ConflictType.choices, widget=forms.RadioSelect
    )
    source = forms.ChoiceField(label=_("Sumber benturan"))
    parties = forms.CharField(
        label=_("Orang atau perusahaan yang terkait"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Satu per baris, mis. CV Karya Mandiri (milik adik ipar saya)"),
    )
    since = DateField(label=_("Sejak"))
    description = forms.CharField(
        label=_("Uraian"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    documents = MultipleFileField(
        label=_("Dokumen pendukung (bila ada, paling banyak %(n)d)") % {"n": MAX_FILES}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["matter_kind"]).choices = selectors.choices("matters")
        cast(forms.ChoiceField, self.fields["source"]).choices = selectors.choices("sources")

    def facts(self) -> Facts:
        d = self.cleaned_data
        return Facts(
            matter_kind=d["matter_kind"],
            matter=d["matter"],
            conflict_type=d["conflict_type"],
            source=d["source"],
            parties=d["parties"],
            since=d["since"],
            description=d["description"],
        )


class RecordForm(DeclarationForm):
    """A conflict nobody declared, recorded for one of the recorder's people."""

    employee = forms.ModelChoiceField(label=_("Pegawai"), queryset=Employee.objects.none())
    field_order = ["employee"]

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Employee]", self.fields["employee"]).queryset = people


class DecisionForm(forms.Form):
    handling = forms.ChoiceField(
        label=_("Penanganan"), choices=Handling.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Alasan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    delegate = forms.ModelChoiceField(
        label=_("Pejabat yang mengambil alih keputusan (bila dialihkan)"),
        queryset=Employee.objects.none(),
        required=False,
    )
    conditions = forms.CharField(
        label=_("Syarat pengawasan (bila tetap bertugas dengan pengawasan)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, pemda: Pemda, exclude: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[Employee]", self.fields["delegate"]
        ).queryset = Employee.objects.filter(pemda=pemda, is_active=True).exclude(pk=exclude)

    def decision(self) -> Decision:
        d = self.cleaned_data
        return Decision(d["handling"], d["reason"], d["delegate"], d["conditions"])


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Catatan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PositionForm(forms.Form):
    title = forms.CharField(
        label=_("Jabatan atau tugas berisiko"),
        max_length=200,
        help_text=_("mis. Pokja Pemilihan UKPBJ, Bendahara Pengeluaran, Petugas perizinan"),
    )
    holder_nips = forms.CharField(
        label=_("NIP pemegangnya"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu per baris atau dipisah koma"),
    )


class StatementForm(forms.Form):
    no_conflict = forms.TypedChoiceField(
        label=_("Pernyataan saya"),
        choices=[
            ("1", _("Saya tidak memiliki benturan kepentingan dalam tugas ini")),
            ("0", _("Saya memiliki benturan kepentingan")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Bila ada, sebutkan"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
