"""Users and their access tokens at /api/auth: sign up, sign in, who am I."""

from .auth import SECURITY_SCHEME, security_scheme
from .commands import create_superuser
from .views import blp

__all__ = ["SECURITY_SCHEME", "blp", "create_superuser", "security_scheme"]
