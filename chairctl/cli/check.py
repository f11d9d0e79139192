"""``chairctl check``: every program through the whole stack on a simulated chair, judged.

Each program is compiled for the model (and the person, if a profile is given), then run by
the engine through the real chair session, codec and an in-memory link against a simulated
chair, all on one VirtualClock, so a 15-minute program checks in a fraction of a second. It is
judged on the simulator's ground truth (where the rollers really were, how deep, which airbags,
heat), never on what the driver believed it sent.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import click
from rich.console import Console

from chairctl.cli.chairs import ChairAddress, links_for
from chairctl.cli.check_report import ProgramCheck, StepResult, print_report, write_junit
from chairctl.cli.people import personalisation_for, profile_option
from chairctl.clock import VirtualClock
from chairctl.engine import Engine
from chairctl.plan import AS_WRITTEN, Personalisation, compile_program
from chairctl.program import load_program, program_files
from chairctl.program.library import library_dir
from chairctl.vocabulary import ChairctlError, ProgramError
from drivers.chair import ChairSession
from drivers.models import DEFAULT_MODEL, ChairModel, get_model
from simulator.faults import ScheduledFault, parse_fault
from simulator.judge import Expectation, judge, region_work, safety_violations

#: Virtual time allowed beyond the plan for start-up, the stop and the settle.
_SLACK_S = 600.0


async def _run(
    path: Path,
    model: ChairModel,
    person: Personalisation,
    faults: list[ScheduledFault],
) -> ProgramCheck:
    program = load_program(path)
    plan = compile_program(program, person=person, chair=model.capabilities)
    check = ProgramCheck(path, program.id, plan.total_s, "not run", "")
    ran_for = 0.0
    clock = VirtualClock()
    connection = links_for(ChairAddress("sim", "", model.id), model, clock)
    chair = connection.simulated
    assert chair is not None  # a "sim" address always builds one
    for fault in faults:
        chair.schedule(fault)
    session = ChairSession(model, connection.links, clock)
    approximations = {
        entry: tuple(session.approximations(entry.setpoint)) for entry in plan.entries
    }
    engine = Engine(plan, session, clock)

    async def scenario() -> None:
        nonlocal ran_for
        await session.connect()
        result = await engine.run()
        check.outcome, check.reason = result.outcome.value, result.reason
        ran_for = result.session_s
        # Let the chair finish settling, so the end state can be judged.
        await clock.sleep(model.timing.settle_cap_s + 1)
        await session.close()

    await clock.run(scenario(), limit=plan.total_s + _SLACK_S)
    origin = engine.started_at
    expectations = [
        Expectation(origin + e.start_s, origin + e.end_s, e.setpoint, e.step) for e in plan.entries
    ]
    for entry, verdict in zip(plan.entries, judge(expectations, chair.trace, model), strict=True):
        check.steps.append(
            StepResult(
                entry.step,
                entry.line,
                entry.duration_s,
                verdict.fidelity,
                verdict.misses,
                verdict.unfollowable,
                approximations[entry],
            )
        )
    end = origin + plan.total_s
    check.regions = {
        region: (work.seconds, work.mean_depth)
        for region, work in region_work(chair.trace, origin, end).items()
    }
    check.violations = safety_violations(
        chair.trace,
        model,
        session_start=origin,
        session_end=origin + ran_for,
        max_intensity=person.max_intensity,
        heat_allowed=person.heat_allowed,
    )
    return check


def check_program(
    path: Path,
    model: ChairModel,
    person: Personalisation = AS_WRITTEN,
    faults: list[ScheduledFault] | None = None,
) -> ProgramCheck:
    """Check one program file; loader errors are raised, chair errors become findings."""
    started = time.perf_counter()
    try:
        check = asyncio.run(_run(path, model, person, faults or []))
    except ProgramError:
        raise
    except ChairctlError as error:
        check = ProgramCheck(path, path.stem, 0.0, "error", str(error), problems=[str(error)])
    check.wall_s = time.perf_counter() - started
    return check


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--model", "model_id", default=DEFAULT_MODEL, show_default=True, help="Chair model.")
@click.option(
    "--min-fidelity",
    type=click.FloatRange(0, 100),
    default=90.0,
    show_default=True,
    help="Lowest acceptable fidelity, in percent.",
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="NAME@SECONDS",
    help="Inject a fault into the simulated chair (overload@180, link-drop@60, ...).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document for machines.")
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="Write JUnit XML.")
@profile_option
def check(
    paths: tuple[Path, ...],
    model_id: str,
    min_fidelity: float,
    faults: tuple[str, ...],
    as_json: bool,
    junit: Path | None,
    profile_name: str | None,
    home: Path | None,
) -> None:
    """Run programs on a simulated chair in virtual time and judge what it physically did.

    PATHS are program files or folders (default: the program library). With --profile, each is
    compiled for that person and judged against their caps. Exits 1 if any program has a safety
    violation, a step the chair cannot follow, or a fidelity under the threshold.
    """
    model = get_model(model_id)
    person, _, _ = personalisation_for(home, profile_name)
    try:
        scheduled = [parse_fault(text) for text in faults]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--fault") from None
    files = list(program_files(paths or (library_dir(),)))
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise click.ClickException(f"no such file or folder: {missing[0]}")
    invalid: list[str] = []
    checks: list[ProgramCheck] = []
    for path in files:
        try:
            checks.append(check_program(path, model, person, scheduled))
        except ProgramError as error:
            invalid.extend(str(problem) for problem in error.problems)
    threshold = min_fidelity / 100
    if as_json:
        click.echo(
            json.dumps(
                {
                    "model": model.id,
                    "min_fidelity": threshold,
                    "invalid": invalid,
                    "programs": [c.to_json(threshold) for c in checks],
                },
                indent=2,
            )
        )
    else:
        for line in invalid:
            click.echo(line, err=True)
        print_report(checks, threshold, Console(highlight=False))
    if junit is not None:
        write_junit(checks, threshold, junit)
    if invalid or any(c.failures(threshold) for c in checks):
        sys.exit(1)
