"""The ``consortium-dashboard`` command: serve the dashboard page on this machine.

Runs Solara's Starlette app under uvicorn in this process, bound to 127.0.0.1 unless
``--host`` says otherwise. A port that is not a number in 1..65535, or that is already
taken, ends with one line saying so and exit status 2, before anything starts.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import socket
import sys

APP_MODULE = "experiments.dashboard.app"
DEFAULT_PORT = 8765
EXIT_USAGE = 2


def port_number(text: str) -> int:
    """A TCP port from the command line (argparse type)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (an integer 1-65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is outside 1-65535")
    return port


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="consortium-dashboard",
        description="Interactive dashboard of consortium-sim: move the levers of an incentive "
        "package, step the years, compare with the no-policy run. Open the printed address "
        "in a browser; stop with Ctrl-C.",
    )
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                        help=f"TCP port to serve on (default {DEFAULT_PORT})")  # fmt: skip
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1: this machine only)")  # fmt: skip
    return parser.parse_args(argv)


def _loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: resolved by the server, assume it may be reachable
        return False


def check_free(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be bound, or None if it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use; choose another with --port"
            return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None


def main(argv: list[str] | None = None) -> None:
    """Console entry point."""
    args = parse_args(argv)
    problem = check_free(args.host, args.port)
    if problem is not None:
        print(f"consortium-dashboard: error: {problem}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    if not _loopback(args.host):
        print(f"consortium-dashboard: warning: serving on {args.host}, not this machine alone: anyone who "
              f"can reach port {args.port} can use the dashboard and run simulations on it; the default "
              "--host 127.0.0.1 keeps it to this machine", file=sys.stderr)  # fmt: skip
    os.environ["SOLARA_APP"] = APP_MODULE
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")  # a local tool phones no one
    os.environ.setdefault("SOLARA_THEME_LOADER", "plain")
    import uvicorn  # late: `--help` and argument errors stay fast

    print(f"consortium-dashboard: open http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=args.host, port=args.port, log_level="warning")
