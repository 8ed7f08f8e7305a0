"""typing.NamedTuple, defined at a fraction of its import cost: the same tuples, built more directly.

A start of the CLI defines some 30 NamedTuple classes. typing.NamedTuple compiles every field's
annotation into a ForwardRef (~50 µs a field), and collections.namedtuple defines five methods
anew for each class (~100 µs); together about 12 ms of a 60 ms start. Here a class written
`class Rule(NamedTuple): ...` becomes a tuple subclass like collections.namedtuple's: the same
`__new__` with its defaults, field properties, `_fields`, `_field_defaults`, `_make`,
`_replace`, `_asdict`, repr, pickling and `__match_args__`, the class body's methods and
docstring; the methods are shared, and `__annotations__` is kept as written. Type checkers see
typing.NamedTuple itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from types import CodeType, FunctionType

    try:
        from _collections import _tuplegetter
    except ImportError:  # as collections.namedtuple does without the C accelerator
        from operator import itemgetter

        def _tuplegetter(index: int, doc: str) -> property:
            return property(itemgetter(index), doc=doc)

    # as typing.NamedTuple: what a class body may not set, and what it sets but is not copied
    _RESERVED = frozenset(
        {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults", "_make"}
        | {"_replace", "_asdict", "_source"}
    )
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    @classmethod
    def _make(cls: type, iterable: Any) -> Any:
        """Make a new instance from a sequence or iterable."""
        result = tuple.__new__(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self: Any, /, **changes: Any) -> Any:
        """Return a new instance replacing specified fields with new values."""
        result = self._make(map(changes.pop, self._fields, self))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return result

    def _repr(self: Any) -> str:
        """Return a nicely formatted representation string."""
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"{self.__class__.__name__}({fields})"

    def _asdict(self: Any) -> dict[str, Any]:
        """Return a new dict which maps field names to their values."""
        return dict(zip(self._fields, self))

    def _getnewargs(self: Any) -> tuple[Any, ...]:
        """Return self as a plain tuple.  Used by copy and pickle."""
        return tuple(self)

    _GLOBALS: dict[str, Any] = {"_tuple_new": tuple.__new__, "__builtins__": {}}
    _TEMPLATES: dict[int, CodeType] = {}  # arity -> the code of `lambda _cls, _0, _1: ...`

    def _constructor(name: str, qualname: str, fields: tuple[str, ...], defaults: tuple[Any, ...]) -> Any:
        """`__new__(cls, field, ...)` with the fields as named parameters, as namedtuple writes it.

        namedtuple compiles that function for every class; here one compiled function per
        number of fields serves them all, its parameters renamed to the fields."""
        template = _TEMPLATES.get(len(fields))
        if template is None:
            params = ", ".join(f"_{i}" for i in range(len(fields)))
            items = f"({params},)" if len(fields) == 1 else f"({params})"
            template = eval(
                f"lambda _cls{', ' if fields else ''}{params}: _tuple_new(_cls, {items})", _GLOBALS
            ).__code__
            _TEMPLATES[len(fields)] = template
        code = template.replace(co_varnames=("_cls", *fields), co_name="__new__")
        if hasattr(code, "co_qualname"):  # Python 3.11+: error messages name the class
            code = code.replace(co_qualname=f"{qualname}.__new__")
        new = FunctionType(code, _GLOBALS, "__new__", defaults or None)
        new.__qualname__ = f"{qualname}.__new__"
        new.__doc__ = f"Create new instance of {name}({', '.join(fields)})"
        return new

    class _RecordMeta(type):
        def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
            if not bases:  # NamedTuple itself
                return super().__new__(mcs, name, bases, namespace)
            if bases != (NamedTuple,):
                raise TypeError("a NamedTuple class derives from NamedTuple alone")
            annotations = dict(namespace.get("__annotations__", {}))
            fields = tuple(annotations)
            with_default = [field for field in fields if field in namespace]
            if with_default and list(fields[len(fields) - len(with_default) :]) != with_default:
                raise TypeError(f"{name}: a field without a default follows a field with one")
            defaults = tuple(namespace[field] for field in with_default)
            new = _constructor(name, namespace.get("__qualname__", name), fields, defaults)
            new.__annotations__ = annotations
            body: dict[str, Any] = {
                "__doc__": f"{name}({', '.join(fields)})",
                "__slots__": (),
                "_fields": fields,
                "_field_defaults": dict(zip(with_default, defaults)),
                "__new__": new,
                "_make": _make,
                "_replace": _replace,
                "__repr__": _repr,
                "_asdict": _asdict,
                "__getnewargs__": _getnewargs,
                "__match_args__": fields,
                "__module__": namespace["__module__"],
                "__annotations__": annotations,
            }
            for index, field in enumerate(fields):
                body[field] = _tuplegetter(index, f"Alias for field number {index}")
            for key, value in namespace.items():
                if key in _RESERVED:
                    raise AttributeError(f"cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in annotations:
                    body[key] = value
            return type(name, (tuple,), body)

    class NamedTuple(metaclass=_RecordMeta):
        """Derive from this as from typing.NamedTuple."""
