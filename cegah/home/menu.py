"""The main menu: each role's work pages first, in the words the role uses. Citizens, who have
no account, get the way to report a suspected violation; staff menus do not mix it in."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from cegah.accounts import selectors as access
from cegah.accounts.models import Role, User


@dataclass(frozen=True)
class MenuLink:
    title: str
    url: str


def menu_links(*, user: User | None) -> list[MenuLink]:
    """The person's links after the home (the brand), their roles' work first, in role order;
    then what every signed-in person reads; for visitors, the public pages."""
    if user is None or not user.is_authenticated:
        return [
            MenuLink(_("Skor MCP"), reverse("public:latest")),
            MenuLink(_("Laporkan dugaan pelanggaran"), reverse("wbs_public:start")),
        ]
    roles = access.role_assignments(user=user)
    kinds = {a.role for a in roles}
    links: list[MenuLink] = []
    if Role.OPERATOR in kinds:
        links.append(MenuLink(_("Laporan MCP"), reverse("mcp:work")))
        links.append(MenuLink(_("Indikator saya"), reverse("mcp:my_indicators")))
    administered = [a.pemda for a in roles if a.role == Role.ADMIN_PEMDA and a.pemda]
    for pemda in administered:
        # Someone reporting for an OPD as well, or for several Pemda, is told which report.
        title = (
            _("Laporan MCP")
            if len(administered) == 1 and Role.OPERATOR not in kinds
            else _("Laporan MCP %(pemda)s") % {"pemda": pemda}
        )
        links.append(MenuLink(title, reverse("mcp:report_review", kwargs={"code": pemda.code})))
    if len(administered) == 1:
        code = administered[0].code
        links.append(
            MenuLink(_("Penugasan"), reverse("mcp:assignment_board", kwargs={"code": code}))
        )
        links.append(
            MenuLink(_("Pengguna"), reverse("accounts:pemda_members", kwargs={"code": code}))
        )
        links.append(
            MenuLink(_("Daftar pegawai"), reverse("accounts:staff_list", kwargs={"code": code}))
        )
    wbs = MenuLink(_("Laporan WBS"), reverse("wbs:queue"))
    if Role.INSPEKTORAT in kinds:
        links.append(wbs)
    # The Pemda's Inspektorat reviews its report (APIP) before the Admin submits it,
    # after its first work, the reports of whistle-blowers.
    for pemda in [a.pemda for a in roles if a.role == Role.INSPEKTORAT and a.pemda]:
        if pemda not in administered:
            url = reverse("mcp:report_review", kwargs={"code": pemda.code})
            links.append(MenuLink(_("Reviu laporan MCP %(pemda)s") % {"pemda": pemda}, url))
    if Role.VERIFIKATOR in kinds:
        links.append(MenuLink(_("Antrean verifikasi"), reverse("mcp:verify_queue")))
    if access.is_national_coordinator(user=user):
        links.append(MenuLink(_("Termin"), reverse("mcp:period_list")))
        links.append(MenuLink(_("Verifikator"), reverse("accounts:verifier_list")))
        links.append(MenuLink(_("Penerbitan skor"), reverse("mcp:score_admin")))
        links.append(MenuLink(_("SPI"), reverse("spi:import")))
        links.append(MenuLink(_("Sinyal"), reverse("signals:list")))
    if Role.KOORDINATOR in kinds and wbs not in links:  # national reports (wbs/access.py)
        links.append(wbs)
    # Recommendations: a person of one Pemda reads that Pemda's; verifiers and the Koordinator
    # the list across the Pemda they cover.
    pemda_codes = {
        a.pemda.code for a in roles if a.pemda and a.role not in (Role.PEGAWAI, Role.UPG)
    }
    national = Role.VERIFIKATOR in kinds or access.is_national_coordinator(user=user)
    if len(pemda_codes) == 1 and not national:
        url = reverse("mcp:recommendation_pemda", kwargs={"code": pemda_codes.pop()})
        links.append(MenuLink(_("Rekomendasi"), url))
    elif pemda_codes or national:
        links.append(MenuLink(_("Rekomendasi"), reverse("mcp:recommendation_list")))
    # In-year monitoring: nationally for verifiers and the Koordinator, a Pemda's own for it.
    own = {
        a.pemda.code for a in roles if a.role in (Role.ADMIN_PEMDA, Role.INSPEKTORAT) and a.pemda
    }
    if national:
        links.append(MenuLink(_("Pemantauan"), reverse("mcp:monitoring")))
    elif len(own) == 1:
        url = reverse("mcp:monitoring_pemda", kwargs={"code": own.pop()})
        links.append(MenuLink(_("Pemantauan"), url))
    # Zona Integritas: the Pemda's units, for those who manage, fill in or assess them.
    zones = {
        a.pemda.code
        for a in roles
        if a.role in (Role.ADMIN_PEMDA, Role.OPERATOR, Role.TPI, Role.INSPEKTORAT) and a.pemda
    }
    if len(zones) == 1:
        links.append(
            MenuLink(_("Zona Integritas"), reverse("zi:units", kwargs={"code": zones.pop()}))
        )
    # Gratification control: a civil servant's own reports; the UPG's queue; the Inspektorat's
    # statistics and register.
    if Role.PEGAWAI in kinds:
        links.append(MenuLink(_("Gratifikasi saya"), reverse("upg:mine")))
    upg = [a.pemda for a in roles if a.role == Role.UPG and a.pemda]
    for pemda in upg:
        title = (
            _("Laporan gratifikasi")
            if len(upg) == 1
            else _("Laporan gratifikasi %(pemda)s") % {"pemda": pemda}
        )
        links.append(MenuLink(title, reverse("upg:queue", kwargs={"code": pemda.code})))
    for pemda in [a.pemda for a in roles if a.role == Role.INSPEKTORAT and a.pemda]:
        if pemda not in upg:
            url = reverse("upg:statistics", kwargs={"code": pemda.code})
            links.append(MenuLink(_("Statistik gratifikasi"), url))
    # Conflicts of interest: every civil servant declares (and, as a superior, decides); the
    # Inspektorat and the appointed officer keep the register.
    if Role.PEGAWAI in kinds:
        links.append(MenuLink(_("Benturan kepentingan"), reverse("coi:mine")))
    registers = sorted(
        {a.pemda.code for a in roles if a.role in (Role.INSPEKTORAT, Role.PPKK) and a.pemda}
    )
    for code in registers:
        title = (
            _("Register benturan kepentingan")
            if len(registers) == 1
            else _("Register benturan kepentingan %(code)s") % {"code": code}
        )
        links.append(MenuLink(title, reverse("coi:register", kwargs={"code": code})))
    # The national team's work: every Pemda's proposals, by stage.
    if Role.TPN in kinds:
        links.append(MenuLink(_("Usulan ZI"), reverse("zi:proposals")))
    links.append(MenuLink(_("Katalog MCP"), reverse("mcp:catalogue_latest")))
    links.append(MenuLink(_("Skor MCP"), reverse("public:latest")))
    return links
