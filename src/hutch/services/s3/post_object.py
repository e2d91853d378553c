"""POST Object: a browser uploads a file straight to a bucket with an HTML form (multipart/form-data).

botocore's model has no such operation, so the pipeline hands a ``POST /<bucket>`` with no query to
:func:`serve` instead of the codec. The order is S3's: read the fields before the file (bounded); check the
signature over the policy text as sent; decode the policy and check its expiration, its conditions and that
it names every field; authorize s3:PutObject on the key as the signer (or, unsigned, as anonymous: then only
a bucket policy lets it in); then stream the file through the same ingest PutObject uses, refusing it if it
falls outside the policy's content-length-range, and commit it — durable before the answer. The answer is
204, or 200 / 201 (a PostResponse document) as ``success_action_status`` asks, or a 303 to
``success_action_redirect``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit
from xml.etree.ElementTree import Element, SubElement

import anyio.to_thread

from hutch.auth.checksums import BodyChecksums, VerifiedChecksum
from hutch.auth.principal import anonymous
from hutch.operations import Call
from hutch.services.s3 import ingest, post_policy
from hutch.services.s3.api_objects import PutPlan, finish_put
from hutch.services.s3.authz import authorize, object_arn, service, tag_context
from hutch.services.s3.form_data import FormReader, boundary_of
from hutch.services.s3.headers import check_unsupported, stored_headers, user_metadata
from hutch.services.s3.integrity import DEFAULT_ALGORITHM, MEMBER_PREFIX
from hutch.services.s3.keys import bucket_name_problem, key_bytes
from hutch.services.s3.post_form import UploadForm, redirect_location
from hutch.services.s3.post_signature import SignedForm, authenticate, signed_form
from hutch.wire.http import HttpRequest, HttpResponse
from hutch.wire.xml import render_document

if TYPE_CHECKING:
    from hutch.runtime import Runtime

OPERATION = "PostObject"
# S3 ignores what follows the file part; a little of it is read so the connection can carry the next request.
EPILOGUE_LIMIT = 64 * 1024
# Past content-length-range's maximum, the rest of the file is counted (not kept) this far to report its size.
PROPOSED_SIZE_SCAN = 8 * 1024 * 1024


def is_form_upload(request: HttpRequest) -> bool:
    """``POST /<bucket>`` with no query: no modeled S3 operation has that shape, POST Object does."""
    if request.method != "POST" or request.query_string:
        return False
    bucket, _, rest = request.path.lstrip("/").partition("/")
    return not rest and bucket_name_problem(bucket) is None


@dataclass(frozen=True)
class UploadPlan:
    put: PutPlan
    integrity: BodyChecksums
    min_size: int
    max_size: int | None


class BoundedFile:
    """The file on its way to the blob store: kept within the policy's size range and checksummed.
    ``checksum`` is the x-amz-checksum-* value the form carried, once verified (as aws-chunked bodies
    carry theirs)."""

    def __init__(self, content: AsyncIterator[bytes], plan: UploadPlan) -> None:
        self._content = content
        self._plan = plan
        self._chunks = self._iterate()
        self.checksum: VerifiedChecksum | None = None

    def __aiter__(self) -> BoundedFile:
        return self

    async def __anext__(self) -> bytes:
        return await anext(self._chunks)

    async def _iterate(self) -> AsyncIterator[bytes]:
        size = 0
        high = self._plan.max_size
        async for chunk in self._content:
            size += len(chunk)
            if high is not None and size > high:
                raise post_policy.entity_too_large(await self._proposed_size(size), high)
            self._plan.integrity.update(chunk)
            yield chunk
        if size < self._plan.min_size:
            raise post_policy.entity_too_small(size, self._plan.min_size)
        self.checksum = self._plan.integrity.finish()

    async def _proposed_size(self, seen: int) -> int | None:
        limit = seen + PROPOSED_SIZE_SCAN
        async for chunk in self._content:
            seen += len(chunk)
            if seen > limit:
                return None
        return seen


async def serve(
    rt: Runtime, request: HttpRequest, s3_request: HttpRequest, request_id: str, log: dict[str, Any]
) -> HttpResponse:
    """Answer a form upload. ``s3_request`` is ``request`` addressed path-style; ``log`` is the request's log
    line. Failures raise ServiceError / AuthFailure for the pipeline to answer in S3's error shape."""
    bucket_name = s3_request.path.strip("/")
    log["bucket"] = bucket_name
    reader = FormReader(aiter(request.body), boundary_of(request.headers.get("content-type")))
    form = UploadForm.of(await reader.read_head())
    signed = signed_form(form.fields)
    if signed is None:
        principal = anonymous(rt.account_id)
    else:
        principal = await anyio.to_thread.run_sync(authenticate, rt, signed)
    log["principal"] = principal.arn
    region = (signed.region if signed is not None else None) or rt.region
    call = Call(rt, request_id, "s3", OPERATION, s3_request, principal, region)
    try:
        plan = await anyio.to_thread.run_sync(_plan, call, bucket_name, form, signed)
        content = BoundedFile(reader.file_content(), plan)
        received = await ingest.receive(
            service(call).blobs, content, plan.put.compute, declared_length=_small_bound(request, reader)
        )
        try:
            drained = await reader.discard_rest(EPILOGUE_LIMIT)
            result = await anyio.to_thread.run_sync(
                finish_put, call, {}, plan.put, received, content.checksum
            )
        except BaseException:
            await anyio.to_thread.run_sync(received.discard)
            raise
    finally:
        log.update(call.log)
    host = request.host or urlsplit(rt.config.base_url).netloc
    response = _answer(form, _location(request, s3_request, host, plan.put), plan.put, result)
    if not drained:
        response.set_header("Connection", "close")
    return response


def _plan(call: Call, bucket_name: str, form: UploadForm, signed: SignedForm | None) -> UploadPlan:
    svc = service(call)
    bucket = svc.bucket(bucket_name)
    low, high = 0, None
    context: dict[str, Any] = {"s3:authType": "POST"}
    if signed is not None:
        policy = post_policy.parse(signed.policy)
        policy.check(call.rt.now(), form.fields, form.names, bucket.name, sigv2=signed.version == 2)
        low, high = policy.length_range()
        context["s3:signatureversion"] = signed.signature_version
    params = form.put_params()
    key = form.key
    call.log["key"] = key
    key_bytes(key)
    tags = form.tags()
    arn = object_arn(bucket.name, key)
    context.update(tag_context("RequestObjectTag", tags))
    if params.get("ACL"):
        context["s3:x-amz-acl"] = params["ACL"]
    if params.get("StorageClass"):
        context["s3:x-amz-storage-class"] = params["StorageClass"]
    authorize(call, bucket, "s3:PutObject", arn, context)
    if tags:
        authorize(call, bucket, "s3:PutObjectTagging", arn, context)
    check_unsupported(params)
    integrity = form.integrity()
    compute = None if form.declares_checksum else DEFAULT_ALGORITHM
    put = PutPlan(bucket, key, stored_headers(params), user_metadata(params), tags, compute, 0)
    return UploadPlan(put, integrity, low, high)


def _small_bound(request: HttpRequest, reader: FormReader) -> int | None:
    """An upper bound on the file's size when the request says it is small (it is then gathered in memory
    and may be stored inline); None otherwise."""
    length = (request.headers.get("content-length") or "").strip()
    if not length.isdigit():
        return None
    bound = int(length) - reader.consumed
    return bound if 0 <= bound <= ingest.BLOCK else None


def _location(request: HttpRequest, s3_request: HttpRequest, host: str, put: PutPlan) -> str:
    """The object's URL as the client addressed the bucket; like S3, the key is encoded whole ("/" too)."""
    path = quote(put.key, safe="")
    if request.raw_path == s3_request.raw_path:  # path-style
        path = f"{put.bucket.name}/{path}"
    return f"{request.scheme}://{host}/{path}"


def _answer(form: UploadForm, location: str, put: PutPlan, result: dict[str, Any]) -> HttpResponse:
    etag = str(result["ETag"])
    headers = [("ETag", etag), ("Location", location)]
    for member, value in result.items():
        if member.startswith(MEMBER_PREFIX):
            headers.append(("x-amz-checksum-" + member[len(MEMBER_PREFIX) :].lower(), str(value)))
    target = form.redirect()
    if target is not None:
        headers[1] = ("Location", redirect_location(target, put.bucket.name, put.key, etag))
        return HttpResponse(303, headers, b"")
    status = form.success_status
    if status != 201:
        return HttpResponse(status, headers, b"")
    root = Element("PostResponse")
    for name, text in (("Location", location), ("Bucket", put.bucket.name), ("Key", put.key), ("ETag", etag)):
        SubElement(root, name).text = text
    headers.append(("Content-Type", "application/xml"))
    return HttpResponse(201, headers, render_document(root))
