"""Wire models of protocol /v1 (docs/sync-protocol.md); FastAPI builds the OpenAPI from them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ID = r"^[0-9A-Za-z][0-9A-Za-z_.:-]{0,35}$"
KIND = r"^[a-z][a-z0-9_.]{0,39}$"
STREAM = r"^[a-z][a-z0-9_]{0,39}$"
HEX64 = r"^[0-9a-f]{64}$"

RecordStatus = Literal["accepted", "duplicate", "conflict", "invalid", "deferred"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrollRequest(Strict):
    code: str = Field(min_length=4, max_length=40)
    pubkey: str = Field(description="base64 of the kiosk's raw 32-byte Ed25519 public key",
                        min_length=40, max_length=64)
    station: str = Field(default="", max_length=60,
                         description="station code the kiosk believes it serves (checked)")


class EnrollReply(BaseModel):
    kiosk_id: str
    station: str
    server_time: float


class ChallengeReply(BaseModel):
    nonce: str
    expires_in: float
    server_time: float


class TokenRequest(Strict):
    kiosk_id: str = Field(max_length=36)
    nonce: str = Field(max_length=64)
    signature: str = Field(description="base64 Ed25519 signature of token_message(kiosk_id, "
                                       "nonce)", max_length=100)


class TokenReply(BaseModel):
    token: str
    expires_in: float
    server_time: float


class PushRecord(Strict):
    id: str = Field(pattern=ID, description="kiosk-made id (UUIDv7), the idempotency key")
    kind: str = Field(pattern=KIND)
    schema_: int = Field(alias="schema", ge=1, le=1000)
    local_seq: int = Field(ge=1)
    created_local: str = Field(default="", max_length=40)
    sha256: str = Field(pattern=HEX64, description="sha256 of the UTF-8 body text")
    body: str = Field(description="the record as canonical JSON text")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PushRequest(Strict):
    kiosk_id: str = Field(max_length=36)
    batch_id: str = Field(max_length=36)
    records: list[PushRecord]


class RecordResult(BaseModel):
    id: str
    status: RecordStatus
    receipt: str | None = None
    error: str | None = None


class PushReply(BaseModel):
    server_time: float
    results: list[RecordResult]


class Change(BaseModel):
    seq: int
    entity: str = Field(description="the stream the entity belongs to")
    id: str
    op: Literal["upsert", "delete"]
    version: int
    data: Any = None


class PullReply(BaseModel):
    stream: str
    changes: list[Change]
    next_cursor: str
    has_more: bool
    server_time: float


class SnapshotItem(BaseModel):
    id: str
    op: Literal["upsert", "delete"]
    version: int
    data: Any = None


class SnapshotReply(BaseModel):
    stream: str
    items: list[SnapshotItem]
    next_after: str
    has_more: bool
    cursor: str = Field(description="resume GET /v1/pull from here once every page is applied")
    server_time: float


class FactsRequest(Strict):
    id_number: str = Field(min_length=15, max_length=18)


class FactsReply(BaseModel):
    found: bool
    facts: dict[str, Any] = Field(default_factory=dict)
    as_of: str | None = None
    server_time: float


class ApplicationState(BaseModel):
    id: str
    number: str
    status: str
    status_text: str
    updated_at: str


class ApplicationStatusReply(BaseModel):
    applications: list[ApplicationState]
    server_time: float


class HeartbeatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    pending: int = 0
    oldest_age_s: float | None = None
    rejected: int = 0
    conflict: int = 0
    free_disk_mb: float | None = None
    clock_offset_s: float | None = None
    app_ver: str = ""


class Ack(BaseModel):
    ok: bool = True
    server_time: float


class ErrorReply(BaseModel):
    error: str = Field(description="machine-readable cause: bad_request, unauthorized, revoked, "
                                   "cursor_expired, too_large, rate_limited, ...")
    detail: str = ""
