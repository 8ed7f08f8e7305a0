"""typing.NamedTuple without its import cost: the same classes, field annotations left as written.

typing.NamedTuple compiles every field's annotation (a string under `from __future__ import
annotations`) into a ForwardRef when the class is defined: for the 36 domain classes about 3 ms
of the CLI's cold start (CPU, best of 25 starts). Nothing reads those ForwardRefs, so here a class
written `class Rule(NamedTuple): ...` becomes the same collections.namedtuple, with its
defaults, methods and docstring, and `__annotations__` kept as written. Type checkers see
typing.NamedTuple itself.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    # as typing.NamedTuple: what a class body may not set, and what it sets but is not copied
    _RESERVED = frozenset(
        {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults", "_make"}
        | {"_replace", "_asdict", "_source"}
    )
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _RecordMeta(type):
        def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
            if not bases:  # NamedTuple itself
                return super().__new__(mcs, name, bases, namespace)
            if bases != (NamedTuple,):
                raise TypeError("a NamedTuple class derives from NamedTuple alone")
            annotations = dict(namespace.get("__annotations__", {}))
            defaults = [field for field in annotations if field in namespace]
            if defaults and list(annotations)[-len(defaults) :] != defaults:
                raise TypeError(f"{name}: a field without a default follows a field with one")
            record = collections.namedtuple(
                name,
                list(annotations),
                defaults=[namespace[f] for f in defaults],
                module=namespace["__module__"],
            )
            record.__annotations__ = record.__new__.__annotations__ = annotations
            for key, value in namespace.items():
                if key in _RESERVED:
                    raise AttributeError(f"cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in annotations:
                    setattr(record, key, value)
            return record

    class NamedTuple(metaclass=_RecordMeta):
        """Derive from this as from typing.NamedTuple."""
