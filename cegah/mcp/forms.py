from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cegah.core.checked_file import CheckedFileForm
from cegah.core.i18n import text_in_reader_language
from cegah.core.inputs import (
    DateField,
    DateTimeField,
    MultipleFileField,
    NumberField,
    NumberInput,
)
from cegah.core.numbers import NumberKind
from cegah.mcp.models import Recommendation, SubIndicator
from cegah.mcp.recommendation_selectors import RecommendationFilters
from cegah.regions.models import Opd, Pemda


class PeriodForm(forms.Form):
    # Entered in WIB (the server's time zone); each Pemda sees it in its own.
    number = forms.TypedChoiceField(
        label=_("Termin"), choices=[(n, str(n)) for n in range(1, 5)], coerce=int
    )
    opens_at = DateTimeField(label=_("Dibuka"))
    upload_deadline = DateTimeField(label=_("Batas unggah"))
    verification_deadline = DateTimeField(label=_("Batas verifikasi"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opens: datetime | None = data.get("opens_at")
        upload: datetime | None = data.get("upload_deadline")
        verify: datetime | None = data.get("verification_deadline")
        if opens and upload and verify and not opens < upload <= verify:
            raise forms.ValidationError(
                _("Urutan tanggal harus: dibuka, lalu batas unggah, lalu batas verifikasi.")
            )
        return data

    def __init__(self, *args: Any, taken: set[int], **kwargs: Any) -> None:
        """Offers only the termin numbers the year does not have yet."""
        super().__init__(*args, **kwargs)
        self.free_numbers = [n for n in range(1, 5) if n not in taken]
        cast("forms.TypedChoiceField", self.fields["number"]).choices = [
            (n, str(n)) for n in self.free_numbers
        ]

    @property
    def has_room(self) -> bool:
        return bool(self.free_numbers)


class ExtensionForm(forms.Form):
    pemda = forms.ModelChoiceField(
        label=_("Pemda"),
        queryset=Pemda.objects.select_related("province").order_by("code"),
        to_field_name="code",
        error_messages={"invalid_choice": _("Pemda tidak dikenal.")},
    )
    upload_deadline = DateTimeField(label=_("Batas unggah baru"))
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    opd = forms.ModelChoiceField(
        label=_("Tugaskan ke OPD"),
        queryset=Opd.objects.none(),
        error_messages={"invalid_choice": _("Pilih OPD aktif dari Pemda ini.")},
    )
    indicators = forms.TypedMultipleChoiceField(
        label=_("Indikator"),
        coerce=int,
        error_messages={
            "required": _("Pilih setidaknya satu indikator."),
            "invalid_choice": _(
                "Indikator %(value)s tidak berlaku untuk Pemda ini; tidak ada yang ditugaskan."
            ),
        },
    )

    def __init__(self, *args: Any, pemda: Pemda, indicator_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.filter(  # type: ignore[attr-defined]
            pemda=pemda, is_active=True
        ).order_by("name")
        # Ids outside the board (another Pemda's, another kind's) fail here, before any service.
        self.fields["indicators"].choices = [(i, str(i)) for i in indicator_ids]  # type: ignore[attr-defined]


def value_field(sub: SubIndicator, **kwargs: Any) -> NumberField:
    """The shared number input, read as the question asks: a percentage between 0 and 100, a
    number of 0 or more, or the index of a yes/no or choice answer."""
    if sub.answer_type == sub.AnswerType.PERCENTAGE:
        return NumberField(kind=NumberKind.PERCENT, min_value=0, max_value=100, **kwargs)
    if sub.answer_type == sub.AnswerType.NUMBER:
        return NumberField(min_value=0, **kwargs)
    return NumberField(whole=True, min_value=0, **kwargs)


class AnswerForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, sub: SubIndicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"] = value_field(sub, required=False, label=_("Jawaban"))


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas bukti"),
        error_messages={"required": _("Pilih berkas yang akan diunggah.")},
    )
    effective_date = DateField(label=_("Berlaku sejak"))
    valid_until = DateField(label=_("Berlaku sampai (bila ada)"), required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Komentar"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Setujui")), ("return", _("Kembalikan"))],
        widget=forms.RadioSelect,
        label=_("Keputusan"),
    )
    reason = forms.CharField(
        label=_("Alasan (wajib bila dikembalikan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, sub: SubIndicator, **kwargs: Any) -> None:
        """The verified value asked as the question asks it: a yes/no or a choice among the
        question's options; nothing for a document-only question, which approval marks met."""
        super().__init__(*args, **kwargs)
        same = [("", _("Sama dengan jawaban Pemda"))]
        label = _("Nilai terverifikasi")
        if sub.answer_type in (sub.AnswerType.NUMBER, sub.AnswerType.PERCENTAGE):
            self.fields["verified_value"] = value_field(
                sub,
                required=False,
                label=_("Nilai terverifikasi (kosongkan untuk memakai nilai Pemda)"),
            )
        elif sub.answer_type == sub.AnswerType.YES_NO:
            choices = [*same, ("1", _("Ya")), ("0", _("Tidak"))]
            self.fields["verified_value"] = forms.TypedChoiceField(
                label=label, choices=choices, required=False, coerce=Decimal, empty_value=None
            )
        elif sub.answer_type == sub.AnswerType.CHOICE:
            options = [(str(i), text_in_reader_language(o)) for i, o in enumerate(sub.options)]
            self.fields["verified_value"] = forms.TypedChoiceField(
                label=label,
                choices=[*same, *options],
                required=False,
                coerce=Decimal,
                empty_value=None,
            )
        self.order_fields(["decision", "verified_value", "reason"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class QueueFilterForm(forms.Form):
    provinsi = forms.CharField(required=False, max_length=2)
    pemda = forms.CharField(required=False, max_length=5)
    area = forms.CharField(required=False, max_length=20)
    status = forms.CharField(required=False, max_length=12)
    umur = NumberField(
        label=_("Menunggu ≥ hari"),
        required=False,
        whole=True,
        min_value=0,
        max_value=365,
        widget=NumberInput(attrs={"inputmode": "numeric"}),
    )
    urut = forms.CharField(required=False, max_length=10)


class HistoryFileForm(CheckedFileForm):
    """A table of published results or awards, checked first (cegah.core.checked_file)."""


class HistoryResultsForm(HistoryFileForm):
    source_name = forms.CharField(
        label=_("Sumber"), max_length=200, help_text=_("mis. jaga.id, siaran pers KPK")
    )
    source_url = forms.URLField(
        label=_("Alamat sumber"), max_length=500, required=False, assume_scheme="https"
    )
    announced_on = DateField(label=_("Tanggal pengumuman"), required=False)
    announced_event = forms.CharField(label=_("Acara pengumuman"), max_length=300, required=False)
    reason = forms.CharField(
        label=_("Alasan (wajib bila tahun itu sudah pernah diterbitkan)"), required=False
    )


# --- Recommendations ----------------------------------------------------------------------------


class RecommendationForm(forms.Form):
    """A recommendation for one of the Pemda the writer may write for, about an area or an
    indicator of the year's catalogue (both optional: the service checks they belong)."""

    pemda = forms.ModelChoiceField(
        label=_("Pemda"),
        queryset=Pemda.objects.none(),
        to_field_name="code",
        error_messages={"invalid_choice": _("Pilih Pemda yang Anda tangani.")},
    )
    area = forms.TypedChoiceField(
        label=_("Area (bila ada)"), required=False, coerce=int, empty_value=None
    )
    indicator = forms.TypedChoiceField(
        label=_("Indikator (bila ada)"), required=False, coerce=int, empty_value=None
    )
    title = forms.CharField(label=_("Judul"), max_length=200)
    text = forms.CharField(
        label=_("Rekomendasi perbaikan"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    due_on = DateField(label=_("Tenggat"))

    def __init__(
        self,
        *args: Any,
        pemdas: Any,
        areas: list[tuple[int, str]],
        indicators: list[tuple[str, list[tuple[int, str]]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pemda"].queryset = pemdas  # type: ignore[attr-defined]
        none = [("", _("— Tidak ada —"))]
        self.fields["area"].choices = [*none, *areas]  # type: ignore[attr-defined]
        self.fields["indicator"].choices = [*none, *indicators]  # type: ignore[attr-defined]

    def clean_due_on(self) -> date:
        due_on: date = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("Tenggat tidak boleh di masa lalu."))
        return due_on


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("Tindak lanjut yang sudah dilakukan"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("Berkas bukti (bila ada, paling banyak 5)"), required=False
    )


class RecommendationFilterForm(forms.Form):
    """The lists' filters, read from the address; a value the list does not know is ignored."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), *Recommendation.State.choices],
    )
    terlambat = forms.BooleanField(label=_("Hanya yang terlambat"), required=False)
    provinsi = forms.CharField(label=_("Provinsi"), required=False, max_length=2)
    pemda = forms.CharField(label=_("Pemda"), required=False, max_length=5)
    area = forms.CharField(label=_("Area"), required=False, max_length=20)
    tahun = forms.TypedChoiceField(
        label=_("Tahun"), required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tahun"].choices = [  # type: ignore[attr-defined]
            ("", _("Semua")),
            *((y, str(y)) for y in years),
        ]

    def filters(self) -> RecommendationFilters:
        self.is_valid()
        # Each field alone: one bad value does not drop the others.
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return RecommendationFilters(
            state=data.get("status") or "",
            overdue=bool(data.get("terlambat")),
            province=data.get("provinsi") or "",
            pemda=data.get("pemda") or "",
            area=data.get("area") or "",
            year=data.get("tahun"),
        )
