"""The FastAPI application of protocol /v1; ``create_app`` builds it around one Store.

Endpoints are plain ``def`` functions: FastAPI runs them on its worker threads, so blocking
database calls never stall the event loop. Request bodies may arrive gzip-compressed; the
middleware below inflates them (with the same size limit) before FastAPI parses them.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central import applications, auth, facts, streams
from central.db import Store
from central.errors import ApiError
from central.faults import Faults
from central.ingest import SchemaRange, ingest
from central.schemas import (
    Ack,
    ApplicationStatusReply,
    ChallengeReply,
    EnrollReply,
    EnrollRequest,
    ErrorReply,
    FactsReply,
    FactsRequest,
    HeartbeatRequest,
    PullReply,
    PushReply,
    PushRequest,
    SnapshotReply,
    TokenReply,
    TokenRequest,
)

STREAM_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


@dataclass
class ServerSettings:
    token_ttl_s: float = 900.0
    challenge_ttl_s: float = 120.0
    max_batch_records: int = 100
    max_body_bytes: int = 2 * 1024 * 1024  # after inflating; batches are ≤ 1 MiB of records
    schemas: SchemaRange = field(default_factory=SchemaRange)


def _error(status: int, error: str, detail: str = "",
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


class RequestLimits:
    """ASGI middleware: refuse bodies over the limit (413) and inflate gzip request bodies."""

    def __init__(self, app: ASGIApp, max_bytes: int, faults: Faults | None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.faults is not None:
            injected = self.faults.injected_status(scope["path"])
            if injected is not None:
                status, extra = injected
                await _error(status, "injected", "fault injection", extra)(scope, receive,
                                                                           send)
                return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _error(413, "too_large", f"body over {self.max_bytes} bytes")(
                scope, receive, send)
            return
        if headers.get(b"content-encoding", b"").lower() != b"gzip":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            chunks.append(chunk)
            more = message.get("more_body", False)
            if size > self.max_bytes:
                await _error(413, "too_large", "body too large")(scope, receive, send)
                return
        try:
            inflater = zlib.decompressobj(wbits=31)
            body = inflater.decompress(b"".join(chunks), self.max_bytes + 1)
        except zlib.error:
            await _error(400, "bad_request", "body is not valid gzip")(scope, receive, send)
            return
        if len(body) > self.max_bytes or inflater.unconsumed_tail:
            await _error(413, "too_large", f"inflated body over {self.max_bytes} bytes")(
                scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope["headers"]
                            if k not in (b"content-encoding", b"content-length")] + \
            [(b"content-length", str(len(body)).encode())]
        sent = False

        async def inflated() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, inflated, send)


def _caller(request: Request) -> auth.Caller:
    return auth.authenticate(request.app.state.store, request.headers.get("authorization"))


Caller = Annotated[auth.Caller, Depends(_caller)]

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorReply} for code in (400, 401, 403, 409, 410, 413, 429, 503)}


def create_app(store: Store, settings: ServerSettings | None = None,
               faults: Faults | None = None) -> FastAPI:
    """The /v1 API over ``store``; ``faults`` is only for the fault-injection tests."""
    settings = settings or ServerSettings()
    app = FastAPI(title="乐业西青 central server", version="1",
                  description="Protocol /v1 between kiosks and the district server. "
                              "See docs/sync-protocol.md.")
    app.add_middleware(GZipMiddleware, minimum_size=4096, compresslevel=1)
    app.add_middleware(RequestLimits, max_bytes=settings.max_body_bytes, faults=faults)
    app.state.store = store
    app.state.settings = settings

    @app.exception_handler(ApiError)
    def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.error, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    def _bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(400, "bad_request", f"{where}: {first.get('msg', 'invalid')}")

    @app.get("/v1/health", response_model=Ack)
    def health() -> dict[str, Any]:
        """Liveness for load balancers and the kiosk's connectivity probe."""
        return {"ok": True, "server_time": time.time()}

    @app.post("/v1/enroll", response_model=EnrollReply, responses=ERRORS)
    def enroll(req: EnrollRequest) -> dict[str, Any]:
        """Spend a one-time code (``kiosk-central enroll-code``) and register the kiosk's key."""
        who = auth.enroll(store, req.code, req.pubkey, req.station)
        return {"kiosk_id": who.kiosk_id, "station": who.station, "server_time": time.time()}

    @app.get("/v1/challenge", response_model=ChallengeReply)
    def challenge() -> dict[str, Any]:
        """A single-use nonce for the kiosk to sign."""
        nonce = auth.new_challenge(store, ttl_s=settings.challenge_ttl_s)
        return {"nonce": nonce, "expires_in": settings.challenge_ttl_s,
                "server_time": time.time()}

    @app.post("/v1/token", response_model=TokenReply, responses=ERRORS)
    def token(req: TokenRequest) -> dict[str, Any]:
        """Exchange a signed nonce for a short-lived bearer token (the server judges expiry)."""
        value = auth.issue_token(store, req.kiosk_id, req.nonce, req.signature,
                                 ttl_s=settings.token_ttl_s)
        return {"token": value, "expires_in": settings.token_ttl_s, "server_time": time.time()}

    @app.post("/v1/push", response_model=PushReply, responses=ERRORS)
    def push(req: PushRequest, who: Caller) -> dict[str, Any]:
        """Store records exactly once; one answer per record."""
        if len(req.records) > settings.max_batch_records:
            raise ApiError(413, "too_large",
                           f"at most {settings.max_batch_records} records per batch")
        results = ingest(store, who, req.records, settings.schemas)
        if faults is not None:
            faults.after_commit()
        return {"server_time": time.time(), "results": results}

    @app.get("/v1/pull", response_model=PullReply, responses=ERRORS)
    def pull(who: Caller, stream: Annotated[str, Query(pattern=STREAM_PATTERN)],
             cursor: str = "", limit: Annotated[int, Query(ge=1, le=2000)] = 500
             ) -> dict[str, Any]:
        """Changes to ``stream`` after ``cursor``; 410 ``cursor_expired`` → use /v1/snapshot."""
        return {**streams.pull(store, stream, cursor, limit), "server_time": time.time()}

    @app.get("/v1/snapshot", response_model=SnapshotReply, responses=ERRORS)
    def snapshot(who: Caller, stream: Annotated[str, Query(pattern=STREAM_PATTERN)],
                 after: str = "", limit: Annotated[int, Query(ge=1, le=5000)] = 1000
                 ) -> Response:
        """The stream's current state by id, page by page (deletions as tombstones)."""
        return Response(streams.snapshot_json(store, stream, after, limit, time.time()),
                        media_type="application/json")

    @app.post("/v1/facts", response_model=FactsReply, responses=ERRORS)
    def resident_facts(req: FactsRequest, who: Caller) -> dict[str, Any]:
        """Facts about one resident from the district's records (contracts/resident-facts)."""
        found = facts.lookup(store, req.id_number)
        if found is None:
            return {"found": False, "facts": {}, "as_of": None, "server_time": time.time()}
        return {"found": True, "facts": found[0], "as_of": found[1],
                "server_time": time.time()}

    @app.get("/v1/applications/status", response_model=ApplicationStatusReply,
             responses=ERRORS)
    def application_status(who: Caller, ids: str = "") -> dict[str, Any]:
        """Where this station's applications stand (comma-separated ids, at most 200)."""
        wanted = [i for i in ids.split(",") if i][:200]
        return {"applications": applications.statuses(store, who.station, wanted),
                "server_time": time.time()}

    @app.post("/v1/heartbeat", response_model=Ack, responses=ERRORS)
    def heartbeat(req: HeartbeatRequest, who: Caller) -> dict[str, Any]:
        """Device health, so the district sees kiosks that have gone quiet."""
        auth.record_heartbeat(store, who, req.model_dump())
        return {"ok": True, "server_time": time.time()}

    return app

