"""The servers under test, each started fresh for a run and stopped at its end.

hutch (``python -m hutch serve``) and its peers: moto server (S3 and both Cognito services, no enforcement),
cognito-local (user pools, no SRP, passwords kept in plain text) and nginx (static files and WebDAV PUT: the
practical limit for moving object bytes over HTTP on this machine). Each listens on a loopback port the OS
hands out and is measured as its process tree (see procs.py).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import free_port

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
REGION = "us-east-1"


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _clean_env() -> dict[str, str]:
    """The environment without AWS or HUTCH settings that would change how a server behaves."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("HUTCH_", "AWS_"))}


@dataclass(kw_only=True)
class Server:
    """A server process on 127.0.0.1:port, its working directory and its log."""

    name: str
    workdir: Path
    enforcement: str  # what the server checks, for the report
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    version: str = ""

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} is not running"
        return self.process.pid

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str]:
        return _clean_env()

    def prepare(self) -> None:
        """Anything to lay down in ``workdir`` before the process starts."""

    def ready(self) -> bool:
        return _port_open(self.port)

    def start(self, timeout: float = 60.0) -> Server:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.prepare()
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command(), cwd=self.workdir, env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log_tail()}")
            if self.ready():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not come up in {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


@dataclass(kw_only=True)
class Hutch(Server):
    name: str = "hutch"
    enforcement: str = "full: SigV4 verified, tokens verified, trust and permission policies evaluated"

    @property
    def data_dir(self) -> Path:
        return self.workdir / "data"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "hutch",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
            "--region",
            REGION,
            "--log-level",
            "warning",
        ]

    def ready(self) -> bool:
        import httpx

        try:
            return httpx.get(self.endpoint + "/_hutch/health", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def start(self, timeout: float = 60.0) -> Server:
        from hutch import __version__

        self.version = __version__
        return super().start(timeout)

    def root_credentials(self) -> dict[str, str]:
        data = json.loads((self.data_dir / "root-credentials.json").read_text())
        return {
            "aws_access_key_id": data["access_key_id"],
            "aws_secret_access_key": data["secret_access_key"],
        }


@dataclass(kw_only=True)
class Moto(Server):
    name: str = "moto"
    enforcement: str = "none: signatures, tokens and policies are not checked (moto server's default)"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]

    def start(self, timeout: float = 60.0) -> Server:
        from importlib.metadata import version

        self.version = version("moto")
        return super().start(timeout)

    @staticmethod
    def root_credentials() -> dict[str, str]:
        return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


NODE_DIR = BENCH_DIR / "node"


@dataclass(kw_only=True)
class CognitoLocal(Server):
    name: str = "cognito-local"
    enforcement: str = "none: no SigV4, no SRP, passwords compared in plain text"

    @property
    def package_dir(self) -> Path:
        return NODE_DIR / "node_modules" / "cognito-local"

    @property
    def db_dir(self) -> Path:
        return self.workdir / ".cognito" / "db"

    def command(self) -> list[str]:
        node = shutil.which("node") or "node"
        return [node, str(self.package_dir / "lib" / "bin" / "start.js")]

    def env(self) -> dict[str, str]:
        return {**_clean_env(), "PORT": str(self.port), "HOST": "127.0.0.1"}

    def start(self, timeout: float = 60.0) -> Server:
        self.version = json.loads((self.package_dir / "package.json").read_text())["version"]
        return super().start(timeout)


NGINX_CONF = """\
{user}worker_processes {workers};
daemon off;
master_process on;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    client_body_temp_path {dir}/body-temp;
    proxy_temp_path {dir}/proxy-temp;
    fastcgi_temp_path {dir}/fastcgi-temp;
    uwsgi_temp_path {dir}/uwsgi-temp;
    scgi_temp_path {dir}/scgi-temp;
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {dir}/www;
        client_max_body_size 0;
        client_body_buffer_size 128k;
        location / {{
            dav_methods PUT DELETE;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
        }}
    }}
}}
"""


@dataclass(kw_only=True)
class Nginx(Server):
    name: str = "nginx"
    enforcement: str = "none: plain files, GET and WebDAV PUT with no authentication"
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)

    @property
    def www(self) -> Path:
        return self.workdir / "www"

    def prepare(self) -> None:
        self.www.mkdir(parents=True, exist_ok=True)
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = NGINX_CONF.format(user=user, workers=self.workers, dir=self.workdir, port=self.port)
        (self.workdir / "nginx.conf").write_text(conf)

    def command(self) -> list[str]:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        return [binary, "-p", str(self.workdir), "-c", str(self.workdir / "nginx.conf")]

    def start(self, timeout: float = 60.0) -> Server:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        out = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
        self.version = (out.stderr or out.stdout).strip().rsplit("/", 1)[-1]
        return super().start(timeout)
