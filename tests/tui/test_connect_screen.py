"""The Connect screen in a real Textual app: each way to choose a chair, and going back.

BLE scans hear the real simulated air (a simulated RT8600S on a virtual clock), through the
real bleak scanner code. The serial-port lister stands in for the OS.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import DataTable, Input, Select, Static

from chairctl.services.chairs import ChairAddress
from chairctl.tui.screens.connect import (
    ChairChoice,
    ConnectScreen,
    PortLister,
    Scanner,
    simulated_scanner,
)
from chairctl.vocabulary import LinkError
from drivers.links.discovery import BleAdvertiser, SerialPort
from drivers.models import DEFAULT_MODEL, builtin_registry

CSS = Path(__file__).resolve().parents[2] / "chairctl" / "tui" / "app.tcss"
SIM = ChairAddress("sim", "", None)
NO_RESULT = object()


def no_ports() -> list[SerialPort]:
    return []


def two_ports() -> list[SerialPort]:
    return [
        SerialPort("/dev/ttyS0", "ttyS0", "n/a"),
        SerialPort("/dev/ttyUSB0", "CP2102 USB to UART Bridge", "USB VID:PID=10C4:EA60"),
    ]


async def no_bluetooth(seconds: float) -> list[BleAdvertiser]:
    raise LinkError("no Bluetooth adapter")


class Host(App[None]):
    """Pushes the Connect screen and keeps what it dismissed with."""

    CSS_PATH = CSS

    def __init__(self, scanner: Scanner, ports: PortLister = no_ports) -> None:
        super().__init__()
        self.scanner = scanner
        self.ports = ports
        self.result: object = NO_RESULT

    def on_mount(self) -> None:
        self.push_screen(
            ConnectScreen(current=SIM, scanner=self.scanner, ports=self.ports), self.keep
        )

    def keep(self, choice: ChairChoice | None) -> None:
        self.result = choice


def text_of(app: Host, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_shows_the_current_chair() -> None:
    app = Host(simulated_scanner())
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        assert text_of(app, "#connect-now") == f"Now: the simulated {DEFAULT_MODEL}"


async def test_choosing_the_simulated_chair_with_a_model() -> None:
    models = [m.id for m in builtin_registry()]
    model = models[-1]  # another model where there are several, else the default
    app = Host(simulated_scanner())
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sim-model", Select).value = model
        await pilot.pause()
        await pilot.click("#sim-use")
        await pilot.pause()
    assert app.result == ChairChoice(ChairAddress("sim", "", model), model)


async def test_scanning_the_simulated_air_lists_and_chooses_the_chair() -> None:
    app = Host(simulated_scanner())
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#ble-found", DataTable)
        assert table.row_count == 1
        name, address, signal, model = table.get_row_at(0)
        assert name == "EVOLUTION-012345"
        assert model == "rongtai-rt8600s"
        assert signal.endswith("dBm")
        assert "Heard 1 chair" in text_of(app, "#ble-status")
        # The scan leaves the list focused: Enter chooses the highlighted chair.
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == ChairChoice(ChairAddress("ble-address", address, None), "rongtai-rt8600s")


async def test_no_bluetooth_is_one_calm_line_and_serial_still_works() -> None:
    app = Host(no_bluetooth, ports=two_ports)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        await pilot.click("#ble-scan")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(app, "#ble-status") == "Bluetooth is not available: no Bluetooth adapter"
        assert app.screen.query_one("#ble-found", DataTable).row_count == 0
        assert isinstance(app.screen, ConnectScreen)
        app.screen.query_one("#serial-device", Input).focus()
        await pilot.press(*"/dev/ttyUSB1", "enter")
        await pilot.pause()
    assert app.result == ChairChoice(ChairAddress("serial", "/dev/ttyUSB1", None), DEFAULT_MODEL)


async def test_a_listed_serial_port_is_chosen_with_the_model() -> None:
    wired = [m.id for m in builtin_registry() if m.match.serial is not None]
    assert DEFAULT_MODEL in wired
    app = Host(simulated_scanner(), ports=two_ports)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        # The current chair's model is chosen at first, not whichever wired model sorts first.
        select = app.screen.query_one("#serial-model", Select)
        assert select.value == DEFAULT_MODEL
        table = app.screen.query_one("#serial-ports", DataTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [
            "/dev/ttyS0",
            "/dev/ttyUSB0",
        ]
        table.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.result == ChairChoice(ChairAddress("serial", "/dev/ttyUSB0", None), DEFAULT_MODEL)


async def test_a_typed_url_is_a_serial_choice() -> None:
    app = Host(simulated_scanner())
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        assert "No serial ports found" in text_of(app, "#serial-status")
        await pilot.click("#serial-device")
        # Typed letters go to the input, not to the screen's s and b keys.
        await pilot.press(*"socket://localhost:1234", "enter")
        await pilot.pause()
    assert app.result == ChairChoice(
        ChairAddress("serial", "socket://localhost:1234", None), DEFAULT_MODEL
    )


async def test_garbage_shows_the_reason_and_does_not_dismiss() -> None:
    app = Host(simulated_scanner())
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        await pilot.click("#serial-device")
        await pilot.press(*"garbage", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConnectScreen)
        assert text_of(app, "#serial-error").startswith("'garbage' is not a chair: use sim")
        assert app.result is NO_RESULT
        # Editing clears the reason; a BLE address typed here is not a serial line.
        app.screen.query_one("#serial-device", Input).value = ""
        await pilot.press(*"ble:EVOLUTION-*", "enter")
        await pilot.pause()
        assert "is not a serial device or URL" in text_of(app, "#serial-error")
        assert app.result is NO_RESULT


async def test_b_goes_back_without_a_choice() -> None:
    app = Host(simulated_scanner())
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
    assert app.result is None


async def test_bleaks_own_unavailable_reason_is_not_said_twice() -> None:
    async def unavailable(seconds: float) -> list[BleAdvertiser]:
        raise LinkError("Bluetooth is not available: adapter is powered off")

    app = Host(unavailable)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(app, "#ble-status") == "Bluetooth is not available: adapter is powered off"


async def test_an_unexpected_scan_failure_is_a_line_not_a_crash() -> None:
    async def broken(seconds: float) -> list[BleAdvertiser]:
        raise RuntimeError("the radio stack fell over")

    app = Host(broken)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(app, "#ble-status") == "The Bluetooth scan failed: the radio stack fell over"
        await pilot.press("b")
        await pilot.pause()
    assert app.result is None
    assert app.return_code in (0, None)
