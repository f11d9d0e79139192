"""The chair model registry: every model file in ``drivers/models``, validated when loaded."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

from chairctl.vocabulary import ModelError, Problem, UnknownModel
from chairctl.vocabulary.yamlsource import YamlSourceProblems, read_model, suggest
from drivers.models.schema import ChairModel

#: Where the models shipped with chairctl live.
BUILTIN_MODELS = Path(__file__).parent
#: The model used when none is named.
DEFAULT_MODEL = "rongtai-rt8600s"
#: Model files are small; anything larger is a mistake.
MAX_MODEL_BYTES = 64 * 1024


def load_model_file(path: Path) -> ChairModel:
    """Read and validate one model file; :class:`ModelError` with located problems if bad."""
    try:
        model, doc = read_model(path, ChairModel, max_bytes=MAX_MODEL_BYTES, what="model file")
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

    def __init__(self, models: dict[str, ChairModel]) -> None:
        self._models = dict(sorted(models.items()))

    @classmethod
    def from_folders(cls, *folders: Path) -> ModelRegistry:
        """Load every model file of ``folders``; a later folder's model replaces an earlier."""
        models: dict[str, ChairModel] = {}
        problems: list[Problem] = []
        for folder in folders:
            for path in sorted(folder.glob("*.yaml")):
                try:
                    model = load_model_file(path)
                except ModelError as error:
                    problems.extend(error.problems)
                    continue
                models[model.id] = model
        if problems:
            raise ModelError(problems)
        return cls(models)

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

    def match_ble_name(self, name: str | None) -> ChairModel | None:
        """The first model whose BLE name patterns fit ``name``."""
        return next((m for m in self if m.match.matches_name(name)), None)


@functools.cache
def builtin_registry() -> ModelRegistry:
    """The models shipped with chairctl (loaded once)."""
    return ModelRegistry.from_folders(BUILTIN_MODELS)


def get_model(model_id: str = DEFAULT_MODEL) -> ChairModel:
    """A shipped model by id."""
    return builtin_registry().get(model_id)
