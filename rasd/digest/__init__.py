"""The analysts' daily digest: what matched in a period, read from the database and rendered."""
from rasd.config import MailSettings
from rasd.digest.write import mail_digest, write_digest, write_period, write_topic_feeds

__all__ = ["MailSettings", "mail_digest", "write_digest", "write_period", "write_topic_feeds"]
