"""The time left before a termin deadline, as the work page, the report review and the home
show it, in each language."""

from datetime import timedelta

import pytest
from django.utils import translation

from cegah.mcp.templatetags.mcp_format import remaining


@pytest.mark.parametrize(
    ("left", "indonesian", "english"),
    [
        (timedelta(days=12, hours=4, minutes=5), "12 hari 4 jam", "12 days 4 hours"),
        (timedelta(days=1, hours=1), "1 hari 1 jam", "1 day 1 hour"),
        (timedelta(hours=3, minutes=20), "3 jam 20 menit", "3 hours 20 minutes"),
        (timedelta(hours=1, minutes=1, seconds=30), "1 jam 1 menit", "1 hour 1 minute"),
        (timedelta(seconds=-1), "lewat", "passed"),
    ],
)
def test_time_left_reads_right_in_both_languages(left, indonesian, english) -> None:
    with translation.override("id"):
        assert remaining(left) == indonesian
    with translation.override("en"):
        assert remaining(left) == english
