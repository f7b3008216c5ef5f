"""Sign-in rules that need no server: login fields, the credentials body, reading the JWT."""

from __future__ import annotations

import base64
import json

import pytest

from growtui.backends.base import BackendError, Credentials, ErrorKind, ReauthRequired, Session
from growtui.backends.t3 import T3Backend
from growtui.backends.t3.auth import check_fresh, credentials_body, jwt_claims, session_from_token


@pytest.mark.parametrize(
    "hostname, fields",
    [("mi.metrc.com", {"otp"}), ("MI.metrc.com ", {"otp"}), ("co.metrc.com", {"email"}),
     ("ca.metrc.com", set()), ("example.org", set())],
)
def test_login_fields(hostname, fields):
    assert {f.name for f in T3Backend().sign_in if f.asked_for(hostname)} - {"hostname", "username", "password"} == set(fields)


def test_credentials_body_carries_only_what_the_host_needs():
    body = credentials_body(Credentials(hostname="ca.metrc.com", username=" grower ", password="pw", otp="123456", email="a@b"))
    assert body == {"hostname": "ca.metrc.com", "username": "grower", "password": "pw"}
    body = credentials_body(Credentials(hostname="mi.metrc.com", username="u", password="pw", otp=" 123456 "))
    assert body["otp"] == "123456" and "email" not in body
    body = credentials_body(Credentials(hostname="co.metrc.com", username="u", password="pw", email="g@farm.co"))
    assert body["email"] == "g@farm.co" and "otp" not in body


@pytest.mark.parametrize(
    "creds, text",
    [
        (Credentials(hostname="metrc.example.com", username="u", password="pw"), "not a Metrc hostname"),
        (Credentials(hostname="ca.metrc.com", username="", password="pw"), "username and password"),
        (Credentials(hostname="ca.metrc.com", username="u", password=""), "username and password"),
        (Credentials(hostname="mi.metrc.com", username="u", password="pw"), "6-digit code"),
        (Credentials(hostname="co.metrc.com", username="u", password="pw", email="  "), "email"),
    ],
)
def test_credentials_body_rejects_incomplete_input(creds, text):
    with pytest.raises(BackendError) as err:
        credentials_body(creds)
    assert err.value.kind is ErrorKind.VALIDATION and text in err.value.message


def _jwt(payload: bytes) -> str:
    enc = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{enc}.sig"


def test_jwt_claims_decodes_base64url_without_padding():
    claims = {"exp": 1_900_000_000, "username": "ü-grower", "hostname": "mi.metrc.com", "pad": "??>>"}
    assert jwt_claims(_jwt(json.dumps(claims).encode())) == claims


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.!!!.c", _jwt(b"not json"), _jwt(b"[1,2]")])
def test_unreadable_tokens_have_no_claims(token):
    assert jwt_claims(token) == {}


def test_session_from_token_reads_exp_and_prefers_claims():
    token = _jwt(json.dumps({"exp": 1234, "username": "Real", "hostname": "co.metrc.com"}).encode())
    session = session_from_token("ca.metrc.com", "typed", token)
    assert (session.expires_at, session.username, session.hostname) == (1234.0, "Real", "co.metrc.com")
    assert token not in repr(session)  # never printed in logs or tracebacks


def test_session_without_exp_never_expires_locally():
    session = session_from_token("ca.metrc.com", "u", _jwt(b'{"exp": "soon"}'))
    assert session.expires_at is None
    assert check_fresh(session, now=10**12) is session


def test_check_fresh_allows_30_s_of_skew_only():
    session = Session("ca.metrc.com", "u", "t", expires_at=1000.0)
    assert check_fresh(session, now=969.0) is session
    with pytest.raises(ReauthRequired):
        check_fresh(session, now=971.0)
    with pytest.raises(ReauthRequired):
        check_fresh(None)
