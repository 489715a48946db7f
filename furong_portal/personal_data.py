"""Personal data at rest (个人信息保护法; GB/T 22239-2019 8.1.4.8 and 8.1.4.10; GB/T 39786-2021):
applicants' identity numbers and contact details are stored encrypted with SM4 (GB/T 32907-2016)
in GCM mode, and where an exact lookup is needed, as a keyed SM3 digest (HMAC-SM3).

Keys come from the environment (`PERSONAL_DATA_KEYS`, `PERSONAL_DATA_DIGEST_KEY`, read in
settings). Each stored value names the key that encrypted it, so old keys keep decrypting after
a new one becomes current; `manage.py personal_data_rekey` re-encrypts everything with the current
key (and recomputes the digests) so that an old key can then be retired."""

import base64
import hmac as std_hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "sm4"
_NONCE_BYTES = 12
_TAG_BYTES = 16
# A sealed authenticator key (20 bytes: 64 characters of base64, plus "sm4:" and ":") must fit
# django-otp's 80-character key column (responsibility.models.SealedTOTPDevice).
MAX_KEY_ID_LENGTH = 10


def parse_key_ring(text: str) -> dict[str, bytes]:
    """"2:<32 hex>,1:<32 hex>" → {"2": key, "1": key}, the current key first."""
    ring = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key_id, _, hex_key = part.partition(":")
        try:
            key = bytes.fromhex(hex_key)
        except ValueError:
            key = b""
        if not key_id.isascii() or not key_id.isalnum() or len(key_id) > MAX_KEY_ID_LENGTH or len(key) != 16:
            raise ImproperlyConfigured(
                f"PERSONAL_DATA_KEYS：每个密钥写作 编号:32位十六进制（编号为 1–{MAX_KEY_ID_LENGTH} 位字母或数字，"
                "128 位 SM4 密钥），以逗号分隔。"
            )
        ring[key_id] = key
    return ring


def _ring() -> dict[str, bytes]:
    return settings.PERSONAL_DATA_KEYS


def current_key_id() -> str:
    return next(iter(_ring()))


def sm4_encrypt(plaintext: str) -> str:
    return sm4_seal(plaintext.encode())


def sm4_decrypt(stored: str) -> str:
    return sm4_open(stored).decode()


def sm4_seal(data: bytes) -> str:
    """`data` encrypted with the current key, as `sm4:<key id>:<base64(nonce | ciphertext | tag)>`:
    the length of `data` plus 28 bytes, in base64."""
    key_id = current_key_id()
    nonce = os.urandom(_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_ring()[key_id]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(f"{PREFIX}:{key_id}".encode())
    sealed = encryptor.update(data) + encryptor.finalize() + encryptor.tag
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def sm4_open(stored: str) -> bytes:
    prefix, key_id, payload = stored.split(":", 2)
    if prefix != PREFIX:
        raise ValueError("not an SM4 value")
    try:
        key = _ring()[key_id]
    except KeyError:
        raise ImproperlyConfigured(f"个人信息由编号为 {key_id} 的密钥加密，但 PERSONAL_DATA_KEYS 中没有该密钥。") from None
    raw = base64.b64decode(payload)
    nonce, sealed, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(f"{PREFIX}:{key_id}".encode())
    try:
        return decryptor.update(sealed) + decryptor.finalize()
    except InvalidTag:
        raise ValueError(f"个人信息密文校验失败（密钥 {key_id}）：数据被改动或密钥不符。") from None


def is_encrypted(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(f"{PREFIX}:")


def stored_key_id(stored: str) -> str | None:
    return stored.split(":", 2)[1] if is_encrypted(stored) else None


def sm3_keyed_digest(value: str) -> str:
    """HMAC-SM3 of a normalised value: equal inputs give equal digests, and without the
    key a digest cannot be checked against a guessed identity number."""
    if not value:
        return ""
    mac = hmac.HMAC(settings.PERSONAL_DATA_DIGEST_KEY, hashes.SM3())
    mac.update(value.strip().upper().encode())
    return mac.finalize().hex()


def digests_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a, b)


class SM4EncryptedField(models.TextField):
    """A text column holding `sm4:<key id>:<base64(nonce | ciphertext | tag)>`; Python sees the
    plain text. An empty value stays empty (so "has an e-mail address" remains a plain test).

    To the migrations it is a plain TextField: the column is text, the encryption is this
    field's Python side, and migrations never import live code."""

    def __init__(self, *args, form_class=forms.CharField, **kwargs):
        self.form_class = form_class
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs

    def from_db_value(self, value, expression, connection):
        return sm4_decrypt(value) if is_encrypted(value) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, "") or is_encrypted(value):
            return value
        return sm4_encrypt(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, "widget": None, **kwargs})
