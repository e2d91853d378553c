"""The AWS CLI against hutch: aws s3 mb/cp/sync/ls/rm/rb and aws s3api."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.integration.s3.conftest import unique_bucket
from tests.integration.s3.support import run_cli
from tests.support.server import HutchServer


@pytest.fixture(scope="module")
def root(hutch: HutchServer) -> dict[str, str]:
    return hutch.root_credentials()


def aws(hutch: HutchServer, creds: dict[str, str], *args: str, cwd: Path | None = None) -> str:
    done = run_cli(hutch, creds, *args, cwd=cwd)
    assert done.returncode == 0, f"aws {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


def test_mb_cp_sync_ls_rm_rb(hutch: HutchServer, root: dict[str, str], tmp_path: Path) -> None:
    bucket = unique_bucket("cli")
    aws(hutch, root, "s3", "mb", f"s3://{bucket}")
    src = tmp_path / "site"
    (src / "css").mkdir(parents=True)
    (src / "index.html").write_text("<h1>hi</h1>")
    (src / "css" / "main.css").write_text("body {}")
    (src / "big.bin").write_bytes(os.urandom(9 * 1024 * 1024))  # over the CLI's 8 MiB multipart threshold
    # Files older than the upload, as in real use (S3's Last-Modified has whole seconds).
    for path in src.rglob("*"):
        os.utime(path, (path.stat().st_atime - 60, path.stat().st_mtime - 60))
    aws(hutch, root, "s3", "sync", str(src), f"s3://{bucket}/site")
    listing = aws(hutch, root, "s3", "ls", "--recursive", f"s3://{bucket}/")
    assert {line.split()[-1] for line in listing.splitlines()} == {
        "site/index.html",
        "site/css/main.css",
        "site/big.bin",
    }
    # A second sync finds nothing to do: sizes and times match what hutch reports.
    again = aws(hutch, root, "s3", "sync", str(src), f"s3://{bucket}/site")
    assert "upload:" not in again
    back = tmp_path / "back"
    aws(hutch, root, "s3", "cp", "--recursive", f"s3://{bucket}/site", str(back))
    for name in ("index.html", "css/main.css", "big.bin"):
        assert (back / name).read_bytes() == (src / name).read_bytes()
    aws(hutch, root, "s3", "cp", str(src / "index.html"), f"s3://{bucket}/copy.html")
    top = aws(hutch, root, "s3", "ls", f"s3://{bucket}/")
    assert "PRE site/" in top and "copy.html" in top
    aws(hutch, root, "s3", "rm", "--recursive", f"s3://{bucket}/")
    aws(hutch, root, "s3", "rb", f"s3://{bucket}")
    assert bucket not in aws(hutch, root, "s3", "ls")


def test_s3api_put_get_list(hutch: HutchServer, root: dict[str, str], tmp_path: Path) -> None:
    bucket = unique_bucket("api")
    aws(hutch, root, "s3api", "create-bucket", "--bucket", bucket)
    body = tmp_path / "in.txt"
    body.write_text("via s3api")
    put = json.loads(
        aws(
            hutch,
            root,
            "s3api",
            "put-object",
            "--bucket",
            bucket,
            "--key",
            "a b/ü.txt",
            "--body",
            str(body),
            "--content-type",
            "text/plain",
        )
    )
    assert put["ETag"].startswith('"')
    out = tmp_path / "out.txt"
    got = json.loads(
        aws(hutch, root, "s3api", "get-object", "--bucket", bucket, "--key", "a b/ü.txt", str(out))
    )
    assert got["ContentType"] == "text/plain" and out.read_text() == "via s3api"
    listed = json.loads(aws(hutch, root, "s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "a b/"))
    assert [o["Key"] for o in listed["Contents"]] == ["a b/ü.txt"]
    head = json.loads(aws(hutch, root, "s3api", "head-object", "--bucket", bucket, "--key", "a b/ü.txt"))
    assert head["ContentLength"] == len("via s3api")
    missing = run_cli(hutch, root, "s3api", "get-object", "--bucket", bucket, "--key", "nope", str(out))
    assert missing.returncode != 0 and "NoSuchKey" in missing.stderr
    aws(hutch, root, "s3api", "delete-object", "--bucket", bucket, "--key", "a b/ü.txt")
    aws(hutch, root, "s3api", "delete-bucket", "--bucket", bucket)
