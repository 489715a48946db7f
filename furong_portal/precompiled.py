"""The SQL of a hot one-row read, compiled once per process.

Building and compiling the item page's QuerySet (thirty columns, three EXISTS flags)
cost Django ~0.8 ms of Python per request: more than PostgreSQL takes to answer it,
the statement being prepared once per connection. `Precompiled` compiles the QuerySet
once per database and runs that SQL with the only parameter that changes, a primary
key, then builds the instance as Django's own iterator does (`Model.from_db`, the
database's converters, annotations set as attributes; deferred fields stay deferred).
`raw()` would do the same but works out its column mapping again on every query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, models

# No row has it: where it appears among the compiled parameters, the key goes.
SAMPLE_PK = -7_654_321


@dataclass(frozen=True)
class _Compiled:
    model: type[models.Model]
    sql: str
    params: tuple
    slots: tuple[int, ...]  # where the key goes among the parameters
    fields: tuple[str, ...]  # the model's columns (attnames), in the order selected
    annotations: dict[str, int]  # annotation name: its position in the row
    converters: dict  # position: (converters, expression), Django's SQLCompiler.get_converters


class Precompiled:
    def __init__(self, build: Callable[[int], models.QuerySet]):
        """`build(pk)`: the QuerySet of the row with that key, every other parameter constant."""
        self.build = build
        self._compiled: dict[str, _Compiled] = {}

    def get(self, pk: int, using: str = "default"):
        """The row with `pk` as a model instance, or None."""
        compiled = self._compiled.get(using) or self._compile(using)
        values = list(compiled.params)
        for index in compiled.slots:
            values[index] = int(pk)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, values)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, (converters, expression) in compiled.converters.items():
            for converter in converters:
                row[position] = converter(row[position], expression, connection)
        instance = compiled.model.from_db(using, compiled.fields, row[: len(compiled.fields)])
        for name, position in compiled.annotations.items():
            setattr(instance, name, row[position])
        return instance

    def _compile(self, using: str) -> _Compiled:
        queryset = self.build(SAMPLE_PK)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = tuple(index for index, value in enumerate(params) if value == SAMPLE_PK)
        if not slots:
            raise ValueError("The QuerySet does not filter on the key it was built with.")
        selected = compiler.klass_info["select_fields"]
        if selected != list(range(len(selected))) or compiler.klass_info.get("related_klass_infos"):
            raise ValueError("Only a model's own columns, then annotations, can be read this way.")
        compiled = self._compiled[using] = _Compiled(
            model=queryset.model,
            sql=sql,
            params=tuple(params),
            slots=slots,
            fields=tuple(compiler.select[index][0].target.attname for index in selected),
            annotations=dict(compiler.annotation_col_map),
            converters=compiler.get_converters([expression for expression, _, _ in compiler.select]),
        )
        return compiled
