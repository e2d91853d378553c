"""HTTPS material: a CA and a server certificate generated once per data directory, or the operator's own.

Clients trust the CA via AWS_CA_BUNDLE (boto3, AWS CLI) or NODE_EXTRA_CA_CERTS (Node SDKs, Amplify).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from hutch.config import Config

TLS_DIR = "tls"


def ca_path(data_dir: Path) -> Path:
    return data_dir / TLS_DIR / "ca.pem"


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _names(config: Config) -> tuple[list[str], list[str]]:
    # Virtual-hosted buckets need a wildcard, and clients refuse one directly under a single label
    # (*.localhost), so buckets on this machine are addressed as <bucket>.s3.localhost.
    dns = {"localhost", "s3.localhost", "*.s3.localhost"}
    ips = {"127.0.0.1", "::1"}
    for host in (config.host, urlsplit(config.base_url).hostname or ""):
        if not host or host in ("0.0.0.0", "::"):  # noqa: S104 - comparing, not binding
            continue
        try:
            ipaddress.ip_address(host)
            ips.add(host)
        except ValueError:
            dns.add(host)
            if "." in host:
                dns.add("*." + host)  # virtual-hosted buckets
    return sorted(dns), sorted(ips)


def _load_or_create_ca(directory: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert_file, key_file = directory / "ca.pem", directory / "ca-key.pem"
    if cert_file.exists() and key_file.exists():
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return cert, key
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"hutch local CA {os.urandom(4).hex()}")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(
        key_file,
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        0o600,
    )
    _write(cert_file, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return cert, key


def ensure_certificate(config: Config) -> tuple[Path, Path, Path | None]:
    """(certificate, key, CA or None when the operator brought their own)."""
    if config.tls_cert is not None and config.tls_key is not None:
        return config.tls_cert, config.tls_key, None
    directory = config.data_dir / TLS_DIR
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    ca_cert, ca_key = _load_or_create_ca(directory)
    dns, ips = _names(config)
    cert_file, key_file = directory / "server.pem", directory / "server-key.pem"
    if cert_file.exists() and key_file.exists():
        existing = x509.load_pem_x509_certificate(cert_file.read_bytes())
        san = existing.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        have = set(san.get_values_for_type(x509.DNSName)) | {
            str(i) for i in san.get_values_for_type(x509.IPAddress)
        }
        fresh = existing.not_valid_after_utc > dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
        if fresh and set(dns) | set(ips) <= have:
            return cert_file, key_file, directory / "ca.pem"
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    san_values: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
    san_values += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns[0] if dns else "localhost")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=825))
        .add_extension(x509.SubjectAlternativeName(san_values), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write(
        key_file,
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        0o600,
    )
    _write(cert_file, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return cert_file, key_file, directory / "ca.pem"
