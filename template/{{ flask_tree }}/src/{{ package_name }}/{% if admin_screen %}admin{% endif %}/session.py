"""Who is signed in to the admin screen: a user id in Flask's signed cookie session.

Sessions exist under /admin only (`AdminOnlySessions`): the API stays stateless, none of its
requests opens one, and browsers send the cookie back to /admin alone (SESSION_COOKIE_PATH,
config.py). Every request reads the user again, so deactivating an account or taking away its
is_superuser ends its admin sessions at once, without waiting for the cookie to expire.

Flask-Login would keep the same id in the same cookie; all the admin needs is "which superuser,
if any", which the functions below say without a user loader, an anonymous-user class and
Flask-Login's mixin on the User model the API shares.
"""

from flask import Flask, Request, g, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from ..extensions import db
from ..users.models import User

URL = "/admin"
USER_ID = "admin_user_id"


def is_admin_path(path: str) -> bool:
    return path == URL or path.startswith(URL + "/")


class AdminOnlySessions(SecureCookieSessionInterface):
    """Cookie sessions for the admin's pages; every other request gets Flask's null session (no
    cookie read, nothing signed), as it would without the admin."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not is_admin_path(request.path):
            return None
        return super().open_session(app, request)


def sign_in(user: User) -> None:
    # A fresh session: nothing from before the sign-in (a CSRF token included) carries over.
    session.clear()
    session[USER_ID] = user.id
    # Kept PERMANENT_SESSION_LIFETIME after the last admin request (config.py), browser closed
    # or not.
    session.permanent = True
    g.pop("admin_user", None)


def sign_out() -> None:
    session.clear()
    g.pop("admin_user", None)


def signed_in_superuser() -> User | None:
    """The active superuser the session names, if any; read once per request (the menu asks
    for every page it lists)."""
    if "admin_user" not in g:
        g.admin_user = load_superuser(session.get(USER_ID))
    user: User | None = g.admin_user
    return user


def load_superuser(user_id: object) -> User | None:
    # The session is signed, so the id is one sign_in stored; the user may have changed since.
    if not isinstance(user_id, int):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active and user.is_superuser else None
