"""`@aws-sdk/credential-providers` fromCognitoIdentityPool (AWS SDK for JavaScript v3), unmodified, in Node."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cognito_identity.conftest import make_role
from tests.integration.cognito_identity.support import UserPool, client_with, sign_in, unique
from tests.support.server import HutchServer

NODE_DIR = Path(__file__).resolve().parents[2] / "clients" / "node"

SCRIPT = """
import { fromCognitoIdentityPool } from "@aws-sdk/credential-providers";
const env = process.env;
const provider = fromCognitoIdentityPool({
  identityPoolId: env.POOL_ID,
  ...(env.LOGIN_KEY ? { logins: { [env.LOGIN_KEY]: env.ID_TOKEN } } : {}),
  clientConfig: { region: env.REGION, endpoint: env.ENDPOINT },
});
const c = await provider();
console.log(JSON.stringify({
  AccessKeyId: c.accessKeyId, SecretKey: c.secretAccessKey, SessionToken: c.sessionToken,
  IdentityId: c.identityId, Expiration: c.expiration && c.expiration.toISOString(),
}));
"""

pytestmark = pytest.mark.node


def run_node(env: dict[str, str]) -> dict[str, Any]:
    if (
        shutil.which("node") is None
        or not (NODE_DIR / "node_modules" / "@aws-sdk" / "credential-providers").is_dir()
    ):
        pytest.skip("Node.js and the committed npm packages are needed (make node)")
    done = subprocess.run(
        ["node", "--input-type=module", "-"],
        input=SCRIPT,
        cwd=NODE_DIR,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_from_cognito_identity_pool_for_a_signed_in_user_and_a_guest(
    hutch: HutchServer, identity: Any, iam: Any, user_pool: UserPool
) -> None:
    pool_id = identity.create_identity_pool(
        IdentityPoolName=unique("node"),
        AllowUnauthenticatedIdentities=True,
        CognitoIdentityProviders=[{"ProviderName": user_pool.provider_name, "ClientId": user_pool.client_id}],
    )["IdentityPoolId"]
    auth_role = make_role(iam, pool_id, "authenticated")
    guest_role = make_role(iam, pool_id, "unauthenticated")
    identity.set_identity_pool_roles(
        IdentityPoolId=pool_id, Roles={"authenticated": auth_role, "unauthenticated": guest_role}
    )
    base = {"POOL_ID": pool_id, "REGION": hutch.region, "ENDPOINT": hutch.endpoint}

    signed_in = run_node(
        {
            **base,
            "LOGIN_KEY": user_pool.provider_name,
            "ID_TOKEN": sign_in(hutch, user_pool, "alice")["IdToken"],
        }
    )
    assert signed_in["IdentityId"].startswith(f"{hutch.region}:") and signed_in["Expiration"]
    arn = client_with(hutch, "sts", signed_in).get_caller_identity()["Arn"]
    assert arn.endswith(f"/{auth_role.rsplit('/', 1)[-1]}/CognitoIdentityCredentials")

    guest = run_node(base)
    assert guest["IdentityId"] != signed_in["IdentityId"]
    assert guest_role.rsplit("/", 1)[-1] in client_with(hutch, "sts", guest).get_caller_identity()["Arn"]
