"""The SQL of a hot one-row read, compiled once per process.

Building and compiling the item page's QuerySet (thirty columns, three EXISTS flags)
cost Django ~0.8 ms of Python per request: more than PostgreSQL takes to answer it,
the statement being prepared once per connection. `Precompiled` compiles the QuerySet
once per database and runs that SQL with the only parameter that changes, a primary
key, through `raw()`: the same statement and the same model instances (deferred fields
stay deferred, annotations become attributes)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

# No row has it: where it appears among the compiled parameters, the key goes.
SAMPLE_PK = -7_654_321


class Precompiled:
    def __init__(self, build: Callable[[int], models.QuerySet]):
        """`build(pk)`: the QuerySet of the row with that key, every other parameter constant."""
        self.build = build
        self._compiled: dict[str, tuple] = {}

    def get(self, pk: int, using: str = "default"):
        """The row with `pk`, or None."""
        if using not in self._compiled:
            queryset = self.build(SAMPLE_PK)
            sql, params = queryset.query.get_compiler(using).as_sql()
            slots = [index for index, value in enumerate(params) if value == SAMPLE_PK]
            if not slots:
                raise ValueError("The QuerySet does not filter on the key it was built with.")
            self._compiled[using] = (queryset.model, sql, params, slots)
        model, sql, params, slots = self._compiled[using]
        values = list(params)
        for index in slots:
            values[index] = int(pk)
        return next(iter(model.objects.raw(sql, values, using=using)), None)
