"""Where the index lives: generations of a Chroma collection, on disk or on a shared Chroma server.

Every build writes a new generation beside the current one and then moves a pointer to it, so a build
that is interrupted or fails leaves the previous index in use. On disk (the default) a generation is a
folder under `COMMISSION_HOME/index/` and the pointer is the file `CURRENT`, replaced atomically. With
`COMMISSION_CHROMA_URL` set, a generation is a collection on that server and the pointer is the metadata
of a small collection named `commission-index`, so a whole team shares one knowledge base.

Each generation also has its search artefacts (`artefacts.py`), written by the build before the pointer
moves: in the generation's folder on disk, or for a server's generation under
`COMMISSION_HOME/index/server/<host-port>/` on the machine that built it.

chromadb is imported here only, inside functions: importing it takes about a second. A search on disk
never imports it: it reads the artefacts only.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from assistant.config import Settings
from assistant.errors import ConfigError, KnowledgeIndexError
from assistant.retrieval.embeddings import chroma_embedding_function

FIX = "run `commission index --rebuild`"
UPDATE = "run `commission index` to bring it up to date (it keeps the passages and their vectors)"
POINTER_COLLECTION = "commission-index"
PAPERS_COLLECTION = "papers"
_LOCK_NAME = ".lock"
_GENERATION = re.compile(r"gen-[A-Za-z0-9_-]{1,64}")  # a folder beside CURRENT, never a path elsewhere
_POINTER_LIMIT = 256  # bytes of CURRENT read: a generation name is 16
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}  # no space, or over the disk quota
_SERVER_CLIENTS: dict[str, Any] = {}
_SQLITE_HEADER = b"SQLite format 3\x00"
PAGE = 5000
"""Records read from Chroma per call: one call for a whole collection fails past ~32,000 (SQL variables)."""


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


class Store:
    """The current index generation and the means to replace it."""

    def __init__(self, settings: Settings | None = None) -> None:
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        self.settings = settings or Settings()
        self.url = self.settings.chroma_url
        self.index_dir = self.settings.index_dir
        self._server: Any = None

    @property
    def where(self) -> str:
        """Where the index is, for messages."""
        return f"the Chroma server at {self.url}" if self.url else str(self.index_dir)

    def current_generation(self) -> str | None:
        """The name of the generation in use, or None when there is no index yet.

        Raises:
            KnowledgeIndexError: the pointer to it is damaged; the message says what to run.
        """
        if self.url:
            pointer = self._pointer()
            return (
                str(pointer.metadata.get("current"))
                if pointer.metadata and pointer.metadata.get("current")
                else None
            )
        try:
            with open(self.index_dir / "CURRENT", "rb") as pointer:
                raw = pointer.read(_POINTER_LIMIT)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            raise self.unreadable(error.strerror or type(error).__name__) from None
        try:
            generation = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise self.unreadable("its CURRENT pointer is damaged") from None
        if generation and not _GENERATION.fullmatch(generation):
            raise self.unreadable("its CURRENT pointer is damaged")
        return generation or None

    def unreadable(self, reason: str) -> KnowledgeIndexError:
        """The one-line error for an index that is there but cannot be read; it names the command to run."""
        return KnowledgeIndexError(f"The paper index in {self.where} cannot be read ({reason}): {FIX}")

    def unwritable(self, error: BaseException) -> KnowledgeIndexError | None:
        """The one-line error for a build that could not be stored (a full disk, say), or None for a bug."""
        import sqlite3

        from chromadb.errors import InternalError  # what Chroma raises when its database cannot be written

        if not isinstance(error, OSError | sqlite3.Error | InternalError):
            return None
        text = str(error)
        full = getattr(error, "errno", None) in _FULL or any(
            words in text.lower() for words in ("disk is full", "no space left")
        )
        if full:
            reason, advice = "the disk is full", "free some space, then "
        else:
            reason = (error.strerror if isinstance(error, OSError) else None) or " ".join(text.split())[:160]
            advice = ""
        return KnowledgeIndexError(
            f"The paper index in {self.where} could not be written ({reason or type(error).__name__}), "
            f"so the index in use is unchanged: {advice}{FIX}"
        )

    def open_current(self, *, searchable: bool = True) -> Any:
        """The collection of the generation in use; with `searchable`, only if its search files are current.

        A build reads the previous generation with `searchable=False`: search files of an earlier format
        do not stop it reusing the passages and their vectors.

        Raises:
            KnowledgeIndexError: there is no index, or it cannot be read; the message says what to run.
        """
        generation = self.current_generation()
        if generation is None:
            raise KnowledgeIndexError(f"There is no paper index yet in {self.where}: {FIX}")
        try:
            collection = self._collection(generation, create=False)
            if collection.count() == 0:
                raise ValueError("it holds no passages")
            if not self.url and not (self.artefacts_dir(generation) / "search").is_dir():
                raise ValueError("it was built by an earlier version, without its search files")
            if not self.url and searchable:
                self._check_format(generation)
        except KnowledgeIndexError:
            raise
        except Exception as error:
            raise self.unreadable(" ".join(str(error).split())[:160] or type(error).__name__) from None
        return collection

    def artefacts_dir(self, generation: str) -> Path:
        """Where `generation`'s search artefacts live (see `artefacts.py`)."""
        if self.url:
            parsed = urlparse(self.url)
            server = re.sub(r"[^A-Za-z0-9.-]", "_", f"{parsed.hostname}-{parsed.port or ''}")
            return self.index_dir / "server" / server / generation
        return self.index_dir / generation

    def open_artefacts(self, generation: str) -> Any:
        """The search artefacts of `generation`, memory-mapped.

        Raises:
            KnowledgeIndexError: they are missing or damaged (or, on disk, so is Chroma's database).
        """
        from assistant.retrieval.artefacts import Artefacts, OutdatedError

        folder = self.artefacts_dir(generation)
        if not self.url:
            if not folder.is_dir():
                raise KnowledgeIndexError(
                    f"The paper index in {self.where} is incomplete ({generation} is missing): {FIX}"
                )
            self._check_database(folder / "chroma.sqlite3")
        try:
            return Artefacts.open(folder)
        except OutdatedError:
            raise self.outdated() from None
        except (OSError, ValueError, KeyError) as error:
            raise self.unreadable(" ".join(str(error).split())[:160] or type(error).__name__) from None

    def outdated(self) -> KnowledgeIndexError:
        """The one-line error for search files an earlier version wrote: `commission index` rewrites them."""
        return KnowledgeIndexError(
            f"The paper index in {self.where} was built by an earlier version of commission: {UPDATE}"
        )

    def _check_format(self, generation: str) -> None:
        from assistant.retrieval.artefacts import FOLDER, OutdatedError, check_format

        try:
            check_format(self.artefacts_dir(generation) / FOLDER)
        except OutdatedError:
            raise self.outdated() from None

    def _check_database(self, path: Path) -> None:
        try:
            with open(path, "rb") as database:
                header = database.read(len(_SQLITE_HEADER))
        except OSError as error:
            raise self.unreadable(error.strerror or type(error).__name__) from None
        if header != _SQLITE_HEADER:
            raise self.unreadable("its database is not a SQLite file")

    @staticmethod
    def read_all(collection: Any, include: list[str], page: int = PAGE) -> Iterator[dict[str, Any]]:
        """Every record of `collection` (id, and the fields in `include`), `page` records per call."""
        offset = 0
        while True:
            got = collection.get(include=include, limit=page, offset=offset)
            ids = got["ids"]
            for n, ident in enumerate(ids):
                record: dict[str, Any] = {"id": ident}
                for name in include:
                    record[name] = got[name][n]
                yield record
            if len(ids) < page:
                return
            offset += page

    def new_generation(self, metadata: dict[str, str]) -> tuple[str, Any]:
        """A fresh, empty generation to build into, not yet in use."""
        generation = f"gen-{uuid.uuid4().hex[:12]}"
        try:
            return generation, self._collection(generation, create=True, metadata=metadata)
        except BaseException:
            self.discard(generation)
            raise

    def activate(self, generation: str) -> None:
        """Point the index at `generation` and delete the generations it replaces."""
        if self.url:
            previous = self.current_generation()
            self._pointer().modify(metadata={"current": generation})
            if previous and previous != generation:
                self.discard(previous)
            return
        staging = self.index_dir / "CURRENT.new"
        staging.write_text(generation, encoding="utf-8")
        os.replace(staging, self.index_dir / "CURRENT")
        self.discard_others(keep=generation)

    def discard(self, generation: str) -> None:
        """Remove a generation that was never activated (after a failed or interrupted build)."""
        if self.url:
            with contextlib.suppress(Exception):
                self._client().delete_collection(self._server_name(generation))
            shutil.rmtree(self.artefacts_dir(generation), ignore_errors=True)
        else:
            shutil.rmtree(self.index_dir / generation, ignore_errors=True)

    def discard_others(self, *, keep: str) -> None:
        for folder in self.index_dir.glob("gen-*"):
            if folder.name != keep:
                shutil.rmtree(folder, ignore_errors=True)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the one-writer lock on the on-disk index for the length of a build."""
        if self.url:
            yield
            return
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with open(self.index_dir / _LOCK_NAME, "a+b") as handle:
            try:
                import fcntl
            except ImportError:  # Windows: no advisory locks; builds are rare and quick
                yield
                return
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise KnowledgeIndexError(
                    f"Another `commission index` is already building {self.index_dir}; wait for it to finish"
                ) from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _collection(self, generation: str, *, create: bool, metadata: dict[str, str] | None = None) -> Any:
        embedding_function = chroma_embedding_function()
        if self.url:
            client, name = self._client(), self._server_name(generation)
        else:
            folder = self.index_dir / generation
            if not create and not folder.is_dir():
                raise KnowledgeIndexError(
                    f"The paper index in {self.where} is incomplete ({generation} is missing): {FIX}"
                )
            client, name = self._local_client(folder), PAPERS_COLLECTION
        if create:
            return client.create_collection(
                name,
                metadata=metadata,
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=embedding_function,
            )
        return client.get_collection(name, embedding_function=embedding_function)

    @staticmethod
    def _local_client(folder: Path) -> Any:
        import chromadb

        return chromadb.PersistentClient(path=str(folder), settings=_chroma_settings())

    def _client(self) -> Any:
        # One HTTP client per server for the whole process: each holds a connection pool.
        if self._server is None:
            self._server = _SERVER_CLIENTS.get(self.url or "")
        if self._server is None:
            import chromadb

            parsed = urlparse(self.url or "")
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise ConfigError(
                    f"COMMISSION_CHROMA_URL={self.url!r} is not a URL like http://localhost:8000"
                )
            try:
                self._server = chromadb.HttpClient(
                    host=parsed.hostname,
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=_chroma_settings(),
                )
                _SERVER_CLIENTS[self.url or ""] = self._server
            except Exception as error:
                raise KnowledgeIndexError(
                    f"Cannot reach the Chroma server at {self.url} ({error}); start it with `chroma run` "
                    "or unset COMMISSION_CHROMA_URL"
                ) from None
        return self._server

    def _pointer(self) -> Any:
        try:
            return self._client().get_or_create_collection(
                POINTER_COLLECTION, embedding_function=chroma_embedding_function()
            )
        except (KnowledgeIndexError, ConfigError):
            raise
        except Exception as error:
            raise KnowledgeIndexError(
                f"Cannot reach the Chroma server at {self.url} ({error}); start it with `chroma run` "
                "or unset COMMISSION_CHROMA_URL"
            ) from None

    @staticmethod
    def _server_name(generation: str) -> str:
        return f"commission-papers-{generation}"
