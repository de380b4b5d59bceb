"""Standard Webhooks signing (https://www.standardwebhooks.com/): `webhook-signature` is
`v1,` + base64(HMAC-SHA256(secret, f"{id}.{timestamp}.{body}")), the secret being the bytes
behind `whsec_` + base64. A receiver verifies with `verify()` (or any Standard Webhooks library)."""

import base64
import binascii
import hashlib
import hmac
import secrets
import time

PREFIX = "whsec_"
MIN_SECRET_BYTES = 24  # the Standard Webhooks recommendation (24–64 random bytes)
TOLERANCE_SECONDS = 5 * 60  # a receiver rejects older (or future) timestamps: replay protection


class InvalidSignature(Exception):
    pass


def new_secret():
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_bytes(secret):
    """The key behind a `whsec_…` secret; ValueError when it is not one."""
    if not secret.startswith(PREFIX):
        raise ValueError(f"The secret must start with {PREFIX}.")
    try:
        key = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except binascii.Error:
        raise ValueError(f"After {PREFIX} the secret must be base64.") from None
    if len(key) < MIN_SECRET_BYTES:
        raise ValueError(f"The secret must hold at least {MIN_SECRET_BYTES} bytes.")
    return key


def sign(secret, message_id, timestamp, body):
    """The `webhook-signature` value for one message (body: bytes)."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret, message_id, body, timestamp=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }


def verify(secret, headers, body, now=None):
    """What a receiver does: check the timestamp is recent and one of the (space-separated)
    signatures matches, in constant time. Raises InvalidSignature."""
    try:
        message_id = headers["webhook-id"]
        timestamp = int(headers["webhook-timestamp"])
        signatures = headers["webhook-signature"].split()
    except (KeyError, ValueError):
        raise InvalidSignature("Missing or malformed webhook headers.") from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise InvalidSignature("Timestamp outside the tolerance.")
    expected = sign(secret, message_id, timestamp, body).split(",", 1)[1]
    for signature in signatures:
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    raise InvalidSignature("No matching signature.")
