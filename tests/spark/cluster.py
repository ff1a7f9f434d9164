"""A standalone Spark cluster on loopback, from the PySpark installation: a master, two workers.

Each daemon is `spark-class` of PySpark's bundled jars, bound to 127.0.0.1 on free ports, with
a small heap, one core and 1 GiB for executors per worker. Every process (daemons, and the
executors the workers start) runs in a process group of its own, and `stop` ends the groups:
nothing is left running, whether the test passed or not.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyspark

WORKERS = 2
STARTED_WITHIN = 90.0  # seconds for the master or the workers to be up (a loaded machine)
# The driver's and executors' settings for a cluster of two 1-core workers, read by every
# Spark process started with this SPARK_CONF_DIR (spark-submit reads spark-defaults.conf).
DEFAULTS = {
    "spark.executor.memory": "768m",
    "spark.executor.cores": "1",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
    "spark.ui.enabled": "false",
    "spark.driver.memory": "1g",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    worker_memory: str = "1g"  # what each worker offers its executors
    defaults: dict[str, str] = field(default_factory=lambda: dict(DEFAULTS))
    port: int = field(default_factory=free_port)
    ui: int = field(default_factory=free_port)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def master(self) -> str:
        return f"spark://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """The environment of every process of the cluster, and of the driver submitting."""
        conf = self.folder / "conf"
        conf.mkdir(exist_ok=True)
        lines = [f"{key} {value}" for key, value in self.defaults.items()]
        (conf / "spark-defaults.conf").write_text("\n".join(lines) + "\n")
        return {
            **os.environ,
            "SPARK_HOME": str(Path(pyspark.__file__).parent),
            "SPARK_CONF_DIR": str(conf),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_DAEMON_MEMORY": "256m",
            "SPARK_WORKER_DIR": str(self.folder / "work"),
        }

    def _daemon(self, name: str, *args: str) -> None:
        spark_class = Path(pyspark.__file__).parent / "bin" / "spark-class"
        log = (self.folder / f"{name}.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                [str(spark_class), *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: the executors it starts go with it
            )
        )

    def start(self) -> None:
        """The master, up; the workers, starting. A driver may connect at once: its jobs wait
        for the workers' executors (and its JVM starts while theirs do)."""
        self._daemon(
            "master",
            "org.apache.spark.deploy.master.Master",
            *("--host", "127.0.0.1", "--port", str(self.port), "--webui-port", str(self.ui)),
        )
        self._wait_until(lambda state: state.get("status") == "ALIVE", "the master")
        for n in range(WORKERS):
            self._daemon(
                f"worker{n}",
                "org.apache.spark.deploy.worker.Worker",
                *("--host", "127.0.0.1", "--webui-port", str(free_port())),
                *("--cores", "1", "--memory", self.worker_memory, self.master),
            )

    def wait_for_workers(self) -> None:
        self._wait_until(lambda state: state.get("aliveworkers") == WORKERS, "the workers")

    def state(self) -> dict[str, object]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ui}/json/", timeout=2) as answer:
            found: dict[str, object] = json.load(answer)
            return found

    def _wait_until(self, ready: Callable[[dict[str, object]], bool], what: str) -> None:
        deadline = time.monotonic() + STARTED_WITHIN
        while time.monotonic() < deadline:
            try:
                if ready(self.state()):
                    return
            except OSError:
                pass  # the master's page is not up yet
            if any(p.poll() is not None for p in self.processes):
                break
            time.sleep(0.2)
        logs = {p.name: p.read_text()[-2000:] for p in self.folder.glob("*.log")}
        raise RuntimeError(f"{what} did not start: {logs}")

    def stop(self) -> None:
        for process in reversed(self.processes):
            _end_group(process, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _end_group(process, signal.SIGKILL)
                process.wait(timeout=10)
        for process in self.processes:
            _end_group(process, signal.SIGKILL)  # executors that outlived their worker

    def alive(self) -> list[int]:
        """Processes of the cluster's groups still running."""
        groups = {process.pid for process in self.processes}
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) in groups:
                        found.append(int(entry.name))
                except ProcessLookupError:
                    continue
        return found


def _end_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


@contextmanager
def running(folder: Path, **settings: Any) -> Iterator[Cluster]:
    """A cluster (Cluster's settings), stopped at the end of the block, whatever happens."""
    cluster = Cluster(folder, **settings)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
