"""SecurityCredential is RSA PKCS#1 v1.5 of the password alone, with the right certificate."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from backend.daraja import InvalidRequest, security_credential
from backend.daraja.security import BUNDLED_CERTIFICATES, load_public_key


def _self_signed(tmp_path: Path) -> tuple[rsa.RSAPrivateKey, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sim")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "sim.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, path


def test_decrypts_to_the_password(tmp_path: Path) -> None:
    key, path = _self_signed(tmp_path)
    credential = security_credential("Safaricom999!*!", path)
    plain = key.decrypt(base64.b64decode(credential), padding.PKCS1v15())
    assert plain == b"Safaricom999!*!"


@pytest.mark.parametrize("environment", ["sandbox", "production"])
def test_bundled_certificates_are_the_published_rsa_2048_ones(environment: str) -> None:
    key = load_public_key(str(BUNDLED_CERTIFICATES[environment]))
    assert key.key_size == 2048
    credential = security_credential("Safaricom999!*!", BUNDLED_CERTIFICATES[environment])
    assert len(credential) == 344  # Base64 of 256 bytes (REFERENCE.md §8)
    # PKCS#1 v1.5 padding is random: two encryptions differ.
    assert credential != security_credential("Safaricom999!*!", BUNDLED_CERTIFICATES[environment])


def test_sandbox_certificate_is_apicrypt() -> None:
    data = BUNDLED_CERTIFICATES["sandbox"].read_bytes()
    cert = x509.load_pem_x509_certificate(data)
    assert "apicrypt.safaricom.co.ke" in cert.subject.rfc4514_string()


def test_unreadable_certificate(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest):
        security_credential("x", tmp_path / "missing.pem")
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(InvalidRequest):
        security_credential("x", bad)
