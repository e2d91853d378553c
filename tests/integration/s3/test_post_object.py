"""Browser form uploads (POST Object) against a live hutch: forms from boto3's generate_presigned_post, in both
signature versions, posted with httpx as a browser posts them (multipart, the file last, a submit button
after it), by users of the scenario holding identity-pool credentials."""

from __future__ import annotations

import base64
import hashlib
import tempfile
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from hutch.admin_client import AdminClient
from tests.clients.support import Scenario, build_scenario, root_client, unsigned_client
from tests.integration.s3.support import policy
from tests.support.server import HutchServer

VERSIONS = pytest.mark.parametrize("version", ["v2", "v4"])


@dataclass(frozen=True)
class User:
    name: str
    identity_id: str
    folder: str  # cognito/<app>/<identity id>/
    credentials: dict[str, str]

    def s3(self, hutch: HutchServer, version: str) -> Any:
        """A client signing as this user; boto3 presigns POSTs with SigV2 unless asked for s3v4."""
        config = Config(signature_version="s3v4") if version == "v4" else Config()
        return boto3.client(
            "s3", region_name=hutch.region, endpoint_url=hutch.endpoint, config=config, **self.credentials
        )


@dataclass(frozen=True)
class World:
    scenario: Scenario
    alice: User
    bob: User

    @property
    def bucket(self) -> str:
        return self.scenario.bucket

    @property
    def app_prefix(self) -> str:
        return f"cognito/{self.scenario.app}/"


def sign_in(hutch: HutchServer, scenario: Scenario, name: str) -> User:
    """User pool sign-in → identity id → temporary credentials, as an app does it (no AWS keys)."""
    tokens = unsigned_client(hutch, "cognito-idp").initiate_auth(
        ClientId=scenario.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": scenario.password},
    )["AuthenticationResult"]
    logins = {scenario.login_provider: tokens["IdToken"]}
    identity = unsigned_client(hutch, "cognito-identity")
    identity_id = identity.get_id(IdentityPoolId=scenario.identity_pool_id, Logins=logins)["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"]
    return User(
        name,
        identity_id,
        scenario.folder(identity_id),
        {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretKey"],
            "aws_session_token": creds["SessionToken"],
        },
    )


@pytest.fixture(scope="module")
def world(hutch: HutchServer) -> World:
    scenario = build_scenario(hutch, layout="seed")
    return World(scenario, sign_in(hutch, scenario, "alice"), sign_in(hutch, scenario, "bob"))


@pytest.fixture(scope="module")
def root_s3(hutch: HutchServer) -> Any:
    return root_client(hutch, "s3")


def post(
    url: str,
    fields: dict[str, str],
    content: bytes,
    *,
    filename: str = "notes.txt",
    after_file: tuple[tuple[str, str], ...] = (("submit", "Upload"),),
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST the form as a browser does: the fields in order, then the file, then anything after it."""
    parts: list[tuple[str, Any]] = [(name, (None, value)) for name, value in fields.items()]
    parts.append(("file", (filename, content, "text/plain")))
    parts += [(name, (None, value)) for name, value in after_file]
    return httpx.post(url, files=parts, headers=headers, timeout=60)


def error_of(response: httpx.Response) -> dict[str, str]:
    root = ET.fromstring(response.content)
    assert root.tag == "Error", response.text
    return {child.tag: child.text or "" for child in root}


def stored(s3: Any, bucket: str, prefix: str) -> dict[str, bytes]:
    found = {}
    for item in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
        found[item["Key"]] = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found


def explain(hutch: HutchServer, response: httpx.Response) -> dict[str, Any]:
    record: dict[str, Any] = AdminClient(hutch.endpoint, hutch.data_dir).get_json(
        "/_hutch/explain/" + response.headers["x-amz-request-id"]
    )
    return record


# ---------------------------------------------------------------- the scenario


@VERSIONS
def test_a_user_uploads_into_their_own_folder(
    hutch: HutchServer, world: World, root_s3: Any, version: str
) -> None:
    alice = world.alice
    form = alice.s3(hutch, version).generate_presigned_post(
        world.bucket,
        alice.folder + "${filename}",
        Fields={"Content-Type": "text/plain"},
        Conditions=[{"Content-Type": "text/plain"}, ["content-length-range", 1, 1 << 20]],
    )
    assert ("signature" in form["fields"]) is (version == "v2")
    content = f"written by a browser form ({version})".encode()
    response = post(form["url"], form["fields"], content, filename=f"{version}.txt")
    assert response.status_code == 204, response.text
    assert response.headers["etag"] == f'"{hashlib.md5(content).hexdigest()}"'
    key = f"{alice.folder}{version}.txt"
    head = root_s3.head_object(Bucket=world.bucket, Key=key)
    assert head["ContentType"] == "text/plain"
    assert root_s3.get_object(Bucket=world.bucket, Key=key)["Body"].read() == content


@VERSIONS
def test_another_users_folder_is_refused_by_the_role_although_the_policy_allows_it(
    hutch: HutchServer, world: World, root_s3: Any, version: str
) -> None:
    """The POST policy (signed by alice) allows any key under the app; her role's policy does not."""
    alice, bob = world.alice, world.bob
    form = alice.s3(hutch, version).generate_presigned_post(world.bucket, world.app_prefix + "${filename}")
    fields = dict(form["fields"], key=bob.folder + "${filename}")
    response = post(form["url"], fields, b"planted by alice", filename=f"planted-{version}.txt")
    assert response.status_code == 403
    assert error_of(response)["Code"] == "AccessDenied"
    assert stored(root_s3, world.bucket, bob.folder) == {}
    record = explain(hutch, response)
    assert record["denied"] is True
    (decision,) = record["decisions"]
    assert (decision["operation"], decision["action"], decision["allowed"]) == (
        "PostObject",
        "s3:PutObject",
        False,
    )
    assert decision["resource"] == f"arn:aws:s3:::{world.bucket}/{bob.folder}planted-{version}.txt"
    assert decision["principal"].startswith("arn:aws:sts::")


@VERSIONS
def test_a_tampered_policy_is_refused(hutch: HutchServer, world: World, root_s3: Any, version: str) -> None:
    """Widening the signed key prefix to reach another folder breaks the signature."""
    alice, bob = world.alice, world.bob
    form = alice.s3(hutch, version).generate_presigned_post(world.bucket, alice.folder + "${filename}")
    document = base64.b64decode(form["fields"]["policy"]).decode()
    widened = document.replace(alice.folder, world.app_prefix)
    assert widened != document
    fields = dict(form["fields"], key=bob.folder + "${filename}")
    fields["policy"] = base64.b64encode(widened.encode()).decode()
    response = post(form["url"], fields, b"x")
    assert response.status_code == 403
    error = error_of(response)
    assert error["Code"] == "SignatureDoesNotMatch"
    assert error["StringToSign"] == fields["policy"]
    assert stored(root_s3, world.bucket, bob.folder) == {}


@VERSIONS
def test_a_wrong_signature_is_refused(hutch: HutchServer, world: World, version: str) -> None:
    form = world.alice.s3(hutch, version).generate_presigned_post(world.bucket, world.alice.folder + "x")
    name = "signature" if version == "v2" else "x-amz-signature"
    fields = dict(form["fields"])
    fields[name] = fields[name][::-1]
    response = post(form["url"], fields, b"x")
    assert response.status_code == 403
    assert error_of(response)["Code"] == "SignatureDoesNotMatch"


def test_an_expired_policy_is_refused(hutch: HutchServer, world: World) -> None:
    form = world.alice.s3(hutch, "v4").generate_presigned_post(
        world.bucket, world.alice.folder + "late.txt", ExpiresIn=-60
    )
    response = post(form["url"], form["fields"], b"too late")
    assert response.status_code == 403
    error = error_of(response)
    assert (error["Code"], error["Message"]) == (
        "AccessDenied",
        "Invalid according to Policy: Policy expired.",
    )


@VERSIONS
def test_content_length_range_is_enforced(
    hutch: HutchServer, world: World, root_s3: Any, version: str
) -> None:
    prefix = f"{world.alice.folder}sized-{version}/"
    form = world.alice.s3(hutch, version).generate_presigned_post(
        world.bucket, prefix + "${filename}", Conditions=[["content-length-range", 2, 10]]
    )
    too_large = post(form["url"], form["fields"], b"x" * 11, filename="large")
    assert too_large.status_code == 400
    error = error_of(too_large)
    assert (error["Code"], error["ProposedSize"], error["MaxSizeAllowed"]) == ("EntityTooLarge", "11", "10")
    too_small = post(form["url"], form["fields"], b"x", filename="small")
    error = error_of(too_small)
    assert (error["Code"], error["ProposedSize"], error["MinSizeAllowed"]) == ("EntityTooSmall", "1", "2")
    assert post(form["url"], form["fields"], b"x" * 10, filename="exact").status_code == 204
    assert stored(root_s3, world.bucket, prefix) == {prefix + "exact": b"x" * 10}


def test_the_session_token_is_required_with_temporary_credentials(hutch: HutchServer, world: World) -> None:
    form = world.alice.s3(hutch, "v4").generate_presigned_post(world.bucket, world.alice.folder + "t.txt")
    fields = {k: v for k, v in form["fields"].items() if k != "x-amz-security-token"}
    response = post(form["url"], fields, b"x")
    assert response.status_code == 403, response.text
    assert error_of(response)["Code"] == "InvalidAccessKeyId"


# ---------------------------------------------------------------- missing and extra fields


@pytest.fixture
def own_form(hutch: HutchServer, world: World) -> dict[str, Any]:
    form: dict[str, Any] = world.alice.s3(hutch, "v4").generate_presigned_post(
        world.bucket, world.alice.folder + "${filename}"
    )
    return form


def test_a_key_after_the_file_is_ignored_so_the_key_is_missing(own_form: dict[str, Any]) -> None:
    fields = {k: v for k, v in own_form["fields"].items() if k != "key"}
    response = post(own_form["url"], fields, b"x", after_file=(("key", own_form["fields"]["key"]),))
    assert response.status_code == 400
    error = error_of(response)
    assert (error["Code"], error["ArgumentName"]) == ("InvalidArgument", "key")


def test_a_form_without_a_file_is_refused(own_form: dict[str, Any]) -> None:
    parts = [(name, (None, value)) for name, value in own_form["fields"].items()]
    response = httpx.post(own_form["url"], files=parts)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["Code"], error["ArgumentName"], error["ArgumentValue"]) == ("InvalidArgument", "file", "0")


def test_a_form_without_its_signature_is_refused(own_form: dict[str, Any]) -> None:
    fields = {k: v for k, v in own_form["fields"].items() if k != "x-amz-signature"}
    error = error_of(post(own_form["url"], fields, b"x"))
    assert (error["Code"], error["ArgumentName"]) == ("InvalidArgument", "X-Amz-Signature")


def test_a_field_the_policy_does_not_name_is_refused(own_form: dict[str, Any]) -> None:
    response = post(own_form["url"], dict(own_form["fields"], **{"x-amz-meta-extra": "1"}), b"x")
    assert response.status_code == 403
    error = error_of(response)
    assert error["Message"] == "Invalid according to Policy: Extra input fields: x-amz-meta-extra"


def test_a_body_that_is_not_a_form_is_a_failed_precondition(hutch: HutchServer, world: World) -> None:
    response = httpx.post(
        f"{hutch.endpoint}/{world.bucket}", content=b"hello", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 412
    error = error_of(response)
    assert (error["Code"], error["Condition"]) == (
        "PreconditionFailed",
        "Bucket POST must be of the enclosure-type multipart/form-data",
    )


# ---------------------------------------------------------------- answers


def test_success_action_status_201_answers_a_post_response(hutch: HutchServer, world: World) -> None:
    alice = world.alice
    form = alice.s3(hutch, "v2").generate_presigned_post(
        world.bucket,
        alice.folder + "${filename}",
        Fields={"success_action_status": "201"},
        Conditions=[{"success_action_status": "201"}],
    )
    response = post(form["url"], form["fields"], b"created", filename="made.txt")
    assert response.status_code == 201
    document = ET.fromstring(response.content)
    assert document.tag == "PostResponse"
    values = {child.tag: child.text for child in document}
    assert values["Bucket"] == world.bucket
    assert values["Key"] == alice.folder + "made.txt"
    assert values["ETag"] == f'"{hashlib.md5(b"created").hexdigest()}"' == response.headers["etag"]
    # The object's URL, path-style as the form was posted, with the key encoded whole as S3 does.
    location = f"{hutch.endpoint}/{world.bucket}/{quote(alice.folder + 'made.txt', safe='')}"
    assert values["Location"] == response.headers["location"] == location


def test_success_action_status_200_answers_an_empty_200(hutch: HutchServer, world: World) -> None:
    form = world.alice.s3(hutch, "v4").generate_presigned_post(
        world.bucket,
        world.alice.folder + "ok.txt",
        Fields={"success_action_status": "200"},
        Conditions=[{"success_action_status": "200"}],
    )
    response = post(form["url"], form["fields"], b"ok")
    assert (response.status_code, response.content) == (200, b"")


def test_success_action_redirect_answers_a_303_with_bucket_key_and_etag(
    hutch: HutchServer, world: World
) -> None:
    target = "https://app.example/uploaded?session=7"
    form = world.alice.s3(hutch, "v4").generate_presigned_post(
        world.bucket,
        world.alice.folder + "${filename}",
        Fields={"success_action_redirect": target},
        Conditions=[["starts-with", "$success_action_redirect", "https://app.example/"]],
    )
    response = post(form["url"], form["fields"], b"redirected", filename="r.txt")
    assert response.status_code == 303
    etag = hashlib.md5(b"redirected").hexdigest()
    assert response.headers["location"] == str(
        httpx.URL(target).copy_merge_params(
            {"bucket": world.bucket, "key": world.alice.folder + "r.txt", "etag": f'"{etag}"'}
        )
    )


def test_metadata_tags_and_a_checksum_travel_in_the_form(
    hutch: HutchServer, world: World, root_s3: Any
) -> None:
    content = b"checked bytes"
    checksum = base64.b64encode(hashlib.sha256(content).digest()).decode()
    tagging = "<Tagging><TagSet><Tag><Key>kind</Key><Value>doc</Value></Tag></TagSet></Tagging>"
    fields = {"x-amz-meta-owner": "alice", "tagging": tagging, "x-amz-checksum-sha256": checksum}
    form = root_s3.generate_presigned_post(
        world.bucket, "root/checked.txt", Fields=fields, Conditions=[{k: v} for k, v in fields.items()]
    )
    response = post(form["url"], form["fields"], content)
    assert response.status_code == 204, response.text
    assert response.headers["x-amz-checksum-sha256"] == checksum
    head = root_s3.head_object(Bucket=world.bucket, Key="root/checked.txt", ChecksumMode="ENABLED")
    assert head["Metadata"] == {"owner": "alice"}
    assert head["ChecksumSHA256"] == checksum
    tags = root_s3.get_object_tagging(Bucket=world.bucket, Key="root/checked.txt")["TagSet"]
    assert tags == [{"Key": "kind", "Value": "doc"}]
    wrong = post(form["url"], form["fields"], b"other bytes")
    assert (wrong.status_code, error_of(wrong)["Code"]) == (400, "BadDigest")


def test_the_buckets_cors_rules_apply_to_the_form_post(hutch: HutchServer, world: World) -> None:
    origin = "http://localhost:5173"
    preflight = httpx.options(
        f"{hutch.endpoint}/{world.bucket}",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    form = world.alice.s3(hutch, "v4").generate_presigned_post(world.bucket, world.alice.folder + "cors.txt")
    response = post(form["url"], form["fields"], b"from a page", headers={"Origin": origin})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] in ("*", origin)
    assert "etag" in response.headers["access-control-expose-headers"].lower()


def test_a_virtual_hosted_form_post_answers_the_virtual_hosted_location(
    hutch: HutchServer, world: World
) -> None:
    host = f"{world.bucket}.localhost:{hutch.port}"
    form = world.alice.s3(hutch, "v2").generate_presigned_post(world.bucket, world.alice.folder + "vh.txt")
    response = post(f"{hutch.endpoint}/", form["fields"], b"virtual", headers={"Host": host})
    assert response.status_code == 204, response.text
    assert response.headers["location"].startswith(f"http://{host}/cognito%2F")


# ---------------------------------------------------------------- anonymous forms


def test_an_anonymous_form_needs_a_bucket_policy_granting_everyone_putobject(
    hutch: HutchServer, root_s3: Any, bucket: str
) -> None:
    url = f"{hutch.endpoint}/{bucket}"
    refused = post(url, {"key": "public/a.txt"}, b"anonymous")
    assert refused.status_code == 403
    assert error_of(refused)["Message"] == "Access Denied"
    root_s3.put_bucket_policy(
        Bucket=bucket,
        Policy=policy(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{bucket}/public/*",
            }
        ),
    )
    assert post(url, {"key": "public/${filename}"}, b"anonymous", filename="a.txt").status_code == 204
    assert root_s3.get_object(Bucket=bucket, Key="public/a.txt")["Body"].read() == b"anonymous"
    assert post(url, {"key": "private/a.txt"}, b"anonymous").status_code == 403


# ---------------------------------------------------------------- memory


@pytest.fixture(scope="module")
def own_server() -> Iterator[HutchServer]:
    """A server of its own, so its peak memory is this test's."""
    with tempfile.TemporaryDirectory() as data:
        server = HutchServer(Path(data)).start()
        try:
            yield server
        finally:
            server.stop()


def memory_kb(server: HutchServer, field: str) -> int:
    assert server.process is not None
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for the server process")


def test_a_20_mib_upload_keeps_server_memory_flat(own_server: HutchServer) -> None:
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("needs Linux /proc to read the server's peak memory")
    s3 = boto3.client(
        "s3",
        endpoint_url=own_server.endpoint,
        region_name=own_server.region,
        config=Config(signature_version="s3v4"),
        **own_server.root_credentials(),
    )
    bucket = f"mem-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    form = s3.generate_presigned_post(
        bucket, "big/${filename}", Conditions=[["content-length-range", 0, 64 << 20]]
    )
    warm = post(form["url"], form["fields"], b"w" * (2 << 20), filename="warm-up")  # threads, imports, caches
    assert warm.status_code == 204
    assert own_server.process is not None
    Path(f"/proc/{own_server.process.pid}/clear_refs").write_text("5")  # peak RSS := current RSS
    before = memory_kb(own_server, "VmHWM")
    content = bytes(range(256)) * (20 * 4096)  # 20 MiB
    response = post(form["url"], form["fields"], content, filename="big.bin")
    assert response.status_code == 204, response.text
    grown_mib = (memory_kb(own_server, "VmHWM") - before) / 1024
    assert grown_mib < 10, f"the server's peak memory grew by {grown_mib:.1f} MiB for a 20 MiB upload"
    assert response.headers["etag"] == f'"{hashlib.md5(content).hexdigest()}"'
    body = s3.get_object(Bucket=bucket, Key="big/big.bin")["Body"].read()
    assert hashlib.md5(body).digest() == hashlib.md5(content).digest()


def test_a_bucket_policy_can_admit_form_uploads_only(
    hutch: HutchServer, root_s3: Any, anonymous: Any, bucket: str
) -> None:
    """Form uploads carry s3:authType "POST", so a policy can tell them from a PUT."""
    root_s3.put_bucket_policy(
        Bucket=bucket,
        Policy=policy(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{bucket}/drop/*",
                "Condition": {"StringEquals": {"s3:authType": "POST"}},
            }
        ),
    )
    assert post(f"{hutch.endpoint}/{bucket}", {"key": "drop/form.txt"}, b"by form").status_code == 204
    with pytest.raises(ClientError) as caught:
        anonymous.put_object(Bucket=bucket, Key="drop/put.txt", Body=b"by put")
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
