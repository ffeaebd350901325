"""The admin screen at /admin (Flask-Admin): superusers manage items and users.

Its pages, styles and scripts come from the app (Flask-Admin's Bootstrap 4 theme serves its
own copies), so the screen works without reaching any other site. Signing in keeps the user's
id in Flask's cookie session, signed with SECRET_KEY (session.py).

CSRF: every POST under /admin must carry Flask-WTF's token (the hidden `csrf_token` of each
form; Flask-Admin's templates add it when Flask-WTF is set up). A page on another site cannot
read it, so a form it posts with the admin's cookie is refused with 400. The API is not
checked (WTF_CSRF_CHECK_DEFAULT is off, config.py): its clients send a bearer token, which a
browser never adds by itself, and no cookie.
"""

from flask import Blueprint, Flask, request
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_wtf.csrf import CSRFProtect

from ..extensions import db
from ..items.models import Item
from ..users.models import User
from .session import URL, AdminOnlySessions, is_admin_path, signed_in_superuser
from .views import IndexView, ItemView, SignInView, SignOutView, UserView

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Serve the admin screen at /admin, with cookie sessions and CSRF checks there only."""
    app.session_interface = AdminOnlySessions()
    csrf.init_app(app)
    app.before_request(protect_admin_forms)
    # The sign-in page and the navigation bar's sign-out button (templates/admin_auth/).
    app.register_blueprint(Blueprint("admin_auth", __name__, template_folder="templates"))
    app.add_template_global(signed_in_superuser)
    admin = Admin(
        name=f"{app.config['API_TITLE']} admin",
        url=URL,
        index_view=IndexView(url=URL),
        theme=Bootstrap4Theme(base_template="admin_auth/base.html"),
    )
    admin.add_view(ItemView(Item, db, name="Items"))
    admin.add_view(UserView(User, db, name="Users"))
    admin.add_view(SignInView(name="Sign in", endpoint="login", url="login"))
    admin.add_view(SignOutView(name="Sign out", endpoint="logout", url="logout"))
    admin.init_app(app)


def protect_admin_forms() -> None:
    """Refuse a POST (PUT, PATCH, DELETE) under /admin without a valid CSRF token."""
    if is_admin_path(request.path):
        csrf.protect()
