from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cegah.core.i18n import text_in_reader_language
from cegah.core.inputs import DateField, MultipleFileField, NumberField
from cegah.core.numbers import NumberKind

from .models import CustodyItem, Kind, Outcome, Report, RuleSet
from .services import MAX_FILES, Decision, Gift, Reporter

NOT_EXEMPT = ""


def category_choices() -> list[tuple[str, str]]:
    """Every category any loaded rule set names (a gift is judged by the set of its day), the
    newest set's names first, then "none of these"."""
    seen: dict[str, str] = {}
    for rules in RuleSet.objects.order_by("-version"):
        for c in rules.structure["exemptions"]:
            seen.setdefault(c["code"], text_in_reader_language(c["name"]))
    return [
        *seen.items(),
        (NOT_EXEMPT, str(_("Lainnya / tidak satu pun di atas"))),
    ]


class GiftForm(forms.Form):
    """The gift: what the exemption check reads, and the report's own fields."""

    received_on = DateField(label=_("Tanggal diterima (atau ditolak)"))
    refused = forms.TypedChoiceField(
        label=_("Pemberian itu"),
        choices=[("0", _("Diterima")), ("1", _("Ditolak"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    giver_name = forms.CharField(label=_("Nama pemberi"), max_length=200)
    giver_relation = forms.CharField(
        label=_("Hubungan dengan pemberi"),
        max_length=200,
        help_text=_("mis. rekanan penyedia dinas, rekan kerja, kerabat"),
    )
    giver_address = forms.CharField(
        label=_("Alamat atau instansi pemberi"), max_length=300, required=False
    )
    category = forms.ChoiceField(label=_("Jenis pemberian"), required=False)
    kind = forms.ChoiceField(label=_("Bentuk"), choices=Kind.choices)
    description = forms.CharField(
        label=_("Uraian pemberian"),
        max_length=300,
        help_text=_("mis. satu parsel makanan, uang tunai dalam amplop"),
    )
    value = NumberField(
        label=_("Perkiraan nilai"),
        kind=NumberKind.RUPIAH,
        min_value=0,
        max_value=Decimal("999999999999999"),
        whole=True,
    )
    place = forms.CharField(label=_("Tempat"), max_length=200)
    occasion = forms.CharField(label=_("Peristiwa atau dalam rangka"), max_length=300)
    chronology = forms.CharField(
        label=_("Kronologi"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Bagaimana pemberian itu terjadi, dengan urutan waktunya."),
    )

    CHECKED = ("received_on", "refused", "giver_name", "category", "kind", "value")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]

    def gift(self) -> Gift:
        d = self.cleaned_data
        return Gift(
            giver_name=d["giver_name"].strip(),
            giver_relation=d["giver_relation"].strip(),
            giver_address=d["giver_address"].strip(),
            received_on=d["received_on"],
            place=d["place"].strip(),
            occasion=d["occasion"].strip(),
            category=d["category"],
            kind=d["kind"],
            description=d["description"].strip(),
            value=d["value"],
            refused=d["refused"],
            chronology=d["chronology"].strip(),
        )


class CheckForm(GiftForm):
    """Only what the exemption check needs: the rest may still be empty while writing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in self.CHECKED:
                field.required = False


class ReportForm(GiftForm):
    nik = forms.CharField(label=_("NIK"), max_length=20, help_text=_("16 angka, sesuai KTP"))
    address = forms.CharField(
        label=_("Alamat rumah"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    evidence = MultipleFileField(
        label=_("Berkas bukti (foto barang, dokumen; paling banyak %(n)d)") % {"n": MAX_FILES}
    )

    def clean_nik(self) -> str:
        nik = re.sub(r"\s", "", self.cleaned_data["nik"])
        if not re.fullmatch(r"[0-9]{16}", nik):
            raise forms.ValidationError(_("NIK terdiri dari 16 angka."))
        return nik

    def reporter(self) -> Reporter:
        d = self.cleaned_data
        return Reporter(nik=d["nik"], address=d["address"].strip(), phone=d["phone"].strip())

    @classmethod
    def initial_from(cls, report: Report) -> dict[str, Any]:
        return {
            **{f: getattr(report, f) for f in Gift.__dataclass_fields__},
            "refused": "1" if report.refused else "0",
            "nik": report.nik,
            "address": report.address,
            "phone": report.phone,
        }


class EvidenceForm(forms.Form):
    evidence = MultipleFileField(label=_("Tambah berkas bukti"), required=True)


class ReturnForm(forms.Form):
    missing = forms.CharField(
        label=_("Yang perlu dilengkapi pelapor"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Penetapan KPK"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    sk_number = forms.CharField(label=_("Nomor SK"), max_length=100)
    sk_date = DateField(label=_("Tanggal SK"))
    compensation = NumberField(
        label=_("Kompensasi dibayar penerima (bila ada)"),
        kind=NumberKind.RUPIAH,
        min_value=0,
        max_value=Decimal("999999999999999"),
        whole=True,
        required=False,
    )
    compensation_paid_on = DateField(label=_("Tanggal kompensasi dibayar"), required=False)
    handover_note = forms.CharField(
        label=_("Penyerahan barang"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("mis. diserahkan ke KPK dengan berita acara nomor …"),
    )

    def decision(self) -> Decision:
        d = self.cleaned_data
        return Decision(
            outcome=d["outcome"],
            sk_number=d["sk_number"],
            sk_date=d["sk_date"],
            compensation=d["compensation"],
            compensation_paid_on=d["compensation_paid_on"],
            handover_note=d["handover_note"],
        )


class CustodyForm(forms.Form):
    description = forms.CharField(label=_("Barang"), max_length=300)
    received_on = DateField(label=_("Diterima UPG"))
    location = forms.CharField(
        label=_("Disimpan di"), max_length=200, help_text=_("mis. lemari besi ruang Inspektur")
    )
    note = forms.CharField(label=_("Catatan"), max_length=2000, required=False)


class ReleaseForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Keluar sebagai"),
        choices=[
            (CustodyItem.State.HANDED_OVER, CustodyItem.State.HANDED_OVER.label),
            (CustodyItem.State.RETURNED, CustodyItem.State.RETURNED.label),
        ],
    )
    released_on = DateField(label=_("Tanggal"))
    released_to = forms.CharField(label=_("Diserahkan kepada"), max_length=200)
    note = forms.CharField(label=_("Catatan"), max_length=2000, required=False)


class QueueFilters(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua")), *Report.State.choices]
    )
    tahun = forms.TypedChoiceField(label=_("Tahun"), required=False, coerce=int, empty_value=None)
    lewat = forms.BooleanField(label=_("Hanya yang lewat batas"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tahun"].choices = [("", _("Semua")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]
