"""The authorization matrix: every URL pattern (read from the resolver), asked by anonymous and
every role, about their own and another Pemda (where the address names one, or an object of
one), with GET and POST, against the answers written down in authorization_expectations.py.

A URL added without a row there fails `test_every_url_has_an_expectation`; a row left behind by
a removed URL fails `test_every_expectation_names_a_url`. One test per URL asks all its cells
and lists every cell that answers otherwise. Each request runs in a savepoint rolled back after
it, so an allowed POST that changes something leaves the next cell the same world.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cegah.accounts.models import Role, RoleAssignment, StaffImport, VerifierAssignment
from cegah.core.tests.authorization_expectations import (
    ADMIN_LOGIN,
    EXPECTED,
    HANDLER,
    KNOWN_BUGS,
    LOGIN,
    MIXED,
    NATIONAL,
    NO_SCOPE,
    OTHER,
    OWN,
    ROLES,
    ROUTED_UP,
    SIBLING,
    Answer,
    Cell,
)
from cegah.mcp.models import Answer as McpAnswer
from cegah.mcp.models import IndicatorAssignment, Period, ScoreJob, SubIndicator
from cegah.mcp.services import catalogue_import
from cegah.mcp.services import recommendations as mcp_recommendations
from cegah.mcp.services import reporting as mcp_reporting
from cegah.mcp.services.scores import export_job_start, scores_publish
from cegah.mcp.tests.conftest import (  # noqa: F401 - fixtures used through getfixturevalue
    CATALOGUES,
    catalogue_2025,
    make_period,
    reporting,
    write_recommendation,
)
from cegah.testing.clients import sign_in
from cegah.testing.factories import make_user
from cegah.testing.world import World
from cegah.uploads.tests import files
from cegah.wbs.models import HandlingLevel
from cegah.wbs.services import Upload
from cegah.wbs.tests.conftest import (  # noqa: F401 - submit is a fixture, as above
    jpeg_with_gps,
    key_of,
    submit,
)

METHODS = ("GET", "POST")
BINJAI, PEKALONGAN = "12.75", "33.75"
SUMUT, JATENG = "12", "33"
OPEN_YEAR = 2025  # the open termin's year (cegah/mcp/tests/catalogues/valid.yaml)
PUBLISHED_YEAR = 2024  # published in `_published` (small-2024.yaml)

# The person of each role (attributes of cegah.testing.world.World); anonymous signs in as no one.
ROLE_USERS = {
    "nobody": "nobody",
    "operator": "operator_binjai",
    "admin_pemda": "admin_binjai",
    "inspektorat": "inspektorat_binjai",
    "verifier": "verifier_sumut",
    "koordinator": "koordinator",
    "superadmin": "superadmin",
    "pegawai": "pegawai_binjai",
    "upg": "upg_binjai",
}


# --- Every URL pattern, from the resolver -------------------------------------------------------


def _skipped(namespace: str, key: str, route: str) -> bool:
    """Django's admin site keeps its own answers (decision 0002): only its index is asked.
    Static and media files, were they ever served by a URL pattern, are no page."""
    if namespace.startswith("admin:") and key != "admin:index":
        return True
    served = [settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")]
    return any(prefix and route.startswith(prefix.lstrip("/")) for prefix in served)


def url_patterns(
    resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str]]:
    """(key, route) of every URL pattern: the key is the namespaced URL name ("mcp:work"), or
    the route for a pattern without a name."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner, route)
        elif isinstance(entry, URLPattern):
            key = f"{namespace}{entry.name}" if entry.name else route
            if not _skipped(namespace, key, route):
                yield key, route


def test_every_url_has_an_expectation() -> None:
    missing = sorted(f"{key} ({route})" for key, route in url_patterns() if key not in EXPECTED)
    assert not missing, "URL patterns with no row in authorization_expectations.py: " + ", ".join(
        missing
    )


def test_every_expectation_names_a_url() -> None:
    keys = {key for key, _route in url_patterns()}
    gone = sorted(set(EXPECTED) - keys) + sorted({cell[0] for cell in KNOWN_BUGS} - keys)
    assert not gone, (
        "rows of authorization_expectations.py for URLs that do not exist: " + ", ".join(gone)
    )


def test_no_two_patterns_share_a_name() -> None:
    keys = [key for key, _route in url_patterns()]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


# --- What each address is asked with -------------------------------------------------------------


class Ref(NamedTuple):
    """An id made by the fixture below, by its name in `Objects.ids`."""

    name: str


def _by_code(**extra: object) -> dict[str, dict[str, object]]:
    return {OWN: {"code": BINJAI, **extra}, OTHER: {"code": PEKALONGAN, **extra}}


def _objects(kind: str, *scopes: str, arg: str = "pk") -> dict[str, dict[str, object]]:
    return {scope: {arg: Ref(f"{kind}.{scope}")} for scope in scopes}


def _items() -> dict[str, dict[str, object]]:
    return {
        OWN: {"code": BINJAI, "sub_id": Ref("sub.own")},
        OTHER: {"code": PEKALONGAN, "sub_id": Ref("sub.own")},
        SIBLING: {"code": BINJAI, "sub_id": Ref("sub.sibling")},
    }


def _code_and_object(kind: str) -> dict[str, dict[str, object]]:
    return {
        OWN: {"code": BINJAI, "pk": Ref(f"{kind}.own")},
        OTHER: {"code": PEKALONGAN, "pk": Ref(f"{kind}.other")},
        MIXED: {"code": BINJAI, "pk": Ref(f"{kind}.other")},  # Binjai's address, another's id
    }


REPORTS = (OWN, OTHER, NATIONAL, ROUTED_UP)
PUBLISHED: dict[str, dict[str, object]] = {NO_SCOPE: {"year": PUBLISHED_YEAR}}

# The address's arguments per scope; a URL not listed takes none (scope NO_SCOPE).
ARGUMENTS: dict[str, dict[str, dict[str, object]]] = {
    "accounts:password_reset_confirm": {NO_SCOPE: {"uidb64": Ref("uid"), "token": "bad-token"}},
    "accounts:pemda_members": _by_code(),
    "accounts:opd_list": _by_code(),
    "accounts:opd_edit": _code_and_object("opd"),
    "accounts:staff_list": _by_code(),
    "accounts:staff_import": _by_code(),
    "accounts:staff_import_detail": _code_and_object("staff_import"),
    "accounts:role_revoke": _objects("role", OWN, OTHER, HANDLER),
    "accounts:verifier_unassign": _objects("verifier_assignment", OWN, OTHER),
    "mcp:catalogue": {NO_SCOPE: {"year": OPEN_YEAR}},
    "mcp:catalogue_changes": {NO_SCOPE: {"year": OPEN_YEAR}},
    "mcp:period_open": {NO_SCOPE: {"pk": Ref("period")}},
    "mcp:period_close": {NO_SCOPE: {"pk": Ref("period")}},
    "mcp:period_extend": {NO_SCOPE: {"pk": Ref("period")}},
    "mcp:year_setting": {NO_SCOPE: {"year": OPEN_YEAR}},
    "mcp:verifier_areas": _objects("verifier_assignment", OWN, OTHER),
    "mcp:assignment_board": _by_code(),
    "mcp:assignment_remove": _code_and_object("assignment"),
    "mcp:work_row": _items(),
    "mcp:work_answer": _items(),
    "mcp:work_evidence": _items(),
    "mcp:work_resubmit": _items(),
    "mcp:work_revise": _items(),
    "mcp:comment": _objects("answer", OWN, OTHER, SIBLING),
    "mcp:evidence_download": _objects("evidence", OWN, OTHER, SIBLING),
    "mcp:verify_item": _objects("answer", OWN, OTHER, SIBLING),
    "mcp:report_review": _by_code(),
    "zi:units": _by_code(),
    "zi:assessment_start": _objects("zi_unit", OWN, OTHER),
    "zi:assessment": _objects("zi_assessment", OWN, OTHER),
    "zi:verdict": _objects("zi_assessment", OWN, OTHER),
    "zi:evidence_download": _objects("zi_evidence", OWN, OTHER),
    "zi:worksheet": _objects("zi_assessment", OWN, OTHER),
    "zi:summary": _objects("zi_assessment", OWN, OTHER),
    "zi:whatif": _objects("zi_assessment", OWN, OTHER),
    "zi:proposal_create": _objects("zi_assessment", OWN, OTHER),
    "zi:proposal": _objects("zi_proposal", OWN, OTHER),
    "zi:stage_evidence": _objects("zi_stage", OWN, OTHER),
    "zi:designation_revoke": _objects("zi_designation", OWN, OTHER),
    "public:zi_pemda": _by_code(),
    **{
        f"upg:{name}": _objects("upg_report", OWN, OTHER)
        for name in ("report", "report_complete", "kpk_pdf", "kpk_csv", "kpk_json")
    },
    "upg:evidence_download": _objects("upg_evidence", OWN, OTHER),
    "upg:queue": _by_code(),
    "upg:custody": _by_code(),
    "upg:statistics": _by_code(),
    "upg:register_pdf": _by_code(),
    "public:gratification_pemda": _by_code(),
    "public:conflicts_pemda": _by_code(),
    "public:profile": _by_code(),
    "public:open_data_csv": {NO_SCOPE: {"year": 2025}},
    "api_spi": {NO_SCOPE: {"year": 2025}},
    "public:profile_pdf": _by_code(),
    "coi:declaration": _objects("coi_declaration", OWN, OTHER),
    "coi:document_download": _objects("coi_document", OWN, OTHER),
    "coi:statement": {NO_SCOPE: {"year": 2026}},
    "coi:register": _by_code(),
    "coi:positions": _by_code(),
    "home:coi_related": _by_code(),
    "mcp:monitoring_pemda": _by_code(),
    "mcp:monitoring_export": {NO_SCOPE: {"fmt": "csv"}},
    "mcp:report_export": _by_code(fmt="csv"),
    "mcp:verify_export": {NO_SCOPE: {"fmt": "csv"}},
    "mcp:score_job": {NO_SCOPE: {"pk": Ref("score_job")}},
    "mcp:recommendation_pemda": _by_code(),
    "mcp:recommendation_export": {NO_SCOPE: {"fmt": "csv"}},
    **{
        f"mcp:recommendation_{act}": _objects("recommendation", OWN, OTHER, SIBLING)
        for act in ("detail", "follow_up", "request", "accept", "return")
    },
    "mcp:recommendation_file": _objects("recommendation_file", OWN, OTHER, SIBLING),
    "public:national": PUBLISHED,
    "public:ranking_csv": PUBLISHED,
    "public:ranking_xlsx": PUBLISHED,
    "public:bulk_download": PUBLISHED,
    "public:province": {
        OWN: {"year": PUBLISHED_YEAR, "code": SUMUT},
        OTHER: {"year": PUBLISHED_YEAR, "code": JATENG},
    },
    "public:pemda": _by_code(),
    "public:report_card": _by_code(year=PUBLISHED_YEAR),
    "api_indicators": PUBLISHED,
    "api_scores": PUBLISHED,
    "api_area_scores": PUBLISHED,
    "api_rankings": PUBLISHED,
    "api_awards": PUBLISHED,
    "wbs_public:pemda_statistics": _by_code(),
    "wbs_public:report_new": _by_code(),
    "wbs:report": _objects("report", *REPORTS),
    "wbs:transition": _objects("report", *REPORTS),
    "wbs:message": _objects("report", *REPORTS),
    "wbs:note": _objects("report", *REPORTS),
    "wbs:assign": _objects("report", *REPORTS),
    "wbs:disclose": _objects("report", *REPORTS),
    "wbs:conflict": _objects("report", *REPORTS),
    "wbs:attachment": _objects("attachment", *REPORTS),
    "wbs:grant": _objects("handler", OWN, OTHER, arg="user_id"),
}

# A POST is empty unless it needs a field to reach the decision the URL exists for.
POST_DATA: dict[str, dict[str, str]] = {
    # A well-formed item form, so that the services' own checks are asked too (the answers are at
    # version 1; what a service refuses for its state still answers with the item).
    "mcp:work_answer": {"value": "1", "version": "1"},
    "mcp:work_resubmit": {"version": "1"},
    "mcp:work_revise": {"version": "1"},
    "mcp:verify_item": {"decision_form": "1"},  # a decision, not a read
    "mcp:score_admin": {"year": str(OPEN_YEAR), "recompute": "1"},  # asks first
    # Long enough to pass the reason's length check and reach the handler's.
    "wbs:disclose": {"reason": "Perlu keterangan langsung dari pelapor tentang kejadian ini."},
}

# The work page's items are fragments its htmx asks for.
HTMX = {
    "mcp:work_row",
    "mcp:work_answer",
    "mcp:work_evidence",
    "mcp:work_resubmit",
    "mcp:work_revise",
    "mcp:comment",
}


# What the world needs, beyond its people and OPD, for a URL's arguments and allowed answers; by
# the URL name's prefix unless named here.
NEEDS: dict[str, set[str]] = {
    "mcp:catalogue_changes": {"catalogue_2024", "mcp"},  # the changes since the year before
    "public:bulk_download": {"published", "data_file"},
    "api_schema": set(),
    "api_docs": set(),
    "api_provinces": set(),  # reference data
    "api_pemda": set(),
    "api_catalogues": {"catalogue_2024"},  # opened catalogues
    "api_indicators": {"catalogue_2024"},
    "public:zi_designations": {"zi"},
    "public:gratification": {"upg"},
    "public:gratification_pemda": {"upg"},
    "public:conflicts": {"coi"},
    "public:conflicts_pemda": {"coi"},
    "home:coi_related": {"coi"},
    "api_spi": {"spi"},
    "api_profiles": set(),
    "public:open_data": set(),
    "public:open_data_csv": set(),
    "public:zi_pemda": {"zi"},
    "api_zi_designations": {"zi"},
}
NEEDS.update(
    {
        f"mcp:recommendation_{name}": {"mcp", "recommendations"}
        for name in ("detail", "follow_up", "request", "accept", "return", "file", "list")
    }
)
NEEDS_BY_PREFIX = {
    "mcp:": {"mcp"},
    "wbs:": {"wbs"},
    "zi:": {"zi"},
    "upg:": {"upg"},
    "coi:": {"coi"},
    "public:": {"published"},
    "api_": {"published"},
}


def _needs(name: str) -> set[str]:
    if name in NEEDS:
        return NEEDS[name]
    return next(
        (need for prefix, need in NEEDS_BY_PREFIX.items() if name.startswith(prefix)), set()
    )


# --- The objects asked about, own and other -----------------------------------------------------


@dataclass
class Objects:
    world: World
    ids: dict[str, int | str]

    def resolve(self, arguments: Mapping[str, object]) -> dict[str, object]:
        return {k: self.ids[v.name] if isinstance(v, Ref) else v for k, v in arguments.items()}


def _narrow_people(world: World) -> None:
    """A civil servant of Binjai's BPKAD and Binjai's UPG: roles that open their own records
    or one module's work only (accounts.selectors.NARROW_ROLES)."""
    from cegah.accounts.models import Employee, Role
    from cegah.testing.factories import RoleAssignmentFactory, make_user

    pegawai = make_user("pegawai@binjai.test", "Rudi Simanjuntak")
    RoleAssignmentFactory.create(user=pegawai, role=Role.PEGAWAI, pemda=world.binjai)
    Employee.objects.create(
        user=pegawai,
        pemda=world.binjai,
        opd=world.bpkad_binjai,
        nip="198501012010011002",
        full_name=pegawai.full_name,
    )
    upg = make_user("upg@binjai.test", "Yusuf Batubara")
    RoleAssignmentFactory.create(user=upg, role=Role.UPG, pemda=world.binjai)
    world.pegawai_binjai = pegawai  # type: ignore[attr-defined]
    world.upg_binjai = upg  # type: ignore[attr-defined]


def _people(world: World) -> dict[str, int | str]:
    _narrow_people(world)

    def role_of(user: Any) -> int:
        return RoleAssignment.objects.get(user=user).pk

    def verifies(verifier: Any, pemda: Any) -> int:
        return VerifierAssignment.objects.get(verifier=verifier, pemda=pemda).pk

    return {
        "uid": urlsafe_base64_encode(force_bytes(world.nobody.pk)),
        "opd.own": world.bpkad_binjai.pk,
        "opd.other": world.bpbj_pekalongan.pk,
        "role.own": role_of(world.operator_pupr_binjai),
        "role.other": role_of(world.operator_pekalongan),
        "role.handler": role_of(world.inspektorat_binjai),
        "verifier_assignment.own": verifies(world.verifier_sumut, world.binjai),
        "verifier_assignment.other": verifies(world.verifier_jateng, world.kota_pekalongan),
        "staff_import.own": _staff_import(world.binjai),
        "staff_import.other": _staff_import(world.kota_pekalongan),
    }


def _staff_import(pemda: Any) -> int:
    counts = dict.fromkeys(("rows", "created", "updated", "unchanged", "returning", "leaving"), 0)
    record = StaffImport.objects.create(
        pemda=pemda, file_name="pegawai.csv", file_sha256="0" * 64, dry_run=True, **counts
    )
    return record.pk


def _catalogue_2024(world: World, request: pytest.FixtureRequest) -> dict[str, int | str]:
    """The small 2024 catalogue, opened for reporting (a termin of 2024 was opened)."""
    catalogue = catalogue_import(path=CATALOGUES / "small-2024.yaml").catalogue
    catalogue.opened_at = timezone.now()
    catalogue.save()
    return {}


def _published(world: World, request: pytest.FixtureRequest) -> dict[str, int | str]:
    """2024 published after its closed termin IV: Binjai and Kota Pekalongan answered."""
    period = make_period(PUBLISHED_YEAR, 4, state=Period.State.CLOSED)
    sub = SubIndicator.objects.get(indicator__catalogue__year=PUBLISHED_YEAR, code="PRC.1.1")
    for pemda in (world.binjai, world.kota_pekalongan):
        McpAnswer.objects.create(
            pemda=pemda,
            period=period,
            sub_indicator=sub,
            value=1,
            verified_value=1,
            state=McpAnswer.State.APPROVED,
        )
    scores_publish(actor=world.koordinator, year=PUBLISHED_YEAR)
    return {}


def _data_file(world: World, request: pytest.FixtureRequest) -> dict[str, int | str]:
    """The full data file of 2024, made in the background as the Koordinator asks."""
    with request.getfixturevalue("django_capture_on_commit_callbacks")(execute=True):
        export_job_start(actor=world.koordinator, year=PUBLISHED_YEAR)
    return {}


def _mcp(world: World, request: pytest.FixtureRequest) -> dict[str, int | str]:
    """The open termin of 2025: an answer with evidence from BPKAD Binjai (PRC.1.1, the
    operator's), from PUPR Binjai (BMD.1.1, another OPD's) and from BPBJ Kota Pekalongan."""
    open_termin = request.getfixturevalue("reporting")
    ids: dict[str, int | str] = {
        "period": open_termin.period.pk,
        "sub.own": open_termin.subs["PRC.1.1"].pk,
        "sub.sibling": open_termin.subs["BMD.1.1"].pk,
        "score_job": ScoreJob.objects.create(year=OPEN_YEAR, started_by=world.koordinator).pk,
    }
    for scope, pemda in ((OWN, world.binjai), (OTHER, world.kota_pekalongan)):
        ids[f"assignment.{scope}"] = IndicatorAssignment.objects.get(
            pemda=pemda, indicator__code="PRC.1", indicator__catalogue=open_termin.catalogue
        ).pk
    for scope, operator, pemda, code, value in (
        (OWN, world.operator_binjai, world.binjai, "PRC.1.1", Decimal(1)),
        (SIBLING, world.operator_pupr_binjai, world.binjai, "BMD.1.1", Decimal(5000)),
        (OTHER, world.operator_pekalongan, world.kota_pekalongan, "PRC.1.1", Decimal(1)),
    ):
        sub_id = open_termin.subs[code].pk
        answer = mcp_reporting.answer_save(
            user=operator,
            pemda=pemda,
            period=open_termin.period,
            sub_indicator_id=sub_id,
            value=value,
            expected_version=0,
        )
        evidence = mcp_reporting.evidence_add(
            user=operator,
            pemda=pemda,
            period=open_termin.period,
            sub_indicator_id=sub_id,
            upload=SimpleUploadedFile("notulen.pdf", files.PDF),
            effective_date=timezone.localdate(),
            valid_until=None,
        )
        ids[f"answer.{scope}"] = answer.pk
        ids[f"evidence.{scope}"] = evidence.pk
    return ids


def _recommendations(world: World, request: pytest.FixtureRequest) -> dict[str, int | str]:
    """A recommendation waiting for acceptance, with a follow-up and its file: Binjai's about
    PRC.1 (BPKAD's) and about BMD.1 (PUPR's), by Sumatera Utara's verifier, and Kota
    Pekalongan's by Jawa Tengah's."""
    open_termin = request.getfixturevalue("reporting")
    ids: dict[str, int | str] = {}
    for scope, author, admin, pemda, indicator in (
        (OWN, world.verifier_sumut, world.admin_binjai, world.binjai, "PRC.1"),
        (SIBLING, world.verifier_sumut, world.admin_binjai, world.binjai, "BMD.1"),
        (OTHER, world.verifier_jateng, world.admin_pekalongan, world.kota_pekalongan, "PRC.1"),
    ):
        rec = write_recommendation(
            world, open_termin, author=author, pemda=pemda, indicator=indicator
        )
        follow_up = mcp_recommendations.recommendation_follow_up_add(
            user=admin,
            recommendation_id=rec.pk,
            text="SOP ditetapkan.",
            uploads=[SimpleUploadedFile("sop.pdf", files.PDF)],
        )
        mcp_recommendations.recommendation_acceptance_request(user=admin, recommendation_id=rec.pk)
        ids[f"recommendation.{scope}"] = rec.pk
        ids[f"recommendation_file.{scope}"] = follow_up.files.get().pk
    return ids


def _wbs(world: World, request: pytest.FixtureRequest) -> dict[str, int | str]:
    """A report with a photo: about Binjai (its Inspektorat handles it), about Kota Pekalongan
    (its own), about Sumatera Utara naming its inspectorate (the Koordinator handles it), and
    about Binjai naming Binjai's Inspektorat (Sumatera Utara's handles it)."""
    send = request.getfixturevalue("submit")
    ids: dict[str, int | str] = {}
    # The handlers have signed in since key pairs came: the reports are sealed to them.
    key_of(world.inspektorat_binjai)
    key_of(world.koordinator)
    for scope, pemda, names_inspectorate, level in (
        (OWN, world.binjai, False, HandlingLevel.PEMDA),
        (OTHER, world.kota_pekalongan, False, HandlingLevel.PEMDA),
        (NATIONAL, world.sumut, True, HandlingLevel.NASIONAL),
        (ROUTED_UP, world.binjai, True, HandlingLevel.PROVINSI),
    ):
        report, _receipt = send(
            pemda=pemda,
            names_inspectorate=names_inspectorate,
            uploads=[Upload("foto.jpg", io.BytesIO(jpeg_with_gps()))],
        )
        assert report.level == level, (scope, report.level)
        ids[f"report.{scope}"] = report.pk
        ids[f"attachment.{scope}"] = report.attachments.get().pk
    # Handlers who joined after the reports, and wait for a colleague's grant: Binjai's and
    # Kota Pekalongan's.
    for scope, pemda in ((OWN, world.binjai), (OTHER, world.kota_pekalongan)):
        joined = make_user(f"irban.{scope}@matrix.test", f"Irban {scope}")
        RoleAssignment.objects.create(user=joined, role=Role.INSPEKTORAT, pemda=pemda)
        key_of(joined)
        ids[f"handler.{scope}"] = joined.pk
    return ids


def _zi(world: World, request: pytest.FixtureRequest) -> dict[str, int | str]:
    """A declared unit with its LKE and an evidence file, reviewed by the Pemda's TPI, proposed
    for WBK by 31 May, evaluated stage by stage (the pra-evaluasi with a file) and designated
    by a TPN member: BPKAD Kota Binjai's and BPBJ Kota Pekalongan's."""
    from cegah.accounts.models import Role
    from cegah.testing.factories import RoleAssignmentFactory, make_user
    from cegah.zi import services as zi
    from cegah.zi.models import Proposal
    from cegah.zi.tests.test_lke_and_scoring import ANSWERS, TEST_LKE

    zi.lke_import(path=TEST_LKE)
    tpn = make_user("tpn@menpan.test", "Tim Penilai Nasional")
    RoleAssignmentFactory.create(user=tpn, role=Role.TPN)
    ids: dict[str, int | str] = {}
    for scope, admin, pemda, opd in (
        (OWN, world.admin_binjai, world.binjai, world.bpkad_binjai),
        (OTHER, world.admin_pekalongan, world.kota_pekalongan, world.bpbj_pekalongan),
    ):
        unit = zi.unit_create(actor=admin, pemda=pemda, opd=opd, name=f"Unit {opd.name}")
        zi.declaration_create(
            actor=admin,
            pemda=pemda,
            declared_on=date(2026, 1, 5),
            upload=SimpleUploadedFile("pakta.pdf", files.PDF),
            units=[unit],
        )
        unit.refresh_from_db()
        assessment = zi.assessment_start(actor=admin, unit=unit, year=2026)
        answer = assessment.answers.get(code="MP.P1.a")
        evidence = zi.answer_evidence_add(
            user=admin, answer_id=answer.pk, upload=SimpleUploadedFile("sk.pdf", files.PDF)
        )
        for each in assessment.answers.all():
            zi.answer_save(
                user=admin,
                answer_id=each.pk,
                value=ANSWERS[each.code],
                note="",
                expected_version=each.version,
            )
        zi.assessment_submit(user=admin, assessment_id=assessment.pk)
        tpi = make_user(f"tpi@{pemda.code}.test", "TPI")
        RoleAssignmentFactory.create(user=tpi, role=Role.TPI, pemda=pemda)
        for each in assessment.answers.all():
            zi.answer_review(reviewer=tpi, answer_id=each.pk, value=each.value)
        proposal = zi.proposal_create(
            actor=admin, assessment_id=assessment.pk, predicate="WBK", today=date(2026, 5, 4)
        )
        zi.proposal_advance(
            actor=tpn,
            proposal_id=proposal.pk,
            stage=Proposal.State.PRA_EVALUASI,
            upload=SimpleUploadedFile("pra-evaluasi.pdf", files.PDF),
        )
        for stage in (Proposal.State.EVALUASI_DESK, Proposal.State.EVALUASI_LAPANGAN):
            zi.proposal_advance(actor=tpn, proposal_id=proposal.pk, stage=stage)
        zi.proposal_decide(
            actor=tpn, proposal_id=proposal.pk, designated=True, today=date(2026, 11, 2)
        )
        ids[f"zi_unit.{scope}"] = unit.pk
        ids[f"zi_assessment.{scope}"] = assessment.pk
        ids[f"zi_evidence.{scope}"] = evidence.pk
        ids[f"zi_proposal.{scope}"] = proposal.pk
        ids[f"zi_stage.{scope}"] = proposal.stages.get(stage=Proposal.State.PRA_EVALUASI).pk
        ids[f"zi_designation.{scope}"] = proposal.designation.pk
    return ids


def _upg(world: World, request: pytest.FixtureRequest) -> dict[str, int | str]:
    """A gratification report with an evidence file by a civil servant of Binjai (the
    matrix's Pegawai) and one of Pekalongan's, sent to their UPG."""
    from cegah.accounts.models import Employee, Role
    from cegah.testing.factories import RoleAssignmentFactory, make_user
    from cegah.upg import services as upg
    from cegah.upg.tests.conftest import REPORTER, RULES, gift

    for path in RULES:
        upg.rules_import(path=path)
    other = make_user("pegawai@pekalongan.test", "Dewi Lestari")
    RoleAssignmentFactory.create(user=other, role=Role.PEGAWAI, pemda=world.kota_pekalongan)
    Employee.objects.create(
        user=other,
        pemda=world.kota_pekalongan,
        opd=world.bpbj_pekalongan,
        nip="199001012015022009",
        full_name=other.full_name,
    )
    ids: dict[str, int | str] = {}
    for scope, person in ((OWN, world.pegawai_binjai), (OTHER, other)):  # type: ignore[attr-defined]
        report = upg.report_submit(
            actor=person,
            employee=person.employee,
            gift=gift(),
            reporter=REPORTER,
            uploads=[SimpleUploadedFile("foto.pdf", files.PDF)],
        )
        ids[f"upg_report.{scope}"] = report.pk
        ids[f"upg_evidence.{scope}"] = report.evidence.get().pk
    return ids


def _coi(world: World, request: pytest.FixtureRequest) -> dict[str, int | str]:
    """A declaration with a document by the matrix's Pegawai (whose superior is a head of BPKAD
    here) and one in Pekalongan; the matrix's Pegawai holds a position at risk in 2026."""
    from cegah.accounts.models import Employee
    from cegah.coi import services as coi
    from cegah.coi.models import RiskPosition
    from cegah.coi.tests.conftest import LISTS, employee, facts

    for path in LISTS:
        coi.lists_import(path=path)
    pegawai = world.pegawai_binjai.employee  # type: ignore[attr-defined]
    pegawai.superior = employee(
        "kaban@binjai.test",
        "Ahmad Harahap",
        pemda=world.binjai,
        opd=world.bpkad_binjai,
        nip="197001012000031001",
    )
    pegawai.save(update_fields=["superior"])
    other = employee(
        "staf@pekalongan.test",
        "Dewi Lestari",
        pemda=world.kota_pekalongan,
        opd=world.bpbj_pekalongan,
        nip="199001012015022008",
    )
    ids: dict[str, int | str] = {}
    for scope, person in ((OWN, pegawai), (OTHER, other)):
        declaration = coi.declaration_submit(
            actor=person.user,
            employee=Employee.objects.get(pk=person.pk),
            facts=facts(),
            uploads=[SimpleUploadedFile("akta.pdf", files.PDF)],
        )
        ids[f"coi_declaration.{scope}"] = declaration.pk
        ids[f"coi_document.{scope}"] = declaration.documents.get().pk
    position = RiskPosition.objects.create(
        pemda=world.binjai, year=2026, title="Pokja Pemilihan", created_by=world.inspektorat_binjai
    )
    position.holders.add(pegawai)
    return ids


def _spi(world: World, request: pytest.FixtureRequest) -> dict[str, int | str]:
    """SPI 2025 loaded for Binjai and Kota Pekalongan."""
    from cegah.core.tables import read_table
    from cegah.spi import services as spi
    from cegah.spi.results import read_scores

    for path in sorted((settings.BASE_DIR / "data" / "spi").glob("spi-*.yaml")):
        spi.reference_import(path=path)
    plan = read_scores(
        read_table(b"tahun,kode_pemda,nilai\n2025,12.75,74.35\n2025,33.75,79.1\n", filename="s.csv")
    )
    spi.scores_import(actor=world.koordinator, plan=plan, source=spi.Source("jaga.id"))
    return {}


BUILDERS: dict[str, Callable[[World, pytest.FixtureRequest], dict[str, int | str]]] = {
    # In this order: the 2024 catalogue before 2025's, as years come; each after what it needs.
    "catalogue_2024": _catalogue_2024,
    "published": _published,
    "data_file": _data_file,
    "mcp": _mcp,
    "recommendations": _recommendations,
    "wbs": _wbs,
    "zi": _zi,
    "upg": _upg,
    "coi": _coi,
    "spi": _spi,
}
IMPLIED = {"published": {"catalogue_2024"}, "data_file": {"published"}}


def _objects_for(name: str, world: World, request: pytest.FixtureRequest) -> Objects:
    ids = _people(world)
    needs = set(_needs(name))
    for need in reversed(list(BUILDERS)):
        if need in needs:
            needs |= IMPLIED.get(need, set())
    for need, build in BUILDERS.items():
        if need in needs:
            ids.update(build(world, request))
    return Objects(world, ids)


# --- Asking and judging ---------------------------------------------------------------------------


def _path(name: str) -> str:
    return urlsplit(reverse(name)).path


def _is_sign_in(location: str) -> bool:
    """The sign-in page, the admin's, or the second step the middleware sends a session to."""
    parts = urlsplit(location)
    if parts.path in (_path("accounts:login"), _path("admin:login")):
        return True
    second_step = (_path("accounts:otp_verify"), _path("accounts:otp_setup"))
    return parts.path in second_step and "next" in parse_qs(parts.query)


def _judge(expected: Answer, response: HttpResponseBase) -> bool:
    status = response.status_code
    location = response.get("Location", "")
    if expected == LOGIN:
        return status == 302 and urlsplit(location).path == _path("accounts:login")
    if expected == ADMIN_LOGIN:
        return status == 302 and urlsplit(location).path == _path("admin:login")
    allowed = expected if isinstance(expected, frozenset) else {expected}
    if status == 302 and _is_sign_in(location):
        return False  # signed-in access refused by a detour through signing in
    return status in allowed


def _describe(expected: Answer) -> str:
    if expected == LOGIN:
        return "302 to the sign-in page"
    if expected == ADMIN_LOGIN:
        return "302 to the admin's sign-in page"
    if isinstance(expected, frozenset):
        return "one of " + ", ".join(str(status) for status in sorted(expected))
    return f"{expected} (not to a sign-in page)" if expected == 302 else str(expected)


def _signed_in_sessions(world: World) -> dict[str, dict[str, str]]:
    """Each role's cookies after signing in: the session's, and a WBS handler's key cookie."""
    sessions = {}
    for role, person in ROLE_USERS.items():
        client = sign_in(Client(), getattr(world, person))
        sessions[role] = {name: cookie.value for name, cookie in client.cookies.items()}
    return sessions


def _ask(
    name: str, method: str, url: str, session: dict[str, str] | None
) -> tuple[HttpResponseBase, str]:
    """One request in a savepoint rolled back after it: the next cell finds the world as it was."""
    client = Client(raise_request_exception=False)
    for cookie, value in (session or {}).items():
        client.cookies[cookie] = value
    headers = {"HX-Request": "true"} if name in HTMX else {}
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, headers=headers)
        else:
            response = client.post(url, POST_DATA.get(name, {}), headers=headers)
        if getattr(response, "streaming", False):
            # Read inside the savepoint; the client closes the response at the end (not here:
            # closing it again would close the database connection, as a finished request does).
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        transaction.set_rollback(True)
    failure = getattr(response, "exc_info", None)
    return response, f" ({failure[1]!r})" if failure else ""


def _expected(cell: Cell, scope: str) -> Answer:
    return cell[scope] if isinstance(cell, Mapping) else cell


def _cases() -> list[Any]:
    cases = [pytest.param(name, None, id=name) for name in sorted(EXPECTED)]
    for cell, answered in sorted(KNOWN_BUGS.items()):
        name, role, scope, method = cell
        expected = _expected(EXPECTED[name][method][ROLES.index(role)], scope)
        reason = (
            f"{method} {name} as {role} ({scope}) answers {answered}, "
            f"must answer {_describe(expected)}"
        )
        cases.append(
            pytest.param(
                cell[0],
                cell,
                id="bug:" + "/".join(cell),
                marks=pytest.mark.xfail(strict=True, reason=reason),
            )
        )
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "only_cell"), _cases())
def test_each_url_answers_each_role_as_expected(
    name: str, only_cell: tuple[str, str, str, str] | None, world: World, request
) -> None:
    """Every cell of one URL (or, for a known bug, that one cell); every mismatch is listed."""
    objects = _objects_for(name, world, request)
    sessions = _signed_in_sessions(world)
    row = EXPECTED[name]
    mismatches = []
    asked = 0
    for method in METHODS:
        for role, cell in zip(ROLES, row[method], strict=True):
            for scope, arguments in ARGUMENTS.get(name, {NO_SCOPE: {}}).items():
                key = (name, role, scope, method)
                if only_cell is None and key in KNOWN_BUGS:
                    continue  # a known bug is asked in its own test, as a strict xfail
                if only_cell is not None and key != only_cell:
                    continue
                expected = _expected(cell, scope)
                url = reverse(name, kwargs=objects.resolve(arguments))
                response, failure = _ask(name, method, url, sessions.get(role))
                asked += 1
                if not _judge(expected, response):
                    where = response.get("Location", "")
                    mismatches.append(
                        f"{method} {url} as {role} ({scope}): expected {_describe(expected)}, "
                        f"got {response.status_code}{' → ' + where if where else ''}{failure}"
                    )
    assert asked, "no cell asked"
    assert not mismatches, f"{name}: {len(mismatches)} of {asked} cells:\n" + "\n".join(mismatches)


def test_every_row_covers_every_role_method_and_scope() -> None:
    problems = []
    for name, row in EXPECTED.items():
        scopes = set(ARGUMENTS.get(name, {NO_SCOPE: {}}))
        if set(row) != set(METHODS):
            problems.append(f"{name}: methods {sorted(row)}")
            continue
        for method, cells in row.items():
            if len(cells) != len(ROLES):
                problems.append(f"{name} {method}: {len(cells)} cells for {len(ROLES)} roles")
            for role, cell in zip(ROLES, cells, strict=False):
                if isinstance(cell, Mapping) and set(cell) != scopes:
                    problems.append(
                        f"{name} {method} {role}: scopes {sorted(cell)}, asked {sorted(scopes)}"
                    )
    if set(ROLES) != {"anonymous", *ROLE_USERS}:
        problems.append(f"roles {ROLES} but people for {sorted(ROLE_USERS)}")
    for name, role, scope, method in KNOWN_BUGS:
        if role not in ROLES or method not in METHODS:
            problems.append(f"known bug {name} {role} {scope} {method}")
        elif scope not in ARGUMENTS.get(name, {NO_SCOPE: {}}):
            problems.append(f"known bug {name}: no scope {scope}")
    assert not problems, "\n".join(problems)
