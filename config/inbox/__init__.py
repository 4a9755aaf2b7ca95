"""The local inbox of `make run`: every email Heartwood sends is kept as a file and read at /inbox/.

Development only. `LOCAL_INBOX_DIR` (set by config.settings.dev alone) turns on both halves: the email backend
that writes each message as an .eml file, and the /inbox/ pages of the public site that read them. The web
process and the Celery worker write to the same folder, so verification links, invitations, prompts and
digests all land in one place.
"""
