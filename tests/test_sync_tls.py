"""TLS: the kiosk verifies the server against a configurable CA file, and a certificate
that looks "not yet valid" (what a kiosk clock a year behind sees) is reported as "clock"."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from central import auth
from central.db import Store
from central.server import ServerThread
from central.testing import assert_exactly_once, queue, sync_engine
from kiosk.config import SyncConfig
from kiosk.store.engine import Database
from kiosk.sync import SyncError, enroll_kiosk


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_pki(folder: Path, *, server_starts_in_days: float = -1) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 signed by it; returns (ca, cert, key)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("Xiqing test CA"))
          .issuer_name(_name("Xiqing test CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=2))
          .not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    start = now + dt.timedelta(days=server_starts_in_days)
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1"))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


def test_https_with_the_districts_own_ca(tmp_path: Path, kiosk_home: Path) -> None:
    ca, cert, key = make_pki(tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'central.sqlite3'}").open()
    with ServerThread(store, tls_cert=str(cert), tls_key=str(key)) as server:
        assert server.url.startswith("https://")
        db = Database(kiosk_home / "data" / "kiosk.sqlite3").open()
        with pytest.raises(SyncError) as refused:  # the system CAs do not know this server
            enroll_kiosk(db, kiosk_home / "data", server.url,
                         auth.issue_enroll_code(store, "XQ-YLQ-01"), "XQ-YLQ-01")
        assert refused.value.kind == "auth" and "not trusted" in refused.value.detail
        enroll_kiosk(db, kiosk_home / "data", server.url,
                     auth.issue_enroll_code(store, "XQ-YLQ-01"), "XQ-YLQ-01", ca_file=str(ca))
        queue(db, 12)
        engine = sync_engine(db, kiosk_home, config=SyncConfig(interval_s=3600,
                                                               ca_file=str(ca)))
        status = engine.run_once()
        engine.stop()
        assert status.last_error is None and status.pending == 0
        assert assert_exactly_once(db, store) == 12
        db.close()
    store.close()


def test_certificate_not_yet_valid_is_reported_as_clock(tmp_path: Path,
                                                         kiosk_home: Path) -> None:
    ca, _, _ = make_pki(tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'central.sqlite3'}").open()
    with ServerThread(store) as plain:  # enroll over a good channel first
        db = Database(kiosk_home / "data" / "kiosk.sqlite3").open()
        enroll_kiosk(db, kiosk_home / "data", plain.url,
                     auth.issue_enroll_code(store, "XQ-YLQ-01"), "XQ-YLQ-01")
    future = tmp_path / "future"
    future.mkdir()
    ca, cert, key = make_pki(future, server_starts_in_days=400)
    with ServerThread(store, tls_cert=str(cert), tls_key=str(key)) as server:
        queue(db, 3)
        engine = sync_engine(db, kiosk_home, config=SyncConfig(
            interval_s=3600, ca_file=str(ca), server_url=server.url))
        status = engine.run_once()
        engine.stop()
        assert status.last_error == "clock" and status.pending == 3
        assert "时间" in (status.last_error_text or "")
    db.close()
    store.close()
