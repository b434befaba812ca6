"""Stand-ins for modules that Great Expectations imports as it loads but the suites never use.

Great Expectations imports every expectation class it ships as it loads. The KL-divergence and
KS-test ones import scipy.stats and altair at module level, and no suite here uses them. In the
suite worker those two took 0.9 of the 2.45 s of CPU that importing Great Expectations took
(Python 3.11, great-expectations 1.24.1), while the run's own process and the dbt standby import
on the same two cores. A stand-in imports the real module the first time one of its attributes
is read, so code that does use it still works, only later.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types

DEFERRED_MODULES = ("scipy.stats", "altair")


# The lock is re-entrant because the real import can read an attribute of a stand-in in the
# same thread.
_IMPORT_LOCK = threading.RLock()


class DeferredModule(types.ModuleType):
    """A module in sys.modules whose real import waits for the first attribute read from it.

    NOTE: importing a submodule of a deferred package before the first attribute read (such as
    `import scipy.stats._distn_infrastructure`) runs that submodule twice, because Python reads
    the stand-in's __path__ only after it has checked sys.modules for the submodule. Nothing in
    the suite worker does that, and a test checks that loading Great Expectations reads neither
    stand-in.
    """

    def __getattr__(self, attribute: str) -> object:
        # Only attributes missing from the stand-in's own dict reach here. The import copies the
        # real module's attributes into that dict, so later reads do not. The lock keeps a second
        # thread from removing the real module that the first one has just imported.
        with _IMPORT_LOCK:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__.update(real.__dict__)
        return getattr(real, attribute)


def defer_unused_imports(names: tuple[str, ...] = DEFERRED_MODULES) -> list[str]:
    """Put a DeferredModule in sys.modules for each name not imported yet, and return those names.

    A name that is already imported, or not installed, is left alone.
    """
    deferred = []
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        module = DeferredModule(name)
        # The import system reads __spec__ of a module that it finds in sys.modules. As a plain
        # attribute, __spec__ is read without starting the real import.
        module.__spec__ = spec
        sys.modules[name] = module
        deferred.append(name)
    return deferred
