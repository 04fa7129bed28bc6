"""Field-level encryption of children's identifying details (AES-256-GCM).

The key comes from CASEAUDIT_FIELD_KEY (32 bytes, urlsafe base64) or, in the embedded default, a
key file created on first use in the data folder. Losing the key loses the identifying details
(by design, the pseudonymised records remain). `child_key` gives a keyed, deterministic digest of
a case-system id so the same child can be recognised across imports without storing the id in
clear.
"""

import base64
import hashlib
import hmac
import os
import secrets
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from caseaudit.secretfile import read_or_create

PREFIX = "v1:"


@cache
def _key() -> bytes:
    configured = os.environ.get("CASEAUDIT_FIELD_KEY")
    if configured:
        key = base64.urlsafe_b64decode(configured)
    else:
        stored = read_or_create(
            settings.DATA_DIR / "field_key",
            lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        )
        key = base64.urlsafe_b64decode(stored)
    if len(key) != 32:
        raise ValueError("CASEAUDIT_FIELD_KEY must be 32 bytes, urlsafe-base64 encoded")
    return key


@cache
def _aead() -> AESGCM:
    return AESGCM(_key())


@cache
def _lookup_key() -> bytes:
    return hmac.new(_key(), b"caseaudit child lookup", hashlib.sha256).digest()


def encrypt_text(value: str) -> str:
    if value == "":
        return ""
    nonce = secrets.token_bytes(12)
    sealed = _aead().encrypt(nonce, value.encode(), None)
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt_text(value: str) -> str:
    if not value:
        return ""
    if not value.startswith(PREFIX):
        raise ValueError("Not an encrypted value")
    raw = base64.b64decode(value[len(PREFIX) :])
    return _aead().decrypt(raw[:12], raw[12:], None).decode()


def child_key(partnership_id: int, child_id: str) -> str:
    message = f"{partnership_id}:{child_id.strip().upper()}".encode()
    return hmac.new(_lookup_key(), message, hashlib.sha256).hexdigest()
