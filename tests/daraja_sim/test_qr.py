"""Dynamic QR: a base64 PNG of a KE-QR payload (REFERENCE.md §9, shared/qr/KE-QR.md)."""

from __future__ import annotations

import base64
import binascii
import io

import pytest
import zxingcpp
from PIL import Image

from daraja_sim import qr
from tests.daraja_sim.daraja import assert_envelope, authed
from tests.support.sim_fixtures import RunningSim

QR_PATH = "/mpesa/qrcode/v1/generate"


def decode(png_b64: str) -> str:
    image = Image.open(io.BytesIO(base64.b64decode(png_b64)))
    [result] = zxingcpp.read_barcodes(image)
    return str(result.text)


def crc_ok(payload: str) -> bool:
    body, crc = payload[:-4], payload[-4:]
    return body.endswith("6304") and f"{binascii.crc_hqx(body.encode(), 0xFFFF):04X}" == crc


@pytest.mark.parametrize(
    ("trx_code", "cpi", "ref"),
    [("BG", "300301", ""), ("PB", "174379", "ACC42"), ("SM", "254700000000", "")],
)
async def test_generate_returns_a_png_of_a_ke_qr_payload(
    sim: RunningSim, trx_code: str, cpi: str, ref: str
) -> None:
    body = {
        "MerchantName": "MAMA MBOGA STORES",
        "RefNo": ref,
        "Amount": 250,
        "TrxCode": trx_code,
        "CPI": cpi,
        "Size": "300",
    }
    async with authed(sim.url) as client:
        response = await client.post(QR_PATH, json=body)
    data = response.json()
    assert response.status_code == 200
    assert data["ResponseDescription"] == "QR Code Successfully Generated."
    assert data["QRCode"].startswith("iVBORw0KGgo")  # the PNG signature, base64
    payload = decode(data["QRCode"])
    assert payload.startswith("000201")
    assert cpi in payload
    assert "ke.go.qr" in payload
    assert "5303404" in payload and "5802KE" in payload
    if ref:
        assert ref in payload
    assert crc_ok(payload)


@pytest.mark.parametrize(
    ("field", "value"),
    [("TrxCode", "XX"), ("CPI", "abc"), ("Amount", 0), ("MerchantName", "")],
)
async def test_generate_field_rules(sim: RunningSim, field: str, value: object) -> None:
    body = {"MerchantName": "SHOP", "RefNo": "", "Amount": 1, "TrxCode": "BG", "CPI": "300301"}
    body[field] = value
    async with authed(sim.url) as client:
        response = await client.post(QR_PATH, json=body)
    assert_envelope(response, "400.002.02", f"Bad Request - Invalid {field}")


def test_fallback_builder_is_a_valid_emvco_payload() -> None:
    payload = qr.fallback_payload("300301", "MAMA MBOGA STORES", 250, "")
    assert crc_ok(payload)
    assert "28220008ke.go.qr0106300301" in payload
    assert "5406250.00" in payload
    png = qr._fallback_png(payload)
    assert decode(base64.b64encode(png).decode()) == payload
