"""The users in the Django admin, and its sign-in under the API's failure limit.

Django's own UserAdmin assumes a `username`; these forms and field sets speak of the email, the
login here. The admin's sign-in form counts failures in the same table as the API's sign-in, so
guessing a password through the admin is throttled alike.
"""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError

from .models import LoginFailure, User, normalize_email


class UserCreationForm(AdminUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        # Stored as the API stores it, so the unique index also refuses another case.
        return normalize_email(self.cleaned_data["email"])


class UserEditForm(UserChangeForm[User]):
    class Meta:
        model = User
        fields = ("email", "password", "is_active", "is_staff", "is_superuser")

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ("email", "is_active", "is_staff", "is_superuser", "created_at", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email",)
    ordering = ("email",)
    readonly_fields = ("created_at", "last_login")
    # The password row shows the hasher and a link to set a new one, never the hash itself.
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("created_at", "last_login")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups",)


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in, refused for LOGIN_LOCKOUT seconds after LOGIN_MAX_FAILURES failures
    in a row for the email, as the API's is. A wrong password, an unknown email and an account
    that may not use the admin are one failure and one message."""

    def clean(self) -> dict[str, Any]:
        email = normalize_email(self.cleaned_data.get("username") or "")
        locked = LoginFailure.seconds_locked(
            email, max_failures=settings.LOGIN_MAX_FAILURES, lockout=settings.LOGIN_LOCKOUT
        )
        if locked:
            raise ValidationError(
                "Too many failed sign-ins for this email. Try again in %(seconds)d s.",
                code="locked_out",
                params={"seconds": locked},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            LoginFailure.record(email, lockout=settings.LOGIN_LOCKOUT)
            raise
        if self.get_user() is not None:  # signed in: not a form left half empty
            LoginFailure.clear(email)
        return cleaned


admin.site.login_form = ThrottledAdminAuthenticationForm
