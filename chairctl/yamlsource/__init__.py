"""Data files people write by hand, read so that every problem can be pointed at.

:mod:`.reader` reads a YAML 1.2 file into plain data with the position of every node and refuses
what a data file has no use for; :mod:`.validation` validates it with a pydantic model and
locates each error; :mod:`.words` is the one mapper from pydantic's errors to plain English,
for files and for data that has no file (a profile from the app's form or the database).

It sits beside the vocabulary at the bottom of the core: the program loader and the chair
model registry both read their files through it.
"""

from chairctl.yamlsource.reader import Path_, SourceDocument, YamlSourceProblems, read_yaml
from chairctl.yamlsource.validation import (
    allowed_keys_for,
    describe_error,
    describe_validation,
    read_model,
    validate_source,
)
from chairctl.yamlsource.words import field_problems, field_words, suggest, words_for

__all__ = [
    "Path_",
    "SourceDocument",
    "YamlSourceProblems",
    "allowed_keys_for",
    "describe_error",
    "describe_validation",
    "field_problems",
    "field_words",
    "read_model",
    "read_yaml",
    "suggest",
    "validate_source",
    "words_for",
]
