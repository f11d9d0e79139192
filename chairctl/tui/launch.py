"""How plain ``chairctl`` on a terminal opens the app.

The command line and the app are siblings that never import each other: the app offers
:func:`open_app` as the ``app`` entry point of the ``chairctl.front_ends`` group
(pyproject.toml), and the console script (:func:`chairctl.cli.main`) finds it there.
"""

from __future__ import annotations

import sys
from pathlib import Path

from chairctl.services.chairs import ChairAddress, resolve_model
from chairctl.services.people import load_profile, open_store
from chairctl.services.remote.target import BridgeTarget
from chairctl.vocabulary.text import printable


def open_app(
    address: ChairAddress,
    model_id: str | None,
    profile_name: str | None,
    home: Path | None,
    *,
    bridge: BridgeTarget | None = None,
) -> None:
    """Run the app until the person quits; the chair is released on the way out (with
    ``bridge``, the app shows that bridge's chair and leaves it with the bridge).

    Arguments are checked before the screen changes, so a mistake in them is one line on the
    terminal, as for every command.
    """
    from chairctl.tui.app import ChairctlApp  # noqa: PLC0415 - Textual loads only for the app

    if bridge is not None:
        # The person is checked against the bridge's people once they are heard.
        bridged = ChairctlApp(profile_name=profile_name, bridge=bridge)
        bridged.run()
        print(printable(f"The chair stays with the bridge ({bridge.url})."))
        if bridged.return_code:
            sys.exit(bridged.return_code)
        return
    resolve_model(address, model_id)
    if profile_name is not None:
        with open_store(home) as store:
            load_profile(store, profile_name)
    app = ChairctlApp(address=address, model_id=model_id, profile_name=profile_name, home=home)
    app.run()
    if app.return_code:
        # A signal, a closed terminal (the shell's code for it) or a crash (1): the chair was
        # released on the way out either way.
        sys.exit(app.return_code)
