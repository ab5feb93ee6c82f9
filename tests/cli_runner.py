"""The command line as a user runs it, forked from a process that imported obsgen once.

Starting Python and importing obsgen (grafanalib, click, the PromQL parser) costs about
0.6 s of CPU; the suite runs the command line a hundred times. A helper process imports
it once and forks a child per command: the child changes to the command's folder, takes
its environment, runs `obsgen ARGS` with its output on files, and exits with the
command's exit code, an uncaught exception printed as Python prints it (so a traceback
shows as it would). Each child starts from the same clean state: nothing a command does
(imported definitions, a disabled garbage collector, the working folder) outlives it.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

HELPER = r"""
import json, os, signal, sys, tempfile, time, traceback
import obsgen.cli

for line in sys.stdin:
    request = json.loads(line)
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    began = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            obsgen.cli.main.main(args=request["args"], prog_name="obsgen")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    if request.get("kill_after") is not None:
        time.sleep(request["kill_after"])
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    seconds = time.monotonic() - began
    out.seek(0)
    err.seek(0)
    reply = {"code": os.waitstatus_to_exitcode(status), "stdout": out.read().decode(errors="replace"),
             "stderr": err.read().decode(errors="replace"), "seconds": seconds}
    out.close()
    err.close()
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
"""


class ForkingRunner:
    """One helper process per test process (each xdist worker has its own), stopped and
    waited for at exit (so its CPU time counts in the test process's children's)."""

    def __init__(self):
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()
        atexit.register(self.close)

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)

    def run(self, args: list[str], cwd: Path, env: dict[str, str], kill_after: float | None = None) -> tuple[subprocess.CompletedProcess, float]:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.proc = subprocess.Popen([sys.executable, "-c", HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            self.proc.stdin.write(json.dumps({"args": args, "cwd": str(cwd), "env": env, "kill_after": kill_after}) + "\n")
            self.proc.stdin.flush()
            reply = json.loads(self.proc.stdout.readline())
        return subprocess.CompletedProcess(["obsgen", *args], reply["code"], reply["stdout"], reply["stderr"]), reply["seconds"]


RUNNER = ForkingRunner()


def run_obsgen(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`obsgen ARGS` in cwd, as a user runs it. A new hash seed needs a new interpreter."""
    environment = {**os.environ, **(env or {})}
    if env and "PYTHONHASHSEED" in env:
        return subprocess.run([sys.executable, "-m", "obsgen.cli", *args], cwd=cwd, capture_output=True, text=True, env=environment)
    return RUNNER.run(list(args), cwd, environment)[0]
