"""Field-level encryption of identifying details."""

import base64

import pytest
from cryptography.exceptions import InvalidTag
from django.conf import settings

from caseaudit.crypto import child_key, decrypt_text, encrypt_text


def test_it_round_trips_and_never_repeats_a_ciphertext():
    first, second = encrypt_text("Ann Example"), encrypt_text("Ann Example")
    assert first != second
    assert "Ann" not in first
    assert decrypt_text(first) == decrypt_text(second) == "Ann Example"


def test_a_changed_ciphertext_is_refused():
    sealed = encrypt_text("C100001")
    prefix, encoded = sealed[: sealed.index(":") + 1], sealed[sealed.index(":") + 1 :]
    raw = bytearray(base64.b64decode(encoded))
    raw[-1] ^= 0x01  # flip one bit of the tag (changing a base64 letter could hit padding bits)
    tampered = prefix + base64.b64encode(bytes(raw)).decode()
    with pytest.raises((InvalidTag, ValueError)):
        decrypt_text(tampered)


def test_the_embedded_key_is_kept_private_in_the_data_folder():
    encrypt_text("x")
    key_file = settings.DATA_DIR / "field_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_child_keys_are_stable_per_partnership_and_ignore_case():
    assert child_key(1, "c100001 ") == child_key(1, "C100001")
    assert child_key(1, "C100001") != child_key(2, "C100001")
