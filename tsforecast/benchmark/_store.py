"""Crash-safe append-only CSV files for benchmark results.

Each record is one physical line (newlines in text fields are replaced by
spaces), written with a single ``write`` followed by ``flush`` and
``os.fsync``. A process killed in the middle of a write (``kill -9``) can
therefore leave at most one *torn* line at the end of the file: a prefix of
a record without its final newline. Re-opening the file with
``resume=True`` detects it (the file does not end in a newline), truncates
the file back to the last complete line and goes on appending. The header
line is checked on resume, so a file written for other columns is never
mixed with new rows. A fresh file is created by writing the header to a
temporary file and renaming it over the target.

One process writes a store at a time (the runner collects results from its
workers and writes them itself); concurrent writers are not supported.
"""

from __future__ import annotations

import csv
import io
import logging
import os

__all__ = ["CSVStore", "atomic_write_text"]

logger = logging.getLogger("tsforecast.benchmark")


def atomic_write_text(path, text):
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path = os.fspath(path)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(os.path.dirname(path) or ".")


def _fsync_dir(folder):
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _format_line(values):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float):  # NumPy floats too, whose repr is "np.float64(...)"
        return repr(float(value))  # shortest repr that round-trips exactly
    text = str(value)
    if "\n" in text or "\r" in text:
        text = " ".join(text.splitlines())
    return text


class CSVStore:
    """An append-only CSV file of records with fixed columns.

    Parameters
    ----------
    path : path-like
        The CSV file.
    columns : list of str
        Column names; the header line.
    resume : bool
        Keep the records already in ``path`` (after dropping a torn last
        line); otherwise start a new file, replacing any old one.
    keep_records : bool, default=True
        Keep the records read back on resume in :attr:`records` (they are
        checked either way).

    Attributes
    ----------
    records : list of dict
        The records read back on resume (values as strings); empty with
        ``keep_records=False``.
    dropped_torn_line : bool
        Whether a torn last line was found and removed.
    """

    def __init__(self, path, columns, *, resume=False, keep_records=True):
        self.path = os.fspath(path)
        self.columns = list(columns)
        self.records = []
        self._keep = keep_records
        self.dropped_torn_line = False
        if resume and os.path.exists(self.path):
            self._recover()
        else:
            atomic_write_text(self.path, _format_line(self.columns))
        self._fh = open(self.path, "a", encoding="utf-8", newline="")

    def _recover(self):
        with open(self.path, "rb") as fh:
            data = fh.read()
        if not data.endswith(b"\n"):
            keep = data.rfind(b"\n") + 1
            if data:
                self.dropped_torn_line = True
                logger.warning("%s: dropped a torn last line (%d bytes) left by an interrupted run; "
                               "the work it recorded is redone.", self.path, len(data) - keep)
            if keep == 0:  # not even a complete header: start over
                atomic_write_text(self.path, _format_line(self.columns))
                return
            with open(self.path, "r+b") as fh:
                fh.truncate(keep)
                fh.flush()
                os.fsync(fh.fileno())
            data = data[:keep]
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        header = rows[0] if rows else []
        if header != self.columns:
            raise ValueError(
                f"cannot resume: {self.path} has columns {header} but this run writes {self.columns}. "
                "Use another output folder, or run without resume to start over."
            )
        for lineno, row in enumerate(rows[1:], start=2):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"cannot resume: line {lineno} of {self.path} has {len(row)} fields; "
                    f"expected {len(self.columns)}. The file was edited or is corrupt."
                )
            if self._keep:
                self.records.append(dict(zip(self.columns, row)))

    def _line(self, record):
        missing = [c for c in self.columns if c not in record]
        if missing:
            raise KeyError(f"record lacks column(s) {missing}")
        return _format_line([_cell_text(record[c]) for c in self.columns])

    def append(self, record):
        """Write one record (a dict with every column) as one durable line."""
        self.append_many([record])

    def append_many(self, records):
        """Write several records (one line each) with one ``write`` and one ``fsync``.

        A crash in the middle can leave the first of them complete and a
        torn last line (dropped on resume); the caller must treat the group
        as not written unless it records its completion elsewhere.
        """
        text = "".join(self._line(r) for r in records)
        if not text:
            return
        self._fh.write(text)
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self):
        """Close the file."""
        if not self._fh.closed:
            self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
