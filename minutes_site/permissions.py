"""Permissions read once per change, not on every page.

Django's ModelBackend reads a user's permissions (two queries: their own and
their groups') on every request that asks, and every page asks: the navbar
shows 위원회 관리 and 보관 내보내기 to staff who have those permissions. Here
the two sets are kept in the shared "pages" cache under the permissions
generation, which any write of a user, a group, a permission or their links
renews (minutes_site.generations): a permission granted or taken away in the
admin counts on the very next request, in every worker.
"""

from django.contrib.auth.backends import ModelBackend

from .generations import Generation

PERMISSIONS = Generation("permissions", "pages")


def watch_permission_sources():
    """Called once, from SiteConfig.ready(). A login (last_login, an upgraded
    password hash) changes no permission."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    user = get_user_model()
    PERMISSIONS.watch(
        user,
        Group,
        Permission,
        m2m=[user.groups.through, user.user_permissions.through, Group.permissions.through],
        unless_only={user: {"last_login", "password"}},
    )


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend, with each user's permission sets kept until they may change."""

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        attribute = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, attribute):
            found = PERMISSIONS.kept(
                f"perms:{from_name}:{user_obj.pk}",
                lambda: super(CachedPermissionsBackend, self)._get_permissions(
                    user_obj, obj, from_name
                ),
            )
            setattr(user_obj, attribute, found)
        return getattr(user_obj, attribute)
