"""The build cache's unpickler builds our records and refuses everything else."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import zoneinfo

import pytest

from site_builder.cache.safe_pickle import safe_loads
from site_builder.content.front_matter.located import Located
from site_builder.diagnostics.diagnostic import Diagnostic, Severity


class _Reduced:
    """Pickles as whatever `__reduce__` value it is given."""

    def __init__(self, reduced: tuple[object, ...]) -> None:
        self.reduced = reduced

    def __reduce__(self) -> tuple[object, ...]:
        return self.reduced


def test_records_round_trip() -> None:
    tags = (Located("Docker", 4, 8), Located("Open Source", 4, 16))
    when = dt.datetime(2024, 5, 1, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    problem = Diagnostic("content/posts/a.md", 3, 1, Severity.WARNING, "FMQ007", "twice")
    loaded = safe_loads(pickle.dumps((tags, when, problem), protocol=pickle.HIGHEST_PROTOCOL))
    assert loaded == (tags, when, problem)
    assert type(loaded[0][0]) is Located and loaded[0][1].column == 16


@pytest.mark.parametrize(
    "reduced",
    [
        (getattr, (tuple, "__subclasses__")),
        (getattr, (str, "join")),
        (getattr, (zoneinfo.ZoneInfo, "clear_cache")),
        (os.system, ("true",)),
        (eval, ("1",)),
    ],
)
def test_anything_else_is_refused(reduced: tuple[object, ...]) -> None:
    data = pickle.dumps(_Reduced(reduced), protocol=pickle.HIGHEST_PROTOCOL)
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        safe_loads(data)


def test_tuple_new_builds_only_tuples() -> None:
    # tuple.__new__ is allowed for our named tuples; given a class that is not a tuple, it
    # fails (and the cache is then ignored) instead of building anything.
    data = pickle.dumps(
        _Reduced((tuple.__new__, (Diagnostic, ("a", 1)))), protocol=pickle.HIGHEST_PROTOCOL
    )
    with pytest.raises(TypeError):
        safe_loads(data)


def _global(module: str, name: str, *, call: bool) -> bytes:
    """A hand-written pickle (protocol 4) of `module.name`, called with no arguments or not."""

    def text(value: str) -> bytes:
        data = value.encode()
        return b"\x8c" + bytes([len(data)]) + data

    return b"\x80\x04" + text(module) + text(name) + b"\x93" + (b")R." if call else b".")


@pytest.mark.parametrize(
    ("module", "name", "call"),
    [
        ("site_builder.publish.staging", "os.getpid", True),  # a dotted name reaches into `os`
        ("site_builder.publish.staging", "os", False),  # a module this package imported
        ("site_builder.cli.main", "main", False),  # one of our functions
        ("site_builder.publish.staging", "Staging", False),  # one of our classes, not a record
        ("site_builder.cache.store", "BuildCache", False),
        ("site_builder.diagnostics.diagnostic", "Diagnostic.format", False),
    ],
)
def test_only_listed_records_of_this_package_are_built(module: str, name: str, call: bool) -> None:
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        safe_loads(_global(module, name, call=call))


def test_a_listed_record_is_found_by_hand_too() -> None:
    assert (
        safe_loads(_global("site_builder.diagnostics.diagnostic", "Severity", call=False))
        is Severity
    )


def test_a_record_pickled_before_the_stage_folders_loads_as_the_same_record() -> None:
    # Caches written before the package moved into stage folders name the old modules.
    assert safe_loads(_global("site_builder.diagnostics", "Severity", call=False)) is Severity
    with pytest.raises(pickle.UnpicklingError):
        safe_loads(_global("site_builder.staging", "Staging", call=False))  # not a record
    with pytest.raises(pickle.UnpicklingError):
        safe_loads(_global("site_builder.cache", "BuildCache", call=False))
