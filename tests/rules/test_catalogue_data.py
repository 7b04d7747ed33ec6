"""Building a catalogue from its dictionary form: an inconsistent one is refused saying where."""

from __future__ import annotations

import pytest

from rules.catalogue import CatalogueError
from rules.catalogue_data import catalogue_from_dict

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["measures"][0]["entries"][0]["criteria"][0].update(operator="=>"),
            "entry CN-2025-58:3A001 criterion 1 operator: '=>' is not one of >=, >, <=, <",
        ),
        (
            lambda d: d["measures"][0]["entries"][0]["criteria"][0].update(parameter="colour"),
            "entry CN-2025-58:3A001 criterion 1 parameter: 'colour' is not one of",
        ),
        (
            lambda d: d["measures"][0]["windows"].append(
                {"status": "in_force", "start": "2026-01-01", "end": None}
            ),
            "measure CN-2025-58: status windows from 2025-11-07 and 2026-01-01 overlap",
        ),
        (
            lambda d: d["measures"][0]["entries"].append(dict(d["measures"][0]["entries"][0])),
            "entry CN-2025-58:3A001 appears twice",
        ),
        (
            lambda d: d["measures"][0]["entries"][0]["applies_to"].append(
                {"category": "battery_cell", "subtype": "lfp"}
            ),
            "entry CN-2025-58:3A001 subtype of battery_cell: 'lfp' is not one of",
        ),
    ],
)
def test_inconsistent_catalogues_are_refused_with_where_and_what(shipped, mutate, message):
    data = shipped.to_dict()
    mutate(data)
    with pytest.raises(CatalogueError) as raised:
        catalogue_from_dict(data)
    assert str(raised.value).startswith(message)


def test_the_shipped_version_is_read_from_the_manifest_alone(tmp_path):
    from rules.catalogue_data import load_shipped, shipped_version

    assert shipped_version() == load_shipped().version
    (tmp_path / "manifest.toml").write_text('version = " 9.9 "\nmeasures = ["missing.toml"]\n')
    assert shipped_version(tmp_path) == "9.9"
    with pytest.raises(CatalogueError, match="missing.toml"):
        load_shipped(tmp_path)
