"""The simulator's own RSA key and certificate, and the SecurityCredential check (§8).

Clients encrypt the initiator password with the certificate served at `GET /__sim__/cert.pem`
(PKCS#1 v1.5, base64), exactly as they would with Safaricom's. One key per process: generating a
2048-bit key takes a noticeable fraction of a second and the brief does not ask for determinism.
Decryption results are cached per credential string, because clients reuse one credential.
"""

from __future__ import annotations

import base64
import binascii
import functools
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

INITIATOR = "testapi"
PASSWORDS = frozenset({"Safaricom999!*!", "Safaricom123!!"})


@functools.cache
def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def certificate_pem() -> bytes:
    """Return the PEM certificate whose public key encrypts initiator passwords."""
    key = _key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "apicrypt.daraja-sim.local"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Duka Daraja simulator"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


@functools.lru_cache(maxsize=256)
def _decrypt(credential: str) -> str | None:
    try:
        ciphertext = base64.b64decode(credential, validate=True)
        return _key().decrypt(ciphertext, padding.PKCS1v15()).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def credential_ok(initiator: str, credential: str) -> bool:
    """Return whether `credential` is a sandbox initiator password encrypted with our key.

    mpesakit appends a 14-digit timestamp before encrypting (§8); that form is accepted too.
    """
    if initiator != INITIATOR or not credential:
        return False
    password = _decrypt(credential)
    if password is None:
        return False
    if password in PASSWORDS:
        return True
    return len(password) > 14 and password[-14:].isdigit() and password[:-14] in PASSWORDS


def encrypt_credential(password: str, cert_pem: bytes) -> str:
    """Encrypt `password` with a PEM certificate, as a Daraja client does (used by tests/bench)."""
    public_key = x509.load_pem_x509_certificate(cert_pem).public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    return base64.b64encode(public_key.encrypt(password.encode(), padding.PKCS1v15())).decode()
