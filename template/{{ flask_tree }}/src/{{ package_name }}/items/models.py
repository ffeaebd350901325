from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UTCDateTime, utcnow

NAME_MAX_LENGTH = 100


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    # Set per row by Python, so every backend stores the same aware UTC timestamp.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
