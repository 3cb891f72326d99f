"""The model generator on a small OpenAPI document covering the shapes the backend uses."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from backend_client import Channel, PaymentStatus, models
from backend_client._codegen import generate
from backend_client._wire import WireError

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Mini", "version": "1"},
    "components": {
        "schemas": {
            "Colour": {"type": "string", "enum": ["red", "dark-blue"], "title": "Colour"},
            "Item-Output": {
                "type": "object",
                "description": "An item.\n\nMore text.",
                "required": ["id", "when", "tags"],
                "properties": {
                    "id": {"type": "integer"},
                    "when": {"type": "string", "format": "date-time"},
                    "day": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "colour": {"$ref": "#/components/schemas/Colour", "default": "red"},
                    "kind": {"type": "string", "enum": ["a", "b"], "default": "a"},
                    "price": {"type": "number", "default": 1.5},
                    "note": {"type": "string", "default": ""},
                    "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "children": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Item-Output"},
                        "default": [],
                    },
                    "class": {"type": "boolean", "default": False},
                },
            },
            "HTTPValidationError": {"type": "object", "properties": {}},
        }
    },
}


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    path = Path(tmp_path_factory.mktemp("gen")) / "mini_models.py"
    path.write_text(generate(SPEC))
    spec = importlib.util.spec_from_file_location("mini_models", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_generated_module_has_models_and_enums(mini: ModuleType) -> None:
    assert mini.__all__ == ["Colour", "ItemOutput"]
    assert mini.Colour("dark-blue") is mini.Colour.DARK_BLUE
    assert mini.ItemOutput.__doc__ == "An item."
    assert not hasattr(mini, "HTTPValidationError")


def test_round_trip_with_defaults_and_nesting(mini: ModuleType) -> None:
    wire = {
        "id": 1,
        "when": "2026-12-04T09:00:00Z",
        "day": "2026-12-04",
        "tags": ["x"],
        "children": [{"id": 2, "when": "2026-12-04T09:00:01+03:00", "tags": []}],
        "class": True,
        "unknown_future_field": 1,
    }
    item = mini.ItemOutput.from_json(wire)
    assert item.when == dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC)
    assert item.day == dt.date(2026, 12, 4)
    assert item.colour is mini.Colour.RED
    assert (item.kind, item.price, item.note, item.class_) == ("a", 1.5, "", True)
    assert item.children[0].children == []
    again = mini.ItemOutput.from_json(item.to_json())
    assert again == item
    assert item.to_json()["class"] is True
    assert "extra" not in item.to_json()
    newer = mini.ItemOutput.from_json({**wire, "kind": "c"})  # a value added by a newer backend
    assert newer.kind == "c"


@pytest.mark.parametrize(
    "bad",
    [
        {"id": "1", "when": "2026-12-04T09:00:00Z", "tags": []},
        {"id": True, "when": "2026-12-04T09:00:00Z", "tags": []},
        {"id": 1, "when": "yesterday", "tags": []},
        {"id": 1, "when": "2026-12-04T09:00:00Z"},
        {"id": 1, "when": "2026-12-04T09:00:00Z", "tags": [], "colour": "green"},
        [],
    ],
)
def test_wrongly_typed_answers_are_refused(mini: ModuleType, bad: object) -> None:
    with pytest.raises(WireError):
        mini.ItemOutput.from_json(bad)


def test_hand_written_enums_match_the_generated_schema() -> None:
    hints = typing.get_type_hints(models.PaymentPublic)
    assert set(typing.get_args(hints["status"])) == {s.value for s in PaymentStatus}
    assert set(typing.get_args(hints["channel"])) == {c.value for c in Channel}
