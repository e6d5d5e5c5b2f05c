from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cegah.core.inputs import DateField
from cegah.regions.models import Opd, Pemda, Province
from cegah.zi.models import Predicate, Proposal, Unit


class UnitForm(forms.Form):
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=Opd.objects.none())
    name = forms.CharField(
        label=_("Nama unit"),
        max_length=200,
        help_text=_("OPD itu sendiri atau bagiannya, mis. Puskesmas Binjai Kota."),
    )

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Opd]", self.fields["opd"])
        field.queryset = Opd.objects.filter(pemda=pemda, is_active=True).order_by("name")


class DeclarationForm(forms.Form):
    declared_on = DateField(label=_("Tanggal pencanangan"))
    document = forms.FileField(label=_("Pakta integritas yang ditandatangani (PDF atau foto)"))
    units = forms.ModelMultipleChoiceField(
        label=_("Unit yang dicanangkan"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelMultipleChoiceField[Unit]", self.fields["units"])
        field.queryset = Unit.objects.filter(pemda=pemda, is_active=True, declaration__isnull=True)


class StartForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]


class ProposalForm(forms.Form):
    predicate = forms.ChoiceField(label=_("Predikat"), choices=Predicate.choices)


class StageForm(forms.Form):
    """The TPN records the stage the proposal has passed."""

    stage = forms.ChoiceField(choices=Proposal.State.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(label=_("Berkas bukti"), required=False)


class DecisionForm(forms.Form):
    """Penetapan, or not."""

    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (Proposal.State.DESIGNATED, _("Ditetapkan")),
            (Proposal.State.NOT_DESIGNATED, _("Tidak ditetapkan")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila unit tidak ditetapkan."),
    )
    evidence = forms.FileField(label=_("Berkas bukti"), required=False)

    def __init__(self, *args: Any, can_designate: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_designate:  # before the field evaluation only "not designated" is open
            field = cast(forms.ChoiceField, self.fields["decision"])
            field.choices = [(Proposal.State.NOT_DESIGNATED, _("Tidak ditetapkan"))]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ProposalFilters(forms.Form):
    """The TPN's work list, by stage, year, province and predicate."""

    tahap = forms.ChoiceField(
        label=_("Tahap"), required=False, choices=[("", _("Semua")), *Proposal.State.choices]
    )
    tahun = forms.TypedChoiceField(label=_("Tahun"), required=False, coerce=int, empty_value=None)
    provinsi = forms.ModelChoiceField(
        label=_("Provinsi"),
        required=False,
        queryset=Province.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("Semua"),
    )
    predikat = forms.ChoiceField(
        label=_("Predikat"), required=False, choices=[("", _("Semua")), *Predicate.choices]
    )

    def __init__(self, *args: Any, this_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = [("", _("Semua")), *((y, str(y)) for y in range(this_year + 1, 2019, -1))]
        cast(forms.TypedChoiceField, self.fields["tahun"]).choices = years
