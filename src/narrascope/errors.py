"""Exception tree and coded messages.

::

    NarrascopeError
    ├── UsageError            (E_USAGE_*; CLI exit code 2)
    ├── ConfigError           (E_CONFIG_*; raised before any model loads)
    ├── MissingExtraError     (E_EXTRA_MISSING; says the exact ``pip install`` line)
    ├── InputError            (E_INPUT_*; one input failed, the run goes on)
    ├── ModelError            (E_MODEL_*; an artifact is missing or fails its hash check)
    └── StoreError            (E_STORE_*)

Library functions do not raise on bad documents: they return a failed record that carries
``code`` and ``message``. The codes below are stable; messages say what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Stable error codes with a default message that tells the user what to do.
CODES: dict[str, str] = {
    "E_INPUT_NOT_FOUND": "The path does not exist. Check the spelling or the working directory.",
    "E_INPUT_EMPTY": "The input is empty (no bytes or only whitespace). Nothing to analyse; remove it or re-save it.",
    "E_INPUT_BINARY": "The input is a binary file, not text or HTML. Convert it to text/HTML first.",
    "E_INPUT_PDF": "PDF files are not read. Convert with `pdftotext FILE.pdf` and analyse the .txt.",
    "E_INPUT_ARCHIVE": "Archives (zip, gzip, tar) are not unpacked. Extract them and pass the folder.",
    "E_INPUT_TOO_LARGE": "The input is larger than the size limit (--max-bytes). Split it or raise the limit.",
    "E_INPUT_DECODE": "The bytes could not be decoded as text in any known encoding. Re-save the file as UTF-8.",
    "E_INPUT_JSON": "Broken JSON. Fix the line named in the message (JSONL: one object per line).",
    "E_INPUT_FIELDS": "The record has no `text` or `html` field. Add one of them.",
    "E_INPUT_CSV": "The CSV could not be read. It needs a header with a `text` or `html` column.",
    "E_INPUT_URL": "The URL could not be fetched (no network, timeout or HTTP error). Save the page and pass the file.",
    "E_INPUT_UNSUPPORTED": "This kind of file is not supported. Use .html, .txt, .md, .json, .jsonl or .csv.",
    "E_EXTRACT_EMPTY": "No article text was found after cleaning. The page may be a consent wall, an index page or only boilerplate.",
    "E_ANALYZER": "An analyzer failed on this document; the other analyzers' results are kept. Report the message as a bug.",
    "E_MODEL_MISSING": "A model artifact is missing. Reinstall narrascope or run `narrascope train TASK`.",
    "E_MODEL_HASH": "A model file does not match its pinned SHA-256. Reinstall the package that ships it.",
    "E_CONFIG": "The configuration is invalid. Fix the named key.",
    "E_EXTRA_MISSING": "An optional dependency is missing. Install the extra named in the message.",
    "E_STORE": "The document store could not be opened or written. Check the path and permissions.",
    "E_USAGE": "Wrong command-line usage. See `narrascope --help`.",
    "W_LANGUAGE_UNSUPPORTED": "The document language is not supported by every analyzer; some fields stay empty.",
    "W_DUPLICATE": "The document is a near-duplicate of an earlier one.",
}


class NarrascopeError(Exception):
    """Base class: every error carries a stable ``code`` and a message saying what to do."""

    code = "E_USAGE"

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        self.message = message or CODES.get(self.code, "")
        super().__init__(f"{self.code}: {self.message}")


class UsageError(NarrascopeError):
    code = "E_USAGE"


class ConfigError(NarrascopeError):
    code = "E_CONFIG"


class InputError(NarrascopeError):
    code = "E_INPUT_UNSUPPORTED"


class ModelError(NarrascopeError):
    code = "E_MODEL_MISSING"


class StoreError(NarrascopeError):
    code = "E_STORE"


class MissingExtraError(NarrascopeError):
    code = "E_EXTRA_MISSING"

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"The optional module {module!r} is not installed. Install it with: "
            f"pip install 'narrascope[{extra}]'"
        )
        self.extra = extra
        self.module = module


def require(module: str, extra: str) -> object:
    """Import an optional module or raise MissingExtraError with the exact install line.

    Only a missing top-level module is translated; a deeper ImportError is re-raised as is.
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.split(".")[0] == exc.name.split(".")[0]:
            raise MissingExtraError(extra, module) from exc
        raise


@dataclass(frozen=True)
class ErrorInfo:
    """A failure as data: stored on failed records and returned by library functions."""

    code: str
    message: str

    @classmethod
    def of(cls, code: str, detail: str | None = None) -> ErrorInfo:
        base = CODES.get(code, "")
        msg = f"{detail} {base}".strip() if detail else base
        return cls(code, msg)

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
