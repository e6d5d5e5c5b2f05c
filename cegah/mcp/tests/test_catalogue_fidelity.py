"""The catalogues say what is illustrative, the 2025 indicators carry their aspect, and the shipped
files follow the published counts (docs/domain/mcp.md, "Catalogues")."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from cegah.mcp.catalogue_file import CatalogueInvalid, parse_catalogue
from cegah.mcp.services import catalogue_import
from cegah.mcp.tests.conftest import CATALOGUES

ASPECTS = """illustrative:
  id: "Teks indikator ditulis proyek, bukan teks KPK."
  en: "Indicator texts are the project's, not KPK's."
aspects:
  - {code: transparansi, name: {id: "Transparansi", en: "Transparency"}}
  - {code: akuntabilitas, name: {id: "Akuntabilitas", en: "Accountability"}}
"""


def _with_aspects(tmp_path: Path, *, prc: str = "transparansi", bmd: str = "akuntabilitas") -> Path:
    text = (CATALOGUES / "valid.yaml").read_text(encoding="utf-8")
    text = text.replace("areas:\n", ASPECTS + "areas:\n", 1)
    text = text.replace(
        "    sasaran: PRC.S1\n    name:", f"    sasaran: PRC.S1\n    aspect: {prc}\n    name:"
    )
    for code in ("BMD.1", "BMD.2"):
        text = text.replace(
            f"  - code: {code}\n    area: BMD\n",
            f"  - code: {code}\n    area: BMD\n    aspect: {bmd}\n",
        )
    path = tmp_path / "aspek-2025.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_aspect_the_file_does_not_list_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(CatalogueInvalid) as refused:
        parse_catalogue(_with_aspects(tmp_path, bmd="regulasi"))
    problems = [str(p) for p in refused.value.problems]
    assert len(problems) == 2  # BMD.1 and BMD.2
    assert "indicators[1].aspect" in problems[0]
    assert "aspek harus salah satu dari: transparansi, akuntabilitas." in problems[0]


def test_an_indicator_without_an_aspect_in_a_file_with_aspects_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueInvalid) as refused:
        parse_catalogue(_with_aspects(tmp_path, prc=""))
    assert "indicators[0].aspect" in str(refused.value.problems[0])


def test_the_page_says_what_is_illustrative_and_filters_by_aspect(
    world, login, tmp_path: Path
) -> None:
    catalogue_import(path=_with_aspects(tmp_path))
    client = login(world.operator_binjai)
    url = reverse("mcp:catalogue", kwargs={"year": 2025})
    page = client.get(url).content.decode()
    assert "Ilustratif" in page and "Teks indikator ditulis proyek, bukan teks KPK." in page
    assert "Transparansi (1)" in page and "Akuntabilitas (2)" in page
    filtered = client.get(url, {"aspek": "akuntabilitas"}).content.decode()
    assert "2 indikator beraspek Akuntabilitas." in filtered
    assert "BMD.1" in filtered and "Musrenbang terdokumentasi" not in filtered
    # An unknown aspect shows everything rather than nothing.
    assert "Musrenbang terdokumentasi" in client.get(url, {"aspek": "x"}).content.decode()


def test_the_api_gives_the_aspect_of_each_indicator(world, client, tmp_path: Path) -> None:
    catalogue = catalogue_import(path=_with_aspects(tmp_path)).catalogue
    catalogue.opened_at = catalogue.imported_at
    catalogue.save(update_fields=["opened_at"])
    body = client.get("/api/v1/catalogues/2025/indicators/").json()
    assert {r["code"]: r["aspect"] for r in body["results"]} == {
        "PRC.1": "transparansi",
        "BMD.1": "akuntabilitas",
        "BMD.2": "akuntabilitas",
    }
