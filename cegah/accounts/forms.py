from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from cegah.regions.models import Opd, Pemda

from .institutions import institution_choices
from .lockout import normalised_email
from .models import Role, User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("Email atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
    }

    def clean_username(self) -> str:
        # The lockout counts under this same form (cegah/accounts/lockout.py).
        return normalised_email(self.cleaned_data.get("username"))


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Kode 6 digit dari aplikasi autentikator"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Masukkan 6 angka.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "maxlength": 6,
            }
        ),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    role = forms.ChoiceField(label=_("Peran"))
    opd = forms.ModelChoiceField(
        label=_("OPD (untuk operator)"), queryset=Opd.objects.none(), required=False
    )
    institution = forms.ChoiceField(label=_("Instansi (untuk verifikator)"), required=False)

    def __init__(self, *args: Any, roles: list[Role], pemda: Pemda | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [(r.value, r.label) for r in roles]
        if Role.VERIFIKATOR in roles:
            cast(forms.ChoiceField, self.fields["institution"]).choices = [
                ("", "—"),
                *institution_choices(),
            ]
        else:
            del self.fields["institution"]
        if pemda is None:
            del self.fields["opd"]
        else:
            cast("forms.ModelChoiceField[Opd]", self.fields["opd"]).queryset = Opd.objects.filter(
                pemda=pemda, is_active=True
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.OPERATOR and not data.get("opd"):
            self.add_error("opd", _("Pilih OPD tempat operator bekerja."))
        if data.get("role") == Role.VERIFIKATOR and not data.get("institution"):
            self.add_error("institution", _("Pilih instansi tempat verifikator bekerja."))
        return data


class OpdForm(forms.Form):
    name = forms.CharField(label=_("Nama OPD"), max_length=200)
    short_name = forms.CharField(label=_("Singkatan"), max_length=30, required=False)


class OpdEditForm(OpdForm):
    is_active = forms.BooleanField(label=_("Aktif"), required=False)
    # The OPD's updated_at when the form was drawn, to refuse edits made on a stale form.
    version = forms.CharField(widget=forms.HiddenInput)

    def clean_version(self) -> datetime:
        try:
            return datetime.fromisoformat(self.cleaned_data["version"])
        except ValueError:
            raise forms.ValidationError(_("Formulir tidak valid. Muat ulang halaman.")) from None


class VerifierInstitutionForm(forms.Form):
    verifier = forms.ModelChoiceField(queryset=User.objects.none(), widget=forms.HiddenInput)
    institution = forms.ChoiceField(label=_("Instansi"))

    def __init__(self, *args: Any, verifiers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["verifier"]).queryset = verifiers
        cast(forms.ChoiceField, self.fields["institution"]).choices = institution_choices()


class VerifierAssignForm(forms.Form):
    verifier = forms.ModelChoiceField(label=_("Verifikator"), queryset=User.objects.none())
    pemda = forms.ModelChoiceField(
        label=_("Pemda"), queryset=Pemda.objects.select_related("province").order_by("code")
    )

    def __init__(self, *args: Any, verifiers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["verifier"]).queryset = verifiers
