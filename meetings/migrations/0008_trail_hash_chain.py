"""The status trail and the signatures become hash chains (models.ChainedModel).

Each row gets ``previous_sha256`` and ``row_sha256``; the rows already there
are linked in the order they were inserted (by id), exactly as the models link
new ones (meetings.hashchain). On PostgreSQL the frozen tables refuse UPDATE
(migration 0004): the backfill lifts each trigger for its statements, within
this migration's transaction, as 0007 did.
"""

from django.db import migrations, models

from meetings.hashchain import GENESIS, row_sha256

# The models' CHAINED_FIELDS when this migration was written.
CHAINS = {
    "StatusChange": ("meeting", "version", "from_status", "to_status", "by", "at", "note"),
    "Signature": (
        "version",
        "person",
        "signer_name",
        "signer_title",
        "signer_role",
        "user",
        "content_sha256",
        "signed_at",
        "method",
        "image",
        "ip_address",
        "user_agent",
    ),
}


def link_existing_rows(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, fields in CHAINS.items():
        model = apps.get_model("meetings", name)
        table = model._meta.db_table
        if postgres:
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_frozen")
        previous = GENESIS
        for row in model.objects.order_by("pk").iterator(chunk_size=200):
            row.previous_sha256 = previous
            row.row_sha256 = row_sha256(row, fields, previous)
            model.objects.filter(pk=row.pk).update(
                previous_sha256=row.previous_sha256, row_sha256=row.row_sha256
            )
            previous = row.row_sha256
        if postgres:
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_frozen")
    if postgres:
        # Check pending foreign keys now: the next steps alter these tables.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def hash_field(verbose_name):
    return models.CharField(default="", editable=False, max_length=64, verbose_name=verbose_name)


def chain_constraints(model_name, prefix):
    return [
        migrations.AddConstraint(
            model_name=model_name,
            constraint=models.UniqueConstraint(
                fields=("previous_sha256",), name=f"{prefix}_chain_has_no_fork"
            ),
        ),
        migrations.AddConstraint(
            model_name=model_name,
            constraint=models.CheckConstraint(
                condition=models.Q(("previous_sha256__regex", "^[0-9a-f]{64}$"))
                & models.Q(("row_sha256__regex", "^[0-9a-f]{64}$")),
                name=f"{prefix}_chain_sha256_is_hex",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_sealed_files_and_frozen_signers"),
    ]

    operations = [
        migrations.AddField(
            model_name="signature",
            name="previous_sha256",
            field=hash_field("SHA-256 of the previous row"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="signature",
            name="row_sha256",
            field=hash_field("SHA-256 of this row"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="statuschange",
            name="previous_sha256",
            field=hash_field("SHA-256 of the previous row"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="statuschange",
            name="row_sha256",
            field=hash_field("SHA-256 of this row"),
            preserve_default=False,
        ),
        migrations.RunPython(link_existing_rows, migrations.RunPython.noop),
        # Added once every row is linked: before, they all held "".
        *chain_constraints("signature", "signature"),
        *chain_constraints("statuschange", "status_change"),
    ]
