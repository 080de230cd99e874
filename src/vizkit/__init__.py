"""vizkit: the simulation library behind the interactive AI-systems textbook.

Every number the book's prose or widgets show is computed here. Modules are
grouped by the book's parts; ``vizkit.catalog`` holds the model and hardware
facts and the formulas derived from them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
