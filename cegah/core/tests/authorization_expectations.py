"""The authorization matrix's expectations: what every URL answers to each role, written down as
data, page by page (test_authorization_matrix.py asks them all).

Who is let in and who is not follows the README (roles, "How it is built"), docs/domain/roles.md
and docs/decisions/0002-404-rather-than-403.md: out of scope is 404, never 403; a page that needs
signing in sends an anonymous visitor to the sign-in page. What an allowed answer looks like (a
page, a redirect, a form shown again) is what the page does once it lets the person in. Where the
application answers otherwise than a cell here, the cell stays as the rules say and goes into
KNOWN_BUGS, which runs it as a strict xfail until it is fixed.

Each row is one URL name, with a tuple per method, one cell per role in ROLES order. A cell is
one answer for every scope the URL is asked in, or a mapping scope → answer. Scopes:

- NO_SCOPE: the address names no Pemda and no object of one;
- OWN: Kota Binjai's, the Pemda of the Binjai roles (and one the verifier is assigned);
- OTHER: Kota Pekalongan's, outside every role's Pemda here;
- SIBLING: Binjai's, but reported by another OPD (PUPR) than the operator's (BPKAD);
- MIXED: Binjai's code in the address with the id of a Pekalongan object;
- HANDLER: the role of Binjai's Inspektorat, one that opens whistle-blowing reports;
- NATIONAL: a WBS report handled nationally (it names Sumatera Utara's own inspectorate);
- ROUTED_UP: a WBS report about Binjai that names Binjai's Inspektorat, so handled by the
  province's (nobody here is).

The Django admin (Superadmin only) is left out but for its index: it keeps its own answers,
as 0002 says: a 302 to the admin's own sign-in page for anyone who is not staff (every role here
but the Superadmin), never a 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, TypeAlias

ROLES: Final = (
    "anonymous",
    "nobody",  # signed in, no role
    "operator",  # Operator OPD, BPKAD Kota Binjai
    "admin_pemda",  # Admin Pemda, Kota Binjai
    "inspektorat",  # Inspektorat (WBS handler), Kota Binjai
    "verifier",  # Verifikator of Sumatera Utara and Kota Binjai
    "koordinator",  # Koordinator Nasional
    "superadmin",
    "pegawai",  # a civil servant of Kota Binjai (BPKAD): their own gratification reports only
    "upg",  # the gratification control unit (UPG) of Kota Binjai
)

NO_SCOPE: Final = "-"
OWN: Final = "own"
OTHER: Final = "other"
SIBLING: Final = "sibling"
MIXED: Final = "mixed"
HANDLER: Final = "handler"
NATIONAL: Final = "national"
ROUTED_UP: Final = "routed-up"

# Answers. An int is that status exactly; a set, any of them.
LOGIN: Final = "login"  # 302 to the sign-in page (accounts:login)
ADMIN_LOGIN: Final = "admin-login"  # 302 to the Django admin's sign-in page
OK: Final = 200
REDIRECT: Final = 302  # a redirect, but never to a sign-in page or the second step
DONE: Final = frozenset({200, 302, 400})  # a POST taken up: a form again, a confirm page, done
NOT_FOUND: Final = 404  # out of scope, exactly as if it did not exist
WRONG_METHOD: Final = 405

Answer: TypeAlias = int | str | frozenset[int]
Cell: TypeAlias = Answer | Mapping[str, Answer]
Row: TypeAlias = Mapping[str, tuple[Cell, ...]]

L, N, M, R = LOGIN, NOT_FOUND, WRONG_METHOD, REDIRECT


def everyone(answer: Answer) -> tuple[Cell, ...]:
    """Public: the same for every role, signed in or not."""
    return (answer,) * len(ROLES)


def signed_in(answer: Answer) -> tuple[Cell, ...]:
    """Sign-in required, then the same for every signed-in person."""
    return (LOGIN,) + (answer,) * (len(ROLES) - 1)


def only(*roles: str, allowed: Cell) -> tuple[Cell, ...]:
    """Sign-in required; `allowed` for the roles named, 404 for every other signed-in person."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, unknown
    return tuple(
        LOGIN if role == "anonymous" else allowed if role in roles else NOT_FOUND for role in ROLES
    )


def own_only(answer: Answer) -> Mapping[str, Answer]:
    return {OWN: answer, OTHER: NOT_FOUND}


def public_get() -> Row:
    return {"GET": everyone(OK), "POST": everyone(M)}


COORDINATORS = ("koordinator", "superadmin")  # the Superadmin coordinates too (accounts.selectors)

EXPECTED: Final[Mapping[str, Row]] = {
    # --- Every signed-in person's landing -----------------------------------------------------
    # The site's address: the public front door for a visitor, one's own work once signed in.
    "home:home": {"GET": everyone(OK), "POST": everyone(M)},
    # --- Signing in, the second step, passwords (open to all; signed in, sign-in redirects) ---
    "accounts:login": {"GET": (OK,) + (R,) * 9, "POST": (DONE,) + (R,) * 9},
    # Signing out, from anyone, lands on the sign-in page; only a POST signs out.
    "accounts:logout": {"GET": everyone(M), "POST": everyone(LOGIN)},
    "accounts:otp_verify": {"GET": signed_in(OK), "POST": signed_in(DONE)},
    # Everyone here already has a confirmed device: the setup page sends them to the second step.
    "accounts:otp_setup": {"GET": signed_in(R), "POST": signed_in(R)},
    "accounts:password_reset": {"GET": everyone(OK), "POST": everyone(DONE)},
    "accounts:password_reset_done": {"GET": everyone(OK), "POST": everyone(M)},
    # A link whose token is wrong: the page says the link is invalid, to anyone.
    "accounts:password_reset_confirm": {"GET": everyone(OK), "POST": everyone(DONE)},
    "accounts:password_reset_complete": {"GET": everyone(OK), "POST": everyone(M)},
    # --- People and OPD of a Pemda ------------------------------------------------------------
    # Its admin, and whoever gives its handler roles: the Koordinator (and the Superadmin) for
    # any Pemda, a province's inspectorate for its kabupaten/kota (Binjai's is a kota's: no).
    "accounts:pemda_members": {
        "GET": (L, N, N, own_only(OK), N, N, OK, OK, N, N),
        "POST": (L, N, N, own_only(DONE), N, N, DONE, DONE, N, N),
    },
    "accounts:opd_list": {
        "GET": (L, N, N, own_only(OK), N, N, N, OK, N, N),
        "POST": (L, N, N, own_only(DONE), N, N, N, DONE, N, N),
    },
    "accounts:opd_edit": {
        "GET": (
            L,
            N,
            N,
            {OWN: OK, OTHER: N, MIXED: N},
            N,
            N,
            N,
            {OWN: OK, OTHER: OK, MIXED: N},
            N,
            N,
        ),
        "POST": (
            L,
            N,
            N,
            {OWN: DONE, OTHER: N, MIXED: N},
            N,
            N,
            N,
            {OWN: DONE, OTHER: DONE, MIXED: N},
            N,
            N,
        ),
    },
    # A Pemda's civil servants: its Admin Pemda and Inspektorat read the list; the Admin Pemda
    # imports it (docs/domain/staff.md). The Superadmin administers every Pemda.
    "accounts:staff_list": {
        "GET": (L, N, N, own_only(OK), own_only(OK), N, N, OK, N, N),
        "POST": signed_in(M),
    },
    "accounts:staff_import": {
        "GET": (L, N, N, own_only(OK), N, N, N, OK, N, N),
        "POST": (L, N, N, own_only(DONE), N, N, N, DONE, N, N),
    },
    "accounts:staff_import_detail": {
        "GET": (
            L,
            N,
            N,
            {OWN: OK, OTHER: N, MIXED: N},
            N,
            N,
            N,
            {OWN: OK, OTHER: OK, MIXED: N},
            N,
            N,
        ),
        "POST": signed_in(M),
    },
    # A Pemda's admin revokes its roles but never a handler's (reports may be about them); the
    # Koordinator revokes handler and national roles; the Superadmin any. The first POST asks.
    "accounts:role_revoke": {
        "GET": signed_in(M),
        "POST": (
            L,
            N,
            N,
            {OWN: DONE, OTHER: N, HANDLER: N},
            N,
            N,
            {OWN: N, OTHER: N, HANDLER: DONE},
            DONE,
            N,
            N,
        ),
    },
    "accounts:verifier_list": {
        "GET": only(*COORDINATORS, allowed=OK),
        "POST": only(*COORDINATORS, allowed=DONE),
    },
    "accounts:verifier_unassign": {
        "GET": signed_in(M),
        "POST": only(*COORDINATORS, allowed=DONE),
    },
    # Which areas of a Pemda a verifier verifies, and the year's APIP review rule: the Koordinator.
    "mcp:verifier_areas": {
        "GET": only(*COORDINATORS, allowed=OK),
        "POST": only(*COORDINATORS, allowed=DONE),
    },
    "mcp:year_setting": {
        "GET": signed_in(M),
        "POST": only(*COORDINATORS, allowed=DONE),
    },
    # Django's language switch, for everyone; it goes back to a safe page.
    "set_language": {"GET": everyone(R), "POST": everyone(R)},
    # --- MCP catalogue pages: every signed-in person ------------------------------------------
    # Pages to read: any method but GET and HEAD is 405 once signed in.
    "mcp:catalogue_latest": {"GET": signed_in(R), "POST": signed_in(M)},
    "mcp:catalogue": {"GET": signed_in(OK), "POST": signed_in(M)},
    "mcp:catalogue_changes": {"GET": signed_in(OK), "POST": signed_in(M)},
    # --- Termin: the Koordinator --------------------------------------------------------------
    "mcp:period_list": {
        "GET": only(*COORDINATORS, allowed=OK),
        "POST": only(*COORDINATORS, allowed=DONE),
    },
    "mcp:period_open": {"GET": signed_in(M), "POST": only(*COORDINATORS, allowed=DONE)},
    "mcp:period_close": {"GET": signed_in(M), "POST": only(*COORDINATORS, allowed=DONE)},
    "mcp:period_extend": {"GET": signed_in(M), "POST": only(*COORDINATORS, allowed=DONE)},
    # --- Assignment: the Admin Pemda (the Superadmin administers every Pemda) -----------------
    "mcp:assignment_board": {
        "GET": (L, N, N, own_only(OK), N, N, N, OK, N, N),
        "POST": (L, N, N, own_only(DONE), N, N, N, DONE, N, N),
    },
    "mcp:assignment_remove": {
        "GET": signed_in(M),
        "POST": (
            L,
            N,
            N,
            {OWN: DONE, OTHER: N, MIXED: N},
            N,
            N,
            N,
            {OWN: DONE, OTHER: DONE, MIXED: N},
            N,
            N,
        ),
    },
    # --- Reporting: operators answer what their OPD is given ----------------------------------
    "mcp:my_indicators": {
        "GET": only("operator", allowed=OK),
        "POST": signed_in(M),
    },
    # An Admin Pemda has no work page: it sends them to their Pemda's report.
    "mcp:work": {
        "GET": (L, N, OK, R, N, N, N, N, N, N),
        "POST": signed_in(M),
    },
    # One item's forms (asked by htmx): its OPD's operators, the Pemda's admin, the Superadmin.
    "mcp:work_row": {
        "GET": (
            L,
            N,
            {OWN: OK, OTHER: N, SIBLING: N},
            {OWN: OK, OTHER: N, SIBLING: OK},
            N,
            N,
            N,
            OK,
            N,
            N,
        ),
        "POST": signed_in(M),
    },
    **{
        name: {
            "GET": signed_in(M),
            "POST": (
                L,
                N,
                {OWN: DONE, OTHER: N, SIBLING: N},
                {OWN: DONE, OTHER: N, SIBLING: DONE},
                N,
                N,
                N,
                DONE,
                N,
                N,
            ),
        }
        for name in (
            "mcp:work_answer",
            "mcp:work_evidence",
            "mcp:work_resubmit",
            "mcp:work_revise",
        )
    },
    # Whoever may read the item comments on it: who may answer it, its verifiers, the Koordinator.
    "mcp:comment": {
        "GET": signed_in(M),
        "POST": (
            L,
            N,
            {OWN: DONE, OTHER: N, SIBLING: N},
            {OWN: DONE, OTHER: N, SIBLING: DONE},
            {OWN: DONE, OTHER: N, SIBLING: DONE},  # the Pemda's APIP reviews its whole report
            {OWN: DONE, OTHER: N, SIBLING: DONE},
            DONE,
            DONE,
            N,
            N,
        ),
    },
    "mcp:evidence_download": {
        "GET": (
            L,
            N,
            {OWN: OK, OTHER: N, SIBLING: N},
            {OWN: OK, OTHER: N, SIBLING: OK},
            {OWN: OK, OTHER: N, SIBLING: OK},  # the Pemda's APIP reads its whole report
            {OWN: OK, OTHER: N, SIBLING: OK},
            OK,
            OK,
            N,
            N,
        ),
        "POST": signed_in(M),
    },
    # --- Review and submit: the Admin Pemda ---------------------------------------------------
    # The Admin Pemda submits; the Pemda's Inspektorat reads and reviews (an empty POST is a
    # submission, which is the Admin's).
    "mcp:report_review": {
        "GET": (L, N, N, own_only(OK), own_only(OK), N, N, OK, N, N),
        "POST": (L, N, N, own_only(DONE), N, N, N, DONE, N, N),
    },
    "mcp:report_export": {
        "GET": (L, N, N, own_only(OK), N, N, N, OK, N, N),
        "POST": signed_in(M),
    },
    # --- Zona Integritas: the Pemda's own people (the Admin manages, the unit answers, the
    # Inspektorat reads), and nationally the Koordinator and the TPN; the TPI has no test user.
    "zi:units": {
        "GET": (L, N, own_only(OK), own_only(OK), own_only(OK), N, OK, OK, N, N),
        "POST": (L, N, own_only(N), own_only(DONE), own_only(N), N, N, DONE, N, N),
    },
    "zi:assessment_start": {
        "GET": signed_in(M),
        "POST": (L, N, own_only(DONE), own_only(DONE), N, N, N, DONE, N, N),
    },
    "zi:assessment": {
        "GET": (L, N, own_only(OK), own_only(OK), own_only(OK), N, OK, OK, N, N),
        "POST": (L, N, own_only(DONE), own_only(DONE), N, N, N, DONE, N, N),
    },
    "zi:verdict": {
        "GET": (L, N, own_only(OK), own_only(OK), own_only(OK), N, OK, OK, N, N),
        "POST": signed_in(M),
    },
    "zi:evidence_download": {
        "GET": (L, N, own_only(OK), own_only(OK), own_only(OK), N, OK, OK, N, N),
        "POST": signed_in(M),
    },
    "zi:worksheet": {
        "GET": (L, N, own_only(OK), own_only(OK), own_only(OK), N, OK, OK, N, N),
        "POST": signed_in(M),
    },
    "zi:summary": {
        "GET": (L, N, own_only(OK), own_only(OK), own_only(OK), N, OK, OK, N, N),
        "POST": signed_in(M),
    },
    "zi:whatif": {
        "GET": (L, N, own_only(OK), own_only(OK), own_only(OK), N, OK, OK, N, N),
        "POST": signed_in(M),
    },
    # Proposals: the Admin Pemda proposes; the TPN (no test user here: cegah/zi/tests) records
    # the stages, so a POST to a proposal is nobody's here; the Koordinator reads the national
    # work list and revokes a predicate, as the TPN does. Stage files as the LKE's evidence.
    "zi:proposal_create": {
        "GET": signed_in(M),
        "POST": (L, N, own_only(N), own_only(DONE), own_only(N), N, N, DONE, N, N),
    },
    "zi:proposals": {"GET": only(*COORDINATORS, allowed=OK), "POST": signed_in(M)},
    "zi:proposal": {
        "GET": (L, N, own_only(OK), own_only(OK), own_only(OK), N, OK, OK, N, N),
        "POST": (L, N, own_only(N), own_only(N), own_only(N), N, N, N, N, N),
    },
    "zi:stage_evidence": {
        "GET": (L, N, own_only(OK), own_only(OK), own_only(OK), N, OK, OK, N, N),
        "POST": signed_in(M),
    },
    "zi:designation_revoke": {
        "GET": signed_in(M),
        "POST": only(*COORDINATORS, allowed=DONE),
    },
    # --- Gratification control: a report is its reporter's (the Pegawai) and their Pemda's UPG's;
    # the files for KPK are the UPG's; the statistics and register the UPG's and the
    # Inspektorat's. Everyone else, another Pemda's included, 404 (cegah/upg/access.py).
    "upg:mine": {"GET": only("pegawai", allowed=OK), "POST": signed_in(M)},
    "upg:report_new": {
        "GET": only("pegawai", allowed=OK),
        "POST": only("pegawai", allowed=DONE),
    },
    "upg:check": {"GET": signed_in(M), "POST": only("pegawai", allowed=OK)},
    "upg:report": {
        "GET": (L, N, N, N, N, N, N, N, own_only(OK), own_only(OK)),
        # An empty POST names no act: 404 for those who may see the report too.
        "POST": (L, N, N, N, N, N, N, N, N, N),
    },
    # Only a returned report is completed: otherwise its reporter is sent back to it.
    "upg:report_complete": {
        "GET": (L, N, N, N, N, N, N, N, own_only(R), N),
        "POST": (L, N, N, N, N, N, N, N, own_only(R), N),
    },
    **{
        f"upg:kpk_{fmt}": {
            "GET": (L, N, N, N, N, N, N, N, N, own_only(OK)),
            "POST": signed_in(M),
        }
        for fmt in ("pdf", "csv", "json")
    },
    "upg:evidence_download": {
        "GET": (L, N, N, N, N, N, N, N, own_only(OK), own_only(OK)),
        "POST": signed_in(M),
    },
    "upg:queue": {"GET": only("upg", allowed=own_only(OK)), "POST": signed_in(M)},
    # An empty POST names no item of the register.
    "upg:custody": {
        "GET": only("upg", allowed=own_only(OK)),
        "POST": only("upg", allowed=own_only(N)),
    },
    "upg:statistics": {
        "GET": (L, N, N, N, own_only(OK), N, N, N, N, own_only(OK)),
        "POST": signed_in(M),
    },
    "upg:register_pdf": {
        "GET": (L, N, N, N, own_only(OK), N, N, N, N, own_only(OK)),
        "POST": signed_in(M),
    },
    # --- Conflicts of interest: a declaration is its declarant's, their superior's (and the
    # superior's superior's), the named official's, and the Pemda's Inspektorat's and appointed
    # officer's (cegah/coi/access.py). The matrix's Pegawai declared Binjai's; the Inspektorat
    # keeps the register and the positions at risk; the UPG holds nothing here.
    "coi:mine": {"GET": only("pegawai", allowed=OK), "POST": signed_in(M)},
    "coi:declare": {
        "GET": only("pegawai", allowed=OK),
        "POST": only("pegawai", allowed=DONE),
    },
    # Whom one may record a conflict for: one's staff (nobody's superior here), or as the
    # Inspektorat, anyone of the Pemda.
    "coi:record": {
        "GET": only("inspektorat", allowed=OK),
        "POST": only("inspektorat", allowed=DONE),
    },
    "coi:declaration": {
        "GET": (L, N, N, N, own_only(OK), N, N, N, own_only(OK), N),
        # An empty POST names no act.
        "POST": (L, N, N, N, N, N, N, N, N, N),
    },
    "coi:document_download": {
        "GET": (L, N, N, N, own_only(OK), N, N, N, own_only(OK), N),
        "POST": signed_in(M),
    },
    # The Pegawai holds a position at risk in 2026: the statement is theirs to give.
    "coi:statement": {
        "GET": only("pegawai", allowed=OK),
        "POST": only("pegawai", allowed=DONE),
    },
    "coi:register": {"GET": only("inspektorat", allowed=own_only(OK)), "POST": signed_in(M)},
    "coi:positions": {
        "GET": only("inspektorat", allowed=own_only(OK)),
        "POST": only("inspektorat", allowed=own_only(DONE)),
    },
    "home:coi_related": {"GET": only("inspektorat", allowed=own_only(OK)), "POST": signed_in(M)},
    # --- SPI: the Koordinator loads KPK's published scores ---------------------------------------
    "spi:import": {
        "GET": only(*COORDINATORS, allowed=OK),
        "POST": only(*COORDINATORS, allowed=DONE),
    },
    "public:profile": public_get(),
    "public:open_data": public_get(),
    "public:open_data_csv": public_get(),
    "api_spi": public_get(),
    "api_profiles": public_get(),
    "public:profile_pdf": public_get(),
    "public:compare": public_get(),
    "public:pemda_search": public_get(),
    # The signals are the Koordinator's, never public; an empty POST names no Pemda.
    "signals:list": {
        "GET": only(*COORDINATORS, allowed=OK),
        "POST": only(*COORDINATORS, allowed=N),
    },
    "public:conflicts": public_get(),
    "public:conflicts_pemda": public_get(),
    "public:gratification": public_get(),
    "public:gratification_pemda": public_get(),
    # --- In-year monitoring: the Koordinator and verifiers nationally, a Pemda about itself -----
    # The Admin and Inspektorat are sent on to their own Pemda's page.
    "mcp:monitoring": {"GET": (L, N, N, R, R, OK, OK, OK, N, N), "POST": signed_in(M)},
    "mcp:monitoring_export": {"GET": (L, N, N, N, N, OK, OK, OK, N, N), "POST": signed_in(M)},
    "mcp:monitoring_pemda": {
        "GET": (L, N, N, own_only(OK), own_only(OK), own_only(OK), OK, OK, N, N),
        "POST": signed_in(M),
    },
    # --- Verification: verifiers of their assigned Pemda --------------------------------------
    "mcp:verify_queue": {
        "GET": only("verifier", allowed=OK),
        "POST": only("verifier", allowed=DONE),
    },
    "mcp:verify_export": {
        "GET": only("verifier", allowed=OK),
        "POST": signed_in(M),
    },
    # Read by whoever may see the item; decided on (the POST sends a decision) by its verifier only.
    "mcp:verify_item": {
        "GET": (
            L,
            N,
            {OWN: OK, OTHER: N, SIBLING: N},
            {OWN: OK, OTHER: N, SIBLING: OK},
            {OWN: OK, OTHER: N, SIBLING: OK},  # the Pemda's APIP reads its whole report
            {OWN: OK, OTHER: N, SIBLING: OK},
            OK,
            OK,
            N,
            N,
        ),
        "POST": (
            L,
            N,
            N,
            N,
            N,
            {OWN: DONE, OTHER: N, SIBLING: DONE},
            N,
            N,
            N,
            N,
        ),
    },
    # --- Recommendations: written by verifiers and the Koordinator, followed up by the Pemda --
    # Everyone with a role reads the recommendations in their scope (an operator, those tied to
    # their OPD's indicators); nobody else has a list.
    "mcp:recommendation_list": {"GET": (L, N, OK, OK, OK, OK, OK, OK, N, N), "POST": signed_in(M)},
    "mcp:recommendation_export": {
        "GET": (L, N, OK, OK, OK, OK, OK, OK, N, N),
        "POST": signed_in(M),
    },
    "mcp:recommendation_pemda": {
        "GET": (L, N, own_only(OK), own_only(OK), own_only(OK), own_only(OK), OK, OK, N, N),
        "POST": signed_in(M),
    },
    # Written by a verifier (for the Pemda they verify) and the Koordinator, never by the Pemda.
    "mcp:recommendation_create": {
        "GET": only("verifier", *COORDINATORS, allowed=OK),
        "POST": only("verifier", *COORDINATORS, allowed=DONE),
    },
    **{
        name: {
            "GET": (
                L,
                N,
                {OWN: OK, OTHER: N, SIBLING: N},
                {OWN: OK, OTHER: N, SIBLING: OK},
                {OWN: OK, OTHER: N, SIBLING: OK},
                {OWN: OK, OTHER: N, SIBLING: OK},
                OK,
                OK,
                N,
                N,
            ),
            "POST": signed_in(M),
        }
        for name in ("mcp:recommendation_detail", "mcp:recommendation_file")
    },
    # Followed up by the Pemda's Admin and Inspektorat, and by the operators of the OPD the tied
    # indicator is assigned to; read, not followed up, by the verifier and the Koordinator.
    **{
        name: {
            "GET": signed_in(M),
            "POST": (
                L,
                N,
                {OWN: DONE, OTHER: N, SIBLING: N},
                {OWN: DONE, OTHER: N, SIBLING: DONE},
                {OWN: DONE, OTHER: N, SIBLING: DONE},
                N,
                N,
                N,
                N,
                N,
            ),
        }
        for name in ("mcp:recommendation_follow_up", "mcp:recommendation_request")
    },
    # Accepted or returned by its author (the verifier here), or the Koordinator, who is told
    # in words that the author decides while they may; the Pemda is never asked.
    **{
        name: {
            "GET": signed_in(M),
            "POST": (L, N, N, N, N, {OWN: DONE, OTHER: N, SIBLING: DONE}, DONE, DONE, N, N),
        }
        for name in ("mcp:recommendation_accept", "mcp:recommendation_return")
    },
    # --- Scores: the Koordinator --------------------------------------------------------------
    "mcp:score_admin": {
        "GET": only(*COORDINATORS, allowed=OK),
        "POST": only(*COORDINATORS, allowed=DONE),
    },
    "mcp:score_job": {
        "GET": only(*COORDINATORS, allowed=OK),
        "POST": signed_in(M),
    },
    "mcp:history_import": {
        "GET": only(*COORDINATORS, allowed=OK),
        "POST": only(*COORDINATORS, allowed=DONE),
    },
    "mcp:history_awards": {
        "GET": only(*COORDINATORS, allowed=OK),
        "POST": only(*COORDINATORS, allowed=DONE),
    },
    # --- Notifications: each person's own -----------------------------------------------------
    "notifications:list": {"GET": signed_in(OK), "POST": signed_in(M)},
    "notifications:read": {"GET": signed_in(M), "POST": signed_in(R)},
    # --- The public dashboard and its downloads: open to all, GET only ------------------------
    "public:latest": {"GET": everyone(R), "POST": everyone(M)},
    "public:national": public_get(),
    "public:ranking_csv": public_get(),
    "public:ranking_xlsx": public_get(),
    "public:bulk_download": public_get(),
    "public:province": public_get(),
    "public:pemda": public_get(),
    "public:report_card": public_get(),
    "public:zi_designations": public_get(),
    "public:zi_pemda": public_get(),
    # --- The open-data API: open to all, read-only --------------------------------------------
    "api_schema": public_get(),
    "api_docs": public_get(),
    "api_provinces": public_get(),
    "api_pemda": public_get(),
    "api_catalogues": public_get(),
    "api_indicators": public_get(),
    "api_scores": public_get(),
    "api_area_scores": public_get(),
    "api_rankings": public_get(),
    "api_awards": public_get(),
    "api_zi_designations": public_get(),
    # --- The reporter's pages (WBS): no account --------------------------------------------
    "wbs_public:start": public_get(),
    "wbs_public:follow_sign_in": {"GET": everyone(OK), "POST": everyone(DONE)},
    # Without the follow cookie the report page sends anyone to type their receipt.
    "wbs_public:follow": {"GET": everyone(R), "POST": everyone(R)},
    "wbs_public:follow_sign_out": {"GET": everyone(M), "POST": everyone(R)},
    "wbs_public:statistics": public_get(),
    "wbs_public:pemda_statistics": public_get(),
    "wbs_public:report_new": {"GET": everyone(OK), "POST": everyone(DONE)},
    # --- WBS handling: only the handlers of the responsible level -----------------------------
    # The queue is every signed-in person's (it lists what they handle: nothing, for most).
    "wbs:queue": {"GET": signed_in(OK), "POST": signed_in(M)},
    "wbs:report": {
        "GET": (
            L,
            N,
            N,
            N,
            {OWN: OK, OTHER: N, NATIONAL: N, ROUTED_UP: N},
            N,
            {OWN: N, OTHER: N, NATIONAL: OK, ROUTED_UP: N},
            N,
            N,
            N,  # running the system is no reason to read reports
        ),
        "POST": signed_in(M),
    },
    **{
        name: {
            "GET": signed_in(M),
            "POST": (
                L,
                N,
                N,
                N,
                {OWN: DONE, OTHER: N, NATIONAL: N, ROUTED_UP: N},
                N,
                {OWN: N, OTHER: N, NATIONAL: DONE, ROUTED_UP: N},
                N,
                N,
                N,
            ),
        }
        for name in (
            "wbs:transition",
            "wbs:message",
            "wbs:note",
            "wbs:assign",
            "wbs:disclose",
            "wbs:conflict",
        )
    },
    "wbs:attachment": {
        "GET": (
            L,
            N,
            N,
            N,
            {OWN: OK, OTHER: N, NATIONAL: N, ROUTED_UP: N},
            N,
            {OWN: N, OTHER: N, NATIONAL: OK, ROUTED_UP: N},
            N,
            N,
            N,
        ),
        "POST": signed_in(M),
    },
    # Buka kunci: a handler types their password again to open their key in the session; an
    # empty one is refused in words (400). Anyone who handles nothing has nothing to unlock.
    "wbs:unlock": {
        "GET": only("inspektorat", "koordinator", allowed=OK),
        "POST": only("inspektorat", "koordinator", allowed=DONE),
    },
    # A handler grants their reports to a colleague of the same level who waits (Binjai's); a
    # handler elsewhere is no colleague.
    "wbs:grant": {
        "GET": signed_in(M),
        "POST": (L, N, N, N, {OWN: DONE, OTHER: N}, N, N, N, N, N),
    },
    # Rotation of the reports a handler can open.
    "wbs:rekey": {
        "GET": signed_in(M),
        "POST": only("inspektorat", "koordinator", allowed=DONE),
    },
    # --- Django's admin: its index only (see the module's docstring) --------------------------
    "admin:index": {
        "GET": (ADMIN_LOGIN,) * 7 + (OK,) + (ADMIN_LOGIN,) * 2,
        "POST": (ADMIN_LOGIN,) * 7 + (OK,) + (ADMIN_LOGIN,) * 2,
    },
}

# Cells where the application answers otherwise than EXPECTED says: authorization bugs, each run
# as a strict xfail until it is fixed. (url name, role, scope, method) → what it answered.
KNOWN_BUGS: Final[Mapping[tuple[str, str, str, str], str]] = {}
