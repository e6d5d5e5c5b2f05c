from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cegah.core.inputs import NumberField
from cegah.core.numbers import NumberKind

from . import proof_of_work
from .models import ReportType
from .services import ReportContent, ReporterIdentity, Upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def choose_again(request: HttpRequest) -> str:
    """A refused form cannot give the browser its files back, and a reporter's files are not
    kept anywhere before the report is accepted. Sent by static/js/wbs.js, the chosen files stay
    in the page; sent without it, the page names the ones to choose again."""
    files = request.FILES.getlist("attachments")
    if not files or request.headers.get("X-Keeps-Files"):
        return ""
    return _(
        "Berkas yang tadi dipilih belum terkirim dan tidak disimpan. Pilih lagi: %(names)s."
    ) % {"names": ", ".join(f.name or "" for f in files)}


def uploads_of(files: list[UploadedFile[Any]]) -> list[Upload]:
    return [Upload(name=f.name or "", file=f) for f in files]


class ProofOfWorkForm(forms.Form):
    pow_token = forms.CharField(widget=forms.HiddenInput, max_length=400)
    pow_solution = forms.CharField(widget=forms.HiddenInput, max_length=20, required=False)

    def redeem(self, *, purpose: str) -> None:
        """Spends the form's challenge (proof_of_work.ChallengeFailed or MustWait otherwise)."""
        proof_of_work.redeem(
            token=self.cleaned_data["pow_token"],
            solution=self.cleaned_data["pow_solution"],
            purpose=purpose,
            required_bits=proof_of_work.AS_ISSUED,
        )


class ReportForm(ProofOfWorkForm):
    type = forms.ChoiceField(
        label=_("Jenis laporan"), choices=ReportType.choices, widget=forms.RadioSelect
    )
    what = forms.CharField(
        label=_("Apa yang terjadi?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ceritakan kejadiannya selengkap yang Anda tahu."),
    )
    who_name = forms.CharField(
        label=_("Siapa yang terlibat? (nama)"), max_length=200, required=False
    )
    who_position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    who_unit = forms.CharField(
        label=_("Unit kerja / OPD"),
        max_length=200,
        required=False,
        help_text=_("Bila yang dilaporkan Inspektorat sendiri, laporan ditangani di atasnya."),
    )
    when = forms.CharField(label=_("Kapan?"), max_length=200, required=False)
    where = forms.CharField(label=_("Di mana?"), max_length=300, required=False)
    how = forms.CharField(
        label=_("Bagaimana caranya?"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    estimated_loss = NumberField(
        kind=NumberKind.RUPIAH,
        label=_("Perkiraan kerugian (Rp)"),
        min_value=0,
        max_value=10**15,
        whole=True,
        required=False,
        help_text=_("Misalnya Rp50.000.000. Boleh dikosongkan."),
    )
    route = forms.ChoiceField(
        label=_("Siapa yang menangani laporan ini?"),
        choices=[
            ("pemda", _("Inspektorat pemerintah daerah ini")),
            ("atas", _("Inspektorat provinsi (untuk kabupaten/kota) atau Koordinator nasional")),
            ("nasional", _("Koordinator nasional")),
        ],
        initial="pemda",
        required=False,  # not chosen: the Pemda's inspectorate, as the first choice says
        widget=forms.RadioSelect,
        help_text=_(
            "Pilih tingkat yang lebih tinggi bila yang Anda laporkan adalah Inspektorat daerah "
            "ini, pejabatnya, atau orang yang dekat dengan mereka. Laporan yang menyebut nama "
            "penangannya sendiri selalu naik ke tingkat di atasnya."
        ),
    )
    attachments = MultipleFileField(
        label=_("Bukti (PDF, JPG, PNG, DOCX, XLSX, ODT, ODS)"),
        help_text=_(
            "Metadata berkas (lokasi GPS foto, nama penulis dokumen, tanggal) dihapus sebelum "
            "disimpan. Isi dokumen tidak diubah: jangan tulis nama Anda di dalamnya bila ingin "
            "tetap anonim."
        ),
    )
    give_identity = forms.BooleanField(
        label=_("Saya bersedia memberikan identitas"), required=False
    )
    identity_name = forms.CharField(label=_("Nama Anda"), max_length=200, required=False)
    identity_contact = forms.CharField(
        label=_("Kontak (telepon atau email)"), max_length=200, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("give_identity") and not data.get("identity_name", "").strip():
            self.add_error("identity_name", _("Isi nama Anda, atau batalkan pilihan identitas."))
        return data

    def content(self) -> ReportContent:
        d = self.cleaned_data
        return ReportContent(
            what=d["what"],
            who_name=d["who_name"],
            who_position=d["who_position"],
            who_unit=d["who_unit"],
            when=d["when"],
            where=d["where"],
            how=d["how"],
            estimated_loss=None if d["estimated_loss"] is None else int(d["estimated_loss"]),
        )

    def identity(self) -> ReporterIdentity | None:
        d = self.cleaned_data
        if not d["give_identity"]:
            return None
        return ReporterIdentity(name=d["identity_name"].strip(), contact=d["identity_contact"])


class FollowForm(ProofOfWorkForm):
    receipt = forms.CharField(
        label=_("Kode tanda terima (16 angka)"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ReporterMessageForm(ProofOfWorkForm):
    """A follow-up message costs the browser a moment of work, like the report itself: files
    may come with it (docs/subsystems/wbs-privacy.md)."""

    body = forms.CharField(
        label=_("Pesan atau keterangan tambahan"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(label=_("Bukti tambahan"))


class TransitionForm(forms.Form):
    to_state = forms.CharField(max_length=16)
    note = forms.CharField(
        label=_("Penjelasan untuk pelapor"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class HandlerMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Pesan untuk pelapor"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    asks_for_information = forms.BooleanField(
        label=_("Minta informasi tambahan (laporan ditutup bila tidak dijawab dalam batas waktu)"),
        required=False,
    )
    attachments = MultipleFileField(label=_("Lampiran"))


class DisclosureForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka identitas pelapor"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alasan ini dicatat di jejak audit bersama nama Anda."),
    )
