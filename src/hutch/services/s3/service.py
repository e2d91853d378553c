"""The S3 service object: its stores, its blobs, CORS for the pipeline, and its housekeeping."""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import TYPE_CHECKING, Any

from hutch.blobs import BlobStore, open_blob_store
from hutch.blobs.pins import BlobPins
from hutch.errors import ServiceError
from hutch.services.s3 import cors
from hutch.services.s3.errors import no_such_bucket
from hutch.services.s3.model import Bucket
from hutch.services.s3.store import S3Store
from hutch.services.s3.upload_store import UploadStore
from hutch.wire import routing
from hutch.wire.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from hutch.runtime import Runtime

log = logging.getLogger("hutch.s3")

DEFAULT_MULTIPART_MAX_AGE_HOURS = 24 * 7
# A committed blob nothing refers to is an orphan only once it is this old: younger ones may belong to a
# request between its blob commit and its metadata commit.
ORPHAN_GRACE_SECONDS = 3600
# Buckets (their policy and CORS rules) are read by nearly every request, CORS rules even on the event loop;
# they are cached briefly.
BUCKET_CACHE_SECONDS = 1.0


def multipart_max_age_seconds() -> float:
    raw = os.environ.get("HUTCH_MULTIPART_MAX_AGE_HOURS", "")
    try:
        hours = float(raw) if raw.strip() else DEFAULT_MULTIPART_MAX_AGE_HOURS
    except ValueError:
        log.warning(
            "HUTCH_MULTIPART_MAX_AGE_HOURS=%r is not a number; using %s", raw, DEFAULT_MULTIPART_MAX_AGE_HOURS
        )
        hours = DEFAULT_MULTIPART_MAX_AGE_HOURS
    return max(hours, 0.0) * 3600


class S3Service:
    def __init__(self, rt: Runtime, blobs: BlobStore | None = None) -> None:
        self.rt = rt
        self.store = S3Store(rt.engine, rt.group)
        self.uploads = UploadStore(rt.engine)
        self.blobs = blobs or open_blob_store(rt.config.data_dir)
        swept = self.blobs.sweep_temporary()
        if swept:
            log.info("removed %d unfinished upload file(s) left by an earlier run", swept)
        self.pins = BlobPins(self.blobs)
        self.multipart_max_age = multipart_max_age_seconds()
        self._bucket_cache: dict[str, tuple[float, Bucket]] = {}
        self._bucket_lock = threading.Lock()
        self._base_hosts = routing.virtual_host_bases(rt.config)

    # -- used by the handlers -----------------------------------------------------------------------

    def bucket(self, name: str, expected_owner: str | None = None) -> Bucket:
        """The bucket, or NoSuchBucket; AccessDenied if ``expected_owner`` (x-amz-expected-bucket-owner) is
        given and is not its owner."""
        found = self.cached_bucket(name)
        if found is None:
            raise no_such_bucket(name)
        check_owner(found, expected_owner)
        return found

    def cached_bucket(self, name: str) -> Bucket | None:
        """The bucket, from a cache of a second or two: a policy or CORS change made through another node
        reaches this one within BUCKET_CACHE_SECONDS (changes made here apply at once)."""
        now = time.monotonic()
        with self._bucket_lock:
            cached = self._bucket_cache.get(name)
        if cached is not None and cached[0] > now:
            return cached[1]
        found = self.store.get_bucket(name)
        with self._bucket_lock:
            if found is None:
                self._bucket_cache.pop(name, None)
            else:
                if len(self._bucket_cache) > 10_000:
                    self._bucket_cache.clear()
                self._bucket_cache[name] = (now + BUCKET_CACHE_SECONDS, found)
        return found

    def forget_bucket(self, name: str) -> None:
        """Drop the cached bucket after changing or deleting it."""
        with self._bucket_lock:
            self._bucket_cache.pop(name, None)

    def discard(self, blob_ids: list[str]) -> None:
        """Delete blobs that no metadata refers to any more (after the commit that orphaned them)."""
        if blob_ids:
            self.pins.discard(blob_ids)

    # -- CORS, called by the pipeline ---------------------------------------------------------------

    def _rules(self, bucket: str) -> tuple[cors.CorsRule, ...] | None:
        """The bucket's CORS rules; () when it has none; None when there is no such bucket."""
        found = self.cached_bucket(bucket)
        return cors.load(found.cors) if found is not None else None

    def cors_preflight(self, request: HttpRequest, request_id: str) -> HttpResponse:
        """Answer a browser's OPTIONS preflight from the bucket's CORS rules (path-style request)."""
        from hutch.wire.codec import codec_for

        try:
            return self._preflight(request)
        except ServiceError as error:
            return codec_for("s3").serialize_error(error, request_id, None)

    def _preflight(self, request: HttpRequest) -> HttpResponse:
        bucket, key = _path_parts(request.path)
        origin = request.headers.get("origin")
        method = request.headers.get("access-control-request-method")
        if not origin:
            raise ServiceError("BadRequest", "Insufficient information. Origin request header needed.", 400)
        if not method or method not in cors.METHODS:
            raise ServiceError(
                "BadRequest", f"Invalid Access-Control-Request-Method: {method or 'null'}", 400
            )
        if not bucket:
            raise ServiceError("BadRequest", "Insufficient information. Bucket name needed.", 400)
        rules = self._rules(bucket)
        if rules is None:
            raise no_such_bucket(bucket)
        fields = {"Method": method, "ResourceType": "OBJECT" if key else "BUCKET"}
        if not rules:
            raise ServiceError("CORSResponse", cors.NOT_ENABLED, 403, fields=fields)
        requested = cors.split_header_list(request.headers.get("access-control-request-headers"))
        rule = cors.first_match(rules, origin, method, requested)
        if rule is None:
            raise ServiceError("CORSResponse", cors.NOT_ALLOWED, 403, fields=fields)
        return HttpResponse(200, rule.response_headers(origin, requested), b"")

    def add_cors_headers(self, request: HttpRequest, response: HttpResponse) -> None:
        """Access-Control-* on an actual response when its Origin matches one of the bucket's rules."""
        origin = request.headers.get("origin")
        if not origin:
            return
        bucket = routing.bucket_from_host(request.host, self._base_hosts)
        if bucket is None:
            bucket, _ = _path_parts(request.path)
        if not bucket:
            return
        rules = self._rules(bucket)
        if not rules:
            return
        rule = cors.first_match(rules, origin, request.method.upper())
        if rule is None:
            return
        for name, value in rule.response_headers(origin, None):
            if name not in ("Access-Control-Allow-Methods", "Access-Control-Max-Age"):
                response.set_header(name, value)

    # -- browser form uploads (POST Object), called by the pipeline ---------------------------------
    # (post_object is imported where used: it builds on the handlers, which import this module)

    def is_form_upload(self, request: HttpRequest) -> bool:
        """Whether a path-style request is POST Object, which the codec cannot route (it is not modeled)."""
        from hutch.services.s3 import post_object

        return post_object.is_form_upload(request)

    async def post_object(
        self, request: HttpRequest, s3_request: HttpRequest, request_id: str, log: dict[str, Any]
    ) -> HttpResponse:
        """Serve a form upload; raises ServiceError / AuthFailure for the pipeline to answer."""
        from hutch.services.s3 import post_object

        return await post_object.serve(self.rt, request, s3_request, request_id, log)

    # -- housekeeping -------------------------------------------------------------------------------

    def expire_uploads(self) -> int:
        """Abort multipart uploads older than HUTCH_MULTIPART_MAX_AGE_HOURS; returns how many."""
        cutoff = int(self.rt.now().timestamp() - self.multipart_max_age)
        expired = 0
        while True:
            batch = self.uploads.initiated_before(cutoff)
            if not batch:
                return expired
            for upload_id in batch:
                blobs = self.uploads.abort(upload_id)
                if blobs is not None:
                    self.discard(blobs)
                    expired += 1

    def collect_orphans(self, grace_seconds: float = ORPHAN_GRACE_SECONDS) -> int:
        """Delete committed blobs that no object or part refers to (a crash between blob and metadata)."""
        cutoff = time.time() - grace_seconds
        removed = 0
        batch: list[str] = []

        def flush() -> int:
            referenced = self.store.referenced_blobs(batch)
            gone = [b for b in batch if b not in referenced and not self.pins.pinned(b)]
            for blob_id in gone:
                self.blobs.delete(blob_id)
            batch.clear()
            return len(gone)

        for blob_id in self.blobs.blob_ids(cutoff):
            batch.append(blob_id)
            if len(batch) >= 500:
                removed += flush()
        if batch:
            removed += flush()
        if removed:
            log.info("removed %d unreferenced blob(s)", removed)
        return removed

    def close(self) -> None:
        pass


def check_owner(bucket: Bucket, expected_owner: str | None) -> None:
    if expected_owner is not None and expected_owner != bucket.owner:
        raise ServiceError("AccessDenied", "Access Denied", 403)


def _path_parts(path: str) -> tuple[str, str]:
    """(bucket, key) of a path-style S3 path (already percent-decoded)."""
    bucket, _, key = path.lstrip("/").partition("/")
    return bucket, key
