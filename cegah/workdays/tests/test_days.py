"""Working-day arithmetic across Idul Fitri, cuti bersama, year ends and overrides."""

from datetime import date

import pytest

from cegah.workdays import days
from cegah.workdays.days import add_working_days, days_off, is_working_day, working_days_between


@pytest.fixture(autouse=True)
def _fresh_overrides():
    days._overrides.cache_clear()
    yield
    days._overrides.cache_clear()


def test_an_ordinary_week() -> None:
    # Monday 3 November 2025: five working days later is Monday 10 November.
    assert add_working_days(date(2025, 11, 3), 5) == date(2025, 11, 10)
    assert working_days_between(date(2025, 11, 3), date(2025, 11, 10)) == 5
    assert not is_working_day(date(2025, 11, 8))  # a Saturday


def test_three_working_days_across_idul_fitri_and_cuti_bersama_2025() -> None:
    # Thursday 27 March 2025. Off: 28 (cuti bersama Nyepi), 29 (Nyepi), 30 (Sunday), 31 March and
    # 1 April (Idul Fitri), 2-4 April (cuti bersama), 5-6 (weekend), 7 April (cuti bersama).
    assert days_off(2025)[date(2025, 4, 2)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert add_working_days(date(2025, 3, 27), 1) == date(2025, 4, 8)
    assert add_working_days(date(2025, 3, 27), 3) == date(2025, 4, 10)
    assert working_days_between(date(2025, 3, 27), date(2025, 4, 10)) == 3


def test_across_christmas_and_the_new_year() -> None:
    # Wednesday 24 December 2025: 25 (Christmas) and 26 (cuti bersama) off, then the weekend,
    # 29-31 working, 1 January 2026 off.
    assert not is_working_day(date(2025, 12, 26))
    assert add_working_days(date(2025, 12, 24), 4) == date(2026, 1, 2)


def test_overrides_add_and_cancel_days_off(settings, tmp_path) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text(
        "overrides:\n"
        "  - {date: 2025-11-04, working: false, name: Libur tambahan}\n"
        "  - {date: 2025-04-07, working: true, name: Cuti bersama dibatalkan}\n",
        encoding="utf-8",
    )
    settings.WORKDAYS_OVERRIDES = path
    assert days_off(2025)[date(2025, 11, 4)] == "Libur tambahan"
    assert add_working_days(date(2025, 11, 3), 5) == date(2025, 11, 11)
    assert is_working_day(date(2025, 4, 7))
    assert add_working_days(date(2025, 3, 27), 1) == date(2025, 4, 7)


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2025, 1, 1), -1)
    with pytest.raises(ValueError, match="too many"):
        add_working_days(date(2025, 1, 1), 10_000)
