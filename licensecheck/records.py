"""NamedTuple: typing.NamedTuple's classes, built without the cost that slowed every start."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from keyword import iskeyword
from operator import itemgetter
from typing import TYPE_CHECKING, Any

try:
    from _collections import _tuplegetter  # type: ignore[import-not-found]  # namedtuple's field descriptor
except ImportError:  # another Python: what collections.namedtuple falls back to

    def _tuplegetter(index: int, doc: str) -> Any:
        return property(itemgetter(index), doc=doc)


_PROHIBITED = frozenset(
    {
        "__new__",
        "__init__",
        "__slots__",
        "__getnewargs__",
        "_fields",
        "_field_defaults",
        "_make",
        "_replace",
        "_asdict",
    }
)


class _RecordMeta(type):
    """Builds `class X(NamedTuple): ...` as typing.NamedTuple does: a tuple subclass with the
    annotated fields (a field given a value has it as default), _fields, _field_defaults, _make,
    _replace, _asdict, the same repr, equality, hashing, pickling and match args, and the methods
    and docstring of the class body. A body that defines `__post_init__` has it run on every
    record built, made or replaced (see _checked_new).

    typing checks every annotation (compiling each one written as a string) and
    collections.namedtuple compiles a `__new__` for every class: for licensecheck's classes that
    was 6% of an `evaluate` run (24M instructions). Here annotations are kept as written, and a
    class compiles namedtuple's `__new__` only once it has been built many times (see
    _first_new); `_make` and unpickling never need it.
    """

    def __new__(mcs, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        if not bases:  # NamedTuple itself
            return super().__new__(mcs, typename, bases, ns)
        if len(bases) != 1:
            raise TypeError("can only inherit from NamedTuple")
        fields = tuple(ns.get("__annotations__", {}))
        defaults = {name: ns[name] for name in fields if name in ns}
        for name in fields:
            if not name.isidentifier() or iskeyword(name) or name.startswith("_"):
                raise ValueError(f"Field names must be identifiers not starting with '_': {name!r}")
        if fields[len(fields) - len(defaults) :] != tuple(defaults):
            raise TypeError(f"{typename}: a field without a default follows one with a default")
        body: dict[str, Any] = {
            "__doc__": f"{typename}({', '.join(fields)})",
            "__slots__": (),
            "_fields": fields,
            "_field_defaults": defaults,
            "__match_args__": fields,
            "__new__": _first_new,
            "_make": classmethod(_make),
            "_replace": _replace,
            "_asdict": _asdict,
            "__repr__": _repr,
            "__getnewargs__": _getnewargs,
        }
        body.update((name, _tuplegetter(i, f"Alias for field number {i}")) for i, name in enumerate(fields))
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
            if key not in defaults:
                body[key] = value
        if "__post_init__" in ns:  # a checked record: built, made and replaced through its check
            body["__new__"] = _checked_new
            body["_make"] = classmethod(_checked_make)
        return type.__new__(type, typename, (tuple,), body)


def _checked_new(cls: Any, *args: Any, **kwargs: Any) -> Any:
    """The `__new__` of a class whose body defines `__post_init__`: it runs on every record built,
    made (`_make`, `_replace`) or unpickled, as a frozen dataclass's does, and raises on fields it
    refuses. typing.NamedTuple has no such hook: it is here for the classes that would otherwise be
    dataclasses, which cost some 1 ms each to define at import."""
    values = args if not kwargs and len(args) == len(cls._fields) else _bind(cls, args, kwargs)
    record = tuple.__new__(cls, values)
    record.__post_init__()
    return record


def _checked_make(cls: Any, iterable: Any) -> Any:
    record = _make(cls, iterable)
    record.__post_init__()
    return record


COMPILE_AFTER = 64  # constructions of a class before it compiles namedtuple's __new__
_CALLS: dict[type, int] = {}


def _first_new(cls: Any, *args: Any, **kwargs: Any) -> Any:
    """A class's `__new__` until it has been built COMPILE_AFTER times: a short run builds most
    classes a few times, and compiling costs as much as some 100 calls; the compiled one is
    faster for the many calls of a long run (a shortlist)."""
    calls = _CALLS[cls] = _CALLS.get(cls, 0) + 1
    if calls >= COMPILE_AFTER:  # a race compiles it twice, the same
        cls.__new__ = _compiled_new(cls)
    if not kwargs and len(args) == len(cls._fields):
        return tuple.__new__(cls, args)
    return tuple.__new__(cls, _bind(cls, args, kwargs))


def _bind(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
    """The field values of a call, as the compiled `__new__` takes them."""
    fields = cls._fields
    if len(args) > len(fields):
        raise TypeError(
            f"{cls.__name__}() takes {len(fields)} positional arguments but {len(args)} were given"
        )
    values = list(args)
    for name in fields[len(args) :]:
        if name in kwargs:
            values.append(kwargs.pop(name))
        elif name in cls._field_defaults:
            values.append(cls._field_defaults[name])
        else:
            raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
    for name in kwargs:
        problem = "multiple values for argument" if name in fields else "an unexpected keyword argument"
        raise TypeError(f"{cls.__name__}() got {problem} {name!r}")
    return values


def _compiled_new(cls: Any) -> Any:
    """The `__new__` collections.namedtuple compiles, from the class's own field names."""
    names = ", ".join(cls._fields)
    code = f"lambda _cls, {names}: _tuple_new(_cls, ({names},))" if names else "lambda _cls: _tuple_new(_cls)"
    new = eval(
        code, {"_tuple_new": tuple.__new__, "__builtins__": {}, "__name__": f"namedtuple_{cls.__name__}"}
    )
    new.__defaults__ = tuple(cls._field_defaults.values()) or None
    new.__qualname__ = f"{cls.__qualname__}.__new__"
    new.__doc__ = f"Create new instance of {cls.__name__}({names})"
    return staticmethod(new)


def _make(cls: Any, iterable: Any) -> Any:
    result = tuple.__new__(cls, iterable)
    if len(result) != len(cls._fields):
        raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
    return result


def _replace(self: Any, /, **kwds: Any) -> Any:
    result = self._make(map(kwds.pop, self._fields, self))
    if kwds:
        raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
    return result


def _asdict(self: Any) -> dict[str, Any]:
    return dict(zip(self._fields, self))


def _repr(self: Any) -> str:
    return (
        f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in zip(self._fields, self))})"
    )


def _getnewargs(self: Any) -> tuple[Any, ...]:
    return tuple(self)


def fields_getter(cls: Any, names: Iterable[str]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """One call reading the fields `names` of a record of class `cls`: in field order, each run of
    neighbouring fields as one slice (a tuple), every other field by itself. Two records give equal
    results exactly when those fields are equal.

    itemgetter pays about as much for one item as for a slice of a dozen fields, and a shortlist
    reads some 40 fields of each of its 10,000 models (a prepared rule set's guard, a run's
    composition key).
    """
    runs: list[list[int]] = []
    for i in sorted({cls._fields.index(name) for name in names}):
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    items = [start if stop == start + 1 else slice(start, stop) for start, stop in runs]
    if len(items) > 1:
        return itemgetter(*items)
    if not items:
        return lambda record: ()
    only = itemgetter(items[0])  # one item: itemgetter gives it bare
    return lambda record: (only(record),)


if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple  # noqa: TID251 (what type checkers see: the same API)
else:
    NamedTuple = _RecordMeta("NamedTuple", (), {"__doc__": "Base of record classes (see _RecordMeta)."})
