from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cegah.core.inputs import DateField
from cegah.regions.models import Opd, Pemda
from cegah.zi.models import Unit


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
    document = forms.FileField(label=_("Pakta integritas yang ditandatangani (PDF)"))
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
