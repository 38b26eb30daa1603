"""scicollab: a literate, reproducible report on international scientific collaboration."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("scicollab")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
