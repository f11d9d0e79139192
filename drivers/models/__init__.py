"""Chair model files and the registry that loads them (see :mod:`drivers.models.schema`)."""

from drivers.models.registry import (
    BUILTIN_MODELS,
    ModelRegistry,
    ModelSource,
    builtin_registry,
    get_model,
    get_model_as,
    load_model_file,
    registry,
    user_models_dir,
)
from drivers.models.schema import DEFAULT_MODEL, ChairModel

__all__ = [
    "BUILTIN_MODELS",
    "DEFAULT_MODEL",
    "ChairModel",
    "ModelRegistry",
    "ModelSource",
    "builtin_registry",
    "get_model",
    "get_model_as",
    "load_model_file",
    "registry",
    "user_models_dir",
]
