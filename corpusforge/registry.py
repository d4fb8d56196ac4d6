"""Versioned stage names ("extract.trafilatura.v1") mapped to classes.

A name keeps its meaning when code moves: a changed behaviour gets a new version
(".v2") and the old one stays. Stage modules live in `corpusforge.stages` and register
themselves with `@register`; `all_stages()` imports them on first use (no import-time
side effects beyond filling this table).
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil

from corpusforge.stage import Stage

_REGISTRY: dict[str, type[Stage]] = {}
_loaded = False


def register(cls: type[Stage]) -> type[Stage]:
    """Class decorator: add a stage under its `name`, which must be "<family>.<what>.v<N>"."""
    parts = cls.name.split(".")
    if len(parts) < 3 or not parts[-1].startswith("v") or not parts[-1][1:].isdigit():
        raise ValueError(f"stage name {cls.name!r} must look like 'family.what.v1'")
    existing = _REGISTRY.get(cls.name)
    if existing is not None and existing is not cls and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"stage name {cls.name!r} registered twice ({existing} and {cls})")
    _REGISTRY[cls.name] = cls
    return cls


def _load_builtin_stages() -> None:
    global _loaded
    if _loaded:
        return
    import corpusforge.stages as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{mod.name}")
    _loaded = True


def all_stages() -> dict[str, type[Stage]]:
    _load_builtin_stages()
    return dict(sorted(_REGISTRY.items()))


def get(name: str) -> type[Stage]:
    """The class registered as `name`; KeyError with close matches when unknown."""
    stages = all_stages()
    if name in stages:
        return stages[name]
    close = difflib.get_close_matches(name, stages.keys(), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise KeyError(f"unknown stage {name!r}{hint}")


def version_of(name: str) -> int:
    return int(name.rsplit(".v", 1)[1])
