"""How a row of the trail is hashed into its table's chain.

Pure code, shared by the models (which link every new row) and by migration
0008 (which linked the rows that were there before): one row always gives the
same bytes and so the same SHA-256. Every stored hash depends on what is
written here, so changing it breaks every chain: add a new scheme instead.
"""

import datetime
import hashlib
import json

# What the first row of a chain names as its predecessor.
GENESIS = "0" * 64


def canonical_value(value):
    """One spelling per value, whichever database or code path it came from."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.datetime):
        # The same instant reads back in UTC from PostgreSQL and SQLite.
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    raise TypeError(f"cannot hash a {type(value).__name__} into the trail")


def row_sha256(row, field_names, previous):
    """SHA-256 of ``row``'s ``field_names`` as the database stores them, and its link.

    The values go through each field's get_prep_value(), so a row about to be
    inserted and the same row read back hash alike (an IPv6 address is
    normalised, for instance). The table's name is part of the hash: a row
    cannot be moved to another chain.
    """
    values = {}
    for name in field_names:
        field = row._meta.get_field(name)
        values[field.attname] = canonical_value(field.get_prep_value(getattr(row, field.attname)))
    document = {"table": row._meta.db_table, "previous": previous, "row": values}
    data = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()
