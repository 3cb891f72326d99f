"""EMVCo TLV objects: a 2-digit ID, a 2-digit length counted in characters, then the value.

Lengths count characters, not bytes (the EMVCo sample `0104最佳运输` has length 04), so this module
works on `str` throughout; only the CRC looks at UTF-8 bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from keqr.errors import LengthOverrun, MalformedObject, TruncatedTemplate
from keqr.layout import VALUE_MAX

HEADER_LEN = 4


@dataclass(frozen=True, slots=True)
class Tlv:
    """One data object; `children` holds the parsed objects of a template, else it is empty."""

    tag: str
    value: str
    children: tuple[Tlv, ...] = ()

    def child(self, tag: str) -> Tlv | None:
        """Return the first nested object with this ID, or None."""
        return next((node for node in self.children if node.tag == tag), None)

    def encode(self) -> str:
        """Write this object back as text (the value as given, children already inside it)."""
        return encode(self.tag, self.value)


def encode(tag: str, value: str) -> str:
    """Write one object; refuses an ID that is not two digits or a value over 99 characters."""
    if len(tag) != 2 or not tag.isdigit() or not tag.isascii():
        raise ValueError(f"EMVCo IDs are two digits, got {tag!r}")
    if len(value) > VALUE_MAX:
        raise ValueError(f"tag {tag} value is {len(value)} characters; the limit is {VALUE_MAX}")
    return f"{tag}{len(value):02d}{value}"


def template(tag: str, *objects: tuple[str, str | None]) -> str:
    """Write a template from (sub-ID, value) pairs, skipping values that are None."""
    return encode(tag, "".join(encode(sub, value) for sub, value in objects if value is not None))


def parse(
    text: str, *, path: str = "", nested: Callable[[str], bool] = lambda _tag: False
) -> tuple[Tlv, ...]:
    """Split `text` into objects, recursing into IDs for which `nested(tag)` is true.

    `path` prefixes the IDs in error messages (`62/` for the objects inside template 62).
    Raises `TruncatedTemplate`, `LengthOverrun` or `MalformedObject` naming where it broke.
    """
    objects: list[Tlv] = []
    position = 0
    while position < len(text):
        header = text[position : position + HEADER_LEN]
        where = f"{path}{header[:2]}" if header[:2].isdigit() else f"{path}(offset {position})"
        if len(header) < HEADER_LEN:
            raise TruncatedTemplate(where, header)
        tag, length = header[:2], header[2:]
        if not (tag.isascii() and tag.isdigit()):
            raise MalformedObject(where, f"ID {tag!r} is not two digits")
        if not (length.isascii() and length.isdigit()):
            raise MalformedObject(where, f"length {length!r} is not two digits")
        start = position + HEADER_LEN
        end = start + int(length)
        if end > len(text):
            raise LengthOverrun(where, int(length), len(text) - start)
        value = text[start:end]
        children = parse(value, path=f"{where}/") if nested(tag) else ()
        objects.append(Tlv(tag, value, children))
        position = end
    return tuple(objects)
