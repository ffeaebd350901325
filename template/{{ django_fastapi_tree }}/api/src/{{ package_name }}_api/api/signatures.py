"""Webhook signatures: `X-Webhook-Signature: sha256=<hex HMAC-SHA256 of the body>`.

The sender and this service share WEBHOOK_SECRET. The sender signs the exact bytes it sends;
anyone without the secret cannot sign a body, and any change to a signed body (one byte)
breaks its signature. The check runs before the body is parsed, so nothing an unsigned
request contains is ever looked at.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Webhook-Signature"
SCHEME = "sha256="
DIGEST_SIZE = hashlib.sha256().digest_size
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
# The form a signature header takes, for the OpenAPI document.
SIGNATURE_PATTERN = "^sha256=[0-9a-fA-F]{64}$"  # SHA-256's 32 bytes in hex


def sign(body: bytes, secret: str) -> str:
    """The header value a sender holding `secret` sends with `body`."""
    return SCHEME + hmac.digest(secret.encode(), body, hashlib.sha256).hex()


def claimed_digest(header: str) -> bytes | None:
    """The digest a header value claims, or None unless it is `sha256=` and 64 hex digits.

    Checked character by character first: bytes.fromhex() would also take spaces.
    """
    if not header.startswith(SCHEME):
        return None
    digits = header.removeprefix(SCHEME)
    if len(digits) != 2 * DIGEST_SIZE or not HEX_DIGITS.issuperset(digits):
        return None
    return bytes.fromhex(digits)


def is_signed(body: bytes, secret: str, headers: list[str]) -> bool:
    """Whether `headers` (every X-Webhook-Signature sent) is one valid signature of `body`.

    The expected digest is always computed, and compared in constant time: how long the
    comparison takes tells an attacker nothing about how much of a guess was right.
    """
    expected = hmac.digest(secret.encode(), body, hashlib.sha256)
    # Two signature headers are refused rather than one of them chosen.
    claimed = claimed_digest(headers[0]) if len(headers) == 1 else None
    return claimed is not None and hmac.compare_digest(expected, claimed)
