"""A light stand-in for ``@dataclass`` on the start-up path.

``dataclasses`` compiles each generated ``__init__`` with ``exec`` when a module is
imported, about 0.15 ms a class; azpak has some twenty such classes on the path of
every lookup, where start-up is the latency. ``struct`` builds one generic
``__init__`` from the annotations instead: no code generation at import, the same
constructor signature (positional or keyword, defaults), and type checkers see
it as a dataclass through ``dataclass_transform``.
"""

from __future__ import annotations

from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

_MISSING = object()


@dataclass_transform(eq_default=False)
def struct(cls: type[T]) -> type[T]:
    """Give ``cls`` an ``__init__`` taking its annotated fields, in order, with class-level defaults."""
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        for name in getattr(klass, "__annotations__", {}):
            if name not in names:
                names.append(name)
    defaults = {name: getattr(cls, name, _MISSING) for name in names}
    qualname = cls.__qualname__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{qualname}() takes {len(names)} arguments, got {len(args)}")
        values = dict(zip(names, args, strict=False))
        for name, value in kwargs.items():
            if name not in defaults or name in values:
                raise TypeError(f"{qualname}() got an unexpected or repeated argument {name!r}")
            values[name] = value
        for name in names:
            if name in values:
                setattr(self, name, values[name])
            elif defaults[name] is _MISSING:
                raise TypeError(f"{qualname}() missing argument {name!r}")

    def __repr__(self: Any) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{qualname}({fields})"

    cls.__struct_fields__ = tuple(names)  # type: ignore[attr-defined]
    cls.__init__ = __init__  # type: ignore[method-assign]
    cls.__repr__ = __repr__  # type: ignore[method-assign]
    return cls
