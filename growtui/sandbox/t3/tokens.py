"""The JWTs the sandbox mints and checks.

Tokens are real HS256 JWTs signed with the world's secret. Claims are the six whoami fields plus
``sub``, ``iat``, ``exp`` and ``gen`` (the world's token generation, so ``World.expire_all_tokens``
can kill every live token at once). Expiry is judged against the world clock, so tests can move
time instead of sleeping.
"""

from __future__ import annotations

import secrets
from typing import Any

import jwt

from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.store import User, World


def mint_token(world: World, user: User, *, auth_mode: str = "credentials") -> str:
    now = world.now().timestamp()
    claims = {
        "sub": user.username,
        "authMode": auth_mode,
        "credentialKey": secrets.token_hex(8),
        "hasT3plus": user.has_t3plus,
        "t3plusSubscriptionTier": user.tier if user.has_t3plus else None,
        "username": user.username,
        "hostname": user.hostname,
        "iat": int(now),
        "exp": int(now + world.token_ttl_s),
        "gen": world.token_generation,
    }
    return jwt.encode(claims, world.jwt_secret, algorithm="HS256")


def decode_token(world: World, token: str, *, check_expiry: bool = True) -> dict[str, Any]:
    """Claims of a token this world signed; raises ApiError(401) when it is bad or expired."""
    try:
        claims = jwt.decode(
            token,
            world.jwt_secret,
            algorithms=["HS256"],
            options={"verify_exp": False, "require": ["exp", "sub"]},
        )
    except jwt.PyJWTError:
        raise ApiError(401, "Unauthorized", "The access token is malformed or was not issued by this server.") from None
    if check_expiry and (
        claims["exp"] <= world.now().timestamp() or claims.get("gen", -1) < world.token_generation
    ):
        raise ApiError(401, "Unauthorized", "The access token has expired. Sign in again.")
    return claims


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None
