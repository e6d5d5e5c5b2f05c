"""Django's Redis cache, forgiving: a stopped or unreachable Redis is a cache that misses.

Everything Cegah keeps in the cache can be made again from the database (fragments, whole public
pages, markers), so while Redis is down pages are rendered from the database, slower, instead of
failing with a server error. The hourly counters kept there (WBS writes, reset emails) count
from nothing meanwhile: they limit abuse, they are not records.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# One warning a minute per process, not one for each of a page's cache reads.
WARN_EVERY_SECONDS = 60.0


class ForgivingRedisCache(RedisCache):
    _warned_at = 0.0

    def _missed(self, error: RedisError) -> None:
        now = time.monotonic()
        if now - ForgivingRedisCache._warned_at >= WARN_EVERY_SECONDS:
            ForgivingRedisCache._warned_at = now
            logger.warning("Redis cache unreachable, served from the database: %s", error)

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self._missed(error)
            return default

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            self._missed(error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except RedisError as error:
            self._missed(error)
            return False

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            self._missed(error)

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            self._missed(error)
            return list(data)  # the keys not stored, as Django's API reports them

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        # As if the key was new: what waits on add() (a reset email, a count) goes ahead.
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            self._missed(error)
            return True

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._missed(error)
            raise ValueError(f"Key '{key}' not found") from None  # a miss, as Django says it

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            self._missed(error)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError as error:
            self._missed(error)
            return False

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            self._missed(error)

    def clear(self) -> None:
        try:
            super().clear()
        except RedisError as error:
            self._missed(error)
