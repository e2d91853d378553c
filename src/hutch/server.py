"""Start the ASGI app under uvicorn (uvloop + httptools), with TLS when asked."""

from __future__ import annotations

import fcntl
import logging
import resource
import signal
import socket
import sys
from pathlib import Path
from types import FrameType
from typing import IO, Any, NoReturn

import uvicorn

from hutch import __version__, identity, tls
from hutch.app import HutchApp
from hutch.config import Config
from hutch.connections import OVERFLOW_CONNECTIONS, protocol_class
from hutch.requestlog import configure as configure_logging
from hutch.runtime import Runtime

log = logging.getLogger("hutch")


def banner(rt: Runtime, notes: str | None) -> str:
    config = rt.config
    inst = rt.installation
    lines = [
        f"hutch {__version__} on {config.base_url}  (region {config.region}, account {inst.account_id})",
        f"data: {config.data_dir}  ({'SQLite' if not config.database_url else 'external database'} + files)",
    ]
    if notes:
        lines.append(notes)
    if inst.root.from_env:
        lines.append(f"root credentials: from the environment (access key {inst.root.access_key_id})")
    else:
        lines.append(f"root credentials (kept in {config.data_dir / identity.ROOT_FILE}, mode 0600):")
        lines.extend("  " + line for line in identity.export_lines(inst, config.base_url, config.region))
    lines.append(f"health: {config.base_url}/_hutch/health")
    return "\n".join(lines)


class _Server(uvicorn.Server):
    """uvicorn, except that a stop asked for by SIGINT/SIGTERM ends with exit status 0 after the graceful
    shutdown (uvicorn re-raises the signal, which turns Ctrl-C into a traceback)."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        else:
            self.should_exit = True


def run(config: Config) -> None:
    configure_logging(config.log_level)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    lock = _lock_data_dir(config.data_dir)
    sock = _bind(config.host, config.port)
    rt = Runtime(config)
    ssl_kwargs: dict[str, str] = {}
    cert_note = None
    if config.tls:
        cert_path, key_path, ca_path = tls.ensure_certificate(config)
        ssl_kwargs = {"ssl_certfile": str(cert_path), "ssl_keyfile": str(key_path)}
        if ca_path is not None:
            cert_note = (
                f"TLS: certificate signed by hutch's CA {ca_path} (AWS_CA_BUNDLE / NODE_EXTRA_CA_CERTS)"
            )
    fd_note = _ensure_file_descriptors(config.max_connections)
    identity.announce(config.data_dir, config.base_url, config.region)
    print(banner(rt, "\n".join(note for note in (cert_note, fd_note) if note) or None), flush=True)
    server = _Server(uvicorn_config(HutchApp(rt), config, ssl_kwargs))
    try:
        server.run(sockets=[sock])
    finally:
        identity.withdraw(config.data_dir)
        lock.close()
    log.info("stopped")


def uvicorn_config(app: Any, config: Config, ssl_kwargs: dict[str, str]) -> uvicorn.Config:
    """uvicorn's settings for hutch: uvloop + httptools with hutch's connection limits.

    X-Forwarded-For / X-Forwarded-Proto decide aws:SourceIp and aws:SecureTransport, so uvicorn may only
    believe them from the proxies the operator named (uvicorn's default trusts every local client).
    """
    return uvicorn.Config(
        app,
        loop="uvloop",
        http=protocol_class(config.header_timeout, config.max_connections),
        lifespan="on",
        access_log=False,
        log_level="warning",
        timeout_keep_alive=30,
        limit_concurrency=config.max_connections,
        proxy_headers=bool(config.trusted_proxies),
        forwarded_allow_ips=list(config.trusted_proxies),
        server_header=False,
        date_header=True,
        **ssl_kwargs,  # type: ignore[arg-type]
    )


# Descriptors kept free for what is not a client connection: the database, blob files, the log, TLS files.
_RESERVED_DESCRIPTORS = 256


def _ensure_file_descriptors(max_connections: int) -> str | None:
    """Raise the soft open-files limit (up to the hard one) so the connection cap is reached before it;
    a note for the banner when even the hard limit is too low."""
    needed = max_connections + OVERFLOW_CONNECTIONS + _RESERVED_DESCRIPTORS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return None
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):
        target = soft
    if target >= needed:
        return None
    return (
        f"warning: the open-files limit ({target}) is below --max-connections {max_connections} plus"
        f" {needed - max_connections} for everything else; raise `ulimit -n` or lower --max-connections"
    )


def _fail(message: str) -> NoReturn:
    print(f"hutch: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def _lock_data_dir(data_dir: Path) -> IO[str]:
    """One server per data directory: SQLite, the blobs and the announced endpoint are its alone."""
    handle = (data_dir / ".lock").open("a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        running = identity.announced_endpoint(data_dir)
        where = f" at {running}" if running else ""
        _fail(f"another hutch is already serving {data_dir}{where}; stop it or use another --data-dir")
    return handle


def _bind(host: str, port: int) -> socket.socket:
    """Bind before anything is announced, so a busy port is a clear error and not a half-started server."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        _fail(f"cannot resolve --host {host}: {exc}")
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        _fail(f"cannot listen on {host}:{port}: {exc.strerror} (is another server using it? try --port)")
    sock.set_inheritable(True)
    return sock
