"""What ``chairctl models ID`` shows of a model that depends on its protocol family: how it is
talked to, its own programs, and its key codes or data-point map, drawn from what the family
says of it (:mod:`drivers.families`)."""

from __future__ import annotations

from rich.table import Table

from chairctl.services.safetext import escaped
from drivers.families import family_of
from drivers.family import ModelDetails
from drivers.models.schema import ChairModel


def details(model: ChairModel) -> ModelDetails:
    """The family's account of ``model``."""
    return family_of(model).details(model)


def protocol_rows(model: ChairModel) -> list[tuple[str, str]]:
    """Rows saying how the chair is talked to, for the model's detail table."""
    return list(details(model).protocol)


def built_in_programs(model: ChairModel) -> list[str]:
    """The chair's own programs or region modes, by name."""
    return list(details(model).programs)


def family_tables(model: ChairModel) -> list[Table]:
    """The model's key codes or data-point map, and what its modes work, as tables. Cells come
    from a model file: escaped, never read as markup."""
    tables = []
    for shown in details(model).tables:
        table = Table(title=shown.title)
        for column in shown.columns:
            table.add_column(column, overflow="fold")
        for row in shown.rows:
            table.add_row(*(escaped(cell) for cell in row))
        tables.append(table)
    return tables
