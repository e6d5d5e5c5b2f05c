"""The exemption check: the limits on both sides of 14 January 2026, the rule deleted in 2026,
the yearly caps counting the same giver's earlier gifts, and money among colleagues."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cegah.upg import services
from cegah.upg.exemptions import gift_check
from cegah.upg.selectors import rules_for

from .conftest import REPORTER as REPORTER_
from .conftest import Upg, gift

pytestmark = pytest.mark.django_db

BEFORE, FROM = date(2026, 1, 13), date(2026, 1, 14)


def check(day: date, category: str, value: int, kind: str = "barang", earlier: int = 0):
    return gift_check(
        rules=rules_for(day),
        category=category,
        kind=kind,
        value=Decimal(value),
        refused=False,
        giver="Keluarga Siregar",
        earlier_from_giver=Decimal(earlier),
    )


@pytest.mark.parametrize(
    ("day", "category", "value", "kind", "exempt"),
    [
        # Wedding or ceremony gift per giver: Rp1.000.000 before, Rp1.500.000 from 14 Jan 2026.
        (BEFORE, "pernikahan", 1_000_000, "uang", True),
        (BEFORE, "pernikahan", 1_200_000, "uang", False),
        (FROM, "pernikahan", 1_200_000, "uang", True),
        (FROM, "pernikahan", 1_500_000, "uang", True),
        (FROM, "pernikahan", 1_500_001, "uang", False),
        # A colleague's non-cash gift: Rp200.000 per gift before, Rp500.000 after.
        (BEFORE, "rekan_kerja", 200_000, "barang", True),
        (BEFORE, "rekan_kerja", 300_000, "barang", False),
        (FROM, "rekan_kerja", 300_000, "barang", True),
        (FROM, "rekan_kerja", 500_001, "barang", False),
        # Never in money or vouchers.
        (FROM, "rekan_kerja", 100_000, "uang", False),
        (FROM, "rekan_kerja", 100_000, "voucher", False),
        # The farewell/birthday rule (Rp300.000) before; deleted in 2026, judged as a
        # colleague's gift from then.
        (BEFORE, "pisah_sambut", 300_000, "barang", True),
        (BEFORE, "pisah_sambut", 300_001, "barang", False),
        (FROM, "pisah_sambut", 450_000, "barang", True),
        (FROM, "pisah_sambut", 600_000, "barang", False),
        # Exceptions without a figure hold "if the condition is met".
        (FROM, "seminar", 2_000_000, "barang", True),
        # None of the exceptions.
        (FROM, "", 50_000, "barang", False),
    ],
)
def test_limits_by_the_day_received(
    upg: Upg, day: date, category: str, value: int, kind: str, exempt: bool
) -> None:
    assert check(day, category, value, kind).exempt is exempt


def test_the_reason_names_the_figures_and_the_rule(upg: Upg) -> None:
    result = check(FROM, "pernikahan", 1_200_000, "uang")
    assert result.reason == (
        "Hadiah pernikahan, upacara adat atau keagamaan Rp1.200.000 dari Keluarga Siregar: "
        "di bawah batas Rp1.500.000 yang berlaku sejak 14 Januari 2026 "
        "(dari satu pemberi untuk satu acara)."
    )
    before = check(BEFORE, "pernikahan", 1_200_000, "uang")
    assert "melebihi batas Rp1.000.000 per pemberian" in before.reason
    assert "PerKPK 2/2019" in before.reason  # in force before the first dated change
    deleted = check(FROM, "pisah_sambut", 450_000)
    assert "dihapus" in deleted.notes[0]


@pytest.mark.parametrize(
    ("day", "earlier", "value", "exempt"),
    [
        # Before: Rp1.000.000 a year from one giver.
        (BEFORE, 900_000, 100_000, True),
        (BEFORE, 900_000, 150_000, False),
        # From 14 January 2026: Rp1.500.000 a year.
        (FROM, 1_000_000, 500_000, True),
        (FROM, 1_100_000, 500_000, False),
    ],
)
def test_yearly_cap_from_one_giver(
    upg: Upg, day: date, earlier: int, value: int, exempt: bool
) -> None:
    assert check(day, "rekan_kerja", value, earlier=earlier).exempt is exempt


def test_the_same_givers_earlier_gifts_are_counted(upg: Upg) -> None:
    """Reports and noted exempt gifts of the same giver in the year count, however the name is
    written; another giver's, last year's and refused ones do not."""
    me = upg.reporter
    actor = me.user
    in_year = date(2026, 3, 2)
    services.exempt_gift_note(
        actor=actor,
        employee=me,
        gift=gift(
            giver_name="Budi  Santoso",
            category="rekan_kerja",
            value=Decimal(450_000),
            received_on=in_year,
        ),
    )
    services.report_submit(
        actor=actor,
        employee=me,
        gift=gift(
            giver_name="budi santoso",
            category="rekan_kerja",
            value=Decimal(600_000),
            received_on=date(2026, 4, 6),
        ),
        reporter=REPORTER_,
    )
    for other in (
        gift(
            giver_name="Sari", category="rekan_kerja", value=Decimal(400_000), received_on=in_year
        ),
        gift(
            giver_name="Budi Santoso",
            category="rekan_kerja",
            value=Decimal(900_000),
            received_on=date(2026, 5, 4),
            refused=True,
        ),
    ):
        services.report_submit(actor=actor, employee=me, gift=other, reporter=REPORTER_)

    # 450.000 + 600.000 = 1.050.000 earlier; 400.000 more stays under 1.500.000, 500.000 not.
    fine = services.gift_check_for(
        employee=me,
        gift=gift(
            giver_name="BUDI SANTOSO",
            category="rekan_kerja",
            value=Decimal(400_000),
            received_on=date(2026, 6, 1),
        ),
    )
    assert fine.exempt, fine.reason
    over = services.gift_check_for(
        employee=me,
        gift=gift(
            giver_name="Budi Santoso",
            category="rekan_kerja",
            value=Decimal(500_000),
            received_on=date(2026, 6, 1),
        ),
    )
    assert not over.exempt
    assert "(Rp1.050.000) menjadi Rp1.550.000, melebihi batas Rp1.500.000 setahun" in over.reason
    # A colleague's tally is their own.
    theirs = services.gift_check_for(
        employee=upg.colleague,
        gift=gift(
            giver_name="Budi Santoso",
            category="rekan_kerja",
            value=Decimal(500_000),
            received_on=date(2026, 6, 1),
        ),
    )
    assert theirs.exempt


def test_a_gift_that_is_not_exempt_cannot_be_noted_away(upg: Upg) -> None:
    from cegah.core.errors import DomainError
    from cegah.upg.models import ExemptGift

    with pytest.raises(DomainError, match="laporkan ke UPG"):
        services.exempt_gift_note(
            actor=upg.reporter.user,
            employee=upg.reporter,
            gift=gift(category="pernikahan", kind="uang", value=Decimal(2_000_000)),
        )
    assert not ExemptGift.objects.exists()


def test_refused_gifts_are_reported_not_exempted(upg: Upg) -> None:
    result = services.gift_check_for(
        employee=upg.reporter, gift=gift(category="pernikahan", value=Decimal(1), refused=True)
    )
    assert not result.exempt
    assert "ditolak" in result.reason
