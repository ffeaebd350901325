"""The admin screen's pages (Flask-Admin): sign-in and sign-out, items and users.

Every page but sign-in is for signed-in superusers only (`SuperusersOnly`); anyone else is
sent to the sign-in form.
"""

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from flask import redirect, url_for
from flask.typing import ResponseReturnValue
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length, Regexp

from ..database import MAX_ID
from ..items.models import Item
from ..items.schemas import BLANK, DESCRIPTION_MAX_LENGTH, NAME_PATTERN, NO_NUL
from ..users import services
from .session import sign_in, sign_out, signed_in_superuser

SIGN_IN_TEMPLATE = "admin_auth/sign_in.html"
# One answer for a wrong password, an unknown email, an inactive account and an ordinary
# user's: the form tells nobody which emails have accounts, nor which accounts are superusers.
REFUSED = "Incorrect email or password, or not an admin account"


def row_id(text: str) -> int | None:
    """The row id `text` names (ASCII digits, 1..MAX_ID), or None: anything else would reach
    the database as an error (PostgreSQL refuses "abc" or 2**40 as an integer), not as "no such
    record"."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def strip_blank(value: str | None) -> str | None:
    """Names are stored trimmed, as the API stores them."""
    return value.strip(BLANK) if value is not None else None


class SignInForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped
    # `username` as in the API's OAuth2 form: the email.
    username = EmailField(
        "Email", validators=[InputRequired()], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        "Password", validators=[InputRequired()], render_kw={"autocomplete": "current-password"}
    )


class SuperusersOnly:
    """Flask-Admin's access check, for a view class listed before Flask-Admin's own."""

    def is_accessible(self) -> bool:
        return signed_in_superuser() is not None

    def inaccessible_callback(self, name: str, **kwargs: Any) -> ResponseReturnValue:
        return redirect(url_for("login.index"))


class IndexView(SuperusersOnly, AdminIndexView):  # type: ignore[misc]  # Flask-Admin is untyped
    """The admin's home page, /admin/."""


class SignInView(BaseView):  # type: ignore[misc]  # Flask-Admin is untyped
    """The email and password of a superuser's account, checked as the API's sign-in checks
    them (services.authenticate): the same Argon2 hashes, the same count of failures."""

    def is_visible(self) -> bool:
        return False  # not in the menu

    @expose("/", methods=("GET", "POST"))
    def index(self) -> ResponseReturnValue:
        form = SignInForm()
        if not form.validate_on_submit():  # the blank form, or one with a field missing
            return self.page(form)
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except services.LockedOutError as error:
            headers = {"Retry-After": str(error.retry_after)}
            return self.page(error=str(error)), HTTPStatus.TOO_MANY_REQUESTS, headers
        except services.WrongCredentialsError:
            user = None
        if user is None or not user.is_superuser:
            return self.page(error=REFUSED)
        sign_in(user)
        return redirect(url_for("admin.index"), HTTPStatus.SEE_OTHER)

    def page(self, form: SignInForm | None = None, error: str | None = None) -> str:
        """The sign-in page; after a refusal, with an empty form: the same page whichever of
        the refusals it was."""
        html: str = self.render(
            SIGN_IN_TEMPLATE, form=form or SignInForm(formdata=None), error=error
        )
        return html


class SignOutView(BaseView):  # type: ignore[misc]  # Flask-Admin is untyped
    """A POST (the navigation bar's button, with its CSRF token): a link another site could
    make a browser follow would sign its user out."""

    def is_visible(self) -> bool:
        return False

    @expose("/", methods=("POST",))
    def index(self) -> ResponseReturnValue:
        sign_out()
        return redirect(url_for("login.index"), HTTPStatus.SEE_OTHER)


class SuperusersModelView(SuperusersOnly, ModelView):  # type: ignore[misc]  # Flask-Admin is untyped
    """Flask-Admin's list, create, edit and delete pages for a model, with what a hand-edited
    URL or form sends checked before it reaches the database: a list page past the last row, a
    search with NUL (which PostgreSQL cannot compare), an id no row can have."""

    page_size = 50

    def get_one(self, id: str) -> Any:
        # None: Flask-Admin says the record does not exist, and goes back to the list.
        return super().get_one(id) if row_id(id) is not None else None

    def get_list(
        self,
        page: int | None,
        sort_column: Any,
        sort_desc: bool,
        search: str | None,
        filters: Any,
        execute: bool = True,
        page_size: int | None = None,
    ) -> Any:
        rows_per_page = page_size or self.page_size
        page = min(max(page or 0, 0), MAX_ID // rows_per_page)  # an OFFSET every database takes
        search = search.replace("\x00", "") if search else search
        return super().get_list(
            page, sort_column, sort_desc, search, filters, execute=execute, page_size=page_size
        )

    # Redeclared to pass the ids as numbers: Flask-Admin compares them as sent, text, which
    # PostgreSQL refuses to compare with an integer column.
    @action("delete", "Delete", "Are you sure you want to delete the selected records?")
    def action_delete(self, ids: Sequence[str]) -> None:
        super().action_delete([number for number in map(row_id, ids) if number is not None])


class ItemView(SuperusersModelView):
    column_list = ("name", "description", "owner_id", "created_at")
    column_labels: ClassVar[dict[str, str]] = {
        "owner_id": "Owner (user id)",
        "created_at": "Created",
    }
    column_searchable_list = ("name",)
    column_default_sort = ("created_at", True)
    form_columns = ("name", "description")
    # The API's rules (items/schemas.py); Flask-Admin adds the column's own (required, at most
    # NAME_MAX_LENGTH characters).
    form_args: ClassVar[dict[str, dict[str, Any]]] = {
        "name": {
            "filters": [strip_blank],
            "validators": [Regexp(NAME_PATTERN, message="Name must not be blank nor hold NUL.")],
        },
        "description": {
            "validators": [
                Length(max=DESCRIPTION_MAX_LENGTH),
                Regexp(NO_NUL, message="NUL characters are not allowed."),
            ]
        },
    }

    def on_model_change(self, form: Any, model: Item, is_created: bool) -> None:
        superuser = signed_in_superuser()
        if is_created and superuser is not None:
            model.owner_id = superuser.id  # an item belongs to whoever creates it, as in the API


class UserView(SuperusersModelView):
    """Users come from sign-up and `make superuser`; here an account is switched off or made a
    superuser. Never deleted (switch it off instead: its items keep their owner), and the
    password hash is in no page."""

    can_create = False
    can_delete = False
    column_list = ("email", "is_active", "is_superuser", "created_at")
    column_labels: ClassVar[dict[str, str]] = {
        "is_active": "Active",
        "is_superuser": "Superuser",
        "created_at": "Created",
    }
    column_searchable_list = ("email",)
    column_default_sort = ("created_at", True)
    form_columns = ("is_active", "is_superuser")
