"""Assistance on PostgreSQL: one table of messages, a conversation being a family's messages."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by, array_agg
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import account, assistance_message
from accounts.domain.assistance import ConversationLine, Message, Side

m = assistance_message


class SqlConversations:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, message: Message, author_user_id: uuid.UUID | None) -> None:
        await self._conn.execute(
            m.insert().values(
                id=message.message_id,
                account_id=message.account_id,
                side=message.side.value,
                author=message.author[:200],
                author_user_id=author_user_id,
                body=message.body,
                sent_at=message.sent_at,
            )
        )

    async def of_account(self, account_id: uuid.UUID) -> list[Message]:
        rows = await self._conn.execute(
            select(m.c.id, m.c.account_id, m.c.side, m.c.author, m.c.body, m.c.sent_at)
            .where(m.c.account_id == account_id)
            .order_by(m.c.seq)
        )
        return [Message(r.id, r.account_id, Side(r.side), r.author, r.body, r.sent_at) for r in rows]

    async def lines(self) -> list[ConversationLine]:
        answered = (
            select(m.c.account_id, func.max(m.c.seq).label("seq"))
            .where(m.c.side == Side.OFFICE.value)
            .group_by(m.c.account_id)
            .subquery()
        )
        unanswered = and_(m.c.side == Side.FAMILY.value, func.coalesce(m.c.seq > answered.c.seq, True))
        rows = await self._conn.execute(
            select(
                m.c.account_id,
                account.c.holder_first_name,
                account.c.holder_last_name,
                array_agg(aggregate_order_by(m.c.side, m.c.seq.desc()))[1],
                func.max(m.c.sent_at),
                func.min(m.c.sent_at).filter(unanswered),
                func.count(),
            )
            .join(account, account.c.id == m.c.account_id)
            .join(answered, answered.c.account_id == m.c.account_id, isouter=True)
            .group_by(m.c.account_id, account.c.holder_first_name, account.c.holder_last_name)
        )
        return [ConversationLine(r[0], r[1], r[2], Side(r[3]), r[4], r[5], int(r[6])) for r in rows]
