"""The command: a bad or taken port ends with one clear line and exit status 2, before
anything starts; importing the page writes nothing."""

import socket
import subprocess
import sys

import pytest

from experiments.dashboard import server


@pytest.mark.parametrize(
    ("port", "message"),
    [("abc", "not a port number"), ("0", "outside 1-65535"), ("70000", "outside 1-65535"), ("-3", "outside")],
)
def test_bad_port_is_refused(port, message, capsys):
    """A port that is not in 1..65535 is a usage error naming the value."""
    with pytest.raises(SystemExit) as exit_info:
        server.main(["--port", port])
    assert exit_info.value.code == server.EXIT_USAGE
    assert message in capsys.readouterr().err


def test_taken_port_is_refused(capsys):
    """A port another program listens on is refused before the server starts."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as exit_info:
            server.main(["--port", str(port)])
    assert exit_info.value.code == server.EXIT_USAGE
    err = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is already in use" in err
    assert "Traceback" not in err


def test_bad_port_from_the_shell():
    """Through the module entry (what the console script calls): one line, exit 2."""
    done = subprocess.run([sys.executable, "-m", "experiments.dashboard", "--port", "99999"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert "outside 1-65535" in done.stderr
    assert "Traceback" not in done.stderr


def test_default_binds_this_machine_only():
    """Without --host the server listens on the loopback address."""
    args = server.parse_args([])
    assert args.host == "127.0.0.1"
    assert args.port == server.DEFAULT_PORT


def test_import_writes_nothing(tmp_path):
    """Importing the page (as the server does) leaves the working folder empty: no results/."""
    done = subprocess.run([sys.executable, "-c", "import experiments.dashboard.app"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("host", "warned"), [("0.0.0.0", True), ("192.168.1.5", True), ("::", True),
                                              ("127.0.0.1", False), ("::1", False), ("localhost", False)])  # fmt: skip
def test_binding_beyond_this_machine_is_warned(host, warned, capsys, monkeypatch):
    """Before: --host 0.0.0.0 served on every interface without a word."""
    started = []
    monkeypatch.setattr(server, "check_free", lambda *_: None)
    monkeypatch.setitem(sys.modules, "uvicorn", type(sys)("uvicorn"))
    sys.modules["uvicorn"].run = lambda *args, **kwargs: started.append(kwargs["host"])  # type: ignore[attr-defined]
    server.main(["--host", host])
    err = capsys.readouterr().err
    assert started == [host] and ("warning: serving on" in err) == warned
