"""Exact query counts of a WBS report's submission, with and without attachments."""

from __future__ import annotations

import io

import pytest

from cegah.wbs.services import Upload

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


# 7, then 2 per attachment: its stored file and its row. Of the 7, two seal the report key to
# the handlers of its level: their public keys, then the grants in one insert.
@pytest.mark.parametrize(("attachments", "queries"), [(0, 7), (1, 9), (2, 11)])
def test_submitting_a_report(submit, django_assert_num_queries, attachments, queries) -> None:
    uploads = [Upload(f"foto-{n}.jpg", io.BytesIO(jpeg_with_gps())) for n in range(attachments)]
    with django_assert_num_queries(queries):
        submit(uploads=uploads)
