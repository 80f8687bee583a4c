"""One catalogue of the errors the service reports, each saying what went wrong and what to do.

Every error the library raises on bad input is an `InputError` (the CLI prints its one-line message
and exits non-zero; the API answers 4xx with `{"error": {"code", "message"}}`). Problems with the
installation (a missing model file) are `SetupError`s.
"""

from __future__ import annotations


class NlpServiceError(Exception):
    """Base of every error this package raises on purpose."""

    code = "error"
    http_status = 500

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)

    @property
    def message(self) -> str:
        return str(self)


class InputError(NlpServiceError):
    """The input cannot be read as a report; the message names the input and the reason."""

    code = "bad_input"
    http_status = 422


class FileMissing(InputError):
    code = "file_missing"
    http_status = 404


class EmptyInput(InputError):
    code = "empty_input"


class TooLarge(InputError):
    code = "too_large"
    http_status = 413


class UnsupportedFormat(InputError):
    code = "unsupported_format"
    http_status = 415


class UndecodableText(InputError):
    code = "undecodable_text"


class CorruptFile(InputError):
    code = "corrupt_file"


class NoTextLayer(InputError):
    code = "no_text_layer"


class BinaryInput(InputError):
    """The bytes are not text (NUL bytes, control characters) and not a supported document format."""

    code = "binary_input"
    http_status = 415


class FormatMismatch(InputError):
    """The file's extension names one format while its content is another."""

    code = "format_mismatch"
    http_status = 415


class EncryptedFile(InputError):
    """A password-protected DOCX/XLSX (an OLE2 container) or an encrypted PDF."""

    code = "encrypted_file"


class ZipBomb(TooLarge):
    """A DOCX/XLSX whose members would unpack to far more than the size limit allows."""

    code = "zip_bomb"


class NoReportContent(InputError):
    """A readable file (typically an HTML page) that holds no report text."""

    code = "no_report_content"


class SetupError(NlpServiceError):
    """The installation is incomplete (for example a model file is missing or corrupt)."""

    code = "setup_error"
    http_status = 500


class ModelMissing(SetupError):
    code = "model_missing"

    def __init__(self, path: str, rebuild: str) -> None:
        super().__init__(
            f"model file {path} is missing or unreadable; rebuild it with `{rebuild}`, "
            "or run with --no-models to use the rules alone"
        )
