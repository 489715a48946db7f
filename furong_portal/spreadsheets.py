"""Spreadsheet cells that cannot run: every xlsx and csv the portal writes passes its text
through `cell_safe`.

Text that begins with = + - @, a tab or a carriage return is read by Excel, WPS and
LibreOffice as a formula (CSV/formula injection, OWASP). Such text is written with a leading
apostrophe, so the office sees exactly what was typed (a public request's description, a
failed login's user name) and nothing is evaluated. The admin's import removes that
apostrophe again, so an exported sheet imports back unchanged."""

from import_export.formats.base_formats import CSV, XLSX

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def cell_safe(value):
    """`value`, with an apostrophe before text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return ESCAPE + value
    return value


def cell_unescaped(value):
    """The text `cell_safe` was given (for reading our own exports back in)."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def row_safe(values) -> list:
    return [cell_safe(value) for value in values]


def _map_dataset(dataset, function) -> None:
    for _ in range(len(dataset)):
        dataset.append([function(value) for value in dataset.lpop()])


class _SafeFormat:
    def export_data(self, dataset, **kwargs):
        _map_dataset(dataset, cell_safe)
        return super().export_data(dataset, **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        _map_dataset(dataset, cell_unescaped)
        return dataset


class SafeCSV(_SafeFormat, CSV):
    pass


class SafeXLSX(_SafeFormat, XLSX):
    pass
