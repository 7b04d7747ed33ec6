"""Importing spec spreadsheets, in the order a file goes through them: receiving (receive, store,
read back: receiving), checking (the dry run), committing (the import in one transaction), stalls
(background work that died, queued again)."""
