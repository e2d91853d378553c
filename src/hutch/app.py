"""The ASGI application: one port, every service, one pipeline.

    request → hutch paths? → route (service) → find operation → read body (unless streamed)
            → authenticate (SigV4 → principal) → parse params → handler (authorizes itself) → serialize

Every response carries a request id; every failure leaves as the protocol's own error shape; an unexpected
exception is logged with the request id and answered InternalError, never a traceback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from hutch import ids
from hutch.auth import sigv2, sigv4
from hutch.auth.failures import AuthFailure, AuthFailureKind
from hutch.errors import InternalError, NotImplementedOperation, ServiceError
from hutch.extra_routes import ExtraRoutes
from hutch.operations import Call, OperationSpec, lookup
from hutch.requestlog import log_request
from hutch.runtime import Runtime
from hutch.wire import routing
from hutch.wire.codec import ProtocolCodec, codec_for
from hutch.wire.cors import add_open_cors, is_open_cors_preflight, open_cors_preflight
from hutch.wire.http import Body, ClientDisconnected, Headers, HttpRequest, HttpResponse
from hutch.wire.models import requires_auth
from hutch.wire.restxml_protocol import host_id_for

log = logging.getLogger("hutch")

AnyAuthParams = sigv4.AuthParams | sigv2.V2Params
T = TypeVar("T")

MAX_HEADER_BYTES = 64 * 1024
# Bodies that are read whole (everything but S3 object uploads). The json and query APIs take small
# documents: the largest member of an operation hutch serves is a 128 KiB policy (a few times that
# percent-encoded), so 1 MiB is generous.
MAX_API_BODY_BYTES = 1024 * 1024
# S3's XML bodies that really are big: CompleteMultipartUpload with 10,000 parts and DeleteObjects with
# 1,000 keys of up to 1,024 bytes. Every other S3 XML body (policies, CORS, tagging...) is small.
MAX_S3_XML_BODY_BYTES = 8 * 1024 * 1024
_LARGE_S3_BODIES = frozenset({"CompleteMultipartUpload", "DeleteObjects"})
# Decoding a body costs time on the event loop that every other connection waits for. Up to this size
# (nearly every request) it is cheaper inline than a hop to a worker thread; bigger bodies are routed,
# decoded and parsed in a worker thread.
INLINE_PARSE_BYTES = 16 * 1024
# Worker threads that may decode big bodies at once: more would only share the GIL with the event loop.
LARGE_BODY_WORKERS = 2
# IAM is global: AWS scopes its credentials to us-east-1, while clients set to hutch's region sign for
# that one; both are accepted. Every other service takes only the configured region.
_GLOBAL_SERVICES = frozenset({"iam"})
_GLOBAL_REGION = "us-east-1"


class HutchApp:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.extra = ExtraRoutes(rt)
        self.base_hosts = routing.virtual_host_bases(rt.config)
        self.large_body_work = anyio.CapacityLimiter(LARGE_BODY_WORKERS)
        self.regions = frozenset({rt.region})
        self.global_regions = frozenset({rt.region, _GLOBAL_REGION})

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        request = _request_from_scope(scope, receive)
        state: dict[str, Any] = {"service": None, "operation": None, "principal": None}
        request_id = ids.request_id()
        try:
            response = await self.handle(request, request_id, state)
        except ClientDisconnected:
            return
        await _send(send, receive, request, response)
        log_request(request, response, request_id, state, time.perf_counter() - started)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        async with anyio.create_task_group() as tasks:
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    for task, period in self.rt.maintenance:
                        tasks.start_soon(_every, period, task)
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    tasks.cancel_scope.cancel()
                    await anyio.to_thread.run_sync(self.rt.close)
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    async def handle(self, request: HttpRequest, request_id: str, state: dict[str, Any]) -> HttpResponse:
        extra = await self.extra.handle(request, request_id)
        if extra is not None:
            state["service"] = "hutch"
            return extra
        codec: ProtocolCodec | None = None
        op = None
        # Until routing decides, errors are answered in the shape the client is speaking.
        service = "cognito-idp" if request.headers.get("x-amz-target") else "s3"
        try:
            if _header_bytes(request) > MAX_HEADER_BYTES:
                raise ServiceError("RequestHeaderSectionTooLarge", "Request headers are too large.", 400)
            auth_params: AnyAuthParams | None = sigv2.parse_auth_v2(request) or sigv4.parse_auth(request)
            scope_service = auth_params.service if auth_params else None
            form_body = None
            if routing.is_form(request) and not request.headers.get("x-amz-target"):
                form_body = await request.body.read_all(MAX_API_BODY_BYTES)
            service = await self._off_loop_if_large(
                form_body, routing.route, request, scope_service, form_body
            )
            state["service"] = service
            if service != "s3" and is_open_cors_preflight(request):
                return open_cors_preflight(request)
            codec = codec_for(service)
            s3_request = request
            if service == "s3":
                bucket = routing.bucket_from_host(request.host, self.base_hosts)
                if bucket is not None:
                    s3_request = routing.to_path_style(request, bucket)
                if request.method == "OPTIONS":
                    return await self._s3_preflight(s3_request, request_id)
                if self._is_s3_form_upload(s3_request):
                    return await self._s3_form_upload(request, s3_request, request_id, state)
            op = await self._off_loop_if_large(form_body, codec.find_operation, s3_request, form_body)
            state["operation"] = op.name
            streaming = codec.has_streaming_input(op)
            body = form_body
            if body is None and not streaming and service != "s3":
                body = await request.body.read_all(MAX_API_BODY_BYTES)

            principal, auth = await self._authenticate(
                request, service, op, auth_params, body, s3_request.raw_path
            )
            state["principal"] = principal.arn
            if service == "s3":
                limit = MAX_S3_XML_BODY_BYTES if op.name in _LARGE_S3_BODIES else MAX_API_BODY_BYTES
                stream, body = await self._s3_body(auth, request, streaming, limit)
            else:
                stream = None
            call = Call(
                rt=self.rt,
                request_id=request_id,
                service=service,
                operation=op.name,
                http=s3_request,
                principal=principal,
                region=(auth.region if auth else self.rt.region),
                auth=auth,
            )
            spec = lookup(service, op.name)
            if spec is not None and not spec.is_async and not self._is_large(body):
                # A small body is parsed in the handler's own worker thread: off the loop, no extra hop.
                result = await anyio.to_thread.run_sync(
                    _parse_and_handle, codec, op, s3_request, body, stream, spec, call
                )
            else:
                params = await self._off_loop_if_large(body, codec.parse, op, s3_request, body, stream)
                if spec is None:
                    raise NotImplementedOperation(service, op.name)
                if spec.is_async:
                    result = await spec.handler(call, params)  # type: ignore[misc]
                else:
                    result = await anyio.to_thread.run_sync(spec.handler, call, params)
            state.update(call.log)
            response = codec.serialize(op, result, request_id)
        except AuthFailure as failure:
            response = self._error(codec, service, failure.to_error(service), request_id, op)
        except ServiceError as error:
            response = self._error(codec, service, error, request_id, op)
        except ClientDisconnected:
            raise
        except Exception:
            log.exception("unexpected error", extra={"request_id": request_id})
            response = self._error(codec, service, InternalError(), request_id, op)
        state["error"] = response.status >= 400
        if response.status >= 400:
            await _settle_unread_body(request, response)
        self._finish(response, service, request_id, request)
        return response

    @staticmethod
    def _is_large(body: bytes | None) -> bool:
        return body is not None and len(body) > INLINE_PARSE_BYTES

    async def _off_loop_if_large(self, body: bytes | None, work: Callable[..., T], *args: Any) -> T:
        """``work(*args)``: inline for a small (or no) body; for a big one in a worker thread, a few at a
        time, since decoding holds the GIL and every thread doing it takes turns away from the loop."""
        if not self._is_large(body):
            return work(*args)
        return await anyio.to_thread.run_sync(work, *args, limiter=self.large_body_work)

    async def _authenticate(
        self,
        request: HttpRequest,
        service: str,
        op: Any,
        auth_params: AnyAuthParams | None,
        body: bytes | None,
        path_style_raw_path: str,
    ) -> tuple[Any, sigv4.SigV4Auth | None]:
        from hutch.auth.principal import anonymous

        needs_auth = requires_auth(op)
        if auth_params is None or (not needs_auth and service != "s3"):
            # Unsigned: S3 treats the caller as anonymous (bucket policies decide); operations the model
            # marks authtype "none" (InitiateAuth, GetId, ...) authenticate by their own tokens.
            if needs_auth and service != "s3":
                raise AuthFailure.missing()
            return anonymous(self.rt.account_id), None
        if isinstance(auth_params, sigv4.AuthParams):
            accepted = self.global_regions if service in _GLOBAL_SERVICES else self.regions
            sigv4.check_region(auth_params, accepted, self.rt.region)
        # A key seen before is answered from memory on the loop; only a first sight costs a thread hop.
        credential = self.rt.credentials.cached_access_key(auth_params.access_key_id)
        if credential is None:
            credential = await anyio.to_thread.run_sync(
                self.rt.credentials.lookup_access_key, auth_params.access_key_id
            )
        if credential is None:
            raise AuthFailure.unknown_key(auth_params.access_key_id)
        if isinstance(auth_params, sigv2.V2Params):
            if service != "s3":
                raise AuthFailure(AuthFailureKind.UNSUPPORTED, "Signature Version 2 is only accepted by S3.")
            auth = sigv2.verify_v2(
                request,
                auth_params,
                credential.secret_access_key,
                now=self.rt.now(),
                path_style_raw_path=path_style_raw_path,
            )
        else:
            auth = sigv4.verify(
                request, auth_params, credential.secret_access_key, now=self.rt.now(), body=body
            )
        if not credential.token_matches(auth.security_token):
            # A temporary key without its token is an unknown key to AWS; a wrong token is an invalid one.
            raise AuthFailure.token_invalid() if auth.security_token else AuthFailure.token_missing()
        if credential.expired(self.rt.now()):
            raise AuthFailure.token_expired()
        return credential.principal, auth

    async def _s3_body(
        self, auth: sigv4.SigV4Auth | None, request: HttpRequest, streaming: bool, limit: int
    ) -> tuple[Any, bytes | None]:
        from hutch.auth.chunked import decode_body

        decoded = decode_body(auth, request, aiter(request.body))
        if streaming:
            return decoded, None
        out = bytearray()
        async for chunk in decoded:
            out += chunk
            if len(out) > limit:
                raise ServiceError("MaxMessageLengthExceeded", "Your request was too big.", 400)
        return None, bytes(out)

    async def _s3_preflight(self, request: HttpRequest, request_id: str) -> HttpResponse:
        s3 = self.rt.services.get("s3")
        if s3 is None:
            raise ServiceError("CORSResponse", "CORS is not enabled for this bucket.", 403)
        result: HttpResponse = await anyio.to_thread.run_sync(s3.cors_preflight, request, request_id)
        return result

    # POST Object (a browser form upload) is not in botocore's model, so the codec cannot route it: the S3
    # service answers it whole. Its failures raise into handle's error handling like any handler's.
    def _is_s3_form_upload(self, s3_request: HttpRequest) -> bool:
        s3 = self.rt.services.get("s3")
        return s3 is not None and bool(s3.is_form_upload(s3_request))

    async def _s3_form_upload(
        self, request: HttpRequest, s3_request: HttpRequest, request_id: str, state: dict[str, Any]
    ) -> HttpResponse:
        state["operation"] = "PostObject"
        response: HttpResponse = await self.rt.services["s3"].post_object(
            request, s3_request, request_id, state
        )
        state["error"] = False
        self._finish(response, "s3", request_id, request)
        return response

    def _error(
        self,
        codec: ProtocolCodec | None,
        service: str,
        error: ServiceError,
        request_id: str,
        op: Any,
    ) -> HttpResponse:
        return (codec or codec_for(service)).serialize_error(error, request_id, op)

    def _finish(self, response: HttpResponse, service: str, request_id: str, request: HttpRequest) -> None:
        if service == "s3":
            response.set_header("x-amz-request-id", request_id)
            response.set_header("x-amz-id-2", host_id_for(request_id))
            s3 = self.rt.services.get("s3")
            if s3 is not None and request.headers.get("origin"):
                s3.add_cors_headers(request, response)
        else:
            response.set_header("x-amzn-RequestId", request_id)
            add_open_cors(request, response)


# An error answered before the body was read leaves the body on the connection. Small leftovers are read
# and dropped so the connection stays usable; a client waiting on "Expect: 100-continue" never sent its body,
# and anything big is not worth reading: those connections are closed after the response.
DRAIN_LIMIT = 1024 * 1024


async def _settle_unread_body(request: HttpRequest, response: HttpResponse) -> None:
    body = request.body
    if body.finished:
        return
    expects_continue = (request.headers.get("expect") or "").lower() == "100-continue"
    if not body.started and expects_continue:
        response.set_header("connection", "close")
        return
    try:
        length = int(request.headers.get("content-length") or "-1")
    except ValueError:
        length = -1
    if 0 <= length <= DRAIN_LIMIT:
        try:
            with anyio.fail_after(10):
                await body.drain()
            return
        except (TimeoutError, ClientDisconnected):
            pass
    response.set_header("connection", "close")


def _parse_and_handle(
    codec: ProtocolCodec,
    op: Any,
    request: HttpRequest,
    body: bytes | None,
    stream: AsyncIterator[bytes] | None,
    spec: OperationSpec,
    call: Call,
) -> Any:
    params = codec.parse(op, request, body, stream)
    return spec.handler(call, params)


async def _every(period: float, task: Any) -> None:
    while True:
        try:
            await anyio.to_thread.run_sync(task)
        except Exception:
            log.exception("maintenance task %s failed", getattr(task, "__qualname__", task))
        await anyio.sleep(period)


def _header_bytes(request: HttpRequest) -> int:
    return sum(len(k) + len(v) + 4 for k, v in request.headers.items())


def _request_from_scope(scope: dict[str, Any], receive: Any) -> HttpRequest:
    raw_path = scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else scope.get("path", "/")
    if "?" in path:  # some servers leave the query on raw_path
        path = path.split("?", 1)[0]
    client = scope.get("client") or ("127.0.0.1", 0)
    return HttpRequest(
        method=scope["method"],
        raw_path=path,
        query_string=scope.get("query_string", b"").decode("latin-1"),
        headers=Headers.from_asgi(scope.get("headers", [])),
        body=Body(receive),
        client_ip=client[0],
        scheme=scope.get("scheme", "http"),
    )


async def _send(send: Any, receive: Any, request: HttpRequest, response: HttpResponse) -> None:
    body = response.body
    headers = response.headers
    is_bytes = isinstance(body, bytes | bytearray)
    if is_bytes and response.header("content-length") is None:
        headers = [*headers, ("content-length", str(len(body)))]  # type: ignore[arg-type]
    raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1", "replace")) for k, v in headers]
    try:
        await send({"type": "http.response.start", "status": response.status, "headers": raw_headers})
        if request.method == "HEAD":
            await send({"type": "http.response.body", "body": b""})
        elif is_bytes:
            await send({"type": "http.response.body", "body": bytes(body)})  # type: ignore[arg-type]
        else:
            await _stream(send, receive, request, body)  # type: ignore[arg-type]
    except OSError:
        pass  # the client went away mid-response; nothing to tell it
    finally:
        aclose = getattr(body, "aclose", None)
        if aclose is not None:
            await aclose()
        if response.on_close is not None:
            response.on_close()


async def _stream(send: Any, receive: Any, request: HttpRequest, body: AsyncIterator[bytes]) -> None:
    """Send a streamed body, stopping as soon as the client disconnects: uvicorn silently drops what is
    sent after a disconnect, so without watching we would read a multi-GB object to the end for nobody."""
    async with anyio.create_task_group() as tasks:

        async def watch_for_disconnect() -> None:
            if not request.body.finished:
                if (
                    request.headers.get("transfer-encoding")
                    or (request.headers.get("content-length") or "0") != "0"
                ):
                    return  # a request body is still unread: receive() would hand us its bytes
                await request.body.drain()  # the one empty body message comes before any disconnect
            while (await receive())["type"] != "http.disconnect":
                pass
            tasks.cancel_scope.cancel()

        tasks.start_soon(watch_for_disconnect)
        async for chunk in body:
            if chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        tasks.cancel_scope.cancel()
