"""The AWS SDK for JavaScript v3 S3Client, unmodified, in Node: default CRC32 checksums, response
checksum validation, multipart, listings."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.integration.s3.conftest import unique_bucket
from tests.support.server import HutchServer

NODE_DIR = Path(__file__).resolve().parents[2] / "clients" / "node"

SCRIPT = r"""
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command,
         CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand,
         DeleteObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
const env = process.env;
const s3 = new S3Client({
  region: env.REGION, endpoint: env.ENDPOINT, forcePathStyle: true,
  credentials: { accessKeyId: env.KEY, secretAccessKey: env.SECRET },
});
const Bucket = env.BUCKET;
const out = {};
await s3.send(new CreateBucketCommand({ Bucket }));
const put = await s3.send(new PutObjectCommand({ Bucket, Key: "js/hello.txt", Body: "hello from node", ContentType: "text/plain" }));
out.putChecksum = put.ChecksumCRC32;
const got = await s3.send(new GetObjectCommand({ Bucket, Key: "js/hello.txt", ChecksumMode: "ENABLED" }));
out.body = await got.Body.transformToString();
out.getChecksum = got.ChecksumCRC32;
const stream = Readable.from([Buffer.alloc(70000, 1), Buffer.alloc(30000, 2)]);
await s3.send(new PutObjectCommand({ Bucket, Key: "js/stream.bin", Body: stream, ContentLength: 100000 }));
const streamed = await s3.send(new GetObjectCommand({ Bucket, Key: "js/stream.bin" }));
out.streamedSha = createHash("sha256").update(Buffer.from(await streamed.Body.transformToByteArray())).digest("hex");
const up = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "js/multi.bin", ChecksumAlgorithm: "CRC32" }));
const part1 = Buffer.alloc(5 * 1024 * 1024, 7), part2 = Buffer.from("the end");
const p1 = await s3.send(new UploadPartCommand({ Bucket, Key: "js/multi.bin", UploadId: up.UploadId, PartNumber: 1, Body: part1, ChecksumAlgorithm: "CRC32" }));
const p2 = await s3.send(new UploadPartCommand({ Bucket, Key: "js/multi.bin", UploadId: up.UploadId, PartNumber: 2, Body: part2, ChecksumAlgorithm: "CRC32" }));
const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "js/multi.bin", UploadId: up.UploadId,
  MultipartUpload: { Parts: [ { PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 }, { PartNumber: 2, ETag: p2.ETag, ChecksumCRC32: p2.ChecksumCRC32 } ] } }));
out.multiEtag = done.ETag;
const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "js/multi.bin" }));
out.multiSize = head.ContentLength;
const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: "js/" }));
out.keys = listed.Contents.map((o) => o.Key);
for (const Key of out.keys) await s3.send(new DeleteObjectCommand({ Bucket, Key }));
console.log(JSON.stringify(out));
"""

pytestmark = pytest.mark.node


def test_js_sdk_v3_s3_client(hutch: HutchServer, s3: Any) -> None:
    if shutil.which("node") is None or not (NODE_DIR / "node_modules" / "@aws-sdk" / "client-s3").is_dir():
        pytest.skip("Node.js and the committed npm packages are needed (make node)")
    bucket = unique_bucket("js")
    creds = hutch.root_credentials()
    done = subprocess.run(
        ["node", "--input-type=module", "-"],
        input=SCRIPT,
        cwd=NODE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
            "REGION": hutch.region,
            "ENDPOINT": hutch.endpoint,
            "KEY": creds["aws_access_key_id"],
            "SECRET": creds["aws_secret_access_key"],
            "BUCKET": bucket,
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    try:
        assert done.returncode == 0, done.stderr
        out = json.loads(done.stdout.strip().splitlines()[-1])
        assert out["body"] == "hello from node"
        assert out["putChecksum"] and out["getChecksum"] == out["putChecksum"]
        assert out["streamedSha"] == hashlib.sha256(b"\x01" * 70000 + b"\x02" * 30000).hexdigest()
        assert out["multiEtag"].endswith('-2"')
        assert out["multiSize"] == 5 * 1024 * 1024 + len("the end")
        assert out["keys"] == ["js/hello.txt", "js/multi.bin", "js/stream.bin"]
    finally:
        s3.delete_bucket(Bucket=bucket)
