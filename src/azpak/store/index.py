"""The compiled index: validated facts in an SQLite file, so a lookup does not re-read the YAML.

One index file per set of fact files, in the user cache directory, named by a
hash of the files' paths and azpak's version. Inside, a ``meta`` table records
each file's size, modification and status-change times (in nanoseconds) and
inode; a changed file, another azpak version, or a file SQLite cannot read
(corrupt, truncated) means the index is rebuilt. Each stored record carries a
CRC-32 of its JSON, and so do each row of statistics and the ``meta`` values:
SQLite has no page checksums, so damage inside a page could otherwise read back
as a wrong answer. Damage found while answering (SQLite's
"malformed" or "not a database", undecodable text, a checksum mismatch) discards
the index: the answer comes from the fact files and the index is rebuilt. A busy
or locked index is never discarded.
An index is written to a temporary file and renamed into place, so concurrent
runs never see half of one. When the cache directory cannot be written, azpak
answers from memory without a word.

Tables: ``records`` (every record as compact JSON, numbered in file order),
``events`` (date order, kind, status, and first and last day, indexed by day;
``meta`` keeps the longest event's length), ``refs`` (which record mentions or
cites which entity, by number), ``names`` (normalised words of every name, alias
and id), and ``stats`` (event and statement counts and citing sources per entity). The index is meant to stay
within about one and a half times the size of its fact files.

The text index (``texts``, an FTS5 trigram index of each record's normalised text)
is most of an index's size and a good part of its compile time, and only text
searches use it: it is built on the first one, in a file of its own beside the
index (``text-….sqlite``, written atomically in the same way), and tied to the
index it was built from by the index's build id. A read-only command never
rewrites the main index; when the text file cannot be written, the text index is
built in memory for that one command.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from azpak import __version__
from azpak.facts.model import RECORD_TYPES, Entity, FactBase, Record, build_record, references_of
from azpak.facts.names import Named, match, normalise, suggest
from azpak.query.questions import (
    NO_STATS,
    EntityStats,
    EventFilter,
    entity_stats,
    record_mentions,
    record_text,
    role_mentions,
)
from azpak.structs import struct

#: Bump when the tables or their meaning change: older index files are rebuilt.
INDEX_FORMAT = "8"
ENTITY_COLLECTIONS = ("people", "organisations", "countries", "sectors", "topics")
_CHUNK = 500


def cache_dir() -> Path:
    """``AZPAK_CACHE_DIR``, else the platform's user cache directory for azpak."""
    override = os.environ.get("AZPAK_CACHE_DIR")
    if override:
        return Path(override)
    # The XDG / platform rule, written out: platformdirs costs more to import than the rule is long.
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "azpak" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "azpak"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "azpak"


@struct
class Fingerprint:
    path: str
    size: int
    mtime_ns: int
    inode: int = 0
    ctime_ns: int = 0  # the status-change time: set by the kernel on every write, and no user can set it back


def fingerprints(files: list[Path]) -> list[Fingerprint]:
    """Size, modification and status-change times and inode of each file; OSError when one cannot be looked at."""
    prints = []
    for file in files:
        resolved = file.resolve()
        stat = resolved.stat()
        prints.append(Fingerprint(str(resolved), stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns))
    return prints


def index_path(prints: list[Fingerprint], directory: Path | None = None) -> Path:
    key = json.dumps([INDEX_FORMAT, __version__, [p.path for p in prints]])
    # A short name is enough: the meta table, not the name, decides whether an index is current.
    digest = f"{zlib.crc32(key.encode()):08x}{len(key):04x}"
    return (directory or cache_dir()) / f"index-{digest}.sqlite"


def _meta_fingerprints(prints: list[Fingerprint]) -> str:
    return json.dumps([[p.path, p.size, p.mtime_ns, p.inode, p.ctime_ns] for p in prints])


def _ordinal(day: Any) -> int:
    return int(day.toordinal())


# Records are numbered (``key``) in the order of the fact files, one collection after another,
# so a collection is a range of numbers (kept in ``meta``: no index on the collection). The
# other tables refer to records by number, which is smaller to store and to look up than their
# text ids: ``names`` and ``stats`` name entities by number (a collection's entities being a range of
# numbers), and ``stats`` lists an entity's sources as numbers. ``refs`` and ``names`` are their own
# indexes (WITHOUT ROWID), so no second copy is kept. A record's id is stored once, in its column, not
# again in its JSON.
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE records (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, collection TEXT NOT NULL, spellings TEXT,
                      data TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE events (seq INTEGER PRIMARY KEY, key INTEGER NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
                     first INTEGER NOT NULL, last INTEGER NOT NULL);
CREATE TABLE refs (entity INTEGER NOT NULL, collection INTEGER NOT NULL, record INTEGER NOT NULL,
                   PRIMARY KEY (entity, collection, record)) WITHOUT ROWID;
CREATE TABLE names (word TEXT NOT NULL, entity INTEGER NOT NULL, PRIMARY KEY (word, entity)) WITHOUT ROWID;
CREATE TABLE stats (entity INTEGER PRIMARY KEY, events INTEGER NOT NULL, statements INTEGER NOT NULL,
                    sources TEXT NOT NULL, crc INTEGER NOT NULL);
"""
#: How ``refs.collection`` numbers the collections of the records that refer.
_REFERRING = {"events": 0, "statements": 1, "people": 2}
#: The keys of the records of one collection (a ``refs.collection`` number) that refer to any of some ids.
_REFERRING_SQL = (
    "SELECT record FROM refs WHERE collection = ? AND entity IN (SELECT key FROM records WHERE id IN ({marks}))"
)
# The stored JSON: compact, as written (no ASCII escapes), and without the circular-reference check
# (a record read from YAML has no cycles; aliases are refused).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


#: The records of one collection, by their range of numbers (``IndexStore._range``); the collection is
#: checked too, so that a damaged range can leave records out but never bring in another collection's.
_RANGE = "key BETWEEN ? AND ? AND collection = ?"
#: The entities of one collection (``_RANGE``) having any of some words in a name, alias or id.
_NAMED_BY_WORDS = (
    f"SELECT id FROM records WHERE {_RANGE} AND key IN (SELECT entity FROM names WHERE word IN ({{marks}}))"
)


def text_path(index: Path) -> Path:
    """The file of an index's text index, beside it."""
    return index.with_name("text-" + index.name.removeprefix("index-"))


def write_index(
    path: Path,
    prints: list[Fingerprint],
    base: FactBase,
    raw: Mapping[str, Sequence[Mapping[str, Any]]],
    progress: Callable[[float], None] | None = None,
) -> None:
    """Write the index of a validated fact base to ``path``, atomically (temporary file, then rename)."""
    import uuid

    def fill(connection: sqlite3.Connection) -> None:
        # Records of about a kilobyte leave less unused space in larger pages (8 KiB measured best).
        connection.execute("PRAGMA page_size = 8192")
        connection.executescript(_SCHEMA)
        meta = _fill(connection, base, raw, progress)
        meta.update(format=INDEX_FORMAT, version=__version__, files=_meta_fingerprints(prints), build=uuid.uuid4().hex)
        meta["check"] = _meta_check(meta)
        connection.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))

    _write_atomically(path, ".index-", fill)


def _write_atomically(path: Path, prefix: str, fill: Callable[[sqlite3.Connection], None]) -> None:
    """Fill a new SQLite file and rename it to ``path``, so that no reader ever sees half of one."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            fill(connection)
            connection.commit()
        finally:
            connection.close()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fill(
    connection: sqlite3.Connection,
    base: FactBase,
    raw: Mapping[str, Sequence[Mapping[str, Any]]],
    progress: Callable[[float], None] | None,
) -> dict[str, str]:
    """Fill the tables; return what ``meta`` keeps of them (each collection's range of numbers, the longest event)."""
    total = sum(len(items) for items in raw.values()) or 1
    done = 0
    keys: dict[str, int] = {}

    def rows(collection: str, items: Sequence[Mapping[str, Any]]) -> Iterator[tuple[Any, ...]]:
        # Made as SQLite takes them, so that the JSON of a whole collection is never held at once.
        # Only entities are looked up or completed by name: only they keep their spellings.
        entities = cast("dict[str, Entity]", base.collection(collection)) if collection in ENTITY_COLLECTIONS else {}
        for item in items:
            record_id = str(item["id"])
            spellings = None
            if entities:
                entity = entities[record_id]
                spellings = _encode([entity.name, *entity.aliases])
            stored = dict(item)  # a copy (the C one), to keep the id out of the JSON
            del stored["id"]
            data = _encode(stored)
            key = keys[record_id] = len(keys)
            yield key, record_id, collection, spellings, data, _crc(record_id, collection, data)

    ranges: dict[str, tuple[int, int]] = {}
    for collection, items in raw.items():
        first = len(keys)
        connection.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)", rows(collection, items))
        ranges[collection] = (first, len(keys) - 1)
        done += len(items)
        if progress:
            progress(0.6 + 0.3 * done / total)
    events = base.sorted_events()
    days = [(_ordinal(e.date.first), _ordinal(e.date.last)) for e in events]
    connection.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
        [(seq, keys[e.id], e.kind, e.status, *days[seq]) for seq, e in enumerate(events)],
    )
    # Made once the rows are in (a sort, not an insertion per row): events found by reference are
    # looked up by record number, and by date through their first day (see ``events_base``),
    # instead of reading the whole table. An R*Tree of the day ranges answered the same, at ten
    # times the cost to fill.
    connection.execute("CREATE INDEX events_key ON events (key)")
    connection.execute("CREATE INDEX events_days ON events (first, last)")
    longest = max((last - first for first, last in days), default=0)
    # Each reference packed in one integer (entity, collection, record), which sorts as the rows do:
    # rows inserted in key order fill the table's pages, and integers sort several times faster than tuples.
    mentions = record_mentions(base)
    refs: set[int] = set()
    for collection, record_id, mentioned, cited in mentions:
        tail = _REFERRING[collection] << 32 | keys[record_id]
        refs.update(keys[entity_id] << 34 | tail for entity_id in mentioned)
        refs.update(keys[source_id] << 34 | tail for source_id in cited)
    code = _REFERRING["people"]
    for person in base.people.values():
        tail = code << 32 | keys[person.id]
        refs.update(keys[entity_id] << 34 | tail for entity_id in role_mentions(person))
    connection.executemany(
        "INSERT INTO refs VALUES (?, ?, ?)", ((ref >> 34, ref >> 32 & 3, ref & 0xFFFFFFFF) for ref in sorted(refs))
    )
    names: set[tuple[str, int]] = set()
    for collection in ENTITY_COLLECTIONS:
        for entity in cast("dict[str, Entity]", base.collection(collection)).values():
            key = keys[entity.id]
            for spelling in (entity.id, entity.name, *entity.aliases):
                names.update((word, key) for word in normalise(spelling).split())
    connection.executemany("INSERT INTO names VALUES (?, ?)", sorted(names))
    stats = entity_stats(base, mentions)
    counted = [
        (keys[entity_id], found.events, found.statements, _encode(sorted(keys[s] for s in found.sources)))
        for entity_id, found in stats.items()
    ]
    connection.executemany(
        "INSERT INTO stats VALUES (?, ?, ?, ?, ?)", sorted((*row, _stats_crc(*row)) for row in counted)
    )
    if progress:
        progress(1.0)
    return {"collections": json.dumps(ranges), "longest": str(longest)}


class StaleIndex(Exception):
    """The index file is missing, from another version, for changed files, or unreadable."""


class BusyIndex(StaleIndex):
    """The index file is locked by another process: bypassed (answered from the files), never replaced."""


class DamagedIndex(Exception):
    """A stored record does not match its checksum."""


def _crc(record_id: str, collection: str, data: str) -> int:
    return zlib.crc32(f"{record_id}\0{collection}\0{data}".encode())


# A row of ``stats`` and the values in ``meta`` are shown or trusted as they are read (counts, the
# sources an entity is cited by, collections' ranges, the longest event), so they carry checksums
# too: a damaged one reads as damage, not as a wrong answer.
def _stats_crc(entity: int, events: int, statements: int, sources: str) -> int:
    return zlib.crc32(f"{entity}\0{events}\0{statements}\0{sources}".encode())


def _meta_check(meta: Mapping[str, str]) -> str:
    return str(zlib.crc32(json.dumps(sorted((k, v) for k, v in meta.items() if k != "check")).encode()))


def _checked(record_id: str, collection: str, data: str, crc: int) -> Record:
    if not isinstance(data, str) or _crc(str(record_id), str(collection), data) != crc:
        raise DamagedIndex(f"record {record_id!r} does not match its checksum")
    record: Record = build_record({"id": record_id, **json.loads(data)}, collection)
    return record


def _checked_stats(entity: int, events: int, statements: int, sources: str, crc: int) -> None:
    if not isinstance(sources, str) or _stats_crc(entity, events, statements, sources) != crc:
        raise DamagedIndex(f"the statistics of record {entity} do not match their checksum")


def is_busy(error: BaseException) -> bool:
    """A busy or locked index: waited for or bypassed, never discarded."""
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def is_damage(error: BaseException) -> bool:
    """An error that means the index file is damaged (or busy): malformed, not a database, undecodable, bad checksum."""
    if isinstance(error, sqlite3.ProgrammingError):
        return False
    return isinstance(error, (sqlite3.DatabaseError, DamagedIndex, ValueError, KeyError, TypeError))


class IndexStore:
    """Answers from a compiled index, narrowing with SQL, then building a small FactBase."""

    def __init__(self, path: Path, prints: list[Fingerprint]) -> None:
        if not path.is_file():
            raise StaleIndex("no index yet")
        try:
            connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as exc:
            if is_busy(exc):
                raise BusyIndex(f"index in use: {exc}") from None
            raise StaleIndex(f"unreadable index: {exc}") from None
        expected = {"format": INDEX_FORMAT, "version": __version__, "files": _meta_fingerprints(prints)}
        if any(meta.get(key) != value for key, value in expected.items()):
            connection.close()
            raise StaleIndex("index is out of date")
        if meta.get("check") != _meta_check(meta):
            connection.close()
            raise StaleIndex("damaged index")
        self.path = path
        self.connection = connection
        self.build = meta.get("build", "")
        try:
            ranges = json.loads(meta.get("collections", ""))
            self._ranges = {str(name): (int(first), int(last)) for name, (first, last) in ranges.items()}
            self._longest = int(meta.get("longest", ""))
        except (ValueError, TypeError, AttributeError):
            connection.close()
            raise StaleIndex("unreadable index") from None
        self._texts_ready = False
        # What this run has read already: a profile asks for the same records and statistics several
        # times (to find the name, then for what refers to it), and each is decoded and checked once.
        self._fetched: dict[str, tuple[str, Record]] = {}
        self._stats: dict[str, EntityStats] = {}

    # The text index, built on the first text search.

    def _texts(self) -> None:
        """Make ``texts`` answerable: attach the text file, building it (or, failing that, one in memory)."""
        if self._texts_ready:
            return
        target = text_path(self.path)
        if not self._attach_texts(target):
            base = self.full_base()
            rows = [(r.id, record_text(base, r)) for name in RECORD_TYPES for r in base.collection(name).values()]
            try:
                _write_atomically(target, ".text-", lambda connection: self._fill_texts(connection, "main", rows))
                attached = self._attach_texts(target)
            except (OSError, sqlite3.Error):
                attached = False
            if not attached:
                self.connection.execute("ATTACH DATABASE ':memory:' AS textindex")
                self._fill_texts(self.connection, "textindex", rows)
        self._texts_ready = True

    def _fill_texts(self, connection: sqlite3.Connection, schema: str, rows: list[tuple[str, str]]) -> None:
        connection.execute(f"CREATE TABLE {schema}.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute(f"CREATE VIRTUAL TABLE {schema}.texts USING fts5 (id UNINDEXED, body, tokenize = 'trigram')")
        connection.execute(f"INSERT INTO {schema}.meta VALUES ('build', ?)", (self.build,))
        connection.executemany(f"INSERT INTO {schema}.texts (id, body) VALUES (?, ?)", rows)

    def _attach_texts(self, target: Path) -> bool:
        """Attach the text file if it is there and was built from this index."""
        if not target.is_file():
            return False
        try:
            self.connection.execute("ATTACH DATABASE ? AS textindex", (f"{target.as_uri()}?mode=ro",))
        except sqlite3.Error:
            return False
        try:
            row = self.connection.execute("SELECT value FROM textindex.meta WHERE key = 'build'").fetchone()
            if row is not None and row[0] == self.build:
                return True
        except sqlite3.Error:
            pass
        self.connection.execute("DETACH DATABASE textindex")
        return False

    # Fetching records and what they refer to.

    def _fetch(self, ids: Iterable[str]) -> list[tuple[str, Record]]:
        """The records with these ids (those that exist): each chunk of ids in id order, as SQLite gives them."""
        wanted = list(dict.fromkeys(ids))
        fetched = self._fetched
        missing = [record_id for record_id in wanted if record_id not in fetched]
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT id, collection, data, crc FROM records WHERE id IN ({marks})", chunk
            ).fetchall()
            for row in rows:
                fetched[row[0]] = (row[1], _checked(*row))
        found: list[tuple[str, Record]] = []
        for start in range(0, len(wanted), _CHUNK):
            found.extend(fetched[i] for i in sorted(wanted[start : start + _CHUNK]) if i in fetched)
        return found

    def _base(self, ids: Iterable[str]) -> FactBase:
        """A FactBase of these records and, transitively, every record they refer to.

        The entities among ``ids`` are the ones whose rows a command prints, so the sources
        citing them (named in their rows) are fetched too.
        """
        base = FactBase()
        pending = set(ids)
        seen: set[str] = set()
        first_round = True
        while pending:
            seen |= pending
            fetched = self._fetch(pending)
            pending = set()
            for collection, record in fetched:
                base.collection(collection)[record.id] = record
                pending |= references_of(record)
                if first_round and collection in ENTITY_COLLECTIONS:
                    pending.update(self.stats(record.id).sources)
            pending -= seen
            first_round = False
        return base

    def _ids(self, sql: str, params: Iterable[Any] = ()) -> list[str]:
        return [row[0] for row in self.connection.execute(sql, tuple(params))]

    def _ids_in(self, sql: str, values: list[str], before: Iterable[Any] = ()) -> list[str]:
        """``_ids`` for a query with one ``IN ({marks})`` list, run in chunks below SQLite's parameter limit."""
        found: list[str] = []
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            found.extend(self._ids(sql.format(marks=",".join("?" * len(chunk))), [*before, *chunk]))
        return list(dict.fromkeys(found))

    # The FactStore interface.

    def names_base(self, queries: list[tuple[str, str]]) -> FactBase:
        ids: list[str] = []
        for collection, query in queries:
            if collection == "sources":  # sources are named by id; an unknown one is reported with suggestions
                known = self._ids("SELECT id FROM records WHERE collection = 'sources' AND id = ?", [query])
                ids.extend(known or [row[0] for row in self._whole("id", "sources")])
                continue
            words = normalise(query).split()
            candidates: list[str] = []
            if words:
                candidates = self._ids_in(
                    _NAMED_BY_WORDS,
                    sorted(set(words)),
                    self._range(collection),
                )
            records = [record for _, record in self._fetch(candidates)]
            named = [Named(r.id, getattr(r, "name", r.id), getattr(r, "aliases", ()), r) for r in records]
            if words and not match(query, named):
                # Nothing matches: the caller reports it with suggestions. Only the entities whose
                # names could be suggested are fetched, chosen from the stored spellings alone, so
                # an unknown name does not build every record of a large collection; the caller's
                # suggestions from these are the ones it would draw from the whole collection.
                candidates = self._suggestible(collection, query)
            ids.extend(candidates)
        return self._base(ids)

    def _suggestible(self, collection: str, query: str) -> list[str]:
        # In id order, as _fetch returns a chunk: which name a spelling shared by two records suggests.
        light: list[Named[str]] = []
        for record_id, stored in self._whole("id, spellings", collection, order="id"):
            spellings = json.loads(stored)
            light.append(Named(record_id, spellings[0], tuple(spellings[1:]), record_id))
        close = set(suggest(query, light))
        return [named.item for named in light if named.name in close]

    def events_base(self, spec: EventFilter) -> FactBase:
        where: list[str] = []
        params: list[Any] = []
        if spec.ranges:
            latest_first = max(first for first, _ in spec.ranges)
            earliest_last = min(last for _, last in spec.ranges)
            if latest_first > earliest_last:
                return FactBase()
            # An event overlaps the days when it starts by their last and ends from their first. No event
            # lasts longer than the longest, so it also starts at most that long before their first:
            # the search is a range of the index of first days.
            start, end = _ordinal(latest_first), _ordinal(earliest_last)
            where.append("first BETWEEN ? AND ? AND last >= ?")
            params += [start - self._longest, end, start]
        for column, value in (("kind", spec.kind), ("status", spec.status)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        referring: list[set[str]] = []
        for entity_ids in (
            spec.people,
            spec.organisations,
            spec.countries,
            spec.sectors,
            spec.topics,
            spec.citing.sources,
        ):
            if entity_ids is None:
                continue
            if len(entity_ids) > _CHUNK:  # too many ids for one statement: intersect afterwards
                referring.append(entity_ids)
                continue
            marks = ",".join("?" * len(entity_ids))
            where.append(f"events.key IN ({_REFERRING_SQL.format(marks=marks)})")
            params += [_REFERRING["events"], *sorted(entity_ids)]
        if spec.words:
            clause, text_params = self._text_clause(spec.words)
            where.append(f"records.id IN ({clause})")
            params += text_params
        sql = "SELECT records.id FROM events JOIN records ON records.key = events.key"
        sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY seq"
        found = self._ids(sql, params)
        for entity_ids in referring:
            allowed = self._event_ids_referring(entity_ids)
            found = [event_id for event_id in found if event_id in allowed]
        return self._base(found)

    def _text_clause(self, words: list[str]) -> tuple[str, list[str]]:
        self._texts()
        if all(len(word) >= 3 for word in words):
            return "SELECT id FROM texts WHERE texts MATCH ?", [" AND ".join(f'"{w}"' for w in words)]
        # The trigram index needs three characters; shorter words are looked for by a scan.
        return "SELECT id FROM texts WHERE " + " AND ".join("body LIKE ?" for _ in words), [f"%{w}%" for w in words]

    def _event_ids_referring(self, entity_ids: set[str]) -> set[str]:
        return set(self._referring("events", entity_ids))

    def _referring(self, collection: str, entity_ids: set[str]) -> list[str]:
        """Ids of the records of a collection that refer to any of these ids."""
        sql = f"SELECT id FROM records WHERE key IN ({_REFERRING_SQL})"
        return self._ids_in(sql, sorted(entity_ids), [_REFERRING[collection]])

    def related_base(self, entity_id: str) -> FactBase:
        sql = (
            "SELECT records.id FROM refs JOIN records ON records.key = refs.record"
            " WHERE refs.entity = (SELECT key FROM records WHERE id = ?)"
        )
        return self._base([entity_id, *self._ids(sql, [entity_id])])

    def collection_base(self, collection: str) -> FactBase:
        return self._base([row[0] for row in self._whole("id", collection)])

    def _range(self, collection: str) -> tuple[int, int, str]:
        """Parameters of ``_RANGE``: the first and last number of a collection's records, and its name."""
        first, last = self._ranges.get(collection, (0, -1))
        return first, last, collection

    def _whole(self, columns: str, collection: str | None = None, *, order: str = "") -> list[Any]:
        """These columns of every record of ``collection`` (of the whole index, for None), none missing.

        A damaged page of the records table can make SQLite skip rows without an error, and the
        records read still pass their checksums: only the count, known from the ranges in ``meta``
        (which carry their own checksum), shows that some are missing.
        """
        sql = f"SELECT {columns} FROM records"
        params: tuple[Any, ...] = ()
        if collection is not None:
            sql, params = f"{sql} WHERE {_RANGE}", self._range(collection)
        rows = self.connection.execute(f"{sql} ORDER BY {order}" if order else sql, params).fetchall()
        ranges = self._ranges.values() if collection is None else [self._ranges.get(collection, (0, -1))]
        expected = sum(last - first + 1 for first, last in ranges)
        if len(rows) != expected:
            raise DamagedIndex(f"{collection or 'the index'}: {len(rows)} records read, {expected} expected")
        return rows

    def statements_base(self, entity_ids: set[str] | None) -> FactBase:
        if entity_ids is None:
            return self.collection_base("statements")
        return self._base(self._referring("statements", entity_ids))

    def search_base(self, words: list[str]) -> FactBase:
        clause, params = self._text_clause(words)
        return self._base(self._ids(clause, params))

    def record_base(self, record_id: str) -> FactBase:
        return self._base([record_id])

    def all_ids(self) -> Iterable[str]:
        return [row[0] for row in self._whole("id")]

    def full_base(self) -> FactBase:
        base = FactBase()
        for row in self._whole("id, collection, data, crc"):
            record = _checked(*row)
            base.collection(row[1])[record.id] = record
        return base

    def stats(self, entity_id: str) -> EntityStats:
        known = self._stats.get(entity_id)
        if known is None:
            known = self._stats[entity_id] = self._read_stats(entity_id)
        return known

    def _read_stats(self, entity_id: str) -> EntityStats:
        row = self.connection.execute(
            "SELECT entity, events, statements, sources, crc FROM stats"
            " WHERE entity = (SELECT key FROM records WHERE id = ?)",
            (entity_id,),
        ).fetchone()
        if row is None:
            return NO_STATS
        _checked_stats(*row)
        keys = json.loads(row[3])
        sources = self._ids_in("SELECT id FROM records WHERE key IN ({marks})", keys) if keys else []
        return EntityStats(row[1], row[2], tuple(sorted(sources)))

    def names(self, collection: str) -> list[str]:
        rows = self._whole("id, spellings", collection)
        return sorted({value for record_id, spellings in rows for value in (record_id, *json.loads(spellings or "[]"))})


class GuardedStore:
    """An IndexStore that falls back on the fact files when the index turns out to be damaged while answering.

    Damage (see ``is_damage``) discards the index file, answers this and every later question of the run
    from the fact files, and rebuilds the index for the next run; a busy or locked index is bypassed the
    same way but kept.
    """

    def __init__(
        self, index: IndexStore, files: list[Path], prints: list[Fingerprint], progress: Callable[[float], None] | None
    ) -> None:
        self._index = index
        self._active: Any = index
        self._files = files
        self._prints = prints
        self._progress = progress

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._active, name)
        if self._active is not self._index or not callable(target):
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            if self._active is not self._index:
                return getattr(self._active, name)(*args, **kwargs)
            try:
                return target(*args, **kwargs)
            except Exception as error:
                if not is_damage(error):
                    raise
                self._fall_back(discard=not is_busy(error))
                return getattr(self._active, name)(*args, **kwargs)

        return call

    def _fall_back(self, *, discard: bool) -> None:
        from azpak.store.memory import MemoryStore

        path = self._index.path
        self._index.connection.close()
        if discard:
            path.unlink(missing_ok=True)
        base = _compile(self._files, self._prints, path if discard else None, self._progress)
        self._active = MemoryStore(base)


def _compile(
    files: list[Path], prints: list[Fingerprint], path: Path | None, progress: Callable[[float], None] | None
) -> FactBase:
    """Validate and load the fact files; write their index to ``path`` when given and it can be written."""
    from azpak.facts.load import build_fact_base, raise_for_problems, validate_files

    result = validate_files(files, (lambda f: progress(0.6 * f)) if progress else None)
    if result.problems:
        raise_for_problems(result)
    base = build_fact_base(result)
    if path is not None:
        raw = {name: [item for item, _ in items] for name, items in result.records.items()}
        with contextlib.suppress(OSError, sqlite3.Error):  # an index that cannot be kept: answer from memory
            write_index(path, prints, base, raw, progress)
    return base


def open_or_build(files: list[Path], progress: Callable[[float], None] | None = None) -> Any:
    """An index store for these files (building the index if needed), or a MemoryStore when no index can be kept.

    Raises the loader's DataError / NoInputError for files that are invalid or missing.
    """
    from azpak.store.memory import MemoryStore

    try:
        prints = fingerprints(files)
        path = index_path(prints)
    except OSError:
        prints, path = [], None  # a missing file: let validation report it
    if path is not None:
        try:
            return GuardedStore(IndexStore(path, prints), files, prints, progress)
        except BusyIndex:
            path = None
        except StaleIndex:
            pass
    import gc

    # A compile allocates millions of objects and frees few until it ends: the cyclic
    # collector's passes over them cost about a fifth of the time and find nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        base = _compile(files, prints, path, progress)
    finally:
        if collecting:
            gc.enable()
    if path is None:
        return MemoryStore(base)
    try:
        return GuardedStore(IndexStore(path, prints), files, prints, progress)
    except StaleIndex:
        return MemoryStore(base)


@struct
class IndexInfo:
    path: Path
    bytes: int
    files: list[str]
    current: bool
    modified: float
    damaged: bool = False
    text_bytes: int = 0  # the text index's file, 0 when it is not built
    text_built: bool = False  # built, and from this index


def list_indexes(directory: Path | None = None) -> list[IndexInfo]:
    """The index files in the cache directory, and whether each still matches its fact files."""
    folder = directory or cache_dir()
    found: list[IndexInfo] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("index-*.sqlite")):
        files: list[str] = []
        current = False
        damaged = False
        text_bytes, text_built = 0, False
        try:
            connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            try:
                meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
                damaged = _damaged(connection, meta)
            finally:
                connection.close()
            text_bytes, text_built = _text_state(text_path(path), meta.get("build"))
            stored = json.loads(meta.get("files", "[]"))
            files = [entry[0] for entry in stored]
            try:
                now = fingerprints([Path(f) for f in files])
                current = (
                    meta.get("format") == INDEX_FORMAT
                    and meta.get("version") == __version__
                    and _meta_fingerprints(now) == meta.get("files")
                )
            except OSError:
                current = False
        except (sqlite3.Error, ValueError) as error:
            current = False
            damaged = not is_busy(error)
        stat = path.stat()
        found.append(
            IndexInfo(
                path, stat.st_size, files, current and not damaged, stat.st_mtime, damaged, text_bytes, text_built
            )
        )
    return found


def _damaged(connection: sqlite3.Connection, meta: dict[str, str]) -> bool:
    """Whether SQLite's quick check fails or a stored record, statistic or ``meta`` does not match its checksum
    (reads the whole index)."""
    if meta.get("format") != INDEX_FORMAT:
        return False  # another layout: out of date, not damaged
    if meta.get("check") != _meta_check(meta):
        return True
    try:
        if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
            return True
        for row in connection.execute("SELECT id, collection, data, crc FROM records"):
            _checked(*row)
        for row in connection.execute("SELECT entity, events, statements, sources, crc FROM stats"):
            _checked_stats(*row)
    except Exception as error:
        if is_damage(error) and not is_busy(error):
            return True
        raise
    return False


def _text_state(path: Path, build: str | None) -> tuple[int, bool]:
    """The size of a text index file, and whether it was built from the index with this build id."""
    try:
        size = path.stat().st_size
    except OSError:
        return 0, False
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'build'").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return size, False
    return size, row is not None and build is not None and row[0] == build


def clear_indexes(directory: Path | None = None) -> int:
    """Delete every index file (and leftover temporary file); return how many were removed."""
    folder = directory or cache_dir()
    removed = 0
    if folder.is_dir():
        patterns = ("index-*.sqlite", ".index-*.tmp", "text-*.sqlite", ".text-*.tmp")
        for path in [found for pattern in patterns for found in folder.glob(pattern)]:
            try:
                path.unlink()
                removed += 1
            except FileNotFoundError:
                pass
    return removed
