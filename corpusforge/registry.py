"""Versioned stage names ("extract.trafilatura.v1") mapped to classes.

A name keeps its meaning when code moves: a changed behaviour gets a new version
(".v2") and the old one stays. Built-in stage modules live in `corpusforge.stages`; other
packages add stages through the `corpusforge.stages` entry-point group (docs/plugins.md), each
entry naming a module (whose `@register` classes count) or a stage class. `all_stages()` imports
them on first use (no import-time side effects beyond filling this table), and `origin(name)`
says where a stage came from.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import logging
import pkgutil

from corpusforge.stage import Stage

_REGISTRY: dict[str, type[Stage]] = {}
_ORIGIN: dict[str, str] = {}
_loaded = False
ENTRY_POINT_GROUP = "corpusforge.stages"
log = logging.getLogger("corpusforge.registry")


def register(cls: type[Stage]) -> type[Stage]:
    """Class decorator: add a stage under its `name`, which must be "<family>.<what>.v<N>"."""
    parts = cls.name.split(".")
    if len(parts) < 3 or not parts[-1].startswith("v") or not parts[-1][1:].isdigit():
        raise ValueError(f"stage name {cls.name!r} must look like 'family.what.v1'")
    existing = _REGISTRY.get(cls.name)
    if existing is not None and existing is not cls and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"stage name {cls.name!r} registered twice ({existing} and {cls})")
    _REGISTRY[cls.name] = cls
    _ORIGIN.setdefault(cls.name, _current_origin)
    return cls


_current_origin = "corpusforge"


def _load_builtin_stages() -> None:
    global _loaded, _current_origin
    if _loaded:
        return
    import corpusforge.stages as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{mod.name}")
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else "?"
        _current_origin = f"{dist} (entry point {ep.name} = {ep.value})"
        try:
            loaded = ep.load()  # a module registers its classes as it is imported
            if isinstance(loaded, type) and issubclass(loaded, Stage):
                register(loaded)
        except Exception as exc:  # one broken plugin must not take the built-in stages down with it
            log.warning("stage plugin %s from %s could not be loaded: %s", ep.name, dist, exc)
        finally:
            _current_origin = "corpusforge"
    _loaded = True


def origin(name: str) -> str:
    """Where a registered stage comes from: "corpusforge" or the plugin's distribution and entry point."""
    all_stages()
    return _ORIGIN.get(name, "corpusforge")


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
