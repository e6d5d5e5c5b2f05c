"""Loading the reference list of Pemda. Idempotent: a second run changes nothing."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cegah.audit import services as audit
from cegah.core.errors import DomainError

from .models import Pemda, Province, TimeZone

DEFAULT_SOURCE = Path(settings.BASE_DIR) / "data" / "regions"
EXPECTED = {Pemda.Kind.PROVINSI: 38, Pemda.Kind.KABUPATEN: 415, Pemda.Kind.KOTA: 93}


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int
    counts: dict[str, int]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _kind(raw_name: str) -> str:
    for prefix, kind in (("Kabupaten ", Pemda.Kind.KABUPATEN), ("Kota ", Pemda.Kind.KOTA)):
        if raw_name.startswith(prefix):
            return kind
    raise DomainError(_("Nama daerah tanpa awalan Kabupaten/Kota: %(name)s") % {"name": raw_name})


@transaction.atomic
def regions_load(*, source: Path = DEFAULT_SOURCE) -> LoadResult:
    zones = {
        r["province_code"]: TimeZone(r["time_zone"])
        for r in _rows(source / "province_time_zones.csv")
    }
    excluded = {r["code"] for r in _rows(source / "excluded_units.csv")}
    provinces = _rows(source / "idn-area-data" / "provinces.csv")
    regencies = _rows(source / "idn-area-data" / "regencies.csv")

    wanted: dict[str, dict[str, str]] = {}
    province_names = {p["code"]: p["name"] for p in provinces}
    for p in provinces:
        Province.objects.update_or_create(code=p["code"], defaults={"name": p["name"]})
        wanted[p["code"]] = {
            "name": f"Provinsi {p['name']}",
            "kind": Pemda.Kind.PROVINSI,
            "province": p["code"],
        }
    for r in regencies:
        if r["code"] in excluded:
            continue
        if r["province_code"] not in province_names:
            raise DomainError(_("Kode provinsi tidak dikenal: %(code)s") % {"code": r["code"]})
        wanted[r["code"]] = {
            "name": r["name"],
            "kind": _kind(r["name"]),
            "province": r["province_code"],
        }

    province_ids = dict(Province.objects.values_list("code", "id"))
    existing = {p.code: p for p in Pemda.objects.all()}
    created = updated = unchanged = 0
    for code, row in wanted.items():
        values = {
            "name": row["name"],
            "kind": row["kind"],
            "province_id": province_ids[row["province"]],
            "time_zone": zones[row["province"]],
        }
        current = existing.get(code)
        if current is None:
            Pemda.objects.create(code=code, **values)
            created += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            Pemda.objects.filter(pk=current.pk).update(**values)
            updated += 1
        else:
            unchanged += 1

    counts = {kind.value: Pemda.objects.filter(kind=kind).count() for kind in EXPECTED}
    if counts != {k.value: v for k, v in EXPECTED.items()}:
        raise DomainError(
            _("Jumlah Pemda tidak sesuai (diharapkan 38/415/93): %(counts)s") % {"counts": counts}
        )
    if created or updated:
        audit.record(
            actor=None,
            action="regions.load",
            data={"created": created, "updated": updated, "counts": counts},
        )
    return LoadResult(created=created, updated=updated, unchanged=unchanged, counts=counts)
