"""The auth API: sign-up, sign-in (OAuth2 password form) and the token's user."""

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, JSONBody
from litestar.status_codes import (
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_429_TOO_MANY_REQUESTS,
)
from sqlalchemy.ext.asyncio import AsyncSession

from ..http.errors import INVALID, UNAVAILABLE, WITH_BODY, ErrorBody
from ..http.json import json_body
from ..models.user import User
from . import services
from .schemas import Token, TokenForm, UserCreate, UserRead
from .security import SESSION, SIGNED_IN, USER

AUTH_PATH = "/api/auth"
SIGN_IN_REFUSED = "Incorrect email or password"
LOCKED_OUT = "Too many failed sign-ins; try again later"


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorBody, description=description, generate_examples=False)


NOT_SIGNED_IN = {HTTP_401_UNAUTHORIZED: _spec("No valid bearer token (sign in at /api/auth/token)")}
# On the item operations that change an item.
OWNER_ONLY = {
    **NOT_SIGNED_IN,
    HTTP_403_FORBIDDEN: _spec("Only the item's owner (or a superuser) may change it"),
}
REGISTER = {
    **INVALID,
    **WITH_BODY,
    **UNAVAILABLE,
    HTTP_403_FORBIDDEN: _spec("Sign-up is closed (SIGNUP_ENABLED=false)"),
    HTTP_409_CONFLICT: _spec("This email is already registered"),
}
SIGN_IN = {
    **INVALID,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE: WITH_BODY[HTTP_413_REQUEST_ENTITY_TOO_LARGE],
    **UNAVAILABLE,
    HTTP_401_UNAUTHORIZED: _spec(f"{SIGN_IN_REFUSED} (the same answer for an unknown email)"),
    HTTP_429_TOO_MANY_REQUESTS: _spec(
        "Too many failed sign-ins for this email; retry after Retry-After"
    ),
}


class AuthController(Controller):
    path = AUTH_PATH
    tags = ("auth",)

    @post(
        "/register",
        dependencies=SESSION,
        before_request=json_body(UserCreate),
        responses=REGISTER,
    )
    async def register(
        self,
        request: Request[Any, Any, State],
        session: NamedDependency[AsyncSession],
        data: JSONBody[UserCreate],
    ) -> UserRead:
        if not request.app.state.settings.signup_enabled:
            raise PermissionDeniedException("Sign-up is closed")
        try:
            user = await services.register(session, data.email, data.password)
        except services.EmailTakenError:
            raise HTTPException(
                status_code=HTTP_409_CONFLICT, detail="This email is already registered"
            ) from None
        await session.commit()
        return UserRead(id=user.id, email=user.email)

    @post("/token", status_code=200, dependencies=SESSION, responses=SIGN_IN)
    async def sign_in(
        self,
        request: Request[Any, Any, State],
        session: NamedDependency[AsyncSession],
        data: Annotated[TokenForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Token:
        settings = request.app.state.settings
        throttle = services.Throttle(settings.login_max_failures, settings.login_lockout)
        try:
            user = await services.authenticate(session, data.username, data.password, throttle)
        except services.SignInLockedError as locked:
            raise HTTPException(
                status_code=HTTP_429_TOO_MANY_REQUESTS,
                detail=LOCKED_OUT,
                headers={"Retry-After": str(locked.retry_after)},
            ) from None
        except services.SignInRefusedError:
            raise HTTPException(
                status_code=HTTP_401_UNAUTHORIZED,
                detail=SIGN_IN_REFUSED,
                headers={"WWW-Authenticate": "Bearer"},
            ) from None
        await session.commit()  # the failures cleared, a rehashed password kept
        expires_in = settings.access_token_expires
        token = services.create_access_token(user.id, settings.signing_key, expires_in)
        return Token(access_token=token, expires_in=expires_in)

    @get("/me", dependencies=USER, security=SIGNED_IN, responses={**NOT_SIGNED_IN, **UNAVAILABLE})
    async def me(self, user: NamedDependency[User]) -> UserRead:
        return UserRead(id=user.id, email=user.email)
