"""Start a real hutch server in a subprocess for integration and client tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class HutchServer:
    data_dir: Path
    port: int = field(default_factory=free_port)
    region: str = "us-east-1"
    tls: bool = False
    extra_args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def endpoint(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def ca_bundle(self) -> str | None:
        return str(self.data_dir / "tls" / "ca.pem") if self.tls else None

    def root_credentials(self) -> dict[str, str]:
        data = json.loads((self.data_dir / "root-credentials.json").read_text())
        return {
            "aws_access_key_id": data["access_key_id"],
            "aws_secret_access_key": data["secret_access_key"],
        }

    @property
    def account_id(self) -> str:
        return str(json.loads((self.data_dir / "account.json").read_text())["account_id"])

    def start(self, timeout: float = 30.0) -> HutchServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir / f"server-{self.port}.log"
        args = [
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
            self.region,
        ]
        if self.tls:
            args.append("--tls")
        args += self.extra_args
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HUTCH_", "AWS_"))}
        env.update(self.env)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hutch exited early:\n{self.log_path.read_text()[-4000:]}")
            try:
                verify = ssl.create_default_context(cafile=self.ca_bundle) if self.ca_bundle else True
                r = httpx.get(self.endpoint + "/_hutch/health", timeout=1.0, verify=verify)
                if r.status_code == 200:
                    return self
            except (httpx.HTTPError, OSError):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"hutch did not become healthy:\n{self.log_path.read_text()[-4000:]}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        code = self.process.returncode
        self.process = None
        return code

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def log_text(self) -> str:
        return self.log_path.read_text() if self.log_path and self.log_path.exists() else ""
