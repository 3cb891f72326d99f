"""CRC-16/CCITT-FALSE and TLV structure against every vector in the reference (KE-QR.md §4)."""

from __future__ import annotations

import pytest

from keqr import BadCrc, crc16, decode, parse
from keqr.crc import seal
from tests.keqr.vectors import CRC_VECTORS, NEGATIVE_VECTORS


def test_check_value_of_the_algorithm() -> None:
    assert crc16("123456789") == "29B1"


@pytest.mark.parametrize(("name", "payload", "crc"), CRC_VECTORS, ids=[v[0] for v in CRC_VECTORS])
def test_every_reference_crc_reproduces(name: str, payload: str, crc: str) -> None:
    assert payload.endswith("6304" + crc)
    assert crc16(payload[:-4]) == crc
    assert seal(payload[:-8]) == payload


@pytest.mark.parametrize(("name", "payload", "crc"), CRC_VECTORS, ids=[v[0] for v in CRC_VECTORS])
def test_every_reference_vector_parses_back_to_itself(name: str, payload: str, crc: str) -> None:
    tree = parse(payload)
    # Lengths count characters: re-encoding the tree gives back the exact string, Chinese included.
    assert "".join(node.encode() for node in tree) == payload
    assert tree[0].tag == "00"
    assert (tree[-1].tag, tree[-1].value) == ("63", crc)


def test_lengths_count_characters_and_crc_counts_utf8_bytes() -> None:
    language = next(node for node in parse(CRC_VECTORS[0][1]) if node.tag == "64")
    assert [(c.tag, c.value) for c in language.children] == [
        ("00", "ZH"),
        ("01", "最佳运输"),
        ("02", "北京"),
    ]


@pytest.mark.parametrize(
    ("name", "payload", "found", "expected"), NEGATIVE_VECTORS, ids=[v[0] for v in NEGATIVE_VECTORS]
)
def test_every_negative_vector_is_rejected_for_its_crc(
    name: str, payload: str, found: str, expected: str
) -> None:
    with pytest.raises(BadCrc) as caught:
        decode(payload)
    assert (caught.value.found, caught.value.expected) == (found, expected)
    assert "damaged or was altered" in str(caught.value)
    with pytest.raises(BadCrc):
        parse(payload)


def test_lowercase_crc_is_accepted_when_it_matches() -> None:
    payload = CRC_VECTORS[-1][1]
    assert decode(payload[:-4] + payload[-4:].lower()).account == "ACC12345"
