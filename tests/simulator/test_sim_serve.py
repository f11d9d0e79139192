"""Serving the chair: on a pty and over TCP to plain pyserial, and from the command line.

These tests run in real time, so every read is bounded by a deadline of a few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import signal
import socket
import subprocess
import sys
import time

import pytest
import serial

from chairctl.cli import main
from chairctl.clock import RealClock, VirtualClock
from drivers.models.rongtai import RongtaiModel
from simulator.families import simulated_chair
from simulator.faults import LinkDrop
from simulator.rongtai.frames import Layout, StatusImage, key_frame, split_status_frames
from simulator.serve import (
    LOOPBACK_HOST,
    PtyServer,
    TcpServer,
    exposure_warning,
    tcp_address,
)

#: Waits on the wall clock (a real pty, another process, signals): sensitive to load.
pytestmark = pytest.mark.realtime

DEADLINE_S = 5.0


def read_until_state(port: serial.SerialBase, layout: Layout, state: int) -> list[StatusImage]:
    """Read status frames until one reports ``state``; all of them, or fail at the deadline."""
    data = b""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        data += port.read(256)
        images = [StatusImage.parse(f) for f in split_status_frames(data, layout)]
        if any(image.work_state == state for image in images):
            return images
    raise AssertionError(f"no frame with work state {state} within {DEADLINE_S} s")


async def test_pyserial_on_the_pty_powers_the_chair_on(model: RongtaiModel) -> None:
    chair = simulated_chair(model, RealClock(), transport="wired")
    server = PtyServer(chair)
    path = server.open()
    try:
        port = await asyncio.to_thread(serial.Serial, path, 9600, timeout=0.2)
        try:
            before = await asyncio.to_thread(read_until_state, port, Layout.WIRED, 0)
            assert before[-1].powered is False
            await asyncio.to_thread(port.write, key_frame(0x83, model.keys.power))
            after = await asyncio.to_thread(read_until_state, port, Layout.WIRED, 1)
            assert after[-1].powered
            assert after[-1].scan_running
        finally:
            port.close()
    finally:
        server.close()
        chair.close()


async def test_a_dropped_pty_link_comes_back(model: RongtaiModel) -> None:
    clock = VirtualClock()
    chair = simulated_chair(model, clock, transport="wired")
    server = PtyServer(chair, link_down_s=2.0)
    server.open()
    try:
        chair.inject(LinkDrop())
        assert not chair.connected
        await clock.advance(1.9)
        assert not chair.connected
        await clock.advance(0.2)
        assert chair.connected
    finally:
        server.close()
        chair.close()


async def test_the_pty_waits_while_another_controller_holds_the_chair(
    model: RongtaiModel,
) -> None:
    clock = VirtualClock()
    chair = simulated_chair(model, clock, transport="wired")
    log: list[str] = []
    server = PtyServer(chair, log=log.append, link_down_s=2.0)
    server.open()
    try:
        chair.inject(LinkDrop())
        other = chair.connect()
        await clock.advance(2.1)
        assert any("another controller" in line for line in log)
        other.close()
        await clock.advance(2.1)
        assert chair.connected
    finally:
        server.close()
        chair.close()


async def test_pyserial_socket_url_reaches_the_tcp_server(model: RongtaiModel) -> None:
    chair = simulated_chair(model, RealClock(), transport="wired")
    refusals: list[str] = []
    server = TcpServer(chair, "127.0.0.1", 0, log=refusals.append)
    host, port_number = await server.start()
    assert port_number != 0
    try:
        port = await asyncio.to_thread(
            serial.serial_for_url, f"socket://{host}:{port_number}", timeout=0.2
        )
        try:
            await asyncio.to_thread(read_until_state, port, Layout.WIRED, 0)
            # A second controller is turned away while the first is connected.
            reader, writer = await asyncio.open_connection(host, port_number)
            assert await asyncio.wait_for(reader.read(100), DEADLINE_S) == b""
            writer.close()
            assert any("refused" in line for line in refusals)
            await asyncio.to_thread(port.write, key_frame(0x83, model.keys.power))
            await asyncio.to_thread(read_until_state, port, Layout.WIRED, 1)
        finally:
            port.close()
        # Once the first has gone, the next one is welcome and gets frames.
        reader, writer = await asyncio.open_connection(host, port_number)
        frame = await asyncio.wait_for(reader.readexactly(Layout.WIRED.length * 3), DEADLINE_S)
        assert list(split_status_frames(frame, Layout.WIRED))
        # A dropped link closes the socket.
        chair.inject(LinkDrop())
        rest = await asyncio.wait_for(reader.read(), DEADLINE_S)
        assert len(rest) < 10_000
        writer.close()
    finally:
        await server.close()
        chair.close()


async def test_closing_with_a_controller_connected_hangs_up_without_a_traceback(
    model: RongtaiModel,
) -> None:
    """The server closing while a controller still reads is an ordinary ending: the controller
    sees end-of-file and asyncio is handed no error to print (a cancelled handler used to be
    printed as a CancelledError traceback by asyncio's own done-callback)."""
    loop = asyncio.get_running_loop()
    reported: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _, context: reported.append(context))
    chair = simulated_chair(model, RealClock(), transport="wired")
    server = TcpServer(chair, "127.0.0.1", 0)
    host, port_number = await server.start()
    try:
        reader, writer = await asyncio.open_connection(host, port_number)
        assert await asyncio.wait_for(reader.read(64), DEADLINE_S)  # it serves
        await server.close()
        assert server.connections == 0
        rest = await asyncio.wait_for(reader.read(), DEADLINE_S)
        assert len(rest) < 10_000  # hung up on: end-of-file, not a stall
        writer.close()
        await asyncio.sleep(0)  # let any done-callbacks run
        assert reported == []
    finally:
        loop.set_exception_handler(None)
        chair.close()


async def test_a_busy_port_is_one_clear_error(model: RongtaiModel) -> None:
    from chairctl.vocabulary import LinkError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port_number = taken.getsockname()[1]
        chair = simulated_chair(model, RealClock())
        with pytest.raises(LinkError, match="cannot listen"):
            await TcpServer(chair, "127.0.0.1", port_number).start()


def test_the_cli_serves_a_pty_until_sigterm(model: RongtaiModel) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "chairctl", "sim", "serve", "--pty", "--form", "ble"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 20.0)
        assert ready, "the simulator printed no path"
        path = process.stdout.readline().strip()
        assert path.startswith("/dev/")
        with serial.Serial(path, 9600, timeout=0.2) as port:
            port.write(key_frame(0x83, model.keys.power))
            images = read_until_state(port, Layout.BLE, 1)
            assert images[-1].powered
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--pty", "--model", "nope"], 1, "no chair model 'nope'"),
        (["--pty", "--fault", "explode@3"], 2, "unknown fault 'explode'"),
        (["--pty", "--fault", "link-drop"], 2, "NAME[:ARG]@SECONDS"),
        (["--tcp", "localhost"], 2, "is not PORT or HOST:PORT"),
        (["--tcp", "localhost:99999"], 2, "is not PORT or HOST:PORT"),
        (["--tcp", "::1:7001"], 2, "IPv6 host in brackets"),
        ([], 2, "exactly one of --pty or --tcp"),
        (["--pty", "--tcp", "127.0.0.1:0"], 2, "exactly one of --pty or --tcp"),
        (["--pty", "--speed", "0"], 2, "--speed"),
        (["--pty", "--form", "serial"], 2, "--form"),
    ],
)
def test_bad_options_get_one_line_and_an_exit_code(
    args: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["sim", "serve", *args])
    assert exited.value.code == code
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


# -- where the TCP server listens -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("7001", ("127.0.0.1", 7001)),
        (":7001", ("127.0.0.1", 7001)),
        ("0", ("127.0.0.1", 0)),
        ("localhost:7001", ("localhost", 7001)),
        ("[::1]:7001", ("::1", 7001)),
        ("0.0.0.0:7001", ("0.0.0.0", 7001)),
    ],
)
def test_a_port_alone_means_this_machine_only(text: str, address: tuple[str, int]) -> None:
    assert LOOPBACK_HOST == "127.0.0.1"
    assert tcp_address(text) == address


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.5.1", "::1", "localhost", "LOCALHOST"])
def test_loopback_hosts_need_no_warning(host: str) -> None:
    assert exposure_warning(host, 7001) is None


@pytest.mark.parametrize(
    ("host", "reach"),
    [
        ("0.0.0.0", "every network interface of this machine"),
        ("::", "every network interface of this machine"),
        ("192.0.2.10", "192.0.2.10 is not a loopback address, so other machines may reach it"),
        ("chair.example", "chair.example is a name, not a loopback address"),
    ],
)
def test_any_other_host_is_warned_about(host: str, reach: str) -> None:
    warning = exposure_warning(host, 7001)
    assert warning is not None
    assert warning.startswith("warning: serving the simulated chair on ")
    assert reach in warning
    assert "anyone who connects can drive it" in warning
    assert warning.endswith("Give --tcp 7001 to serve this machine only.")


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "chairctl", "sim", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _end(process: subprocess.Popen[str]) -> tuple[int, str]:
    """SIGTERM it if it still runs; its exit code and stderr."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.stderr is not None
    return code, process.stderr.read()


def test_the_cli_given_a_port_listens_on_loopback_without_a_word() -> None:
    process = _serve("--tcp", "0")
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 20.0)
        assert ready, "the simulator printed no address"
        host, _, port = process.stdout.readline().strip().rpartition(":")
        assert host == "127.0.0.1"
        with socket.create_connection((host, int(port)), timeout=DEADLINE_S) as controller:
            controller.settimeout(DEADLINE_S)
            assert controller.recv(64)  # status frames: it serves there
    finally:
        code, err = _end(process)
    assert code == 0
    assert "warning" not in err
    assert "Traceback" not in err


def test_the_cli_warns_on_stderr_before_listening_beyond_this_machine() -> None:
    # 192.0.2.10 is a documentation address (TEST-NET-1), not this machine's: listening there
    # fails, after the warning. (Were it to succeed, nothing could reach it; SIGTERM ends it.)
    process = _serve("--tcp", "192.0.2.10:0")
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=20)
    code, err = _end(process)
    lines = err.splitlines()
    assert lines[0] == (
        "chairctl sim: warning: serving the simulated chair on 192.0.2.10:0: 192.0.2.10 is not "
        "a loopback address, so other machines may reach it, and anyone who connects can drive "
        "it, with no password. Give --tcp 0 to serve this machine only."
    )
    if code != 0:
        assert "cannot listen on 192.0.2.10:0" in err
    assert "Traceback" not in err
