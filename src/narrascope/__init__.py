"""narrascope: evidence-grounded analysis of news coverage of armed conflict."""

__version__ = "0.1.0"
__all__ = ["__version__"]
