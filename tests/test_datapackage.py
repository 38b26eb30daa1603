"""data/datapackage.json: a valid Frictionless data package that describes the committed data."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from scicollab import datapackage, paths, pipeline
from scicollab.errors import ScicollabError


@pytest.fixture(scope="module")
def package() -> dict:
    return json.loads((paths.data_dir() / datapackage.FILE).read_text(encoding="utf-8"))


def _problems(report) -> list[str]:
    return [f"{task.name}: {error.type}: {error.note}" for task in report.tasks
            for error in task.errors] + [f"package: {error.note}" for error in report.errors]


def test_committed_data_package_is_valid_with_frictionless():
    from frictionless import validate

    report = validate(str(paths.data_dir() / datapackage.FILE))
    assert report.valid, _problems(report)[:10]
    assert len(report.tasks) == len(pipeline.table_names())


def test_frictionless_catches_a_country_missing_from_the_countries_table(tmp_path):
    from frictionless import validate

    copy = tmp_path / "data"
    shutil.copytree(paths.data_dir(), copy)
    trust = copy / "trust.csv"
    trust.write_text(trust.read_text().replace("\nALB,", "\nXNA,", 1))
    descriptor = json.loads((copy / datapackage.FILE).read_text())
    descriptor["resources"] = [r for r in descriptor["resources"]
                               if r["name"] in ("countries", "trust")]
    for resource in descriptor["resources"]:
        resource.pop("hash")
        resource.pop("bytes")
    (copy / datapackage.FILE).write_text(json.dumps(descriptor))
    report = validate(str(copy / datapackage.FILE))
    assert [p for p in _problems(report) if "foreign-key" in p and "XNA" in p]


def test_every_resource_matches_the_manifest(package):
    manifest = json.loads((paths.data_dir() / "manifest.json").read_text())
    assert package["data_version"] == manifest["data_version"]
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(manifest["tables"]) == set(pipeline.table_names())
    for name, entry in manifest["tables"].items():
        resource = resources[name]
        assert resource["path"] == entry["file"]
        assert resource["hash"] == f"sha256:{entry['sha256']}"
        assert resource["bytes"] == (paths.data_dir() / entry["file"]).stat().st_size
        assert [f["name"] for f in resource["schema"]["fields"]] == entry["columns"]
        assert resource["schema"]["primaryKey"] == entry["keys"]
        assert [s["path"] for s in resource["sources"]] == [s["url"] for s in entry["sources"]]
        assert resource["licenses"], name


def test_every_column_has_a_type_a_description_and_countries_are_foreign_keys(package):
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["type"] and len(field["description"]) > 10, (resource["name"], field)
        keys = {fk["fields"][0] for fk in resource["schema"].get("foreignKeys", [])}
        codes = {f["name"] for f in resource["schema"]["fields"]} & {"iso3", "a", "b"}
        assert keys == (set() if resource["name"] == "countries" else codes), resource["name"]


def test_a_column_the_schema_does_not_know_stops_the_build():
    frame = pd.DataFrame({"year": [2020], "closed_access": [1], "open_access": [1],
                          "known_status": [2], "open_share": [50.0], "extra": [1]})
    with pytest.raises(ScicollabError, match=r"table open_access: columns .* differ from its "
                                             r"schema"):
        datapackage.check_columns("open_access", frame)
    with pytest.raises(ScicollabError, match=r"column 'closed_access': the data are number, "
                                             r"the schema .* says integer"):
        datapackage.check_columns("open_access", frame.drop(columns="extra").assign(
            closed_access=[1.5]))


def test_a_licence_without_an_entry_stops_the_build():
    entry = json.loads((paths.data_dir() / "manifest.json").read_text())["tables"]["trust"]
    entry["sources"][0]["licence"] = "All rights reserved"
    with pytest.raises(ScicollabError, match=r"licence 'All rights reserved' has no entry"):
        datapackage.resource("trust", entry, 1)
