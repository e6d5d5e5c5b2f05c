from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RoleAssignment, User, VerifierAssignment


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    """Shown, not edited: roles are given and taken back in the app, through the services that
    check who may give what and write the audit entry."""

    model = RoleAssignment
    fk_name = "user"
    extra = 0
    can_delete = False
    readonly_fields = ["role", "pemda", "opd", "granted_by", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name", "nip"]
    list_filter = ["is_active", "is_staff", "roles__role"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identitas"), {"fields": ("full_name", "nip")}),
        (_("Akses"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


@admin.register(VerifierAssignment)
class VerifierAssignmentAdmin(admin.ModelAdmin[VerifierAssignment]):
    """Read-only: the Koordinator assigns verifiers in the app (separation of duties, audit)."""

    list_display = ["verifier", "pemda", "assigned_by", "created_at"]
    search_fields = ["verifier__email", "pemda__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Nobody reads another person's TOTP secret: devices are enrolled and replaced by their owner.
for _device_model in (TOTPDevice,):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
