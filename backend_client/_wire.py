"""Checked conversions between JSON values and the generated models (used by `models.py`).

Each converter raises `WireError` on a value of the wrong type, so an answer from a newer or
broken backend becomes one clear `ServerError` instead of a half-built model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")
Converter = Callable[[Any], T]


class WireError(ValueError):
    """A JSON value did not have the type the schema promised."""


def obj(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise WireError(f"expected an object, got {type(value).__name__}")
    return value


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireError(f"expected an integer, got {value!r}")
    return value


def number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WireError(f"expected a number, got {value!r}")
    return float(value)


def string(value: Any) -> str:
    if not isinstance(value, str):
        raise WireError(f"expected a string, got {value!r}")
    return value


def choice(value: Any) -> Any:
    """A value of a `Literal` the backend may extend (a new status, a new kind).

    Checked to be a string or number, not against today's list, so an app one version behind
    still reads a newer backend's payments instead of failing on all of them.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise WireError(f"expected a string, got {value!r}")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise WireError(f"expected true/false, got {value!r}")
    return value


def datetime(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(string(value))
    except ValueError as exc:
        raise WireError(f"expected a date-time, got {value!r}") from exc


def date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(string(value))
    except ValueError as exc:
        raise WireError(f"expected a date, got {value!r}") from exc


def anything(value: Any) -> Any:
    return value


def enum_of(cls: Callable[[Any], T]) -> Converter[T]:
    def convert(value: Any) -> T:
        try:
            return cls(value)
        except ValueError as exc:
            raise WireError(f"unknown value {value!r}") from exc

    return convert


def nullable(convert: Converter[T]) -> Converter[T | None]:
    return lambda value: None if value is None else convert(value)


def list_of(convert: Converter[T]) -> Converter[list[T]]:
    def convert_list(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise WireError(f"expected a list, got {type(value).__name__}")
        return [convert(item) for item in value]

    return convert_list


def dict_of(convert: Converter[T]) -> Converter[dict[str, T]]:
    return lambda value: {str(k): convert(v) for k, v in obj(value).items()}


def required(data: Mapping[str, Any], name: str, convert: Converter[T]) -> T:
    if name not in data:
        raise WireError(f"missing field {name!r}")
    try:
        return convert(data[name])
    except WireError as exc:
        raise WireError(f"{name}: {exc}") from exc


def optional(data: Mapping[str, Any], name: str, convert: Converter[T], default: Any) -> Any:
    if name not in data:
        return default() if callable(default) else default
    try:
        return convert(data[name])
    except WireError as exc:
        raise WireError(f"{name}: {exc}") from exc


def encode(value: Any) -> Any:
    """Turn a model value back into JSON: enums, dates, nested models, lists and dicts."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    return value
