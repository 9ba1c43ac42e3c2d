"""Extraction of quantitative statements from Vietnamese statistical prose.

Plain Python with no Dagster imports, usable on its own::

    from orchestration.extraction import extract_observations
    observations = extract_observations(text, published_date=date(2025, 12, 11))

Each :class:`Observation` is grounded to its character span in ``text``.
"""

from .model import Observation
from .periods import Period
from .version import EXTRACTOR_VERSION

__all__ = ["EXTRACTOR_VERSION", "Observation", "Period", "extract_observations"]


def __getattr__(name: str):  # the reader is imported on first use
    if name == "extract_observations":
        from .extractor import extract_observations

        return extract_observations
    raise AttributeError(name)
