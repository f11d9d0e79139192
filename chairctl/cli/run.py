"""``chairctl run``: a program on a chair, with live progress, stopped safely however it ends.

Nothing moves before the program is valid, compiled for the chair, and every approximation the
chair needs is shown. Ctrl-C, SIGTERM and SIGHUP (a closed terminal) ask the engine to stop,
which releases the chair before the process exits with 130, 143 or 129; so does the output
going away (``run --json | head``: 141). When the chair does not confirm its release, the last
words say so, what the chair will do on its own, and how to stop it by hand.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import click
from rich.console import Console
from rich.live import Live
from rich.text import Text

from chairctl.cli.chairs import chair_options
from chairctl.cli.people import guest_option, personalisation_for, profile_option
from chairctl.clock import Clock, VirtualClock
from chairctl.engine import (
    AdjustmentMade,
    Event,
    FaultRaised,
    Finished,
    Outcome,
    Paused,
    Resumed,
    SessionStarted,
    StatusReceived,
    StepStarted,
    Stopped,
    Warned,
)
from chairctl.plan import Plan, compile_program
from chairctl.plan.suitability import check_program_for
from chairctl.program import Program, format_duration, load_program
from chairctl.program.library import locate_program
from chairctl.safety import RECLINE_WARNING
from chairctl.safety.profile import Profile
from chairctl.safety.screening import Screening
from chairctl.services.chairs import ChairAddress, resolve_model
from chairctl.services.endings import SessionEnding, left_to_itself
from chairctl.services.notes import grouped
from chairctl.services.output import GuardedStream, QueuedStream, draining
from chairctl.services.people import ProfileRefused, open_store
from chairctl.services.safetext import escaped, plain
from chairctl.services.session import ChairControl
from chairctl.services.speed import check_speed, clock_for, session_config_for
from chairctl.store import Store, check_allowance
from chairctl.vocabulary import ChairctlError, ChairStatus
from drivers.models import ChairModel
from simulator.faults import ScheduledFault, parse_fault

T = TypeVar("T")


def event_json(event: Event) -> dict[str, Any]:
    """One engine event as a JSON-ready dict (``event`` names its kind)."""
    name = type(event).__name__
    data: dict[str, Any] = {"event": name, "at": round(event.at, 3)}
    match event:
        case SessionStarted():
            data |= {"program": event.program_id, "total_s": event.total_s}
        case StepStarted():
            setpoint = event.entry.setpoint
            data |= {
                "index": event.index,
                "step": event.entry.step,
                "line": event.entry.line,
                "technique": setpoint.technique.value,
                "regions": [r.value for r in setpoint.regions],
                "intensity": event.intensity,
                "duration_s": event.entry.duration_s,
            }
        case StatusReceived():
            status = event.status
            data |= {
                "work_state": status.work_state.value,
                "technique": status.technique.value if status.technique else None,
                "intensity": status.intensity,
                "roller_position": status.roller_position,
            }
        case AdjustmentMade() | Warned() | FaultRaised():
            data |= {"message": event.message}
        case Stopped():
            data |= {"reason": event.reason, "outcome": event.outcome.value}
            data |= {"chair_safe": event.chair_safe}
        case Finished():
            data |= {"chair_safe": event.chair_safe}
        case Paused() | Resumed():
            pass
    return data


@dataclass(frozen=True)
class _Ended:
    """How a run ended, and the chair's last word, for the closing lines."""

    outcome: Outcome
    safe: bool
    reason: str
    status: ChairStatus | None = None
    status_age_s: float = 0.0


@dataclass
class _Progress:
    """The one line a person watches while the chair works."""

    plan: Plan
    control: ChairControl
    step: str = "preparing the chair (body scan)"
    notes: list[str] = field(default_factory=list)

    def on_event(self, event: Event) -> None:
        match event:
            case StepStarted():
                setpoint = event.entry.setpoint
                where = ", ".join(r.value for r in setpoint.regions) or "no rollers"
                self.step = (
                    f"{event.entry.step} · {setpoint.technique.value} · {where} · "
                    f"intensity {event.intensity}"
                )
            case AdjustmentMade() | Warned():
                self.notes.append(event.message)
            case FaultRaised():
                self.notes.append(f"fault: {event.message}")
            case _:
                pass

    def render(self) -> Text:
        engine = self.control.engine
        total = (engine.end_s if engine is not None else 0.0) or self.plan.total_s or 1.0
        done = min(engine.elapsed(), total) if engine is not None else 0.0
        width = 30
        filled = round(width * done / total)
        line = Text()
        line.append("█" * filled, style="green").append("░" * (width - filled), style="dim")
        line.append(f" {format_duration(total - done)} left  ", style="bold")
        line.append(plain(self.step))
        if engine is not None and engine.paused:
            line.append("  (paused)", style="yellow")
        return line


def _confirm_space(console: Console) -> bool:
    """Ask whether the space around the chair is clear before a program that reclines it;
    False off a terminal (nobody to answer: the chair stays upright)."""
    if not (sys.stdin.isatty() and console.is_terminal):
        console.print(
            f"[yellow]•[/] {RECLINE_WARNING} Off a terminal nobody can confirm it, so "
            "the chair stays upright (--space-clear confirms it beforehand)."
        )
        return False
    console.print(f"[bold yellow]{RECLINE_WARNING}[/]")
    return click.confirm("Is the space under and beside the chair clear?", default=False)


async def _on(clock: Clock, work: Coroutine[Any, Any, T]) -> T:
    """``work`` on ``clock``: a virtual clock's time moves only while it is driven."""
    if isinstance(clock, VirtualClock):
        return await clock.run(work)
    return await work


def _preflight(program: Program, plan: Plan, control: ChairControl, console: Console) -> None:
    """Show what the person must know before anything moves; refuse what cannot be done."""
    console.print(f"[bold]{escaped(program.name)}[/] — {format_duration(plan.total_s)}")
    for caution in program.cautions:
        console.print(f"[bold yellow]caution[/] {escaped(caution, newlines=True)}")
    notes = [str(adjustment) for adjustment in plan.adjustments]
    for note in grouped([*notes, *control.approximations(plan)]):
        console.print(f"[dim]• {escaped(note)}[/]")
    console.print("[dim]Keep the chair's remote within reach; Ctrl-C stops the chair safely.[/]")


async def _run(
    program: Program,
    plan: Plan,
    address: ChairAddress,
    model: ChairModel,
    clock: Clock,
    faults: list[ScheduledFault],
    *,
    as_json: bool,
    console: Console,
    events_out: QueuedStream,
    ending: SessionEnding,
    store: Store,
    profile: Profile | None,
    profile_key: str | None,
    screening: Screening | None,
    fault_checked: bool,
) -> _Ended:
    config = session_config_for(clock)
    control = ChairControl(
        address,
        model,
        clock,
        store=store,
        config=config,
        shoulder_position=profile.shoulder_position if profile is not None else None,
    )
    if control.simulated is not None:
        for fault in faults:
            control.simulated.schedule(fault)
    if profile is not None and screening is not None:
        console.print(
            f"[bold]For {escaped(profile.name)}:[/] {screening.caps.describe() or 'no caps'}"
        )
        for notice in screening.notices:
            console.print(f"[yellow]•[/] {notice}")
    _preflight(program, plan, control, console)

    def stop(reason: str) -> None:
        # Before the session starts there is nothing to stop: connecting sends nothing, and
        # the ending's reason is heard once the link is up.
        if control.engine is not None:
            control.request_stop(reason)

    ending.install(asyncio.get_running_loop(), stop)
    try:
        await _connect(control, fault_checked=fault_checked)
        if ending.reason is not None:
            # Told to end before anything moved: connecting sends nothing.
            return _Ended(Outcome.STOPPED, True, ending.reason)
        # The session is logged as it runs: a process killed now leaves a row that the next
        # start marks interrupted; the log's trouble, if any, arrives as a warning.
        # The log's trouble is said after the chair's release, on the person's side (stderr
        # with --json), once.
        unlogged: list[str] = []
        say_later = unlogged.append
        if as_json:

            def write_event(event: Event) -> None:
                events_out.write(json.dumps(event_json(event)) + "\n")

            result = await control.run(
                program,
                plan,
                store=store,
                profile=profile,
                profile_key=profile_key,
                listener=write_event,
                on_log_problem=say_later,
            )
        else:
            progress = _Progress(plan, control)
            with Live(progress.render(), console=console, refresh_per_second=4) as live:

                def show(event: Event) -> None:
                    progress.on_event(event)
                    live.update(progress.render())

                result = await control.run(
                    program,
                    plan,
                    store=store,
                    profile=profile,
                    profile_key=profile_key,
                    listener=show,
                    on_log_problem=say_later,
                )
            if not console.is_terminal:
                console.print()  # the last progress line ends without one off a terminal
            for note in progress.notes:
                console.print(f"[yellow]•[/] {escaped(note)}")
        for said in unlogged:
            console.print(plain(f"• {said}", "yellow"))
        return _Ended(
            result.outcome,
            result.chair_safe,
            result.reason,
            control.status,
            control.status_age_s,
        )
    finally:
        ending.uninstall()
        # The session's own end released the chair: closing sends nothing more.
        await control.close(release=False)
        if control.faults.trouble is not None:
            console.print(f"[yellow]•[/] {escaped(control.faults.trouble)}")


async def _connect(control: ChairControl, *, fault_checked: bool) -> None:
    """Connect, sending nothing; refuse a chair in a fault, seen now or kept from before,
    unless the person says they checked it (then the fault is cleared on the chair too)."""
    if fault_checked:
        await control.connect_checked()
    else:
        await control.connect()


@click.command()
@click.argument("program_name", metavar="PROGRAM")
@chair_options
@click.option(
    "--speed",
    type=click.FloatRange(min=0.1),
    help="Simulated chairs only: time factor (for chairctl sim serve, give it the same --speed).",
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="NAME@SECONDS",
    help="Simulated chair only: inject a fault (overload@180, link-drop@60, ...).",
)
@click.option(
    "--space-clear",
    is_flag=True,
    help="Confirm beforehand that nobody and nothing is under or beside the chair, for a "
    "program that reclines it (asked otherwise; off a terminal, it stays upright).",
)
@click.option(
    "--fault-checked",
    is_flag=True,
    help="You checked the chair after the fault it reported (now, or in an earlier session "
    "nobody cleared): clear it and go on.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line instead.")
@profile_option
@guest_option
def run(
    program_name: str,
    address: ChairAddress,
    model_id: str | None,
    speed: float | None,
    faults: tuple[str, ...],
    space_clear: bool,
    fault_checked: bool,
    as_json: bool,
    profile_name: str | None,
    guest: bool,
    home: Path | None,
) -> None:
    """Run a program on a chair (the simulated one unless --chair says otherwise).

    PROGRAM is a file or the id of a library program; with --profile, compiled for that person
    and their health screening; with --guest, with a guest's limits. On a real chair one of
    the two is required. The session is recorded (see chairctl history). Exits 0 when it
    ran to its end, 130 when stopped with Ctrl-C (143 on SIGTERM), 1 on a fault; the chair is
    released in every case.
    """
    # However the reader goes away (a closed pipe, a closed terminal), writing never breaks
    # the session: the first failed write stops it, like a signal. A reader that stalls never
    # holds it back: writes queue, and are written by a thread of their own.
    ending = SessionEnding()
    stdout = QueuedStream(GuardedStream(sys.stdout, ending.output_lost))
    stderr = QueuedStream(GuardedStream(sys.stderr, ending.output_lost))
    # The chair is released (or was never moved) when the block ends: only then may the words
    # wait for the reader, and they come before any error click prints on the way out.
    with draining(stdout, stderr):
        # (Rich types its file as IO[str]; it only writes, flushes and asks isatty and fileno.)
        console = Console(highlight=False, file=cast("IO[str]", stderr if as_json else stdout))
        program = load_program(locate_program(program_name))
        if address.kind != "sim" and profile_name is None and not guest:
            # A real person sits in a real chair: their screening decides, never the program as
            # written (checked before the chair is even reached).
            raise click.UsageError(
                "who is in the chair? On a real chair give --profile NAME (a saved profile: "
                "chairctl profiles add) or --guest (a few questions, then the strictest limits)"
            )
        model = resolve_model(address, model_id)
        person, profile, screening = personalisation_for(home, profile_name, guest=guest)
        if screening is not None:
            not_for = check_program_for(program, screening, model.capabilities)
            if not_for:
                raise ProfileRefused("\n".join(not_for))
        plan = compile_program(program, person=person, chair=model.capabilities)
        needs_space = plan.reclines and model.capabilities.stop_moves_posture and not space_clear
        if needs_space and not _confirm_space(console):
            person = person.upright("the space around the chair was not confirmed clear")
            plan = compile_program(program, person=person, chair=model.capabilities)
        if profile_name is not None:
            with open_store(home) as store:
                check_allowance(store, profile_name, plan.total_s)
        try:
            check_speed(address, speed)
        except ChairctlError as error:
            message = str(error).removeprefix("--speed: ")
            raise click.BadParameter(message, param_hint="--speed") from None
        if faults and address.kind != "sim":
            raise click.BadParameter(
                "faults go into the simulated chair only", param_hint="--fault"
            )
        try:
            scheduled = [parse_fault(text) for text in faults]
        except ChairctlError as error:
            raise click.BadParameter(str(error), param_hint="--fault") from None
        with open_store(home) as store:
            clock = clock_for(address, speed)
            ended = asyncio.run(
                _on(
                    clock,
                    _run(
                        program,
                        plan,
                        address,
                        model,
                        clock,
                        scheduled,
                        as_json=as_json,
                        console=console,
                        events_out=stdout,
                        ending=ending,
                        store=store,
                        profile=profile,
                        profile_key=profile_name,
                        screening=screening,
                        fault_checked=fault_checked,
                    ),
                )
            )
        _closing_words(console, program, ended)
        dropped = stdout.dropped + stderr.dropped
        if dropped:
            console.print(
                plain(
                    f"• {dropped} writes of output were left out: their reader did not keep up.",
                    "yellow",
                )
            )
        code = ending.exit_code
        if code is None:
            code = 0 if ended.safe and ended.outcome is not Outcome.FAULT else 1
        sys.exit(code)


def _closing_words(console: Console, program: Program, ended: _Ended) -> None:
    """The last lines: how it ended, and only what the chair confirmed."""
    if ended.outcome is Outcome.COMPLETED:
        head = f"[green]Finished[/] {escaped(program.name)}."
    elif ended.outcome is Outcome.FAULT:
        head = f"[bold red]Stopped on a fault:[/] {escaped(ended.reason)}."
    else:
        head = f"{escaped(ended.reason[:1].upper() + ended.reason[1:])}."
    if ended.safe:
        rest = " The chair is at rest." if ended.outcome is not Outcome.COMPLETED else ""
        console.print(head + rest)
        return
    console.print(head)
    console.print(
        "[bold red]The chair did not confirm its safe state: it may still be working.[/] "
        + escaped(left_to_itself(ended.status, ended.status_age_s))
    )
