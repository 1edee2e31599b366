"""The HTTP side of protocol /v1: requests, tokens, and every failure sorted into the few
causes station staff are shown (offline, server, auth, clock, revoked).

A 401 refreshes the token and repeats the request once, without counting as a failure: a
retry budget spent on expired tokens is how other systems ended up deleting data
(Truxify#11487, fhircore#1991). The server judges token expiry, so the kiosk clock is never
consulted for it; the clock offset is measured from each answer's ``server_time``.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.sync.credentials import public_key_b64, sign_b64
from kiosk.sync.protocol import API, GZIP_OVER_BYTES, token_message

Clock = Callable[[], float]


class SyncError(Exception):
    """A request that did not get a usable answer.

    ``kind`` is what staff see: offline, server, auth, clock, revoked (and, for the push
    logic, bad_request / too_large / cursor_expired, which it handles itself).
    """

    def __init__(self, kind: str, detail: str, *, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.status = status
        self.retry_after = retry_after


def tls_verify(ca_file: str) -> ssl.SSLContext | bool:
    """Verify against the system CAs, or against ``ca_file`` for a district's own CA."""
    if not ca_file:
        return True
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise SyncError("auth", f"CA file {ca_file} cannot be used: {exc}") from exc


def _tls_cause(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def classify_transport(exc: httpx.TransportError) -> SyncError:
    cert = _tls_cause(exc)
    if cert is not None:
        text = str(cert.verify_message or cert)
        if "not yet valid" in text or "expired" in text:
            return SyncError("clock", f"server certificate looks {text}: is the kiosk's clock "
                                      "right?")
        return SyncError("auth", f"server certificate not trusted: {text}")
    if isinstance(exc, httpx.TimeoutException):
        return SyncError("offline", f"no answer in time ({type(exc).__name__})")
    return SyncError("offline", f"cannot reach the server ({type(exc).__name__}: {exc})")


def retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds; an HTTP-date is read against the server's own Date header so
    a wrong kiosk clock does not turn it into a year."""
    raw = response.headers.get("retry-after")
    if not raw:
        return None
    raw = raw.strip()
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
        now = email.utils.parsedate_to_datetime(response.headers.get("date", ""))
        return max(0.0, (when - now).total_seconds())
    except (TypeError, ValueError):
        return None


@dataclass
class Answer:
    data: dict[str, Any]
    status: int


class SyncClient:
    """One kiosk's connection to its server. Thread-safe: the sync thread and a facts lookup
    on another thread may use it at once (httpx's pool is; the token is under a lock)."""

    def __init__(self, server_url: str, kiosk_id: str, key: Ed25519PrivateKey, *,
                 ca_file: str = "", timeout: httpx.Timeout | None = None,
                 wall: Clock = time.time, transport: httpx.BaseTransport | None = None
                 ) -> None:
        self.kiosk_id = kiosk_id
        self._key = key
        self._wall = wall
        self._token: str | None = None
        self._token_lock = threading.Lock()
        self.clock_offset_s: float | None = None
        self.server_time: float | None = None
        self._http = httpx.Client(
            base_url=server_url.rstrip("/"), verify=tls_verify(ca_file), transport=transport,
            timeout=timeout or httpx.Timeout(60.0, connect=10.0),
            headers={"User-Agent": "lexy-kiosk-sync/1"})

    def close(self) -> None:
        self._http.close()

    # -- tokens ---------------------------------------------------------------------------
    def _fetch_token(self, timeout: float | None) -> str:
        challenge = self._call("GET", f"{API}/challenge", auth=False, timeout=timeout).data
        nonce = str(challenge["nonce"])
        reply = self._call("POST", f"{API}/token", auth=False, timeout=timeout, body={
            "kiosk_id": self.kiosk_id, "nonce": nonce,
            "signature": sign_b64(self._key, token_message(self.kiosk_id, nonce))}).data
        return str(reply["token"])

    def _current_token(self, timeout: float | None) -> str:
        with self._token_lock:
            if self._token is None:
                self._token = self._fetch_token(timeout)
            return self._token

    def _drop_token(self, stale: str) -> None:
        with self._token_lock:
            if self._token == stale:
                self._token = None

    def forget_token(self) -> None:
        with self._token_lock:
            self._token = None

    # -- requests -------------------------------------------------------------------------
    def request(self, method: str, path: str, *, body: Any = None,
                params: dict[str, Any] | None = None, timeout: float | None = None) -> Answer:
        """An authenticated request; a 401 gets one fresh token and one more try."""
        for attempt in (1, 2):
            token = self._current_token(timeout)
            try:
                return self._call(method, path, body=body, params=params, token=token,
                                  timeout=timeout)
            except SyncError as exc:
                if exc.status != 401 or attempt == 2:
                    raise
                self._drop_token(token)
        raise AssertionError("unreachable")  # pragma: no cover

    def _call(self, method: str, path: str, *, body: Any = None,
              params: dict[str, Any] | None = None, token: str | None = None,
              auth: bool = True, timeout: float | None = None) -> Answer:
        headers: dict[str, str] = {}
        content: bytes | None = None
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
            if len(content) > GZIP_OVER_BYTES:
                content = gzip.compress(content, compresslevel=1)
                headers["Content-Encoding"] = "gzip"
        sent = self._wall()
        try:
            response = self._http.request(method, path, content=content, params=params,
                                          headers=headers,
                                          timeout=httpx.USE_CLIENT_DEFAULT if timeout is None
                                          else timeout)
        except httpx.TransportError as exc:
            raise classify_transport(exc) from exc
        received = self._wall()
        return self._answer(response, (sent + received) / 2)

    def _answer(self, response: httpx.Response, local_midpoint: float) -> Answer:
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        server_time = data.get("server_time")
        if isinstance(server_time, int | float):
            self.server_time = float(server_time)
            self.clock_offset_s = float(server_time) - local_midpoint
        elif "date" in response.headers:
            try:
                stamp = email.utils.parsedate_to_datetime(response.headers["date"]).timestamp()
                self.clock_offset_s = stamp - local_midpoint
            except (TypeError, ValueError):
                pass
        status = response.status_code
        if status < 300:
            return Answer(data, status)
        error = str(data.get("error", "")) or f"HTTP {status}"
        detail = str(data.get("detail", "")) or response.reason_phrase
        if status == 401:
            raise SyncError("auth", f"{error}: {detail}", status=status)
        if status == 403:
            kind = "revoked" if error == "revoked" else "auth"
            raise SyncError(kind, f"{error}: {detail}", status=status)
        if status == 400:
            raise SyncError("bad_request", detail, status=status)
        if status == 413:
            raise SyncError("too_large", detail, status=status)
        if status == 410:
            raise SyncError("cursor_expired", detail, status=status)
        if status in (429, 503):
            raise SyncError("server", f"server busy (HTTP {status})", status=status,
                            retry_after=retry_after(response))
        raise SyncError("server", f"HTTP {status}: {error} {detail}".strip(), status=status)

    # -- protocol calls -------------------------------------------------------------------
    def push(self, batch_id: str, records: list[dict[str, Any]]) -> dict[str, Any]:
        return self.request("POST", f"{API}/push", body={
            "kiosk_id": self.kiosk_id, "batch_id": batch_id, "records": records}).data

    def pull(self, stream: str, cursor: str, limit: int) -> dict[str, Any]:
        return self.request("GET", f"{API}/pull", params={
            "stream": stream, "cursor": cursor, "limit": limit}).data

    def snapshot(self, stream: str, after: str, limit: int) -> dict[str, Any]:
        return self.request("GET", f"{API}/snapshot", params={
            "stream": stream, "after": after, "limit": limit}).data

    def facts(self, id_number: str, timeout: float) -> dict[str, Any]:
        return self.request("POST", f"{API}/facts", body={"id_number": id_number},
                            timeout=timeout).data

    def application_status(self, ids: list[str]) -> list[dict[str, Any]]:
        data = self.request("GET", f"{API}/applications/status",
                            params={"ids": ",".join(ids)}).data
        return list(data.get("applications", []))

    def heartbeat(self, health: dict[str, Any]) -> None:
        self.request("POST", f"{API}/heartbeat", body=health)


def enroll(server_url: str, code: str, station: str, key: Ed25519PrivateKey, *,
           ca_file: str = "", timeout: float = 20.0,
           transport: httpx.BaseTransport | None = None) -> tuple[str, str]:
    """Spend a one-time code; returns (kiosk_id, station) as the server recorded them."""
    try:
        with httpx.Client(base_url=server_url.rstrip("/"), verify=tls_verify(ca_file),
                          timeout=timeout, transport=transport) as http:
            response = http.post(f"{API}/enroll", json={
                "code": code, "pubkey": public_key_b64(key), "station": station})
    except httpx.TransportError as exc:
        raise classify_transport(exc) from exc
    except httpx.InvalidURL as exc:
        raise SyncError("offline", f"server URL {server_url!r} is not usable: {exc}") from exc
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.status_code != 200:
        error = data.get("error", f"HTTP {response.status_code}") if isinstance(data, dict) \
            else f"HTTP {response.status_code}"
        detail = data.get("detail", "") if isinstance(data, dict) else ""
        raise SyncError("auth", f"enrollment refused: {error} {detail}".strip(),
                        status=response.status_code)
    return str(data["kiosk_id"]), str(data["station"])
