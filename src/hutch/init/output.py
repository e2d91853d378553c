"""What `hutch init` hands to the app: the --output document (shape: hutch.init's docstring), snippets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hutch.init.policies import Layout, folders

SHAPE_VERSION = 1
SERVICES = ("cognito-idp", "cognito-identity", "iam", "sts", "s3")


@dataclass(frozen=True)
class Setup:
    """Everything init set up, by id."""

    app: str
    layout: Layout
    region: str
    endpoint: str
    s3_custom_endpoint: str  # host:port
    user_pool_id: str
    user_pool_client_id: str
    provider: str  # cognito-idp.<region>.amazonaws.com/<userPoolId>
    identity_pool_id: str
    guest: bool
    bucket: str
    authenticated_role: str
    unauthenticated_role: str | None

    @property
    def example_key(self) -> str:
        """Where the snippets upload, as a Python/JS template over ``identity_id``/``identityId``."""
        folder = folders(self.layout, self.app)["own" if self.layout == "seed" else "private"]
        return folder + "hello.txt"


def amplify_config(setup: Setup) -> dict[str, Any]:
    """The object for Amplify.configure() (Amplify JS v6 ResourcesConfig)."""
    return {
        "Auth": {
            "Cognito": {
                "userPoolId": setup.user_pool_id,
                "userPoolClientId": setup.user_pool_client_id,
                "identityPoolId": setup.identity_pool_id,
                "userPoolEndpoint": setup.endpoint,
                "identityPoolEndpoint": setup.endpoint,
                "allowGuestAccess": setup.guest,
            }
        },
        "Storage": {"S3": {"bucket": setup.bucket, "region": setup.region}},
    }


def document(setup: Setup) -> dict[str, Any]:
    return {
        "hutchInit": SHAPE_VERSION,
        "app": setup.app,
        "layout": setup.layout,
        "region": setup.region,
        "endpoint": setup.endpoint,
        "endpoints": dict.fromkeys(SERVICES, setup.endpoint),
        "s3CustomEndpoint": setup.s3_custom_endpoint,
        "userPoolId": setup.user_pool_id,
        "userPoolClientId": setup.user_pool_client_id,
        "userPoolProvider": setup.provider,
        "identityPoolId": setup.identity_pool_id,
        "allowGuestAccess": setup.guest,
        "bucket": setup.bucket,
        "roles": {"authenticated": setup.authenticated_role, "unauthenticated": setup.unauthenticated_role},
        "folders": folders(setup.layout, setup.app),
        "amplify": amplify_config(setup),
        "snippets": {"boto3": boto3_snippet(setup), "js": js_snippet(setup)},
    }


def boto3_snippet(setup: Setup) -> str:
    key = setup.example_key.replace("{identityId}", "{identity_id}")
    tls_note = (
        "# https with hutch's own CA: export AWS_CA_BUNDLE=$(hutch ca)\n"
        if setup.endpoint.startswith("https://")
        else ""
    )
    return f"""{tls_note}import boto3

USERNAME, PASSWORD = "alice", "..."
ENDPOINT, REGION = {_q(setup.endpoint)}, {_q(setup.region)}
idp = boto3.client("cognito-idp", region_name=REGION, endpoint_url=ENDPOINT)
tokens = idp.initiate_auth(
    ClientId={_q(setup.user_pool_client_id)},
    AuthFlow="USER_PASSWORD_AUTH",
    AuthParameters={{"USERNAME": USERNAME, "PASSWORD": PASSWORD}},
)["AuthenticationResult"]
logins = {{{_q(setup.provider)}: tokens["IdToken"]}}
identity = boto3.client("cognito-identity", region_name=REGION, endpoint_url=ENDPOINT)
identity_id = identity.get_id(IdentityPoolId={_q(setup.identity_pool_id)}, Logins=logins)["IdentityId"]
creds = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"]
s3 = boto3.client(
    "s3",
    region_name=REGION,
    endpoint_url=ENDPOINT,
    aws_access_key_id=creds["AccessKeyId"],
    aws_secret_access_key=creds["SecretKey"],
    aws_session_token=creds["SessionToken"],
)
s3.put_object(Bucket={_q(setup.bucket)}, Key=f{_q(key)}, Body=b"hello")
"""


def js_snippet(setup: Setup) -> str:
    config = json.dumps(amplify_config(setup), indent=2)
    key = setup.example_key.replace("{identityId}", "${identityId}")
    return f"""// Amplify JS v6. Storage always uses https: serve with `hutch serve --tls` and, in Node,
// NODE_EXTRA_CA_CERTS=$(hutch ca). A bucket name without a dot is addressed as <bucket>.<host>.
import {{ Amplify }} from "aws-amplify";
import {{ signIn }} from "aws-amplify/auth";
import {{ uploadData }} from "aws-amplify/storage";

Amplify.configure({config});
await signIn({{ username: "alice", password: "..." }});
const {{ path }} = await uploadData({{
  path: ({{ identityId }}) => `{key}`,
  data: "hello",
  options: {{ customEndpoint: {_q(setup.s3_custom_endpoint)} }},
}}).result;
console.log("uploaded", path);
"""


def _q(text: str) -> str:
    """A double-quoted string literal, valid in both Python and JavaScript."""
    return json.dumps(text)
