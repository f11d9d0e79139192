"""The Connect screen: choose which chair the app talks to.

Three ways to reach a chair, one section each, as ``chairctl scan`` finds them: the simulated
chair built into chairctl (any built-in model), Bluetooth LE chairs heard in a short scan
whose advertised names match a known model, and serial ports (listed by the OS, or typed as
a device path or pyserial URL) with the model chosen by hand, because a serial line cannot
say which chair is behind it.

The screen only chooses: it dismisses with a :class:`ChairChoice` (or None on ``b``), and the
app connects. It binds none of the app's keys (Escape stops the chair from every screen), and
the Bluetooth scan runs in a worker so those keys keep working while it listens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar, Final, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Input,
    Label,
    LoadingIndicator,
    Select,
    Static,
)
from textual.worker import Worker, WorkerState

from chairctl.services.chairs import ChairAddress, parse_chair
from chairctl.services.discovery import SIM_MODEL, SIM_NAME, scan_simulated_air
from chairctl.services.safetext import escaped, plain
from chairctl.vocabulary import LinkError
from drivers.links.discovery import BleAdvertiser, SerialPort, scan_ble, serial_ports
from drivers.models import DEFAULT_MODEL, ChairModel, get_model, registry

#: How long a scan listens: chairs advertise about once a second, so 5 s hears each a few times.
SCAN_SECONDS: Final = 5.0
_UNAVAILABLE: Final = "Bluetooth is not available: "


class Scanner(Protocol):
    """Listens for BLE advertisements for ``seconds``; raises LinkError when it cannot."""

    def __call__(self, seconds: float, /) -> Awaitable[list[BleAdvertiser]]: ...


#: Lists the serial ports of this machine; may raise OSError.
PortLister = Callable[[], list[SerialPort]]


@dataclass(frozen=True)
class ChairChoice:
    """The chair chosen: where it is, and its model id (always given by this screen, so
    ``resolve_model(choice.address, choice.model_id)`` needs no guessing)."""

    address: ChairAddress
    model_id: str | None


def simulated_scanner(*, name: str = SIM_NAME, model_id: str = SIM_MODEL) -> Scanner:
    """A scanner of a simulated air holding one simulated chair, as ``chairctl scan --sim``.

    The air runs on its own virtual clock, so a scan returns at once: for demos and tests
    on machines without Bluetooth.
    """

    async def scan(seconds: float) -> list[BleAdvertiser]:
        return await scan_simulated_air(seconds, name=name, model_id=model_id)

    return scan


class ConnectScreen(Screen[ChairChoice | None]):
    """Choose a chair: the simulated one, one heard over BLE, or one on a serial line."""

    # Escape, x, q, c and ctrl+c belong to the app (Escape stops the chair everywhere).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "scan", "Scan BLE"),
        Binding("b", "back", "Back"),
    ]

    def __init__(
        self,
        *,
        current: ChairAddress,
        scanner: Scanner | None = None,
        ports: PortLister = serial_ports,
    ) -> None:
        super().__init__()
        self._current = current
        self._scanner: Scanner = scanner or scan_ble
        self._ports = ports
        self._models: list[ChairModel] = list(registry())
        # A serial port cannot say which chair it is: only models with a wired line qualify.
        self._wired: list[ChairModel] = [m for m in self._models if m.match.serial is not None]
        #: The chairs of the last scan, by address, with the model each was matched to.
        self._found: dict[str, ChairModel] = {}

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(f"Now: {self._current}", id="connect-now")
        with VerticalScroll(id="connect-body"):
            with Vertical(classes="connect-section", id="sim-section"):
                yield Label("Simulated chair", classes="connect-title")
                with Horizontal(classes="connect-row"):
                    sim_model = self._sim_default()
                    yield Button(self._sim_label(sim_model), id="sim-use", variant="primary")
                    yield Select(
                        [(plain(m.name), m.id) for m in self._models],
                        value=sim_model,
                        allow_blank=False,
                        id="sim-model",
                    )
            with Vertical(classes="connect-section", id="ble-section"):
                yield Label("Bluetooth LE", classes="connect-title")
                with Horizontal(classes="connect-row"):
                    yield Button("Scan", id="ble-scan")
                    yield LoadingIndicator(id="ble-loading")
                    yield Static(
                        f"Press s to listen for chairs for {SCAN_SECONDS:g} s.", id="ble-status"
                    )
                table: DataTable[str] = DataTable(id="ble-found", cursor_type="row")
                table.add_columns("name", "address", "signal", "model")
                yield table
            with Vertical(classes="connect-section", id="serial-section"):
                yield Label("Serial ports", classes="connect-title")
                yield Static("", id="serial-status")
                ports: DataTable[str] = DataTable(id="serial-ports", cursor_type="row")
                ports.add_columns("port", "description")
                yield ports
                with Horizontal(classes="connect-row"):
                    yield Input(
                        value=self._current.target if self._current.kind == "serial" else "",
                        placeholder="/dev/ttyUSB0 or socket://host:port",
                        id="serial-device",
                    )
                    yield Button("Use", id="serial-use")
                yield Static("", id="serial-error")
                with Horizontal(classes="connect-row"):
                    yield Label("Model", classes="connect-label")
                    if self._wired:
                        yield Select(
                            [(plain(m.name), m.id) for m in self._wired],
                            value=self._serial_default(),
                            allow_blank=False,
                            id="serial-model",
                        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ble-loading").display = False
        self._list_ports()

    def _sim_default(self) -> str:
        """The model the simulated chair starts at: the current one's, if it is simulated."""
        ids = [m.id for m in self._models]
        if self._current.kind == "sim" and self._current.model_id in ids:
            return self._current.model_id
        return DEFAULT_MODEL if DEFAULT_MODEL in ids else ids[0]

    def _serial_default(self) -> str:
        """The model a serial port starts at: the current chair's, if it has a wire, else the
        default model, else the first with a wire."""
        ids = [m.id for m in self._wired]
        for candidate in (self._current.model_id, DEFAULT_MODEL):
            if candidate in ids:
                return candidate
        return ids[0]

    def _sim_label(self, model_id: str) -> Text:
        return plain(f"Use the built-in simulated chair ({get_model(model_id).name})")

    # -- the simulated chair ---------------------------------------------------------------

    @on(Select.Changed, "#sim-model")
    def _sim_model_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#sim-use", Button).label = self._sim_label(event.value)

    @on(Button.Pressed, "#sim-use")
    def _use_simulated(self) -> None:
        model = self._selected("#sim-model")
        if model is not None:
            self.dismiss(ChairChoice(ChairAddress("sim", "", model), model))

    # -- Bluetooth LE ----------------------------------------------------------------------

    @on(Button.Pressed, "#ble-scan")
    def action_scan(self) -> None:
        """Listen for chairs in the background; a new scan replaces one still running."""
        self.query_one("#ble-loading").display = True
        self._status(f"Scanning… ({SCAN_SECONDS:g} s)")
        self._scan()

    # exit_on_error=False: an unexpected failure of the radio stack must not close the app
    # while it may be driving a chair; it is shown as a line instead (see the state handler).
    @work(exclusive=True, group="ble-scan", exit_on_error=False)
    async def _scan(self) -> None:
        try:
            heard = await self._scanner(SCAN_SECONDS)
        except LinkError as error:
            # No adapter, BlueZ not running: a fact about this machine, not a failure.
            reason = str(error).removeprefix(_UNAVAILABLE)  # bleak's own reason may say it
            self._scan_done(f"{_UNAVAILABLE}{reason}")
            return
        table: DataTable[str] = self.query_one("#ble-found", DataTable)
        table.clear()
        self._found.clear()
        for device in heard:
            matching = [m for m in self._models if m.match.matches_name(device.name)]
            if not matching or device.address in self._found:
                continue
            # Several models may share a name pattern; the first is what --chair ble:NAME picks.
            self._found[device.address] = matching[0]
            # The advertised name is whatever a device nearby chose to broadcast; a table cell
            # reads Rich markup, so it is escaped.
            table.add_row(
                escaped(device.name or "-"),
                escaped(device.address),
                f"{device.rssi} dBm",
                ", ".join(m.id for m in matching),
                key=device.address,
            )
        count = len(self._found)
        if count:
            chairs = "chair" if count == 1 else "chairs"
            self._scan_done(f"Heard {count} {chairs}: choose one with Enter.")
            table.focus()
        else:
            self._scan_done(f"No chair heard in {SCAN_SECONDS:g} s.")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "ble-scan" and event.state == WorkerState.ERROR:
            self._scan_done(f"The Bluetooth scan failed: {event.worker.error}")

    def _scan_done(self, message: str) -> None:
        self.query_one("#ble-loading").display = False
        self._status(message)

    def _status(self, message: str) -> None:
        self.query_one("#ble-status", Static).update(plain(message))

    @on(DataTable.RowSelected, "#ble-found")
    def _use_ble(self, event: DataTable.RowSelected) -> None:
        address = event.row_key.value
        if address is not None and address in self._found:
            model = self._found[address]
            self.dismiss(ChairChoice(ChairAddress("ble-address", address, None), model.id))

    # -- serial ports ----------------------------------------------------------------------

    def _list_ports(self) -> None:
        status = self.query_one("#serial-status", Static)
        if not self._wired:
            status.update("No built-in model has a wired line.")
            self.query_one("#serial-device", Input).disabled = True
            self.query_one("#serial-use", Button).disabled = True
            return
        try:
            found = self._ports()
        except OSError as error:
            status.update(plain(f"Serial ports could not be listed: {error.strerror or error}"))
            return
        table: DataTable[str] = self.query_one("#serial-ports", DataTable)
        for port in found:
            table.add_row(escaped(port.device), escaped(port.description or "-"), key=port.device)
        status.update(
            "Choose a port, or type a device path or URL below."
            if found
            else "No serial ports found: type a device path or URL below."
        )

    @on(DataTable.RowSelected, "#serial-ports")
    def _use_port(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._use_serial(event.row_key.value)

    @on(Input.Changed, "#serial-device")
    def _clear_error(self) -> None:
        self.query_one("#serial-error", Static).update("")

    @on(Input.Submitted, "#serial-device")
    @on(Button.Pressed, "#serial-use")
    def _use_typed(self) -> None:
        text = self.query_one("#serial-device", Input).value.strip()
        error = self.query_one("#serial-error", Static)
        if not text:
            error.update(
                "Type a serial device path or URL, e.g. /dev/ttyUSB0 or socket://host:port"
            )
            return
        try:
            address = parse_chair(text)
        except ValueError as problem:
            error.update(str(problem))
            return
        if address.kind != "serial":
            error.update(f"'{text}' is not a serial device or URL: use the sections above")
            return
        self._use_serial(address.target)

    def _use_serial(self, device: str) -> None:
        model = self._selected("#serial-model")
        if model is not None:
            self.dismiss(ChairChoice(ChairAddress("serial", device, None), model))

    # -- common ----------------------------------------------------------------------------

    def _selected(self, selector: str) -> str | None:
        """The model id a Select shows, None if it is absent or blank."""
        selects = self.query(selector).results(Select)
        value = next(iter(selects), None)
        return value.value if value is not None and isinstance(value.value, str) else None

    def action_back(self) -> None:
        """Leave without changing the chair."""
        self.dismiss(None)
