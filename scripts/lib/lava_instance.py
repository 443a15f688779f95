"""A local LAVA instance from Debian 12's packages, for scripts/lava selftest: PostgreSQL (its
database), lava-server (gunicorn on loopback), lava-scheduler, a lava-dispatcher worker and one
`qemu` device. Started without systemd (a container has none): each service as its unit file
would start it, logs under the work directory. Every step that fails raises InstanceError naming
the component and what it said, so that a machine that cannot host one says which."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import IO, Optional

SERVER_USER = "lavaserver"  # the account lava-server's package creates
WORKER = "mtls-bench-selftest"
DEVICE = "mtls-bench-qemu"
USER = "mtls-bench-selftest"
DEVICE_DICTIONARY = "/etc/lava-server/dispatcher-config/devices"
DATABASE_SETTINGS = "/etc/lava-server/settings.d/00-database.yaml"
# Debian's own tools first: a python3 earlier on PATH (pyenv) lacks Django.
ENVIRONMENT = {**os.environ, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin:" + os.environ.get("PATH", "")}


class InstanceError(RuntimeError):
    """A LAVA component that did not come up or did not do its part."""

    def __init__(self, component: str, message: str) -> None:
        super().__init__(f"{component}: {message}")
        self.component = component


def tail(path: str, lines: int = 5) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return " | ".join(line.strip() for line in f.readlines()[-lines:])
    except OSError:
        return f"(no {path})"


def run(component: str, command: list[str], timeout: float = 300) -> str:
    """Runs a command to its end; its output, or InstanceError with its last words."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=ENVIRONMENT)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise InstanceError(component, f"{' '.join(command[:4])}: {error}") from error
    if done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip()).splitlines()
        raise InstanceError(component, f"{' '.join(command[:5])}: exit {done.returncode}: "
                            + (said[-1] if said else "no message"))
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Instance:
    """Start it, submit jobs, stop it (only what it started)."""

    def __init__(self, work: str) -> None:
        self.work = os.path.abspath(work)
        self.logs = os.path.join(self.work, "logs")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = ""
        self.services: dict[str, subprocess.Popen[bytes]] = {}
        self.started_postgres: Optional[list[str]] = None

    def manage(self, *arguments: str, component: str = "lava-server") -> str:
        return run(component, ["lava-server", "manage", *arguments])

    def lavacli(self, *arguments: str, timeout: float = 120) -> str:
        return run("lavacli", ["lavacli", "--uri", f"http://{USER}:{self.token}@127.0.0.1:"
                               f"{self.port}/RPC2", *arguments], timeout)

    def start(self) -> None:
        os.makedirs(self.logs, exist_ok=True)
        os.chmod(self.logs, 0o777)  # lava-server's services write here as lavaserver
        self.postgres()
        self.database()
        self.spawn("lava-server (gunicorn)", [
            "gunicorn3", "lava_server.wsgi", "--log-level", "INFO", "--log-file",
            f"{self.logs}/gunicorn.log", "-u", SERVER_USER, "-g", SERVER_USER, "--worker-class",
            "eventlet", "--workers", "2", "--bind", f"127.0.0.1:{self.port}"])
        self.wait_for_server()
        self.spawn("lava-scheduler", ["runuser", "-u", SERVER_USER, "--", "lava-server", "manage",
                                      "lava-scheduler", "--level", "DEBUG", "--log-file",
                                      f"{self.logs}/scheduler.log"])
        worker_token = self.register()
        self.spawn("lava-worker", [
            "lava-worker", "--level", "DEBUG", "--url", f"{self.url}/", "--token", worker_token,
            "--name", WORKER, "--worker-dir", f"{self.work}/worker", "--log-file",
            f"{self.logs}/worker.log"])
        self.wait_for_device()

    def postgres(self) -> None:
        """The cluster Debian's postgresql package made, started with pg_ctlcluster (no
        systemd); left running if it already was."""
        clusters = [line.split() for line in run("postgresql", ["pg_lsclusters", "-h"]).splitlines()]
        if not clusters:
            raise InstanceError("postgresql", "no cluster (pg_createcluster 15 main)")
        version, name, _, status = clusters[0][:4]
        if status != "online":
            run("postgresql", ["pg_ctlcluster", version, name, "start"], 120)
            self.started_postgres = [version, name]
        for _ in range(30):
            if subprocess.run(["pg_isready", "-q"], env=ENVIRONMENT).returncode == 0:
                return
            time.sleep(1)
        raise InstanceError("postgresql", "not accepting connections after 30 s: "
                            + tail(f"/var/log/postgresql/postgresql-{version}-{name}.log"))

    def database(self) -> None:
        """lava-server's database: its package makes it only when PostgreSQL ran at install
        time; its own postinst script does the same now (roles, database, migrations)."""
        if not os.path.exists(DATABASE_SETTINGS):
            run("lava-server (database)", ["/usr/bin/python3", "/usr/share/lava-server/postinst.py",
                                           "--config", "--db"], 600)
        else:
            self.manage("migrate", "--noinput", component="lava-server (database)")

    def spawn(self, component: str, command: list[str]) -> None:
        out: IO[bytes] = open(f"{self.logs}/{command[0]}.out", "ab")
        try:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                       env=ENVIRONMENT, start_new_session=True)
        except OSError as error:
            raise InstanceError(component, str(error)) from error
        finally:
            out.close()
        self.services[component] = process
        time.sleep(1)
        if process.poll() is not None:
            raise InstanceError(component, f"exited at once ({process.returncode}): "
                                + tail(f"{self.logs}/{command[0]}.out"))

    def wait_for_server(self) -> None:
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"{self.url}/api/v0.2/system/version/", timeout=5):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(1)
        raise InstanceError("lava-server (gunicorn)", f"no answer on {self.url} after 60 s: "
                            + tail(f"{self.logs}/gunicorn.log"))

    def register(self) -> str:
        """The worker, the device type, the device, a user with a token; the worker's token."""
        workers = self.manage("workers", "list")
        if re.search(rf"^\* {re.escape(WORKER)} ", workers, re.M) is None:
            self.manage("workers", "add", WORKER)
        details = self.manage("workers", "details", WORKER)
        found = re.search(r"^token\s*: (\S+)", details, re.M)
        if found is None:
            raise InstanceError("lava-server", f"no token for worker {WORKER}")
        if "* qemu " not in self.manage("device-types", "list") + " ":
            self.manage("device-types", "add", "qemu")
        # The job's context picks the machine, CPU and memory; the dictionary only the MAC.
        with open(f"{DEVICE_DICTIONARY}/{DEVICE}.jinja2", "w", encoding="utf-8") as f:
            f.write("{% extends 'qemu.jinja2' %}\n{% set mac_addr = '52:54:00:12:34:61' %}\n")
        if re.search(rf"^\* {re.escape(DEVICE)} ", self.manage("devices", "list", "--all"),
                     re.M) is None:
            self.manage("devices", "add", "--device-type", "qemu", "--worker", WORKER, DEVICE)
        self.manage("devices", "update", "--worker", WORKER, "--health", "GOOD", DEVICE)
        if re.search(rf"^\* {re.escape(USER)}$", self.manage("users", "list"), re.M) is None:
            self.manage("users", "add", USER, "--superuser", "--staff", "--passwd", USER)
        self.token = self.manage("tokens", "add", "--user", USER).strip().splitlines()[-1]
        return found.group(1)

    def wait_for_device(self) -> None:
        shown = ""
        for _ in range(60):
            shown = self.lavacli("devices", "show", DEVICE)
            if re.search(r"^state\s*: Idle", shown, re.M) and "Online" in self.lavacli(
                    "workers", "show", WORKER):
                return
            time.sleep(2)
        raise InstanceError("lava-worker", f"device {DEVICE} not idle on an online worker after "
                            f"120 s ({' '.join(shown.split())[:120]}): "
                            + tail(f"{self.logs}/worker.log"))

    def submit(self, job_file: str) -> str:
        return self.lavacli("jobs", "submit", job_file).strip()

    def wait(self, job_id: str, timeout: float) -> str:
        """The job's health once finished (Complete, Incomplete, Canceled); InstanceError when it
        does not finish in time (it is cancelled)."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.lavacli("jobs", "show", job_id)
            if re.search(r"^state\s*: Finished", shown, re.M):
                health = re.search(r"^Health\s*: (\S+)", shown, re.M)
                return health.group(1) if health else "?"
            time.sleep(3)
        self.lavacli("jobs", "cancel", job_id)
        state = re.search(r"^state\s*: (\S+)", shown, re.M)
        raise InstanceError("lava-scheduler" if state and state.group(1) == "Submitted"
                            else "lava-worker", f"job {job_id} not finished after {timeout:.0f} s"
                            f" (state {state.group(1) if state else '?'}): "
                            + tail(f"{self.logs}/worker.log"))

    def log(self, job_id: str, path: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.lavacli("jobs", "logs", "--raw", job_id))

    def stop(self) -> None:
        """Stops the services it started (their process groups), and PostgreSQL if it
        started it."""
        for process in self.services.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.services.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.services.clear()
        if self.started_postgres:
            run("postgresql", ["pg_ctlcluster", *self.started_postgres, "stop"], 120)
            self.started_postgres = None
