"""uvicorn's HTTP protocol with the limits a public endpoint needs: a connection that has not sent
a complete request head within ``HEADER_SECONDS`` is closed (one header byte every few seconds no
longer holds a connection open for ever), and at most ``MAX_CONNECTIONS`` are open at once (the
next is closed at once), so slow clients cannot use up the server's file descriptors."""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..data.limits import env_number


HEADER_SECONDS = env_number("RULE_STUDIO_HEADER_SECONDS", 10.0)
MAX_CONNECTIONS = 4_096


class GuardedH11Protocol(H11Protocol):
    header_seconds = HEADER_SECONDS
    max_connections = MAX_CONNECTIONS

    def connection_made(self, transport) -> None:  # type: ignore[override]
        self._header_timer = None
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            transport.close()
            return
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:  # no complete request head yet
            self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()
