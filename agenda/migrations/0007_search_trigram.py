"""Trigram indexes for the logged-in search over the remarks (meetings.search).

GIN indexes on UPPER(column) with gin_trgm_ops, PostgreSQL only (pg_trgm is
created by meetings 0012): Django's ``icontains`` is ``UPPER(column) LIKE
UPPER('%word%')`` there, which these indexes answer. SQLite has none and
searches the same columns row by row.
"""

from django.db import migrations

# (index, table, column): searched with icontains by meetings.search.readable_blocks().
TRIGRAM_INDEXES = [
    ("statement_text_trgm", "agenda_statement", "text"),
    ("speaker_block_label_trgm", "agenda_speakerblock", "role_label"),
    ("agenda_item_title_trgm", "agenda_agendaitem", "title"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(table)} "
            f"USING gin (UPPER({quote(column)}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0006_stage_directions"),
        # pg_trgm itself.
        ("meetings", "0012_search"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
