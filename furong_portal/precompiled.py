"""The SQL of hot reads, compiled once per process and shape.

Building and compiling the item page's QuerySet (thirty columns, three EXISTS flags)
cost Django ~0.8 ms of Python per request, a column page's list ~0.75 ms: more than
PostgreSQL takes to answer them, the statements being prepared once per connection.
`Precompiled` compiles the QuerySet once per database and *shape* of its arguments and
runs that SQL with the arguments of each call, then builds the instances as Django's
own iterator does (`Model.from_db`, the database's converters, annotations set as
attributes; deferred fields stay deferred). `raw()` would do the same but works out its
column mapping again on every query.

The arguments that change are integers (keys) and datetimes, alone, in tuples or in
lists. The QuerySet is built once with a stand-in value for each (a value no row has)
and every parameter of the SQL equal to a stand-in is where the argument goes; a
stand-in that reaches no parameter is refused (the argument was used in Python, not
in the SQL, and the statement would not follow it). The shape is what changes the SQL
besides those values: which arguments are None and how long each list or tuple is."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, models
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

# No row has them: where one appears among the compiled parameters, an argument goes.
SAMPLE_PK = -7_654_321
SAMPLE_MOMENT = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class _Compiled:
    model: type[models.Model]
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, int | None], ...]  # parameter index: argument name, index in a sequence
    fields: tuple[str, ...]  # the model's columns (attnames), in the order selected
    annotations: dict[str, int]  # annotation name: its position in the row
    converters: dict  # position: (converters, expression), Django's SQLCompiler.get_converters
    plain: bool  # every column selected is set by Model.__init__ as a plain attribute


def _shape(arguments: dict) -> tuple:
    return tuple(
        (name, None if value is None else len(value) if isinstance(value, (list, tuple)) else -1)
        for name, value in sorted(arguments.items())
    )


class Precompiled:
    def __init__(self, build: Callable[..., models.QuerySet]):
        """`build(**arguments)`: the QuerySet; every parameter that is not an argument is constant."""
        self.build = build
        self._compiled: dict[tuple, _Compiled] = {}

    def get(self, pk: int, using: str = "default"):
        """The row with `pk` (for a `build(pk)`) as a model instance, or None."""
        rows = self.rows(using, pk=int(pk))
        return rows[0] if rows else None

    def rows(self, using: str = "default", /, **arguments) -> list:
        """The QuerySet's rows for `arguments`, as model instances."""
        key = (using, _shape(arguments))
        compiled = self._compiled.get(key) or self._compile(key, using, arguments)
        connection = connections[using]
        values = list(compiled.params)
        for index, name, position in compiled.slots:
            value = arguments[name] if position is None else arguments[name][position]
            values[index] = _adapted(connection, value)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, values)
            found = cursor.fetchall()
        model, fields, width, instances = compiled.model, compiled.fields, len(compiled.fields), []
        fast = compiled.plain and not _signalled(model)
        for row in found:
            if compiled.converters:
                row = list(row)
                for position, (converters, expression) in compiled.converters.items():
                    for converter in converters:
                        row[position] = converter(row[position], expression, connection)
            instance = _instance(model, using, fields, row) if fast else model.from_db(using, fields, row[:width])
            for name, position in compiled.annotations.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances

    def _compile(self, key: tuple, using: str, arguments: dict) -> _Compiled:
        connection = connections[using]
        samples, stand_ins = {}, {}
        counter = iter(range(1_000_000))

        def stand_in(name, value, position):
            number = next(counter)
            if isinstance(value, datetime.datetime):
                sample = SAMPLE_MOMENT + datetime.timedelta(microseconds=number)
            elif isinstance(value, int) and not isinstance(value, bool):
                sample = SAMPLE_PK - number
            else:
                raise ValueError(f"{name}: only integers and datetimes can change between runs.")
            stand_ins[_adapted(connection, sample)] = (name, position)
            return sample

        for name, value in arguments.items():
            if isinstance(value, (list, tuple)):
                samples[name] = type(value)(stand_in(name, each, index) for index, each in enumerate(value))
            else:
                samples[name] = None if value is None else stand_in(name, value, None)
        queryset = self.build(**samples)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = []
        for index, value in enumerate(params):
            try:
                found = stand_ins.get(value)
            except TypeError:  # an unhashable parameter is not ours
                found = None
            if found is not None:
                slots.append((index, *found))
        if {slot[1:] for slot in slots} != set(stand_ins.values()):
            raise ValueError("The QuerySet does not use every argument it was built with in its SQL.")
        selected = compiler.klass_info["select_fields"]
        if selected != list(range(len(selected))) or compiler.klass_info.get("related_klass_infos"):
            raise ValueError("Only a model's own columns, then annotations, can be read this way.")
        fields = tuple(compiler.select[index][0].target.attname for index in selected)
        compiled = self._compiled[key] = _Compiled(
            model=queryset.model,
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            fields=fields,
            annotations=dict(compiler.annotation_col_map),
            converters=compiler.get_converters([expression for expression, _, _ in compiler.select]),
            plain=_plain(queryset.model, fields),
        )
        return compiled


# Descriptors whose value Model.__init__ stores in the instance's __dict__ and nothing else.
PLAIN_ATTRIBUTES = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _plain(model, fields: tuple[str, ...]) -> bool:
    """Whether Model.from_db would only store `fields` in a new instance: the model keeps
    Django's own __init__ and from_db, and each column's descriptor only stores its value."""
    own = model.__init__ is models.Model.__init__ and model.from_db.__func__ is models.Model.from_db.__func__
    return own and all(type(getattr(model, name, None)) in PLAIN_ATTRIBUTES for name in fields)


def _signalled(model) -> bool:
    return signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)


def _instance(model, using: str, fields: tuple[str, ...], row) -> models.Model:
    """What `model.from_db(using, fields, row)` returns, built without Model.__init__
    (~7 µs an instance, more than the rest of a list row's work): the selected columns
    set, the others deferred. Only where `_plain` holds and the model has no pre_init or
    post_init receivers: there __init__ does nothing else."""
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.adding, state.db = False, using
    instance.__dict__.update(zip(fields, row))
    return instance


def _adapted(connection, value):
    """A value as Django's lookups pass it to the database (SQLite takes datetimes as text)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
