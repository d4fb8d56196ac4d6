"""corpusforge.registry: versioned names, close-match suggestions, one class per name."""

from __future__ import annotations

import pytest

from corpusforge import registry
from corpusforge.stage import Stage


def test_names_must_be_versioned() -> None:
    for bad in ("extract", "extract.x", "extract.x.1", "extract.x.vx"):
        cls = type("Bad", (Stage,), {"name": bad})
        with pytest.raises(ValueError, match="must look like"):
            registry.register(cls)


def test_a_name_belongs_to_one_class() -> None:
    first = type("First", (Stage,), {"name": "test.twice.v1"})
    registry.register(first)
    registry.register(first)  # the same class again (a module imported twice) is fine
    second = type("Second", (Stage,), {"name": "test.twice.v1"})
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(second)


def test_get_suggests_close_names_and_versions_parse() -> None:
    assert registry.get("ingest.warc.v1").name == "ingest.warc.v1"
    with pytest.raises(KeyError, match="did you mean ingest.warc.v1"):
        registry.get("ingest.wark.v1")
    assert registry.version_of("dedup.minhash.v12") == 12
    assert registry.origin("ingest.warc.v1") == "corpusforge"


def test_every_built_in_stage_is_documented_and_declares_its_columns() -> None:
    stages = {n: c for n, c in registry.all_stages().items() if c.__module__.startswith("corpusforge.stages.")}
    assert len(stages) >= 15
    for name, cls in stages.items():
        assert cls.__doc__ and cls.__doc__.strip(), f"{name} needs a one-line docstring for `corpusforge stages`"
        for field_name, field in cls.Config.model_fields.items():
            assert field.description, f"{name}: parameter {field_name} is undocumented"
