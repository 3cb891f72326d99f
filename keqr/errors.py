"""Errors raised by keqr, grouped by what the caller should do about them.

    KeqrError                      base: anything keqr refuses
    ├── InvalidField(field, reason)    building a payload: fix the input (till, name, amount…)
    └── DecodeError                    reading a payload: this text is not a usable KE-QR code
        ├── BadCrc(found, expected)        the check digits do not match: damaged or altered code
        ├── TruncatedTemplate(path)        data ends inside an object's 4-character ID+length header
        ├── LengthOverrun(path, …)         an object's declared length runs past its template's end
        ├── MalformedObject(path, reason)  ID or length is not two decimal digits
        ├── MisplacedTag(tag, reason)      00 not first, 63 not last, or a tag given twice
        ├── MissingTag(tag)                a mandatory object is absent
        └── InvalidValue(tag, reason)      an object is present but its value breaks the rules

Every message names the field or tag (as `62/01` for sub-object 01 of template 62) and says what is
wrong, so a cashier or a developer can act on it without reading this package.
"""

from __future__ import annotations


class KeqrError(ValueError):
    """Base of every keqr error; a `ValueError` because the input, not the machine, is at fault."""

    @property
    def user_message(self) -> str:
        """Text that can be shown verbatim to a person."""
        return str(self)


class InvalidField(KeqrError):
    """A value given to a payload builder cannot be encoded; `field` names the argument."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class DecodeError(KeqrError):
    """The text is not a valid KE-QR / EMVCo merchant-presented payload."""


class BadCrc(DecodeError):
    """The CRC in tag 63 does not match the payload: the code is damaged or was altered."""

    def __init__(self, found: str, expected: str) -> None:
        super().__init__(
            f"bad CRC: the code says {found!r} but its contents give {expected!r}; "
            "the QR code is damaged or was altered, so rescan it or print a fresh one"
        )
        self.found = found
        self.expected = expected


class TruncatedTemplate(DecodeError):
    """The data stops inside an object's ID+length header (fewer than 4 characters were left)."""

    def __init__(self, path: str, leftover: str) -> None:
        super().__init__(
            f"truncated at {path}: {leftover!r} is left where a 2-digit ID and 2-digit length "
            "should start; the payload was cut short"
        )
        self.path = path
        self.leftover = leftover


class LengthOverrun(DecodeError):
    """An object declares more characters than remain in its template or payload."""

    def __init__(self, path: str, declared: int, available: int) -> None:
        super().__init__(
            f"length overrun at {path}: it declares {declared} characters but only "
            f"{available} remain; the payload was cut short or a length is wrong"
        )
        self.path = path
        self.declared = declared
        self.available = available


class MalformedObject(DecodeError):
    """An object's ID or length is not two decimal digits."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"malformed object at {path}: {reason}")
        self.path = path
        self.reason = reason


class MisplacedTag(DecodeError):
    """A tag is where EMVCo forbids it: 00 must come first, 63 last, and none may repeat."""

    def __init__(self, tag: str, reason: str) -> None:
        super().__init__(f"tag {tag} {reason}")
        self.tag = tag
        self.reason = reason


class MissingTag(DecodeError):
    """A mandatory object is absent; `tag` is its path, e.g. `59` or `28/00`."""

    def __init__(self, tag: str, meaning: str) -> None:
        super().__init__(f"missing mandatory tag {tag} ({meaning})")
        self.tag = tag
        self.meaning = meaning


class InvalidValue(DecodeError):
    """An object is present but its value is not allowed, e.g. currency 53 is not digits."""

    def __init__(self, tag: str, reason: str) -> None:
        super().__init__(f"tag {tag}: {reason}")
        self.tag = tag
        self.reason = reason
