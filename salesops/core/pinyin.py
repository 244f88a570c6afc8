"""Search keys: a name findable by its Chinese text, its full pinyin and its pinyin initials.

``search_key("北京重工")`` is ``"北京重工 beijingzhonggong bjzg"``: the text itself, the full
pinyin and the initials, lowercase, each without spaces, so that "北京", "beijing" and "bj" all
find it with one ``LIKE '%…%'`` on one stored column. Latin letters and digits in a mixed name
stay as they are ("ABB北京" gives "abbbeijing" and "abbbj"). ü is written ``v``, as pinyin input
methods type it ("绿" gives "lv").

Heteronyms take pypinyin's default reading, which for words in its phrase dictionary is the
word's reading (重庆 chongqing, 银行 yinhang, 长沙 changsha); a single character takes its most
common reading. A person's name may ask for the surname reading of its first character
(``surname=True``: 曾 zeng, 单 shan, 解 xie…), which is how colleagues are looked up.

The key is stored in a ``SearchKeyField`` that computes itself from its source fields on every
``save()`` and ``bulk_create``; a model with ``SearchKeyMixin`` also keeps it current on a
``save(update_fields=[...])`` naming a source. ``search_term`` normalises what the user typed the
same way, and ``search_condition`` is the one filter every list and picker uses; a query that mixes
Chinese with pinyin ("北京zg", "bj重工") also looks for its Chinese spelled as pinyin and initials.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.db import models
from django.db.models import Q
from pypinyin import Style, lazy_pinyin

MAX_KEY_LENGTH = 1000

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

# Surname readings that differ from the character's most common reading.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "种": "chong",
    "秘": "bi",
    "尉": "yu",
    "召": "shao",
    "长": "chang",
    "重": "chong",
    "员": "yun",
    "繁": "po",
}


def _normalise(text: str) -> str:
    # NFKC folds full-width letters and digits (ＢＪ, １２) into ASCII ones.
    return unicodedata.normalize("NFKC", text or "").lower()


_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _pieces(text: str, *, surname: bool) -> list[tuple[str, str]]:
    """``(full, initials)`` per piece: a Chinese character's pinyin syllable and its first letter,
    or a run of latin letters and digits kept whole for both."""
    pieces: list[tuple[str, str]] = []
    for run in _RUNS.findall(text):
        if _CJK.match(run):
            readings = lazy_pinyin(run, style=Style.NORMAL, v_to_u=False)
            if surname and not pieces and run[0] in SURNAME_READINGS:
                readings[0] = SURNAME_READINGS[run[0]]
            pieces += [(r, r[0]) for r in (_NOT_ALNUM.sub("", r.lower()) for r in readings) if r]
        else:
            plain = _NOT_ALNUM.sub("", run)
            if plain:
                pieces.append((plain, plain))
    return pieces


def text_key(text: str, *, surname: bool = False) -> str:
    """The key of one text: the text, its full pinyin, its initials (duplicates dropped)."""
    text = _SPACE.sub("", _normalise(text))
    if not text:
        return ""
    pieces = _pieces(text, surname=surname)
    parts = [text, "".join(full for full, _ in pieces), "".join(initial for _, initial in pieces)]
    return " ".join(dict.fromkeys(p for p in parts if p))


def search_key(*texts: str, surname: bool = False) -> str:
    """The key of several texts (a name, a username…), at most ``MAX_KEY_LENGTH`` characters."""
    keys = [text_key(t, surname=surname and i == 0) for i, t in enumerate(texts)]
    tokens = list(dict.fromkeys(token for key in keys for token in key.split(" ") if token))
    return " ".join(tokens)[:MAX_KEY_LENGTH]


def search_term(query: str) -> str:
    """What the user typed, normalised as keys are: lowercase, full-width folded, no spaces."""
    return _SPACE.sub("", _normalise(query))[:100]


_LATIN = re.compile(r"[0-9a-z]")


def _term_variants(term: str) -> list[str]:
    """What to look for in a key: the term itself and, when it mixes Chinese with pinyin ("北京zg",
    "bj重工", "beijing重工"), the term with its Chinese written as full pinyin and as initials (the
    key holds each of those spellings whole, never a mix)."""
    if not (_CJK.search(term) and _LATIN.search(term)):
        return [term]
    pieces = _pieces(term, surname=False)  # a latin run is kept whole in both spellings
    full = "".join(piece for piece, _ in pieces)
    initials = "".join(initial for _, initial in pieces)
    return list(dict.fromkeys(v for v in (term, full, initials) if v))


def search_condition(query: str, fields: Iterable[str] = (), key: str = "") -> Q:
    """Rows whose ``fields`` contain ``query`` (case-insensitive) or whose search ``key`` column
    contains it as Chinese, full pinyin or initials. An empty query matches every row."""
    query = (query or "").strip()[:100]
    if not query:
        return Q()
    alternatives = [Q(**{f"{name}__icontains": query}) for name in fields]
    term = search_term(query)
    if key and term:
        # Keys are stored lowercase, so a plain LIKE does (a trigram index can serve it on PostgreSQL).
        alternatives += [Q(**{f"{key}__contains": variant}) for variant in _term_variants(term)]
    if not alternatives:
        return Q(pk__in=[])
    condition = alternatives[0]
    for alternative in alternatives[1:]:
        condition |= alternative
    return condition


class SearchKeyField(models.CharField):
    """The search key of ``sources`` (field names), recomputed whenever the row is saved.

    Not editable: no form, admin page or service sets it. ``surname=True`` reads the first
    source's first character as a surname (people's names).
    """

    description = "Search key (Chinese, full pinyin and initials)"
    # A writer that goes around save() (QuerySet.update) should write ``pre_save(obj, False)`` too.
    computed_on_save = True

    def __init__(self, *args: Any, sources: Iterable[str] = (), surname: bool = False, **kwargs: Any) -> None:
        self.sources = tuple(sources)
        self.surname = surname
        kwargs.setdefault("max_length", MAX_KEY_LENGTH)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = list(self.sources)
        if self.surname:
            kwargs["surname"] = True
        for option, value in (("max_length", MAX_KEY_LENGTH), ("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(option, value) == value:
                kwargs.pop(option, None)
        if kwargs.get("db_index") is True:
            kwargs.pop("db_index")
        return name, path, args, kwargs

    def compute(self, instance: models.Model) -> str:
        return search_key(*(str(getattr(instance, s) or "") for s in self.sources), surname=self.surname)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        # Called by save() and by bulk_create (its INSERT), so every written row has its key.
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def search_key_fields(model: type[models.Model] | models.Model) -> list[SearchKeyField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, SearchKeyField)]


class SearchKeyMixin:
    """For a model with a ``SearchKeyField``: ``save(update_fields=[...])`` that names one of the
    key's sources also writes the key (Django writes only the fields named)."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            named = set(update_fields)
            extra = [
                f.name
                for f in search_key_fields(cast(models.Model, self))
                if named & set(f.sources) and f.name not in named
            ]
            if extra:
                kwargs["update_fields"] = [*update_fields, *extra]
        super().save(*args, **kwargs)  # type: ignore[misc]


def refresh_search_key(instance: models.Model) -> bool:
    """Write the row's search keys if they no longer match its sources (after a write that went
    around ``save()``, such as ``QuerySet.update``). One UPDATE when stale, none otherwise."""
    stale = [f.name for f in search_key_fields(instance) if getattr(instance, f.attname) != f.compute(instance)]
    if stale:
        instance.save(update_fields=stale)
    return bool(stale)


# Migrations


def fill_search_keys(model: type[models.Model], *, using: str = "default", batch_size: int = 500) -> int:
    """Compute the search keys of every existing row (a data migration after adding the field).
    Works on a migration's historical model: the field is rebuilt from its ``sources``."""
    fields = search_key_fields(model)
    if not fields:
        return 0
    sources = {s for f in fields for s in f.sources if s in {c.attname for c in model._meta.concrete_fields}}
    manager = model._default_manager.db_manager(using)
    names = [f.attname for f in fields]
    done, last = 0, None
    while True:
        # Batches by primary key: no cursor stays open on the table being updated.
        rows = manager.only("pk", *sources).order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows[:batch_size])
        if not batch:
            return done
        for row in batch:
            for f in fields:
                setattr(row, f.attname, f.compute(row))
        manager.bulk_update(batch, names)
        done += len(batch)
        last = batch[-1].pk


def fill_search_keys_operation(app_label: str, model_name: str) -> Any:
    """``RunPython`` filling one model's search keys; reversing it leaves the column to be dropped."""
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        fill_search_keys(apps.get_model(app_label, model_name), using=schema_editor.connection.alias)

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)


def trigram_index_operation(table: str, column: str, name: str) -> Any:
    """On PostgreSQL, a pg_trgm GIN index so ``LIKE '%bj%'`` on the key uses an index; where the
    extension cannot be created (no privilege) the plain B-tree index stays and lists still work.
    SQLite scans: with a few thousand rows that is a fraction of a millisecond."""
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        from django.db import DatabaseError, transaction

        quote = schema_editor.quote_name
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                target = f"{quote(table)} USING gin ({quote(column)} gin_trgm_ops)"
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {target}")
        except DatabaseError:
            return

    def backward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    return migrations.RunPython(forward, backward)
