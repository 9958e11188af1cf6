"""Give the app's login role exactly what the app needs, and nothing that could undo the record.

Run as the tables' owner after every migrate. The app's role may read and
write the ordinary tables (Django's sessions, accounts and admin log, and any
table a later migration adds) but only read and insert the frozen ones
(models.InsertOnlyModel): without UPDATE, DELETE and TRUNCATE, and without
owning anything, it can neither change a signed record nor switch off the
triggers that guard it, drop a table or create one.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _

from meetings.models import InsertOnlyModel

# Applied by migrate, read by nobody else; the app may look but not write.
READ_ONLY_TABLES = ("django_migrations",)


def quoted(identifier):
    return '"' + identifier.replace('"', '""') + '"'


def privilege_statements(*, role, owner, schema, database, frozen, read_only):
    """The statements, in order; each is safe to run again (all-or-nothing in one transaction)."""
    role, owner, schema, database = map(quoted, (role, owner, schema, database))
    in_schema = f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema}"
    statements = [
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {role}",
        # Start from nothing, so that running again also takes back what an
        # earlier, broader grant gave.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        # Tables and sequences the owner creates later (a new app's
        # migrations) are the app's to use at once.
        f"{in_schema} REVOKE ALL ON TABLES FROM {role}",
        f"{in_schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"{in_schema} REVOKE ALL ON SEQUENCES FROM {role}",
        f"{in_schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
    if frozen:
        tables = ", ".join(map(quoted, frozen))
        statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {tables} FROM {role}")
    if read_only:
        tables = ", ".join(map(quoted, read_only))
        statements.append(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {tables} FROM {role}")
    return statements


class Command(BaseCommand):
    help = (
        "PostgreSQL only, run as the tables' owner after migrate: grant the app's login role "
        "read and write on the app's tables, read and insert only on the frozen record "
        "(versions, signatures, signed files, status trail), and nothing it could own. "
        "Creates no role; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the login role the app connects as (DATABASE_URL)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias")

    def handle(self, *args, role, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError(
                _(
                    "grant_app_role works on PostgreSQL only: this database is %(vendor)s, "
                    "which has no roles to grant to."
                )
                % {"vendor": connection.display_name}
            )
        with transaction.atomic(using=database), connection.cursor() as cursor:
            owner, schema = self.tables_owner(cursor)
            self.check_role(cursor, role, owner)
            existing = set(connection.introspection.table_names(cursor))
            frozen = sorted(
                model._meta.db_table
                for model in apps.get_models()
                if issubclass(model, InsertOnlyModel) and model._meta.db_table in existing
            )
            read_only = [table for table in READ_ONLY_TABLES if table in existing]
            for statement in privilege_statements(
                role=role,
                owner=owner,
                schema=schema,
                database=connection.settings_dict["NAME"],
                frozen=frozen,
                read_only=read_only,
            ):
                cursor.execute(statement)
            # Databases made before PostgreSQL 15 let everybody create tables
            # in the public schema: refuse (and grant nothing) rather than
            # leave the app able to.
            cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
            if cursor.fetchone()[0]:
                raise CommandError(
                    _(
                        "%(role)s may still create tables in schema %(schema)s, through PUBLIC. "
                        "As the schema's owner run: REVOKE CREATE ON SCHEMA %(schema)s FROM "
                        "PUBLIC; GRANT CREATE ON SCHEMA %(schema)s TO %(owner)s; then run "
                        "this again. Nothing was granted."
                    )
                    % {"role": role, "schema": schema, "owner": owner}
                )
        self.stdout.write(
            _(
                "%(role)s may now read and write %(tables)s tables of %(owner)s; the "
                "%(frozen)s frozen tables (%(names)s) only read and insert. Run this again "
                "after every migrate."
            )
            % {
                "role": role,
                "tables": len(existing),
                "owner": owner,
                "frozen": len(frozen),
                "names": ", ".join(frozen),
            }
        )

    def tables_owner(self, cursor):
        """(owner, schema) of the tables: whoever ran migrate, in the current schema."""
        cursor.execute(
            "SELECT tableowner, schemaname FROM pg_tables "
            "WHERE tablename = 'django_migrations' AND schemaname = current_schema()"
        )
        found = cursor.fetchone()
        if found is None:
            raise CommandError(_("No tables yet: run migrate (as the owner) first."))
        return found

    def check_role(self, cursor, role, owner):
        # PostgreSQL names are at most 63 bytes and never hold NUL.
        if not role.strip() or "\x00" in role or len(role.encode()) > 63:
            raise CommandError(
                _("%(role)s cannot be the name of a PostgreSQL role.") % {"role": repr(role[:70])}
            )
        cursor.execute("SELECT current_user, pg_has_role(current_user, %s, 'MEMBER')", [owner])
        user, may_act_as_owner = cursor.fetchone()
        if not may_act_as_owner:
            raise CommandError(
                _(
                    "Run this as the tables' owner %(owner)s (DATABASE_URL=$DATABASE_OWNER_URL), "
                    "not as %(user)s."
                )
                % {"owner": owner, "user": user}
            )
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise CommandError(
                _(
                    "There is no role %(role)s. Create it first, e.g. CREATE ROLE %(role)s "
                    "LOGIN PASSWORD '...'; this command only grants."
                )
                % {"role": role}
            )
        if found[0]:
            raise CommandError(
                _("%(role)s is a superuser: the app must connect as a role that can do less.")
                % {"role": role}
            )
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
        if cursor.fetchone()[0]:
            raise CommandError(
                _(
                    "%(role)s owns the tables (or may act as their owner %(owner)s): the app "
                    "must connect as a role that owns nothing."
                )
                % {"role": role, "owner": owner}
            )
