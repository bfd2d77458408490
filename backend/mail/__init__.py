"""Outgoing e-mail over SMTP (``MAIL_*`` settings): password resets, invitations, digests."""
