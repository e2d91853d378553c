"""The default sender's outbox: codes kept for the developer, shown only to admins (endpoint and CLI)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from hutch.services.cognito_idp.cli import outbox_command
from tests.integration.cognito_idp.conftest import PASSWORD, sign_in
from tests.support.server import HutchServer


def _signed_get(hutch: HutchServer, url: str) -> httpx.Response:
    creds = hutch.root_credentials()
    request = AWSRequest(method="GET", url=url)
    SigV4Auth(
        Credentials(creds["aws_access_key_id"], creds["aws_secret_access_key"]), "hutch", hutch.region
    ).add_auth(request)
    return httpx.get(url, headers=dict(request.headers.items()))


def test_sign_up_code_reaches_the_outbox_and_confirms_the_user(
    hutch: HutchServer, idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    public_idp.sign_up(
        ClientId=app["ClientId"],
        Username="olga",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "olga@example.com"}],
    )
    response = _signed_get(hutch, f"{hutch.endpoint}/_hutch/outbox?pool={pool['Id']}&username=olga")
    assert response.status_code == 200
    (message,) = response.json()["messages"]
    assert (message["kind"], message["medium"], message["destination"]) == (
        "SignUp",
        "EMAIL",
        "olga@example.com",
    )
    code = message["body"].split("Your verification code is ")[1][:6]
    public_idp.confirm_sign_up(ClientId=app["ClientId"], Username="olga", ConfirmationCode=code)
    assert sign_in(public_idp, app, "olga")["AuthenticationResult"]["IdToken"]
    assert "olga" in hutch.log_text() and code in hutch.log_text()


def test_outbox_is_refused_without_admin_credentials(hutch: HutchServer) -> None:
    assert httpx.get(f"{hutch.endpoint}/_hutch/outbox").status_code in (400, 403)
    url = f"{hutch.endpoint}/_hutch/outbox"
    request = AWSRequest(method="GET", url=url)
    SigV4Auth(Credentials("AKIAUNKNOWNUNKNOWN12", "s" * 40), "hutch", hutch.region).add_auth(request)
    assert httpx.get(url, headers=dict(request.headers.items())).status_code in (400, 403)


def test_hutch_outbox_command_prints_the_messages(
    hutch: HutchServer,
    public_idp: Any,
    pool: dict[str, Any],
    app: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    public_idp.sign_up(
        ClientId=app["ClientId"],
        Username="pia",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "pia@example.com"}],
    )
    assert outbox_command(hutch.endpoint, hutch.data_dir, pool_id=pool["Id"], username="pia") == 0
    text = capsys.readouterr().out
    assert "SignUp" in text and "pia@example.com" in text and "Your verification code is" in text
    assert outbox_command(hutch.endpoint, hutch.data_dir, pool_id=pool["Id"], as_json=True) == 0
    (message,) = json.loads(capsys.readouterr().out)
    assert message["username"] == "pia"
