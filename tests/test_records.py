"""licensecheck.records.NamedTuple behaves as typing.NamedTuple: each check runs on a class built both ways."""

import copy
import pickle
import typing

import pytest

from licensecheck.records import COMPILE_AFTER, NamedTuple, fields_getter


class Ours(NamedTuple):
    """A record with a method."""

    id: str
    name: str | None
    tags: tuple[str, ...] = ()
    size: int | None = None

    def label(self) -> str:
        return f"{self.id}:{self.name}"

    @property
    def tagged(self) -> bool:
        return bool(self.tags)


class Theirs(typing.NamedTuple):  # the reference
    """A record with a method."""

    id: str
    name: str | None
    tags: tuple[str, ...] = ()
    size: int | None = None

    def label(self) -> str:
        return f"{self.id}:{self.name}"

    @property
    def tagged(self) -> bool:
        return bool(self.tags)


BOTH = pytest.mark.parametrize("cls", [Ours, Theirs], ids=["records", "typing"])


@BOTH
def test_the_class(cls: typing.Any) -> None:
    assert cls._fields == ("id", "name", "tags", "size") == cls.__match_args__
    assert cls._field_defaults == {"tags": (), "size": None}
    assert cls.__mro__ == (cls, tuple, object)
    assert cls.__doc__ == "A record with a method."
    assert cls.__qualname__ == cls.__name__
    assert cls.__module__ == __name__
    assert cls.id.__doc__ == "Alias for field number 0"
    assert cls("a", None).__slots__ == ()
    with pytest.raises(AttributeError):
        cls("a", None).extra = 1  # type: ignore[attr-defined]


@BOTH
def test_construction(cls: typing.Any) -> None:
    full = cls("a", "b", ("t",), 3)
    assert full == ("a", "b", ("t",), 3)
    assert cls("a", "b") == ("a", "b", (), None)
    assert cls(name="b", id="a", size=2) == ("a", "b", (), 2)
    assert cls("a", name="b", tags=("x",)) == ("a", "b", ("x",), None)
    assert (full.id, full.name, full.tags, full.size, full[3], full[-1]) == ("a", "b", ("t",), 3, 3, 3)
    assert full.label() == "a:b" and full.tagged
    for args, kwargs in [
        ((), {"id": "a"}),  # a required field missing
        (("a", "b", (), 1, 2), {}),  # too many
        (("a", "b"), {"id": "c"}),  # given twice
        (("a", "b"), {"colour": "red"}),  # no such field
    ]:
        with pytest.raises(TypeError):
            cls(*args, **kwargs)


@BOTH
def test_methods(cls: typing.Any) -> None:
    item = cls("a", "b", size=1)
    assert item._replace(name="c", size=None) == cls("a", "c")
    assert item._replace() == item
    with pytest.raises(ValueError, match="unexpected field names: \\['colour'\\]"):
        item._replace(colour="red")
    assert item._asdict() == {"id": "a", "name": "b", "tags": (), "size": 1}
    assert list(item._asdict()) == list(cls._fields)
    assert cls._make(["a", "b", (), 1]) == item and type(cls._make(iter(item))) is cls
    with pytest.raises(TypeError, match="Expected 4 arguments, got 2"):
        cls._make(["a", "b"])
    assert repr(item) == f"{cls.__name__}(id='a', name='b', tags=(), size=1)"
    assert item.__getnewargs__() == ("a", "b", (), 1)


def test_equality_and_hashing_are_the_tuples() -> None:
    ours, theirs = Ours("a", "b"), Theirs("a", "b")
    assert ours == theirs == ("a", "b", (), None)
    assert hash(ours) == hash(theirs) == hash(("a", "b", (), None))
    assert Ours("a", "b") != Ours("a", "c") and Ours("a", "b") < Ours("b", "a")
    assert {Ours("a", "b"): 1}[Ours("a", "b")] == 1


@BOTH
def test_pickling_and_copying(cls: typing.Any) -> None:
    item = cls("a", "b", ("t",))
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(item, protocol))
        assert again == item and type(again) is cls
    assert copy.copy(item) == item and copy.deepcopy(item) == item
    assert type(copy.deepcopy(item)) is cls


@BOTH
def test_match(cls: typing.Any) -> None:
    match cls("a", "b"):
        case cls(ident, name, tags=()):
            assert (ident, name) == ("a", "b")
        case _:
            pytest.fail("no match")


def test_keyword_construction_before_and_after_compiling() -> None:
    """A class binds keywords itself until it has been built by keyword COMPILE_AFTER times, then
    with namedtuple's compiled __new__: the same values and the same refusals either way."""

    class Twice(NamedTuple):
        a: int
        b: str = "b"
        c: tuple[int, ...] = ()

    for _ in range(COMPILE_AFTER + 2):
        assert Twice(1) == (1, "b", ()) and Twice(c=(3,), a=1) == (1, "b", (3,))
        assert Twice(1, c=(2,)) == (1, "b", (2,)) and Twice(1, "x", (4,)) == (1, "x", (4,))
        assert Twice._make([5, "y", ()]) == (5, "y", ()) and type(Twice(a=1)) is Twice
        for args, kwargs in [((), {}), ((1, "b", (), 4), {}), ((1,), {"a": 2}), ((1,), {"d": 1})]:
            with pytest.raises(TypeError):
                Twice(*args, **kwargs)
    assert Twice.__new__.__qualname__.endswith("Twice.__new__")  # compiled by now


def test_refused_class_bodies() -> None:
    with pytest.raises(TypeError, match="follows one with a default"):

        class Order(NamedTuple):
            a: int = 1
            b: int

    with pytest.raises(ValueError, match="'_hidden'"):

        class Underscore(NamedTuple):
            _hidden: int

    with pytest.raises(AttributeError, match="_replace"):

        class Overwrite(NamedTuple):
            a: int

            def _replace(self) -> None: ...

    with pytest.raises(TypeError, match="inherit"):

        class Mixed(NamedTuple, dict):  # type: ignore[misc]
            a: int


def test_fields_getter_reads_the_named_fields_in_one_call() -> None:
    record = Ours("a", "b", ("t",), 3)
    read = fields_getter(Ours, ["size", "id", "name"])
    assert read(record) == (("a", "b"), 3)  # in field order, neighbours as one slice
    assert read(record) == read(record._replace(tags=())) != read(record._replace(name="c"))
    assert read(record) != read(record._replace(size=4))
    assert fields_getter(Ours, ["tags"])(record) == (("t",),)  # always a tuple
    assert fields_getter(Ours, ["id", "name", "tags", "size"])(record) == (tuple(record),)
    assert fields_getter(Ours, [])(record) == ()
    with pytest.raises(ValueError):
        fields_getter(Ours, ["colour"])


class Checked(NamedTuple):
    """A record whose fields are checked, as a frozen dataclass's __post_init__ checks them."""

    low: int
    high: int = 10

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"low {self.low} above high {self.high}")


def test_a_record_with_post_init_is_checked_however_it_is_built() -> None:
    """records only (typing.NamedTuple has no such hook): built positionally or by keyword, before
    and after its class would compile namedtuple's __new__, made, replaced and unpickled."""
    for _ in range(COMPILE_AFTER + 2):
        assert Checked(1, 2) == (1, 2)
        assert Checked(low=3) == (3, 10)
        with pytest.raises(ValueError, match="low 5 above high 4"):
            Checked(5, 4)
        with pytest.raises(ValueError, match="low 11 above high 10"):
            Checked(low=11)
    record = Checked(1, 2)
    with pytest.raises(ValueError, match="low 3 above high 2"):
        record._replace(low=3)
    with pytest.raises(ValueError, match="low 3 above high 2"):
        Checked._make((3, 2))
    assert record._replace(high=5) == Checked._make((1, 5)) == (1, 5)
    assert pickle.loads(pickle.dumps(record)) == record
    assert copy.copy(record) == record
    with pytest.raises(TypeError, match="missing required argument: 'low'"):
        Checked()
