"""Finding chairs in range, including the simulated air the app's demo and ``scan --sim`` use.

Real scans are :mod:`drivers.links.discovery`'s; this adds a simulated air with one simulated
chair in it, scanned through the real bleak code path on a virtual clock, so a scan with no
Bluetooth hardware shows what a real one would.
"""

from __future__ import annotations

from typing import Final

from chairctl.clock import VirtualClock
from drivers.links.discovery import BleAdvertiser, scan_ble
from drivers.models import DEFAULT_MODEL, get_model
from simulator.families import simulated_chair

#: The chair the simulated air holds (the default model), and the name it advertises.
SIM_MODEL: Final = DEFAULT_MODEL
SIM_NAME: Final = "EVOLUTION-012345"


async def scan_simulated_air(
    seconds: float, *, name: str = SIM_NAME, model_id: str = SIM_MODEL
) -> list[BleAdvertiser]:
    """Scan a simulated air holding one simulated chair named ``name``; returns at once, as
    the air lives on its own virtual clock (``--sim``, and the app's demo scanner)."""
    clock = VirtualClock()
    chair = simulated_chair(get_model(model_id), clock, transport="ble")
    try:
        from simulator.ble import SimulatedAir  # noqa: PLC0415 - bleak loads only to scan

        with SimulatedAir() as air:
            air.add(chair, name=name)
            return await clock.run(scan_ble(seconds, backend=air.backend, clock=clock))
    finally:
        chair.close()
