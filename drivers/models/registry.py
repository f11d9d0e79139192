"""The chair model registry: every model file in ``drivers/models``, then the user's own, each
validated when loaded.

The user's model files live in ``$CHAIRCTL_HOME/models`` (the folder the local database uses),
else in ``models`` under the platform's user config folder. A user file with the id of a
shipped model replaces it; a user file that is not valid stops everything with its located
problems, as a shipped one would.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import platformdirs

from chairctl.vocabulary import ModelError, Problem, UnknownModel
from chairctl.yamlsource import (
    YamlSourceProblems,
    read_yaml,
    suggest,
    validate_source,
)
from drivers.models.common import ModelBase
from drivers.models.schema import DEFAULT_MODEL, ChairModel, model_class_for

#: Where the models shipped with chairctl live.
BUILTIN_MODELS = Path(__file__).parent
#: Model files are small; anything larger is a mistake.
MAX_MODEL_BYTES = 64 * 1024
#: The environment variable naming chairctl's own folder (the same one the local database
#: reads; drivers may not import the store, so the name is repeated here).
HOME_VARIABLE = "CHAIRCTL_HOME"
#: The folder of the user's model files inside that folder or the user config folder.
USER_MODELS_FOLDER = "models"


def user_models_dir() -> Path:
    """Where the user's own model files go: ``$CHAIRCTL_HOME/models`` when the variable is set
    and not empty, else ``models`` in the platform's user config folder. Nothing is created."""
    # An empty variable is how shells spell "unset" as often as not.
    variable = os.environ.get(HOME_VARIABLE, "").strip()
    home = Path(variable) if variable else platformdirs.user_config_path("chairctl")
    return home.expanduser() / USER_MODELS_FOLDER


@dataclass(frozen=True)
class ModelSource:
    """The file a model was loaded from, and the file of the same id it replaced, if any."""

    path: Path
    replaces: Path | None = None

    @property
    def shipped(self) -> bool:
        """Whether the model is one shipped with chairctl (not a user's file)."""
        return self.path.parent == BUILTIN_MODELS

    @property
    def overrides_shipped(self) -> bool:
        """Whether this file replaced a shipped model of the same id."""
        return self.replaces is not None and self.replaces.parent == BUILTIN_MODELS


def load_model_file(path: Path) -> ChairModel:
    """Read and validate one model file; :class:`ModelError` with located problems if bad."""
    try:
        doc = read_yaml(path, max_bytes=MAX_MODEL_BYTES, what="model file")
        # The family decides the rest of the file's shape, so it is read first.
        chosen = model_class_for(doc.data)
        if isinstance(chosen, str):
            where = doc.value_location(("protocol", "family"))
            raise ModelError([Problem(where, chosen)])
        model: ChairModel = validate_source(doc, chosen)
    except YamlSourceProblems as error:
        raise ModelError(error.problems) from None
    if model.id != path.stem:
        raise ModelError(
            [
                Problem(
                    doc.value_location(("id",)),
                    f"id '{model.id}' must equal the file name '{path.stem}'",
                )
            ]
        )
    return model


class ModelRegistry:
    """Chair models by id, loaded from one or more folders of ``*.yaml`` files."""

    def __init__(
        self, models: dict[str, ChairModel], sources: dict[str, ModelSource] | None = None
    ) -> None:
        self._models = dict(sorted(models.items()))
        self._sources = dict(sources or {})

    @classmethod
    def from_folders(cls, *folders: Path) -> ModelRegistry:
        """Load every model file of ``folders``; a later folder's model replaces an earlier.

        Every file is read before any problem is raised, so one :class:`ModelError` names
        them all."""
        models: dict[str, ChairModel] = {}
        sources: dict[str, ModelSource] = {}
        problems: list[Problem] = []
        for folder in folders:
            for path in sorted(folder.glob("*.yaml")):
                try:
                    model = load_model_file(path)
                except ModelError as error:
                    problems.extend(error.problems)
                    continue
                earlier = sources.get(model.id)
                models[model.id] = model
                sources[model.id] = ModelSource(path, earlier.path if earlier else None)
        if problems:
            raise ModelError(problems)
        return cls(models, sources)

    def __iter__(self) -> Iterator[ChairModel]:
        return iter(self._models.values())

    def __len__(self) -> int:
        return len(self._models)

    def ids(self) -> list[str]:
        """Every model id, sorted."""
        return list(self._models)

    def get(self, model_id: str) -> ChairModel:
        """The model with this id; :class:`UnknownModel` naming the known ones if absent."""
        try:
            return self._models[model_id]
        except KeyError:
            known = ", ".join(self._models) or "none"
            raise UnknownModel(
                f"no chair model '{model_id}'{suggest(model_id, self._models)}; known: {known}"
            ) from None

    def source(self, model_id: str) -> ModelSource | None:
        """The file the model came from (None for a model made in code, not loaded)."""
        return self._sources.get(model_id)

    def match_ble_name(self, name: str | None) -> ChairModel | None:
        """The first model whose BLE name patterns fit ``name``."""
        return next((m for m in self if m.match.matches_name(name)), None)


@functools.cache
def builtin_registry() -> ModelRegistry:
    """The models shipped with chairctl only (loaded once); :func:`registry` adds the user's."""
    return ModelRegistry.from_folders(BUILTIN_MODELS)


@functools.lru_cache(maxsize=8)
def _registry_with(user_folder: Path) -> ModelRegistry:
    return ModelRegistry.from_folders(BUILTIN_MODELS, user_folder)


def registry() -> ModelRegistry:
    """The shipped models with the user's model files (:func:`user_models_dir`) over them.

    Loaded once per user folder; :class:`ModelError` with the located problems of every
    invalid file (a broken user file is never skipped)."""
    folder = user_models_dir()
    if not folder.is_dir():
        return builtin_registry()
    return _registry_with(folder)


def get_model(model_id: str = DEFAULT_MODEL) -> ChairModel:
    """A model by id, shipped or the user's (see :func:`registry`)."""
    return registry().get(model_id)


M = TypeVar("M", bound=ModelBase)


def get_model_as(model_id: str, kind: type[M]) -> M:
    """A model by id that must be of ``kind``, its family's model class (for code that knows
    which family it works with); :class:`~chairctl.vocabulary.UnknownModel` when it is not."""
    model = get_model(model_id)
    if not isinstance(model, kind):
        raise UnknownModel(f"model {model_id} is a {model.family} chair, not a {kind.__name__}")
    return model
