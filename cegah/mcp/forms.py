from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cegah.core.i18n import text_in_reader_language
from cegah.mcp.models import SubIndicator
from cegah.regions.models import Opd, Pemda


class _LocalDateTime(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class PeriodForm(forms.Form):
    # Entered in WIB (the server's time zone); each Pemda sees it in its own.
    number = forms.TypedChoiceField(
        label=_("Termin"), choices=[(n, str(n)) for n in range(1, 5)], coerce=int
    )
    opens_at = forms.DateTimeField(label=_("Dibuka (WIB)"), widget=_LocalDateTime())
    upload_deadline = forms.DateTimeField(label=_("Batas unggah (WIB)"), widget=_LocalDateTime())
    verification_deadline = forms.DateTimeField(
        label=_("Batas verifikasi (WIB)"), widget=_LocalDateTime()
    )

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
    upload_deadline = forms.DateTimeField(
        label=_("Batas unggah baru (WIB)"), widget=_LocalDateTime()
    )
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


class AnswerForm(forms.Form):
    value = forms.CharField(required=False, max_length=40)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas bukti"),
        error_messages={"required": _("Pilih berkas yang akan diunggah.")},
    )
    effective_date = forms.DateField(
        label=_("Berlaku sejak"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Berlaku sampai (bila ada)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


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
    verified_value = forms.CharField(
        label=_("Nilai terverifikasi (kosongkan untuk memakai nilai Pemda)"),
        required=False,
        max_length=40,
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
        if sub.answer_type == sub.AnswerType.DOCUMENT:
            del self.fields["verified_value"]
        elif sub.answer_type == sub.AnswerType.YES_NO:
            choices = [*same, ("1", _("Ya")), ("0", _("Tidak"))]
            self.fields["verified_value"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
        elif sub.answer_type == sub.AnswerType.CHOICE:
            options = [(str(i), text_in_reader_language(o)) for i, o in enumerate(sub.options)]
            self.fields["verified_value"] = forms.ChoiceField(
                label=label, choices=[*same, *options], required=False
            )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class QueueFilterForm(forms.Form):
    provinsi = forms.CharField(required=False, max_length=2)
    pemda = forms.CharField(required=False, max_length=5)
    area = forms.CharField(required=False, max_length=20)
    status = forms.CharField(required=False, max_length=12)
    umur = forms.IntegerField(required=False, min_value=0, max_value=365)
    urut = forms.CharField(required=False, max_length=10)
