"""Signed versions keep several official files; signatures keep what was signed.

- SealedFile: each signed version's stored files (internal PDF/A-3b, internal
  PDF/A-1b, public PDF/A-3b). The one PDF a SignedDocument held until now
  moves over as its internal PDF/A-3b, unsealed (no PAdES seal existed then).
- Signature.signer_name/title/role: the signer as printed at signing time,
  filled for existing signatures from the version's own signature block.

On PostgreSQL the frozen tables refuse UPDATE (migration 0004): the backfill
of existing signatures lifts that trigger for the one statement, within this
migration's transaction, and the new table gets the same trigger.
"""

import json

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

SIGNER_ROLE = "열람·서명자"


def move_pdfs_and_freeze_signers(apps, schema_editor):
    SignedDocument = apps.get_model("meetings", "SignedDocument")
    SealedFile = apps.get_model("meetings", "SealedFile")
    Signature = apps.get_model("meetings", "Signature")
    for document in SignedDocument.objects.all():
        pdf = bytes(document.pdf)
        SealedFile.objects.create(
            document=document,
            kind="internal-pdfa3b",
            pdf=pdf,
            sha256=document.pdf_sha256,
            size=len(pdf),
        )
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE meetings_signature DISABLE TRIGGER meetings_signature_frozen"
        )
    for signature in Signature.objects.select_related("person", "version"):
        block = json.loads(signature.version.content).get("signature_block", [])
        printed = next(
            (s for s in block if s["role"] == "signer" and s["name"] == signature.person.name),
            {},
        )
        Signature.objects.filter(pk=signature.pk).update(
            signer_name=signature.person.name,
            signer_title=printed.get("title", ""),
            signer_role=SIGNER_ROLE,
        )
    if postgres:
        schema_editor.execute(
            "ALTER TABLE meetings_signature ENABLE TRIGGER meetings_signature_frozen"
        )
        # Check the new rows' foreign keys now: later steps alter these tables.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def sealed_files_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE TRIGGER meetings_sealedfile_frozen BEFORE UPDATE OR DELETE ON meetings_sealedfile "
        "FOR EACH ROW EXECUTE FUNCTION minutes_refuse_change();"
    )


def drop_sealed_files_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS meetings_sealedfile_frozen ON meetings_sealedfile;"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_unplaced_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="SealedFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("internal-pdfa3b", "Internal version, PDF/A-3b (archive)"),
                            ("internal-pdfa1b", "Internal version, PDF/A-1b (national archive)"),
                            ("public-pdfa3b", "Public version, PDF/A-3b"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("pdf", models.BinaryField(verbose_name="PDF")),
                (
                    "sha256",
                    models.CharField(
                        max_length=64, unique=True, verbose_name="SHA-256 of the file"
                    ),
                ),
                ("size", models.PositiveIntegerField(verbose_name="size in bytes")),
                (
                    "seal_certificate_sha256",
                    models.CharField(
                        blank=True,
                        help_text="Empty for a file stored before documents were sealed (PAdES).",
                        max_length=64,
                        verbose_name="SHA-256 of the seal certificate",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="files",
                        to="meetings.signeddocument",
                        verbose_name="signed minutes",
                    ),
                ),
            ],
            options={
                "verbose_name": "signed file",
                "verbose_name_plural": "signed files",
                "ordering": ["document", "kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("document", "kind"), name="sealed_file_one_per_kind"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("kind__in", ["internal-pdfa3b", "internal-pdfa1b", "public-pdfa3b"])
                        ),
                        name="sealed_file_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("sha256__regex", "^[0-9a-f]{64}$")),
                        name="sealed_file_sha256_is_hex",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="signature",
            name="signer_name",
            field=models.CharField(
                default="", max_length=100, verbose_name="signer's name as signed"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="signature",
            name="signer_role",
            field=models.CharField(
                default="", max_length=50, verbose_name="signer's role as signed"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="signature",
            name="signer_title",
            field=models.CharField(
                blank=True, max_length=100, verbose_name="signer's title as signed"
            ),
        ),
        migrations.RunPython(move_pdfs_and_freeze_signers, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="signeddocument",
            name="pdf",
        ),
        migrations.RemoveField(
            model_name="signeddocument",
            name="pdf_sha256",
        ),
        migrations.AlterModelOptions(
            name="signeddocument",
            options={"verbose_name": "signed minutes", "verbose_name_plural": "signed minutes"},
        ),
        migrations.AlterField(
            model_name="signeddocument",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="sealed at"),
        ),
        migrations.RunPython(sealed_files_trigger, drop_sealed_files_trigger),
    ]
