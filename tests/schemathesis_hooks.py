"""Schemathesis hooks for the runtime harness, loaded through SCHEMATHESIS_HOOKS.

Sign-up refuses addresses on the names reserved for tests and local networks (`.test`, `.local`,
`.localhost`, `.invalid`, `.onion`, `.arpa`): such an address can never receive mail, so its
account could never be recovered (docs/contract.md, "Users and tokens"). JSON Schema's
`format: email` cannot say so, and schemathesis's generator picks `.test` now and then, which
its "valid data accepted" check would then report as a refused valid request. So generated
bodies with such an address are dropped; every other address, valid or not, is still sent."""

from __future__ import annotations

from typing import Any

import schemathesis
from email_validator import SPECIAL_USE_DOMAIN_NAMES

# The names email-validator refuses by default, which is what every starter's sign-up uses.
RESERVED_NAMES = frozenset(SPECIAL_USE_DOMAIN_NAMES)


def on_a_reserved_name(address: str) -> bool:
    """Whether the address's domain ends in a reserved name, as email-validator sees it."""
    domain = address.rpartition("@")[2].rstrip(".").lower()
    return domain.rpartition(".")[2] in RESERVED_NAMES


@schemathesis.hook
def filter_body(context: Any, body: Any) -> bool:
    email = body.get("email") if isinstance(body, dict) else None
    return not (isinstance(email, str) and on_a_reserved_name(email))
