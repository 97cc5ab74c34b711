"""Where output goes: -, special files, symlinks, modes, signals, closed or full streams, the locale."""

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

COMMAND = [sys.executable, "-m", "backprop_tui"]


def one_line_error(code, out, err):
    assert code == 2, err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("backprop-tui: error:")


def command(argv, **kwargs):
    return subprocess.run([*COMMAND, *argv], capture_output=True, timeout=60, **kwargs)


# --- names ---


def test_dash_is_standard_output(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(["--export", "json", "-o", "-"])
    assert code == 0 and err == ""
    assert json.loads(out)["lesson"] == "mlp"
    assert list(tmp_path.iterdir()) == []  # no file named -


def test_empty_name_is_refused(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for argv in (["--export", "json", "-o", ""], ["--screenshot", ""]):
        code, out, err = cli(argv)
        one_line_error(code, out, err)
        assert out == ""
    assert list(tmp_path.iterdir()) == []


# --- special targets ---


def test_a_symlink_is_followed_to_its_target(tmp_path, cli):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    code, _, err = cli(["--export", "json", "-o", str(link)])
    assert code == 0, err
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["lesson"] == "mlp"


def test_a_dangling_symlink_creates_its_target(tmp_path, cli):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    code, _, err = cli(["--export", "json", "-o", str(link)])
    assert code == 0, err
    assert link.is_symlink()
    assert json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))["lesson"] == "mlp"


def test_dev_null_stays_a_device(cli):
    code, out, err = cli(["--export", "json", "-o", os.devnull])
    assert (code, out, err) == (0, "", "")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_dev_full_is_one_line(cli):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    code, out, err = cli(["--export", "json", "-o", "/dev/full"])
    one_line_error(code, out, err)
    assert "no space" in err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_nobody_reads_is_refused_at_once(tmp_path, cli):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, out, err = cli(["--export", "json", "-o", str(fifo)])
    one_line_error(code, out, err)
    assert "no process is reading" in err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_fifo_with_a_reader_gets_the_export(tmp_path, cli):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received = []
    reader_ready = threading.Event()

    def read():
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # open without waiting for a writer
        reader_ready.set()
        os.set_blocking(fd, True)
        chunks = []
        while True:
            chunk = os.read(fd, 65536)  # b"" while no writer has come yet, and at the end
            if not chunk and chunks:
                break
            if not chunk:
                time.sleep(0.01)
                continue
            chunks.append(chunk)
        os.close(fd)
        received.append(b"".join(chunks))

    thread = threading.Thread(target=read)
    thread.start()
    reader_ready.wait(5)
    code, _, err = cli(["--export", "json", "-o", str(fifo)])
    thread.join(10)
    assert code == 0, err
    assert json.loads(received[0].decode("utf-8"))["lesson"] == "mlp"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_private_file_stays_private(tmp_path, cli):
    target = tmp_path / "w.json"
    target.write_text("old")
    target.chmod(0o600)
    code, _, err = cli(["--export", "json", "-o", str(target)])
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["lesson"] == "mlp"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_a_big_export_leaves_no_temporary_file(signum, tmp_path):
    target = tmp_path / "big.json"
    target.write_text("the user's old file")
    proc = subprocess.Popen(
        [*COMMAND, "--d", "2048", "--h", "2048", "--export", "json", "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signum)
    assert proc.wait(30) == -signum  # ends as the signal would, after cleaning up
    assert [p.name for p in tmp_path.iterdir()] == ["big.json"]
    assert target.read_text() == "the user's old file"
    assert b"Traceback" not in proc.stderr.read()


# --- standard output in bad states ---


def test_closed_standard_output_is_one_line():
    result = command(["--export", "json"], stdout=None, preexec_fn=lambda: os.close(1))
    assert result.returncode == 2
    err = result.stderr.decode()
    assert len(err.splitlines()) == 1 and "standard output" in err and "Traceback" not in err


def test_full_standard_output_is_one_line():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        result = subprocess.run([*COMMAND, "--export", "json"], stdout=full, stderr=subprocess.PIPE, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert len(err.splitlines()) == 1 and "no space" in err, err


@pytest.mark.parametrize("fmt", ["json", "markdown"])
@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONUTF8": "0"}])
def test_exports_are_utf8_whatever_the_locale(fmt, env):
    result = command(["--export", fmt], env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    text = result.stdout.decode("utf-8")  # raises if it is not UTF-8
    assert "∂" in text
    if fmt == "json":
        assert json.loads(text)["lesson"] == "mlp"


def test_piped_into_a_reader_that_stops_early_is_quiet():
    proc = subprocess.Popen(
        [*COMMAND, "--d", "300", "--h", "300", "--export", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.read(10)
    proc.stdout.close()
    assert proc.wait(60) == 0
    assert proc.stderr.read() == b""


# --- the app without a terminal ---


def test_no_terminal_is_one_line_and_exit_2():
    result = command([], stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().splitlines() == [
        "backprop-tui: error: the app needs a terminal; without one, use --export or --screenshot"
    ]


def test_an_app_that_dies_exits_non_zero(monkeypatch, cli):
    from textual.app import App

    from backprop_tui import cli as command_line
    from backprop_tui.ui.app import BackpropApp

    def crash(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(command_line, "require_terminal", lambda: None)
    monkeypatch.setattr(BackpropApp, "on_mount", crash)
    monkeypatch.setattr(BackpropApp, "run", lambda self: App.run(self, headless=True))
    code, _, _ = cli(["mlp"])
    assert code == 1
