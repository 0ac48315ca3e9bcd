"""The package's YAML files read the same through libyaml's parser as through PyYAML's own safe loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from creative_clusters._yaml import safe_load

PACKAGE = Path(__file__).resolve().parents[1] / "creative_clusters"
FILES = sorted(p for p in PACKAGE.rglob("*.yaml") if "node_modules" not in p.parts)


def test_the_package_has_its_yaml_files():
    names = {p.name for p in FILES}
    assert {"library.yaml", "growth_potential_v1.yaml", "trajectory_rules.yaml", "place_names.yaml"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_loads_to_the_same_objects(path):
    text = path.read_text("utf-8")
    assert safe_load(text) == yaml.safe_load(text)


def test_it_refuses_what_the_safe_loader_refuses():
    with pytest.raises(yaml.YAMLError):
        safe_load("!!python/object/apply:os.system ['true']")
