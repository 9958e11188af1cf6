"""Writes to remarks that are more than a single save()."""

from django.db import transaction

from .models import Statement


def split_statements(text):
    """One statement per non-blank line, with leading bullets (-, ○, •) removed."""
    statements = []
    for line in text.splitlines():
        line = line.strip().lstrip("-○•·").strip()
        if line:
            statements.append(line)
    return statements


@transaction.atomic
def replace_statements(block, texts):
    """Make ``block``'s statements exactly ``texts``, in order.

    Rows are updated in place by position rather than deleted and re-created,
    so a statement keeps its identity (and whatever refers to it) while the
    secretary edits the text around it.
    """
    existing = {s.position: s for s in block.statements.select_for_update()}
    for position, text in enumerate(texts, start=1):
        statement = existing.pop(position, None)
        if statement is None:
            Statement.objects.create(block=block, position=position, text=text)
        elif statement.text != text:
            statement.text = text
            statement.save(update_fields=["text"])
    if existing:
        Statement.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
