"""SecurityCredential: the initiator password RSA-encrypted for Daraja (REFERENCE.md §8).

PKCS#1 v1.5 over the password alone (as Safaricom's own Node library does; mpesakit's appended
timestamp is not followed), Base64 of the ciphertext. Safaricom's public sandbox and production
certificates ship in `certs/`; a path override serves the simulator's own certificate.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from backend.daraja.errors import InvalidRequest

CERT_DIR = Path(__file__).parent / "certs"
BUNDLED_CERTIFICATES = {
    "sandbox": CERT_DIR / "SandboxCertificate.cer",
    "production": CERT_DIR / "ProductionCertificate.cer",
}


@lru_cache(maxsize=16)
def load_public_key(path: str) -> rsa.RSAPublicKey:
    """Read an RSA public key from a PEM or DER X.509 certificate file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidRequest(f"cannot read certificate {path}: {exc.strerror}") from exc
    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if b"-----BEGIN" in data
            else x509.load_der_x509_certificate(data)
        )
    except ValueError as exc:
        raise InvalidRequest(f"{path} is not an X.509 certificate") from exc
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidRequest(f"{path} does not hold an RSA public key")
    return key


def security_credential(password: str, certificate: str | Path) -> str:
    """Encrypt `password` with the certificate's key; each call differs (random padding)."""
    key = load_public_key(str(certificate))
    return base64.b64encode(key.encrypt(password.encode(), padding.PKCS1v15())).decode("ascii")
