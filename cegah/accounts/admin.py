from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, User, VerifierAssignment


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["pemda", "opd"]
    readonly_fields = ["granted_by", "created_at"]


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
    list_display = ["verifier", "pemda", "assigned_by", "created_at"]
    search_fields = ["verifier__email", "pemda__name"]
    autocomplete_fields = ["verifier", "pemda"]
