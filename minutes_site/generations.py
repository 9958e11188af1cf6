"""Generations: one token in a shared cache that any write to some tables replaces.

A value computed from those tables (a draft's content hash, a user's count of
waiting tasks) is cached under a key that holds the token read BEFORE the
tables were read: any later save or delete of a watched row makes a new
token, and the old entries are never found again. Nothing has to know which
entries a write touched.

The token is replaced when the write happens (for readers inside the same
transaction) and again after its commit: a reader between the write and the
commit would otherwise file what it read before the commit under the new
token. Losing the token (a culled cache file, a restarted Redis) makes a new
one: it costs a recomputation, never a stale answer.

The cache must be shared by every process that serves requests (the file or
Redis caches of settings.CACHES, not the per-process local memory). A
database changed behind the ORM's back (a restored backup) is followed by
`migrate`, which renews every generation (renew_all, from SiteConfig).
"""

import uuid

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

# How long a kept value lives at most: entries of old tokens are never read
# again, and this lets the cache drop them.
KEPT_SECONDS = 24 * 3600


class Generation:
    every = []  # each one made, for renew_all()

    def __init__(self, name, cache_alias):
        self.key = f"{name}-generation"
        self.name = name
        self.cache_alias = cache_alias
        # Renewed by this process and not read by it since: see changed().
        self.unread = False
        Generation.every.append(self)

    @property
    def cache(self):
        return caches[self.cache_alias]

    def current(self):
        """The current token (made on first use; add(): the first writer wins)."""
        self.unread = False
        token = self.cache.get(self.key)
        if token is None:
            self.cache.add(self.key, uuid.uuid4().hex, timeout=None)
            token = self.cache.get(self.key)
        return token

    def renew(self):
        self.cache.set(self.key, uuid.uuid4().hex, timeout=None)
        self.unread = True

    def kept(self, key, compute, timeout=KEPT_SECONDS):
        """compute(), kept under ``key`` and the current token (read first, so
        before compute() reads the tables). ``compute`` must not return None."""
        full_key = f"{key}:{self.current()}"
        value = self.cache.get(full_key)
        if value is None:
            value = compute()
            self.cache.set(full_key, value, timeout)
        return value

    def changed(self, sender=None, **kwargs):
        """A signal receiver: now, and again after the commit.

        Inside a transaction, the renewal now is for readers in the same
        transaction (this process): when none has read the token since this
        process last renewed it, another renewal would change nothing, and is
        left out (a transaction that writes many rows renews once, then once
        after the commit, for every other process). Outside a transaction the
        write is committed already, and the token is always renewed.
        """
        if transaction.get_connection().in_atomic_block:
            if not self.unread:
                self.renew()
            transaction.on_commit(self.renew)
        else:
            self.renew()

    def watch(self, *models, m2m=(), unless_only=None):
        """Renew on every save and delete of ``models``, and every change of the
        many-to-many ``m2m`` (their through models). A save whose
        ``update_fields`` lie within ``unless_only`` (of that model) does not
        count: e.g. a user's last_login, written at every login."""
        ignored = unless_only or {}

        def saved(sender, update_fields=None, **kwargs):
            skip = ignored.get(sender)
            if skip and update_fields and set(update_fields) <= skip:
                return
            self.changed()

        for model in models:
            uid = f"generation-{self.name}-{model._meta.label}"
            post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}-save")
            post_delete.connect(self.changed, sender=model, dispatch_uid=f"{uid}-delete")
        for through in m2m:
            uid = f"generation-{self.name}-{through._meta.label}"
            m2m_changed.connect(self.changed, sender=through, dispatch_uid=f"{uid}-m2m")


def renew_all(**kwargs):
    """Renew every generation: nothing kept before is found again (a signal
    receiver: post_migrate)."""
    for generation in Generation.every:
        generation.renew()
