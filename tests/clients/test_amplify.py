"""aws-amplify v6, unmodified, in Node (node/amplify.mjs) against `hutch serve --tls`: signIn with SRP (the
default), fetchAuthSession, Storage uploadData / downloadData / list / remove with
``path: ({identityId}) => `private/${identityId}/...```. The Amplify layout: private/<id>/ is the owner's
alone, protected/<id>/ is readable (not writable) by every signed-in user, the bucket root is nobody's.

Amplify's Storage always speaks https and goes path-style only for bucket names with a dot, so it runs twice:
a dotted bucket on https://127.0.0.1:<port>, and an undotted bucket virtual-hosted under
https://hutch.localhost:<port> (hutch --public-url; Node resolves *.localhost to loopback through a preload,
as browsers do natively)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.clients.support import (
    NODE_DIR,
    Scenario,
    build_scenario,
    clean_env,
    keys_under,
    require_node,
    run_node,
    unique,
)
from tests.support.server import HutchServer

pytestmark = pytest.mark.node

PACKAGES = ("aws-amplify", "@aws-amplify/storage", "@aws-amplify/auth")
LOOPBACK_PRELOAD = ("--import", "./lib/localhost-is-loopback.mjs")


@dataclass(frozen=True)
class Run:
    addressing: str
    server: HutchServer
    scenario: Scenario
    report: dict[str, Any]


@pytest.fixture(scope="module")
def named_tls_hutch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HutchServer]:
    """`hutch serve --tls --public-url https://hutch.localhost:<port>`: its certificate then covers
    hutch.localhost and *.hutch.localhost, and it takes <bucket>.hutch.localhost as virtual-hosted S3."""
    server = HutchServer(tmp_path_factory.mktemp("hutch-named-tls"), tls=True)
    server.extra_args = ["--public-url", f"https://hutch.localhost:{server.port}"]
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module", params=["path-style", "virtual-hosted"])
def run(request: pytest.FixtureRequest) -> Run:
    if request.param == "path-style":
        server: HutchServer = request.getfixturevalue("tls_hutch")
        scenario = build_scenario(server, layout="amplify", bucket=f"{unique('files')}.amplify")
        node_args: tuple[str, ...] = ()
    else:
        server = request.getfixturevalue("named_tls_hutch")
        scenario = build_scenario(
            server, layout="amplify", public_endpoint=f"https://hutch.localhost:{server.port}"
        )
        node_args = LOOPBACK_PRELOAD
    report = run_node("amplify.mjs", server, scenario.env(), *PACKAGES, node_args=node_args)
    assert sorted(report) == sorted(scenario.users)
    return Run(request.param, server, scenario, report)


def test_sign_in_with_srp_and_a_session_with_credentials(run: Run) -> None:
    ids = set()
    for user in run.report.values():
        assert user["wrongPassword"] == "NotAuthorizedException"
        assert user["isSignedIn"] is True
        assert user["issuer"] == f"{run.scenario.endpoint}/{run.scenario.user_pool_id}"
        assert user["identityId"].startswith(f"{run.scenario.region}:")
        assert user["accessKeyId"].startswith("ASIA")
        ids.add(user["identityId"])
    assert len(ids) == len(run.report)


def test_own_private_folder_upload_download_list_remove(run: Run) -> None:
    for username, user in run.report.items():
        folder = f"private/{user['identityId']}/"
        own = user["own"]
        assert own["body"] == f"written by {username}"
        assert own["listed"] == [f"{folder}draft.txt", f"{folder}note.txt"]
        assert own["removed"] == "ok"
        assert own["listedAfterRemove"] == [f"{folder}note.txt"]
        # What is really stored, read with root keys: the note intact despite the other user's attempts.
        stored = keys_under(run.server, run.scenario.bucket, folder)
        assert stored == {f"{folder}note.txt": f"written by {username}".encode()}


def test_another_users_private_folder_is_refused_both_ways(run: Run) -> None:
    (first, a), (second, b) = run.report.items()
    refused = {
        "privateGet": "AccessDenied",
        "privatePut": "AccessDenied",
        "privateList": "AccessDenied",
        "privateRemove": "AccessDenied",
    }
    for user, other in ((a, second), (b, first)):
        tries = user["othersFolders"][other]
        assert {k: v for k, v in tries.items() if k.startswith("private")} == refused


def test_another_users_protected_folder_is_readable_but_not_writable(run: Run) -> None:
    for username, user in run.report.items():
        for other, tries in user["othersFolders"].items():
            assert other != username
            assert tries["protectedRead"] == f"{other}'s card"
            assert tries["protectedPut"] == "AccessDenied"
            folder = f"protected/{run.report[other]['identityId']}/"
            stored = keys_under(run.server, run.scenario.bucket, folder)
            assert stored == {f"{folder}card.txt": f"{other}'s card".encode()}


def test_the_bucket_root_is_refused(run: Run) -> None:
    for user in run.report.values():
        assert user["bucketRoot"] == {
            "put": "AccessDenied",
            "list": "AccessDenied",
            "listPrivate": "AccessDenied",
        }
    assert keys_under(run.server, run.scenario.bucket, "note.txt") == {}


def test_storage_requests_arrive_with_the_addressing_style_under_test(run: Run) -> None:
    """Amplify picks the style itself (a dot in the bucket name → path-style); the server's request log shows
    which one hutch served."""
    paths = [
        entry["path"]
        for entry in map(
            json.loads, (line for line in run.server.log_text().splitlines() if line.startswith("{"))
        )
        if entry.get("service") == "s3"
        and entry.get("bucket") == run.scenario.bucket
        and "assumed-role" in entry.get("principal", "")
    ]
    assert paths
    bucket = run.scenario.bucket
    path_style = [p == f"/{bucket}" or p.startswith(f"/{bucket}/") for p in paths]
    assert all(path_style) if run.addressing == "path-style" else not any(path_style)


def test_the_default_certificate_covers_virtual_hosted_buckets_under_s3_localhost(
    tls_hutch: HutchServer,
) -> None:
    """Node and OpenSSL refuse a wildcard directly under a one-label name (*.localhost), so the generated
    certificate names *.s3.localhost: <bucket>.s3.localhost is the virtual-hosted address that verifies."""
    require_node()
    script = f"""fetch("https://files.s3.localhost:{tls_hutch.port}/_hutch/health").then(
      (r) => console.log(r.status), (e) => {{ console.log(e.cause?.code ?? e.message); process.exit(1); }})"""
    done = subprocess.run(
        ["node", *LOOPBACK_PRELOAD, "-e", script],
        cwd=NODE_DIR,
        env=clean_env(NODE_EXTRA_CA_CERTS=str(tls_hutch.ca_bundle)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_amplify_refreshes_tokens_and_keeps_the_identity(tls_hutch: HutchServer) -> None:
    scenario = build_scenario(tls_hutch, layout="amplify", bucket=f"{unique('files')}.amplify")
    report = run_node("amplify-refresh.mjs", tls_hutch, scenario.env(), *PACKAGES)
    assert report.get("error") is None, report.get("error")
    before, after = report["before"], report["after"]
    assert after["idJti"] != before["idJti"] and after["accessJti"] != before["accessJti"]
    assert after["identityId"] == before["identityId"]
