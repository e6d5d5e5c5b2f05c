from django.contrib import admin
from django.http import HttpRequest

from .models import Opd, Pemda, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin[Province]):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Pemda)
class PemdaAdmin(admin.ModelAdmin[Pemda]):
    list_display = ["code", "name", "kind", "province", "time_zone"]
    list_filter = ["kind", "time_zone", "province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]

    def has_delete_permission(self, request: HttpRequest, obj: Pemda | None = None) -> bool:
        return False  # reference data: changed only by load_regions


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin[Opd]):
    list_display = ["name", "short_name", "pemda", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "pemda__name"]
    list_select_related = ["pemda"]
    autocomplete_fields = ["pemda"]
