"""``chairctl check``: every program through the whole stack on a simulated chair, judged, for
every person of a population.

Each program is compiled for the model and a person (:mod:`chairctl.cli.population`: where
their shoulders really are, their health answers, a region kept off, what they press while it
runs), then run by the engine through the real chair session, codec and an in-memory link
against a simulated chair with that person in it, all on one VirtualClock, so a 15-minute
program checks in a fraction of a second. It is judged on the simulator's ground truth (where
the rollers really were, how deep, which airbags, how hot, where the backrest went), never on
what the driver believed it sent. The default sitter of the program as written is also judged
for fidelity; everyone is judged for safety.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click
from rich.console import Console

from chairctl.cli.check_report import ProgramCheck, StepResult, print_report, write_junit
from chairctl.cli.people import guest_option, personalisation_for, profile_option
from chairctl.cli.population import (
    BODIES,
    CI_POPULATION,
    EXCLUSIONS,
    LIVE,
    PAUSE_S,
    TIERS,
    BodyName,
    Person,
    crossed,
    full_population,
    names,
)
from chairctl.clock import VirtualClock
from chairctl.engine import Engine, Event, SessionStarted, StepStarted
from chairctl.plan import Personalisation, Plan, compile_program
from chairctl.program import load_program, program_files
from chairctl.program.library import library_dir, locate_program
from chairctl.safety.screening import Screening, contraindicated_for
from chairctl.services.chairs import ChairAddress, links_for
from chairctl.services.session import ChairControl
from chairctl.vocabulary import ChairctlError, PlanError, ProgramError, Region, Unsupported
from drivers.models import DEFAULT_MODEL, ChairModel, get_model
from drivers.models.registry import builtin_registry
from simulator.config import Sitter
from simulator.faults import ScheduledFault, parse_fault
from simulator.judge import Expectation, Limits, judge, region_work, safety_violations

#: Virtual time allowed beyond the plan for start-up, the stop, the settle and live pauses.
_SLACK_S = 900.0


def limits_of(person: Personalisation) -> Limits:
    """The judge's view of a person's limits."""
    return Limits(
        max_intensity=person.max_intensity,
        max_airbag=person.max_airbag,
        airbags_off=person.airbags_off,
        keep_off=person.skip_regions,
        heat_allowed=person.heat_allowed,
        recline_allowed=person.recline_allowed,
    )


async def _live(
    control: ChairControl, clock: VirtualClock, actions: list[tuple[float, str]]
) -> None:
    """Play a person's live script on a running session: "+" presses, pauses and resumes."""
    while control.engine is None or not control.engine.started:
        await clock.sleep(0.5)
    engine = control.engine
    for at, action in actions:
        if action == "resume":
            await clock.sleep(PAUSE_S)
            await control.resume()
            continue
        await clock.sleep_until(engine.started_at + at)
        if action == "+":
            await control.change_intensity(+1)
        else:
            await control.pause()


async def _run(
    path: Path,
    model: ChairModel,
    person: Personalisation,
    faults: list[ScheduledFault],
    sitter: Person,
    simulated: ChairModel,
) -> ProgramCheck:
    program = load_program(path)
    plan = compile_program(program, person=person, chair=model.capabilities)
    check = ProgramCheck(path, program.id, plan.total_s, "not run", "", person=sitter.label)
    ran_for = 0.0
    clock = VirtualClock()
    # The chair simulated is the model's own, or another the file is to be checked against:
    # then the driver speaks the file, and the chair does what that other model's chair does.
    body = Sitter(shoulder_position=sitter.shoulder(simulated))
    address = ChairAddress("sim", "", simulated.id)
    connection = links_for(address, simulated, clock, sitter=body)
    chair = connection.simulated
    assert chair is not None  # a "sim" address always builds one
    for fault in faults:
        chair.schedule(fault)
    # The average sitter of the program as written has their shoulder line measured in their
    # profile, so fidelity is the program's; everyone else in a population is judged with no
    # line known, where the driver places the rollers for every body the window allows.
    known = body.shoulder_position if sitter.as_written else None
    control = ChairControl(address, model, clock, connection=connection, shoulder_position=known)
    approximations = {
        entry: tuple(control.approximations_of(entry.setpoint)) for entry in plan.entries
    }
    began: list[float] = []
    #: When the engine moved on to each entry, on the chair's clock.
    moved: dict[int, float] = {}
    #: The session's engine, kept from its first event: the judge needs its clock origin
    #: after the run, when the control no longer holds it.
    engines: list[Engine] = []

    def heard(event: Event) -> None:
        if not engines and control.engine is not None:
            engines.append(control.engine)
        if isinstance(event, SessionStarted):
            began.append(clock.now())
        elif isinstance(event, StepStarted):
            moved.setdefault(event.index, clock.now())

    async def scenario() -> None:
        nonlocal ran_for
        await control.connect()
        script = asyncio.ensure_future(_live(control, clock, sitter.actions(plan.total_s)))
        try:
            result = await control.run(program, plan, store=None, profile=None, listener=heard)
        finally:
            script.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await script
        check.outcome, check.reason = result.outcome.value, result.reason
        ran_for = result.session_s
        # Let the chair finish settling, so the end state can be judged.
        await clock.sleep(model.timing.settle_cap_s + 1)
        await control.disconnect()

    await clock.run(scenario(), limit=plan.total_s + _SLACK_S)
    started_at = engines[0].started_at if engines else clock.now()
    # Session time stands still while paused, so the session's origin on the chair's clock
    # moves on with each pause: from where it first was to where it ended up.
    first = began[0] if began else started_at
    last = started_at
    if sitter.as_written:
        # Fidelity is the program's: judged for the chair's average sitter of the program as
        # written, left to follow it. Everyone is judged for safety.
        expectations = _expectations(plan, first)
        verdicts = judge(expectations, chair.trace, simulated)
        for entry, verdict in zip(plan.entries, verdicts, strict=True):
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
    check.regions = {
        region: (work.seconds, work.mean_depth)
        for region, work in region_work(chair.trace, first, last + plan.total_s).items()
    }
    check.violations = safety_violations(
        chair.trace,
        simulated,
        session_start=first,
        session_end=last + ran_for,
        limits=limits_of(person),
        expectations=_allowed(plan, first, last, moved),
        reclined=plan.reclines,
    )
    return check


def _expectations(plan: Plan, origin: float) -> list[Expectation]:
    """The plan's entries on the chair's clock, each piece of a step marked as such (a step
    cut by the gentle start or the heat allowance is one step to follow)."""
    entries = plan.entries
    same = [
        i > 0 and (e.line, e.step) == (entries[i - 1].line, entries[i - 1].step)
        for i, e in enumerate(entries)
    ]
    expectations: list[Expectation] = []
    for i, entry in enumerate(entries):
        end = i
        while end + 1 < len(entries) and same[end + 1]:
            end += 1
        expectations.append(
            Expectation(
                origin + entry.start_s,
                origin + entry.end_s,
                entry.setpoint,
                entry.step,
                continued=same[i],
                step_end=origin + entries[end].end_s,
            )
        )
    return expectations


def _allowed(plan: Plan, first: float, last: float, moved: dict[int, float]) -> list[Expectation]:
    """What each entry may press, on the chair's clock: from its earliest start to its latest
    end, or until the engine moved on from it (a slow change, a posture move, holds the
    session back: the chair is asked for the next entry only then)."""
    windows = []
    for index, entry in enumerate(plan.entries):
        later = [at for i, at in moved.items() if i > index]
        end = max(last + entry.end_s, min(later) if later else last + entry.end_s)
        windows.append(Expectation(first + entry.start_s, end, entry.setpoint, entry.step))
    return windows


def check_program(
    path: Path,
    model: ChairModel,
    person: Personalisation | None = None,
    faults: list[ScheduledFault] | None = None,
    sitter: Person | None = None,
    simulated: ChairModel | None = None,
) -> ProgramCheck:
    """Check one program file for one person; loader errors are raised, chair errors and a
    refusal by the person's screening become findings.

    ``sitter`` is the person of a population (body, tier, exclusion, live changes); ``person``
    overrides their personalisation (``--profile``). ``simulated`` is the chair to simulate
    when it is not ``model``'s own (to check a model file against a chair chairctl knows).
    """
    sitter = sitter or Person()
    started = time.perf_counter()
    try:
        program = load_program(path)
        try:
            compile_program(program, chair=model.capabilities)
        except PlanError as error:
            # The chair cannot run it for anyone: said once, before anything moves.
            check = ProgramCheck(
                path,
                program.id,
                0.0,
                "unsupported",
                str(error),
                problems=[str(error)],
                person=sitter.label,
            )
            check.wall_s = time.perf_counter() - started
            return check
        if person is None:
            screening = sitter.screening()
            if screening is not None and screening.blocked:
                check = ProgramCheck(
                    path, path.stem, 0.0, "refused", screening.blocked[0], person=sitter.label
                )
                check.wall_s = time.perf_counter() - started
                return check
            person = screening.personalisation() if screening else Personalisation()
        check = asyncio.run(_run(path, model, person, faults or [], sitter, simulated or model))
    except ProgramError:
        raise
    except Unsupported as error:
        # The chair has no way to do what the plan asks for this person: the driver says so
        # before anything moves, as the compiler does for everyone.
        check = ProgramCheck(
            path,
            path.stem,
            0.0,
            "unsupported",
            str(error),
            problems=[str(error)],
            person=sitter.label,
        )
    except ChairctlError as error:
        check = ProgramCheck(
            path, path.stem, 0.0, "error", str(error), problems=[str(error)], person=sitter.label
        )
    check.wall_s = time.perf_counter() - started
    return check


_Task = tuple[Path, str, Personalisation | None, list[ScheduledFault], Person, str | None]


def _check_task(task: _Task) -> ProgramCheck | list[str]:
    """One check in a worker process: the models by id (models are not sent across)."""
    path, model_id, person, faults, sitter, simulated = task
    try:
        other = None if simulated is None else get_model(simulated)
        return check_program(path, get_model(model_id), person, faults, sitter, other)
    except ProgramError as error:
        return [str(problem) for problem in error.problems]


def run_checks(
    files: Sequence[Path],
    models: Sequence[ChairModel],
    people: Sequence[Person],
    *,
    person: Personalisation | None = None,
    faults: list[ScheduledFault] | None = None,
    jobs: int = 1,
    safety_only: bool = False,
    simulated: ChairModel | None = None,
) -> tuple[list[ProgramCheck], list[str]]:
    """Every program for every model and person, on ``jobs`` processes; the checks in order,
    and the problems of program files that did not load."""
    other = None if simulated is None else simulated.id
    tasks: list[_Task] = [
        (path, model.id, person, faults or [], sitter, other)
        for model in models
        for path in files
        for sitter in people
    ]
    if jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_check_task, tasks, chunksize=1))
    else:
        results = [_check_task(task) for task in tasks]
    checks: list[ProgramCheck] = []
    invalid: list[str] = []
    for (_path, model_id, *_rest), result in zip(tasks, results, strict=True):
        if isinstance(result, list):
            invalid.extend(p for p in result if p not in invalid)
        else:
            result.model_id = model_id
            result.safety_only = safety_only
            checks.append(result)
    return checks, invalid


def _population(
    preset: str | None,
    bodies: tuple[str, ...],
    tiers: tuple[str, ...],
    excludes: tuple[str, ...],
    lives: tuple[str, ...],
) -> list[Person]:
    if preset is not None and (bodies or tiers or excludes or lives):
        raise click.UsageError("--population does not go with --body, --tier, --exclude or --live")
    if preset == "ci":
        return list(CI_POPULATION)
    if preset == "full":
        return full_population()
    try:
        chosen_bodies = _bodies(bodies)
        chosen_tiers = names(tiers, TIERS, "tier") or ["as-written"]
        regions = ["none", *(r.value for r in EXCLUSIONS if r is not None)]
        chosen_excludes = names(excludes, regions, "region") or ["none"]
        chosen_lives = names(lives, LIVE, "live script") or ["none"]
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    return crossed(
        chosen_bodies,
        chosen_tiers,
        [None if r == "none" else Region(r) for r in chosen_excludes],
        [lv for lv in LIVE if lv in chosen_lives],
    )


def _bodies(values: tuple[str, ...]) -> list[BodyName | float]:
    """Bodies by name, or as a shoulder line in carriage positions ("9.0")."""
    chosen: list[BodyName | float] = []
    for value in (v.strip() for text in values for v in text.split(",") if v.strip()):
        named = next((b for b in BODIES if b == value), None)
        if named is not None:
            chosen.append(named)
            continue
        try:
            line = float(value)
        except ValueError:
            raise ValueError(
                f"unknown body '{value}'; known: {', '.join(BODIES)}, or a shoulder line in "
                "carriage positions (9.0)"
            ) from None
        if not 0 < line <= 31:
            raise ValueError(f"a shoulder line of {value} is not on any chair's track")
        chosen.append(line)
    return chosen or ["default"]


def _models(model_ids: tuple[str, ...]) -> list[ChairModel]:
    if not model_ids:
        return [get_model(DEFAULT_MODEL)]
    if "all" in model_ids:
        # Every model chairctl ships (a user's own files are named one by one).
        return list(builtin_registry())
    return [get_model(model_id) for model_id in model_ids]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--model",
    "model_ids",
    multiple=True,
    metavar="MODEL",
    help=f"Chair model, repeatable, or 'all' for every shipped model [default: {DEFAULT_MODEL}].",
)
@click.option(
    "--population",
    type=click.Choice(["ci", "full"]),
    help="Judge a population: 'ci' covers every dimension at its extremes in a few people; "
    "'full' crosses every body, tier, exclusion and live script (long).",
)
@click.option(
    "--body",
    "bodies",
    multiple=True,
    help="shortest, default, tallest, or a shoulder line in carriage positions (comma list).",
)
@click.option("--tier", "tiers", multiple=True, help=f"{', '.join(TIERS)} (comma list).")
@click.option(
    "--exclude", "excludes", multiple=True, help="none or a region kept off (comma list)."
)
@click.option("--live", "lives", multiple=True, help=f"{', '.join(LIVE)} (comma list).")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes to check on (0 cores idle otherwise; try the number of cores).",
)
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
@click.option(
    "--simulate",
    "simulated_id",
    metavar="MODEL",
    help="Simulate this model's chair and drive it with --model's file: checks a model file "
    "of your own against a chair chairctl knows.",
)
@click.option(
    "--safety-only",
    is_flag=True,
    help="Judge safety alone: not fidelity, and a program the chair cannot run at all is "
    "listed rather than failed (for chairs that cannot place their rollers).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document for machines.")
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="Write JUnit XML.")
@profile_option
@guest_option
def check(
    paths: tuple[Path, ...],
    model_ids: tuple[str, ...],
    population: str | None,
    bodies: tuple[str, ...],
    tiers: tuple[str, ...],
    excludes: tuple[str, ...],
    lives: tuple[str, ...],
    jobs: int,
    min_fidelity: float,
    faults: tuple[str, ...],
    simulated_id: str | None,
    safety_only: bool,
    as_json: bool,
    junit: Path | None,
    profile_name: str | None,
    guest: bool,
    home: Path | None,
) -> None:
    """Run programs on a simulated chair in virtual time and judge what it physically did.

    PATHS are program files or folders (default: the program library). Each is checked for the
    default sitter of the program as written, or for every person of a population: --population
    ci, or a cross of --body, --tier, --exclude and --live. With --profile, for that person;
    with --guest, for a guest.
    Exits 1 if any program has a safety violation for anyone, a step the chair cannot follow,
    or a fidelity under the threshold.
    """
    models = _models(model_ids)
    people = _population(population, bodies, tiers, excludes, lives)
    person: Personalisation | None = None
    screening: Screening | None = None
    if profile_name is not None or guest:
        person, _, screening = personalisation_for(home, profile_name, guest=guest)
    try:
        scheduled = [parse_fault(text) for text in faults]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--fault") from None
    # A path that does not exist may be a library id, as run and show take one.
    named = [path if path.exists() else locate_program(str(path)) for path in paths]
    files = list(program_files(named or (library_dir(),)))
    if screening is not None:
        files = _meant_for(files, screening)
    checks, invalid = run_checks(
        files,
        models,
        people,
        person=person,
        faults=scheduled,
        jobs=min(jobs, os.cpu_count() or 1),
        safety_only=safety_only,
        simulated=None if simulated_id is None else get_model(simulated_id),
    )
    threshold = min_fidelity / 100
    if as_json:
        click.echo(
            json.dumps(
                {
                    "models": [model.id for model in models],
                    "model": models[0].id,
                    "people": [p.label for p in people],
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


def _meant_for(files: list[Path], screening: Screening) -> list[Path]:
    """The files whose program is meant for the screened person; the others are said (on
    stderr) and not judged: run refuses them for that person. Invalid files stay, to be
    reported as such."""
    kept = []
    for path in files:
        try:
            program = load_program(path)
        except ChairctlError:
            kept.append(path)
            continue
        reason = contraindicated_for(program, screening)
        if reason is None:
            kept.append(path)
        else:
            click.echo(f"{path}: not checked: {reason}", err=True)
    return kept
